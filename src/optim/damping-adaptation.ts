/**
 * Levenberg–Marquardt adaptation of the damping λ (Martens & Grosse 2015, "Optimizing Neural Networks with
 * Kronecker-factored Approximate Curvature", §6.5; as kfac-jax applies it: kfac_jax/_src/optimizer.py,
 * `Optimizer._compute_new_damping_and_rho`, `damping_decay_factor`, `should_update_damping`).
 *
 * Every T = `every` steps (steps T, 2T, 3T, … of the session, 1-based, as kfac-jax's
 * `(step_counter + 1) % interval == 0`), the rule compares the loss change an update Δ really caused with
 * the change its quadratic model predicted:
 *
 *   ρ = (L(θ+Δ) − L(θ)) / q(Δ),   q(Δ) = ḡᵀΔ + ½ Δᵀ(M + λI)Δ        (math.md, "Damping adaptation")
 *
 * M the estimate the rule solves with (the Fisher for ngd, the empirical Fisher for efgd; bias-corrected,
 * as the solve saw it), ḡ the rule's input (the bias-corrected mean gradient), Δ the update as sent
 * (float32), λ the damping of that step. Then, with ω = d^T (d = `decayFactor`, kfac-jax's
 * `damping_adaptation_decay`):
 *
 *   ρ > 3/4 → λ ← ω λ;   ρ < 1/4 → λ ← λ / ω;   otherwise unchanged;   then λ ← clip(λ, λ_min, λ_max).
 *
 * A NaN ρ (q = 0: Δ = 0) changes nothing, as in kfac-jax (both comparisons are false).
 *
 * Streaming: the daemon cannot evaluate the loss; the client sends L(θ_t) as step t's `loss` and
 * L(θ_t + Δ_t) *on the same batch* as the next step's `lossAfterPreviousUpdate` (kfac-jax evaluates the
 * new loss on the same batch too). So q(Δ_t) is computed at step t and kept in the state with L(θ_t); ρ
 * and the new λ are computed when step t+1 arrives, before its solve — the λ kfac-jax would use at step
 * t+1. A step t+1 without `lossAfterPreviousUpdate` (or a step t without `loss`) skips that adaptation.
 *
 * The whole chain runs inside this transform, which hands it the adapted λ as `StepContext.damping`
 * (the solve and the `cosineEfFisher` monitor read it instead of their damping schedule). λ is part of
 * the state: checkpoints and replays continue the λ sequence exactly.
 */
import { FisherdError } from '../errors.js';
import { log } from '../log.js';
import type { ChainState } from './combine.js';
import { requireEstimate, type EstimateName } from './precondition.js';
import type { GradientTransformation, StepContext, TransformResult } from './types.js';

/** The config record (`optimizer.dampingAdaptation`); see `validateDampingAdaptation` for the ranges. */
export interface DampingAdaptationSpec {
  /** T ≥ 1 (integer): adapt every T steps (kfac-jax's `damping_adaptation_interval`, default there 5). Required. */
  readonly every: number;
  /**
   * λ₀ ∈ [min, max], the damping of the first steps (kfac-jax's `initial_damping`). Default: the damping
   * schedule's value at t = 0 (`optimizer.damping`, itself 1e-8 by default), which must then lie in [min, max].
   */
  readonly initial?: number;
  /** λ_min > 0, the floor (kfac-jax's `min_damping`). Required. */
  readonly min: number;
  /** λ_max ≥ λ_min, finite, the ceiling (kfac-jax's `max_damping`). Required. */
  readonly max: number;
  /**
   * d ∈ (0, 1), the per-step decay; λ is multiplied or divided by ω = d^T at each adaptation
   * (kfac-jax's `damping_adaptation_decay`, default 0.9; Martens & Grosse 2015 used 19/20). Default 0.9.
   */
  readonly decayFactor?: number;
  /**
   * Whether q includes the damping term ½λ‖Δ‖² (kfac-jax's `include_damping_in_quad_change`, default
   * false there). Default true: q(Δ) = ḡᵀΔ + ½Δᵀ(M + λI)Δ, the (and Martens & Grosse's) model.
   */
  readonly includeDampingInModel?: boolean;
}

