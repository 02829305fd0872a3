/**
 * One training run: its configuration, the running curvature estimates and the optimizer's state.
 *
 * A step takes the W workers' contributions, validates all of them, merges them into one minibatch,
 * updates the estimates, runs the optimizer (a pure transform) on the bias-corrected mean gradient ḡ and
 * returns Δθ (float32) with diagnostics. A rejected step leaves the session exactly as it was.
 */
import { allocateSummary } from '../curvature/batch-summary.js';
import {
  CurvatureEstimator, type CurvatureSnapshot, type DiagonalBatchSummary, type PrecomputedRefresh, type ProspectiveRefresh, type UpdateFactors,
} from '../curvature/estimator.js';
import { firstNonFinite } from '../curvature/validate.js';
import type { KroneckerStructure } from '../curvature/structure.js';
import type { FactoredSlices } from '../curvature/symmetric-estimate.js';
import { FisherdError, isFisherdError } from '../errors.js';
import type { Backend } from '../linalg/backend.js';
import { NATIVE_MIN_LENGTH, activeNativeKernels } from '../linalg/native-kernels.js';
import { selectBackendWithPrecision } from '../linalg/select.js';
import { log as defaultLog, type Logger } from '../log.js';
import type { Optimizer } from '../optim/alias.js';
import type { ChainState } from '../optim/combine.js';
import { makeSchedule, scheduleValue } from '../optim/schedule.js';
import { dampingFixedFor, DEFAULT_DAMPING, makeOptimizer } from '../optim/spec.js';
import type { OptState } from '../optim/types.js';
import { StepWorkspace } from '../optim/workspace.js';
import { cosine, norm2FromSquares } from '../optim/vec.js';
import { statisticsValuesChecked, validateContribution, type ContributionRequirements, type StepContribution } from './contribution.js';
import { curvatureConfig, validateSessionConfig, type ResolvedSessionConfig, type SessionConfig } from './config.js';
import { lossAndParams, mergeContributions, ScaledRowBuffers } from './merge.js';
import { collectStepFactors, formGradientSums } from './kronecker-statistics.js';
import { meanGradFactorsOf, meanSegmentsOf, mergeStatistics, validateStatistics, type StatisticsVector } from './statistics.js';
import { FusedStatisticsStep, type FusedStepOutcome } from './statistics-step.js';
import { allocateUpdateArray, recycleWhenSent } from './update-memory.js';
import { sameShape } from './state-shape.js';

/**
 * The update rounded to float32 (Δθ as sent; `set` rounds to nearest) and the index of its first NaN/±Inf
 * (−1 if none): in one native pass (`fd_round_f32`, the same bits and index) where the native kernels are in use.
 */
function toFloat32(values: Float64Array, update: Float32Array): { update: Float32Array; firstBad: number } {
  const k = values.length >= NATIVE_MIN_LENGTH && values.length === update.length ? activeNativeKernels() : undefined;
  if (k !== undefined) return { update, firstBad: k.roundF32(values, update, values.length) };
  update.set(values);
  return { update, firstBad: firstNonFinite(update) };
}

/** Diagnostics of one step (proto `Diagnostics`). */
export interface StepDiagnostics {
  /** ‖ḡ‖₂ of the bias-corrected mean gradient. */
  readonly gradNorm: number;
  /** ‖Δθ‖₂ (of the float64 update, before rounding to float32). */
  readonly updateNorm: number;
  /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), when both Fishers are tracked. */
  readonly cosineEfFisher?: number;
  /** Mean SNR factor, when the noise covariance is tracked. */
  readonly meanSnr?: number;
  /** γ_t and λ_t as scheduled for this step (λ only for optimizers that solve). */
  readonly stepSize?: number;
  readonly damping?: number;
  /** Damping adaptation's reduction ratio ρ, on the steps that adapted λ (optimizer.dampingAdaptation). */
  readonly rho?: number;
  /** Sample-weighted mean of the workers' losses, when they sent them. */
  readonly loss?: number;
  /** b = Σ_w b_w. */
  readonly batchSize: number;
  /** Wall-clock milliseconds from validation to the rounded update. */
  readonly computeMs: number;
  /**
   * Per-layer scalars of the Kronecker blocks, by name (proto `Diagnostics.values`): for block <name>,
   * `layer.<name>.cosineEfFisher` (both Fishers tracked), `layer.<name>.<estimate>.trace`, `.top1`–`.top3`
   * (estimate `fisher` / `empiricalFisher`), `layer.<name>.basisVersion`, `layer.<name>.factorUpdates`.
   */
  readonly layers?: Readonly<Record<string, number>>;
}

export interface StepResult {
  readonly step: number;
  /** Δθ: the client applies θ ← θ + Δθ. A fresh array each step, which the session never writes to (it keeps it as its last result). */
  readonly update: Float32Array;
  readonly diagnostics: StepDiagnostics;
}

/** What `estimates` reports; every field optional. */
export interface EstimatesQuery {
  /** How many of the largest eigenvalues per estimate, integer in [0, 64]. Default 5 (capped at D). */
  readonly topK?: number;
  /** Include the D-long diagonals and ḡ. Default false. */
  readonly includeDiagonals?: boolean;
  /** Restrict diagonals and ḡ to one named parameter block (UNKNOWN_BLOCK if absent). Default: all. */
  readonly block?: string;
  /**
   * Restrict diagonals and ḡ to the coordinates [offset, offset + length) (of the block, when `block` is
   * given). Default 0 and the rest of the range. INVALID_CONFIG when the range lies outside.
   */
  readonly range?: { readonly offset: number; readonly length?: number };
}

export type EstimateName = 'empiricalFisher' | 'fisher' | 'noise';

