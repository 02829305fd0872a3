/**
 * The block-diagonal structure (math.md, "Structures": "per parameter block, e.g. per layer"): one leaf
 * estimate per named parameter block, blocks laid out in order along the D parameters. A row block's rows are
 * split by column ranges, so block k sees `v_r[o_k .. o_k + d_k)`; solves, mat-vecs and the diagonal are
 * done block by block.
 *
 * Kronecker blocks take factor statistics, not rows: their columns of a row block are skipped, and their
 * factors come with `update(blocks, decay, factors)` (or `accumulateFactors` between `beginUpdate` and
 * `commitUpdate`), keyed by block name.
 */
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import { EstimateBase } from './estimate-base.js';
import { DiagonalEstimate } from './diagonal-estimate.js';
import type { KroneckerFactors } from './kronecker-factors.js';
import { KroneckerEstimate } from './kronecker-estimate.js';
import { createLeafEstimate } from './leaf-estimate.js';
import { validateRowBlocks, type RowBlock } from './rows.js';
import { StorageScratch } from './scratch.js';
import { blockOffsets, copyStructure, findBlock, type ParameterBlock } from './structure.js';
import type { EstimateSnapshot, FactoredSlices, ResolvedEstimateOptions, SymmetricEstimate } from './symmetric-estimate.js';
import { requireDecay } from './validate.js';

export class BlockDiagonalEstimate extends EstimateBase {
  readonly structure: { readonly kind: 'blocks'; readonly blocks: readonly ParameterBlock[] };
  private readonly children: EstimateBase[];
  private readonly offsets: number[];
  private readonly columnScratch: StorageScratch;
  private pendingDecay = 0;

  /** `blocks` must already be valid for `dim` (see `validateStructure`). */
  constructor(dim: number, blocks: readonly ParameterBlock[], backend: Backend, options: ResolvedEstimateOptions) {
    super(dim, backend, options);
    this.structure = copyStructure({ kind: 'blocks', blocks }) as BlockDiagonalEstimate['structure'];
    this.offsets = blockOffsets(blocks);
    this.children = blocks.map((b) => createLeafEstimate(b.size, b.structure, backend, options));
    this.columnScratch = new StorageScratch(backend);
  }

  /** The estimate of one parameter block; throws UNKNOWN_BLOCK for a name the structure does not have. */
  block(name: string): SymmetricEstimate {
    return this.children[findBlock(this.structure, name).index];
  }

  /** Where a parameter block lies in the D parameters; throws UNKNOWN_BLOCK for an unknown name. */
  blockRange(name: string): { offset: number; size: number } {
    const { offset, size } = findBlock(this.structure, name);
    return { offset, size };
  }

  /** The Kronecker estimate of block `name`: UNKNOWN_BLOCK for an unknown name, INVALID_CONFIG for another kind. */
  kronecker(name: string): KroneckerEstimate {
    const child = this.children[findBlock(this.structure, name).index];
    if (!(child instanceof KroneckerEstimate)) {
      throw new FisherdError('INVALID_CONFIG', `block "${name}" is ${child.structure.kind}, not kronecker: it takes rows, not factors`, {
        field: `factors.${name}`,
      });
    }
    return child;
  }

  /**
   * `update(blocks, decay)` plus, for Kronecker blocks, their factor statistics by block name. Validates all
   * of it first (UNKNOWN_BLOCK, INVALID_CONFIG for factors of a non-Kronecker block, the factors' own checks
   * naming `factors.<name>`): a throw leaves every block unchanged. A Kronecker block without factors in an
   * update stays as it was.
   */
  override update(blocks: readonly RowBlock[], decay: number, factors: Readonly<Record<string, KroneckerFactors>> = {}): void {
    requireDecay(decay);
    validateRowBlocks(blocks, this.dim, 'blocks');
    const named = Object.entries(factors).map(([name, f]) => {
      const child = this.kronecker(name);
      child.validateFactors(f, `factors.${name}`);
      return [name, f] as const;
    });
    this.beginUpdate(decay);
    for (const block of blocks) this.accumulate(block);
    for (const [name, f] of named) this.accumulateFactors(name, f);
    this.commitUpdate();
  }

  /** Adds one contribution's factors to Kronecker block `name` (streaming form; validated by the caller). */
  accumulateFactors(name: string, factors: KroneckerFactors): void {
    this.kronecker(name).accumulateFactors(factors);
  }

  beginUpdate(decay: number): void {
    this.pendingDecay = decay;
    for (const child of this.children) child.beginUpdate(decay);
  }

  accumulate(block: RowBlock): void {
    const { dim, offsets, children } = this;
    const { rows, count, weights } = block;
    if (count === 0) return;
    const chunkRows = Math.max(1, Math.min(count, Math.floor(this.options.chunkElements / dim)));
    for (let first = 0; first < count; first += chunkRows) {
      const n = Math.min(chunkRows, count - first);
      children.forEach((child, k) => {
        if (child instanceof KroneckerEstimate) return; // fed with factors, not rows
        const offset = offsets[k];
        const size = offsets[k + 1] - offset;
        const columns = this.columnScratch.view(n * size);
        for (let r = 0; r < n; r++) {
          const start = (first + r) * dim + offset;
          columns.set(rows.subarray(start, start + size), r * size);
        }
        child.accumulate({
          rows: columns,
          count: n,
          dim: size,
          scale: block.scale,
          weights: weights?.subarray(first, first + n),
        });
      });
    }
  }

  /** True when every block is stored as a diagonal: then `accumulateSumOfSquares` works. */
  get allDiagonal(): boolean {
    return this.children.every((c) => c instanceof DiagonalEstimate);
  }

