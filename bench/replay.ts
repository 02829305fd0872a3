/**
 * Trace replay throughput and recording overhead.
 *
 * Replay: a trace of `steps` steps (D parameters, b per-example gradients and b sampled-label gradients per
 * step, float32) is written to a temporary directory, then, in the same run, (1) read sequentially in 1 MiB
 * chunks with no parsing at all (the baseline: what the disk and the OS give), (2) read through the trace
 * layer (read, CRC32C, envelope and protobuf decode) without compute, and (3) replayed with `replayTrace`
 * for the diagonal structure (with the default worker threads, and with none) and the low-rank structure.
 * Rows give steps/s, MB/s and the ratio of MB/s to the bare read's under the same cache condition (target
 * ≥ 0.5 for diagonal). The bare read and the two diagonal replays run in three interleaved rounds (medians),
 * so that a drift in this shared host's speed weighs on both sides of the ratio; the worker threads start
 * while the main thread replays the first steps (the row says how many steps the threads summarized).
 *
 * Each case runs twice. `warm`: from the page cache (the files were just written and read), so the bare
 * read is memcpy speed and any compute at all puts a replay far below it. `cold`: the page cache is
 * dropped (`sync`, then `1` written to /proc/sys/vm/drop_caches, which needs root) before every timed
 * read, so each one reads from the disk, as a replay of an archived trace does. Node exposes no
 * posix_fadvise(DONTNEED), so where drop_caches is not writable the cold rows are replaced by one row
 * saying why. (Dropping the cache is machine-wide: it slows whatever else runs for a moment.)
 * `CRC32C` rows give each checksum implementation's throughput over an in-memory buffer (the trace layer
 * checksums every payload byte; fisherd uses the fastest, see src/crc32c.ts).
 *
 * Recording: the daemon's step as it runs with a trace (append the contribution, compute the step with
 * a Session, append the update, awaiting each append as the daemon does) for each durability policy,
 * against the same steps without recording. `overheadMsPerStep` is the difference of the medians.
 * (Measured in process: the WebSocket round trip itself is the same with and without recording.)
 *
 * Run: `npm run build && node dist/bench/replay.js`, or call `runReplayBench()` (bench/run.ts does).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableCrc32cImplementations, selectedCrc32c } from '../src/crc32c.js';
import type { BackendName } from '../src/linalg/backend.js';
import { selectBackend } from '../src/linalg/select.js';
import { sessionConfigToWire } from '../src/protocol/config-codec.js';
import { fisherd } from '../src/protocol/generated/fisherd.js';
import { contributionToWire, updateToWire } from '../src/protocol/step-codec.js';
import type { SessionConfig } from '../src/session/config.js';
import type { StepContribution } from '../src/session/contribution.js';
import { Session } from '../src/session/session.js';
import { openTrace } from '../src/trace/reader.js';
import { replayTrace, type ReplayOptions, type ReplayResult } from '../src/trace/replay.js';
import { listSegments } from '../src/trace/segment-files.js';
import { TraceWriter, type DurabilityPolicy } from '../src/trace/writer.js';

export interface ReplayBenchRow {
  /** e.g. "bare read (warm: page cache)", "replay diagonal ngd (cold: …)", "record every-record". */
  case: string;
  steps: number;
  /** Trace bytes read (replay) or written (record), in MB (10⁶ bytes). */
  megabytes: number;
  seconds: number;
  stepsPerSecond: number;
  mbPerSecond: number;
  /** Replay rows: MB/s of the replay / MB/s of the bare read of the same files in the same run, under the
   *  same cache condition (warm or cold). */
  ratioToBareRead?: number;
  /** Record rows: median ms per step with recording minus without (the `no recording` row). */
  overheadMsPerStep?: number;
}

export interface ReplayBenchOptions {
  /** D, parameters. Default 50 000. */
  dim?: number;
  /** b, examples per step (and sampled labels, K = 1). Default 32. */
  batchSize?: number;
  /** Steps in the replay trace. Default 200 (≈ 2.6 GB at the defaults). */
  steps?: number;
  /** Steps timed per durability policy. Default 40. */
  recordSteps?: number;
  /** Rank of the low-rank structure. Default 8. */
  rank?: number;
  /** Optimizer replayed (the recorded one). Default 'ngd'. */
  optimizer?: 'sgd' | 'ngd' | 'efgd' | 'snr' | 'va';
}

/** Deterministic float32 values in [−0.5, 0.5). */
function fill(values: Float32Array, seed: number): Float32Array {
  let state = seed >>> 0;
  for (let i = 0; i < values.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 32 - 0.5;
  }
  return values;
}

function contributionOf(step: number, dim: number, b: number, pool: Float32Array[]): StepContribution {
  return {
    step, workerId: 0, batchSize: b, reduction: 'sum', loss: 1,
    perExampleGrads: pool[step % pool.length]!, sampledLabelGrads: { samplesPerExample: 1, rows: pool[(step + 1) % pool.length]! },
  };
}

