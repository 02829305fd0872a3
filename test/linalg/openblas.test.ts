/**
 * What is particular to the openblas backend: each koffi binding on small sizes (a misuse would crash the
 * process, not fail a test), memory-safety checks, and the float64-output path. The shared behaviour is
 * covered by backend.spec.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { createOpenBlasBackend } from '../../src/linalg/index.js';
import { loadOpenBlas } from '../../src/linalg/openblas-bindings.js';
import { denseGemm, expectClose, randomValues, rng } from './helpers.js';

describe('openblas bindings', () => {
  const blas = loadOpenBlas();

  it('report the library version, core and threads', () => {
    expect(blas.config).toMatch(/^OpenBLAS \d+\.\d+\.\d+/);
    expect(blas.coreName.length).toBeGreaterThan(0);
    expect(blas.getNumThreads()).toBeGreaterThanOrEqual(1);
    expect(createOpenBlasBackend().detail).toMatch(/^openblas \d+\.\d+\.\d+ \(.+, (sequential|pthread|openmp), \d+ threads\)$/);
  });

  it('cblas_dsdot accumulates float32 inputs in double', () => {
    const x = new Float32Array([2 ** 24, 1, 1]);
    expect(blas.dsdot(3, x, 1, new Float32Array([1, 1, 1]), 1)).toBe(2 ** 24 + 2);
  });

  it('dpotrf/dpotrs factor and solve a 2×2 system', () => {
    const a = new Float64Array([4, 2, 2, 3]);
    const n = new Int32Array([2]);
    const info = new Int32Array(1);
    blas.dpotrf('L', n, a, n, info, 1);
    expect(info[0]).toBe(0);
    expect(a[0]).toBe(2);
    const b = new Float64Array([2, 1]);
    blas.dpotrs('L', n, new Int32Array([1]), a, n, b, n, info, 1);
    expect(Array.from(b)).toEqual([0.5, 0]);
  });

  it('dsyevd answers a workspace query and decomposes [[2,1],[1,2]]', () => {
    const a = new Float64Array([2, 1, 1, 2]);
    const w = new Float64Array(2);
    const n = new Int32Array([2]);
    const info = new Int32Array(1);
    const work = new Float64Array(64);
    const iwork = new Int32Array(16);
    blas.dsyevd('V', 'L', n, a, n, w, work, new Int32Array([64]), iwork, new Int32Array([16]), info, 1, 1);
    expect(info[0]).toBe(0);
    expect(w[0]).toBeCloseTo(1, 14);
    expect(w[1]).toBeCloseTo(3, 14);
  });

  it('a library that does not exist gives an error naming the package to install', () => {
    expect(() => createOpenBlasBackend({ library: 'libopenblas-does-not-exist.so' })).toThrow(/libopenblas0-pthread/);
  });
});

describe('openblas backend', () => {
  const backend = createOpenBlasBackend();

  it.each([
    ['gemm A', () => backend.gemm(false, false, 3, 3, 3, 1, backend.zeros(8), backend.zeros(9), 0, backend.zeros(9))],
    ['gemm C', () => backend.gemm(false, false, 3, 3, 3, 1, backend.zeros(9), backend.zeros(9), 0, backend.zeros(8))],
    ['syrk U', () => backend.syrk(backend.zeros(16), 4, backend.zeros(7), 2, 1, 0)],
    ['gemv x', () => backend.gemv(true, 3, 2, 1, backend.zeros(6), backend.zeros(2), 0, backend.zeros(2))],
    ['cholesky A', () => backend.cholesky(backend.zeros(3), 2, 1)],
    ['solve b', () => backend.cholesky(new Float64Array([1, 0, 0, 1]), 2, 0).solve([1])],
  ])('rejects a too-short array before calling BLAS (%s)', (_what, call) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(isFisherdError(thrown, 'SHAPE_MISMATCH')).toBe(true);
  });

  it('computes in float64 (dgemm/dsyrk/dgemv) when the output is a Float64Array, converting float32 inputs', () => {
    const random = rng(5);
    const [m, n, k] = [5, 4, 6];
    const A = randomValues(m * k, random);
    const B = randomValues(k * n, random);
    const C = new Float64Array(m * n);
    backend.gemm(false, false, m, n, k, 1, Float32Array.from(A), B, 0, C);
    const want = denseGemm(false, false, m, n, k, 1, A, B, 0, []);
    expectClose(C, want.value, want.scale, 1e-14);
    const S = new Float64Array(n * n);
    backend.syrk(S, n, Float32Array.from(B), k, 1, 0);
    const gram = denseGemm(true, false, n, n, k, 1, B, B, 0, []);
    expectClose(S, gram.value, gram.scale, 1e-14);
    const y = new Float64Array(m);
    backend.gemv(false, m, k, 1, Float32Array.from(A), B.subarray(0, k), 0, y);
    const mv = denseGemm(false, false, m, 1, k, 1, A, B.subarray(0, k), 0, []);
    expectClose(y, mv.value, mv.scale, 1e-14);
  });

  it('converts Float64Array inputs into float32 scratch for float32 outputs (never reinterprets bytes)', () => {
    const C = backend.zeros(4);
    backend.gemm(false, false, 2, 2, 2, 1, new Float64Array([1, 2, 3, 4]), new Float64Array([1, 0, 0, 1]), 0, C);
    expect(Array.from(C)).toEqual([1, 2, 3, 4]);
    const y = backend.zeros(3);
    backend.axpby(1, new Float64Array([0.5, 1.5, -2]), 0, y);
    expect(Array.from(y)).toEqual([0.5, 1.5, -2]);
  });

  it('syrkDiag crosses its 4096-column chunks and handles k not a multiple of 4', () => {
    const [k, n] = [7, 5000];
    const U = Float32Array.from(randomValues(k * n, rng(8)));
    const d = backend.zeros(n).fill(1);
    backend.syrkDiag(d, U, k, n, 2, 0.5);
    const want = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += U[r * n + i]! ** 2;
      want[i] = 0.5 + 2 * s;
    }
    expectClose(d, want, want, 1e-6);
  });

  it.each(['float32', 'float64'])('mirrors syrk across 64-wide omatcopy blocks at n = 130 (%s output)', (dtype) => {
    const n = 130;
    const U = Float32Array.from(randomValues(3 * n, rng(6)));
    const C = dtype === 'float32' ? backend.zeros(n * n) : new Float64Array(n * n);
    backend.syrk(C, n, U, 3, 1, 0);
    let asymmetric = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (C[i * n + j] !== C[j * n + i]) asymmetric++;
    expect(asymmetric).toBe(0);
    const gram = denseGemm(true, false, n, n, 3, 1, U, U, 0, []);
    expectClose(C, gram.value, gram.scale, 1e-6);
  });
});
