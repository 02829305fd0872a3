/**
 * What every structure shares: the EMA clock, the input checks of the public methods (run before any state
 * changes), and the trivial answers before the first update. Subclasses implement the `*Checked` methods on
 * validated input and the streaming `beginUpdate / accumulate / commitUpdate` protocol.
 */
import { FisherdError, isFisherdError } from '../errors.js';
import type { Backend } from '../linalg/backend.js';
import { EmaClock } from './ema.js';
import { validateRowBlocks, type RowBlock } from './rows.js';
import type { Structure } from './structure.js';
import type {
  AccumulatingEstimate,
  EstimateSnapshot,
  FactoredSlices,
  ResolvedEstimateOptions,
} from './symmetric-estimate.js';
import { requireDamping, requireDecay, requireInteger, requireOutput, requireVector } from './validate.js';

export abstract class EstimateBase implements AccumulatingEstimate {
  abstract readonly structure: Structure;
  protected readonly clock = new EmaClock();
  private checkpointClock: { steps: number; decayProduct: number } | undefined;

  constructor(
    readonly dim: number,
    protected readonly backend: Backend,
    protected readonly options: ResolvedEstimateOptions,
  ) {}

  get steps(): number {
    return this.clock.steps;
  }

  update(blocks: readonly RowBlock[], decay: number): void {
    requireDecay(decay);
    validateRowBlocks(blocks, this.dim, 'blocks');
    this.checkRowBlocks(blocks);
    this.beginUpdate(decay);
    for (const block of blocks) this.accumulate(block);
    this.commitUpdate();
  }

  solve(v: Float64Array, damping: number, out?: Float64Array, factored?: FactoredSlices): Float64Array {
    requireVector(v, this.dim, 'v');
    requireDamping(damping);
    requireOutput(out, this.dim);
    const result = out ?? new Float64Array(this.dim);
    if (this.clock.steps === 0) return solveZero(v, damping, result);
    try {
      return this.solveChecked(v, damping, result, factored);
    } catch (e) {
      throw withDampingField(e, damping);
    }
  }

  matvec(v: Float64Array, out?: Float64Array): Float64Array {
    requireVector(v, this.dim, 'v');
    requireOutput(out, this.dim);
    const result = out ?? new Float64Array(this.dim);
    if (this.clock.steps === 0) return result.fill(0);
    return this.matvecChecked(v, result);
  }

  diagonal(out?: Float64Array): Float64Array {
    requireOutput(out, this.dim);
    const result = out ?? new Float64Array(this.dim);
    if (this.clock.steps === 0) return result.fill(0);
    return this.diagonalChecked(result);
  }

  trace(): number {
    return this.clock.steps === 0 ? 0 : this.traceChecked();
  }

  topEigenvalues(k: number): Float64Array {
    requireInteger(k, 0, 'k');
    if (k > this.dim) {
      throw new FisherdError('INVALID_CONFIG', `k = ${k} exceeds dim = ${this.dim}`, { field: 'k' });
    }
    if (this.clock.steps === 0 || k === 0) return new Float64Array(k);
    return this.topEigenvaluesChecked(k);
  }

  dense(): Float64Array {
    if (this.dim > this.options.denseMaxDim) {
      throw new FisherdError(
        'INVALID_CONFIG',
        `dense() builds a D×D matrix; D = ${this.dim} exceeds denseMaxDim = ${this.options.denseMaxDim}`,
        { field: 'dim' },
      );
    }
    const result = new Float64Array(this.dim * this.dim);
    if (this.clock.steps === 0) return result;
    return this.denseChecked(result);
  }

