/**
 * One worker's share of one step, its validation, and the conversion of its rows to math.md's scale.
 *
 * Reduction (proto `Reduction`): how the client reduced its loss over its own b_w examples before
 * differentiating. fisherd's estimates are defined on gradients of the per-example loss ℓ_n (math.md), so
 *
 * | reduction | client's loss       | rows arrive as                | factor rows arrive as | meanGrad arrives as | fisherd applies            |
 * |-----------|---------------------|-------------------------------|-----------------------|---------------------|----------------------------|
 * | 'mean'    | (1/b_w) Σ_n ℓ_n     | ∇[(1/b_w)ℓ_n] = g_n / b_w     | u_{n,c} / √b_w        | ḡ                   | rows ×b_w, factors ×√b_w   |
 * | 'sum'     | Σ_n ℓ_n             | g_n                           | u_{n,c}               | Σ_n g_n             | meanGrad ×1/b_w            |
 *
 * 'mean' is BackPACK's convention: `BatchGrad` with a mean-reduced loss returns g_n/b, and its square-root
 * GGN factors (`sqrt_ggn_exact`, `sqrt_ggn_mc`) carry 1/√b, since the Hessian of (1/b)ℓ_n is H_n/b.
 * Sampled-label gradients are per-example gradients of the sampled loss: ×b_w like `perExampleGrads`.
 * The multipliers are applied through `RowBlock.scale` (a row multiplier c is scale c², as the rows enter
 * the estimates quadratically), so the client's arrays are never copied.
 */
import type { TrackedQuantities } from '../curvature/batch.js';
import type { RowBlock } from '../curvature/rows.js';
import { firstNonFinite } from '../curvature/validate.js';
import { FisherdError } from '../errors.js';
import { validateStatistics, type BlockStatistics } from './statistics.js';

export type Reduction = 'mean' | 'sum';

export interface StepContribution {
  /** The step index, starting at 1; must be the session's next step. */
  readonly step: number;
  /** 0 ≤ workerId < W; each worker contributes once per step. */
  readonly workerId: number;
  /** This worker's minibatch loss (mean over its examples): diagnostics, and L(θ) of damping adaptation. */
  readonly loss?: number;
  /**
   * The loss of this worker's batch of the *previous* step (mean over its examples) at the parameters
   * after the previous step's update, L(θ_{t−1} + Δ_{t−1}): damping adaptation's L(θ+Δ) (math.md, "Damping
   * adaptation"). Optional; ignored by sessions without adaptation.
   */
  readonly lossAfterPreviousUpdate?: number;
  /** b_w ≥ 1, the number of examples in this worker's share of the minibatch. */
  readonly batchSize: number;
  /** How the client reduced its loss over its b_w examples (see the table above). */
  readonly reduction: Reduction;
  /** Per-example gradients: b_w rows of D, row-major. */
  readonly perExampleGrads?: Float32Array;
  /** Gradients of labels sampled from the model, K per example: b_w·K rows of D (example-major). */
  readonly sampledLabelGrads?: { readonly rows: Float32Array; readonly samplesPerExample: number };
  /** Exact Fisher (GGN) factor rows u_{n,c} = J_nᵀ(H_n^{1/2})_{:,c}, C per example: b_w·C rows of D. */
  readonly fisherFactorRows?: { readonly rows: Float32Array; readonly factorsPerExample: number };
  /** The batch mean gradient alone (D), when no per-example rows are sent; ignored when they are. */
  readonly meanGrad?: Float32Array;
  /** The current parameters θ (D), for optimizers that use them (weight decay). */
  readonly params?: Float32Array;
  /**
   * Statistics of the worker's rows instead of the rows (src/session/statistics.ts, math.md "Statistics
   * contributions"): per parameter block, or one entry for the whole vector. Excludes the row fields.
   */
  readonly statistics?: readonly BlockStatistics[];
}

