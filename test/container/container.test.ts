/**
 * The container image, end to end (opt-in: FISHERD_CONTAINER_TESTS=1; it takes a few minutes, see
 * test/container/README.md): builds the image from the real Dockerfile with podman, runs it with a token
 * and a named volume, waits for its HEALTHCHECK, trains a real session through the TypeScript client
 * (built into dist/ by `npm run build`), sends SIGTERM (`podman stop`), checks the clean exit (code 0,
 * the drain in the log), then starts a second container on the same volume and resumes the session from
 * its checkpoint.
 *
 * Podman here needs runc and explicit ulimits (docs/deploy.md, host-measurements.md §3): the test writes
 * a CONTAINERS_CONF with them. The base image is made locally by make-base-image.sh when no registry is
 * reachable.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ClientModule from '../../clients/ts/src/index.js';
import { logisticLoss, logisticProblem, trainLogistic } from '../dashboard/logistic-trainer.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const enabled = process.env['FISHERD_CONTAINER_TESTS'] === '1';
const hasPodman = (() => {
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!enabled) console.warn('test/container: skipped (set FISHERD_CONTAINER_TESTS=1 to build and run the image; takes minutes)');
else if (!hasPodman) console.warn('test/container: skipped: podman is not installed (apt-get install podman runc)');

const tag = `localhost/fisherd:test-${process.pid}`;
const names = { first: `fisherd-test-${process.pid}-a`, second: `fisherd-test-${process.pid}-b`, volume: `fisherd-test-${process.pid}-data` };
const token = randomBytes(16).toString('hex');
let env: NodeJS.ProcessEnv = process.env;
const timings: Record<string, number> = {};

async function podman(args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run('podman', args, { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

async function timed<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[name] = (Date.now() - started) / 1000;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts a container of the image on `port` with the token and the test volume. */
async function startContainer(name: string, port: number): Promise<void> {
  await podman(['run', '-d', '--name', name, '-p', `127.0.0.1:${port}:7070`, '-e', `FISHERD_TOKEN=${token}`, '-v', `${names.volume}:/data`, tag]);
}