  restore(snapshot: EstimateSnapshot): void {
    if (snapshot?.kind !== this.structure.kind) {
      throw new FisherdError(
        'INVALID_CONFIG',
        `snapshot of a ${String(snapshot?.kind)} estimate cannot restore a ${this.structure.kind} one`,
        { field: 'snapshot.kind' },
      );
    }
    if (snapshot.dim !== this.dim) {
      throw new FisherdError('SHAPE_MISMATCH', `snapshot has dim ${snapshot.dim}, estimate has ${this.dim}`, {
        field: 'snapshot.dim',
      });
    }
    requireInteger(snapshot.steps, 0, 'snapshot.steps');
    if (snapshot.kind !== 'blocks' && !(snapshot.decayProduct >= 0 && snapshot.decayProduct <= 1)) {
      throw new FisherdError('INVALID_CONFIG', `snapshot.decayProduct must lie in [0, 1], got ${snapshot.decayProduct}`, {
        field: 'snapshot.decayProduct',
      });
    }
    this.restoreChecked(snapshot);
    this.clock.steps = snapshot.steps;
    if (snapshot.kind !== 'blocks') this.clock.decayProduct = snapshot.decayProduct;
  }

  checkpoint(): void {
    this.checkpointClock = { steps: this.clock.steps, decayProduct: this.clock.decayProduct };
    this.saveState();
  }

  rollback(): void {
    const saved = this.checkpointClock;
    if (saved === undefined) throw new FisherdError('INTERNAL', 'rollback() of an estimate without a checkpoint()');
    this.restoreSavedState();
    this.clock.steps = saved.steps;
    this.clock.decayProduct = saved.decayProduct;
  }

  /** Structure-specific checks of valid row blocks before an update (a Kronecker block refuses rows). */
  protected checkRowBlocks(_blocks: readonly RowBlock[]): void {}

  abstract beginUpdate(decay: number): void;
  abstract accumulate(block: RowBlock): void;
  abstract commitUpdate(): void;
  abstract snapshot(): EstimateSnapshot;

  /** `(A_t/(1−β^t) + λI)⁻¹ v` into `out` (t ≥ 1); `factored` as `SymmetricEstimate.solve` (may be ignored). */
  protected abstract solveChecked(v: Float64Array, damping: number, out: Float64Array, factored?: FactoredSlices): Float64Array;
  protected abstract matvecChecked(v: Float64Array, out: Float64Array): Float64Array;
  protected abstract diagonalChecked(out: Float64Array): Float64Array;
  protected abstract traceChecked(): number;
  protected abstract topEigenvaluesChecked(k: number): Float64Array;
  /** Writes the bias-corrected estimate into the zeroed D×D `out`. */
  protected abstract denseChecked(out: Float64Array): Float64Array;
  /** Checks the kind-specific fields of a snapshot (kind and dim already match) and adopts its arrays. */
  protected abstract restoreChecked(snapshot: EstimateSnapshot): void;
  /**
   * Sets the kind-specific state aside: copies it into the checkpoint buffers, or holds arrays that the next
   * update does not write (the clock is saved by the base).
   */
  protected abstract saveState(): void;
  /** Returns to the state set aside (the clock is restored by the base) and drops cached factors. */
  protected abstract restoreSavedState(): void;
}

/** `(0 + λI)⁻¹ v`: the answer of an estimate that has seen no data (or a low-rank one with no rows). */
export function solveZero(v: Float64Array, damping: number, out: Float64Array): Float64Array {
  if (damping === 0) {
    throw new FisherdError('NOT_POSITIVE_DEFINITE', 'the estimate is zero (no data yet); a solve needs damping > 0', {
      field: 'damping',
    });
  }
  for (let i = 0; i < v.length; i++) out[i] = v[i] / damping;
  return out;
}

/** A NOT_POSITIVE_DEFINITE from a factorization, re-thrown naming the damping that was too small. */
export function withDampingField(e: unknown, damping: number): unknown {
  if (isFisherdError(e, 'NOT_POSITIVE_DEFINITE') && e.field === undefined) {
    return new FisherdError('NOT_POSITIVE_DEFINITE', `${e.message} (damping ${damping})`, { field: 'damping', cause: e });
  }
  return e;
}

/** Throws SHAPE_MISMATCH (naming `field`) unless a snapshot array has the expected length. */
export function requireSnapshotLength(values: ArrayLike<number>, length: number, field: string): void {
  if (!(values instanceof Float64Array || values instanceof Float32Array) || values.length !== length) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} must be a typed array of length ${length}`, { field });
  }
}
