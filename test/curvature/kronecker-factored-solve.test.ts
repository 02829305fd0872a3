/**
 * Kronecker solves of a vector given as low-rank products (math.md, "Low-rank gradient sums"):
 * v = Σ_t s_t·vec(L_tᵀ R_t) in the block's torch layout, L_t r × out, R_t r × in' (bias column last).
 * On every backend and every solve route (Tikhonov through the eigenbasis, π-damping with the damped
 * factors' inverses or through their eigenbases, EKFAC's basis), the solve from the factors equals a dense
 * float64 solve written here from the formulas, to the backend's solve tolerance (float64 storage 1e-9;
 * float32 storage, whose products round to float32: 2e-6, as in kronecker.test.ts; EKFAC: its own solve of v). The factors are the
 * solve's only input where the size rule takes them (the test passes v = 0 beside them), and are ignored
 * where it does not (rank ≥ the block's smaller side): both ways are checked, so neither route can hide.
 */
import { describe, expect, it } from 'vitest';
import {
  BlockDiagonalEstimate, createSymmetricEstimate, KroneckerEstimate, kroneckerFactorsFromPairs, kroneckerShape, outerProductSum,
  type EstimateOptions, type KroneckerStructure, type LowRankTerm,
} from '../../src/curvature/index.js';
import type { Backend } from '../../src/linalg/index.js';
import { BACKENDS, denseKronecker, denseSolve, diagonalOf, plusIdentity, relativeError, Rng, torchIndex } from './helpers.js';

function solveTolerance(backend: Backend): number {
  return backend.dtype === 'float32' ? 2e-6 : 1e-9;
}

/** Σ_t s_t vec(L_tᵀ R_t) in torch order, float64. */
function denseOf(terms: readonly LowRankTerm[], out: number, inputs: number, bias: boolean): Float64Array {
  const order = inputs + (bias ? 1 : 0);
  const v = new Float64Array(out * order);
  for (const t of terms) {
    for (let j = 0; j < t.rank; j++) {
      for (let o = 0; o < out; o++) for (let i = 0; i < order; i++) {
        v[torchIndex(out, inputs, o, i)] += t.scale * t.left[j * out + o]! * t.right[j * order + i]!;
      }
    }
  }
  return v;
}

interface Case {
  label: string;
  out: number;
  inputs: number;
  bias: boolean;
  damping?: 'pi';
  corrected?: boolean;
  options?: EstimateOptions;
}

// 12 × 3 with λ fixed for ever takes both damped inverses on the π route; 6 × 12 with λ fixed for one
// solve takes Ḡ's inverse and Ā through its eigenbasis.
const CASES: Case[] = [
  { label: 'Tikhonov, 8 × 10 with a bias', out: 8, inputs: 10, bias: true },
  { label: 'Tikhonov, 9 × 7 without a bias', out: 9, inputs: 7, bias: false },
  { label: 'π-damping, both inverses (12 × 3, λ fixed)', out: 12, inputs: 3, bias: true, damping: 'pi', options: { dampingFixedFor: Infinity } },
  { label: 'π-damping, Ā through its eigenbasis (6 × 12, λ fixed for one solve)', out: 6, inputs: 12, bias: true, damping: 'pi', options: { dampingFixedFor: 1 } },
  { label: 'π-damping, 10 × 10', out: 10, inputs: 10, bias: false, damping: 'pi', options: { dampingFixedFor: Infinity } },
  { label: 'EKFAC (its basis and moments)', out: 8, inputs: 10, bias: true, corrected: true },
];

