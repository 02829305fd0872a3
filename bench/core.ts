/**
 * The core benchmark: one estimate update plus one damped solve per step, through `CurvatureEstimator`, for
 *   (a) diagonal, D = 10⁶, b = 128;  (b) low-rank, D = 10⁵, b = 64, rank 256;
 *   (c) full, D = 2048, b = 64;      (d) block-diagonal, 4 full blocks of 1024, b = 64,
 * on every backend that initializes here, against numpy doing the same math in the same run
 * (bench/numpy_core.py under Debian's /usr/bin/python3; it reports the BLAS numpy really loaded), numpy
 * written at its best: preallocated buffers, ssyrk for the Gram, dpotrf in place on a reused float64 buffer.
 *
 * A step is `estimator.update({ perExampleGrads })` (the mean ḡ and the empirical Fisher's EMA, β = 0.95)
 * then `empiricalFisher.solve(meanGrad, λ = 1e-3)` (ḡ and the solution in reused `out` buffers). The rows are the same b×D float32 matrix every step, on
 * both sides, from an integer hash (so numpy and TypeScript hold bit-identical rows): then the bias-corrected
 * estimate is the same at every step, and the last solve of each side can be compared (`agreement`).
 *
 * FLOP counts (nominal, the same for every implementation; GFLOP/s = flops / time):
 *   diagonal  2bD (ḡ) + 2bD (Σ g²) + 3D (solve)
 *   full      2bD + 2bD² (the Gram counted in full, as bench/linalg-kernels.ts does) + D³/3 (Cholesky) + 2D² (solves)
 *   blocks    2bD + Σ_k (2b d_k² + d_k³/3 + 2d_k²)
 *   low-rank  2bD + 2b·m·D (new Gram terms) + 2r·m·D (rotation Q_rᵀU) + 4rD (Woodbury), m = r + b; the m×m
 *             float64 eigh and Cholesky are not counted
 *
 * Timing: warm-up steps (1, or enough to fill the low-rank factor so that every timed step truncates),
 * then up to `reps` rounds in which numpy and every backend run one timed step each in turn (numpy_core.py
 * answers step requests line by line), stopping early once `budgetSeconds` have passed; the medians (with
 * p10–p90) of the wall
 * time and of the process CPU time (user + system, all threads: `process.cpuUsage` here,
 * `time.process_time` in numpy_core.py) are reported. On a shared machine the wall time swings with the
 * load while the CPU time does not, so compare CPU times when the machine is busy.
 * A backend is skipped for a case when its measured gemm rate predicts more than `budgetSeconds` for the
 * warm-up plus one step; the table says so.
 *
 * Run: `npm run build && node dist/bench/core.js [--cases=a,b] [--impls=openblas,numpy] [--reps=5]
 * [--budget=30] [--shrink=1]` (or the environment BENCH_CASES, BENCH_IMPLS, BENCH_REPS, BENCH_BUDGET,
 * BENCH_SHRINK), or `runCoreBench()` (bench/run.ts does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CurvatureEstimator, type Structure } from '../src/curvature/index.js';
import { allBackends, createBackend, GpuJsBackend, type Backend } from '../src/linalg/index.js';
import { createLogger } from '../src/log.js';

export interface CoreCase {
  /** e.g. "(a) diagonal D=1e6 b=128". */
  name: string;
  kind: 'diagonal' | 'lowrank' | 'full' | 'blocks';
  dim: number;
  batch: number;
  rank?: number;
  blocks?: number[];
  /** Untimed steps first (the low-rank factor must fill up before steps truncate). */
  warmupSteps: number;
  /** Nominal FLOPs of one step (see the module comment). */
  flops: number;
}

export interface CoreBenchRow {
  case: string;
  /** "numpy" or the backend (with its mode, e.g. "gpujs webasm"). */
  impl: string;
  /** Median ms per step (wall clock); undefined when skipped. */
  ms?: number;
  /** p10 and p90 of the wall-clock ms per step (nearest rank). */
  p10?: number;
  p90?: number;
  /** Median process CPU ms per step (user + system, all threads); undefined when skipped. */
  cpuMs?: number;
  reps: number;
  gflops?: number;
  /** numpy's ms / this ms: > 1 means faster than numpy (undefined without numpy). */
  speedVsNumpy?: number;
  /** max |x − x_numpy| / max |x_numpy| over sampled entries of the last solve. */
  agreement?: number;
  note?: string;
}

