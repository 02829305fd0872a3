/**
 * The daemon's own cost of a diagonal step from a statistics contribution, per coordinate, split by phase.
 *
 * One step, as the daemon runs it for one worker (src/server/connection.ts → session-host → session):
 *   decode    the ClientMessage frame (protobufjs) and `contributionFromWire` (the statistics' float32 or
 *             float16 bytes to float64 vectors)
 *   check     `validateContribution` on arrival (shapes, finiteness, second moments ≥ 0)
 *   step      `Session.step`: merge the statistics, fold them into the estimates, the rule, the float32 update
 *   encode    `updateToWire` + `encodeUpdateInPlace` (the Update frame built around Δθ, which the step wrote with
 *             room in front for the header: src/protocol/update-frame.ts, as the daemon's connection encodes
 *             large updates, src/server/connection.ts); the frame is then released and the update array
 *             recycled, as the daemon does once ws has written the frame out
 * and, untimed in the step, the baseline of the encode: `encodeServerMessageInto` (the general path, which copies
 * Δθ into a buffer reused from step to step, as the connection encodes other large replies), on the same update.
 * at D = 10⁶ (default), b = 32, for diagonal NGD with sampled labels (K = 1), EFGD and SNR, on the
 * session's default backend, with the native kernels (src/linalg/native-kernels.ts) and with the JavaScript ones
 * (where the library is built; else JavaScript only). Reported: median ns per coordinate of each phase and of the
 * whole step, with the p10–p90 spread, over `steps` timed steps (the cases run round by round: one step of each
 * in turn), the copying encode's median (`encodeCopy`), and `× JavaScript`, the JavaScript kernels' median over
 * the native one's for the same case.
 * Target (issue 13): ≤ 5 ns per coordinate for the whole step.
 *
 * Run: `npm run build && node dist/bench/statistics-step.js [--dim=1000000] [--steps=40] [--encoding=float32]`,
 * or `runStatisticsStepBench()` (bench/run.ts does).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { availableKernels, kernelsInUse, useKernels, type KernelsName } from '../src/linalg/native-kernels.js';
import { selectBackend } from '../src/linalg/select.js';
import { decodeClientMessage, encodeClientMessage, encodeServerMessageInto, type ServerMessageInit } from '../src/protocol/frames.js';
import { contributionFromWire, contributionToWire, releaseContribution, updateToWire } from '../src/protocol/step-codec.js';
import type { StatisticsEncoding } from '../src/protocol/statistics-codec.js';
import { encodeUpdateInPlace } from '../src/protocol/update-frame.js';
import { validateContribution } from '../src/session/contribution.js';
import type { SessionConfig } from '../src/session/config.js';
import { Session } from '../src/session/session.js';
import type { DiagonalMoments } from '../src/session/statistics.js';

export const PHASES = ['decode', 'check', 'step', 'encode'] as const;
export type Phase = (typeof PHASES)[number];

export interface StatisticsStepRow {
  /** e.g. "ngd (sampled labels, K=1)". */
  case: string;
  encoding: StatisticsEncoding;
  /** The kernels the passes, scans and decoders ran in. */
  kernels: KernelsName;
  dim: number;
  batchSize: number;
  steps: number;
  requestBytes: number;
  /** Median ns per coordinate of the whole step (decode to encoded update). */
  nsPerCoordinate: number;
  /** p10 and p90 of the same. */
  p10: number;
  p90: number;
  /** Median process CPU ns per coordinate of the whole step (all threads: GC included), steadier than wall time here. */
  cpuNsPerCoordinate: number;
  /** Median ns per coordinate of each phase. */
  phases: Record<Phase, number>;
  /** How the encode phase encoded the Update: built around Δθ ('in place', the daemon's path) or with Δθ copied. */
  encodePath: 'in place' | 'copy';
  /** Median ns per coordinate of the copying encode (`encodeServerMessageInto`) of the same updates: the encode's baseline. */
  encodeCopy: number;
}

export interface StatisticsStepOptions {
  /** D. Default 1 000 000. */
  dim?: number;
  /** b. Default 32. */
  batchSize?: number;
  /** Timed steps per case. Default 40. */
  steps?: number;
  /** Untimed steps first. Default 5. */
  warmup?: number;
  /** Payload encodings to run. Default ['float32', 'float16']. */
  encodings?: readonly StatisticsEncoding[];
}

