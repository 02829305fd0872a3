/**
 * Kronecker statistics contributions (proto `KroneckerStatistics`; math.md "Kronecker factors (K-FAC)"):
 * for a `{ kind: 'kronecker' }` block, a worker sends every step the block's gradient sum Σ_n r_n (ḡ's
 * share, scaled by the contribution's reduction like `DiagonalMoments.sum`) and, on the steps that carry
 * them (every T_stat steps, summed over those steps), the factor sums at math.md's per-example scale:
 *
 *   inputSum = Σ ā āᵀ / inputCount                                     (in' × in')
 *   empirical.sum = Σ e eᵀ (data labels) / b,  sampled.sum = Σ_{n,k} e eᵀ / (b·K),  exact.sum = Σ_{n,c} e eᵀ / b
 *
 * W workers merge exactly: sums and counts add (`KroneckerEstimate.accumulateFactors` once per worker, in
 * worker order), so W workers equal one worker with the pooled batch. The empirical Fisher's block takes
 * `empirical`, the Fisher's block takes `sampled` or `exact` (the session's fisherSource).
 */
import {
  FACTOR_SYMMETRY_TOLERANCE, factorSumPasses, factorValuesChecked, isSymmetricByConstruction, outerProductSum, type KroneckerFactors,
} from '../curvature/kronecker-factors.js';
import { firstNonFinite } from '../curvature/validate.js';
import { scannedFinite, scannedNonNegative } from '../linalg/scanned-values.js';
import type { Backend } from '../linalg/backend.js';
import { FisherdError } from '../errors.js';
import type { FisherSource } from './config.js';
import type { ContributionRequirements, StepContribution } from './contribution.js';
import type { StatisticsVector } from './statistics.js';

/** One output-gradient factor sum G (out × out, row-major, symmetric) and its divisor. */
export interface OutputGradFactorSum {
  readonly sum: Float64Array;
  readonly count: number;
}

/** The factor sums of one block over the steps since its last factors (full symmetric matrices, float64). */
export interface KroneckerFactorSums {
  /** Σ ā āᵀ, in' × in' row-major (travels as its packed upper triangle). */
  readonly inputSum: Float64Array;
  /** Its divisor (b, or b·R with K-FAC-expand weight sharing; summed over T_stat steps). > 0. */
  readonly inputCount: number;
  /** Data labels: the empirical Fisher's G (count b). */
  readonly empirical?: OutputGradFactorSum;
  /** K sampled labels per example: the Monte-Carlo Fisher's G (count b·K). */
  readonly sampled?: OutputGradFactorSum;
  /** K ≥ 1, with `sampled`; the same for every block and worker. */
  readonly samplesPerExample?: number;
  /** Columns of H^{1/2}: the exact (type-2) Fisher's G (count b). */
  readonly exact?: OutputGradFactorSum;
  /** EKFAC: Σ_j ((V_Gᵀ E_j V_A)_{o,i})² (out·in') in the basis of decomposition `basisVersion`. */
  readonly eigenbasisSquares?: { readonly sum: Float64Array; readonly count: number; readonly basisVersion: number };
}

/**
 * A Kronecker block's gradient sum as a product of thin factors (proto `GradientFactors`; math.md "Low-rank
 * gradient sums"): the out × in' matrix Σ_j e_j ā_jᵀ = Lᵀ R, whose weight columns (row-major) then bias
 * column are `KroneckerStatistics.sum` in the block's layout. One row pair per example for a layer without
 * weight sharing (rank = b_w), b_w·R for R positions of a convolution or a sequence.
 */
export interface GradientFactors {
  /** r ≥ 1, the row pairs. */
  readonly rank: number;
  /** L: r × out row-major (row j = e_j, scaled by the contribution's reduction like `sum`). */
  readonly outputGrads: StatisticsVector;
  /** R: r × in' row-major (row j = ā_j, the bias's 1 last when the block has a bias). */
  readonly inputs: StatisticsVector;
}

