/**
 * Statistics contributions (proto `BlockStatistics`, math.md "Statistics contributions"): instead of its
 * b_w·D rows, a worker sends per parameter block D_k-vectors of sums over them, computed on its own
 * device. For diagonal estimates these are all a step needs (`DiagonalBatchSummary`), so a step from
 * statistics is `stepFromSummary` of their merge, and W workers' statistics merge exactly:
 *
 *   b  = Σ_w b_w                           ḡ  = (1/b) Σ_w s_w              (s_w = Σ_n g_n)
 *   Q  = Σ_w Q_w                           (Q_w = Σ_n g_n∘g_n; the empirical Fisher)
 *   M2 = Σ_w M2_w + Σ_w b_w (ḡ_w − ḡ)∘(ḡ_w − ḡ)   (M2_w = Σ_n (g_n − ḡ_w)∘(g_n − ḡ_w); the noise)
 *   F  = Σ_w F_w                           (Σ_{n,k} g̃∘g̃ or Σ_{n,c} u∘u; the Fisher)
 *
 * The noise travels as the centred M2_w, which a client computes in two passes over its rows (ḡ_w, then
 * Σ (g_n − ḡ_w)²) without cancellation, and merges with Chan, Golub & LeVeque's parallel rule (1979): no
 * term is a difference of large numbers, so the noise stays accurate when |ḡ| ≫ its spread. Recovering it
 * from Q − s∘s/b instead would lose every digit there (SNR 10⁸ in float32) — the same reason the row path
 * uses the shifted-data rule (src/curvature/estimator.ts `summarize`).
 *
 * The vectors arrive scaled as the rows they replace (`Reduction`): for 'mean' the rows are g_n/b_w and
 * u/√b_w, so s_w, Q_w, M2_w and Σ g̃∘g̃ are multiplied by b_w, b_w², b_w², b_w² and Σ u∘u by b_w.
 */
import { allocateSummary, type DiagonalBatchSummary } from '../curvature/batch-summary.js';
import type { MeanSegment } from '../curvature/estimator.js';
import type { FactoredSlices, LowRankTerm } from '../curvature/symmetric-estimate.js';
import { firstNonFinite } from '../curvature/validate.js';
import { NATIVE_MIN_LENGTH, activeNativeKernels } from '../linalg/native-kernels.js';
import { scannedFinite, scannedNonNegative } from '../linalg/scanned-values.js';
import { FisherdError } from '../errors.js';
import type { ContributionRequirements, StepContribution } from './contribution.js';
import type { FisherSource } from './config.js';
import { gradientSum, validateKroneckerEntry, type KroneckerStatistics } from './kronecker-statistics.js';

/** A float vector of a statistics contribution (float64 after decoding from the wire). */
export type StatisticsVector = Float32Array | Float64Array;

/** Per-coordinate sums over a worker's b_w examples of the rows r_n as the client holds them. */
export interface DiagonalMoments {
  /** b_w, the examples summed; equals the contribution's batchSize. */
  readonly count: number;
  /** Σ_n r_n (always). */
  readonly sum: StatisticsVector;
  /** Σ_n r_n∘r_n (≥ 0): the empirical Fisher. */
  readonly sumSquares?: StatisticsVector;
  /** M2_w = Σ_n (r_n − r̄)∘(r_n − r̄) (≥ 0), two-pass: the noise covariance. */
  readonly centredSquares?: StatisticsVector;
  /** Σ_n Σ_k r̃_{n,k}∘r̃_{n,k} (≥ 0) over K sampled-label rows per example: the Monte-Carlo Fisher. */
  readonly sampledLabelSquares?: StatisticsVector;
  /** K ≥ 1, with `sampledLabelSquares`. */
  readonly samplesPerExample?: number;
  /** Σ_n Σ_c u_{n,c}∘u_{n,c} (≥ 0) over the exact factor rows: the exact Fisher. */
  readonly factorSquares?: StatisticsVector;
}

/**
 * One block's statistics: diagonal moments, or (for a `{ kind: 'kronecker' }` block) Kronecker statistics
 * (src/session/kronecker-statistics.ts).
 */
export type BlockStatistics =
  | {
    /** The parameter block's name; '' = the whole parameter vector (then the only entry). */
    readonly block: string;
    readonly kind: 'diagonal';
    readonly moments: DiagonalMoments;
  }
  | {
    readonly block: string;
    readonly kind: 'kronecker';
    readonly kronecker: KroneckerStatistics;
  };

