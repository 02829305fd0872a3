import { describe, expect, it } from 'vitest';
import { lanczosTopEigenvalues, symmetricEigen, type LinearOperator } from '../../src/linalg/index.js';
import { denseMatVec, randomValues, rng } from './helpers.js';

function denseOperator(A: Float64Array, n: number): LinearOperator {
  return (v, out) => out.set(denseMatVec(A, v, n));
}

describe('lanczosTopEigenvalues', () => {
  it('matches the dense eigendecomposition of a random symmetric matrix', () => {
    const n = 60;
    const sym = randomValues(n * n, rng(3));
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = sym[Math.min(i, j) * n + Math.max(i, j)]!;
    const dense = symmetricEigen(A, n).values;
    const result = lanczosTopEigenvalues(denseOperator(A, n), n, 4);
    expect(result.converged).toBe(true);
    for (let i = 0; i < 4; i++) expect(result.values[i]).toBeCloseTo(dense[i]!, 9);
  });

  it('finds the closed-form spectrum of the path-graph Laplacian, 2 − 2cos(jπ/(n+1))', () => {
    // Tridiagonal Toeplitz (2 on the diagonal, −1 off it): eigenvalues 2 − 2cos(jπ/(n+1)), j = 1..n.
    const n = 200;
    const matvec: LinearOperator = (v, out) => {
      for (let i = 0; i < n; i++) out[i] = 2 * v[i]! - (i > 0 ? v[i - 1]! : 0) - (i < n - 1 ? v[i + 1]! : 0);
    };
    const result = lanczosTopEigenvalues(matvec, n, 3, { maxIterations: n });
    for (let j = 0; j < 3; j++) expect(result.values[j]).toBeCloseTo(2 - 2 * Math.cos(((n - j) * Math.PI) / (n + 1)), 8);
  });

  it('handles a low-rank operator whose Krylov space is exhausted early (restarts), and k > rank', () => {
    // A = diag(5, 3, 0, 0, …): rank 2; the third value is 0.
    const n = 20;
    const matvec: LinearOperator = (v, out) => {
      out.fill(0);
      out[0] = 5 * v[0]!;
      out[1] = 3 * v[1]!;
    };
    const result = lanczosTopEigenvalues(matvec, n, 3);
    expect(Array.from(result.values).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([5, 3, 0]);
  });

  it('is deterministic for a given seed and returns min(k, n) values', () => {
    const matvec: LinearOperator = (v, out) => out.set(v.map((x, i) => (i + 1) * x));
    const a = lanczosTopEigenvalues(matvec, 5, 10, { seed: 7 });
    const b = lanczosTopEigenvalues(matvec, 5, 10, { seed: 7 });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(a.values.length).toBe(5);
    expect(a.values[0]).toBeCloseTo(5, 12);
  });
});
