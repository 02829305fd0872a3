/**
 * The estimator bundle of one training run: running (EMA, bias-corrected) estimates of the mean gradient,
 * the empirical Fisher, the Fisher and the noise covariance of the minibatch mean (math.md, "Curvature and
 * noise estimates" and "Running estimates"), all in one structure and updated together, batch by batch.
 */
import { FisherdError } from '../errors.js';
import type { Backend, Vec } from '../linalg/backend.js';
import { activeNativeKernels, NATIVE_MIN_LENGTH } from '../linalg/native-kernels.js';
import { requireFiniteFisherRows, requireFinitePerExampleGrads, validateBatch, type Batch, type TrackedQuantities } from './batch.js';
import { allocateSummary, validateSummary, type DiagonalBatchSummary } from './batch-summary.js';
import { createSymmetricEstimate } from './create-estimate.js';
import { BlockDiagonalEstimate } from './block-estimate.js';
import { DiagonalEstimate } from './diagonal-estimate.js';
import type { KroneckerDecomposition, KroneckerRefreshJob } from './kronecker-decomposition.js';
import { KroneckerEstimate } from './kronecker-estimate.js';
import type { KroneckerFactorChecks, KroneckerFactors } from './kronecker-factors.js';
import { EmaClock } from './ema.js';
import { forEachRowChunk, type RowBlock } from './rows.js';
import { StorageScratch } from './scratch.js';
import { copyStructure, validateStructure, type Structure } from './structure.js';
import {
  resolveEstimateOptions,
  type AccumulatingEstimate,
  type EstimateOptions,
  type EstimateSnapshot,
  type SymmetricEstimate,
} from './symmetric-estimate.js';
import { firstNonFinite, requireDecay, requireVector } from './validate.js';

export type { Batch } from './batch.js';

/** The estimates that Kronecker factors feed (the noise has no Kronecker form). */
export type KroneckerEstimateName = 'empiricalFisher' | 'fisher';
const KRONECKER_ESTIMATES: readonly KroneckerEstimateName[] = ['empiricalFisher', 'fisher'];

/** One update's Kronecker factors, per tracked estimate and block name: one entry per worker, in worker order. */
export interface UpdateFactors {
  readonly empiricalFisher?: ReadonlyMap<string, readonly KroneckerFactors[]>;
  readonly fisher?: ReadonlyMap<string, readonly KroneckerFactors[]>;
}

/** A refresh an update will make due, as a job to decompose ahead (`prospectiveRefreshJobs`). */
export interface ProspectiveRefresh {
  readonly estimate: KroneckerEstimateName;
  readonly block: string;
  readonly job: KroneckerRefreshJob;
}

/** Options of `updateFromSummary` and `updateFromStatistics`. */
export interface SummaryUpdateOptions {
  /**
   * Scan the summary's vectors for NaN (default true). False only for a caller whose summary cannot hold one:
   * the session's merge of one worker's statistics whose values it checked (every coordinate a finite value
   * times a finite multiplier, none a sum of two).
   */
  readonly summaryValues?: boolean;
  /**
   * Where to write the bias-corrected EMA of ḡ after the update (the values `meanGrad(out)` returns then,
   * bit for bit), in the same pass as the EMA; the update then returns Σ of their squares, summed in index
   * order (as `norm2` sums them: optim/vec.ts `norm2FromSquares`). Written only when the update succeeds.
   */
  readonly meanGradOut?: Float64Array;
  /**
   * The batch's ḡ as segments in offset order that tile [0, dim): ḡ[offset + j] = 0 + factor·values[j] (what
   * `mergeStatistics` writes for one worker, bit for bit), read in the EMA's pass instead of the summary's
   * `mean`, which is then neither read nor scanned: for a caller that has checked every value finite (the
   * session, from one worker's checked statistics). Saves writing ḡ of the batch and reading it back.
   */
  readonly meanSegments?: readonly MeanSegment[];
}

/** A run of the batch's ḡ as a scaled statistics vector (see `SummaryUpdateOptions.meanSegments`). */
export interface MeanSegment {
  /** Where the run starts in the D parameters. */
  readonly offset: number;
  /** ḡ[offset + j] = 0 + factor·values[j]. */
  readonly values: Float32Array | Float64Array;
  /** Finite. */
  readonly factor: number;
}

/** Options of `updateFromStatistics`: the factors' checks and the summary's. */
export interface StatisticsUpdateOptions extends KroneckerFactorChecks, SummaryUpdateOptions {}

/** A decomposition computed ahead for the refresh an update makes due (`updateFromStatistics`). */
export interface PrecomputedRefresh {
  readonly estimate: KroneckerEstimateName;
  readonly block: string;
  readonly decomposition: KroneckerDecomposition;
}
export type { DiagonalBatchSummary } from './batch-summary.js';

export interface CurvatureConfig {
  /** D, the number of parameters. */
  dim: number;
  /** How each D×D estimate is stored (one structure for all of them). */
  structure: Structure;
  /** The EMA decay β ∈ [0, 1); 0 means "this batch only". */
  decay: number;
  /** Which estimates to keep; the mean gradient is always kept. */
  track: TrackedQuantities;
}

