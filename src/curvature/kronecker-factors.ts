/**
 * What a Kronecker block is fed with (math.md, "Kronecker factors (K-FAC)"): per update, the sums of the
 * factors' outer products with the numbers they are divided by, and, for EKFAC, a statistic of the
 * gradients in the Kronecker eigenbasis. Also the block's coordinate layout (torch's weight-then-bias
 * order) and the validation that every update runs before it touches any state.
 */
import { FisherdError } from '../errors.js';
import { activeNativeKernels, NATIVE_MIN_LENGTH } from '../linalg/native-kernels.js';
import { kroneckerInputOrder, type KroneckerStructure } from './structure.js';
import { firstNonFinite, requireFinite } from './validate.js';

/**
 * Per-pair rows: `count` input vectors ā_n (rows of `inputs`, count × in') and, for each of them,
 * `outputGradsPerInput` output gradients e_{n,k} (rows of `outputGrads`, (count·K) × out, those of ā_n at
 * rows n·K … n·K + K − 1). The daemon needs them (or `eigenbasisSquares`) for EKFAC, whose statistic
 * `Σ_j (V_Gᵀe_j)² (V_Aᵀā_{n(j)})²ᵀ` is a fourth moment that the factor sums do not determine. Valid for
 * layers without weight sharing (one ā per example, math.md): a shared layer's per-example gradient is a
 * sum over positions, whose projection the client computes (`eigenbasisSquares`).
 */
export interface KroneckerPairs {
  inputs: Float64Array;
  count: number;
  outputGrads: Float64Array;
  outputGradsPerInput: number;
}

/**
 * A second moment of the gradients in the Kronecker eigenbasis of version `basisVersion`
 * (`KroneckerEstimate.decompositionVersion`): `sum[o·in' + i] = Σ_j ((V_Gᵀ E_j V_A)_{o,i})²` over the
 * gradient matrices E_j (out × in', bias column last) of the update, with `count` the number they are
 * divided by (that of `outputGradSum`). Entries are ≥ 0.
 */
export interface KroneckerEigenbasisSquares {
  sum: Float64Array;
  count: number;
  basisVersion: number;
}

/**
 * One update of a Kronecker block: `Â = inputSum / inputCount` (in' × in', row-major, symmetric) and
 * `Ĝ = outputGradSum / outputGradCount` (out × out). The counts are the divisors of math.md's table (for
 * the empirical Fisher: b and b; the sampled Fisher with K labels: b and b·K; the exact Fisher: b and b;
 * with weight sharing over R positions, K-FAC-expand: b·R and b). Sums over T_stat steps come with their
 * counts summed over the same steps. EKFAC blocks also take `pairs` or `eigenbasisSquares` (either one).
 */
export interface KroneckerFactors {
  inputSum: Float64Array;
  inputCount: number;
  outputGradSum: Float64Array;
  outputGradCount: number;
  pairs?: KroneckerPairs;
  eigenbasisSquares?: KroneckerEigenbasisSquares;
}

/**
 * |M_ij − M_ji| allowed relative to √(M_ii·M_jj) (the Cauchy–Schwarz bound on a PSD sum's entries): a sum
 * `XᵀX` formed by a general matrix product in float32 (torch's `a.T @ a`) is symmetric only to rounding.
 */
export const FACTOR_SYMMETRY_TOLERANCE = 1e-4;

/** Matrices written exactly symmetric by the code that allocated them (see `markSymmetricByConstruction`). */
const symmetricByConstruction = new WeakSet<Float64Array>();

/**
 * Records that `M`, just allocated and written as an exactly symmetric matrix (its lower triangle the
 * mirror of its upper: a packed upper triangle unpacked, src/protocol/statistics-codec.ts `unpackUpper`),
 * is symmetric by construction, so that the session's checks of factor sums (src/session/
 * kronecker-statistics.ts) skip its symmetry test and scan only its values. The mark follows the array,
 * not its contents: call this only where M is written, before handing it out, and never write M after
 * (decoded contributions are read-only); a copy or any other array is not marked. The library's checks
 * (`validateKroneckerFactors`) ignore the mark: they test every full matrix they are given.
 */
export function markSymmetricByConstruction(M: Float64Array): Float64Array {
  symmetricByConstruction.add(M);
  return M;
}

/** Whether `M` was marked by `markSymmetricByConstruction`. */
export function isSymmetricByConstruction(M: Float64Array): boolean {
  return symmetricByConstruction.has(M);
}

