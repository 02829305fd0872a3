/**
 * The paper's Table 5 grid on Boston (241 step sizes × 41 dampings: 20 003 runs of GD, NGD and EFGD, 100
 * iterations each), through fisherd's grid search (`gridSearch`, the runs batched in lock-step through the
 * openblas backend's gemm: src/lab/grid/batched.ts) against numpy vectorized over the grid points
 * (bench/numpy_grid.py under /usr/bin/python3: the same moment algebra, np.linalg.solve on the stacked
 * damped matrices), in the same run.
 *
 * Four contenders in interleaved rounds (so that a drift of the shared host's speed weighs on all of them):
 * fisherd with its default worker threads (one per core) and in the main thread only, numpy with its BLAS
 * threads as installed and with OPENBLAS_NUM_THREADS=1. Each round times one whole grid (all three
 * optimizers); the table gives the median wall time with the range over rounds, the median CPU time
 * (fisherd: process.cpuUsage, all threads; numpy: time.process_time, all threads), and × numpy = the faster
 * numpy contender's median / this median (> 1: faster than numpy at its best thread setting). `agreement`: the selected (lowest final loss) run of each
 * optimizer on both sides, and the largest relative difference of the selected losses.
 *
 * Run: `npm run build && node dist/bench/grid.js [--rounds=3] [--dataset=Boston]`, or `runGridBench()`
 * (bench/run.ts --only=grid does).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DATASETS, loadDataset, type DatasetName } from '../src/lab/datasets.js';
import { gridSearch, logspaceExponents, PAPER_GRID } from '../src/lab/grid/grid-search.js';
import { GRID_OPTIMIZERS, type GridOptimizer } from '../src/lab/grid/run.js';

export interface GridBenchRow {
  contender: string;
  /** Wall seconds of each round. */
  seconds: number[];
  cpuSeconds: number[];
  medianSeconds: number;
  medianCpuSeconds: number;
  /** The faster numpy contender's median / this median. */
  ratioToNumpy?: number;
  /** Per optimizer: log10 γ, log10 λ and final loss of the selected run. */
  best: Record<GridOptimizer, [number, number | null, number]>;
}

export interface GridBenchResult {
  dataset: DatasetName;
  runs: number;
  rounds: number;
  rows: GridBenchRow[];
  numpy: { available: boolean; version?: string; reason?: string };
  /** Largest relative difference of the selected final losses between fisherd and numpy (per optimizer, max). */
  agreement?: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

interface NumpyOutput {
  seconds: number[];
  cpuSeconds: number[];
  numpy: string;
  best: Record<GridOptimizer, [number, number | null, number]>;
}

export async function runGridBench(options: { rounds?: number; dataset?: DatasetName; python?: string } = {}): Promise<GridBenchResult> {
  const dataset = options.dataset ?? 'Boston';
  if (DATASETS[dataset].task !== 'linear') throw new Error('the numpy grid baseline covers the linear-regression sets');
  const rounds = options.rounds ?? 3;
  const python = options.python ?? '/usr/bin/python3';
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'numpy_grid.py');
  const log10StepSizes = logspaceExponents(PAPER_GRID.stepSize.start, PAPER_GRID.stepSize.stop, PAPER_GRID.stepSize.num);
  const log10Dampings = logspaceExponents(PAPER_GRID.damping.start, PAPER_GRID.damping.stop, PAPER_GRID.damping.num);
  const data = loadDataset(dataset);
  const X: number[][] = [];
  for (let n = 0; n < data.numExamples; n++) X.push(Array.from(data.X.subarray(n * data.numFeatures, (n + 1) * data.numFeatures)));
  const request = JSON.stringify({ X, y: Array.from(data.y), log10StepSizes, log10Dampings, iterations: PAPER_GRID.iterations, divergenceFactor: PAPER_GRID.divergenceFactor, repeats: 1 });
  const numpyAvailable = existsSync(python) && existsSync(script);