/** The estimator's state as plain data; `CurvatureEstimator.restore` of it continues bit for bit. */
export interface CurvatureSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  config: CurvatureConfig;
  steps: number;
  decayProduct: number;
  /** The un-normalized EMA of ḡ (divide by 1 − β^t to read it). */
  meanGrad: Float64Array;
  empiricalFisher?: EstimateSnapshot;
  fisher?: EstimateSnapshot;
  noise?: EstimateSnapshot;
}

const SNAPSHOT_FORMAT = 'fisherd-curvature/1';

/**
 * One diagonal run of a tracked estimate for a fused step (`CurvatureEstimator.fusedDiagonal`): the
 * coordinates [offset, offset + state.length) of the parameter vector, stored in one array.
 */
export interface FusedDiagonalSegment {
  /** Where the segment starts in the D parameters. */
  readonly offset: number;
  /** diag(A_{t−1}) of these coordinates, un-normalized, backend storage: read only. */
  readonly state: Vec;
  /** Where diag(A_t) = β·state + (1−β)·scale·q goes (every entry must be written before `commit`). */
  readonly next: Vec;
  /** 1/(1 − β^t) after the update. */
  readonly correction: number;
}

/**
 * One tracked diagonal estimate's arrays for a fused step: one segment for the diagonal structure, one per
 * parameter block for blocks of diagonals; in offset order, covering the D parameters.
 */
export interface FusedDiagonalPart {
  readonly segments: readonly FusedDiagonalSegment[];
}

/** See `CurvatureEstimator.fusedDiagonal`. */
export interface FusedDiagonalAccess {
  readonly decay: number;
  readonly meanGradSum: Float64Array;
  readonly nextMeanGradSum: Float64Array;
  /** 1/(1 − β^t) of ḡ's EMA after the update. */
  readonly meanGradCorrection: number;
  /** t after the update. */
  readonly stepsAfter: number;
  readonly empiricalFisher: FusedDiagonalPart | undefined;
  readonly fisher: FusedDiagonalPart | undefined;
  readonly noise: FusedDiagonalPart | undefined;
  commit(): void;
}

export class CurvatureEstimator {
  readonly config: CurvatureConfig;
  /** Ẽ = (1/b) Σ g_n g_nᵀ. */
  readonly empiricalFisher?: SymmetricEstimate;
  /** F̂ = (1/(bK)) Σ g̃ g̃ᵀ (sampled labels) or F = (1/b) Σ_n Σ_c u u ᵀ (exact factor rows). */
  readonly fisher?: SymmetricEstimate;
  /** S = C/b, C = (1/(b−1)) Σ (g_n − ḡ)(g_n − ḡ)ᵀ: centred rows with scale 1/(b(b−1)). */
  readonly noise?: SymmetricEstimate;

  private readonly estimates: {
    empiricalFisher?: AccumulatingEstimate;
    fisher?: AccumulatingEstimate;
    noise?: AccumulatingEstimate;
  };
  private readonly clock = new EmaClock();
  /** The un-normalized EMA of ḡ. (Swapped with its spare by a fused step's commit, and by an update while a checkpoint holds it.) */
  private meanGradSum: Float64Array;
  /**
   * Where a fused step, or an update while the checkpoint holds `meanGradSum`, writes the next EMA of ḡ
   * (allocated on first use; never `meanGradSum`; see `nextMeanGradSum`).
   */
  private spareMeanGradSum: Float64Array | undefined;
  /** This batch's ḡ in storage precision (the centre of the noise rows) and its float64 copy. */
  private readonly batchMean: Vec;
  private readonly batchMean64: Float64Array;
  private readonly centredScratch: StorageScratch;
  private readonly chunkElements: number;
  /**
   * Whether the backend's gemv is IEEE arithmetic on the CPU (reference: JS; openblas: BLAS), so that a
   * non-finite row always shows in ḡ. GPU.js kernels run as GLSL or WebAssembly translations whose NaN and
   * ±Inf handling GLSL does not guarantee, so for them the rows are scanned as before.
   */
  private readonly meanRevealsNonFinite: boolean;
  /**
   * Σ_n g_n∘g_n of this batch (float64): ḡ and this come from one pass over the per-example rows
   * (`syrkDiag` with `columnSums`), whatever is tracked, so that ḡ is the same bits in every session on a
   * backend (a replay tracks more than the session it replays); a diagonal empirical Fisher takes it once
   * the batch has passed every check (so a throw still leaves the state unchanged).
   */
  private readonly batchSquares: Float64Array;
  /** Σ_n (g_n − c) of this batch about its first row c (float64; the noise's shift, see `summarize`). */
  private readonly centredSums: Float64Array;
  /** The native mean pass's running sum of squares (`foldMean`). */
  private squaresScratch: Float64Array | undefined;
  /** Whether every tracked estimate is diagonal (see `summarizes`). */
  private readonly diagonalOnly: boolean;
  /** Whether every tracked estimate is a diagonal or blocks of diagonals (see `acceptsSummaries`). */
  private readonly diagonalBlocksOnly: boolean;
  /** The summary `update(batch)` computes into (allocated on the first diagonal-only update). */
  private ownSummary: DiagonalBatchSummary | undefined;
  /**
   * The state at the last `checkpoint()`: ḡ's EMA (the array itself, not a copy: while it is `meanGradSum`,
   * updates write the next EMA into another array) and the clock.
   */
  private savedMeanGradSum: Float64Array | undefined;
  private savedClock: { steps: number; decayProduct: number } | undefined;

