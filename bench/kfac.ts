/**
 * Daemon compute for a K-FAC model against numpy doing the same math, in the same run, phase by phase, at
 * the library level (`KroneckerEstimate`, one per layer block, on the openblas backend):
 *   ema      `updateFactors`: A ← βA + (1−β)·S_A/b, G ← βG + (1−β)·S_G/b for every layer (with its checks:
 *            shapes, finiteness, symmetry of the sums, diagonal ≥ 0; numpy's side checks nothing)
 *   ema arithmetic  the same update through `beginUpdate / accumulateFactors / commitUpdate`, without the
 *            checks: the arithmetic alone, which is what numpy's side does
 *   refresh  `refreshDecompositions`: bias-corrected copies of A and G, eigendecompositions of Ā and Ḡ (LAPACK
 *            dsyevd through OpenBLAS; numpy: numpy.linalg.eigh, the same syevd of the same library), eigenvalues
 *            clamped at 0, for every layer
 *   solve    `solve(v, λ)` with the installed decompositions: V_G[(V_Gᵀ X V_A) ⊘ (λ_G λ_Aᵀ + λ)]V_Aᵀ, four
 *            matrix products in the backend's storage type (float32: sgemm, math.md "Precision") and the
 *            divisor formed per solve (λ is the solve's argument) on both sides
 * The model (default, issue 13): 8 layers of 1024 × 1024 and 4 conv-shaped blocks of 576 × 64 (in × out:
 * 3·3·64 inputs, 64 outputs), each with a bias: 8.55 M parameters. Factor sums XᵀX from b = 32 hashed rows
 * (bench/core.ts `hashedRows`, the same on both sides, so the last solves are compared: `agreement`).
 * numpy runs in a persistent process (bench/numpy_kfac.py); the two sides alternate phase by phase, round by
 * round (ema, refresh, solve on fisherd, then on numpy, ...), and each phase's median and p10–p90 are
 * reported with `× numpy` = numpy median / fisherd median (≥ 1: as fast or faster; the target).
 *
 * Run: `npm run build && node dist/bench/kfac.js [--rounds=5] [--shrink=1] [--phases=ema,ema arithmetic]`, or
 * `runKfacBench()`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { KroneckerEstimate, resolveEstimateOptions } from '../src/curvature/index.js';
import { createBackend, type Backend } from '../src/linalg/index.js';
import { describeKernels } from '../src/linalg/native-kernels.js';
import { hashedRows, median, NumpyProcess, spread } from './core.js';

export interface KfacBenchRow {
  phase: 'ema' | 'ema arithmetic' | 'refresh' | 'solve';
  impl: string;
  /** Median wall ms of the phase over all layers, and its p10 / p90. */
  ms: number;
  p10: number;
  p90: number;
  /** Median process CPU ms (all threads). */
  cpuMs: number;
  reps: number;
  /** numpy median / this median (fisherd rows). */
  speedVsNumpy?: number;
  /** max |x − x_numpy| / max |x_numpy| over sampled entries of the last solves (solve rows). */
  agreement?: number;
  note?: string;
}

export interface KfacBenchResult {
  rows: KfacBenchRow[];
  layers: [number, number][];
  parameters: number;
  batch: number;
  numpy: { available: boolean; version?: string; blas?: string; reason?: string };
  /** fisherd's kernels for the checks, the EMA and the division (`describeKernels`). */
  kernels: string;
}

export interface KfacBenchOptions {
  /** Rounds (one of each phase per side per round). Default 5. */
  rounds?: number;
  /** Divide the layer sizes by this (a smoke run). Default 1. */
  shrink?: number;
  /** Layers as [outputs, inputs] (a bias each). Default 8 × [1024, 1024] and 4 × [64, 576]. */
  layers?: [number, number][];
  batch?: number;
  decay?: number;
  damping?: number;
  python?: string;
  /** Phases to run (default all); refresh and solve need ema first. */
  phases?: KfacBenchRow['phase'][];
}

function sampleOf(dim: number): number[] {
  return Array.from({ length: 8 }, (_, j) => Math.floor((j * (dim - 1)) / 7));
}

