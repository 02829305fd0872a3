/**
 * IEEE-754 binary16 ("float16", "half") and bfloat16 payloads: 2 bytes per value, half the bytes of
 * float32, for statistics contributions (proto `FloatEncoding`).
 *
 * | encoding | sign | exponent | significand | largest finite | smallest normal | relative rounding |
 * |----------|------|----------|-------------|----------------|-----------------|-------------------|
 * | float16  | 1    | 5 (bias 15)   | 10 (+1) | 65504          | 2⁻¹⁴            | 2⁻¹¹ ≈ 4.9e-4     |
 * | bfloat16 | 1    | 8 (bias 127)  | 7 (+1)  | ≈ 3.39e38      | 2⁻¹²⁶           | 2⁻⁸ ≈ 3.9e-3      |
 *
 * Written here rather than taken from npm: the decoder is a 64 Ki-entry table (float16) or a 16-bit
 * shift (bfloat16, the top half of a float32), the encoder one rounding from float64, ~100 lines tested
 * exhaustively (every one of the 65 536 codes) in test/protocol/half-floats.test.ts; Node 20 has neither
 * `Float16Array` nor `DataView.getFloat16`, and a dependency for this would add more than it saves.
 * Encoding rounds to nearest, ties to even, straight from float64 (one rounding, no double rounding via
 * float32); values beyond the largest finite one become ±Infinity (which the daemon refuses as NON_FINITE).
 */
import { NATIVE_MIN_LENGTH, activeNativeKernels } from '../linalg/native-kernels.js';

/** The two 16-bit encodings' parameters. */
interface HalfFormat {
  /** Significand bits stored (without the implicit one). */
  readonly mantissaBits: number;
  /** The exponent bias. */
  readonly bias: number;
}

const FLOAT16: HalfFormat = { mantissaBits: 10, bias: 15 };
const BFLOAT16: HalfFormat = { mantissaBits: 7, bias: 127 };

export type HalfEncoding = 'float16' | 'bfloat16';

function formatOf(encoding: HalfEncoding): HalfFormat {
  return encoding === 'float16' ? FLOAT16 : BFLOAT16;
}

/** v rounded to an integer, ties to even (v ≥ 0 and below 2⁵³). */
function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const fraction = v - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The 16-bit code of `x` in `format`, rounded to nearest (ties to even) from float64. */
function encodeOne(x: number, format: HalfFormat): number {
  const { mantissaBits: m, bias } = format;
  const exponentMask = (1 << (15 - m)) - 1;
  if (x !== x) return (exponentMask << m) | (1 << (m - 1)); // a quiet NaN
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  const maxExponent = exponentMask - 1 - bias; // of the largest finite value
  // Half-way between the largest finite value (2 − 2⁻ᵐ)·2^e and the next power of two rounds up (to ∞).
  if (a >= (2 - 2 ** -(m + 1)) * 2 ** maxExponent) return sign | (exponentMask << m);
  const minNormal = 2 ** (1 - bias);
  if (a < minNormal) {
    // Subnormal: units of 2^(1 − bias − m); a result of 2^m units is the smallest normal, which the code
    // below represents correctly (exponent field 1, mantissa 0).
    return sign | roundHalfEven(a * 2 ** (bias - 1 + m));
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const significand = roundHalfEven(a * 2 ** (m - e)); // in [2^m, 2^(m+1)]; 2^(m+1) carries into the exponent
  return sign | (((e + bias) << m) + significand - (1 << m));
}

/** `values` encoded in `encoding`, little-endian, 2 bytes each. */
export function encodeHalf(values: ArrayLike<number>, encoding: HalfEncoding): Uint8Array {
  const format = formatOf(encoding);
  const out = new Uint8Array(2 * values.length);
  for (let i = 0; i < values.length; i++) {
    const code = encodeOne(values[i]!, format);
    out[2 * i] = code & 0xff;
    out[2 * i + 1] = code >>> 8;
  }
  return out;
}

/** The value of one 16-bit code. */
function decodeOne(code: number, format: HalfFormat): number {
  const { mantissaBits: m, bias } = format;
  const exponentMask = (1 << (15 - m)) - 1;
  const sign = code & 0x8000 ? -1 : 1;
  const exponent = (code >>> m) & exponentMask;
  const mantissa = code & ((1 << m) - 1);
  if (exponent === exponentMask) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** (1 - bias - m);
  return sign * (1 + mantissa / 2 ** m) * 2 ** (exponent - bias);
}

let float16Table: Float64Array | undefined;

/** The value of every float16 code (512 KiB, built on first use). */
function float16Values(): Float64Array {
  if (float16Table === undefined) {
    float16Table = new Float64Array(1 << 16);
    for (let code = 0; code < 1 << 16; code++) float16Table[code] = decodeOne(code, FLOAT16);
  }
  return float16Table;
}

/** The value of a single 16-bit code (tests and diagnostics; `decodeHalf` for arrays). */
export function halfValue(code: number, encoding: HalfEncoding): number {
  return decodeOne(code & 0xffff, formatOf(encoding));
}

/**
 * Decodes `bytes` (little-endian 16-bit codes, any alignment) into `out` (float64, exact: every float16
 * and bfloat16 value is a float64). `out.length` must be `bytes.length / 2`.
 */
export function decodeHalf(bytes: Uint8Array, encoding: HalfEncoding, out: Float64Array | Float32Array): Float64Array | Float32Array {
  const n = out.length;
  if (encoding === 'float16') {
    const table = float16Values();
    for (let i = 0; i < n; i++) out[i] = table[bytes[2 * i]! | (bytes[2 * i + 1]! << 8)]!;
    return out;
  }
  // bfloat16 is the top half of a float32: shift the code into place and read the float32.
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let i = 0; i < n; i++) {
    bits[0] = (bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) << 16;
    out[i] = asFloat[0]!;
  }
  return out;
}