  constructor(
    config: CurvatureConfig,
    private readonly backend: Backend,
    options: EstimateOptions = {},
  ) {
    validateStructure(config.structure, config.dim);
    requireDecay(config.decay, 'decay');
    const track = config.track ?? { empiricalFisher: false, fisher: false, noise: false };
    this.config = {
      dim: config.dim,
      structure: copyStructure(config.structure),
      decay: config.decay,
      track: { empiricalFisher: !!track.empiricalFisher, fisher: !!track.fisher, noise: !!track.noise },
    };
    const { dim, structure } = this.config;
    const make = (tracked: boolean): AccumulatingEstimate | undefined =>
      tracked ? createSymmetricEstimate(dim, structure, backend, options) : undefined;
    this.estimates = {
      empiricalFisher: make(this.config.track.empiricalFisher),
      fisher: make(this.config.track.fisher),
      noise: make(this.config.track.noise),
    };
    this.empiricalFisher = this.estimates.empiricalFisher;
    this.fisher = this.estimates.fisher;
    this.noise = this.estimates.noise;
    this.meanGradSum = new Float64Array(dim);
    this.batchMean = backend.zeros(dim);
    this.batchMean64 = new Float64Array(dim);
    this.centredScratch = new StorageScratch(backend);
    this.chunkElements = resolveEstimateOptions(options).chunkElements;
    this.meanRevealsNonFinite = backend.name === 'reference' || backend.name === 'openblas';
    this.batchSquares = new Float64Array(dim);
    this.centredSums = new Float64Array(dim);
    this.diagonalOnly = this.trackedEstimates().every((e) => e instanceof DiagonalEstimate);
    this.diagonalBlocksOnly = this.trackedEstimates().every((e) => e instanceof DiagonalEstimate || (e instanceof BlockDiagonalEstimate && e.allDiagonal));
  }

  /**
   * True when every tracked estimate is stored as diagonals, one or per parameter block: then
   * `updateFromSummary` folds a summary in (one computed from rows by `summarize`, or merged from a
   * client's statistics). Rows of a block-diagonal structure still go through `update`.
   */
  get acceptsSummaries(): boolean {
    return this.diagonalBlocksOnly;
  }

  /**
   * True when every tracked estimate is stored as a diagonal: then a batch enters the estimates only
   * through its `DiagonalBatchSummary` (D-vectors of sums over its rows), which `summarize` computes and
   * `updateFromSummary` folds in, and `update(batch)` is exactly those two calls.
   */
  get summarizes(): boolean {
    return this.diagonalOnly;
  }

  get dim(): number {
    return this.config.dim;
  }

  /** t, the number of batches seen. */
  get steps(): number {
    return this.clock.steps;
  }

  /**
   * The summary of `batch` for diagonal estimates (requires `summarizes`), validated as `update` validates
   * (a throw names the field), written into `out` (fresh arrays when omitted). Changes no state.
   * Reads the per-example rows once (ḡ, Σ g∘g and the noise's centred squares together), the Fisher rows
   * once; NaN/±Inf in rows show in these sums, and only then are the rows scanned to name them.
   */
  summarize(batch: Batch, out?: DiagonalBatchSummary): DiagonalBatchSummary {
    if (!this.diagonalOnly) {
      throw new FisherdError('INTERNAL', 'summarize needs every tracked estimate to be diagonal', { field: 'structure' });
    }
    const { dim, track } = this.config;
    const summary = out ?? allocateSummary(dim, track);
    try {
      const scan = !this.meanRevealsNonFinite;
      validateBatch(batch, dim, track, { perExampleValues: scan, fisherValues: scan });
      // The noise needs rows centred on ḡ, which is not known before the pass that sums them: they are
      // centred on the batch's first row c instead, in that same pass (`CentredSquares`: Σ (g_n − c)² and
      // r = Σ (g_n − c), from differences that lose nothing when the rows are close to c), and
      //   Σ_n (g_n − ḡ)∘(g_n − ḡ) = Σ_n (g_n − c)∘(g_n − c) − r∘r/b   (any c; r/b = ḡ − c)
      // removes the shift after (the "shifted data" algorithm). c is a row of the batch, so (c − ḡ)² ≤
      // Σ (g_n − ḡ)² and the first term is at most (b + 1)× the result, however large ḡ is against the
      // spread: the subtraction costs at most log₁₀(b + 1) digits (relative error ≲ (b + 1)·5e-7 from the
      // float32 partial sums; ~2× the result, about one digit, for a typical first row).
      const centre = summary.centredSquares !== undefined ? firstPerExampleRow(batch, dim) : undefined;
      const centred = centre === undefined ? undefined : { centre, out: summary.centredSquares!, sums: this.centredSums };
      const batchMean = this.computeBatchMean(batch, summary.squares, centred);
      if (!batchMean.finite) requireFinitePerExampleGrads(batch);
      summary.batchSize = batch.batchSize;
      summary.mean.set(batchMean.mean);
      if (summary.centredSquares !== undefined) {
        if (centre === undefined) summary.centredSquares.fill(0);
        else removeShift(summary.centredSquares, this.centredSums, batch.batchSize);
      }
      if (summary.fisherSquares !== undefined) {
        const source = batch.sampledLabelGrads ?? batch.fisherFactorRows;
        const blocks = source?.blocks ?? [];
        summary.fisherNormalization = batch.sampledLabelGrads !== undefined
          ? 1 / (batch.batchSize * batch.sampledLabelGrads.samplesPerExample) : 1 / batch.batchSize;
        let beta = 0;
        for (const block of blocks) {
          forEachRowChunk(this.backend, this.centredScratch, block, { sqrtWeights: true }, this.chunkElements, (rows, count) => {
            this.backend.syrkDiag(summary.fisherSquares!, rows, count, dim, block.scale, beta);
            beta = 1;
          });
        }
        if (beta === 0) summary.fisherSquares.fill(0);
        if (this.meanRevealsNonFinite) {
          // names the value; finite rows whose squares overflow go on
          if (firstNonFinite(summary.fisherSquares) >= 0) requireFiniteFisherRows(batch);
        }
      }
    } catch (e) {
      throw this.withStep(e);
    }
    return summary;
  }

