/**
 * What a replay can say honestly about a rule without the model (docs/math.md, "Replay: what a replayed
 * update can tell"): per rule and recorded step, the replayed Δθ against the recorded update (cosine), and
 * the local quadratic model of the averaged loss's change under the session's running estimates,
 *
 *   q_M(Δ) = ḡᵀΔ + ½ ΔᵀMΔ,   M = F̂ (the Fisher estimate: sampled labels or exact factor rows) or Ẽ (the EF),
 *
 * with ḡ and M the bias-corrected running estimates the rules themselves saw at that step (this batch's
 * when emaDecay is 0), M undamped, and Δ the float32 update as sent. The replay follows the recorded
 * parameter path (open loop), so these are statements about one step at the recorded θ, never about the
 * loss a rule would have reached.
 *
 * The rows of a step are held until the next step runs (or the replay ends), so that the recorded update,
 * which the trace holds after its step's contributions, is attached to them: memory is one step's rows.
 */
import type { OptimizerName } from '../optim/spec.js';
import { readFloat32 } from '../protocol/floats.js';
import type { EstimatesView } from '../session/session.js';

/** What one rule returned at one step, with the local model (the row `replayTrace` hands to `onRows`). */
export interface ReplayStepRow {
  /** The step as recorded. */
  step: number;
  optimizer: OptimizerName;
  loss: number | undefined;
  batchSize: number;
  gradNorm: number;
  /** ‖Δθ‖₂ of the replayed update (float64, before rounding to float32). */
  updateNorm: number;
  cosineEfFisher: number | undefined;
  meanSnr: number | undefined;
  stepSize: number | undefined;
  damping: number | undefined;
  /** cos(Δθ_replayed, Δθ_recorded), when the trace holds the update fisherd sent for this step. */
  cosineRecorded: number | undefined;
  /** ‖Δθ_recorded‖₂ (float32 values), when the trace holds it (the same in every rule's row). */
  recordedUpdateNorm: number | undefined;
  /** ḡᵀΔθ: the first-order change of the averaged loss along the replayed update. */
  gradDotUpdate: number;
  /** q_F(Δθ) = ḡᵀΔθ + ½ Δθᵀ F̂ Δθ with the Fisher estimate (sampled or exact: `localModelMatrices`), when tracked. */
  qFisher: number | undefined;
  /** q_EF(Δθ) = ḡᵀΔθ + ½ Δθᵀ Ẽ Δθ with the empirical Fisher, when tracked. */
  qEmpiricalFisher: number | undefined;
  /** q_F and q_EF of the recorded update, under the same estimates (the same in every rule's row). */
  qFisherRecorded: number | undefined;
  qEmpiricalFisherRecorded: number | undefined;
  /** The replayed Δθ as sent on the wire (float32; a fresh array per step, never written to afterwards). */
  update: Float32Array;
}

/** The scalar columns of steps.csv (and of the exported per-rule CSVs), in order. */
export const STEP_COLUMNS = [
  'step', 'optimizer', 'loss', 'batchSize', 'gradNorm', 'updateNorm', 'cosineEfFisher', 'meanSnr', 'stepSize', 'damping',
  'cosineRecorded', 'recordedUpdateNorm', 'gradDotUpdate', 'qFisher', 'qEmpiricalFisher', 'qFisherRecorded', 'qEmpiricalFisherRecorded',
] as const satisfies readonly (keyof ReplayStepRow)[];

/** One CSV line (without the newline) of `row`'s scalar columns; an absent value is an empty field. */
export function csvLine(row: ReplayStepRow, columns: readonly (typeof STEP_COLUMNS)[number][] = STEP_COLUMNS): string {
  return columns.map((c) => (row[c] === undefined ? '' : String(row[c]))).join(',');
}

/** Which matrices the local model columns use (reported in the replay's result). */
export interface LocalModelMatrices {
  /** The Fisher estimate behind `qFisher`: 'sampled' (F̂ from sampled-label gradients) or 'exact' (F, factor rows); undefined when the trace has neither. */
  fisher: 'sampled' | 'exact' | undefined;
  /** Whether `qEmpiricalFisher` is filled (Ẽ, from per-example gradients). */
  empiricalFisher: boolean;
}

