/**
 * The Kronecker structure (K-FAC; math.md, "Kronecker factors (K-FAC)"): a layer block of D = out·in'
 * parameters whose estimate is Ḡ ⊗ Ā in the block's row-major (torch) order, from EMAs with bias
 * correction of the factors `A_t = βA_{t−1} + (1−β)·inputSum/inputCount` and
 * `G_t = βG_{t−1} + (1−β)·outputGradSum/outputGradCount` (Ā = A_t/(1−β^t), Ḡ likewise; factors in float64
 * on every backend; a solve's products in the backend's storage type, math.md "Precision"). Solves go
 * through the factors' eigendecompositions, refreshed every `refreshEvery`
 * factor updates (T_inv) and reused in between:
 *   (Ḡ⊗Ā + λI)⁻¹ v = vec(V_G [ (V_Gᵀ X V_A) ⊘ (λ_G λ_Aᵀ + λ) ] V_Aᵀ)              ('tikhonov', default)
 *   ((Ḡ + √λ/π I) ⊗ (Ā + π√λ I))⁻¹ v: divide by (λ_G + √λ/π)(λ_A + π√λ)ᵀ instead   ('pi')
 *   EKFAC: divide by (s + λ), s the bias-corrected EMA of the gradients' second moment in that eigenbasis
 * with X the out × in' matrix of v (bias last column). Gradient rows are refused: a Kronecker block takes
 * `KroneckerFactors`; an update without them leaves the factors and the clock as they are (the steps between
 * two factor contributions, T_stat).
 *
 * What each read-out describes: matvec, diagonal, trace and dense() are of the *current* factors, Ḡ⊗Ā
 * (EKFAC: of V diag(s) Vᵀ in the installed basis); solve and topEigenvalues use the installed
 * decomposition (from the last refresh). A solve or topEigenvalues with no decomposition installed yet
 * refreshes synchronously; otherwise refreshing is the caller's call (`needsRefresh`,
 * `refreshDecompositions()`, or `refreshJob()` → `decomposeKroneckerFactors` elsewhere →
 * `installDecomposition`), except that `solve` refreshes synchronously when `needsRefresh` holds and no
 * one did, so that the library alone follows the T_inv schedule.
 */
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import { activeNativeKernels, NATIVE_MIN_LENGTH } from '../linalg/native-kernels.js';
import { EmaClock } from './ema.js';
import { EstimateBase, requireSnapshotLength } from './estimate-base.js';
import {
  choleskyInverses, dampedInverses, decomposeKroneckerFactors, eigendecomposed, float64Kernels, INVERSE_ONLY_TOP, rounded, type DampedInverses, type KroneckerDecomposition, type KroneckerRefreshJob,
} from './kronecker-decomposition.js';
import {
  blockIndex, blockToMatrix, kroneckerShape, matrixToBlock, validateKroneckerFactors,
  type KroneckerFactorChecks, type KroneckerFactors, type KroneckerPairs, type KroneckerShape,
} from './kronecker-factors.js';
import type { RowBlock } from './rows.js';
import { copyKronecker, type KroneckerStructure } from './structure.js';
import type { EstimateSnapshot, FactoredSlices, LowRankTerm, ResolvedEstimateOptions } from './symmetric-estimate.js';
import { requireDecay } from './validate.js';

/** EKFAC pairs of a factor update that arrived while a refresh was due: projected once the new basis is in. */
interface PendingPairs {
  pairs: KroneckerPairs;
  /** The divisor of their squares (the update's outputGradCount). */
  divisor: number;
}

/** The EMA of the EKFAC second moment s (out·in', un-normalized) in the installed basis, with its own clock. */
interface EigenbasisMoments {
  squares: Float64Array;
  steps: number;
  decayProduct: number;
}

/**
 * The matrices a solve multiplies by, all of the solve's storage type: the eigenvectors (rows of V_Gᵀ, V_Aᵀ)
 * and, on π-damping's inverse route, the damped factors' inverses (`DampedInverses`).
 */
interface SolveOperands {
  outputVectors: Vec;
  inputVectors: Vec;
  outputInverse?: Vec;
  inputInverse?: Vec;
}

function vectorsOf(d: KroneckerDecomposition): SolveOperands {
  return { outputVectors: d.outputVectors, inputVectors: d.inputVectors };
}

function inversesOf(f: DampedInverses | undefined): Partial<SolveOperands> {
  if (f === undefined) return {};
  return {
    ...(f.outputInverse === undefined ? {} : { outputInverse: f.outputInverse }),
    ...(f.inputInverse === undefined ? {} : { inputInverse: f.inputInverse }),
  };
}

/**
 * Y[o][i] /= λ_G,o·λ_A,i + λ in place (each quotient rounded to Y's type), or the index of the first divisor
 * that is not > 0 (Y then partly divided) and −1 otherwise: the native `kroneckerDivide`'s JavaScript twin,
 * and the float32 solve's division.
 */
function divideByProducts(Y: Vec, outputs: number, inputOrder: number, outputValues: Float64Array, inputValues: Float64Array, damping: number): number {
  for (let o = 0; o < outputs; o++) {
    const g = outputValues[o];
    const row = o * inputOrder;
    for (let i = 0; i < inputOrder; i++) {
      const divisor = g * inputValues[i] + damping;
      if (!(divisor > 0)) return row + i;
      Y[row + i] /= divisor;
    }
  }
  return -1;
}

/** The float32 operands of one decomposition (and of one λ's damped inverses) for float32-storage solves. */
interface SingleOperands {
  decomposition: KroneckerDecomposition;
  outputVectors: Float32Array;
  inputVectors: Float32Array;
  inverses?: { of: DampedInverses; outputInverse?: Float32Array; inputInverse?: Float32Array };
}

/** The kind-specific part of a Kronecker snapshot (see `EstimateSnapshot`). */
export interface KroneckerState {
  structure: KroneckerStructure;
  /** A_t, in' × in', un-normalized. */
  inputFactor: Float64Array;
  /** G_t, out × out, un-normalized. */
  outputGradFactor: Float64Array;
  /** Factor updates since the installed decomposition's factors. */
  updatesSinceRefresh: number;
  /** The version the next refresh job gets. */
  nextVersion: number;
  decomposition?: KroneckerDecomposition;
  eigenbasisMoments?: EigenbasisMoments;
  pendingPairs?: { pairs: KroneckerPairs; divisor: number; decay: number }[];
}

/**
 * Everything a checkpoint restores: the factor arrays themselves, not copies (after a checkpoint the next
 * factor update writes the new factors into other arrays: `commitUpdate`); decompositions and pending pairs
 * are never mutated; the EKFAC moments copied.
 */
interface SavedState {
  inputFactor: Float64Array;
  outputGradFactor: Float64Array;
  updatesSinceRefresh: number;
  nextVersion: number;
  decomposition: KroneckerDecomposition | undefined;
  moments: EigenbasisMoments | undefined;
  pending: PendingPairs[];
  pendingDecay: number;
}