  /**
   * Folds a batch summary into every tracked estimate (requires `summarizes`): the second half of
   * `update`. Checks the summary's shapes and that it holds no NaN first; a throw leaves the state unchanged.
   */
  updateFromSummary(summary: DiagonalBatchSummary, options: SummaryUpdateOptions = {}): number | undefined {
    if (!this.diagonalBlocksOnly) {
      throw new FisherdError('INTERNAL', 'updateFromSummary needs every tracked estimate to be diagonal', { field: 'structure' });
    }
    try {
      validateSummary(summary, this.dim, this.config.track, { values: options.summaryValues });
      requireMeanGradOut(options.meanGradOut, this.dim);
      requireMeanSegments(options.meanSegments, this.dim);
    } catch (e) {
      throw this.withStep(e);
    }
    return this.fold(summary, {}, options);
  }

  /**
   * An array to write the next EMA of ḡ into: neither `meanGradSum` nor the checkpoint's (a spare kept from
   * step to step; a new one only when the spare is the checkpoint's).
   */
  private nextMeanGradSum(): Float64Array {
    const spare = this.spareMeanGradSum;
    if (spare !== undefined && spare !== this.savedMeanGradSum && spare !== this.meanGradSum) return spare;
    return (this.spareMeanGradSum = new Float64Array(this.dim));
  }

  /**
   * ḡ's EMA, ḡ_t = β ḡ_{t−1} + (1−β) ḡ (before the clock advances). Copy on write: while the checkpoint holds
   * the EMA's array (`checkpoint` copies nothing), the new EMA goes into another array, which then becomes the
   * state; otherwise in place: the same operations either way. With `meanGradOut`: also writes the EMA's
   * bias-corrected value after the update there (what `meanGrad()` returns once the clock advanced by β) and
   * returns Σ of its squares in index order.
   */
  private foldMean(mean: Float64Array | readonly MeanSegment[], decay: number, meanGradOut?: Float64Array): number | undefined {
    const dim = this.dim;
    const sum = this.meanGradSum;
    const next = this.savedMeanGradSum === sum ? this.nextMeanGradSum() : sum;
    let meanGradSquares: number | undefined;
    if (!(mean instanceof Float64Array)) {
      // ḡ of the batch from its segments, in the same pass (the same operations as writing it first)
      const correction = 1 / (1 - this.clock.decayProduct * decay);
      let squares = 0;
      let i = 0;
      const k = meanGradOut !== undefined ? activeNativeKernels() : undefined;
      for (const { values, factor } of mean) {
        const n = values.length;
        if (k !== undefined && meanGradOut !== undefined && n >= NATIVE_MIN_LENGTH) {
          // the native pass: the same operations, vectorized but for the sum of squares (in coordinate order)
          const total = (this.squaresScratch ??= new Float64Array(1));
          total[0] = squares;
          const [G, Gn, out] = [sum.subarray(i, i + n), next.subarray(i, i + n), meanGradOut.subarray(i, i + n)];
          if (values instanceof Float32Array) k.meanEmaF32(n, values, factor, G, Gn, out, decay, correction, total);
          else k.meanEmaF64(n, values, factor, G, Gn, out, decay, correction, total);
          squares = total[0]!;
          i += n;
          continue;
        }
        if (meanGradOut === undefined) {
          for (let j = 0; j < n; j++, i++) next[i] = decay * sum[i] + (1 - decay) * (0 + factor * values[j]);
          continue;
        }
        for (let j = 0; j < n; j++, i++) {
          const s = decay * sum[i] + (1 - decay) * (0 + factor * values[j]);
          next[i] = s;
          const g = s * correction;
          meanGradOut[i] = g;
          squares += g * g;
        }
      }
      if (meanGradOut !== undefined) meanGradSquares = squares;
    } else if (meanGradOut === undefined) {
      for (let i = 0; i < dim; i++) next[i] = decay * sum[i] + (1 - decay) * mean[i];
    } else {
      // the clock's correction once it has advanced by `decay` (the product and quotient of EmaClock's
      // advance and correction, t ≥ 1 then)
      const correction = 1 / (1 - this.clock.decayProduct * decay);
      let squares = 0;
      for (let i = 0; i < dim; i++) {
        const s = decay * sum[i] + (1 - decay) * mean[i];
        next[i] = s;
        const g = s * correction;
        meanGradOut[i] = g;
        squares += g * g;
      }
      meanGradSquares = squares;
    }
    if (next !== sum) {
      this.spareMeanGradSum = sum;
      this.meanGradSum = next;
    }
    return meanGradSquares;
  }

