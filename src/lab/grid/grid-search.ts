/**
 * The paper's hyperparameter grid search (Appendix D.3, Table 5): for each optimizer, every step size
 * (and, for NGD and EFGD, every damping) is run for a fixed number of iterations from θ₀ = 0; the best
 * run is the one with the lowest final loss (ties: the first in the paper's order, step size outer,
 * damping inner, as `np.argmin` over its run list).
 *
 * The runs are independent, so they are spread over worker threads (one per core by default) in chunks
 * handed out as workers finish. Each run uses the GLM kernels of `glm-kernel.ts`; the selected runs are
 * then replayed through the `Session` (see `experiments/optim.ts`).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BackendName } from '../../linalg/backend.js';
import { dataRoot as defaultDataRoot, type DatasetName } from '../datasets.js';
import { createWorkerState, processChunk, STATUS_CODES, type Chunk, type ChunkResult, type WorkerSetup } from './chunk.js';
import { PAPER_PROBABILITY_CLIP } from './glm-kernel.js';
import type { GridOptimizer, RunStatus } from './run.js';

/** numpy.logspace(start, stop, num): num points 10^x, x evenly spaced from start to stop. */
export function logspace(start: number, stop: number, num: number): number[] {
  return Array.from({ length: num }, (_, i) => 10 ** (num === 1 ? start : start + ((stop - start) * i) / (num - 1)));
}

/** The log10 exponents of `logspace`, exactly as spaced (for reports). */
export function logspaceExponents(start: number, stop: number, num: number): number[] {
  return Array.from({ length: num }, (_, i) => (num === 1 ? start : start + ((stop - start) * i) / (num - 1)));
}

/** Table 5: step sizes logspace(−20, 10, 241), dampings logspace(−10, 10, 41) (both in steps of 10^⅛ and 10^½). */
export const PAPER_GRID = {
  stepSize: { start: -20, stop: 10, num: 241 },
  damping: { start: -10, stop: 10, num: 41 },
  iterations: 100,
  divergenceFactor: 100,
} as const;

export interface GridSpec {
  dataset: DatasetName;
  optimizers: readonly GridOptimizer[];
  /** log10 of the step sizes. */
  log10StepSizes: readonly number[];
  /** log10 of the dampings (NGD, EFGD). */
  log10Dampings: readonly number[];
  iterations: number;
  divergenceFactor: number;
}

export interface GridRun {
  log10StepSize: number;
  /** null for GD. */
  log10Damping: number | null;
  /** null when not finite (JSON has no ±∞). */
  finalLoss: number | null;
  status: RunStatus;
  iterations: number;
}

export interface OptimizerGrid {
  optimizer: GridOptimizer;
  /** All runs in the paper's order (step size outer, damping inner). */
  runs: GridRun[];
  best: GridRun;
  statusCounts: Record<RunStatus, number>;
}

export interface GridOptions {
  /** Worker threads. Default: the number of cores (2 here); 0 runs in this thread. */
  workers?: number;
  /** Runs per chunk, run in lock-step as one batch (`batched.ts`). Default 128. */
  chunkSize?: number;
  /** Backend of the kernels' gemv/syrk. Default 'openblas' where it loads, else 'reference'. */
  backend?: BackendName;
  onProgress?: (done: number, total: number) => void;
}

export interface GridResult {
  dataset: DatasetName;
  grids: OptimizerGrid[];
  /** Wall-clock seconds of the whole search. */
  seconds: number;
  workers: number;
  backend: BackendName;
}

interface PendingRun {
  optimizer: GridOptimizer;
  log10StepSize: number;
  log10Damping: number | null;
}

