/**
 * Statistics contributions through real bytes (ClientMessage encode → decode → session type): every
 * encoding round-trips within its rounding (float32: relative 2⁻²⁴; float16: 2⁻¹¹; bfloat16: 2⁻⁸, per
 * value), the 2-byte encodings take half the bytes, an old client's contribution decodes as before, and
 * malformed payloads are refused with typed errors naming the field.
 */
import type { DiagonalBlockStatistics } from '../../src/session/statistics.js';
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { encodeHalf } from '../../src/protocol/half-floats.js';
import { isSymmetricByConstruction } from '../../src/curvature/kronecker-factors.js';
import { factorMatrixPool, packUpper } from '../../src/protocol/statistics-codec.js';
import { contributionFromWire, contributionToWire, releaseContribution } from '../../src/protocol/step-codec.js';
import type { KroneckerStatistics } from '../../src/session/kronecker-statistics.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { REFERENCE } from '../session/helpers.js';

const D = 6;
const contribution: StepContribution = {
  step: 1, workerId: 0, batchSize: 3, reduction: 'sum', loss: 0.5,
  statistics: [
    { block: 'w', kind: 'diagonal', moments: {
      count: 3, sum: Float64Array.of(1.5, -2.25, 1 / 3, 7), sumSquares: Float64Array.of(3, 4, 0.1, 20),
      centredSquares: Float64Array.of(0.5, 0, 0.01, 3), sampledLabelSquares: Float64Array.of(1, 2, 3, 4), samplesPerExample: 2,
    } },
    { block: 'b', kind: 'diagonal', moments: { count: 3, sum: Float64Array.of(-1, 1e-3), factorSquares: Float64Array.of(0.25, 9) } },
  ],
};

function viaWire(c: StepContribution, encoding?: 'float32' | 'float16' | 'bfloat16'): { decoded: StepContribution; bytes: number } {
  const frame = encodeClientMessage({ step: contributionToWire(c, encoding ? { statisticsEncoding: encoding } : {}) });
  return { decoded: contributionFromWire(decodeClientMessage(frame).step!), bytes: frame.length };
}

const thrown = (f: () => unknown): FisherdError => {
  try {
    f();
  } catch (e) {
    if (e instanceof FisherdError) return e;
    throw e;
  }
  throw new Error('did not throw');
};