/** A Kronecker block's statistics for one step. */
export interface KroneckerStatistics {
  /** b_w, this step's examples; equals the contribution's batchSize. */
  readonly count: number;
  /**
   * Σ_n r_n (out·in', the block's torch layout), as the client holds the rows (its reduction). Exactly one
   * of `sum` and `sumFactors`; read it through `gradientSum`, which also finds a sum formed from factors.
   */
  readonly sum?: StatisticsVector;
  /** The same sum as Lᵀ R (fewer values when r·(out + in') < out·in'; a cheaper solve, math.md). */
  readonly sumFactors?: GradientFactors;
  /** Present on the steps that carry factors (every T_stat steps). */
  readonly factors?: KroneckerFactorSums;
}

/** Gradient sums formed from `sumFactors` (`formGradientSums`), by the statistics they belong to. */
const formedSums = new WeakMap<KroneckerStatistics, StatisticsVector>();

/**
 * The block's gradient sum Σ_n r_n: `sum`, or the one `formGradientSums` formed from `sumFactors` for this
 * step (INTERNAL when neither is there: the session forms the sums before it merges a step).
 */
export function gradientSum(k: KroneckerStatistics): StatisticsVector {
  const sum = k.sum ?? formedSums.get(k);
  if (sum === undefined) throw new FisherdError('INTERNAL', 'a Kronecker gradient sum sent as factors was read before it was formed', { field: 'sumFactors' });
  return sum;
}

/**
 * Forms the dense gradient sum of every validated Kronecker entry sent as `sumFactors`, for `gradientSum`:
 * the weight part Lᵀ R_w (one product, r the inner dimension: out·in'·r multiply-adds) straight into the
 * block's layout, the bias Lᵀ R_{·,in'}, in the factors' storage type (float32 from the wire: sgemm on
 * openblas; the rounding of a client's own float32 product of the same rows). Into `scratch(block,
 * length)`'s arrays, which the caller keeps until the step is done (the sums are read within it).
 */
export function formGradientSums(
  ordered: readonly StepContribution[], blockShape: (entry: string) => KroneckerBlockShape & { readonly inputs: number; readonly bias: boolean },
  backend: Backend, scratch: (key: string, length: number, single: boolean) => StatisticsVector,
): void {
  for (const c of ordered) {
    for (const entry of c.statistics ?? []) {
      if (entry.kind !== 'kronecker' || entry.kronecker.sumFactors === undefined) continue;
      const f = entry.kronecker.sumFactors;
      const { outputs, inputs, inputOrder, bias } = blockShape(entry.block);
      const single = f.outputGrads instanceof Float32Array && f.inputs instanceof Float32Array;
      const r = f.rank;
      const sum = scratch(`${c.workerId}/${entry.block}`, outputs * inputOrder, single);
      // R's weight columns, contiguous (r × in: small), unless R is them already (no bias)
      const weightInputs = bias ? scratch(`${c.workerId}/${entry.block}/R`, r * inputs, single) : f.inputs;
      if (bias) for (let j = 0; j < r; j++) weightInputs.set(f.inputs.subarray(j * inputOrder, j * inputOrder + inputs), j * inputs);
      backend.gemm(true, false, outputs, inputs, r, 1, f.outputGrads, weightInputs, 0, sum.subarray(0, outputs * inputs));
      if (bias) {
        const ones = scratch(`${c.workerId}/${entry.block}/b`, r, single);
        for (let j = 0; j < r; j++) ones[j] = f.inputs[j * inputOrder + inputs]!;
        backend.gemv(true, r, outputs, 1, f.outputGrads, ones, 0, sum.subarray(outputs * inputs));
      }
      formedSums.set(entry.kronecker, sum);
    }
  }
}

/** A Kronecker block of the session as contributions see it. */
export interface KroneckerBlockShape {
  readonly outputs: number;
  /** in' = inputs (+ 1 with a bias). */
  readonly inputOrder: number;
}

/** The output-gradient source that feeds an estimate. */
export type FactorSource = 'empirical' | 'sampled' | 'exact';

export function fisherFactorSource(source: FisherSource): FactorSource {
  return source === 'exact' ? 'exact' : 'sampled';
}