describe.each(BACKENDS.map((b) => [b.name, b] as const))('Kronecker solves from low-rank factors on %s', (_name, backend) => {
  it.each(CASES.map((c) => [c.label, c] as const))('%s: the dense solve of Σ s·vec(Lᵀ R) from the factors alone', (_label, c) => {
    const rng = new Rng(7);
    const order = c.inputs + (c.bias ? 1 : 0);
    const structure: KroneckerStructure = {
      kind: 'kronecker', outputs: c.out, inputs: c.inputs, bias: c.bias,
      ...(c.damping === undefined ? {} : { damping: c.damping }), ...(c.corrected ? { eigenvalueCorrected: true, refreshEvery: 2 } : {}),
    };
    const estimate = createSymmetricEstimate(c.out * order, structure, backend, c.options) as KroneckerEstimate;
    expect(estimate).toBeInstanceOf(KroneckerEstimate);
    const b = 20;
    const a = rng.normals(b * c.inputs);
    const aBar = new Float64Array(b * order);
    for (let n = 0; n < b; n++) {
      for (let i = 0; i < c.inputs; i++) aBar[n * order + i] = 3 * a[n * c.inputs + i]!; // an input scale far from the gradients'
      if (c.bias) aBar[n * order + c.inputs] = 1;
    }
    const e = rng.normals(b * c.out);
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), { inputs: aBar, count: b, outputGrads: e, outputGradsPerInput: 1 }), 0);
    const A = outerProductSum(aBar, b, order).map((x) => x / b);
    const G = outerProductSum(e, b, c.out).map((x) => x / b);
    // Two terms (two workers), ranks 2 and 1, each in float32 as they arrive from the wire.
    const term = (rank: number, scale: number): LowRankTerm => ({
      rank, scale, left: Float32Array.from(rng.normals(rank * c.out)), right: Float32Array.from(rng.normals(rank * order)),
    });
    const terms = [term(2, 0.5), term(1, 0.25)];
    const v = denseOf(terms, c.out, c.inputs, c.bias);
    const zero = new Float64Array(v.length);
    for (const lambda of [1e-2, 0.5]) {
      let damped: Float64Array;
      if (c.damping === 'pi') {
        const trA = diagonalOf(A, order).reduce((s, x) => s + x, 0);
        const trG = diagonalOf(G, c.out).reduce((s, x) => s + x, 0);
        const pi = Math.sqrt(trA / order / (trG / c.out));
        damped = plusIdentity(denseKronecker(plusIdentity(G, c.out, Math.sqrt(lambda) / pi), plusIdentity(A, order, pi * Math.sqrt(lambda)), c.out, c.inputs, c.bias), v.length, 0);
      } else {
        damped = plusIdentity(denseKronecker(G, A, c.out, c.inputs, c.bias), v.length, lambda);
      }
      // EKFAC's pairs give it moments in the basis (s instead of λ_G λ_A: kronecker.test.ts checks that route
      // against its formula): its own solve of v is the reference there.
      const expected = c.corrected ? estimate.solve(v, lambda) : denseSolve(damped, v.length, 0, v);
      // the dense route answers for v itself
      expect(relativeError(estimate.solve(v, lambda), expected)).toBeLessThan(solveTolerance(backend));
      const fromFactors = estimate.solve(zero, lambda, undefined, new Map([[0, terms]]));
      expect(relativeError(fromFactors, expected)).toBeLessThan(solveTolerance(backend));
    }
  });

  it('the size rule: factors of a rank that would cost more than the dense products are ignored (v itself is solved)', () => {
    const rng = new Rng(8);
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: 4, inputs: 3, bias: true };
    const estimate = createSymmetricEstimate(16, structure, backend) as KroneckerEstimate;
    const b = 6;
    const aBar = new Float64Array(b * 4).map((_, j) => (j % 4 === 3 ? 1 : rng.normal()));
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), { inputs: aBar, count: b, outputGrads: rng.normals(b * 4), outputGradsPerInput: 1 }), 0);
    // r·(out² + in'² + out·in') = r·48 against out·in'·(out + in') = 128: rank 2 pays, rank 3 does not
    const term = (rank: number): LowRankTerm => ({ rank, scale: 1, left: rng.normals(rank * 4), right: rng.normals(rank * 4) });
    const zero = new Float64Array(16);
    const v2 = denseOf([term(2)], 4, 3, true);
    const t2 = term(2);
    expect(relativeError(estimate.solve(zero, 0.1, undefined, new Map([[0, [t2]]])), estimate.solve(denseOf([t2], 4, 3, true), 0.1))).toBeLessThan(solveTolerance(backend));
    expect(v2.some((x) => x !== 0)).toBe(true);
    const t3 = term(3);
    expect(Array.from(estimate.solve(zero, 0.1, undefined, new Map([[0, [t3]]])))).toEqual(Array.from(zero));
  });

  it('in a block-diagonal estimate, each Kronecker block takes the terms at its offset; a diagonal block ignores them', () => {
    const rng = new Rng(9);
    const kron: KroneckerStructure = { kind: 'kronecker', outputs: 6, inputs: 5, bias: true };
    const dim = 4 + 36;
    const estimate = createSymmetricEstimate(dim, {
      kind: 'blocks', blocks: [{ name: 'norm', size: 4, structure: { kind: 'diagonal' } }, { name: 'fc', size: 36, structure: kron }],
    }, backend) as BlockDiagonalEstimate;
    const b = 10;
    const aBar = new Float64Array(b * 6).map((_, j) => (j % 6 === 5 ? 1 : rng.normal()));
    const rows = new Float64Array(dim);
    rows.set(rng.normals(4), 0);
    const fc = kroneckerFactorsFromPairs(kroneckerShape(kron), { inputs: aBar, count: b, outputGrads: rng.normals(b * 6), outputGradsPerInput: 1 });
    estimate.update([{ rows, count: 1, dim, scale: 1 }], 0, { fc });
    const term: LowRankTerm = { rank: 1, scale: 2, left: rng.normals(6), right: rng.normals(6) };
    const v = new Float64Array(dim);
    v.set(rng.normals(4), 0);
    v.set(denseOf([term], 6, 5, true), 4);
    const hinted = v.slice();
    hinted.fill(0, 4); // the Kronecker slice from the factors only
    const fromFactors = estimate.solve(hinted, 0.1, undefined, new Map([[4, [term]]]));
    expect(relativeError(fromFactors, estimate.solve(v, 0.1))).toBeLessThan(solveTolerance(backend));
  });
});
