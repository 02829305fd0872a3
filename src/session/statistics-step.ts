/**
 * A diagonal step from one worker's statistics in one pass over the coordinates (issue 13's ≤ 5 ns per
 * coordinate): the merge of the statistics (src/session/statistics.ts), the fold into ḡ's EMA and into the
 * tracked diagonal estimate (`CurvatureEstimator.updateFromSummary`), the solve or SNR factors of the rule,
 * the step size, the float32 update and the diagnostics (‖ḡ‖, ‖Δθ‖, mean SNR) — each of which is a pass
 * over D of its own in the general path (~60 passes of a float64 vector per step before).
 *
 * It computes what the general path computes, operation for operation in the same order (the same bits;
 * test/session/statistics-step.test.ts compares the two), for the configurations it covers: rules sgd, ngd
 * (sampled labels or exact factors), efgd and snr (noise variance), without momentum or weight decay, with
 * damping > 0, on the diagonal structure or parameter blocks that are all diagonal (a PyTorch model's
 * layers), tracking the estimate the rule needs — and for ngd and efgd optionally the other Fisher, which
 * the pass folds too and whose solve gives the monitor's `cosineEfFisher` (the paper's diagnostic) in the
 * same pass — and one worker. Anything else returns undefined and the session takes the general path.
 *
 * Checks: the input values are scanned once, on arrival (`validateContribution`, which marks them; a
 * contribution not validated that way is scanned here first). Storage overflow of the estimate and a float32
 * update out of range show in the pass's sums (its trace, Σ u²), so the loop itself checks nothing.
 *
 * Atomicity without a checkpoint copy: the next state is written into spare arrays
 * (`CurvatureEstimator.fusedDiagonal`) and committed only once every check passed; a throw leaves the
 * session exactly as it was.
 *
 * The passes themselves (src/session/statistics-passes.ts) run as native kernels where the library is built,
 * else as JavaScript loops: the same bits either way.
 */
import type { FusedDiagonalAccess, FusedDiagonalPart } from '../curvature/estimator.js';
import { checkedSchedule, makeSchedule } from '../optim/schedule.js';
import { DEFAULT_DAMPING } from '../optim/spec.js';
import { emaVarianceFactor } from '../optim/variance-adaptation.js';
import { statisticsValuesChecked, type ContributionRequirements, type StepContribution } from './contribution.js';
import { sessionStructure, type ResolvedSessionConfig } from './config.js';
import { diagonalPasses, type CompanionParameters, type PassParameters, type Totals } from './statistics-passes.js';
import { validateStatistics, type DiagonalBlockStatistics } from './statistics.js';