/**
 * Checks one Kronecker entry of a contribution (`at` = `statistics[i].kronecker`): count equal to
 * batchSize, `sum` of the block's size and finite, and the factors when present: shapes, finite values,
 * symmetric with a diagonal ≥ 0, counts finite and > 0, the sources the tracked estimates need. Returns
 * K when the entry carries sampled factors (the caller checks it is the same across blocks).
 * `scanValues` false skips the scans of the values (finiteness, factor diagonals and symmetry, squares
 * ≥ 0), as `validateStatistics` does for diagonal moments: shapes, counts and presence only.
 */
export function validateKroneckerEntry(
  s: KroneckerStatistics, shape: KroneckerBlockShape, size: number, c: StepContribution, req: ContributionRequirements, at: string,
  scanValues = true,
): number | undefined {
  const step = c.step;
  const fail = (code: 'SHAPE_MISMATCH' | 'INVALID_CONFIG' | 'MISSING_INPUT' | 'NON_FINITE', field: string, message: string): never => {
    throw new FisherdError(code, `${field} ${message}`, { field, step });
  };
  if (typeof s !== 'object' || s === null) fail('SHAPE_MISMATCH', at, 'must be a record');
  if (s.count !== c.batchSize) {
    fail('SHAPE_MISMATCH', `${at}.count`, `is ${String(s.count)}, but batchSize is ${c.batchSize}: every block sums over the same b_w examples`);
  }
  if (s.sum === undefined && s.sumFactors === undefined) fail('MISSING_INPUT', `${at}.sum`, 'is required (or sumFactors): ḡ comes from it');
  if (s.sum !== undefined && s.sumFactors !== undefined) fail('INVALID_CONFIG', `${at}.sumFactors`, 'cannot come with sum: the gradient sum travels one way or the other');
  if (s.sum !== undefined) vector(s.sum, size, `${at}.sum`, false, step, scanValues);
  else gradientFactors(s.sumFactors!, shape, `${at}.sumFactors`, step, scanValues);
  const f = s.factors;
  if (f === undefined) return undefined;
  const base = `${at}.factors`;
  if (typeof f !== 'object' || f === null) fail('SHAPE_MISMATCH', base, 'must be a record');
  factor(f.inputSum, shape.inputOrder, `${base}.inputSum`, step, scanValues);
  count(f.inputCount, `${base}.inputCount`, step);
  for (const source of ['empirical', 'sampled', 'exact'] as const) {
    const g = f[source];
    if (g === undefined) continue;
    factor(g.sum, shape.outputs, `${base}.${source}.sum`, step, scanValues);
    count(g.count, `${base}.${source}.count`, step);
  }
  if (req.track.empiricalFisher && f.empirical === undefined) {
    fail('MISSING_INPUT', `${base}.empirical`, 'is required: the session tracks the empirical Fisher (send the data labels\' output-gradient factor)');
  }
  if (req.fisher !== false && f[fisherFactorSource(req.fisher)] === undefined) {
    fail('MISSING_INPUT', `${base}.${fisherFactorSource(req.fisher)}`, `is required: the session tracks the Fisher with fisherSource '${req.fisher}'`);
  }
  let k: number | undefined;
  if (f.sampled !== undefined) {
    k = f.samplesPerExample;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) fail('SHAPE_MISMATCH', `${base}.samplesPerExample`, `must be an integer ≥ 1 with sampled, got ${String(k)}`);
  }
  const e = f.eigenbasisSquares;
  if (e !== undefined) {
    vector(e.sum, size, `${base}.eigenbasisSquares`, true, step, scanValues);
    count(e.count, `${base}.eigenbasisCount`, step);
    if (!Number.isInteger(e.basisVersion) || e.basisVersion < 1) fail('INVALID_CONFIG', `${base}.basisVersion`, `must be an integer ≥ 1, got ${String(e.basisVersion)}`);
  }
  return k;
}