/** Matrices symmetric by construction whose values were probed as they were written (see `markFactorValuesChecked`). */
const valuesCheckedByConstruction = new WeakSet<Float64Array>();

/**
 * Records what the code that wrote `M` (symmetric by construction, `markSymmetricByConstruction`) learnt of
 * its values while writing them: `passes` true when every value is finite and every diagonal entry ≥ 0 —
 * then M passes every check of a factor sum, and the session's checks (src/session/kronecker-statistics.ts)
 * do not read it again; false removes the mark (M written again with values that were not probed, or that
 * fail: the checks then run and name the value). The same rules as `markSymmetricByConstruction`: only
 * where M is written, never writing it after; the library's checks ignore the mark.
 */
export function markFactorValuesChecked(M: Float64Array, passes: boolean): Float64Array {
  if (passes) valuesCheckedByConstruction.add(M);
  else valuesCheckedByConstruction.delete(M);
  return M;
}

/** Whether `M` is symmetric by construction and its values passed the checks of a factor sum as it was written. */
export function factorValuesChecked(M: Float64Array): boolean {
  return valuesCheckedByConstruction.has(M) && symmetricByConstruction.has(M);
}

/** The block's shape: out, in' and D = out·in'. */
export interface KroneckerShape {
  outputs: number;
  /** in' (inputs, plus one with a bias). */
  inputOrder: number;
  /** Columns of the weight without the bias. */
  inputs: number;
  bias: boolean;
}

export function kroneckerShape(structure: KroneckerStructure): KroneckerShape {
  return { outputs: structure.outputs, inputOrder: kroneckerInputOrder(structure), inputs: structure.inputs, bias: structure.bias };
}

/**
 * The block's D-vector `v` (torch order: weight row-major, then bias) as the out × in' matrix X with the bias
 * as last column: `X[o][i] = v[o·inputs + i]`, `X[o][inputs] = v[outputs·inputs + o]`.
 */
export function blockToMatrix<M extends Float32Array | Float64Array>(shape: KroneckerShape, v: ArrayLike<number>, X: M): M {
  const { outputs, inputOrder, inputs, bias } = shape;
  if (v instanceof Float64Array) {
    // rows of the weight as block copies (memcpy), then the bias column
    for (let o = 0; o < outputs; o++) X.set(v.subarray(o * inputs, (o + 1) * inputs), o * inputOrder);
    if (bias) for (let o = 0; o < outputs; o++) X[o * inputOrder + inputs] = v[outputs * inputs + o];
    return X;
  }
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) X[o * inputOrder + i] = v[o * inputs + i];
    if (bias) X[o * inputOrder + inputs] = v[outputs * inputs + o];
  }
  return X;
}

/** The inverse of `blockToMatrix`: the out × in' matrix X back into the block's D-vector layout. */
export function matrixToBlock(shape: KroneckerShape, X: ArrayLike<number>, out: Float64Array): Float64Array {
  const { outputs, inputOrder, inputs, bias } = shape;
  if (X instanceof Float64Array || X instanceof Float32Array) {
    for (let o = 0; o < outputs; o++) out.set(X.subarray(o * inputOrder, o * inputOrder + inputs), o * inputs);
    if (bias) for (let o = 0; o < outputs; o++) out[outputs * inputs + o] = X[o * inputOrder + inputs];
    return out;
  }
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) out[o * inputs + i] = X[o * inputOrder + i];
    if (bias) out[outputs * inputs + o] = X[o * inputOrder + inputs];
  }
  return out;
}

/** The coordinate of the block's D-vector that holds matrix entry (o, i), i < in'. */
export function blockIndex(shape: KroneckerShape, o: number, i: number): number {
  return i < shape.inputs ? o * shape.inputs + i : shape.outputs * shape.inputs + o;
}

/** Options of `validateKroneckerFactors`. */
export interface KroneckerFactorChecks {
  /**
   * Scan the values of the factor sums and eigenbasis squares (finite, symmetric, diagonal and squares
   * ≥ 0). Default true; false only for a caller that has just run those same checks on these same arrays
   * (the session, src/session/kronecker-statistics.ts): shapes, counts, pairs and the basis version are
   * checked either way.
   */
  values?: boolean;
}

/**
 * Checks one update against the block before any state changes: SHAPE_MISMATCH for lengths, NON_FINITE,
 * INVALID_CONFIG for counts ≤ 0, asymmetric factors, negative diagonals or negative squares, and
 * INVALID_CONFIG naming `eigenbasisSquares.basisVersion` when the squares are of another basis than
 * `currentBasis` (undefined: none installed yet).
 */