export interface CoreBenchResult {
  rows: CoreBenchRow[];
  /** What numpy ran on ("OpenBLAS 0.3.21 … 2 threads"), or why there is no numpy baseline. */
  numpy: { available: boolean; version?: string; python?: string; blas?: string; reason?: string };
}

export interface CoreBenchOptions {
  /** Divide every dimension by this (a smoke run uses 16). Default 1. */
  shrink?: number;
  /** Timed rounds per case (one step of every implementation each), at most. Default 9. */
  reps?: number;
  /** Time budget per case and implementation, seconds. Default 30. */
  budgetSeconds?: number;
  /** EMA decay β. Default 0.95. */
  decay?: number;
  /** Damping λ. Default 1e-3. */
  damping?: number;
  /** Python that runs numpy. Default /usr/bin/python3 (Debian's, which sees python3-numpy). */
  python?: string;
  /** Cases to run, by letter ('a'–'d'). Default all. */
  cases?: readonly string[];
  /** Implementations to run: 'numpy' and backend names ('openblas', 'reference', 'gpujs'). Default all. */
  impls?: readonly string[];
}

/** The letter of a case ('a' for "(a) diagonal …"). */
function caseLetter(c: CoreCase): string {
  return c.name.slice(1, 2);
}

/** The four cases of the issue, optionally shrunk. */
export function coreCases(shrink = 1): CoreCase[] {
  const s = (n: number): number => Math.max(8, Math.round(n / shrink));
  const diagD = s(1e6);
  const lowD = s(1e5);
  const rank = Math.max(4, Math.round(256 / Math.sqrt(shrink)));
  const fullD = s(2048);
  const block = s(1024);
  const m = rank + 64;
  return [
    { name: `(a) diagonal D=${diagD} b=128`, kind: 'diagonal', dim: diagD, batch: 128, warmupSteps: 1, flops: 4 * 128 * diagD + 3 * diagD },
    {
      name: `(b) low-rank D=${lowD} b=64 r=${rank}`, kind: 'lowrank', dim: lowD, batch: 64, rank,
      warmupSteps: Math.ceil(rank / 64) + 1,
      flops: 2 * 64 * lowD + 2 * 64 * m * lowD + 2 * rank * m * lowD + 4 * rank * lowD,
    },
    { name: `(c) full D=${fullD} b=64`, kind: 'full', dim: fullD, batch: 64, warmupSteps: 1, flops: 2 * 64 * fullD + 2 * 64 * fullD ** 2 + fullD ** 3 / 3 + 2 * fullD ** 2 },
    {
      name: `(d) blocks 4×${block} b=64`, kind: 'blocks', dim: 4 * block, batch: 64, blocks: [block, block, block, block], warmupSteps: 1,
      flops: 2 * 64 * 4 * block + 4 * (2 * 64 * block ** 2 + block ** 3 / 3 + 2 * block ** 2),
    },
  ];
}

function structureOf(c: CoreCase): Structure {
  switch (c.kind) {
    case 'diagonal':
      return { kind: 'diagonal' };
    case 'full':
      return { kind: 'full' };
    case 'lowrank':
      return { kind: 'lowrank', rank: c.rank! };
    case 'blocks':
      return { kind: 'blocks', blocks: c.blocks!.map((size, i) => ({ name: `block${i}`, size, structure: { kind: 'full' } })) };
  }
}

/**
 * Row k of the flattened b×D matrix: an integer hash of k mapped to [−0.5, 0.5), rounded to float32.
 * numpy_core.py computes the same with uint32 arithmetic, so both sides hold bit-identical rows.
 */
