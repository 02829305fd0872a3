/**
 * math.md "Sampled labels with K > 1 under MEAN reduction": a 'mean'-reduced worker sends each sampled-label
 * row as the gradient of (1/b_w)·ℓ(ỹ_{n,k}) — the mean over its b_w examples, one loss per sample index k,
 * NOT over its b_w·K rows — and fisherd multiplies it by b_w (not b_w·K); the Fisher is then
 * F̂ = (1/(bK)) Σ_w Σ_{n,k} g̃ g̃ᵀ with b = Σ_w b_w. Pinned against that formula in float64 (relative 1e-12,
 * reference backend, dyadic rows exact in float32 and divided by b_w = 4 exactly), with W = 2 workers (one 'mean', one 'sum'), K = 3; and a
 * client that divides by b_w·K instead gets a Fisher K² = 9 times too small.
 */
import { describe, expect, it } from 'vitest';
import { Session, type StepContribution } from '../../src/session/index.js';
import { DyadicStream, REFERENCE } from './helpers.js';

const DIM = 5;
const K = 3;
const SIZES = [4, 2];

function rowsOf(w: number): Float32Array {
  return new DyadicStream(17 + w).floats(SIZES[w]! * K * DIM);
}

function fisherDiagonal(divideBy: (w: number) => number): Float64Array {
  const session = new Session({ dim: DIM, workers: 2, optimizer: { name: 'ngd', stepSize: 1, damping: 1 } }, REFERENCE);
  const contributions: StepContribution[] = SIZES.map((b, w) => ({
    step: 1, workerId: w, batchSize: b, reduction: w === 0 ? 'mean' : 'sum',
    meanGrad: new Float32Array(DIM).fill(1),
    sampledLabelGrads: { rows: rowsOf(w).map((x) => x / (w === 0 ? divideBy(w) : 1)), samplesPerExample: K },
  }));
  session.step(contributions);
  const fisher = session.estimates({ includeDiagonals: true, topK: 0 }).estimates.find((e) => e.kind === 'fisher')!;
  return fisher.diagonal!;
}

describe('MEAN-reduced sampled-label rows with K > 1', () => {
  const b = SIZES[0]! + SIZES[1]!;
  const expected = new Float64Array(DIM);
  SIZES.forEach((size, w) => {
    const rows = rowsOf(w);
    for (let r = 0; r < size * K; r++) for (let i = 0; i < DIM; i++) expected[i] += rows[r * DIM + i]! ** 2 / (b * K);
  });
  it('rows of (1/b_w)ℓ(ỹ_{n,k}) are multiplied by b_w: F̂ = (1/(bK)) Σ g̃g̃ᵀ', () => {
    const diagonal = fisherDiagonal((w) => SIZES[w]!);
    for (let i = 0; i < DIM; i++) expect(Math.abs(diagonal[i]! - expected[i]!)).toBeLessThanOrEqual(1e-12 * expected[i]!);
  });
  it('rows divided by b_w·K (one mean over all b_w·K rows) are not what fisherd expects: worker 0 comes out K² smaller', () => {
    const diagonal = fisherDiagonal((w) => SIZES[w]! * K);
    const rows0 = rowsOf(0);
    for (let i = 0; i < DIM; i++) {
      let own = 0;
      for (let r = 0; r < SIZES[0]! * K; r++) own += rows0[r * DIM + i]! ** 2 / (b * K);
      const wrong = expected[i]! - own + own / (K * K);
      // (rows/(b_w·K) are rounded to float32 on the way: relative 1e-6.)
      expect(Math.abs(diagonal[i]! - wrong)).toBeLessThanOrEqual(1e-6 * wrong);
      expect(diagonal[i]!).toBeLessThan(expected[i]! - 0.5 * own);
    }
  });
});
