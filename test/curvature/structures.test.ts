/**
 * Every structure against dense float64 oracles: low-rank (rank ≥ rows, so exact) and block solves equal
 * dense solves; truncation keeps exactly the top-r eigen-directions (compared with a Jacobi eigensolver,
 * step after step); CG and Lanczos paths agree with the dense ones; matvec/diagonal/trace/topEigenvalues
 * agree with dense(). Tolerances: float64 storage 1e-10 (1e-9 for solves), float32 1e-4 (1e-3 for solves).
 */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import {
  BlockDiagonalEstimate,
  createSymmetricEstimate,
  type EstimateOptions,
  type Structure,
  type SymmetricEstimate,
} from '../../src/curvature/index.js';
import {
  BACKENDS,
  blockDiagonalPart,
  denseSolve,
  diagonalOf,
  jacobiEigen,
  matvec,
  outerSum,
  REFERENCE,
  relativeError,
  Rng,
  rowBlock,
  tolerance,
} from './helpers.js';

/** The best rank-r approximation Σ_{j<r} λ_j q_j q_jᵀ of a symmetric PSD matrix. */
function topRank(A: Float64Array, n: number, r: number): Float64Array {
  const { values, vectors } = jacobiEigen(A, n);
  const out = new Float64Array(n * n);
  for (let j = 0; j < Math.min(r, n); j++) {
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) out[a * n + b] += values[j] * vectors[j * n + a] * vectors[j * n + b];
  }
  return out;
}

/** Checks the read-outs of an estimate against its own dense() and against `expected`. */
function checkAgainstDense(estimate: SymmetricEstimate, expected: Float64Array, tol: number, damping: number): void {
  const n = estimate.dim;
  const dense = estimate.dense();
  expect(relativeError(dense, expected), 'dense').toBeLessThan(tol);
  const v = new Rng(99).normals(n);
  expect(relativeError(estimate.matvec(v), matvec(expected, v, n)), 'matvec').toBeLessThan(tol);
  expect(relativeError(estimate.diagonal(), diagonalOf(expected, n)), 'diagonal').toBeLessThan(tol);
  const trace = diagonalOf(expected, n).reduce((a, b) => a + b, 0);
  expect(Math.abs(estimate.trace() - trace) / trace, 'trace').toBeLessThan(tol);
  const k = Math.min(3, n);
  const eig = jacobiEigen(expected, n).values.slice(0, k);
  expect(relativeError(estimate.topEigenvalues(k), eig), 'topEigenvalues').toBeLessThan(tol);
  expect(relativeError(estimate.solve(v, damping), denseSolve(expected, n, damping, v)), 'solve').toBeLessThan(tol * 10);
}

