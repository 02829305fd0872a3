/**
 * fisherd's native CPU kernels (native/fisherd-kernels.c, built by `npm ci` or `npm run build:native` into
 * native/build/libfisherd-kernels.so), loaded through koffi: the per-coordinate passes of a diagonal step from
 * statistics (and of the general step: ḡ's EMA from one worker's sums, Δθ rounded to float32), the arrival
 * scans of its values, the decoding of half-precision payloads and of packed Kronecker factor sums, and the
 * checks and EMA of Kronecker factor sums and the division of a Kronecker solve. JavaScript runs
 * these loops at ~5× below what one core moves here (bench/RESULTS.md, "A diagonal step from statistics",
 * measures both in the same run); every native pass gives the bits of its JavaScript twin, which stays the
 * fallback (test/session/statistics-step.test.ts runs against both).
 *
 * Which kernels run: `FISHERD_KERNELS=auto` (the default: native when the library loads, else JavaScript),
 * `native` (refuse to start without it) or `javascript`; `useKernels` sets it in-process (tests, benches).
 * `FISHERD_NATIVE_LIBRARY` names another build of the library.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';

/** Which implementation of the passes, scans and decoders runs. */
export type KernelsName = 'native' | 'javascript';
export const KERNELS_NAMES: readonly KernelsName[] = ['native', 'javascript'];