export class KroneckerEstimate extends EstimateBase {
  readonly structure: KroneckerStructure;
  readonly shape: KroneckerShape;
  private readonly refreshEvery: number;
  private readonly corrected: boolean;
  private readonly piDamping: boolean;
  /**
   * π-damping: the solves one decomposition's damped inverses serve at one λ, min(T_inv, the options'
   * `dampingFixedFor`) (`dampedInverses`' `uses`; steps without factors between two refreshes are not counted).
   */
  private readonly inverseUses: number;
  /** Small float64 products: the backend itself where its Float64Array kernels run in float64. */
  private readonly float64: Backend;
  private inputFactor: Float64Array;
  private outputGradFactor: Float64Array;
  /**
   * Arrays of the factors' shapes that are neither the factors nor (once a commit moved off them) any longer
   * needed by a later commit: where a factor update writes when the checkpoint holds the current factors
   * (allocated on first use; never the current factor).
   */
  private spareInputFactor: Float64Array | undefined;
  private spareOutputGradFactor: Float64Array | undefined;
  private updatesSinceRefresh = 0;
  private nextVersion = 1;
  private decomposition: KroneckerDecomposition | undefined;
  private moments: EigenbasisMoments | undefined;
  private pending: PendingPairs[] = [];
  /** The decay of the update that brought `pending`. */
  private pendingPairsDecay = 0;
  // The update being accumulated (beginUpdate … commitUpdate).
  private updateDecay = 0;
  private readonly inputSum: Float64Array;
  private readonly outputGradSum: Float64Array;
  /**
   * The update's only contribution so far, read (not copied) at `commitUpdate`: callers must not change its
   * arrays between `accumulateFactors` and `commitUpdate` (the session's step does neither).
   */
  private firstFactors: KroneckerFactors | undefined;
  /** Whether `inputSum` / `outputGradSum` hold this update's sums (from its second contribution on). */
  private sumsMaterialized = false;
  private inputCount = 0;
  private outputGradCount = 0;
  private updatePairs: PendingPairs[] = [];
  private updateSquares: { sum: Float64Array; count: number } | undefined;
  private saved: SavedState | undefined;
  // Work matrices of the solve (out × in').
  private readonly work: Float64Array[];
  /**
   * Whether solves multiply in float32 (float32 storage: sgemm on openblas, half the time of dgemm; math.md
   * "Precision"): the operands rounded to float32 once per decomposition and λ, X and each product's result
   * in float32. Factors, EMA, eigendecompositions and damped inverses stay float64.
   */
  private readonly singleSolve: boolean;
  /** Work matrices of a float32 solve (out × in'), allocated at the first. */
  private work32: Float32Array[] | undefined;
  /** The float32 operands of the last decomposition (and λ) a float32 solve used: derived state, never saved. */
  private single: SingleOperands | undefined;
  /** Work matrices of solves from low-rank factors (`thinWork`), allocated at the first. */
  private thin: [Vec, Vec, Vec] | undefined;
  /** π-damping's solve factors for a decomposition (the installed one, when current) and λ: derived state, never saved. */
  private pi: { decomposition: KroneckerDecomposition; factors: DampedInverses } | undefined;

  constructor(structure: KroneckerStructure, backend: Backend, options: ResolvedEstimateOptions) {
    const shape = kroneckerShape(structure);
    super(shape.outputs * shape.inputOrder, backend, options);
    this.structure = copyKronecker(structure);
    this.shape = shape;
    this.refreshEvery = structure.refreshEvery ?? 1;
    this.corrected = structure.eigenvalueCorrected === true;
    this.piDamping = structure.damping === 'pi';
    this.inverseUses = Math.max(1, Math.min(this.refreshEvery, options.dampingFixedFor));
    this.float64 = float64Kernels(backend);
    this.singleSolve = backend.dtype === 'float32';
    const { outputs, inputOrder } = shape;
    this.inputFactor = new Float64Array(inputOrder * inputOrder);
    this.outputGradFactor = new Float64Array(outputs * outputs);
    this.inputSum = new Float64Array(inputOrder * inputOrder);
    this.outputGradSum = new Float64Array(outputs * outputs);
    this.work = [0, 1, 2].map(() => new Float64Array(this.dim));
  }

  /** The version of the installed eigendecomposition (undefined before the first refresh). */
  get decompositionVersion(): number | undefined {
    return this.decomposition?.version;
  }

  /**
   * The installed eigendecomposition (undefined before the first refresh), read only: what the solves use,
   * and the basis a client projects EKFAC's eigenbasis squares on (`eigenbasisSquares.basisVersion`).
   */
  get installedDecomposition(): Readonly<KroneckerDecomposition> | undefined {
    return this.decomposition === undefined ? undefined : this.eigendecomposed();
  }

  /** True when no decomposition is installed yet or `refreshEvery` factor updates came since its factors. */
  get needsRefresh(): boolean {
    return this.clock.steps > 0 && (this.decomposition === undefined || this.updatesSinceRefresh >= this.refreshEvery);
  }

  /**
   * One factor update: `A ← βA + (1−β)Â`, `G ← βG + (1−β)Ĝ`, t ← t+1 (math.md). Validates everything first
   * (SHAPE_MISMATCH, NON_FINITE, INVALID_CONFIG naming the field): a throw leaves the estimate unchanged.
   */
  updateFactors(factors: KroneckerFactors, decay: number, field = 'factors'): void {
    requireDecay(decay);
    this.validateFactors(factors, field);
    this.beginUpdate(decay);
    this.accumulateFactors(factors);
    this.commitUpdate();
  }

  /**
   * The checks of `updateFactors` alone (for callers that stream: validate all, then accumulate);
   * `checks.values` false for a caller that has scanned the values itself (see `KroneckerFactorChecks`).
   */
  validateFactors(factors: KroneckerFactors, field = 'factors', checks: KroneckerFactorChecks = {}): void {
    // Pairs and eigenbasis squares are EKFAC statistics: checked always, used only by an eigenvalueCorrected block.
    validateKroneckerFactors(factors, this.shape, field, this.decomposition?.version, checks);
  }

  /** Bias-corrected copies of the current factors: Ā (in' × in') and Ḡ (out × out). */
  factors(): { input: Float64Array; outputGrad: Float64Array } {
    const c = this.clock.correction();
    return { input: scaledCopy(this.inputFactor, c), outputGrad: scaledCopy(this.outputGradFactor, c) };
  }

  // ---- the streaming update ------------------------------------------------------------------------

  beginUpdate(decay: number): void {
    this.updateDecay = decay;
    this.firstFactors = undefined;
    this.sumsMaterialized = false;
    this.inputCount = 0;
    this.outputGradCount = 0;
    this.updatePairs = [];
    this.updateSquares = undefined;
  }

  /** Gradient rows carry no Kronecker factors; `checkRowBlocks` refuses non-empty ones before any update. */
  accumulate(block: RowBlock): void {
    if (block.count > 0) throw rowsRefused('blocks');
  }

  /**
   * Adds one contribution's factor sums (W workers: one call each; sums and counts add up, so the update's
   * Â = ΣinputSum / ΣinputCount). Validated by the caller (`validateFactors`).
   */
  accumulateFactors(factors: KroneckerFactors): void {
    // One contribution (the usual case) is blended straight from its arrays at commit: no zero-fill, copy
    // and add passes over the in'² + out² sums; a second one makes the sums real.
    if (this.inputCount === 0 && !this.sumsMaterialized) {
      this.firstFactors = factors;
    } else {
      if (!this.sumsMaterialized) {
        this.inputSum.set(this.firstFactors!.inputSum);
        this.outputGradSum.set(this.firstFactors!.outputGradSum);
        this.sumsMaterialized = true;
        this.firstFactors = undefined;
      }
      addInto(this.inputSum, factors.inputSum);
      addInto(this.outputGradSum, factors.outputGradSum);
    }
    this.inputCount += factors.inputCount;
    this.outputGradCount += factors.outputGradCount;
    if (!this.corrected) return;
    if (factors.pairs !== undefined) {
      const { inputs, count, outputGrads, outputGradsPerInput } = factors.pairs;
      // Copied: the caller may reuse its arrays, and pending pairs may outlive this call.
      this.updatePairs.push({
        pairs: { inputs: inputs.slice(), count, outputGrads: outputGrads.slice(), outputGradsPerInput },
        divisor: factors.outputGradCount,
      });
    }
    if (factors.eigenbasisSquares !== undefined) {
      const { sum, count } = factors.eigenbasisSquares;
      if (this.updateSquares === undefined) this.updateSquares = { sum: sum.slice(), count };
      else {
        addInto(this.updateSquares.sum, sum);
        this.updateSquares.count += count;
      }
    }
  }

