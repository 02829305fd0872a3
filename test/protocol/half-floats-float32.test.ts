/**
 * The daemon's float32 decoder of 2-byte statistics (`decodeHalfToFloat32`) against the float64 one
 * (`decodeHalf`): every one of the 65536 codes, from 2-byte aligned and unaligned bytes, both encodings,
 * the same values (NaN codes as NaN).
 */
import { describe, expect, it } from 'vitest';
import { decodeHalf, decodeHalfToFloat32 } from '../../src/protocol/half-floats.js';

describe('decodeHalfToFloat32', () => {
  for (const encoding of ['float16', 'bfloat16'] as const) {
    for (const offset of [0, 1]) {
      it(`${encoding}, byte offset ${offset}: every code as decodeHalf decodes it`, () => {
        const frame = new Uint8Array(2 * 65536 + 2);
        const bytes = frame.subarray(offset, offset + 2 * 65536);
        for (let code = 0; code < 65536; code++) {
          bytes[2 * code] = code & 0xff;
          bytes[2 * code + 1] = code >> 8;
        }
        const want = decodeHalf(bytes, encoding, new Float64Array(65536));
        const got = decodeHalfToFloat32(bytes, encoding, new Float32Array(65536));
        let mismatches = 0;
        for (let code = 0; code < 65536; code++) {
          const w = want[code]!;
          const g = got[code]!;
          if (!(Object.is(w, g) || (Number.isNaN(w) && Number.isNaN(g)))) mismatches++;
        }
        expect(mismatches).toBe(0);
      });
    }
  }
});
