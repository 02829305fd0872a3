/**
 * The gpujs backend's input splitting. GPU.js computes array indices in float32 on webasm and the GL modes,
 * exact only below 2²⁴ (index 2²⁴ + 1 reads element 2²⁴), so the backend hands every kernel a view of at most
 * `maxInputElements` elements and accumulates the partial results. Here a spy on the kernel cache measures
 * the longest view of every call on random shapes with tiny limits (cpu mode: reading past a view gives
 * undefined there, so a wrong split shows as NaN), and real sizes above 2²⁴ run on the mode 'auto' picks.
 * Tolerances as in the spec suite: 1e-4 of each entry's error scale |α|·Σ|a||b| + |β||c| (float32).
 */
import fc from 'fast-check';
import type { IKernelRunShortcut } from 'gpu.js';
import { describe, expect, it, vi } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { DEFAULT_MAX_INPUT_ELEMENTS, type GpuJsOptions } from '../../src/linalg/gpujs.js';
import { KernelCache } from '../../src/linalg/gpujs-kernels.js';
import { createGpuJsBackend, type GpuJsBackend } from '../../src/linalg/index.js';
import { denseGemm, expectClose, randomValues, rng } from './helpers.js';

const FLOAT32_TOLERANCE = 1e-4;

/** Runs `body` and returns the length of the longest array any kernel call received meanwhile. */
function longestKernelInput(body: () => void): number {
  let longest = 0;
  const get = KernelCache.prototype.get;
  const spy = vi.spyOn(KernelCache.prototype, 'get').mockImplementation(function (
    this: KernelCache, ...args: Parameters<KernelCache['get']>
  ) {
    const kernel = get.apply(this, args);
    const recording = (...inputs: unknown[]): unknown => {
      for (const input of inputs) if (input instanceof Float32Array) longest = Math.max(longest, input.length);
      return kernel(...inputs);
    };
    return recording as unknown as IKernelRunShortcut;
  });
  try {
    body();
  } finally {
    spy.mockRestore();
  }
  return longest;
}

/** Σ_r U_ri² over the k×n U, with its error scale, as β·d0 + α·Σ. */
function denseSyrkDiag(U: ArrayLike<number>, k: number, n: number, alpha: number, beta: number, d0: ArrayLike<number>) {
  const value = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < k; r++) s += U[r * n + i]! ** 2;
    const kept = beta === 0 ? 0 : beta * d0[i]!;
    value[i] = alpha * s + kept;
    scale[i] = Math.abs(alpha) * s + Math.abs(kept);
  }
  return { value, scale };
}

