/**
 * The low-rank structure: `A_t = UᵀU` with U at most r×D (math.md, "Structures" and "Keeping a low-rank EMA
 * bounded"). An update scales the kept rows by √β, appends the new rows scaled by √((1−β)·scale·w_r), and,
 * when more than r rows are held, keeps the top-r directions: with the small Gram `UUᵀ = QΛQᵀ`,
 * `U ← Q_rᵀU`, which is exact for the kept energy (the rows' Gram becomes Λ_r).
 *
 * The Gram is maintained, not recomputed: after a truncation it is diag(Λ_r), decay multiplies it by β, and
 * appended rows V only add the cross terms `V·[U_old; V]ᵀ` (one k×m gemm, O(k·m·D) instead of O(m²·D)). The
 * rotation `Q_rᵀU` is one r×m×D gemm into a second buffer, which then becomes U (no copy back).
 * Solves use Woodbury with the bias correction c = 1 − β^t folded in:
 * `(λI + UᵀU/c)⁻¹v = (1/λ)(v − Uᵀ(cλI + UUᵀ)⁻¹Uv)`, an m×m float64 Cholesky (m ≤ r).
 */
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import { EstimateBase, requireSnapshotLength, solveZero } from './estimate-base.js';
import { DampedFactorCache } from './factor-cache.js';
import type { RowBlock } from './rows.js';
import { Float64Scratch, StorageScratch } from './scratch.js';
import type { EstimateSnapshot, ResolvedEstimateOptions } from './symmetric-estimate.js';
import { requireInteger } from './validate.js';

export class LowRankEstimate extends EstimateBase {
  readonly structure: { readonly kind: 'lowrank'; readonly rank: number };
  /** U, row-major; the first `rowCount` rows are in use. Grows to (r + rows per update) rows, then stays. */
  private factor: Vec;
  private rowCount = 0;
  /** UUᵀ (rowCount × rowCount, compact row-major, float64). */
  private gram: Float64Array = new Float64Array(0);
  private gramSpare: Float64Array = new Float64Array(0);
  private pendingDecay = 0;
  private rowsBeforeUpdate = 0;
  private readonly crossScratch: StorageScratch;
  private readonly rotationScratch: StorageScratch;
  /** A second U buffer that truncation rotates into and then swaps with `factor`. */
  private spareFactor: Vec;
  private readonly vectorScratch: StorageScratch;
  private readonly coefficientScratch: StorageScratch;
  private readonly solveScratch = new Float64Scratch();
  /** U (rows in use), the Gram and the row count at the last checkpoint. */
  private readonly savedFactor: StorageScratch;
  private readonly savedGram = new Float64Scratch();
  private savedRows = 0;
  /** The factor of cλI + UUᵀ, reused while neither U nor λ change. */
  private readonly factorCache: DampedFactorCache;

  constructor(dim: number, rank: number, backend: Backend, options: ResolvedEstimateOptions) {
    super(dim, backend, options);
    requireInteger(rank, 1, 'structure.rank');
    this.structure = { kind: 'lowrank', rank };
    this.factor = backend.zeros(0);
    this.crossScratch = new StorageScratch(backend);
    this.rotationScratch = new StorageScratch(backend);
    this.spareFactor = backend.zeros(0);
    this.vectorScratch = new StorageScratch(backend);
    this.coefficientScratch = new StorageScratch(backend);
    this.savedFactor = new StorageScratch(backend);
    this.factorCache = new DampedFactorCache(backend);
  }

  /** Rows of U in use (≤ rank between updates). */
  get rows(): number {
    return this.rowCount;
  }

  beginUpdate(decay: number): void {
    this.pendingDecay = decay;
    const m = this.rowCount;
    if (decay === 0) {
      this.rowCount = 0; // √0·U: the old rows carry no weight, so drop them instead of keeping zeros
    } else if (m > 0) {
      // A ← βA: rows scale by √β, the Gram by β. (Folding √β into the small matrices of the gemms instead
      // saves this pass over the r×D rows, ~5% of a step at D = 10⁵, but rounds differently from numpy's
      // baseline, whose agreement at λ = 1e-3 then drifted from 5e-2 to 1e-1: not worth it.)
      const kept = this.factorRows(0, m);
      this.backend.axpby(0, kept, Math.sqrt(decay), kept);
      const gram = this.gram.subarray(0, m * m);
      for (let i = 0; i < gram.length; i++) gram[i] *= decay;
    }
    this.rowsBeforeUpdate = this.rowCount;
  }