export function hashedRows(batch: number, dim: number): Float32Array {
  const out = new Float32Array(batch * dim);
  for (let k = 0; k < out.length; k++) {
    let h = Math.imul(k, 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    out[k] = h / 2 ** 32 - 0.5;
  }
  return out;
}

/** Indices of the solution compared with numpy: the first 16 and 48 spread over the vector. */
export function sampleIndices(dim: number): number[] {
  const indices = new Set<number>();
  for (let i = 0; i < Math.min(16, dim); i++) indices.add(i);
  for (let j = 0; j < 48; j++) indices.add(Math.floor((j * (dim - 1)) / 47));
  return [...indices].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** bench/NAME (numpy_core.py, numpy_kfac.py) from where this file runs (bench/ or dist/bench/). */
function findScript(name = 'numpy_core.py'): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const candidate = join(dir, 'bench', name);
    if (existsSync(candidate)) return candidate;
    const sibling = join(dir, name);
    if (existsSync(sibling)) return sibling;
    dir = dirname(dir);
  }
  return undefined;
}

interface NumpyInfo {
  numpy?: string;
  python?: string;
  blas?: { summary?: string };
}

/**
 * bench/numpy_core.py as a child process answering one JSON request per line, so that numpy's steps run
 * round by round with fisherd's (see numpy_core.py `main`).
 */
export class NumpyProcess {
  private readonly child: ChildProcess;
  private buffered = '';
  private readonly waiting: ((line: string) => void)[] = [];
  private exited: string | undefined;

  private constructor(python: string, script: string) {
    this.child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'], cwd: dirname(script) });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buffered += d.toString();
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.waiting.shift()?.(line);
      }
    });
    this.child.once('exit', (code) => {
      this.exited = `numpy_core.py exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`;
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ error: this.exited }));
    });
  }

  static start(opts: { impls: readonly string[]; python: string }, name = 'numpy_core.py'): { process?: NumpyProcess; reason?: string } {
    if (!opts.impls.includes('numpy')) return { reason: 'not run (impls filter)' };
    const script = findScript(name);
    if (script === undefined) return { reason: `bench/${name} not found` };
    if (!existsSync(opts.python)) return { reason: `${opts.python} not found (numpy baseline needs Debian's python3-numpy)` };
    return { process: new NumpyProcess(opts.python, script) };
  }

  request<T>(message: Record<string, unknown>): Promise<T & { error?: string }> {
    if (this.exited !== undefined) return Promise.resolve({ error: this.exited } as T & { error?: string });
    return new Promise((resolve) => {
      this.waiting.push((line) => resolve(JSON.parse(line) as T & { error?: string }));
      this.child.stdin!.write(`${JSON.stringify(message)}\n`);
    });
  }

  close(): void {
    this.child.stdin!.end(`${JSON.stringify({ op: 'exit' })}\n`);
  }
}

/**
 * GFLOP/s of a gemm on `backend`, to predict whether a case fits the time budget: the best of 5 calls after
 * a warm-up, since on a shared machine one slow call would otherwise skip a fast backend.
 */
function gemmRate(backend: Backend): number {
  const [m, n, k] = [128, 128, 4096];
  const A = hashedRows(m, k);
  const C = backend.zeros(m * n);
  backend.gemm(false, true, m, n, k, 1, A, A, 0, C);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    backend.gemm(false, true, m, n, k, 1, A, A, 0, C);
    best = Math.min(best, performance.now() - t0);
  }
  return (2 * m * n * k) / (best * 1e6);
}

function label(backend: Backend): string {
  return backend instanceof GpuJsBackend ? `gpujs ${backend.mode}` : backend.name;
}

/** One case on one backend: the estimator, its reused buffers, and a `step` that returns its wall and CPU ms. */
function backendRunner(c: CoreCase, backend: Backend, rows: Float32Array, opts: Required<CoreBenchOptions>) {
  const estimator = new CurvatureEstimator(
    { dim: c.dim, structure: structureOf(c), decay: opts.decay, track: { empiricalFisher: true, fisher: false, noise: false } },
    backend,
  );
  const batch = { batchSize: c.batch, perExampleGrads: [{ rows, count: c.batch, dim: c.dim, scale: 1 }] };
  // ḡ and the solution go into buffers reused across steps, as a caller that steps repeatedly does (the
  // API's `out` arguments), and as the numpy baseline does with its preallocated arrays.
  const meanGrad = new Float64Array(c.dim);
  const x = new Float64Array(c.dim);
  const step = (): void => {
    estimator.update(batch);
    estimator.empiricalFisher!.solve(estimator.meanGrad(meanGrad), opts.damping, x);
  };
  for (let i = 0; i < c.warmupSteps; i++) step();
  return {
    step(): { ms: number; cpuMs: number } {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      step();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
    },
    sample: (): number[] => sampleIndices(c.dim).map((i) => x[i]!),
  };
}

