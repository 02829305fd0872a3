/**
 * Statistics contributions on the wire (proto `BlockStatistics`, `DiagonalMoments`, `FloatEncoding`) <->
 * src/session/statistics.ts `BlockStatistics`. Vectors arrive as float32, float16 or bfloat16 bytes and
 * are decoded to float64 (exactly: every value of the three encodings is a float64); the session then
 * merges them in float64. Shapes and values are checked by the session, which knows the blocks.
 */
import { markFactorValuesChecked, markSymmetricByConstruction } from '../curvature/kronecker-factors.js';
import { firstNonFinite } from '../curvature/validate.js';
import { FisherdError } from '../errors.js';
import { NATIVE_MIN_LENGTH, activeNativeKernels } from '../linalg/native-kernels.js';
import { gradientSum, type GradientFactors, type KroneckerFactorSums, type KroneckerStatistics, type OutputGradFactorSum } from '../session/kronecker-statistics.js';
import type { BlockStatistics, DiagonalMoments, StatisticsVector } from '../session/statistics.js';
import { float32Bytes, Float32Pool, Float64Pool, HOST_LITTLE_ENDIAN, readFloat32 } from './floats.js';
import { fisherd } from './generated/fisherd.js';
import { decodeHalf, decodeHalfToFloat32, encodeHalf } from './half-floats.js';

const E = fisherd.v1.FloatEncoding;

/** How a statistics vector travels: float32 (default), or in 2 bytes per value. */
export type StatisticsEncoding = 'float32' | 'float16' | 'bfloat16';

export const STATISTICS_ENCODINGS: readonly StatisticsEncoding[] = ['float32', 'float16', 'bfloat16'];

function encodingFromWire(value: number | null | undefined, field: string, step: number): StatisticsEncoding {
  switch (value ?? E.FLOAT_ENCODING_UNSPECIFIED) {
    case E.FLOAT_ENCODING_UNSPECIFIED:
    case E.FLOAT_ENCODING_FLOAT32:
      return 'float32';
    case E.FLOAT_ENCODING_FLOAT16:
      return 'float16';
    case E.FLOAT_ENCODING_BFLOAT16:
      return 'bfloat16';
    default:
      throw new FisherdError('INVALID_CONFIG', `${field} is ${String(value)}, not a FloatEncoding this fisherd knows (FLOAT32, FLOAT16, BFLOAT16)`, { field, step });
  }
}

function encodingToWire(encoding: StatisticsEncoding): fisherd.v1.FloatEncoding {
  return encoding === 'float16' ? E.FLOAT_ENCODING_FLOAT16 : encoding === 'bfloat16' ? E.FLOAT_ENCODING_BFLOAT16 : E.FLOAT_ENCODING_FLOAT32;
}

/** The values of `bytes` in `encoding`, as float64. SHAPE_MISMATCH when the bytes are not whole values. */
export function decodeStatisticsVector(bytes: Uint8Array, encoding: StatisticsEncoding, field: string, step?: number): Float64Array {
  const width = encoding === 'float32' ? 4 : 2;
  if (bytes.byteLength % width !== 0) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} has ${bytes.byteLength} bytes, not a whole number of ${encoding} values (${width} bytes each)`, {
      field, ...(step === undefined ? {} : { step }),
    });
  }
  const out = new Float64Array(bytes.byteLength / width);
  if (encoding === 'float32') out.set(readFloat32(bytes, field));
  else decodeHalf(bytes, encoding, out);
  return out;
}

/**
 * The values of `bytes` in `encoding` as float32 (exact for all three encodings): a view into the frame when
 * float32 bytes are 4-byte aligned, else an array taken from `pool` (give it back with `pool.give` once
 * nobody reads it: `releaseContribution` does). SHAPE_MISMATCH when the bytes are not whole values.
 */
export function decodeStatisticsVector32(bytes: Uint8Array, encoding: StatisticsEncoding, field: string, pool: Float32Pool, step?: number): Float32Array {
  const width = encoding === 'float32' ? 4 : 2;
  if (bytes.byteLength % width !== 0) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} has ${bytes.byteLength} bytes, not a whole number of ${encoding} values (${width} bytes each)`, {
      field, ...(step === undefined ? {} : { step }),
    });
  }
  if (encoding === 'float32') return readFloat32(bytes, field, undefined, pool);
  return decodeHalfToFloat32(bytes, encoding, pool.take(bytes.byteLength / 2));
}

