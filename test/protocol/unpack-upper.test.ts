/**
 * Kronecker factor sums decoded from the wire's packed upper triangles (`unpackUpperFromWire`): on every
 * kernel set this process has (the native `fd_unpack_upper`, and its JavaScript twin through a float32 copy),
 * every encoding and byte alignment, and orders around the mirror's 64-wide tiles and the native threshold,
 * the full matrix holds exactly the decoded values (against a naive float64 reference, bit for bit, ±0
 * included), both kernel sets give the same bits, and the value probe marks a matrix as checked exactly when
 * every value is finite and every diagonal entry ≥ 0 (−0 included). A factor whose probe fails is still
 * refused by the session, naming the value.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { factorValuesChecked, isSymmetricByConstruction } from '../../src/curvature/kronecker-factors.js';
import { FisherdError } from '../../src/errors.js';
import { availableKernels, kernelsInUse, useKernels, type KernelsName } from '../../src/linalg/native-kernels.js';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { encodeHalf } from '../../src/protocol/half-floats.js';
import {
  decodeStatisticsVector, encodeStatisticsVector, packUpper, unpackUpper, unpackUpperFromWire, type StatisticsEncoding,
} from '../../src/protocol/statistics-codec.js';
import { Float64Pool } from '../../src/protocol/floats.js';
import { contributionFromWire, contributionToWire } from '../../src/protocol/step-codec.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { Rng } from '../curvature/helpers.js';
import { REFERENCE } from '../session/helpers.js';

const initial = kernelsInUse();
afterAll(() => useKernels(initial));

/** The naive unpacking of the packed values as float64 (the reference). */
function reference(packed: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      M[i * n + j] = packed[k]!;
      M[j * n + i] = packed[k++]!;
    }
  }
  return M;
}

/** `bytes` placed `offset` bytes into a fresh buffer (a frame's field lies at any offset). */
function at(bytes: Uint8Array, offset: number): Uint8Array {
  const out = new Uint8Array(bytes.byteLength + offset).subarray(offset);
  out.set(bytes);
  return out;
}

/** Entry-by-entry identity (Object.is: ±0 told apart; any NaN matches a NaN). */
function mismatches(x: Float64Array, y: Float64Array): number[] {
  const bad: number[] = [];
  for (let j = 0; j < x.length; j++) if (!(Object.is(x[j], y[j]) || (Number.isNaN(x[j]!) && Number.isNaN(y[j]!)))) bad.push(j);
  return bad;
}

const ENCODINGS: readonly StatisticsEncoding[] = ['float32', 'float16', 'bfloat16'];

