/**
 * `updateFromSummary` / `updateFromStatistics` with `meanGradOut`: the pass that updates ḡ's EMA also writes
 * the bias-corrected ḡ after the update — bit for bit what `meanGrad()` returns then — and Σ of its squares,
 * from which `norm2FromSquares` gives `norm2(ḡ)` exactly (also for magnitudes whose squares overflow, where it
 * reads ḡ again). The estimate's state is the same bits as without it, through checkpoints and rollbacks too;
 * `summaryValues: false` skips only the summary's NaN scan. ḡ read from `meanSegments` (one worker's sums)
 * gives the bits of the summary's mean written first, on both kernel sets (the native `fd_mean_ema`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { allocateSummary, type DiagonalBatchSummary } from '../../src/curvature/batch-summary.js';
import { CurvatureEstimator, type CurvatureConfig } from '../../src/curvature/estimator.js';
import { kroneckerFactorsFromPairs } from '../../src/curvature/kronecker-factors.js';
import { FisherdError } from '../../src/errors.js';
import { availableKernels, kernelsInUse, useKernels, type KernelsName } from '../../src/linalg/native-kernels.js';
import { norm2, norm2FromSquares } from '../../src/optim/vec.js';
import { bitwiseEqual, REFERENCE, Rng } from './helpers.js';

const initialKernels = kernelsInUse();
afterAll(() => useKernels(initialKernels));

const OUT = 3;
const IN = 4; // in' = 5 with the bias
const K = OUT * (IN + 1);
const D = K + 6;

function summary(rng: Rng, scale: number): DiagonalBatchSummary {
  const s = allocateSummary(D, { empiricalFisher: true, fisher: false, noise: false });
  s.batchSize = 4;
  for (let j = 0; j < D; j++) {
    s.mean[j] = rng.normal() * scale;
    s.squares![j] = Math.abs(rng.normal()) * scale * scale;
  }
  return s;
}

function encode(e: CurvatureEstimator): string {
  return JSON.stringify(e.snapshot(), (_, v: unknown) => (v instanceof Float64Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : v));
}

describe('the bias-corrected mean gradient from the EMA\'s pass', () => {
  for (const decay of [0, 0.9]) {
    it(`diagonal estimates (β = ${decay}): ḡ and ‖ḡ‖ as meanGrad() and norm2 give them; the same state`, () => {
      const config: CurvatureConfig = { dim: D, structure: { kind: 'diagonal' }, decay, track: { empiricalFisher: true, fisher: false, noise: false } };
      const plain = new CurvatureEstimator(config, REFERENCE);
      const fused = new CurvatureEstimator(config, REFERENCE);
      const rng = new Rng(3);
      const out = new Float64Array(D);
      const twin = new CurvatureEstimator(config, REFERENCE); // sees every summary but the last
      const scales = [1, 1e160, 1e-160, 3]; // squares that overflow (1e160) and underflow take norm2's scaled pass
      for (const [t, scale] of scales.entries()) {
        const s = summary(rng, scale);
        plain.updateFromSummary(s);
        if (t < scales.length - 1) twin.updateFromSummary(s);
        fused.checkpoint(); // the EMA then goes into another array (copy on write): the same bits
        const squares = fused.updateFromSummary(s, { meanGradOut: out });
        expect(typeof squares).toBe('number');
        expect(bitwiseEqual(out, plain.meanGrad())).toBe(true);
        expect(Object.is(norm2FromSquares(squares!, out), norm2(plain.meanGrad()))).toBe(true);
        expect(encode(fused)).toEqual(encode(plain));
      }
      // a rollback returns to the checkpoint's EMA, and the estimator continues as the twin does
      fused.rollback();
      expect(encode(fused)).toEqual(encode(twin));
      const s = summary(rng, 1);
      twin.updateFromSummary(s);
      fused.updateFromSummary(s, { meanGradOut: out });
      expect(bitwiseEqual(out, twin.meanGrad())).toBe(true);
      expect(encode(fused)).toEqual(encode(twin));
    });
  }

  it('Kronecker blocks: updateFromStatistics writes the same ḡ and returns its squares; the state is the same bits', () => {
    const config: CurvatureConfig = {
      dim: D,
      structure: { kind: 'blocks', blocks: [
        { name: 'fc', size: K, structure: { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true } },
        { name: 'b', size: D - K, structure: { kind: 'diagonal' } },
      ] },
      decay: 0.8,
      track: { empiricalFisher: true, fisher: false, noise: false },
    };
    const plain = new CurvatureEstimator(config, REFERENCE);
    const fused = new CurvatureEstimator(config, REFERENCE);
    const rng = new Rng(4);
    const out = new Float64Array(D);
    for (let t = 0; t < 3; t++) {
      const s = summary(rng, 1);
      const a = Float64Array.from(rng.normals(4 * (IN + 1)), (x, j) => ((j + 1) % (IN + 1) === 0 ? 1 : x));
      const pairs = { inputs: a, count: 4, outputGrads: Float64Array.from(rng.normals(4 * OUT)), outputGradsPerInput: 1 };
      const factors = { empiricalFisher: new Map([['fc', [kroneckerFactorsFromPairs({ outputs: OUT, inputOrder: IN + 1, inputs: IN, bias: true }, pairs)]]]) };
      plain.updateFromStatistics(s, factors);
      fused.checkpoint();
      const squares = fused.updateFromStatistics(s, factors, [], { meanGradOut: out, summaryValues: false });
      expect(bitwiseEqual(out, plain.meanGrad())).toBe(true);
      expect(Object.is(norm2FromSquares(squares!, out), norm2(out))).toBe(true);
      expect(encode(fused)).toEqual(encode(plain));
    }
  });

  it('meanSegments: ḡ of the batch read from scaled float32 segments is the summary\'s mean written first, bit for bit; bad tilings refused', () => {
    const config: CurvatureConfig = { dim: D, structure: { kind: 'diagonal' }, decay: 0.7, track: { empiricalFisher: true, fisher: false, noise: false } };
    const written = new CurvatureEstimator(config, REFERENCE);
    const streamed = new CurvatureEstimator(config, REFERENCE);
    const rng = new Rng(6);
    const [out1, out2] = [new Float64Array(D), new Float64Array(D)];
    for (let t = 0; t < 3; t++) {
      const s = summary(rng, 1);
      // two segments of float32 sums with a factor, −0 and 0 among them (0 + f·(−0) is +0)
      const values = [Float32Array.from(rng.normals(7)), Float32Array.from(rng.normals(D - 7))];
      values[0]![1] = -0;
      values[1]![2] = 0;
      const factor = 1 / 3;
      for (let j = 0; j < 7; j++) s.mean[j] = 0 + factor * values[0]![j]!;
      for (let j = 0; j < D - 7; j++) s.mean[7 + j] = 0 + factor * values[1]![j]!;
      const a = written.updateFromSummary(s, { meanGradOut: out1 });
      const stale = { ...s, mean: new Float64Array(D).fill(Number.NaN) }; // not read with segments (nor scanned: the caller vouches)
      const b = streamed.updateFromSummary(stale, { meanGradOut: out2, summaryValues: false, meanSegments: [{ offset: 0, values: values[0]!, factor }, { offset: 7, values: values[1]!, factor }] });
      expect(Object.is(a, b)).toBe(true);
      expect(bitwiseEqual(out1, out2)).toBe(true);
      expect(encode(streamed)).toEqual(encode(written));
    }
    const s = summary(rng, 1);
    const v = new Float32Array(D);
    for (const segments of [[{ offset: 0, values: v.subarray(0, 5), factor: 1 }], [{ offset: 1, values: v, factor: 1 }], [{ offset: 0, values: v, factor: Number.NaN }]]) {
      expect(() => streamed.updateFromSummary(s, { meanSegments: segments })).toThrow(/meanSegments/);
    }
    expect(encode(streamed)).toEqual(encode(written));
  });

  it.each(availableKernels())('meanSegments on the %s kernels (segments past the native threshold, float32 and float64, in place and beside a checkpoint): the bits of the summary\'s mean', (kernels: KernelsName) => {
    useKernels(kernels);
    const lengths = [5000, 4100, 700];
    const dim = lengths.reduce((a, b) => a + b, 0);
    for (const decay of [0, 0.9]) {
      const config: CurvatureConfig = { dim, structure: { kind: 'diagonal' }, decay, track: { empiricalFisher: false, fisher: false, noise: false } };
      const written = new CurvatureEstimator(config, REFERENCE);
      const streamed = new CurvatureEstimator(config, REFERENCE);
      const rng = new Rng(7);
      const [out1, out2] = [new Float64Array(dim), new Float64Array(dim)];
      for (let t = 0; t < 4; t++) {
        const values = lengths.map((n, k): Float32Array | Float64Array => {
          const v = Array.from(rng.normals(n), (x) => x * 10 ** Math.round(rng.normal() * 3));
          return k === 1 ? Float64Array.from(v) : Float32Array.from(v);
        });
        values[0]![3] = -0;
        const factor = 0.7 + t;
        const s = allocateSummary(dim, config.track);
        s.batchSize = 8;
        let at = 0;
        for (const v of values) for (let j = 0; j < v.length; j++) s.mean[at++] = 0 + factor * v[j]!;
        const a = written.updateFromSummary(s, { meanGradOut: out1 });
        if (t % 2 === 0) streamed.checkpoint(); // beside the held EMA, then in place
        let offset = 0;
        const segments = values.map((v) => ({ offset: (offset += v.length) - v.length, values: v, factor }));
        const b = streamed.updateFromSummary({ ...s, mean: new Float64Array(dim) }, { summaryValues: false, meanGradOut: out2, meanSegments: segments });
        expect(Object.is(a, b), `β = ${decay}, step ${t}`).toBe(true);
        expect(bitwiseEqual(out1, out2), `β = ${decay}, step ${t}`).toBe(true);
        expect(encode(streamed)).toEqual(encode(written));
      }
    }
  });

  it('without summaryValues: false a NaN in the summary is refused before anything changes; meanGradOut of another length is a SHAPE_MISMATCH', () => {
    const config: CurvatureConfig = { dim: D, structure: { kind: 'diagonal' }, decay: 0.5, track: { empiricalFisher: true, fisher: false, noise: false } };
    const estimator = new CurvatureEstimator(config, REFERENCE);
    const rng = new Rng(5);
    estimator.updateFromSummary(summary(rng, 1));
    const before = encode(estimator);
    const bad = summary(rng, 1);
    bad.mean[4] = Number.NaN;
    const thrown = (f: () => unknown): FisherdError => { try { f(); } catch (e) { if (e instanceof FisherdError) return e; throw e; } throw new Error('did not throw'); };
    expect([thrown(() => estimator.updateFromSummary(bad)).field]).toEqual(['summary.mean']);
    expect(thrown(() => estimator.updateFromSummary(summary(rng, 1), { meanGradOut: new Float64Array(D - 1) })).code).toBe('SHAPE_MISMATCH');
    expect(encode(estimator)).toEqual(before);
  });
});
