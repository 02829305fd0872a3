/**
 * float16 and bfloat16 payloads (src/protocol/half-floats.ts), checked exhaustively over all 65 536 codes:
 * decoding against independent definitions (known float16 values; bfloat16 as the top half of a float32
 * read through a DataView), encode(decode(c)) = c for every non-NaN code, round-to-nearest-even at every
 * midpoint between neighbouring float16 values, bfloat16 rounding against the classic bit formula on
 * random float32s, overflow to ±Inf, and unaligned input. All comparisons are exact.
 */
import { describe, expect, it } from 'vitest';
import { decodeHalf, encodeHalf, halfValue } from '../../src/protocol/half-floats.js';

const codeOf = (x: number, encoding: 'float16' | 'bfloat16') => {
  const bytes = encodeHalf([x], encoding);
  return bytes[0]! | (bytes[1]! << 8);
};

describe('float16', () => {
  it('decodes the values that define the format', () => {
    const known: [number, number][] = [
      [0x0000, 0], [0x3c00, 1], [0xc000, -2], [0x7bff, 65504], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24],
      [0x0400, 2 ** -14], [0x3555, 0.333251953125], [0x7c00, Infinity], [0xfc00, -Infinity], [0x3bff, 1 - 2 ** -11],
    ];
    for (const [code, value] of known) expect(halfValue(code, 'float16')).toBe(value);
    expect(Object.is(halfValue(0x8000, 'float16'), -0)).toBe(true);
    expect(halfValue(0x7e00, 'float16')).toBeNaN();
  });

  it('encode(decode(c)) = c for every non-NaN code, and the array decoder agrees with the scalar one', () => {
    const codes = new Uint8Array(2 * 65536);
    for (let c = 0; c < 65536; c++) {
      codes[2 * c] = c & 0xff;
      codes[2 * c + 1] = c >>> 8;
    }
    const values = decodeHalf(codes, 'float16', new Float64Array(65536));
    let bad = 0;
    for (let c = 0; c < 65536; c++) {
      const v = values[c]!;
      if (Number.isNaN(v)) {
        if ((c & 0x7c00) !== 0x7c00 || (c & 0x3ff) === 0) bad++;
        continue;
      }
      if (!Object.is(v, halfValue(c, 'float16')) || codeOf(v, 'float16') !== c) bad++;
    }
    expect(bad).toBe(0);
  });

  it('rounds to nearest, ties to even, at every midpoint between neighbouring values', () => {
    let bad = 0;
    for (let c = 0; c < 0x7bff; c++) {
      const a = halfValue(c, 'float16');
      const b = halfValue(c + 1, 'float16');
      const mid = (a + b) / 2; // exact in float64
      const even = c % 2 === 0 ? c : c + 1;
      if (codeOf(mid, 'float16') !== even) bad++;
      if (codeOf(mid + (b - a) * 2 ** -20, 'float16') !== c + 1) bad++;
      if (codeOf(mid - (b - a) * 2 ** -20, 'float16') !== c) bad++;
      if (codeOf(-mid, 'float16') !== (even | 0x8000)) bad++;
    }
    expect(bad).toBe(0);
  });

  it('overflows to ±Inf from 65520 (half-way to 2¹⁶) and keeps 65519.99 finite', () => {
    expect(codeOf(65519.99, 'float16')).toBe(0x7bff);
    expect(codeOf(65520, 'float16')).toBe(0x7c00);
    expect(codeOf(-1e9, 'float16')).toBe(0xfc00);
    expect(codeOf(2 ** -26, 'float16')).toBe(0); // below half the smallest subnormal: ties to even 0
    expect(codeOf(2 ** -25 * 1.0001, 'float16')).toBe(1);
  });
});

describe('bfloat16', () => {
  it('decodes every code as the float32 whose top half it is', () => {
    const view = new DataView(new ArrayBuffer(4));
    const codes = new Uint8Array(2 * 65536);
    for (let c = 0; c < 65536; c++) {
      codes[2 * c] = c & 0xff;
      codes[2 * c + 1] = c >>> 8;
    }
    const values = decodeHalf(codes, 'bfloat16', new Float64Array(65536));
    let bad = 0;
    for (let c = 0; c < 65536; c++) {
      view.setUint32(0, c << 16);
      const expected = view.getFloat32(0);
      const v = values[c]!;
      if (Number.isNaN(expected) ? !Number.isNaN(v) : !Object.is(v, expected) || !Object.is(v, halfValue(c, 'bfloat16')) || codeOf(v, 'bfloat16') !== c) bad++;
    }
    expect(bad).toBe(0);
  });

  it('rounds float32 values as the bit formula (u + 0x7fff + ((u >> 16) & 1)) >> 16 does', () => {
    const view = new DataView(new ArrayBuffer(4));
    let state = 12345;
    let bad = 0;
    for (let i = 0; i < 200_000; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      view.setUint32(0, state);
      const x = view.getFloat32(0);
      if (!Number.isFinite(x)) continue;
      const expected = ((state + 0x7fff + ((state >>> 16) & 1)) >>> 16) & 0xffff;
      if (codeOf(x, 'bfloat16') !== expected) bad++;
    }
    expect(bad).toBe(0);
  });
});

it('decodes unaligned bytes into float32 or float64 arrays', () => {
  const bytes = new Uint8Array(7);
  bytes.set(encodeHalf([1.5, -0.25, 3], 'float16'), 1);
  expect(Array.from(decodeHalf(bytes.subarray(1), 'float16', new Float32Array(3)))).toEqual([1.5, -0.25, 3]);
  bytes.set(encodeHalf([1.5, -0.25, 3], 'bfloat16'), 1);
  expect(Array.from(decodeHalf(bytes.subarray(1), 'bfloat16', new Float64Array(3)))).toEqual([1.5, -0.25, 3]);
});
