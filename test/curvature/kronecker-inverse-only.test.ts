/**
 * π-damping refreshes that form only the two damped inverses, by Cholesky (`KroneckerRefreshJob.inverseOnly`,
 * math.md "Kronecker factors (K-FAC)", Solves): taken by a π-damping block (not EKFAC) whose solves apply both
 * damped factors as inverses, when the refresh knows the λ its solves will use (a session's refresh jobs, a
 * solve that refreshes). On every backend, against dense float64 solves written from the formulas here:
 * - the solve at the job's λ, and at another λ (the kept factors factored again), to the backend's solve tolerance;
 * - the per-layer top eigenvalues from the kept Lanczos values, equal to the eigendecomposition's to 1e-9;
 * - a read-out that needs the eigendecomposition (top 5, the basis) completes it on demand, solves unchanged;
 * - a decomposition computed off the estimate (job → decomposeKroneckerFactors → install) gives the solves of a
 *   refresh in the solve bit for bit; a snapshot → restore continues bit for bit;
 * - blocks that would send a factor through its eigenbasis, EKFAC and Tikhonov blocks still eigendecompose.
 */
import { describe, expect, it } from 'vitest';
import {
  createSymmetricEstimate, decomposeKroneckerFactors, KroneckerEstimate, kroneckerFactorsFromPairs, kroneckerShape, outerProductSum,
  restoreSymmetricEstimate, type EstimateOptions, type KroneckerStructure,
} from '../../src/curvature/index.js';
import type { Backend } from '../../src/linalg/index.js';
import { BACKENDS, bitwiseEqual, denseKronecker, denseSolve, diagonalOf, plusIdentity, relativeError, Rng } from './helpers.js';

function solveTolerance(backend: Backend): number {
  return backend.dtype === 'float32' ? 2e-6 : 1e-9;
}

const OUT = 7;
const INPUTS = 9; // in' = 10 with the bias

