/**
 * A Kronecker block's gradient sum sent as factors (`KroneckerStatistics.sumFactors`, proto `GradientFactors`;
 * math.md "Low-rank gradient sums") instead of the dense `sum`, through real bytes (encode → decode):
 * - the session's updates and diagnostics (ḡ's norm, the EF-vs-Fisher cosines, per layer too) equal those of
 *   a twin fed the dense sums of the same pairs, on the float64 reference backend: ḡ's norm to 1e-6, the
 *   updates and cosines to 1e-5 (each path rounds its wire values to float32 once, ε₃₂ ≈ 6e-8 apart in ḡ,
 *   and the solve multiplies that by the damped estimate's condition number, ≤ ~100 here),
 *   for ngd and efgd, Tikhonov and π-damping, one worker and W = 2 workers (mean and sum reductions), with
 *   emaDecay 0 (the solves multiply by the factors) and 0.5 (ḡ is an EMA: the solve takes the dense ḡ);
 * - with emaDecay 0 the solve does take the factors (a product of inner dimension b = the rank is seen), with
 *   0.5 it does not;
 * - bad factors: typed errors naming the field, the session unchanged (its next step equals a control's);
 * - float16 factors decode exactly and give the dense float16 path's update to float16's rounding.
 */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import type { Backend } from '../../src/linalg/backend.js';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { contributionFromWire, contributionToWire } from '../../src/protocol/step-codec.js';
import type { StatisticsEncoding } from '../../src/protocol/statistics-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { kroneckerStatisticsFromPairs, type KroneckerStatistics } from '../../src/session/kronecker-statistics.js';
import { Session } from '../../src/session/session.js';
import { diagonalMomentsOf, type BlockStatistics } from '../../src/session/statistics.js';
import { BACKENDS } from '../curvature/helpers.js';
import { REFERENCE, Rng, relativeError } from './helpers.js';

// "fc": 8 × 7 with a bias; "proj": 4 × 6 without; "norm": a diagonal block of 3. The factors pay on fc
// (r·(out² + in'² + out·in') < out·in'·(out + in') up to r = 5: both workers' ranks 3 + 2).
const FC = { outputs: 8, inputs: 7, bias: true };
const PROJ = { outputs: 4, inputs: 6, bias: false };
const NORM = 3;
const SIZE_FC = 8 * 8;
const SIZE_PROJ = 4 * 6;
const K = 1;

interface Layer { outputs: number; inputs: number; bias: boolean }

function viaWire(c: StepContribution, encoding?: StatisticsEncoding): StepContribution {
  const wire = contributionToWire(c, encoding === undefined ? {} : { statisticsEncoding: encoding });
  return contributionFromWire(decodeClientMessage(encodeClientMessage({ step: wire })).step!);
}

function config(name: 'ngd' | 'efgd', emaDecay: number, damping: 'pi' | 'tikhonov', extra: Partial<SessionConfig> = {}): SessionConfig {
  const kron = (l: Layer) => ({ kind: 'kronecker' as const, ...l, damping });
  return {
    dim: SIZE_FC + SIZE_PROJ + NORM,
    blocks: [
      { name: 'fc', size: SIZE_FC, structure: kron(FC) },
      { name: 'proj', size: SIZE_PROJ, structure: kron(PROJ) },
      { name: 'norm', size: NORM, structure: { kind: 'diagonal' } },
    ],
    optimizer: { name, stepSize: 0.1, damping: 0.05 },
    emaDecay,
    backend: 'reference',
    track: { empiricalFisher: true, fisher: true },
    ...extra,
  };
}

/** One worker's step: the same random pairs as dense sums or as factors. */
function contribution(rng: Rng, step: number, workerId: number, b: number, sumAs: 'sum' | 'factors', reduction: 'mean' | 'sum' = 'sum', encoding?: StatisticsEncoding): StepContribution {
  const layer = (l: Layer): KroneckerStatistics => kroneckerStatisticsFromPairs({
    ...l, count: b, activations: rng.normals(b * l.inputs), outputGrads: rng.normals(b * l.outputs),
    sampled: { outputGrads: rng.normals(b * K * l.outputs), samplesPerExample: K }, reduction, sumAs,
  });
  const norm = diagonalMomentsOf({ count: b, dim: NORM, perExampleGrads: rng.normals(b * NORM), sampledLabelGrads: { rows: rng.normals(b * K * NORM), samplesPerExample: K }, include: { centredSquares: false } });
  if (reduction === 'mean') for (const v of [norm.sum]) v.forEach((x, j) => { v[j] = x / b; });
  const statistics: BlockStatistics[] = [
    { block: 'fc', kind: 'kronecker', kronecker: layer(FC) },
    { block: 'proj', kind: 'kronecker', kronecker: layer(PROJ) },
    { block: 'norm', kind: 'diagonal', moments: norm },
  ];
  return viaWire({ step, workerId, batchSize: b, reduction, statistics }, encoding);
}