export const DEFAULT_DAMPING_DECAY = 0.9;
/** ρ below this raises λ, above `UPPER` lowers it (kfac-jax's `damping_lower_threshold` / `_upper_`). */
export const LOWER_THRESHOLD = 0.25;
export const UPPER_THRESHOLD = 0.75;

function invalid(field: string, message: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field} ${message}`, { field });
}

function finitePositive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/**
 * Throws INVALID_CONFIG naming the field: `every` an integer ≥ 1, `min` > 0, `max` finite ≥ min, `decayFactor`
 * in (0, 1), `initial` (or the damping at t = 0 given as `initialDefault`) in [min, max], and the rule one that
 * solves with a curvature estimate (ngd, efgd).
 */
export function validateDampingAdaptation(spec: unknown, optimizerName: string, initialDefault: number | undefined, prefix = 'optimizer.dampingAdaptation'): asserts spec is DampingAdaptationSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw invalid(prefix, 'must be a record');
  if (optimizerName !== 'ngd' && optimizerName !== 'efgd') {
    throw invalid(prefix, `needs an optimizer that solves with a curvature estimate (ngd or efgd), not ${optimizerName}`);
  }
  const s = spec as Record<string, unknown>;
  const every = s['every'];
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 1) throw invalid(`${prefix}.every`, `must be an integer ≥ 1, got ${String(every)}`);
  if (!finitePositive(s['min'])) throw invalid(`${prefix}.min`, `must be a finite number > 0, got ${String(s['min'])}`);
  const min = s['min'];
  if (!finitePositive(s['max']) || s['max'] < min) throw invalid(`${prefix}.max`, `must be finite and ≥ min (${min}), got ${String(s['max'])}`);
  const max = s['max'];
  const decay = s['decayFactor'];
  if (decay !== undefined && !(typeof decay === 'number' && decay > 0 && decay < 1)) {
    throw invalid(`${prefix}.decayFactor`, `must be in (0, 1), got ${String(decay)}`);
  }
  const include = s['includeDampingInModel'];
  if (include !== undefined && typeof include !== 'boolean') throw invalid(`${prefix}.includeDampingInModel`, 'must be a boolean');
  const initial = s['initial'];
  if (initial !== undefined) {
    if (typeof initial !== 'number' || !(initial >= min && initial <= max)) {
      throw invalid(`${prefix}.initial`, `must be in [min, max] = [${min}, ${max}], got ${String(initial)}`);
    }
  } else if (initialDefault === undefined || !(initialDefault >= min && initialDefault <= max)) {
    throw invalid(`${prefix}.initial`, `is required when optimizer.damping at t = 0 (${String(initialDefault)}) is outside [min, max] = [${min}, ${max}]`);
  }
}

/**
 * The state: λ, and the model of the last adaptation step's update waiting for its loss
 * (`pending`: L(θ_t) in `pendingLoss`, q(Δ_t) in `pendingModel`; zeros when not pending). Fixed shape,
 * so that `sameShape` checks a restored one.
 */
export type DampingAdaptationState = {
  readonly damping: number;
  readonly pending: boolean;
  readonly pendingLoss: number;
  readonly pendingModel: number;
  readonly inner: ChainState;
};

export interface DampingAdaptationOptions {
  readonly every: number;
  readonly initial: number;
  readonly min: number;
  readonly max: number;
  readonly decayFactor: number;
  readonly includeDampingInModel: boolean;
  /** The estimate the rule solves with: 'fisher' for ngd, 'empiricalFisher' for efgd. */
  readonly estimate: EstimateName;
}

/** ω = d^T (kfac-jax's `damping_decay_factor`). */
export function dampingDecayFactor(decay: number, every: number): number {
  return decay ** every;
}

/** The LM rule: λ' = clip(ωλ if ρ > 3/4, λ/ω if ρ < 1/4, else λ; λ_min, λ_max). NaN ρ leaves λ (clipped). */
export function adaptDamping(lambda: number, rho: number, omega: number, min: number, max: number): number {
  let next = lambda;
  if (rho > UPPER_THRESHOLD) next = lambda * omega;
  else if (rho < LOWER_THRESHOLD) next = lambda / omega;
  return Math.min(Math.max(next, min), max);
}

/**
 * q(Δ) = ḡᵀΔ + ½ΔᵀMΔ (+ ½λ‖Δ‖² with `includeDamping`), Δ rounded to float32 as the client applies it;
 * sums in float64. `work` is a D-array for MΔ.
 */
export function quadraticModel(
  meanGrad: Float64Array, update: Float64Array, matvec: (v: Float64Array, out: Float64Array) => Float64Array,
  lambda: number, includeDamping: boolean, work: Float64Array,
): number {
  const delta = work;
  for (let i = 0; i < update.length; i++) delta[i] = Math.fround(update[i]!);
  let linear = 0;
  let squared = 0;
  for (let i = 0; i < delta.length; i++) {
    linear += meanGrad[i]! * delta[i]!;
    squared += delta[i]! * delta[i]!;
  }
  const product = matvec(delta, new Float64Array(delta.length));
  let curvature = 0;
  for (let i = 0; i < delta.length; i++) curvature += delta[i]! * product[i]!;
  return linear + 0.5 * curvature + (includeDamping ? 0.5 * lambda * squared : 0);
}

/**
 * Wraps `inner` (the whole optimizer chain, monitor included) with LM damping adaptation. `inner` receives
 * the adapted λ as `ctx.damping`; the diagnostics carry `damping` (λ used this step) and, on a step that
 * adapted λ, `rho` (the ρ of the previous adaptation step's update).
 */
export function withDampingAdaptation(
  inner: GradientTransformation<ChainState>, options: DampingAdaptationOptions,
): GradientTransformation<DampingAdaptationState> {
  const omega = dampingDecayFactor(options.decayFactor, options.every);
  let work = new Float64Array(0);
  return {
    init: (dim) => ({ damping: options.initial, pending: false, pendingLoss: 0, pendingModel: 0, inner: inner.init(dim) }),
    update(updates, state, ctx: StepContext): TransformResult<DampingAdaptationState> {
      let lambda = state.damping;
      let rho: number | undefined;
      if (state.pending && ctx.lossAfterPreviousUpdate !== undefined) {
        const r = (ctx.lossAfterPreviousUpdate - state.pendingLoss) / state.pendingModel;
        lambda = adaptDamping(lambda, r, omega, options.min, options.max);
        if (Number.isFinite(r)) rho = r;
        else log.debug({ step: ctx.step, model: state.pendingModel }, 'damping adaptation: ρ is not finite (q = 0); λ kept');
      }
      const result = inner.update(updates, state.inner, { ...ctx, damping: lambda });
      let pending = false;
      let pendingLoss = 0;
      let pendingModel = 0;
      if (ctx.step % options.every === 0 && ctx.loss !== undefined) {
        if (work.length !== updates.length) work = new Float64Array(updates.length);
        const estimate = requireEstimate(ctx, options.estimate);
        const meanGrad = ctx.curvature.meanGrad();
        pendingModel = quadraticModel(meanGrad, result.updates, (v, out) => estimate.matvec(v, out), lambda, options.includeDampingInModel, work);
        pendingLoss = ctx.loss;
        pending = true;
      }
      return {
        updates: result.updates,
        state: { damping: lambda, pending, pendingLoss, pendingModel, inner: result.state },
        diagnostics: { ...result.diagnostics, damping: lambda, ...(rho === undefined ? {} : { rho }) },
      };
    },
  };
}