/** `values` in `encoding` (float32 rounds to nearest; the 2-byte encodings too, ties to even; beyond their range ±Inf). */
export function encodeStatisticsVector(values: StatisticsVector, encoding: StatisticsEncoding): Uint8Array {
  return encoding === 'float32' ? float32Bytes(values) : encodeHalf(values, encoding);
}

/**
 * Decodes `StepContribution.statistics` (fields named `step.statistics[i].diagonal.…`, `….kronecker.…`):
 * into float64 arrays, or, with `pool` (the daemon's), the diagonal moments into float32 ones (views into the
 * frame where aligned, else arrays from the pool: no float64 copy, no fresh allocation per step; the session
 * reads either).
 */
export function statisticsFromWire(entries: readonly fisherd.v1.IBlockStatistics[], step: number, pool?: Float32Pool): BlockStatistics[] {
  return entries.map((entry, i): BlockStatistics => {
    const at = `step.statistics[${i}]`;
    if (entry.kronecker !== null && entry.kronecker !== undefined) {
      return { block: entry.block ?? '', kind: 'kronecker', kronecker: kroneckerFromWire(entry.kronecker, `${at}.kronecker`, step, pool) };
    }
    const m = entry.diagonal;
    if (m === null || m === undefined) {
      throw new FisherdError('INVALID_CONFIG', `${at} carries no statistics of a kind this fisherd reads (diagonal, kronecker)`, { field: at, step });
    }
    const base = `${at}.diagonal`;
    const encoding = encodingFromWire(m.encoding, `${base}.encoding`, step);
    const vector = (bytes: Uint8Array | null | undefined, name: string): StatisticsVector | undefined =>
      bytes === null || bytes === undefined || bytes.length === 0 ? undefined
        : pool === undefined ? decodeStatisticsVector(bytes, encoding, `${base}.${name}`, step)
          : decodeStatisticsVector32(bytes, encoding, `${base}.${name}`, pool, step);
    // An absent sum is left absent, for the session to refuse (MISSING_INPUT naming the field).
    const moments = {
      count: m.count ?? 0,
      ...optional('sum', vector(m.sum, 'sum')),
      ...optional('sumSquares', vector(m.sumSquares, 'sumSquares')),
      ...optional('centredSquares', vector(m.centredSquares, 'centredSquares')),
      ...optional('sampledLabelSquares', vector(m.sampledLabelSquares, 'sampledLabelSquares')),
      ...(m.sampledLabelSquares && m.sampledLabelSquares.length > 0 ? { samplesPerExample: m.samplesPerExample ?? 0 } : {}),
      ...optional('factorSquares', vector(m.factorSquares, 'factorSquares')),
    } as DiagonalMoments;
    return { block: entry.block ?? '', kind: 'diagonal', moments };
  });
}

function optional<K extends string>(key: K, value: StatisticsVector | undefined): Partial<Record<K, StatisticsVector>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, StatisticsVector>);
}

/** `BlockStatistics` for the wire, every vector in `encoding` (default float32). */
export function statisticsToWire(statistics: readonly BlockStatistics[], encoding: StatisticsEncoding = 'float32'): fisherd.v1.IBlockStatistics[] {
  return statistics.map((entry) => {
    if (entry.kind === 'kronecker') return { block: entry.block, kronecker: kroneckerToWire(entry.kronecker, encoding) };
    const m = entry.moments;
    return {
      block: entry.block,
      diagonal: {
        count: m.count,
        encoding: encodingToWire(encoding),
        sum: encodeStatisticsVector(m.sum, encoding),
        ...(m.sumSquares ? { sumSquares: encodeStatisticsVector(m.sumSquares, encoding) } : {}),
        ...(m.centredSquares ? { centredSquares: encodeStatisticsVector(m.centredSquares, encoding) } : {}),
        ...(m.sampledLabelSquares ? { sampledLabelSquares: encodeStatisticsVector(m.sampledLabelSquares, encoding), samplesPerExample: m.samplesPerExample ?? 0 } : {}),
        ...(m.factorSquares ? { factorSquares: encodeStatisticsVector(m.factorSquares, encoding) } : {}),
      },
    };
  });
}