  /**
   * Folds a validated summary (and Kronecker factors) in. With `meanGradOut`: also writes ḡ's bias-corrected
   * EMA after the update there, in the same pass, and returns Σ of its squares (in index order).
   */
  private fold(summary: DiagonalBatchSummary, factors: UpdateFactors = {}, options: SummaryUpdateOptions = {}): number | undefined {
    const { decay } = this.config;
    const b = summary.batchSize;
    const meanGradSquares = this.foldMean(options.meanSegments ?? summary.mean, decay, options.meanGradOut);
    const { empiricalFisher, fisher, noise } = this.estimates;
    const take = (estimate: AccumulatingEstimate | undefined, squares: Float64Array | undefined, scale: number,
      blockFactors?: ReadonlyMap<string, readonly KroneckerFactors[]>) => {
      if (estimate === undefined) return;
      if (estimate instanceof KroneckerEstimate) { // one Kronecker block (keyed '')
        estimate.beginUpdate(decay);
        for (const f of blockFactors?.get('') ?? []) estimate.accumulateFactors(f);
        estimate.commitUpdate();
        return;
      }
      if (squares === undefined) return;
      const diagonal = estimate as DiagonalEstimate | BlockDiagonalEstimate; // statistics blocks only
      diagonal.beginUpdate(decay);
      diagonal.accumulateSumOfSquares(squares, scale);
      if (diagonal instanceof BlockDiagonalEstimate && blockFactors !== undefined) {
        for (const [name, list] of blockFactors) for (const f of list) diagonal.accumulateFactors(name, f);
      }
      diagonal.commitUpdate();
    };
    take(empiricalFisher, summary.squares, 1 / b, factors.empiricalFisher); // Ẽ = (1/b) Σ g_n g_nᵀ
    take(noise, summary.centredSquares, 1 / (b * (b - 1))); // S = (1/(b(b−1))) Σ (g_n − ḡ)(g_n − ḡ)ᵀ
    take(fisher, summary.fisherSquares, summary.fisherNormalization ?? 0, factors.fisher); // F̂ = (1/(bK)) Σ g̃g̃ᵀ or F = (1/b) Σ uuᵀ
    this.clock.advance(decay);
    return meanGradSquares;
  }

  // ---- Kronecker blocks ------------------------------------------------------------------------------

  /** True when statistics feed every tracked estimate: diagonals, one Kronecker block, or blocks of both. */
  get acceptsStatistics(): boolean {
    return this.trackedEstimates().every((e) => e instanceof DiagonalEstimate || e instanceof KroneckerEstimate ||
      (e instanceof BlockDiagonalEstimate && e.diagonalOrKronecker));
  }

  /** The Kronecker blocks of tracked estimate `which` (a leaf Kronecker estimate is named ''). */
  kroneckerBlocks(which: KroneckerEstimateName): { name: string; estimate: KroneckerEstimate }[] {
    const estimate = this.estimates[which];
    if (estimate instanceof KroneckerEstimate) return [{ name: '', estimate }];
    if (estimate instanceof BlockDiagonalEstimate) return estimate.kroneckerBlocks();
    return [];
  }

  /**
   * `updateFromSummary` for sessions with Kronecker blocks (requires `acceptsStatistics`): the summary's
   * diagonal sums feed the diagonal blocks (its ranges of Kronecker blocks are ignored) and `factors` the
   * Kronecker blocks, per estimate and block name, one entry per worker in worker order (a block without
   * factors keeps its factors and clock: a step between T_stat ones). Then every Kronecker block whose
   * refresh is now due is refreshed: with the decomposition given for it in `precomputed` (computed ahead
   * from `prospectiveRefreshJobs` of the same factors, e.g. in a worker thread), else here, synchronously.
   * Validates everything before any change (UNKNOWN_BLOCK, the factors' checks naming `factors.<block>`);
   * `checks.values` false skips the scans of the factors' values for a caller that has just run them
   * (the session's statistics checks: see `KroneckerFactorChecks`); `summaryValues` and `meanGradOut` as
   * for `updateFromSummary` (then returns Σ of the squares of what it wrote there).
   */
  updateFromStatistics(
    summary: DiagonalBatchSummary, factors: UpdateFactors = {}, precomputed: readonly PrecomputedRefresh[] = [], checks: StatisticsUpdateOptions = {},
  ): number | undefined {
    if (!this.acceptsStatistics) {
      throw new FisherdError('INTERNAL', 'updateFromStatistics needs every tracked estimate to be diagonal or Kronecker blocks', { field: 'structure' });
    }
    try {
      validateSummary(summary, this.dim, this.config.track, { values: checks.summaryValues });
      requireMeanGradOut(checks.meanGradOut, this.dim);
      requireMeanSegments(checks.meanSegments, this.dim);
      for (const which of KRONECKER_ESTIMATES) {
        const blocks = this.kroneckerBlocks(which);
        for (const [name, list] of factors[which] ?? []) {
          const block = blocks.find((b) => b.name === name);
          if (block === undefined) {
            throw new FisherdError('UNKNOWN_BLOCK', `factors for "${name}": the ${which} estimate has no Kronecker block of that name`, { field: `factors.${name}` });
          }
          for (const f of list) block.estimate.validateFactors(f, `factors.${name || 'params'}`, checks);
        }
      }
    } catch (e) {
      throw this.withStep(e);
    }
    const meanGradSquares = this.fold(summary, factors, checks);
    for (const which of KRONECKER_ESTIMATES) {
      for (const { name, estimate } of this.kroneckerBlocks(which)) {
        const ahead = precomputed.find((p) => p.estimate === which && p.block === name);
        if (ahead !== undefined && estimate.needsRefresh) estimate.installPrecomputed(ahead.decomposition);
        else estimate.refreshIfDue();
      }
    }
    return meanGradSquares;
  }