/** What a session needs from every contribution of a step (from its config). */
export interface ContributionRequirements {
  readonly dim: number;
  readonly workers: number;
  /** The step every contribution must carry. */
  readonly expectedStep: number;
  /** The empirical Fisher or the noise covariance is tracked. */
  readonly perExampleGrads: boolean;
  /** The Fisher is tracked, and from which rows. */
  readonly fisher: 'sampled' | 'exact' | false;
  /** The optimizer adds weight decay. */
  readonly params: boolean;
  /** Which estimates are tracked (statistics must carry the sums of each). */
  readonly track: TrackedQuantities;
  /**
   * The session's parameter blocks in order, whether every estimate of each is diagonal, and the shape of
   * the Kronecker ones (they take `KroneckerStatistics`).
   */
  readonly blocks: readonly {
    readonly name: string; readonly size: number; readonly diagonal: boolean;
    readonly kronecker?: { readonly outputs: number; readonly inputOrder: number };
  }[];
}

function shapeError(field: string, message: string, step: number): FisherdError {
  return new FisherdError('SHAPE_MISMATCH', `${field} ${message}`, { field, step });
}

/** What `validateContribution` checks beyond shapes, order and required inputs. */
export interface ContributionCheckOptions {
  /**
   * Scan the row arrays (perExampleGrads, sampledLabelGrads.rows, fisherFactorRows.rows: b·D numbers or
   * more) for NaN/±Inf. Default true. `Session.step` passes false: the estimator finds a non-finite row
   * itself (for per-example rows at no cost, through ḡ), and only then does the session rescan to name the
   * worker's field. meanGrad and params (D numbers) are always scanned.
   */
  rowValues?: boolean;
}

function checkFloats(values: unknown, length: number, field: string, step: number, scan = true): void {
  if (!(values instanceof Float32Array)) throw shapeError(field, 'must be a Float32Array', step);
  if (values.length !== length) throw shapeError(field, `has length ${values.length}, expected ${length}`, step);
  if (!scan) return;
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    throw new FisherdError('NON_FINITE', `${field}[${bad}] is ${values[bad]}; every value must be finite`, { field, step });
  }
}

function checkMultiplicity(value: unknown, field: string, step: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw shapeError(field, 'must be an integer ≥ 1', step);
  return value;
}

/**
 * The statistics lists whose values `validateContribution` scanned (finite, second moments ≥ 0): the
 * session's step does not scan them again (src/session/statistics-step.ts). A caller must not change a
 * contribution's vectors after validating it.
 */
const statisticsChecked = new WeakSet<readonly object[]>();

/** True when `validateContribution` scanned the values of `c`'s statistics (see `statisticsChecked`). */
export function statisticsValuesChecked(c: StepContribution): boolean {
  return c.statistics !== undefined && statisticsChecked.has(c.statistics);
}

/**
 * Validates one contribution against the session (step order, worker range, shapes, finiteness, and the
 * inputs the tracked estimates need). Throws STEP_OUT_OF_ORDER, BAD_WORKER, SHAPE_MISMATCH, NON_FINITE,
 * INVALID_CONFIG (reduction) or MISSING_INPUT, naming the field. Does not look at other workers.
 */