let float16Table32: Float32Array | undefined;

/** The 2-byte codes of `bytes` as a Uint16Array: a view when 2-byte aligned, else a copy into `scratch`. */
function codesOf(bytes: Uint8Array, scratch: { codes?: Uint16Array }): Uint16Array {
  const n = bytes.byteLength >> 1;
  if (HOST_LE && bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  if (!HOST_LE) {
    const codes = new Uint16Array(n);
    for (let i = 0; i < n; i++) codes[i] = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    return codes;
  }
  // one memcpy into aligned memory kept from call to call, then a view
  if (scratch.codes === undefined || scratch.codes.length < n) scratch.codes = new Uint16Array(n);
  new Uint8Array(scratch.codes.buffer, 0, 2 * n).set(bytes);
  return scratch.codes.subarray(0, n);
}

const HOST_LE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const codeScratch: { codes?: Uint16Array } = {};

/**
 * As `decodeHalf`, into float32 (exact too: every float16 and bfloat16 value is a float32), in one
 * monomorphic pass: float16 through a float32 table of the 65536 codes, bfloat16 by shifting each code into
 * the top half of a float32's bits. The daemon's decoder (src/protocol/statistics-codec.ts) uses it.
 */
export function decodeHalfToFloat32(bytes: Uint8Array, encoding: HalfEncoding, out: Float32Array): Float32Array {
  const n = out.length;
  const codes = codesOf(bytes, codeScratch);
  // the native decoder where the native kernels are in use (src/linalg/native-kernels.ts): the same values
  const k = n >= NATIVE_MIN_LENGTH && HOST_LE ? activeNativeKernels() : undefined;
  if (k !== undefined) {
    if (encoding === 'float16') k.decodeFloat16(codes, n, out);
    else k.decodeBfloat16(codes, n, out);
    return out;
  }
  if (encoding === 'float16') {
    const table = (float16Table32 ??= Float32Array.from(float16Values()));
    for (let i = 0; i < n; i++) out[i] = table[codes[i]!]!;
    return out;
  }
  const bits = new Uint32Array(out.buffer, out.byteOffset, n);
  for (let i = 0; i < n; i++) bits[i] = codes[i]! << 16;
  return out;
}
