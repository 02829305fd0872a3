/**
 * The `openblas` backend: float32 storage (float64 with `dtype: 'float64'`), kernels in the system OpenBLAS through koffi (FFI), the default
 * wherever `libopenblas.so.0` loads (~100 GFLOP/s for syrk/gemm here, vs ~1 GFLOP/s for the JS loops).
 *
 * Precision: every level-2/3 kernel runs in the precision of its *output* array — `sgemm`/`ssyrk`/`sgemv`
 * for a Float32Array (the storage `zeros` returns), `dgemm`/`dsyrk`/`dgemv` for a Float64Array — and
 * inputs of the other type are converted into reusable scratch buffers first (never passed as-is: see
 * `openblas-bindings.ts`). Dot products and norms accumulate in float64 (`cblas_dsdot`). Cholesky and
 * eigh run in float64 LAPACK (dpotrf/dpotrs, dsyevd) on a float64 copy of the matrix (eigh with
 * `overwrite`: in the caller's Float64Array itself, which becomes the eigenvectors).
 *
 * Hot paths allocate nothing beyond those scratch buffers, which grow to the largest size seen.
 */
import { centredColumnSums, syrkDiagCentredByChunks } from './centred-rows.js';
import type { Backend, CentredSquares, CholeskyFactor, ColumnSums, DType, EighOptions, SymmetricEigen, Vec } from './backend.js';
import { notPositiveDefinite } from './cholesky.js';
import { FisherdError } from '../errors.js';
import { requireLength } from './layout.js';
import { CBLAS, DEFAULT_OPENBLAS_LIBRARY, loadOpenBlas, type OpenBlasLibrary } from './openblas-bindings.js';
import { SimdSumOfSquares } from './openblas-simd.js';
import { scaled } from './reference.js';
import { StagingArea } from './staging.js';

export interface OpenBlasOptions {
  /** Shared object to load. Default `libopenblas.so.0`. */
  library?: string;
  /** OpenBLAS threads (`openblas_set_num_threads`); process-wide. Default: leave OpenBLAS's own choice. */
  threads?: number;
  /**
   * Storage precision of the arrays `zeros` hands out, hence of the estimates built on this backend.
   * Default 'float32' (half the memory and bandwidth). 'float64' makes every level-2/3 kernel the d*
   * routine (they run in the precision of their output): for small damping on ill-conditioned estimates,
   * where float32 storage loses digits (math.md, "Precision").
   */
  dtype?: DType;
}

/** Edge of the blocks the syrk mirror transposes with omatcopy (measured best of 16–512 at n = 2048). */
const MIRROR_BLOCK = 64;

/** Entries of d summed per pass of `syrkDiag`: 4096 float64 accumulators = 32 KiB, about L1. */
const SYRK_DIAG_CHUNK = 4096;

/** Growable typed arrays reused across calls, one per named slot. */
class Scratch {
  private readonly f32 = new Map<string, Float32Array>();
  private readonly f64 = new Map<string, Float64Array>();

  /** `v` itself if it is a Float32Array, else a float32 copy of it in slot `slot`. */
  asF32(v: Vec, length: number, slot: string): Float32Array {
    if (v instanceof Float32Array) return v;
    const buf = grow(this.f32, slot, length, (n) => new Float32Array(n));
    buf.set(v.subarray(0, length));
    return buf;
  }

  /** `v` itself if it is a Float64Array, else a float64 copy of it in slot `slot`. */
  asF64(v: Vec, length: number, slot: string): Float64Array {
    if (v instanceof Float64Array) return v;
    const buf = grow(this.f64, slot, length, (n) => new Float64Array(n));
    buf.set(v.subarray(0, length));
    return buf;
  }

  float64(slot: string, length: number): Float64Array {
    return grow(this.f64, slot, length, (n) => new Float64Array(n));
  }

  clear(): void {
    this.f32.clear();
    this.f64.clear();
  }
}

function grow<T extends Vec>(pool: Map<string, T>, slot: string, length: number, make: (n: number) => T): T {
  let buf = pool.get(slot);
  if (!buf || buf.length < length) {
    buf = make(length);
    pool.set(slot, buf);
  }
  return buf;
}