describe('unpacking factor sums from the wire', () => {
  it.each(availableKernels())('%s kernels: the exact values, mirrored, for every encoding, alignment and order', (kernels: KernelsName) => {
    useKernels(kernels);
    const rng = new Rng(11);
    const pool = new Float64Pool();
    for (const n of [1, 2, 5, 63, 64, 65, 129, 200]) {
      const m = (n * (n + 1)) / 2;
      // signed values over many magnitudes (float16 subnormals to 2¹⁰, within float16's range), −0 first
      const values = Float64Array.from({ length: m }, () => rng.normal() * 2 ** Math.max(-22, Math.min(10, Math.round(rng.normal() * 8))));
      values[0] = -0;
      for (const encoding of ENCODINGS) {
        const bytes = encodeStatisticsVector(values, encoding);
        const exact = decodeStatisticsVector(bytes, encoding, 'x');
        let k = 0;
        for (let i = 0; i < n; i++, k += n - i + 1) exact[k] = Math.abs(exact[k]!) * (i === 0 ? -1 : 1); // diagonal ≥ 0 (−0 first)
        const wire = encodeStatisticsVector(exact, encoding); // exact in every encoding: already its values
        const want = reference(exact, n);
        for (const offset of [0, 1, 2, 3]) {
          const M = unpackUpperFromWire(at(wire, offset), encoding, 'f', 1, pool);
          expect(M.length).toBe(n * n);
          expect(mismatches(M, want)).toEqual([]);
          expect(isSymmetricByConstruction(M)).toBe(true);
          expect(factorValuesChecked(M)).toBe(true);
          pool.give(M); // the next one is written into the same array: every entry again
        }
      }
    }
  });

  it.runIf(availableKernels().includes('native'))('native and JavaScript kernels give the same bits and marks, special values included', () => {
    const rng = new Rng(12);
    for (const n of [64, 100, 257]) {
      const m = (n * (n + 1)) / 2;
      const cases: [string, (v: Float64Array) => void, boolean][] = [
        ['finite', () => {}, true],
        ['NaN off the diagonal', (v) => { v[m >> 1] = Number.NaN; }, false],
        ['+Inf last', (v) => { v[m - 1] = Infinity; }, false],
        ['−Inf first', (v) => { v[1] = -Infinity; }, false],
        ['a negative diagonal', (v) => { v[n] = -0.5; }, false], // row 1 starts at index n: M[1][1]
        ['−0 on the diagonal', (v) => { v[n] = -0; }, true],
      ];
      for (const [what, edit, passes] of cases) {
        for (const encoding of ENCODINGS) {
          const v = Float64Array.from({ length: m }, () => Math.abs(rng.normal()));
          for (let j = 1; j < m; j += 3) v[j] = -v[j]!; // negative entries off the diagonal are fine
          let k = 0;
          for (let i = 0; i < n; i++, k += n - i + 1) v[k] = Math.abs(v[k]!);
          edit(v);
          const wire = at(encodeStatisticsVector(v, encoding), 1);
          useKernels('native');
          const native = unpackUpperFromWire(wire, encoding, 'f');
          useKernels('javascript');
          const js = unpackUpperFromWire(wire, encoding, 'f');
          expect(mismatches(native, js), `${what} (${encoding}, n = ${n})`).toEqual([]);
          expect([factorValuesChecked(native), factorValuesChecked(js)], `${what} (${encoding}, n = ${n})`).toEqual([passes, passes]);
        }
      }
    }
  });

  it('unpackUpper from float32 values: the same values, and SHAPE_MISMATCH for a length that is no triangle', () => {
    const A = Float64Array.of(4, 0.5, -1, 0.5, 2, 0.25, -1, 0.25, 9);
    expect(Array.from(unpackUpper(Float32Array.from(packUpper(A, 3)), 3, 'f'))).toEqual(Array.from(A));
    for (const kernels of availableKernels()) {
      useKernels(kernels);
      const e = (() => { try { unpackUpperFromWire(new Uint8Array(4 * 7), 'float32', 'f', 3); } catch (x) { return x; } return undefined; })();
      expect(e).toBeInstanceOf(FisherdError);
      expect([(e as FisherdError).code, (e as FisherdError).field]).toEqual(['SHAPE_MISMATCH', 'f']);
    }
  });

  it.each(availableKernels())('%s kernels: a factor whose probe fails is refused by the session, naming the value, with nothing changed', (kernels: KernelsName) => {
    useKernels(kernels);
    const outputs = 3;
    const inputs = 70; // in' = 71: 71² ≥ the native threshold
    const order = inputs + 1;
    const config = {
      dim: outputs * order,
      blocks: [{ name: 'fc', size: outputs * order, structure: { kind: 'kronecker' as const, outputs, inputs, bias: true } }],
      optimizer: { name: 'ngd' as const, stepSize: 1, damping: 1e-2 },
      track: { fisher: true },
    };
    const session = new Session(config, REFERENCE);
    const eye = (k: number, scale: number) => Float64Array.from({ length: k * k }, (_, j) => (j % (k + 1) === 0 ? scale : 0));
    const inputSum = eye(order, 2);
    inputSum[5 * order + 7] = inputSum[7 * order + 5] = 0.25;
    const c: StepContribution = {
      step: 1, workerId: 0, batchSize: 2, reduction: 'sum',
      statistics: [{ block: 'fc', kind: 'kronecker', kronecker: {
        count: 2, sum: Float64Array.from({ length: outputs * order }, (_, j) => Math.sin(j)),
        factors: { inputSum, inputCount: 2, sampled: { sum: eye(outputs, 1), count: 2 }, samplesPerExample: 1 },
      } }],
    };
    const message = contributionToWire(c, { statisticsEncoding: 'float16' });
    // M[5][7] beyond float16's range: +Inf on arrival
    const packed = packUpper(inputSum, order);
    packed[5 * order - 10 + 2] = 1e6; // row 5 starts at 5·71 − 5·4/2 = 345; column 7 is 2 further
    message.statistics![0]!.kronecker!.factors!.inputSum = encodeHalf(packed, 'float16');
    const decoded = contributionFromWire(decodeClientMessage(encodeClientMessage({ step: message })).step!);
    const before = session.snapshot();
    let error: unknown;
    try {
      session.step([decoded]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FisherdError);
    expect([(error as FisherdError).code, (error as FisherdError).field]).toEqual(['NON_FINITE', 'statistics[0].kronecker.factors.inputSum']);
    expect((error as FisherdError).message).toMatch(/\[5\]\[7\] is Infinity/);
    expect(session.snapshot()).toEqual(before);
  });
});
