/**
 * Properties on random shapes (fast-check, seeded): for any D, row counts, weights, scales and decays,
 * - full equals the dense EMA oracle; diagonal equals its diagonal; low-rank with rank ≥ rows is exact;
 * - a block estimate over a random partition equals the block-diagonal part of the full one;
 * - solve inverts the damped matrix: ‖(A + λI)x − v‖ ≤ 1e-9·‖v‖·(1 + ‖A‖/λ);
 * - truncation only removes energy: the low-rank estimate satisfies A_lowrank ≼ A_full (max eigenvalue of
 *   the difference ≤ 1e-9·‖A‖) and keeps its trace ≤ the full trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSymmetricEstimate, type Structure } from '../../src/curvature/index.js';
import { blockDiagonalPart, diagonalOf, jacobiEigen, matvec, outerSum, REFERENCE, relativeError, rowBlock } from './helpers.js';

interface Scenario {
  dim: number;
  steps: { rows: number[]; count: number; scale: number; weights: number[] | undefined; decay: number }[];
  damping: number;
  cut: number;
  rank: number;
}

const scenario: fc.Arbitrary<Scenario> = fc.integer({ min: 1, max: 7 }).chain((dim) =>
  fc.record({
    dim: fc.constant(dim),
    steps: fc.array(
      fc.integer({ min: 0, max: 6 }).chain((count) =>
        fc.record({
          rows: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: count * dim, maxLength: count * dim }),
          count: fc.constant(count),
          scale: fc.double({ min: 0.01, max: 2, noNaN: true }),
          weights: fc.option(fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: count, maxLength: count }), { nil: undefined }),
          decay: fc.double({ min: 0, max: 0.99, noNaN: true }),
        }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
    damping: fc.double({ min: 0.01, max: 10, noNaN: true }),
    cut: fc.integer({ min: 1, max: dim }),
    rank: fc.integer({ min: 1, max: 5 }),
  }),
);

function denseEma(s: Scenario): Float64Array {
  let A = new Float64Array(s.dim * s.dim);
  let product = 1;
  for (const step of s.steps) {
    const hat = outerSum(step.rows, step.count, s.dim, step.scale, step.weights);
    A = A.map((a, i) => step.decay * a + (1 - step.decay) * hat[i]);
    product *= step.decay;
  }
  return A.map((a) => a / (1 - product));
}

function run(s: Scenario, structure: Structure) {
  const estimate = createSymmetricEstimate(s.dim, structure, REFERENCE);
  for (const step of s.steps) {
    const weights = step.weights === undefined ? undefined : Float64Array.from(step.weights);
    estimate.update([rowBlock(Float64Array.from(step.rows), step.count, s.dim, step.scale, weights)], step.decay);
  }
  return estimate;
}

const totalRows = (s: Scenario) => s.steps.reduce((n, step) => n + step.count, 0);
const norm = (A: Float64Array) => Math.max(1e-300, ...A.map(Math.abs));
const RUNS = { numRuns: 60, seed: 20261127 };

describe('properties on random shapes (reference)', () => {
  it('full, diagonal and exact low-rank equal the dense EMA; blocks equal its block-diagonal part', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const expected = denseEma(s);
        expect(relativeError(run(s, { kind: 'full' }).dense(), expected)).toBeLessThan(1e-12);
        expect(relativeError(run(s, { kind: 'diagonal' }).diagonal(), diagonalOf(expected, s.dim))).toBeLessThan(1e-12);
        const exact = run(s, { kind: 'lowrank', rank: Math.max(1, totalRows(s)) }).dense();
        expect(relativeError(exact, expected, 1e-12)).toBeLessThan(1e-10);
        if (s.cut < s.dim) {
          const blocks: Structure = {
            kind: 'blocks',
            blocks: [
              { name: 'head', size: s.cut, structure: { kind: 'full' } },
              { name: 'tail', size: s.dim - s.cut, structure: { kind: 'full' } },
            ],
          };
          expect(relativeError(run(s, blocks).dense(), blockDiagonalPart(expected, s.dim, [s.cut, s.dim - s.cut]))).toBeLessThan(1e-12);
        }
      }),
      RUNS,
    );
  });

  it('solve inverts the damped matrix for every structure', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 2 }), (s, which) => {
        const structure: Structure = [{ kind: 'full' }, { kind: 'diagonal' }, { kind: 'lowrank', rank: s.rank }][which] as Structure;
        const estimate = run(s, structure);
        const A = estimate.dense();
        const v = Float64Array.from({ length: s.dim }, (_, i) => Math.cos(i + 1));
        const x = estimate.solve(v, s.damping);
        const residual = matvec(A, x, s.dim).map((y, i) => y + s.damping * x[i] - v[i]);
        const bound = 1e-9 * Math.max(...v.map(Math.abs)) * (1 + norm(A) / s.damping);
        expect(Math.max(...residual.map(Math.abs))).toBeLessThan(bound);
      }),
      RUNS,
    );
  });

  it('truncation only removes energy: A_lowrank ≼ A_full and trace(A_lowrank) ≤ trace(A_full)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const full = run(s, { kind: 'full' });
        const lowrank = run(s, { kind: 'lowrank', rank: s.rank });
        const difference = lowrank.dense().map((a, i) => a - full.dense()[i]);
        const scale = norm(full.dense());
        expect(jacobiEigen(difference, s.dim).values[0]).toBeLessThan(1e-9 * scale);
        expect(lowrank.trace()).toBeLessThanOrEqual(full.trace() * (1 + 1e-12) + 1e-300);
      }),
      RUNS,
    );
  });
});
