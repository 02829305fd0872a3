/**
 * koffi (FFI) declarations of the few OpenBLAS/LAPACK routines fisherd calls, with TypeScript signatures
 * that name the exact typed-array type each pointer takes.
 *
 * Why the exact types matter: koffi passes a typed array's memory as-is, whatever the declared element
 * type, so a `Float64Array` handed to a `float *` parameter is silently reinterpreted as float32 garbage
 * (measured: `cblas_dsdot` on a Float64Array [1,2,3,4] returned 11.75). The signatures below make such a
 * call a compile error; `openblas.ts` converts inputs to the routine's precision before calling.
 *
 * LAPACK routines are Fortran: every argument is a pointer (`Int32Array([n])` for `const int *`, a JS
 * string for `const char *`), and each character argument has a hidden trailing length argument
 * (`size_t`, gfortran's ABI), which we pass explicitly rather than rely on the callee not reading it.
 */
import koffi, { type LibraryHandle } from 'koffi';

/** CBLAS enum values (cblas.h). */
export const CBLAS = { rowMajor: 101, noTrans: 111, trans: 112, upper: 121, lower: 122 } as const;

export interface OpenBlasLibrary {
  /** `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
  readonly config: string;
  /** 0 sequential, 1 pthreads, 2 OpenMP (`openblas_get_parallel`). */
  readonly parallel: number;
  /** The CPU kernel set in use (`openblas_get_corename`), e.g. "Haswell". */
  readonly coreName: string;
  getNumThreads(): number;
  setNumThreads(threads: number): void;

  sgemm(order: number, transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    A: Float32Array, lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number): void;
  dgemm(order: number, transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    A: Float64Array, lda: number, B: Float64Array, ldb: number, beta: number, C: Float64Array, ldc: number): void;
  ssyrk(order: number, uplo: number, trans: number, n: number, k: number, alpha: number,
    A: Float32Array, lda: number, beta: number, C: Float32Array, ldc: number): void;
  dsyrk(order: number, uplo: number, trans: number, n: number, k: number, alpha: number,
    A: Float64Array, lda: number, beta: number, C: Float64Array, ldc: number): void;
  sgemv(order: number, trans: number, m: number, n: number, alpha: number, A: Float32Array, lda: number,
    x: Float32Array, incx: number, beta: number, y: Float32Array, incy: number): void;
  dgemv(order: number, trans: number, m: number, n: number, alpha: number, A: Float64Array, lda: number,
    x: Float64Array, incx: number, beta: number, y: Float64Array, incy: number): void;
  /** Σ x_i y_i of float32 vectors accumulated in double. */
  dsdot(n: number, x: Float32Array, incx: number, y: Float32Array, incy: number): number;
  ddot(n: number, x: Float64Array, incx: number, y: Float64Array, incy: number): number;
  dnrm2(n: number, x: Float64Array, incx: number): number;
  saxpby(n: number, alpha: number, x: Float32Array, incx: number, beta: number, y: Float32Array, incy: number): void;
  daxpby(n: number, alpha: number, x: Float64Array, incx: number, beta: number, y: Float64Array, incy: number): void;

  /** B ← α·op(A) for a rows×cols A (OpenBLAS extension); used to mirror syrk's triangle block by block. */
  somatcopy(order: number, trans: number, rows: number, cols: number, alpha: number, A: Float32Array, lda: number,
    B: Float32Array, ldb: number): void;
  domatcopy(order: number, trans: number, rows: number, cols: number, alpha: number, A: Float64Array, lda: number,
    B: Float64Array, ldb: number): void;

  dpotrf(uplo: string, n: Int32Array, A: Float64Array, lda: Int32Array, info: Int32Array, uploLength: number): void;
  dpotri(uplo: string, n: Int32Array, A: Float64Array, lda: Int32Array, info: Int32Array, uploLength: number): void;
  dpotrs(uplo: string, n: Int32Array, nrhs: Int32Array, A: Float64Array, lda: Int32Array, B: Float64Array,
    ldb: Int32Array, info: Int32Array, uploLength: number): void;
  /** LU with partial pivoting (column-major), as numpy.linalg.solve; info > 0: an exactly zero pivot. */
  dgetrf(m: Int32Array, n: Int32Array, A: Float64Array, lda: Int32Array, ipiv: Int32Array, info: Int32Array): void;
  dgetrs(trans: string, n: Int32Array, nrhs: Int32Array, A: Float64Array, lda: Int32Array, ipiv: Int32Array,
    B: Float64Array, ldb: Int32Array, info: Int32Array, transLength: number): void;
  dsyevd(jobz: string, uplo: string, n: Int32Array, A: Float64Array, lda: Int32Array, w: Float64Array,
    work: Float64Array, lwork: Int32Array, iwork: Int32Array, liwork: Int32Array, info: Int32Array,
    jobzLength: number, uploLength: number): void;
}

