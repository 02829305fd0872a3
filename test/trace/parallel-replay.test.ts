/**
 * The replay with worker threads (SummaryPool: threads read, check and summarize contribution frames; the
 * main thread folds) gives exactly what the in-thread replay gives: the same rows, update digests,
 * reproduction verdicts, skipped and missing steps, damage and failures. The worker script exists only
 * compiled, so these tests run the build in test-artifacts (the e2e harness builds it once per change).
 * `minThreadedRecordBytes: 64` sends every contribution frame of these small traces to the threads, and
 * `waitForThreads` makes the replay wait for them to start (by default it summarizes the first records
 * itself meanwhile, which a separate test covers).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/linalg/select.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { contributionToWire, updateToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { openTrace } from '../../src/trace/reader.js';
import { replayTrace as replayHere, type ReplayOptions, type ReplayResult, type ReplayStepRow } from '../../src/trace/replay.js';
import { listSegments } from '../../src/trace/segment-files.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { buildDaemon, ROOT } from '../e2e/daemon-harness.js';
import { withTempDir } from './fixtures.js';

type Replay = typeof replayHere;
let replayThreaded: Replay;

beforeAll(async () => {
  await buildDaemon();
  ({ replayTrace: replayThreaded } = await import(join(ROOT, 'test-artifacts', 'e2e-dist', 'src', 'trace', 'replay.js')) as { replayTrace: Replay });
}, 180_000);

const D = 40;
const B = 6;
const config: SessionConfig = {
  dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, emaDecay: 0.9, backend: 'openblas',
};

function rows(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n * D }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 32 - 0.5;
  });
}

function contribution(step: number, seed = step): StepContribution {
  return { step, workerId: 0, batchSize: B, reduction: 'sum', loss: 1 / step, perExampleGrads: rows(B, seed), sampledLabelGrads: { samplesPerExample: 1, rows: rows(B, seed + 1000) } };
}

/**
 * Records as the daemon does (contribution, then the update of a Session on openblas). `plan` lists the
 * steps in trace order (a step listed again is logged twice, as after a resume; the duplicate carries the
 * same contribution); `poison` puts a NaN into that step's rows.
 */
async function record(dir: string, plan: number[], options: { poison?: number; maxSegmentBytes?: number; raw?: { step: number; bytes: Uint8Array } } = {}): Promise<void> {
  const session = new Session(config, await createBackend('openblas'));
  const writer = await TraceWriter.open(dir, {
    sessionId: 'parallel', backend: 'openblas', sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish(),
  }, { sync: 'on-close' }, options.maxSegmentBytes === undefined ? {} : { maxSegmentBytes: options.maxSegmentBytes });
  for (const step of plan) {
    const c = contribution(step);
    if (step === options.poison) c.perExampleGrads![17] = Number.NaN;
    if (step === options.raw?.step) {
      await writer.appendContribution(options.raw.bytes); // what no daemon records: for the damage tests
      continue;
    }
    await writer.appendContribution(fisherd.v1.StepContribution.encode(contributionToWire(c)).finish());
    if (step !== session.nextStep) continue; // a duplicate: the daemon recomputed it (same update)
    try {
      const result = session.step([c]);
      await writer.appendUpdate(fisherd.v1.Update.encode(updateToWire({
        sessionId: 'parallel', step, delta: result.update, diagnostics: { batchSize: B, updateNorm: 0, computeSeconds: 0, values: {} },
      })).finish());
    } catch {
      // the daemon answers with an error frame and records no update
    }
  }
  await writer.close();
}

async function both(trace: string, options: Omit<ReplayOptions, 'threads'>): Promise<{ here: Outcome; threaded: Outcome }> {
  const here = await outcome(replayHere, trace, { ...options, threads: 0 });
  const threaded = await outcome(replayThreaded, trace, { ...options, threads: 2, minThreadedRecordBytes: 64, waitForThreads: true });
  return { here, threaded };
}

interface Outcome { rows: ReplayStepRow[]; result?: ReplayResult; error?: { code: string; message: string } }

