/**
 * A diagonal step from one worker's statistics in one pass over the coordinates (issue 13's ≤ 5 ns per
 * coordinate): the merge of the statistics (src/session/statistics.ts), the fold into ḡ's EMA and into the
 * tracked diagonal estimate (`CurvatureEstimator.updateFromSummary`), the solve or SNR factors of the rule,
 * the step size, the float32 update and the diagnostics (‖ḡ‖, ‖Δθ‖, mean SNR), the finiteness checks of the
 * inputs, of the estimate and of the update — each of which is a pass over D of its own in the general path
 * (~60 passes of a float64 vector per step before).
 *
 * It computes what the general path computes, operation for operation in the same order (the same bits;
 * test/session/statistics-step.test.ts compares the two), for the configurations it covers: rules sgd, ngd
 * (sampled labels or exact factors), efgd and snr (noise variance), without momentum or weight decay, on
 * the diagonal structure, tracking exactly the estimate the rule needs, and one worker. Anything else returns
 * undefined and the session takes the general path.
 *
 * Atomicity without a checkpoint copy: the next state is written into spare arrays
 * (`CurvatureEstimator.fusedDiagonal`) and committed only once every check passed; a throw leaves the
 * session exactly as it was.
 */
import type { FusedDiagonalAccess, FusedDiagonalPart } from '../curvature/estimator.js';
import type { Vec } from '../linalg/backend.js';
import { checkedSchedule, makeSchedule } from '../optim/schedule.js';
import { DEFAULT_DAMPING } from '../optim/spec.js';
import { emaVarianceFactor } from '../optim/variance-adaptation.js';
import type { ContributionRequirements, StepContribution } from './contribution.js';
import { sessionStructure, type ResolvedSessionConfig } from './config.js';
import type { DiagonalBlockStatistics, StatisticsVector } from './statistics.js';

/** What a fused step gives back to the session (which builds its `StepResult`). */
export interface FusedStepOutcome {
  readonly update: Float32Array;
  readonly gradNorm: number;
  readonly updateNorm: number;
  readonly meanSnr?: number;
  readonly stepSize: number;
  readonly damping?: number;
  readonly batchSize: number;
}

/** Sums of squares inside this range lost nothing to overflow or underflow (as `norm2`). */
const SAFE_LOW = 2 ** -900;
const SAFE_HIGH = 2 ** 900;

type Rule = 'sgd' | 'ngd' | 'efgd' | 'snr';

export class FusedStatisticsStep {
  private readonly rule: Rule;
  private readonly stepSize: (t: number) => number;
  private readonly damping: ((t: number) => number) | undefined;

  private constructor(private readonly config: ResolvedSessionConfig, rule: Rule) {
    this.rule = rule;
    const spec = config.optimizer;
    this.stepSize = checkedSchedule(makeSchedule(spec.stepSize), 'optimizer.stepSize', 'positive');
    this.damping = rule === 'ngd' || rule === 'efgd'
      ? checkedSchedule(makeSchedule(spec.damping ?? DEFAULT_DAMPING), 'optimizer.damping', 'nonNegative')
      : undefined;
  }

  /**
   * The fused step for `config` on the backend named `backend`, or undefined when the configuration is not
   * one it covers. GPU.js backends solve in their own kernels (`diagSolve`), whose bits this pass would not
   * reproduce: there the solving rules (ngd, efgd) keep the general path.
   */
  static for(config: ResolvedSessionConfig, backend: string): FusedStatisticsStep | undefined {
    const spec = config.optimizer;
    if ((spec.momentum ?? 0) !== 0 || (spec.weightDecay ?? 0) !== 0) return undefined;
    if (sessionStructure(config).kind !== 'diagonal') return undefined;
    const { empiricalFisher, fisher, noise } = config.track;
    const needs: Record<Rule, [boolean, boolean, boolean]> = {
      sgd: [false, false, false], ngd: [false, true, false], efgd: [true, false, false], snr: [false, false, true],
    };
    const name = spec.name;
    if (name !== 'sgd' && name !== 'ngd' && name !== 'efgd' && name !== 'snr') return undefined;
    if (name === 'snr' && (spec.snrVariance ?? 'noise') !== 'noise') return undefined;
    const [e, f, n] = needs[name];
    if (empiricalFisher !== e || fisher !== f || noise !== n) return undefined;
    if ((name === 'ngd' || name === 'efgd') && backend !== 'reference' && backend !== 'openblas') return undefined;
    return new FusedStatisticsStep(config, name);
  }

