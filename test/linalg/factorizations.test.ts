/** The shared float64 factorizations against closed forms (the spec suite covers them through every backend). */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { choleskyFactor, symmetricEigen } from '../../src/linalg/index.js';

describe('symmetricEigen', () => {
  it('gives the closed-form spectrum of the tridiagonal Toeplitz matrix tridiag(−1, 2, −1)', () => {
    const n = 40;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      A[i * n + i] = 2;
      if (i + 1 < n) A[i * n + i + 1] = A[(i + 1) * n + i] = -1;
    }
    const { values, vectors } = symmetricEigen(A, n);
    for (let j = 0; j < n; j++) expect(values[j]).toBeCloseTo(2 - 2 * Math.cos(((n - j) * Math.PI) / (n + 1)), 12);
    // Eigenvector of 2 − 2cos(mπ/(n+1)) is ∝ sin(i·mπ/(n+1)) (up to sign).
    const m = n; // the largest value
    const norm = Math.sqrt((n + 1) / 2);
    const sign = Math.sign(vectors[0]!) * Math.sign(Math.sin((m * Math.PI) / (n + 1)));
    for (let i = 0; i < n; i++) expect(sign * vectors[i]!).toBeCloseTo(Math.sin(((i + 1) * m * Math.PI) / (n + 1)) / norm, 12);
  });

  it('handles repeated eigenvalues, 1×1 and 0×0', () => {
    const { values } = symmetricEigen([1, 1, 1, 1, 1, 1, 1, 1, 1], 3); // ones: 3, 0, 0
    expect(values[0]).toBeCloseTo(3, 14);
    expect(Math.abs(values[1]!)).toBeLessThan(1e-14);
    expect(Math.abs(values[2]!)).toBeLessThan(1e-14);
    expect(Array.from(symmetricEigen([-2], 1).values)).toEqual([-2]);
    expect(symmetricEigen([], 0).values.length).toBe(0);
  });

  it('reads only the upper triangle', () => {
    expect(Array.from(symmetricEigen([2, 1, 999, 2], 2).values).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([3, 1]);
  });

  it('fails loudly instead of looping on NaN input', () => {
    expect(() => symmetricEigen([NaN, 1, 1, 2], 2)).toThrow(/did not converge/);
  });
});

describe('choleskyFactor', () => {
  it('factors the Hilbert-like matrix [[2,1],[1,2]] + λI in closed form', () => {
    // [[3,1],[1,3]]: L = [[√3, 0], [1/√3, √(8/3)]], det = 8.
    const f = choleskyFactor([2, 1, 1, 2], 2, 1);
    expect(f.logDet()).toBeCloseTo(Math.log(8), 14);
    const x = f.solve([1, 1]);
    expect(x[0]).toBeCloseTo(0.25, 14);
    expect(x[1]).toBeCloseTo(0.25, 14);
  });

  it('throws NOT_POSITIVE_DEFINITE naming the pivot and the damping', () => {
    let thrown: unknown;
    try {
      choleskyFactor([1, 2, 2, 1], 2, 0);
    } catch (e) {
      thrown = e;
    }
    expect(isFisherdError(thrown, 'NOT_POSITIVE_DEFINITE')).toBe(true);
    expect((thrown as Error).message).toMatch(/pivot 1 is -3/);
  });
});
