/** Float payloads: bytes <-> typed arrays, aligned or not, without the Buffer.slice pitfall. */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { float32Bytes, float64Bytes, readFloat32, readFloat64 } from '../../src/protocol/floats.js';

describe('float payloads', () => {
  const values = Float32Array.from([1.5, -2.25, 3e-38, Math.PI, -0]);

  it('reads aligned bytes as a view and unaligned bytes as an aligned copy, both exact', () => {
    const bytes = float32Bytes(values);
    const aligned = readFloat32(bytes, 'x');
    expect(aligned.buffer).toBe(bytes.buffer);
    expect(Array.from(aligned)).toEqual(Array.from(values));
    // The same bytes at offset 3 inside a bigger frame (as protobufjs hands them over).
    const frame = Buffer.alloc(bytes.length + 7);
    frame.set(bytes, 3);
    const field = frame.subarray(3, 3 + bytes.length);
    const copied = readFloat32(field, 'x', values.length);
    expect(copied.buffer).not.toBe(frame.buffer);
    expect(copied.byteOffset % 4).toBe(0);
    expect(Array.from(copied)).toEqual(Array.from(values));
    expect(Object.is(copied[4], -0)).toBe(true);
  });

  it('reuses a caller buffer of the right length for copies', () => {
    const frame = Buffer.alloc(4 * values.length + 1);
    frame.set(float32Bytes(values), 1);
    const reuse = new Float32Array(values.length);
    expect(readFloat32(frame.subarray(1), 'x', values.length, reuse)).toBe(reuse);
  });

  it('rejects byte lengths that are not the expected shape, naming the field', () => {
    for (const [bytes, expected] of [[new Uint8Array(6), undefined], [new Uint8Array(8), 3]] as const) {
      try {
        readFloat32(bytes, 'step.meanGrad', expected);
        expect.unreachable();
      } catch (e) {
        expect(isFisherdError(e, 'SHAPE_MISMATCH')).toBe(true);
        expect((e as Error).message).toMatch(/step\.meanGrad has \d+ bytes/);
      }
    }
  });

  it('rounds float64 to float32 when encoding, and keeps float64 bit-exact', () => {
    const f64 = Float64Array.from([0.1, 1 / 3, -1e300]);
    expect(Array.from(readFloat32(float32Bytes(f64), 'x'))).toEqual(Array.from(Float32Array.from(f64)));
    expect(Array.from(readFloat64(float64Bytes(f64), 'x'))).toEqual(Array.from(f64));
  });
});