  /**
   * The refresh jobs that `updateFromStatistics(…, factors)` will find due, computed now without changing
   * anything (`KroneckerEstimate.prospectiveRefreshJob`): decompose them anywhere and pass the results as
   * its `precomputed`. `piDamping`: the λ the step's solves are expected to use (π-damping blocks' jobs
   * then also form their damped inverses).
   */
  /** Whether the next factor update can make a refresh due in some Kronecker block (else `prospectiveRefreshJobs` is []). */
  get refreshMayFollowUpdate(): boolean {
    return KRONECKER_ESTIMATES.some((which) => this.kroneckerBlocks(which).some(({ estimate }) => estimate.refreshDueAfterUpdate));
  }

  prospectiveRefreshJobs(factors: UpdateFactors, piDamping?: number): ProspectiveRefresh[] {
    const jobs: ProspectiveRefresh[] = [];
    for (const which of KRONECKER_ESTIMATES) {
      for (const { name, estimate } of this.kroneckerBlocks(which)) {
        const job = estimate.prospectiveRefreshJob(factors[which]?.get(name) ?? [], this.config.decay, piDamping);
        if (job !== undefined) jobs.push({ estimate: which, block: name, job });
      }
    }
    return jobs;
  }

  /**
   * Access for a fused diagonal step (src/session/statistics-step.ts), which folds a step's statistics into
   * every estimate and runs the update rule in one pass: the current arrays to read, spare arrays to write
   * the next state into, the decay, and the bias corrections after the update. `commit()` makes the spares
   * the state (as `updateFromSummary` would have); not calling it leaves everything exactly as it was.
   * Undefined unless every tracked estimate is a diagonal or blocks of diagonals (`acceptsSummaries`).
   */
  fusedDiagonal(): FusedDiagonalAccess | undefined {
    if (!this.diagonalBlocksOnly) return undefined;
    const { decay } = this.config;
    const next = this.nextMeanGradSum();
    const part = (e: AccumulatingEstimate | undefined): FusedDiagonalPart | undefined => {
      if (e === undefined) return undefined;
      if (e instanceof BlockDiagonalEstimate) return { segments: e.fusedSegments(decay) };
      const diagonal = e as DiagonalEstimate;
      return { segments: [{ offset: 0, ...diagonal.fusedState(), correction: diagonal.correctionAfter(decay) }] };
    };
    const { empiricalFisher, fisher, noise } = this.estimates;
    return {
      decay,
      meanGradSum: this.meanGradSum,
      nextMeanGradSum: next,
      meanGradCorrection: 1 / (1 - this.clock.decayProduct * decay),
      stepsAfter: this.clock.steps + 1,
      empiricalFisher: part(empiricalFisher),
      fisher: part(fisher),
      noise: part(noise),
      commit: () => {
        this.spareMeanGradSum = this.meanGradSum;
        this.meanGradSum = next;
        for (const e of [empiricalFisher, fisher, noise]) if (e !== undefined) (e as DiagonalEstimate | BlockDiagonalEstimate).commitSpare(decay);
        this.clock.advance(decay);
      },
    };
  }

  private withStep(e: unknown): unknown {
    if (e instanceof FisherdError && e.step === undefined) {
      return new FisherdError(e.code, e.message, { field: e.field, step: this.clock.steps + 1, cause: e.cause });
    }
    return e;
  }

