/**
 * Variance adaptation: preconditioners that shrink the update in directions where the gradient is noisy,
 * instead of adapting to curvature (the paper's §5, eqs. 18–19).
 *
 *   SNR (diagonal):  D_ii = ḡ_i² / (ḡ_i² + S_ii)                         (Schaul et al. 2013; Balles & Hennig 2018)
 *   VA  (full):      M = (S + ḡḡᵀ)⁻¹ ḡḡᵀ,  M ḡ = ‖ḡ‖² (S+λI)⁻¹ḡ / (1 + ḡᵀ(S+λI)⁻¹ḡ)   (eq. 19, Sherman–Morrison)
 *
 * S = C/b is the noise covariance of the minibatch mean (math.md). Both rules read ḡ and S from the
 * running estimates and apply the resulting linear map to the incoming update u (u = ḡ at the head of a chain).
 *
 * Running estimates. With EMA decay β > 0, ḡ_t is an average over past batches, whose variance is not S but
 * ρ(β, t)·S with
 *   ρ(β, t) = (1−β)(1+βᵗ) / ((1+β)(1−βᵗ))
 * (Balles & Hennig 2018, "Dissecting Adam: The Sign, Magnitude and Variance of Stochastic Gradients",
 * ICML, §4 / M-SVAG: the variance of a bias-corrected EMA of i.i.d. terms). Both rules therefore use ρS in
 * place of S; with β = 0 (this batch only) ρ = 1 and they are exactly math.md's formulas.
 */
import type { CurvatureEstimator } from '../curvature/estimator.js';
import { asSchedule, scheduleValue } from './schedule.js';
import { requireEstimate, type SolveOptions } from './precondition.js';
import { EMPTY_STATE, outputArray, type EmptyState, type GradientTransformation, type StepContext } from './types.js';
import { dot } from './vec.js';

/**
 * ρ(β, t) = (1−β)(1+βᵗ)/((1+β)(1−βᵗ)): Var[bias-corrected EMA of t i.i.d. terms] / Var[one term]
 * (Balles & Hennig 2018, M-SVAG). 1 for β = 0 or t ≤ 1; decreases to (1−β)/(1+β) as t grows.
 */
export function emaVarianceFactor(decay: number, t: number): number {
  if (decay === 0 || t <= 1) return 1;
  const bt = decay ** t;
  return ((1 - decay) * (1 + bt)) / ((1 + decay) * (1 - bt));
}

/** ρ for the estimator's mean gradient: its EMA decay and the number of batches it has seen. */
function meanGradVarianceFactor(curvature: CurvatureEstimator): number {
  return emaVarianceFactor(curvature.config.decay, curvature.steps);
}

/**
 * The SNR factors D_ii = ḡ_i² / (ḡ_i² + ρ·S_ii) from the estimates, in [0, 1]. A coordinate with
 * ḡ_i = S_ii = 0 gets 0 (M-SVAG's convention for its 0/0). Throws MISSING_INPUT when S is not tracked.
 */
export function snrFactors(ctx: StepContext, work: SnrWork = {}): Float64Array {
  const noiseDiagonal = requireEstimate(ctx, 'noise').diagonal(work.noiseDiagonal);
  return snrFactorsFrom(work.meanGrad ?? ctx.curvature.meanGrad(), noiseDiagonal, meanGradVarianceFactor(ctx.curvature), work.out);
}

/** Arrays `snrFactors` may use instead of fresh ones (each of length D). */
export interface SnrWork {
  /** The bias-corrected ḡ of this step, already computed (`CurvatureEstimator.meanGrad`). */
  meanGrad?: Float64Array;
  /** Where diag(S) is read into. */
  noiseDiagonal?: Float64Array;
  /** Where the factors are written (may be `noiseDiagonal`). */
  out?: Float64Array;
}

/**
 * D_ii = ḡ_i² / (ḡ_i² + ρ·S_ii) from a bias-corrected ḡ, diag(S) and the EMA variance factor ρ
 * (`emaVarianceFactor`); 0 where ḡ_i = S_ii = 0. The one formula the optimizer and the dashboard share.
 */
export function snrFactorsFrom(meanGrad: Float64Array, noiseDiagonal: Float64Array, rho: number, out?: Float64Array): Float64Array {
  const factors = out ?? new Float64Array(meanGrad.length);
  for (let i = 0; i < factors.length; i++) {
    const signal = meanGrad[i]! * meanGrad[i]!;
    const denominator = signal + rho * Math.max(noiseDiagonal[i]!, 0);
    factors[i] = denominator > 0 ? Math.min(signal / denominator, 1) : 0;
  }
  return factors;
}

/**
 * Diagonal variance adaptation: u ↦ D u with D_ii = ḡ_i² / (ḡ_i² + ρ(β,t)·S_ii) (math.md's SNR rule;
 * Schaul et al. 2013, "No more pesky learning rates"; Balles & Hennig 2018, "Dissecting Adam", whose M-SVAG
 * factor m²/(m² + ρ s) this is, with s = S_ii measured from per-example gradients instead of M-SVAG's
 * moment estimate; see `scaleByMsvag` for the latter). Needs the noise estimate S (per-example gradients).
 * Diagnostics: `meanSnr`, the mean of D_ii.
 */
export function scaleBySnr(): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update(updates, state, ctx) {
      const factors = snrFactors(ctx);
      const out = outputArray(ctx, updates.length);
      let sum = 0;
      for (let i = 0; i < out.length; i++) {
        out[i] = factors[i]! * updates[i]!;
        sum += factors[i]!;
      }
      return { updates: out, state, diagnostics: { meanSnr: out.length > 0 ? sum / out.length : 0 } };
    },
  };
}

