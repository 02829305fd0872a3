/**
 * The independent numpy oracle (test/fixtures/update-vectors.json): single-batch sgd/efgd/ngd/snr/va updates
 * and the EF-vs-NGD cosine, reproduced through the real estimator and `makeOptimizer` on every backend and
 * in every structure that represents the case's estimates exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../src/curvature/index.js';
import { makeOptimizer, type OptimizerName } from '../../src/optim/index.js';
import type { Backend } from '../../src/linalg/backend.js';
import {
  BACKENDS, ORACLE, context, lowRankUpdateTolerance, oracleEstimator, relativeError, updateTolerance, type OracleCase,
} from './helpers.js';

const NAMES = ['sgd', 'efgd', 'ngd', 'snr', 'va'] as const satisfies readonly OptimizerName[];

/**
 * Structures in which the case's batch is represented exactly (low-rank with rank ≥ every row count).
 * Low-rank only for λ ≥ 1e-5: Woodbury's (1/λ)(v − Uᵀ(λW⁻¹ + UUᵀ)⁻¹Uv) cancels about log₁₀(‖A‖/λ) digits,
 * which at λ = 1e-6 (random-4) leaves ~1e-9 in float64 and nothing in float32.
 */
function exactStructures(c: OracleCase, backend: Backend): { label: string; structure: Structure; tol: number }[] {
  const rank = c.batch * c.samplesPerExample;
  return [
    { label: 'full', structure: { kind: 'full' }, tol: updateTolerance(backend) },
    ...(c.damping >= 1e-5
      ? [{ label: 'lowrank', structure: { kind: 'lowrank', rank } as const, tol: lowRankUpdateTolerance(backend) }]
      : []),
  ];
}

describe('optimizers vs the numpy oracle', () => {
  for (const backend of BACKENDS) {
    describe(`${backend.name} (${backend.dtype})`, () => {
      for (const c of ORACLE) {
        for (const { label, structure, tol } of exactStructures(c, backend)) {
          it(`${c.name}, ${label} (relative tolerance ${tol}): sgd, efgd, ngd, snr, va and the EF-vs-NGD cosine`, () => {
            const estimator = oracleEstimator(c, backend, structure);
            for (const name of NAMES) {
              const optimizer = makeOptimizer({ name, stepSize: c.stepSize, damping: c.damping });
              const { updates, diagnostics } = optimizer.update(estimator.meanGrad(), optimizer.init(c.dim), context(estimator));
              expect(relativeError(updates, c.updates[name]), name).toBeLessThan(tol);
              expect(Math.abs(diagnostics.cosineEfFisher! - c.cosineEfgdVsNgd), `${name} cosine`).toBeLessThan(tol);
            }
          });
        }
      }
    });
  }

  it('the oracle distinguishes the optimizers (a test that could not fail would not)', () => {
    for (const c of ORACLE) {
      for (const a of NAMES) {
        for (const b of NAMES) {
          if (a < b) expect(relativeError(c.updates[a], c.updates[b]), `${c.name}: ${a} vs ${b}`).toBeGreaterThan(1e-3);
        }
      }
    }
  });
});
