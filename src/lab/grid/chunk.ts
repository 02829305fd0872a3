/**
 * The unit of work of the grid search, shared by the main thread and its workers: a worker state (the
 * data set's kernel and a reusable solver) and a chunk of runs of one optimizer.
 */
import { createBackend } from '../../linalg/select.js';
import type { Backend, BackendName } from '../../linalg/backend.js';
import { DATASETS, loadDataset, type DatasetName } from '../datasets.js';
import { glmKernel } from './glm-kernel.js';
import { runGlm, RunWorkspace, type GridOptimizer, type RunStatus } from './run.js';

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
  workspace: RunWorkspace;
  backend: Backend;
  setup: WorkerSetup;
}

export async function createWorkerState(setup: WorkerSetup): Promise<WorkerState> {
  const backend = await createBackend(setup.backend);
  const data = loadDataset(setup.dataset, setup.dataRoot);
  const kernel = glmKernel(DATASETS[setup.dataset].task, data, backend, { probabilityClip: setup.probabilityClip });
  return { workspace: new RunWorkspace(kernel, backend), backend, setup };
}

export function processChunk(state: WorkerState, chunk: Chunk): ChunkResult {
  const result: ChunkResult = { indices: chunk.indices, finalLosses: [], statuses: [], iterations: [] };
  for (let i = 0; i < chunk.indices.length; i++) {
    const run = runGlm(state.workspace, {
      optimizer: chunk.optimizer,
      stepSize: chunk.stepSizes[i],
      damping: chunk.dampings[i],
      iterations: state.setup.iterations,
      divergenceFactor: state.setup.divergenceFactor,
      recordLosses: false,
    });
    result.finalLosses.push(run.finalLoss);
    result.statuses.push(STATUS_CODES.indexOf(run.status));
    result.iterations.push(run.iterations);
  }
  return result;
}