export type MsvagState = { readonly count: number; readonly m: Float64Array; readonly v: Float64Array };

export interface MsvagOptions {
  /** EMA decay β ∈ (0, 1) of the gradient and its square. Default 0.9 (the paper's recommendation). */
  readonly decay?: number;
}

/**
 * M-SVAG exactly as Balles & Hennig 2018 ("Dissecting Adam", Alg. 1; reference code lballes/msvag) for
 * clients that send only ḡ (no per-example gradients, hence no S): from its own EMAs of u and u²,
 *   m̂ = m_t/(1−βᵗ),  v̂ = v_t/(1−βᵗ),  s = (v̂ − m̂²)/(1 − ρ),  γ = m̂²/(m̂² + ρ s) ∈ [0, 1],
 * returns γ ∘ m̂. ρ = ρ(β, t) is capped at 0.999 as in the reference code, which only matters at t = 1
 * (where v̂ − m̂² = 0, so s = 0 and γ = 1). Coordinates with m̂ = v̂ = 0 get γ = 0.
 */
export function scaleByMsvag(options: MsvagOptions = {}): GradientTransformation<MsvagState> {
  const { decay = 0.9 } = options;
  return {
    init: (dim) => ({ count: 0, m: new Float64Array(dim), v: new Float64Array(dim) }),
    update(updates, state, ctx) {
      const count = state.count + 1;
      const correction = 1 - decay ** count;
      const rho = Math.min(emaVarianceFactor(decay, count), 0.999);
      const m = new Float64Array(updates.length);
      const v = new Float64Array(updates.length);
      const out = outputArray(ctx, updates.length);
      let sum = 0;
      for (let i = 0; i < out.length; i++) {
        const u = updates[i]!;
        m[i] = decay * state.m[i]! + (1 - decay) * u;
        v[i] = decay * state.v[i]! + (1 - decay) * u * u;
        const mHat = m[i]! / correction;
        const vHat = v[i]! / correction;
        const signal = mHat * mHat;
        const variance = (vHat - signal) / (1 - rho);
        const ratio = signal / (signal + rho * variance);
        const factor = Number.isNaN(ratio) ? 0 : Math.min(Math.max(ratio, 0), 1);
        out[i] = factor * mHat;
        sum += factor;
      }
      return { updates: out, state: { count, m, v }, diagnostics: { meanSnr: out.length > 0 ? sum / out.length : 0 } };
    },
  };
}

export interface VarianceAdaptationOptions extends SolveOptions {
  /**
   * Apply Sherman–Morrison per parameter block (each block's M_k built from ḡ_k and S_k alone) instead of
   * once for the whole vector. Default false: eq. 19 is global, M = (S + ḡḡᵀ)⁻¹ḡḡᵀ with ḡḡᵀ coupling all
   * blocks even when S is block-diagonal, and the block-diagonal S only makes (S+λI)⁻¹ cheap. Per-block
   * adaptation is the K-FAC-style approximation that also drops ḡḡᵀ's cross-block terms; it has no effect
   * unless S has the 'blocks' structure.
   */
  readonly blockwise?: boolean;
}

/**
 * Full variance adaptation (the paper's eq. 19, minibatch form): u ↦ M u with
 *   M = (ρS + ḡḡᵀ)⁻¹ ḡḡᵀ  ⇒  M u = (ḡᵀu) · x / (1 + ḡᵀx),  x = (ρS + λI)⁻¹ ḡ
 * by Sherman–Morrison, so only the structured solve with S is needed (full, diagonal, block, low-rank).
 * For u = ḡ this is math.md's ‖ḡ‖²(S+λI)⁻¹ḡ/(1 + ḡᵀ(S+λI)⁻¹ḡ). (ρS + λI)⁻¹ = ρ⁻¹(S + (λ/ρ)I)⁻¹, so the
 * estimate's own damped solve serves. Limits: S = 0, λ → 0 gives the projection of u on ḡ (= u for u = ḡ,
 * i.e. SGD); growing S shrinks the update toward 0.
 */
export function scaleByVarianceAdaptation(options: VarianceAdaptationOptions): GradientTransformation<EmptyState> {
  const damping = asSchedule(options.damping);
  const blockwise = options.blockwise ?? false;
  return {
    init: () => EMPTY_STATE,
    update(updates, state, ctx) {
      const noise = requireEstimate(ctx, 'noise');
      const lambda = scheduleValue(damping, ctx);
      const rho = meanGradVarianceFactor(ctx.curvature);
      const meanGrad = ctx.curvature.meanGrad();
      const x = noise.solve(meanGrad, lambda / rho, outputArray(ctx, meanGrad.length));
      for (let i = 0; i < x.length; i++) x[i] = x[i]! / rho;

      const structure = noise.structure;
      const ranges: [number, number][] = [];
      if (blockwise && structure.kind === 'blocks') {
        let offset = 0;
        for (const block of structure.blocks) {
          ranges.push([offset, offset + block.size]);
          offset += block.size;
        }
      } else {
        ranges.push([0, x.length]);
      }

      const out = outputArray(ctx, updates.length);
      for (const [begin, end] of ranges) {
        const gu = dot(meanGrad.subarray(begin, end), updates.subarray(begin, end));
        const gx = dot(meanGrad.subarray(begin, end), x.subarray(begin, end));
        const coefficient = gu / (1 + gx);
        for (let i = begin; i < end; i++) out[i] = coefficient * x[i]!;
      }
      return { updates: out, state, diagnostics: { damping: lambda } };
    },
  };
}
