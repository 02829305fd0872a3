/**
 * End to end, real daemon process: with a token, the WebSocket upgrade needs `Authorization: Bearer`
 * (401 otherwise), the token never reaches the log, and binding beyond loopback without a token is
 * refused at start with a clear message.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError } from '../../clients/ts/src/index.js';
import { buildDaemon, ROOT, startDaemon, type RunningDaemon } from './daemon-harness.js';
import { RawClient } from './raw-client.js';

const TOKEN = 's3cr3t-token-never-logged';

describe('fisherd daemon: authentication', () => {
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon([], { env: { FISHERD_TOKEN: TOKEN, FISHERD_LOG_LEVEL: 'debug' } });
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
    expect(daemon.stderr()).not.toContain(TOKEN);
  });

  it('refuses an upgrade without the token, or with a wrong one, with HTTP 401', async () => {
    for (const options of [{}, { token: 'wrong' }]) {
      const error = await FisherdClient.connect(daemon.url, options).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(FisherdClientError);
      expect((error as FisherdClientError).code).toBe('UNAUTHORIZED');
    }
    await expect(RawClient.connect(daemon.url, { authorization: `Basic ${TOKEN}` })).rejects.toThrow(/401/);
    const metrics = await (await fetch(`${daemon.http}/metrics`)).text();
    expect(metrics).toMatch(/fisherd_errors_total\{code="UNAUTHORIZED"\} 3/);
  });

  it('serves a client with the right token', async () => {
    const client = await FisherdClient.connect(daemon.url, { token: TOKEN });
    await client.openSession({ dim: 2, optimizer: { name: 'sgd', stepSize: 1 } });
    const update = await client.step({ batchSize: 1, reduction: 'sum', meanGrad: new Float32Array([1, -2]) });
    expect(Array.from(update.delta)).toEqual([-1, 2]);
    await client.close();
  });

  it('refuses to bind beyond loopback without a token, and a bad option value, before starting', async () => {
    const main = await buildDaemon();
    const env: NodeJS.ProcessEnv = { ...process.env, VITEST: '' };
    delete env['FISHERD_TOKEN'];
    const open = spawnSync(process.execPath, [main, 'serve', '--host', '0.0.0.0', '--port', '0'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/--token \/ FISHERD_TOKEN: binding to 0\.0\.0\.0 \(beyond loopback\) requires a bearer token/);
    const badPort = spawnSync(process.execPath, [main, 'serve', '--port', 'seventy'], { cwd: ROOT, env: { ...env, FISHERD_PORT: '1' }, encoding: 'utf8' });
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/--port \/ FISHERD_PORT: "seventy" is not an integer/);
  });
});
