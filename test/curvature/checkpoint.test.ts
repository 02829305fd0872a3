/**
 * checkpoint()/rollback(): after any update (or several estimates' updates), rollback returns to the
 * checkpointed state bit for bit, and the estimator then continues exactly as one that never saw the update.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator, type Batch, type CurvatureConfig, type Structure } from '../../src/curvature/index.js';
import { BACKENDS, bitwiseEqual, Rng } from './helpers.js';

const D = 12;
const structures: [string, Structure][] = [
  ['diagonal', { kind: 'diagonal' }],
  ['full', { kind: 'full' }],
  ['lowrank r=3', { kind: 'lowrank', rank: 3 }],
  ['blocks', { kind: 'blocks', blocks: [
    { name: 'a', size: 5, structure: { kind: 'full' } },
    { name: 'b', size: 4, structure: { kind: 'lowrank', rank: 2 } },
    { name: 'c', size: 3, structure: { kind: 'diagonal' } },
  ] }],
];

function batch(rng: Rng, b: number): Batch {
  return {
    batchSize: b,
    perExampleGrads: [{ rows: Float32Array.from(rng.normals(b * D)), count: b, dim: D, scale: 1 }],
    sampledLabelGrads: { samplesPerExample: 2, blocks: [{ rows: Float32Array.from(rng.normals(2 * b * D)), count: 2 * b, dim: D, scale: 1 }] },
  };
}

function encode(estimator: CurvatureEstimator): unknown {
  return JSON.stringify(estimator.snapshot(), (_, v: unknown) =>
    v instanceof Float32Array || v instanceof Float64Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : v,
  );
}

describe.each(BACKENDS.map((backend) => [backend.name, backend] as const))('%s: checkpoint and rollback', (_, backend) => {
  for (const [label, structure] of structures) {
    it(`${label}: rollback is bit-identical and the estimator continues as if the update never happened`, () => {
      const config: CurvatureConfig = { dim: D, structure, decay: 0.8, track: { empiricalFisher: true, fisher: true, noise: true } };
      const rng = new Rng(5);
      const batches = [batch(rng, 3), batch(rng, 4), batch(rng, 3), batch(rng, 2)];
      const estimator = new CurvatureEstimator(config, backend);
      const twin = new CurvatureEstimator(config, backend);
      const v = Float64Array.from(rng.normals(D));
      for (const b of batches.slice(0, 2)) {
        estimator.update(b);
        twin.update(b);
      }
      estimator.empiricalFisher!.solve(v, 0.1); // caches a factor, which the rollback must drop
      const before = encode(estimator);
      estimator.checkpoint();
      estimator.update(batches[2]!);
      estimator.empiricalFisher!.solve(v, 0.1);
      estimator.rollback();
      expect(encode(estimator)).toEqual(before);
      // A second round through the same (reused) checkpoint buffers.
      estimator.checkpoint();
      estimator.update(batches[3]!);
      estimator.rollback();
      expect(encode(estimator)).toEqual(before);
      estimator.update(batches[3]!);
      twin.update(batches[3]!);
      expect(encode(estimator)).toEqual(encode(twin));
      for (const q of ['empiricalFisher', 'fisher', 'noise'] as const) {
        expect(bitwiseEqual(estimator[q]!.solve(v, 0.1), twin[q]!.solve(v, 0.1)), q).toBe(true);
      }
    });
  }

  it('rollback without a checkpoint is an INTERNAL error', () => {
    const estimator = new CurvatureEstimator({ dim: D, structure: { kind: 'diagonal' }, decay: 0.5, track: { empiricalFisher: true, fisher: false, noise: false } }, backend);
    expect(() => estimator.rollback()).toThrow(/without a checkpoint/);
  });
});