/**
 * One Kronecker block's installed eigendecompositions in one tracked Fisher (`Session.kroneckerBases`):
 * Ā = V_A diag(inputValues) V_Aᵀ, Ḡ = V_G diag(outputValues) V_Gᵀ, eigenvectors as rows (the rows of V_Aᵀ,
 * V_Gᵀ), eigenvalues descending and clamped at 0. `version` 0 and empty arrays before the first refresh.
 */
export interface KroneckerBasisReport {
  readonly kind: 'empiricalFisher' | 'fisher';
  readonly block: string;
  readonly version: number;
  readonly outputs: number;
  readonly inputOrder: number;
  readonly outputValues: Float64Array;
  readonly inputValues: Float64Array;
  readonly outputVectors: Float64Array;
  readonly inputVectors: Float64Array;
}

export interface EstimateReport {
  readonly kind: EstimateName;
  readonly trace: number;
  /** Descending. */
  readonly topEigenvalues: Float64Array;
  readonly diagonal?: Float64Array;
}

export interface EstimatesReport {
  /** The last completed step the estimates include. */
  readonly step: number;
  readonly estimates: readonly EstimateReport[];
  readonly meanGrad?: Float64Array;
  /** With the damping scheduled for the last step. */
  readonly cosineEfFisher?: number;
}

export const SESSION_SNAPSHOT_FORMAT = 'fisherd-session/1';

/** Everything a session is, as plain data (numbers, strings, typed arrays). */
export interface SessionSnapshot {
  readonly format: typeof SESSION_SNAPSHOT_FORMAT;
  /** The configuration as the client gave it (re-validated on restore). */
  readonly config: SessionConfig;
  /** The last completed step (0 before the first). */
  readonly lastStep: number;
  /** The backend that produced the state: restore on one of the same storage type for bit-identical results. */
  readonly backend: { readonly name: string; readonly dtype: string };
  readonly curvature: CurvatureSnapshot;
  readonly optimizerState: OptState;
  /** The last step's result, so that a reconnecting client can receive it again. */
  readonly lastResult?: StepResult;
}

/** A step's contributions reduced to what diagonal estimates need (`Session.summarize`). */
export interface StepSummary {
  /** The session step it is for. */
  readonly step: number;
  /** b, summed over the workers. */
  readonly batchSize: number;
  /** The sample-weighted mean loss, when workers sent one. */
  readonly loss?: number;
  /** θ, when a worker sent it (weight decay). */
  readonly params?: Float64Array;
  /** The mean `lossAfterPreviousUpdate`, when every worker sent one (damping adaptation). */
  readonly lossAfterPreviousUpdate?: number;
  readonly summary: DiagonalBatchSummary;
}

export const MAX_TOP_K = 64;

/** A running estimate as seen from outside the session: products with it, nothing that changes it. */
export interface EstimateProduct {
  /** The bias-corrected estimate times `v` (no damping); `out` may alias `v`. */
  matvec(v: Float64Array, out?: Float64Array): Float64Array;
}

/**
 * The session's running estimates after its last step, read-only: what the optimizer saw (the replay's
 * local model of the loss change, src/trace/what-if.ts, evaluates them).
 */
export interface EstimatesView {
  /** ḡ as the optimizer takes it: the bias-corrected EMA of the batch means (this batch's ḡ with emaDecay 0). */
  meanGrad(out?: Float64Array): Float64Array;
  /** Present when tracked; with the session's structure (diagonal, full, low-rank, per block). */
  readonly empiricalFisher: EstimateProduct | undefined;
  readonly fisher: EstimateProduct | undefined;
  readonly noise: EstimateProduct | undefined;
}

export class Session {
  readonly config: ResolvedSessionConfig;
  private curvature: CurvatureEstimator;
  private readonly optimizer: Optimizer;
  private optimizerState: ChainState;
  private completed = 0;
  private last: StepResult | undefined;
  private readonly log: Logger;
  /** The estimates report's work array (allocated on the first report with diagonals). */
  private reportBuffer: Float64Array | undefined;
  /** ḡ as handed to the optimizer (allocated on the first step). */
  private meanGradInput: Float64Array | undefined;
  /** The arrays the optimizer's transforms return within a step, reused from step to step (`StepContext.workspace`). */
  private readonly workspace = new StepWorkspace();
  /** Reused arrays for the rescaled rows of 'mean'-reduced contributions. */
  private readonly scaledRows: ScaledRowBuffers;
  /** The blocks as `contributionRequirements` lists them (computed once). */
  private blockShapes: ContributionRequirements['blocks'] | undefined;
  /** The one-pass step from statistics for this configuration (null: not one it covers; undefined: not looked up yet). */
  private fusedStep: FusedStatisticsStep | null | undefined;
  /** Gradient sums formed from factors (`formGradientSums`), by worker and block: reused from step to step. */
  private gradientSumScratch: Map<string, StatisticsVector> | undefined;
  /** Update arrays given back by `recycleUpdate` (at most three), for later steps to write into. */
  private readonly updatePool: Float32Array[] = [];
  /** The summary a step from statistics merges into, reused from step to step. */
  private statisticsSummary: DiagonalBatchSummary | undefined;

  /** Validates `config` (INVALID_CONFIG naming the field) and starts at step 0 with zero estimates. */
  private readonly clientConfig: SessionConfig;

