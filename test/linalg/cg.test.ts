import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { choleskyFactor, conjugateGradient, type LinearOperator } from '../../src/linalg/index.js';
import { denseMatVec, expectClose, randomValues, rng } from './helpers.js';

/** A PSD matrix of rank r < n (so the undamped system is singular), as a dense array and an operator. */
function lowRankPsd(n: number, r: number, seed: number): { A: Float64Array; matvec: LinearOperator } {
  const U = randomValues(r * n, rng(seed));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let p = 0; p < r; p++) A[i * n + j] += U[p * n + i]! * U[p * n + j]!;
  return { A, matvec: (v, out) => out.set(denseMatVec(A, v, n)) };
}

describe('conjugateGradient', () => {
  const n = 30;
  const { A, matvec } = lowRankPsd(n, 12, 1);
  const b = randomValues(n, rng(2));

  it('matches the dense Cholesky solve of (A + λI)x = b', () => {
    const result = conjugateGradient(matvec, b, 0.1, { tolerance: 1e-12 });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThanOrEqual(n);
    const dense = choleskyFactor(A, n, 0.1).solve(b);
    expectClose(result.x, dense, Math.max(...dense.map(Math.abs)), 1e-9);
  });

  it('with the Jacobi preconditioner converges to the same solution', () => {
    const diagonal = Float64Array.from({ length: n }, (_, i) => A[i * n + i]!);
    const result = conjugateGradient(matvec, b, 0.1, { tolerance: 1e-12, diagonal });
    expect(result.converged).toBe(true);
    const dense = choleskyFactor(A, n, 0.1).solve(b);
    expectClose(result.x, dense, Math.max(...dense.map(Math.abs)), 1e-9);
  });

  it('returns at once when the initial guess already solves the system', () => {
    const exact = choleskyFactor(A, n, 0.1).solve(b);
    const result = conjugateGradient(matvec, b, 0.1, { initialGuess: exact, tolerance: 1e-8 });
    expect(result.iterations).toBe(0);
  });

  it('reports non-convergence when iterations run out', () => {
    const result = conjugateGradient(matvec, b, 1e-3, { maxIterations: 2, tolerance: 1e-14 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(2);
    expect(result.residualNorm).toBeGreaterThan(0);
  });

  it('throws NOT_POSITIVE_DEFINITE for an indefinite damped operator', () => {
    let thrown: unknown;
    try {
      conjugateGradient((v, out) => out.set(v.map((x) => -x)), b, 0.5);
    } catch (e) {
      thrown = e;
    }
    expect(isFisherdError(thrown, 'NOT_POSITIVE_DEFINITE')).toBe(true);
  });
});
