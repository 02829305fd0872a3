/**
 * Merging the W workers' contributions of one step into one minibatch of b = Σ_w b_w examples, weighted
 * by sample count: row blocks are passed side by side (one per worker), never concatenated.
 */
import type { Batch } from '../curvature/batch.js';
import type { RowBlock } from '../curvature/rows.js';
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import {
  factorRowMultiplier,
  gradientRowMultiplier,
  rowBlock,
  workerMeanGrad,
  type StepContribution,
} from './contribution.js';
import type { ResolvedSessionConfig } from './config.js';

export interface MergedStep {
  readonly batch: Batch;
  /** Sample-weighted mean of the losses of the workers that sent one: Σ b_w ℓ_w / Σ b_w. */
  readonly loss?: number;
  /** θ from the lowest worker id that sent it (data-parallel workers hold the same θ). */
  readonly params?: Float64Array;
  /** Sample-weighted mean of the workers' `lossAfterPreviousUpdate`, when every worker sent one. */
  readonly lossAfterPreviousUpdate?: number;
}

/** Throws SHAPE_MISMATCH when workers disagree on K (or C): the estimator normalizes by b·K. */
function commonMultiplicity(values: readonly number[], field: string, step: number): number {
  const first = values[0]!;
  const other = values.findIndex((v) => v !== first);
  if (other >= 0) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} is ${first} for one worker and ${values[other]} for another; it must be the same for all`, {
      field,
      step,
    });
  }
  return first;
}

/**
 * Per-worker arrays for the rescaled rows of 'mean'-reduced contributions, reused from step to step: a
 * fresh b_w·D array per step would cost first-touch page faults on top of the copy (measured here ~3 ms
 * per MiB, i.e. seconds at b_w·D = 1.3e8). The estimator keeps no reference to a batch's rows.
 */
export class ScaledRowBuffers {
  private readonly buffers: Vec[] = [];

  constructor(private readonly backend: Backend) {}

  /** Worker w's buffer with room for `length` numbers (contents unspecified). */
  view(worker: number, length: number): Vec {
    let buffer = this.buffers[worker];
    if (buffer === undefined || buffer.length < length) {
      buffer = this.backend.zeros(length);
      this.buffers[worker] = buffer;
    }
    return buffer.subarray(0, length);
  }
}

/**
 * Per-example rows at math.md's scale. The estimator takes them at scale 1 (they enter ḡ linearly), so
 * 'mean'-reduced rows (g_n/b_w) are multiplied by b_w into a copy in the backend's storage type (in
 * `buffers` when given); 'sum' rows pass through untouched.
 */
function perExampleBlock(c: StepContribution, dim: number, backend: Backend, buffers?: ScaledRowBuffers): RowBlock {
  const rows = c.perExampleGrads!;
  const multiplier = gradientRowMultiplier(c);
  if (multiplier === 1) return rowBlock(rows, c.batchSize, dim, 1);
  const scaled = buffers ? buffers.view(c.workerId, rows.length) : backend.zeros(rows.length);
  // The backend's axpby (β = 0 overwrites): saxpby on openblas, ~25 CPU-ms against ~260 ms for a JS loop
  // at b_w·D = 1.3e8.
  backend.axpby(multiplier, rows, 0, scaled);
  return rowBlock(scaled, c.batchSize, dim, 1);
}

/**
 * Builds the estimator's batch from validated contributions (one per worker). Per-example rows go in when
 * the config tracks an estimate that needs them, or when every worker sent them; otherwise the batch
 * carries ḡ = Σ_w b_w ḡ_w / b, each ḡ_w from the worker's meanGrad or the mean of its rows.
 */
export function mergeContributions(
  contributions: readonly StepContribution[],
  config: ResolvedSessionConfig,
  backend: Backend,
  buffers?: ScaledRowBuffers,
): MergedStep {
  const { dim, track } = config;
  const step = contributions[0]!.step;
  const batchSize = contributions.reduce((sum, c) => sum + c.batchSize, 0);

  const useRows = track.empiricalFisher || track.noise || contributions.every((c) => c.perExampleGrads !== undefined);
  let batch: Batch = useRows
    ? { batchSize, perExampleGrads: contributions.map((c) => perExampleBlock(c, dim, backend, buffers)) }
    : { batchSize, meanGrad: mergedMeanGrad(contributions, dim) };

  if (track.fisher && config.fisherSource === 'sampled') {
    const samplesPerExample = commonMultiplicity(
      contributions.map((c) => c.sampledLabelGrads!.samplesPerExample),
      'sampledLabelGrads.samplesPerExample',
      step,
    );
    const blocks = contributions.map((c) =>
      rowBlock(c.sampledLabelGrads!.rows, c.batchSize * samplesPerExample, dim, gradientRowMultiplier(c)),
    );
    batch = { ...batch, sampledLabelGrads: { blocks, samplesPerExample } };
  } else if (track.fisher) {
    const factorsPerExample = commonMultiplicity(
      contributions.map((c) => c.fisherFactorRows!.factorsPerExample),
      'fisherFactorRows.factorsPerExample',
      step,
    );
    const blocks = contributions.map((c) =>
      rowBlock(c.fisherFactorRows!.rows, c.batchSize * factorsPerExample, dim, factorRowMultiplier(c)),
    );
    batch = { ...batch, fisherFactorRows: { blocks, factorsPerExample } };
  }

  return { batch, ...lossAndParams(contributions) };
}

/**
 * The sample-weighted mean loss Σ b_w ℓ_w / Σ b_w of the workers that sent one, θ from the lowest worker id
 * that sent it, and the sample-weighted mean of `lossAfterPreviousUpdate` when every worker sent it (damping
 * adaptation needs the whole previous batch; weighted by this step's b_w, which is step t−1's when each
 * worker's batch size stays the same from step to step).
 */
export function lossAndParams(contributions: readonly StepContribution[]): { loss?: number; params?: Float64Array; lossAfterPreviousUpdate?: number } {
  let lossSum = 0;
  let lossExamples = 0;
  let afterSum = 0;
  let afterExamples = 0;
  let allAfter = true;
  for (const c of contributions) {
    if (c.loss !== undefined) {
      lossSum += c.batchSize * c.loss;
      lossExamples += c.batchSize;
    }
    if (c.lossAfterPreviousUpdate === undefined) allAfter = false;
    else {
      afterSum += c.batchSize * c.lossAfterPreviousUpdate;
      afterExamples += c.batchSize;
    }
  }
  const withParams = contributions.find((c) => c.params !== undefined);
  return {
    ...(lossExamples > 0 ? { loss: lossSum / lossExamples } : {}),
    ...(withParams ? { params: new Float64Array(withParams.params!) } : {}),
    ...(allAfter && afterExamples > 0 ? { lossAfterPreviousUpdate: afterSum / afterExamples } : {}),
  };
}

/** ḡ = Σ_w b_w ḡ_w / b (float64). */
function mergedMeanGrad(contributions: readonly StepContribution[], dim: number): Float64Array {
  const b = contributions.reduce((sum, c) => sum + c.batchSize, 0);
  const merged = new Float64Array(dim);
  for (const c of contributions) {
    const weight = c.batchSize / b;
    if (c.perExampleGrads !== undefined) {
      // ḡ_w = (multiplier/b_w) Σ_n rows_n
      const rows = c.perExampleGrads;
      const factor = (weight * gradientRowMultiplier(c)) / c.batchSize;
      for (let n = 0; n < c.batchSize; n++) {
        const offset = n * dim;
        for (let i = 0; i < dim; i++) merged[i] += factor * rows[offset + i]!;
      }
    } else {
      const workerMean = workerMeanGrad(c);
      for (let i = 0; i < dim; i++) merged[i] += weight * workerMean[i]!;
    }
  }
  return merged;
}
