/**
 * Float payloads on the wire: little-endian IEEE-754 `bytes` fields <-> typed arrays.
 *
 * protobufjs hands a `bytes` field back as a Node Buffer that is a *view* into the received frame, usually
 * not 4-byte aligned (its offset depends on the varints before it), so a Float32Array view over it is only
 * possible when the offset happens to be aligned. Otherwise the bytes are copied once into an aligned array.
 * (Note that `Buffer.prototype.slice` is a view too: `new Float32Array(buf.slice().buffer)` reads the
 * whole underlying pool, not the field.)
 */
import { endianness } from 'node:os';
import { FisherdError } from '../errors.js';
import { NATIVE_MIN_LENGTH, activeNativeKernels } from '../linalg/native-kernels.js';
import { clearScanned, markScanned } from '../linalg/scanned-values.js';

/** True on little-endian hosts (all fisherd targets); the byte-swapping paths below handle the rest. */
export const HOST_LITTLE_ENDIAN = endianness() === 'LE';

function swapInPlace(bytes: Uint8Array, width: 4 | 8): void {
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Aligned typed arrays lent out for decoded payloads and given back once nobody reads them, so that a
 * daemon receiving b·D-sized rows every step copies each frame into memory it has touched before. A fresh
 * 25.6 MB array per step costs far more than the copy itself (first-touch page faults: 7–15 ms per 4 MB
 * on this VM, host-measurements.md); a reused one costs the memcpy alone.
 *
 * Only arrays this pool lent are taken back (`give` ignores views, foreign arrays and second returns), so
 * a caller that never gives back merely allocates as before. Idle arrays are kept up to `maxIdleBytes`;
 * beyond that a returned array is left to the GC.
 */
class ArrayPool<T extends Float32Array | Float64Array> {
  private readonly idle = new Map<number, T[]>();
  private readonly lent = new WeakSet<T>();
  private idleBytesValue = 0;

  constructor(private readonly allocate: (length: number) => T, readonly maxIdleBytes: number) {}

  /** Bytes held idle now. */
  get idleBytes(): number {
    return this.idleBytesValue;
  }

  /** An array of `length` values (an idle one when there is one; its old values are to be overwritten). */
  take(length: number): T {
    const array = this.idle.get(length)?.pop();
    if (array !== undefined) this.idleBytesValue -= array.byteLength;
    const out = array ?? this.allocate(length);
    if (out instanceof Float32Array) clearScanned(out); // its values are to be overwritten
    this.lent.add(out);
    return out;
  }

  /** Gives back an array from `take` that no one reads any more; anything else is ignored. */
  give(array: T): void {
    if (!this.lent.delete(array)) return;
    if (this.idleBytesValue + array.byteLength > this.maxIdleBytes) return;
    let list = this.idle.get(array.length);
    if (list === undefined) this.idle.set(array.length, (list = []));
    list.push(array);
    this.idleBytesValue += array.byteLength;
  }
}

/** Float32Arrays for decoded payloads (see `ArrayPool`). */
export class Float32Pool extends ArrayPool<Float32Array> {
  /** `maxIdleBytes`: most bytes kept idle between steps. Default 128 MiB (five 25.6 MB payloads). */
  constructor(maxIdleBytes = 128 * 2 ** 20) {
    super((length) => new Float32Array(length), maxIdleBytes);
  }
}

/** Float64Arrays for decoded matrices (Kronecker factor sums, src/protocol/statistics-codec.ts; see `ArrayPool`). */
export class Float64Pool extends ArrayPool<Float64Array> {
  /** `maxIdleBytes`: most bytes kept idle between steps. Default 256 MiB. */
  constructor(maxIdleBytes = 256 * 2 ** 20) {
    super((length) => new Float64Array(length), maxIdleBytes);
  }
}

/**
 * Reads `bytes` (little-endian float32) as a Float32Array of `expectedLength` values (when given). A view
 * is returned when the bytes are aligned (no copy; it shares the frame's memory, which nobody reuses);
 * otherwise a copy: into `reuse` when it is an array of the right length, into one taken from `reuse`
 * when it is a pool, else into a fresh array.
 * Throws SHAPE_MISMATCH naming `field` when the byte length is not 4·expectedLength.
 */
export function readFloat32(
  bytes: Uint8Array, field: string, expectedLength?: number, reuse?: Float32Array | Float32Pool,
): Float32Array {
  const length = bytes.byteLength / 4;
  if (!Number.isInteger(length) || (expectedLength !== undefined && length !== expectedLength)) {
    const want = expectedLength === undefined ? 'a multiple of 4' : `${4 * expectedLength} (${expectedLength} float32)`;
    throw new FisherdError('SHAPE_MISMATCH', `${field} has ${bytes.byteLength} bytes, expected ${want}`, { field });
  }
  if (HOST_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, length);
  }
  const out =
    reuse instanceof Float32Pool ? reuse.take(length)
    : reuse !== undefined && reuse.length === length ? reuse
    : new Float32Array(length);
  clearScanned(out);
  // Into an array of the daemon's payload pool, the native copy probes the values as it goes
  // (src/linalg/scanned-values.ts): the arrival check of the statistics then skips a second read of them.
  // (Only pool arrays are marked: nobody outside the decoder writes into them until they are given back.)
  const k = HOST_LITTLE_ENDIAN && length >= NATIVE_MIN_LENGTH && reuse instanceof Float32Pool ? activeNativeKernels() : undefined;
  if (k !== undefined) {
    const probe = k.copyProbeF32(out, bytes, length);
    if (probe & 2) markScanned(out, 'nonNegative');
    else if (probe & 1) markScanned(out, 'finite');
    return out;
  }
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  outBytes.set(bytes);
  if (!HOST_LITTLE_ENDIAN) swapInPlace(outBytes, 4);
  return out;
}

/** Little-endian float32 bytes of `values` (float64 input is rounded to float32). */
export function float32Bytes(values: Float32Array | Float64Array | readonly number[]): Uint8Array {
  let f32: Float32Array;
  if (values instanceof Float32Array) {
    if (HOST_LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    f32 = Float32Array.from(values);
  } else {
    f32 = Float32Array.from(values);
  }
  const bytes = new Uint8Array(f32.buffer, f32.byteOffset, f32.byteLength);
  if (!HOST_LITTLE_ENDIAN) swapInPlace(bytes, 4);
  return bytes;
}

/** Little-endian float64 bytes of `values` (used where bit-exact values matter: estimates). */
export function float64Bytes(values: Float64Array): Uint8Array {
  const copy = new Float64Array(values);
  const bytes = new Uint8Array(copy.buffer);
  if (!HOST_LITTLE_ENDIAN) swapInPlace(bytes, 8);
  return bytes;
}

/** Reads little-endian float64 bytes into a fresh Float64Array. */
export function readFloat64(bytes: Uint8Array, field: string, expectedLength?: number): Float64Array {
  const length = bytes.byteLength / 8;
  if (!Number.isInteger(length) || (expectedLength !== undefined && length !== expectedLength)) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} has ${bytes.byteLength} bytes, expected a multiple of 8`, { field });
  }
  const out = new Float64Array(length);
  const outBytes = new Uint8Array(out.buffer);
  outBytes.set(bytes);
  if (!HOST_LITTLE_ENDIAN) swapInPlace(outBytes, 8);
  return out;
}
