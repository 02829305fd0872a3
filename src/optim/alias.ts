/**
 * The public optimizers: thin aliases that chain the building blocks (optax/_src/alias.py). The long
 * documentation (formula from math.md, references) lives here, on the alias.
 *
 * Every alias returns the update Δθ to add to θ, in the averaged-loss scale of math.md (so that γ and λ
 * compare with the paper's Table 6). The common tail, in this order, is
 *   [addDecayedWeights(κ)] → [traceMomentum(μ)] → scaleByLearningRate(γ)
 * so that weight decay is decoupled from the preconditioner (AdamW's placement) and momentum averages
 * preconditioned directions (what heavy-ball NGD does). Each part is present only when enabled.
 */
import { chain, type ChainState } from './combine.js';
import { scaleByEmpiricalFisher, scaleByFisher } from './precondition.js';
import { addDecayedWeights, scaleByAdam, scaleByLearningRate, traceMomentum, type AdamOptions } from './transforms.js';
import type { GradientTransformation, Schedule } from './types.js';
import { scaleByMsvag, scaleBySnr, scaleByVarianceAdaptation } from './variance-adaptation.js';

export interface CommonOptions {
  /** Step size γ > 0, a number or a schedule. */
  readonly stepSize: number | Schedule;
  /** Heavy-ball momentum μ ∈ [0, 1): v_t = u_t + μ v_{t−1}. Default 0 (none). */
  readonly momentum?: number;
  /** Nesterov momentum (u_t + μ v_t). Default false. */
  readonly nesterov?: boolean;
  /** Decoupled weight decay κ ≥ 0, added as κθ after the preconditioner. Needs params. Default 0. */
  readonly weightDecay?: number;
}

export interface DampedOptions extends CommonOptions {
  /** Damping λ ≥ 0 of the solve, a number or a schedule. */
  readonly damping: number | Schedule;
}

export type Optimizer = GradientTransformation<ChainState>;

function withTail(head: readonly GradientTransformation[], options: CommonOptions): Optimizer {
  const { stepSize, momentum = 0, nesterov = false, weightDecay = 0 } = options;
  return chain(
    ...head,
    ...(weightDecay > 0 ? [addDecayedWeights(weightDecay)] : []),
    ...(momentum > 0 ? [traceMomentum({ decay: momentum, nesterov })] : []),
    scaleByLearningRate(stepSize),
  );
}

/**
 * Stochastic gradient descent: Δθ = −γ ḡ (math.md, "Updates"; Robbins & Monro 1951).
 * With momentum μ: v_t = ḡ_t + μ v_{t−1}, Δθ = −γ v_t (Polyak's heavy ball; Nesterov with `nesterov`).
 * Needs only ḡ (per-example gradients or the mean gradient).
 */
export function sgd(options: CommonOptions): Optimizer {
  return withTail([], options);
}

/**
 * Natural gradient descent: Δθ = −γ (F + λI)⁻¹ ḡ (math.md; Amari 1998; the paper's eq. 51).
 * F is the Fisher, either Monte-Carlo from sampled labels, F̂ = (1/(bK)) Σ_n Σ_k g̃_{n,k} g̃_{n,k}ᵀ with
 * ỹ_{n,k} ~ p(·|f(x_n,θ)), or exact from factor rows, F = (1/b) Σ_n J_nᵀ H_n J_n (= the generalized
 * Gauss–Newton for exponential families, the paper's Prop. 1). Needs the `fisher` estimate.
 */
export function ngd(options: DampedOptions): Optimizer {
  return withTail([scaleByFisher({ damping: options.damping })], options);
}

/**
 * Empirical-Fisher gradient descent: Δθ = −γ (Ẽ + λI)⁻¹ ḡ with Ẽ = (1/b) Σ g_n g_nᵀ (math.md; the paper's
 * eq. 52). The paper's point: Ẽ uses the training labels, so it is not an estimate of F, and far from a
 * minimum its inverse rescales the gradient by roughly 1/‖ḡ‖ (§4.3, Fig. 1). Needs `empiricalFisher`.
 */