  accumulate(block: RowBlock): void {
    // New rows √((1−β)·scale·w_r)·v_r, so that their UᵀU is (1−β)·scale·Σ_r w_r v_r v_rᵀ.
    const base = (1 - this.pendingDecay) * block.scale;
    if (base === 0 || block.count === 0) return;
    this.reserveRows(this.rowCount + block.count);
    const { dim, backend } = this;
    for (let r = 0; r < block.count; r++) {
      const factor = Math.sqrt(base * (block.weights?.[r] ?? 1));
      if (factor === 0) continue;
      const target = this.factorRows(this.rowCount, this.rowCount + 1);
      backend.axpby(factor, block.rows.subarray(r * dim, (r + 1) * dim), 0, target);
      this.rowCount += 1;
    }
  }

  commitUpdate(): void {
    if (this.rowCount > this.rowsBeforeUpdate) this.extendGram();
    if (this.rowCount > this.structure.rank) this.truncate();
    this.clock.advance(this.pendingDecay);
    this.factorCache.invalidate();
  }

  /** Adds the Gram entries of the rows appended in this update: `V·[U_old; V]ᵀ` in one gemm. */
  private extendGram(): void {
    const before = this.rowsBeforeUpdate;
    const m = this.rowCount;
    const k = m - before;
    const cross = this.crossScratch.view(k * m);
    this.backend.gemm(false, true, k, m, this.dim, 1, this.factorRows(before, m), this.factorRows(0, m), 0, cross);
    const next = this.reserveGramSpare(m);
    for (let i = 0; i < before; i++) {
      for (let j = 0; j < before; j++) next[i * m + j] = this.gram[i * before + j];
    }
    for (let a = 0; a < k; a++) {
      const i = before + a;
      // Columns j ≤ i of row i (old rows and new rows up to i); mirrored so that the Gram is exactly symmetric.
      for (let j = 0; j <= i; j++) {
        const value = cross[a * m + j];
        next[i * m + j] = value;
        next[j * m + i] = value;
      }
    }
    this.gramSpare = this.gram;
    this.gram = next;
  }

  /**
   * Keeps the top-r directions: `U ← Q_rᵀU`, Gram ← diag(Λ_r). The r×m×D gemm writes into the spare factor
   * buffer, which then becomes the factor: no copy of the r×D result.
   */
  private truncate(): void {
    const m = this.rowCount;
    const r = this.structure.rank;
    const { values, vectors } = this.backend.eigh(this.gram.subarray(0, m * m), m);
    // Rows of `vectors` are eigenvectors (descending); the first r rows form Q_rᵀ (r×m).
    const rotation = this.rotationScratch.view(r * m);
    rotation.set(vectors.subarray(0, r * m));
    // The spare has the factor's capacity, so that appending to it after the swap needs no growth.
    let target = this.spareFactor;
    if (target.length < this.factor.length) target = this.backend.zeros(this.factor.length);
    this.backend.gemm(false, false, r, this.dim, m, 1, rotation, this.factorRows(0, m), 0, target.subarray(0, r * this.dim));
    this.spareFactor = this.factor;
    this.factor = target;
    this.rowCount = r;
    const gram = this.reserveGramSpare(r);
    gram.fill(0, 0, r * r);
    // The Gram of rows that are ‖·‖²-sums is ≥ 0; a negative eigenvalue here is rounding.
    for (let j = 0; j < r; j++) gram[j * r + j] = Math.max(values[j], 0);
    this.gramSpare = this.gram;
    this.gram = gram;
  }

  protected saveState(): void {
    const m = this.rowCount;
    this.savedFactor.view(m * this.dim).set(this.factorRows(0, m));
    this.savedGram.view(m * m).set(this.gram.subarray(0, m * m));
    this.savedRows = m;
  }

  protected restoreSavedState(): void {
    const m = this.savedRows;
    this.reserveRows(m);
    this.factor.set(this.savedFactor.view(m * this.dim));
    this.rowCount = m;
    const gram = this.reserveGramSpare(m);
    gram.set(this.savedGram.view(m * m));
    this.gramSpare = this.gram;
    this.gram = gram;
    this.factorCache.invalidate();
  }

  protected solveChecked(v: Float64Array, damping: number, out: Float64Array): Float64Array {
    if (damping === 0) {
      throw new FisherdError(
        'NOT_POSITIVE_DEFINITE',
        'a low-rank estimate is singular (rank ≤ r); its Woodbury solve needs damping > 0',
        { field: 'damping' },
      );
    }
    const m = this.rowCount;
    if (m === 0) return solveZero(v, damping, out);
    const { backend, dim } = this;
    const U = this.factorRows(0, m);
    const normalizer = this.clock.normalizer();
    const factor = this.factorCache.factor(this.gram.subarray(0, m * m), m, damping, normalizer * damping);
    // (λI + UᵀU/c)⁻¹v = (1/λ)(v − Uᵀ(cλI + UUᵀ)⁻¹Uv), c = 1 − β^t.
    const projected = this.coefficientScratch.view(m);
    backend.gemv(false, m, dim, 1, U, v, 0, projected);
    const coefficients = factor.solve(projected, this.solveScratch.view(m));
    projected.set(coefficients);
    const back = this.vectorScratch.view(dim);
    backend.gemv(true, m, dim, 1, U, projected, 0, back);
    for (let i = 0; i < dim; i++) out[i] = (v[i] - back[i]) / damping;
    return out;
  }