function quantileOf(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Deterministic statistics of b rows (values like gradients of ~1e-2 spread, not a real batch). */
function moments(dim: number, b: number, kinds: readonly ('sumSquares' | 'centredSquares' | 'sampledLabelSquares')[]): DiagonalMoments {
  const sum = new Float32Array(dim);
  const squares = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const g = Math.sin(i * 0.37) * 1e-2;
    sum[i] = b * g;
    squares[i] = b * (g * g + 1e-4 * (1 + Math.cos(i * 0.11)));
  }
  return {
    count: b,
    sum,
    ...(kinds.includes('sumSquares') ? { sumSquares: squares } : {}),
    ...(kinds.includes('centredSquares') ? { centredSquares: squares.map((q, i) => Math.max(0, q - sum[i]! * sum[i]! / b)) } : {}),
    ...(kinds.includes('sampledLabelSquares') ? { sampledLabelSquares: squares, samplesPerExample: 1 } : {}),
  };
}

export const STATISTICS_CASES: { name: string; config: (dim: number) => SessionConfig; kinds: ('sumSquares' | 'centredSquares' | 'sampledLabelSquares')[] }[] = [
  {
    name: 'ngd (sampled labels, K=1)',
    config: (dim) => ({ dim, structure: { kind: 'diagonal' }, emaDecay: 0.95, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } }),
    kinds: ['sampledLabelSquares'],
  },
  {
    name: 'efgd',
    config: (dim) => ({ dim, structure: { kind: 'diagonal' }, emaDecay: 0.95, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } }),
    kinds: ['sumSquares'],
  },
  {
    name: 'snr',
    config: (dim) => ({ dim, structure: { kind: 'diagonal' }, emaDecay: 0.95, optimizer: { name: 'snr', stepSize: 0.1 } }),
    kinds: ['centredSquares'],
  },
];

/**
 * The memory floor of the step's pass, measured in the same rounds: the bytes the pass reads and writes, moved by
 * the C library's memmove (`TypedArray.set`) — ḡ's EMA (float64), the float32 estimate, the two float32
 * statistics each copied once (20 bytes read and 20 written per coordinate, where the pass reads 20 and writes
 * 16): what one thread needs to move those bytes here, whatever the arithmetic.
 */
export interface MemoryFloorRow {
  nsPerCoordinate: number;
  p10: number;
  p90: number;
}

class MemoryFloor {
  private readonly s: Float32Array;
  private readonly q: Float32Array;
  private readonly g: Float64Array;
  private readonly gn: Float64Array;
  private readonly d: Float32Array;
  private readonly dn: Float32Array;
  private readonly u: Float32Array;
  private readonly q2: Float32Array;
  readonly samples: number[] = [];

  constructor(private readonly dim: number) {
    [this.s, this.q, this.d, this.dn, this.u, this.q2] = Array.from({ length: 6 }, (_, i) => new Float32Array(dim).fill(i));
    [this.g, this.gn] = [new Float64Array(dim).fill(3), new Float64Array(dim)];
  }

  /** One round of copies, timed; returns a value read from the copies so that nothing is optimized away. */
  run(record: boolean): number {
    const t0 = performance.now();
    this.gn.set(this.g);
    this.dn.set(this.d);
    this.u.set(this.s);
    this.q2.set(this.q);
    const t1 = performance.now();
    if (record) this.samples.push(((t1 - t0) * 1e6) / this.dim);
    return this.gn[this.dim - 1]! + this.dn[0]! + this.u[0]! + this.q2[0]!;
  }
}

