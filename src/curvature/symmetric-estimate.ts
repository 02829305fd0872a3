/**
 * The contract of a running symmetric D×D estimate (architecture.md, "curvature → optim / session"): an
 * EMA with bias correction of `Â_t = Σ_blocks scale · Σ_r w_r v_r v_rᵀ`, in one of the structures of
 * `structure.ts`, that answers damped solves, mat-vecs, its diagonal, trace and top eigenvalues.
 */
import type { Vec } from '../linalg/backend.js';
import type { KroneckerState } from './kronecker-estimate.js';
import type { RowBlock } from './rows.js';
import type { LeafStructure, Structure } from './structure.js';

export interface SymmetricEstimate {
  readonly dim: number;
  readonly structure: Structure;
  /** t, the number of updates so far. */
  readonly steps: number;
  /**
   * `A ← βA + (1−β)Â`, `t ← t+1`, with `Â = Σ_blocks scale·Σ_r w_r v_r v_rᵀ` (math.md, "Running estimates").
   * Validates everything first: a throw leaves the estimate unchanged.
   */
  update(blocks: readonly RowBlock[], decay: number): void;
  /**
   * `(A_t/(1−β^t) + λI)⁻¹ v`; `out` may alias `v`. Throws NOT_POSITIVE_DEFINITE when the damped matrix is
   * singular. `factored`: slices of `v` the caller also holds as low-rank products (`FactoredSlices`);
   * structures that can multiply by those factors instead (Kronecker blocks) do so where it is cheaper, with
   * the same result to rounding; the others ignore them.
   */
  solve(v: Float64Array, damping: number, out?: Float64Array, factored?: FactoredSlices): Float64Array;
  /** The bias-corrected `A_t/(1−β^t) · v`; `out` may alias `v`. */
  matvec(v: Float64Array, out?: Float64Array): Float64Array;
  /** The diagonal of the bias-corrected estimate. */
  diagonal(out?: Float64Array): Float64Array;
  /** The trace of the bias-corrected estimate. */
  trace(): number;
  /** The k largest eigenvalues of the bias-corrected estimate, descending (k ≤ dim). */
  topEigenvalues(k: number): Float64Array;
  /** The bias-corrected estimate as a dense row-major D×D matrix (small D only). */
  dense(): Float64Array;
  /** The state as plain data (numbers and typed arrays, copied); `restore` of it is bit-identical. */
  snapshot(): EstimateSnapshot;
  /** Replaces the state with a snapshot of an estimate of the same dim and structure. */
  restore(snapshot: EstimateSnapshot): void;
}

/**
 * One low-rank product: scale · vec(Lᵀ R) with L rank × out and R rank × in' (row-major), laid out as a
 * Kronecker block lays out its out·in' coordinates (the weight row-major, then the bias column).
 */
export interface LowRankTerm {
  readonly rank: number;
  /** L, rank × out. */
  readonly left: Float32Array | Float64Array;
  /** R, rank × in'. */
  readonly right: Float32Array | Float64Array;
  readonly scale: number;
}

/**
 * Slices of a vector known as sums of low-rank products (math.md, "Low-rank gradient sums"), by the offset
 * of the slice in the vector: v[offset, offset + out·in') = Σ_terms scale·vec(Lᵀ R), exactly the values of v
 * there up to the rounding of forming them. A session passes ḡ's Kronecker blocks this way when the client
 * sent them as `sumFactors` (and ḡ is this step's mean).
 */
export type FactoredSlices = ReadonlyMap<number, readonly LowRankTerm[]>;

/** Shared by every snapshot: `A_t` is stored un-normalized, with the clock that normalizes it. */
interface SnapshotClock {
  dim: number;
  steps: number;
  /** Π β_i over the updates so far (`β^t` for a constant decay). */
  decayProduct: number;
}

