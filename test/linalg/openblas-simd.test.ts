/**
 * The openblas backend's own syrkDiag paths (the WebAssembly SIMD kernel for float32 rows, the JS loop for
 * float64 rows) at the shapes where their chunking changes, and Cholesky factors that recycle storage.
 */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { createOpenBlasBackend } from '../../src/linalg/index.js';
import { SimdSumOfSquares } from '../../src/linalg/openblas-simd.js';
import { expectClose, randomValues, rng } from './helpers.js';

const backend = createOpenBlasBackend();

/** β·d0 + α·Σ_r U_r², in float64, and its error scale. */
function syrkDiagOracle(U: ArrayLike<number>, k: number, n: number, d0: ArrayLike<number>, alpha: number, beta: number) {
  const want = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < k; r++) s += U[r * n + i]! ** 2;
    want[i] = (beta === 0 ? 0 : beta * d0[i]!) + alpha * s;
    scale[i] = Math.abs(beta * d0[i]!) + alpha * s;
  }
  return { want, scale };
}

/** β·s0 + α·Σ_r U_r, in float64, and its error scale |β·s0| + |α|·Σ_r |U_r|. */
function columnSumsOracle(U: ArrayLike<number>, k: number, n: number, s0: ArrayLike<number>, alpha: number, beta: number) {
  const want = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let abs = 0;
    for (let r = 0; r < k; r++) {
      s += U[r * n + i]!;
      abs += Math.abs(U[r * n + i]!);
    }
    want[i] = (beta === 0 ? 0 : beta * s0[i]!) + alpha * s;
    scale[i] = Math.abs(beta * s0[i]!) + Math.abs(alpha) * abs;
  }
  return { want, scale };
}

