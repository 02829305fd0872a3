/**
 * What is particular to the gpujs backend: the mode choice, output tiling (headless-gl returns zeros past
 * its texture limit, so large outputs are split; here a tiny tile size exercises the same code on small
 * shapes), and the per-shape kernel cache. Shared behaviour is in backend.spec.test.ts.
 */
import { GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { chooseGpuJsMode, createGpuJsBackend, GPUJS_MODE_PRIORITY } from '../../src/linalg/index.js';
import { denseGemm, expectClose, randomValues, rng } from './helpers.js';

describe('gpujs mode choice', () => {
  it("'auto' picks the first mode of the priority list that verifies, and says why faster ones were skipped", () => {
    const backend = createGpuJsBackend();
    const index = GPUJS_MODE_PRIORITY.indexOf(backend.mode);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(backend.detail).toMatch(new RegExp(`^gpujs ${backend.mode}`));
    for (const faster of GPUJS_MODE_PRIORITY.slice(0, index)) expect(backend.detail).toContain(`${faster}: `);
    backend.dispose();
  });

  it.runIf(!GPU.isHeadlessGLSupported)('a requested mode that this host lacks fails with the reason', () => {
    expect(() => chooseGpuJsMode('headlessgl')).toThrow(/headless-gl is not available/);
  });

  it('cpu mode always verifies', () => {
    const choice = chooseGpuJsMode('cpu');
    expect(choice.mode).toBe('cpu');
    choice.gpu.destroy().catch(() => {});
  });
});

describe('gpujs tiling', () => {
  const backend = createGpuJsBackend({ mode: 'cpu', maxTileSize: 2 });
  const random = rng(7);

  it('syrk over a 5×5 grid of 2×2 tiles (n = 9, ragged edge) matches UᵀU', () => {
    const [k, n] = [4, 9];
    const U = randomValues(k * n, random);
    const C = backend.zeros(n * n);
    backend.syrk(C, n, Float32Array.from(U), k, 1, 0);
    const want = denseGemm(true, false, n, n, k, 1, U, U, 0, []);
    expectClose(C, want.value, want.scale, 1e-6);
  });

  it('gemm with a rectangular tiled output (5×7, tiles 2×2) matches the loops', () => {
    const [m, n, k] = [5, 7, 3];
    const A = randomValues(m * k, random);
    const B = randomValues(n * k, random);
    const C0 = randomValues(m * n, random);
    const C = Float32Array.from(C0);
    backend.gemm(false, true, m, n, k, 2, Float32Array.from(A), Float32Array.from(B), 0.5, C);
    const want = denseGemm(false, true, m, n, k, 2, A, B, 0.5, C0);
    expectClose(C, want.value, want.scale, 1e-6);
  });

  it('1-D kernels run in chunks of maxTileSize² entries (n = 11 in chunks of 4)', () => {
    const n = 11;
    const x = Float32Array.from(randomValues(n, random));
    const y = Float32Array.from(randomValues(n, random));
    const expected = Array.from(x, (v, i) => 3 * v - y[i]!);
    backend.axpby(3, x, -1, y);
    expectClose(y, expected, 4, 1e-6);
    const A = randomValues(n * 2, random);
    const out = backend.zeros(n);
    backend.gemv(false, n, 2, 1, Float32Array.from(A), Float32Array.from([1, -1]), 0, out);
    expectClose(out, Array.from({ length: n }, (_, i) => A[2 * i]! - A[2 * i + 1]!), 2, 1e-6);
  });

  it('compiles one kernel per shape and reuses it', () => {
    const fresh = createGpuJsBackend({ mode: 'cpu', maxTileSize: 4 });
    const U = Float32Array.from(randomValues(2 * 8, random));
    const C = fresh.zeros(64);
    fresh.syrk(C, 8, U, 2, 1, 0); // 8 = 2 tiles of 4: all tiles share the 4×4 kernel
    const afterFirst = fresh.compiledKernels;
    expect(afterFirst).toBe(1);
    fresh.syrk(C, 8, U, 2, 1, 1);
    expect(fresh.compiledKernels).toBe(afterFirst);
    fresh.dispose();
  });
});
