import { describe, expect, it } from 'vitest';
import { RowSpaceCosine } from '../../src/lab/cosine.js';
import type { Examples } from '../../src/lab/problems/index.js';

/** (A + λI)⁻¹b for a small dense SPD A by Gaussian elimination (independent of linalg). */
function dampedSolve(A: number[][], lambda: number, b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)).concat(b[i]));
  for (let k = 0; k < n; k++) for (let i = k + 1; i < n; i++) {
    const f = M[i][k] / M[k][k];
    for (let j = k; j <= n; j++) M[i][j] -= f * M[k][j];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) x[i] = (M[i][n] - M[i].slice(i + 1, n).reduce((s, v, j) => s + v * x[i + 1 + j], 0)) / M[i][i];
  return x;
}

const cos = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0) / Math.hypot(...a) / Math.hypot(...b);

describe('cos(Ẽ⁺g, F⁺g) on the row space of X', () => {
  // Column 2 = column 0 + column 1: rank 2 of 3, like Energy's surface_area = wall_area + 2·roof_area.
  const rows = [[1, 0], [0, 1], [1, 2], [2, 1], [3, -1], [-1, 2]].map(([a, b]) => [a, b, a + b]);
  const examples: Examples = { X: Float64Array.from(rows.flat()), y: new Float64Array(6), numExamples: 6, numFeatures: 3 };
  const matrix = (w: number[]): number[][] => [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, x, n) => s + (w[n] * x[i] * x[j]) / 6, 0)));
  const wF = [0.2, 0.25, 0.1, 0.24, 0.15, 0.05];
  const wE = [0.5, 0.01, 0.3, 0.02, 0.6, 0.2];
  const r = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25];
  const g = [0, 1, 2].map((i) => rows.reduce((s, x, n) => s + (r[n] * x[i]) / 6, 0));

  it('finds the rank and equals the limit λ → 0 of the damped cosine (1e-6 at λ = 1e-9)', () => {
    const rowSpace = new RowSpaceCosine(examples);
    expect(rowSpace.rank).toBe(2);
    const F = matrix(wF);
    const E = matrix(wE);
    const value = rowSpace.cosine(E.flat(), F.flat(), g);
    const limit = cos(dampedSolve(E, 1e-9, g), dampedSolve(F, 1e-9, g));
    expect(Math.abs(value - limit)).toBeLessThan(1e-6);
    expect(Math.abs(value)).toBeLessThan(1);
  });

  it('is the ordinary undamped cosine for a full-rank design', () => {
    const full: Examples = { X: Float64Array.from(rows.map(([a, b]) => [a, b, 1]).flat()), y: new Float64Array(6), numExamples: 6, numFeatures: 3 };
    const rowSpace = new RowSpaceCosine(full);
    expect(rowSpace.rank).toBe(3);
    const A = [[2, 0.3, 0.1], [0.3, 1, 0.2], [0.1, 0.2, 0.5]];
    const B = [[1, -0.2, 0], [-0.2, 3, 0.4], [0, 0.4, 2]];
    expect(rowSpace.cosine(A.flat(), B.flat(), [1, -1, 0.5])).toBeCloseTo(cos(dampedSolve(A, 0, [1, -1, 0.5]), dampedSolve(B, 0, [1, -1, 0.5])), 12);
  });
});