  /** Folds one batch into every tracked estimate. Validates first: a throw leaves the state unchanged. */
  update(batch: Batch): void {
    if (this.diagonalOnly) {
      this.fold(this.summarize(batch, (this.ownSummary ??= allocateSummary(this.dim, this.config.track))));
      return;
    }
    const { dim, track, decay } = this.config;
    let mean: Float64Array;
    try {
      // Everything but (where ḡ reveals them) the values of the per-example rows: ḡ is computed into
      // scratch next, and a NaN or ±Inf in any row makes its column of ḡ non-finite in IEEE arithmetic
      // (NaN and ±Inf survive every sum; the factor 1/b is finite and nonzero). So a finite ḡ proves the
      // b·D row values finite, and only a non-finite ḡ pays for the scan that names the bad value. Finite
      // rows whose sum overflows float32 pass that scan and go on, as they would have without the shortcut.
      validateBatch(batch, dim, track, { perExampleValues: !this.meanRevealsNonFinite });
      const batchMean = this.computeBatchMean(batch);
      if (!batchMean.finite) requireFinitePerExampleGrads(batch);
      mean = batchMean.mean;
    } catch (e) {
      throw this.withStep(e);
    }
    const b = batch.batchSize;

    // ḡ_t = β ḡ_{t−1} + (1−β) ḡ (reported with the bias correction 1/(1−β^t)).
    this.foldMean(mean, decay);

    const { empiricalFisher, fisher, noise } = this.estimates;
    const grads = batch.perExampleGrads ?? [];
    // (Diagonal estimates never come here: they go through summarize and fold above.)
    if (empiricalFisher !== undefined) {
      // Ẽ = (1/b) Σ g_n g_nᵀ
      feed(empiricalFisher, grads, 1 / b, decay);
    }
    if (noise !== undefined) {
      // S = C/b = (1/(b(b−1))) Σ (g_n − ḡ)(g_n − ḡ)ᵀ, from rows centred chunk by chunk.
      const scale = 1 / (b * (b - 1));
      noise.beginUpdate(decay);
      for (const block of grads) {
        forEachRowChunk(this.backend, this.centredScratch, block, { centre: this.batchMean, sqrtWeights: false }, this.chunkElements, (rows, count) =>
          noise.accumulate({ rows, count, dim, scale }),
        );
      }
      noise.commitUpdate();
    }
    if (fisher !== undefined) {
      if (batch.sampledLabelGrads !== undefined) {
        // F̂ = (1/(b·K)) Σ_n Σ_k g̃_{n,k} g̃_{n,k}ᵀ
        const { blocks, samplesPerExample } = batch.sampledLabelGrads;
        feed(fisher, blocks, 1 / (b * samplesPerExample), decay);
      } else if (batch.fisherFactorRows !== undefined) {
        // F = (1/b) Σ_n Σ_c u_{n,c} u_{n,c}ᵀ
        feed(fisher, batch.fisherFactorRows.blocks, 1 / b, decay);
      }
    }
    this.clock.advance(decay);
  }

  /** The bias-corrected EMA of ḡ, `ḡ_t/(1−β^t)` (zeros before the first batch). */
  meanGrad(out?: Float64Array): Float64Array {
    const result = out ?? new Float64Array(this.dim);
    if (result.length !== this.dim) {
      throw new FisherdError('SHAPE_MISMATCH', `out has length ${result.length}, expected ${this.dim}`, { field: 'out' });
    }
    const correction = this.clock.correction();
    const sum = this.meanGradSum;
    const dim = this.dim;
    for (let i = 0; i < dim; i++) result[i] = sum[i] * correction;
    return result;
  }

  /**
   * ḡ of this batch (float64), from the per-example rows or as sent, and whether all of it is finite; also
   * leaves it in storage precision (`batchMean`, the centre of the noise rows) and Σ_n g_n∘g_n in `squares`
   * (same pass). Writes scratch only.
   */
  private computeBatchMean(batch: Batch, squares: Float64Array = this.batchSquares,
    centred?: { centre: Vec; out: Float64Array; sums: Float64Array }): { mean: Float64Array; finite: boolean } {
    const { dim } = this.config;
    const mean = this.batchMean;
    const mean64 = this.batchMean64;
    if (batch.perExampleGrads === undefined) {
      const sent = batch.meanGrad as Float64Array; // validated (finite): present when there are no rows
      mean.set(sent);
      mean64.set(sent);
      return { mean: mean64, finite: true };
    }
    // ḡ = (1/b) Σ_n g_n block by block, summed into a zeroed ḡ (β = 1 throughout, so that no stale value
    // of an earlier batch can survive into this one and hide or fake a non-finite row), together with the
    // sums of squares from the same read of each block, the first block overwriting (β = 0 does not read
    // the stale values), the next ones accumulating.
    mean.fill(0);
    let first = true;
    for (const block of batch.perExampleGrads) {
      if (block.count === 0) continue;
      this.backend.syrkDiag(squares, block.rows, block.count, dim, 1, first ? 0 : 1, { out: mean, alpha: 1 / batch.batchSize, beta: 1 },
        centred && { ...centred, alpha: 1, beta: first ? 0 : 1 });
      first = false;
    }
    if (first) squares.fill(0);
    // The float64 copy and the finiteness probe (x·0 is 0 unless x is NaN or ±Inf) in one pass.
    let probe = 0;
    for (let i = 0; i < dim; i++) {
      const value = mean[i];
      mean64[i] = value;
      probe += value * 0;
    }
    return { mean: mean64, finite: probe === 0 };
  }

  /**
   * Sets the state aside, the cheap way for a caller that must undo an update whose step fails later (a
   * session whose solve throws): the large arrays (ḡ's EMA, Kronecker factors) are held, not copied, and the
   * next update writes beside them (copy on write); the rest is copied into buffers reused from call to
   * call. `rollback()` returns to it.
   */
  checkpoint(): void {
    this.savedMeanGradSum = this.meanGradSum;
    this.savedClock = { steps: this.clock.steps, decayProduct: this.clock.decayProduct };
    for (const estimate of this.trackedEstimates()) estimate.checkpoint();
  }

  /** Returns to the state of the last `checkpoint()`, bit for bit. Throws INTERNAL without one. */
  rollback(): void {
    const { savedMeanGradSum, savedClock } = this;
    if (savedMeanGradSum === undefined || savedClock === undefined) {
      throw new FisherdError('INTERNAL', 'CurvatureEstimator.rollback() without a checkpoint()');
    }
    if (this.meanGradSum !== savedMeanGradSum) {
      // the held array is the state again (and stays held); the one written since is free
      this.spareMeanGradSum = this.meanGradSum;
      this.meanGradSum = savedMeanGradSum;
    }
    this.clock.steps = savedClock.steps;
    this.clock.decayProduct = savedClock.decayProduct;
    for (const estimate of this.trackedEstimates()) estimate.rollback();
  }