  protected matvecChecked(v: Float64Array, out: Float64Array): Float64Array {
    const m = this.rowCount;
    if (m === 0) return out.fill(0);
    const U = this.factorRows(0, m);
    const projected = this.coefficientScratch.view(m);
    this.backend.gemv(false, m, this.dim, 1, U, v, 0, projected);
    const back = this.vectorScratch.view(this.dim);
    this.backend.gemv(true, m, this.dim, this.clock.correction(), U, projected, 0, back);
    out.set(back);
    return out;
  }

  protected diagonalChecked(out: Float64Array): Float64Array {
    const result = this.vectorScratch.view(this.dim);
    this.backend.syrkDiag(result, this.factorRows(0, this.rowCount), this.rowCount, this.dim, this.clock.correction(), 0);
    out.set(result);
    return out;
  }

  protected traceChecked(): number {
    // trace(UᵀU) = Σ_r ‖U_r‖², from the rows themselves rather than the maintained Gram.
    let sum = 0;
    for (let r = 0; r < this.rowCount; r++) {
      const row = this.factorRows(r, r + 1);
      sum += this.backend.dot(row, row);
    }
    return sum * this.clock.correction();
  }

  protected topEigenvaluesChecked(k: number): Float64Array {
    // The nonzero eigenvalues of UᵀU are those of the m×m Gram UUᵀ; the other D − m are 0.
    const m = this.rowCount;
    const result = new Float64Array(k);
    if (m === 0) return result;
    const { values } = this.backend.eigh(this.gram.subarray(0, m * m), m);
    const correction = this.clock.correction();
    for (let i = 0; i < Math.min(k, m); i++) result[i] = Math.max(values[i], 0) * correction;
    return result;
  }

  protected denseChecked(out: Float64Array): Float64Array {
    const m = this.rowCount;
    if (m === 0) return out;
    const dense = this.backend.zeros(this.dim * this.dim);
    this.backend.syrk(dense, this.dim, this.factorRows(0, m), m, this.clock.correction(), 0);
    out.set(dense);
    return out;
  }

  snapshot(): EstimateSnapshot {
    const { dim, clock, rowCount } = this;
    return {
      kind: 'lowrank',
      dim,
      rank: this.structure.rank,
      steps: clock.steps,
      decayProduct: clock.decayProduct,
      rowCount,
      factor: this.factorRows(0, rowCount).slice(),
      gram: this.gram.slice(0, rowCount * rowCount),
    };
  }

  protected restoreChecked(snapshot: EstimateSnapshot): void {
    if (snapshot.kind !== 'lowrank') return;
    if (snapshot.rank !== this.structure.rank) {
      throw new FisherdError('INVALID_CONFIG', `snapshot has rank ${snapshot.rank}, estimate has ${this.structure.rank}`, {
        field: 'snapshot.rank',
      });
    }
    const m = snapshot.rowCount;
    if (!Number.isInteger(m) || m < 0 || m > this.structure.rank) {
      throw new FisherdError('SHAPE_MISMATCH', `snapshot.rowCount must be an integer in [0, ${this.structure.rank}]`, {
        field: 'snapshot.rowCount',
      });
    }
    requireSnapshotLength(snapshot.factor, m * this.dim, 'snapshot.factor');
    requireSnapshotLength(snapshot.gram, m * m, 'snapshot.gram');
    this.reserveRows(m);
    this.factor.set(snapshot.factor);
    this.rowCount = m;
    const gram = this.reserveGramSpare(m);
    gram.set(snapshot.gram);
    this.gramSpare = this.gram;
    this.gram = gram;
    this.factorCache.invalidate();
  }

  /** Rows [from, to) of U as a view. */
  private factorRows(from: number, to: number): Vec {
    return this.factor.subarray(from * this.dim, to * this.dim);
  }

  /** Makes room for `rows` rows, keeping the rows in use; grows to leave room for r more. */
  private reserveRows(rows: number): void {
    if (this.factor.length >= rows * this.dim) return;
    const grown = this.backend.zeros((rows + this.structure.rank) * this.dim);
    grown.set(this.factorRows(0, this.rowCount));
    this.factor = grown;
  }

  /** The spare Gram buffer, with room for an m×m matrix. */
  private reserveGramSpare(m: number): Float64Array {
    if (this.gramSpare.length < m * m) this.gramSpare = new Float64Array(m * m);
    return this.gramSpare;
  }
}
