/**
 * Row blocks: the one primitive every estimate consumes (math.md: "accumulate α · Σ_r w_r v_r v_rᵀ from a
 * row block"). Per-example gradients, sampled-label gradients and exact Fisher factor rows are all rows.
 */
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import type { StorageScratch } from './scratch.js';
import { firstNonFinite, requireFinite } from './validate.js';

/**
 * `count` rows of length `dim`, row-major in `rows` (row r is `rows[r*dim .. (r+1)*dim)`), that contribute
 * `scale · Σ_r w_r v_r v_rᵀ` to a symmetric estimate. `weights` (default all 1) and `scale` must be ≥ 0:
 * a weighted row is the row `√(scale·w_r)·v_r` of a factor U with `A = UᵀU`.
 */
export interface RowBlock {
  rows: Float32Array | Float64Array;
  count: number;
  dim: number;
  scale: number;
  weights?: Float64Array;
}

/** What `validateRowBlock(s)` checks beyond shapes, scale and weights. */
export interface RowCheckOptions {
  /**
   * Scan the rows for NaN/±Inf (one pass over count·dim numbers). Default true. A caller that computes a
   * quantity from which any non-finite row shows (e.g. the column sums ḡ) may pass false and call
   * `requireFiniteRows` only when that quantity is not finite.
   */
  values?: boolean;
}

/**
 * Checks one row block against the estimate's dimension: shape (SHAPE_MISMATCH), values (NON_FINITE, unless
 * `options.values` is false), and the domain of scale and weights (INVALID_CONFIG for negative ones).
 * `field` names the block in messages.
 */
export function validateRowBlock(block: RowBlock, dim: number, field: string, options: RowCheckOptions = {}): void {
  const { rows, count, weights, scale } = block;
  if (!(rows instanceof Float32Array || rows instanceof Float64Array)) {
    throw new FisherdError('SHAPE_MISMATCH', `${field}.rows must be a Float32Array or Float64Array`, {
      field: `${field}.rows`,
    });
  }
  if (!Number.isInteger(count) || count < 0) {
    throw new FisherdError('SHAPE_MISMATCH', `${field}.count must be an integer ≥ 0, got ${count}`, {
      field: `${field}.count`,
    });
  }
  if (block.dim !== dim) {
    throw new FisherdError('SHAPE_MISMATCH', `${field}.dim is ${block.dim}, but the estimate has dim ${dim}`, {
      field: `${field}.dim`,
    });
  }
  if (rows.length !== count * dim) {
    throw new FisherdError(
      'SHAPE_MISMATCH',
      `${field}.rows has length ${rows.length}, expected count·dim = ${count}·${dim} = ${count * dim}`,
      { field: `${field}.rows` },
    );
  }
  if (!Number.isFinite(scale)) {
    throw new FisherdError('NON_FINITE', `${field}.scale is ${scale}`, { field: `${field}.scale` });
  }
  if (scale < 0) {
    throw new FisherdError('INVALID_CONFIG', `${field}.scale must be ≥ 0, got ${scale}`, { field: `${field}.scale` });
  }
  if (weights !== undefined) {
    if (!(weights instanceof Float64Array) || weights.length !== count) {
      throw new FisherdError('SHAPE_MISMATCH', `${field}.weights must be a Float64Array of length count = ${count}`, {
        field: `${field}.weights`,
      });
    }
    requireFinite(weights, `${field}.weights`);
    let negative = -1;
    for (let r = 0; r < count && negative < 0; r++) if (weights[r] < 0) negative = r;
    if (negative >= 0) {
      throw new FisherdError('INVALID_CONFIG', `${field}.weights[${negative}] is ${weights[negative]}; weights must be ≥ 0`, {
        field: `${field}.weights`,
      });
    }
  }
  if (options.values !== false) requireFiniteRows(block, field);
}

/** Throws NON_FINITE naming `${field}.rows`, the row and the column of the first NaN or ±Inf in the block. */
export function requireFiniteRows(block: RowBlock, field: string): void {
  const { rows, dim } = block;
  const bad = firstNonFinite(rows);
  if (bad >= 0) {
    const row = Math.floor(bad / dim);
    throw new FisherdError('NON_FINITE', `${field}.rows holds ${rows[bad]} at row ${row}, column ${bad - row * dim}`, {
      field: `${field}.rows`,
    });
  }
}

/** Validates every block (fields `${field}[i]`) and returns the total row count. */
export function validateRowBlocks(blocks: readonly RowBlock[], dim: number, field: string, options: RowCheckOptions = {}): number {
  if (!Array.isArray(blocks)) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} must be an array of row blocks`, { field });
  }
  let total = 0;
  blocks.forEach((block, i) => {
    validateRowBlock(block, dim, `${field}[${i}]`, options);
    total += block.count;
  });
  return total;
}

/** How rows are transformed on their way into a scratch chunk: `√w_r · (v_r − centre)`. */
export interface RowTransform {
  /** Subtracted from every row (e.g. the batch mean ḡ, for the centred rows of the noise covariance). */
  centre?: Vec;
  /** Multiply row r by √w_r (for structures whose kernels take unweighted rows: syrk, syrkDiag). */
  sqrtWeights: boolean;
}

/**
 * Hands `consume` the rows of `block`, transformed, in chunks of at most `chunkElements` numbers (at least one
 * row) written into `scratch`. When there is nothing to transform the block's own rows are handed over in one
 * piece without a copy. `consume` must not keep a reference to the rows it is given.
 */
export function forEachRowChunk(
  backend: Backend,
  scratch: StorageScratch,
  block: RowBlock,
  transform: RowTransform,
  chunkElements: number,
  consume: (rows: Vec, count: number, firstRow: number) => void,
): void {
  const { rows, count, dim, weights } = block;
  const { centre } = transform;
  const weighted = transform.sqrtWeights && weights !== undefined;
  if (count === 0) return;
  if (centre === undefined && !weighted) {
    consume(rows, count, 0);
    return;
  }
  const chunkRows = Math.max(1, Math.min(count, Math.floor(chunkElements / dim)));
  for (let first = 0; first < count; first += chunkRows) {
    const n = Math.min(chunkRows, count - first);
    const chunk = scratch.view(n * dim);
    for (let r = 0; r < n; r++) {
      const factor = weighted ? Math.sqrt(weights[first + r]) : 1;
      const source = rows.subarray((first + r) * dim, (first + r + 1) * dim);
      const target = chunk.subarray(r * dim, (r + 1) * dim);
      backend.axpby(factor, source, 0, target);
      if (centre !== undefined) backend.axpby(-factor, centre, 1, target);
    }
    consume(chunk, n, first);
  }
}