/** The library's entry points, with the exact typed-array type each pointer takes (koffi reinterprets memory). */
export interface NativeKernels {
  /** The library's file. */
  readonly path: string;
  sgdF32(n: number, sum: Float32Array, G: Float64Array, Gn: Float64Array, update: Float32Array, p: Float64Array, t: Float64Array): void;
  sgdF64(n: number, sum: Float64Array, G: Float64Array, Gn: Float64Array, update: Float32Array, p: Float64Array, t: Float64Array): void;
  /** solve / snr, named `<statistics type>_<estimate storage type>`. */
  solveF32F32(n: number, sum: Float32Array, q: Float32Array, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  solveF64F32(n: number, sum: Float64Array, q: Float64Array, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  solveF32F64(n: number, sum: Float32Array, q: Float32Array, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  solveF64F64(n: number, sum: Float64Array, q: Float64Array, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  snrF32F32(n: number, sum: Float32Array, q: Float32Array, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  snrF64F32(n: number, sum: Float64Array, q: Float64Array, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  snrF32F64(n: number, sum: Float32Array, q: Float32Array, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  snrF64F64(n: number, sum: Float64Array, q: Float64Array, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  cosineF32F32(n: number, sum: Float32Array, q: Float32Array, q2: Float32Array, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array,
    d2: Float32Array, dn2: Float32Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  cosineF64F32(n: number, sum: Float64Array, q: Float64Array, q2: Float64Array, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array,
    d2: Float32Array, dn2: Float32Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  cosineF32F64(n: number, sum: Float32Array, q: Float32Array, q2: Float32Array, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array,
    d2: Float64Array, dn2: Float64Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  cosineF64F64(n: number, sum: Float64Array, q: Float64Array, q2: Float64Array, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array,
    d2: Float64Array, dn2: Float64Array, u: Float32Array, p: Float64Array, t: Float64Array): void;
  /** The index of the first NaN or ±Inf, or −1. */
  firstNonFiniteF32(v: Float32Array, n: number): number;
  firstNonFiniteF64(v: Float64Array, n: number): number;
  /** The index of the first value that is not a finite number ≥ 0 (−0 passes), or −1. */
  firstBadSquareF32(v: Float32Array, n: number): number;
  firstBadSquareF64(v: Float64Array, n: number): number;
  /**
   * Whether the n×n Kronecker factor sum M passes every check (finite, diagonal ≥ 0, |M_ij − M_ji| ≤
   * tolerance·√M_ii·√M_jj; `symmetric` 1: only the values): 1 when all pass, 0 when one fails or the test
   * cannot decide (src/curvature/kronecker-factors.ts `factorSumPasses`, the same decision). `scratch`: ≥ 2n.
   */
  factorCheck(M: Float64Array, n: number, symmetric: number, tolerance: number, scratch: Float64Array): number;
  /**
   * out ← α·x + β·y over n values (α·x when β = 0, y not read), the bits of daxpby: a Kronecker factor's EMA,
   * in place (`out` = y) or into an array that overlaps neither.
   */
  factorEma(x: Float64Array, y: Float64Array, out: Float64Array, n: number, alpha: number, beta: number): void;
  /**
   * A Tikhonov Kronecker solve's division in the eigenbasis: Y[o·in' + i] /= g[o]·a[i] + λ (the JavaScript
   * loop's bits). Returns −1, or the index of the first divisor that is not > 0 (rows before it divided).
   */
  kroneckerDivide(Y: Float64Array, outputs: number, inputOrder: number, g: Float64Array, a: Float64Array, damping: number): number;
  /** `kroneckerDivide` on a float32 Y: each quotient in double, rounded to float32 (the JavaScript loop's bits). */
  kroneckerDivideF32(Y: Float32Array, outputs: number, inputOrder: number, g: Float64Array, a: Float64Array, damping: number): number;
  /**
   * Copies `n` little-endian float32 values from `src` (any alignment) into `dst` and probes them: bit 0 of the
   * result set when every value is finite, bit 1 when moreover no value has its sign bit set.
   */
  copyProbeF32(dst: Float32Array, src: Uint8Array, n: number): number;
  /**
   * A packed upper triangle on the wire (`packed`: n(n+1)/2 little-endian values, any alignment; `encoding`
   * 0 float32, 1 float16, 2 bfloat16) decoded exactly into the full symmetric n×n float64 matrix `M`
   * (row-major, every entry written), its mirror written tile by tile. Returns the probe of the values: bit 0
   * set when every value is finite, bit 1 when moreover every diagonal entry is ≥ 0.
   */
  unpackUpper(M: Float64Array, packed: Uint8Array, n: number, encoding: number): number;
  /**
   * `out` ← x rounded to float32 (a Float32Array store's rounding) over n values; returns the index of the
   * first NaN or ±Inf among the rounded values, or −1.
   */
  roundF32(x: Float64Array, out: Float32Array, n: number): number;
  /**
   * ḡ's EMA over one segment of one worker's statistics, n coordinates: Gn ← β·G + (1−β)·(0 + f·sum),
   * out ← Gn·correction, and squares[0] += Σ out² in coordinate order (the JavaScript loop's bits). Gn is G
   * or overlaps neither G nor out.
   */
  meanEmaF32(n: number, sum: Float32Array, meanFactor: number, G: Float64Array, Gn: Float64Array, out: Float64Array, decay: number, correction: number, squares: Float64Array): void;
  meanEmaF64(n: number, sum: Float64Array, meanFactor: number, G: Float64Array, Gn: Float64Array, out: Float64Array, decay: number, correction: number, squares: Float64Array): void;
  /** out ← α·x over n values and squares[0] += Σ out² in coordinate order (the step size and ‖Δθ‖²). */
  scaleSquares(n: number, x: Float64Array, alpha: number, out: Float64Array, squares: Float64Array): void;
  /** Little-endian 16-bit codes (2-byte aligned) → float32, exactly. */
  decodeFloat16(codes: Uint16Array, n: number, out: Float32Array): void;
  decodeBfloat16(codes: Uint16Array, n: number, out: Float32Array): void;
  /** The first `length` bytes of file descriptor `fd`, mapped read-only (an opaque pointer), or null. */
  mapRead(fd: number, length: number): MappedPointer | null;
  /** Unmaps what `mapRead` mapped (0, or −1 with errno). */
  unmap(map: MappedPointer, length: number): number;
  /** Copies [offset, offset + length) of a mapping into `dst`: 0, or −1 when the pages were gone (the file shrank meanwhile). */
  copyMapped(dst: Uint8Array, map: MappedPointer, offset: number, length: number): number;
}

/** A pointer returned by `mapRead` (koffi's opaque handle: only ever passed back). */
export type MappedPointer = object;

/** Arrays shorter than this are scanned or decoded in JavaScript: a native call costs ~1 µs, the time JS scans ~2000 values in. */
export const NATIVE_MIN_LENGTH = 4096;

/** The ABI version fisherd-kernels.c reports (`fd_kernels_abi`): a stale build is not loaded. */
const ABI = 6;

/** The package's root (the folder of its package.json), from this module's place in src/ or dist/src/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'native'))) return dir;
    dir = dirname(dir);
  }
  return dirname(fileURLToPath(import.meta.url));
}

/** Where `npm run build:native` puts the library. */
export function defaultNativeLibraryPath(): string {
  return process.env['FISHERD_NATIVE_LIBRARY'] || join(packageRoot(), 'native', 'build', 'libfisherd-kernels.so');
}

let loaded: NativeKernels | Error | undefined;

function load(path: string): NativeKernels {
  if (!existsSync(path)) throw new Error(`${path} does not exist (build it: npm run build:native, which needs a C compiler)`);
  const lib = koffi.load(path);
  const bind = <F>(declaration: string): F => lib.func(declaration) as unknown as F;
  const abi = bind<() => number>('int fd_kernels_abi(void)')();
  if (abi !== ABI) throw new Error(`${path} is built from another version of fisherd-kernels.c (ABI ${abi}, expected ${ABI}): rebuild it (npm run build:native)`);
  // the declarations' pointer types are what each TypeScript signature names (NativeKernels)
  const pass = <F>(name: string, s: string, d: string): F =>
    bind<F>(`void ${name}(int64_t, const ${s} *, const ${s} *, const double *, double *, const ${d} *, ${d} *, float *, const double *, double *)`);
  const cosine = <F>(name: string, s: string, d: string): F =>
    bind<F>(`void ${name}(int64_t, const ${s} *, const ${s} *, const ${s} *, const double *, double *, const ${d} *, ${d} *, const ${d} *, ${d} *, float *, const double *, double *)`);
  const f = 'float';
  const g = 'double';
  return {
    path,
    sgdF32: bind('void fd_sgd_f32(int64_t, const float *, const double *, double *, float *, const double *, double *)'),
    sgdF64: bind('void fd_sgd_f64(int64_t, const double *, const double *, double *, float *, const double *, double *)'),
    solveF32F32: pass('fd_solve_f32_f32', f, f), solveF64F32: pass('fd_solve_f64_f32', g, f),
    solveF32F64: pass('fd_solve_f32_f64', f, g), solveF64F64: pass('fd_solve_f64_f64', g, g),
    snrF32F32: pass('fd_snr_f32_f32', f, f), snrF64F32: pass('fd_snr_f64_f32', g, f),
    snrF32F64: pass('fd_snr_f32_f64', f, g), snrF64F64: pass('fd_snr_f64_f64', g, g),
    cosineF32F32: cosine('fd_cosine_f32_f32', f, f), cosineF64F32: cosine('fd_cosine_f64_f32', g, f),
    cosineF32F64: cosine('fd_cosine_f32_f64', f, g), cosineF64F64: cosine('fd_cosine_f64_f64', g, g),
    firstNonFiniteF32: bind('int64_t fd_first_nonfinite_f32(const float *, int64_t)'),
    firstNonFiniteF64: bind('int64_t fd_first_nonfinite_f64(const double *, int64_t)'),
    firstBadSquareF32: bind('int64_t fd_first_bad_square_f32(const float *, int64_t)'),
    firstBadSquareF64: bind('int64_t fd_first_bad_square_f64(const double *, int64_t)'),
    factorCheck: bind('int fd_factor_check(const double *, int64_t, int, double, double *)'),
    factorEma: bind('void fd_factor_ema(const double *, const double *, double *, int64_t, double, double)'),
    kroneckerDivide: bind('int64_t fd_kronecker_divide(double *, int64_t, int64_t, const double *, const double *, double)'),
    kroneckerDivideF32: bind('int64_t fd_kronecker_divide_f32(float *, int64_t, int64_t, const double *, const double *, double)'),
    copyProbeF32: bind('int fd_copy_probe_f32(float *, const uint8_t *, int64_t)'),
    unpackUpper: bind('int fd_unpack_upper(double *, const uint8_t *, int64_t, int)'),
    roundF32: bind('int64_t fd_round_f32(const double *, float *, int64_t)'),
    scaleSquares: bind('void fd_scale_squares(int64_t, const double *, double, double *, double *)'),
    meanEmaF32: bind('void fd_mean_ema_f32(int64_t, const float *, double, const double *, double *, double *, double, double, double *)'),
    meanEmaF64: bind('void fd_mean_ema_f64(int64_t, const double *, double, const double *, double *, double *, double, double, double *)'),
    decodeFloat16: bind('void fd_decode_float16(const uint16_t *, int64_t, float *)'),
    decodeBfloat16: bind('void fd_decode_bfloat16(const uint16_t *, int64_t, float *)'),
    mapRead: bind('void *fd_map_read(int, int64_t)'),
    unmap: bind('int fd_unmap(void *, int64_t)'),
    copyMapped: bind('int fd_copy_mapped(uint8_t *, const void *, int64_t, int64_t)'),
  };
}

/** The native kernels, loaded once; undefined when the library is not built or does not load (`nativeKernelsError` says why). */
export function nativeKernels(): NativeKernels | undefined {
  if (loaded === undefined) {
    const path = defaultNativeLibraryPath();
    try {
      loaded = load(path);
    } catch (e) {
      loaded = e instanceof Error ? e : new Error(String(e));
    }
  }
  return loaded instanceof Error ? undefined : loaded;
}

/** Why the native kernels are unavailable, or undefined when they load. */
export function nativeKernelsError(): string | undefined {
  nativeKernels();
  return loaded instanceof Error ? loaded.message : undefined;
}

let chosen: KernelsName | undefined;

/**
 * The kernels in use: `FISHERD_KERNELS` (auto | native | javascript; default auto) on first call, or what
 * `useKernels` set. Throws when `native` is asked for and the library does not load.
 */
export function kernelsInUse(): KernelsName {
  if (chosen === undefined) {
    const asked = process.env['FISHERD_KERNELS'] ?? 'auto';
    if (asked !== 'auto' && asked !== 'native' && asked !== 'javascript') {
      throw new Error(`FISHERD_KERNELS must be auto, native or javascript, got "${asked}"`);
    }
    chosen = asked === 'auto' ? (nativeKernels() !== undefined ? 'native' : 'javascript') : asked;
    if (chosen === 'native') useKernels('native'); // checks that it loads
  }
  return chosen;
}

/** Chooses the kernels for this process (tests and benches compare both); throws when `native` does not load. */
export function useKernels(name: KernelsName): void {
  if (name === 'native' && nativeKernels() === undefined) {
    throw new Error(`native kernels unavailable: ${nativeKernelsError()}`);
  }
  chosen = name;
}

/** The native kernels when they are the ones in use, else undefined (callers then run their JavaScript loop). */
export function activeNativeKernels(): NativeKernels | undefined {
  return kernelsInUse() === 'native' ? nativeKernels() : undefined;
}

/** The kernel sets this process can run (JavaScript always; native when the library loads). */
export function availableKernels(): KernelsName[] {
  return nativeKernels() === undefined ? ['javascript'] : ['native', 'javascript'];
}

/** For people and logs: which kernels run, and why not the native ones when they do not. */
export function describeKernels(): string {
  const name = kernelsInUse();
  if (name === 'native') return 'native kernels';
  const why = nativeKernelsError();
  return why === undefined ? 'JavaScript kernels (FISHERD_KERNELS=javascript)' : `JavaScript kernels (native: ${why})`;
}