  constructor(
    clientConfig: SessionConfig,
    private readonly backend: Backend,
    logger?: Logger,
  ) {
    this.config = validateSessionConfig(clientConfig);
    if (this.config.precision !== undefined && backend.dtype !== this.config.precision) {
      throw new FisherdError('INVALID_CONFIG', `precision is ${this.config.precision}, but the ${backend.name} backend given stores ${backend.dtype}`, {
        field: 'precision',
      });
    }
    // A private copy: the snapshot must not change when the caller later edits its object.
    this.clientConfig = structuredClone(clientConfig);
    this.curvature = new CurvatureEstimator(curvatureConfig(this.config), backend, { dampingFixedFor: dampingFixedFor(this.config.optimizer) });
    this.optimizer = makeOptimizer(this.config.optimizer);
    this.optimizerState = this.optimizer.init(this.config.dim);
    this.log = logger ?? defaultLog.child({ component: 'session' });
    this.scaledRows = new ScaledRowBuffers(backend);
  }

  /** Validates `config`, then selects its backend (`config.backend`, default 'auto'). */
  static async open(config: SessionConfig, logger?: Logger): Promise<Session> {
    const resolved = validateSessionConfig(config);
    return new Session(config, await selectBackendWithPrecision(resolved.backend, resolved.precision), logger);
  }

  /** The last completed step (0 before the first). */
  get lastStep(): number {
    return this.completed;
  }

  /** The step the next contributions must carry. */
  get nextStep(): number {
    return this.completed + 1;
  }

  /** The result of the last completed step, if any. */
  get lastResult(): StepResult | undefined {
    return this.last;
  }

  /** The running estimates after the last completed step, read-only (a live view: it follows later steps). */
  get estimatesView(): EstimatesView {
    const curvature = this.curvature;
    return {
      meanGrad: (out) => curvature.meanGrad(out),
      empiricalFisher: curvature.empiricalFisher,
      fisher: curvature.fisher,
      noise: curvature.noise,
    };
  }

  get backendName(): string {
    return this.backend.name;
  }

  /**
   * What a contribution to step `expectedStep` (default: the next one) must hold under this session's
   * configuration (`validateContribution`): shapes, and the inputs the tracked estimates and the optimizer need.
   */
  contributionRequirements(expectedStep = this.nextStep): ContributionRequirements {
    const { dim, workers, track, fisherSource, optimizer, blocks } = this.config;
    return {
      dim,
      workers,
      expectedStep,
      perExampleGrads: track.empiricalFisher || track.noise,
      fisher: track.fisher ? fisherSource : false,
      params: (optimizer.weightDecay ?? 0) > 0,
      track: { ...track },
      blocks: (this.blockShapes ??= blocks.map((b) => ({
        name: b.name, size: b.size, diagonal: b.structure.kind === 'diagonal',
        ...(b.structure.kind === 'kronecker' ? { kronecker: { outputs: b.structure.outputs, inputOrder: b.structure.inputs + (b.structure.bias ? 1 : 0) } } : {}),
      }))),
    };
  }

  /**
   * Checks one contribution against this session (step order, worker id, shapes, finiteness, required
   * inputs) without changing anything; the daemon calls it as each contribution arrives.
   */
  validate(contribution: StepContribution): void {
    validateContribution(contribution, this.contributionRequirements());
  }

  /**
   * One optimization step from the W workers' contributions (any order). Validates everything first; a
   * throw (also one from the solve, e.g. NOT_POSITIVE_DEFINITE) leaves the session exactly as it was.
   */
  step(contributions: readonly StepContribution[], precomputed: readonly PrecomputedRefresh[] = []): StepResult {
    const started = performance.now();
    const step = this.nextStep;
    const assembled = this.assemble(contributions, step);
    if (assembled.kind === 'statistics') {
      const { requirements, ordered, merged } = assembled;
      // One worker's statistics on a plain diagonal rule: one pass over the coordinates does it all
      // (src/session/statistics-step.ts), or declines with nothing changed.
      if (this.fusedStep === undefined) this.fusedStep = FusedStatisticsStep.for(this.config, this.backend.name) ?? null;
      const fused = this.fusedStep?.run(ordered, requirements, this.curvature.fusedDiagonal(), () => this.takeUpdateArray());
      if (fused !== undefined) return this.completeFused(step, started, fused, merged.loss);
      // Statistics are a summary already: merged (Chan et al. for the noise) and folded in. Their values
      // were not scanned with the shapes (the fused step scans them in its pass): now, unless the arrival
      // check (`validateContribution`) scanned them already.
      for (const c of ordered) if (!statisticsValuesChecked(c)) validateStatistics(c, requirements);
      this.formGradientSums(ordered);
      // One worker's checked values merge into a summary that holds no NaN (each coordinate a finite value
      // times a finite multiplier): the estimator need not scan it (several workers' sums could meet as
      // +Inf − Inf); and its ḡ is read from the worker's sums in the EMA's pass (`meanSegments`), not
      // written into the summary first. ḡ for the optimizer comes out of that pass too (`meanGradOut`).
      const one = ordered.length === 1;
      // (The summary is this session's alone, written by mergeStatistics only: zeros over the Kronecker blocks' squares.)
      const summary = mergeStatistics(ordered, requirements, (this.statisticsSummary ??= allocateSummary(this.config.dim, this.config.track)),
        { mean: !one, kroneckerSquaresZero: true });
      const options = { summaryValues: !one, ...(one ? { meanSegments: meanSegmentsOf(ordered[0]!, requirements) } : {}) };
      if (!this.kroneckerTracked) {
        return this.advance(step, started, { ...merged, batchSize: summary.batchSize },
          (meanGradOut) => this.curvature.updateFromSummary(summary, { ...options, meanGradOut }));
      }
      const factors = this.stepFactors(ordered, requirements);
      // ḡ's low-rank factors for the solves, where ḡ is this step's mean (no EMA of it).
      const meanGradFactors = this.config.emaDecay === 0 ? meanGradFactorsOf(ordered, requirements) : undefined;
      // The statistics' checks (above, or on arrival) have scanned the factors' values with the library's
      // rules: the estimator checks their shapes, counts and basis versions, not the values again.
      return this.advance(step, started, { ...merged, batchSize: summary.batchSize },
        (meanGradOut) => this.curvature.updateFromStatistics(summary, factors, precomputed, { values: false, ...options, meanGradOut }),
        meanGradFactors);
    }
    const { ordered, merged, requirements } = assembled;
    return this.advance(step, started, { ...merged, batchSize: merged.batch.batchSize }, () => {
      try {
        this.curvature.update(merged.batch);
      } catch (e) {
        throw this.namedByWorker(e, ordered, requirements);
      }
    });
  }

