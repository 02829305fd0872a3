/**
 * Per-kernel speed of every backend that initializes here, against the `reference` backend in the same run.
 *
 * Shapes (the sizes fisherd meets): syrk D=2048 from b=64 rows (a full empirical Fisher update); gemm for
 * the Gram U·Uᵀ of 320 rows of length 10⁵ (low-rank structure); gemv D=2048 (a dense mat-vec); syrkDiag
 * D=10⁶ from b=128 rows (a diagonal estimate of a 1M-parameter model); Cholesky D=2048.
 *
 * FLOP counts: dense products count 2·m·n·k (syrk as the full Gram 2·b·D², as in host-measurements §1.3,
 * so syrk's symmetric saving shows as a higher rate); syrkDiag 2·b·D; Cholesky D³/3.
 *
 * Timing: one warm-up call (GPU.js compiles kernels lazily, ~70 ms per shape), then calls until at least
 * `minReps` calls and `minSeconds` have passed; the median is reported. A first call slower than
 * `slowCallSeconds` is itself the measurement (compilation is then noise), which keeps the float64
 * reference's multi-second kernels to one call.
 *
 * Run: `npm run build && node dist/bench/linalg-kernels.js` (prints the rows as a table), or call
 * `runLinalgBench()` (bench/run.ts does).
 */
import { pathToFileURL } from 'node:url';
import { allBackends, GpuJsBackend, type Backend, type Vec } from '../src/linalg/index.js';

export interface BenchRow {
  /** Kernel and shape, e.g. "syrk D=2048 b=64". */
  op: string;
  /** Backend name with its mode where it has one, e.g. "openblas", "gpujs webasm". */
  backend: string;
  /** Median wall-clock milliseconds per call. */
  ms: number;
  gflops: number;
  /** ms of the reference backend / ms of this backend (> 1: faster than the reference). */
  ratioToRef: number;
}

export interface LinalgBenchOptions {
  /** Divide every large dimension by this factor (a quick smoke run uses 8). Default 1. */
  shrink?: number;
  /** Fewest timed calls per kernel. Default 3. */
  minReps?: number;
  /** Least total timed seconds per kernel. Default 0.5. */
  minSeconds?: number;
  /** A first call at least this slow is the measurement. Default 1. */
  slowCallSeconds?: number;
}

interface KernelCase {
  op: string;
  flops: number;
  /** Builds the inputs for one backend and returns the call to time. */
  prepare(backend: Backend): () => void;
}

/** Deterministic float32 values in [−1, 1) (a linear congruential sequence, cheap for 10⁸ entries). */
function fill(v: Vec, seed: number): Vec {
  let state = seed >>> 0;
  for (let i = 0; i < v.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    v[i] = state / 2 ** 31 - 1;
  }
  return v;
}

function cases(shrink: number): KernelCase[] {
  const D = Math.max(64, Math.round(2048 / shrink));
  const gramRows = 320;
  const gramLength = Math.round(1e5 / shrink);
  const diagD = Math.round(1e6 / shrink);
  return [
    {
      op: `syrk D=${D} b=64`,
      flops: 2 * 64 * D * D,
      prepare: (b) => {
        const U = fill(new Float32Array(64 * D), 1);
        const C = b.zeros(D * D);
        return () => b.syrk(C, D, U, 64, 1, 0);
      },
    },
    {
      op: `gemm Gram ${gramRows}x${gramLength}`,
      flops: 2 * gramRows * gramRows * gramLength,
      prepare: (b) => {
        const U = fill(new Float32Array(gramRows * gramLength), 2);
        const G = b.zeros(gramRows * gramRows);
        return () => b.gemm(false, true, gramRows, gramRows, gramLength, 1, U, U, 0, G);
      },
    },
    {
      op: `gemv D=${D}`,
      flops: 2 * D * D,
      prepare: (b) => {
        const A = fill(new Float32Array(D * D), 3);
        const x = fill(b.zeros(D), 4);
        const y = b.zeros(D);
        return () => b.gemv(false, D, D, 1, A, x, 0, y);
      },
    },
    {
      op: `syrkDiag D=${diagD} b=128`,
      flops: 2 * 128 * diagD,
      prepare: (b) => {
        const U = fill(new Float32Array(128 * diagD), 5);
        const d = b.zeros(diagD);
        return () => b.syrkDiag(d, U, 128, diagD, 1, 0);
      },
    },
    {
      op: `cholesky D=${D}`,
      flops: D ** 3 / 3,
      prepare: (b) => {
        // UᵀU/rows + I: symmetric positive definite.
        const rows = D + 16;
        const U = fill(new Float32Array(rows * D), 6);
        const A = b.zeros(D * D);
        b.syrk(A, D, U, rows, 1 / rows, 0);
        return () => void b.cholesky(A, D, 1);
      },
    },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeCall(call: () => void, options: Required<LinalgBenchOptions>): number {
  const t0 = performance.now();
  call();
  const first = performance.now() - t0;
  if (first >= options.slowCallSeconds * 1000) return first;
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < options.minReps || performance.now() - start < options.minSeconds * 1000) {
    const t = performance.now();
    call();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

function backendLabel(b: Backend): string {
  return b instanceof GpuJsBackend ? `gpujs ${b.mode}` : b.name;
}

/** Times every kernel on every backend that initializes here; rows are grouped by op, reference first. */
export async function runLinalgBench(options: LinalgBenchOptions = {}): Promise<BenchRow[]> {
  const opts: Required<LinalgBenchOptions> = {
    shrink: options.shrink ?? 1,
    minReps: options.minReps ?? 3,
    minSeconds: options.minSeconds ?? 0.5,
    slowCallSeconds: options.slowCallSeconds ?? 1,
  };
  const backends = await allBackends();
  const rows: BenchRow[] = [];
  for (const kernel of cases(opts.shrink)) {
    let referenceMs = NaN;
    for (const backend of backends) {
      const ms = timeCall(kernel.prepare(backend), opts);
      if (backend.name === 'reference') referenceMs = ms;
      rows.push({ op: kernel.op, backend: backendLabel(backend), ms, gflops: kernel.flops / (ms * 1e6), ratioToRef: referenceMs / ms });
    }
  }
  for (const backend of backends) backend.dispose();
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const shrinkArg = process.argv.find((a) => a.startsWith('--shrink='));
  const rows = await runLinalgBench({ shrink: shrinkArg ? Number(shrinkArg.slice('--shrink='.length)) : 1 });
  console.table(rows.map((r) => ({ ...r, ms: +r.ms.toFixed(2), gflops: +r.gflops.toFixed(2), ratioToRef: +r.ratioToRef.toFixed(1) })));
}
