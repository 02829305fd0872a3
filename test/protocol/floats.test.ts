/** Float payloads: bytes <-> typed arrays, aligned or not, without the Buffer.slice pitfall. */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { Float32Pool, float32Bytes, float64Bytes, readFloat32, readFloat64 } from '../../src/protocol/floats.js';
import { contributionFromWire, contributionToWire, releaseContribution } from '../../src/protocol/step-codec.js';

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

  it('copies unaligned bytes into pooled arrays: reused once given back, never while lent', () => {
    const pool = new Float32Pool();
    const frame = Buffer.alloc(4 * values.length + 2);
    frame.set(float32Bytes(values), 2);
    const first = readFloat32(frame.subarray(2), 'x', values.length, pool);
    const second = readFloat32(frame.subarray(2), 'x', values.length, pool);
    expect(second).not.toBe(first); // `first` is still lent
    pool.give(first);
    expect(pool.idleBytes).toBe(first.byteLength);
    first.fill(NaN); // stale values are overwritten by the next copy
    const third = readFloat32(frame.subarray(2), 'x', values.length, pool);
    expect(third).toBe(first);
    expect(Array.from(third)).toEqual(Array.from(values));
    expect(pool.idleBytes).toBe(0);
    // Aligned bytes stay a view and are not the pool's to take back; nor is a second return or a foreign array.
    const view = readFloat32(float32Bytes(values), 'x', values.length, pool);
    pool.give(view);
    pool.give(new Float32Array(values.length));
    pool.give(third);
    pool.give(third);
    expect(pool.idleBytes).toBe(third.byteLength);
  });

  it('keeps at most maxIdleBytes idle', () => {
    const pool = new Float32Pool(40);
    const a = pool.take(8);
    const b = pool.take(8);
    pool.give(a);
    pool.give(b); // 64 bytes would exceed 40: left to the GC
    expect(pool.idleBytes).toBe(32);
    expect(pool.take(8)).toBe(a);
    expect(pool.take(8)).not.toBe(b);
  });

  it('gives a decoded contribution\'s payloads back to the pool it came from', () => {
    const pool = new Float32Pool();
    const rows = Float32Array.from({ length: 6 }, (_, i) => i + 0.5);
    const wire = contributionToWire({
      step: 1, workerId: 0, batchSize: 2, reduction: 'sum', perExampleGrads: rows,
      sampledLabelGrads: { samplesPerExample: 1, rows }, params: rows.subarray(0, 3),
    });
    // Unaligned copies of every payload, as protobufjs hands them over inside a frame.
    const shifted = (b: Uint8Array): Uint8Array => Buffer.concat([Buffer.alloc(1), b]).subarray(1);
    const c = contributionFromWire({
      ...wire, perExampleGrads: shifted(wire.perExampleGrads!), params: shifted(wire.params!),
      sampledLabelGrads: { samplesPerExample: 1, rows: shifted(wire.sampledLabelGrads!.rows!) },
    }, pool);
    expect(Array.from(c.perExampleGrads!)).toEqual(Array.from(rows));
    expect(Array.from(c.sampledLabelGrads!.rows)).toEqual(Array.from(rows));
    releaseContribution(c, pool);
    expect(pool.idleBytes).toBe(2 * rows.byteLength + 12);
    const again = pool.take(6);
    expect([c.perExampleGrads, c.sampledLabelGrads!.rows]).toContain(again);
  });
});
