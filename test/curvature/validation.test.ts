/**
 * Typed errors naming the field, raised before any mutation: after each throw the state is bit-identical to
 * before (checked through snapshot()).
 */
import { describe, expect, it } from 'vitest';
import { FisherdError, type ErrorCode } from '../../src/errors.js';
import {
  createSymmetricEstimate,
  CurvatureEstimator,
  type Batch,
  type CurvatureConfig,
  type RowBlock,
  type Structure,
  type SymmetricEstimate,
} from '../../src/curvature/index.js';
import { bitwiseEqual, REFERENCE, Rng, rowBlock } from './helpers.js';

const D = 4;

function expectError(fn: () => unknown, code: ErrorCode, field: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code} on ${field}`).toBeInstanceOf(FisherdError);
  expect((caught as FisherdError).code).toBe(code);
  expect((caught as FisherdError).field).toBe(field);
}

function primed(structure: Structure = { kind: 'full' }): SymmetricEstimate {
  const estimate = createSymmetricEstimate(D, structure, REFERENCE);
  estimate.update([rowBlock(new Rng(1).normals(3 * D), 3, D)], 0.5);
  return estimate;
}

describe('SymmetricEstimate input errors', () => {
  const good = (): RowBlock => rowBlock(new Rng(2).normals(2 * D), 2, D);
  const withNaN = (): RowBlock => {
    const b = good();
    b.rows[5] = Number.NaN;
    return b;
  };
  const cases: [string, RowBlock[], number, ErrorCode, string][] = [
    ['rows length ≠ count·dim', [{ ...good(), count: 3 }], 0.5, 'SHAPE_MISMATCH', 'blocks[0].rows'],
    ['dim ≠ estimate dim', [{ ...good(), dim: 8, count: 1 }], 0.5, 'SHAPE_MISMATCH', 'blocks[0].dim'],
    ['NaN in the second block', [good(), withNaN()], 0.5, 'NON_FINITE', 'blocks[1].rows'],
    ['+Inf', [{ ...good(), rows: Float64Array.from([1, 2, 3, Infinity, 5, 6, 7, 8]) }], 0.5, 'NON_FINITE', 'blocks[0].rows'],
    ['negative scale', [{ ...good(), scale: -1 }], 0.5, 'INVALID_CONFIG', 'blocks[0].scale'],
    ['NaN scale', [{ ...good(), scale: Number.NaN }], 0.5, 'NON_FINITE', 'blocks[0].scale'],
    ['weights of the wrong length', [{ ...good(), weights: new Float64Array(3) }], 0.5, 'SHAPE_MISMATCH', 'blocks[0].weights'],
    ['a negative weight', [{ ...good(), weights: Float64Array.from([1, -1]) }], 0.5, 'INVALID_CONFIG', 'blocks[0].weights'],
    ['a NaN weight', [{ ...good(), weights: Float64Array.from([1, Number.NaN]) }], 0.5, 'NON_FINITE', 'blocks[0].weights'],
    ['non-integer count', [{ ...good(), count: 1.5 }], 0.5, 'SHAPE_MISMATCH', 'blocks[0].count'],
    ['decay = 1', [good()], 1, 'INVALID_CONFIG', 'decay'],
    ['decay < 0', [good()], -0.1, 'INVALID_CONFIG', 'decay'],
    ['decay NaN', [good()], Number.NaN, 'INVALID_CONFIG', 'decay'],
  ];
  for (const structure of [{ kind: 'full' }, { kind: 'lowrank', rank: 2 }] as Structure[]) {
    for (const [label, blocks, decay, code, field] of cases) {
      it(`${structure.kind}: ${label} → ${code} (${field}), state unchanged`, () => {
        const estimate = primed(structure);
        const steps = estimate.steps;
        const before = estimate.dense();
        expectError(() => estimate.update(blocks, decay), code, field);
        expect(estimate.steps).toBe(steps);
        expect(bitwiseEqual(estimate.dense(), before)).toBe(true);
      });
    }
  }

  it('read-outs check their arguments', () => {
    const estimate = primed();
    expectError(() => estimate.solve(new Float64Array(D), -1), 'INVALID_CONFIG', 'damping');
    expectError(() => estimate.solve(new Float64Array(D), Number.NaN), 'INVALID_CONFIG', 'damping');
    expectError(() => estimate.solve(new Float64Array(D), Infinity), 'INVALID_CONFIG', 'damping');
    expectError(() => estimate.solve(new Float64Array(D + 1), 1), 'SHAPE_MISMATCH', 'v');
    expectError(() => estimate.solve(Float64Array.from([0, Number.NaN, 0, 0]), 1), 'NON_FINITE', 'v');
    expectError(() => estimate.solve(new Float64Array(D), 1, new Float64Array(2)), 'SHAPE_MISMATCH', 'out');
    expectError(() => estimate.matvec(new Float64Array(3)), 'SHAPE_MISMATCH', 'v');
    expectError(() => estimate.topEigenvalues(D + 1), 'INVALID_CONFIG', 'k');
    expectError(() => estimate.topEigenvalues(-1), 'INVALID_CONFIG', 'k');
    const big = createSymmetricEstimate(100, { kind: 'diagonal' }, REFERENCE, { denseMaxDim: 50 });
    expectError(() => big.dense(), 'INVALID_CONFIG', 'dim');
  });

  it('structures are validated at construction', () => {
    const make = (structure: Structure, dim = D) => () => createSymmetricEstimate(dim, structure, REFERENCE);
    expectError(make({ kind: 'lowrank', rank: 0 }), 'INVALID_CONFIG', 'structure.rank');
    expectError(make({ kind: 'lowrank', rank: 2.5 }), 'INVALID_CONFIG', 'structure.rank');
    expectError(make({ kind: 'full' }, 0), 'INVALID_CONFIG', 'dim');
    expectError(make({ kind: 'dense' } as unknown as Structure), 'INVALID_CONFIG', 'structure.kind');
    const blocks = (sizes: number[], rank = 1): Structure => ({
      kind: 'blocks',
      blocks: sizes.map((size, i) => ({ name: `b${i}`, size, structure: i === 1 ? { kind: 'lowrank', rank } : { kind: 'full' } })),
    });
    expectError(make(blocks([2, 1])), 'INVALID_CONFIG', 'structure.blocks');
    expectError(make(blocks([2, 2], 0)), 'INVALID_CONFIG', 'structure.blocks[1].structure.rank');
    expectError(make(blocks([4, 0])), 'INVALID_CONFIG', 'structure.blocks[1].size');
    expectError(make({ kind: 'blocks', blocks: [] }), 'INVALID_CONFIG', 'structure.blocks');
    expectError(
      make({ kind: 'blocks', blocks: [{ name: 'a', size: 2, structure: { kind: 'full' } }, { name: 'a', size: 2, structure: { kind: 'full' } }] }),
      'INVALID_CONFIG',
      'structure.blocks[1].name',
    );
  });
});

describe('CurvatureEstimator batch errors', () => {
  const config: CurvatureConfig = {
    dim: D,
    structure: { kind: 'diagonal' },
    decay: 0.9,
    track: { empiricalFisher: true, fisher: true, noise: true },
  };
  const b = 3;
  const rng = new Rng(3);
  const grads = rng.normals(b * D);
  const sampled = rng.normals(2 * b * D);
  const good = (): Batch => ({
    batchSize: b,
    perExampleGrads: [rowBlock(grads, b, D)],
    sampledLabelGrads: { samplesPerExample: 2, blocks: [rowBlock(sampled, 2 * b, D)] },
  });
  const nanSampled = Float64Array.from(sampled);
  nanSampled[7] = -Infinity;
  const cases: [string, Batch, ErrorCode, string][] = [
    ['batchSize ≠ rows', { ...good(), batchSize: 4 }, 'SHAPE_MISMATCH', 'perExampleGrads'],
    ['batchSize 0', { ...good(), batchSize: 0 }, 'INVALID_CONFIG', 'batchSize'],
    ['rows length ≠ count·dim', { ...good(), perExampleGrads: [{ ...rowBlock(grads, b, D), count: 2 }] }, 'SHAPE_MISMATCH', 'perExampleGrads[0].rows'],
    ['per-example scale ≠ 1', { ...good(), perExampleGrads: [rowBlock(grads, b, D, 2)] }, 'INVALID_CONFIG', 'perExampleGrads[0].scale'],
    ['sampled rows ≠ b·K', { ...good(), sampledLabelGrads: { samplesPerExample: 3, blocks: [rowBlock(sampled, 2 * b, D)] } }, 'SHAPE_MISMATCH', 'sampledLabelGrads.blocks'],
    ['K = 0', { ...good(), sampledLabelGrads: { samplesPerExample: 0, blocks: [] } }, 'INVALID_CONFIG', 'sampledLabelGrads.samplesPerExample'],
    ['−Inf in sampled rows (after valid per-example rows)', { ...good(), sampledLabelGrads: { samplesPerExample: 2, blocks: [rowBlock(nanSampled, 2 * b, D)] } }, 'NON_FINITE', 'sampledLabelGrads.blocks[0].rows'],
    ['no per-example rows while Ẽ is tracked', { batchSize: b, meanGrad: new Float64Array(D), sampledLabelGrads: good().sampledLabelGrads }, 'MISSING_INPUT', 'perExampleGrads'],
    ['no Fisher input while F is tracked', { batchSize: b, perExampleGrads: good().perExampleGrads }, 'MISSING_INPUT', 'sampledLabelGrads'],
    ['both Fisher inputs', { ...good(), fisherFactorRows: { factorsPerExample: 2, blocks: [rowBlock(sampled, 2 * b, D)] } }, 'INVALID_CONFIG', 'fisherFactorRows'],
    ['meanGrad beside per-example rows', { ...good(), meanGrad: new Float64Array(D) }, 'INVALID_CONFIG', 'meanGrad'],
    ['meanGrad of the wrong length', { ...good(), perExampleGrads: undefined, meanGrad: new Float64Array(D + 1) }, 'SHAPE_MISMATCH', 'meanGrad'],
    ['b = 1 with the noise tracked', { batchSize: 1, perExampleGrads: [rowBlock(grads.subarray(0, D), 1, D)], sampledLabelGrads: { samplesPerExample: 2, blocks: [rowBlock(sampled.subarray(0, 2 * D), 2, D)] } }, 'INVALID_CONFIG', 'batchSize'],
  ];
  for (const [label, batch, code, field] of cases) {
    it(`${label} → ${code} (${field}), state unchanged, step named`, () => {
      const estimator = new CurvatureEstimator(config, REFERENCE);
      estimator.update(good());
      const before = estimator.snapshot();
      let caught: unknown;
      try {
        estimator.update(batch);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(FisherdError);
      expect((caught as FisherdError).code).toBe(code);
      expect((caught as FisherdError).field).toBe(field);
      expect((caught as FisherdError).step).toBe(2);
      const after = estimator.snapshot();
      expect(after.steps).toBe(1);
      expect(bitwiseEqual(after.meanGrad, before.meanGrad)).toBe(true);
      for (const quantity of ['empiricalFisher', 'fisher', 'noise'] as const) {
        const a = after[quantity]!;
        const c = before[quantity]!;
        if (a.kind !== 'diagonal' || c.kind !== 'diagonal') throw new Error('diagonal expected');
        expect(bitwiseEqual(a.diagonal, c.diagonal), quantity).toBe(true);
      }
    });
  }

  it('a batch with only ḡ is enough when only the mean is tracked (SGD)', () => {
    const estimator = new CurvatureEstimator({ ...config, decay: 0, track: { empiricalFisher: false, fisher: false, noise: false } }, REFERENCE);
    const mean = Float64Array.from([1, 2, 3, 4]);
    estimator.update({ batchSize: 1, meanGrad: mean });
    expect(Array.from(estimator.meanGrad())).toEqual([1, 2, 3, 4]);
    expectError(() => estimator.update({ batchSize: 1 }), 'MISSING_INPUT', 'meanGrad');
  });

  it('config errors', () => {
    expectError(() => new CurvatureEstimator({ ...config, decay: 1 }, REFERENCE), 'INVALID_CONFIG', 'decay');
    expectError(() => new CurvatureEstimator({ ...config, structure: { kind: 'lowrank', rank: 0 } }, REFERENCE), 'INVALID_CONFIG', 'structure.rank');
  });
});
