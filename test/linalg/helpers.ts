/**
 * Float64 plain-loop oracles and comparison helpers for the linalg tests. They are written here, apart from
 * src/linalg/reference.ts, so that the reference backend is itself checked against independent code.
 */
import { expect } from 'vitest';
import type { Backend, Vec } from '../../src/linalg/index.js';

/** mulberry32: a small seeded generator, so every test input is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * n values uniform in [−1, 1), rounded to float32 so that float32 and float64 backends see bit-identical
 * inputs and differences measure only the arithmetic.
 */
export function randomValues(n: number, random: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(2 * random() - 1));
}

/** A storage array of `backend` holding `values`. */
export function storage(backend: Backend, values: ArrayLike<number>): Vec {
  const v = backend.zeros(values.length);
  v.set(Array.from(values));
  return v;
}

/** op(M)_ij of a row-major M stored rows×cols (transposed: M is cols×rows stored). */
export function opAt(M: ArrayLike<number>, trans: boolean, i: number, j: number, rows: number, cols: number): number {
  return trans ? M[j * rows + i]! : M[i * cols + j]!;
}

/**
 * Dense α·op(A)op(B) + βC in float64 with its error scale |α|·|op(A)||op(B)| + |β||C|, the quantity
 * floating-point error bounds for a dot product are proportional to.
 */
export function denseGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  alpha: number, A: ArrayLike<number>, B: ArrayLike<number>, beta: number, C: ArrayLike<number>,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const t = opAt(A, transA, i, p, m, k) * opAt(B, transB, p, j, k, n);
        s += t;
        abs += Math.abs(t);
      }
      const c = beta === 0 ? 0 : beta * C[i * n + j]!;
      value[i * n + j] = alpha * s + c;
      scale[i * n + j] = Math.abs(alpha) * abs + Math.abs(c);
    }
  }
  return { value, scale };
}

/** Tolerance relative to the error scale of each entry, by the backend's storage precision. */
export function tolerance(backend: Backend): number {
  // float32: storage rounding (6e-8) plus float32 accumulation over ≤ a few hundred terms (worst case
  // k·2⁻²⁴ ≈ 1.5e-5 at k = 256) stay well below 1e-4 of the |·| scale, while a wrong index or transpose
  // errs by O(1) of it. float64: the same loops in the same precision, so only reassociation differs.
  return backend.dtype === 'float32' ? 1e-4 : 1e-12;
}

/** Asserts |got_i − want_i| ≤ tol·max(scale_i, tiny) for every i, reporting the worst entry. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number> | number, tol: number): void {
  expect(got.length).toBeGreaterThanOrEqual(want.length);
  let worst = -1;
  let worstRatio = 0;
  for (let i = 0; i < want.length; i++) {
    const s = typeof scale === 'number' ? scale : scale[i]!;
    const ratio = Math.abs(got[i]! - want[i]!) / Math.max(s, 1e-30);
    if (!(ratio <= tol)) {
      if (worst < 0 || !(ratio <= worstRatio)) {
        worst = i;
        worstRatio = ratio;
      }
    }
  }
  if (worst >= 0) {
    expect.fail(`entry ${worst}: got ${got[worst]}, want ${want[worst]} (error/scale ${worstRatio} > ${tol})`);
  }
}

/** A symmetric positive definite n×n matrix UᵀU/k + shift·I from random rows, float32-representable. */
export function randomSpd(n: number, random: () => number, shift = 0.5): Float64Array {
  const k = n + 3;
  const U = randomValues(k * n, random);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let r = 0; r < k; r++) s += U[r * n + i]! * U[r * n + j]!;
      A[i * n + j] = Math.fround(s / k + (i === j ? shift : 0));
    }
  }
  // Round once more symmetrically: fround of equal sums is equal, so A stays exactly symmetric.
  return A;
}

/** Dense y = A x (A n×n row-major). */
export function denseMatVec(A: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** log|det A| by Gaussian elimination with partial pivoting (float64), independent of Cholesky. */
export function logAbsDet(A: ArrayLike<number>, n: number): number {
  const M = Float64Array.from(A as ArrayLike<number>);
  let logDet = 0;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]!) > Math.abs(M[pivot * n + c]!)) pivot = r;
    if (pivot !== c) {
      for (let j = 0; j < n; j++) {
        const t = M[c * n + j]!;
        M[c * n + j] = M[pivot * n + j]!;
        M[pivot * n + j] = t;
      }
    }
    const p = M[c * n + c]!;
    logDet += Math.log(Math.abs(p));
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c]! / p;
      for (let j = c; j < n; j++) M[r * n + j] = M[r * n + j]! - f * M[c * n + j]!;
    }
  }
  return logDet;
}
