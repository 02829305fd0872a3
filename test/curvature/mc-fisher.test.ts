/**
 * The Monte-Carlo Fisher F̂ = (1/(bK)) Σ_n Σ_k g̃ g̃ᵀ from labels sampled from the model is unbiased for the
 * exact F (math.md). Statistical bound tested: for each entry (i, j),
 *   Var F̂_ij = (1/(b²K)) Σ_n σ²_n,ij,  σ²_n,ij = Var_ỹ[g̃_i g̃_j | x_n],
 * with σ²_n estimated by the unbiased sample variance over the K samples of example n; every entry must lie
 * within 5 standard errors of the exact F (a per-entry false alarm rate of ~6e-7 under normality; seeded).
 * The empirical Fisher, with the training labels of a misspecified model, must not.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator } from '../../src/curvature/index.js';
import { REFERENCE, Rng } from './helpers.js';
import { gaussianInputs, row, sampleClass, softmaxGrad, softmaxHessian, softmaxProbabilities } from './problems.js';

describe('MC Fisher converges to the exact Fisher', () => {
  it('softmax regression: every entry of F̂ within 5 standard errors of F (K = 2000 samples per example)', () => {
    const rng = new Rng(21);
    const b = 8;
    const K = 2000;
    const C = 3;
    const d = 2;
    const D = C * d;
    const data = gaussianInputs(rng, b, d);
    const W = rng.normals(C * d);
    const sampled = new Float64Array(b * K * D);
    const exactF = new Float64Array(D * D);
    const grads = new Float64Array(b * D);
    // Σ_n σ²_n,ij, from per-example sample moments of g̃_i g̃_j.
    const varianceSum = new Float64Array(D * D);
    for (let n = 0; n < b; n++) {
      const x = row(data, n);
      const pi = softmaxProbabilities(W, x, C);
      const H = softmaxHessian(pi);
      for (let a = 0; a < C; a++) {
        for (let c = 0; c < C; c++) {
          for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) exactF[(a * d + i) * D + c * d + j] += (H[a * C + c] * x[i] * x[j]) / b;
        }
      }
      const sum = new Float64Array(D * D);
      const sumSq = new Float64Array(D * D);
      for (let k = 0; k < K; k++) {
        const g = softmaxGrad(pi, sampleClass(rng, pi), x);
        sampled.set(g, (n * K + k) * D);
        for (let p = 0; p < D * D; p++) {
          const v = g[Math.floor(p / D)] * g[p % D];
          sum[p] += v;
          sumSq[p] += v * v;
        }
      }
      for (let p = 0; p < D * D; p++) varianceSum[p] += (sumSq[p] - (sum[p] * sum[p]) / K) / (K - 1);
      // A training label that the model finds unlikely: the EF is then far from F (the paper's point).
      const unlikely = pi.indexOf(Math.min(...pi));
      grads.set(softmaxGrad(pi, unlikely, x), n * D);
    }
    const estimator = new CurvatureEstimator(
      { dim: D, structure: { kind: 'full' }, decay: 0, track: { empiricalFisher: true, fisher: true, noise: false } },
      REFERENCE,
    );
    estimator.update({
      batchSize: b,
      perExampleGrads: [{ rows: grads, count: b, dim: D, scale: 1 }],
      sampledLabelGrads: { samplesPerExample: K, blocks: [{ rows: sampled, count: b * K, dim: D, scale: 1 }] },
    });
    const F = estimator.fisher!.dense();
    const E = estimator.empiricalFisher!.dense();
    let worstZ = 0;
    let efWorstZ = 0;
    for (let p = 0; p < D * D; p++) {
      const standardError = Math.sqrt(varianceSum[p] / (b * b * K));
      if (standardError === 0) {
        expect(Math.abs(F[p] - exactF[p])).toBeLessThan(1e-12);
        continue;
      }
      worstZ = Math.max(worstZ, Math.abs(F[p] - exactF[p]) / standardError);
      efWorstZ = Math.max(efWorstZ, Math.abs(E[p] - exactF[p]) / standardError);
    }
    expect(worstZ).toBeLessThan(5);
    expect(efWorstZ).toBeGreaterThan(5);
  });

  it('the sample-size scaling is 1/(b·K): K copies of the exact-Fisher sample give the same F̂ as one', () => {
    const rng = new Rng(22);
    const b = 5;
    const D = 4;
    const rows = rng.normals(b * D);
    const repeated = new Float64Array(b * 3 * D);
    for (let n = 0; n < b; n++) for (let k = 0; k < 3; k++) repeated.set(rows.subarray(n * D, (n + 1) * D), (n * 3 + k) * D);
    const make = () =>
      new CurvatureEstimator({ dim: D, structure: { kind: 'full' }, decay: 0, track: { empiricalFisher: false, fisher: true, noise: false } }, REFERENCE);
    const once = make();
    once.update({ batchSize: b, meanGrad: new Float64Array(D), sampledLabelGrads: { samplesPerExample: 1, blocks: [{ rows, count: b, dim: D, scale: 1 }] } });
    const thrice = make();
    thrice.update({
      batchSize: b,
      meanGrad: new Float64Array(D),
      sampledLabelGrads: { samplesPerExample: 3, blocks: [{ rows: repeated, count: 3 * b, dim: D, scale: 1 }] },
    });
    const a = once.fisher!.dense();
    const c = thrice.fisher!.dense();
    for (let i = 0; i < a.length; i++) expect(c[i]).toBeCloseTo(a[i], 12);
  });
});