function setup(backend: Backend, structure: Partial<KroneckerStructure> = {}, options: EstimateOptions = { dampingFixedFor: Infinity }) {
  const rng = new Rng(21);
  const order = INPUTS + 1;
  const full: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: INPUTS, bias: true, damping: 'pi', refreshEvery: 3, ...structure };
  const make = () => createSymmetricEstimate(OUT * order, full, backend, options) as KroneckerEstimate;
  const b = 30;
  const aBar = new Float64Array(b * order);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < INPUTS; i++) aBar[n * order + i] = 4 * rng.normal();
    aBar[n * order + INPUTS] = 1;
  }
  const e = rng.normals(b * OUT);
  const factors = kroneckerFactorsFromPairs(kroneckerShape(full), { inputs: aBar, count: b, outputGrads: e, outputGradsPerInput: 1 });
  const A = outerProductSum(aBar, b, order).map((x) => x / b);
  const G = outerProductSum(e, b, OUT).map((x) => x / b);
  const trA = diagonalOf(A, order).reduce((s, x) => s + x, 0);
  const trG = diagonalOf(G, OUT).reduce((s, x) => s + x, 0);
  const pi = Math.sqrt(trA / order / (trG / OUT));
  const expected = (v: Float64Array, lambda: number) => denseSolve(
    denseKronecker(plusIdentity(G, OUT, Math.sqrt(lambda) / pi), plusIdentity(A, order, pi * Math.sqrt(lambda)), OUT, INPUTS, true), v.length, 0, v);
  return { make, factors, v: rng.normals(OUT * order), expected, full };
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))('inverse-only π-damping refreshes on %s', (_name, backend) => {
  it('a solve that refreshes at its λ forms the inverses by Cholesky: the dense damped solve, at that λ and another', () => {
    const { make, factors, v, expected } = setup(backend);
    const estimate = make();
    estimate.updateFactors(factors, 0);
    expect(relativeError(estimate.solve(v, 1e-2), expected(v, 1e-2))).toBeLessThan(solveTolerance(backend));
    const d = estimate.installedDecomposition; // (completes the eigendecomposition: the solves stay the same)
    expect(d!.inputVectors.length).toBe((INPUTS + 1) ** 2);
    for (const lambda of [0.3, 1e-2]) expect(relativeError(estimate.solve(v, lambda), expected(v, lambda))).toBeLessThan(solveTolerance(backend));
  });

  it('the kept top eigenvalues are the eigendecomposition\'s; top 5 and the basis complete it on demand', () => {
    const { make, factors } = setup(backend);
    const inverseOnly = make();
    inverseOnly.updateFactors(factors, 0);
    inverseOnly.refreshDecompositions(1e-2);
    expect(inverseOnly.installedDecomposition).toBeDefined();
    const eigen = make();
    eigen.updateFactors(factors, 0);
    eigen.refreshDecompositions();
    const fresh = make();
    fresh.updateFactors(factors, 0);
    fresh.refreshDecompositions(1e-2);
    expect(relativeError(fresh.topEigenvalues(3), eigen.topEigenvalues(3))).toBeLessThan(1e-9);
    expect(relativeError(fresh.topEigenvalues(5), eigen.topEigenvalues(5))).toBeLessThan(1e-9);
  });

  it('job → decomposeKroneckerFactors → install gives the in-solve refresh\'s solves bit for bit; snapshot → restore continues bit for bit', () => {
    const { make, factors, v } = setup(backend);
    const ahead = make();
    const job = ahead.prospectiveRefreshJob([factors], 0, 1e-2)!;
    expect(job.inverseOnly).toBe(true);
    ahead.updateFactors(factors, 0);
    const d = decomposeKroneckerFactors(job, backend);
    expect(d.inverseOnly).toBeDefined();
    expect(d.inputVectors.length).toBe(0);
    ahead.installPrecomputed(d);
    const inSolve = make();
    inSolve.updateFactors(factors, 0);
    const a = ahead.solve(v, 1e-2);
    expect(bitwiseEqual(a, inSolve.solve(v, 1e-2))).toBe(true);
    const restored = restoreSymmetricEstimate(structuredClone(ahead.snapshot()), backend) as KroneckerEstimate;
    expect(restored.snapshot().kind).toBe('kronecker');
    expect(bitwiseEqual(restored.solve(v, 1e-2), a)).toBe(true);
    expect(bitwiseEqual(restored.solve(v, 0.2), ahead.solve(v, 0.2))).toBe(true);
  });

  it.each([
    ['π-damping sending Ā through its eigenbasis (3 × 12, λ fixed for one solve)', { outputs: 3, inputs: 12, damping: 'pi' }, 1],
    ['EKFAC', { damping: 'tikhonov', eigenvalueCorrected: true }, Infinity],
    ['Tikhonov', { damping: 'tikhonov' }, Infinity],
  ] as const)('%s: the refresh eigendecomposes', (_label, structure, fixedFor) => {
    const rng = new Rng(5);
    const full: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: INPUTS, bias: true, refreshEvery: 3, ...structure };
    const order = full.inputs + 1;
    const estimate = createSymmetricEstimate(full.outputs * order, full, backend, { dampingFixedFor: fixedFor }) as KroneckerEstimate;
    const b = 20;
    const factors = kroneckerFactorsFromPairs(kroneckerShape(full), {
      inputs: new Float64Array(b * order).map((_, j) => (j % order === order - 1 ? 1 : rng.normal())), count: b,
      outputGrads: rng.normals(b * full.outputs), outputGradsPerInput: 1,
    });
    const job = estimate.prospectiveRefreshJob([factors], 0, 1e-2)!;
    expect(job.inverseOnly).toBeUndefined();
    estimate.updateFactors(factors, 0);
    estimate.solve(rng.normals(full.outputs * order), 1e-2); // refreshes in the solve
    expect(estimate.installedDecomposition!.inverseOnly).toBeUndefined();
  });
});