/** Reads the files sequentially in `chunk`-byte reads into one reused buffer; returns the bytes read. */
async function bareRead(paths: string[], chunk = 1 << 20): Promise<number> {
  const buffer = new Uint8Array(chunk);
  let total = 0;
  for (const path of paths) {
    const handle = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        total += bytesRead;
      }
    } finally {
      await handle.close();
    }
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const WARM = 'warm: page cache';
const COLD = 'cold: page cache dropped before each read';

/**
 * Drops the page cache (all of it: Node has no per-file posix_fadvise(DONTNEED)) after writing dirty pages
 * back. Returns why it could not, or undefined when it did.
 */
async function dropPageCache(): Promise<string | undefined> {
  try {
    execFileSync('sync');
    await writeFile('/proc/sys/vm/drop_caches', '1');
    return undefined;
  } catch (e) {
    return `/proc/sys/vm/drop_caches is not writable here (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; it needs root)`;
  }
}

/** Each CRC-32C implementation over a 64 MiB in-memory buffer: best of 5 passes. */
function crcThroughput(): { name: string; megabytes: number; seconds: number }[] {
  const buffer = fill(new Float32Array(16 << 20), 5);
  const bytes = new Uint8Array(buffer.buffer);
  return availableCrc32cImplementations().map((impl) => {
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      impl.update(bytes, 0);
      best = Math.min(best, (performance.now() - started) / 1000);
    }
    return { name: impl.name, megabytes: bytes.length / 1e6, seconds: best };
  });
}

/**
 * The bare read (median of 3), the trace layer without compute, and the replays (diagonal: median of 3), each timed after
 * `prepare` (nothing when warm, dropping the page cache when cold). Ratios are to this bare read.
 */
async function replayCases(condition: string, prepare: () => Promise<unknown>, paths: string[], traceDir: string, steps: number,
  options: { optimizer: NonNullable<ReplayBenchOptions['optimizer']>; rank: number; backend: BackendName }): Promise<ReplayBenchRow[]> {
  const rows: ReplayBenchRow[] = [];
  const replay = (structure: ReplayOptions['structure'], threads: number | undefined) =>
    replayTrace([traceDir], { optimizers: [options.optimizer], structure, backend: options.backend, ...(threads === undefined ? {} : { threads }) });
  const time = async <T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> => {
    await prepare();
    const started = performance.now();
    const value = await run();
    return { seconds: (performance.now() - started) / 1000, value };
  };
  // The bare read and the diagonal replays in interleaved rounds (bare, threads, no threads; three times),
  // so that a drift of this shared host's speed during the run weighs on the baseline and the replays
  // alike; medians of the three.
  const diagonal = [{ threads: undefined }, { threads: 0 }] as const;
  const bare: number[] = [];
  const replays = diagonal.map(() => [] as { seconds: number; value: ReplayResult }[]);
  let bytes = 0;
  for (let round = 0; round < 3; round++) {
    const read = await time(() => bareRead(paths));
    bytes = read.value;
    bare.push(read.seconds);
    for (const [i, { threads }] of diagonal.entries()) replays[i]!.push(await time(() => replay({ kind: 'diagonal' }, threads)));
  }
  const bareSeconds = median(bare);
  const bareMbps = bytes / 1e6 / bareSeconds;
  rows.push({ case: `bare read (${condition})`, steps, megabytes: bytes / 1e6, seconds: bareSeconds, stepsPerSecond: steps / bareSeconds, mbPerSecond: bareMbps });
  // For context, not the baseline: the same read in 16 MiB reads (a record's size), whose buffer does not stay in cache.
  {
    const { seconds } = await time(() => bareRead(paths, 16 << 20));
    rows.push({ case: `bare read in 16 MiB reads, for context (${condition})`, steps, megabytes: bytes / 1e6, seconds,
      stepsPerSecond: steps / seconds, mbPerSecond: bytes / 1e6 / seconds, ratioToBareRead: bytes / 1e6 / seconds / bareMbps });
  }
  // The trace layer alone (read, CRC, envelope and protobuf decode): what replay costs before any compute.
  {
    const { seconds, value: decoded } = await time(async () => {
      const reader = await openTrace([traceDir]);
      let count = 0;
      for await (const entry of reader) {
        if (entry.kind === 'contribution') {
          fisherd.v1.StepContribution.decode(entry.body);
          count++;
        }
      }
      return count;
    });
    const mbps = bytes / 1e6 / seconds;
    rows.push({ case: `read + CRC + decode, no compute (${condition})`, steps: decoded, megabytes: bytes / 1e6, seconds,
      stepsPerSecond: decoded / seconds, mbPerSecond: mbps, ratioToBareRead: mbps / bareMbps });
  }
  const replayRow = (structure: string, runs: { seconds: number; value: ReplayResult }[]): ReplayBenchRow => {
    const seconds = median(runs.map((r) => r.seconds));
    const result = runs[runs.length - 1]!.value;
    const mbps = result.bytesRead / 1e6 / seconds;
    const where = result.threads > 0
      ? `${result.threads} worker thread${result.threads > 1 ? 's' : ''}, ${result.threadedRecords} of ${result.steps} steps there`
      : 'main thread only';
    return {
      case: `replay ${structure} ${options.optimizer} (${options.backend}, ${where}; ${condition})`,
      steps: result.steps, megabytes: result.bytesRead / 1e6, seconds, stepsPerSecond: result.steps / seconds, mbPerSecond: mbps,
      ratioToBareRead: mbps / bareMbps,
    };
  };
  replays.forEach((runs) => rows.push(replayRow('diagonal', runs)));
  // The low-rank replay (slower, all in this thread) once.
  rows.push(replayRow(`lowrank:${options.rank}`, [await time(() => replay({ kind: 'lowrank', rank: options.rank }, undefined))]));
  return rows;
}

