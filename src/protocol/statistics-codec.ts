/**
 * Statistics contributions on the wire (proto `BlockStatistics`, `DiagonalMoments`, `FloatEncoding`) <->
 * src/session/statistics.ts `BlockStatistics`. Vectors arrive as float32, float16 or bfloat16 bytes and
 * are decoded to float64 (exactly: every value of the three encodings is a float64); the session then
 * merges them in float64. Shapes and values are checked by the session, which knows the blocks.
 */
import { FisherdError } from '../errors.js';
import type { BlockStatistics, DiagonalMoments, StatisticsVector } from '../session/statistics.js';
import { float32Bytes, readFloat32, type Float32Pool } from './floats.js';
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
 * Decodes `StepContribution.statistics` (fields named `step.statistics[i].diagonal.…`): into float64 arrays,
 * or, with `pool` (the daemon's), into float32 ones (views into the frame where aligned, else arrays from
 * the pool: no float64 copy, no fresh allocation per step; the session reads either).
 */
export function statisticsFromWire(entries: readonly fisherd.v1.IBlockStatistics[], step: number, pool?: Float32Pool): BlockStatistics[] {
  return entries.map((entry, i) => {
    const at = `step.statistics[${i}]`;
    const m = entry.diagonal;
    if (m === null || m === undefined) {
      throw new FisherdError('INVALID_CONFIG', `${at} carries no statistics of a kind this fisherd reads (diagonal)`, { field: at, step });
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