export function validateKroneckerFactors(
  factors: KroneckerFactors, shape: KroneckerShape, field: string, currentBasis: number | undefined, checks: KroneckerFactorChecks = {},
): void {
  const values = checks.values !== false;
  if (typeof factors !== 'object' || factors === null) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} must be a record of factor sums`, { field });
  }
  const { outputs, inputOrder } = shape;
  requireFactor(factors.inputSum, inputOrder, `${field}.inputSum`, values);
  requireFactor(factors.outputGradSum, outputs, `${field}.outputGradSum`, values);
  requireCount(factors.inputCount, `${field}.inputCount`);
  requireCount(factors.outputGradCount, `${field}.outputGradCount`);
  const { pairs, eigenbasisSquares } = factors;
  if (pairs !== undefined) validatePairs(pairs, shape, `${field}.pairs`);
  if (eigenbasisSquares !== undefined) {
    const at = `${field}.eigenbasisSquares`;
    const { sum, count, basisVersion } = eigenbasisSquares;
    if (!(sum instanceof Float64Array) || sum.length !== outputs * inputOrder) {
      throw new FisherdError('SHAPE_MISMATCH', `${at}.sum must be a Float64Array of length out·in' = ${outputs * inputOrder}`, { field: `${at}.sum` });
    }
    if (values) {
      requireFinite(sum, `${at}.sum`);
      const negative = sum.findIndex((s) => s < 0);
      if (negative >= 0) {
        throw new FisherdError('INVALID_CONFIG', `${at}.sum[${negative}] is ${sum[negative]}; squares must be ≥ 0`, { field: `${at}.sum` });
      }
    }
    requireCount(count, `${at}.count`);
    if (basisVersion !== currentBasis) {
      throw new FisherdError(
        'INVALID_CONFIG',
        `${at}.basisVersion is ${basisVersion}, but the block's eigenbasis is ${currentBasis === undefined ? 'not computed yet' : `version ${currentBasis}`}`,
        { field: `${at}.basisVersion` },
      );
    }
  }
}

function requireCount(count: number, field: string): void {
  if (!(count > 0 && count < Infinity)) {
    throw new FisherdError('INVALID_CONFIG', `${field} must be finite and > 0, got ${count}`, { field });
  }
}

/**
 * An n×n factor sum: float64, finite, symmetric to FACTOR_SYMMETRY_TOLERANCE, with a diagonal ≥ 0 (the
 * values unless `values` is false). One fused pass (`factorSumPasses`) decides the usual case.
 */