  /**
   * Gives a step's `update` back for a later step to write into, saving a D-long allocation (and the
   * garbage collection it brings: a daemon stepping at D = 10⁶ otherwise ran a full collection every step).
   * The caller promises it keeps no reference to the array (the daemon calls it once the update frame is
   * encoded and sent). The last step's array is not reused while it is `lastResult`'s, nor while a frame
   * made of its memory is still being written out (update-memory.ts: it is taken back once that frame is).
   */
  recycleUpdate(update: Float32Array): void {
    if (update.length !== this.config.dim || this.updatePool.length >= 3 || this.updatePool.includes(update)) return;
    if (recycleWhenSent(update, () => this.recycleUpdate(update))) return;
    this.updatePool.push(update);
  }

  /**
   * An update array to write a step's Δθ into: a recycled one not held by `lastResult`, or a fresh one, with
   * room in front for its reply frame's header (update-memory.ts).
   */
  private takeUpdateArray(): Float32Array {
    const held = this.last?.update;
    const i = this.updatePool.findIndex((u) => u !== held);
    if (i >= 0) return this.updatePool.splice(i, 1)[0]!;
    return allocateUpdateArray(this.config.dim);
  }

  /** True when a tracked estimate has Kronecker blocks (fed by factors; refreshes of their decompositions). */
  get kroneckerTracked(): boolean {
    return (this.config.track.empiricalFisher || this.config.track.fisher) && this.config.blocks.some((b) => b.structure.kind === 'kronecker');
  }

  /**
   * The eigendecompositions that `step(contributions)` will refresh, as jobs to compute ahead (in a worker
   * thread: `decomposeKroneckerFactors` on a backend of the same kind) and hand to `step` as its
   * `precomputed`; `step` then installs them instead of decomposing on this thread, and the update is
   * bit for bit the same (the jobs hold exactly the factors the step's refresh would decompose: those
   * after this step's factor update, bias-corrected). Changes nothing; [] when the step refreshes nothing
   * or its contributions are invalid (the step then says why).
   */
  refreshJobsFor(contributions: readonly StepContribution[]): ProspectiveRefresh[] {
    // Between refreshes (9 steps of 10 with refreshEvery 10) no update can make one due: nothing to check.
    if (!this.kroneckerTracked || !this.curvature.refreshMayFollowUpdate) return [];
    try {
      const assembled = this.assemble(contributions, this.nextStep);
      if (assembled.kind !== 'statistics') return [];
      // Jobs only from factors that pass the step's checks (assemble checks shapes, not values; the arrival
      // check, when it ran, the values).
      for (const c of assembled.ordered) if (!statisticsValuesChecked(c)) validateStatistics(c, assembled.requirements);
      return this.curvature.prospectiveRefreshJobs(this.stepFactors(assembled.ordered, assembled.requirements), this.expectedDamping(this.nextStep));
    } catch (e) {
      if (e instanceof FisherdError) return [];
      throw e;
    }
  }

  /**
   * The λ step `step`'s solves will most likely use: the schedule's, or with damping adaptation the last
   * step's (adaptation may move it; a π-damping block whose refresh thread formed its inverses for another
   * λ forms them again in the solve, with the same result).
   */
  private expectedDamping(step: number): number {
    const adapted = this.config.optimizer.dampingAdaptation === undefined ? undefined : this.last?.diagnostics.damping;
    return adapted ?? scheduleValue(makeSchedule(this.config.optimizer.damping ?? DEFAULT_DAMPING), { step });
  }

  /**
   * Forms the dense gradient sums of Kronecker entries sent as `sumFactors` (kronecker-statistics.ts
   * `formGradientSums`) into this session's arrays, reused from step to step (the sums are read within it).
   */
  private formGradientSums(ordered: readonly StepContribution[]): void {
    if (!ordered.some((c) => c.statistics?.some((e) => e.kind === 'kronecker' && e.kronecker.sumFactors !== undefined))) return;
    const scratch = (this.gradientSumScratch ??= new Map());
    formGradientSums(ordered, (name) => {
      const block = name === '' ? this.config.blocks[0]! : this.config.blocks.find((b) => b.name === name)!;
      const s = block.structure as KroneckerStructure;
      return { outputs: s.outputs, inputs: s.inputs, bias: s.bias, inputOrder: s.inputs + (s.bias ? 1 : 0) };
    }, this.backend, (key, length, single) => {
      const held = scratch.get(key);
      if (held !== undefined && held.length === length && held instanceof Float32Array === single) return held;
      const fresh = single ? new Float32Array(length) : new Float64Array(length);
      scratch.set(key, fresh);
      return fresh;
    });
  }

  /** The step's factors per tracked estimate and block (the estimator's names: '' for a single Kronecker block). */
  private stepFactors(ordered: readonly StepContribution[], requirements: ContributionRequirements): UpdateFactors {
    const single = this.config.singleBlock;
    const factors = collectStepFactors(ordered, requirements, (name) => (single ? '' : name));
    return { empiricalFisher: factors.empiricalFisher, fisher: factors.fisher };
  }

