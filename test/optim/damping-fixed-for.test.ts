/**
 * `dampingFixedFor`: for how many consecutive steps an optimizer's λ stays the same, which π-damped K-FAC
 * blocks use to decide whether a damped factor's inverse pays (src/curvature/kronecker-decomposition.ts).
 */
import { describe, expect, it } from 'vitest';
import { dampingFixedFor, type OptimizerSpec } from '../../src/optim/spec.js';

describe('dampingFixedFor', () => {
  it('is Infinity for a constant λ, T_damp under Levenberg–Marquardt, 1 for a schedule', () => {
    const cases: [OptimizerSpec, number][] = [
      [{ name: 'ngd', stepSize: 0.1, damping: 1e-3 }, Infinity],
      [{ name: 'ngd', stepSize: 0.1 }, Infinity],
      [{ name: 'ngd', stepSize: 0.1, damping: { kind: 'constant', value: 1e-2 } }, Infinity],
      [{ name: 'ngd', stepSize: 0.1, damping: { kind: 'exponential', init: 1e-2, decayRate: 0.5, transitionSteps: 10 } } as OptimizerSpec, 1],
      [{ name: 'ngd', stepSize: 0.1, damping: 1e-3, dampingAdaptation: { every: 5 } } as OptimizerSpec, 5],
    ];
    for (const [spec, want] of cases) expect(dampingFixedFor(spec)).toBe(want);
  });
});
