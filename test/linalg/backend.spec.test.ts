/**
 * The one spec suite every backend must pass (TensorFlow.js's `describeWithFlags` way): it loops over
 * every backend that initializes here (`allBackends()`), plus GPU.js in 'cpu' mode, GPU.js with a 3×3
 * output tile so that the tiling logic (needed above headless-gl's texture limit) runs on small shapes, and
 * GPU.js with kernel inputs of at most 4 elements so that the input splitting (needed above 2²⁴ elements,
 * where GPU.js's float32 indices round) does too.
 *
 * Oracles are float64 loops in `helpers.ts`. Tolerances (see `tolerance()`): float32 backends 1e-4 of
 * each entry's error scale |α|·Σ|a||b| + |β||c| (float32 rounding over ≤ a few hundred terms stays far
 * below that; a wrong index does not), float64 1e-12. Cholesky and eigh run in float64 on every backend,
 * so their checks use float64 tolerances on all of them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { allBackends, createGpuJsBackend, createOpenBlasBackend, GpuJsBackend, type Backend } from '../../src/linalg/index.js';
import {
  denseGemm, denseMatVec, expectClose, logAbsDet, randomSpd, randomValues, rng, storage, tolerance,
} from './helpers.js';

const backends: Backend[] = await allBackends();
/** The IEEE bits of each value (NaN payloads and −0 included), for comparisons bit for bit. */
const bitsOf = (v: Float64Array): bigint[] => Array.from(new BigInt64Array(v.buffer, v.byteOffset, v.length));
const gpujs = backends.find((b): b is GpuJsBackend => b instanceof GpuJsBackend);
if (gpujs && gpujs.mode !== 'cpu') backends.push(createGpuJsBackend({ mode: 'cpu' }));
const tiled = createGpuJsBackend({ mode: gpujs?.mode ?? 'cpu', maxTileSize: 3 });
// Kernel inputs of at most 4 elements: every operand is split (rows, then the inner dimension), as inputs
// above 2²⁴ elements are with the default limit.
const split = createGpuJsBackend({ mode: gpujs?.mode ?? 'cpu', maxTileSize: 3, maxInputElements: 4 });
backends.push(tiled, split);
// OpenBLAS with float64 storage (`dtype: 'float64'`): the same kernels through the d* routines.
const openblas64 = backends.some((b) => b.name === 'openblas') ? createOpenBlasBackend({ dtype: 'float64' }) : undefined;
if (openblas64) backends.push(openblas64);

const label = (b: Backend): string => {
  if (b === openblas64) return 'openblas float64';
  if (!(b instanceof GpuJsBackend)) return b.name;
  const limits = b === tiled ? ' (3×3 tiles)' : b === split ? ' (3×3 tiles, 4-element inputs)' : '';
  return `gpujs ${b.mode}${limits}`;
};

it('runs against reference, openblas (libopenblas is installed here and in CI) and gpujs', () => {
  expect(backends.map((b) => b.name)).toEqual(expect.arrayContaining(['reference', 'openblas', 'gpujs']));
});

