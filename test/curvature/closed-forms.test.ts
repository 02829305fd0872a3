/**
 * math.md's closed forms (averaged loss), with gradients computed in the test:
 * - linear regression, p(y|f) = N(y; xᵀθ, σ²): F = (1/(Nσ²)) Σ x xᵀ from exact factor rows x/σ, and
 *   Ẽ = (1/(Nσ⁴)) Σ r² x xᵀ (eq. 15) from per-example gradients g_n = r_n x_n/σ²;
 * - logistic regression: F = (1/N) Σ π(1−π) x xᵀ, Ẽ = (1/N) Σ (π−y)² x xᵀ, and F = Ẽ exactly at θ = 0;
 * - softmax regression: H = diag(π) − ππᵀ, F = (1/N) Σ H_n ⊗ x_n x_nᵀ from factor rows
 *   u_{n,c} = J_nᵀ (H_n^{1/2})_{:,c}, and the same F from rows J_nᵀ q_c weighted by the eigenvalues of H_n.
 * Tolerances: 1e-10 relative for float64 storage, 1e-4 for float32.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator, type RowBlock, type Structure } from '../../src/curvature/index.js';
import { BACKENDS, jacobiEigen, outerSum, relativeError, Rng, tolerance } from './helpers.js';
import {
  dotRow,
  gaussianInputs,
  kron,
  row,
  sigmoid,
  softmaxGrad,
  softmaxHessian,
  softmaxProbabilities,
  symmetricSqrt,
} from './problems.js';

const FULL: Structure = { kind: 'full' };
const ALL = { empiricalFisher: true, fisher: true, noise: false };

function block(rows: Float64Array, count: number, dim: number, weights?: Float64Array): RowBlock {
  return weights === undefined ? { rows, count, dim, scale: 1 } : { rows, count, dim, scale: 1, weights };
}

for (const backend of BACKENDS) {
  const tol = tolerance(backend);

  describe(`closed forms on ${backend.name}`, () => {
    it('linear regression: F = (1/(Nσ²)) Σ x xᵀ and Ẽ = (1/(Nσ⁴)) Σ r² x xᵀ', () => {
      const rng = new Rng(11);
      const N = 40;
      const D = 5;
      const sigma = 0.7;
      const data = gaussianInputs(rng, N, D);
      const theta = rng.normals(D);
      const y = Float64Array.from({ length: N }, (_, n) => dotRow(row(data, n), theta) + rng.normal());
      const grads = new Float64Array(N * D);
      const factors = new Float64Array(N * D);
      const closedEf = new Float64Array(D * D);
      for (let n = 0; n < N; n++) {
        const x = row(data, n);
        const r = dotRow(x, theta) - y[n];
        // ℓ_n = (xᵀθ − y)²/(2σ²): g_n = r x/σ²; J = xᵀ, H = 1/σ², u = x/σ.
        for (let j = 0; j < D; j++) {
          grads[n * D + j] = (r * x[j]) / sigma ** 2;
          factors[n * D + j] = x[j] / sigma;
        }
        for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) closedEf[i * D + j] += (r * r * x[i] * x[j]) / (N * sigma ** 4);
      }
      const closedF = outerSum(data.x, N, D, 1 / (N * sigma ** 2));
      const estimator = new CurvatureEstimator({ dim: D, structure: FULL, decay: 0, track: ALL }, backend);
      estimator.update({
        batchSize: N,
        perExampleGrads: [block(grads, N, D)],
        fisherFactorRows: { factorsPerExample: 1, blocks: [block(factors, N, D)] },
      });
      expect(relativeError(estimator.fisher!.dense(), closedF)).toBeLessThan(tol);
      expect(relativeError(estimator.empiricalFisher!.dense(), closedEf)).toBeLessThan(tol);
    });

    it('logistic regression: F = (1/N) Σ π(1−π) x xᵀ, Ẽ = (1/N) Σ (π−y)² x xᵀ; F = Ẽ at θ = 0', () => {
      const rng = new Rng(12);
      const N = 32;
      const D = 4;
      const data = gaussianInputs(rng, N, D);
      const y = Float64Array.from({ length: N }, () => (rng.uniform() < 0.5 ? 1 : 0));
      for (const theta of [new Float64Array(D), rng.normals(D)]) {
        const grads = new Float64Array(N * D);
        const factors = new Float64Array(N * D);
        const closedF = new Float64Array(D * D);
        const closedEf = new Float64Array(D * D);
        for (let n = 0; n < N; n++) {
          const x = row(data, n);
          const pi = sigmoid(dotRow(x, theta));
          for (let j = 0; j < D; j++) {
            grads[n * D + j] = (pi - y[n]) * x[j]; // ∇ of −[y log π + (1−y) log(1−π)]
            factors[n * D + j] = Math.sqrt(pi * (1 - pi)) * x[j]; // J = xᵀ, H = π(1−π)
          }
          for (let i = 0; i < D; i++) {
            for (let j = 0; j < D; j++) {
              closedF[i * D + j] += (pi * (1 - pi) * x[i] * x[j]) / N;
              closedEf[i * D + j] += ((pi - y[n]) ** 2 * x[i] * x[j]) / N;
            }
          }
        }
        const estimator = new CurvatureEstimator({ dim: D, structure: FULL, decay: 0, track: ALL }, backend);
        estimator.update({
          batchSize: N,
          perExampleGrads: [block(grads, N, D)],
          fisherFactorRows: { factorsPerExample: 1, blocks: [block(factors, N, D)] },
        });
        const F = estimator.fisher!.dense();
        const E = estimator.empiricalFisher!.dense();
        expect(relativeError(F, closedF)).toBeLessThan(tol);
        expect(relativeError(E, closedEf)).toBeLessThan(tol);
        if (theta.every((t) => t === 0)) expect(relativeError(E, F)).toBeLessThan(tol);
        else expect(relativeError(E, F)).toBeGreaterThan(1e-3); // away from θ = 0 they differ
      }
    });

    it('softmax regression: F = (1/N) Σ H_n ⊗ x xᵀ from factor rows J_nᵀ(H^{1/2})_{:,c}, and from weighted eigen-rows', () => {
      const rng = new Rng(13);
      const N = 12;
      const C = 3;
      const d = 3;
      const D = C * d;
      const data = gaussianInputs(rng, N, d);
      const W = rng.normals(C * d);
      const labels = Array.from({ length: N }, () => Math.floor(rng.uniform() * C));
      const sqrtRows = new Float64Array(N * C * D);
      const eigenRows = new Float64Array(N * C * D);
      const eigenWeights = new Float64Array(N * C);
      const grads = new Float64Array(N * D);
      const closedF = new Float64Array(D * D);
      const closedEf = new Float64Array(D * D);
      for (let n = 0; n < N; n++) {
        const x = row(data, n);
        const pi = softmaxProbabilities(W, x, C);
        const H = softmaxHessian(pi);
        const R = symmetricSqrt(H, C);
        const { values, vectors } = jacobiEigen(H, C);
        for (let c = 0; c < C; c++) {
          const column = Float64Array.from({ length: C }, (_, a) => R[a * C + c]);
          sqrtRows.set(kron(column, x), (n * C + c) * D);
          eigenRows.set(kron(vectors.subarray(c * C, (c + 1) * C), x), (n * C + c) * D);
          eigenWeights[n * C + c] = Math.max(values[c], 0);
        }
        grads.set(softmaxGrad(pi, labels[n], x), n * D);
        const r = Float64Array.from(pi);
        r[labels[n]] -= 1;
        // F[(a,i),(b,j)] = (1/N) Σ H_ab x_i x_j;  Ẽ likewise with (π − e_y)(π − e_y)ᵀ.
        for (let a = 0; a < C; a++) {
          for (let b = 0; b < C; b++) {
            for (let i = 0; i < d; i++) {
              for (let j = 0; j < d; j++) {
                closedF[(a * d + i) * D + b * d + j] += (H[a * C + b] * x[i] * x[j]) / N;
                closedEf[(a * d + i) * D + b * d + j] += (r[a] * r[b] * x[i] * x[j]) / N;
              }
            }
          }
        }
      }
      for (const [rows, weights] of [
        [sqrtRows, undefined],
        [eigenRows, eigenWeights],
      ] as const) {
        const estimator = new CurvatureEstimator({ dim: D, structure: FULL, decay: 0, track: ALL }, backend);
        estimator.update({
          batchSize: N,
          perExampleGrads: [block(grads, N, D)],
          fisherFactorRows: { factorsPerExample: C, blocks: [block(rows, N * C, D, weights)] },
        });
        expect(relativeError(estimator.fisher!.dense(), closedF)).toBeLessThan(tol);
        expect(relativeError(estimator.empiricalFisher!.dense(), closedEf)).toBeLessThan(tol);
      }
    });
  });
}
