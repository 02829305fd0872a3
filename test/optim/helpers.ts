/**
 * Fixtures for the optimizer tests: the numpy oracle, estimators fed with known batches, and a step
 * context. Float64 oracles (dense solves, seeded normals) come from the curvature tests' helpers.
 */
import { CurvatureEstimator, type Structure } from '../../src/curvature/index.js';
import type { Backend } from '../../src/linalg/backend.js';
import type { StepContext } from '../../src/optim/index.js';

export { BACKENDS, REFERENCE, Rng, bitwiseEqual, denseSolve, relativeError } from '../curvature/helpers.js';

import { ORACLE, type OracleCase } from '../fixtures/update-vectors.js';

export { ORACLE, type OracleCase };

/**
 * Relative tolerance of an update computed on `backend` against the float64 oracle (max-abs error over
 * max |oracle|). float64: 1e-10. float32 storage: 1e-4. The estimates carry relative errors ~ε₃₂·(b + D)
 * and the damped solves (float64 Cholesky) amplify them by their condition number (≤ 367 over the fixture's
 * cases); measured worst case 3.7e-6 (openblas) and 3.1e-6 (gpujs), so 1e-4 leaves a 25× margin.
 */
export function updateTolerance(backend: Backend): number {
  return backend.dtype === 'float64' ? 1e-10 : 1e-4;
}

/**
 * The same for a low-rank estimate on float32 storage: Woodbury's (1/λ)(v − Uᵀ(…)⁻¹Uv) cancels about
 * log₁₀(‖A‖/λ) of float32's 7 digits (3–4 at the fixture's λ = 1e-3, 1e-4); measured worst 5.0e-4: 5e-3.
 */
export function lowRankUpdateTolerance(backend: Backend): number {
  return backend.dtype === 'float64' ? 1e-10 : 5e-3;
}

export interface Track {
  empiricalFisher?: boolean;
  fisher?: boolean;
  noise?: boolean;
}

/** An estimator tracking `track` (default: everything), structure full unless given, decay 0 unless given. */
export function makeEstimator(
  dim: number,
  backend: Backend,
  options: { structure?: Structure; decay?: number; track?: Track } = {},
): CurvatureEstimator {
  const track = options.track ?? { empiricalFisher: true, fisher: true, noise: true };
  return new CurvatureEstimator(
    {
      dim,
      structure: options.structure ?? { kind: 'full' },
      decay: options.decay ?? 0,
      track: { empiricalFisher: !!track.empiricalFisher, fisher: !!track.fisher, noise: !!track.noise },
    },
    backend,
  );
}

/** Feeds one batch of per-example rows (b×D) and sampled-label rows (b·K×D) to `estimator`. */
export function feed(
  estimator: CurvatureEstimator,
  grads: Float64Array,
  batchSize: number,
  sampled?: { rows: Float64Array; samplesPerExample: number },
): void {
  const dim = estimator.dim;
  const { track } = estimator.config;
  const needsRows = track.empiricalFisher || track.noise;
  estimator.update({
    batchSize,
    ...(needsRows
      ? { perExampleGrads: [{ rows: grads, count: batchSize, dim, scale: 1 }] }
      : { meanGrad: meanOfRows(grads, batchSize, dim) }),
    ...(track.fisher && sampled
      ? {
        sampledLabelGrads: {
          blocks: [{ rows: sampled.rows, count: batchSize * sampled.samplesPerExample, dim, scale: 1 }],
          samplesPerExample: sampled.samplesPerExample,
        },
      }
      : {}),
  });
}

export function meanOfRows(rows: ArrayLike<number>, count: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) for (let i = 0; i < dim; i++) mean[i] += rows[r * dim + i]! / count;
  return mean;
}

/** The oracle case's batch in an estimator (decay 0, so the estimates are exactly this batch's). */
export function oracleEstimator(c: OracleCase, backend: Backend, structure: Structure = { kind: 'full' }): CurvatureEstimator {
  const estimator = makeEstimator(c.dim, backend, { structure });
  feed(estimator, Float64Array.from(c.perExampleGrads.flat()), c.batch, {
    rows: Float64Array.from(c.sampledLabelGrads.flat()),
    samplesPerExample: c.samplesPerExample,
  });
  return estimator;
}

export function context(curvature: CurvatureEstimator, step = 1, params?: Float64Array): StepContext {
  return params === undefined ? { step, curvature } : { step, curvature, params };
}

/** A random batch: b per-example rows around a mean, and K sampled rows per example. */
export function randomBatch(
  rng: { normal(): number },
  dim: number,
  batchSize: number,
  samplesPerExample = 1,
  noise = 1,
): { grads: Float64Array; sampled: { rows: Float64Array; samplesPerExample: number } } {
  const centre = Float64Array.from({ length: dim }, () => rng.normal());
  const grads = Float64Array.from({ length: batchSize * dim }, (_, k) => centre[k % dim]! + noise * rng.normal());
  const rows = Float64Array.from({ length: batchSize * samplesPerExample * dim }, () => rng.normal());
  return { grads, sampled: { rows, samplesPerExample } };
}
