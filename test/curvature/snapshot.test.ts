/**
 * snapshot()/restore(): plain data (survives structuredClone), a copy (later updates do not change it), and
 * bit-identical: update, snapshot, restore into a fresh object, continue both with the same input, compare
 * bitwise. Runs on every backend (restore within one backend keeps its storage type, so bits must match).
 */
import { describe, expect, it } from 'vitest';
import {
  createSymmetricEstimate,
  CurvatureEstimator,
  restoreSymmetricEstimate,
  type Structure,
  type SymmetricEstimate,
} from '../../src/curvature/index.js';
import { BACKENDS, bitwiseEqual, REFERENCE, Rng, rowBlock } from './helpers.js';

const D = 8;
const STRUCTURES: Structure[] = [
  { kind: 'full' },
  { kind: 'diagonal' },
  { kind: 'lowrank', rank: 3 },
  {
    kind: 'blocks',
    blocks: [
      { name: 'layer1', size: 5, structure: { kind: 'lowrank', rank: 2 } },
      { name: 'layer2', size: 3, structure: { kind: 'full' } },
    ],
  },
];

function readOut(estimate: SymmetricEstimate): Float64Array[] {
  const v = new Rng(77).normals(D);
  return [estimate.dense(), estimate.solve(v, 0.05), estimate.matvec(v), estimate.diagonal(), estimate.topEigenvalues(3)];
}

for (const backend of BACKENDS) {
  describe(`snapshot/restore on ${backend.name}`, () => {
    for (const structure of STRUCTURES) {
      it(`${structure.kind}: restore into a fresh estimate and continue: bit-identical`, () => {
        const rng = new Rng(8);
        const batches = Array.from({ length: 6 }, () => rng.normals(4 * D));
        const original = createSymmetricEstimate(D, structure, backend);
        for (let t = 0; t < 3; t++) original.update([rowBlock(batches[t], 4, D)], 0.75);
        const snapshot = structuredClone(original.snapshot());
        const restored = restoreSymmetricEstimate(snapshot, backend);
        expect(restored.steps).toBe(3);
        for (let t = 3; t < 6; t++) {
          original.update([rowBlock(batches[t], 4, D)], 0.75);
          restored.update([rowBlock(batches[t], 4, D)], 0.75);
        }
        const a = readOut(original);
        const b = readOut(restored);
        a.forEach((x, i) => expect(bitwiseEqual(x, b[i]), `read-out ${i}`).toBe(true));
      });
    }
  });
}

describe('snapshot contents (reference)', () => {
  it('is a copy: later updates do not change it, and restore() into the same object rewinds it', () => {
    const rng = new Rng(9);
    const estimate = createSymmetricEstimate(D, { kind: 'full' }, REFERENCE);
    estimate.update([rowBlock(rng.normals(3 * D), 3, D)], 0.5);
    const snapshot = estimate.snapshot();
    const before = estimate.dense();
    estimate.update([rowBlock(rng.normals(3 * D), 3, D)], 0.5);
    expect(bitwiseEqual(estimate.dense(), before)).toBe(false);
    estimate.restore(snapshot);
    expect(bitwiseEqual(estimate.dense(), before)).toBe(true);
    expect(estimate.steps).toBe(1);
  });

  it('a snapshot of another structure or dim is refused and the state is unchanged', () => {
    const rng = new Rng(10);
    const estimate = createSymmetricEstimate(D, { kind: 'lowrank', rank: 3 }, REFERENCE);
    estimate.update([rowBlock(rng.normals(4 * D), 4, D)], 0.5);
    const before = estimate.dense();
    const full = createSymmetricEstimate(D, { kind: 'full' }, REFERENCE).snapshot();
    expect(() => estimate.restore(full)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', field: 'snapshot.kind' }));
    const otherRank = createSymmetricEstimate(D, { kind: 'lowrank', rank: 4 }, REFERENCE).snapshot();
    expect(() => estimate.restore(otherRank)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', field: 'snapshot.rank' }));
    const otherDim = createSymmetricEstimate(D + 1, { kind: 'lowrank', rank: 3 }, REFERENCE).snapshot();
    expect(() => estimate.restore(otherDim)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', field: 'snapshot.dim' }));
    expect(bitwiseEqual(estimate.dense(), before)).toBe(true);
  });

  it('a block estimate whose second block fails to restore rolls the first back', () => {
    const rng = new Rng(11);
    const structure = STRUCTURES[3];
    const estimate = createSymmetricEstimate(D, structure, REFERENCE);
    estimate.update([rowBlock(rng.normals(4 * D), 4, D)], 0.5);
    const before = estimate.dense();
    const other = createSymmetricEstimate(D, structure, REFERENCE);
    other.update([rowBlock(rng.normals(4 * D), 4, D)], 0.5);
    const broken = other.snapshot();
    if (broken.kind !== 'blocks' || broken.blocks[1].estimate.kind !== 'full') throw new Error('unexpected snapshot');
    broken.blocks[1].estimate.matrix = new Float64Array(2);
    expect(() => estimate.restore(broken)).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH', field: 'snapshot.matrix' }));
    expect(bitwiseEqual(estimate.dense(), before)).toBe(true);
  });
});

for (const backend of BACKENDS) {
  it(`CurvatureEstimator snapshot/restore continues bit-identically on ${backend.name}`, () => {
    const rng = new Rng(12);
    const b = 4;
    const config = {
      dim: D,
      structure: STRUCTURES[3],
      decay: 0.9,
      track: { empiricalFisher: true, fisher: true, noise: true },
    };
    const batches = Array.from({ length: 5 }, () => ({
      batchSize: b,
      perExampleGrads: [rowBlock(rng.normals(b * D), b, D)],
      sampledLabelGrads: { samplesPerExample: 1, blocks: [rowBlock(rng.normals(b * D), b, D)] },
    }));
    const original = new CurvatureEstimator(config, backend);
    batches.slice(0, 2).forEach((batch) => original.update(batch));
    const restored = CurvatureEstimator.restore(structuredClone(original.snapshot()), backend);
    for (const batch of batches.slice(2)) {
      original.update(batch);
      restored.update(batch);
    }
    expect(restored.steps).toBe(5);
    expect(bitwiseEqual(original.meanGrad(), restored.meanGrad())).toBe(true);
    for (const quantity of ['empiricalFisher', 'fisher', 'noise'] as const) {
      expect(bitwiseEqual(original[quantity]!.dense(), restored[quantity]!.dense()), quantity).toBe(true);
    }
  });
}