function vector(v: unknown, size: number, field: string, squares: boolean, step: number, scanValues: boolean): void {
  if (!(v instanceof Float32Array || v instanceof Float64Array)) throw new FisherdError('SHAPE_MISMATCH', `${field} must be a Float32Array or Float64Array`, { field, step });
  if (v.length !== size) throw new FisherdError('SHAPE_MISMATCH', `${field} has length ${v.length}, expected ${size} (the block's out·in')`, { field, step });
  if (!scanValues) return;
  // The fast probe first (a sum vector is out·in' long: a million values per step for a large layer); the
  // loop names the first bad value.
  // Float32 payloads the decoder probed as it copied them (src/linalg/scanned-values.ts) are not read again.
  if (squares ? scannedNonNegative(v) : scannedFinite(v)) return;
  if (!squares && firstNonFinite(v) < 0) return;
  for (let j = 0; j < v.length; j++) {
    const x = v[j]!;
    if (!Number.isFinite(x)) throw new FisherdError('NON_FINITE', `${field}[${j}] is ${x}; every value must be finite`, { field, step });
    if (squares && x < 0) throw new FisherdError('INVALID_CONFIG', `${field}[${j}] is ${x}; a sum of squares is ≥ 0`, { field, step });
  }
}

/** A `GradientFactors`: rank an integer ≥ 1, L r × out and R r × in' (float32 or float64), finite values. */
function gradientFactors(f: GradientFactors, shape: KroneckerBlockShape, field: string, step: number, scanValues: boolean): void {
  if (typeof f !== 'object' || f === null) throw new FisherdError('SHAPE_MISMATCH', `${field} must be a record`, { field, step });
  const r = f.rank;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) {
    throw new FisherdError('SHAPE_MISMATCH', `${field}.rank must be an integer ≥ 1, got ${String(r)}`, { field: `${field}.rank`, step });
  }
  const sides: [string, unknown, number, string][] = [
    ['outputGrads', f.outputGrads, shape.outputs, 'out'], ['inputs', f.inputs, shape.inputOrder, "in'"],
  ];
  for (const [name, v, width, what] of sides) {
    const at = `${field}.${name}`;
    if (!(v instanceof Float32Array || v instanceof Float64Array)) throw new FisherdError('SHAPE_MISMATCH', `${at} must be a Float32Array or Float64Array`, { field: at, step });
    if (v.length !== r * width) {
      throw new FisherdError('SHAPE_MISMATCH', `${at} has ${v.length} values, expected rank × ${what} = ${r} × ${width} = ${r * width}`, { field: at, step });
    }
    if (!scanValues || scannedFinite(v)) continue;
    const j = firstNonFinite(v);
    if (j < 0) continue;
    throw new FisherdError('NON_FINITE', `${at}[${Math.floor(j / width)}][${j % width}] is ${v[j]}; every value must be finite`, { field: at, step });
  }
}

function count(value: unknown, field: string, step: number): void {
  if (typeof value !== 'number' || !(value > 0 && value < Infinity)) {
    throw new FisherdError('INVALID_CONFIG', `${field} must be finite and > 0, got ${String(value)}`, { field, step });
  }
}

/**
 * An n×n factor sum: float64, finite, diagonal ≥ 0, symmetric to FACTOR_SYMMETRY_TOLERANCE (the library's
 * rule). One fused pass (`factorSumPasses`) decides the usual case; the checks one by one name what fails.
 * A sum unpacked from the wire's packed upper triangle (`isSymmetricByConstruction`) is symmetric by
 * construction: its symmetry is not tested again (the strided half of the pass), only its values; and not
 * even those when the unpacking probed them as it wrote them (`factorValuesChecked`).
 */
