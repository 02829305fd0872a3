/**
 * Session snapshots as one self-checking byte string, for the daemon's checkpoints (which it writes
 * atomically: temp file, fsync, rename).
 *
 * Layout (all integers little-endian):
 *
 *   offset  size  field
 *   0       4     magic "FDSS" (fisherd session snapshot)
 *   4       4     u32 format version (SNAPSHOT_FORMAT_VERSION)
 *   8       4     u32 H, byte length of the JSON header
 *   12      H     JSON header, UTF-8: the snapshot tree, with every typed array replaced by
 *                 {"$array": dtype, "offset": o, "length": n} and every number JSON cannot hold exactly
 *                 (NaN, ±Infinity, −0) by {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}
 *   …             zero padding to a multiple of 8
 *   …             the typed arrays' raw bytes, each at an 8-byte-aligned absolute offset o
 *   end−4   4     u32 CRC-32C (Castagnoli) of every byte before it
 *
 * Typed arrays travel as raw IEEE-754 bytes and finite numbers as JSON's shortest round-trip decimal, so
 * decode(encode(x)) is bit-identical to x. Decoded arrays are fresh copies (never views of the input).
 */
import { crc32c } from '../crc32c.js';
import { endianness } from 'node:os';
import { FisherdError } from '../errors.js';
import { SESSION_SNAPSHOT_FORMAT, type SessionSnapshot } from './session.js';

export const SNAPSHOT_MAGIC = 'FDSS';
export const SNAPSHOT_FORMAT_VERSION = 1;

/** What the codec can carry: JSON values plus typed arrays, nested freely. */
export type SnapshotValue =
  | null
  | boolean
  | number
  | string
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Uint8Array
  | readonly SnapshotValue[]
  | { readonly [key: string]: SnapshotValue | undefined };

type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;
type DType = 'float64' | 'float32' | 'int32' | 'uint32' | 'uint8';

const CONSTRUCTORS = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;

function dtypeOf(value: object): DType | undefined {
  if (value instanceof Float64Array) return 'float64';
  if (value instanceof Float32Array) return 'float32';
  if (value instanceof Int32Array) return 'int32';
  if (value instanceof Uint32Array) return 'uint32';
  if (value instanceof Uint8Array) return 'uint8'; // Buffers too; they decode as plain Uint8Arrays
  return undefined;
}

function requireLittleEndian(): void {
  // Typed arrays are copied as host-order bytes; every platform Node supports today is little-endian.
  if (endianness() !== 'LE') throw new FisherdError('INTERNAL', 'session snapshots need a little-endian host');
}

const HEADER_BYTES = 12;
const align8 = (n: number): number => (n + 7) & ~7;

/** Encodes a snapshot tree (see the layout above). Keys starting with '$' are reserved; undefined fields are dropped. */
export function encodeSnapshotValue(value: SnapshotValue): Buffer {
  requireLittleEndian();
  const arrays: TypedArray[] = [];
  const offsets: number[] = [];
  let binaryBytes = 0;

  const replace = (v: SnapshotValue | undefined, path: string): unknown => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $number: 'NaN' };
      if (v === Infinity) return { $number: 'Infinity' };
      if (v === -Infinity) return { $number: '-Infinity' };
      if (Object.is(v, -0)) return { $number: '-0' };
      return v;
    }
    if (typeof v !== 'object') throw new FisherdError('INTERNAL', `snapshot field ${path} has type ${typeof v}`);
    const dtype = dtypeOf(v);
    if (dtype !== undefined) {
      const array = v as TypedArray;
      arrays.push(array);
      offsets.push(binaryBytes);
      const entry = { $array: dtype, offset: binaryBytes, length: array.length };
      binaryBytes = align8(binaryBytes + array.byteLength);
      return entry;
    }
    if (Array.isArray(v)) return v.map((item: SnapshotValue, i) => replace(item, `${path}[${i}]`));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) {
      if (key.startsWith('$')) throw new FisherdError('INTERNAL', `snapshot field ${path}.${key}: keys starting with '$' are reserved`);
      if (item !== undefined) out[key] = replace(item, `${path}.${key}`);
    }
    return out;
  };

  const tree = replace(value, 'snapshot');
  const json = Buffer.from(JSON.stringify(tree), 'utf8');
  const binaryStart = align8(HEADER_BYTES + json.length);
  const total = binaryStart + binaryBytes + 4;
  const bytes = Buffer.alloc(total);
  bytes.write(SNAPSHOT_MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(SNAPSHOT_FORMAT_VERSION, 4);
  bytes.writeUInt32LE(json.length, 8);
  json.copy(bytes, HEADER_BYTES);
  arrays.forEach((array, i) => {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), binaryStart + offsets[i]!);
  });
  bytes.writeUInt32LE(crc32c(bytes.subarray(0, total - 4)), total - 4);
  return bytes;
}