  /**
   * `factor`'s EMA βF + α·sum: in place, or, when the checkpoint holds `factor` (`held`), into `spare` (allocated
   * at first use). Returns [the new factor, the new spare]: the old factor becomes the spare once written off.
   */
  private blendFactorOnWrite(
    factor: Float64Array, spare: Float64Array | undefined, held: Float64Array | undefined, alpha: number, sum: Float64Array, beta: number,
  ): [Float64Array, Float64Array | undefined] {
    if (held !== factor) {
      blendFactor(this.float64, alpha, sum, beta, factor);
      return [factor, spare];
    }
    const next = spare ?? new Float64Array(factor.length);
    blendFactor(this.float64, alpha, sum, beta, factor, next);
    return [next, factor];
  }

  commitUpdate(): void {
    if (this.inputCount === 0) return; // no factors: the estimate stays as it was (a step between T_stat ones)
    const beta = this.updateDecay;
    const single = this.sumsMaterialized ? undefined : this.firstFactors;
    // Copy on write: while the checkpoint holds the current factors (`saveState` keeps the arrays, it copies
    // nothing), the blend writes the new ones into the spare arrays, which then become the factors; otherwise
    // in place. The same operations, hence the same bits, either way.
    const held = this.saved;
    [this.inputFactor, this.spareInputFactor] = this.blendFactorOnWrite(
      this.inputFactor, this.spareInputFactor, held?.inputFactor, (1 - beta) / this.inputCount, single?.inputSum ?? this.inputSum, beta);
    [this.outputGradFactor, this.spareOutputGradFactor] = this.blendFactorOnWrite(
      this.outputGradFactor, this.spareOutputGradFactor, held?.outputGradFactor, (1 - beta) / this.outputGradCount, single?.outputGradSum ?? this.outputGradSum, beta);
    this.firstFactors = undefined;
    this.clock.advance(beta);
    this.updatesSinceRefresh += 1;
    if (!this.corrected) return;
    if (this.needsRefresh) {
      // The basis these statistics belong to is the next one: pairs wait for it; squares (of the old basis)
      // are dropped, as the moments restart with the new basis.
      if (this.updatePairs.length > 0) {
        this.pending = this.updatePairs;
        this.pendingPairsDecay = beta;
      }
      return;
    }
    this.foldMoments(this.updatePairs, this.updateSquares, beta);
  }

  /** s ← βs + (1−β)Ŝ, Ŝ = (Σ projected pair squares + Σ sent squares) / (Σ their divisors), in the installed basis. */
  private foldMoments(pairs: readonly PendingPairs[], squares: { sum: Float64Array; count: number } | undefined, beta: number): void {
    const decomposition = this.decomposition;
    if (decomposition === undefined || (pairs.length === 0 && squares === undefined)) return;
    const batch = new Float64Array(this.dim);
    let divisor = 0;
    for (const { pairs: p, divisor: d } of pairs) {
      this.projectPairSquares(p, decomposition, batch);
      divisor += d;
    }
    if (squares !== undefined) {
      addInto(batch, squares.sum);
      divisor += squares.count;
    }
    const moments = this.moments ?? { squares: new Float64Array(this.dim), steps: 0, decayProduct: 1 };
    blend(moments.squares, moments.steps === 0 ? 0 : beta, (1 - beta) / divisor, batch);
    moments.steps += 1;
    moments.decayProduct *= beta;
    this.moments = moments;
  }

  /** out[o·in' + i] += Σ_j (Q_G e_j)_o² (Q_A ā_{n(j)})_i² (Q = eigenvectors as rows = Vᵀ). */
  private projectPairSquares(pairs: KroneckerPairs, d: KroneckerDecomposition, out: Float64Array): void {
    const { outputs, inputOrder } = this.shape;
    const { inputs, count, outputGrads, outputGradsPerInput: K } = pairs;
    const projectedInputs = new Float64Array(count * inputOrder);
    const projectedGrads = new Float64Array(count * K * outputs);
    // (Q_A ā_n) for every n at once: rows ā_nᵀ Q_Aᵀ = (inputs · Q_Aᵀ), count × in'.
    this.float64.gemm(false, true, count, inputOrder, inputOrder, 1, inputs, d.inputVectors, 0, projectedInputs);
    this.float64.gemm(false, true, count * K, outputs, outputs, 1, outputGrads, d.outputVectors, 0, projectedGrads);
    for (let n = 0; n < count; n++) {
      for (let k = 0; k < K; k++) {
        const e = (n * K + k) * outputs;
        for (let o = 0; o < outputs; o++) {
          const p = projectedGrads[e + o] ** 2;
          if (p === 0) continue;
          const row = o * inputOrder;
          for (let i = 0; i < inputOrder; i++) out[row + i] += p * projectedInputs[n * inputOrder + i] ** 2;
        }
      }
    }
  }

  // ---- refreshing the decompositions ------------------------------------------------------------------

  /** Copies of the bias-corrected factors to decompose (undefined before the first factor update). */
  refreshJob(): KroneckerRefreshJob | undefined {
    if (this.clock.steps === 0) return undefined;
    const { input, outputGrad } = this.factors();
    const { outputs, inputOrder } = this.shape;
    return {
      version: this.nextVersion++, factorUpdates: this.clock.steps, outputs, inputOrder, inputFactor: input, outputGradFactor: outputGrad,
      ...(this.singleSolve ? { single: true } : {}),
    };
  }

  /**
   * Adopts a decomposition of one of this estimate's jobs: INVALID_CONFIG when it is not newer than the
   * installed one or has other shapes; an EKFAC block restarts its moments in the new basis (from the
   * pending pairs of the update that made the refresh due, when there are some).
   */
  installDecomposition(decomposition: KroneckerDecomposition): void {
    const { outputs, inputOrder } = this.shape;
    const kept = decomposition.inverseOnly;
    // an inverse-only decomposition: empty eigen arrays, the factors it inverted, both inverses
    const eigenLength = (n: number) => (kept === undefined ? n : 0);
    if (decomposition.inputValues?.length !== eigenLength(inputOrder) || decomposition.outputValues?.length !== eigenLength(outputs) ||
        decomposition.inputVectors?.length !== eigenLength(inputOrder * inputOrder) || decomposition.outputVectors?.length !== eigenLength(outputs * outputs) ||
        (kept !== undefined && (kept.inputFactor?.length !== inputOrder * inputOrder || kept.outputGradFactor?.length !== outputs * outputs ||
          !(kept.inputTop instanceof Float64Array) || !(kept.outputTop instanceof Float64Array) || this.corrected || !this.piDamping ||
          decomposition.dampedInverses?.outputInverse === undefined || decomposition.dampedInverses.inputInverse === undefined))) {
      throw new FisherdError('SHAPE_MISMATCH', `the decomposition is not of a ${outputs} × ${inputOrder} Kronecker block`, { field: 'decomposition' });
    }
    const inverses = decomposition.dampedInverses;
    if (inverses !== undefined && (inverses.outputScale?.length !== eigenLength(outputs) || inverses.inputScale?.length !== eigenLength(inputOrder) ||
        (inverses.outputInverse !== undefined && inverses.outputInverse.length !== outputs * outputs) ||
        (inverses.inputInverse !== undefined && inverses.inputInverse.length !== inputOrder * inputOrder))) {
      throw new FisherdError('SHAPE_MISMATCH', `the decomposition's damped inverses are not of a ${outputs} × ${inputOrder} Kronecker block`, { field: 'decomposition.dampedInverses' });
    }
    // float32 copies, when a job asked for them, of the same shapes as what they copy
    const sameShape = (copy: Float32Array | undefined, of: Float64Array | undefined) => copy === undefined || copy.length === of?.length;
    const v32 = decomposition.vectors32;
    const i32 = inverses?.inverses32;
    if (!sameShape(v32?.output, decomposition.outputVectors) || !sameShape(v32?.input, decomposition.inputVectors) ||
        !sameShape(i32?.output, inverses?.outputInverse) || !sameShape(i32?.input, inverses?.inputInverse)) {
      throw new FisherdError('SHAPE_MISMATCH', `the decomposition's float32 copies are not of a ${outputs} × ${inputOrder} Kronecker block`, { field: 'decomposition.vectors32' });
    }
    const installed = this.decomposition?.version ?? 0;
    if (!(decomposition.version > installed) || decomposition.version >= this.nextVersion || decomposition.factorUpdates > this.clock.steps) {
      throw new FisherdError('INVALID_CONFIG', `decomposition version ${decomposition.version} is not a newer job of this estimate (installed ${installed})`, {
        field: 'decomposition.version',
      });
    }
    this.decomposition = decomposition;
    this.updatesSinceRefresh = this.clock.steps - decomposition.factorUpdates;
    if (!this.corrected) return;
    this.moments = undefined;
    const pending = this.pending;
    this.pending = [];
    this.foldMoments(pending, undefined, this.pendingPairsDecay);
  }

