/**
 * The compute-backend interface: every kernel the curvature estimates need, behind one contract.
 *
 * Conventions (all backends):
 * - Matrices are dense, row-major, in flat typed arrays. "U is k×n" means `U[r*n + j]` is row r, column j.
 *   Gradient rows (one per example, sampled label or Fisher factor) are the rows of such a U.
 * - `Vec` is the backend's storage array: `Float64Array` for `reference`, `Float32Array` for the float32
 *   backends. Inputs may be either type; outputs are written into arrays the caller allocated
 *   (usually with `zeros`), so the hot path allocates nothing.
 * - Small dense factorizations (Cholesky, symmetric eigendecomposition) always run in float64 and take and
 *   return `Float64Array`, whatever the backend's storage precision.
 * - Kernels validate nothing beyond what they need to stay memory-safe; shape and value checks live in the
 *   callers (`src/curvature/`), which throw typed errors naming the field. (Native kernels do check that
 *   arrays are long enough for the shape arguments and throw `FisherdError('SHAPE_MISMATCH')`.)
 * - β = 0 overwrites, as in BLAS: the output's previous contents are not read, so NaN there does not propagate.
 */

/** A backend's storage array. */
export type Vec = Float32Array | Float64Array;

/** Storage precision of a backend's large arrays. */
export type DType = 'float32' | 'float64';

/** Names of the backends fisherd ships. */
export type BackendName = 'reference' | 'openblas' | 'gpujs';

/** A Cholesky factor of `A + λI` (float64), reusable for many right-hand sides. */
export interface CholeskyFactor {
  readonly n: number;
  /** Solves `(A + λI) x = b`; writes x into `out` (may alias `b`) and returns it. */
  solve(b: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** log det(A + λI). */
  logDet(): number;
  /**
   * (A + λI)⁻¹ as a full symmetric n×n row-major float64 matrix (both triangles written, exactly symmetric),
   * into `out` when given (LAPACK dpotri on openblas: n³ more than the factorization's n³/3).
   */
  inverse(out?: Float64Array): Float64Array;
}

/** Eigendecomposition of a small symmetric matrix, eigenvalues in descending order. */
export interface SymmetricEigen {
  readonly n: number;
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as rows: `vectors[j*n + i]` is component i of the eigenvector for `values[j]`. */
  readonly vectors: Float64Array;
}

/** Options of `Backend.eigh`. */
export interface EighOptions {
  /**
   * The caller gives A up: the backend may overwrite it and return it as the result's `vectors` (openblas
   * runs dsyevd in A, which saves the copy of the n×n input and a fresh n×n result; A must be a Float64Array
   * of exactly n² values for that, else it is left alone). The values are the same either way. Default false:
   * A is only read.
   */
  overwrite?: boolean;
}

/**
 * The optional second output of `syrkDiag`: `out ← β·out + α·Σ_r U_r` (the column sums of U, length n),
 * computed in the same pass over U as the sums of squares. β = 0 overwrites (`out` is not read).
 */
export interface ColumnSums {
  out: Vec;
  alpha: number;
  beta: number;
}

/**
 * The optional third output of `syrkDiag`: `out ← β·out + α·Σ_r (U_r − c)∘(U_r − c)`, exactly what
 * `syrkDiagCentred(out, U, k, n, centre, α, β)` gives (bit for bit), and, with `sums`,
 * `sums ← β·sums + α·Σ_r (U_r − c)` (each difference rounded to U's storage type, as in the squares), from
 * the same pass over U where the backend can. `out` and `sums` must alias neither d nor the column sums.
 * (Rows centred on one of them, c = U_1, with the sums of the differences give the centred second moment
 * about the mean without a second pass: see `CurvatureEstimator.summarize`.)
 */
export interface CentredSquares {
  centre: Vec;
  out: Vec;
  sums?: Vec;
  alpha: number;
  beta: number;
}

export interface Backend {
  readonly name: BackendName;
  /** What actually runs, for logs and `/metrics`: e.g. "openblas 0.3.21 (pthread, 2 threads)", "gpujs webasm". */
  readonly detail: string;
  readonly dtype: DType;