/** The default shared object: Debian's `libopenblas0-pthread` (or -openmp / -serial) provides it. */
export const DEFAULT_OPENBLAS_LIBRARY = 'libopenblas.so.0';

const loaded = new Map<string, OpenBlasLibrary>();

/**
 * Loads the library (once per path) and binds every routine. Throws an Error that says which package to
 * install when the library or one of its symbols is missing.
 */
export function loadOpenBlas(path: string = DEFAULT_OPENBLAS_LIBRARY): OpenBlasLibrary {
  const cached = loaded.get(path);
  if (cached) return cached;
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (e) {
    throw new Error(
      `cannot load ${path} (on Debian/Ubuntu: apt-get install libopenblas0-pthread): ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const bind = <F>(declaration: string): F => {
    try {
      return lib.func(declaration) as unknown as F;
    } catch (e) {
      throw new Error(`${path} lacks a routine fisherd needs (${declaration}): ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
  };
  type Bound = Omit<OpenBlasLibrary, 'config' | 'parallel' | 'coreName'>;
  const getConfig = bind<() => string>('const char *openblas_get_config(void)');
  const getParallel = bind<() => number>('int openblas_get_parallel(void)');
  const getCoreName = bind<() => string>('const char *openblas_get_corename(void)');
  const bound: Bound = {
    getNumThreads: bind('int openblas_get_num_threads(void)'),
    setNumThreads: bind('void openblas_set_num_threads(int)'),
    sgemm: bind('void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int)'),
    dgemm: bind('void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int)'),
    ssyrk: bind('void cblas_ssyrk(int, int, int, int, int, float, const float *, int, float, float *, int)'),
    dsyrk: bind('void cblas_dsyrk(int, int, int, int, int, double, const double *, int, double, double *, int)'),
    sgemv: bind('void cblas_sgemv(int, int, int, int, float, const float *, int, const float *, int, float, float *, int)'),
    dgemv: bind('void cblas_dgemv(int, int, int, int, double, const double *, int, const double *, int, double, double *, int)'),
    dsdot: bind('double cblas_dsdot(int, const float *, int, const float *, int)'),
    ddot: bind('double cblas_ddot(int, const double *, int, const double *, int)'),
    dnrm2: bind('double cblas_dnrm2(int, const double *, int)'),
    saxpby: bind('void cblas_saxpby(int, float, const float *, int, float, float *, int)'),
    daxpby: bind('void cblas_daxpby(int, double, const double *, int, double, double *, int)'),
    somatcopy: bind('void cblas_somatcopy(int, int, int, int, float, const float *, int, float *, int)'),
    domatcopy: bind('void cblas_domatcopy(int, int, int, int, double, const double *, int, double *, int)'),
    dpotrf: bind('void dpotrf_(const char *, const int *, double *, const int *, int *, size_t)'),
    dpotri: bind('void dpotri_(const char *, const int *, double *, const int *, int *, size_t)'),
    dpotrs: bind('void dpotrs_(const char *, const int *, const int *, const double *, const int *, double *, const int *, int *, size_t)'),
    dgetrf: bind('void dgetrf_(const int *, const int *, double *, const int *, int *, int *)'),
    dgetrs: bind('void dgetrs_(const char *, const int *, const int *, const double *, const int *, const int *, double *, const int *, int *, size_t)'),
    dsyevd: bind(
      'void dsyevd_(const char *, const char *, const int *, double *, const int *, double *, double *, const int *, int *, const int *, int *, size_t, size_t)',
    ),
  };
  const library: OpenBlasLibrary = { ...bound, config: getConfig(), parallel: getParallel(), coreName: getCoreName() };
  loaded.set(path, library);
  return library;
}