/** Runs the image's HEALTHCHECK until it passes (no systemd timers here, so the test drives it). */
async function waitHealthy(name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await podman(['healthcheck', 'run', name], 15_000);
      break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${name} not healthy in ${timeoutMs} ms:\n${await podman(['logs', name]).catch(() => '')}\n${String(e)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  expect(await podman(['inspect', '--format', '{{.State.Health.Status}}', name])).toBe('healthy');
}

async function stopContainer(name: string): Promise<{ exitCode: number; logs: string; seconds: number }> {
  const started = Date.now();
  await podman(['stop', '-t', '20', name], 60_000);
  const seconds = (Date.now() - started) / 1000;
  const exitCode = Number(await podman(['inspect', '--format', '{{.State.ExitCode}}', name]));
  const { stdout, stderr } = await run('podman', ['logs', name], { env, maxBuffer: 16 * 1024 * 1024 });
  return { exitCode, logs: stdout + stderr, seconds };
}

describe.skipIf(!enabled || !hasPodman)('container image (podman)', () => {
  let client: typeof ClientModule;

  beforeAll(async () => {
    const conf = join(mkdtempSync(join(tmpdir(), 'fisherd-podman-')), 'containers.conf');
    writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n');
    env = { ...process.env, CONTAINERS_CONF: conf };
    await timed('base image', () => run(join(ROOT, 'test', 'container', 'make-base-image.sh'), [], { env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }));
    // The package build (also what `npm start` runs); it must carry the generated protobuf code into dist/.
    await timed('npm run build', () => run('npm', ['run', 'build'], { cwd: ROOT, env, timeout: 300_000 }));
    expect(existsSync(join(ROOT, 'dist', 'src', 'protocol', 'generated', 'fisherd.js'))).toBe(true);
    client = (await import(pathToFileURL(join(ROOT, 'dist', 'clients', 'ts', 'src', 'index.js')).href)) as typeof ClientModule;
    await timed('podman build', () => podman(['build', '--format', 'docker', '-t', tag, ROOT], 900_000));
    await podman(['volume', 'create', names.volume]);
  }, 1_200_000);

  afterAll(async () => {
    for (const name of [names.first, names.second]) await podman(['rm', '-f', '-t', '0', name]).catch(() => undefined);
    await podman(['volume', 'rm', '-f', names.volume]).catch(() => undefined);
    const size = await podman(['image', 'inspect', '--format', '{{.Size}}', tag]).catch(() => '');
    await podman(['rmi', '-f', tag]).catch(() => undefined);
    console.info(`test/container timings (s): ${JSON.stringify(timings)}; image size ${(Number(size) / 1e6).toFixed(0)} MB`);
  }, 120_000);

  it('keeps the Dockerfile’s contract: non-root user, tini, HEALTHCHECK on /livez, /data volume', async () => {
    const config = JSON.parse(await podman(['image', 'inspect', '--format', '{{json .Config}}', tag])) as {
      User: string; Entrypoint: string[]; Cmd: string[]; Volumes: Record<string, unknown>; ExposedPorts: Record<string, unknown>; StopSignal: string;
    };
    // podman shows the HEALTHCHECK beside Config (docker inside it); it survives only with --format docker.
    const [inspected] = JSON.parse(await podman(['image', 'inspect', tag])) as { Healthcheck?: { Test: string[] } }[];
    const healthcheck = inspected?.Healthcheck;
    expect(config.User).toBe('1000:1000');
    expect(config.Entrypoint).toEqual(['/usr/bin/tini', '--']);
    expect(config.Cmd).toEqual(['node', 'dist/src/cli/main.js', 'serve']);
    expect(Object.keys(config.Volumes)).toEqual(['/data']);
    expect(Object.keys(config.ExposedPorts)).toEqual(['7070/tcp']);
    expect(healthcheck?.Test.join(' ')).toContain('/livez');
    expect(config.StopSignal).toBe('SIGTERM');
  });

  it('runs, turns healthy, serves a training session, drains on SIGTERM and resumes from its volume', async () => {
    const port = await freePort();
    const http = `http://127.0.0.1:${port}`;
    const url = `ws://127.0.0.1:${port}`;
    await timed('start to healthy', async () => {
      await startContainer(names.first, port);
      await waitHealthy(names.first);
    });

    // Binding beyond loopback inside the container: the token is required.
    await expect(client.FisherdClient.connect(url, { reconnect: false })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const trainer = await client.FisherdClient.connect(url, { token, reconnect: false });
    const info = await trainer.openSession({
      dim: 8, optimizer: { name: 'ngd', stepSize: 0.2, damping: 1e-2 }, emaDecay: 0.9, track: { empiricalFisher: true, fisher: true, noise: true },
    });
    const problem = logisticProblem(8, 256);
    const theta = new Float64Array(8);
    await timed('20 training steps', () => trainLogistic(trainer, problem, { steps: 20, batchSize: 16, theta }));
    expect(trainer.lastStep).toBe(20);
    expect(logisticLoss(problem, theta)).toBeLessThan(0.9 * Math.LN2); // it trains: below the loss at θ = 0

    const metrics = await (await fetch(`${http}/metrics`)).text();
    expect(metrics).toMatch(/fisherd_steps_total\{optimizer="ngd"\} 20/);
    expect(metrics).toMatch(/fisherd_backend_info\{backend="openblas"/); // the image's OpenBLAS loads
    // and its ISA-L, for the CRC-32C of traces and checkpoints
    const crc = await podman(['exec', names.first, 'node', '--input-type=module', '-e',
      "const { selectedCrc32c } = await import('/app/dist/src/crc32c.js'); console.log(selectedCrc32c().name);"]);
    expect(crc.trim()).toBe('isa-l');
    expect(metrics).toMatch(/fisherd_sessions_opened_total\{kind="new"\} 1/);
    expect((await fetch(`${http}/`)).status).toBe(401); // the dashboard asks for the token
    expect((await fetch(`${http}/?token=${token}`, { redirect: 'manual' })).status).toBe(303);

    // SIGTERM with the session still attached: drain, checkpoint, close 1001, exit 0.
    const stop = await stopContainer(names.first);
    timings['podman stop'] = stop.seconds;
    expect(stop.exitCode).toBe(0);
    expect(stop.logs).toMatch(/"sessions":1[,}].*"msg":"shutting down: draining sessions"/);
    expect(stop.logs).toContain('"msg":"fisherd stopped"');
    expect(stop.seconds).toBeLessThan(20); // drained, not killed after the grace period
    await trainer.close().catch(() => undefined);

    // A new container on the same volume resumes the session at its last step.
    const port2 = await freePort();
    await startContainer(names.second, port2);
    await waitHealthy(names.second);
    const resumed = await client.FisherdClient.connect(`ws://127.0.0.1:${port2}`, { token, reconnect: false });
    const again = await resumed.resumeSession(info.sessionId);
    expect(again.resumedStep).toBe(20);
    await trainLogistic(resumed, problem, { steps: 2, batchSize: 16, seed: 99, theta }); // θ as the first container left it
    expect(resumed.lastStep).toBe(22);
    expect(await (await fetch(`http://127.0.0.1:${port2}/metrics`)).text()).toMatch(/fisherd_sessions_opened_total\{kind="resumed"\} 1/);
    await resumed.close();
    expect((await stopContainer(names.second)).exitCode).toBe(0);
  }, 300_000);
});
