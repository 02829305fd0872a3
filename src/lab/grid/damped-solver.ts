/**
 * Solves (A + λI) x = b for a stream of symmetric matrices A of one size by LU with partial pivoting on
 * the damped matrix, as the paper's code does (`numpy.linalg.solve`, LAPACK dgesv): a system fails only
 * when a pivot is exactly zero, as numpy's `LinAlgError: Singular matrix`. A Cholesky factorization would
 * also reject every damped matrix that rounding leaves indefinite — on Energy's rank-deficient design,
 * where λ = 10⁻¹⁰ is tiny against entries of 10⁹, that rejected 1 715 EFGD grid runs that LU solves.
 *
 * Two implementations, one reused buffer each (fresh arrays cost page faults, and koffi ~250 µs to pass a
 * fresh 115 KB array to C):
 * - LAPACK dgetrf/dgetrs through the OpenBLAS bindings, for n ≥ `LAPACK_MIN_DIM` when the library loads;
 * - a float64 JavaScript LU (the same partial pivoting: the largest |entry| of the column, first on
 *   ties) for small n, where the C call's fixed cost outweighs the O(n³/3) work.
 *
 * Only the upper triangle of A is read (row-major, `A[i*n + j]`, j ≥ i), as every backend's Cholesky
 * reads it; the damped matrix is symmetric, so row- and column-major storage coincide.
 */
import { FisherdError } from '../../errors.js';
import { loadOpenBlas, type OpenBlasLibrary } from '../../linalg/openblas-bindings.js';

/**
 * Below this size the JavaScript LU is used even where LAPACK loads. Measured per factor + solve (this 2-core
 * VM, load ~2.5, median of 5): n = 14 JS 3.1 µs, dgetrf+dgetrs 3.5 µs; n = 31 JS 18 µs, LAPACK 8.3 µs;
 * n = 120 JS 1000 µs, LAPACK 87 µs.
 */
export const LAPACK_MIN_DIM = 24;

let lapack: OpenBlasLibrary | null | undefined;

/** The OpenBLAS bindings, or null where the library does not load (then the JS LU is used). */
export function lapackLibrary(): OpenBlasLibrary | null {
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

export type SolverImplementation = 'lapack' | 'javascript';

/**
 * In-place LU with partial pivoting of the row-major n×n matrix M (PM = LU, unit-diagonal L below the
 * diagonal, U on and above it); `pivots[k]` is the row swapped with row k at step k. Returns false at an
 * exactly zero pivot (the matrix is singular; M is then partly factored). A NaN entry does not fail here:
 * it reaches the solution, as in LAPACK.
 */
export function luFactor(M: Float64Array, n: number, pivots: Int32Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(M[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(M[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    pivots[k] = p;
    if (p !== k) {
      const rk = k * n;
      const rp = p * n;
      for (let j = 0; j < n; j++) {
        const t = M[rk + j];
        M[rk + j] = M[rp + j];
        M[rp + j] = t;
      }
    }
    const pivot = M[k * n + k];
    if (pivot === 0) return false;
    const inverse = 1 / pivot;
    const rk = k * n;
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const f = M[ri + k] * inverse;
      M[ri + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) M[ri + j] -= f * M[rk + j];
    }
  }
  return true;
}

/** Solves with a factor of `luFactor`: x ← (PM)⁻¹-applied b, in place in x (length n). */
export function luSolve(M: Float64Array, n: number, pivots: Int32Array, x: Float64Array, offset = 0): void {
  for (let k = 0; k < n; k++) {
    const p = pivots[k];
    if (p !== k) {
      const t = x[offset + k];
      x[offset + k] = x[offset + p];
      x[offset + p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = x[offset + i];
    const ri = i * n;
    for (let j = 0; j < i; j++) s -= M[ri + j] * x[offset + j];
    x[offset + i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[offset + i];
    const ri = i * n;
    for (let j = i + 1; j < n; j++) s -= M[ri + j] * x[offset + j];
    x[offset + i] = s / M[ri + i];
  }
}

export class DampedSolver {
  private readonly factor: Float64Array;
  private readonly pivots: Int32Array;
  private readonly dims: Int32Array;
  private readonly nrhs = new Int32Array([1]);
  private readonly info = new Int32Array(1);
  private readonly blas: OpenBlasLibrary | null;
  private factored = false;

  /**
   * @param implementation 'auto' (default): LAPACK for n ≥ LAPACK_MIN_DIM where it loads, else
   *   JavaScript; 'javascript' or 'lapack' force one (tests of both paths; 'lapack' falls back to
   *   JavaScript where the library does not load).
   */
  constructor(readonly n: number, implementation: 'auto' | SolverImplementation = 'auto') {
    this.factor = new Float64Array(n * n);
    this.pivots = new Int32Array(n);
    this.dims = new Int32Array([n]);
    const wantLapack = implementation === 'lapack' || (implementation === 'auto' && n >= LAPACK_MIN_DIM);
    this.blas = wantLapack ? lapackLibrary() : null;
  }

  /** Which implementation runs, for reports. */
  get implementation(): SolverImplementation {
    return this.blas ? 'lapack' : 'javascript';
  }

  /**
   * Factors A + λI (upper triangle of the n×n matrix at `A[offset…]` read) into the solver's buffer. Returns false when a pivot is
   * exactly zero (numpy's "Singular matrix"); NaN entries do not fail and reach the solutions.
   */
  factorDamped(A: Float64Array, damping: number, offset = 0): boolean {
    const { n, factor } = this;
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      for (let j = i; j < n; j++) {
        const v = A[offset + ri + j];
        factor[ri + j] = v;
        factor[j * n + i] = v;
      }
      factor[ri + i] += damping;
    }
    if (this.blas === null) {
      this.factored = luFactor(factor, n, this.pivots);
    } else {
      this.blas.dgetrf(this.dims, this.dims, factor, this.dims, this.pivots, this.info);
      this.factored = this.info[0] === 0;
    }
    return this.factored;
  }

  /**
   * Solves for `count` right-hand sides stored one after another from `rhs[offset]` (count·n values), in
   * place, with the last successful `factorDamped`.
   */
  solveFactored(rhs: Float64Array, count = 1, offset = 0): void {
    if (!this.factored) throw new FisherdError('INTERNAL', 'DampedSolver.solveFactored without a successful factorDamped');
    const { n } = this;
    if (this.blas === null) {
      for (let r = 0; r < count; r++) luSolve(this.factor, n, this.pivots, rhs, offset + r * n);
      return;
    }
    // The factor is of Mᵀ = M in column-major terms; LAPACK's pivots are 1-based.
    this.nrhs[0] = count;
    const b = offset === 0 ? rhs : rhs.subarray(offset, offset + count * n);
    this.blas.dgetrs('N', this.dims, this.nrhs, this.factor, this.dims, this.pivots, b, this.dims, this.info, 1);
  }

  /**
   * Writes x = (A + λI)⁻¹ b into `out`. Returns false, leaving `out` unspecified, when the damped matrix
   * is exactly singular.
   */
  solve(A: Float64Array, damping: number, b: Float64Array, out: Float64Array): boolean {
    if (!this.factorDamped(A, damping)) return false;
    out.set(b.subarray(0, this.n));
    this.solveFactored(out, 1);
    return true;
  }
}
