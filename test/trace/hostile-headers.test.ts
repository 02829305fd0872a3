/**
 * Issue 12, "Trace tools trust nothing": crafted trace headers (test/trace/crafted-headers.ts) through
 * every trace command, in process (the library functions) and as the built CLI in a child process.
 * Every command must report a header the daemon would refuse as TRACE_CORRUPT naming the file and the
 * byte offset, on one line, exit non-zero, never print a stack trace, and stay within a few seconds and
 * a few hundred MiB (the child's peak RSS, VmHWM, read at its exit).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportJsonLines } from '../../src/cli/trace.js';
import { isFisherdError } from '../../src/errors.js';
import { log } from '../../src/log.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { encodeFrame, encodeFrameHeader } from '../../src/trace/framing.js';
import { openTrace } from '../../src/trace/reader.js';
import { encodeRecord } from '../../src/trace/record-codec.js';
import { replayTrace } from '../../src/trace/replay.js';
import { summarizeTrace } from '../../src/trace/summary.js';
import { buildDaemon, ROOT } from '../e2e/daemon-harness.js';
import { craftedCases, encodeValidConfig, nestedWarmupConfig, refusedByDaemon, writeCrafted } from './crafted-headers.js';
import { withTempDir } from './fixtures.js';
import { recordTrace } from './session-fixtures.js';

const silent = log.child({}, { level: 'silent' });
/** What one command may take, start included (2 shared cores: generous), and its peak RSS. */
const MAX_MS = 8_000;
const MAX_RSS_BYTES = 300 * 2 ** 20;
/** A child over this is killed at once (a regression must not take the machine's memory). */
const KILL_RSS_BYTES = 1024 * 2 ** 20;
const linux = process.platform === 'linux';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssBytes: number;
}

let main = '';
let peakScript = '';

beforeAll(async () => {
  main = await buildDaemon();
  // Loaded into each child before the CLI: writes the process's peak RSS (VmHWM) where it is told, at exit.
  peakScript = join(ROOT, 'test-artifacts', 'peak-rss-at-exit.mjs');
  await writeFile(peakScript, `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  const file = process.env.FISHERD_TEST_PEAK_FILE;
  const m = /VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  if (file && m) writeFileSync(file, String(Number(m[1]) * 1024));
});
`);
}, 180_000);

/** `node <built main.js> ...args`, with its time and peak RSS; killed past 30 s or KILL_RSS_BYTES. */
async function cli(args: string[], peakFile: string): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', pathToFileURL(peakScript).href, main, ...args], {
    cwd: ROOT, env: { ...process.env, VITEST: '', FISHERD_TEST_PEAK_FILE: peakFile }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let polledPeak = 0;
  const poll = setInterval(() => {
    void readFile(`/proc/${child.pid}/status`, 'utf8').then((status) => {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) polledPeak = Math.max(polledPeak, Number(hwm[1]) * 1024);
      if (polledPeak > KILL_RSS_BYTES) child.kill('SIGKILL');
    }, () => undefined);
  }, 20);
  const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearInterval(poll);
  clearTimeout(kill);
  const atExit = Number(await readFile(peakFile, 'utf8').catch(() => '0'));
  return { code, stdout, stderr, ms: performance.now() - started, peakRssBytes: Math.max(atExit, polledPeak) };
}