describe('statistics on the wire', () => {
  it.each([['float32', 2 ** -24], ['float16', 2 ** -11], ['bfloat16', 2 ** -8]] as const)('%s round-trips every vector within its rounding', (encoding, u) => {
    const { decoded } = viaWire(contribution, encoding);
    expect(decoded.statistics!.map((s) => s.block)).toEqual(['w', 'b']);
    for (let i = 0; i < 2; i++) {
      const sent = (contribution.statistics![i] as DiagonalBlockStatistics).moments as unknown as Record<string, unknown>;
      const got = (decoded.statistics![i] as DiagonalBlockStatistics).moments as unknown as Record<string, unknown>;
      expect(Object.keys(got).sort()).toEqual(Object.keys(sent).sort());
      for (const [key, value] of Object.entries(sent)) {
        if (typeof value === 'number') {
          expect(got[key]).toBe(value);
          continue;
        }
        const a = value as Float64Array;
        const b = got[key] as Float64Array | Float32Array;
        // The daemon's decode (contributionFromWire) keeps the wire's values exactly in float32 arrays.
        expect(b).toBeInstanceOf(Float32Array);
        for (let j = 0; j < a.length; j++) expect(Math.abs(b[j]! - a[j]!)).toBeLessThanOrEqual(u * Math.abs(a[j]!));
      }
    }
    expect(decoded.loss).toBe(0.5);
  });

  it('float16 and bfloat16 vectors take half the bytes of float32 ones', () => {
    const big: StepContribution = { ...contribution, statistics: [{ block: '', kind: 'diagonal', moments: {
      count: 3, sum: new Float64Array(1000).fill(1), sumSquares: new Float64Array(1000).fill(2), centredSquares: new Float64Array(1000).fill(3) } }] };
    const f32 = viaWire(big, 'float32').bytes;
    const f16 = viaWire(big, 'float16').bytes;
    expect(f32).toBeGreaterThan(12_000);
    expect(f16).toBeLessThan(f32 / 2 + 64);
    expect(viaWire(big, 'bfloat16').bytes).toBe(f16);
  });

  it('an old client contribution (rows, no statistics) decodes without statistics', () => {
    const { decoded } = viaWire({ step: 2, workerId: 0, batchSize: 1, reduction: 'sum', meanGrad: Float32Array.of(1, 2) });
    expect(decoded.statistics).toBeUndefined();
    expect(Array.from(decoded.meanGrad!)).toEqual([1, 2]);
  });

  it('refuses bytes that are not whole values, an unknown encoding and an entry of no known kind, naming the field', () => {
    const message = (diagonal: fisherd.v1.DiagonalMoments.$Properties | undefined) =>
      fisherd.v1.StepContribution.decode(fisherd.v1.StepContribution.encode({ step: 4, batchSize: 3, reduction: 1, statistics: [{ block: 'w', ...(diagonal ? { diagonal } : {}) }] }).finish());
    let e = thrown(() => contributionFromWire(message({ count: 3, sum: new Uint8Array(7) })));
    expect([e.code, e.field, e.step]).toEqual(['SHAPE_MISMATCH', 'step.statistics[0].diagonal.sum', 4]);
    e = thrown(() => contributionFromWire(message({ count: 3, encoding: 2, sum: new Uint8Array(3) })));
    expect([e.code, e.field]).toEqual(['SHAPE_MISMATCH', 'step.statistics[0].diagonal.sum']);
    e = thrown(() => contributionFromWire(message({ count: 3, encoding: 9 as fisherd.v1.FloatEncoding, sum: new Uint8Array(4) })));
    expect([e.code, e.field]).toEqual(['INVALID_CONFIG', 'step.statistics[0].diagonal.encoding']);
    e = thrown(() => contributionFromWire(message(undefined)));
    expect([e.code, e.field]).toEqual(['INVALID_CONFIG', 'step.statistics[0]']);
  });

  it('a float16 value beyond 65504 arrives as Infinity and the session refuses it (NON_FINITE), unchanged', () => {
    const session = new Session({ dim: D, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 } }, REFERENCE);
    const w = { step: 1, workerId: 0, batchSize: 2, reduction: 2, statistics: [{ block: '', diagonal: {
      count: 2, encoding: 2, sum: encodeHalf([1, 2, 3, 4, 5, 6], 'float16'), sumSquares: encodeHalf([1, 2, 3, 70000, 5, 6], 'float16') } }] };
    const decoded = contributionFromWire(fisherd.v1.StepContribution.decode(fisherd.v1.StepContribution.encode(w).finish()));
    const before = session.snapshot();
    const e = thrown(() => session.step([decoded]));
    expect([e.code, e.field]).toEqual(['NON_FINITE', 'statistics[0].diagonal.sumSquares']);
    expect(e.message).toMatch(/\[3\] is Infinity/);
    expect(session.snapshot()).toEqual(before);
    // An absent sum: MISSING_INPUT.
    const { sum: _s, ...noSum } = w.statistics[0]!.diagonal;
    const without = contributionFromWire(fisherd.v1.StepContribution.decode(fisherd.v1.StepContribution.encode({ ...w, statistics: [{ block: '', diagonal: noSum }] }).finish()));
    expect(thrown(() => session.step([without])).code).toBe('MISSING_INPUT');
  });

  it('Kronecker factor sums: packed upper triangles unpacked exactly into full matrices marked symmetric, from a pool they go back to', () => {
    const n = 3;
    const A = Float64Array.of(4, 0.5, -1, 0.5, 2, 0.25, -1, 0.25, 9);
    const G = Float64Array.of(1, 0.125, 0.125, 3);
    const kronecker = (scale: number): StepContribution => ({
      step: 1, workerId: 0, batchSize: 2, reduction: 'sum',
      statistics: [{ block: 'fc', kind: 'kronecker', kronecker: {
        count: 2, sum: Float64Array.from({ length: 2 * n }, (_, j) => j - 2.5),
        factors: { inputSum: A.map((x) => x * scale), inputCount: 2, sampled: { sum: G.map((x) => x * scale), count: 2 }, samplesPerExample: 1 },
      } }],
    });
    const frame = (c: StepContribution) => encodeClientMessage({ step: contributionToWire(c) });
    const factorsOf = (c: StepContribution) => (c.statistics![0] as { kronecker: KroneckerStatistics }).kronecker.factors!;
    expect(packUpper(A, n)).toEqual(Float64Array.of(4, 0.5, -1, 2, 0.25, 9));
    const first = contributionFromWire(decodeClientMessage(frame(kronecker(1))).step!);
    const f = factorsOf(first);
    expect(Array.from(f.inputSum)).toEqual(Array.from(A));
    expect(Array.from(f.sampled!.sum)).toEqual(Array.from(G));
    expect(isSymmetricByConstruction(f.inputSum)).toBe(true);
    expect(isSymmetricByConstruction(f.inputSum.slice())).toBe(false);
    const idle = factorMatrixPool.idleBytes;
    releaseContribution(first);
    expect(factorMatrixPool.idleBytes).toBe(idle + A.byteLength + G.byteLength);
    // The next contribution's matrices are the same arrays, overwritten with its values (and still symmetric).
    const second = contributionFromWire(decodeClientMessage(frame(kronecker(2))).step!);
    const g = factorsOf(second);
    expect(g.inputSum).toBe(f.inputSum);
    expect(Array.from(g.inputSum)).toEqual(Array.from(A, (x) => 2 * x));
    expect(Array.from(g.sampled!.sum)).toEqual(Array.from(G, (x) => 2 * x));
    expect(isSymmetricByConstruction(g.sampled!.sum)).toBe(true);
  });
});