function factor(M: unknown, n: number, field: string, step: number, scanValues: boolean): void {
  if (!(M instanceof Float64Array) || M.length !== n * n) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} must be ${n}×${n} (${n * n} values, or ${(n * (n + 1)) / 2} packed on the wire), got ${M instanceof Float64Array ? M.length : typeof M}`, { field, step });
  }
  if (!scanValues || factorValuesChecked(M) || factorSumPasses(M, n, { symmetric: isSymmetricByConstruction(M) })) return;
  for (let j = 0; j < M.length; j++) {
    if (!Number.isFinite(M[j]!)) throw new FisherdError('NON_FINITE', `${field}[${Math.floor(j / n)}][${j % n}] is ${M[j]}; every value must be finite`, { field, step });
  }
  for (let i = 0; i < n; i++) {
    const d = M[i * n + i]!;
    if (d < 0) throw new FisherdError('INVALID_CONFIG', `${field}[${i}][${i}] is ${d}; a sum of outer products has a diagonal ≥ 0`, { field, step });
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const gap = Math.abs(M[i * n + j]! - M[j * n + i]!);
      if (!(gap <= FACTOR_SYMMETRY_TOLERANCE * Math.sqrt(M[i * n + i]! * M[j * n + j]!))) {
        throw new FisherdError('INVALID_CONFIG', `${field} is not symmetric: [${i}][${j}] = ${M[i * n + j]} but [${j}][${i}] = ${M[j * n + i]}`, { field, step });
      }
    }
  }
}

/** The factors of one step for the tracked estimates' Kronecker blocks: per estimate, per block, one entry per worker (in worker order). */
export interface StepFactors {
  readonly empiricalFisher: Map<string, KroneckerFactors[]>;
  readonly fisher: Map<string, KroneckerFactors[]>;
}

/**
 * Collects the factors of a step's (validated, worker-ordered) contributions for the tracked estimates.
 * `blockName('')` maps the whole-vector entry to the session's single block. Throws MISSING_INPUT naming
 * the field when some workers send a block's factors and others do not (factors arrive on the same steps
 * from every worker), and SHAPE_MISMATCH when workers disagree on K.
 */
export function collectStepFactors(
  ordered: readonly StepContribution[], req: ContributionRequirements, blockName: (entry: string) => string,
): StepFactors {
  const out: StepFactors = { empiricalFisher: new Map(), fisher: new Map() };
  const withFactors = new Map<string, number[]>();
  const without = new Map<string, number[]>();
  let samplesPerExample: number | undefined;
  const step = ordered[0]?.step ?? 0;
  for (const c of ordered) {
    for (const entry of c.statistics ?? []) {
      if (entry.kind !== 'kronecker') continue;
      const name = blockName(entry.block);
      const f = entry.kronecker.factors;
      const list = f === undefined ? without : withFactors;
      list.set(name, [...(list.get(name) ?? []), c.workerId]);
      if (f === undefined) continue;
      if (f.sampled !== undefined) {
        if (samplesPerExample !== undefined && f.samplesPerExample !== samplesPerExample) {
          throw new FisherdError('SHAPE_MISMATCH',
            `statistics kronecker.factors.samplesPerExample is ${samplesPerExample} for one block or worker and ${String(f.samplesPerExample)} for another; K is the same for all`,
            { field: 'statistics.kronecker.factors.samplesPerExample', step });
        }
        samplesPerExample = f.samplesPerExample;
      }
      const take = (target: Map<string, KroneckerFactors[]>, g: OutputGradFactorSum | undefined) => {
        if (g === undefined) return;
        const factors: KroneckerFactors = {
          inputSum: f.inputSum, inputCount: f.inputCount, outputGradSum: g.sum, outputGradCount: g.count,
          ...(f.eigenbasisSquares === undefined ? {} : { eigenbasisSquares: { ...f.eigenbasisSquares } }),
        };
        target.set(name, [...(target.get(name) ?? []), factors]);
      };
      if (req.track.empiricalFisher) take(out.empiricalFisher, f.empirical);
      if (req.fisher !== false) take(out.fisher, f[fisherFactorSource(req.fisher)]);
    }
  }
  for (const [name, workers] of withFactors) {
    const lacking = without.get(name);
    if (lacking !== undefined) {
      throw new FisherdError('MISSING_INPUT',
        `statistics: block "${name}" has factors from worker${workers.length === 1 ? '' : 's'} ${workers.join(', ')} but not from worker${lacking.length === 1 ? '' : 's'} ${lacking.join(', ')}; every worker sends a block's factors on the same steps`,
        { field: 'statistics.kronecker.factors', step });
    }
  }
  return out;
}

// ---- the client's side -------------------------------------------------------------------------------

/**
 * One worker's Kronecker statistics of one layer from per-example pairs (what a client computes on its
 * device; float64 here, exactly symmetric): inputs ā_n (count × in', bias 1 included), and per source the
 * output gradients e at math.md's per-example scale (rows of out; K rows per example for `sampled`, C
 * per example for `exact`, example-major). `sum` is Σ_n vec(e_n ā_nᵀ) of the data-label gradients in the
 * block's layout, or `sum` as given (e.g. ḡ·b from autograd); `reduction` 'mean' divides it by b (as the
 * client would hold it). Counts follow math.md's table: b, b, b·K, b.
 */
