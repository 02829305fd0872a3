/**
 * Curvature preconditioners: solve with a running estimate, u ↦ (A + λ_t I)⁻¹ u (math.md, "Updates").
 *
 *   NGD:  (F + λI)⁻¹ ḡ   F from sampled labels (Monte-Carlo) or exact factor rows (= GGN, Prop. 1)
 *   EFGD: (Ẽ + λI)⁻¹ ḡ   Ẽ the empirical Fisher, the gradient's non-central second moment (eq. 18)
 *
 * The estimates are the bias-corrected EMAs the session keeps; the solve runs in the structure the
 * estimate is stored in (full: Cholesky, diagonal: elementwise, blocks: per block, low-rank: Woodbury).
 */
import { FisherdError } from '../errors.js';
import type { SymmetricEstimate } from '../curvature/symmetric-estimate.js';
import { asSchedule, scheduleValue } from './schedule.js';
import { EMPTY_STATE, outputArray, type EmptyState, type GradientTransformation, type Schedule, type StepContext } from './types.js';

/** The curvature estimates a preconditioner can solve with. */
export type EstimateName = 'fisher' | 'empiricalFisher' | 'noise';

const DESCRIPTION: Record<EstimateName, string> = {
  fisher: 'the Fisher (send sampledLabelGrads or fisherFactorRows and track it)',
  empiricalFisher: 'the empirical Fisher (send perExampleGrads and track it)',
  noise: 'the noise covariance S (send perExampleGrads and track it)',
};

/** The named estimate of `ctx.curvature`; MISSING_INPUT when the session does not track it. */
export function requireEstimate(ctx: StepContext, name: EstimateName): SymmetricEstimate {
  const estimate = ctx.curvature[name];
  if (estimate === undefined) {
    throw new FisherdError('MISSING_INPUT', `this optimizer needs ${DESCRIPTION[name]}`, { field: name, step: ctx.step });
  }
  return estimate;
}

export interface SolveOptions {
  /** Damping λ ≥ 0 (Tikhonov / Levenberg–Marquardt), a number or a schedule of the step index. */
  readonly damping: number | Schedule;
}

/** u ↦ (A + λ_t I)⁻¹ u with the named estimate A. The building block behind `scaleByFisher` and friends. */
export function scaleByInverse(name: EstimateName, options: SolveOptions): GradientTransformation<EmptyState> {
  const damping = asSchedule(options.damping);
  return {
    init: () => EMPTY_STATE,
    update(updates, state, ctx) {
      const lambda = ctx.damping ?? scheduleValue(damping, ctx);
      // `solve` writes into another array: `updates` is never touched. ḡ's low-rank factors, when the input is ḡ.
      const factored = updates === ctx.meanGrad ? ctx.meanGradFactors : undefined;
      const out = requireEstimate(ctx, name).solve(updates, lambda, outputArray(ctx, updates.length), factored);
      return { updates: out, state, diagnostics: { damping: lambda } };
    },
  };
}

/**
 * Natural-gradient preconditioner: u ↦ (F + λI)⁻¹ u. Which Fisher (Monte-Carlo from sampled labels, or
 * exact from factor rows) is the session's `fisherSource`; the solve is the same.
 */
export function scaleByFisher(options: SolveOptions): GradientTransformation<EmptyState> {
  return scaleByInverse('fisher', options);
}

/** Empirical-Fisher preconditioner: u ↦ (Ẽ + λI)⁻¹ u, Ẽ = (1/b) Σ g_n g_nᵀ (EMA'd). */
export function scaleByEmpiricalFisher(options: SolveOptions): GradientTransformation<EmptyState> {
  return scaleByInverse('empiricalFisher', options);
}