export class OpenBlasBackend implements Backend {
  readonly name = 'openblas' as const;
  readonly detail: string;
  private readonly scratch = new Scratch();
  private readonly staging = new StagingArea();
  /** The WebAssembly SIMD `syrkDiag` for float32 rows (undefined without WebAssembly SIMD). */
  private readonly simd = SimdSumOfSquares.create();
  /** dsyevd's workspace sizes per order, and its integer workspace (grown to the largest). */
  private readonly dsyevdSizes = new Map<number, { lwork: number; liwork: number }>();
  private iwork = new Int32Array(0);

  constructor(
    private readonly blas: OpenBlasLibrary,
    /** Storage precision (`OpenBlasOptions.dtype`). */
    readonly dtype: DType = 'float32',
  ) {
    const version = /OpenBLAS\s+(\S+)/.exec(blas.config)?.[1] ?? 'unknown';
    const threading = ['sequential', 'pthread', 'openmp'][blas.parallel] ?? `parallel=${blas.parallel}`;
    this.detail = `openblas ${version} (${blas.coreName}, ${threading}, ${blas.getNumThreads()} threads${dtype === 'float64' ? ', float64 storage' : ''})`;
  }

  zeros(n: number): Vec {
    return this.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  }

  dot(x: Vec, y: Vec): number {
    const n = x.length;
    requireLength(y, n, 'dot', 'y');
    if (x instanceof Float32Array && y instanceof Float32Array) return this.blas.dsdot(n, x, 1, y, 1);
    if (x instanceof Float64Array && y instanceof Float64Array) return this.blas.ddot(n, x, 1, y, 1);
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i] * y[i];
    return s;
  }

  nrm2(x: Vec): number {
    // float32 squares summed in float64 neither overflow nor underflow (|x|² ≤ 1.2e77), so no scaling.
    if (x instanceof Float32Array) return Math.sqrt(this.blas.dsdot(x.length, x, 1, x, 1));
    return this.blas.dnrm2(x.length, x, 1);
  }

  axpby(alpha: number, x: Vec, beta: number, y: Vec): void {
    const n = y.length;
    requireLength(x, n, 'axpby', 'x');
    if (y instanceof Float32Array) this.blas.saxpby(n, alpha, this.scratch.asF32(x, n, 'x'), 1, beta, y, 1);
    else this.blas.daxpby(n, alpha, this.scratch.asF64(x, n, 'x'), 1, beta, y, 1);
  }

  syrkDiag(d: Vec, U: Vec, k: number, n: number, alpha: number, beta: number, columnSums?: ColumnSums, centred?: CentredSquares): void {
    requireLength(d, n, 'syrkDiag', 'd');
    requireLength(U, k * n, 'syrkDiag', 'U');
    if (columnSums !== undefined) requireLength(columnSums.out, n, 'syrkDiag', 'columnSums.out');
    if (centred !== undefined) {
      requireLength(centred.out, n, 'syrkDiag', 'centred.out');
      requireLength(centred.centre, n, 'syrkDiag', 'centred.centre');
      if (centred.sums !== undefined) requireLength(centred.sums, n, 'syrkDiag', 'centred.sums');
      // Float32 rows through SIMD: the `all` kernel reads them once for the three outputs. Not with float64
      // storage: the kernel sums eight rows in float32 lanes, and ḡ must keep float64 accuracy there (a ḡ
      // off the rows' span by float32 rounding is amplified 1/λ by a low-rank solve; math.md "Precision").
      if (U instanceof Float32Array && this.simd !== undefined && columnSums !== undefined && this.dtype === 'float32') {
        this.simd.syrkDiag(d, U, k, n, alpha, beta, columnSums, { ...centred, centre: this.scratch.asF32(centred.centre, n, 'centre') });
        return;
      }
      this.syrkDiagCentred(centred.out, U, k, n, centred.centre, centred.alpha, centred.beta);
      if (centred.sums !== undefined) centredColumnSums(centred.sums, U, k, n, centred.centre, centred.alpha, centred.beta);
    }
    // No BLAS routine computes Σ_r U_ri²: float32 rows go through the WebAssembly SIMD kernel
    // (openblas-simd.ts); float64 rows, or an engine without SIMD, through a JS pass over chunks of
    // columns that keeps its float64 accumulators in cache while streaming the k rows.
    // (float64 storage: the JS pass, whose sums are float64 throughout; see above.)
    if (U instanceof Float32Array && this.simd !== undefined && this.dtype === 'float32') {
      this.simd.syrkDiag(d, U, k, n, alpha, beta, columnSums);
      return;
    }
    const acc = this.scratch.float64('syrkDiag', SYRK_DIAG_CHUNK);
    const sums = this.scratch.float64('syrkDiag.sums', columnSums === undefined ? 0 : SYRK_DIAG_CHUNK);
    for (let i0 = 0; i0 < n; i0 += SYRK_DIAG_CHUNK) {
      const len = Math.min(SYRK_DIAG_CHUNK, n - i0);
      acc.fill(0, 0, len);
      // Eight rows per sweep: one load/store of each accumulator per eight squares (measured 70 CPU-ms at
      // D = 10⁶, b = 128, against 88 ms for four rows per sweep and ~2× that for one).
      let r = 0;
      for (; r + 8 <= k; r += 8) {
        const b0 = r * n + i0;
        const b1 = b0 + n;
        const b2 = b1 + n;
        const b3 = b2 + n;
        const b4 = b3 + n;
        const b5 = b4 + n;
        const b6 = b5 + n;
        const b7 = b6 + n;
        for (let t = 0; t < len; t++) {
          const u0 = U[b0 + t];
          const u1 = U[b1 + t];
          const u2 = U[b2 + t];
          const u3 = U[b3 + t];
          const u4 = U[b4 + t];
          const u5 = U[b5 + t];
          const u6 = U[b6 + t];
          const u7 = U[b7 + t];
          acc[t] += u0 * u0 + u1 * u1 + (u2 * u2 + u3 * u3) + (u4 * u4 + u5 * u5 + (u6 * u6 + u7 * u7));
        }
      }
      for (; r < k; r++) {
        const base = r * n + i0;
        for (let t = 0; t < len; t++) {
          const u = U[base + t];
          acc[t] += u * u;
        }
      }
      for (let t = 0; t < len; t++) d[i0 + t] = scaled(beta, d[i0 + t]) + alpha * acc[t];
      if (columnSums !== undefined) {
        // The column sums of this chunk while its rows are still in cache (this fallback is not the hot path).
        const { out, alpha: a, beta: b } = columnSums;
        sums.fill(0, 0, len);
        for (let row = 0; row < k; row++) {
          const base = row * n + i0;
          for (let t = 0; t < len; t++) sums[t] += U[base + t];
        }
        for (let t = 0; t < len; t++) out[i0 + t] = scaled(b, out[i0 + t]) + a * sums[t];
      }
    }
  }

  stagingBuffer(bytes: number): Uint8Array {
    return this.simd?.staging(bytes) ?? this.staging.view(bytes);
  }

  syrkDiagCentred(d: Vec, U: Vec, k: number, n: number, centre: Vec, alpha: number, beta: number): void {
    requireLength(d, n, 'syrkDiagCentred', 'd');
    requireLength(U, k * n, 'syrkDiagCentred', 'U');
    requireLength(centre, n, 'syrkDiagCentred', 'centre');
    // Float32 rows: the SIMD kernel subtracts the centre on its way through them (one read of U);
    // otherwise the rows are centred into scratch chunks and summed by syrkDiag.
    if (U instanceof Float32Array && this.simd !== undefined && this.dtype === 'float32') {
      this.simd.syrkDiag(d, U, k, n, alpha, beta, undefined, { centre: this.scratch.asF32(centre, n, 'centre'), out: d, alpha, beta });
      return;
    }
    syrkDiagCentredByChunks(this, d, U, k, n, centre, alpha, beta);
  }

  diagSolve(d: Vec, s: number, lambda: number, v: Vec, out: Vec): void {
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = v[i] / (d[i] * s + lambda);
  }

  gemv(trans: boolean, m: number, n: number, alpha: number, A: Vec, x: Vec, beta: number, y: Vec): void {
    const [xLen, yLen] = trans ? [m, n] : [n, m];
    requireLength(A, m * n, 'gemv', 'A');
    requireLength(x, xLen, 'gemv', 'x');
    requireLength(y, yLen, 'gemv', 'y');
    if (yLen === 0) return;
    const t = trans ? CBLAS.trans : CBLAS.noTrans;
    const lda = Math.max(1, n);
    if (y instanceof Float32Array) {
      const a = this.scratch.asF32(A, m * n, 'A');
      this.blas.sgemv(CBLAS.rowMajor, t, m, n, alpha, a, lda, this.scratch.asF32(x, xLen, 'x'), 1, beta, y, 1);
    } else {
      const a = this.scratch.asF64(A, m * n, 'A');
      this.blas.dgemv(CBLAS.rowMajor, t, m, n, alpha, a, lda, this.scratch.asF64(x, xLen, 'x'), 1, beta, y, 1);
    }
  }

  syrk(C: Vec, n: number, U: Vec, k: number, alpha: number, beta: number): void {
    requireLength(C, n * n, 'syrk', 'C');
    requireLength(U, k * n, 'syrk', 'U');
    if (n === 0) return;
    // Row-major UᵀU with U k×n is ssyrk's 'Trans' case (C = AᵀA, A k×n, lda = n); it writes the upper
    // triangle only, in half of gemm's flops, and the tiled mirror copies it onto the lower one.
    if (C instanceof Float32Array) {
      const u = this.scratch.asF32(U, k * n, 'U');
      this.blas.ssyrk(CBLAS.rowMajor, CBLAS.upper, CBLAS.trans, n, k, alpha, u, n, beta, C, n);
    } else {
      const u = this.scratch.asF64(U, k * n, 'U');
      this.blas.dsyrk(CBLAS.rowMajor, CBLAS.upper, CBLAS.trans, n, k, alpha, u, n, beta, C, n);
    }
    this.mirror(C, n);
  }

  /**
   * Copies the upper triangle onto the lower one. Off-diagonal 64×64 blocks go through OpenBLAS's
   * transposing copy (omatcopy), which measured ~2.5 ms at n = 2048 against ~4–15 ms for the best JS
   * loop — the JS mirror cost more than ssyrk itself (1.6 ms); diagonal blocks use the JS loop.
   */
  private mirror(C: Vec, n: number): void {
    const B = MIRROR_BLOCK;
    for (let I = 0; I < n; I += B) {
      const rows = Math.min(B, n - I);
      for (let J = I + B; J < n; J += B) {
        const cols = Math.min(B, n - J);
        // Block (I, J) of the upper triangle, transposed, is block (J, I) of the lower one.
        if (C instanceof Float32Array) {
          this.blas.somatcopy(CBLAS.rowMajor, CBLAS.trans, rows, cols, 1, C.subarray(I * n + J), n, C.subarray(J * n + I), n);
        } else {
          this.blas.domatcopy(CBLAS.rowMajor, CBLAS.trans, rows, cols, 1, C.subarray(I * n + J), n, C.subarray(J * n + I), n);
        }
      }
      for (let i = I; i < I + rows; i++) {
        for (let j = i + 1; j < I + rows; j++) C[j * n + i] = C[i * n + j];
      }
    }
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, A: Vec, B: Vec, beta: number, C: Vec,
  ): void {
    requireLength(A, m * k, 'gemm', 'A');
    requireLength(B, k * n, 'gemm', 'B');
    requireLength(C, m * n, 'gemm', 'C');
    if (m === 0 || n === 0) return;
    const tA = transA ? CBLAS.trans : CBLAS.noTrans;
    const tB = transB ? CBLAS.trans : CBLAS.noTrans;
    // Leading dimensions of the stored (untransposed) row-major arrays; BLAS wants them ≥ 1.
    const lda = Math.max(1, transA ? m : k);
    const ldb = Math.max(1, transB ? k : n);
    if (C instanceof Float32Array) {
      const a = this.scratch.asF32(A, m * k, 'A');
      const b = this.scratch.asF32(B, k * n, 'B');
      this.blas.sgemm(CBLAS.rowMajor, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, C, n);
    } else {
      const a = this.scratch.asF64(A, m * k, 'A');
      const b = this.scratch.asF64(B, k * n, 'B');
      this.blas.dgemm(CBLAS.rowMajor, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, C, n);
    }
  }

  /**
   * As the interface's `cholesky`, plus `reuse`: a factor of this backend that the caller will not use
   * again, whose float64 storage then holds the new factor (the old one is invalidated: its `solve`
   * throws). Why: a fresh n×n float64 array costs more than the factorization of a few thousand (measured
   * on this VM at n = 2048: ~110 CPU-ms of first-touch page faults for the 32 MiB against ~70–100 ms for
   * dpotrf), and a running estimate factors a new matrix every step. A `reuse` of another order or backend
   * is ignored, as callers may pass it to any backend.
   */
  cholesky(A: Vec, n: number, lambda: number, reuse?: CholeskyFactor): CholeskyFactor {
    requireLength(A, n * n, 'cholesky', 'A');
    // The factor owns its float64 copy of A + λI (the one copy this call makes). Row-major upper
    // triangle = column-major lower triangle, which is what dpotrf('L') reads and overwrites with L.
    const recycled = reuse instanceof LapackCholesky && reuse.n === n && reuse.owner === this.blas ? reuse.release() : undefined;
    const factor = recycled ?? new Float64Array(n * n);
    factor.set(A.subarray(0, n * n));
    for (let i = 0; i < n; i++) factor[i * n + i] += lambda;
    if (n > 0) {
      const info = new Int32Array(1);
      const nn = new Int32Array([n]);
      this.blas.dpotrf('L', nn, factor, nn, info, 1);
      if (info[0] > 0) throw notPositiveDefinite(n, lambda, info[0] - 1);
      if (info[0] < 0) throw new FisherdError('INTERNAL', `dpotrf: argument ${-info[0]} is invalid`);
      // OpenBLAS's own dpotrf does not test for NaN (reference LAPACK does); a NaN anywhere in the read
      // triangle reaches a later pivot, so one pass over the diagonal of L catches it.
      for (let i = 0; i < n; i++) {
        const pivot = factor[i * n + i];
        if (!(pivot > 0)) throw notPositiveDefinite(n, lambda, i, pivot);
      }
    }
    return new LapackCholesky(this.blas, n, factor);
  }

  eigh(A: Vec, n: number, options: EighOptions = {}): SymmetricEigen {
    requireLength(A, n * n, 'eigh', 'A');
    if (n === 0) return { n, values: new Float64Array(0), vectors: new Float64Array(0) };
    // dsyevd overwrites its input with the eigenvectors: A itself when the caller gives it up, else a reused
    // work copy (fresh memory costs page faults).
    const inPlace = options.overwrite === true && A instanceof Float64Array && A.length === n * n;
    const a = inPlace ? A : this.scratch.float64('dsyevd.a', n * n).subarray(0, n * n);
    if (!inPlace) a.set(A.subarray(0, n * n));
    const w = new Float64Array(n);
    const nn = new Int32Array([n]);
    const info = new Int32Array(1);
    const { lwork, liwork } = this.dsyevdWorkspace(n);
    const work = this.scratch.float64('dsyevd.work', lwork);
    if (this.iwork.length < liwork) this.iwork = new Int32Array(liwork);
    this.blas.dsyevd('V', 'L', nn, a, nn, w, work, new Int32Array([lwork]), this.iwork, new Int32Array([liwork]), info, 1, 1);
    if (info[0] !== 0) throw new FisherdError('INTERNAL', `dsyevd failed (info=${info[0]}): non-finite input or no convergence`);
    // dsyevd returns ascending eigenvalues and eigenvectors as the columns of a column-major matrix,
    // i.e. as the rows of our row-major one; reverse the order for `SymmetricEigen`'s descending one.
    const values = new Float64Array(n);
    for (let j = 0; j < n; j++) values[j] = w[n - 1 - j];
    if (inPlace) {
      // rows j and n−1−j swapped in place (one pass over A)
      const row = this.scratch.float64('dsyevd.row', n).subarray(0, n);
      for (let j = 0, k = n - 1; j < k; j++, k--) {
        row.set(a.subarray(j * n, (j + 1) * n));
        a.copyWithin(j * n, k * n, (k + 1) * n);
        a.set(row, k * n);
      }
      return { n, values, vectors: a };
    }
    const vectors = new Float64Array(n * n);
    for (let j = 0; j < n; j++) vectors.set(a.subarray((n - 1 - j) * n, (n - j) * n), j * n);
    return { n, values, vectors };
  }

  /** dsyevd's optimal workspace for order n (lwork = liwork = −1), asked once per order. */
  private dsyevdWorkspace(n: number): { lwork: number; liwork: number } {
    let sizes = this.dsyevdSizes.get(n);
    if (sizes === undefined) {
      const workSize = new Float64Array(1);
      const iworkSize = new Int32Array(1);
      const query = new Int32Array([-1]);
      const nn = new Int32Array([n]);
      const info = new Int32Array(1);
      this.blas.dsyevd('V', 'L', nn, new Float64Array(1), nn, new Float64Array(1), workSize, query, iworkSize, query, info, 1, 1);
      sizes = { lwork: Math.ceil(workSize[0]), liwork: iworkSize[0] };
      this.dsyevdSizes.set(n, sizes);
    }
    return sizes;
  }

  dispose(): void {
    this.scratch.clear();
  }
}

