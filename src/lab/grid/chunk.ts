/**
 * The unit of work of the grid search, shared by the main thread and its workers: a worker state (the
 * data set's batched kernel and a reusable solver) and a chunk of runs of one optimizer, run in lock-step
 * as one batch (`batched.ts`).
 */
import { createBackend } from '../../linalg/select.js';
import type { Backend, BackendName } from '../../linalg/backend.js';
import { DATASETS, loadDataset, type DatasetName } from '../datasets.js';
import { lapackLibrary } from './damped-solver.js';
import { BatchWorkspace, batchedKernel, runBatch } from './batched.js';
import type { GridOptimizer, RunStatus } from './run.js';

export interface WorkerSetup {
  dataset: DatasetName;
  /** The data folder (workers do not inherit a changed `FISHERD_LAB_DATA_DIR`). */
  dataRoot: string;
  /** Backend for the kernels' gemv/syrk. */
  backend: BackendName;
  iterations: number;
  divergenceFactor: number;
  probabilityClip: number;
}

export interface Chunk {
  optimizer: GridOptimizer;
  /** Indices into the grid's run list, echoed back. */
  indices: number[];
  stepSizes: number[];
  dampings: number[];
}

export const STATUS_CODES: readonly RunStatus[] = ['completed', 'diverged', 'non-finite', 'singular'];

export interface ChunkResult {
  indices: number[];
  finalLosses: number[];
  /** Index into STATUS_CODES. */
  statuses: number[];
  iterations: number[];
}

export interface WorkerState {
  workspace: BatchWorkspace;
  backend: Backend;
  setup: WorkerSetup;
}

export async function createWorkerState(setup: WorkerSetup): Promise<WorkerState> {
  // One worker per core: OpenBLAS's own threads inside each would oversubscribe them (process-wide setting).
  lapackLibrary();
  const backend = await createBackend(setup.backend);
  const data = loadDataset(setup.dataset, setup.dataRoot);
  const kernel = batchedKernel(DATASETS[setup.dataset].task, data, backend, setup.probabilityClip);
  return { workspace: new BatchWorkspace(kernel), backend, setup };
}

export function processChunk(state: WorkerState, chunk: Chunk): ChunkResult {
  const batch = runBatch(state.workspace, {
    optimizer: chunk.optimizer,
    stepSizes: chunk.stepSizes,
    dampings: chunk.dampings,
    iterations: state.setup.iterations,
    divergenceFactor: state.setup.divergenceFactor,
  });
  return {
    indices: chunk.indices,
    finalLosses: batch.finalLosses,
    statuses: batch.statuses.map((s) => STATUS_CODES.indexOf(s)),
    iterations: batch.iterations,
  };
}