  /**
   * The job `refreshJob()` would hand out right after an update with `factors` (one entry per worker, in
   * the order they would be accumulated) and `decay`, when that update makes a refresh due; undefined
   * otherwise (or without factors). Changes nothing: the factors are summed and blended exactly as
   * `accumulateFactors`/`commitUpdate` do, so its decomposition, computed anywhere before the update, is the
   * one the refresh after it would compute (`installPrecomputed`). Validated factors only. `piDamping`: the
   * λ the solves after it are expected to use, for a π-damping block's job (`KroneckerRefreshJob.piDamping`).
   */
  prospectiveRefreshJob(factors: readonly KroneckerFactors[], decay: number, piDamping?: number): KroneckerRefreshJob | undefined {
    if (factors.length === 0 || !this.refreshDueAfterUpdate) return undefined;
    const { outputs, inputOrder } = this.shape;
    // The sums as `accumulateFactors` forms them (one contribution: its own arrays), blended by the same
    // call as `commitUpdate` (blendFactor), then corrected as `factors()` does: the same values, bit for bit.
    let inputSum = factors[0]!.inputSum;
    let outputGradSum = factors[0]!.outputGradSum;
    let inputCount = factors[0]!.inputCount;
    let outputGradCount = factors[0]!.outputGradCount;
    if (factors.length > 1) {
      inputSum = inputSum.slice();
      outputGradSum = outputGradSum.slice();
      for (const f of factors.slice(1)) {
        addInto(inputSum, f.inputSum);
        addInto(outputGradSum, f.outputGradSum);
        inputCount += f.inputCount;
        outputGradCount += f.outputGradCount;
      }
    }
    const input = new Float64Array(this.inputFactor.length);
    const outputGrad = new Float64Array(this.outputGradFactor.length);
    blendFactor(this.float64, (1 - decay) / inputCount, inputSum, decay, this.inputFactor, input);
    blendFactor(this.float64, (1 - decay) / outputGradCount, outputGradSum, decay, this.outputGradFactor, outputGrad);
    const clock = new EmaClock(this.clock.steps, this.clock.decayProduct);
    clock.advance(decay);
    const c = clock.correction();
    scaleInPlace(input, c);
    scaleInPlace(outputGrad, c);
    return {
      version: this.nextVersion, factorUpdates: clock.steps, outputs, inputOrder, inputFactor: input, outputGradFactor: outputGrad,
      ...(this.piDamping && piDamping !== undefined ? { piDamping, inverseUses: this.inverseUses } : {}),
      ...(this.singleSolve ? { single: true } : {}),
      ...(piDamping !== undefined && this.inverseOnlyRefreshes ? { inverseOnly: true } : {}),
    };
  }

  /**
   * Installs the decomposition of a `prospectiveRefreshJob` as the refresh due after that update (which
   * must just have been committed): the version and clock advance as `refreshJob()` would have advanced
   * them. INTERNAL when no refresh is due or `decomposition` is of another job.
   */
  installPrecomputed(decomposition: KroneckerDecomposition): void {
    if (!this.needsRefresh || decomposition.version !== this.nextVersion || decomposition.factorUpdates !== this.clock.steps) {
      throw new FisherdError('INTERNAL',
        `decomposition version ${decomposition.version} of factor update ${decomposition.factorUpdates} is not the refresh due now (version ${this.nextVersion}, update ${this.clock.steps}${this.needsRefresh ? '' : ', none due'})`,
        { field: 'decomposition.version' });
    }
    this.nextVersion++;
    this.installDecomposition(decomposition);
  }

  /** Whether the next factor update will make a refresh due (`needsRefresh` after it). */
  get refreshDueAfterUpdate(): boolean {
    return this.decomposition === undefined || this.updatesSinceRefresh + 1 >= this.refreshEvery;
  }

  /** Refreshes synchronously when a refresh is due (`needsRefresh`); a no-op otherwise. */
  refreshIfDue(): void {
    if (this.needsRefresh) this.refreshDecompositions();
  }

  /** Factor updates the block's factors hold (t of their EMA clock). */
  get factorUpdates(): number {
    return this.clock.steps;
  }

  /**
   * Decomposes the current factors here and now (synchronous; O(out³ + in'³) through `Backend.eigh`). With
   * `piDamping` (the λ the solves will use), a π-damping block whose solves apply both damped inverses forms
   * just those, by Cholesky (`KroneckerRefreshJob.inverseOnly`), as a daemon's refresh thread does.
   */
  refreshDecompositions(piDamping?: number): void {
    const job = this.refreshJob();
    if (job === undefined) return;
    const inverseOnly = piDamping !== undefined && this.inverseOnlyRefreshes;
    this.installDecomposition(decomposeKroneckerFactors(inverseOnly ? { ...job, piDamping, inverseUses: this.inverseUses, inverseOnly } : job, this.backend));
  }

  /**
   * Whether this block's refreshes at a known λ form only π-damping's two inverses (by Cholesky) instead of
   * eigendecomposing: π-damping, not EKFAC, and both damped inverses formed by `dampedInverses`' rule at
   * `inverseUses` (so no solve goes through an eigenbasis). Depends on the shape and options alone.
   */
  private get inverseOnlyRefreshes(): boolean {
    const { outputs, inputOrder } = this.shape;
    return this.piDamping && !this.corrected && outputs <= 2 * inputOrder * this.inverseUses && inputOrder <= 2 * outputs * this.inverseUses;
  }

  /** The installed decomposition with its eigendecomposition (completed here, once, for an inverse-only one). */
  private installed(): KroneckerDecomposition {
    if (this.decomposition === undefined) this.refreshDecompositions();
    return this.eigendecomposed();
  }

  /** `eigendecomposed` of the installed decomposition, which it then replaces (the same version and inverses). */
  private eigendecomposed(): KroneckerDecomposition {
    const d = this.decomposition!;
    if (d.inverseOnly === undefined || d.inputValues.length > 0) return d;
    const complete = eigendecomposed(d, this.float64);
    this.decomposition = complete;
    return complete;
  }

  // ---- read-outs ---------------------------------------------------------------------------------------

  protected override checkRowBlocks(blocks: readonly RowBlock[]): void {
    if (blocks.some((b) => b.count > 0)) throw rowsRefused('blocks');
  }

