/**
 * The paper's Fig. 3 diagnostic without damping: cos(Ẽ⁺∇L, F⁺∇L), the cosine between the
 * EF-preconditioned and the Fisher-preconditioned gradient (Appendix D.3: "without damping").
 *
 * For a GLM, F = XᵀW_F X/N and Ẽ = XᵀW_E X/N with positive weights, so both have the row space of X as
 * their range, and ∇L = Xᵀr/N lies in it. Where X has full column rank that is all of R^D and the
 * solves are ordinary; where it does not (a1a: rank 98 of 120, Energy: 8 of 9) the undamped solve is
 * defined on the row space only, and its limit λ → 0 is the solve restricted to it. Restricting
 * explicitly, with an orthonormal basis Q of the row space found once from XᵀX (whose structural zero
 * eigenvalues sit 10¹¹ below the smallest real one on both sets), avoids thresholding the eigenvalues
 * of F and Ẽ themselves, which near the optimum cannot separate rounding noise from small curvature.
 * The cosine does not depend on the basis: cos(Qa, Qb) = cos(a, b).
 */
import { isFisherdError } from '../errors.js';
import { choleskyFactor } from '../linalg/cholesky.js';
import { symmetricEigen } from '../linalg/eigh.js';
import { cosine } from '../optim/vec.js';
import type { Examples } from './problems/problem.js';

/** Eigenvalues of XᵀX/N below this fraction of the largest are structural zeros (rank deficiency). */
export const ROW_SPACE_RCOND = 1e-13;

export class RowSpaceCosine {
  /** Q as rows: basis[k*D + i] is component i of basis vector k. */
  private readonly basis: Float64Array;
  /** r, the rank of X. */
  readonly rank: number;
  readonly dim: number;

  constructor(examples: Examples) {
    const { X, numExamples: N, numFeatures: D } = examples;
    const gram = new Float64Array(D * D);
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < D; i++) {
        const xi = X[n * D + i] / N;
        if (xi === 0) continue;
        for (let j = i; j < D; j++) gram[i * D + j] += xi * X[n * D + j];
      }
    }
    const { values, vectors } = symmetricEigen(gram, D);
    const cutoff = ROW_SPACE_RCOND * values[0];
    let rank = 0;
    while (rank < D && values[rank] > cutoff) rank++;
    this.rank = rank;
    this.dim = D;
    this.basis = vectors.slice(0, rank * D);
  }

  /** QᵀAQ (r×r) for a D×D matrix A given by its upper triangle. */
  private reduce(A: ArrayLike<number>): Float64Array {
    const { rank: r, dim: D, basis: Q } = this;
    const AQ = new Float64Array(D * r); // A Q, A read symmetrically from its upper triangle
    for (let i = 0; i < D; i++) {
      for (let k = 0; k < r; k++) {
        let s = 0;
        for (let j = 0; j < D; j++) s += (i <= j ? A[i * D + j] : A[j * D + i]) * Q[k * D + j];
        AQ[i * r + k] = s;
      }
    }
    const out = new Float64Array(r * r);
    for (let k = 0; k < r; k++) for (let l = 0; l < r; l++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += Q[k * D + i] * AQ[i * r + l];
      out[k * r + l] = s;
    }
    return out;
  }

  /** cos(Ẽ⁺g, F⁺g) on the row space; NaN where a reduced matrix is not numerically positive definite. */
  cosine(empiricalFisher: ArrayLike<number>, fisher: ArrayLike<number>, gradient: ArrayLike<number>): number {
    const { rank: r, dim: D, basis: Q } = this;
    const reducedGradient = new Float64Array(r);
    for (let k = 0; k < r; k++) {
      let s = 0;
      for (let i = 0; i < D; i++) s += Q[k * D + i] * gradient[i];
      reducedGradient[k] = s;
    }
    try {
      const efDirection = choleskyFactor(this.reduce(empiricalFisher), r, 0).solve(reducedGradient);
      const fisherDirection = choleskyFactor(this.reduce(fisher), r, 0).solve(reducedGradient);
      return cosine(efDirection, fisherDirection);
    } catch (e) {
      if (!isFisherdError(e, 'NOT_POSITIVE_DEFINITE')) throw e;
      return NaN;
    }
  }
}