/** A block's diagonal statistics (the diagonal member of `BlockStatistics`). */
export type DiagonalBlockStatistics = Extract<BlockStatistics, { kind: 'diagonal' }>;

/** The vectors of `DiagonalMoments`, with the field names clients see. */
const MOMENT_VECTORS = ['sum', 'sumSquares', 'centredSquares', 'sampledLabelSquares', 'factorSquares'] as const;
type MomentVector = (typeof MOMENT_VECTORS)[number];

/** The row fields a statistics contribution must not carry as well. */
const ROW_FIELDS = ['perExampleGrads', 'sampledLabelGrads', 'fisherFactorRows', 'meanGrad'] as const;

/** Where each entry's vectors go: [offset, size] in the parameter vector. */
function entryRange(entry: BlockStatistics, req: ContributionRequirements): {
  offset: number; size: number; diagonal: boolean; kronecker: ContributionRequirements['blocks'][number]['kronecker'];
} {
  if (entry.block === '') {
    return { offset: 0, size: req.dim, diagonal: req.blocks.every((b) => b.diagonal), kronecker: req.blocks.length === 1 ? req.blocks[0]!.kronecker : undefined };
  }
  let offset = 0;
  for (const block of req.blocks) {
    if (block.name === entry.block) return { offset, size: block.size, diagonal: block.diagonal, kronecker: block.kronecker };
    offset += block.size;
  }
  throw new Error('unreachable: validated block'); // validateStatistics checked the name
}

/** The Fisher quantity a session with `source` needs, and its field. */
function fisherField(source: FisherSource): MomentVector {
  return source === 'exact' ? 'factorSquares' : 'sampledLabelSquares';
}

/**
 * Validates a statistics contribution (`c.statistics` present) against the session: no rows beside it;
 * entries naming known blocks once each (or one whole-vector entry) and covering all of them; every block
 * diagonal when an estimate is tracked; counts equal to batchSize; vectors of the block's size, finite,
 * second moments ≥ 0; the sums the tracked estimates need present. Throws SHAPE_MISMATCH, UNKNOWN_BLOCK,
 * NON_FINITE, INVALID_CONFIG or MISSING_INPUT naming the field (`statistics[i].diagonal.sumSquares`).
 */