/** The median and the p10 / p90 (nearest rank) of `values`. */
export function spread(values: readonly number[]): { median: number; p10: number; p90: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: median(values), p10: at(0.1), p90: at(0.9) };
}

function agreement(x: number[], reference: number[]): number {
  let diff = 0;
  let scale = 0;
  x.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(v - reference[i]!));
    scale = Math.max(scale, Math.abs(reference[i]!));
  });
  return diff / scale;
}

/** The backends named in `impls` that initialize here (all of them: `allBackends`, as the spec suite). */
async function requestedBackends(impls: readonly string[]): Promise<Backend[]> {
  const logger = createLogger({ level: 'warn' });
  const names = (['reference', 'openblas', 'gpujs'] as const).filter((n) => impls.includes(n));
  if (names.length === 3) return allBackends(logger);
  const backends: Backend[] = [];
  for (const name of names) {
    try {
      backends.push(await createBackend(name));
    } catch (e) {
      logger.info({ backend: name, reason: e instanceof Error ? e.message : String(e) }, 'linalg backend unavailable');
    }
  }
  return backends;
}

/**
 * Case by case: numpy and every backend set up (warm-up steps untimed), then `reps` rounds in which each
 * implementation runs one timed step in turn, so that a drift of the shared machine's speed weighs on all
 * of them alike (stopping early once `budgetSeconds` have passed, after at least 3 rounds).
 */
