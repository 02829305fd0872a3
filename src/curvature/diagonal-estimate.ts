/**
 * The diagonal structure: only `diag(A_t)` is kept (D numbers), updated by `syrkDiag`
 * (`d ← βd + (1−β)·scale·Σ_r w_r v_r∘v_r`) and solved elementwise (math.md, "Structures").
 */
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import { scaled } from '../linalg/reference.js';
import { requireSnapshotLength } from './estimate-base.js';
import { InPlaceEstimate } from './in-place-estimate.js';
import { StorageScratch } from './scratch.js';
import type { EstimateSnapshot, ResolvedEstimateOptions } from './symmetric-estimate.js';

export class DiagonalEstimate extends InPlaceEstimate {
  readonly structure = { kind: 'diagonal' } as const;
  /** diag(A_t), un-normalized. (Swapped with `spare` by `commitSpare`.) */
  protected state: Vec;
  private readonly vectorScratch: StorageScratch;
  /** Where a fused step writes the next state (`spareState`; allocated on first use). */
  private spare: Vec | undefined;

  constructor(dim: number, backend: Backend, options: ResolvedEstimateOptions) {
    super(dim, backend, options);
    this.state = backend.zeros(dim);
    this.vectorScratch = new StorageScratch(backend);
  }

  protected addRows(rows: Vec, count: number, alpha: number, beta: number): void {
    this.backend.syrkDiag(this.state, rows, count, this.dim, alpha, beta);
  }

  /**
   * The streaming `accumulate` for rows whose sum of squares the caller already has, `squares = Σ_r v_r∘v_r`
   * (unweighted, length dim, float64): `d ← βd + (1−β)·scale·squares`, between `beginUpdate` and
   * `commitUpdate` like `accumulate`. The estimator uses it to take Σ g_n∘g_n from the same pass over the
   * per-example rows that gives ḡ (`Backend.syrkDiag` with `columnSums`). Validates nothing.
   */
  accumulateSumOfSquares(squares: Float64Array, scale: number): void {
    const alpha = this.alphaFor(scale);
    const beta = this.nextBeta();
    const d = this.state;
    for (let i = 0; i < this.dim; i++) d[i] = scaled(beta, d[i]) + alpha * squares[i];
  }

  /**
   * For a fused step that computes the next state in one pass with everything else of the step
   * (src/session/statistics-step.ts): the current state (read-only for the caller) and a spare array of the
   * same storage to write `βd + α·q` into. Nothing changes until `commitSpare`; abandoning the spare leaves
   * the estimate exactly as it was (no checkpoint copy needed).
   */
  fusedState(): { state: Vec; next: Vec } {
    this.spare ??= this.backend.zeros(this.dim);
    return { state: this.state, next: this.spare };
  }

  /** The bias correction `1/(1 − β^t)` the estimate will have once an update with `decay` is committed. */
  correctionAfter(decay: number): number {
    return 1 / (1 - this.clock.decayProduct * decay);
  }

  /** Makes the spare array of `fusedState` (fully written) the state, as one update with `decay` would. */
  commitSpare(decay: number): void {
    const old = this.state;
    this.state = this.spare!;
    this.spare = old;
    this.clock.advance(decay);
    this.onStateChanged();
  }

  protected solveChecked(v: Float64Array, damping: number, out: Float64Array): Float64Array {
    const { state: diag, dim } = this;
    if (damping === 0) {
      const zero = diag.findIndex((d) => !(d > 0));
      if (zero >= 0) {
        throw new FisherdError(
          'NOT_POSITIVE_DEFINITE',
          `diagonal entry ${zero} of the estimate is ${diag[zero]}; a solve needs damping > 0`,
          { field: 'damping' },
        );
      }
    }
    // out_i = v_i / (d_i/(1−β^t) + λ)
    const correction = this.clock.correction();
    if (this.backend.dtype === 'float64') {
      this.backend.diagSolve(diag, correction, damping, v, out);
    } else {
      const result = this.vectorScratch.view(dim);
      this.backend.diagSolve(diag, correction, damping, v, result);
      out.set(result);
    }
    return out;
  }

  protected matvecChecked(v: Float64Array, out: Float64Array): Float64Array {
    const correction = this.clock.correction();
    const { state: diag } = this;
    for (let i = 0; i < out.length; i++) out[i] = diag[i] * correction * v[i];
    return out;
  }

  protected diagonalChecked(out: Float64Array): Float64Array {
    const correction = this.clock.correction();
    const { state: diag } = this;
    for (let i = 0; i < out.length; i++) out[i] = diag[i] * correction;
    return out;
  }

  protected traceChecked(): number {
    let sum = 0;
    for (const d of this.state) sum += d;
    return sum * this.clock.correction();
  }

  protected topEigenvaluesChecked(k: number): Float64Array {
    const sorted = new Float64Array(this.state).sort().reverse();
    const correction = this.clock.correction();
    const values = sorted.slice(0, k);
    for (let i = 0; i < k; i++) values[i] *= correction;
    return values;
  }

  protected denseChecked(out: Float64Array): Float64Array {
    const correction = this.clock.correction();
    for (let i = 0; i < this.dim; i++) out[i * this.dim + i] = this.state[i] * correction;
    return out;
  }

  snapshot(): EstimateSnapshot {
    const { dim, clock } = this;
    return { kind: 'diagonal', dim, steps: clock.steps, decayProduct: clock.decayProduct, diagonal: this.state.slice() };
  }

  protected restoreChecked(snapshot: EstimateSnapshot): void {
    if (snapshot.kind !== 'diagonal') return;
    requireSnapshotLength(snapshot.diagonal, this.dim, 'snapshot.diagonal');
    this.state.set(snapshot.diagonal);
  }
}