export function validateStatistics(c: StepContribution, req: ContributionRequirements, options: { values?: boolean } = {}): void {
  const scanValues = options.values !== false;
  const step = c.step;
  const statistics = c.statistics!;
  const error = (code: 'SHAPE_MISMATCH' | 'INVALID_CONFIG' | 'MISSING_INPUT' | 'UNKNOWN_BLOCK', field: string, message: string) =>
    new FisherdError(code, `${field} ${message}`, { field, step });
  for (const row of ROW_FIELDS) {
    if (c[row] !== undefined) {
      throw error('INVALID_CONFIG', 'statistics', `cannot come with ${row}: a contribution sends either rows or statistics`);
    }
  }
  if (!Array.isArray(statistics) || statistics.length === 0) {
    throw error('SHAPE_MISMATCH', 'statistics', 'must list at least one parameter block (or one entry with an empty block name for all of them)');
  }
  const tracksAny = req.track.empiricalFisher || req.track.noise || req.track.fisher;
  const seen = new Set<string>();
  let samplesPerExample: number | undefined;
  statistics.forEach((entry, i) => {
    const at = `statistics[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw error('SHAPE_MISMATCH', at, 'must be a record');
    const kind = (entry as { kind?: unknown }).kind;
    if (!(kind === 'diagonal' && typeof (entry as { moments?: unknown }).moments === 'object' && (entry as { moments?: unknown }).moments !== null) &&
        !(kind === 'kronecker' && typeof (entry as { kronecker?: unknown }).kronecker === 'object' && (entry as { kronecker?: unknown }).kronecker !== null)) {
      throw error('INVALID_CONFIG', `${at}.kind`, `must be 'diagonal' with its moments or 'kronecker' with its statistics, got ${String(kind)}`);
    }
    if (typeof entry.block !== 'string') throw error('SHAPE_MISMATCH', `${at}.block`, 'must be a string');
    if (entry.block === '' && statistics.length > 1) {
      throw error('INVALID_CONFIG', `${at}.block`, `is empty (the whole parameter vector), so it must be the only entry, but there are ${statistics.length}`);
    }
    if (entry.block !== '' && !req.blocks.some((b) => b.name === entry.block)) {
      throw error('UNKNOWN_BLOCK', `${at}.block`, `"${entry.block}" is not a parameter block of the session; blocks: ${req.blocks.map((b) => b.name).join(', ')}`);
    }
    if (seen.has(entry.block)) throw error('SHAPE_MISMATCH', `${at}.block`, `"${entry.block}" appears twice`);
    seen.add(entry.block);
    const { size, diagonal, kronecker } = entryRange(entry, req);
    if (entry.kind === 'kronecker') {
      if (kronecker === undefined) {
        throw error('INVALID_CONFIG', `${at}.kronecker`,
          `feeds kronecker blocks only, and ${entry.block === '' ? 'the session is not one kronecker block' : `the session's block "${entry.block}" is not kronecker`}: send diagonal moments for it`);
      }
      const k = validateKroneckerEntry(entry.kronecker, kronecker, size, c, req, `${at}.kronecker`, scanValues);
      if (k !== undefined) {
        if (samplesPerExample !== undefined && k !== samplesPerExample) {
          throw error('SHAPE_MISMATCH', `${at}.kronecker.factors.samplesPerExample`, `is ${k}, but ${samplesPerExample} in an earlier block: K is the same for all`);
        }
        samplesPerExample = k;
      }
      return;
    }
    if (tracksAny && kronecker !== undefined && entry.block !== '' ) {
      throw error('INVALID_CONFIG', `${at}.diagonal`,
        `cannot feed the session's kronecker block "${entry.block}": send its KroneckerStatistics (the gradient sum, and the factors)`);
    }
    if (tracksAny && !diagonal) {
      const which = entry.block === '' ? req.blocks.filter((b) => !b.diagonal).map((b) => `"${b.name}"`).join(', ') : `"${entry.block}"`;
      throw error('INVALID_CONFIG', `${at}.diagonal`,
        `feeds diagonal estimates only, and the session's block ${which} is not diagonal: send per-example rows for it, or configure { kind: 'diagonal' }`);
    }
    const m = entry.moments;
    const base = `${at}.diagonal`;
    if (m.count !== c.batchSize) {
      throw error('SHAPE_MISMATCH', `${base}.count`, `is ${String(m.count)}, but batchSize is ${c.batchSize}: every block sums over the same b_w examples`);
    }
    const missing = (name: MomentVector, why: string) => {
      if (m[name] === undefined) throw error('MISSING_INPUT', `${base}.${name}`, `is required: ${why}`);
    };
    missing('sum', 'ḡ comes from it');
    if (req.track.empiricalFisher) missing('sumSquares', 'the session tracks the empirical Fisher');
    if (req.track.noise) missing('centredSquares', 'the session tracks the noise covariance');
    if (req.fisher !== false) missing(fisherField(req.fisher), `the session tracks the Fisher with fisherSource '${req.fisher}'`);
    for (const name of MOMENT_VECTORS) {
      const v = m[name];
      if (v === undefined) continue;
      const field = `${base}.${name}`;
      if (!(v instanceof Float32Array || v instanceof Float64Array)) throw error('SHAPE_MISMATCH', field, 'must be a Float32Array or Float64Array');
      if (v.length !== size) throw error('SHAPE_MISMATCH', field, `has length ${v.length}, expected ${size} (block "${entry.block || 'all'}")`);
      if (!scanValues) continue;
      const squares = name !== 'sum';
      const j = squares ? firstBadSquare(v) : firstNonFiniteValue(v);
      if (j < 0) continue;
      const x = v[j]!;
      if (!Number.isFinite(x)) throw new FisherdError('NON_FINITE', `${field}[${j}] is ${x}; every value must be finite`, { field, step });
      throw new FisherdError('INVALID_CONFIG', `${field}[${j}] is ${x}; a sum of squares is ≥ 0`, { field, step });
    }
    if (m.sampledLabelSquares !== undefined) {
      const k = m.samplesPerExample;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw error('SHAPE_MISMATCH', `${base}.samplesPerExample`, `must be an integer ≥ 1, got ${String(k)}`);
      if (samplesPerExample !== undefined && k !== samplesPerExample) {
        throw error('SHAPE_MISMATCH', `${base}.samplesPerExample`, `is ${k}, but ${samplesPerExample} in an earlier block: K is the same for all`);
      }
      samplesPerExample = k;
    }
  });
  if (!seen.has('')) {
    const absent = req.blocks.filter((b) => !seen.has(b.name));
    if (absent.length > 0) {
      throw error('MISSING_INPUT', 'statistics', `lack the blocks ${absent.map((b) => `"${b.name}"`).join(', ')}: statistics cover every parameter block`);
    }
  }
}