  /** A zero-filled storage array of length n. */
  zeros(n: number): Vec;
  /**
   * A byte buffer of `bytes` bytes to place rows in before handing them to this backend (e.g. read from a
   * trace): 4-byte-aligned float32 rows viewed in it are used where they are, saving the copy into the
   * backend's own memory that rows elsewhere cost (openblas: the WebAssembly kernels' memory; the other
   * backends: a plain reused buffer). Valid until the next call, which may move it.
   */
  stagingBuffer(bytes: number): Uint8Array;

  // ---- level 1 -------------------------------------------------------------------------------------
  /** Σ x_i y_i (accumulated in float64 where the backend can). */
  dot(x: Vec, y: Vec): number;
  /** ‖x‖₂. */
  nrm2(x: Vec): number;
  /** y ← αx + βy. */
  axpby(alpha: number, x: Vec, beta: number, y: Vec): void;

  // ---- elementwise (length-n vectors) -------------------------------------------------------------
  /**
   * d ← βd + α Σ_r U_r ∘ U_r: the diagonal of a symmetric rank-k update (U is k×n).
   *
   * `columnSums`, if given, also receives `β'·out + α'·Σ_r U_r` from the same read of U: a diagonal
   * estimate fed with per-example rows needs both ḡ = (1/b)Σ g_n and Σ g_n∘g_n, and at large b·D reading
   * the rows is most of the cost. Accumulated like d (float64 where the backend can). `out` must not alias d.
   * `centred`, if given, also receives the sums of squares of the rows centred on a vector (the noise
   * covariance's diagonal, see `CentredSquares`), from the same read where the backend can.
   */
  syrkDiag(d: Vec, U: Vec, k: number, n: number, alpha: number, beta: number, columnSums?: ColumnSums, centred?: CentredSquares): void;
  /**
   * d ← βd + α·Σ_r (U_r − c)∘(U_r − c) with c of length n: `syrkDiag` of the rows centred on c, each
   * difference rounded to U's storage type (as centring the rows with `axpby` first would), in one pass
   * over U where the backend can (the noise covariance's diagonal).
   */
  syrkDiagCentred(d: Vec, U: Vec, k: number, n: number, centre: Vec, alpha: number, beta: number): void;
  /** out_i = v_i / (d_i·s + λ): a damped diagonal solve, `s` the bias-correction scale. */
  diagSolve(d: Vec, s: number, lambda: number, v: Vec, out: Vec): void;

  // ---- level 2 -------------------------------------------------------------------------------------
  /** y ← α·op(A)x + βy, A m×n; op(A) = A (y length m) or Aᵀ (y length n) when `trans`. */
  gemv(trans: boolean, m: number, n: number, alpha: number, A: Vec, x: Vec, beta: number, y: Vec): void;

  // ---- level 3 -------------------------------------------------------------------------------------
  /**
   * C ← βC + α·UᵀU with U k×n and C n×n. Both triangles of C are written (C stays exactly symmetric).
   * Large n are tiled internally where a backend has output-size limits.
   */
  syrk(C: Vec, n: number, U: Vec, k: number, alpha: number, beta: number): void;
  /**
   * C ← α·op(A)·op(B) + βC, C m×n, op(A) m×k, op(B) k×n (all row-major, transposes applied logically).
   * Used for the small Gram UUᵀ (k×k), cross terms UVᵀ, and the low-rank rotation U ← QᵀU.
   */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, A: Vec, B: Vec, beta: number, C: Vec,
  ): void;

  // ---- float64 factorizations of small dense matrices ---------------------------------------------
  /**
   * Cholesky factor of `A + λI` (A n×n symmetric, any storage type, read-only; only its upper triangle,
   * `A[i*n + j]` with j ≥ i, is read). Throws `FisherdError('NOT_POSITIVE_DEFINITE')` when a pivot of the
   * damped matrix is not > 0 or is NaN (LAPACK's criterion).
   *
   * `reuse`: a factor this backend returned earlier that the caller no longer needs; a backend may take
   * over its storage (fresh large arrays cost page faults on every step) and must then make the old factor
   * refuse further use. Backends that cannot reuse storage ignore it.
   */
  cholesky(A: Vec, n: number, lambda: number, reuse?: CholeskyFactor): CholeskyFactor;
  /**
   * Eigendecomposition of a symmetric n×n matrix (n up to a few thousand; only the upper triangle is read).
   * `options.overwrite`: the caller gives A up (see `EighOptions`).
   */
  eigh(A: Vec, n: number, options?: EighOptions): SymmetricEigen;

  /** Releases native or GPU resources, if any. */
  dispose(): void;
}