  type Contender = { name: string; run: () => Promise<{ seconds: number; cpu: number; best: GridBenchRow['best'] }> };
  const fisherd = (workers: number | undefined): Contender['run'] => async () => {
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const result = await gridSearch(
      { dataset, optimizers: GRID_OPTIMIZERS, log10StepSizes, log10Dampings, iterations: PAPER_GRID.iterations, divergenceFactor: PAPER_GRID.divergenceFactor },
      { backend: 'openblas', ...(workers === undefined ? {} : { workers }) },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const best = Object.fromEntries(result.grids.map((g) => [g.optimizer, [g.best.log10StepSize, g.best.log10Damping, g.best.finalLoss ?? Infinity]])) as GridBenchRow['best'];
    return { seconds, cpu: (cpu.user + cpu.system) / 1e6, best };
  };
  const numpy = (threads: string | undefined): Contender['run'] => async () => {
    const env = { ...process.env, ...(threads === undefined ? {} : { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads }) };
    const child = spawnSync(python, [script], { input: request, encoding: 'utf8', env, maxBuffer: 64 << 20 });
    if (child.status !== 0) throw new Error(`numpy_grid.py failed: ${child.stderr}`);
    const out = JSON.parse(child.stdout) as NumpyOutput;
    numpyVersion = out.numpy;
    return { seconds: out.seconds[0]!, cpu: out.cpuSeconds[0]!, best: out.best };
  };
  let numpyVersion: string | undefined;
  const contenders: Contender[] = [
    { name: 'fisherd, worker threads (one per core)', run: fisherd(undefined) },
    { name: 'fisherd, main thread only', run: fisherd(0) },
    ...(numpyAvailable ? [
      { name: 'numpy, BLAS threads as installed', run: numpy(undefined) },
      { name: 'numpy, OPENBLAS_NUM_THREADS=1', run: numpy('1') },
    ] : []),
  ];
  const measured = new Map<string, { seconds: number[]; cpu: number[]; best: GridBenchRow['best'] }>();
  for (let r = 0; r < rounds; r++) {
    for (const c of contenders) {
      const m = await c.run();
      const entry = measured.get(c.name) ?? { seconds: [], cpu: [], best: m.best };
      entry.seconds.push(m.seconds);
      entry.cpu.push(m.cpu);
      measured.set(c.name, entry);
      console.error(`round ${r + 1}: ${c.name}: ${m.seconds.toFixed(2)} s`);
    }
  }
  // The stronger numpy baseline: the faster of its two thread settings (small matrices: one thread often wins).
  const numpyMedian = numpyAvailable
    ? Math.min(median(measured.get('numpy, BLAS threads as installed')!.seconds), median(measured.get('numpy, OPENBLAS_NUM_THREADS=1')!.seconds))
    : undefined;
  const rows: GridBenchRow[] = contenders.map((c) => {
    const m = measured.get(c.name)!;
    const medianSeconds = median(m.seconds);
    return {
      contender: c.name, seconds: m.seconds, cpuSeconds: m.cpu, medianSeconds, medianCpuSeconds: median(m.cpu), best: m.best,
      ...(numpyMedian === undefined ? {} : { ratioToNumpy: numpyMedian / medianSeconds }),
    };
  });
  let agreement: number | undefined;
  if (numpyAvailable) {
    const f = rows[0]!.best;
    const n = rows[2]!.best;
    agreement = Math.max(...GRID_OPTIMIZERS.map((o) => Math.abs(f[o][2] - n[o][2]) / Math.abs(n[o][2])));
  }
  return {
    dataset, runs: log10StepSizes.length * (1 + 2 * log10Dampings.length), rounds, rows,
    numpy: numpyAvailable ? { available: true, ...(numpyVersion ? { version: numpyVersion } : {}) } : { available: false, reason: `${python} or ${script} not found` },
    ...(agreement === undefined ? {} : { agreement }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const result = await runGridBench({ ...(arg('rounds') ? { rounds: Number(arg('rounds')) } : {}), ...(arg('dataset') ? { dataset: arg('dataset') as DatasetName } : {}) });
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}
