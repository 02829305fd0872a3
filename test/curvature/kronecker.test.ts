/**
 * The Kronecker (K-FAC) structure against float64 oracles written here from math.md's formulas, in the
 * block's torch layout (weight row-major W[o][i] at o·in + i, then bias b[o] at out·in + o), independent of
 * src/curvature's layout helpers:
 * - b = 1: Ḡ⊗Ā is exactly the layer's per-example g gᵀ (dense() to 1e-14 relative, solves against a dense
 *   elimination of g gᵀ + λI to 1e-9);
 * - b > 1: the expectation-factorized Ḡ⊗Ā with Ā = (1/b)Σ ā āᵀ, Ḡ = (1/b)Σ e eᵀ (sampled labels: 1/(bK));
 * - π-damping and EKFAC solves against dense solves of the damped matrices built from the formulas (1e-9);
 * - refresh every T_inv: the update of the decomposition from the last refresh step;
 * - linear regression with a Gaussian likelihood: the exact Fisher is I ⊗ (1/(bσ²))Σ x xᵀ;
 * - EMA with bias correction; snapshot/restore and checkpoint/rollback bit for bit; bad inputs typed.
 * Solves run on every backend: in float64 on float64 storage (1e-9), in float32 on float32 storage (math.md
 * "Precision": the operands and each product rounded to float32), where the relative error is a few ε₃₂ ≈ 6e-8
 * times the damped factors' condition (≤ 100 on these problems): 2e-6.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockDiagonalEstimate,
  createSymmetricEstimate,
  decomposeKroneckerFactors,
  FACTOR_SYMMETRY_TOLERANCE,
  factorSumPasses,
  isSymmetricByConstruction,
  KroneckerEstimate,
  kroneckerFactorsFromPairs,
  kroneckerShape,
  markSymmetricByConstruction,
  outerProductSum,
  restoreSymmetricEstimate,
  validateStructure,
  type EstimateOptions,
  type KroneckerFactors,
  type KroneckerStructure,
} from '../../src/curvature/index.js';
import { createOpenBlasBackend, type Backend } from '../../src/linalg/index.js';
import { availableKernels, kernelsInUse, useKernels } from '../../src/linalg/native-kernels.js';
import { BACKENDS, bitwiseEqual, denseKronecker, denseSolve, diagonalOf, errorOf, jacobiEigen, matvec, plusIdentity, REFERENCE, relativeError, Rng, torchIndex } from './helpers.js';

/** The solves' relative tolerance on `backend` (see the header). */
function solveTolerance(backend: Backend): number {
  return backend.dtype === 'float32' ? 2e-6 : 1e-9;
}

function kronecker(structure: KroneckerStructure, backend: Backend = REFERENCE, options?: EstimateOptions): KroneckerEstimate {
  const dim = structure.outputs * (structure.inputs + (structure.bias ? 1 : 0));
  const estimate = createSymmetricEstimate(dim, structure, backend, options);
  expect(estimate).toBeInstanceOf(KroneckerEstimate);
  return estimate as KroneckerEstimate;
}

/** The per-example gradient of a linear layer, g = vec(e āᵀ), in torch order (ā = [a; 1] with a bias). */
function layerGradient(e: ArrayLike<number>, a: ArrayLike<number>, bias: boolean): Float64Array {
  const out = e.length;
  const inputs = a.length;
  const g = new Float64Array(out * (inputs + (bias ? 1 : 0)));
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inputs; i++) g[o * inputs + i] = e[o] * a[i];
    if (bias) g[out * inputs + o] = e[o];
  }
  return g;
}

/** ā = [a; 1] rows from a rows. */
function withOnes(a: Float64Array, count: number, inputs: number): Float64Array {
  const out = new Float64Array(count * (inputs + 1));
  for (let n = 0; n < count; n++) {
    out.set(a.subarray(n * inputs, (n + 1) * inputs), n * (inputs + 1));
    out[n * (inputs + 1) + inputs] = 1;
  }
  return out;
}

function scaled(M: Float64Array, s: number): Float64Array {
  return M.map((x) => x * s);
}

/** Random pairs: b inputs (with bias column of ones when `bias`) and b·K output gradients. */
function randomPairs(rng: Rng, out: number, inputs: number, bias: boolean, b: number, K = 1) {
  const a = rng.normals(b * inputs);
  const aBar = bias ? withOnes(a, b, inputs) : a;
  const e = rng.normals(b * K * out);
  return { a, aBar, e, pairs: { inputs: aBar, count: b, outputGrads: e, outputGradsPerInput: K } };
}

const OUT = 3;
const IN = 4;