  protected solveChecked(v: Float64Array, damping: number, out: Float64Array, factored?: FactoredSlices): Float64Array {
    const pi = this.piDamping && !this.corrected;
    if (this.needsRefresh) this.refreshDecompositions(pi ? damping : undefined);
    // π-damping applies the damped inverses alone where both are formed: an inverse-only decomposition serves as it is
    const d = pi && this.inverseOnlyRefreshes ? this.decomposition! : this.installed();
    const f = pi ? this.piFactors(d, damping) : undefined;
    const m = this.singleSolve ? this.singleOperands(d, f) : { ...vectorsOf(d), ...inversesOf(f) };
    const [X, Y, T] = this.singleSolve ? (this.work32 ??= [0, 1, 2].map(() => new Float32Array(this.dim))) : this.work;
    const terms = factored?.get(0);
    const thin = terms !== undefined && this.factoredPays(terms, m, f !== undefined) ? terms : undefined;
    if (f !== undefined) {
      if (thin !== undefined) this.solvePiFactored(m, f, thin, Y);
      else this.solvePi(m, f, blockToMatrix(this.shape, v, X), Y, T);
      return matrixToBlock(this.shape, Y, out);
    }
    if (thin !== undefined) this.toBasisFactored(m, thin, Y);
    else this.toBasis(m, blockToMatrix(this.shape, v, X), Y, T);
    this.divideByEigenvalues(d, damping, Y);
    this.fromBasis(m, Y, X, T);
    return matrixToBlock(this.shape, X, out);
  }

  /**
   * Whether the solve's first products cost fewer multiply-adds from v's low-rank factors (v = Σ s·vec(Lᵀ R),
   * rank r each) than from v itself (math.md, "Low-rank gradient sums"): π-damping multiplies Lᵀ and R by the
   * damped factors' inverses (one product each, two through an eigenbasis) and the two thin results together,
   * r·(out² + in'² + out·in') against out·in'·(out + in'); the eigenbasis route projects Lᵀ and R the same way
   * in place of its first two products. Exactly the shapes decide (the same v gives the same route); the
   * factors' shapes are checked here (INTERNAL: the session forms them from checked statistics).
   */
  private factoredPays(terms: readonly LowRankTerm[], m: SolveOperands, pi: boolean): boolean {
    const { outputs, inputOrder } = this.shape;
    const outputCost = pi && m.outputInverse === undefined ? 2 : 1;
    const inputCost = pi && m.inputInverse === undefined ? 2 : 1;
    let thin = 0;
    for (const t of terms) {
      if (!(t.rank >= 1) || t.left.length !== t.rank * outputs || t.right.length !== t.rank * inputOrder) {
        throw new FisherdError('INTERNAL', `a low-rank term of rank ${t.rank} has ${t.left.length} + ${t.right.length} values, not rank × (${outputs} + ${inputOrder})`, { field: 'factored' });
      }
      thin += t.rank * (outputCost * outputs * outputs + inputCost * inputOrder * inputOrder + outputs * inputOrder);
    }
    const dense = outputs * inputOrder * (outputCost * outputs + inputCost * inputOrder);
    return thin < dense;
  }

  /** Work matrices of the factored products, in the solve's storage type: three arrays of at least `length` values (grown, kept). */
  private thinWork(length: number): [Vec, Vec, Vec] {
    const current = this.thin;
    if (current !== undefined && current[0].length >= length) return current;
    const make = (): Vec => (this.singleSolve ? new Float32Array(length) : new Float64Array(length));
    return (this.thin = [make(), make(), make()]);
  }

  /**
   * π-damping's solve from v's low-rank factors: Y = Σ s·((Ḡ + √λ/π I)⁻¹ Lᵀ)(R (Ā + π√λ I)⁻¹), each factor
   * applied as `solvePi` applies it (its inverse, or its eigenbasis), to the thin matrices.
   */
  private solvePiFactored(m: SolveOperands, f: DampedInverses, terms: readonly LowRankTerm[], Y: Vec): void {
    const { outputs, inputOrder } = this.shape;
    const g = this.float64;
    terms.forEach((t, k) => {
      const r = t.rank;
      const [left, right, Z] = this.thinWork(r * Math.max(outputs, inputOrder));
      const TL = left.subarray(0, outputs * r);
      const TR = right.subarray(0, r * inputOrder);
      // TL = (Ḡ + √λ/π I)⁻¹ Lᵀ   (out × r)
      if (m.outputInverse !== undefined) g.gemm(false, true, outputs, r, outputs, 1, m.outputInverse, t.left, 0, TL);
      else {
        const W = Z.subarray(0, outputs * r);
        g.gemm(false, true, outputs, r, outputs, 1, m.outputVectors, t.left, 0, W);
        for (let o = 0; o < outputs; o++) {
          const w = f.outputScale[o];
          for (let j = o * r; j < (o + 1) * r; j++) W[j] *= w;
        }
        g.gemm(true, false, outputs, r, outputs, 1, m.outputVectors, W, 0, TL);
      }
      // TR = R (Ā + π√λ I)⁻¹   (r × in')
      if (m.inputInverse !== undefined) g.gemm(false, false, r, inputOrder, inputOrder, 1, t.right, m.inputInverse, 0, TR);
      else {
        const W = Z.subarray(0, r * inputOrder);
        g.gemm(false, true, r, inputOrder, inputOrder, 1, t.right, m.inputVectors, 0, W);
        const w = f.inputScale;
        for (let j = 0; j < r; j++) {
          const row = j * inputOrder;
          for (let i = 0; i < inputOrder; i++) W[row + i] *= w[i];
        }
        g.gemm(false, false, r, inputOrder, inputOrder, 1, W, m.inputVectors, 0, TR);
      }
      g.gemm(false, false, outputs, inputOrder, r, t.scale, TL, TR, k === 0 ? 0 : 1, Y);
    });
  }

  /** `toBasis` of v from its low-rank factors: Y = Σ s·(Q_G Lᵀ)(R Q_Aᵀ). */
  private toBasisFactored(m: SolveOperands, terms: readonly LowRankTerm[], Y: Vec): void {
    const { outputs, inputOrder } = this.shape;
    const g = this.float64;
    terms.forEach((t, k) => {
      const r = t.rank;
      const [left, right] = this.thinWork(r * Math.max(outputs, inputOrder));
      const TL = left.subarray(0, outputs * r);
      const TR = right.subarray(0, r * inputOrder);
      g.gemm(false, true, outputs, r, outputs, 1, m.outputVectors, t.left, 0, TL);
      g.gemm(false, true, r, inputOrder, inputOrder, 1, t.right, m.inputVectors, 0, TR);
      g.gemm(false, false, outputs, inputOrder, r, t.scale, TL, TR, k === 0 ? 0 : 1, Y);
    });
  }

  /**
   * The float32 operands of a float32-storage solve for decomposition `d` (and π-damping's factors `f`):
   * the float64 eigenvectors and damped inverses rounded to float32 once per decomposition (and per λ), kept
   * until either changes.
   */
  private singleOperands(d: KroneckerDecomposition, f: DampedInverses | undefined): SolveOperands {
    let cached = this.single;
    if (cached === undefined || cached.decomposition !== d) {
      // rounded where the decomposition was formed (a refresh thread: `KroneckerRefreshJob.single`), else here
      const v = d.vectors32;
      cached = {
        decomposition: d,
        outputVectors: v?.output ?? new Float32Array(d.outputVectors),
        inputVectors: v?.input ?? new Float32Array(d.inputVectors),
      };
      this.single = cached;
    }
    if (f === undefined) return cached;
    if (cached.inverses?.of !== f) {
      const r = f.inverses32 ?? rounded(f.outputInverse, f.inputInverse);
      cached.inverses = {
        of: f,
        ...(r.output === undefined ? {} : { outputInverse: r.output }),
        ...(r.input === undefined ? {} : { inputInverse: r.input }),
      };
    }
    return { outputVectors: cached.outputVectors, inputVectors: cached.inputVectors, ...cached.inverses };
  }