/** Stored state of each structure; arrays are in the storage type of the backend that produced them. */
export type EstimateSnapshot =
  | (SnapshotClock & { kind: 'full'; matrix: Vec })
  | (SnapshotClock & { kind: 'diagonal'; diagonal: Vec })
  | (SnapshotClock & {
      kind: 'lowrank';
      rank: number;
      /** Rows of U in use (≤ rank between updates). */
      rowCount: number;
      /** U, rowCount × dim, with `A_t = UᵀU`. */
      factor: Vec;
      /** The Gram UUᵀ as maintained by the updates (rowCount × rowCount, float64). */
      gram: Float64Array;
    })
  | (SnapshotClock & { kind: 'kronecker' } & KroneckerState)
  | {
      kind: 'blocks';
      dim: number;
      steps: number;
      blocks: { name: string; size: number; estimate: EstimateSnapshot }[];
    };

/**
 * The streaming form of `update` that every structure implements: `update(blocks, β)` is
 * `beginUpdate(β)`, `accumulate(block)` for each block, `commitUpdate()`. The estimator uses it directly to
 * feed rows it transforms chunk by chunk (the centred rows of the noise covariance) without one big copy.
 * None of these validate: the caller has. `accumulate` does not keep a reference to the block's rows.
 */
export interface AccumulatingEstimate extends SymmetricEstimate {
  beginUpdate(decay: number): void;
  accumulate(block: RowBlock): void;
  commitUpdate(): void;
  /**
   * Sets the state aside (a session does this every step, so that a step whose later part fails can be
   * undone): copied into buffers allocated on the first call and reused after, or, for a Kronecker block's
   * factors, held as they are while the next update writes new ones beside them (copy on write).
   */
  checkpoint(): void;
  /** Returns to the state of the last `checkpoint()`, bit for bit. Throws INTERNAL without one. */
  rollback(): void;
}

/** Tuning of the solvers and the work arrays; every field is optional. */
export interface EstimateOptions {
  /** Largest D at which a full estimate is solved by a float64 Cholesky factorization; above it by CG. Default 4096. */
  choleskyMaxDim?: number;
  /** Largest D at which `topEigenvalues` of a full estimate uses a dense eigendecomposition; above it Lanczos. Default 1024. */
  denseEigenMaxDim?: number;
  /** Largest D for which `dense()` builds the D×D matrix. Default 4096 (128 MiB of float64). */
  denseMaxDim?: number;
  /** CG stops at relative residual ‖r‖/‖v‖ below this. Default 1e-10 (float64 storage) or 1e-6 (float32). */
  cgTolerance?: number;
  /** CG iteration cap. Default: D. */
  cgMaxIterations?: number;
  /** Numbers per scratch chunk when rows must be transformed (weighted, centred, split into blocks). Default 2²² (32 MiB f64). */
  chunkElements?: number;
  /**
   * For how many consecutive solves the damping λ stays the same: Infinity for a constant λ, T_damp under
   * Levenberg–Marquardt adaptation, 1 for a λ schedule (default 1: nothing known). π-damped Kronecker blocks
   * keep a damped factor's inverse when forming it pays over min(T_inv, this) solves (kronecker-
   * decomposition.ts `dampedInverses`); the update is the same either way up to rounding.
   */
  dampingFixedFor?: number;
}

export type ResolvedEstimateOptions = Required<Omit<EstimateOptions, 'cgTolerance' | 'cgMaxIterations'>> &
  Pick<EstimateOptions, 'cgTolerance' | 'cgMaxIterations'>;

export const DEFAULT_ESTIMATE_OPTIONS: ResolvedEstimateOptions = {
  choleskyMaxDim: 4096,
  denseEigenMaxDim: 1024,
  denseMaxDim: 4096,
  chunkElements: 1 << 22,
  dampingFixedFor: 1,
};

export function resolveEstimateOptions(options: EstimateOptions = {}): ResolvedEstimateOptions {
  return { ...DEFAULT_ESTIMATE_OPTIONS, ...stripUndefined(options) };
}

function stripUndefined(options: EstimateOptions): EstimateOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as EstimateOptions;
}

/** Narrowing helper for the leaf kinds. */
export function isLeaf(structure: Structure): structure is LeafStructure {
  return structure.kind !== 'blocks';
}