function corrupt(message: string): FisherdError {
  return new FisherdError('TRACE_CORRUPT', `session snapshot: ${message}`, { field: 'snapshot' });
}

/**
 * Decodes bytes written by `encodeSnapshotValue`. Throws TRACE_CORRUPT (field "snapshot") for a wrong
 * magic, a bad CRC or a malformed header, and TRACE_VERSION for a format version this build cannot read.
 */
export function decodeSnapshotValue(bytes: Uint8Array): SnapshotValue {
  requireLittleEndian();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < HEADER_BYTES + 4) throw corrupt(`${buffer.length} bytes is too short`);
  if (buffer.toString('latin1', 0, 4) !== SNAPSHOT_MAGIC) throw corrupt('wrong magic (not a fisherd session snapshot)');
  const expected = buffer.readUInt32LE(buffer.length - 4);
  const actual = crc32c(buffer.subarray(0, buffer.length - 4));
  if (expected !== actual) throw corrupt(`CRC-32C mismatch (stored ${expected}, computed ${actual}): the file is damaged`);
  const version = buffer.readUInt32LE(4);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new FisherdError('TRACE_VERSION', `session snapshot format ${version}; this fisherd reads ${SNAPSHOT_FORMAT_VERSION}`, {
      field: 'snapshot',
    });
  }
  const jsonLength = buffer.readUInt32LE(8);
  if (HEADER_BYTES + jsonLength > buffer.length - 4) throw corrupt('header length past the end');
  const binaryStart = align8(HEADER_BYTES + jsonLength);
  const binaryEnd = buffer.length - 4;
  let tree: unknown;
  try {
    tree = JSON.parse(buffer.toString('utf8', HEADER_BYTES, HEADER_BYTES + jsonLength));
  } catch (e) {
    throw corrupt(`header is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }

  const revive = (v: unknown): SnapshotValue => {
    if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(revive);
    if (typeof v !== 'object') throw corrupt('unexpected value in header');
    const record = v as Record<string, unknown>;
    if ('$number' in record) {
      const special = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }[String(record['$number'])];
      if (special === undefined) throw corrupt(`unknown special number ${String(record['$number'])}`);
      return special;
    }
    if ('$array' in record) {
      const dtype = record['$array'] as DType;
      const Ctor = CONSTRUCTORS[dtype];
      const offset = record['offset'];
      const length = record['length'];
      if (Ctor === undefined || !Number.isInteger(offset) || !Number.isInteger(length)) throw corrupt('malformed array entry');
      const start = binaryStart + (offset as number);
      const byteLength = (length as number) * Ctor.BYTES_PER_ELEMENT;
      if ((offset as number) < 0 || start + byteLength > binaryEnd) throw corrupt('array entry past the end');
      const out = new Ctor(length as number);
      new Uint8Array(out.buffer).set(buffer.subarray(start, start + byteLength));
      return out;
    }
    const out: Record<string, SnapshotValue> = {};
    for (const [key, item] of Object.entries(record)) out[key] = revive(item);
    return out;
  };
  return revive(tree);
}

/** A session snapshot as one Buffer (the daemon's checkpoint file). */
export function encodeSessionSnapshot(snapshot: SessionSnapshot): Buffer {
  // SessionSnapshot is plain data by construction (numbers, strings, records, typed arrays); its interfaces
  // lack the index signature SnapshotValue's records have, hence the cast.
  return encodeSnapshotValue(snapshot as unknown as SnapshotValue);
}

/**
 * The snapshot in `bytes`. Checks the envelope (magic, version, CRC) and the format tag; `Session.restore`
 * checks that the parts fit together.
 */
export function decodeSessionSnapshot(bytes: Uint8Array): SessionSnapshot {
  const value = decodeSnapshotValue(bytes);
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== SESSION_SNAPSHOT_FORMAT) {
    throw corrupt(`not a ${SESSION_SNAPSHOT_FORMAT} snapshot`);
  }
  return value as unknown as SessionSnapshot;
}