for (const backend of BACKENDS) {
  const tol = tolerance(backend);

  describe(`structures on ${backend.name}`, () => {
    const D = 10;
    const b = 6;
    const rng = new Rng(31);
    const batches = [rng.normals(b * D), rng.normals(b * D), rng.normals(b * D)];
    const weights = Float64Array.from({ length: b }, () => rng.uniform() * 2);
    const decay = 0.8;

    /** The dense EMA, bias-corrected, of the weighted batches with scale 0.5. */
    function denseEma(steps: number): Float64Array {
      let A = new Float64Array(D * D);
      for (let t = 0; t < steps; t++) {
        const hat = outerSum(batches[t], b, D, 0.5, weights);
        A = A.map((a, i) => decay * a + (1 - decay) * hat[i]);
      }
      return A.map((a) => a / (1 - decay ** steps));
    }

    function run(structure: Structure, steps: number, options?: EstimateOptions): SymmetricEstimate {
      const estimate = createSymmetricEstimate(D, structure, backend, options);
      for (let t = 0; t < steps; t++) estimate.update([rowBlock(batches[t], b, D, 0.5, weights)], decay);
      return estimate;
    }

    it('full: EMA of weighted row blocks equals the dense EMA; solves, matvec, eigenvalues agree', () => {
      checkAgainstDense(run({ kind: 'full' }, 3), denseEma(3), tol, 0.1);
    });

    it('diagonal: the diagonal of the dense EMA, solved elementwise', () => {
      const expected = denseEma(3).map((a, i) => (Math.floor(i / D) === i % D ? a : 0));
      checkAgainstDense(run({ kind: 'diagonal' }, 3), expected, tol, 0.1);
    });

    it('low-rank with rank ≥ rows held: exact, and the Woodbury solve equals the dense solve', () => {
      const estimate = run({ kind: 'lowrank', rank: 3 * b }, 3);
      checkAgainstDense(estimate, denseEma(3), tol, 0.1);
    });

    it('blocks (full, lowrank exact, diagonal): the block-diagonal part of the dense EMA', () => {
      const sizes = [4, 3, 3];
      const structure: Structure = {
        kind: 'blocks',
        blocks: [
          { name: 'conv', size: 4, structure: { kind: 'full' } },
          { name: 'fc', size: 3, structure: { kind: 'lowrank', rank: 3 * b } },
          { name: 'bias', size: 3, structure: { kind: 'diagonal' } },
        ],
      };
      const dense = denseEma(3);
      const expected = blockDiagonalPart(dense, D, sizes);
      for (let i = 7; i < 10; i++) for (let j = 7; j < 10; j++) if (i !== j) expected[i * D + j] = 0;
      const estimate = run(structure, 3);
      checkAgainstDense(estimate, expected, tol, 0.1);
      expect(estimate).toBeInstanceOf(BlockDiagonalEstimate);
      const blocks = estimate as BlockDiagonalEstimate;
      expect(blocks.blockRange('fc')).toEqual({ offset: 4, size: 3 });
      expect(relativeError(blocks.block('conv').dense(), Float64Array.from({ length: 16 }, (_, p) => dense[Math.floor(p / 4) * D + (p % 4)]))).toBeLessThan(tol);
      expect(() => blocks.block('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_BLOCK', field: 'block' }));
    });

    it('low-rank truncation keeps exactly the top-r eigen-directions, update after update', () => {
      const r = 4;
      const estimate = createSymmetricEstimate(D, { kind: 'lowrank', rank: r }, backend);
      // Dense simulation of the same algorithm: M ← top_r(βM + (1−β)Â), reported as M/(1−β^t).
      let M: Float64Array = new Float64Array(D * D);
      for (let t = 0; t < 3; t++) {
        estimate.update([rowBlock(batches[t], b, D, 0.5, weights)], decay);
        const hat = outerSum(batches[t], b, D, 0.5, weights);
        M = topRank(M.map((a, i) => decay * a + (1 - decay) * hat[i]), D, r);
        const expected = M.map((a) => a / (1 - decay ** (t + 1)));
        expect(relativeError(estimate.dense(), expected), `step ${t + 1}`).toBeLessThan(tol * 10);
        const eig = jacobiEigen(expected, D).values;
        expect(relativeError(estimate.topEigenvalues(r + 2), Float64Array.from([...eig.slice(0, r), 0, 0]))).toBeLessThan(tol * 10);
      }
      const v = new Rng(5).normals(D);
      expect(relativeError(estimate.solve(v, 0.3), denseSolve(estimate.dense(), D, 0.3, v))).toBeLessThan(tol * 100);
    });

    it('out may alias v in solve and matvec, for every structure', () => {
      for (const structure of [{ kind: 'full' }, { kind: 'diagonal' }, { kind: 'lowrank', rank: 3 }] as Structure[]) {
        const estimate = run(structure, 2);
        const v = new Rng(6).normals(D);
        const solved = estimate.solve(v, 0.2);
        const product = estimate.matvec(v);
        const aliased = Float64Array.from(v);
        estimate.solve(aliased, 0.2, aliased);
        expect(relativeError(aliased, solved), structure.kind).toBeLessThan(1e-12);
        aliased.set(v);
        estimate.matvec(aliased, aliased);
        expect(relativeError(aliased, product), structure.kind).toBeLessThan(1e-12);
      }
    });
  });
}