describe.each(BACKENDS.map((b) => [b.name, b] as const))('kronecker on %s', (_name, backend) => {
  it.each([true, false])('b = 1 (bias %s): Ḡ⊗Ā is exactly the per-example g gᵀ; solve equals the dense solve of g gᵀ + λI', (bias) => {
    const rng = new Rng(1);
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: IN, bias };
    const estimate = kronecker(structure, backend);
    const { a, e, pairs } = randomPairs(rng, OUT, IN, bias, 1);
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), pairs), 0);
    const g = layerGradient(e, a, bias);
    const D = g.length;
    const outer = new Float64Array(D * D);
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) outer[i * D + j] = g[i] * g[j];
    expect(relativeError(estimate.dense(), outer)).toBeLessThan(1e-14);
    const v = rng.normals(D);
    for (const lambda of [1e-2, 1]) {
      expect(relativeError(estimate.solve(v, lambda), denseSolve(outer, D, lambda, v))).toBeLessThan(solveTolerance(backend));
    }
    expect(relativeError(estimate.matvec(v), matvec(outer, v, D))).toBeLessThan(1e-13);
    expect(relativeError(estimate.diagonal(), diagonalOf(outer, D))).toBeLessThan(1e-14);
    expect(estimate.trace()).toBeCloseTo(g.reduce((s, x) => s + x * x, 0), 10);
    // A rank-one matrix: one non-zero eigenvalue ‖g‖².
    const top = estimate.topEigenvalues(2);
    expect(top[0]).toBeCloseTo(g.reduce((s, x) => s + x * x, 0), 10);
    expect(Math.abs(top[1])).toBeLessThan(1e-12 * top[0]);
  });

  it('b > 1, sampled labels K = 3: Ḡ⊗Ā with Ā = (1/b)Σ ā āᵀ, Ḡ = (1/(bK))Σ e eᵀ; read-outs agree with it', () => {
    const rng = new Rng(2);
    const b = 5;
    const K = 3;
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true };
    const estimate = kronecker(structure, backend);
    const { aBar, e, pairs } = randomPairs(rng, OUT, IN, true, b, K);
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), pairs), 0);
    const Abar = scaled(outerProductSum(aBar, b, IN + 1), 1 / b);
    const Gbar = scaled(outerProductSum(e, b * K, OUT), 1 / (b * K));
    const want = denseKronecker(Gbar, Abar, OUT, IN, true);
    const D = OUT * (IN + 1);
    expect(relativeError(estimate.dense(), want)).toBeLessThan(1e-14);
    // It is an approximation of the rows' (1/(bK))Σ g gᵀ, not equal to it for b > 1.
    const fromRows = new Float64Array(D * D);
    for (let n = 0; n < b; n++) for (let k = 0; k < K; k++) {
      const g = layerGradient(e.subarray((n * K + k) * OUT, (n * K + k + 1) * OUT), aBar.subarray(n * (IN + 1), n * (IN + 1) + IN), true);
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) fromRows[i * D + j] += (g[i] * g[j]) / (b * K);
    }
    expect(relativeError(want, fromRows)).toBeGreaterThan(1e-2);
    const v = rng.normals(D);
    expect(relativeError(estimate.solve(v, 0.1), denseSolve(want, D, 0.1, v))).toBeLessThan(solveTolerance(backend));
    expect(relativeError(estimate.matvec(v), matvec(want, v, D))).toBeLessThan(1e-13);
    expect(relativeError(estimate.diagonal(), diagonalOf(want, D))).toBeLessThan(1e-14);
    expect(estimate.trace()).toBeCloseTo(diagonalOf(want, D).reduce((s, x) => s + x, 0), 10);
    expect(relativeError(estimate.topEigenvalues(4), jacobiEigen(want, D).values.slice(0, 4))).toBeLessThan(1e-10);
  });

  it('π-damping solves ((Ḡ + √λ/π I) ⊗ (Ā + π√λ I))⁻¹ v with π = √((tr Ā/in′)/(tr Ḡ/out))', () => {
    const rng = new Rng(3);
    const b = 6;
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true, damping: 'pi' };
    const estimate = kronecker(structure, backend);
    const { aBar, e, pairs } = randomPairs(rng, OUT, IN, true, b);
    // Input scale far from the gradients' so that π ≠ 1 matters.
    const scaledInputs = { ...pairs, inputs: pairs.inputs.map((x) => 10 * x) };
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), scaledInputs), 0);
    const order = IN + 1;
    const Abar = scaled(outerProductSum(aBar.map((x) => 10 * x), b, order), 1 / b);
    const Gbar = scaled(outerProductSum(e, b, OUT), 1 / b);
    const trA = diagonalOf(Abar, order).reduce((s, x) => s + x, 0);
    const trG = diagonalOf(Gbar, OUT).reduce((s, x) => s + x, 0);
    const pi = Math.sqrt(trA / order / (trG / OUT));
    expect(pi).toBeGreaterThan(3);
    const v = rng.normals(OUT * order);
    for (const lambda of [1e-3, 0.5]) {
      const damped = denseKronecker(plusIdentity(Gbar, OUT, Math.sqrt(lambda) / pi), plusIdentity(Abar, order, pi * Math.sqrt(lambda)), OUT, IN, true);
      expect(relativeError(estimate.solve(v, lambda), denseSolve(damped, OUT * order, 0, v))).toBeLessThan(solveTolerance(backend));
    }
  });

  // With λ fixed and T_inv = 3, a factor's inverse pays over 3 solves: 2 × 8 and 9 × 2 take both inverses.
  it.each([[2, 8, 1], [9, 2, 1], [6, 6, 1], [2, 8, Infinity], [9, 2, Infinity]])('π-damping on a %i × %i block, λ fixed for %d solves (a factor applied as its damped inverse or through its eigenbasis): the dense solve, again after λ changes and after a refresh', (out, inputs, fixedFor) => {
    const rng = new Rng(31);
    const b = 12;
    const order = inputs + 1;
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: out, inputs, bias: true, damping: 'pi', refreshEvery: 3 };
    const estimate = kronecker(structure, backend, { dampingFixedFor: fixedFor });
    const v = rng.normals(out * order);
    let A = new Float64Array(order * order);
    let G = new Float64Array(out * out);
    // decays 0 then 0.5: the clock's β product is 0, so the bias correction is 1 and Ā = A_t, Ḡ = G_t
    for (const decay of [0, 0.5]) {
      const { aBar, e, pairs } = randomPairs(rng, out, inputs, true, b);
      estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), pairs), decay);
      estimate.refreshDecompositions();
      const Ahat = scaled(outerProductSum(aBar, b, order), 1 / b);
      const Ghat = scaled(outerProductSum(e, b, out), 1 / b);
      A = A.map((x, j) => decay * x + (1 - decay) * Ahat[j]!);
      G = G.map((x, j) => decay * x + (1 - decay) * Ghat[j]!);
      const trA = diagonalOf(A, order).reduce((s, x) => s + x, 0);
      const trG = diagonalOf(G, out).reduce((s, x) => s + x, 0);
      const pi = Math.sqrt(trA / order / (trG / out));
      for (const lambda of [1e-3, 0.5, 1e-3]) {
        const damped = denseKronecker(plusIdentity(G, out, Math.sqrt(lambda) / pi), plusIdentity(A, order, pi * Math.sqrt(lambda)), out, inputs, true);
        expect(relativeError(estimate.solve(v, lambda), denseSolve(damped, out * order, 0, v))).toBeLessThan(solveTolerance(backend));
      }
    }
  });

  it('π-damping with λ = 0 and a singular factor: NOT_POSITIVE_DEFINITE naming the first zero product in row-major order', () => {
    // An input that is always 0 makes a zero row and column of Ā: an eigenvalue 0 (clamped at 0 if LAPACK
    // returns −1e-17). The message names the first (o, i) whose (λ_G,o + 0)(λ_A,i + 0) is not > 0.
    const rng = new Rng(32);
    const b = 8;
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true, damping: 'pi' };
    const estimate = kronecker(structure, backend);
    const { pairs } = randomPairs(rng, OUT, IN, true, b);
    const inputs = pairs.inputs.map((x, j) => (j % (IN + 1) === 1 ? 0 : x));
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), { ...pairs, inputs }), 0);
    estimate.refreshDecompositions();
    const snapshot = estimate.snapshot();
    if (snapshot.kind !== 'kronecker') throw new Error('a Kronecker estimate snapshots as kind kronecker');
    const d = snapshot.decomposition!;
    let first: [number, number] | undefined;
    for (let o = 0; o < OUT && first === undefined; o++) {
      for (let i = 0; i < IN + 1; i++) {
        if (!(d.outputValues[o]! * d.inputValues[i]! > 0)) { first = [o, i]; break; }
      }
    }
    const v = rng.normals(OUT * (IN + 1));
    if (backend.name === 'openblas') {
      // LAPACK may return the zero eigenvalue as +1e-18: then every product is > 0 and the solve goes through.
      if (first === undefined) {
        expect(estimate.solve(v, 0).every((x) => Number.isFinite(x))).toBe(true);
        return;
      }
    } else {
      expect(first).toBeDefined(); // the Jacobi / reference eigensolvers give exactly 0 here
    }
    const error = errorOf(() => estimate.solve(v, 0));
    expect(error.code).toBe('NOT_POSITIVE_DEFINITE');
    expect(error.message.startsWith(`Kronecker eigenvalue (${first![0]}, ${first![1]}) of the damped estimate is 0; a singular factor needs damping > 0`)).toBe(true);
  });

  it('EKFAC: solve by (s + λ) in the Kronecker eigenbasis, s = (1/m)Σ_j (V_Gᵀe_j)²(V_Aᵀā_j)²ᵀ; at b = 1 it is K-FAC', () => {
    const rng = new Rng(4);
    const b = 7;
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true, eigenvalueCorrected: true };
    const estimate = kronecker(structure, backend);
    const { aBar, e, pairs } = randomPairs(rng, OUT, IN, true, b);
    estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), pairs), 0);
    const order = IN + 1;
    const D = OUT * order;
    const VA = jacobiEigen(scaled(outerProductSum(aBar, b, order), 1 / b), order).vectors;
    const VG = jacobiEigen(scaled(outerProductSum(e, b, OUT), 1 / b), OUT).vectors;
    // M = Σ_{o,i} s_oi (u_o ⊗ w_i)(u_o ⊗ w_i)ᵀ in torch order, u_o = row o of VG, w_i = row i of VA.
    const M = new Float64Array(D * D);
    for (let o = 0; o < OUT; o++) for (let i = 0; i < order; i++) {
      let s = 0;
      for (let n = 0; n < b; n++) {
        let pe = 0;
        let pa = 0;
        for (let p = 0; p < OUT; p++) pe += VG[o * OUT + p] * e[n * OUT + p];
        for (let j = 0; j < order; j++) pa += VA[i * order + j] * aBar[n * order + j];
        s += (pe * pe * pa * pa) / b;
      }
      const basis = new Float64Array(D);
      for (let p = 0; p < OUT; p++) for (let j = 0; j < order; j++) basis[torchIndex(OUT, IN, p, j)] = VG[o * OUT + p] * VA[i * order + j];
      for (let x = 0; x < D; x++) for (let y = 0; y < D; y++) M[x * D + y] += s * basis[x] * basis[y];
    }
    const v = rng.normals(D);
    expect(relativeError(estimate.solve(v, 0.05), denseSolve(M, D, 0.05, v))).toBeLessThan(solveTolerance(backend));
    expect(relativeError(estimate.dense(), M)).toBeLessThan(1e-10);
    expect(relativeError(estimate.diagonal(), diagonalOf(M, D))).toBeLessThan(1e-10);
    // b = 1: s are the eigenvalue products and EKFAC is K-FAC.
    const one = randomPairs(rng, OUT, IN, true, 1);
    const ekfac = kronecker(structure, backend);
    const kfac = kronecker({ ...structure, eigenvalueCorrected: false }, backend);
    ekfac.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(structure), one.pairs), 0);
    const { pairs: _unused, ...sumsOnly } = kroneckerFactorsFromPairs(kroneckerShape(structure), one.pairs);
    kfac.updateFactors(sumsOnly, 0);
    expect(relativeError(ekfac.solve(v, 0.05), kfac.solve(v, 0.05))).toBeLessThan(solveTolerance(backend));
  });
});