export function validateContribution(c: StepContribution, req: ContributionRequirements, options: ContributionCheckOptions = {}): void {
  const scanRows = options.rowValues !== false;
  if (typeof c !== 'object' || c === null) throw shapeError('step', 'must be a record', req.expectedStep);
  if (c.step !== req.expectedStep) {
    throw new FisherdError('STEP_OUT_OF_ORDER', `step ${String(c.step)} is not the next step ${req.expectedStep}`, {
      field: 'step',
      step: typeof c.step === 'number' ? c.step : req.expectedStep,
    });
  }
  const step = c.step;
  if (!Number.isInteger(c.workerId) || c.workerId < 0 || c.workerId >= req.workers) {
    throw new FisherdError('BAD_WORKER', `workerId ${String(c.workerId)} is not in [0, ${req.workers})`, { field: 'workerId', step });
  }
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) throw shapeError('batchSize', 'must be an integer ≥ 1', step);
  if (c.reduction !== 'mean' && c.reduction !== 'sum') {
    throw new FisherdError('INVALID_CONFIG', `reduction must be 'mean' or 'sum', got ${String(c.reduction)}`, { field: 'reduction', step });
  }
  if (c.lossAfterPreviousUpdate !== undefined && !(typeof c.lossAfterPreviousUpdate === 'number' && Number.isFinite(c.lossAfterPreviousUpdate))) {
    throw new FisherdError('NON_FINITE', `lossAfterPreviousUpdate is ${String(c.lossAfterPreviousUpdate)}`, { field: 'lossAfterPreviousUpdate', step });
  }
  if (c.loss !== undefined && !Number.isFinite(c.loss)) {
    throw new FisherdError('NON_FINITE', `loss is ${c.loss}`, { field: 'loss', step });
  }
  if (c.statistics !== undefined) {
    validateStatistics(c, req, { values: scanRows });
    if (c.params !== undefined) checkFloats(c.params, req.dim, 'params', step);
    if (req.params && c.params === undefined) {
      throw new FisherdError('MISSING_INPUT', 'params is required: the optimizer applies weight decay', { field: 'params', step });
    }
    if (scanRows) statisticsChecked.add(c.statistics);
    return;
  }
  const kronecker = req.blocks.find((blk) => blk.kronecker !== undefined);
  if (kronecker !== undefined && (req.track.empiricalFisher || req.track.fisher)) {
    throw new FisherdError('MISSING_INPUT',
      `statistics are required: the session's block "${kronecker.name}" is kronecker and takes KroneckerStatistics (factor sums), not gradient rows`,
      { field: 'statistics', step });
  }
  const { dim } = req;
  const b = c.batchSize;
  if (c.perExampleGrads !== undefined) checkFloats(c.perExampleGrads, b * dim, 'perExampleGrads', step, scanRows);
  if (c.sampledLabelGrads !== undefined) {
    const k = checkMultiplicity(c.sampledLabelGrads.samplesPerExample, 'sampledLabelGrads.samplesPerExample', step);
    checkFloats(c.sampledLabelGrads.rows, b * k * dim, 'sampledLabelGrads.rows', step, scanRows);
  }
  if (c.fisherFactorRows !== undefined) {
    const f = checkMultiplicity(c.fisherFactorRows.factorsPerExample, 'fisherFactorRows.factorsPerExample', step);
    checkFloats(c.fisherFactorRows.rows, b * f * dim, 'fisherFactorRows.rows', step, scanRows);
  }
  if (c.meanGrad !== undefined) checkFloats(c.meanGrad, dim, 'meanGrad', step);
  if (c.params !== undefined) checkFloats(c.params, dim, 'params', step);

  const missing = (field: string, why: string): FisherdError =>
    new FisherdError('MISSING_INPUT', `${field} is required: ${why}`, { field, step });
  if (req.perExampleGrads && c.perExampleGrads === undefined) {
    throw missing('perExampleGrads', 'the session tracks the empirical Fisher or the noise covariance');
  }
  if (c.perExampleGrads === undefined && c.meanGrad === undefined) {
    throw missing('meanGrad', 'send perExampleGrads or the mean gradient');
  }
  if (req.fisher === 'sampled' && c.sampledLabelGrads === undefined) {
    throw missing('sampledLabelGrads', "the session tracks the Fisher with fisherSource 'sampled'");
  }
  if (req.fisher === 'exact' && c.fisherFactorRows === undefined) {
    throw missing('fisherFactorRows', "the session tracks the Fisher with fisherSource 'exact'");
  }
  if (req.params && c.params === undefined) throw missing('params', 'the optimizer applies weight decay');
}

/** Row multiplier that brings a worker's per-example (or sampled-label) rows to ∇ℓ_n: b_w for 'mean'. */
export function gradientRowMultiplier(c: StepContribution): number {
  return c.reduction === 'mean' ? c.batchSize : 1;
}

/** Row multiplier for factor rows: √b_w for 'mean' (the Hessian of (1/b)ℓ_n is H_n/b). */
export function factorRowMultiplier(c: StepContribution): number {
  return c.reduction === 'mean' ? Math.sqrt(c.batchSize) : 1;
}

/** A worker's rows as a row block at math.md's scale, without copying them (multiplier c → scale c²). */
export function rowBlock(rows: Float32Array | Float64Array, count: number, dim: number, multiplier: number): RowBlock {
  return { rows, count, dim, scale: multiplier * multiplier };
}

/** The worker's ḡ_w from `meanGrad`: as sent for 'mean', divided by b_w for 'sum'. */
export function workerMeanGrad(c: StepContribution): Float64Array {
  const meanGrad = c.meanGrad!;
  const factor = c.reduction === 'sum' ? 1 / c.batchSize : 1;
  const out = new Float64Array(meanGrad.length);
  for (let i = 0; i < out.length; i++) out[i] = factor * meanGrad[i]!;
  return out;
}
