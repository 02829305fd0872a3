/**
 * What one batch contributes to estimates stored as diagonals: D-vectors of sums over its rows. For the
 * diagonal structure these are all an update needs, so the expensive part of a step (reading the b·D
 * rows) can run apart from the cheap part (folding D-vectors into the running estimates): in another
 * thread, for several update rules at once, or ahead of time. `CurvatureEstimator.summarize` computes a
 * summary, `CurvatureEstimator.updateFromSummary` folds one in; `update(batch)` is exactly the two in turn,
 * so a summary computed elsewhere on the same backend gives bit-identical estimates.
 */
import { FisherdError } from '../errors.js';
import type { TrackedQuantities } from './batch.js';

export interface DiagonalBatchSummary {
  /** b, the examples in the batch. */
  batchSize: number;
  /** ḡ of the batch (the storage-precision mean, as float64): always. */
  mean: Float64Array;
  /** Σ_n g_n∘g_n over the per-example rows: when the empirical Fisher is tracked. */
  squares?: Float64Array;
  /** Σ_n (g_n − ḡ)∘(g_n − ḡ): when the noise covariance is tracked. */
  centredSquares?: Float64Array;
  /** Σ_blocks scale·Σ_r w_r u_r∘u_r over the Fisher rows (sampled-label or exact factor): when the Fisher is tracked. */
  fisherSquares?: Float64Array;
  /** The Fisher's batch normalization: 1/(b·K) for sampled labels, 1/b for exact factor rows. */
  fisherNormalization?: number;
}

/** Fresh arrays for a summary of `dim` parameters with the quantities in `track`. */
export function allocateSummary(dim: number, track: TrackedQuantities): DiagonalBatchSummary {
  return {
    batchSize: 0,
    mean: new Float64Array(dim),
    ...(track.empiricalFisher ? { squares: new Float64Array(dim) } : {}),
    ...(track.noise ? { centredSquares: new Float64Array(dim) } : {}),
    ...(track.fisher ? { fisherSquares: new Float64Array(dim), fisherNormalization: 0 } : {}),
  };
}

/**
 * Checks a summary against an estimator's dimension and tracked quantities (a summary can come from
 * another thread or process): SHAPE_MISMATCH, MISSING_INPUT, INVALID_CONFIG or NON_FINITE (a NaN) naming the field.
 * `options.values` false skips the scan for NaN (for a caller whose summary cannot hold one: see
 * `CurvatureEstimator.updateFromSummary`).
 */
export function validateSummary(summary: DiagonalBatchSummary, dim: number, track: TrackedQuantities, options: { values?: boolean | undefined } = {}): void {
  const b = summary.batchSize;
  if (!Number.isInteger(b) || b < 1) {
    throw new FisherdError('INVALID_CONFIG', `summary.batchSize must be an integer ≥ 1, got ${b}`, { field: 'summary.batchSize' });
  }
  if (track.noise && b < 2) {
    throw new FisherdError('INVALID_CONFIG', 'the noise covariance needs batchSize ≥ 2', { field: 'summary.batchSize' });
  }
  const present: [Float64Array, string][] = [];
  const vector = (value: Float64Array | undefined, field: string, required: boolean) => {
    if (value === undefined) {
      if (required) throw new FisherdError('MISSING_INPUT', `summary.${field} is required by the tracked estimates`, { field: `summary.${field}` });
      return;
    }
    if (!(value instanceof Float64Array) || value.length !== dim) {
      throw new FisherdError('SHAPE_MISMATCH', `summary.${field} must be a Float64Array of length ${dim}`, { field: `summary.${field}` });
    }
    present.push([value, field]);
  };
  vector(summary.mean, 'mean', true);
  vector(summary.squares, 'squares', track.empiricalFisher);
  vector(summary.centredSquares, 'centredSquares', track.noise);
  vector(summary.fisherSquares, 'fisherSquares', track.fisher);
  // NaN only: finite rows whose sums overflow give ±Inf here, which `update(batch)` lets through too. A
  // plain sum of every value is NaN if one is (a NaN propagates; +Inf + −Inf also gives one, a false
  // alarm the exact scan then clears): one cheap pass per vector, the scan only on an alarm.
  let probe = 0;
  if (options.values !== false) for (const [value] of present) probe += sum(value);
  if (probe !== probe) {
    for (const [value, field] of present) {
      for (let i = 0; i < dim; i++) {
        if (value[i] !== value[i]) throw new FisherdError('NON_FINITE', `summary.${field}[${i}] is NaN`, { field: `summary.${field}` });
      }
    }
  }
  if (track.fisher && !(Number.isFinite(summary.fisherNormalization) && summary.fisherNormalization! > 0)) {
    throw new FisherdError('INVALID_CONFIG', `summary.fisherNormalization must be > 0, got ${summary.fisherNormalization}`, {
      field: 'summary.fisherNormalization',
    });
  }
}

/** Σ v_i in two interleaved sums (the loop V8 runs fastest); NaN if any v_i is NaN. */
function sum(v: Float64Array): number {
  const n = v.length;
  let a = 0;
  let b = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    a += v[i]! + v[i + 1]!;
    b += v[i + 2]! + v[i + 3]!;
  }
  for (; i < n; i++) a += v[i]!;
  return a + b;
}
