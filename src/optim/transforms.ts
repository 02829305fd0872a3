/**
 * Curvature-free building blocks (optax/_src/transform.py): step size, momentum, weight decay, Adam.
 */
import { FisherdError } from '../errors.js';
import { activeNativeKernels, NATIVE_MIN_LENGTH } from '../linalg/native-kernels.js';
import { asSchedule, scheduleValue } from './schedule.js';
import { EMPTY_STATE, outputArray, type EmptyState, type GradientTransformation, type Schedule } from './types.js';

/** The native step-size pass's running sum (`scaleByLearningRate`). */
const squaresScratch = new Float64Array(1);

/**
 * Δθ = −γ_t · u: turns a descent direction into a parameter update (optax's `scale_by_learning_rate`,
 * whose sign convention it keeps: the client adds Δθ to θ).
 * @param stepSize γ, a number or a schedule of the step index.
 */
export function scaleByLearningRate(stepSize: number | Schedule): GradientTransformation<EmptyState> {
  const schedule = asSchedule(stepSize);
  return {
    init: () => EMPTY_STATE,
    update(updates, state, ctx) {
      const gamma = scheduleValue(schedule, ctx);
      const out = outputArray(ctx, updates.length);
      const workspace = ctx.workspace;
      if (workspace?.noteSquares === undefined) {
        for (let i = 0; i < out.length; i++) out[i] = -gamma * updates[i]!;
      } else {
        // Σ Δθ_i² in the same pass (norm2's order), for the monitor's ‖Δθ‖ (Workspace.noteSquares): natively
        // where the native kernels run (the same operations, the sum in coordinate order)
        const k = out.length >= NATIVE_MIN_LENGTH && updates instanceof Float64Array ? activeNativeKernels() : undefined;
        let squares = 0;
        if (k !== undefined) {
          squaresScratch[0] = 0;
          k.scaleSquares(out.length, updates, -gamma, out, squaresScratch);
          squares = squaresScratch[0]!;
        } else {
          for (let i = 0; i < out.length; i++) {
            const v = -gamma * updates[i]!;
            out[i] = v;
            squares += v * v;
          }
        }
        workspace.noteSquares(out, squares);
      }
      return { updates: out, state, diagnostics: { stepSize: gamma } };
    },
  };
}

export type TraceState = { readonly trace: Float64Array };

export interface TraceOptions {
  /** Momentum coefficient μ ∈ [0, 1). */
  readonly decay: number;
  /** Nesterov's variant: return u + μ·v_t instead of v_t. Default false. */
  readonly nesterov?: boolean;
}

/**
 * Heavy-ball momentum (optax's `trace`): v_t = u_t + μ·v_{t−1}, returns v_t, or u_t + μ·v_t with Nesterov.
 * No (1−μ) factor, so with constant u the steady-state update is u/(1−μ), as in PyTorch's SGD.
 */
export function traceMomentum(options: TraceOptions): GradientTransformation<TraceState> {
  const { decay, nesterov = false } = options;
  return {
    init: (dim) => ({ trace: new Float64Array(dim) }),
    update(updates, state, ctx) {
      const trace = new Float64Array(updates.length);
      for (let i = 0; i < trace.length; i++) trace[i] = updates[i]! + decay * state.trace[i]!;
      // The returned update never aliases the state: a caller may write into it.
      const out = outputArray(ctx, updates.length);
      for (let i = 0; i < out.length; i++) out[i] = nesterov ? updates[i]! + decay * trace[i]! : trace[i]!;
      return { updates: out, state: { trace }, diagnostics: {} };
    },
  };
}

/**
 * u + κ·θ: decoupled weight decay (optax's `add_decayed_weights`, AdamW's placement: after the
 * preconditioner, before the step size). Needs `ctx.params`; throws MISSING_INPUT without them.
 * @param weightDecay κ ≥ 0.
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation<EmptyState> {
  return {
    init: () => EMPTY_STATE,
    update(updates, state, ctx) {
      const params = ctx.params;
      if (params === undefined) {
        throw new FisherdError('MISSING_INPUT', 'weight decay needs the current parameters: send params with every step', {
          field: 'params',
          step: ctx.step,
        });
      }
      if (params.length !== updates.length) {
        throw new FisherdError('SHAPE_MISMATCH', `params has length ${params.length}, expected ${updates.length}`, {
          field: 'params',
          step: ctx.step,
        });
      }
      const out = outputArray(ctx, updates.length);
      for (let i = 0; i < out.length; i++) out[i] = updates[i]! + weightDecay * params[i]!;
      return { updates: out, state, diagnostics: {} };
    },
  };
}

export type AdamState = { readonly count: number; readonly mu: Float64Array; readonly nu: Float64Array };

export interface AdamOptions {
  /** Decay of the first-moment EMA, β₁ ∈ [0, 1). Default 0.9. */
  readonly b1?: number;
  /** Decay of the second-moment EMA, β₂ ∈ [0, 1). Default 0.999. */
  readonly b2?: number;
  /** Added to √ν̂ in the denominator, > 0. Default 1e-8. */
  readonly eps?: number;
}

/**
 * Adam's direction (Kingma & Ba 2015; optax's `scale_by_adam`):
 *   μ_t = β₁μ_{t−1} + (1−β₁)u,  ν_t = β₂ν_{t−1} + (1−β₂)u²,
 *   μ̂ = μ_t/(1−β₁ᵗ),  ν̂ = ν_t/(1−β₂ᵗ),  returns μ̂ / (√ν̂ + ε).
 */
export function scaleByAdam(options: AdamOptions = {}): GradientTransformation<AdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = options;
  return {
    init: (dim) => ({ count: 0, mu: new Float64Array(dim), nu: new Float64Array(dim) }),
    update(updates, state, ctx) {
      const count = state.count + 1;
      const mu = new Float64Array(updates.length);
      const nu = new Float64Array(updates.length);
      const out = outputArray(ctx, updates.length);
      const c1 = 1 - b1 ** count;
      const c2 = 1 - b2 ** count;
      for (let i = 0; i < out.length; i++) {
        const u = updates[i]!;
        mu[i] = b1 * state.mu[i]! + (1 - b1) * u;
        nu[i] = b2 * state.nu[i]! + (1 - b2) * u * u;
        out[i] = mu[i]! / c1 / (Math.sqrt(nu[i]! / c2) + eps);
      }
      return { updates: out, state: { count, mu, nu }, diagnostics: {} };
    },
  };
}