// ---- Kronecker statistics ------------------------------------------------------------------------------

/** The packed upper triangle (row by row: M[0][0..n), M[1][1..n), …) of a symmetric n×n matrix. */
export function packUpper(M: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[k++] = M[i * n + j]!;
  return out;
}

/**
 * Edge of the tiles the mirror is written in: a tile's upper part is written row by row, then its lower
 * mirror from those rows while they are in cache (reading down a column of the tile). Writing each row's
 * mirror down a whole column of M instead misses the cache on every value at n ~ 1000.
 */
const UNPACK_TILE = 64;

/**
 * The symmetric n×n matrix (row-major) of a packed upper triangle; SHAPE_MISMATCH when the length is not
 * n(n+1)/2. The array is marked symmetric by construction (`markSymmetricByConstruction`): the session
 * does not test its symmetry again; and, when every value is finite and every diagonal entry ≥ 0 (probed
 * here: the packed values' finiteness scan, then the diagonal), its values as checked
 * (`markFactorValuesChecked`): the session does not scan them (n² values) again either. From `pool` when given (its arrays are only ever written here, so the marks stay true of them).
 * The JavaScript twin of the native `fd_unpack_upper` (`unpackUpperFromWire`): the same values, tiles and marks.
 */
export function unpackUpper(packed: ArrayLike<number>, n: number, field: string, step?: number, pool?: Float64Pool): Float64Array {
  if (packed.length !== (n * (n + 1)) / 2) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} has ${packed.length} values; a packed ${n}×${n} upper triangle has n(n+1)/2 = ${(n * (n + 1)) / 2}`, {
      field, ...(step === undefined ? {} : { step }),
    });
  }
  const M = pool === undefined ? new Float64Array(n * n) : pool.take(n * n); // every entry is written below
  for (let i0 = 0; i0 < n; i0 += UNPACK_TILE) {
    const i1 = Math.min(n, i0 + UNPACK_TILE);
    for (let j0 = i0; j0 < n; j0 += UNPACK_TILE) {
      const j1 = Math.min(n, j0 + UNPACK_TILE);
      for (let i = i0; i < i1; i++) {
        const start = j0 > i ? j0 : i;
        // row i of the packed triangle starts at Σ_{r<i} (n − r) = i·n − i(i−1)/2
        let k = i * n - (i * (i - 1)) / 2 + (start - i);
        for (let j = start, at = i * n + start; j < j1; j++, at++) {
          M[at] = packed[k++]!;
        }
      }
      for (let j = j0; j < j1; j++) {
        const end = Math.min(i1, j);
        for (let i = i0, at = j * n + i0, up = i0 * n + j; i < end; i++, at++, up += n) M[at] = M[up]!;
      }
    }
  }
  // the values' probe: the packed values' finiteness scan (branch-free: validate.ts), then the diagonal
  let passes = firstNonFinite(packed) < 0;
  for (let i = 0; passes && i < n; i++) passes = M[i * n + i]! >= 0;
  return markFactorValuesChecked(markSymmetricByConstruction(M), passes);
}

/**
 * `unpackUpper` of the packed triangle `bytes` in `encoding`, decoded straight from the wire into the full
 * float64 matrix by the native `fd_unpack_upper` where the native kernels are in use (no intermediate copy;
 * the same values and marks), else through a float32 copy (`decodeStatisticsVector32`) and `unpackUpper`.
 * SHAPE_MISMATCH when the bytes are not whole values or their count is not n(n+1)/2.
 */
export function unpackUpperFromWire(bytes: Uint8Array, encoding: StatisticsEncoding, field: string, step?: number, pool?: Float64Pool): Float64Array {
  const width = encoding === 'float32' ? 4 : 2;
  const length = bytes.byteLength / width;
  const n = packedOrder(length);
  if (!Number.isInteger(length) || Number.isNaN(n)) {
    throw new FisherdError('SHAPE_MISMATCH', Number.isInteger(length)
      ? `${field} has ${length} values, not a packed upper triangle n(n+1)/2`
      : `${field} has ${bytes.byteLength} bytes, not a whole number of ${encoding} values (${width} bytes each)`, {
      field, ...(step === undefined ? {} : { step }),
    });
  }
  const k = HOST_LITTLE_ENDIAN && n * n >= NATIVE_MIN_LENGTH ? activeNativeKernels() : undefined;
  if (k !== undefined) {
    const M = pool === undefined ? new Float64Array(n * n) : pool.take(n * n); // every entry is written by the kernel
    const probe = k.unpackUpper(M, bytes, n, encoding === 'float32' ? 0 : encoding === 'float16' ? 1 : 2);
    return markFactorValuesChecked(markSymmetricByConstruction(M), (probe & 2) !== 0);
  }
  const packed = decodeStatisticsVector32(bytes, encoding, field, packedPool, step);
  try {
    return unpackUpper(packed, n, field, step, pool);
  } finally {
    packedPool.give(packed);
  }
}

/** n from a packed length n(n+1)/2 (NaN when it is none). */
function packedOrder(length: number): number {
  const n = Math.round((Math.sqrt(8 * length + 1) - 1) / 2);
  return (n * (n + 1)) / 2 === length ? n : Number.NaN;
}

/** Packed triangles between decoding and unpacking with the JavaScript kernels (given back at once: at most one idle array per length). */
const packedPool = new Float32Pool(64 * 2 ** 20);

/**
 * The full matrices of the Kronecker factor sums of contributions decoded with a payload pool
 * (`statisticsFromWire(…, pool)`), given back with the rest of the contribution (step-codec.ts
 * `releaseContribution`): a large layer's factors are megabytes of fresh memory per step otherwise.
 */
export const factorMatrixPool = new Float64Pool();

/**
 * A wire `KroneckerStatistics`. The gradient sum, like diagonal moments, is float32 from `pool` when given
 * (a view into the frame where aligned; `releaseContribution` gives it back), else float64. Factor sums are
 * decoded from the wire straight into their full float64 matrices, exactly (`unpackUpperFromWire`): from
 * `factorMatrixPool` when `pool` is given (given back with the contribution too), else fresh.
 */
function kroneckerFromWire(k: fisherd.v1.IKroneckerStatistics, at: string, step: number, pool?: Float32Pool): KroneckerStatistics {
  const encoding = encodingFromWire(k.encoding, `${at}.encoding`, step);
  const present = (bytes: Uint8Array | null | undefined): bytes is Uint8Array => bytes !== null && bytes !== undefined && bytes.length > 0;
  const decode = (bytes: Uint8Array | null | undefined, field: string): Float64Array | undefined =>
    present(bytes) ? decodeStatisticsVector(bytes, encoding, field, step) : undefined;
  // A packed sum's order follows from its length; the session checks it against the block (SHAPE_MISMATCH).
  const matrix = (bytes: Uint8Array | null | undefined, field: string): Float64Array | undefined =>
    present(bytes) ? unpackUpperFromWire(bytes, encoding, field, step, pool === undefined ? undefined : factorMatrixPool) : undefined;
  const sum = present(k.sum)
    ? pool === undefined ? decodeStatisticsVector(k.sum, encoding, `${at}.sum`, step) : decodeStatisticsVector32(k.sum, encoding, `${at}.sum`, pool, step)
    : undefined;
  const g = k.sumFactors;
  let sumFactors: GradientFactors | undefined;
  if (g !== null && g !== undefined) {
    // Float32 from `pool` like the sum (views into the frame where aligned); the session checks the shapes.
    const side = (bytes: Uint8Array | null | undefined, name: string): StatisticsVector => {
      const field = `${at}.sumFactors.${name}`;
      if (!present(bytes)) throw new FisherdError('MISSING_INPUT', `${field} is required with sumFactors`, { field, step });
      return pool === undefined ? decodeStatisticsVector(bytes, encoding, field, step) : decodeStatisticsVector32(bytes, encoding, field, pool, step);
    };
    sumFactors = { rank: g.rank ?? 0, outputGrads: side(g.outputGrads, 'outputGrads'), inputs: side(g.inputs, 'inputs') };
  }
  const f = k.factors;
  let factors: KroneckerFactorSums | undefined;
  if (f !== null && f !== undefined) {
    const base = `${at}.factors`;
    const inputSum = matrix(f.inputSum, `${base}.inputSum`);
    if (inputSum === undefined) throw new FisherdError('MISSING_INPUT', `${base}.inputSum is required with factors`, { field: `${base}.inputSum`, step });
    const source = (g: fisherd.v1.IOutputGradFactor | null | undefined, name: string): OutputGradFactorSum | undefined => {
      if (g === null || g === undefined) return undefined;
      const m = matrix(g.sum, `${base}.${name}.sum`);
      if (m === undefined) throw new FisherdError('MISSING_INPUT', `${base}.${name}.sum is required with ${name}`, { field: `${base}.${name}.sum`, step });
      return { sum: m, count: g.count ?? 0 };
    };
    const empirical = source(f.empirical, 'empirical');
    const sampled = source(f.sampled, 'sampled');
    const exact = source(f.exact, 'exact');
    const squares = decode(f.eigenbasisSquares, `${base}.eigenbasisSquares`);
    factors = {
      inputSum, inputCount: f.inputCount ?? 0,
      ...(empirical === undefined ? {} : { empirical }),
      ...(sampled === undefined ? {} : { sampled, samplesPerExample: f.samplesPerExample ?? 0 }),
      ...(exact === undefined ? {} : { exact }),
      ...(squares === undefined ? {} : { eigenbasisSquares: { sum: squares, count: f.eigenbasisCount ?? 0, basisVersion: f.basisVersion ?? 0 } }),
    };
  }
  // An absent sum is left absent, for the session to refuse (MISSING_INPUT naming the field).
  return {
    count: k.count ?? 0, ...(sum === undefined ? {} : { sum }), ...(sumFactors === undefined ? {} : { sumFactors }),
    ...(factors === undefined ? {} : { factors }),
  };
}

function kroneckerToWire(k: KroneckerStatistics, encoding: StatisticsEncoding): fisherd.v1.IKroneckerStatistics {
  const f = k.factors;
  const order = (M: Float64Array) => Math.round(Math.sqrt(M.length));
  const packed = (M: Float64Array) => encodeStatisticsVector(packUpper(M, order(M)), encoding);
  const source = (g: OutputGradFactorSum | undefined) => (g === undefined ? undefined : { sum: packed(g.sum), count: g.count });
  return {
    count: k.count,
    encoding: encodingToWire(encoding),
    ...(k.sumFactors === undefined ? { sum: encodeStatisticsVector(gradientSum(k), encoding) } : {
      sumFactors: {
        rank: k.sumFactors.rank,
        outputGrads: encodeStatisticsVector(k.sumFactors.outputGrads, encoding),
        inputs: encodeStatisticsVector(k.sumFactors.inputs, encoding),
      },
    }),
    ...(f === undefined ? {} : {
      factors: {
        inputSum: packed(f.inputSum),
        inputCount: f.inputCount,
        ...(f.empirical === undefined ? {} : { empirical: source(f.empirical) }),
        ...(f.sampled === undefined ? {} : { sampled: source(f.sampled), samplesPerExample: f.samplesPerExample ?? 0 }),
        ...(f.exact === undefined ? {} : { exact: source(f.exact) }),
        ...(f.eigenbasisSquares === undefined ? {} : {
          eigenbasisSquares: encodeStatisticsVector(f.eigenbasisSquares.sum, encoding),
          eigenbasisCount: f.eigenbasisSquares.count,
          basisVersion: f.eigenbasisSquares.basisVersion,
        }),
      },
    }),
  };
}