  /** Y ⊘ M in the eigenbasis: M_oi = s_oi + λ (EKFAC with moments) or λ_G,o·λ_A,i + λ (Tikhonov). */
  private divideByEigenvalues(d: KroneckerDecomposition, damping: number, Y: Vec): void {
    const { outputs, inputOrder } = this.shape;
    const moments = this.corrected ? this.moments : undefined;
    if (moments !== undefined) {
      const squares = moments.squares;
      const c = 1 / (1 - moments.decayProduct);
      for (let at = 0; at < Y.length; at++) {
        const divisor = squares[at] * c + damping;
        if (!(divisor > 0)) throw notPositiveDefinite(Math.floor(at / inputOrder), at % inputOrder, divisor);
        Y[at] /= divisor;
      }
      return;
    }
    const outputValues = d.outputValues;
    const inputValues = d.inputValues;
    const k = Y.length >= NATIVE_MIN_LENGTH ? activeNativeKernels() : undefined;
    if (k !== undefined) {
      // the loop below in C (the same bits), at memory speed
      const at = Y instanceof Float64Array ? k.kroneckerDivide(Y, outputs, inputOrder, outputValues, inputValues, damping)
        : k.kroneckerDivideF32(Y, outputs, inputOrder, outputValues, inputValues, damping);
      if (at >= 0) {
        const o = Math.floor(at / inputOrder);
        const i = at % inputOrder;
        throw notPositiveDefinite(o, i, outputValues[o] * inputValues[i] + damping);
      }
      return;
    }
    const at = divideByProducts(Y, outputs, inputOrder, outputValues, inputValues, damping);
    if (at >= 0) {
      const o = Math.floor(at / inputOrder);
      const i = at % inputOrder;
      throw notPositiveDefinite(o, i, outputValues[o] * inputValues[i] + damping);
    }
  }

  /**
   * π-damping's solve, Y = (Ḡ + √λ/π I)⁻¹ X (Ā + π√λ I)⁻¹ (math.md: the inverse of the Kronecker product of
   * the damped factors), one factor at a time (X is overwritten). A factor whose damped inverse costs no
   * more to form (n³/2 for a syrk) than it saves per solve (one of the four products of the eigenbasis route:
   * out²·in' for Ḡ, out·in'² for Ā), i.e. out ≤ 2·in' for Ḡ and in' ≤ 2·out for Ā, is applied as that
   * inverse (one product); the other through its eigenbasis (V·diag(1/(λ_k + shift))·Vᵀ: two products). The
   * inverses are kept for the installed decomposition and λ (formed again after a refresh or when λ
   * changes): at a fixed λ a layer with out ≤ 2·in' ≤ 4·out solves with two products instead of four, and
   * a λ that changes every step costs no more than the eigenbasis route. Which route a factor takes depends
   * on the shape alone, so a solve's result does not depend on what was solved before. NOT_POSITIVE_DEFINITE
   * as the eigenbasis route: when some (λ_G,o + √λ/π)(λ_A,i + π√λ) is not > 0 (`piFactors`). `m` holds
   * the operands in the solve's storage type, X, Y, T likewise (T: work).
   */
  private solvePi(m: SolveOperands, f: DampedInverses, X: Vec, Y: Vec, T: Vec): void {
    const { outputs, inputOrder } = this.shape;
    // T = (Ḡ + √λ/π I)⁻¹ X
    if (m.outputInverse !== undefined) {
      this.float64.gemm(false, false, outputs, inputOrder, outputs, 1, m.outputInverse, X, 0, T);
    } else {
      this.float64.gemm(false, false, outputs, inputOrder, outputs, 1, m.outputVectors, X, 0, Y);
      for (let o = 0; o < outputs; o++) {
        const w = f.outputScale[o];
        const row = o * inputOrder;
        for (let i = 0; i < inputOrder; i++) Y[row + i] *= w;
      }
      this.float64.gemm(true, false, outputs, inputOrder, outputs, 1, m.outputVectors, Y, 0, T);
    }
    // Y = T (Ā + π√λ I)⁻¹
    if (m.inputInverse !== undefined) {
      this.float64.gemm(false, false, outputs, inputOrder, inputOrder, 1, T, m.inputInverse, 0, Y);
    } else {
      this.float64.gemm(false, true, outputs, inputOrder, inputOrder, 1, T, m.inputVectors, 0, X);
      const w = f.inputScale;
      for (let o = 0; o < outputs; o++) {
        const row = o * inputOrder;
        for (let i = 0; i < inputOrder; i++) X[row + i] *= w[i];
      }
      this.float64.gemm(false, false, outputs, inputOrder, inputOrder, 1, X, m.inputVectors, 0, Y);
    }
  }

  /**
   * π-damping's solve factors (`dampedInverses`) for decomposition `d` and damping λ: those a refresh
   * thread formed with `d` for this λ, else the last ones formed here for (d, λ), else formed now. Throws
   * NOT_POSITIVE_DEFINITE naming the first (o, i), in row-major order, whose product
   * (λ_G,o + √λ/π)(λ_A,i + π√λ) is not > 0 (as the eigenbasis route would).
   */
  private piFactors(d: KroneckerDecomposition, damping: number): DampedInverses {
    if (d.dampedInverses?.damping === damping) return d.dampedInverses;
    const cached = this.pi;
    if (cached !== undefined && cached.decomposition === d && cached.factors.damping === damping) return cached.factors;
    // an inverse-only decomposition at another λ: Cholesky of its factors again (an eigendecomposition when not positive definite)
    const kept = d.inverseOnly;
    const factors = kept !== undefined
      ? choleskyInverses(kept.inputFactor, kept.outputGradFactor, d.pi, damping, this.float64, this.singleSolve)
        ?? dampedInverses(this.eigendecomposed(), damping, this.float64, this.inverseUses, this.singleSolve)
      : dampedInverses(d, damping, this.float64, this.inverseUses, this.singleSolve);
    if (factors === undefined) {
      const { outputs, inputOrder } = this.shape;
      const sqrtDamping = Math.sqrt(damping);
      for (let o = 0; o < outputs; o++) {
        for (let i = 0; i < inputOrder; i++) {
          const divisor = (d.outputValues[o] + sqrtDamping / d.pi) * (d.inputValues[i] + d.pi * sqrtDamping);
          if (!(divisor > 0)) throw notPositiveDefinite(o, i, divisor);
        }
      }
      throw new FisherdError('INTERNAL', 'a damped eigenvalue product is not > 0, yet none was found', { field: 'damping' });
    }
    this.pi = { decomposition: d, factors };
    return factors;
  }

  /** Y = Q_G X Q_Aᵀ = V_Gᵀ X V_A (X, Y, T out × in', all of one storage type). */
  private toBasis(m: SolveOperands, X: Vec, Y: Vec, T: Vec): void {
    const { outputs, inputOrder } = this.shape;
    this.float64.gemm(false, false, outputs, inputOrder, outputs, 1, m.outputVectors, X, 0, T);
    this.float64.gemm(false, true, outputs, inputOrder, inputOrder, 1, T, m.inputVectors, 0, Y);
  }

  /** X = Q_Gᵀ Y Q_A = V_G Y V_Aᵀ. */
  private fromBasis(m: SolveOperands, Y: Vec, X: Vec, T: Vec): void {
    const { outputs, inputOrder } = this.shape;
    this.float64.gemm(true, false, outputs, inputOrder, outputs, 1, m.outputVectors, Y, 0, T);
    this.float64.gemm(false, false, outputs, inputOrder, inputOrder, 1, T, m.inputVectors, 0, X);
  }

  /** The EKFAC eigenvalues s (bias-corrected), or λ_G λ_Aᵀ before any moments in this basis. */
  private correctedEigenvalues(d: KroneckerDecomposition): Float64Array {
    const { outputs, inputOrder } = this.shape;
    const s = new Float64Array(this.dim);
    const moments = this.moments;
    if (moments !== undefined) {
      const c = 1 / (1 - moments.decayProduct);
      for (let j = 0; j < s.length; j++) s[j] = moments.squares[j] * c;
      return s;
    }
    for (let o = 0; o < outputs; o++) for (let i = 0; i < inputOrder; i++) s[o * inputOrder + i] = d.outputValues[o] * d.inputValues[i];
    return s;
  }

