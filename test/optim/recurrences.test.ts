/**
 * Momentum, Nesterov, Adam, weight decay and M-SVAG against their recurrences written out by hand, one
 * coordinate at a time, over a stream of mean gradients (the estimator tracks nothing: ḡ only).
 */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import {
  addDecayedWeights, adam, chain, identity, makeOptimizer, scaleByLearningRate, scaleByMsvag, sgd,
  type GradientTransformation, type OptState,
} from '../../src/optim/index.js';
import { REFERENCE, context, makeEstimator, relativeError } from './helpers.js';

const DIM = 3;
/** ḡ_1 … ḡ_5, with sign changes so that momentum and the moment estimates matter. */
const GRADS: readonly number[][] = [
  [1, -2, 0.5],
  [0.5, -1, -0.25],
  [-1, 0.5, 0.75],
  [2, 0, -1],
  [0.25, 1.5, 0.5],
];

/** Runs `optimizer` over GRADS (ḡ only, decay 0, so the estimator's ḡ is each batch's) and returns the Δθ's. */
function runStream(optimizer: GradientTransformation, params?: (t: number) => Float64Array): Float64Array[] {
  const estimator = makeEstimator(DIM, REFERENCE, { structure: { kind: 'diagonal' }, track: {} });
  let state: OptState = optimizer.init(DIM);
  return GRADS.map((g, t) => {
    estimator.update({ batchSize: 1, meanGrad: Float64Array.from(g) });
    const result = optimizer.update(estimator.meanGrad(), state, context(estimator, t + 1, params?.(t)));
    state = result.state;
    return result.updates;
  });
}