  /**
   * Runs the step of `contributions` (validated for shapes, not yet for values) and commits it, or returns
   * undefined with nothing changed when they are not a case it covers (several workers; the noise with
   * b < 2; K differing between blocks) or when anything would make the general path throw or take a slow
   * branch: the session then runs the general path. Only the schedules' INVALID_CONFIG is thrown here, as
   * the general path throws it, before anything changed.
   */
  run(contributions: readonly StepContribution[], requirements: ContributionRequirements, access: FusedDiagonalAccess | undefined): FusedStepOutcome | undefined {
    if (contributions.length !== 1 || access === undefined) return undefined;
    const c = contributions[0]!;
    // Diagonal moments only (a Kronecker block makes the estimates non-diagonal: `access` is undefined then).
    if (c.statistics === undefined || c.statistics.some((entry) => entry.kind !== 'diagonal')) return undefined;
    const statistics = c.statistics as readonly DiagonalBlockStatistics[];
    const b = c.batchSize;
    if (this.rule === 'snr' && b < 2) return undefined; // the general path names the problem
    const step = c.step;
    const damping = this.damping?.(step - 1);
    const gamma = this.stepSize(step - 1);
    const mean = c.reduction === 'mean';
    // The general path's multipliers (statistics.ts `multipliers`, `mergeStatistics`, estimator `fold`).
    const meanFactor = (mean ? b : 1) / b;
    const squaresFactor = mean ? b * b : 1;
    const exact = this.config.fisherSource === 'exact';
    let part: FusedDiagonalPart | undefined;
    let scale = 0;
    let inputFactor = 0;
    if (this.rule === 'efgd') {
      part = access.empiricalFisher;
      scale = 1 / b;
      inputFactor = squaresFactor;
    } else if (this.rule === 'snr') {
      part = access.noise;
      scale = 1 / (b * (b - 1));
      inputFactor = squaresFactor;
    } else if (this.rule === 'ngd') {
      part = access.fisher;
      const k = exact ? 1 : statistics[0]!.moments.samplesPerExample!;
      for (const entry of statistics) {
        if (!exact && entry.moments.samplesPerExample !== k) return undefined; // the general path names it
      }
      scale = exact ? 1 / b : 1 / (b * k);
      inputFactor = exact ? (mean ? b : 1) : squaresFactor;
    }
    const { decay } = access;
    const alpha = (1 - decay) * scale;
    const meanCorrection = access.meanGradCorrection;
    const rho = this.rule === 'snr' ? emaVarianceFactor(decay, access.stepsAfter) : 0;
    const update = uninitializedFloat32(this.config.dim);
    const totals: Totals = { grad: 0, update: 0, trace: 0, snr: 0, finite: 0, minSquare: 0, minState: Infinity };
    const entries = [...statistics].map((entry) => ({ entry, offset: offsetOf(entry.block, requirements) })).sort((x, y) => x.offset - y.offset);
    for (const { entry, offset } of entries) {
      const m = entry.moments;
      const squares = this.rule === 'efgd' ? m.sumSquares : this.rule === 'snr' ? m.centredSquares
        : this.rule === 'ngd' ? (exact ? m.factorSquares : m.sampledLabelSquares) : undefined;
      if (part === undefined || squares === undefined) {
        sgdPass(m.sum, offset, meanFactor, access, gamma, update, totals);
      } else if (this.rule === 'snr') {
        snrPass(m.sum, squares, offset, meanFactor, inputFactor, alpha, decay, part, access, rho, gamma, update, totals);
      } else {
        solvePass(m.sum, squares, offset, meanFactor, inputFactor, alpha, decay, part, access, damping!, gamma, update, totals);
      }
    }
    // Anything unusual (a bad input value, an estimate overflowing its storage, a singular solve at λ = 0, a
    // non-finite update, norms near over- or underflow): nothing is committed, and the general path runs the
    // step again from the same state, throwing (or computing) exactly what it always has.
    const trace = part === undefined ? 0 : totals.trace * part.correction;
    if (totals.finite !== 0 || !(totals.minSquare >= 0) || !Number.isFinite(trace) || (damping === 0 && !(totals.minState > 0))) return undefined;
    if (!(totals.grad > SAFE_LOW && totals.grad < SAFE_HIGH) || !(totals.update > SAFE_LOW && totals.update < SAFE_HIGH)) return undefined;
    access.commit();
    const gradNorm = Math.sqrt(totals.grad);
    const updateNorm = Math.sqrt(totals.update);
    return {
      update, gradNorm, updateNorm, stepSize: gamma, batchSize: b,
      ...(damping === undefined ? {} : { damping }),
      ...(this.rule === 'snr' ? { meanSnr: this.config.dim > 0 ? totals.snr / this.config.dim : 0 } : {}),
    };
  }
}