/** The index of the first NaN or ±Inf of `v`, or −1 (one monomorphic loop per array type). */
function firstNonFiniteValue(v: StatisticsVector): number {
  if (scannedFinite(v)) return -1; // probed as the decoder copied it (src/linalg/scanned-values.ts)
  return firstNonFinite(v); // a branch-free probe first (curvature/validate.ts), then the locating loop
}

/** The index of the first value of `v` that is not a finite number ≥ 0, or −1. */
function firstBadSquare(v: StatisticsVector): number {
  // Float32: one branch-free probe first (~1 ns per value where the loop below takes ~2): no value has its sign
  // bit set (−0 has: the loop accepts it) and every value is finite. Only a failed probe pays for the loop
  // that finds the value.
  if (scannedNonNegative(v)) return -1; // probed as the decoder copied it (src/linalg/scanned-values.ts)
  const k = v.length >= NATIVE_MIN_LENGTH ? activeNativeKernels() : undefined;
  if (k !== undefined) return v instanceof Float32Array ? k.firstBadSquareF32(v, v.length) : k.firstBadSquareF64(v, v.length);
  if (v instanceof Float32Array) return finiteAndSignClear32(v) ? -1 : firstBadSquare32(v);
  return firstBadSquare64(v);
}

/**
 * True when every float32 of `v` is finite (the sum of x·0 is 0 exactly then: NaN for NaN and ±Inf) and none
 * has its sign bit set (read as int32 words, the sign is each word's top bit): one read of the values.
 */
function finiteAndSignClear32(v: Float32Array): boolean {
  const w = new Int32Array(v.buffer, v.byteOffset, v.length);
  const n = v.length;
  let a = 0;
  let b = 0;
  let signs = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    a += v[i]! * 0 + v[i + 1]! * 0;
    b += v[i + 2]! * 0 + v[i + 3]! * 0;
    signs |= w[i]! | w[i + 1]! | w[i + 2]! | w[i + 3]!;
  }
  for (; i < n; i++) {
    a += v[i]! * 0;
    signs |= w[i]!;
  }
  return a + b === 0 && signs >= 0;
}

function firstBadSquare32(v: Float32Array): number {
  for (let j = 0; j < v.length; j++) {
    const x = v[j]!;
    if (!(x >= 0 && x < Infinity)) return j;
  }
  return -1;
}

function firstBadSquare64(v: Float64Array): number {
  for (let j = 0; j < v.length; j++) {
    const x = v[j]!;
    if (!(x >= 0 && x < Infinity)) return j;
  }
  return -1;
}

/** Multipliers that bring a worker's sums to math.md's scale (see the module comment). */
function multipliers(c: StepContribution): { sum: number; squares: number; factors: number } {
  const b = c.batchSize;
  return c.reduction === 'mean' ? { sum: b, squares: b * b, factors: b } : { sum: 1, squares: 1, factors: 1 };
}

/**
 * Merges validated statistics contributions (one per worker, all with statistics) into the step's
 * diagonal summary, in float64 (into `out` when given: every vector of it is written, but `mean` with
 * `options.mean` false: left as it was, for a caller that hands ḡ to the estimator as `meanSegmentsOf`
 * instead). `track` and `fisherSource` say which vectors the summary holds. Throws SHAPE_MISMATCH when
 * workers disagree on K.
 *
 * The squares vectors' ranges of Kronecker blocks (which take factors, not squares) are zero-filled, unless
 * `options.kroneckerSquaresZero`: the caller's `out` holds zeros there already (a summary allocated zeroed and
 * written by this function alone, which writes nothing else there: the session's own).
 */