  protected matvecChecked(v: Float64Array, out: Float64Array): Float64Array {
    const { outputs, inputOrder } = this.shape;
    const [X, Y, T] = this.work;
    blockToMatrix(this.shape, v, X);
    if (this.corrected) {
      const d = this.installed();
      const s = this.correctedEigenvalues(d);
      const m = vectorsOf(d);
      this.toBasis(m, X, Y, T);
      for (let j = 0; j < Y.length; j++) Y[j] *= s[j];
      this.fromBasis(m, Y, X, T);
      return matrixToBlock(this.shape, X, out);
    }
    // (Ḡ⊗Ā) vec(X) = vec(Ḡ X Ā) (row-major vec; Ā symmetric), with Ḡ = c·G_t, Ā = c·A_t.
    const c = this.clock.correction();
    this.float64.gemm(false, false, outputs, inputOrder, outputs, c, this.outputGradFactor, X, 0, T);
    this.float64.gemm(false, false, outputs, inputOrder, inputOrder, c, T, this.inputFactor, 0, Y);
    return matrixToBlock(this.shape, Y, out);
  }

  protected diagonalChecked(out: Float64Array): Float64Array {
    const { outputs, inputOrder } = this.shape;
    if (this.corrected) {
      // diag(V diag(s) Vᵀ)_(o,i) = Σ_{p,j} s_pj Q_G[p,o]² Q_A[j,i]² = ((Q_G∘Q_G)ᵀ S (Q_A∘Q_A))_{o,i}.
      const d = this.installed();
      const S = this.correctedEigenvalues(d);
      const squaredG = d.outputVectors.map((q) => q * q);
      const squaredA = d.inputVectors.map((q) => q * q);
      const [, Y, T] = this.work;
      this.float64.gemm(true, false, outputs, inputOrder, outputs, 1, squaredG, S, 0, T);
      this.float64.gemm(false, false, outputs, inputOrder, inputOrder, 1, T, squaredA, 0, Y);
      return matrixToBlock(this.shape, Y, out);
    }
    const c2 = this.clock.correction() ** 2;
    for (let o = 0; o < outputs; o++) {
      const g = this.outputGradFactor[o * outputs + o] * c2;
      for (let i = 0; i < inputOrder; i++) out[blockIndex(this.shape, o, i)] = g * this.inputFactor[i * inputOrder + i];
    }
    return out;
  }

  protected traceChecked(): number {
    if (this.corrected) return this.correctedEigenvalues(this.installed()).reduce((a, b) => a + b, 0);
    const { outputs, inputOrder } = this.shape;
    let traceA = 0;
    let traceG = 0;
    for (let i = 0; i < inputOrder; i++) traceA += this.inputFactor[i * inputOrder + i];
    for (let o = 0; o < outputs; o++) traceG += this.outputGradFactor[o * outputs + o];
    return traceA * traceG * this.clock.correction() ** 2;
  }

  /** λ(Ḡ⊗Ā) = {λ_G,o · λ_A,i}: the top k products, from the installed decomposition (EKFAC: the top s). */
  protected topEigenvaluesChecked(k: number): Float64Array {
    const kept = this.decomposition?.inverseOnly;
    if (kept !== undefined && !this.corrected && k <= Math.min(kept.inputTop.length, kept.outputTop.length)) {
      // the top k products come from the top k of each factor (below): those an inverse-only refresh kept
      const products = new Float64Array(k * k);
      for (let o = 0; o < k; o++) for (let i = 0; i < k; i++) products[o * k + i] = kept.outputTop[o]! * kept.inputTop[i]!;
      return products.sort().reverse().slice(0, k);
    }
    const d = this.installed();
    if (this.corrected) return this.correctedEigenvalues(d).sort().reverse().slice(0, k);
    // The top k products λ_G,o·λ_A,i (all ≥ 0) come from the top k of each factor: O(k² log k), not O(D log D).
    const topG = Float64Array.from(d.outputValues).sort().reverse().subarray(0, k);
    const topA = Float64Array.from(d.inputValues).sort().reverse().subarray(0, k);
    const products = new Float64Array(topG.length * topA.length);
    for (let o = 0; o < topG.length; o++) for (let i = 0; i < topA.length; i++) products[o * topA.length + i] = topG[o]! * topA[i]!;
    return products.sort().reverse().slice(0, k);
  }


  protected denseChecked(out: Float64Array): Float64Array {
    const { dim, shape } = this;
    if (this.corrected) {
      const unit = new Float64Array(dim);
      const column = new Float64Array(dim);
      for (let j = 0; j < dim; j++) {
        unit[j] = 1;
        this.matvecChecked(unit, column);
        unit[j] = 0;
        for (let i = 0; i < dim; i++) out[i * dim + j] = column[i];
      }
      return out;
    }
    // Entry ((o,i), (p,j)) of Ḡ⊗Ā is Ḡ_op Ā_ij, at the block's coordinates of (o,i) and (p,j).
    const { outputs, inputOrder } = shape;
    const c2 = this.clock.correction() ** 2;
    for (let o = 0; o < outputs; o++) {
      for (let i = 0; i < inputOrder; i++) {
        const row = blockIndex(shape, o, i) * dim;
        for (let p = 0; p < outputs; p++) {
          const g = this.outputGradFactor[o * outputs + p] * c2;
          for (let j = 0; j < inputOrder; j++) out[row + blockIndex(shape, p, j)] = g * this.inputFactor[i * inputOrder + j];
        }
      }
    }
    return out;
  }

  // ---- state -------------------------------------------------------------------------------------------

  snapshot(): EstimateSnapshot {
    const { dim, clock } = this;
    return {
      kind: 'kronecker', dim, steps: clock.steps, decayProduct: clock.decayProduct,
      ...this.copyState(),
    };
  }

  private copyState(): KroneckerState {
    const state: KroneckerState = {
      structure: copyKronecker(this.structure),
      inputFactor: this.inputFactor.slice(),
      outputGradFactor: this.outputGradFactor.slice(),
      updatesSinceRefresh: this.updatesSinceRefresh,
      nextVersion: this.nextVersion,
    };
    if (this.decomposition !== undefined) state.decomposition = copyDecomposition(this.decomposition);
    if (this.moments !== undefined) state.eigenbasisMoments = { ...this.moments, squares: this.moments.squares.slice() };
    if (this.pending.length > 0) {
      state.pendingPairs = this.pending.map((p) => ({ pairs: copyPairs(p.pairs), divisor: p.divisor, decay: this.pendingPairsDecay }));
    }
    return state;
  }

