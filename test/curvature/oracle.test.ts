/**
 * The independent oracle: test/fixtures/update-vectors.json holds, per case, the single-batch ḡ, Ẽ, S = C/b
 * and MC Fisher from a numpy float64 implementation of math.md. Every structure (full, diagonal, low-rank with
 * rank ≥ rows so that it is exact, blocks) on every backend must reproduce them: float64 backends to 1e-10
 * relative (to the largest entry), float32 ones to 1e-4.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator, type Structure } from '../../src/curvature/index.js';
import { BACKENDS, blockDiagonalPart, diagonalOf, flatten, relativeError, tolerance } from './helpers.js';

import { ORACLE, ORACLE_FORMAT, type OracleCase } from '../fixtures/update-vectors.js';

function structures(c: OracleCase): { label: string; structure: Structure; sizes?: number[] }[] {
  const first = Math.ceil(c.dim / 2);
  return [
    { label: 'full', structure: { kind: 'full' } },
    { label: 'diagonal', structure: { kind: 'diagonal' } },
    // rank ≥ b·K ≥ every row count of the batch: no truncation, so the factor is exact
    { label: 'lowrank (exact)', structure: { kind: 'lowrank', rank: c.batch * c.samplesPerExample } },
    {
      label: 'blocks (full + lowrank)',
      sizes: [first, c.dim - first],
      structure: {
        kind: 'blocks',
        blocks: [
          { name: 'a', size: first, structure: { kind: 'full' } },
          { name: 'b', size: c.dim - first, structure: { kind: 'lowrank', rank: c.batch * c.samplesPerExample } },
        ],
      },
    },
  ];
}

describe('oracle: update-vectors.json', () => {
  it('is the fixture format we expect', () => {
    expect(ORACLE_FORMAT).toBe('fisherd-update-vectors/1');
    expect(ORACLE.length).toBeGreaterThanOrEqual(5);
  });

  for (const backend of BACKENDS) {
    const tol = tolerance(backend);
    for (const c of ORACLE) {
      for (const { label, structure, sizes } of structures(c)) {
        it(`${backend.name}: ${c.name}, ${label}: ḡ, Ẽ, S = C/b, MC Fisher within ${tol}`, () => {
          const { dim, batch: b } = c;
          const grads = flatten(c.perExampleGrads);
          // Split the per-example rows over two blocks (as two workers would send them).
          const cut = Math.floor(b / 2);
          const estimator = new CurvatureEstimator(
            { dim, structure, decay: 0, track: { empiricalFisher: true, fisher: true, noise: true } },
            backend,
          );
          estimator.update({
            batchSize: b,
            perExampleGrads: [
              { rows: grads.subarray(0, cut * dim), count: cut, dim, scale: 1 },
              { rows: grads.subarray(cut * dim), count: b - cut, dim, scale: 1 },
            ],
            sampledLabelGrads: {
              samplesPerExample: c.samplesPerExample,
              blocks: [{ rows: flatten(c.sampledLabelGrads), count: b * c.samplesPerExample, dim, scale: 1 }],
            },
          });
          expect(relativeError(estimator.meanGrad(), c.meanGrad)).toBeLessThan(tol);
          const expected = {
            empiricalFisher: flatten(c.empiricalFisher),
            noise: flatten(c.noiseCovOfMean),
            fisher: flatten(c.mcFisher),
          };
          for (const quantity of ['empiricalFisher', 'noise', 'fisher'] as const) {
            const estimate = estimator[quantity]!;
            const oracle = expected[quantity];
            if (structure.kind === 'diagonal') {
              expect(relativeError(estimate.diagonal(), diagonalOf(oracle, dim)), quantity).toBeLessThan(tol);
            } else {
              const want = sizes === undefined ? oracle : blockDiagonalPart(oracle, dim, sizes);
              expect(relativeError(estimate.dense(), want), quantity).toBeLessThan(tol);
            }
          }
        });
      }
    }
  }
});