function workerScript(): URL | undefined {
  // Compiled (dist/): grid-worker.js sits next to this module. Under vitest the sources are .ts and no
  // worker script exists, so the search runs in-thread.
  const url = new URL('./grid-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

async function defaultBackend(): Promise<BackendName> {
  try {
    const { createBackend } = await import('../../linalg/select.js');
    (await createBackend('openblas')).dispose();
    return 'openblas';
  } catch {
    return 'reference';
  }
}

export async function gridSearch(spec: GridSpec, options: GridOptions = {}): Promise<GridResult> {
  const started = performance.now();
  const backend = options.backend ?? (await defaultBackend());
  const setup: WorkerSetup = {
    dataset: spec.dataset,
    dataRoot: defaultDataRoot(),
    backend,
    iterations: spec.iterations,
    divergenceFactor: spec.divergenceFactor,
    probabilityClip: PAPER_PROBABILITY_CLIP,
  };
  const runs: PendingRun[] = [];
  for (const optimizer of spec.optimizers) {
    for (const log10StepSize of spec.log10StepSizes) {
      if (optimizer === 'gd') runs.push({ optimizer, log10StepSize, log10Damping: null });
      else for (const log10Damping of spec.log10Dampings) runs.push({ optimizer, log10StepSize, log10Damping });
    }
  }
  const chunkSize = options.chunkSize ?? 128;
  const chunks: Chunk[] = [];
  for (let start = 0; start < runs.length;) {
    const optimizer = runs[start].optimizer;
    const indices: number[] = [];
    while (start < runs.length && runs[start].optimizer === optimizer && indices.length < chunkSize) indices.push(start++);
    chunks.push({
      optimizer,
      indices,
      stepSizes: indices.map((i) => 10 ** runs[i].log10StepSize),
      dampings: indices.map((i) => 10 ** (runs[i].log10Damping ?? 0)),
    });
  }
  // The costly chunks (NGD, EFGD) first, so that the last ones to finish are short.
  chunks.sort((a, b) => Number(a.optimizer === 'gd') - Number(b.optimizer === 'gd'));

  const results: (ChunkResult['finalLosses'][number] | undefined)[] = new Array(runs.length);
  const statuses: number[] = new Array(runs.length);
  const iterations: number[] = new Array(runs.length);
  let done = 0;
  const collect = (result: ChunkResult): void => {
    result.indices.forEach((index, k) => {
      results[index] = result.finalLosses[k];
      statuses[index] = result.statuses[k];
      iterations[index] = result.iterations[k];
    });
    done += result.indices.length;
    options.onProgress?.(done, runs.length);
  };

  const script = workerScript();
  const workerCount = script === undefined ? 0 : Math.min(options.workers ?? availableParallelism(), chunks.length);
  if (workerCount === 0) {
    const state = await createWorkerState(setup);
    for (const chunk of chunks) collect(processChunk(state, chunk));
  } else {
    await runInWorkers(script!, setup, chunks, workerCount, collect);
  }

  const grids: OptimizerGrid[] = spec.optimizers.map((optimizer) => {
    const gridRuns: GridRun[] = [];
    const statusCounts = Object.fromEntries(STATUS_CODES.map((s) => [s, 0])) as Record<RunStatus, number>;
    runs.forEach((run, i) => {
      if (run.optimizer !== optimizer) return;
      const finalLoss = results[i] ?? Infinity;
      const status = STATUS_CODES[statuses[i]];
      statusCounts[status] += 1;
      gridRuns.push({
        log10StepSize: run.log10StepSize,
        log10Damping: run.log10Damping,
        finalLoss: Number.isFinite(finalLoss) ? finalLoss : null,
        status,
        iterations: iterations[i],
      });
    });
    return { optimizer, runs: gridRuns, best: bestRun(gridRuns), statusCounts };
  });
  return { dataset: spec.dataset, grids, seconds: (performance.now() - started) / 1000, workers: workerCount, backend };
}

/** The run with the lowest final loss; the first such run in grid order on ties; non-finite last. */
export function bestRun(runs: readonly GridRun[]): GridRun {
  let best = runs[0];
  for (const run of runs) {
    const loss = run.finalLoss ?? Infinity;
    if (loss < (best.finalLoss ?? Infinity)) best = run;
  }
  return best;
}

async function runInWorkers(script: URL, setup: WorkerSetup, chunks: Chunk[], count: number, collect: (r: ChunkResult) => void): Promise<void> {
  const queue = [...chunks];
  const workers = Array.from({ length: count }, () => new Worker(script, { workerData: setup }));
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      const next = (): void => {
        const chunk = queue.shift();
        if (chunk === undefined) resolve();
        else worker.postMessage(chunk);
      };
      worker.on('message', (message: ChunkResult | 'ready') => {
        if (message !== 'ready') collect(message);
        next();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`grid worker exited with code ${code}`));
      });
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
