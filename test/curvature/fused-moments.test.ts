/**
 * A diagonal empirical Fisher takes Σ_n g_n∘g_n from the same pass over the per-example rows as ḡ
 * (`syrkDiag` with `columnSums`), and a diagonal noise covariance Σ_n (g_n − ḡ)∘(g_n − ḡ) from that pass
 * too, with the rows centred on the batch's first row and the shift removed after. These tests pin that
 * this fused path gives what the separate passes give: ḡ, diag Ẽ and diag S against float64 closed forms
 * over several EMA steps, with rows split over blocks (one of them empty), where the mean dwarfs the
 * spread (SNR 10⁸, where Σg² − bḡ² would lose every digit in float32) and where the first row is an
 * outlier; and that a non-diagonal structure of the same quantities agrees on its diagonal.
 * Tolerance: relative 1e-10 (float64 storage) or 1e-4 (float32), as in helpers.ts.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator, type Batch, type CurvatureConfig } from '../../src/curvature/index.js';
import { BACKENDS, Rng, relativeError, tolerance } from './helpers.js';

const D = 53; // a 16-column kernel step leaves a 5-column tail
const b = 11; // not a multiple of the 8-row float32 blocks
const decay = 0.8;

/** Steps of three blocks (4, 0 and 7 rows) of normal rows with a per-step offset, so that ḡ ≠ 0. */
function batches(steps: number): { batch: Batch; rows: Float64Array }[] {
  const rng = new Rng(5);
  return Array.from({ length: steps }, (_, t) => {
    const rows = rng.normals(b * D).map((x, i) => x + 0.3 * t + (i % D) / D);
    const block = (from: number, count: number) => ({ rows: Float32Array.from(rows.subarray(from * D, (from + count) * D)), count, dim: D, scale: 1 });
    return { rows: Float64Array.from(Float32Array.from(rows)), batch: { batchSize: b, perExampleGrads: [block(0, 4), block(4, 0), block(4, 7)] } };
  });
}

describe.each(BACKENDS.map((backend) => [backend.name, backend] as const))('%s: fused ḡ and diag Ẽ', (_, backend) => {
  const config: CurvatureConfig = { dim: D, structure: { kind: 'diagonal' }, decay, track: { empiricalFisher: true, fisher: false, noise: false } };

  it('match the float64 EMAs of (1/b)Σ g_n and (1/b)Σ g_n∘g_n, bias-corrected, over three steps', () => {
    const estimator = new CurvatureEstimator(config, backend);
    const mean = new Float64Array(D);
    const second = new Float64Array(D);
    for (const { batch, rows } of batches(3)) {
      estimator.update(batch);
      for (let i = 0; i < D; i++) {
        let s = 0;
        let q = 0;
        for (let n = 0; n < b; n++) {
          s += rows[n * D + i]!;
          q += rows[n * D + i]! ** 2;
        }
        mean[i] = decay * mean[i]! + (1 - decay) * (s / b);
        second[i] = decay * second[i]! + (1 - decay) * (q / b);
      }
    }
    const correction = 1 / (1 - decay ** 3);
    const tol = tolerance(backend);
    expect(relativeError(estimator.meanGrad(), mean.map((x) => x * correction))).toBeLessThan(tol);
    expect(relativeError(estimator.empiricalFisher!.diagonal(), second.map((x) => x * correction))).toBeLessThan(tol);
  });

  it.each([
    ['normal rows', (x: number, n: number, i: number) => x + 0.3 * n / b + (i % D) / D],
    ['a mean 10⁴ times the spread (SNR 10⁸)', (x: number, _n: number, i: number) => 100 * (1 + i / D) + 0.01 * x],
    ['a first row 30 spreads out', (x: number, n: number) => (n === 0 ? 30 : 0) + x],
  ])('diag S over three steps matches float64 Σ(g − ḡ)²/(b(b−1)), EMA and bias correction: %s', (_name, row) => {
    const estimator = new CurvatureEstimator({ ...config, track: { empiricalFisher: false, fisher: false, noise: true } }, backend);
    const rng = new Rng(11);
    const noise = new Float64Array(D);
    for (let t = 0; t < 3; t++) {
      const raw = rng.normals(b * D).map((x, k) => row(x, Math.floor(k / D), k % D));
      const rows = Float64Array.from(backend.dtype === 'float64' ? raw : Float32Array.from(raw));
      const block = (from: number, count: number) => ({ rows: backend.dtype === 'float64' ? rows.slice(from * D, (from + count) * D) : Float32Array.from(rows.subarray(from * D, (from + count) * D)), count, dim: D, scale: 1 });
      estimator.update({ batchSize: b, perExampleGrads: [block(0, 4), block(4, 0), block(4, 7)] });
      for (let i = 0; i < D; i++) {
        let mean = 0;
        for (let n = 0; n < b; n++) mean += rows[n * D + i]! / b;
        let q = 0;
        for (let n = 0; n < b; n++) q += (rows[n * D + i]! - mean) ** 2;
        noise[i] = decay * noise[i]! + (1 - decay) * (q / (b * (b - 1)));
      }
    }
    const correction = 1 / (1 - decay ** 3);
    expect(relativeError(estimator.noise!.diagonal(), noise.map((x) => x * correction))).toBeLessThan(tolerance(backend));
  });

  it('agrees with the diagonal of a full estimate fed through the unfused path', () => {
    const diagonal = new CurvatureEstimator(config, backend);
    const full = new CurvatureEstimator({ ...config, structure: { kind: 'full' } }, backend);
    for (const { batch } of batches(2)) {
      diagonal.update(batch);
      full.update(batch);
    }
    const tol = tolerance(backend);
    expect(relativeError(diagonal.empiricalFisher!.diagonal(), full.empiricalFisher!.diagonal())).toBeLessThan(tol);
    expect(relativeError(diagonal.meanGrad(), full.meanGrad())).toBeLessThan(tol);
  });
});
