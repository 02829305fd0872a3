/**
 * The estimator checks the per-example rows for NaN/±Inf through ḡ (a non-finite row value makes its column
 * of ḡ non-finite) instead of scanning them, and scans only to name the value. These tests pin that the
 * shortcut reports exactly what the scan did, on every backend, and leaves the state unchanged.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator, type Batch, type CurvatureConfig, type CurvatureSnapshot } from '../../src/curvature/index.js';
import { FisherdError } from '../../src/errors.js';
import { BACKENDS, Rng, errorOf } from './helpers.js';

const D = 37; // not a multiple of 8 or 16: the probes' unrolled loops and tails both run
const b = 5;

function snapshotsEqual(a: unknown, c: unknown): boolean {
  if (a instanceof Float32Array || a instanceof Float64Array) {
    if (!(c instanceof a.constructor) || (c as typeof a).length !== a.length) return false;
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array((c as typeof a).buffer, (c as typeof a).byteOffset, (c as typeof a).byteLength);
    return x.every((v, i) => v === y[i]);
  }
  if (typeof a === 'object' && a !== null && typeof c === 'object' && c !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(c).length && keys.every((k) => snapshotsEqual((a as Record<string, unknown>)[k], (c as Record<string, unknown>)[k]));
  }
  return Object.is(a, c);
}


describe.each(BACKENDS.map((backend) => [backend.name, backend] as const))('%s: non-finite per-example rows', (_, backend) => {
  const config: CurvatureConfig = { dim: D, structure: { kind: 'diagonal' }, decay: 0.9, track: { empiricalFisher: true, fisher: false, noise: true } };
  const rng = new Rng(11);
  const first = Float32Array.from(rng.normals(2 * D));
  const second = Float32Array.from(rng.normals(3 * D));
  const batch = (a: Float32Array, c: Float32Array): Batch => ({
    batchSize: b,
    perExampleGrads: [
      { rows: a, count: 2, dim: D, scale: 1 },
      { rows: c, count: 3, dim: D, scale: 1 },
    ],
  });
  const poisoned = (rows: Float32Array, index: number, value: number): Float32Array => {
    const copy = rows.slice();
    copy[index] = value;
    return copy;
  };

  const cases: [string, () => Batch, string, RegExp][] = [
    ['NaN in the second block', () => batch(first, poisoned(second, 2 * D + 30, NaN)), 'perExampleGrads[1].rows', /NaN at row 2, column 30/],
    ['+Inf in the first block', () => batch(poisoned(first, 3, Infinity), second), 'perExampleGrads[0].rows', /Infinity at row 0, column 3/],
    // +Inf and −Inf in one column sum to NaN in ḡ: still caught, the first block named.
    ['+Inf and −Inf in one column', () => batch(poisoned(first, D + 7, Infinity), poisoned(second, 7, -Infinity)), 'perExampleGrads[0].rows', /Infinity at row 1, column 7/],
  ];
  for (const [label, make, field, message] of cases) {
    it(`${label} → NON_FINITE naming ${field}, row and column; state unchanged`, () => {
      const estimator = new CurvatureEstimator(config, backend);
      estimator.update(batch(first, second));
      const before: CurvatureSnapshot = estimator.snapshot();
      const error = errorOf(() => estimator.update(make()));
      expect(error.code).toBe('NON_FINITE');
      expect(error.field).toBe(field);
      expect(error.step).toBe(2);
      expect(error.message).toMatch(message);
      expect(snapshotsEqual(estimator.snapshot(), before)).toBe(true);
      // … and a NaN left in the ḡ scratch by the failed batch does not leak into the next one.
      estimator.update(batch(first, second));
      expect(Array.from(estimator.meanGrad()).every(Number.isFinite)).toBe(true);
    });
  }

  if (backend.dtype === 'float32') {
    it('finite rows whose float32 column sum overflows are accepted, as without the shortcut', () => {
      const huge = new Float32Array(2 * D);
      huge[5] = 3e38;
      huge[D + 5] = 3e38; // 6e38 overflows float32 in ḡ; every row value is finite
      const estimator = new CurvatureEstimator({ ...config, track: { empiricalFisher: true, fisher: false, noise: false } }, backend);
      expect(() => estimator.update({ batchSize: 2, perExampleGrads: [{ rows: huge, count: 2, dim: D, scale: 1 }] })).not.toThrow();
      expect(estimator.steps).toBe(1);
    });
  }
});