describe('kronecker schedule, scalings and state (reference backend)', () => {
  const structure: KroneckerStructure = { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true };
  const shape = kroneckerShape(structure);
  const order = IN + 1;
  const D = OUT * order;

  function batches(seed: number, count: number, b = 4): KroneckerFactors[] {
    const rng = new Rng(seed);
    return Array.from({ length: count }, () => {
      const { pairs } = randomPairs(rng, OUT, IN, true, b);
      const { pairs: _p, ...sums } = kroneckerFactorsFromPairs(shape, pairs);
      return sums;
    });
  }

  it('EMA with bias correction: Ā_t = Σ_s β^{t−s}(1−β)Â_s / (1−β^t), Ḡ_t likewise, estimate Ḡ_t ⊗ Ā_t', () => {
    const beta = 0.7;
    const estimate = kronecker(structure);
    const updates = batches(5, 3);
    const A = new Float64Array(order * order);
    const G = new Float64Array(OUT * OUT);
    updates.forEach((f, t) => {
      estimate.updateFactors(f, beta);
      for (let k = 0; k < A.length; k++) A[k] = beta * A[k] + ((1 - beta) * f.inputSum[k]) / f.inputCount;
      for (let k = 0; k < G.length; k++) G[k] = beta * G[k] + ((1 - beta) * f.outputGradSum[k]) / f.outputGradCount;
      const c = 1 / (1 - beta ** (t + 1));
      expect(relativeError(estimate.dense(), denseKronecker(scaled(G, c), scaled(A, c), OUT, IN, true))).toBeLessThan(1e-14);
    });
    expect(estimate.steps).toBe(3);
  });

  it('an update without factors (a step between T_stat ones) changes nothing; summed factors over steps are averaged by their counts', () => {
    const estimate = kronecker(structure);
    const [f1, f2] = batches(6, 2);
    estimate.updateFactors(f1, 0.5);
    const before = estimate.snapshot();
    estimate.update([], 0.5);
    expect(estimate.snapshot()).toEqual(before);
    // Two steps' sums sent together equal one update with the pooled counts.
    const pooled = kronecker(structure);
    pooled.updateFactors({
      inputSum: f1.inputSum.map((x, k) => x + f2.inputSum[k]), inputCount: f1.inputCount + f2.inputCount,
      outputGradSum: f1.outputGradSum.map((x, k) => x + f2.outputGradSum[k]), outputGradCount: f1.outputGradCount + f2.outputGradCount,
    }, 0);
    const workers = kronecker(structure);
    workers.beginUpdate(0);
    workers.accumulateFactors(f1);
    workers.accumulateFactors(f2);
    workers.commitUpdate();
    expect(bitwiseEqual(workers.dense(), pooled.dense())).toBe(true);
  });

  it('refresh every T_inv = 3: the fresh decomposition at factor updates 1, 4, 7, the stale one in between', () => {
    const lambda = 0.1;
    const estimate = kronecker({ ...structure, refreshEvery: 3 });
    const v = new Rng(7).normals(D);
    let refreshed: Float64Array | undefined;
    batches(8, 8).forEach((f, index) => {
      const t = index + 1;
      estimate.updateFactors(f, 0.6);
      const current = estimate.dense();
      expect(estimate.needsRefresh).toBe(t % 3 === 1);
      if (t % 3 === 1) refreshed = current;
      const got = estimate.solve(v, lambda);
      expect(estimate.needsRefresh).toBe(false);
      expect(relativeError(got, denseSolve(refreshed!, D, lambda, v))).toBeLessThan(1e-9);
      if (t % 3 !== 1) expect(relativeError(got, denseSolve(current, D, lambda, v))).toBeGreaterThan(1e-6);
    });
  });

  it('a refresh computed off the estimate (job → decomposeKroneckerFactors → install) gives the same solves; stale installs are refused', () => {
    const [f1, f2] = batches(9, 2);
    const here = kronecker({ ...structure, refreshEvery: 100 });
    const there = kronecker({ ...structure, refreshEvery: 100 });
    for (const e of [here, there]) e.updateFactors(f1, 0.5);
    here.refreshDecompositions();
    const job = there.refreshJob()!;
    there.updateFactors(f2, 0.5); // the factors move on while the job runs elsewhere
    here.updateFactors(f2, 0.5);
    const decomposition = decomposeKroneckerFactors(structuredClone(job), REFERENCE);
    there.installDecomposition(decomposition);
    const v = new Rng(10).normals(D);
    expect(bitwiseEqual(there.solve(v, 0.1), here.solve(v, 0.1))).toBe(true);
    expect(errorOf(() => there.installDecomposition(decomposition)).field).toBe('decomposition.version');
  });

  it('a refresh job for π-damping forms a damped factor\'s inverse when it pays over its expected uses: out ≤ 2·in\'·uses for Ḡ, in\' ≤ 2·out·uses for Ā', () => {
    const rng = new Rng(12);
    const out = 3;
    const inputs = 14; // in' = 15: Ā's inverse pays from 15 / (2·3) = 2.5 uses on, Ḡ's at once
    const shape: KroneckerStructure = { kind: 'kronecker', outputs: out, inputs, bias: true, damping: 'pi' };
    const { pairs } = randomPairs(rng, out, inputs, true, 20);
    const factors = kroneckerFactorsFromPairs(kroneckerShape(shape), pairs);
    for (const [uses, inputInverse] of [[undefined, false], [1, false], [2, false], [3, true], [Infinity, true]] as const) {
      const estimate = kronecker({ ...shape, refreshEvery: 5 });
      const job = estimate.prospectiveRefreshJob([factors], 0, 1e-3)!;
      const d = decomposeKroneckerFactors({ ...job, ...(uses === undefined ? { inverseUses: undefined } : { inverseUses: uses }) }, REFERENCE);
      expect([uses, d.dampedInverses?.outputInverse !== undefined, d.dampedInverses?.inputInverse !== undefined]).toEqual([uses, true, inputInverse]);
    }
    // the estimate's own jobs carry min(T_inv, dampingFixedFor)
    expect(kronecker({ ...shape, refreshEvery: 5 }, REFERENCE, { dampingFixedFor: Infinity }).prospectiveRefreshJob([factors], 0, 1e-3)!.inverseUses).toBe(5);
    expect(kronecker({ ...shape, refreshEvery: 5 }, REFERENCE, { dampingFixedFor: 2 }).prospectiveRefreshJob([factors], 0, 1e-3)!.inverseUses).toBe(2);
    expect(kronecker({ ...shape, refreshEvery: 5 }).prospectiveRefreshJob([factors], 0, 1e-3)!.inverseUses).toBe(1);
  });

  it('linear regression, Gaussian σ²: the exact Fisher of the layer is I ⊗ (1/(bσ²))Σ x̄ x̄ᵀ (math.md closed form)', () => {
    const rng = new Rng(11);
    const b = 6;
    const inputs = 3;
    const linear: KroneckerStructure = { kind: 'kronecker', outputs: 1, inputs, bias: true };
    for (const sigma2 of [1, 4]) {
      const x = rng.normals(b * inputs);
      const xBar = withOnes(x, b, inputs);
      // H = 1/σ² for every example: its square root's one column, backpropagated through f = wᵀx̄ + c, is 1/σ.
      const e = new Float64Array(b).fill(1 / Math.sqrt(sigma2));
      const estimate = kronecker(linear);
      estimate.updateFactors(kroneckerFactorsFromPairs(kroneckerShape(linear), { inputs: xBar, count: b, outputGrads: e, outputGradsPerInput: 1 }, b), 0);
      const closedForm = scaled(outerProductSum(xBar, b, inputs + 1), 1 / (b * sigma2));
      expect(relativeError(estimate.dense(), closedForm)).toBeLessThan(1e-14);
    }
  });

  it('snapshot → restore continues bit for bit (EKFAC, T_inv = 2, pending pairs), and checkpoint → rollback undoes an update', () => {
    const ekfac: KroneckerStructure = { ...structure, eigenvalueCorrected: true, refreshEvery: 2 };
    const rng = new Rng(12);
    const updates = Array.from({ length: 5 }, () => kroneckerFactorsFromPairs(shape, randomPairs(rng, OUT, IN, true, 3).pairs));
    const v = rng.normals(D);
    const original = kronecker(ekfac);
    original.updateFactors(updates[0], 0.8);
    original.solve(v, 0.1);
    original.updateFactors(updates[1], 0.8);
    original.solve(v, 0.1);
    original.updateFactors(updates[2], 0.8); // refresh due: its pairs wait for the new basis
    expect(original.needsRefresh).toBe(true);
    const snapshot = structuredClone(original.snapshot());
    const restored = restoreSymmetricEstimate(snapshot, REFERENCE) as KroneckerEstimate;
    for (const e of [original, restored]) {
      for (const f of updates.slice(3)) {
        e.solve(v, 0.1);
        e.updateFactors(f, 0.8);
      }
    }
    expect(bitwiseEqual(restored.solve(v, 0.1), original.solve(v, 0.1))).toBe(true);
    expect(bitwiseEqual(restored.dense(), original.dense())).toBe(true);

    original.checkpoint();
    const before = original.solve(v, 0.1);
    const saved = structuredClone(original.snapshot());
    original.updateFactors(updates[0], 0.8);
    original.refreshDecompositions();
    original.rollback();
    expect(original.snapshot()).toEqual(saved);
    expect(bitwiseEqual(original.solve(v, 0.1), before)).toBe(true);
  });

  it('bad inputs throw typed errors naming the field and leave the estimate unchanged', () => {
    const estimate = kronecker({ ...structure, eigenvalueCorrected: true });
    const [good] = batches(13, 1);
    estimate.updateFactors(good, 0.5);
    const before = structuredClone(estimate.snapshot());
    const asymmetric = good.inputSum.slice();
    asymmetric[1] += 1;
    const negativeDiagonal = good.outputGradSum.slice();
    negativeDiagonal[0] = -1;
    const nan = good.inputSum.slice();
    nan[7] = NaN;
    const cases: [Partial<KroneckerFactors>, string, string][] = [
      [{ inputSum: new Float64Array(IN * IN) }, 'SHAPE_MISMATCH', 'factors.inputSum'],
      [{ outputGradSum: new Float64Array(OUT * OUT + 1) }, 'SHAPE_MISMATCH', 'factors.outputGradSum'],
      [{ inputSum: nan }, 'NON_FINITE', 'factors.inputSum'],
      [{ inputSum: asymmetric }, 'INVALID_CONFIG', 'factors.inputSum'],
      [{ outputGradSum: negativeDiagonal }, 'INVALID_CONFIG', 'factors.outputGradSum'],
      [{ inputCount: 0 }, 'INVALID_CONFIG', 'factors.inputCount'],
      [{ outputGradCount: -2 }, 'INVALID_CONFIG', 'factors.outputGradCount'],
      [{ eigenbasisSquares: { sum: new Float64Array(D), count: 1, basisVersion: 99 } }, 'INVALID_CONFIG', 'factors.eigenbasisSquares.basisVersion'],
      [{ eigenbasisSquares: { sum: new Float64Array(D).fill(-1), count: 1, basisVersion: 1 } }, 'INVALID_CONFIG', 'factors.eigenbasisSquares.sum'],
      [{ pairs: { inputs: new Float64Array(order), count: 1, outputGrads: new Float64Array(OUT + 1), outputGradsPerInput: 1 } }, 'SHAPE_MISMATCH', 'factors.pairs.outputGrads'],
    ];
    for (const [patch, code, field] of cases) {
      const error = errorOf(() => estimate.updateFactors({ ...good, ...patch }, 0.5));
      expect([error.code, error.field]).toEqual([code, field]);
      expect(estimate.snapshot()).toEqual(before);
    }
    const rows = errorOf(() => estimate.update([{ rows: new Float64Array(D), count: 1, dim: D, scale: 1 }], 0.5));
    expect(rows.code).toBe('INVALID_CONFIG');
    expect(estimate.snapshot()).toEqual(before);
    expect(errorOf(() => validateStructure(structure, D + 1)).code).toBe('INVALID_CONFIG');
    expect(errorOf(() => validateStructure({ ...structure, eigenvalueCorrected: true, damping: 'pi' }, D)).field).toBe('structure.damping');
  });

  it('in a block-diagonal estimate: rows feed the other blocks, factors the Kronecker block; unknown or non-Kronecker names refused, nothing changed', () => {
    const estimate = createSymmetricEstimate(D + 2, {
      kind: 'blocks',
      blocks: [{ name: 'fc', size: D, structure }, { name: 'scale', size: 2, structure: { kind: 'diagonal' } }],
    }, REFERENCE) as BlockDiagonalEstimate;
    const [f] = batches(14, 1);
    const rows = new Float64Array(D + 2).fill(1);
    rows[D] = 2;
    rows[D + 1] = 3;
    estimate.update([{ rows, count: 1, dim: D + 2, scale: 1 }], 0, { fc: f });
    const dense = estimate.dense();
    const fc = kronecker(structure);
    fc.updateFactors(f, 0);
    const want = new Float64Array((D + 2) ** 2);
    const fcDense = fc.dense();
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) want[i * (D + 2) + j] = fcDense[i * D + j];
    want[D * (D + 2) + D] = 4;
    want[(D + 1) * (D + 2) + D + 1] = 9;
    expect(relativeError(dense, want)).toBeLessThan(1e-14);
    const before = structuredClone(estimate.snapshot());
    expect(errorOf(() => estimate.update([], 0, { nope: f })).code).toBe('UNKNOWN_BLOCK');
    expect(errorOf(() => estimate.update([], 0, { scale: f })).field).toBe('factors.scale');
    expect(errorOf(() => estimate.update([], 0, { fc: { ...f, inputCount: 0 } })).field).toBe('factors.fc.inputCount');
    expect(estimate.snapshot()).toEqual(before);
  });
});