export function kroneckerStatisticsFromPairs(input: {
  readonly outputs: number;
  readonly inputs: number;
  readonly bias: boolean;
  /** b, the examples. */
  readonly count: number;
  /** count × inputs (without the bias's 1: it is appended when `bias`). */
  readonly activations: ArrayLike<number>;
  /** Data-label output gradients e_n: count × outputs (the empirical factor and the gradient sum). */
  readonly outputGrads: ArrayLike<number>;
  readonly sampled?: { readonly outputGrads: ArrayLike<number>; readonly samplesPerExample: number };
  readonly exact?: { readonly outputGrads: ArrayLike<number>; readonly factorsPerExample: number };
  /** Include the factors (default true; false for the steps between T_stat ones). */
  readonly factors?: boolean;
  /** How the client holds `sum` (default 'sum': Σ_n g_n; 'mean': Σ_n g_n / b). */
  readonly reduction?: 'mean' | 'sum';
  /**
   * How the gradient sum travels: 'sum' (default, the dense out·in' values) or 'factors' (`sumFactors`:
   * L = the data-label e_n scaled by the reduction, R = the ā_n; rank b).
   */
  readonly sumAs?: 'sum' | 'factors';
}): KroneckerStatistics {
  const { outputs, inputs, bias, count: b } = input;
  const order = inputs + (bias ? 1 : 0);
  const a = new Float64Array(b * order);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < inputs; i++) a[n * order + i] = input.activations[n * inputs + i]!;
    if (bias) a[n * order + inputs] = 1;
  }
  const scale = input.reduction === 'mean' ? 1 / b : 1;
  const gradient = input.sumAs === 'factors'
    ? { sumFactors: { rank: b, outputGrads: Float64Array.from({ length: b * outputs }, (_, j) => input.outputGrads[j]! * scale), inputs: a.slice() } }
    : { sum: denseGradientSum(input.outputGrads, a, b, outputs, inputs, bias, scale) };
  if (input.factors === false) return { count: b, ...gradient };
  const sampled = input.sampled;
  const exact = input.exact;
  return {
    count: b,
    ...gradient,
    factors: {
      inputSum: outerProductSum(a, b, order),
      inputCount: b,
      empirical: { sum: outerProductSum(input.outputGrads, b, outputs), count: b },
      ...(sampled === undefined ? {} : {
        sampled: { sum: outerProductSum(sampled.outputGrads, b * sampled.samplesPerExample, outputs), count: b * sampled.samplesPerExample },
        samplesPerExample: sampled.samplesPerExample,
      }),
      ...(exact === undefined ? {} : { exact: { sum: outerProductSum(exact.outputGrads, b * exact.factorsPerExample, outputs), count: b } }),
    },
  };
}

/** Σ_n vec(e_n ā_nᵀ)·scale in the block's layout (the weight row-major, then the bias), in float64. */
function denseGradientSum(
  outputGrads: ArrayLike<number>, a: Float64Array, b: number, outputs: number, inputs: number, bias: boolean, scale: number,
): Float64Array {
  const order = inputs + (bias ? 1 : 0);
  const sum = new Float64Array(outputs * order);
  for (let n = 0; n < b; n++) {
    for (let o = 0; o < outputs; o++) {
      const e = outputGrads[n * outputs + o]!;
      for (let i = 0; i < inputs; i++) sum[o * inputs + i] += e * a[n * order + i]!;
      if (bias) sum[outputs * inputs + o] += e;
    }
  }
  if (scale !== 1) for (let j = 0; j < sum.length; j++) sum[j] = sum[j]! * scale;
  return sum;
}

/**
 * Two steps' (or workers') factor sums added, counts added (T_stat: a client sums its factors over the
 * steps between two sends). Sources present in both are added; the others dropped.
 */