export function efgd(options: DampedOptions): Optimizer {
  return withTail([scaleByEmpiricalFisher({ damping: options.damping })], options);
}

export interface SnrOptions extends CommonOptions {
  /**
   * Where the variance comes from. 'noise' (default): the noise covariance S = C/b measured from
   * per-example gradients, D_ii = ḡ_i²/(ḡ_i² + ρS_ii). 'moments': M-SVAG's own EMA estimate from the
   * stream of mean gradients alone (for clients that send only ḡ); the direction is then M-SVAG's γ∘m̂.
   */
  readonly variance?: 'noise' | 'moments';
  /** M-SVAG's EMA decay β ∈ (0, 1) for variance 'moments'. Default 0.9. */
  readonly msvagDecay?: number;
}

/**
 * Diagonal variance adaptation ("SNR"): Δθ = −γ D ḡ, D_ii = ḡ_i² / (ḡ_i² + S_ii) (math.md; the paper's §5;
 * Schaul, Zhang & LeCun 2013, "No more pesky learning rates"; Balles & Hennig 2018, "Dissecting Adam: The
 * Sign, Magnitude and Variance of Stochastic Gradients", who show these factors minimize
 * E‖Dg − ∇L‖² over diagonal D). 0 ≤ D_ii ≤ 1. With running estimates (EMA decay β > 0) S is replaced by
 * ρ(β,t)·S, the variance of the averaged gradient, following M-SVAG (see `scaleBySnr`).
 * Needs the `noise` estimate (per-example gradients), unless `variance: 'moments'`.
 */
export function snr(options: SnrOptions): Optimizer {
  const head = options.variance === 'moments'
    ? scaleByMsvag(options.msvagDecay === undefined ? {} : { decay: options.msvagDecay })
    : scaleBySnr();
  return withTail([head], options);
}

export interface VaOptions extends DampedOptions {
  /** Sherman–Morrison per parameter block instead of globally (eq. 19). Default false. */
  readonly blockwise?: boolean;
}

/**
 * Full variance adaptation ("VA", the paper's eq. 19 in minibatch form): Δθ = −γ M ḡ with
 *   M = (S + ḡḡᵀ)⁻¹ ḡḡᵀ,  M ḡ = ‖ḡ‖² (S+λI)⁻¹ḡ / (1 + ḡᵀ(S+λI)⁻¹ḡ)   (Sherman–Morrison)
 * where S = C/b is the noise covariance of the minibatch mean. Eq. 18 (N·Ẽ = Σ + ∇L∇Lᵀ) is why the paper
 * reads EF preconditioning as variance adaptation rather than curvature: (S + ḡḡᵀ) plays the role of the
 * EF, and the multiplication by ḡḡᵀ undoes the EF's 1/‖ḡ‖ scaling. Limits: S = 0, λ → 0 gives SGD; growing
 * S shrinks the step toward 0. Needs the `noise` estimate (any structure; low-rank needs λ > 0).
 */
export function va(options: VaOptions): Optimizer {
  const head = scaleByVarianceAdaptation({ damping: options.damping, blockwise: options.blockwise ?? false });
  return withTail([head], options);
}

export interface AdamAliasOptions extends Omit<CommonOptions, 'momentum' | 'nesterov'>, AdamOptions {}

/**
 * Adam (Kingma & Ba 2015), AdamW with `weightDecay` (Loshchilov & Hutter 2019):
 *   μ_t = β₁μ + (1−β₁)ḡ, ν_t = β₂ν + (1−β₂)ḡ², Δθ = −γ (μ_t/(1−β₁ᵗ)) / (√(ν_t/(1−β₂ᵗ)) + ε).
 * The reference point the paper discusses (§5): ν is a diagonal, exponentially averaged second moment of
 * mini-batch gradients, a "square-root empirical Fisher"; Balles & Hennig 2018 read its success as
 * variance adaptation (sign × SNR factor) rather than curvature.
 */
export function adam(options: AdamAliasOptions): Optimizer {
  return withTail([scaleByAdam(options)], { stepSize: options.stepSize, weightDecay: options.weightDecay ?? 0 });
}