  private trackedEstimates(): AccumulatingEstimate[] {
    const { empiricalFisher, fisher, noise } = this.estimates;
    return [empiricalFisher, fisher, noise].filter((e): e is AccumulatingEstimate => e !== undefined);
  }

  snapshot(): CurvatureSnapshot {
    const { empiricalFisher, fisher, noise } = this.estimates;
    return {
      format: SNAPSHOT_FORMAT,
      config: { ...this.config, structure: copyStructure(this.config.structure), track: { ...this.config.track } },
      steps: this.clock.steps,
      decayProduct: this.clock.decayProduct,
      meanGrad: this.meanGradSum.slice(),
      ...(empiricalFisher && { empiricalFisher: empiricalFisher.snapshot() }),
      ...(fisher && { fisher: fisher.snapshot() }),
      ...(noise && { noise: noise.snapshot() }),
    };
  }

  /** A new estimator in the state of `snapshot` (bit-identical when the backend's storage type matches). */
  static restore(snapshot: CurvatureSnapshot, backend: Backend, options: EstimateOptions = {}): CurvatureEstimator {
    if (snapshot?.format !== SNAPSHOT_FORMAT) {
      throw new FisherdError('INVALID_CONFIG', `snapshot format must be ${SNAPSHOT_FORMAT}, got ${String(snapshot?.format)}`, {
        field: 'snapshot.format',
      });
    }
    const estimator = new CurvatureEstimator(snapshot.config, backend, options);
    requireVector(snapshot.meanGrad, estimator.dim, 'snapshot.meanGrad');
    if (!Number.isInteger(snapshot.steps) || snapshot.steps < 0 || !(snapshot.decayProduct >= 0 && snapshot.decayProduct <= 1)) {
      throw new FisherdError('INVALID_CONFIG', 'snapshot.steps / snapshot.decayProduct are out of range', { field: 'snapshot.steps' });
    }
    for (const quantity of ['empiricalFisher', 'fisher', 'noise'] as const) {
      const target = estimator.estimates[quantity];
      const saved = snapshot[quantity];
      if ((target === undefined) !== (saved === undefined)) {
        throw new FisherdError('INVALID_CONFIG', `snapshot.${quantity} does not match config.track.${quantity}`, {
          field: `snapshot.${quantity}`,
        });
      }
      if (target !== undefined && saved !== undefined) target.restore(saved);
    }
    estimator.meanGradSum.set(snapshot.meanGrad);
    estimator.clock.steps = snapshot.steps;
    estimator.clock.decayProduct = snapshot.decayProduct;
    return estimator;
  }
}

/** SHAPE_MISMATCH unless `out` is absent or a Float64Array of `dim` values. */
function requireMeanGradOut(out: Float64Array | undefined, dim: number): void {
  if (out !== undefined && !(out instanceof Float64Array && out.length === dim)) {
    throw new FisherdError('SHAPE_MISMATCH', `meanGradOut must be a Float64Array of length ${dim}`, { field: 'meanGradOut' });
  }
}

/** SHAPE_MISMATCH unless `segments` is absent or tiles [0, dim) in offset order with finite factors. */
function requireMeanSegments(segments: readonly MeanSegment[] | undefined, dim: number): void {
  if (segments === undefined) return;
  let covered = 0;
  for (const { offset, values, factor } of segments) {
    if (offset !== covered || !(values instanceof Float32Array || values instanceof Float64Array) || !Number.isFinite(factor)) {
      throw new FisherdError('SHAPE_MISMATCH', `meanSegments must tile [0, ${dim}) in offset order with finite factors (a segment at ${offset}, ${covered} covered)`, { field: 'meanSegments' });
    }
    covered += values.length;
  }
  if (covered !== dim) throw new FisherdError('SHAPE_MISMATCH', `meanSegments cover ${covered} of ${dim} values`, { field: 'meanSegments' });
}

/** The first row of the batch's first non-empty block of per-example rows (a view), if any. */
function firstPerExampleRow(batch: Batch, dim: number): Vec | undefined {
  const block = batch.perExampleGrads?.find((b) => b.count > 0);
  return block?.rows.subarray(0, dim);
}

/**
 * q ← q − r∘r/b: from the sums of squares of b rows centred on c to those centred on their mean, r being
 * the sums of the differences (see `summarize`). Clamped at 0, where rounding can take a coordinate whose
 * rows are all equal; +Inf (rows whose squares overflow) stays +Inf.
 */
function removeShift(q: Float64Array, r: Float64Array, b: number): void {
  for (let i = 0; i < q.length; i++) {
    const v = q[i]! - (r[i]! * r[i]!) / b;
    q[i] = v > 0 ? v : q[i] === Infinity ? Infinity : 0;
  }
}

/** One EMA step of `estimate` from row blocks, each block's own scale multiplied by `normalization`. */
function feed(estimate: AccumulatingEstimate, blocks: readonly RowBlock[], normalization: number, decay: number): void {
  estimate.beginUpdate(decay);
  for (const block of blocks) estimate.accumulate({ ...block, scale: block.scale * normalization });
  estimate.commitUpdate();
}