/** stderr without pino's JSON log lines: what a person reads. */
const humanLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'));
const STACK = /^\s+at .+[:(]/m;

/** Runs every trace command on `trace` as a child process. */
async function allCommands(trace: string, dir: string): Promise<Record<'inspect' | 'verify' | 'export' | 'replay', CliRun>> {
  const [inspect, verify, exported, replay] = await Promise.all([
    cli(['trace', 'inspect', trace], join(dir, 'peak-inspect')),
    cli(['trace', 'verify', trace], join(dir, 'peak-verify')),
    cli(['trace', 'export', '--json', trace], join(dir, 'peak-export')),
    cli(['replay', trace, '--optimizer', 'sgd', '--out', join(dir, 'out'), '--no-progress', '--threads', '0'], join(dir, 'peak-replay')),
  ]);
  return { inspect, verify, export: exported, replay };
}

function expectBounded(name: string, command: string, run: CliRun): void {
  console.log(`${name} | ${command}: exit ${run.code}, ${run.ms.toFixed(0)} ms, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(1)} MiB`);
  expect(run.stderr, `${command}: a stack trace`).not.toMatch(STACK);
  expect(run.stdout, `${command}: a stack trace`).not.toMatch(STACK);
  expect(run.ms, `${command}: time`).toBeLessThan(MAX_MS);
  expect(run.peakRssBytes, `${command}: peak RSS`).toBeGreaterThan(0);
  expect(run.peakRssBytes, `${command}: peak RSS`).toBeLessThan(MAX_RSS_BYTES);
  // Whatever it says on stderr for people fits on one line.
  expect(humanLines(run.stderr).length, `${command}: stderr ${run.stderr}`).toBeLessThanOrEqual(1);
}

/** In process: every library entry point, each with its time. */
async function inProcess(trace: string, path: string, out: string): Promise<void> {
  const started = performance.now();
  // The reader itself.
  let readError: unknown;
  try {
    for await (const entry of await openTrace([trace], { logger: silent })) void entry;
  } catch (e) {
    readError = e;
  }
  expect(isFisherdError(readError, 'TRACE_CORRUPT'), String(readError)).toBe(true);
  expect((readError as Error).message).toContain(path);
  expect((readError as Error).message).toMatch(/byte 0\b/);

  // inspect / verify.
  const summary = await summarizeTrace([trace], { logger: silent });
  expect(summary.intact).toBe(false);
  expect(summary.damage).toContainEqual(expect.objectContaining({ kind: 'corrupt', path, offset: 0 }));

  // export.
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d: Buffer) => (text += d.toString()));
  const exported = await exportJsonLines([trace], sink, { withData: false, skipCorrupt: false });
  expect(exported.intact).toBe(false);
  expect(exported.error?.code).toBe('TRACE_CORRUPT');
  expect(text.trim().split('\n').map((l) => JSON.parse(l).record)).toEqual(['damage', 'error']);

  // replay, with and without --skip-corrupt (then the segment is skipped: nothing is left to replay).
  await expect(replayTrace([trace], { optimizers: ['sgd'], threads: 0, logger: silent })).rejects.toMatchObject({ code: 'TRACE_CORRUPT' });
  await expect(replayTrace([trace], { optimizers: ['sgd'], threads: 0, logger: silent, continueAfterCorruption: true }))
    .rejects.toMatchObject({ code: 'MISSING_INPUT' });
  void out;
  expect(performance.now() - started).toBeLessThan(MAX_MS);
}

describe.runIf(linux)('crafted trace headers through every trace command', () => {
  it('the crafted warm-up nesting is what it claims (3 deep decodes to 3 warm-ups)', () => {
    let s: fisherd.v1.ISchedule | null | undefined = fisherd.v1.SessionConfig.decode(nestedWarmupConfig(3)).optimizer?.stepSize;
    for (let k = 0; k < 3; k++) s = s?.warmup?.then;
    expect(s?.constant).toBe(0.1);
  });

  for (const crafted of craftedCases()) {
    it(`${crafted.name}: TRACE_CORRUPT with file and offset everywhere (or, within the limits, taken as the daemon would), bounded, one line, no stack`, () => withTempDir(async (dir) => {
      const trace = join(dir, 'trace');
      const path = await writeCrafted(trace, crafted);
      const runs = await allCommands(trace, dir);
      for (const [command, run] of Object.entries(runs)) expectBounded(crafted.name, command, run);

      if (!refusedByDaemon(crafted)) {
        // Within the limits of OpenSession (20 000 blocks ≤ --max-blocks): the daemon would open such a
        // session, so the trace tools take it too, and replay stays bounded (checked above).
        expect(runs.verify.code).toBe(0);
        console.log(`${crafted.name} | replay said: ${humanLines(runs.replay.stderr)[0] ?? runs.replay.stdout.split('\n')[0]}`);
        return;
      }
      await inProcess(trace, path, join(dir, 'out-in-process'));
      for (const run of Object.values(runs)) expect(run.code).toBe(1);
      // inspect and verify list it, with its code, file and offset; export and replay say it on stderr.
      expect(runs.verify.stdout).toMatch(/^damaged:/);
      for (const run of [runs.inspect, runs.verify]) {
        expect(run.stdout).toMatch(/corrupt \(TRACE_CORRUPT\)/);
        expect(run.stdout).toContain(path);
      }
      expect(runs.inspect.stdout).toMatch(/corrupt \(TRACE_CORRUPT\) at byte 0 of /);
      for (const [command, run] of [['trace export', runs.export], ['replay', runs.replay]] as const) {
        const [line] = humanLines(run.stderr);
        expect(line).toMatch(new RegExp(`^${command}: TRACE_CORRUPT: `));
        expect(line).toContain(path);
        expect(line).toMatch(/byte 0\b/);
      }
    }), 60_000);
  }

  it('replay refuses a trace whose sessions exceed --max-memory before creating them; verify calls it intact', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 2);
    await expect(replayTrace([trace], { optimizers: ['sgd', 'ngd'], threads: 0, maxMemoryBytes: 1_000, logger: silent }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'maxMemory', message: expect.stringMatching(/needs about \d+ bytes, over the replay's memory budget of 1000 bytes/) });
    const ok = await replayTrace([trace], { optimizers: ['sgd', 'ngd'], threads: 0, maxMemoryBytes: 10_000_000, logger: silent });
    expect(ok.steps).toBe(2);

    const out = join(dir, 'out');
    const [replay, verify] = await Promise.all([
      cli(['replay', trace, '--optimizer', 'sgd', '--out', out, '--no-progress', '--max-memory', '1000'], join(dir, 'peak-replay')),
      cli(['trace', 'verify', trace], join(dir, 'peak-verify')),
    ]);
    expectBounded('budget', 'replay --max-memory 1000', replay);
    expect(replay.code).toBe(1);
    expect(humanLines(replay.stderr)[0]).toMatch(/^replay: INVALID_CONFIG: .*memory budget of 1000 bytes: raise --max-memory$/);
    expect(verify.code).toBe(0);
  }), 60_000);

  it('errors outside the trace (no such file) are one line too, exit 1', () => withTempDir(async (dir) => {
    const missing = join(dir, 'nothing-here');
    const runs = await allCommands(missing, dir);
    for (const [command, run] of Object.entries(runs)) {
      expectBounded('missing file', command, run);
      expect(run.code).toBe(1);
      expect(humanLines(run.stderr)[0]).toMatch(/: ENOENT: /);
    }
  }), 60_000);
});