/** A LAPACK Cholesky factor; `solve` calls dpotrs on the factor kept in column-major lower form. */
class LapackCholesky implements CholeskyFactor {
  private readonly dims: Int32Array;
  private readonly one = new Int32Array([1]);
  private readonly info = new Int32Array(1);
  /** Cleared when `OpenBlasBackend.cholesky` takes the storage over for a new factor. */
  private factor: Float64Array | undefined;

  constructor(
    readonly owner: OpenBlasLibrary,
    readonly n: number,
    factor: Float64Array,
  ) {
    this.dims = new Int32Array([n]);
    this.factor = factor;
  }

  /** Hands the storage over (for the next factor of the same order); this factor is unusable afterwards. */
  release(): Float64Array | undefined {
    const { factor } = this;
    this.factor = undefined;
    return factor;
  }

  private storage(): Float64Array {
    if (this.factor === undefined) {
      throw new FisherdError('INTERNAL', 'this Cholesky factor was passed as `reuse` to a later factorization and is no longer valid');
    }
    return this.factor;
  }

  solve(b: ArrayLike<number>, out?: Float64Array): Float64Array {
    const { n } = this;
    requireLength(b, n, 'cholesky.solve', 'b');
    const x = out ?? new Float64Array(n);
    requireLength(x, n, 'cholesky.solve', 'out');
    if (x !== b) for (let i = 0; i < n; i++) x[i] = b[i];
    const factor = this.storage();
    if (n === 0) return x;
    this.owner.dpotrs('L', this.dims, this.one, factor, this.dims, x, this.dims, this.info, 1);
    return x;
  }

