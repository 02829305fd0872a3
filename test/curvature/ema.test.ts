/**
 * The running estimates (math.md): A_t = βA_{t−1} + (1−β)Â_t reported as A_t/(1−β^t).
 * - constant input: the bias-corrected estimate equals the input for every β and t (to 1e-12 relative);
 * - β = 0: bit-identical to a fresh estimate of the last batch alone;
 * - the estimator's ḡ, Ẽ, S and F follow the dense EMA recursion over several batches;
 * - repeated runs on the reference backend are bit-identical.
 */
import { describe, expect, it } from 'vitest';
import { createSymmetricEstimate, CurvatureEstimator, type Structure } from '../../src/curvature/index.js';
import { bitwiseEqual, outerSum, REFERENCE, relativeError, Rng, rowBlock } from './helpers.js';

const STRUCTURES: Structure[] = [
  { kind: 'full' },
  { kind: 'diagonal' },
  { kind: 'lowrank', rank: 3 },
  { kind: 'blocks', blocks: [{ name: 'w', size: 4, structure: { kind: 'lowrank', rank: 2 } }, { name: 'b', size: 2, structure: { kind: 'full' } }] },
];
const D = 6;

describe('EMA with bias correction', () => {
  for (const structure of STRUCTURES) {
    it(`${structure.kind}: constant input gives back the input for any β and t`, () => {
      // Two rows: within the low-rank caps (2 ≤ rank), so every structure represents the input exactly.
      const rows = new Rng(1).normals(2 * D);
      const single = createSymmetricEstimate(D, structure, REFERENCE);
      single.update([rowBlock(rows, 2, D, 0.5)], 0);
      const expected = single.dense();
      for (const decay of [0, 0.5, 0.9, 0.999]) {
        const estimate = createSymmetricEstimate(D, structure, REFERENCE);
        for (let t = 1; t <= 7; t++) {
          estimate.update([rowBlock(rows, 2, D, 0.5)], decay);
          expect(relativeError(estimate.dense(), expected), `β=${decay}, t=${t}`).toBeLessThan(1e-12);
        }
      }
    });

    it(`${structure.kind}: β = 0 is bit-identical to the last batch alone`, () => {
      const rng = new Rng(2);
      const estimate = createSymmetricEstimate(D, structure, REFERENCE);
      for (let t = 0; t < 3; t++) estimate.update([rowBlock(rng.normals(3 * D), 3, D)], 0.7);
      const last = rng.normals(2 * D);
      estimate.update([rowBlock(last, 2, D)], 0);
      const fresh = createSymmetricEstimate(D, structure, REFERENCE);
      fresh.update([rowBlock(last, 2, D)], 0);
      expect(bitwiseEqual(estimate.dense(), fresh.dense())).toBe(true);
      const v = rng.normals(D);
      expect(bitwiseEqual(estimate.solve(v, 0.1), fresh.solve(v, 0.1))).toBe(true);
    });
  }

  it('an update with no rows decays the estimate (Â = 0), and the bias correction counts it', () => {
    const rows = new Rng(3).normals(2 * D);
    const estimate = createSymmetricEstimate(D, { kind: 'full' }, REFERENCE);
    estimate.update([rowBlock(rows, 2, D)], 0.5);
    estimate.update([], 0.5);
    // A_2 = 0.5·(0.5·Â), reported / (1 − 0.25) = Â/3.
    expect(relativeError(estimate.dense(), outerSum(rows, 2, D, 1 / 3))).toBeLessThan(1e-14);
    expect(estimate.steps).toBe(2);
  });

  it('the estimator follows the dense EMA of ḡ, Ẽ, S = C/b and F̂ over several batches', () => {
    const rng = new Rng(4);
    const b = 5;
    const K = 2;
    const decay = 0.6;
    const estimator = new CurvatureEstimator(
      { dim: D, structure: { kind: 'full' }, decay, track: { empiricalFisher: true, fisher: true, noise: true } },
      REFERENCE,
    );
    let mean = new Float64Array(D);
    let ef = new Float64Array(D * D);
    let noise = new Float64Array(D * D);
    let fisher = new Float64Array(D * D);
    for (let t = 1; t <= 4; t++) {
      const grads = rng.normals(b * D).map((g, i) => g + (i % D)); // a nonzero mean, so centring matters
      const sampled = rng.normals(b * K * D);
      estimator.update({
        batchSize: b,
        perExampleGrads: [rowBlock(grads, b, D)],
        sampledLabelGrads: { samplesPerExample: K, blocks: [rowBlock(sampled, b * K, D)] },
      });
      const gbar = Float64Array.from({ length: D }, (_, j) => {
        let s = 0;
        for (let n = 0; n < b; n++) s += grads[n * D + j];
        return s / b;
      });
      const centred = grads.map((g, i) => g - gbar[i % D]);
      const ema = (old: Float64Array, hat: Float64Array) => old.map((a, i) => decay * a + (1 - decay) * hat[i]);
      mean = ema(mean, gbar);
      ef = ema(ef, outerSum(grads, b, D, 1 / b));
      noise = ema(noise, outerSum(centred, b, D, 1 / (b * (b - 1))));
      fisher = ema(fisher, outerSum(sampled, b * K, D, 1 / (b * K)));
      const c = 1 - decay ** t;
      expect(relativeError(estimator.meanGrad(), mean.map((x) => x / c))).toBeLessThan(1e-12);
      expect(relativeError(estimator.empiricalFisher!.dense(), ef.map((x) => x / c))).toBeLessThan(1e-12);
      expect(relativeError(estimator.noise!.dense(), noise.map((x) => x / c))).toBeLessThan(1e-12);
      expect(relativeError(estimator.fisher!.dense(), fisher.map((x) => x / c))).toBeLessThan(1e-12);
      expect(estimator.steps).toBe(t);
    }
  });

  it('noise rows are centred chunk by chunk: tiny chunks give the same S as one chunk', () => {
    const rng = new Rng(5);
    const b = 9;
    const grads = rng.normals(b * D).map((g) => g + 3);
    const make = (chunkElements?: number) => {
      const e = new CurvatureEstimator(
        { dim: D, structure: { kind: 'blocks', blocks: [{ name: 'a', size: 2, structure: { kind: 'full' } }, { name: 'b', size: 4, structure: { kind: 'diagonal' } }] }, decay: 0, track: { empiricalFisher: false, fisher: false, noise: true } },
        REFERENCE,
        chunkElements === undefined ? {} : { chunkElements },
      );
      e.update({ batchSize: b, perExampleGrads: [rowBlock(grads, b, D)] });
      return e.noise!.dense();
    };
    expect(relativeError(make(1), make())).toBeLessThan(1e-14);
  });

  it('repeated runs on the reference backend are bit-identical', () => {
    const run = () => {
      const rng = new Rng(6);
      const estimator = new CurvatureEstimator(
        { dim: D, structure: { kind: 'lowrank', rank: 3 }, decay: 0.9, track: { empiricalFisher: true, fisher: false, noise: true } },
        REFERENCE,
      );
      for (let t = 0; t < 5; t++) estimator.update({ batchSize: 4, perExampleGrads: [rowBlock(rng.normals(4 * D), 4, D)] });
      return [estimator.meanGrad(), estimator.empiricalFisher!.dense(), estimator.noise!.solve(new Float64Array(D).fill(1), 0.01)];
    };
    const a = run();
    const b = run();
    a.forEach((x, i) => expect(bitwiseEqual(x, b[i])).toBe(true));
  });
});