/** REFERENCE with its gemm calls' shapes recorded (m, n, k). */
function recordingBackend(): { backend: Backend; products: [number, number, number][] } {
  const products: [number, number, number][] = [];
  const backend = Object.create(REFERENCE) as Backend;
  backend.gemm = (tA, tB, m, n, k, alpha, A, B, beta, C) => {
    products.push([m, n, k]);
    REFERENCE.gemm(tA, tB, m, n, k, alpha, A, B, beta, C);
  };
  return { backend, products };
}

function expectSameStep(a: ReturnType<Session['step']>, b: ReturnType<Session['step']>): void {
  expect(relativeError(Float64Array.from(b.update), Float64Array.from(a.update))).toBeLessThan(1e-5);
  expect(Math.abs(b.diagnostics.gradNorm - a.diagnostics.gradNorm)).toBeLessThan(1e-6 * a.diagnostics.gradNorm);
  expect(Math.abs(b.diagnostics.cosineEfFisher! - a.diagnostics.cosineEfFisher!)).toBeLessThan(1e-5);
  for (const layer of ['fc', 'proj']) {
    const key = `layer.${layer}.cosineEfFisher`;
    expect(Math.abs(b.diagnostics.layers![key]! - a.diagnostics.layers![key]!)).toBeLessThan(1e-5);
  }
}