function requireFactor(M: Float64Array, n: number, field: string, values: boolean): void {
  if (!(M instanceof Float64Array) || M.length !== n * n) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} must be a Float64Array of length ${n}·${n} = ${n * n}, got ${describeLength(M)}`, { field });
  }
  if (!values || factorSumPasses(M, n)) return;
  // Some check fails (or the one-pass test could not decide): the checks one by one, in their order, for the message.
  const bad = firstNonFinite(M);
  if (bad >= 0) {
    throw new FisherdError('NON_FINITE', `${field}[${Math.floor(bad / n)}][${bad % n}] is ${M[bad]}; every value must be finite`, { field });
  }
  for (let i = 0; i < n; i++) {
    if (M[i * n + i] < 0) {
      throw new FisherdError('INVALID_CONFIG', `${field}[${i}][${i}] is ${M[i * n + i]}; a sum of outer products has a diagonal ≥ 0`, { field });
    }
  }
  // The first pair off in row order, if any.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const gap = Math.abs(M[i * n + j] - M[j * n + i]);
      const bound = FACTOR_SYMMETRY_TOLERANCE * Math.sqrt(M[i * n + i] * M[j * n + j]);
      if (!(gap <= bound)) {
        throw new FisherdError(
          'INVALID_CONFIG',
          `${field} is not symmetric: [${i}][${j}] = ${M[i * n + j]} but [${j}][${i}] = ${M[j * n + i]} (allowed gap ${bound})`,
          { field },
        );
      }
    }
  }
}

/** FACTOR_SYMMETRY_TOLERANCE with a relative margin of 1e-9 below it (see `factorSumPasses`). */
const TOLERANCE_WITH_MARGIN = FACTOR_SYMMETRY_TOLERANCE * (1 - 1e-9);

/**
 * Edge of the tiles the symmetry test walks: a 64 × 64 tile of the lower triangle and its mirror stay in
 * L1/L2 while the mirror is read down its columns (64 and 128 measured alike at n = 1025, 32 slower).
 */
const SYMMETRY_TILE = 64;

/** √M_ii and tol·√M_ii of the matrix being tested, reused from call to call (grown to the largest n). */
let rootDiagonal = new Float64Array(0);
let scaledRootDiagonal = new Float64Array(0);
/** The native check's scratch (2n: √M_ii and tol·√M_ii). */
let nativeScratch = new Float64Array(0);

/**
 * Whether the n×n matrix M passes every check of a factor sum — finite, diagonal ≥ 0, and
 * |M_ij − M_ji| ≤ tol·√(M_ii·M_jj) for every pair — in one pass over M (`symmetric`: M is symmetric by
 * construction, so only finiteness and the diagonal are tested). Conservative: true only when every check
 * passes; false when one fails, and also where this test cannot decide exactly (a diagonal entry that is
 * neither 0 nor within [1e-150, 1e150], whose products could under- or overflow; a gap within a relative
 * 1e-9 of its bound), after which the caller runs the exact checks one by one (the error path, with its
 * messages). A NaN or ±Inf off the diagonal makes its pair's gap fail (NaN or ∞), so finiteness needs no
 * pass of its own.
 *
 * The pairs are walked tile by tile, four rows j … j+3 of the lower triangle at a time against entries
 * j … j+3 of the rows i above (one cache line): reading M_ji for consecutive j row by row would stride n
 * values per read and miss the cache on every one at n ~ 1000. Measured at n = 1025: 1.7 ms, against
 * 3.2 ms one row at a time and ~8 ms for the separate finiteness, diagonal and tiled symmetry passes.
 *
 * With the native kernels (src/linalg/native-kernels.ts), a sum of n² ≥ NATIVE_MIN_LENGTH values goes
 * through `fd_factor_check` instead: the same decision, in 4 × 4 blocks transposed in registers (about
 * 1.3× the time of one streaming read of M at n = 1025).
 */
export function factorSumPasses(M: Float64Array, n: number, options: { symmetric?: boolean } = {}): boolean {
  const k = n * n >= NATIVE_MIN_LENGTH ? activeNativeKernels() : undefined;
  if (k !== undefined) {
    if (nativeScratch.length < 2 * n) nativeScratch = new Float64Array(2 * n);
    return k.factorCheck(M, n, options.symmetric === true ? 1 : 0, TOLERANCE_WITH_MARGIN, nativeScratch) === 1;
  }
  if (options.symmetric === true) {
    if (firstNonFinite(M) >= 0) return false;
    for (let i = 0; i < n; i++) if (!(M[i * n + i] >= 0)) return false;
    return true;
  }
  if (rootDiagonal.length < n) {
    rootDiagonal = new Float64Array(n);
    scaledRootDiagonal = new Float64Array(n);
  }
  const root = rootDiagonal;
  const scaled = scaledRootDiagonal;
  for (let i = 0; i < n; i++) {
    const d = M[i * n + i];
    // 0, or a range where M_ii·M_jj neither under- nor overflows: there √M_ii·√M_jj is √(M_ii·M_jj) to a
    // few ulps, far inside the margin.
    if (!(d === 0 || (d >= 1e-150 && d <= 1e150))) return false;
    const r = Math.sqrt(d);
    root[i] = r;
    scaled[i] = TOLERANCE_WITH_MARGIN * r;
  }
  // Pair (i, j), i < j: M[i·n + j] (upper) against M[j·n + i] (lower, row j), within tol·√M_ii·√M_jj.
  // Every test is written !(gap ≤ bound), false for a NaN gap.
  for (let j0 = 0; j0 < n; j0 += SYMMETRY_TILE) {
    const jEnd = Math.min(j0 + SYMMETRY_TILE, n);
    for (let i0 = 0; i0 <= j0; i0 += SYMMETRY_TILE) {
      const iEnd = Math.min(i0 + SYMMETRY_TILE, n);
      let j = j0;
      for (; j + 3 < jEnd; j += 4) {
        // columns i0 … e−1 lie left of all four rows' diagonals; the rest of the tile's pairs (diagonal tiles) below
        const e = iEnd < j ? iEnd : j;
        const r0 = root[j];
        const r1 = root[j + 1];
        const r2 = root[j + 2];
        const r3 = root[j + 3];
        const l0 = j * n;
        const l1 = l0 + n;
        const l2 = l1 + n;
        const l3 = l2 + n;
        for (let i = i0, up = i0 * n + j; i < e; i++, up += n) {
          const t = scaled[i];
          if (!(Math.abs(M[up] - M[l0 + i]) <= t * r0) || !(Math.abs(M[up + 1] - M[l1 + i]) <= t * r1) ||
              !(Math.abs(M[up + 2] - M[l2 + i]) <= t * r2) || !(Math.abs(M[up + 3] - M[l3 + i]) <= t * r3)) return false;
        }
        // pairs (i, k) with j ≤ i < k ≤ j + 3 (within the tile's columns): the corner of a diagonal tile
        for (let k = j + 1; k <= j + 3; k++) {
          const lk = k * n;
          const rk = root[k];
          const end = iEnd < k ? iEnd : k;
          for (let i = e; i < end; i++) if (!(Math.abs(M[i * n + k] - M[lk + i]) <= scaled[i] * rk)) return false;
        }
      }
      for (; j < jEnd; j++) {
        const rj = root[j];
        const lj = j * n;
        const e = iEnd < j ? iEnd : j;
        for (let i = i0, up = i0 * n + j; i < e; i++, up += n) if (!(Math.abs(M[up] - M[lj + i]) <= scaled[i] * rj)) return false;
      }
    }
  }
  return true;
}

function validatePairs(pairs: KroneckerPairs, shape: KroneckerShape, field: string): void {
  const { inputs, count, outputGrads, outputGradsPerInput } = pairs;
  if (!Number.isInteger(count) || count < 1) {
    throw new FisherdError('INVALID_CONFIG', `${field}.count must be an integer ≥ 1, got ${count}`, { field: `${field}.count` });
  }
  if (!Number.isInteger(outputGradsPerInput) || outputGradsPerInput < 1) {
    throw new FisherdError('INVALID_CONFIG', `${field}.outputGradsPerInput must be an integer ≥ 1, got ${outputGradsPerInput}`, {
      field: `${field}.outputGradsPerInput`,
    });
  }
  if (!(inputs instanceof Float64Array) || inputs.length !== count * shape.inputOrder) {
    throw new FisherdError('SHAPE_MISMATCH', `${field}.inputs must be a Float64Array of count·in' = ${count * shape.inputOrder}, got ${describeLength(inputs)}`, {
      field: `${field}.inputs`,
    });
  }
  const rows = count * outputGradsPerInput;
  if (!(outputGrads instanceof Float64Array) || outputGrads.length !== rows * shape.outputs) {
    throw new FisherdError('SHAPE_MISMATCH', `${field}.outputGrads must be a Float64Array of count·K·out = ${rows * shape.outputs}, got ${describeLength(outputGrads)}`, {
      field: `${field}.outputGrads`,
    });
  }
  requireFinite(inputs, `${field}.inputs`);
  requireFinite(outputGrads, `${field}.outputGrads`);
}

