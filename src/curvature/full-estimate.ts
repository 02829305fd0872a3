/**
 * The full structure: A_t stored densely (D×D, backend storage), updated by `syrk`. Solves factor
 * `A_t + (1−β^t)λI` by Cholesky in float64 (math.md: "Cholesky (float64), or conjugate gradients with
 * backend mat-vecs"), or run Jacobi-preconditioned CG (src/linalg/cg.ts) above `choleskyMaxDim`; top
 * eigenvalues come from a dense eigh up to `denseEigenMaxDim`, from Lanczos (src/linalg/lanczos.ts) above.
 */
import type { Backend, Vec } from '../linalg/backend.js';
import { conjugateGradient } from '../linalg/cg.js';
import { lanczosTopEigenvalues } from '../linalg/lanczos.js';
import { log } from '../log.js';
import { requireSnapshotLength } from './estimate-base.js';
import { DampedFactorCache } from './factor-cache.js';
import { InPlaceEstimate } from './in-place-estimate.js';
import { Float64Scratch, StorageScratch } from './scratch.js';
import type { EstimateSnapshot, ResolvedEstimateOptions } from './symmetric-estimate.js';

export class FullEstimate extends InPlaceEstimate {
  readonly structure = { kind: 'full' } as const;
  /** A_t (D×D), un-normalized: the bias correction 1/(1−β^t) is applied when the estimate is read. */
  protected readonly state: Vec;
  private readonly vectorScratch: StorageScratch;
  private readonly cgDiagonal = new Float64Scratch();
  /** The factor of the last solve's damped matrix, reused while neither the state nor λ change. */
  private readonly factorCache: DampedFactorCache;

  constructor(dim: number, backend: Backend, options: ResolvedEstimateOptions) {
    super(dim, backend, options);
    this.state = backend.zeros(dim * dim);
    this.vectorScratch = new StorageScratch(backend);
    this.factorCache = new DampedFactorCache(backend);
  }

  protected addRows(rows: Vec, count: number, alpha: number, beta: number): void {
    this.backend.syrk(this.state, this.dim, rows, count, alpha, beta);
  }

  protected override onStateChanged(): void {
    this.factorCache.invalidate();
  }

  protected solveChecked(v: Float64Array, damping: number, out: Float64Array): Float64Array {
    // (A_t/c + λI)⁻¹ v = c·(A_t + cλI)⁻¹ v with c = 1 − β^t: the correction folds into the damping.
    const normalizer = this.clock.normalizer();
    if (this.dim <= this.options.choleskyMaxDim) {
      this.factorCache.factor(this.state, this.dim, damping, normalizer * damping).solve(v, out);
      if (normalizer !== 1) for (let i = 0; i < out.length; i++) out[i] *= normalizer;
      return out;
    }
    return this.solveByConjugateGradient(v, damping, out);
  }

  private solveByConjugateGradient(v: Float64Array, damping: number, out: Float64Array): Float64Array {
    const correction = this.clock.correction();
    const result = conjugateGradient((x, y) => this.applyCorrected(correction, x, y), v, damping, {
      tolerance: this.options.cgTolerance ?? (this.backend.dtype === 'float64' ? 1e-10 : 1e-6),
      maxIterations: this.options.cgMaxIterations ?? this.dim,
      diagonal: this.diagonalChecked(this.cgDiagonal.view(this.dim)),
    });
    if (!result.converged) {
      const { iterations, residualNorm } = result;
      log.warn({ dim: this.dim, damping, iterations, residualNorm }, 'full-estimate CG solve stopped before reaching its tolerance');
    }
    out.set(result.x);
    return out;
  }

  /** y ← (A_t/(1−β^t))·x through the backend's gemv. */
  private applyCorrected(correction: number, x: Float64Array, y: Float64Array): void {
    const product = this.vectorScratch.view(this.dim);
    this.backend.gemv(false, this.dim, this.dim, correction, this.state, x, 0, product);
    y.set(product);
  }

  protected matvecChecked(v: Float64Array, out: Float64Array): Float64Array {
    this.applyCorrected(this.clock.correction(), v, out);
    return out;
  }

  protected diagonalChecked(out: Float64Array): Float64Array {
    const { state: matrix, dim } = this;
    const correction = this.clock.correction();
    for (let i = 0; i < dim; i++) out[i] = matrix[i * dim + i] * correction;
    return out;
  }

  protected traceChecked(): number {
    const { state: matrix, dim } = this;
    let sum = 0;
    for (let i = 0; i < dim; i++) sum += matrix[i * dim + i];
    return sum * this.clock.correction();
  }

  protected topEigenvaluesChecked(k: number): Float64Array {
    const correction = this.clock.correction();
    const values =
      this.dim <= this.options.denseEigenMaxDim
        ? this.backend.eigh(this.state, this.dim).values.slice(0, k)
        : lanczosTopEigenvalues((x, y) => this.applyCorrected(1, x, y), this.dim, k).values;
    for (let i = 0; i < k; i++) values[i] *= correction;
    return values;
  }

  protected denseChecked(out: Float64Array): Float64Array {
    out.set(this.state);
    const correction = this.clock.correction();
    if (correction !== 1) for (let i = 0; i < out.length; i++) out[i] *= correction;
    return out;
  }

  snapshot(): EstimateSnapshot {
    const { dim, clock } = this;
    return { kind: 'full', dim, steps: clock.steps, decayProduct: clock.decayProduct, matrix: this.state.slice() };
  }

  protected restoreChecked(snapshot: EstimateSnapshot): void {
    if (snapshot.kind !== 'full') return;
    requireSnapshotLength(snapshot.matrix, this.dim * this.dim, 'snapshot.matrix');
    this.state.set(snapshot.matrix);
    this.factorCache.invalidate();
  }
}