describe.each(backends.map((b) => [label(b), b] as const))('backend %s', (_name, backend) => {
  const tol = tolerance(backend);

  it('allocates zeroed storage of its dtype', () => {
    const z = backend.zeros(5);
    expect(z).toBeInstanceOf(backend.dtype === 'float32' ? Float32Array : Float64Array);
    expect(Array.from(z)).toEqual([0, 0, 0, 0, 0]);
    expect(backend.detail.length).toBeGreaterThan(0);
  });

  describe('level 1', () => {
    it('dot and nrm2 accumulate in float64', () => {
      // In float32, 2²⁴ + 1 rounds back to 2²⁴: a float32 accumulator would return 2²⁴ for both sums.
      const x = storage(backend, [2 ** 24, 1, 1, 1, 1]);
      const ones = storage(backend, [1, 1, 1, 1, 1]);
      expect(backend.dot(x, ones)).toBe(2 ** 24 + 4);
      const y = storage(backend, [3, 4, 0, 12]);
      expect(backend.nrm2(y)).toBeCloseTo(13, 12);
      expect(backend.nrm2(backend.zeros(3))).toBe(0);
    });

    it('dot accepts a Float64Array mixed with storage', () => {
      const x = storage(backend, [1, 2, 3]);
      expect(backend.dot(x, Float64Array.from([0.5, -1, 2]))).toBeCloseTo(4.5, 12);
    });

    it('axpby computes αx + βy, and β = 0 does not read y', () => {
      const random = rng(1);
      const xs = randomValues(11, random);
      const ys = randomValues(11, random);
      const y = storage(backend, ys);
      backend.axpby(1.5, storage(backend, xs), -0.25, y);
      expectClose(y, xs.map((x, i) => 1.5 * x - 0.25 * ys[i]!), xs.map((x, i) => 1.5 * Math.abs(x) + 0.25 * Math.abs(ys[i]!)), tol);
      const poisoned = storage(backend, [NaN, Infinity, 1]);
      backend.axpby(2, storage(backend, [1, 2, 3]), 0, poisoned);
      expect(Array.from(poisoned)).toEqual([2, 4, 6]);
    });
  });

  describe('elementwise', () => {
    it('syrkDiag is β·d + α·Σ_r U_r∘U_r', () => {
      const random = rng(2);
      const k = 5;
      const n = 13;
      const U = randomValues(k * n, random);
      const d0 = randomValues(n, random);
      const d = storage(backend, d0);
      backend.syrkDiag(d, storage(backend, U), k, n, 0.7, 0.3);
      const want = new Float64Array(n);
      const scale = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let r = 0; r < k; r++) s += U[r * n + i]! ** 2;
        want[i] = 0.3 * d0[i]! + 0.7 * s;
        scale[i] = 0.3 * Math.abs(d0[i]!) + 0.7 * s;
      }
      expectClose(d, want, scale, tol);
      const poisoned = storage(backend, new Array<number>(n).fill(NaN));
      backend.syrkDiag(poisoned, storage(backend, U), k, n, 0.7, 0);
      expectClose(poisoned, want.map((w, i) => w - 0.3 * d0[i]!), scale, tol);
    });

    // k = 13 and 9 are not multiples of the 8-row float32 blocks; n = 37 leaves a 5-column tail after 16-column steps.
    it.each([[13, 37], [9, 16], [1, 5], [0, 7]])('syrkDiag with columnSums, k = %i, n = %i: both outputs from one call', (k, n) => {
      const random = rng(20 + k * 101 + n);
      const U = randomValues(k * n, random);
      const d0 = randomValues(n, random);
      const s0 = randomValues(n, random);
      const d = storage(backend, d0);
      const out = storage(backend, s0);
      backend.syrkDiag(d, storage(backend, U), k, n, 0.7, 0.3, { out, alpha: 1.25, beta: -0.5 });
      const want = { d: new Float64Array(n), s: new Float64Array(n) };
      const scale = { d: new Float64Array(n), s: new Float64Array(n) };
      for (let i = 0; i < n; i++) {
        let sq = 0;
        let sum = 0;
        let abs = 0;
        for (let r = 0; r < k; r++) {
          sq += U[r * n + i]! ** 2;
          sum += U[r * n + i]!;
          abs += Math.abs(U[r * n + i]!);
        }
        want.d[i] = 0.3 * d0[i]! + 0.7 * sq;
        scale.d[i] = 0.3 * Math.abs(d0[i]!) + 0.7 * sq;
        want.s[i] = -0.5 * s0[i]! + 1.25 * sum;
        scale.s[i] = 0.5 * Math.abs(s0[i]!) + 1.25 * abs;
      }
      expectClose(d, want.d, scale.d, tol);
      expectClose(out, want.s, scale.s, tol);
      // β' = 0 overwrites: a NaN already in `out` does not survive.
      const poisoned = storage(backend, new Array<number>(n).fill(NaN));
      backend.syrkDiag(d, storage(backend, U), k, n, 0.7, 0.3, { out: poisoned, alpha: 1.25, beta: 0 });
      expectClose(poisoned, want.s.map((w, i) => w + 0.5 * s0[i]!), scale.s, tol);
    });

    it.each([[13, 37], [9, 16], [1, 5], [0, 7], [130, 20]])('syrkDiagCentred, k = %i, n = %i: β·d + α·Σ_r (U_r − c)∘(U_r − c) in one call', (k, n) => {
      const random = rng(40 + k * 7 + n);
      const U = randomValues(k * n, random);
      const c = randomValues(n, random).map((v) => v + 3); // an offset: centring matters
      const d0 = randomValues(n, random);
      const d = storage(backend, d0);
      backend.syrkDiagCentred(d, storage(backend, U), k, n, storage(backend, c), 0.7, 0.3);
      const want = new Float64Array(n);
      const scale = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let sq = 0;
        for (let r = 0; r < k; r++) sq += (U[r * n + i]! - c[i]!) ** 2;
        want[i] = 0.3 * d0[i]! + 0.7 * sq;
        scale[i] = 0.3 * Math.abs(d0[i]!) + 0.7 * sq;
      }
      expectClose(d, want, scale, tol);
      // β = 0 overwrites: a NaN already in d does not survive.
      const poisoned = storage(backend, new Array<number>(n).fill(NaN));
      backend.syrkDiagCentred(poisoned, storage(backend, U), k, n, storage(backend, c), 0.7, 0);
      expectClose(poisoned, want.map((w, i) => w - 0.3 * d0[i]!), scale, tol);
    });

    it('syrkDiagCentred equals centring with axpby, then syrkDiag, bit for bit', () => {
      const random = rng(77);
      const [k, n] = [19, 45];
      const U = storage(backend, randomValues(k * n, random));
      const c = storage(backend, randomValues(n, random).map((v) => v * 10));
      const centred = backend.zeros(k * n);
      for (let r = 0; r < k; r++) {
        const row = centred.subarray(r * n, (r + 1) * n);
        backend.axpby(1, U.subarray(r * n, (r + 1) * n), 0, row);
        backend.axpby(-1, c, 1, row);
      }
      const viaRows = new Float64Array(n);
      backend.syrkDiag(viaRows, centred, k, n, 1, 0);
      const direct = new Float64Array(n);
      backend.syrkDiagCentred(direct, U, k, n, c, 1, 0);
      expect(Array.from(direct)).toEqual(Array.from(viaRows));
    });

    it.each([[19, 45], [8, 16], [130, 100], [0, 5]])('syrkDiag with column sums and centred squares, k = %i, n = %i: each output as its own call gives it, bit for bit', (k, n) => {
      const random = rng(k * 1000 + n);
      const U = storage(backend, randomValues(k * n, random));
      const c = storage(backend, randomValues(n, random).map((v) => v * 3));
      const start = randomValues(n, random);
      const [d, sums, centred] = [Float64Array.from(start), Float64Array.from(start).reverse(), Float64Array.from(start).map((v) => v * 2)];
      const [dAlone, sumsAlone, centredAlone] = [d.slice(), sums.slice(), centred.slice()];
      backend.syrkDiag(d, U, k, n, 0.7, 0.3, { out: sums, alpha: 1.25, beta: -0.5 }, { centre: c, out: centred, alpha: 2, beta: 0.5 });
      backend.syrkDiag(dAlone, U, k, n, 0.7, 0.3, { out: sumsAlone, alpha: 1.25, beta: -0.5 });
      backend.syrkDiagCentred(centredAlone, U, k, n, c, 2, 0.5);
      expect(Array.from(d)).toEqual(Array.from(dAlone));
      expect(Array.from(sums)).toEqual(Array.from(sumsAlone));
      expect(Array.from(centred)).toEqual(Array.from(centredAlone));
      // The sums of the differences (each rounded to U's type), against float64 with the storage tolerance.
      const differences = Float64Array.from(start).map((v) => -v);
      backend.syrkDiag(new Float64Array(n), U, k, n, 1, 0, { out: new Float64Array(n), alpha: 1, beta: 0 },
        { centre: c, out: new Float64Array(n), sums: differences, alpha: 2, beta: 0.5 });
      const round = U instanceof Float32Array ? Math.fround : (x: number) => x;
      const want = start.map((v, i) => {
        let sum = 0;
        for (let r = 0; r < k; r++) sum += round(U[r * n + i]! - c[i]!);
        return -0.5 * v + 2 * sum;
      });
      const scale = start.map((v, i) => {
        let sum = 0;
        for (let r = 0; r < k; r++) sum += Math.abs(U[r * n + i]! - c[i]!);
        return 0.5 * Math.abs(v) + 2 * sum;
      });
      expectClose(differences, want, scale, tol);
      // α = 1, β = 0 (a summary's case) overwrites, NaN included, with the same bits.
      const poisoned = [new Float64Array(n).fill(NaN), new Float64Array(n).fill(NaN), new Float64Array(n).fill(NaN)];
      backend.syrkDiag(poisoned[0]!, U, k, n, 1, 0, { out: poisoned[1]!, alpha: 1, beta: 0 }, { centre: c, out: poisoned[2]!, alpha: 1, beta: 0 });
      const fresh = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      backend.syrkDiag(fresh[0]!, U, k, n, 1, 0, { out: fresh[1]!, alpha: 1, beta: 0 });
      backend.syrkDiagCentred(fresh[2]!, U, k, n, c, 1, 0);
      expect(poisoned.map((a) => Array.from(a))).toEqual(fresh.map((a) => Array.from(a)));
    });

    it('rows placed in the staging buffer (summed in place on openblas) give the results of rows elsewhere, bit for bit', () => {
      const [k, n] = [21, 8192 + 37]; // more than one chunk of columns, and a tail
      const values = randomValues(k * n, rng(5));
      const elsewhere = storage(backend, values);
      const width = elsewhere.BYTES_PER_ELEMENT;
      const centre = storage(backend, randomValues(n, rng(6)));
      const results = (rows: typeof elsewhere) => {
        const [d, e, f] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
        const sums = new Float64Array(n);
        backend.syrkDiag(d, rows, k, n, 0.5, 0);
        backend.syrkDiag(e, rows, k, n, 1, 0, { out: sums, alpha: 0.25, beta: 0 });
        backend.syrkDiagCentred(f, rows, k, n, centre, 2, 0);
        const [g, gSums, gCentred] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
        backend.syrkDiag(g, rows, k, n, 1, 0, { out: gSums, alpha: 1, beta: 0 }, { centre, out: gCentred, alpha: 1, beta: 0 });
        return [d, e, sums, f, g, gSums, gCentred].map((a) => Array.from(a));
      };
      const expected = results(elsewhere);
      for (const bytes of [k * n * width + 64, 3 * k * n * width]) { // the second call grows the buffer
        const staged = backend.stagingBuffer(bytes);
        expect(staged.length).toBe(bytes);
        const at = staged.byteOffset + 2 * width;
        const rows = (width === 4 ? new Float32Array(staged.buffer, at, k * n) : new Float64Array(staged.buffer, at, k * n)) as typeof elsewhere;
        rows.set(elsewhere);
        expect(results(rows)).toEqual(expected);
      }
    });

    it('diagSolve is v / (d·s + λ)', () => {
      const d = [1, 2, 4, 0];
      const v = [1, -3, 5, 2];
      const out = backend.zeros(4);
      backend.diagSolve(storage(backend, d), 0.5, 0.25, storage(backend, v), out);
      expectClose(out, [1 / 0.75, -3 / 1.25, 5 / 2.25, 2 / 0.25], [1 / 0.75, 3 / 1.25, 5 / 2.25, 2 / 0.25], tol);
    });
  });

  describe('level 2: gemv', () => {
    it.each([false, true])('trans=%s with β ≠ 0 and with β = 0 over NaN', (trans) => {
      const random = rng(trans ? 3 : 4);
      const m = 7;
      const n = 5;
      const A = randomValues(m * n, random);
      const [xLen, yLen] = trans ? [m, n] : [n, m];
      const x = randomValues(xLen, random);
      const y0 = randomValues(yLen, random);
      const y = storage(backend, y0);
      backend.gemv(trans, m, n, -1.25, storage(backend, A), storage(backend, x), 0.5, y);
      // gemv is gemm with a one-column B.
      const want = denseGemm(trans, false, yLen, 1, xLen, -1.25, A, x, 0.5, y0);
      expectClose(y, want.value, want.scale, tol);

      const poisoned = storage(backend, new Array<number>(yLen).fill(NaN));
      backend.gemv(trans, m, n, 2, storage(backend, A), storage(backend, x), 0, poisoned);
      const want0 = denseGemm(trans, false, yLen, 1, xLen, 2, A, x, 0, y0);
      expectClose(poisoned, want0.value, want0.scale, tol);
    });
  });

  describe('level 3', () => {
    it.each([
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ])('gemm transA=%s transB=%s with β ≠ 0', (transA, transB) => {
      const random = rng(10 + Number(transA) * 2 + Number(transB));
      const [m, n, k] = [4, 7, 5];
      const A = randomValues(m * k, random);
      const B = randomValues(k * n, random);
      const C0 = randomValues(m * n, random);
      const C = storage(backend, C0);
      backend.gemm(transA, transB, m, n, k, 0.75, storage(backend, A), storage(backend, B), -0.5, C);
      const want = denseGemm(transA, transB, m, n, k, 0.75, A, B, -0.5, C0);
      expectClose(C, want.value, want.scale, tol);
    });

    it('gemm with β = 0 overwrites NaN, and with k = 0 gives βC', () => {
      const A = storage(backend, [1, 2, 3, 4]);
      const C = storage(backend, [NaN, NaN, NaN, NaN]);
      backend.gemm(false, false, 2, 2, 2, 1, A, A, 0, C);
      expect(Array.from(C)).toEqual([7, 10, 15, 22]);
      backend.gemm(false, false, 2, 2, 0, 1, backend.zeros(0), backend.zeros(0), 0.5, C);
      expect(Array.from(C)).toEqual([3.5, 5, 7.5, 11]);
    });

    it('syrk is βC + α·UᵀU, exactly symmetric, on shapes larger than the 3×3 test tile', () => {
      const random = rng(20);
      for (const [k, n] of [[6, 8], [1, 3], [9, 1]] as const) {
        const U = randomValues(k * n, random);
        const sym = randomValues(n * n, random);
        const C0 = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C0[i * n + j] = sym[Math.min(i, j) * n + Math.max(i, j)]!;
        const C = storage(backend, C0);
        backend.syrk(C, n, storage(backend, U), k, 0.5, 2);
        const want = denseGemm(true, false, n, n, k, 0.5, U, U, 2, C0);
        expectClose(C, want.value, want.scale, tol);
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(C[i * n + j]).toBe(C[j * n + i]);
      }
    });

    it('syrk with β = 0 overwrites a NaN-filled C', () => {
      const C = storage(backend, new Array<number>(16).fill(NaN));
      const U = storage(backend, [1, 2, 3, 4, 5, 6, 7, 8]); // 2×4
      backend.syrk(C, 4, U, 2, 1, 0);
      expect(Array.from(C)).toEqual([26, 32, 38, 44, 32, 40, 48, 56, 38, 48, 58, 68, 44, 56, 68, 80]);
    });

    it('property: gemm and syrk match the float64 loops on random shapes', () => {
      const runs = backend instanceof GpuJsBackend && backend.mode !== 'cpu' ? 8 : 30; // each shape compiles a kernel
      fc.assert(
        fc.property(
          fc.record({
            m: fc.integer({ min: 1, max: 7 }),
            n: fc.integer({ min: 1, max: 7 }),
            k: fc.integer({ min: 0, max: 9 }),
            transA: fc.boolean(),
            transB: fc.boolean(),
            alpha: fc.constantFrom(1, -0.5, 2),
            beta: fc.constantFrom(0, 1, -1.5),
            seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          }),
          ({ m, n, k, transA, transB, alpha, beta, seed }) => {
            const random = rng(seed);
            const A = randomValues(m * k, random);
            const B = randomValues(k * n, random);
            const C0 = randomValues(m * n, random);
            const C = storage(backend, C0);
            backend.gemm(transA, transB, m, n, k, alpha, storage(backend, A), storage(backend, B), beta, C);
            const want = denseGemm(transA, transB, m, n, k, alpha, A, B, beta, C0);
            expectClose(C, want.value, want.scale, tol);

            const S = storage(backend, new Array<number>(n * n).fill(0));
            backend.syrk(S, n, storage(backend, B), k, alpha, 0);
            const gram = denseGemm(true, false, n, n, k, alpha, B, B, 0, []);
            expectClose(S, gram.value, gram.scale, tol);
          },
        ),
        { numRuns: runs, seed: 42 },
      );
    });
  });

  describe('float64 factorizations', () => {
    it('cholesky solves (A + λI)x = b and gives log det, from storage or Float64Array input', () => {
      const random = rng(30);
      const n = 9;
      const A = randomSpd(n, random);
      const b = randomValues(n, random);
      const lambda = 0.1;
      const damped = A.map((a, i) => a + (i % (n + 1) === 0 ? lambda : 0));
      for (const input of [storage(backend, A), Float64Array.from(A)]) {
        const factor = backend.cholesky(input, n, lambda);
        expect(factor.n).toBe(n);
        const x = factor.solve(b);
        expectClose(denseMatVec(damped, x, n), b, 1, 1e-12);
        expect(factor.logDet()).toBeCloseTo(logAbsDet(damped, n), 10);
        // out may alias b.
        const inPlace = Float64Array.from(b);
        expect(factor.solve(inPlace, inPlace)).toBe(inPlace);
        expectClose(inPlace, x, 1, 1e-14);
      }
    });

    it('cholesky of a singular PSD matrix works once damped', () => {
      const U = storage(backend, [1, 2, 3, 2, 4, 6]); // rank 1
      const A = backend.zeros(9);
      backend.syrk(A, 3, U, 2, 1, 0);
      const x = backend.cholesky(A, 3, 1).solve([1, 0, 0]);
      const Ad = Float64Array.from(A).map((a, i) => a + (i % 4 === 0 ? 1 : 0));
      expectClose(denseMatVec(Ad, x, 3), [1, 0, 0], 1, 1e-12);
    });

    it.each([
      ['an indefinite matrix', [1, 2, 2, 1], 0],
      ['a negative damping', [1, 0, 0, 1], -2],
      ['a NaN entry', [NaN, 0, 0, 1], 0],
    ])('cholesky of %s throws NOT_POSITIVE_DEFINITE', (_what, A, lambda) => {
      let thrown: unknown;
      try {
        backend.cholesky(storage(backend, A), 2, lambda);
      } catch (e) {
        thrown = e;
      }
      expect(isFisherdError(thrown, 'NOT_POSITIVE_DEFINITE')).toBe(true);
    });

    it('eigh reconstructs A = QΛQᵀ with orthonormal Q and descending values', () => {
      const random = rng(31);
      const n = 12;
      const sym = randomValues(n * n, random);
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = sym[Math.min(i, j) * n + Math.max(i, j)]!;
      const { values, vectors } = backend.eigh(storage(backend, A), n);
      for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let reconstructed = 0;
          let gram = 0;
          for (let j = 0; j < n; j++) {
            reconstructed += vectors[j * n + a]! * values[j]! * vectors[j * n + b]!;
            gram += vectors[a * n + j]! * vectors[b * n + j]!;
          }
          expect(Math.abs(reconstructed - A[a * n + b]!)).toBeLessThan(1e-12 * n);
          expect(Math.abs(gram - (a === b ? 1 : 0))).toBeLessThan(1e-12 * n);
        }
      }
    });

    // The K-FAC factors' sizes (out, in' up to ~1025) go through eigh; n = 65 crosses LAPACK's and the
    // GPU tiles' small-size paths. A·V = V·Λ and VᵀV = I to 1e-12·n·‖A‖ (float64 on every backend), for a
    // rank-deficient PSD factor (a sum of 10 outer products, as a K-FAC factor of a batch of 10) with a
    // repeated zero eigenvalue, given as storage and as a Float64Array.
    it.each([[65, 10], [17, 30]])('eigh of a PSD factor of order %i from %i outer products: A·V = V·Λ, orthonormal V, λ ≥ −1e-12·‖A‖', (n, k) => {
      const random = rng(32 + n);
      // Entries multiples of 1/8: every product and sum is exact in float32, so A is exactly PSD in every storage.
      const U = randomValues(k * n, random).map((u) => Math.round(8 * u) / 8);
      const A = new Float64Array(n * n);
      for (let r = 0; r < k; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += U[r * n + i]! * U[r * n + j]!;
      const norm = Math.max(...A.map(Math.abs));
      for (const input of [storage(backend, A), Float64Array.from(A)]) {
        const { values, vectors } = backend.eigh(input, n);
        expect(values).toBeInstanceOf(Float64Array);
        for (let j = 1; j < n; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
        expect(values[n - 1]!).toBeGreaterThan(-1e-12 * norm);
        if (k < n) expect(Math.abs(values[k]!)).toBeLessThan(1e-12 * n * norm);
        let worstResidual = 0;
        let worstGram = 0;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let p = 0; p < n; p++) av += A[i * n + p]! * vectors[j * n + p]!;
            worstResidual = Math.max(worstResidual, Math.abs(av - values[j]! * vectors[j * n + i]!));
          }
          for (let l = 0; l <= j; l++) {
            let dot = 0;
            for (let p = 0; p < n; p++) dot += vectors[j * n + p]! * vectors[l * n + p]!;
            worstGram = Math.max(worstGram, Math.abs(dot - (j === l ? 1 : 0)));
          }
        }
        expect(worstResidual).toBeLessThan(1e-12 * n * norm);
        expect(worstGram).toBeLessThan(1e-12 * n);
      }
    });

    // `overwrite` (the Kronecker refresh gives its job's copies up): the same values and vectors, bit for bit,
    // at even and odd orders (the in-place reversal of the rows meets in the middle or not); A either left
    // alone or returned as the vectors. An array of another length than n² is never taken over.
    it.each([64, 65])('eigh with overwrite at n = %i: the bits of eigh without it; A is kept or becomes the vectors', (n) => {
      const random = rng(40 + n);
      const U = randomValues(20 * n, random);
      const A = new Float64Array(n * n);
      for (let r = 0; r < 20; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] += U[r * n + i]! * U[r * n + j]!;
      const want = backend.eigh(A, n);
      const given = A.slice();
      const got = backend.eigh(given, n, { overwrite: true });
      expect(bitsOf(got.values)).toEqual(bitsOf(want.values));
      expect(bitsOf(got.vectors)).toEqual(bitsOf(want.vectors));
      if (backend.name === 'openblas') expect(got.vectors).toBe(given); // dsyevd ran in A: no n×n copy, no fresh result
      else expect(bitsOf(given)).toEqual(bitsOf(A));
      const longer = new Float64Array(n * n + 1);
      longer.set(A);
      const fromLonger = backend.eigh(longer, n, { overwrite: true });
      expect(bitsOf(fromLonger.vectors)).toEqual(bitsOf(want.vectors));
      expect(bitsOf(longer.subarray(0, n * n))).toEqual(bitsOf(A));
    });

    it('eigh of a diagonal matrix returns its entries sorted, with unit vectors', () => {
      const { values, vectors } = backend.eigh(storage(backend, [1, 0, 0, 0, 3, 0, 0, 0, 2]), 3);
      expect(Array.from(values)).toEqual([3, 2, 1]);
      expect(Array.from(vectors).map(Math.abs)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    });
  });
});