  /**
   * Per-layer diagnostics of the Kronecker blocks after a step (see `StepDiagnostics.layers`): two block
   * solves per layer for the cosine (when both Fishers are tracked), traces and top eigenvalues from the
   * factors and installed decompositions (O(k²) each).
   */
  private layerDiagnostics(step: number, meanGrad: Float64Array, meanGradFactors?: FactoredSlices): Record<string, number> | undefined {
    if (!this.kroneckerTracked) return undefined;
    const values: Record<string, number> = {};
    const damping = scheduleValue(makeSchedule(this.config.optimizer.damping ?? DEFAULT_DAMPING), { step });
    const offsets = new Map<string, number>();
    let offset = 0;
    for (const b of this.config.blocks) {
      offsets.set(this.config.singleBlock ? '' : b.name, offset);
      offset += b.size;
    }
    const label = (name: string) => (name === '' ? this.config.blocks[0]!.name : name);
    const ef = new Map(this.curvature.kroneckerBlocks('empiricalFisher').map((b) => [b.name, b.estimate]));
    const fisher = new Map(this.curvature.kroneckerBlocks('fisher').map((b) => [b.name, b.estimate]));
    for (const [which, blocks] of [['fisher', fisher], ['empiricalFisher', ef]] as const) {
      for (const [name, estimate] of blocks) {
        const at = `layer.${label(name)}`;
        values[`${at}.${which}.trace`] = estimate.trace();
        const top = estimate.topEigenvalues(Math.min(3, estimate.dim));
        top.forEach((v, i) => { values[`${at}.${which}.top${i + 1}`] = v; });
        values[`${at}.basisVersion`] ??= estimate.decompositionVersion ?? 0;
        values[`${at}.factorUpdates`] ??= estimate.factorUpdates;
      }
    }
    for (const [name, estimate] of fisher) {
      const other = ef.get(name);
      if (other === undefined) continue;
      const start = offsets.get(name)!;
      const g = meanGrad.subarray(start, start + estimate.dim);
      const terms = meanGradFactors?.get(start);
      const factored = terms === undefined ? undefined : new Map([[0, terms]]);
      try {
        values[`layer.${label(name)}.cosineEfFisher`] = cosine(other.solve(g, damping, undefined, factored), estimate.solve(g, damping, undefined, factored));
      } catch (e) {
        if (!isFisherdError(e, 'NOT_POSITIVE_DEFINITE')) throw e;
        this.log.debug({ step, block: label(name), damping }, 'layer cosineEfFisher omitted: a damped estimate is singular');
      }
    }
    return values;
  }

  /**
   * True when every estimate this session tracks is stored as a diagonal: then a step's contributions
   * reduce to a `StepSummary` (D-vectors of sums over their rows; `summarize`), which `stepFromSummary`
   * completes, and `step(c)` gives bit for bit what `stepFromSummary(summarize(c))` gives. A replay
   * computes summaries in worker threads, and once for several update rules.
   */
  get summarizes(): boolean {
    return this.curvature.summarizes;
  }

  /**
   * The first half of `step` (requires `summarizes`; for statistics contributions, diagonal estimates per
   * block suffice): validates and merges the contributions as `step`
   * does, for step `options.step` (default `nextStep`), and reduces them to a summary, written into
   * `options.out` when given. Changes nothing: any session with the same configuration and backend type
   * computes the same summary, whatever its own step.
   */
  summarize(contributions: readonly StepContribution[], options: { step?: number; out?: DiagonalBatchSummary } = {}): StepSummary {
    const step = options.step ?? this.nextStep;
    try {
      const assembled = this.assemble(contributions, step);
      if (assembled.kind === 'statistics') {
        if (!this.curvature.acceptsSummaries) {
          throw new FisherdError('INTERNAL', 'summarize needs every tracked estimate to be diagonal', { field: 'structure' });
        }
        for (const c of assembled.ordered) validateStatistics(c, assembled.requirements);
        this.formGradientSums(assembled.ordered);
        const summary = mergeStatistics(assembled.ordered, assembled.requirements, options.out);
        return { step, batchSize: summary.batchSize, ...assembled.merged, summary };
      }
      const { ordered, merged, requirements } = assembled;
      let summary: DiagonalBatchSummary;
      try {
        summary = this.curvature.summarize(merged.batch, options.out);
      } catch (e) {
        throw this.namedByWorker(e, ordered, requirements);
      }
      return {
        step,
        batchSize: merged.batch.batchSize,
        ...(merged.loss === undefined ? {} : { loss: merged.loss }),
        ...(merged.params === undefined ? {} : { params: merged.params }),
        ...(merged.lossAfterPreviousUpdate === undefined ? {} : { lossAfterPreviousUpdate: merged.lossAfterPreviousUpdate }),
        summary,
      };
    } catch (e) {
      // The estimator numbers its errors by its own clock; this session's step is the one that counts.
      if (e instanceof FisherdError && e.step !== step) throw new FisherdError(e.code, e.message, { field: e.field, step, cause: e.cause });
      throw e;
    }
  }

  /**
   * The second half of `step` (requires `summarizes`): folds the summary of step `nextStep` into the
   * estimates and runs the optimizer. A throw (STEP_OUT_OF_ORDER, a malformed summary, a failing solve)
   * leaves the session exactly as it was.
   */
  stepFromSummary(stepSummary: StepSummary): StepResult {
    const started = performance.now();
    const step = this.nextStep;
    if (stepSummary.step !== step) {
      throw new FisherdError('STEP_OUT_OF_ORDER', `step ${stepSummary.step} is not the next step ${step}`, { field: 'step', step: stepSummary.step });
    }
    const merged = {
      batchSize: stepSummary.batchSize,
      ...(stepSummary.loss === undefined ? {} : { loss: stepSummary.loss }),
      ...(stepSummary.params === undefined ? {} : { params: stepSummary.params }),
      ...(stepSummary.lossAfterPreviousUpdate === undefined ? {} : { lossAfterPreviousUpdate: stepSummary.lossAfterPreviousUpdate }),
    };
    return this.advance(step, started, merged, (meanGradOut) => this.curvature.updateFromSummary(stepSummary.summary, { meanGradOut }));
  }

