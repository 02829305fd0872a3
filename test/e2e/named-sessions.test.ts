/**
 * Named runs end to end, against the real daemon process: a session opened without a name is named
 * "<client name> <UTC start time>" and says so in SessionOpened.config; a given name is kept, a bad one
 * refused with INVALID_CONFIG on `name`; the name is in the daemon's session created / evicted / resumed
 * log lines, survives the checkpoint, and is in the trace header (`fisherd trace inspect`). Also
 * `fisherd trace export --csv` of the recorded session against the updates the client received.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError, type UpdateData } from '../../clients/ts/src/index.js';
import { sessionTraceDir } from '../../src/trace/segment-files.js';
import { buildDaemon, startDaemon, type RunningDaemon } from './daemon-harness.js';

const run = promisify(execFile);
const D = 6;
const B = 4;
const stepInput = (step: number) => ({
  step, batchSize: B, reduction: 'sum' as const, loss: 1 / step,
  perExampleGrads: Float32Array.from({ length: B * D }, (_, i) => Math.sin(0.9 * i + step) * (1 + (i % 2))),
  sampledLabelGrads: { samplesPerExample: 1, rows: Float32Array.from({ length: B * D }, (_, i) => Math.cos(0.4 * i - step)) },
});

/** The daemon's pino log lines with this `msg`. */
function logLines(daemon: RunningDaemon, msg: string): Array<Record<string, unknown>> {
  return daemon.stderr().split('\n').filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === msg);
}

async function expectInvalidName(client: FisherdClient, name: string, message: RegExp): Promise<void> {
  const error = await client.openSession({ name, dim: D, optimizer: { name: 'sgd', stepSize: 0.1 } }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(FisherdClientError);
  expect((error as FisherdClientError).code).toBe('INVALID_CONFIG');
  expect((error as FisherdClientError).field).toBe('name');
  expect((error as FisherdClientError).message).toMatch(message);
}

describe('named sessions over the wire', () => {
  let daemon: RunningDaemon;
  let main: string;

  beforeAll(async () => {
    main = await buildDaemon();
    daemon = await startDaemon(['--session-idle-ms', '100']);
  });

  afterAll(async () => {
    if (daemon) expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('names, echoes, refuses, logs, checkpoints and records the name; trace export --csv gives the updates received', async () => {
    // No name: the daemon's default from Hello.client_name and the start time (UTC).
    const client = await FisherdClient.connect(daemon.url, { clientName: 'train-logistic', reconnect: false });
    const started = Date.now();
    const opened = await client.openSession({
      dim: D, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, record: true, track: { empiricalFisher: true },
    });
    const name = opened.config.name!;
    expect(name).toMatch(/^train-logistic \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const at = Date.parse(`${name.slice('train-logistic '.length).replace(' ', 'T')}Z`);
    expect(at).toBeGreaterThan(started - 2000);
    expect(at).toBeLessThanOrEqual(Date.now());
    const updates: UpdateData[] = [];
    for (let step = 1; step <= 6; step++) updates.push(await client.step(stepInput(step)));
    const sessionId = client.sessionId!;

    // A given name is kept as given; bad ones are refused, naming the field.
    const other = await FisherdClient.connect(daemon.url, { clientName: 'other', reconnect: false });
    const given = await other.openSession({ name: 'λ sweep · run 3 🚀', dim: D, optimizer: { name: 'sgd', stepSize: 0.1 } });
    expect(given.config.name).toBe('λ sweep · run 3 🚀');
    await other.closeSession({ discard: true });
    await expectInvalidName(other, 'x'.repeat(129), /^name has 129 characters; at most 128$/);
    await expectInvalidName(other, 'tab\there', /control character U\+0009/);
    await expectInvalidName(other, '   ', /must not be empty/);
    await other.close();

    // The logs name it: created, then evicted after the last worker left.
    await expect.poll(() => logLines(daemon, 'session created').find((l) => l['sessionId'] === sessionId)?.['name'], { timeout: 5000 }).toBe(name);
    await client.closeSession();
    await expect.poll(() => logLines(daemon, 'session evicted').find((l) => l['sessionId'] === sessionId)?.['name'], { timeout: 5000 }).toBe(name);
    const discarded = logLines(daemon, 'session evicted').find((l) => l['name'] === 'λ sweep · run 3 🚀');
    expect(discarded?.['discarded']).toBe(true);

    // The trace header carries the name; the CSV export holds exactly the updates the client received.
    const trace = sessionTraceDir(join(daemon.dataDir, 'traces'), sessionId);
    const inspect = await run(process.execPath, [main, 'trace', 'inspect', trace]);
    expect(inspect.stdout).toContain(`\nname         ${name}\n`);
    const csv = (await run(process.execPath, [main, 'trace', 'export', '--csv', trace])).stdout.trim().split('\n').map((l) => l.split(','));
    const header = csv[0]!;
    expect(header).toEqual(['step', 'loss', 'batch_size', 'update_norm', 'compute_seconds', 'gradNorm', 'stepSize', 'damping', 'cosineEfFisher']);
    expect(csv).toHaveLength(1 + updates.length);
    for (const [i, u] of updates.entries()) {
      const row = Object.fromEntries(header.map((h, j) => [h, csv[i + 1]![j]!]));
      const d = u.diagnostics;
      expect(Number(row['step'])).toBe(u.step);
      expect(Number(row['loss'])).toBe(d.loss);
      expect(Number(row['batch_size'])).toBe(d.batchSize);
      expect(Number(row['update_norm'])).toBe(d.updateNorm);
      expect(Number(row['compute_seconds'])).toBe(d.computeSeconds);
      for (const key of header.slice(5)) expect([key, Number(row[key])]).toEqual([key, d.values[key]]);
    }

    // The checkpoint keeps the name: resumed, it is echoed and logged again.
    const again = await FisherdClient.connect(daemon.url, { clientName: 'someone-else', reconnect: false });
    const resumed = await again.resumeSession(sessionId);
    expect(resumed.resumedStep).toBe(6);
    expect(resumed.config.name).toBe(name);
    await expect.poll(() => logLines(daemon, 'session resumed from checkpoint').find((l) => l['sessionId'] === sessionId)?.['name'], { timeout: 5000 }).toBe(name);
    await again.closeSession({ discard: true });
    await again.close();
    await client.close();
  }, 60_000);
});