  /** True when every block is a diagonal or a Kronecker block: then statistics feed it (`accumulateSumOfSquares` and factors). */
  get diagonalOrKronecker(): boolean {
    return this.children.every((c) => c instanceof DiagonalEstimate || c instanceof KroneckerEstimate);
  }

  /**
   * `DiagonalEstimate.accumulateSumOfSquares` block by block (requires `diagonalOrKronecker`): diagonal
   * block k takes `squares[o_k .. o_k + d_k)`; Kronecker blocks skip theirs (they take factors). Between
   * `beginUpdate` and `commitUpdate`; validates nothing.
   */
  accumulateSumOfSquares(squares: Float64Array, scale: number): void {
    this.children.forEach((child, k) => {
      if (child instanceof KroneckerEstimate) return;
      (child as DiagonalEstimate).accumulateSumOfSquares(squares.subarray(this.offsets[k], this.offsets[k + 1]), scale);
    });
  }

  /**
   * For a fused step (requires `allDiagonal`; see `DiagonalEstimate.fusedState`): each block's current
   * state and spare array at its offset, with the bias correction after an update with `decay`. Nothing
   * changes until `commitSpare`.
   */
  fusedSegments(decay: number): { offset: number; state: Vec; next: Vec; correction: number }[] {
    return this.children.map((child, k) => {
      const diagonal = child as DiagonalEstimate;
      return { offset: this.offsets[k]!, ...diagonal.fusedState(), correction: diagonal.correctionAfter(decay) };
    });
  }

  /** Makes every block's spare array of `fusedSegments` (fully written) its state, as one update with `decay` would. */
  commitSpare(decay: number): void {
    for (const child of this.children) (child as DiagonalEstimate).commitSpare(decay);
    this.clock.advance(decay);
  }

  /** The Kronecker blocks, by name, in block order. */
  kroneckerBlocks(): { name: string; estimate: KroneckerEstimate }[] {
    const out: { name: string; estimate: KroneckerEstimate }[] = [];
    this.children.forEach((child, k) => {
      if (child instanceof KroneckerEstimate) out.push({ name: this.structure.blocks[k]!.name, estimate: child });
    });
    return out;
  }

  commitUpdate(): void {
    for (const child of this.children) child.commitUpdate();
    this.clock.advance(this.pendingDecay);
  }

  protected saveState(): void {
    for (const child of this.children) child.checkpoint();
  }

  protected restoreSavedState(): void {
    for (const child of this.children) child.rollback();
  }

  protected solveChecked(v: Float64Array, damping: number, out: Float64Array, factored?: FactoredSlices): Float64Array {
    this.children.forEach((child, k) => {
      const terms = factored?.get(this.offsets[k]!);
      child.solve(this.slice(v, k), damping, this.slice(out, k), terms === undefined ? undefined : new Map([[0, terms]]));
    });
    return out;
  }

  protected matvecChecked(v: Float64Array, out: Float64Array): Float64Array {
    this.children.forEach((child, k) => child.matvec(this.slice(v, k), this.slice(out, k)));
    return out;
  }

  protected diagonalChecked(out: Float64Array): Float64Array {
    this.children.forEach((child, k) => child.diagonal(this.slice(out, k)));
    return out;
  }

  protected traceChecked(): number {
    return this.children.reduce((sum, child) => sum + child.trace(), 0);
  }

  protected topEigenvaluesChecked(k: number): Float64Array {
    // The spectrum of a block-diagonal matrix is the union of its blocks' spectra.
    const all: number[] = [];
    for (const child of this.children) all.push(...child.topEigenvalues(Math.min(k, child.dim)));
    return Float64Array.from(all.sort((a, b) => b - a).slice(0, k));
  }

  protected denseChecked(out: Float64Array): Float64Array {
    const { dim, offsets } = this;
    this.children.forEach((child, k) => {
      const block = child.dense();
      const size = child.dim;
      const offset = offsets[k];
      for (let i = 0; i < size; i++) out.set(block.subarray(i * size, (i + 1) * size), (offset + i) * dim + offset);
    });
    return out;
  }

  snapshot(): EstimateSnapshot {
    return {
      kind: 'blocks',
      dim: this.dim,
      steps: this.clock.steps,
      blocks: this.structure.blocks.map((b, k) => ({ name: b.name, size: b.size, estimate: this.children[k].snapshot() })),
    };
  }

  protected restoreChecked(snapshot: EstimateSnapshot): void {
    if (snapshot.kind !== 'blocks') return;
    const { blocks } = this.structure;
    const same =
      Array.isArray(snapshot.blocks) &&
      snapshot.blocks.length === blocks.length &&
      snapshot.blocks.every((b, k) => b.name === blocks[k].name && b.size === blocks[k].size);
    if (!same) {
      throw new FisherdError('INVALID_CONFIG', 'snapshot.blocks do not match the parameter blocks of this estimate', {
        field: 'snapshot.blocks',
      });
    }
    // All or nothing: a block that fails to restore rolls the earlier ones back.
    const backup = this.children.map((child) => child.snapshot());
    try {
      snapshot.blocks.forEach((b, k) => this.children[k].restore(b.estimate));
    } catch (e) {
      backup.forEach((b, k) => this.children[k].restore(b));
      throw e;
    }
  }

  /** Block k's part of a D-vector, as a view. */
  private slice(v: Float64Array, k: number): Float64Array {
    return v.subarray(this.offsets[k], this.offsets[k + 1]);
  }
}