  logDet(): number {
    const factor = this.storage();
    let s = 0;
    for (let i = 0; i < this.n; i++) s += Math.log(factor[i * this.n + i]);
    return 2 * s;
  }

  inverse(out?: Float64Array): Float64Array {
    const { n } = this;
    const inv = out ?? new Float64Array(n * n);
    requireLength(inv, n * n, 'cholesky.inverse', 'out');
    inv.set(this.storage());
    if (n === 0) return inv;
    // dpotri('L') overwrites the column-major lower triangle (our row-major upper one) with the inverse's
    this.owner.dpotri('L', this.dims, inv, this.dims, this.info, 1);
    if (this.info[0] !== 0) throw new FisherdError('INTERNAL', `dpotri failed (info=${this.info[0]})`);
    mirrorUpper(inv, n);
    return inv;
  }
}

/** Loads OpenBLAS and returns the backend; throws an Error naming the missing library or routine. */
export function createOpenBlasBackend(options: OpenBlasOptions = {}): OpenBlasBackend {
  const blas = loadOpenBlas(options.library ?? DEFAULT_OPENBLAS_LIBRARY);
  if (options.threads !== undefined) blas.setNumThreads(options.threads);
  return new OpenBlasBackend(blas, options.dtype ?? 'float32');
}

/**
 * M[j][i] = M[i][j] for i < j (row-major n×n), in 8 × 8 blocks: a column read down a matrix whose rows are a
 * multiple of 4 KiB apart keeps hitting one cache set.
 */
function mirrorUpper(M: Float64Array, n: number): void {
  for (let i0 = 0; i0 < n; i0 += 8) {
    const i1 = Math.min(n, i0 + 8);
    for (let j0 = i0; j0 < n; j0 += 8) {
      const j1 = Math.min(n, j0 + 8);
      for (let j = j0; j < j1; j++) {
        const row = j * n;
        for (let i = i0; i < i1 && i < j; i++) M[row + i] = M[i * n + j]!;
      }
    }
  }
}