  protected restoreChecked(snapshot: EstimateSnapshot): void {
    if (snapshot.kind !== 'kronecker') return;
    const { outputs, inputOrder } = this.shape;
    const same = snapshot.structure?.outputs === outputs && snapshot.structure.inputs === this.structure.inputs && snapshot.structure.bias === this.structure.bias;
    if (!same) {
      throw new FisherdError('INVALID_CONFIG', 'snapshot.structure is not the shape of this Kronecker block', { field: 'snapshot.structure' });
    }
    requireSnapshotLength(snapshot.inputFactor, inputOrder * inputOrder, 'snapshot.inputFactor');
    requireSnapshotLength(snapshot.outputGradFactor, outputs * outputs, 'snapshot.outputGradFactor');
    const d = snapshot.decomposition;
    if (d !== undefined) {
      const kept = d.inverseOnly;
      const eigen = kept === undefined ? 1 : 0; // an inverse-only decomposition's eigen arrays are empty
      requireSnapshotLength(d.inputValues, eigen * inputOrder, 'snapshot.decomposition.inputValues');
      requireSnapshotLength(d.inputVectors, eigen * inputOrder * inputOrder, 'snapshot.decomposition.inputVectors');
      requireSnapshotLength(d.outputValues, eigen * outputs, 'snapshot.decomposition.outputValues');
      requireSnapshotLength(d.outputVectors, eigen * outputs * outputs, 'snapshot.decomposition.outputVectors');
      if (kept !== undefined) {
        requireSnapshotLength(kept.inputFactor, inputOrder * inputOrder, 'snapshot.decomposition.inverseOnly.inputFactor');
        requireSnapshotLength(kept.outputGradFactor, outputs * outputs, 'snapshot.decomposition.inverseOnly.outputGradFactor');
        requireSnapshotLength(kept.inputTop, Math.min(INVERSE_ONLY_TOP, inputOrder), 'snapshot.decomposition.inverseOnly.inputTop');
        requireSnapshotLength(kept.outputTop, Math.min(INVERSE_ONLY_TOP, outputs), 'snapshot.decomposition.inverseOnly.outputTop');
        if (!this.piDamping || this.corrected) {
          throw new FisherdError('INVALID_CONFIG', 'snapshot.decomposition is inverse-only, which only a π-damping K-FAC block keeps', { field: 'snapshot.decomposition.inverseOnly' });
        }
      }
    }
    if (snapshot.eigenbasisMoments !== undefined) requireSnapshotLength(snapshot.eigenbasisMoments.squares, this.dim, 'snapshot.eigenbasisMoments.squares');
    if (!(Number.isInteger(snapshot.updatesSinceRefresh) && snapshot.updatesSinceRefresh >= 0 && Number.isInteger(snapshot.nextVersion) && snapshot.nextVersion >= 1)) {
      throw new FisherdError('INVALID_CONFIG', 'snapshot.updatesSinceRefresh and snapshot.nextVersion must be integers ≥ 0 and ≥ 1', { field: 'snapshot.nextVersion' });
    }
    this.inputFactor = Float64Array.from(snapshot.inputFactor);
    this.outputGradFactor = Float64Array.from(snapshot.outputGradFactor);
    this.updatesSinceRefresh = snapshot.updatesSinceRefresh;
    this.nextVersion = snapshot.nextVersion;
    this.decomposition = snapshot.decomposition === undefined ? undefined : copyDecomposition(snapshot.decomposition);
    this.moments = snapshot.eigenbasisMoments === undefined ? undefined : { ...snapshot.eigenbasisMoments, squares: snapshot.eigenbasisMoments.squares.slice() };
    this.pending = (snapshot.pendingPairs ?? []).map((p) => ({ pairs: copyPairs(p.pairs), divisor: p.divisor }));
    this.pendingPairsDecay = snapshot.pendingPairs?.[0]?.decay ?? 0;
  }

  /**
   * Holds the current factor arrays (no copy: `commitUpdate` writes the next factors beside them while they
   * are held) and copies the rest of the state.
   */
  protected saveState(): void {
    const s = (this.saved ??= {
      inputFactor: this.inputFactor, outputGradFactor: this.outputGradFactor,
      updatesSinceRefresh: 0, nextVersion: 0, decomposition: undefined, moments: undefined, pending: [], pendingDecay: 0,
    });
    s.inputFactor = this.inputFactor;
    s.outputGradFactor = this.outputGradFactor;
    s.updatesSinceRefresh = this.updatesSinceRefresh;
    s.nextVersion = this.nextVersion;
    s.decomposition = this.decomposition;
    s.moments = this.moments === undefined ? undefined : { ...this.moments, squares: this.moments.squares.slice() };
    s.pending = this.pending;
    s.pendingDecay = this.pendingPairsDecay;
  }

  protected restoreSavedState(): void {
    const s = this.saved;
    if (s === undefined) return;
    // The held arrays become the factors again (they stay held: a later commit writes beside them); the
    // factors written since are free.
    if (this.inputFactor !== s.inputFactor) {
      this.spareInputFactor = this.inputFactor;
      this.inputFactor = s.inputFactor;
    }
    if (this.outputGradFactor !== s.outputGradFactor) {
      this.spareOutputGradFactor = this.outputGradFactor;
      this.outputGradFactor = s.outputGradFactor;
    }
    this.updatesSinceRefresh = s.updatesSinceRefresh;
    this.nextVersion = s.nextVersion;
    this.decomposition = s.decomposition;
    this.moments = s.moments === undefined ? undefined : { ...s.moments, squares: s.moments.squares.slice() };
    this.pending = s.pending;
    this.pendingPairsDecay = s.pendingDecay;
  }
}

function notPositiveDefinite(o: number, i: number, divisor: number): FisherdError {
  return new FisherdError(
    'NOT_POSITIVE_DEFINITE',
    `Kronecker eigenvalue (${o}, ${i}) of the damped estimate is ${divisor}; a singular factor needs damping > 0`,
  );
}

function rowsRefused(field: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field}: a Kronecker block takes factor statistics (KroneckerFactors), not gradient rows`, { field });
}

/** y ← β·y + α·x (β = 0 overwrites). */
function blend(y: Float64Array, beta: number, alpha: number, x: Float64Array): void {
  if (beta === 0) for (let i = 0; i < y.length; i++) y[i] = alpha * x[i];
  else for (let i = 0; i < y.length; i++) y[i] = beta * y[i] + alpha * x[i];
}

/** y ← c·y (each value rounded as `scaledCopy` rounds it). */
function scaleInPlace(y: Float64Array, c: number): void {
  for (let i = 0; i < y.length; i++) y[i] *= c;
}

/**
 * c·y in a new array. A loop, not `y.map((v) => v * c)` (the same values): TypedArray.prototype.map calls
 * its callback per value and measured ~30 ms for a 1025 × 1025 factor here, against ~3 ms for this.
 */
function scaledCopy(y: Float64Array, c: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = y[i] * c;
  return out;
}

/**
 * A factor's EMA, out ← βA + αS (α·S when β = 0, A not read), in place (`out` = A, the default) or into
 * another array: the native kernel (`fd_factor_ema`) when the native kernels are in use, else the backend's
 * axpby (daxpby on openblas; the reference loop), after a copy of A into `out`. The same bits as daxpby
 * either way (one IEEE product and sum per value, no fused multiply-add), and as the reference loop except
 * that β = 0 keeps the sign of a −0 in α·S.
 */
function blendFactor(float64: Backend, alpha: number, S: Float64Array, beta: number, A: Float64Array, out: Float64Array = A): void {
  const k = A.length >= NATIVE_MIN_LENGTH ? activeNativeKernels() : undefined;
  if (k !== undefined && S.length === A.length && out.length === A.length) {
    k.factorEma(S, A, out, A.length, alpha, beta);
    return;
  }
  if (out !== A) out.set(A);
  float64.axpby(alpha, S, beta, out);
}

function addInto(y: Float64Array, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += x[i];
}


function copyDecomposition(d: KroneckerDecomposition): KroneckerDecomposition {
  const kept = d.inverseOnly;
  // an inverse-only decomposition: the factors (its inverses, and an eigendecomposition completed on demand,
  // are derived: formed again when needed)
  const eigen = (a: Float64Array) => (kept === undefined ? Float64Array.from(a) : new Float64Array(0));
  return {
    version: d.version, factorUpdates: d.factorUpdates, pi: d.pi,
    inputValues: eigen(d.inputValues), inputVectors: eigen(d.inputVectors),
    outputValues: eigen(d.outputValues), outputVectors: eigen(d.outputVectors),
    ...(kept === undefined ? {} : {
      inverseOnly: {
        inputFactor: Float64Array.from(kept.inputFactor), outputGradFactor: Float64Array.from(kept.outputGradFactor),
        inputTop: Float64Array.from(kept.inputTop), outputTop: Float64Array.from(kept.outputTop),
      },
    }),
  };
}

function copyPairs(p: KroneckerPairs): KroneckerPairs {
  return { inputs: Float64Array.from(p.inputs), count: p.count, outputGrads: Float64Array.from(p.outputGrads), outputGradsPerInput: p.outputGradsPerInput };
}