export async function runCoreBench(options: CoreBenchOptions = {}): Promise<CoreBenchResult> {
  const opts: Required<CoreBenchOptions> = {
    shrink: options.shrink ?? 1,
    reps: options.reps ?? 9,
    budgetSeconds: options.budgetSeconds ?? 30,
    decay: options.decay ?? 0.95,
    damping: options.damping ?? 1e-3,
    python: options.python ?? '/usr/bin/python3',
    cases: options.cases ?? ['a', 'b', 'c', 'd'],
    impls: options.impls ?? ['numpy', 'reference', 'openblas', 'gpujs'],
  };
  const cases = coreCases(opts.shrink).filter((c) => opts.cases.includes(caseLetter(c)));
  const started = NumpyProcess.start(opts);
  const numpy = started.process;
  let numpyReason = started.reason;
  let info: NumpyInfo | undefined;
  if (numpy !== undefined) {
    const reply = await numpy.request<NumpyInfo>({ op: 'info' });
    if (reply.error !== undefined) numpyReason = reply.error;
    else info = reply;
  }
  const rows: CoreBenchRow[] = [];
  const backends = await requestedBackends(opts.impls);
  const rates = new Map(backends.map((b) => [b, gemmRate(b)]));

  try {
    for (const c of cases) {
      const data = hashedRows(c.batch, c.dim);
      let numpyReady = false;
      if (numpy !== undefined && info !== undefined) {
        const reply = await numpy.request<{ ok?: boolean }>({ op: 'case', case: { ...c, sampleIndices: sampleIndices(c.dim) }, decay: opts.decay, damping: opts.damping });
        if (reply.error !== undefined) numpyReason = reply.error;
        else numpyReady = true;
      }
      type Side = { impl: string; step: () => Promise<{ ms: number; cpuMs: number }>; ms: number[]; cpu: number[]; sample?: () => number[] | Promise<number[]> };
      const sides: Side[] = [];
      if (numpyReady) {
        sides.push({
          impl: 'numpy', ms: [], cpu: [],
          step: async () => {
            const r = await numpy!.request<{ ms: number; cpuMs: number }>({ op: 'step' });
            if (r.error !== undefined) throw new Error(r.error);
            return r;
          },
          sample: async () => (await numpy!.request<{ sample: number[] }>({ op: 'sample' })).sample,
        });
      }
      const skipped: CoreBenchRow[] = [];
      for (const backend of backends) {
        const predicted = ((c.warmupSteps + 1) * c.flops) / (rates.get(backend)! * 1e9);
        if (predicted > opts.budgetSeconds) {
          skipped.push({
            case: c.name, impl: label(backend), reps: 0,
            note: `skipped: ~${predicted.toFixed(0)} s predicted for warm-up + 1 step at its ${rates.get(backend)!.toFixed(2)} GFLOP/s gemm (> ${opts.budgetSeconds} s)`,
          });
          continue;
        }
        const runner = backendRunner(c, backend, data, opts);
        sides.push({ impl: label(backend), ms: [], cpu: [], step: async () => runner.step(), sample: runner.sample });
      }
      const t0 = performance.now();
      for (let round = 0; round < opts.reps; round++) {
        if (round >= 3 && performance.now() - t0 > opts.budgetSeconds * 1000) break;
        for (const side of sides) {
          const r = await side.step();
          side.ms.push(r.ms);
          side.cpu.push(r.cpuMs);
        }
      }
      const np = numpyReady ? sides[0]! : undefined;
      const npMs = np ? median(np.ms) : undefined;
      const npSample = np ? await np.sample!() : undefined;
      if (!numpyReady) rows.push({ case: c.name, impl: 'numpy', reps: 0, note: numpyReason ?? 'no result' });
      for (const side of sides) {
        const s = spread(side.ms);
        const isNumpy = side === np;
        const agrees = !isNumpy && npSample ? agreement(await side.sample!(), npSample) : undefined;
        rows.push({
          case: c.name, impl: side.impl, ms: s.median, p10: s.p10, p90: s.p90, cpuMs: median(side.cpu), reps: side.ms.length,
          gflops: c.flops / (s.median * 1e6),
          ...(npMs === undefined ? {} : { speedVsNumpy: npMs / s.median }),
          ...(agrees === undefined ? {} : { agreement: agrees }),
          // float32 rounding explains up to ~1e-2 here (see RESULTS.md); beyond 0.1 the solve is simply wrong.
          ...(agrees !== undefined && agrees > 0.1 ? { note: 'WRONG: the solve disagrees with numpy (a backend bug)' } : {}),
        });
      }
      rows.push(...skipped);
    }
  } finally {
    numpy?.close();
    for (const backend of backends) backend.dispose();
  }
  return {
    rows,
    numpy: info !== undefined
      ? {
        available: true,
        ...(info.numpy ? { version: info.numpy } : {}),
        ...(info.python ? { python: info.python } : {}),
        ...(info.blas?.summary ? { blas: info.blas.summary } : {}),
      }
      : { available: false, reason: numpyReason ?? 'unknown' },
  };
}

/** `--name=value` from the command line, else the environment variable `BENCH_<NAME>`. */
function setting(name: string): string | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3) ?? process.env[`BENCH_${name.toUpperCase()}`];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const number = (name: string): number | undefined => (setting(name) === undefined ? undefined : Number(setting(name)));
  const list = (name: string): string[] | undefined => setting(name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const result = await runCoreBench({
    shrink: number('shrink') ?? 1,
    ...(number('reps') === undefined ? {} : { reps: number('reps') }),
    ...(number('budget') === undefined ? {} : { budgetSeconds: number('budget') }),
    ...(list('cases') === undefined ? {} : { cases: list('cases') }),
    ...(list('impls') === undefined ? {} : { impls: list('impls') }),
  });
  console.log(result.numpy);
  console.table(result.rows.map(({ case: name, impl, ms, p10, p90, cpuMs, reps, speedVsNumpy, agreement, note }) => ({
    case: name, impl, ms: ms?.toFixed(1), 'p10–p90': p10 === undefined ? '' : `${p10.toFixed(1)}–${p90!.toFixed(1)}`, cpuMs: cpuMs?.toFixed(1), reps,
    'x numpy': speedVsNumpy?.toFixed(2), agreement: agreement?.toExponential(1), ...(note ? { note } : {}),
  })));
}