describe('solver paths', () => {
  const D = 12;
  const rng = new Rng(41);
  const rows = rng.normals(30 * D);

  for (const backend of BACKENDS) {
    it(`${backend.name}: full above choleskyMaxDim solves by CG to the dense answer; above denseEigenMaxDim eigenvalues by Lanczos`, () => {
      const tol = backend.dtype === 'float64' ? 1e-8 : 1e-3;
      const options = { choleskyMaxDim: 4, denseEigenMaxDim: 4 };
      const estimate = createSymmetricEstimate(D, { kind: 'full' }, backend, options);
      estimate.update([rowBlock(rows, 30, D, 1 / 30)], 0.5);
      estimate.update([rowBlock(rows.subarray(0, 10 * D), 10, D, 0.1)], 0.5);
      const dense = estimate.dense();
      const v = new Rng(42).normals(D);
      expect(relativeError(estimate.solve(v, 1e-3), denseSolve(dense, D, 1e-3, v))).toBeLessThan(tol);
      expect(relativeError(estimate.topEigenvalues(5), jacobiEigen(dense, D).values.slice(0, 5))).toBeLessThan(tol);
    });
  }

  it('a singular estimate with λ = 0 throws NOT_POSITIVE_DEFINITE naming the damping (full, diagonal, low-rank)', () => {
    const few = rowBlock(rows.subarray(0, 3 * D), 3, D); // rank 3 < D
    for (const structure of [{ kind: 'full' }, { kind: 'lowrank', rank: 5 }] as Structure[]) {
      const estimate = createSymmetricEstimate(D, structure, REFERENCE);
      estimate.update([few], 0);
      expect(() => estimate.solve(new Float64Array(D).fill(1), 0)).toThrow(
        expect.objectContaining({ code: 'NOT_POSITIVE_DEFINITE', field: 'damping' }),
      );
    }
    const diagonal = createSymmetricEstimate(D, { kind: 'diagonal' }, REFERENCE);
    const sparse = new Float64Array(D);
    sparse[0] = 1;
    diagonal.update([rowBlock(sparse, 1, D)], 0);
    try {
      diagonal.solve(new Float64Array(D).fill(1), 0);
      expect.unreachable();
    } catch (e) {
      expect(isFisherdError(e, 'NOT_POSITIVE_DEFINITE')).toBe(true);
    }
  });

  it('low-rank with λ = 0 throws even when the factor has full rank (the Woodbury form needs λ > 0)', () => {
    const estimate = createSymmetricEstimate(D, { kind: 'lowrank', rank: 40 }, REFERENCE);
    estimate.update([rowBlock(rows, 30, D)], 0);
    expect(() => estimate.solve(new Float64Array(D), 0)).toThrow(expect.objectContaining({ code: 'NOT_POSITIVE_DEFINITE' }));
  });

  it('before any update every structure is the zero matrix: solve = v/λ, matvec = 0, trace = 0', () => {
    const structures: Structure[] = [
      { kind: 'full' },
      { kind: 'diagonal' },
      { kind: 'lowrank', rank: 2 },
      { kind: 'blocks', blocks: [{ name: 'a', size: 5, structure: { kind: 'full' } }, { name: 'b', size: 7, structure: { kind: 'lowrank', rank: 2 } }] },
    ];
    const v = rng.normals(D);
    for (const structure of structures) {
      const estimate = createSymmetricEstimate(D, structure, REFERENCE);
      expect(estimate.steps).toBe(0);
      expect(Array.from(estimate.solve(v, 2))).toEqual(Array.from(v, (x) => x / 2));
      expect(Array.from(estimate.matvec(v))).toEqual(new Array(D).fill(0));
      expect(estimate.trace()).toBe(0);
      expect(Array.from(estimate.topEigenvalues(3))).toEqual([0, 0, 0]);
    }
  });
});