describe('gpujs input limits', () => {
  it.each([
    [{ maxInputElements: 0 }, 'maxInputElements'],
    [{ maxInputElements: 2 ** 24 + 1 }, 'maxInputElements'],
    [{ maxInputElements: 2.5 }, 'maxInputElements'],
    [{ maxTileSize: 4097 }, 'maxTileSize'],
    [{ maxTileSize: 0 }, 'maxTileSize'],
  ] as Array<[GpuJsOptions, string]>)('%o is refused with INVALID_CONFIG naming %s', (options, field) => {
    let thrown: unknown;
    try {
      createGpuJsBackend({ mode: 'cpu', ...options });
    } catch (e) {
      thrown = e;
    }
    expect(isFisherdError(thrown, 'INVALID_CONFIG')).toBe(true);
    expect((thrown as { field?: string }).field).toBe(field);
  });

  it('property: every method reads views of at most maxInputElements and matches the float64 loops', () => {
    const backends = new Map<string, GpuJsBackend>();
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 7 }),
          n: fc.integer({ min: 1, max: 7 }),
          k: fc.integer({ min: 0, max: 9 }),
          transA: fc.boolean(),
          transB: fc.boolean(),
          maxInputElements: fc.constantFrom(1, 2, 5, 12, 40),
          maxTileSize: fc.constantFrom(1, 2, 3),
          alpha: fc.constantFrom(1, -0.5),
          beta: fc.constantFrom(0, 1, -1.5),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        ({ m, n, k, transA, transB, maxInputElements, maxTileSize, alpha, beta, seed }) => {
          const key = `${maxTileSize}|${maxInputElements}`;
          const backend = backends.get(key) ?? createGpuJsBackend({ mode: 'cpu', maxTileSize, maxInputElements });
          backends.set(key, backend);
          const random = rng(seed);
          const A = randomValues(m * k, random);
          const B = randomValues(k * n, random);
          const C0 = randomValues(m * n, random);
          const x = randomValues(Math.max(m, k), random);
          const y0 = randomValues(Math.max(m, k, n), random);
          const results: Array<[Float32Array, { value: Float64Array; scale: Float64Array }]> = [];

          const longest = longestKernelInput(() => {
            const C = Float32Array.from(C0);
            backend.gemm(transA, transB, m, n, k, alpha, Float32Array.from(A), Float32Array.from(B), beta, C);
            results.push([C, denseGemm(transA, transB, m, n, k, alpha, A, B, beta, C0)]);

            const S = new Float32Array(n * n).fill(NaN); // β = 0 must overwrite
            backend.syrk(S, n, Float32Array.from(B), k, alpha, 0);
            results.push([S, denseGemm(true, false, n, n, k, alpha, B, B, 0, [])]);

            for (const trans of [false, true]) {
              // A as an m×k matrix: y = α·op(A)x + βy.
              const [xLen, yLen] = trans ? [m, k] : [k, m];
              const y = Float32Array.from(y0.subarray(0, yLen));
              backend.gemv(trans, m, k, alpha, Float32Array.from(A), Float32Array.from(x.subarray(0, xLen)), beta, y);
              results.push([y, denseGemm(trans, false, yLen, 1, xLen, alpha, A, x, beta, y0)]);
            }

            const d = Float32Array.from(y0.subarray(0, n));
            backend.syrkDiag(d, Float32Array.from(B), k, n, alpha, beta);
            results.push([d, denseSyrkDiag(B, k, n, alpha, beta, y0)]);

            const v = Float32Array.from(C0);
            backend.axpby(alpha, Float32Array.from(C0.map((c) => 2 * c)), beta, v);
            const combined = C0.map((c) => 2 * alpha * c + beta * c);
            results.push([v, { value: combined, scale: C0.map((c) => Math.abs(2 * alpha * c) + Math.abs(beta * c)) }]);

            const solved = new Float32Array(m * n);
            const positive = C0.map((c) => Math.abs(c));
            backend.diagSolve(Float32Array.from(positive), 0.5, 0.25, Float32Array.from(C0), solved);
            const quotient = C0.map((c, i) => c / (positive[i]! * 0.5 + 0.25));
            results.push([solved, { value: quotient, scale: quotient.map(Math.abs) }]);
          });

          expect(longest).toBeLessThanOrEqual(maxInputElements);
          for (const [got, want] of results) expectClose(got, want.value, want.scale, FLOAT32_TOLERANCE);
        },
      ),
      { numRuns: 80, seed: 11 },
    );
    for (const backend of backends.values()) backend.dispose();
  });

  it('a kernel shape reused for a taller matrix gets inputs of the same length (webasm refuses a size change)', () => {
    const backend = createGpuJsBackend({ maxTileSize: 3 });
    const random = rng(5);
    for (const m of [4, 5]) {
      // The first 3-row tile of both products shares one compiled kernel.
      const A = randomValues(m * 2, random);
      const B = randomValues(2 * 2, random);
      const C = new Float32Array(m * 2);
      backend.gemm(false, false, m, 2, 2, 1, Float32Array.from(A), Float32Array.from(B), 0, C);
      const want = denseGemm(false, false, m, 2, 2, 1, A, B, 0, []);
      expectClose(C, want.value, want.scale, FLOAT32_TOLERANCE);
    }
    backend.dispose();
  });
});

describe(`gpujs inputs above 2²⁴ = ${DEFAULT_MAX_INPUT_ELEMENTS} elements, default limits`, () => {
  const backend = createGpuJsBackend();

  it('syrkDiag of a 20×10⁶ U (2·10⁷ elements) matches the float64 loop', () => {
    const [k, n] = [20, 1_000_000];
    const random = rng(13);
    const U = new Float32Array(k * n);
    for (let i = 0; i < U.length; i++) U[i] = 2 * random() - 1;
    const d0 = Float32Array.from({ length: n }, () => random());
    const d = Float32Array.from(d0);
    backend.syrkDiag(d, U, k, n, 0.05, 0.95);
    const want = denseSyrkDiag(U, k, n, 0.05, 0.95, d0);
    expectClose(d, want.value, want.scale, FLOAT32_TOLERANCE);
  });

  it('gemm of one stored row longer than 2²⁴ (a dot product) splits the row and reads the right entries', () => {
    // a is one-hot at p = 5 and p = 2²⁴ + 3, where a float32 index rounds to 2²⁴ + 4; b_p = p mod 251 + 1
    // are small integers, so the exact answer b_5 + b_{2²⁴+3} = 6 + 43 is also the float32 one.
    const k = 2 ** 24 + 7;
    const far = 2 ** 24 + 3;
    const a = new Float32Array(k);
    a[5] = 1;
    a[far] = 1;
    const b = Float32Array.from({ length: k }, (_, p) => (p % 251) + 1);
    const out = new Float32Array(1);
    backend.gemm(false, false, 1, 1, k, 1, a, b, 0, out);
    expect(out[0]).toBe(b[5]! + b[far]!);
    expect(b[far]).not.toBe(b[far + 1]);
  });
});