export async function runStatisticsStepBench(options: StatisticsStepOptions = {}): Promise<{ rows: StatisticsStepRow[]; floor: MemoryFloorRow }> {
  const dim = options.dim ?? 1_000_000;
  const b = options.batchSize ?? 32;
  const steps = options.steps ?? 40;
  const warmup = options.warmup ?? 5;
  const encodings = options.encodings ?? ['float32', 'float16'];
  const backend = await selectBackend('auto');
  const initialKernels = kernelsInUse();
  interface Runner { name: string; encoding: StatisticsEncoding; kernels: KernelsName; session: Session; frames: (step: number) => Uint8Array; bytes: number; replyScratch: { buffer?: Buffer }; inPlace: boolean; samples: Record<Phase | 'total' | 'cpu' | 'encodeCopy', number[]> }
  const runners: Runner[] = [];
  for (const c of STATISTICS_CASES) {
    const m = moments(dim, b, c.kinds);
    for (const encoding of encodings) for (const kernels of availableKernels()) {
      const session = new Session(c.config(dim), backend);
      const frames = (step: number): Uint8Array => encodeClientMessage({
        requestId: step,
        step: contributionToWire({ step, workerId: 0, batchSize: b, reduction: 'sum', statistics: [{ block: '', kind: 'diagonal', moments: m }] }, { statisticsEncoding: encoding }),
      });
      runners.push({ name: c.name, encoding, kernels, session, frames, bytes: frames(1).byteLength, replyScratch: {}, inPlace: true, samples: { decode: [], check: [], step: [], encode: [], total: [], cpu: [], encodeCopy: [] } });
    }
  }
  const floor = new MemoryFloor(dim);
  let sink = 0;
  // Pre-encode the frames (the client's work is not the daemon's): one per step, since the step number is in it.
  for (let s = 1; s <= warmup + steps; s++) {
    sink += floor.run(s > warmup);
    for (const r of runners) {
      useKernels(r.kernels);
      const frame = r.frames(s);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const message = decodeClientMessage(frame);
      const contribution = contributionFromWire(message.step!);
      const t1 = performance.now();
      validateContribution(contribution, r.session.contributionRequirements(contribution.step));
      const t2 = performance.now();
      const result = r.session.step([contribution]);
      const t3 = performance.now();
      const reply: ServerMessageInit = {
        requestId: s,
        update: updateToWire({
          sessionId: 's', step: result.step, delta: result.update,
          diagnostics: { batchSize: b, updateNorm: result.diagnostics.updateNorm, computeSeconds: result.diagnostics.computeMs / 1000, values: {} },
        }),
      };
      const inPlace = encodeUpdateInPlace(reply);
      const out = inPlace?.frame ?? encodeServerMessageInto(reply, r.replyScratch);
      const t4 = performance.now();
      const cpu = process.cpuUsage(cpu0);
      if (out.byteLength < 4 * dim) throw new Error('short update frame');
      inPlace?.release(); // as ws's send callback does once the frame is written out
      r.inPlace &&= inPlace !== undefined;
      // The baseline: the general path's encode of the same update, Δθ copied into a reused buffer.
      const t5 = performance.now();
      const copied = encodeServerMessageInto(reply, r.replyScratch);
      const t6 = performance.now();
      if (copied.byteLength !== out.byteLength) throw new Error('the copying encode has another length');
      releaseContribution(contribution);
      r.session.recycleUpdate(result.update); // as the daemon does once the Update is sent (SessionEngine.recycle)
      if (s > warmup) {
        const ns = (ms: number): number => (ms * 1e6) / dim;
        r.samples.decode.push(ns(t1 - t0));
        r.samples.check.push(ns(t2 - t1));
        r.samples.step.push(ns(t3 - t2));
        r.samples.encode.push(ns(t4 - t3));
        r.samples.total.push(ns(t4 - t0));
        r.samples.cpu.push(ns((cpu.user + cpu.system) / 1000));
        r.samples.encodeCopy.push(ns(t6 - t5));
      }
    }
  }
  backend.dispose();
  useKernels(initialKernels);
  if (!Number.isFinite(sink)) throw new Error('memory floor pass went non-finite');
  const rows = runners.map((r) => ({
    case: r.name, encoding: r.encoding, kernels: r.kernels, dim, batchSize: b, steps, requestBytes: r.bytes,
    nsPerCoordinate: quantileOf(r.samples.total, 0.5), cpuNsPerCoordinate: quantileOf(r.samples.cpu, 0.5), p10: quantileOf(r.samples.total, 0.1), p90: quantileOf(r.samples.total, 0.9),
    phases: Object.fromEntries(PHASES.map((p) => [p, quantileOf(r.samples[p], 0.5)])) as Record<Phase, number>,
    encodePath: r.inPlace ? 'in place' as const : 'copy' as const, encodeCopy: quantileOf(r.samples.encodeCopy, 0.5),
  }));
  return { rows, floor: { nsPerCoordinate: quantileOf(floor.samples, 0.5), p10: quantileOf(floor.samples, 0.1), p90: quantileOf(floor.samples, 0.9) } };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const { rows, floor } = await runStatisticsStepBench({
    dim: Number(flag('dim') ?? 1_000_000), steps: Number(flag('steps') ?? 40),
    ...(flag('encoding') ? { encodings: flag('encoding')!.split(',') as StatisticsEncoding[] } : {}),
  });
  console.table(rows.map((r) => ({
    case: r.case, encoding: r.encoding, kernels: r.kernels, 'ns/coord': r.nsPerCoordinate.toFixed(2), 'cpu ns/coord': r.cpuNsPerCoordinate.toFixed(2), 'p10–p90': `${r.p10.toFixed(2)}–${r.p90.toFixed(2)}`,
    ...Object.fromEntries(PHASES.map((p) => [p, r.phases[p].toFixed(2)])), 'encode path': r.encodePath, 'encode (copy)': r.encodeCopy.toFixed(2),
  })));
  console.log(`memory floor of the pass: ${floor.nsPerCoordinate.toFixed(2)} ns/coord (p10–p90 ${floor.p10.toFixed(2)}–${floor.p90.toFixed(2)})`);
}
