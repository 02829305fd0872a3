/**
 * Measurements that ride along without changing the update (optax/transforms/_monitoring.py). Put `monitor`
 * last in a chain: its input is then the final Δθ.
 */
import { isFisherdError } from '../errors.js';
import { log } from '../log.js';
import { asSchedule, scheduleValue } from './schedule.js';
import { EMPTY_STATE, type Diagnostics, type EmptyState, type GradientTransformation, type Schedule } from './types.js';
import { snrFactors } from './variance-adaptation.js';
import { cosine, norm2, norm2FromSquares } from './vec.js';

export interface MonitorOptions {
  /**
   * Damping λ of the two solves behind `cosineEfFisher`. Default: the optimizer's damping (makeOptimizer
   * passes it). The paper's Fig. 3 uses none; λ = 0 works only where both estimates are nonsingular.
   */
  readonly damping: number | Schedule;
}

/**
 * Returns its input unchanged and reports, from what the session tracks:
 * - `gradNorm` ‖ḡ‖ (bias-corrected mean gradient) and `updateNorm` ‖Δθ‖ (its input), always;
 * - `cosineEfFisher` = cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), the paper's Fig. 3 diagnostic, when both the empirical
 *   Fisher and the Fisher are tracked (omitted, with a debug log, if a solve is not positive definite);
 * - `meanSnr` = mean_i ḡ_i²/(ḡ_i² + ρS_ii) when the noise covariance S is tracked.
 */
export function monitor(options: MonitorOptions): GradientTransformation<EmptyState> {
  const damping = asSchedule(options.damping);
  // Work arrays for the measurements, reused from step to step: nothing computed here leaves `update`
  // but numbers, and fresh D-length arrays every step cost allocation and garbage collection.
  const scratch = { meanGrad: new Float64Array(0), a: new Float64Array(0), b: new Float64Array(0) };
  const sized = (dim: number) => {
    if (scratch.meanGrad.length !== dim) {
      scratch.meanGrad = new Float64Array(dim);
      scratch.a = new Float64Array(dim);
      scratch.b = new Float64Array(dim);
    }
    return scratch;
  };
  return {
    init: () => EMPTY_STATE,
    update(updates, state, ctx) {
      const { curvature } = ctx;
      const work = sized(curvature.dim);
      const given = ctx.meanGrad !== undefined && ctx.meanGrad.length === curvature.dim;
      const meanGrad = given ? ctx.meanGrad! : curvature.meanGrad(work.meanGrad);
      const gradNorm = given && ctx.meanGradNorm !== undefined ? ctx.meanGradNorm : norm2(meanGrad);
      // ‖Δθ‖ from the squares its writer recorded in the same pass (scaleByLearningRate), else a pass here
      const squares = ctx.workspace?.squaresOf?.(updates);
      const updateNorm = squares === undefined ? norm2(updates) : norm2FromSquares(squares, updates);
      let diagnostics: Diagnostics = { gradNorm, updateNorm };

      if (curvature.empiricalFisher !== undefined && curvature.fisher !== undefined) {
        const lambda = ctx.damping ?? scheduleValue(damping, ctx);
        try {
          const factored = given ? ctx.meanGradFactors : undefined;
          const efDirection = curvature.empiricalFisher.solve(meanGrad, lambda, work.a, factored);
          const fisherDirection = curvature.fisher.solve(meanGrad, lambda, work.b, factored);
          diagnostics = { ...diagnostics, cosineEfFisher: cosine(efDirection, fisherDirection) };
        } catch (e) {
          if (!isFisherdError(e, 'NOT_POSITIVE_DEFINITE')) throw e;
          log.debug({ step: ctx.step, damping: lambda }, 'cosineEfFisher omitted: a damped estimate is singular');
        }
      }

      if (curvature.noise !== undefined) {
        const factors = snrFactors(ctx, { meanGrad, noiseDiagonal: work.a, out: work.b });
        let sum = 0;
        for (let i = 0; i < factors.length; i++) sum += factors[i]!;
        diagnostics = { ...diagnostics, meanSnr: factors.length > 0 ? sum / factors.length : 0 };
      }

      return { updates, state, diagnostics }; // unchanged: the same array (nobody mutates it)
    },
  };
}