export function addFactorSums(x: KroneckerFactorSums, y: KroneckerFactorSums): KroneckerFactorSums {
  const add = (p: Float64Array, q: Float64Array) => p.map((v, j) => v + q[j]!);
  const source = (g: OutputGradFactorSum | undefined, h: OutputGradFactorSum | undefined) =>
    g === undefined || h === undefined ? undefined : { sum: add(g.sum, h.sum), count: g.count + h.count };
  const empirical = source(x.empirical, y.empirical);
  const sampled = source(x.sampled, y.sampled);
  const exact = source(x.exact, y.exact);
  return {
    inputSum: add(x.inputSum, y.inputSum),
    inputCount: x.inputCount + y.inputCount,
    ...(empirical === undefined ? {} : { empirical }),
    ...(sampled === undefined ? {} : { sampled, samplesPerExample: x.samplesPerExample! }),
    ...(exact === undefined ? {} : { exact }),
  };
}

/**
 * EKFAC's eigenbasis squares of one worker's step for one layer (what a client sends as
 * `KroneckerFactorSums.eigenbasisSquares`; float64 here): s[o·in' + i] = Σ_j (Q_G e_j)_o² (Q_A ā_{n(j)})_i²
 * over the output-gradient rows e_j (`rowsPerExample` per example: K for sampled labels, 1 for data labels),
 * with Q the eigenvectors as rows of the block's installed decomposition (`Session.kroneckerBases`, the
 * estimates request's `kroneckerBasis`), and count = the number of rows (the output-gradient factor's count).
 * Send it with the factors of a step whose basis is still `basis.version` (refreshes are due every
 * `refreshEvery` factor updates; the update's `layer.<block>.basisVersion` names the installed one).
 */
export function eigenbasisSquaresFromPairs(input: {
  readonly basis: {
    readonly version: number; readonly outputs: number; readonly inputOrder: number;
    readonly outputVectors: ArrayLike<number>; readonly inputVectors: ArrayLike<number>;
  };
  /** The layer's inputs (without the bias's 1: it is appended when `bias`). */
  readonly inputs: number;
  readonly bias: boolean;
  /** b, the examples. */
  readonly count: number;
  /** count × inputs. */
  readonly activations: ArrayLike<number>;
  /** (count · rowsPerExample) × outputs, example-major, at math.md's per-example scale. */
  readonly outputGrads: ArrayLike<number>;
  readonly rowsPerExample: number;
}): { sum: Float64Array; count: number; basisVersion: number } {
  const { basis, inputs, bias, count: b, activations, outputGrads, rowsPerExample: K } = input;
  const { outputs, inputOrder, outputVectors: QG, inputVectors: QA } = basis;
  if (inputOrder !== inputs + (bias ? 1 : 0)) throw new FisherdError('SHAPE_MISMATCH', `the basis has in' = ${inputOrder}, the layer ${inputs}${bias ? ' + 1' : ''}`, { field: 'basis.inputOrder' });
  if (basis.version < 1) throw new FisherdError('INVALID_CONFIG', 'the block has no eigenbasis yet (version 0): send the factors without eigenbasis squares until its first refresh', { field: 'basis.version' });
  const sum = new Float64Array(outputs * inputOrder);
  const a = new Float64Array(inputOrder);
  const pa = new Float64Array(inputOrder);
  const pg = new Float64Array(outputs);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < inputs; i++) a[i] = activations[n * inputs + i]!;
    if (bias) a[inputs] = 1;
    for (let i = 0; i < inputOrder; i++) {
      let s = 0;
      for (let q = 0; q < inputOrder; q++) s += QA[i * inputOrder + q]! * a[q]!;
      pa[i] = s * s;
    }
    for (let k = 0; k < K; k++) {
      const e = (n * K + k) * outputs;
      for (let o = 0; o < outputs; o++) {
        let s = 0;
        for (let p = 0; p < outputs; p++) s += QG[o * outputs + p]! * outputGrads[e + p]!;
        pg[o] = s * s;
      }
      for (let o = 0; o < outputs; o++) for (let i = 0; i < inputOrder; i++) sum[o * inputOrder + i] += pg[o]! * pa[i]!;
    }
  }
  return { sum, count: b * K, basisVersion: basis.version };
}