  /** Validates a step's contributions (shapes, order, inputs; row values are left to the estimator) and merges them. */
  private assemble(contributions: readonly StepContribution[], step: number) {
    const requirements = this.contributionRequirements(step);
    if (!Array.isArray(contributions) || contributions.length === 0) {
      throw new FisherdError('MISSING_INPUT', `step ${step} has no contributions`, { field: 'contributions', step });
    }
    const seen = new Set<number>();
    for (const c of contributions) {
      // Shapes, order and inputs now; the rows' values are checked by the estimator (see below).
      validateContribution(c, requirements, { rowValues: false });
      if (seen.has(c.workerId)) {
        throw new FisherdError('BAD_WORKER', `worker ${c.workerId} contributed twice to step ${step}`, { field: 'workerId', step });
      }
      seen.add(c.workerId);
    }
    if (seen.size !== this.config.workers) {
      const missing = Array.from({ length: this.config.workers }, (_, i) => i).filter((i) => !seen.has(i));
      throw new FisherdError('BAD_WORKER', `step ${step} lacks the contributions of workers ${missing.join(', ')}`, {
        field: 'workerId',
        step,
      });
    }
    const ordered = [...contributions].sort((a, b) => a.workerId - b.workerId);
    const withStatistics = ordered.filter((c) => c.statistics !== undefined).length;
    if (withStatistics > 0) {
      if (withStatistics < ordered.length) {
        throw new FisherdError('INVALID_CONFIG',
          `step ${step}: ${withStatistics} of ${ordered.length} workers sent statistics and the others rows; every worker of a step sends the same kind`,
          { field: 'statistics', step });
      }
      return { kind: 'statistics' as const, ordered, requirements, merged: lossAndParams(ordered) };
    }
    const merged = mergeContributions(ordered, this.config, this.backend, this.scaledRows);
    return { kind: 'rows' as const, ordered, merged, requirements };
  }

  /**
   * The estimator found a NaN/±Inf in the rows (for per-example rows through ḡ, without a scan): name it
   * as the contribution check does, by worker field, scanning only now.
   */
  private namedByWorker(e: unknown, ordered: readonly StepContribution[], requirements: ContributionRequirements): unknown {
    if (isFisherdError(e, 'NON_FINITE')) for (const c of ordered) validateContribution(c, requirements);
    return e;
  }

  /** Completes step `step` from a committed fused step (the general path's `StepResult`, field for field). */
  private completeFused(step: number, started: number, fused: FusedStepOutcome, loss: number | undefined): StepResult {
    const stepResult: StepResult = {
      step,
      update: fused.update,
      diagnostics: {
        gradNorm: fused.gradNorm,
        updateNorm: fused.updateNorm,
        ...(fused.cosineEfFisher === undefined ? {} : { cosineEfFisher: fused.cosineEfFisher }),
        ...(fused.meanSnr === undefined ? {} : { meanSnr: fused.meanSnr }),
        stepSize: fused.stepSize,
        ...(fused.damping === undefined ? {} : { damping: fused.damping }),
        ...(loss === undefined ? {} : { loss }),
        batchSize: fused.batchSize,
        computeMs: performance.now() - started,
      },
    };
    this.completed = step;
    this.last = stepResult;
    this.log.debug({ step, batchSize: fused.batchSize, computeMs: stepResult.diagnostics.computeMs }, 'step done (fused)');
    return stepResult;
  }

  /**
   * Updates the estimates (`updateCurvature`, which may write ḡ's bias-corrected EMA after the update into
   * the array it is given and return Σ of its squares), runs the optimizer, and completes step `step`; or
   * rolls back.
   */
  private advance(step: number, started: number, merged: { batchSize: number; loss?: number; params?: Float64Array; lossAfterPreviousUpdate?: number },
    updateCurvature: (meanGradOut: Float64Array) => number | undefined | void, meanGradFactors?: FactoredSlices): StepResult {
    // The estimator validates its input before touching its state, but the solve can still fail after
    // the update (a singular estimate with λ = 0): the checkpoint sets the state aside (its large arrays
    // held, not copied: the update writes beside them), and a failure rolls back to it.
    this.curvature.checkpoint();
    try {
      // The optimizer's input, reused from step to step: transforms neither mutate nor keep it.
      const meanGradInput = (this.meanGradInput ??= new Float64Array(this.config.dim));
      const meanGradSquares = updateCurvature(meanGradInput);
      this.requireFiniteEstimates(step);
      const meanGrad = typeof meanGradSquares === 'number' ? meanGradInput : this.curvature.meanGrad(meanGradInput);
      this.workspace.reset(); // the last step's arrays: its update went out as float32 (below)
      const ctx = {
        step, curvature: this.curvature, workspace: this.workspace, meanGrad, ...(merged.params ? { params: merged.params } : {}),
        ...(typeof meanGradSquares === 'number' ? { meanGradNorm: norm2FromSquares(meanGradSquares, meanGrad) } : {}),
        ...(meanGradFactors === undefined ? {} : { meanGradFactors }),
        // The losses, for damping adaptation (the other transforms ignore them).
        ...(merged.loss === undefined ? {} : { loss: merged.loss }),
        ...(merged.lossAfterPreviousUpdate === undefined ? {} : { lossAfterPreviousUpdate: merged.lossAfterPreviousUpdate }),
      };
      const result = this.optimizer.update(meanGrad, this.optimizerState, ctx);
      const { update, firstBad: bad } = toFloat32(result.updates, this.takeUpdateArray());
      if (bad >= 0) {
        throw new FisherdError('NON_FINITE', `the update is ${update[bad]} at ${bad}; the damped estimate is near singular: raise optimizer.damping`, {
          field: 'optimizer.damping',
          step,
        });
      }
      const d = result.diagnostics;
      const layers = this.layerDiagnostics(step, meanGrad, meanGradFactors);
      const stepResult: StepResult = {
        step,
        update,
        diagnostics: {
          gradNorm: d.gradNorm ?? 0,
          updateNorm: d.updateNorm ?? 0,
          ...(d.cosineEfFisher === undefined ? {} : { cosineEfFisher: d.cosineEfFisher }),
          ...(d.meanSnr === undefined ? {} : { meanSnr: d.meanSnr }),
          ...(d.stepSize === undefined ? {} : { stepSize: d.stepSize }),
          ...(d.damping === undefined ? {} : { damping: d.damping }),
          ...(d.rho === undefined ? {} : { rho: d.rho }),
          ...(merged.loss === undefined ? {} : { loss: merged.loss }),
          batchSize: merged.batchSize,
          computeMs: performance.now() - started,
          ...(layers === undefined ? {} : { layers }),
        },
      };
      this.optimizerState = result.state;
      this.completed = step;
      this.last = stepResult;
      this.log.debug({ step, batchSize: merged.batchSize, computeMs: stepResult.diagnostics.computeMs }, 'step done');
      return stepResult;
    } catch (e) {
      this.curvature.rollback();
      throw e;
    }
  }

