/**
 * Minimizers the experiments need as reference points θ*: least squares through the normal equations,
 * and the logistic-regression maximum-likelihood estimate by Newton's method (the paper used scipy's
 * BFGS; Newton converges to the same point to machine precision on these non-separable data sets).
 */
import { FisherdError } from '../../errors.js';
import { choleskyFactor } from '../../linalg/cholesky.js';
import type { Problem } from '../problems/problem.js';
import type { Examples } from '../problems/problem.js';

/** argmin_θ ‖Xθ − y‖², by the normal equations XᵀXθ = Xᵀy (Cholesky, float64). */
export function leastSquares(examples: Examples): Float64Array {
  const { X, y, numExamples: N, numFeatures: D } = examples;
  const gram = new Float64Array(D * D);
  const rhs = new Float64Array(D);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < D; i++) {
      rhs[i] += X[n * D + i] * y[n];
      for (let j = i; j < D; j++) gram[i * D + j] += X[n * D + i] * X[n * D + j];
    }
  }
  return choleskyFactor(gram, D, 0).solve(rhs);
}

/**
 * Newton's method θ ← θ − F(θ)⁻¹∇L(θ) for a GLM with canonical link (where the Fisher is the Hessian),
 * from θ = 0 until ‖∇L‖ < `tolerance`.
 */
export function newtonMinimize(problem: Problem, options: { tolerance?: number; maxIterations?: number } = {}): Float64Array {
  const D = problem.dim;
  const tolerance = options.tolerance ?? 1e-12;
  const theta = new Float64Array(D);
  for (let iteration = 0; iteration < (options.maxIterations ?? 100); iteration++) {
    const evaluation = problem.evaluate(theta, { fisherFactorRows: true });
    let norm = 0;
    for (const g of evaluation.meanGrad) norm += g * g;
    if (Math.sqrt(norm) < tolerance) return theta;
    const fisher = denseSecondMoment(evaluation.fisherFactorRows!, evaluation.batchSize, D);
    const step = choleskyFactor(fisher, D, 0).solve(evaluation.meanGrad);
    for (let i = 0; i < D; i++) theta[i] -= step[i];
  }
  throw new FisherdError('INTERNAL', `Newton's method did not reach ‖∇L‖ < ${tolerance}`);
}

/** (1/b) Σ_r v_r v_rᵀ of a row block (rows × D), full symmetric, float64. */
export function denseSecondMoment(rows: Float64Array, batchSize: number, D: number): Float64Array {
  const out = new Float64Array(D * D);
  const count = rows.length / D;
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < D; i++) {
      const a = rows[r * D + i] / batchSize;
      if (a === 0) continue;
      for (let j = 0; j < D; j++) out[i * D + j] += a * rows[r * D + j];
    }
  }
  return out;
}
