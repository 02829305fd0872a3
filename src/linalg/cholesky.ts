/**
 * Dense Cholesky factorization of a damped symmetric matrix, `A + λI = L Lᵀ`, in float64 plain TypeScript.
 * Shared by the `reference` and `gpujs` backends (the `openblas` backend calls LAPACK's dpotrf instead).
 *
 * Only the upper triangle of A (row-major: `A[i*n + j]` with j ≥ i) is read, which is the triangle LAPACK's
 * column-major 'L' reads from the same memory, so every backend sees the same matrix even when a caller
 * hands in a slightly asymmetric one.
 */
import { FisherdError } from '../errors.js';
import type { CholeskyFactor } from './backend.js';

/** The error every backend throws when a damped matrix has a non-positive (or NaN) pivot. */
export function notPositiveDefinite(n: number, lambda: number, pivotIndex: number, pivot?: number): FisherdError {
  const value = pivot === undefined ? 'not positive' : `${pivot}`;
  return new FisherdError(
    'NOT_POSITIVE_DEFINITE',
    `A + λI (n=${n}, λ=${lambda}) is not numerically positive definite: pivot ${pivotIndex} is ${value}; increase the damping`,
  );
}

/** A lower-triangular factor L (row-major, `L[i*n + j]`, j ≤ i) with `A + λI = L Lᵀ`. */
export class DenseCholesky implements CholeskyFactor {
  constructor(
    readonly n: number,
    /** Row-major n×n; only the lower triangle (diagonal included) is meaningful. */
    private readonly lower: Float64Array,
  ) {}

  solve(b: ArrayLike<number>, out?: Float64Array): Float64Array {
    const { n, lower: L } = this;
    const x = out ?? new Float64Array(n);
    if (x !== b) for (let i = 0; i < n; i++) x[i] = b[i];
    // Forward substitution L y = b: row i of L is contiguous.
    for (let i = 0; i < n; i++) {
      let s = x[i];
      const row = i * n;
      for (let p = 0; p < i; p++) s -= L[row + p] * x[p];
      x[i] = s / L[row + i];
    }
    // Back substitution Lᵀ x = y, column-oriented so that it also walks rows of L.
    for (let i = n - 1; i >= 0; i--) {
      const row = i * n;
      const xi = x[i] / L[row + i];
      x[i] = xi;
      for (let p = 0; p < i; p++) x[p] = x[p] - L[row + p] * xi;
    }
    return x;
  }

  inverse(out?: Float64Array): Float64Array {
    const { n } = this;
    const inv = out ?? new Float64Array(n * n);
    const e = new Float64Array(n);
    // column j of the inverse: the solve of e_j (the matrix is symmetric: written as row j, then mirrored)
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      this.solve(e, e);
      for (let i = j; i < n; i++) inv[j * n + i] = e[i];
    }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) inv[j * n + i] = inv[i * n + j];
    return inv;
  }

  logDet(): number {
    // log det(L Lᵀ) = 2 Σ log L_ii.
    let s = 0;
    for (let i = 0; i < this.n; i++) s += Math.log(this.lower[i * this.n + i]);
    return 2 * s;
  }
}

/**
 * Factors `A + λI` (Cholesky–Banachiewicz, row by row; the inner products run over contiguous rows of L).
 * Throws `FisherdError('NOT_POSITIVE_DEFINITE')` at the first pivot that is not > 0 (LAPACK's criterion).
 */
export function choleskyFactor(A: ArrayLike<number>, n: number, lambda: number): DenseCholesky {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * n;
      // (A + λI)_{ij} read from the upper triangle: A[j*n + i] with j ≤ i.
      let s = A[rowJ + i] + (i === j ? lambda : 0);
      for (let p = 0; p < j; p++) s -= L[rowI + p] * L[rowJ + p];
      if (i === j) {
        if (!(s > 0)) throw notPositiveDefinite(n, lambda, i, s);
        L[rowI + i] = Math.sqrt(s);
      } else {
        L[rowI + j] = s / L[rowJ + j];
      }
    }
  }
  return new DenseCholesky(n, L);
}