async function outcome(replay: Replay, trace: string, options: ReplayOptions): Promise<Outcome> {
  const rows: ReplayStepRow[] = [];
  try {
    const result = await replay([trace], options, (r) => { rows.push(...r); });
    return { rows, result };
  } catch (e) {
    const error = e as { code: string; message: string };
    return { rows, error: { code: error.code, message: error.message } };
  }
}

function same(a: Outcome, b: Outcome): void {
  expect(b.error).toEqual(a.error);
  expect(b.rows).toEqual(a.rows);
  if (a.result === undefined) return;
  const { threads: _a, threadedRecords: _c, ...restA } = a.result;
  const { threads: _b, threadedRecords: _d, ...restB } = b.result!;
  expect(restB).toEqual(restA);
}

describe('replay with worker threads', () => {
  it('gives the in-thread rows, digests and bit-for-bit reproduction, deterministically, for every rule', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, [1, 2, 3, 4, 5, 6, 7, 8]);
    const { here, threaded } = await both(trace, { optimizers: ['sgd', 'ngd', 'efgd', 'snr', 'va'], backend: 'openblas' });
    expect(threaded.result!.threads).toBe(2);
    expect(threaded.result!.threadedRecords).toBe(7); // all but the first, which configures the replay
    expect(here.result!.threads).toBe(0);
    expect(here.result!.threadedRecords).toBe(0);
    expect(here.result!.reproduction).toMatchObject({ recorded: 8, compared: 8, identical: 8, reproduced: true });
    expect(threaded.result!.reproduction).toMatchObject({ recorded: 8, compared: 8, identical: 8, reproduced: true });
    same(here, threaded);
    same(threaded, await outcome(replayThreaded, trace, { optimizers: ['sgd', 'ngd', 'efgd', 'snr', 'va'], backend: 'openblas', threads: 1, minThreadedRecordBytes: 64, waitForThreads: true }));
  }));

  it('without waiting for the threads to start: the first records summarized here, the rest in the threads, the same results', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, Array.from({ length: 20 }, (_, i) => i + 1));
    const optimizers: ReplayOptions['optimizers'] = ['ngd', 'snr'];
    const here = await outcome(replayHere, trace, { optimizers, backend: 'openblas', threads: 0 });
    // Steps 1–3 are replayed before the thread can have started; after step 3 the replay pauses (its
    // progress callback is awaited) long enough for the thread to start and take the rest.
    const rows: ReplayStepRow[] = [];
    const result = await replayThreaded([trace], { optimizers, backend: 'openblas', threads: 1, minThreadedRecordBytes: 64 }, async (r) => {
      rows.push(...r);
      if (r[0]!.step === 3) await new Promise((resolve) => setTimeout(resolve, 3000));
    });
    same(here, { rows, result });
    expect(result.reproduction).toMatchObject({ recorded: 20, identical: 20, reproduced: true });
    expect(result.threadedRecords).toBeGreaterThan(0);
    expect(result.threadedRecords).toBeLessThan(19);
  }), 60_000);

  it('skips steps logged twice and goes on after missing ones, as in one thread', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, [1, 2, 3, 4, 3, 4, 5, 7, 8]);
    const { here, threaded } = await both(trace, { optimizers: ['ngd', 'va'], backend: 'openblas' });
    expect(here.result).toMatchObject({ skippedContributions: 2, missingSteps: 1 });
    same(here, threaded);
  }));

  it('stops every rule at a step whose rows hold a NaN, naming the field, as in one thread', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, [1, 2, 3, 4, 5], { poison: 3 });
    const { here, threaded } = await both(trace, { optimizers: ['ngd', 'snr'], backend: 'openblas' });
    expect(here.result!.optimizers[0]!.failure).toMatchObject({ step: 3, code: 'NON_FINITE' });
    expect(here.result!.optimizers[0]!.failure!.message).toMatch(/perExampleGrads/);
    same(here, threaded);
  }));

  it('stops every rule at a contribution of the wrong length, and reports one that does not decode as corruption, as in one thread', () => withTempDir(async (dir) => {
    const invalid = join(dir, 'invalid');
    const wire = contributionToWire(contribution(3));
    wire.perExampleGrads = new Uint8Array(B * D * 4 + 2); // not whole float32 values
    await record(invalid, [1, 2, 3, 4, 5], { raw: { step: 3, bytes: fisherd.v1.StepContribution.encode(wire).finish() } });
    const shape = await both(invalid, { optimizers: ['ngd', 'va'], backend: 'openblas' });
    expect(shape.here.result!.optimizers[0]!.failure).toMatchObject({ step: 3, code: 'SHAPE_MISMATCH' });
    same(shape.here, shape.threaded);

    const garbage = join(dir, 'garbage');
    await record(garbage, [1, 2, 3, 4, 5], { raw: { step: 3, bytes: new Uint8Array(200).fill(0xff) } });
    const strict = await both(garbage, { optimizers: ['ngd'], backend: 'openblas' });
    expect(strict.here.error).toMatchObject({ code: 'TRACE_CORRUPT' });
    expect(strict.here.error!.message).toMatch(/does not decode .*record at byte \d+/);
    same(strict.here, strict.threaded);
    const lenient = await both(garbage, { optimizers: ['ngd'], backend: 'openblas', continueAfterCorruption: true });
    expect(lenient.here.result!.damage.map((d) => d.kind)).toEqual(['corrupt']);
    expect(lenient.here.result!.steps).toBe(2);
    same(lenient.here, lenient.threaded);
  }));

  it('reports a corrupt contribution frame with its offset, or skips the rest of its segment when asked, as in one thread', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { maxSegmentBytes: 3000 });
    const segments = await listSegments(trace);
    expect(segments.length).toBeGreaterThan(2);
    // Flip a payload byte of the first segment's contribution frame (an update record follows it).
    const reader = await openTrace([segments[0]!.path]);
    const frames: { offset: number; frameLength: number }[] = [];
    for await (const e of reader) if (e.kind === 'contribution') frames.push(e);
    const target = frames[0]!;
    const bytes = await readFile(segments[0]!.path);
    bytes[target.offset + Math.floor(target.frameLength / 2)]! ^= 0x10;
    await writeFile(segments[0]!.path, bytes);

    const strict = await both(trace, { optimizers: ['ngd'], backend: 'openblas' });
    expect(strict.here.error).toMatchObject({ code: 'TRACE_CORRUPT' });
    expect(strict.here.error!.message).toContain(`byte ${target.offset}`);
    same(strict.here, strict.threaded);

    const lenient = await both(trace, { optimizers: ['ngd'], backend: 'openblas', continueAfterCorruption: true });
    expect(lenient.here.result!.damage.map((d) => d.kind)).toContain('corrupt');
    expect(lenient.here.result!.steps).toBeGreaterThan(0);
    same(lenient.here, lenient.threaded);
  }));

  it('treats a last contribution frame that fails its CRC as a torn tail, as in one thread', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, [1, 2, 3, 4]);
    const [segment] = await listSegments(trace);
    // Cut the end record and the last update, leaving the last contribution frame whole, then damage it.
    const reader = await openTrace([segment!.path]);
    let last = { offset: 0, frameLength: 0 };
    for await (const e of reader) if (e.kind === 'contribution') last = e;
    const bytes = (await readFile(segment!.path)).subarray(0, last.offset + last.frameLength);
    bytes[last.offset + 40]! ^= 0x01;
    await writeFile(segment!.path, bytes);
    const { here, threaded } = await both(trace, { optimizers: ['ngd'], backend: 'openblas' });
    expect(here.result!.damage.map((d) => d.kind)).toContain('torn-tail');
    expect(here.result!.steps).toBe(3);
    same(here, threaded);
  }));

  it('falls back to one thread for a data-parallel trace (W = 2) and for structures that are not diagonal', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, [1, 2, 3]);
    const lowrank = await replayThreaded([trace], { optimizers: ['ngd'], backend: 'openblas', structure: { kind: 'lowrank', rank: 2 }, threads: 2, minThreadedRecordBytes: 64, waitForThreads: true });
    expect(lowrank.threads).toBe(0);
    expect(lowrank.threadedRecords).toBe(0);
    expect(lowrank.steps).toBe(3);
  }));
});