/** The local model of `delta` under `view`, reusing `scratch` (three D-vectors, allocated on first use). */
export class LocalModel {
  private readonly g: Float64Array;
  private readonly d: Float64Array;
  private readonly md: Float64Array;

  constructor(readonly dim: number) {
    this.g = new Float64Array(dim);
    this.d = new Float64Array(dim);
    this.md = new Float64Array(dim);
  }

  /** ḡᵀΔ, and ½ΔᵀMΔ added to it for each tracked M, in float64 (Δ read from its float32 values). */
  evaluate(view: EstimatesView, delta: Float32Array): { gradDotUpdate: number; qFisher: number | undefined; qEmpiricalFisher: number | undefined } {
    const { g, d } = this;
    view.meanGrad(g);
    let linear = 0;
    for (let i = 0; i < this.dim; i++) {
      d[i] = delta[i]!;
      linear += g[i]! * d[i]!;
    }
    return {
      gradDotUpdate: linear,
      qFisher: view.fisher === undefined ? undefined : linear + 0.5 * this.quadratic(view.fisher),
      qEmpiricalFisher: view.empiricalFisher === undefined ? undefined : linear + 0.5 * this.quadratic(view.empiricalFisher),
    };
  }

  /** ΔᵀMΔ for the Δ in `d`. */
  private quadratic(estimate: NonNullable<EstimatesView['fisher']>): number {
    const { d, md } = this;
    estimate.matvec(d, md);
    let sum = 0;
    for (let i = 0; i < this.dim; i++) sum += d[i]! * md[i]!;
    return sum;
  }
}

/** cos(a, b) in float64; 0 when either is zero. */
export function cosine32(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * Holds the rows of the last replayed step until the next step runs (or the end), attaching the recorded
 * update of that step when the trace holds it (fisherd writes it after the step's contributions).
 */
export class HeldStep {
  private rows: ReplayStepRow[] = [];
  private step: number | undefined;
  private view: EstimatesView | undefined;
  private readonly model: LocalModel;

  constructor(dim: number) {
    this.model = new LocalModel(dim);
  }

  /** The row fields of the local model for one rule's update, from that rule's session (just stepped). */
  measure(view: EstimatesView, update: Float32Array): Pick<ReplayStepRow, 'gradDotUpdate' | 'qFisher' | 'qEmpiricalFisher'> {
    return this.model.evaluate(view, update);
  }

  /**
   * Holds `rows` of recorded step `step`; `view` is the estimates of a rule that completed it (every rule
   * tracks the same estimates from the same inputs), for the recorded update's model. Returns the rows
   * held before, to be handed on.
   */
  hold(step: number, rows: ReplayStepRow[], view: EstimatesView | undefined): ReplayStepRow[] {
    const previous = this.rows;
    this.rows = rows;
    this.step = step;
    this.view = view;
    return previous;
  }

  /** The recorded update (float32 bytes as sent) of recorded step `step`: attached when that step is held. */
  recorded(step: number, deltaBytes: Uint8Array): void {
    if (step !== this.step || this.rows.length === 0 || this.rows[0]!.recordedUpdateNorm !== undefined) return;
    const recorded = readFloat32(deltaBytes, 'update.delta');
    if (recorded.length !== this.model.dim) return; // not this session's shape: nothing to compare with
    let squares = 0;
    for (let i = 0; i < recorded.length; i++) squares += recorded[i]! * recorded[i]!;
    const model = this.view === undefined ? undefined : this.model.evaluate(this.view, recorded);
    for (const row of this.rows) {
      row.cosineRecorded = cosine32(row.update, recorded);
      row.recordedUpdateNorm = Math.sqrt(squares);
      row.qFisherRecorded = model?.qFisher;
      row.qEmpiricalFisherRecorded = model?.qEmpiricalFisher;
    }
  }

  /** Takes the held rows (at the end of the replay). */
  take(): ReplayStepRow[] {
    const rows = this.rows;
    this.rows = [];
    this.step = undefined;
    this.view = undefined;
    return rows;
  }
}