const initialKernels = kernelsInUse();

// The checks and the EMA run on every kernel set: native (native/fisherd-kernels.c, for sums of n² ≥
// NATIVE_MIN_LENGTH values) and JavaScript, with the same decisions and the same bits.
for (const kernels of availableKernels()) describe(`factor sum checks (${kernels} kernels)`, () => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels(initialKernels));

  /** The checks one by one, as the error path runs them: finite, diagonal ≥ 0, every pair within tol·√(M_ii·M_jj). */
  function passesExactly(M: Float64Array, n: number): boolean {
    if (!M.every((x) => Number.isFinite(x))) return false;
    for (let i = 0; i < n; i++) if (M[i * n + i]! < 0) return false;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (!(Math.abs(M[i * n + j]! - M[j * n + i]!) <= FACTOR_SYMMETRY_TOLERANCE * Math.sqrt(M[i * n + i]! * M[j * n + j]!))) return false;
      }
    }
    return true;
  }

  function gram(rng: Rng, n: number): Float64Array {
    const M = outerProductSum(rng.normals(3 * n), 3, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) M[i * n + j]! *= 1 + 1e-12 * rng.normal(); // rounding-size asymmetry
    return M;
  }

  // Orders around the 64-wide tiles, the four-row sweeps and the 4 × 4 blocks (n mod 4 = 0 … 3; the native pass
  // from n = 64): every pair of every tile is reached.
  it.each([1, 2, 5, 63, 64, 65, 67, 70, 130])('n = %i: the one-pass test agrees with the checks one by one on one bad entry anywhere', (n) => {
    const rng = new Rng(40 + n);
    const M = gram(rng, n);
    expect(factorSumPasses(M, n)).toBe(true);
    expect(passesExactly(M, n)).toBe(true);
    const stride = n > 20 ? 7 : 1; // every 7th position at the larger orders (all rows and columns still hit)
    for (let at = 0; at < n * n; at += stride) {
      const i = Math.floor(at / n);
      const j = at % n;
      const bound = i === j ? 0 : FACTOR_SYMMETRY_TOLERANCE * Math.sqrt(M[i * n + i]! * M[j * n + j]!);
      // failing values, and (last) one that passes: the one-pass test decides both without deferring
      for (const bad of i === j ? [-1, Number.NaN, Infinity, 1.5 * M[at]!] : [M[at]! + 2 * bound + 1e-300, M[at]! - 1.01 * bound, Number.NaN, -Infinity, M[at]! + 0.5 * bound]) {
        const X = M.slice();
        X[at] = bad;
        expect([at, factorSumPasses(X, n)]).toEqual([at, passesExactly(X, n)]);
      }
    }
  });

  /** M (m × m) in the top-left corner of the n × n identity: the native pass takes n = 64 (n² ≥ NATIVE_MIN_LENGTH). */
  function embedded(M: Float64Array, m: number, n = 64): Float64Array {
    const X = new Float64Array(n * n);
    for (let i = 0; i < n; i++) X[i * n + i] = 1;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) X[i * n + j] = M[i * m + j]!;
    return X;
  }

  it('undecided cases defer to the exact checks: tiny or huge diagonals, gaps at the bound; symmetric-by-construction skips only the pairs', () => {
    for (const [n, at] of [[3, (M: Float64Array) => M], [64, (M: Float64Array) => embedded(M, 3)]] as const) {
      const M = at(Float64Array.of(1e-200, 0, 0, 0, 1, 0.5, 0, 0.5, 4));
      expect(passesExactly(M, n)).toBe(true);
      expect(factorSumPasses(M, n)).toBe(false); // 1e-200 is outside [1e-150, 1e150]: the caller runs the exact checks
      expect(factorSumPasses(at(Float64Array.of(1e200, 0, 0, 0, 1, 0, 0, 0, 1)), n)).toBe(false);
      const atBound = at(Float64Array.of(1, 0, 0, 0, 1, 0, 0, FACTOR_SYMMETRY_TOLERANCE, 1));
      expect(passesExactly(atBound, n)).toBe(true);
      expect(factorSumPasses(atBound, n)).toBe(false); // within the 1e-9 margin: undecided
      const zeroRow = at(Float64Array.of(0, 1e-170, 0, 0, 1, 0, 0, 0, 1));
      expect(passesExactly(zeroRow, n)).toBe(false);
      expect(factorSumPasses(zeroRow, n)).toBe(false); // a zero diagonal allows no gap at all
      const asymmetric = at(Float64Array.of(1, 0.5, 0, 0, 1, 0, 0, 0, 1));
      expect(factorSumPasses(asymmetric, n)).toBe(false);
      expect(factorSumPasses(asymmetric, n, { symmetric: true })).toBe(true); // the caller vouches for symmetry
      expect(factorSumPasses(at(Float64Array.of(1, Number.NaN, 0, 0, 1, 0, 0, 0, 1)), n, { symmetric: true })).toBe(false);
      expect(factorSumPasses(at(Float64Array.of(-1, 0, 0, 0, 1, 0, 0, 0, 1)), n, { symmetric: true })).toBe(false);
      expect(factorSumPasses(at(Float64Array.of(-0, 0, 0, 0, 1, 0, 0, 0, 1)), n, { symmetric: true })).toBe(true); // −0 ≥ 0
    }
    const marked = markSymmetricByConstruction(new Float64Array(4));
    expect(isSymmetricByConstruction(marked)).toBe(true);
    expect(isSymmetricByConstruction(marked.slice())).toBe(false); // a copy is not marked
  });

  it('the library checks every full matrix (marked or not) and names the first pair off in row order', () => {
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: 2, inputs: 2, bias: false };
    const estimate = kronecker(structure);
    const G = Float64Array.of(1, 0, 0, 1);
    const A = markSymmetricByConstruction(Float64Array.of(1, 0.5, 0, 1));
    const error = errorOf(() => estimate.updateFactors({ inputSum: A, inputCount: 1, outputGradSum: G, outputGradCount: 1 }, 0));
    expect([error.code, error.field]).toEqual(['INVALID_CONFIG', 'factors.inputSum']);
    expect(error.message).toBe(`factors.inputSum is not symmetric: [0][1] = 0.5 but [1][0] = 0 (allowed gap ${FACTOR_SYMMETRY_TOLERANCE})`);
  });

  // A block whose sums take the native pass (in' = 81, out = 64: n² ≥ NATIVE_MIN_LENGTH), on every backend.
  describe.each(BACKENDS.map((b) => [b.name, b] as const))('a 64 × 80 block with a bias on %s', (_name, backend) => {
    const structure: KroneckerStructure = { kind: 'kronecker', outputs: 64, inputs: 80, bias: true };
    const shape = kroneckerShape(structure);
    const updates = (seed: number, count: number): KroneckerFactors[] => {
      const rng = new Rng(seed);
      return Array.from({ length: count }, () => {
        const { pairs } = randomPairs(rng, 64, 80, true, 6);
        const { pairs: _p, ...sums } = kroneckerFactorsFromPairs(shape, pairs);
        return sums;
      });
    };

    it('the EMA is the plain A ← βA + (1−β)S/count, bit for bit (β = 0 first: (1−β)S/count alone)', () => {
      const estimate = kronecker(structure, backend);
      const A = new Float64Array(81 * 81);
      const G = new Float64Array(64 * 64);
      updates(60, 3).forEach((f, t) => {
        const beta = t === 0 ? 0 : 0.9;
        estimate.updateFactors(f, beta);
        // the EMA written out here: one IEEE product and sum per value, as daxpby and fd_factor_ema
        const a = (1 - beta) / f.inputCount;
        const g = (1 - beta) / f.outputGradCount;
        for (let j = 0; j < A.length; j++) A[j] = beta === 0 ? a * f.inputSum[j]! : a * f.inputSum[j]! + beta * A[j]!;
        for (let j = 0; j < G.length; j++) G[j] = beta === 0 ? g * f.outputGradSum[j]! : g * f.outputGradSum[j]! + beta * G[j]!;
        const state = estimate.snapshot();
        if (state.kind !== 'kronecker') throw new Error(`a Kronecker snapshot, got ${state.kind}`);
        expect(bitwiseEqual(state.inputFactor, A)).toBe(true);
        expect(bitwiseEqual(state.outputGradFactor, G)).toBe(true);
      });
    });

    it('checkpoint → updates → rollback, in every order, is the state of a twin that never saw the undone updates (the checkpoint holds the factors, updates write beside them)', () => {
      const estimate = kronecker(structure, backend);
      const twin = kronecker(structure, backend);
      const fs = updates(64, 6);
      const v = new Rng(65).normals(64 * 81);
      const same = (what: string) => {
        const [a, b] = [estimate.snapshot(), twin.snapshot()];
        if (a.kind !== 'kronecker' || b.kind !== 'kronecker') throw new Error('Kronecker snapshots expected');
        expect([a.steps, a.decayProduct], what).toEqual([b.steps, b.decayProduct]);
        expect(bitwiseEqual(a.inputFactor, b.inputFactor) && bitwiseEqual(a.outputGradFactor, b.outputGradFactor), what).toBe(true);
        expect(bitwiseEqual(estimate.solve(v, 0.1), twin.solve(v, 0.1)), what).toBe(true);
      };
      for (const e of [estimate, twin]) e.updateFactors(fs[0]!, 0);
      estimate.checkpoint();
      const held = structuredClone(estimate.snapshot());
      estimate.updateFactors(fs[1]!, 0.9);
      expect(estimate.snapshot()).not.toEqual(held);
      estimate.rollback();
      same('one update undone');
      estimate.checkpoint();
      estimate.updateFactors(fs[1]!, 0.9);
      estimate.updateFactors(fs[2]!, 0.9); // the second one in place, beside the held factors
      estimate.rollback();
      same('two updates after one checkpoint undone');
      estimate.updateFactors(fs[3]!, 0.9); // after a rollback, without a new checkpoint: the held factors stay held
      estimate.rollback();
      same('a second rollback to the same checkpoint');
      estimate.checkpoint();
      estimate.updateFactors(fs[4]!, 0.9);
      twin.updateFactors(fs[4]!, 0.9);
      estimate.checkpoint(); // the update before it is kept
      estimate.updateFactors(fs[5]!, 0.9);
      estimate.rollback();
      same('an update kept, the next undone');
      for (const e of [estimate, twin]) e.updateFactors(fs[5]!, 0.9);
      same('then both take the same update');
    });

    it('bad sums name their first bad entry as the checks one by one do, and leave the estimate unchanged', () => {
      const estimate = kronecker(structure, backend);
      const [first, good] = updates(61, 2);
      estimate.updateFactors(first!, 0.5);
      const before = structuredClone(estimate.snapshot());
      const patched = (M: Float64Array, entries: [number, number][]): Float64Array => {
        const X = M.slice();
        for (const [at, value] of entries) X[at] = value;
        return X;
      };
      const A = good!.inputSum;
      const G = good!.outputGradSum;
      const cases: [Partial<KroneckerFactors>, string, string][] = [
        // two NaNs: the first in row order is named
        [{ inputSum: patched(A, [[70 * 81 + 3, Number.NaN], [5 * 81 + 77, Number.NaN]]) }, 'NON_FINITE', 'factors.inputSum[5][77] is NaN; every value must be finite'],
        [{ outputGradSum: patched(G, [[63 * 64 + 62, -Infinity]]) }, 'NON_FINITE', 'factors.outputGradSum[63][62] is -Infinity; every value must be finite'],
        [{ outputGradSum: patched(G, [[40 * 64 + 40, -1]]) }, 'INVALID_CONFIG', 'factors.outputGradSum[40][40] is -1; a sum of outer products has a diagonal ≥ 0'],
        // a good inputSum and a bad outputGradSum: the factors' EMA must not have started
        [{ outputGradSum: patched(G, [[2 * 64 + 61, G[2 * 64 + 61]! + 1]]) }, 'INVALID_CONFIG', `factors.outputGradSum is not symmetric: [2][61] = ${G[2 * 64 + 61]! + 1} but [61][2] = ${G[61 * 64 + 2]}`],
        [{ inputSum: patched(A, [[80 * 81 + 79, A[80 * 81 + 79]! * 2 + 1], [9 * 81 + 10, A[9 * 81 + 10]! + 1]]) }, 'INVALID_CONFIG', `factors.inputSum is not symmetric: [9][10] = ${A[9 * 81 + 10]! + 1} but [10][9] = ${A[10 * 81 + 9]}`],
      ];
      for (const [patch, code, message] of cases) {
        const error = errorOf(() => estimate.updateFactors({ ...good!, ...patch }, 0.5));
        expect([error.code, error.message.replace(/ \(allowed gap [^)]*\)$/, '')]).toEqual([code, message]);
        expect(estimate.snapshot()).toEqual(before);
      }
      estimate.updateFactors(good!, 0.5);
      expect(estimate.snapshot()).not.toEqual(before);
    });

    it('a Tikhonov solve divides in the eigenbasis as the loop written here does; a zero product is named (λ = 0)', () => {
      const estimate = kronecker(structure, backend);
      const [f] = updates(62, 1);
      estimate.updateFactors(f!, 0);
      const job = estimate.refreshJob()!;
      // an installed basis of unit vectors: the solve is the division alone, in the block's torch layout
      const identity = (n: number): Float64Array => { const I = new Float64Array(n * n); for (let j = 0; j < n; j++) I[j * n + j] = 1; return I; };
      const rng = new Rng(63);
      const outputValues = Float64Array.from(rng.normals(64), Math.abs);
      const inputValues = Float64Array.from(rng.normals(81), Math.abs);
      estimate.installDecomposition({
        version: job.version, factorUpdates: job.factorUpdates, pi: 1,
        inputValues, inputVectors: identity(81), outputValues, outputVectors: identity(64),
      });
      const v = rng.normals(64 * 81);
      const want = new Float64Array(v.length);
      for (let o = 0; o < 64; o++) {
        for (let i = 0; i < 81; i++) {
          const at = i < 80 ? o * 80 + i : 64 * 80 + o; // weight row-major, then the bias
          // float32 storage: v and the quotient rounded to float32 (the unit-vector products are exact)
          want[at] = backend.dtype === 'float32'
            ? Math.fround(Math.fround(v[at]!) / (outputValues[o]! * inputValues[i]! + 1e-3))
            : v[at]! / (outputValues[o]! * inputValues[i]! + 1e-3);
        }
      }
      expect(bitwiseEqual(estimate.solve(v, 1e-3), want)).toBe(true);
      outputValues[3] = 0;
      inputValues[50] = 0;
      const error = errorOf(() => estimate.solve(v, 0));
      expect([error.code, error.message]).toEqual(['NOT_POSITIVE_DEFINITE', 'Kronecker eigenvalue (0, 50) of the damped estimate is 0; a singular factor needs damping > 0 (damping 0)']);
    });
  });
});