function describeLength(v: unknown): string {
  return v instanceof Float64Array ? `length ${v.length}` : v instanceof Float32Array ? 'a Float32Array' : String(typeof v);
}

/**
 * The factor sums of per-pair rows (float64 loops, exactly symmetric): `inputSum = Σ_n ā_n ā_nᵀ`,
 * `outputGradSum = Σ_{n,k} e_{n,k} e_{n,k}ᵀ`, with `inputCount = count` and `outputGradCount` the divisor
 * of math.md's table for the source (default count·K: the empirical Fisher for K = 1, the sampled Fisher;
 * pass b for the exact Fisher's columns of H^{1/2}). The pairs ride along for EKFAC.
 */
export function kroneckerFactorsFromPairs(
  shape: KroneckerShape, pairs: KroneckerPairs, outputGradCount = pairs.count * pairs.outputGradsPerInput,
): KroneckerFactors {
  const { inputOrder, outputs } = shape;
  return {
    inputSum: outerProductSum(pairs.inputs, pairs.count, inputOrder),
    inputCount: pairs.count,
    outputGradSum: outerProductSum(pairs.outputGrads, pairs.count * pairs.outputGradsPerInput, outputs),
    outputGradCount,
    pairs,
  };
}

/** Σ_r u_r u_rᵀ of `count` rows of length n, float64, upper triangle computed and mirrored. */
export function outerProductSum(rows: ArrayLike<number>, count: number, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let r = 0; r < count; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) {
      const ui = rows[base + i];
      if (ui === 0) continue;
      for (let j = i; j < n; j++) M[i * n + j] += ui * rows[base + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) M[i * n + j] = M[j * n + i];
  return M;
}
