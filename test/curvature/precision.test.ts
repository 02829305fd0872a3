/**
 * Storage precision of the openblas backend (issue 13, item 4): a rank-deficient low-rank empirical Fisher
 * (b = 16 rows of D = 400 whose scales span 10⁻²…10², rank cap 32 ≥ b so the structure is exact) solved at
 * λ = 1e-3, against a dense float64 elimination of (1/b)Σ g gᵀ + λI. Float32 storage rounds the rows;
 * `createOpenBlasBackend({ dtype: 'float64' })` keeps them (bound 1e-8; measured values printed).
 */
import { expect, it } from 'vitest';
import { createSymmetricEstimate } from '../../src/curvature/index.js';
import { createOpenBlasBackend, type Backend } from '../../src/linalg/index.js';
import { BACKENDS, denseSolve, outerSum, relativeError, Rng } from './helpers.js';

const hasOpenBlas = BACKENDS.some((b) => b.name === 'openblas');

it.runIf(hasOpenBlas)('openblas float64 storage solves a rank-deficient low-rank EF at λ = 1e-3 to 1e-8, closer than float32 storage', () => {
  const rng = new Rng(21);
  const D = 400;
  const b = 16;
  const lambda = 1e-3;
  // float64 rows, as a float64 client sends them: float32 storage rounds them (relative 6e-8), and the
  // solve of the ill-conditioned damped matrix (condition ~ 10⁴/10⁻³) amplifies that.
  const rows = new Float64Array(b * D);
  for (let r = 0; r < b; r++) {
    const scale = 10 ** (-2 + (4 * r) / (b - 1));
    for (let i = 0; i < D; i++) rows[r * D + i] = scale * rng.normal();
  }
  const v = rng.normals(D);
  const want = denseSolve(outerSum(rows, b, D, 1 / b), D, lambda, v);
  const errorOn = (backend: Backend): number => {
    const estimate = createSymmetricEstimate(D, { kind: 'lowrank', rank: 32 }, backend);
    estimate.update([{ rows, count: b, dim: D, scale: 1 / b }], 0);
    return relativeError(estimate.solve(v, lambda), want);
  };
  const float32 = errorOn(createOpenBlasBackend());
  const float64 = errorOn(createOpenBlasBackend({ dtype: 'float64' }));
  console.log(`low-rank EF, D = ${D}, b = ${b}, λ = ${lambda}: relative error float32 storage ${float32.toExponential(2)}, float64 storage ${float64.toExponential(2)}`);
  // Measured here: float32 2.8e-8, float64 2.1e-9. (The issue's ~4e-2 for float32 came from another EF;
  // this one does not reproduce it: the rounding of rows perturbs the range benignly. See the report.)
  expect(float64).toBeLessThan(1e-8);
  expect(float32).toBeGreaterThan(float64);
});
