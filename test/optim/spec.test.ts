/** `makeOptimizer`'s validation, `requiredEstimates`, and that the spec builds the documented chain. */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { makeOptimizer, requiredEstimates, validateOptimizerSpec, type OptimizerSpec } from '../../src/optim/index.js';
import { REFERENCE, Rng, context, feed, makeEstimator, relativeError } from './helpers.js';

function fieldOf(spec: unknown): string | undefined {
  try {
    validateOptimizerSpec(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(FisherdError);
    expect((e as FisherdError).code).toBe('INVALID_CONFIG');
    expect((e as FisherdError).message).toContain((e as FisherdError).field!);
    return (e as FisherdError).field;
  }
  return undefined;
}

describe('validateOptimizerSpec', () => {
  it.each([
    [{ name: 'ngd', stepSize: 0.1, damping: -1 }, 'optimizer.damping'],
    [{ name: 'sgd', stepSize: 0 }, 'optimizer.stepSize'],
    [{ name: 'sgd', stepSize: -0.1 }, 'optimizer.stepSize'],
    [{ name: 'sgd' }, 'optimizer.stepSize'],
    [{ name: 'lbfgs', stepSize: 1 }, 'optimizer.name'],
    [{ name: 'sgd', stepSize: 1, momentum: 1 }, 'optimizer.momentum'],
    [{ name: 'sgd', stepSize: 1, momentum: -0.1 }, 'optimizer.momentum'],
    [{ name: 'sgd', stepSize: 1, nesterov: true }, 'optimizer.nesterov'],
    [{ name: 'sgd', stepSize: 1, weightDecay: -1 }, 'optimizer.weightDecay'],
    [{ name: 'snr', stepSize: 1, snrVariance: 'sample' }, 'optimizer.snrVariance'],
    [{ name: 'snr', stepSize: 1, msvagDecay: 0 }, 'optimizer.msvagDecay'],
    [{ name: 'adam', stepSize: 1, momentum: 0.9 }, 'optimizer.momentum'],
    [{ name: 'adam', stepSize: 1, adam: { b2: 1 } }, 'optimizer.adam.b2'],
    [{ name: 'adam', stepSize: 1, adam: { eps: 0 } }, 'optimizer.adam.eps'],
    [null, 'optimizer'],
  ])('%j → INVALID_CONFIG at %s', (spec, field) => {
    expect(fieldOf(spec)).toBe(field);
  });

  it('accepts every documented field', () => {
    const spec: OptimizerSpec = {
      name: 'va', stepSize: { kind: 'cosine', init: 0.1, decaySteps: 100, alpha: 0.01 }, damping: 0,
      momentum: 0.9, nesterov: true, weightDecay: 1e-4, blockwise: true,
    };
    expect(fieldOf(spec)).toBeUndefined();
  });
});

describe('requiredEstimates', () => {
  it.each([
    ['sgd', {}, { empiricalFisher: false, fisher: false, noise: false }],
    ['adam', {}, { empiricalFisher: false, fisher: false, noise: false }],
    ['ngd', {}, { empiricalFisher: false, fisher: true, noise: false }],
    ['efgd', {}, { empiricalFisher: true, fisher: false, noise: false }],
    ['snr', {}, { empiricalFisher: false, fisher: false, noise: true }],
    ['snr', { snrVariance: 'moments' }, { empiricalFisher: false, fisher: false, noise: false }],
    ['va', {}, { empiricalFisher: false, fisher: false, noise: true }],
  ] as const)('%s %j', (name, extra, expected) => {
    expect(requiredEstimates({ name, stepSize: 1, ...extra })).toEqual(expected);
  });
});

describe('makeOptimizer', () => {
  const rng = new Rng(11);
  const rows = Float64Array.from({ length: 4 * 3 }, () => rng.normal());
  const estimator = makeEstimator(3, REFERENCE, { track: { empiricalFisher: true } });
  feed(estimator, rows, 4);

  it('uses the default damping 1e-8 when none is given', () => {
    const withDefault = makeOptimizer({ name: 'efgd', stepSize: 1 });
    const explicit = makeOptimizer({ name: 'efgd', stepSize: 1, damping: 1e-8 });
    const a = withDefault.update(estimator.meanGrad(), withDefault.init(3), context(estimator));
    const b = explicit.update(estimator.meanGrad(), explicit.init(3), context(estimator));
    expect(Array.from(a.updates)).toEqual(Array.from(b.updates));
    expect(a.diagnostics.damping).toBe(1e-8);
  });

  it('reports gradNorm, updateNorm, stepSize and damping; monitor leaves Δθ unchanged', () => {
    const optimizer = makeOptimizer({ name: 'efgd', stepSize: 0.3, damping: 1e-2 });
    const { updates, diagnostics } = optimizer.update(estimator.meanGrad(), optimizer.init(3), context(estimator));
    const g = estimator.meanGrad();
    const direct = estimator.empiricalFisher!.solve(g, 1e-2).map((x) => -0.3 * x);
    expect(relativeError(updates, direct)).toBeLessThan(1e-15);
    expect(diagnostics.gradNorm).toBeCloseTo(Math.hypot(...g), 14);
    expect(diagnostics.updateNorm).toBeCloseTo(Math.hypot(...updates), 14);
    expect(diagnostics.stepSize).toBe(0.3);
    expect(diagnostics.damping).toBe(1e-2);
    expect(diagnostics.cosineEfFisher).toBeUndefined(); // the Fisher is not tracked
    expect(diagnostics.meanSnr).toBeUndefined(); // nor is S
  });

  it('throws INVALID_CONFIG for a bad spec', () => {
    expect(() => makeOptimizer({ name: 'ngd', stepSize: 1, damping: -1 })).toThrow(/optimizer\.damping must be ≥ 0/);
  });
});