/**
 * The solve's precision (math.md "Precision"): on float32 storage the products run in float32. For a generic
 * v the relative error stays a few ε₃₂; for v along the top eigenvectors of both factors (the solution's
 * smallest components carry the rounding of its largest) it grows to ε₃₂·κ, κ the damped Kronecker
 * product's condition; the session's `precision: 'float64'` (openblas in float64) restores ε₆₄·κ. Oracle:
 * the reference backend (float64 JS), factors with prescribed eigenvalues 1 … 1e-6.
 */
describe('Kronecker solve precision by storage type', () => {
  const single = BACKENDS.find((b) => b.name === 'openblas' && b.dtype === 'float32');
  const EPS32 = 2 ** -24;
  const out = 24;
  const inputs = 31; // in' = 32 with the bias
  const order = inputs + 1;
  const rng = new Rng(91);
  /** Rows: an orthonormal basis (Gram–Schmidt of normal rows). */
  function orthonormal(n: number): Float64Array {
    const Q = rng.normals(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        let d = 0;
        for (let k = 0; k < n; k++) d += Q[i * n + k] * Q[j * n + k];
        for (let k = 0; k < n; k++) Q[i * n + k] -= d * Q[j * n + k];
      }
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k] ** 2;
      for (let k = 0; k < n; k++) Q[i * n + k] /= Math.sqrt(s);
    }
    return Q;
  }
  /** Σ_k 1e-6^(k/(n−1)) q_k q_kᵀ, exactly symmetric; also its top eigenvector q_0. */
  function factor(n: number): { M: Float64Array; top: Float64Array } {
    const Q = orthonormal(n);
    const M = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      const value = 1e-6 ** (k / (n - 1));
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) M[i * n + j] += value * Q[k * n + i] * Q[k * n + j];
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) M[i * n + j] = M[j * n + i];
    return { M, top: Q.slice(0, n) };
  }
  const G = factor(out);
  const A = factor(order);
  const along = new Float64Array(out * order); // vec(q_G q_Aᵀ) in the torch layout
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inputs; i++) along[o * inputs + i] = G.top[o] * A.top[i];
    along[out * inputs + o] = G.top[o] * A.top[inputs];
  }
  const generic = rng.normals(out * order);
  function solve(backend: Backend, damping: 'tikhonov' | 'pi', v: Float64Array, lambda: number): Float64Array {
    const estimate = kronecker({ kind: 'kronecker', outputs: out, inputs, bias: true, damping }, backend);
    estimate.updateFactors({ inputSum: A.M, inputCount: 1, outputGradSum: G.M, outputGradCount: 1 }, 0);
    return estimate.solve(v, lambda);
  }

  it.runIf(single !== undefined).each(['tikhonov', 'pi'] as const)('%s damping: float32 within ε₃₂·κ, float64 within ε₆₄·κ', (damping) => {
    const double = createOpenBlasBackend({ dtype: 'float64' });
    try {
      for (const lambda of [1e-2, 1e-3, 1e-4]) {
        // κ of (Ḡ⊗Ā + λI) (Tikhonov) or of the π-damped product (π = 1: both traces' means are equal here)
        const kappa = damping === 'tikhonov' ? (1 + lambda) / (1e-12 + lambda) : ((1 + Math.sqrt(lambda)) / (1e-6 + Math.sqrt(lambda))) ** 2;
        const worst = relativeError(solve(single!, damping, along, lambda), solve(REFERENCE, damping, along, lambda));
        expect(worst).toBeLessThan(4 * EPS32 * kappa);
        expect(worst).toBeGreaterThan(EPS32); // the products do run in float32
        expect(relativeError(solve(single!, damping, generic, lambda), solve(REFERENCE, damping, generic, lambda))).toBeLessThan(2e-6);
        expect(relativeError(solve(double, damping, along, lambda), solve(REFERENCE, damping, along, lambda))).toBeLessThan(1e-9);
      }
    } finally {
      double.dispose();
    }
  });

  it.runIf(single !== undefined).each(['tikhonov', 'pi'] as const)('%s damping: a refresh job of a float32 block rounds its eigenvectors (and damped inverses) to float32 where it decomposes; the solves take them, bit for bit those of rounding in the solve', (damping) => {
    const make = () => {
      const e = kronecker({ kind: 'kronecker', outputs: out, inputs, bias: true, damping, refreshEvery: 1 }, single!, { dampingFixedFor: Infinity });
      e.updateFactors({ inputSum: A.M, inputCount: 1, outputGradSum: G.M, outputGradCount: 1 }, 0);
      return e;
    };
    const offThread = make();
    const job = offThread.refreshJob()!;
    expect(job.single).toBe(true);
    const decomposition = decomposeKroneckerFactors({ ...job, ...(damping === 'pi' ? { piDamping: 1e-3, inverseUses: 10 } : {}) }, single!);
    expect(Array.from(decomposition.vectors32!.output!)).toEqual(Array.from(Float32Array.from(decomposition.outputVectors)));
    expect(Array.from(decomposition.vectors32!.input!)).toEqual(Array.from(Float32Array.from(decomposition.inputVectors)));
    if (damping === 'pi') {
      const f = decomposition.dampedInverses!;
      expect(f.outputInverse).toBeDefined();
      expect(Array.from(f.inverses32!.output!)).toEqual(Array.from(Float32Array.from(f.outputInverse!)));
    }
    // the same decomposition without its float32 copies: the solve rounds them itself
    const { vectors32: _, ...bare } = decomposition;
    const inSolve = make();
    inSolve.refreshJob();
    offThread.installDecomposition(decomposition);
    inSolve.installDecomposition(damping === 'pi' ? { ...bare, dampedInverses: { ...bare.dampedInverses!, inverses32: undefined } } : bare);
    const a = offThread.solve(generic, 1e-3);
    const b = inSolve.solve(generic, 1e-3);
    expect(bitwiseEqual(a, b)).toBe(true);
    // and the float32 copies are what the solve multiplies by: a changed copy changes the solve
    const other = make();
    other.refreshJob();
    const changed = decomposeKroneckerFactors({ ...job, ...(damping === 'pi' ? { piDamping: 1e-3, inverseUses: 10 } : {}) }, single!);
    changed.vectors32!.output![0] += 0.5;
    if (damping === 'pi') changed.dampedInverses!.inverses32!.output![0] += 0.5;
    other.installDecomposition(changed);
    expect(bitwiseEqual(other.solve(generic, 1e-3), a)).toBe(false);
  });
});