/**
 * A fresh float32 array of `n` entries, not zero-filled: the pass writes every entry before anyone reads it
 * (the entries cover the vector), and a zeroed allocation of a D-long array cost ~2 ns per coordinate here
 * (calloc's page clearing), a third of the pass.
 */
function uninitializedFloat32(n: number): Float32Array {
  const bytes = Buffer.allocUnsafeSlow(4 * n);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

function offsetOf(block: string, req: ContributionRequirements): number {
  if (block === '') return 0;
  let offset = 0;
  for (const b of req.blocks) {
    if (b.name === block) return offset;
    offset += b.size;
  }
  return offset;
}

/**
 * The pass's sums. The checks are branch-free (a branch per value per check cost ~1 ns per coordinate):
 * `finite` sums x − x over the inputs and the float32 update (0 while all are finite, NaN from the first
 * NaN or ±Inf on), `minSquare` and `minState` are the smallest second moment (< 0: invalid) and the
 * smallest new diagonal entry (≤ 0 matters for a solve with λ = 0). On any alarm the general path reruns
 * the step and names the value.
 */
interface Totals { grad: number; update: number; trace: number; snr: number; finite: number; minSquare: number; minState: number }

/** sgd: Δθ = −γ ḡ, ḡ's EMA only. */
function sgdPass(sum: StatisticsVector, offset: number, meanFactor: number, access: FusedDiagonalAccess, gamma: number, update: Float32Array, t: Totals): void {
  const { decay, meanGradSum: G, nextMeanGradSum: Gn, meanGradCorrection: cg } = access;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let finite = t.finite;
  for (let j = 0; j < n; j++) {
    const i = offset + j;
    const s = sum[j]!;
    const gs = decay * G[i]! + (1 - decay) * (0 + meanFactor * s);
    Gn[i] = gs;
    const g = gs * cg;
    grad += g * g;
    // sgd's chain is scaleByLearningRate alone: Δθ = −γ·ḡ
    const u = -gamma * g;
    upd += u * u;
    const f = Math.fround(u);
    update[i] = f;
    finite += (s - s) + (f - f);
  }
  t.grad = grad;
  t.update = upd;
  t.finite = finite;
}

/** ngd / efgd: d ← βd + α·q, Δθ = −γ (d·c + λ)⁻¹ ḡ (the solve in the estimate's storage precision). */
function solvePass(sum: StatisticsVector, squares: StatisticsVector, offset: number, meanFactor: number, inputFactor: number, alpha: number,
  decay: number, part: FusedDiagonalPart, access: FusedDiagonalAccess, damping: number, gamma: number, update: Float32Array, t: Totals): void {
  const { meanGradSum: G, nextMeanGradSum: Gn, meanGradCorrection: cg } = access;
  const d: Vec = part.state;
  const dn: Vec = part.next;
  const cp = part.correction;
  if (dn instanceof Float32Array) solvePass32(sum, squares, offset, meanFactor, inputFactor, alpha, decay, G, Gn, cg, d as Float32Array, dn, cp, damping, gamma, update, t);
  else solvePass64(sum, squares, offset, meanFactor, inputFactor, alpha, decay, G, Gn, cg, d as Float64Array, dn, cp, damping, gamma, update, t);
}

// The float32 and float64 copies of each pass below are deliberate (as in curvature/validate.ts): each loop
// stays monomorphic in its array types, and the float32 one rounds where the float32 storage rounds.
function solvePass32(sum: StatisticsVector, squares: StatisticsVector, offset: number, meanFactor: number, inputFactor: number, alpha: number,
  decay: number, G: Float64Array, Gn: Float64Array, cg: number, d: Float32Array, dn: Float32Array, cp: number, damping: number, gamma: number,
  update: Float32Array, t: Totals): void {
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  let finite = t.finite;
  let minSquare = t.minSquare;
  let minState = t.minState;
  for (let j = 0; j < n; j++) {
    const i = offset + j;
    const s = sum[j]!;
    const q = squares[j]!;
    // the merge (0 + factor·v), ḡ's EMA, the estimate's EMA (`scaled(β, d)`: 0 when β = 0)
    const gs = decay * G[i]! + (1 - decay) * (0 + meanFactor * s);
    Gn[i] = gs;
    const di = Math.fround((decay === 0 ? 0 : decay * d[i]!) + alpha * (0 + inputFactor * q));
    dn[i] = di;
    trace += di;
    minSquare = q < minSquare ? q : minSquare;
    minState = di < minState ? di : minState;
    const g = gs * cg;
    grad += g * g;
    // the solve in float32 storage (diagSolve into a float32 scratch), then Δθ = −γ·x
    const u = -gamma * Math.fround(g / (di * cp + damping));
    upd += u * u;
    const f = Math.fround(u);
    update[i] = f;
    finite += (s - s) + (q - q) + (f - f);
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
  t.finite = finite;
  t.minSquare = minSquare;
  t.minState = minState;
}

function solvePass64(sum: StatisticsVector, squares: StatisticsVector, offset: number, meanFactor: number, inputFactor: number, alpha: number,
  decay: number, G: Float64Array, Gn: Float64Array, cg: number, d: Float64Array, dn: Float64Array, cp: number, damping: number, gamma: number,
  update: Float32Array, t: Totals): void {
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  let finite = t.finite;
  let minSquare = t.minSquare;
  let minState = t.minState;
  for (let j = 0; j < n; j++) {
    const i = offset + j;
    const s = sum[j]!;
    const q = squares[j]!;
    const gs = decay * G[i]! + (1 - decay) * (0 + meanFactor * s);
    Gn[i] = gs;
    const di = (decay === 0 ? 0 : decay * d[i]!) + alpha * (0 + inputFactor * q);
    dn[i] = di;
    trace += di;
    minSquare = q < minSquare ? q : minSquare;
    minState = di < minState ? di : minState;
    const g = gs * cg;
    grad += g * g;
    const u = -gamma * (g / (di * cp + damping));
    upd += u * u;
    const f = Math.fround(u);
    update[i] = f;
    finite += (s - s) + (q - q) + (f - f);
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
  t.finite = finite;
  t.minSquare = minSquare;
  t.minState = minState;
}

/** snr: S ← βS + α·M2, D_ii = ḡ_i²/(ḡ_i² + ρ·S_ii), Δθ = −γ D ḡ. */
function snrPass(sum: StatisticsVector, squares: StatisticsVector, offset: number, meanFactor: number, inputFactor: number, alpha: number,
  decay: number, part: FusedDiagonalPart, access: FusedDiagonalAccess, rho: number, gamma: number, update: Float32Array, t: Totals): void {
  const { meanGradSum: G, nextMeanGradSum: Gn, meanGradCorrection: cg } = access;
  const d = part.state;
  const dn = part.next;
  const cp = part.correction;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  let snr = t.snr;
  let finite = t.finite;
  let minSquare = t.minSquare;
  for (let j = 0; j < n; j++) {
    const i = offset + j;
    const s = sum[j]!;
    const q = squares[j]!;
    const gs = decay * G[i]! + (1 - decay) * (0 + meanFactor * s);
    Gn[i] = gs;
    dn[i] = (decay === 0 ? 0 : decay * d[i]!) + alpha * (0 + inputFactor * q);
    const di = dn[i]!; // as stored (float32 storage rounds)
    trace += di;
    minSquare = q < minSquare ? q : minSquare;
    const g = gs * cg;
    grad += g * g;
    const signal = g * g;
    const denominator = signal + rho * Math.max(di * cp, 0);
    const factor = denominator > 0 ? Math.min(signal / denominator, 1) : 0;
    snr += factor;
    const u = -gamma * (factor * g);
    upd += u * u;
    const f = Math.fround(u);
    update[i] = f;
    finite += (s - s) + (q - q) + (f - f);
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
  t.snr = snr;
  t.finite = finite;
  t.minSquare = minSquare;
}