describe('lengths and records that disagree with the file', () => {
  /** A closed segment of `valid`'s header and the frames given, written whole. */
  async function segment(dir: string, frames: Uint8Array[]): Promise<string> {
    const path = await writeCrafted(dir, { name: 'valid', sessionConfig: encodeValidConfig() });
    const bytes = await readFile(path);
    const headerFrame = bytes.subarray(0, 12 + Number(bytes.readBigUInt64LE(0)) + 4);
    await writeFile(path, Buffer.concat([headerFrame, ...frames]));
    return path;
  }

  it('a record claiming 512 MiB in a file of a few hundred bytes: a torn tail, and the read buffer does not grow for it', () => withTempDir(async (dir) => {
    const liar = new Uint8Array(100);
    liar.set(encodeFrameHeader(512 * 2 ** 20), 0);
    const path = await segment(join(dir, 't'), [liar]);
    const reader = await openTrace([path], { logger: silent, chunkBytes: 4096 });
    for await (const entry of reader) void entry;
    expect(reader.damage.map((d) => d.kind)).toEqual(['torn-tail']);
    expect(reader.damage[0]!.message).toMatch(/torn record at byte \d+ of .*: 100 of 536870928 bytes present/);
    expect(reader.bufferBytes).toBe(4096);
  }));

  it('an end record whose count disagrees with the frames before it is corruption (whole frames cut out)', () => withTempDir(async (dir) => {
    const path = await segment(join(dir, 't'), [encodeFrame(encodeRecord({ kind: 'end', end: { records: 5, continued: false, recovered: false }, recordedAtMs: 1 }))]);
    await expect((async () => { for await (const e of await openTrace([path], { logger: silent })) void e; })())
      .rejects.toMatchObject({ code: 'TRACE_CORRUPT', message: expect.stringMatching(/end record at byte \d+ of .* counts 5 records before it, but the segment holds 1/) });
    const summary = await summarizeTrace([path], { logger: silent });
    expect(summary.intact).toBe(false);
  }));

  it('a recorded update that does not decode is corruption for verify, export and replay alike', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 3);
    const [segmentPath] = (await summarizeTrace([trace], { logger: silent })).segments.map((s) => s.path);
    // Rewrite the segment with the second update's body replaced by bytes that are no protobuf message.
    const entries: Uint8Array[] = [];
    let updates = 0;
    let badOffset = -1;
    let at = 0;
    for await (const e of await openTrace([trace], { logger: silent })) {
      const record = e.kind === 'update' && ++updates === 2 ? { kind: 'update' as const, body: Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), recordedAtMs: 1 }
        : e.kind === 'header' ? { kind: 'header' as const, header: e.header, recordedAtMs: e.recordedAtMs }
          : e.kind === 'end' ? { kind: 'end' as const, end: e.end, recordedAtMs: e.recordedAtMs }
            : { kind: e.kind, body: e.body.slice(), recordedAtMs: e.recordedAtMs };
      if (e.kind === 'update' && updates === 2) badOffset = at;
      const f = encodeFrame(encodeRecord(record));
      entries.push(f);
      at += f.length;
    }
    await writeFile(segmentPath!, Buffer.concat(entries));

    const summary = await summarizeTrace([trace], { logger: silent });
    expect(summary.damage).toEqual([expect.objectContaining({ kind: 'corrupt', offset: badOffset })]);
    const sink = new PassThrough();
    sink.resume();
    expect((await exportJsonLines([trace], sink, { withData: false, skipCorrupt: false })).error).toMatchObject({ code: 'TRACE_CORRUPT', message: expect.stringContaining(`byte ${badOffset} of`) });
    await expect(replayTrace([trace], { optimizers: ['ngd'], threads: 0, logger: silent }))
      .rejects.toMatchObject({ code: 'TRACE_CORRUPT', message: expect.stringContaining(`record at byte ${badOffset} of`) });
    const skipping = await replayTrace([trace], { optimizers: ['ngd'], threads: 0, logger: silent, continueAfterCorruption: true });
    expect(skipping.damage.map((d) => d.offset)).toEqual([badOffset]);
  }));
});