  /**
   * Throws NON_FINITE when an estimate overflowed its storage this step (float32 storage holds squares up
   * to 3.4e38, i.e. gradient values up to ~1.8e19): the inputs are too large, and raising the damping
   * would not help. One O(D) trace per tracked estimate (the inputs themselves were checked finite), on
   * float32 storage only: float64 storage holds the squares of any float32 input.
   */
  private requireFiniteEstimates(step: number): void {
    if (this.backend.dtype !== 'float32') return;
    const inputs = { empiricalFisher: 'perExampleGrads', noise: 'perExampleGrads', fisher: this.config.fisherSource === 'exact' ? 'fisherFactorRows' : 'sampledLabelGrads' };
    for (const kind of ['empiricalFisher', 'fisher', 'noise'] as const) {
      const trace = this.curvature[kind]?.trace();
      if (trace === undefined || Number.isFinite(trace)) continue;
      throw new FisherdError(
        'NON_FINITE',
        `the ${kind} estimate overflowed its ${this.backend.dtype} storage at step ${step} (its trace is ${trace}): the squares of the values of ${inputs[kind]} exceed 3.4e38; scale the loss or the gradients down (raising the damping does not help)`,
        { field: inputs[kind], step },
      );
    }
  }

  /** The current estimates (read-only; validates the query: INVALID_CONFIG, UNKNOWN_BLOCK). */
  estimates(query: EstimatesQuery = {}): EstimatesReport {
    const topK = query.topK ?? 5;
    if (!Number.isInteger(topK) || topK < 0 || topK > MAX_TOP_K) {
      throw new FisherdError('INVALID_CONFIG', `topK must be an integer in [0, ${MAX_TOP_K}], got ${topK}`, { field: 'topK' });
    }
    let range: [number, number] = [0, this.config.dim];
    if (query.block !== undefined) {
      let offset = 0;
      const block = this.config.blocks.find((b) => {
        if (b.name === query.block) return true;
        offset += b.size;
        return false;
      });
      if (block === undefined) {
        throw new FisherdError('UNKNOWN_BLOCK', `no parameter block "${query.block}"; blocks: ${this.config.blocks.map((b) => b.name).join(', ')}`, {
          field: 'block',
        });
      }
      range = [offset, offset + block.size];
    }
    if (query.range !== undefined) range = subRange(range, query.range);
    const k = Math.min(topK, this.config.dim);
    const reports: EstimateReport[] = [];
    for (const kind of ['empiricalFisher', 'fisher', 'noise'] as const) {
      const estimate = this.curvature[kind];
      if (estimate === undefined) continue;
      reports.push({
        kind,
        trace: estimate.trace(),
        topEigenvalues: k > 0 ? estimate.topEigenvalues(k) : new Float64Array(0),
        ...(query.includeDiagonals ? { diagonal: estimate.diagonal(this.reportScratch()).slice(range[0], range[1]) } : {}),
      });
    }
    const report: EstimatesReport = {
      step: this.completed,
      estimates: reports,
      ...(query.includeDiagonals ? { meanGrad: this.curvature.meanGrad(this.reportScratch()).slice(range[0], range[1]) } : {}),
    };
    const { empiricalFisher, fisher } = this.curvature;
    if (empiricalFisher === undefined || fisher === undefined || this.completed === 0) return report;
    // With damping adaptation, the λ the last step used (it is not a schedule's).
    const adapted = this.config.optimizer.dampingAdaptation === undefined ? undefined : this.last?.diagnostics.damping;
    const damping = adapted ?? scheduleValue(makeSchedule(this.config.optimizer.damping ?? DEFAULT_DAMPING), { step: this.completed });
    const meanGrad = this.curvature.meanGrad();
    return {
      ...report,
      cosineEfFisher: cosine(empiricalFisher.solve(meanGrad, damping), fisher.solve(meanGrad, damping)),
    };
  }

