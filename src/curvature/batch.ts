/**
 * One minibatch as the estimator receives it, and its validation. Rows are gradients of the per-example
 * loss ℓ_n (math.md's scale); the estimator applies the batch normalizations (1/b, 1/(bK), 1/(b(b−1))).
 */
import { FisherdError } from '../errors.js';
import { requireFiniteRows, validateRowBlocks, type RowBlock } from './rows.js';
import { requireInteger, requireVector } from './validate.js';

export interface Batch {
  /** b, the number of examples in the (merged) minibatch. */
  batchSize: number;
  /**
   * The per-example gradients g_n, b rows in all (possibly split over several blocks, e.g. one per worker).
   * They enter ḡ and the noise covariance linearly, so each block must have scale 1 and no weights.
   */
  perExampleGrads?: readonly RowBlock[];
  /** Gradients g̃_{n,k} for labels sampled from the model, K per example (b·K rows in all). */
  sampledLabelGrads?: { blocks: readonly RowBlock[]; samplesPerExample: number };
  /** Exact Fisher factor rows u_{n,c} = J_nᵀ(H_n^{1/2})_{:,c}, C per example (b·C rows in all). */
  fisherFactorRows?: { blocks: readonly RowBlock[]; factorsPerExample: number };
  /** ḡ, when no per-example rows are sent (SGD). */
  meanGrad?: Float64Array;
}

/** Which estimates a batch must feed (from `CurvatureConfig.track`). */
export interface TrackedQuantities {
  empiricalFisher: boolean;
  fisher: boolean;
  noise: boolean;
}

/** What `validateBatch` may leave to its caller. */
export interface BatchCheckOptions {
  /**
   * Scan the per-example rows for NaN/±Inf. Default true. `CurvatureEstimator.update` passes false on
   * the CPU backends: it computes ḡ = (1/b) Σ_n g_n from them before touching any state, a NaN or ±Inf
   * in any row makes its column of ḡ non-finite, and only then does it scan the rows
   * (`requireFinitePerExampleGrads`) to name the value. That saves a pass over b·D numbers per step.
   */
  perExampleValues?: boolean;
  /**
   * Scan the Fisher rows (sampled-label or factor rows) for NaN/±Inf. Default true. `CurvatureEstimator.summarize`
   * passes false on the CPU backends: a non-finite value makes its column of the sum of squares non-finite,
   * and only then are the rows scanned to name it.
   */
  fisherValues?: boolean;
}

/**
 * Checks a batch completely before anything is updated: shapes (SHAPE_MISMATCH), values (NON_FINITE),
 * domains (INVALID_CONFIG) and that every tracked quantity has its input (MISSING_INPUT).
 */
export function validateBatch(batch: Batch, dim: number, track: TrackedQuantities, options: BatchCheckOptions = {}): void {
  requireInteger(batch.batchSize, 1, 'batchSize');
  const b = batch.batchSize;
  const { perExampleGrads, sampledLabelGrads, fisherFactorRows, meanGrad } = batch;

  if (perExampleGrads !== undefined) {
    const rows = validateRowBlocks(perExampleGrads, dim, 'perExampleGrads', { values: options.perExampleValues !== false });
    if (rows !== b) {
      throw new FisherdError('SHAPE_MISMATCH', `perExampleGrads hold ${rows} rows, but batchSize is ${b}`, {
        field: 'perExampleGrads',
      });
    }
    perExampleGrads.forEach((block, i) => {
      if (block.scale !== 1 || block.weights !== undefined) {
        throw new FisherdError(
          'INVALID_CONFIG',
          `perExampleGrads[${i}] must have scale 1 and no weights: per-example gradients also enter ḡ and the noise covariance linearly`,
          { field: `perExampleGrads[${i}].${block.scale !== 1 ? 'scale' : 'weights'}` },
        );
      }
    });
  }
  if (sampledLabelGrads !== undefined) {
    const { blocks, samplesPerExample } = sampledLabelGrads;
    requireInteger(samplesPerExample, 1, 'sampledLabelGrads.samplesPerExample');
    requireRowTotal(validateRowBlocks(blocks, dim, 'sampledLabelGrads.blocks', { values: options.fisherValues !== false }), b * samplesPerExample, 'sampledLabelGrads.blocks', 'b·K');
  }
  if (fisherFactorRows !== undefined) {
    const { blocks, factorsPerExample } = fisherFactorRows;
    requireInteger(factorsPerExample, 1, 'fisherFactorRows.factorsPerExample');
    requireRowTotal(validateRowBlocks(blocks, dim, 'fisherFactorRows.blocks', { values: options.fisherValues !== false }), b * factorsPerExample, 'fisherFactorRows.blocks', 'b·C');
  }
  if (meanGrad !== undefined) {
    requireVector(meanGrad, dim, 'meanGrad');
    if (perExampleGrads !== undefined) {
      throw new FisherdError('INVALID_CONFIG', 'send either perExampleGrads or meanGrad, not both: ḡ comes from the rows', {
        field: 'meanGrad',
      });
    }
  }

  if (perExampleGrads === undefined) {
    if (meanGrad === undefined) {
      throw new FisherdError('MISSING_INPUT', 'a batch needs perExampleGrads or meanGrad (for ḡ)', { field: 'meanGrad' });
    }
    for (const quantity of ['empiricalFisher', 'noise'] as const) {
      if (track[quantity]) {
        throw new FisherdError('MISSING_INPUT', `the ${quantity} estimate is tracked, so the batch needs perExampleGrads`, {
          field: 'perExampleGrads',
        });
      }
    }
  }
  if (track.noise && b < 2) {
    throw new FisherdError(
      'INVALID_CONFIG',
      'the noise covariance C = (1/(b−1)) Σ (g_n − ḡ)(g_n − ḡ)ᵀ needs batchSize ≥ 2',
      { field: 'batchSize' },
    );
  }
  if (track.fisher) {
    if (sampledLabelGrads === undefined && fisherFactorRows === undefined) {
      throw new FisherdError('MISSING_INPUT', 'the Fisher is tracked, so the batch needs sampledLabelGrads or fisherFactorRows', {
        field: 'sampledLabelGrads',
      });
    }
    if (sampledLabelGrads !== undefined && fisherFactorRows !== undefined) {
      throw new FisherdError('INVALID_CONFIG', 'send either sampledLabelGrads or fisherFactorRows for the Fisher, not both', {
        field: 'fisherFactorRows',
      });
    }
  }
}

/** Throws NON_FINITE naming the block, row and column of the first NaN or ±Inf in the per-example rows. */
export function requireFinitePerExampleGrads(batch: Batch): void {
  batch.perExampleGrads?.forEach((block, i) => requireFiniteRows(block, `perExampleGrads[${i}]`));
}

/** Throws NON_FINITE naming the first NaN/±Inf in the Fisher rows (sampled-label or factor rows), if any. */
export function requireFiniteFisherRows(batch: Batch): void {
  batch.sampledLabelGrads?.blocks.forEach((block, i) => requireFiniteRows(block, `sampledLabelGrads.blocks[${i}]`));
  batch.fisherFactorRows?.blocks.forEach((block, i) => requireFiniteRows(block, `fisherFactorRows.blocks[${i}]`));
}

function requireRowTotal(rows: number, expected: number, field: string, formula: string): void {
  if (rows !== expected) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} hold ${rows} rows, expected ${formula} = ${expected}`, { field });
  }
}
