/**
 * The update shared by the full and diagonal structures, whose state S (A_t or diag A_t) is updated in place
 * by a syrk-like kernel, `S ← βS + α·K(rows)`: the first kernel call of an update also applies the decay
 * (its β argument), so decay costs no extra pass; an update without rows decays S on its own (Â = 0).
 */
import type { Backend, Vec } from '../linalg/backend.js';
import { EstimateBase } from './estimate-base.js';
import { forEachRowChunk, type RowBlock } from './rows.js';
import { StorageScratch } from './scratch.js';
import type { ResolvedEstimateOptions } from './symmetric-estimate.js';

export abstract class InPlaceEstimate extends EstimateBase {
  /** The stored state (backend storage), un-normalized. */
  protected abstract readonly state: Vec;
  private pendingDecay = 0;
  /** True until the first kernel call of an update. */
  private decayPending = false;
  private readonly rowScratch: StorageScratch;
  /** The state at the last checkpoint (allocated on the first). */
  private saved: Vec | undefined;

  constructor(dim: number, backend: Backend, options: ResolvedEstimateOptions) {
    super(dim, backend, options);
    this.rowScratch = new StorageScratch(backend);
  }

  /** `S ← beta·S + alpha·K(rows)` for `count` unweighted rows. */
  protected abstract addRows(rows: Vec, count: number, alpha: number, beta: number): void;

  /** Called after every committed update (e.g. to drop a cached factorization). */
  protected onStateChanged(): void {}

  beginUpdate(decay: number): void {
    this.pendingDecay = decay;
    this.decayPending = true;
  }

  accumulate(block: RowBlock): void {
    // S ← βS + (1−β)·scale·Σ_r w_r K(v_r); the kernels take unweighted rows, so rows are scaled by √w_r.
    const alpha = this.alphaFor(block.scale);
    forEachRowChunk(this.backend, this.rowScratch, block, { sqrtWeights: true }, this.options.chunkElements, (rows, count) => {
      this.addRows(rows, count, alpha, this.nextBeta());
    });
  }

  /** α = (1−β)·scale of this update's kernel calls. */
  protected alphaFor(scale: number): number {
    return (1 - this.pendingDecay) * scale;
  }

  /** The β of the next kernel call of this update: the decay for the first call, then 1 (accumulate). */
  protected nextBeta(): number {
    const beta = this.decayPending ? this.pendingDecay : 1;
    this.decayPending = false;
    return beta;
  }

  protected saveState(): void {
    this.saved ??= this.backend.zeros(this.state.length);
    this.saved.set(this.state);
  }

  protected restoreSavedState(): void {
    if (this.saved !== undefined) this.state.set(this.saved);
    this.onStateChanged();
  }

  commitUpdate(): void {
    if (this.decayPending) this.backend.axpby(0, this.state, this.pendingDecay, this.state);
    this.decayPending = false;
    this.clock.advance(this.pendingDecay);
    this.onStateChanged();
  }
}