export function mergeStatistics(
  contributions: readonly StepContribution[],
  req: ContributionRequirements,
  out?: DiagonalBatchSummary,
  options: { mean?: boolean; kroneckerSquaresZero?: boolean } = {},
): DiagonalBatchSummary {
  const { dim, track } = req;
  const summary = out ?? allocateSummary(dim, track);
  const step = contributions[0]!.step;
  const b = contributions.reduce((sum, c) => sum + c.batchSize, 0);
  const { mean } = summary;
  const writeMean = options.mean !== false;
  const squareVectors = [summary.squares, summary.centredSquares, summary.fisherSquares].filter((v): v is Float64Array => v !== undefined);
  // The first worker's entries cover every coordinate (validated: each block once, all of them): its vectors
  // are written with `0 + f·v` (`put`), the bits of a zero-fill followed by the add, without the fill's pass;
  // the squares of its Kronecker entries are zero-filled. (Entries that do not cover: fill, then add.)
  const first = contributions[0]!;
  const covers = first.statistics!.reduce((n, entry) => n + entryRange(entry, req).size, 0) === dim;
  if (!covers) for (const v of writeMean ? [mean, ...squareVectors] : squareVectors) v.fill(0);
  let samplesPerExample: number | undefined;
  // One pass per worker and block: ḡ, Q, Σ_w M2_w and F, each vector added at math.md's scale.
  for (const c of contributions) {
    const scale = multipliers(c);
    const into = c === first && covers ? put : add;
    for (const entry of c.statistics!) {
      const { offset, size } = entryRange(entry, req);
      if (entry.kind === 'kronecker') {
        // ḡ's share; the factors go to the Kronecker blocks (collectStepFactors), not into the summary.
        if (writeMean) into(mean, offset, gradientSum(entry.kronecker), scale.sum / b);
        if (into === put && options.kroneckerSquaresZero !== true) for (const v of squareVectors) v.fill(0, offset, offset + size);
        continue;
      }
      const m = entry.moments;
      if (writeMean) into(mean, offset, m.sum, scale.sum / b);
      if (summary.squares) into(summary.squares, offset, m.sumSquares!, scale.squares);
      if (summary.centredSquares) into(summary.centredSquares, offset, m.centredSquares!, scale.squares);
      if (summary.fisherSquares) {
        if (req.fisher === 'exact') into(summary.fisherSquares, offset, m.factorSquares!, scale.factors);
        else {
          into(summary.fisherSquares, offset, m.sampledLabelSquares!, scale.squares);
          if (samplesPerExample !== undefined && m.samplesPerExample !== samplesPerExample) {
            throw new FisherdError('SHAPE_MISMATCH',
              `statistics samplesPerExample is ${samplesPerExample} for one worker and ${String(m.samplesPerExample)} for another; it must be the same for all`,
              { field: 'statistics.diagonal.samplesPerExample', step });
          }
          samplesPerExample = m.samplesPerExample;
        }
      }
    }
  }
  // Chan et al.: M2 = Σ_w M2_w + Σ_w b_w (ḡ_w − ḡ)∘(ḡ_w − ḡ), with ḡ_w = multiplier·s_w / b_w.
  const centred = summary.centredSquares;
  if (centred && contributions.length > 1) {
    for (const c of contributions) {
      const toMean = multipliers(c).sum / c.batchSize;
      for (const entry of c.statistics!) {
        if (entry.kind !== 'diagonal') continue; // (no noise with kronecker blocks)
        const { offset } = entryRange(entry, req);
        const sum = entry.moments.sum;
        for (let j = 0; j < sum.length; j++) {
          const d = toMean * sum[j]! - mean[offset + j]!;
          centred[offset + j] += c.batchSize * d * d;
        }
      }
    }
  }
  summary.batchSize = b;
  // (Without a diagonal block, K comes from no entry: the normalization then multiplies zeros only.)
  if (summary.fisherSquares) summary.fisherNormalization = req.fisher === 'exact' || samplesPerExample === undefined ? 1 / b : 1 / (b * samplesPerExample);
  return summary;
}

/**
 * ḡ of one worker's validated statistics as the estimator's `meanSegments` (in offset order): the values
 * `mergeStatistics` writes into the summary's mean for that worker alone, `0 + (multiplier/b)·sum`, bit for bit.
 */
export function meanSegmentsOf(c: StepContribution, req: ContributionRequirements): MeanSegment[] {
  const factor = multipliers(c).sum / c.batchSize;
  return c.statistics!
    .map((entry) => ({ offset: entryRange(entry, req).offset, values: entry.kind === 'kronecker' ? gradientSum(entry.kronecker) : entry.moments.sum, factor }))
    .sort((x, y) => x.offset - y.offset);
}

/**
 * ḡ's Kronecker slices as low-rank products (`FactoredSlices`, by offset; math.md "Low-rank gradient sums")
 * of validated contributions: ḡ = Σ_w (multiplier_w / b)·sum_w (`mergeStatistics`), so each worker's
 * `sumFactors` are one term scaled by multiplier_w / b. Only the blocks every worker sent as factors;
 * undefined when there are none. These are ḡ itself only where ḡ is this step's mean (emaDecay 0).
 */