export async function runKfacBench(options: KfacBenchOptions = {}): Promise<KfacBenchResult> {
  const shrink = options.shrink ?? 1;
  const s = (n: number): number => Math.max(4, Math.round(n / shrink));
  const layers = options.layers ?? [
    ...Array.from({ length: 8 }, (): [number, number] => [s(1024), s(1024)]),
    ...Array.from({ length: 4 }, (): [number, number] => [s(64), s(576)]),
  ];
  const rounds = options.rounds ?? 5;
  const batch = options.batch ?? 32;
  const decay = options.decay ?? 0.95;
  const damping = options.damping ?? 1e-3;
  const backend: Backend = await createBackend('openblas');
  const estimateOptions = resolveEstimateOptions({});
  const model = layers.map(([outputs, inputs]) => {
    const inputOrder = inputs + 1;
    const estimate = new KroneckerEstimate({ kind: 'kronecker', outputs, inputs, bias: true }, backend, estimateOptions);
    const gram = (n: number): Float64Array => {
      const x = Float64Array.from(hashedRows(batch, n));
      const out = new Float64Array(n * n);
      backend.gemm(true, false, n, n, batch, 1, x, x, 0, out);
      return out;
    };
    const v = Float64Array.from(hashedRows(1, outputs * inputOrder));
    return {
      estimate, v, x: new Float64Array(outputs * inputOrder),
      factors: { inputSum: gram(inputOrder), inputCount: batch, outputGradSum: gram(outputs), outputGradCount: batch },
    };
  });
  const parameters = model.reduce((sum, l) => sum + l.v.length, 0);

  const started = NumpyProcess.start({ impls: ['numpy'], python: options.python ?? '/usr/bin/python3' }, 'numpy_kfac.py');
  const numpy = started.process;
  let reason = started.reason;
  let info: { numpy?: string; blas?: { summary?: string } } | undefined;
  if (numpy !== undefined) {
    const reply = await numpy.request<{ numpy?: string; blas?: { summary?: string } }>({ op: 'info' });
    if (reply.error === undefined) {
      const setup = await numpy.request<{ ok: boolean }>({ op: 'setup', layers, batch, decay, damping, dtype: backend.dtype });
      if (setup.error === undefined) info = reply;
      else reason = setup.error;
    } else reason = reply.error;
  }

  const phases = {
    ema: () => { for (const l of model) l.estimate.updateFactors(l.factors, decay); },
    // the same EMA through the streaming calls, without `validateFactors`' checks (finite, symmetric, diagonal ≥ 0):
    // the arithmetic numpy's side does (on alternate rounds of the same estimates, so both EMAs advance)
    'ema arithmetic': () => {
      for (const l of model) {
        l.estimate.beginUpdate(decay);
        l.estimate.accumulateFactors(l.factors);
        l.estimate.commitUpdate();
      }
    },
    refresh: () => { for (const l of model) l.estimate.refreshDecompositions(); },
    solve: () => { for (const l of model) l.estimate.solve(l.v, damping, l.x); },
  };
  type Phase = keyof typeof phases;
  const selected = (Object.keys(phases) as Phase[]).filter((p) => options.phases === undefined || options.phases.includes(p));
  const samples: Record<string, { ms: number[]; cpu: number[] }> = {};
  const record = (key: string, ms: number, cpuMs: number): void => {
    (samples[key] ??= { ms: [], cpu: [] }).ms.push(ms);
    samples[key]!.cpu.push(cpuMs);
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const phase of selected) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        phases[phase]();
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        record(`fisherd ${phase}`, ms, (cpu.user + cpu.system) / 1000);
        if (info !== undefined) {
          const r = await numpy!.request<{ ms: number; cpuMs: number }>({ op: phase === 'ema arithmetic' ? 'ema' : phase });
          if (r.error !== undefined) throw new Error(r.error);
          record(`numpy ${phase}`, r.ms, r.cpuMs);
        }
      }
    }
    let agreement: number | undefined;
    if (info !== undefined && selected.includes('solve')) {
      const indices = model.map((l, k): [number, number[]] => [k, sampleOf(l.v.length)]);
      const reply = await numpy!.request<{ sample: number[] }>({ op: 'sample', indices });
      const ours = model.flatMap((l) => sampleOf(l.v.length).map((i) => l.x[i]!));
      let diff = 0;
      let scale = 0;
      reply.sample.forEach((want, j) => {
        diff = Math.max(diff, Math.abs(ours[j]! - want));
        scale = Math.max(scale, Math.abs(want));
      });
      agreement = diff / scale;
    }
    const rows: KfacBenchRow[] = [];
    for (const phase of selected) {
      const np = samples[`numpy ${phase}`];
      const npMedian = np === undefined ? undefined : median(np.ms);
      for (const impl of ['numpy', 'fisherd'] as const) {
        const got = samples[`${impl} ${phase}`];
        if (got === undefined) {
          rows.push({ phase, impl, ms: NaN, p10: NaN, p90: NaN, cpuMs: NaN, reps: 0, note: reason ?? 'not run' });
          continue;
        }
        const sp = spread(got.ms);
        rows.push({
          phase, impl: impl === 'fisherd' ? 'fisherd (openblas)' : 'numpy', ms: sp.median, p10: sp.p10, p90: sp.p90, cpuMs: median(got.cpu), reps: got.ms.length,
          ...(impl === 'fisherd' && npMedian !== undefined ? { speedVsNumpy: npMedian / sp.median } : {}),
          ...(impl === 'fisherd' && phase === 'solve' && agreement !== undefined ? { agreement } : {}),
        });
      }
    }
    return {
      rows, layers, parameters, batch, kernels: describeKernels(),
      numpy: info !== undefined
        ? { available: true, ...(info.numpy ? { version: info.numpy } : {}), ...(info.blas?.summary ? { blas: info.blas.summary } : {}) }
        : { available: false, reason: reason ?? 'unknown' },
    };
  } finally {
    numpy?.close();
    backend.dispose();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const phases = flag('phases')?.split(',') as KfacBenchRow['phase'][] | undefined;
  const result = await runKfacBench({ rounds: Number(flag('rounds') ?? 5), shrink: Number(flag('shrink') ?? 1), ...(phases ? { phases } : {}) });
  console.log(`${result.parameters} parameters in ${result.layers.length} layers; ${result.kernels}; numpy: ${JSON.stringify(result.numpy)}`);
  console.table(result.rows.map((r) => ({
    phase: r.phase, impl: r.impl, ms: r.ms.toFixed(1), 'p10–p90': `${r.p10.toFixed(1)}–${r.p90.toFixed(1)}`, cpuMs: r.cpuMs.toFixed(1), reps: r.reps,
    'x numpy': r.speedVsNumpy?.toFixed(2) ?? '', agreement: r.agreement?.toExponential(1) ?? '', ...(r.note ? { note: r.note } : {}),
  })));
}