  /**
   * The installed eigendecompositions of Kronecker block `block` in each tracked Fisher (empirical, then
   * sampled-label/exact), as its solves use them: what an EKFAC client projects its gradients on
   * (`KroneckerFactors.eigenbasisSquares`, of the `version` given here). Read only (the arrays are the
   * estimate's own). UNKNOWN_BLOCK for a name the session lacks, INVALID_CONFIG for a block that is not
   * Kronecker or a session tracking no Fisher.
   */
  kroneckerBases(block: string): KroneckerBasisReport[] {
    const names = this.config.blocks.map((b) => b.name);
    const index = names.indexOf(block);
    if (index < 0) {
      throw new FisherdError('UNKNOWN_BLOCK', `no parameter block "${block}"; blocks: ${names.join(', ')}`, { field: 'kroneckerBasis' });
    }
    const structure = this.config.blocks[index]!.structure;
    if (structure.kind !== 'kronecker') {
      throw new FisherdError('INVALID_CONFIG', `block "${block}" is ${structure.kind}, not kronecker: it has no eigenbasis`, { field: 'kroneckerBasis' });
    }
    const leafName = this.config.singleBlock ? '' : block;
    const reports: KroneckerBasisReport[] = [];
    for (const kind of ['empiricalFisher', 'fisher'] as const) {
      const estimate = this.curvature.kroneckerBlocks(kind).find((b) => b.name === leafName)?.estimate;
      if (estimate === undefined) continue;
      const d = estimate.installedDecomposition;
      const none = new Float64Array(0);
      reports.push({
        kind, block, version: d?.version ?? 0, outputs: estimate.shape.outputs, inputOrder: estimate.shape.inputOrder,
        outputValues: d?.outputValues ?? none, inputValues: d?.inputValues ?? none,
        outputVectors: d?.outputVectors ?? none, inputVectors: d?.inputVectors ?? none,
      });
    }
    if (reports.length === 0) {
      throw new FisherdError('INVALID_CONFIG', 'the session tracks no Fisher (empirical or sampled-label): its Kronecker blocks have no eigenbasis', { field: 'kroneckerBasis' });
    }
    return reports;
  }

  /** One D-length array the estimates report computes each diagonal into before copying its range out. */
  private reportScratch(): Float64Array {
    return (this.reportBuffer ??= new Float64Array(this.config.dim));
  }

  /** The whole state as plain data (copies; the session keeps running). */
  snapshot(): SessionSnapshot {
    return {
      format: SESSION_SNAPSHOT_FORMAT,
      config: this.clientConfig,
      lastStep: this.completed,
      backend: { name: this.backend.name, dtype: this.backend.dtype },
      curvature: this.curvature.snapshot(),
      // Optimizer states are immutable (transforms are pure), so sharing them is safe.
      optimizerState: this.optimizerState,
      ...(this.last ? { lastResult: this.last } : {}),
    };
  }

  /**
   * A session in the state of `snapshot`: continuing it gives bit-identical updates when `backend` has
   * the storage type of the one that took the snapshot. Throws INVALID_CONFIG when the parts disagree.
   */
  static restore(snapshot: SessionSnapshot, backend: Backend, logger?: Logger): Session {
    if (snapshot?.format !== SESSION_SNAPSHOT_FORMAT) {
      throw new FisherdError('INVALID_CONFIG', `snapshot format must be ${SESSION_SNAPSHOT_FORMAT}, got ${String(snapshot?.format)}`, {
        field: 'snapshot.format',
      });
    }
    const session = new Session(snapshot.config, backend, logger);
    const curvature = CurvatureEstimator.restore(snapshot.curvature, backend, { dampingFixedFor: dampingFixedFor(session.config.optimizer) });
    const expected = curvatureConfig(session.config);
    const actual = curvature.config;
    if (
      actual.dim !== expected.dim || actual.decay !== expected.decay ||
      (['empiricalFisher', 'fisher', 'noise'] as const).some((q) => actual.track[q] !== expected.track[q])
    ) {
      throw new FisherdError('INVALID_CONFIG', 'snapshot.curvature does not match snapshot.config', { field: 'snapshot.curvature' });
    }
    if (!sameShape(session.optimizerState, snapshot.optimizerState)) {
      throw new FisherdError('INVALID_CONFIG', 'snapshot.optimizerState does not fit the configured optimizer', {
        field: 'snapshot.optimizerState',
      });
    }
    if (!Number.isInteger(snapshot.lastStep) || snapshot.lastStep < 0 || snapshot.lastStep !== curvature.steps) {
      throw new FisherdError('INVALID_CONFIG', `snapshot.lastStep ${snapshot.lastStep} disagrees with the estimates' ${curvature.steps} steps`, {
        field: 'snapshot.lastStep',
      });
    }
    session.curvature = curvature;
    session.optimizerState = snapshot.optimizerState as ChainState; // sameShape: an array like init()'s
    session.completed = snapshot.lastStep;
    session.last = snapshot.lastResult;
    return session;
  }
}

/** `[start, end)` narrowed to `range` (offset relative to start); INVALID_CONFIG when it lies outside. */
function subRange([start, end]: [number, number], range: { readonly offset: number; readonly length?: number }): [number, number] {
  const size = end - start;
  const { offset } = range;
  if (!Number.isInteger(offset) || offset < 0 || offset > size) {
    throw new FisherdError('INVALID_CONFIG', `diagonalOffset must be an integer in [0, ${size}], got ${offset}`, { field: 'diagonalOffset' });
  }
  const length = range.length ?? size - offset;
  if (!Number.isInteger(length) || length < 0 || offset + length > size) {
    throw new FisherdError('INVALID_CONFIG', `diagonalLength must be an integer in [0, ${size - offset}] at offset ${offset}, got ${length}`, {
      field: 'diagonalLength',
    });
  }
  return [start + offset, start + offset + length];
}
