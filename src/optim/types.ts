/**
 * The shape of an update rule, after optax's `GradientTransformation` (optax/_src/base.py): a pair of pure
 * functions `init(dim) → state` and `update(updates, state, ctx) → { updates, state, diagnostics }`.
 *
 * The session threads the state; a transform keeps nothing in `this`. Same input stream + same initial
 * state ⇒ same updates, which is what makes checkpoints and trace replay exact.
 */
import type { CurvatureEstimator } from '../curvature/estimator.js';
import type { FactoredSlices } from '../curvature/symmetric-estimate.js';

/**
 * What a transform's state may hold: plain data only (numbers, booleans, strings, null, Float64Arrays,
 * arrays and records of those), so that a session can checkpoint it without knowing the transform.
 * States are written as `type` aliases (not interfaces) so that they are assignable to this type.
 */
export type OptState =
  | number
  | boolean
  | string
  | null
  | Float64Array
  | readonly OptState[]
  | { readonly [key: string]: OptState };

/** The state of a transform that keeps none (optax's `EmptyState`). */
export type EmptyState = Readonly<Record<string, never>>;

/** The one empty state every stateless transform returns. */
export const EMPTY_STATE: EmptyState = Object.freeze({});

/** Read-only inputs of one step, shared by every transform of a chain. */
export interface StepContext {
  /**
   * The session's step index, starting at 1 (the protocol's). Schedules are evaluated at t = step − 1, the
   * number of updates before this one (`scheduleValue`), so that t = 0 on the first step as in optax.
   */
  readonly step: number;
  /** The running estimates, already updated with this step's batch. */
  readonly curvature: CurvatureEstimator;
  /** The current parameters θ, when the client sends them (needed by `addDecayedWeights`). */
  readonly params?: Float64Array;
  /**
   * Where a transform may take the arrays it returns as `updates` or needs as scratch during the step
   * (never those it keeps in its state):
   * arrays that stay valid until the caller's next step, when the caller reuses them. A caller that
   * passes one copies what it keeps of the result (the session rounds the final update to float32) and
   * saves an allocation per transform per step (a D-length allocation costs ~3× a pass over it). Absent:
   * transforms allocate fresh arrays. Take them through `outputArray`.
   */
  readonly workspace?: Workspace;
  /**
   * The damping λ of this step when an outer transform chooses it (LM damping adaptation,
   * damping-adaptation.ts): the solves and the monitor use it instead of their damping schedule.
   */
  readonly damping?: number;
  /** L(θ_t), this step's loss (the sample-weighted mean of the workers' losses), when sent. */
  readonly loss?: number;
  /** L(θ_{t−1} + Δ_{t−1}) on step t−1's batch, when every worker sent it (damping adaptation). */
  readonly lossAfterPreviousUpdate?: number;
  /**
   * `curvature.meanGrad()` of this step, when the caller already has it (the session passes the chain's
   * input): read-only; the monitor reads it instead of computing ḡ again (a D-long pass saved per step).
   */
  readonly meanGrad?: Float64Array;
  /**
   * ‖meanGrad‖₂ (`norm2(meanGrad)`, bit for bit), with `meanGrad`, when the caller computed it in the pass
   * that wrote meanGrad (the session: from the EMA's update): the monitor then does not read ḡ again.
   */
  readonly meanGradNorm?: number;
  /**
   * Slices of `meanGrad` as low-rank products (Kronecker blocks whose client sent the gradient sum as
   * factors, when ḡ is this step's mean: emaDecay 0), for solves of `meanGrad` itself: a preconditioner
   * whose input is `meanGrad` (the same array) passes them to the estimate's solve (math.md, "Low-rank
   * gradient sums"). Read-only.
   */
  readonly meanGradFactors?: FactoredSlices;
}

/** Arrays for one step's intermediate updates (see `StepContext.workspace`; `StepWorkspace` is one). */
export interface Workspace {
  /** An array of `length` entries, with arbitrary contents, not handed out again before the caller's next step. */
  vector(length: number): Float64Array;
  /**
   * Optional. Records Σ x_i² of `array` (one of this workspace's, just written and returned as `updates` by the
   * transform that took it), summed in index order as `norm2` sums it, so that a later transform of the step
   * reads ‖x‖ without a pass over x (`monitor`). Valid while nobody writes the array: transforms never write
   * their inputs, and the workspace forgets the note when it hands the array out again or is reset.
   */
  noteSquares?(array: Float64Array, squares: number): void;
  /** Optional. The Σ x_i² recorded for `array` by `noteSquares`, if any. */
  squaresOf?(array: Float64Array): number | undefined;
}

/** An array for a transform's returned `updates`: from `ctx.workspace` when there is one, else fresh. */
export function outputArray(ctx: StepContext, length: number): Float64Array {
  return ctx.workspace?.vector(length) ?? new Float64Array(length);
}

/**
 * Measurements that ride along with an update without changing it (optax/transforms/_monitoring.py).
 * Every field is optional: a transform reports what it can compute from what is tracked.
 */
export interface Diagnostics {
  /** ‖ḡ‖₂ of the (bias-corrected) mean gradient. */
  readonly gradNorm?: number;
  /** ‖Δθ‖₂ of the update returned to the client. */
  readonly updateNorm?: number;
  /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), the paper's Fig. 3 diagnostic; only when both estimates are tracked. */
  readonly cosineEfFisher?: number;
  /** Mean of the SNR factors D_ii = ḡ_i²/(ḡ_i² + ρS_ii) over the coordinates; only when S is tracked. */
  readonly meanSnr?: number;
  /** The step size γ_t the schedule gave this step. */
  readonly stepSize?: number;
  /** The damping λ_t the schedule (or the damping adaptation) gave this step. */
  readonly damping?: number;
  /** The reduction ratio ρ of the last adaptation step's update, on the step that adapted λ from it. */
  readonly rho?: number;
}

export interface TransformResult<S extends OptState> {
  /**
   * The transformed update: a fresh array, or `updates` itself from a transform that leaves it unchanged
   * (e.g. `monitor`). Either way nobody mutates it (see `update`); `chain` returns a fresh array always.
   */
  readonly updates: Float64Array;
  readonly state: S;
  readonly diagnostics: Diagnostics;
}

/**
 * An update rule. Methods (not function-valued properties) on purpose: method parameters are checked
 * bivariantly, so a `GradientTransformation<TraceState>` can sit in a list of `GradientTransformation<OptState>`.
 */
export interface GradientTransformation<S extends OptState = OptState> {
  /** The initial state for a parameter vector of length `dim`. */
  init(dim: number): S;
  /**
   * Pure: never mutates `updates`, `state` or anything reachable from `ctx`, and keeps no reference to
   * `updates` in the state it returns (so that a caller may reuse that array for the next step).
   */
  update(updates: Float64Array, state: S, ctx: StepContext): TransformResult<S>;
}

/** A schedule: a value (step size, damping) as a function of the step index t = 0, 1, 2, …. */
export type Schedule = (step: number) => number;