export function meanGradFactorsOf(contributions: readonly StepContribution[], req: ContributionRequirements): FactoredSlices | undefined {
  const b = contributions.reduce((sum, c) => sum + c.batchSize, 0);
  const slices = new Map<number, LowRankTerm[]>();
  const dense = new Set<number>();
  for (const c of contributions) {
    const scale = multipliers(c).sum / b;
    for (const entry of c.statistics!) {
      if (entry.kind !== 'kronecker') continue;
      const { offset } = entryRange(entry, req);
      const f = entry.kronecker.sumFactors;
      if (f === undefined) {
        dense.add(offset);
        continue;
      }
      const terms = slices.get(offset) ?? [];
      terms.push({ rank: f.rank, left: f.outputGrads, right: f.inputs, scale });
      slices.set(offset, terms);
    }
  }
  for (const offset of dense) slices.delete(offset);
  return slices.size === 0 ? undefined : slices;
}

/** target[offset + j] += factor · v[j]. */
function add(target: Float64Array, offset: number, v: StatisticsVector, factor: number): void {
  for (let j = 0; j < v.length; j++) target[offset + j] += factor * v[j]!;
}

/** target[offset + j] = 0 + factor · v[j]: `add` into zeros, bit for bit (0 + −0 is +0), without reading target. */
function put(target: Float64Array, offset: number, v: StatisticsVector, factor: number): void {
  for (let j = 0; j < v.length; j++) target[offset + j] = 0 + factor * v[j]!;
}

/**
 * The statistics of one worker's rows (as the client holds them, any reduction) for one block or the whole
 * vector: what a client computes on its device, here in float64 (the helper the TypeScript client exports,
 * and the tests' reference). `rows` are `count` rows of `dim`; `[offset, offset + size)` is the block.
 * M2 is two-pass: the block's mean first, then the squared deviations from it.
 */
export function diagonalMomentsOf(input: {
  readonly count: number;
  readonly dim: number;
  readonly perExampleGrads?: ArrayLike<number>;
  readonly sampledLabelGrads?: { readonly rows: ArrayLike<number>; readonly samplesPerExample: number };
  readonly fisherFactorRows?: { readonly rows: ArrayLike<number>; readonly factorsPerExample: number };
  readonly meanGrad?: ArrayLike<number>;
  readonly offset?: number;
  readonly size?: number;
  /** Which sums to compute (default: all the rows given allow). */
  readonly include?: Partial<Record<'sumSquares' | 'centredSquares', boolean>>;
}): DiagonalMoments {
  const { count: n, dim } = input;
  const offset = input.offset ?? 0;
  const size = input.size ?? dim - offset;
  const columnSums = (rows: ArrayLike<number>, count: number) => {
    const s = new Float64Array(size);
    for (let r = 0; r < count; r++) for (let j = 0; j < size; j++) s[j] += rows[r * dim + offset + j]!;
    return s;
  };
  const squareSums = (rows: ArrayLike<number>, count: number, centre?: Float64Array) => {
    const q = new Float64Array(size);
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < size; j++) {
        const x = rows[r * dim + offset + j]! - (centre ? centre[j]! : 0);
        q[j] += x * x;
      }
    }
    return q;
  };
  const rows = input.perExampleGrads;
  let sum: Float64Array;
  const extra: { -readonly [K in keyof DiagonalMoments]?: DiagonalMoments[K] } = {};
  if (rows !== undefined) {
    sum = columnSums(rows, n);
    if (input.include?.sumSquares !== false) extra.sumSquares = squareSums(rows, n);
    if (input.include?.centredSquares !== false) extra.centredSquares = squareSums(rows, n, sum.map((x) => x / n));
  } else if (input.meanGrad !== undefined) {
    // The batch's sum of the rows as held: n times their mean.
    sum = Float64Array.from({ length: size }, (_, j) => n * input.meanGrad![offset + j]!);
  } else {
    throw new FisherdError('MISSING_INPUT', 'diagonalMomentsOf needs perExampleGrads or meanGrad', { field: 'perExampleGrads' });
  }
  if (input.sampledLabelGrads !== undefined) {
    const k = input.sampledLabelGrads.samplesPerExample;
    extra.sampledLabelSquares = squareSums(input.sampledLabelGrads.rows, n * k);
    extra.samplesPerExample = k;
  }
  if (input.fisherFactorRows !== undefined) {
    extra.factorSquares = squareSums(input.fisherFactorRows.rows, n * input.fisherFactorRows.factorsPerExample);
  }
  return { count: n, sum, ...extra };
}
