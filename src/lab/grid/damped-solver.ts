/**
 * Solves (A + λI) x = b for a stream of symmetric matrices A of one size, factoring each into one
 * reused float64 buffer: LAPACK dpotrf/dpotrs through the OpenBLAS bindings when the library loads,
 * else linalg's float64 Cholesky.
 *
 * Why not `backend.cholesky` in the grid's inner loop: it returns a factor that owns a fresh
 * n×n array, and koffi takes ~250 µs to pass a freshly allocated 115 KB array to C (measured at
 * n = 120: 350 µs per call against 28 µs for dpotrf on a reused buffer). The grid factors ~2 million
 * matrices and keeps none of them, so one buffer serves all. Only the upper triangle of A is read
 * (row-major), as every backend's Cholesky reads it.
 */
import { choleskyFactor, notPositiveDefinite } from '../../linalg/cholesky.js';
import { loadOpenBlas, type OpenBlasLibrary } from '../../linalg/openblas-bindings.js';

let lapack: OpenBlasLibrary | null | undefined;

/** The OpenBLAS bindings, or null where the library does not load (then the JS Cholesky is used). */
function lapackLibrary(): OpenBlasLibrary | null {
  if (lapack === undefined) {
    try {
      lapack = loadOpenBlas();
      // The grid runs one worker per core: OpenBLAS threads inside each would oversubscribe them.
      lapack.setNumThreads(1);
    } catch {
      lapack = null;
    }
  }
  return lapack;
}

export class DampedSolver {
  private readonly factor: Float64Array;
  private readonly dims: Int32Array;
  private readonly one = new Int32Array([1]);
  private readonly info = new Int32Array(1);
  private readonly blas: OpenBlasLibrary | null;

  /** @param useLapack false forces the JS Cholesky (for tests of both paths). Default true. */
  constructor(readonly n: number, useLapack = true) {
    this.factor = new Float64Array(n * n);
    this.dims = new Int32Array([n]);
    this.blas = useLapack ? lapackLibrary() : null;
  }

  /** Which implementation runs, for reports. */
  get implementation(): 'lapack' | 'javascript' {
    return this.blas ? 'lapack' : 'javascript';
  }

  /**
   * Writes x = (A + λI)⁻¹ b into `out`. Throws NOT_POSITIVE_DEFINITE (linalg's error) when the damped
   * matrix has a pivot that is not > 0, NaN included.
   */
  solve(A: Float64Array, damping: number, b: Float64Array, out: Float64Array): void {
    const { n, factor, blas } = this;
    if (blas === null) {
      choleskyFactor(A, n, damping).solve(b, out);
      return;
    }
    factor.set(A.subarray(0, n * n));
    for (let i = 0; i < n; i++) factor[i * n + i] += damping;
    // Row-major upper triangle = column-major lower triangle: what dpotrf('L') reads.
    blas.dpotrf('L', this.dims, factor, this.dims, this.info, 1);
    if (this.info[0] > 0) throw notPositiveDefinite(n, damping, this.info[0] - 1);
    for (let i = 0; i < n; i++) {
      // OpenBLAS's dpotrf does not test for NaN; a NaN reaches some pivot of L.
      if (!(factor[i * n + i] > 0)) throw notPositiveDefinite(n, damping, i, factor[i * n + i]);
    }
    out.set(b);
    blas.dpotrs('L', this.dims, this.one, factor, this.dims, out, this.dims, this.info, 1);
  }
}