/** What a fused step gives back to the session (which builds its `StepResult`). */
export interface FusedStepOutcome {
  readonly update: Float32Array;
  readonly gradNorm: number;
  readonly updateNorm: number;
  readonly meanSnr?: number;
  /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ) when both Fishers are tracked (the monitor's diagnostic). */
  readonly cosineEfFisher?: number;
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
    // The diagonal structure, or parameter blocks that are all diagonal (per-layer diagonal blocks).
    const structure = sessionStructure(config);
    if (structure.kind !== 'diagonal' && !(structure.kind === 'blocks' && structure.blocks.every((b) => b.structure.kind === 'diagonal'))) return undefined;
    const { empiricalFisher, fisher, noise } = config.track;
    const needs: Record<Rule, [boolean, boolean, boolean]> = {
      sgd: [false, false, false], ngd: [false, true, false], efgd: [true, false, false], snr: [false, false, true],
    };
    const name = spec.name;
    if (name !== 'sgd' && name !== 'ngd' && name !== 'efgd' && name !== 'snr') return undefined;
    if (name === 'snr' && (spec.snrVariance ?? 'noise') !== 'noise') return undefined;
    const [e, f, n] = needs[name];
    // ngd and efgd may track the other Fisher too: the pass then folds it and computes the monitor's
    // cosineEfFisher from the two diagonal solves.
    const companion = (name === 'ngd' && empiricalFisher && !e) || (name === 'efgd' && fisher && !f);
    if ((empiricalFisher !== e || fisher !== f || noise !== n) && !(companion && !noise)) return undefined;
    if ((name === 'ngd' || name === 'efgd') && backend !== 'reference' && backend !== 'openblas') return undefined;
    return new FusedStatisticsStep(config, name);
  }

  /**
   * Runs the step of `contributions` (validated for shapes; for values too when `validateContribution`
   * scanned them) and commits it, or returns undefined with nothing changed when they are not a case it
   * covers (several workers; the noise with b < 2; K differing between blocks; λ = 0) or when anything would
   * make the general path throw or take a slow branch: the session then runs the general path. Thrown here,
   * before anything changed, as the general path throws them: the schedules' INVALID_CONFIG, and the
   * errors of the value scan (NON_FINITE, INVALID_CONFIG for a negative second moment). `updateArray`
   * gives the D-long array the update is written into (every entry; default a fresh one).
   */
  run(contributions: readonly StepContribution[], requirements: ContributionRequirements, access: FusedDiagonalAccess | undefined,
    updateArray: () => Float32Array = () => uninitializedFloat32(this.config.dim)): FusedStepOutcome | undefined {
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
    // A solve at λ = 0 needs every entry > 0, which this pass does not track: the general path checks it.
    if (damping === 0) return undefined;
    // The values: scanned on arrival by the daemon (validateContribution), otherwise here, as the general
    // path scans them first (the same errors).
    if (!statisticsValuesChecked(c)) validateStatistics(c, requirements);
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
      const f = fisherFold(statistics, exact, b, mean);
      if (f === undefined) return undefined; // the general path names it
      ({ scale, inputFactor } = f);
    }
    // The other Fisher, when tracked beside the rule's (ngd with Ẽ, efgd with F): folded in the same pass, its
    // solve only for the cosine.
    let other: FusedDiagonalPart | undefined;
    let otherScale = 0;
    let otherInputFactor = 0;
    if (this.rule === 'ngd' && access.empiricalFisher !== undefined) {
      other = access.empiricalFisher;
      otherScale = 1 / b;
      otherInputFactor = squaresFactor;
    } else if (this.rule === 'efgd' && access.fisher !== undefined) {
      other = access.fisher;
      const f = fisherFold(statistics, exact, b, mean);
      if (f === undefined) return undefined; // the general path names it
      ({ scale: otherScale, inputFactor: otherInputFactor } = f);
    }
    const { decay } = access;
    const p: PassParameters = {
      decay, meanFactor, inputFactor, alpha: (1 - decay) * scale, cg: access.meanGradCorrection, gamma, damping: damping ?? 0,
      rho: this.rule === 'snr' ? emaVarianceFactor(decay, access.stepsAfter) : 0,
    };
    const update = updateArray();
    const totals: Totals = { grad: 0, update: 0, trace: 0, snr: 0, otherTrace: 0, ruleSquares: 0, otherSquares: 0, product: 0 };
    const q2: CompanionParameters = { alpha: (1 - decay) * otherScale, inputFactor: otherInputFactor };
    const passes = diagonalPasses();
    const G = access.meanGradSum;
    const Gn = access.nextMeanGradSum;
    // Each entry's coordinates, cut where the estimate's segments (its parameter blocks) change; every
    // pass below reads and writes views that start at the same coordinate.
    const entries = [...statistics].map((entry) => ({ entry, offset: offsetOf(entry.block, requirements) })).sort((x, y) => x.offset - y.offset);
    for (const { entry, offset } of entries) {
      const m = entry.moments;
      const n = m.sum.length;
      const squares = this.rule === 'efgd' ? m.sumSquares : this.rule === 'snr' ? m.centredSquares
        : this.rule === 'ngd' ? (exact ? m.factorSquares : m.sampledLabelSquares) : undefined;
      if (part === undefined || squares === undefined) {
        passes.sgd(m.sum, G.subarray(offset, offset + n), Gn.subarray(offset, offset + n), update.subarray(offset, offset + n), p, totals);
        continue;
      }
      const otherSquares = other === undefined ? undefined
        : this.rule === 'ngd' ? m.sumSquares : (exact ? m.factorSquares : m.sampledLabelSquares);
      if (other !== undefined && otherSquares === undefined) return undefined; // the general path names it
      part.segments.forEach((segment, k) => {
        const lo = Math.max(offset, segment.offset);
        const hi = Math.min(offset + n, segment.offset + segment.state.length);
        if (lo >= hi) return;
        const s = m.sum.subarray(lo - offset, hi - offset);
        const q = squares.subarray(lo - offset, hi - offset);
        const d = segment.state.subarray(lo - segment.offset, hi - segment.offset);
        const dn = segment.next.subarray(lo - segment.offset, hi - segment.offset);
        const g = G.subarray(lo, hi);
        const gn = Gn.subarray(lo, hi);
        const u = update.subarray(lo, hi);
        if (other !== undefined) {
          const o = other.segments[k]!; // the same structure: the same segments
          const q2v = otherSquares!.subarray(lo - offset, hi - offset);
          const d2 = o.state.subarray(lo - o.offset, hi - o.offset);
          const dn2 = o.next.subarray(lo - o.offset, hi - o.offset);
          passes.cosine(s, q, q2v, g, gn, d, dn, segment.correction, d2, dn2, o.correction, u, p, q2, totals);
        } else if (this.rule === 'snr') passes.snr(s, q, g, gn, d, dn, segment.correction, u, p, totals);
        else passes.solve(s, q, g, gn, d, dn, segment.correction, u, p, totals);
      });
    }
    // Anything unusual (an estimate overflowing its storage, a float32 update out of range, norms near over-
    // or underflow): nothing is committed, and the general path runs the step again from the same state,
    // throwing (or computing) exactly what it always has. (The inputs are finite: checked above.)
    if (!Number.isFinite(totals.trace * (part?.segments[0]?.correction ?? 1))) return undefined;
    // Σ u² ≤ FLT_MAX² holds every |u| ≤ FLT_MAX, whose float32 rounding is finite (and is false for a NaN).
    if (!(totals.update <= FLOAT32_MAX * FLOAT32_MAX)) return undefined;
    if (!(totals.grad > SAFE_LOW && totals.grad < SAFE_HIGH) || !(totals.update > SAFE_LOW && totals.update < SAFE_HIGH)) return undefined;
    let cosineEfFisher: number | undefined;
    if (other !== undefined) {
      if (!Number.isFinite(totals.otherTrace * (other.segments[0]?.correction ?? 1))) return undefined;
      // vec.ts `cosine(efDirection, fisherDirection)`: its three sums, in its order; outside the safe range the
      // general path rescales (and computes it).
      const [xx, yy] = this.rule === 'ngd' ? [totals.otherSquares, totals.ruleSquares] : [totals.ruleSquares, totals.otherSquares];
      if (!(xx > SAFE_LOW && xx < SAFE_HIGH && yy > SAFE_LOW && yy < SAFE_HIGH)) return undefined;
      cosineEfFisher = totals.product / (Math.sqrt(xx) * Math.sqrt(yy));
    }
    access.commit();
    const gradNorm = Math.sqrt(totals.grad);
    const updateNorm = Math.sqrt(totals.update);
    return {
      update, gradNorm, updateNorm, stepSize: gamma, batchSize: b,
      ...(damping === undefined ? {} : { damping }),
      ...(this.rule === 'snr' ? { meanSnr: this.config.dim > 0 ? totals.snr / this.config.dim : 0 } : {}),
      ...(cosineEfFisher === undefined ? {} : { cosineEfFisher }),
    };
  }
}

/**
 * A fresh float32 array of `n` entries, not zero-filled: the pass writes every entry before anyone reads it
 * (the entries cover the vector), and a zeroed allocation of a D-long array cost ~2 ns per coordinate here
 * (calloc's page clearing), a third of the pass.
 */
export function uninitializedFloat32(n: number): Float32Array {
  const bytes = Buffer.allocUnsafeSlow(4 * n);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}

/**
 * The Fisher's EMA scale and input factor (the general path's `mergeStatistics` and `fold`): sampled labels
 * 1/(bK) on Σ r̃² (×b² for mean-reduced sums), exact factors 1/b on Σ u² (×b for mean-reduced); undefined
 * when K differs between blocks (the general path names it).
 */
function fisherFold(statistics: readonly DiagonalBlockStatistics[], exact: boolean, b: number, mean: boolean): { scale: number; inputFactor: number } | undefined {
  if (exact) return { scale: 1 / b, inputFactor: mean ? b : 1 };
  const k = statistics[0]!.moments.samplesPerExample!;
  if (statistics.some((entry) => entry.moments.samplesPerExample !== k)) return undefined;
  return { scale: 1 / (b * k), inputFactor: mean ? b * b : 1 };
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

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