describe('openblas syrkDiag', () => {
  it('this engine runs the WebAssembly SIMD kernel (Node ≥ 16)', () => {
    expect(SimdSumOfSquares.create()).toBeDefined();
  });

  // 8192-column chunks, 128-row groups, 8-row float32 partials, 16-column steps and their tails.
  const shapes: [number, number][] = [[1, 1], [3, 15], [9, 16], [8, 17], [130, 8192 + 33], [257, 300], [17, 16384]];
  it.each(shapes)('float32 rows (SIMD kernel), k = %i, n = %i: within float32 rounding of the float64 oracle', (k, n) => {
    const random = rng(k * 7919 + n);
    const U = Float32Array.from(randomValues(k * n, random));
    const d0 = randomValues(n, random);
    const d = Float32Array.from(d0);
    backend.syrkDiag(d, U, k, n, 0.7, 0.3);
    const { want, scale } = syrkDiagOracle(U, k, n, d0, 0.7, 0.3);
    // Eight float32 roundings per partial sum and one of the float32 result: ≲ 1e-6 of the scale.
    expectClose(d, want, scale, 2e-6);
  });

  it.each(shapes)('float32 rows with columnSums (SIMD moments kernel), k = %i, n = %i: both outputs within float32 rounding', (k, n) => {
    const random = rng(k * 104729 + n);
    const U = Float32Array.from(randomValues(k * n, random));
    const d0 = randomValues(n, random);
    const s0 = randomValues(n, random);
    const d = Float32Array.from(d0);
    const out = Float32Array.from(s0);
    backend.syrkDiag(d, U, k, n, 0.7, 0.3, { out, alpha: 0.5, beta: 2 });
    const { want, scale } = syrkDiagOracle(U, k, n, d0, 0.7, 0.3);
    expectClose(d, want, scale, 2e-6);
    const sums = columnSumsOracle(U, k, n, s0, 0.5, 2);
    expectClose(out, sums.want, sums.scale, 2e-6);
  });

  it('float32 rows with columnSums: a NaN row value reaches its column of both outputs only', () => {
    const [k, n] = [9, 8200];
    const U = Float32Array.from(randomValues(k * n, rng(6)));
    U[4 * n + 8195] = NaN;
    U[2 * n + 8197] = Infinity; // in the < 16-column tail of the last chunk
    const d = new Float32Array(n).fill(NaN);
    const out = new Float32Array(n).fill(NaN);
    backend.syrkDiag(d, U, k, n, 1, 0, { out, alpha: 1 / k, beta: 0 });
    expect(Number.isNaN(d[8195]) && Number.isNaN(out[8195])).toBe(true);
    expect(d[8197]).toBe(Infinity);
    expect(out[8197]).toBe(Infinity);
    expect(d.filter((x) => !Number.isFinite(x)).length).toBe(2);
    expect(out.filter((x) => !Number.isFinite(x)).length).toBe(2);
  });

  it('float64 rows with columnSums (JS loop) across 4096-column chunks', () => {
    const [k, n] = [11, 5000];
    const U = randomValues(k * n, rng(7));
    const d0 = randomValues(n, rng(8));
    const s0 = randomValues(n, rng(9));
    const d = Float32Array.from(d0);
    const out = Float32Array.from(s0);
    backend.syrkDiag(d, U, k, n, 2, 0.5, { out, alpha: -1, beta: 0.25 });
    const { want, scale } = syrkDiagOracle(U, k, n, d0, 2, 0.5);
    expectClose(d, want, scale, 1e-6);
    const sums = columnSumsOracle(U, k, n, s0, -1, 0.25);
    expectClose(out, sums.want, sums.scale, 1e-6);
  });

  it('float32 rows: β = 0 overwrites a NaN in d; a NaN row value reaches its column only', () => {
    const [k, n] = [9, 8200];
    const U = Float32Array.from(randomValues(k * n, rng(3)));
    const d = new Float32Array(n).fill(NaN);
    backend.syrkDiag(d, U, k, n, 1, 0);
    const { want, scale } = syrkDiagOracle(U, k, n, new Float64Array(n), 1, 0);
    expectClose(d, want, scale, 2e-6);
    U[4 * n + 8195] = NaN;
    backend.syrkDiag(d, U, k, n, 1, 0);
    expect(Number.isNaN(d[8195])).toBe(true);
    expect(d.filter((x) => Number.isNaN(x)).length).toBe(1);
  });

  it('float64 rows (JS loop, eight rows per sweep) across 4096-column chunks, k not a multiple of 8', () => {
    const [k, n] = [11, 5000];
    const U = randomValues(k * n, rng(4));
    const d0 = randomValues(n, rng(5));
    const d = Float32Array.from(d0);
    backend.syrkDiag(d, U, k, n, 2, 0.5);
    const { want, scale } = syrkDiagOracle(U, k, n, d0, 2, 0.5);
    expectClose(d, want, scale, 1e-6);
  });
});

describe('openblas cholesky with a recycled factor', () => {
  const n = 6;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = i === j ? n + i : 1 / (1 + i + j);
  const b = Float64Array.from({ length: n }, (_, i) => i - 2);

  it('factors into the storage of the factor passed as `reuse` and invalidates that factor', () => {
    const first = backend.cholesky(A, n, 0.5);
    const expected = first.solve(b);
    const shifted = backend.cholesky(A, n, 2);
    const reused = backend.cholesky(A, n, 0.5, shifted);
    expect(Array.from(reused.solve(b))).toEqual(Array.from(expected));
    expect(reused.logDet()).toBe(first.logDet());
    let error: unknown;
    try {
      shifted.solve(b);
    } catch (e) {
      error = e;
    }
    expect(isFisherdError(error, 'INTERNAL')).toBe(true);
  });

  it('ignores a `reuse` factor of another order', () => {
    const small = backend.cholesky(new Float64Array([4]), 1, 0);
    const factor = backend.cholesky(A, n, 0.5, small);
    expect(factor.solve(b).every(Number.isFinite)).toBe(true);
    expect(small.solve([8])[0]).toBe(2);
  });
});