describe('Kronecker gradient sums sent as factors', () => {
  it.each([
    ['ngd', 0, 'tikhonov'], ['ngd', 0, 'pi'], ['efgd', 0, 'pi'], ['efgd', 0.5, 'tikhonov'], ['ngd', 0.5, 'pi'],
  ] as const)('%s, emaDecay %d, %s damping: the dense sums\' updates and diagnostics, one worker and two', (name, emaDecay, damping) => {
    for (const workers of [1, 2]) {
      const dense = new Session(config(name, emaDecay, damping, { workers }), REFERENCE);
      const { backend, products } = recordingBackend();
      const factored = new Session(config(name, emaDecay, damping, { workers }), backend);
      for (let step = 1; step <= 4; step++) {
        const sizes = workers === 1 ? [3] : [3, 2];
        const seeds = sizes.map((_, w) => 100 * step + w);
        const reduction = (w: number) => (w === 1 ? 'mean' : 'sum');
        const a = dense.step(sizes.map((b, w) => contribution(new Rng(seeds[w]!), step, w, b, 'sum', reduction(w))));
        products.length = 0;
        const b = factored.step(sizes.map((b, w) => contribution(new Rng(seeds[w]!), step, w, b, 'factors', reduction(w))));
        expectSameStep(a, b);
        // fc's thin product Σ s·(·Lᵀ)(R·): 8 × 8 with inner dimension b_w, once per worker, only where ḡ is this step's mean
        const thin = products.some(([m, n, k]) => m === FC.outputs && n === FC.inputs + 1 && sizes.includes(k));
        expect(thin).toBe(emaDecay === 0);
      }
    }
  });

  it.each(BACKENDS.filter((b) => b.name !== 'reference').map((b) => [b.name, b] as const))('on %s: the dense sums\' updates to its solves\' precision (sums formed by its gemm into the block\'s layout)', (_name, backend) => {
    const dense = new Session(config('ngd', 0, 'pi', { backend: backend.name }), backend);
    const factored = new Session(config('ngd', 0, 'pi', { backend: backend.name }), backend);
    for (let step = 1; step <= 3; step++) {
      const a = dense.step([contribution(new Rng(step), step, 0, 3, 'sum')]);
      const b = factored.step([contribution(new Rng(step), step, 0, 3, 'factors')]);
      // float32 storage: each solve's products round to float32 (math.md "Precision"), ε₃₂ times the condition
      expect(relativeError(Float64Array.from(b.update), Float64Array.from(a.update))).toBeLessThan(backend.dtype === 'float32' ? 1e-4 : 1e-5);
    }
  });

  it('float16 factors: the dense float16 sums\' update to float16\'s rounding', () => {
    const dense = new Session(config('ngd', 0, 'pi'), REFERENCE);
    const factored = new Session(config('ngd', 0, 'pi'), REFERENCE);
    for (let step = 1; step <= 3; step++) {
      const a = dense.step([contribution(new Rng(step), step, 0, 4, 'sum', 'sum', 'float16')]);
      const b = factored.step([contribution(new Rng(step), step, 0, 4, 'factors', 'sum', 'float16')]);
      // each path rounds its values (sum or factors) to float16 once: 2⁻¹¹ relative, grown by the solve
      expect(relativeError(Float64Array.from(b.update), Float64Array.from(a.update))).toBeLessThan(2e-2);
    }
  });

  it('bad factors: typed errors naming the field; the session unchanged', () => {
    const session = new Session(config('ngd', 0, 'pi'), REFERENCE);
    const control = new Session(config('ngd', 0, 'pi'), REFERENCE);
    const good = (step: number) => contribution(new Rng(step), step, 0, 3, 'factors');
    session.step([good(1)]);
    control.step([good(1)]);
    const fcOf = (c: StepContribution) => (c.statistics![0] as Extract<BlockStatistics, { kind: 'kronecker' }>).kronecker;
    const withFc = (c: StepContribution, fc: KroneckerStatistics): StepContribution =>
      ({ ...c, statistics: [{ block: 'fc', kind: 'kronecker', kronecker: fc }, ...c.statistics!.slice(1)] });
    const bad = (mutate: (fc: KroneckerStatistics) => KroneckerStatistics) => {
      const c = good(2);
      return withFc(c, mutate(fcOf(c)));
    };
    const cases: [string, string, StepContribution][] = [
      ['INVALID_CONFIG', 'statistics[0].kronecker.sumFactors', bad((fc) => ({ ...fc, sum: new Float32Array(SIZE_FC) }))],
      ['MISSING_INPUT', 'statistics[0].kronecker.sum', bad(({ sumFactors: _, ...fc }) => fc)],
      ['SHAPE_MISMATCH', 'statistics[0].kronecker.sumFactors.rank', bad((fc) => ({ ...fc, sumFactors: { ...fc.sumFactors!, rank: 0 } }))],
      ['SHAPE_MISMATCH', 'statistics[0].kronecker.sumFactors.outputGrads', bad((fc) => ({ ...fc, sumFactors: { ...fc.sumFactors!, rank: 2 } }))],
      ['SHAPE_MISMATCH', 'statistics[0].kronecker.sumFactors.inputs', bad((fc) => ({ ...fc, sumFactors: { ...fc.sumFactors!, inputs: fc.sumFactors!.inputs.subarray(1) } }))],
      ['NON_FINITE', 'statistics[0].kronecker.sumFactors.outputGrads', bad((fc) => {
        const outputGrads = Float32Array.from(fc.sumFactors!.outputGrads);
        outputGrads[7] = Number.NaN;
        return { ...fc, sumFactors: { ...fc.sumFactors!, outputGrads } };
      })],
    ];
    for (const [code, field, c] of cases) {
      let caught: unknown;
      try {
        session.step([c]);
      } catch (e) {
        caught = e;
      }
      expect(caught, field).toBeInstanceOf(FisherdError);
      expect((caught as FisherdError).code, field).toBe(code);
      expect((caught as FisherdError).field, String((caught as FisherdError).message)).toBe(field);
    }
    // the NaN's message names its row and column
    const nan = cases[cases.length - 1]![2];
    expect(() => session.step([nan])).toThrow(/outputGrads\[0\]\[7\] is NaN/);
    const a = session.step([good(2)]);
    const b = control.step([good(2)]);
    expect(Array.from(a.update)).toEqual(Array.from(b.update));
  });

  it('over the wire the factors keep their rank and values (float32 exactly)', () => {
    const rng = new Rng(5);
    const b = 3;
    const activations = rng.normals(b * FC.inputs);
    const outputGrads = rng.normals(b * FC.outputs);
    const fc = kroneckerStatisticsFromPairs({ ...FC, count: b, activations, outputGrads, sumAs: 'factors', factors: false });
    const c = viaWire({ step: 1, workerId: 0, batchSize: b, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: fc }] });
    const back = (c.statistics![0] as Extract<BlockStatistics, { kind: 'kronecker' }>).kronecker;
    expect(back.sum).toBeUndefined();
    expect(back.sumFactors!.rank).toBe(b);
    expect(Array.from(back.sumFactors!.outputGrads)).toEqual(Array.from(Float32Array.from(outputGrads)));
    expect(Array.from(back.sumFactors!.inputs)).toEqual(Array.from(Float32Array.from(fc.sumFactors!.inputs)));
  });
});