export async function runReplayBench(options: ReplayBenchOptions = {}): Promise<ReplayBenchRow[]> {
  const dim = options.dim ?? 50_000;
  const b = options.batchSize ?? 32;
  const steps = options.steps ?? 200;
  const recordSteps = options.recordSteps ?? 40;
  const rank = options.rank ?? 8;
  const optimizer = options.optimizer ?? 'ngd';
  const dir = await mkdtemp(join(tmpdir(), 'fisherd-bench-replay-'));
  const rows: ReplayBenchRow[] = [];
  const backend = await selectBackend('auto');
  const config: SessionConfig = {
    dim, structure: { kind: 'diagonal' }, optimizer: { name: optimizer, stepSize: 0.1, damping: 1e-3 }, emaDecay: 0.9, backend: backend.name,
  };
  const pool = Array.from({ length: 4 }, (_, i) => fill(new Float32Array(b * dim), 17 + i));
  const header = { sessionId: 'bench', backend: backend.name, sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish() };
  try {
    // ---- the trace -------------------------------------------------------------------------------------
    const traceDir = join(dir, 'trace');
    const writer = await TraceWriter.open(traceDir, header, { sync: 'on-close' });
    for (let s = 1; s <= steps; s++) {
      await writer.appendContribution(fisherd.v1.StepContribution.encode(contributionToWire(contributionOf(s, dim, b, pool))).finish());
    }
    await writer.close();
    execFileSync('sync'); // no writeback of the new trace during the warm rows
    const paths = (await listSegments(traceDir)).map((s) => s.path);

    // ---- bare read vs replay, same files, same run: warm (page cache), then cold (cache dropped) --------
    for (const checksum of crcThroughput()) {
      const used = checksum.name === selectedCrc32c().name ? ', used' : '';
      rows.push({ case: `CRC32C (${checksum.name}${used}, in memory)`, steps: 0, megabytes: checksum.megabytes, seconds: checksum.seconds,
        stepsPerSecond: NaN, mbPerSecond: checksum.megabytes / checksum.seconds });
    }
    await bareRead(paths); // warm the cache
    rows.push(...await replayCases(WARM, async () => undefined, paths, traceDir, steps, { optimizer, rank, backend: backend.name }));
    const cannotDrop = await dropPageCache();
    if (cannotDrop === undefined) {
      rows.push(...await replayCases(COLD, dropPageCache, paths, traceDir, steps, { optimizer, rank, backend: backend.name }));
    } else {
      rows.push({ case: `cold rows skipped: ${cannotDrop}`, steps: 0, megabytes: NaN, seconds: NaN, stepsPerSecond: NaN, mbPerSecond: NaN });
    }

    // ---- recording overhead per durability policy ----------------------------------------------------------
    const policies: [string, DurabilityPolicy | undefined][] = [
      ['no recording', undefined],
      ['record every-record', { sync: 'every-record' }],
      ['record periodic 10 records', { sync: 'periodic', everyRecords: 10 }],
      ['record periodic 100 ms', { sync: 'periodic', everyMs: 100 }],
      ['record on-close', { sync: 'on-close' }],
    ];
    let baseline: number | undefined;
    for (const [name, policy] of policies) {
      const session = new Session(config, backend);
      const recorder = policy ? await TraceWriter.open(join(dir, name.replace(/\W+/g, '-')), header, policy) : undefined;
      const perStep: number[] = [];
      for (let s = 1; s <= recordSteps; s++) {
        const contribution = contributionOf(s, dim, b, pool);
        const wire = fisherd.v1.StepContribution.encode(contributionToWire(contribution)).finish(); // as received
        const started = performance.now();
        await recorder?.appendContribution(wire);
        const result = session.step([contribution]);
        const update = fisherd.v1.Update.encode(updateToWire({
          sessionId: 'bench', step: s, delta: result.update, diagnostics: { batchSize: b, updateNorm: 0, computeSeconds: 0, values: {} },
        })).finish();
        await recorder?.appendUpdate(update);
        perStep.push(performance.now() - started);
      }
      const written = recorder?.stats.bytes ?? 0;
      await recorder?.close();
      const ms = median(perStep);
      baseline ??= ms;
      rows.push({
        case: name, steps: recordSteps, megabytes: written / 1e6, seconds: (ms * recordSteps) / 1000,
        stepsPerSecond: 1000 / ms, mbPerSecond: written / 1e6 / ((ms * recordSteps) / 1000),
        ...(policy ? { overheadMsPerStep: ms - baseline } : {}),
      });
    }
  } finally {
    backend.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runReplayBench();
  console.table(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(4)) : v]))));
}