describe('recurrences', () => {
  it('heavy ball: v_t = ḡ_t + μ v_{t−1}, Δθ = −γ v_t', () => {
    const gamma = 0.1;
    const mu = 0.9;
    const updates = runStream(sgd({ stepSize: gamma, momentum: mu }));
    const v = [0, 0, 0];
    GRADS.forEach((g, t) => {
      for (let i = 0; i < DIM; i++) v[i] = g[i]! + mu * v[i]!;
      expect(relativeError(updates[t]!, v.map((x) => -gamma * x))).toBeLessThan(1e-15);
    });
  });

  it('Nesterov: v_t = ḡ_t + μ v_{t−1}, Δθ = −γ (ḡ_t + μ v_t)', () => {
    const gamma = 0.05;
    const mu = 0.8;
    const updates = runStream(sgd({ stepSize: gamma, momentum: mu, nesterov: true }));
    const v = [0, 0, 0];
    GRADS.forEach((g, t) => {
      for (let i = 0; i < DIM; i++) v[i] = g[i]! + mu * v[i]!;
      expect(relativeError(updates[t]!, g.map((gi, i) => -gamma * (gi + mu * v[i]!)))).toBeLessThan(1e-15);
    });
  });

  it('Adam: bias-corrected moments, Δθ = −γ m̂/(√v̂ + ε)', () => {
    const [gamma, b1, b2, eps] = [1e-3, 0.9, 0.999, 1e-8];
    const updates = runStream(adam({ stepSize: gamma, b1, b2, eps }));
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    GRADS.forEach((g, t) => {
      const expected = g.map((gi, i) => {
        m[i] = b1 * m[i]! + (1 - b1) * gi;
        v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
        const mHat = m[i]! / (1 - b1 ** (t + 1));
        const vHat = v[i]! / (1 - b2 ** (t + 1));
        return (-gamma * mHat) / (Math.sqrt(vHat) + eps);
      });
      expect(relativeError(updates[t]!, expected)).toBeLessThan(1e-14);
    });
    // Adam's first step is ≈ −γ·sign(ḡ) (the bias corrections cancel): a check independent of the loop above.
    expect(relativeError(updates[0]!, GRADS[0]!.map((g) => -gamma * Math.sign(g)))).toBeLessThan(1e-7);
  });

  it('AdamW: Δθ = −γ (adam direction + κθ)', () => {
    const kappa = 0.1;
    const theta = (t: number): Float64Array => Float64Array.from([1 + t, -2, 0.5]);
    const plain = runStream(adam({ stepSize: 1e-2 }), theta);
    const decayed = runStream(adam({ stepSize: 1e-2, weightDecay: kappa }), theta);
    decayed.forEach((u, t) => {
      const expected = plain[t]!.map((p, i) => p - 1e-2 * kappa * theta(t)[i]!);
      expect(relativeError(u, expected)).toBeLessThan(1e-14);
    });
  });

  it('M-SVAG (snr with variance "moments") follows the reference implementation lballes/msvag', () => {
    const beta = 0.9;
    const gamma = 0.1;
    const updates = runStream(makeOptimizer({ name: 'snr', stepSize: gamma, snrVariance: 'moments', msvagDecay: beta }));
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    GRADS.forEach((g, t) => {
      // As in msvag.py: beta_power = β^(t+1) with t from 0; ρ = (1−β)²(1−β_p²)/((1−β_p)²(1−β²)), capped at 0.999.
      const betaPower = beta ** (t + 1);
      const rho = Math.min(((1 - beta) ** 2 * (1 - betaPower ** 2)) / ((1 - betaPower) ** 2 * (1 - beta ** 2)), 0.999);
      const expected = g.map((gi, i) => {
        m[i] = beta * m[i]! + (1 - beta) * gi;
        v[i] = beta * v[i]! + (1 - beta) * gi * gi;
        const mHat = m[i]! / (1 - betaPower);
        const vHat = v[i]! / (1 - betaPower);
        const s = (vHat - mHat * mHat) / (1 - rho);
        const factor = Math.min(Math.max((mHat * mHat) / (mHat * mHat + rho * s), 0), 1);
        return -gamma * factor * mHat;
      });
      expect(relativeError(updates[t]!, expected), `step ${t + 1}`).toBeLessThan(1e-12);
    });
    // First step: s = 0, so the factor is 1 and the update is plain SGD.
    expect(relativeError(updates[0]!, GRADS[0]!.map((g) => -gamma * g))).toBeLessThan(1e-15);
  });

  it('M-SVAG gives factor 0 where m̂ = v̂ = 0 (the reference code\'s NaN → 0)', () => {
    const estimator = makeEstimator(2, REFERENCE, { structure: { kind: 'diagonal' }, track: {} });
    estimator.update({ batchSize: 1, meanGrad: Float64Array.from([0, 1]) });
    const t = scaleByMsvag({ decay: 0.9 });
    const result = t.update(Float64Array.from([0, 1]), t.init(2), context(estimator));
    expect(Array.from(result.updates)).toEqual([0, 1]);
    expect(result.diagnostics.meanSnr).toBe(0.5);
  });

  it('addDecayedWeights without params throws MISSING_INPUT naming params', () => {
    const estimator = makeEstimator(DIM, REFERENCE, { structure: { kind: 'diagonal' }, track: {} });
    estimator.update({ batchSize: 1, meanGrad: Float64Array.from(GRADS[0]!) });
    const optimizer = chain(addDecayedWeights(0.1), scaleByLearningRate(1));
    let error: unknown;
    try {
      optimizer.update(estimator.meanGrad(), optimizer.init(DIM), context(estimator, 4));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FisherdError);
    expect((error as FisherdError).code).toBe('MISSING_INPUT');
    expect((error as FisherdError).field).toBe('params');
    expect((error as FisherdError).step).toBe(4);
  });

  it('identity and an empty chain return the update unchanged, in a fresh array', () => {
    const estimator = makeEstimator(DIM, REFERENCE, { structure: { kind: 'diagonal' }, track: {} });
    const u = Float64Array.from([1, 2, 3]);
    for (const t of [identity(), chain()] as GradientTransformation[]) {
      const result = t.update(u, t.init(DIM), context(estimator));
      expect(result.updates).not.toBe(u);
      expect(Array.from(result.updates)).toEqual([1, 2, 3]);
    }
  });
});
