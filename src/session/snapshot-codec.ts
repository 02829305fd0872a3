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
 *
 * Session checkpoints are bound to their session: the daemon's snapshot tree carries, beside the
 * snapshot's own fields, `"binding": {"sessionId": id, "configHash": h}` with h = `sessionConfigHash` of
 * the snapshot's config, and restoring checks both (a checkpoint file copied over another session's, or
 * one whose config was altered, is refused). The field is optional within format version 1: snapshots
 * written before it existed (or without an id, as in tests) still load, and older readers ignore it.
 */
import { createHash } from 'node:crypto';
import { crc32c } from '../crc32c.js';
import { endianness } from 'node:os';
import { FisherdError } from '../errors.js';
import type { SessionConfig } from './config.js';
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

/** What ties a checkpoint to its session (the tree's `binding` field). */
export interface SnapshotBinding {
  /** The session the snapshot was taken of (32 hex digits in the daemon). */
  readonly sessionId: string;
  /** `sessionConfigHash` of the snapshot's config. */
  readonly configHash: string;
}

/** JSON with object keys sorted at every level, so that equal configs give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

/** SHA-256 (hex) of a session config as given (canonical JSON: sorted keys, undefined fields dropped). */
export function sessionConfigHash(config: SessionConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

/**
 * A session snapshot as one Buffer (the daemon's checkpoint file). With `sessionId`, the snapshot is
 * bound to that session (see the module comment).
 */
export function encodeSessionSnapshot(snapshot: SessionSnapshot, sessionId?: string): Buffer {
  // SessionSnapshot is plain data by construction (numbers, strings, records, typed arrays); its interfaces
  // lack the index signature SnapshotValue's records have, hence the cast.
  const tree = snapshot as unknown as { readonly [key: string]: SnapshotValue };
  if (sessionId === undefined) return encodeSnapshotValue(tree);
  const binding: SnapshotBinding = { sessionId, configHash: sessionConfigHash(snapshot.config) };
  return encodeSnapshotValue({ ...tree, binding: binding as unknown as SnapshotValue });
}

/**
 * The snapshot in `bytes`. Checks the envelope (magic, version, CRC) and the format tag; `Session.restore`
 * checks that the parts fit together. When the snapshot is bound (see the module comment), its config
 * must hash to the stored hash (TRACE_CORRUPT otherwise) and, with `expectedSessionId`, it must be of
 * that session (UNKNOWN_SESSION otherwise, naming both ids); an unbound snapshot (written before
 * bindings existed) is accepted. The binding is not part of the returned snapshot.
 */
export function decodeSessionSnapshot(bytes: Uint8Array, expectedSessionId?: string): SessionSnapshot {
  const value = decodeSnapshotValue(bytes);
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== SESSION_SNAPSHOT_FORMAT) {
    throw corrupt(`not a ${SESSION_SNAPSHOT_FORMAT} snapshot`);
  }
  const { binding, ...snapshot } = value as unknown as SessionSnapshot & { binding?: unknown };
  if (binding !== undefined) {
    const b = binding as Partial<Record<keyof SnapshotBinding, unknown>> | null;
    if (typeof b !== 'object' || b === null || typeof b.sessionId !== 'string' || typeof b.configHash !== 'string') {
      throw corrupt('malformed binding (sessionId, configHash)');
    }
    if (expectedSessionId !== undefined && b.sessionId !== expectedSessionId) {
      throw new FisherdError(
        'UNKNOWN_SESSION',
        `the checkpoint file of session ${expectedSessionId} holds session ${b.sessionId} (a file copied or moved from another session); refusing to resume it as ${expectedSessionId}`,
        { field: 'sessionId' },
      );
    }
    const actual = sessionConfigHash(snapshot.config);
    if (b.configHash !== actual) {
      throw corrupt(`the config of session ${b.sessionId} hashes to ${actual}, but its checkpoint was written for config hash ${b.configHash}: the file was altered`);
    }
  }
  return snapshot;
}
