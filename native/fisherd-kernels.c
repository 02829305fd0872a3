/*
 * fisherd's native CPU kernels: the per-coordinate passes that JavaScript runs at ~5x below this machine's
 * memory speed (bench/RESULTS.md, "A diagonal step from statistics": the native and JS passes side by side).
 * Loaded through koffi (src/linalg/native-kernels.ts); when this library is not built, the same passes run in
 * JavaScript and give the same bits.
 *
 * Same bits: every pass here is the JavaScript pass of src/session/statistics-passes.ts written again,
 * operation for operation in the same order, in IEEE double (x86-64 SSE2 / AArch64: no excess precision),
 * with float32 roundings exactly where JavaScript rounds (Math.fround, a store into a Float32Array). Built
 * with -ffp-contract=off (no fused multiply-add) and without -ffast-math (no reassociation): the compiler
 * may not change a single rounding. test/session/statistics-step.test.ts compares both against the general
 * path bit for bit.
 *
 * Calling convention (koffi): arrays are the typed arrays' own memory (no copies); `p` holds the step's
 * constants and `t` the running sums, read at the start and written back at the end, so that a step over
 * several segments continues one sum, as the JavaScript passes do.
 */
#include <stdint.h>
#include <stddef.h>
#include <math.h>

#define API __attribute__((visibility("default")))

/* p[]: the step's constants (PassParameters / CompanionParameters in statistics-passes.ts). */
enum { P_DECAY, P_MEAN_FACTOR, P_INPUT_FACTOR, P_ALPHA, P_CG, P_GAMMA, P_DAMPING, P_RHO, P_ALPHA2, P_INPUT_FACTOR2,
       P_CP, P_CP2, P_COUNT };
/* t[]: the running sums (Totals). */
enum { T_GRAD, T_UPDATE, T_TRACE, T_SNR, T_OTHER_TRACE, T_RULE_SQUARES, T_OTHER_SQUARES, T_PRODUCT, T_COUNT };

API int fd_kernels_abi(void) { return 6; }

/* Each pass runs in chunks of CHUNK coordinates: one loop computes every coordinate's values (vectorizable:
   no sum crosses coordinates) into the outputs and into small buffers, then a second loop adds the buffers to
   the running sums in coordinate order (the sums' order, hence their bits, is JavaScript's). Measured at
   D = 10⁶ here: 5.5 ns per coordinate for the one-loop form, 3.3 for this one with AVX2. */
#define CHUNK 512

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* AVX2 where the CPU has it (chosen at load time by glibc's ifunc), SSE2 otherwise: the same bits either way
   (each operation is one correctly rounded IEEE operation in both). */
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

/* The EMA's βd, as JavaScript's `decay === 0 ? 0 : decay * d` (0 when β = 0); the two loops of each pass
   (β = 0, β > 0) keep the branch out of the loop so that it vectorizes. */
#define DECAYED0(x) 0.0
#define DECAYED1(x) (decay * (double)(x))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define EMA_G(j) (decay * G[j] + (1 - decay) * (0.0 + meanFactor * (double)sum[j]))

/* sgd: ḡ's EMA only, Δθ = −γ ḡ. */
/* One coordinate of the pass below (DECAYED: the EMA's βd for β = 0 or β > 0). */
#define SGD_ELEMENT(DECAYED)                                                                                      \
  {                                                                                                               \
    const double gs = EMA_G(j);                                                                                   \
    Gn[j] = gs;                                                                                                   \
    const double g = gs * cg;                                                                                     \
    const double u = -gamma * g;                                                                                  \
    gb[j - j0] = g; ub[j - j0] = u;                                                                               \
    update[j] = (float)u;                                                                                         \
  }
#define SGD_PASS(NAME, S)                                                                                          \
  API CLONES void NAME(int64_t n, const S *sum, const double *G, double *Gn, float *update, const double *p,       \
                       double *t) {                                                                              \
    const double decay = p[P_DECAY], meanFactor = p[P_MEAN_FACTOR], cg = p[P_CG], gamma = p[P_GAMMA];            \
    double grad = t[T_GRAD], upd = t[T_UPDATE];                                                                   \
    double gb[CHUNK], ub[CHUNK];                                                                                  \
    for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {                                                                   \
      const int64_t j1 = MIN(n, j0 + CHUNK);                                                                      \
      for (int64_t j = j0; j < j1; j++) SGD_ELEMENT(DECAYED1)                                                     \
      for (int64_t k = 0; k < j1 - j0; k++) { grad += gb[k] * gb[k]; upd += ub[k] * ub[k]; }                      \
    }                                                                                                             \
    t[T_GRAD] = grad; t[T_UPDATE] = upd;                                                                          \
  }
SGD_PASS(fd_sgd_f32, float)
SGD_PASS(fd_sgd_f64, double)

/* ngd / efgd: d ← βd + α·q, Δθ = −γ (d·c + λ)⁻¹ ḡ. ROUND is the storage's rounding (float32: the estimate and
   the solve rounded, as diagSolve into float32 storage). */
#define ROUND32(x) ((double)(float)(x))
#define ROUND64(x) (x)
/* One coordinate of the pass below (DECAYED: the EMA's βd for β = 0 or β > 0). */
#define SOLVE_ELEMENT(DECAYED, D, ROUND)                                                                          \
  {                                                                                                               \
    const double gs = EMA_G(j);                                                                                   \
    Gn[j] = gs;                                                                                                   \
    const double di = ROUND(DECAYED(d[j]) + alpha * (0.0 + inputFactor * (double)squares[j]));                    \
    dn[j] = (D)di;                                                                                                \
    const double g = gs * cg;                                                                                     \
    const double u = -gamma * ROUND(g / (di * cp + damping));                                                     \
    gb[j - j0] = g; ub[j - j0] = u; db[j - j0] = di;                                                              \
    update[j] = (float)u;                                                                                         \
  }
#define SOLVE_PASS(NAME, S, D, ROUND)                                                                             \
  API CLONES void NAME(int64_t n, const S *sum, const S *squares, const double *G, double *Gn, const D *d, D *dn, \
                       float *update, const double *p, double *t) {                                              \
    const double decay = p[P_DECAY], meanFactor = p[P_MEAN_FACTOR], inputFactor = p[P_INPUT_FACTOR],              \
                 alpha = p[P_ALPHA], cg = p[P_CG], gamma = p[P_GAMMA], damping = p[P_DAMPING], cp = p[P_CP];      \
    double grad = t[T_GRAD], upd = t[T_UPDATE], trace = t[T_TRACE];                                               \
    double gb[CHUNK], ub[CHUNK], db[CHUNK];                                                                       \
    for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {                                                                   \
      const int64_t j1 = MIN(n, j0 + CHUNK);                                                                      \
      if (decay == 0) for (int64_t j = j0; j < j1; j++) SOLVE_ELEMENT(DECAYED0, D, ROUND)                         \
      else for (int64_t j = j0; j < j1; j++) SOLVE_ELEMENT(DECAYED1, D, ROUND)                                    \
      for (int64_t k = 0; k < j1 - j0; k++) { trace += db[k]; grad += gb[k] * gb[k]; upd += ub[k] * ub[k]; }      \
    }                                                                                                             \
    t[T_GRAD] = grad; t[T_UPDATE] = upd; t[T_TRACE] = trace;                                                      \
  }
SOLVE_PASS(fd_solve_f32_f32, float, float, ROUND32)
SOLVE_PASS(fd_solve_f64_f32, double, float, ROUND32)
SOLVE_PASS(fd_solve_f32_f64, float, double, ROUND64)
SOLVE_PASS(fd_solve_f64_f64, double, double, ROUND64)

/* snr: S ← βS + α·M2, D_ii = ḡ_i²/(ḡ_i² + ρ·max(S_ii·c, 0)), Δθ = −γ D ḡ; S_ii read back as stored. */
/* One coordinate of the pass below (DECAYED: the EMA's βd for β = 0 or β > 0). */
#define SNR_ELEMENT(DECAYED, D)                                                                                   \
  {                                                                                                               \
    const double gs = EMA_G(j);                                                                                   \
    Gn[j] = gs;                                                                                                   \
    const D stored = (D)(DECAYED(d[j]) + alpha * (0.0 + inputFactor * (double)squares[j]));                       \
    dn[j] = stored;                                                                                               \
    const double di = (double)stored;                                                                             \
    const double g = gs * cg;                                                                                     \
    const double signal = g * g;                                                                                  \
    const double s = di * cp;                                                                                     \
    const double denominator = signal + rho * (s > 0 ? s : 0.0);                                                  \
    const double r = signal / (denominator > 0 ? denominator : 1.0);                                              \
    const double factor = denominator > 0 ? (r < 1 ? r : 1.0) : 0.0;                                              \
    const double u = -gamma * (factor * g);                                                                       \
    gb[j - j0] = g; ub[j - j0] = u; db[j - j0] = di; fb[j - j0] = factor;                                         \
    update[j] = (float)u;                                                                                         \
  }
#define SNR_PASS(NAME, S, D)                                                                                      \
  API CLONES void NAME(int64_t n, const S *sum, const S *squares, const double *G, double *Gn, const D *d, D *dn, \
                       float *update, const double *p, double *t) {                                              \
    const double decay = p[P_DECAY], meanFactor = p[P_MEAN_FACTOR], inputFactor = p[P_INPUT_FACTOR],              \
                 alpha = p[P_ALPHA], cg = p[P_CG], gamma = p[P_GAMMA], rho = p[P_RHO], cp = p[P_CP];              \
    double grad = t[T_GRAD], upd = t[T_UPDATE], trace = t[T_TRACE], snr = t[T_SNR];                               \
    double gb[CHUNK], ub[CHUNK], db[CHUNK], fb[CHUNK];                                                            \
    for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {                                                                   \
      const int64_t j1 = MIN(n, j0 + CHUNK);                                                                      \
      if (decay == 0) for (int64_t j = j0; j < j1; j++) SNR_ELEMENT(DECAYED0, D)                                  \
      else for (int64_t j = j0; j < j1; j++) SNR_ELEMENT(DECAYED1, D)                                             \
      for (int64_t k = 0; k < j1 - j0; k++) {                                                                     \
        trace += db[k]; grad += gb[k] * gb[k]; snr += fb[k]; upd += ub[k] * ub[k];                                \
      }                                                                                                           \
    }                                                                                                             \
    t[T_GRAD] = grad; t[T_UPDATE] = upd; t[T_TRACE] = trace; t[T_SNR] = snr;                                      \
  }
SNR_PASS(fd_snr_f32_f32, float, float)
SNR_PASS(fd_snr_f64_f32, double, float)
SNR_PASS(fd_snr_f32_f64, float, double)
SNR_PASS(fd_snr_f64_f64, double, double)

/* ngd with Ẽ tracked, efgd with F tracked: both estimates folded; the rule's solve gives Δθ, the other's only
   the cosine's sums (x², y², x·y). */
/* One coordinate of the pass below (DECAYED: the EMA's βd for β = 0 or β > 0). */
#define COSINE_ELEMENT(DECAYED, D, ROUND)                                                                         \
  {                                                                                                               \
    const double gs = EMA_G(j);                                                                                   \
    Gn[j] = gs;                                                                                                   \
    const double di = ROUND(DECAYED(d[j]) + alpha * (0.0 + inputFactor * (double)squares[j]));                    \
    dn[j] = (D)di;                                                                                                \
    const double ei = ROUND(DECAYED(d2[j]) + alpha2 * (0.0 + inputFactor2 * (double)otherSquares[j]));            \
    dn2[j] = (D)ei;                                                                                               \
    const double g = gs * cg;                                                                                     \
    const double x = ROUND(g / (di * cp + damping));                                                              \
    const double y = ROUND(g / (ei * cp2 + damping));                                                             \
    const double u = -gamma * x;                                                                                  \
    gb[j - j0] = g; ub[j - j0] = u; db[j - j0] = di; eb[j - j0] = ei; xb[j - j0] = x; yb[j - j0] = y;             \
    update[j] = (float)u;                                                                                         \
  }
#define COSINE_PASS(NAME, S, D, ROUND)                                                                            \
  API CLONES void NAME(int64_t n, const S *sum, const S *squares, const S *otherSquares, const double *G,         \
                       double *Gn, const D *d, D *dn, const D *d2, D *dn2, float *update, const double *p,       \
                       double *t) {                                                                              \
    const double decay = p[P_DECAY], meanFactor = p[P_MEAN_FACTOR], inputFactor = p[P_INPUT_FACTOR],              \
                 alpha = p[P_ALPHA], cg = p[P_CG], gamma = p[P_GAMMA], damping = p[P_DAMPING], cp = p[P_CP],      \
                 alpha2 = p[P_ALPHA2], inputFactor2 = p[P_INPUT_FACTOR2], cp2 = p[P_CP2];                         \
    double grad = t[T_GRAD], upd = t[T_UPDATE], trace = t[T_TRACE], trace2 = t[T_OTHER_TRACE],                    \
           rr = t[T_RULE_SQUARES], oo = t[T_OTHER_SQUARES], ro = t[T_PRODUCT];                                    \
    double gb[CHUNK], ub[CHUNK], db[CHUNK], eb[CHUNK], xb[CHUNK], yb[CHUNK];                                      \
    for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {                                                                   \
      const int64_t j1 = MIN(n, j0 + CHUNK);                                                                      \
      if (decay == 0) for (int64_t j = j0; j < j1; j++) COSINE_ELEMENT(DECAYED0, D, ROUND)                        \
      else for (int64_t j = j0; j < j1; j++) COSINE_ELEMENT(DECAYED1, D, ROUND)                                   \
      for (int64_t k = 0; k < j1 - j0; k++) {                                                                     \
        trace += db[k]; trace2 += eb[k]; grad += gb[k] * gb[k];                                                   \
        rr += xb[k] * xb[k]; oo += yb[k] * yb[k]; ro += xb[k] * yb[k]; upd += ub[k] * ub[k];                      \
      }                                                                                                           \
    }                                                                                                             \
    t[T_GRAD] = grad; t[T_UPDATE] = upd; t[T_TRACE] = trace; t[T_OTHER_TRACE] = trace2;                           \
    t[T_RULE_SQUARES] = rr; t[T_OTHER_SQUARES] = oo; t[T_PRODUCT] = ro;                                           \
  }
COSINE_PASS(fd_cosine_f32_f32, float, float, ROUND32)
COSINE_PASS(fd_cosine_f64_f32, double, float, ROUND32)
COSINE_PASS(fd_cosine_f32_f64, float, double, ROUND64)
COSINE_PASS(fd_cosine_f64_f64, double, double, ROUND64)

/* ---- value scans (the arrival checks of src/session/statistics.ts and curvature/validate.ts) ---------------
   Each returns the index of the first bad value, or −1: a branch-free pass over a chunk (vectorizable), and
   only a chunk that holds a bad value is searched again for its first one. */

#define SCAN(NAME, T, BAD)                                                                                        \
  API CLONES int64_t NAME(const T *v, int64_t n) {                                                               \
    for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {                                                                   \
      const int64_t j1 = MIN(n, j0 + CHUNK);                                                                      \
      int bad = 0;                                                                                                \
      for (int64_t j = j0; j < j1; j++) { const T x = v[j]; bad |= BAD(x); }                                       \
      if (bad) for (int64_t j = j0; j < j1; j++) { const T x = v[j]; if (BAD(x)) return j; }                       \
    }                                                                                                             \
    return -1;                                                                                                    \
  }
/* NaN or ±Inf: x − x is 0 for every finite x and NaN otherwise, and NaN ≠ NaN. */
#define NON_FINITE(x) ((x) - (x) != (x) - (x))
/* Not a finite number ≥ 0 (−0 passes, as `x >= 0 && x < Infinity` in JavaScript). */
#define NOT_SQUARE(x) (!((x) >= 0) | !((x) < INFINITY))
SCAN(fd_first_nonfinite_f32, float, NON_FINITE)
SCAN(fd_first_nonfinite_f64, double, NON_FINITE)
SCAN(fd_first_bad_square_f32, float, NOT_SQUARE)
SCAN(fd_first_bad_square_f64, double, NOT_SQUARE)

/* ---- half-precision payloads (src/protocol/half-floats.ts) -------------------------------------------------
   Exact: every float16 and bfloat16 value is a float32. `codes` are the little-endian 16-bit codes. */

/* float16 → float32, branch-free so that it vectorizes: normals, ±Inf and NaN by moving the exponent and
   mantissa bits into place (the exponent rebiased by 127 − 15, or to 255 for the top code); zeros and
   subnormals (exponent 0) as mantissa · 2⁻²⁴, exact in float32. */
API CLONES void fd_decode_float16(const uint16_t *codes, int64_t n, float *out) {
  uint32_t *o = (uint32_t *)out;
  for (int64_t j = 0; j < n; j++) {
    const uint32_t h = codes[j];
    const uint32_t exp = h & 0x7c00u;
    const uint32_t mantissa = h & 0x3ffu;
    const uint32_t top = (uint32_t)(exp == 0x7c00u);      /* 1 for ±Inf and NaN */
    const uint32_t normal = ((exp + ((112u + 112u * top) << 10)) << 13) | (mantissa << 13);
    union { float f; uint32_t u; } sub = { .f = (float)(int32_t)mantissa * 5.9604644775390625e-08f }; /* · 2^-24 */
    const uint32_t zero = -(uint32_t)(exp == 0);           /* all ones for zeros and subnormals */
    o[j] = (sub.u & zero) | (normal & ~zero) | ((h & 0x8000u) << 16);
  }
}

/* bfloat16 → float32: the code is the float32's top half. */
API CLONES void fd_decode_bfloat16(const uint16_t *codes, int64_t n, float *out) {
  uint32_t *o = (uint32_t *)out;
  for (int64_t j = 0; j < n; j++) o[j] = (uint32_t)codes[j] << 16;
}

/* ---- Kronecker factor sums (src/curvature/kronecker-factors.ts `factorSumPasses`, kronecker-estimate.ts) ----
   fd_factor_check decides, in one pass over the n×n sum M, whether every check of a factor sum passes: finite,
   diagonal ≥ 0, and |M_ij − M_ji| ≤ tol·√M_ii·√M_jj for every pair (`symmetric`: M is symmetric by construction,
   only the values are tested). The decision is the JavaScript pass's, conservative in the same way: 1 only when
   every check passes; 0 when one fails, and also where the test cannot decide exactly (a diagonal entry that is
   neither 0 nor within [1e-150, 1e150]; a gap within the margin that `tolerance`, the caller's tol·(1 − 1e-9),
   leaves below the bound), after which the caller runs its exact checks one by one (the error path, with its
   messages). A NaN or ±Inf off the diagonal makes its pair's gap fail (NaN or ∞): no pass of its own for
   finiteness. `scratch` holds 2n doubles (√M_ii and tolerance·√M_ii).

   The pairs are walked in 4 × 4 blocks: rows i … i+3 of the upper triangle (columns j … j+3) against rows
   j … j+3 of the lower one (columns i … i+3), transposed in registers, every read four contiguous values;
   the blocks go tile by tile (64 × 64, within L1/L2), with the next tile's rows prefetched, since reading
   the mirror down its columns misses the cache on every value at n ~ 1000. Measured at n = 1024/1025 on
   this Zen 3 VM (16 factors): ~1.3× the time of one streaming read of the same matrices; in cache ~5× faster
   than the JavaScript pass. |g| ≤ b is tested as g ≤ b and −g ≤ b (the same decision: IEEE subtraction is
   sign-symmetric, and a NaN fails both). */
#define FACTOR_TILE 64

/* Four doubles as one vector (GCC/Clang vector extensions): AVX2 registers in the avx2 clone, two SSE2 halves
   in the default one (whose functions inline every use, so the -Wpsabi note about passing them is moot). */
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));
#if defined(__clang__)
#define SHUFFLE4(a, b, i0, i1, i2, i3) __builtin_shufflevector(a, b, i0, i1, i2, i3)
#else
#define SHUFFLE4(a, b, i0, i1, i2, i3) __builtin_shuffle(a, b, (v4i){i0, i1, i2, i3})
#endif

static inline __attribute__((always_inline)) v4d load4(const double *p) {
  v4d v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}

/* All ones in the lanes of the pairs that fail: upper rows i … i+3 (columns j … j+3) against lower rows
   j … j+3 (columns i … i+3). */
static inline __attribute__((always_inline)) v4i factor_block(const double *M, int64_t n, int64_t i, int64_t j, const double *root,
                                                               const double *scaled) {
  const v4d l0 = load4(M + (j + 0) * n + i), l1 = load4(M + (j + 1) * n + i);
  const v4d l2 = load4(M + (j + 2) * n + i), l3 = load4(M + (j + 3) * n + i);
  const v4d t0 = SHUFFLE4(l0, l1, 0, 4, 2, 6), t1 = SHUFFLE4(l0, l1, 1, 5, 3, 7);
  const v4d t2 = SHUFFLE4(l2, l3, 0, 4, 2, 6), t3 = SHUFFLE4(l2, l3, 1, 5, 3, 7);
  /* c_a[b] = M[j + b][i + a]: the mirror of upper row i + a */
  const v4d c0 = SHUFFLE4(t0, t2, 0, 1, 4, 5), c1 = SHUFFLE4(t1, t3, 0, 1, 4, 5);
  const v4d c2 = SHUFFLE4(t0, t2, 2, 3, 6, 7), c3 = SHUFFLE4(t1, t3, 2, 3, 6, 7);
  const v4d r = load4(root + j);
  v4i ok;
  { const v4d b = scaled[i + 0] * r, g = load4(M + (i + 0) * n + j) - c0; ok = (v4i)(g <= b) & (v4i)(-g <= b); }
  { const v4d b = scaled[i + 1] * r, g = load4(M + (i + 1) * n + j) - c1; ok &= (v4i)(g <= b) & (v4i)(-g <= b); }
  { const v4d b = scaled[i + 2] * r, g = load4(M + (i + 2) * n + j) - c2; ok &= (v4i)(g <= b) & (v4i)(-g <= b); }
  { const v4d b = scaled[i + 3] * r, g = load4(M + (i + 3) * n + j) - c3; ok &= (v4i)(g <= b) & (v4i)(-g <= b); }
  return ~ok;
}

API CLONES int fd_factor_check(const double *M, int64_t n, int symmetric, double tolerance, double *scratch) {
  if (symmetric) {
    for (int64_t i = 0; i < n; i++) if (!(M[i * n + i] >= 0)) return 0;
    const int64_t total = n * n;
    for (int64_t j0 = 0; j0 < total; j0 += CHUNK) {
      const int64_t j1 = MIN(total, j0 + CHUNK);
      int bad = 0;
      for (int64_t j = j0; j < j1; j++) { const double x = M[j]; bad |= NON_FINITE(x); }
      if (bad) return 0;
    }
    return 1;
  }
  double *root = scratch, *scaled = scratch + n;
  for (int64_t i = 0; i < n; i++) {
    const double d = M[i * n + i];
    /* 0, or a range where M_ii·M_jj neither under- nor overflows: there √M_ii·√M_jj is √(M_ii·M_jj) to a few
       ulps, far inside the margin */
    if (!(d == 0 || (d >= 1e-150 && d <= 1e150))) return 0;
    const double r = sqrt(d);
    root[i] = r;
    scaled[i] = tolerance * r;
  }
  const int64_t n4 = n & ~(int64_t)3;
  for (int64_t j0 = 0; j0 < n4; j0 += FACTOR_TILE) {
    const int64_t j1 = MIN(n4, j0 + FACTOR_TILE);
    for (int64_t i0 = 0; i0 <= j0; i0 += FACTOR_TILE) {
      const int64_t i1 = MIN(n4, i0 + FACTOR_TILE);
      const int next = i0 + FACTOR_TILE <= j0; /* the tile (i0 + 64, j0) follows in this row of tiles */
      v4i bad = {0, 0, 0, 0};
      for (int64_t i = i0; i < i1; i += 4) {
        if (next) {
          /* a quarter of the next tile for every four rows: its upper rows i + 64 … i + 67 (columns j0 … j1−1)
             and its lower rows j0 + (i − i0) … + 3 (columns i0 + 64 … + 127) */
          const int64_t q = i - i0;
          for (int64_t r = 0; r < 4; r++) {
            const int64_t up = MIN(n - 1, i + FACTOR_TILE + r), low = j0 + q + r;
            for (int64_t c = j0; c < j1; c += 8) __builtin_prefetch(M + up * n + c);
            if (low < j1) for (int64_t c = i0 + FACTOR_TILE; c < MIN(n, i0 + 2 * FACTOR_TILE); c += 8) __builtin_prefetch(M + low * n + c);
          }
        }
        /* on a diagonal tile, blocks from the diagonal one on (it compares every pair of its 4 × 4 both ways,
           and (i, i) with gap 0 ≤ tol·M_ii: no effect on the decision) */
        for (int64_t j = i0 == j0 ? i : j0; j < j1; j += 4) bad |= factor_block(M, n, i, j, root, scaled);
      }
      if (bad[0] | bad[1] | bad[2] | bad[3]) return 0;
    }
  }
  /* the last n mod 4 rows of the lower triangle against their mirrors */
  int bad = 0;
  for (int64_t j = n4; j < n; j++) {
    for (int64_t i = 0; i < j; i++) bad |= !(fabs(M[i * n + j] - M[j * n + i]) <= scaled[i] * root[j]);
  }
  return !bad;
}

/* The EMA of a factor, out ← α·x + β·y, as BLAS daxpby (y ← α·x + β·y) and the JavaScript fallback write it (α·x
   when β = 0: y is not read): the same bits (each an IEEE product and sum, -ffp-contract=off). `out` is y (in
   place) or an array that overlaps neither x nor y: a block whose checkpoint holds its factors writes the next
   ones beside them (src/curvature/kronecker-estimate.ts `commitUpdate`). */
API CLONES void fd_factor_ema(const double *x, const double *y, double *out, int64_t n, double alpha, double beta) {
  if (beta == 0) {
    for (int64_t j = 0; j < n; j++) out[j] = alpha * x[j];
  } else {
    for (int64_t j = 0; j < n; j++) out[j] = alpha * x[j] + beta * y[j];
  }
}

/* ---- Kronecker solves (src/curvature/kronecker-estimate.ts `divideByEigenvalues`) ----------------------------
   Y[o][i] ← Y[o][i] / (g[o]·a[i] + λ) in the eigenbasis (out × in', row-major), the JavaScript loop's operations in
   its order (the same bits). Returns −1, or the row-major index of the first divisor that is not > 0 (NaN
   included), where the caller throws; rows before it are divided, the rest as they were. */
/* The first i whose divisor go·a[i] + λ is not > 0 in a row, or −1 (one branch-free pass, then a search). */
static inline int64_t first_bad_divisor(double go, const double *a, int64_t inputOrder, double damping) {
  int bad = 0;
  for (int64_t i = 0; i < inputOrder; i++) { const double d = go * a[i] + damping; bad |= !(d > 0); }
  if (bad) {
    for (int64_t i = 0; i < inputOrder; i++) if (!(go * a[i] + damping > 0)) return i;
  }
  return -1;
}

/* NAME(T): the division on a Y of T. On float32 (a float32-storage solve) each quotient is computed in double,
   as JavaScript's `Y[k] /= divisor` on a Float32Array does, and rounded to float32 on the store; on double the
   casts change nothing. */
#define KRONECKER_DIVIDE(NAME, T)                                                                                   \
  API CLONES int64_t NAME(T *Y, int64_t outputs, int64_t inputOrder, const double *g, const double *a, double damping) { \
    for (int64_t o = 0; o < outputs; o++) {                                                                         \
      T *row = Y + o * inputOrder;                                                                                  \
      const double go = g[o];                                                                                       \
      const int64_t bad = first_bad_divisor(go, a, inputOrder, damping);                                            \
      if (bad >= 0) return o * inputOrder + bad;                                                                    \
      for (int64_t i = 0; i < inputOrder; i++) row[i] = (T)((double)row[i] / (go * a[i] + damping));                \
    }                                                                                                               \
    return -1;                                                                                                      \
  }
KRONECKER_DIVIDE(fd_kronecker_divide, double)
KRONECKER_DIVIDE(fd_kronecker_divide_f32, float)

/* ---- shared-memory requests (src/server/shared-memory.ts) ------------------------------------------------
   A client's request file, mapped read-only, and copied out of the mapping: a copy in user space runs at
   memcpy speed where read(2) from the tmpfs ran at ~1.2 GB/s here (7 ms for an 8.5 MB step). A client that
   shrinks its file while the daemon copies would make the copy fault (SIGBUS) and kill the daemon: the copy
   runs under a SIGBUS handler that turns the fault into an error return instead. */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

static __thread sigjmp_buf *copy_jump;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
  (void)info; (void)context;
  if (copy_jump != NULL) siglongjmp(*copy_jump, 1);
  signal(sig, SIG_DFL); /* not ours: the default action */
  raise(sig);
}

/* The file's first `length` bytes mapped read-only, or NULL. */
API void *fd_map_read(int fd, int64_t length) {
  void *p = mmap(NULL, (size_t)length, PROT_READ, MAP_SHARED, fd, 0);
  return p == MAP_FAILED ? NULL : p;
}

API int fd_unmap(void *p, int64_t length) { return munmap(p, (size_t)length); }

/* Copies [offset, offset + length) of a mapping into dst: 0, or −1 when the pages were gone (the file shrank). */
API int fd_copy_mapped(uint8_t *dst, const uint8_t *map, int64_t offset, int64_t length) {
  struct sigaction handler, previous;
  memset(&handler, 0, sizeof handler);
  handler.sa_sigaction = on_sigbus;
  handler.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigemptyset(&handler.sa_mask);
  if (sigaction(SIGBUS, &handler, &previous) != 0) return -2;
  sigjmp_buf jump;
  volatile int rc = 0;
  copy_jump = &jump;
  if (sigsetjmp(jump, 1) == 0) memcpy(dst, map + offset, (size_t)length);
  else rc = -1;
  copy_jump = NULL;
  sigaction(SIGBUS, &previous, NULL);
  return rc;
}

/* ---- decoding float32 payloads (src/protocol/floats.ts readFloat32) ---------------------------------------
   A payload whose bytes are not 4-aligned in the frame is copied into an aligned array; this copy also probes
   the values, so that the arrival check need not read them again: bit 0 set when every value is finite, bit 1
   when moreover no sign bit is set (no negative value, and no −0: the square scan still runs then). */
API CLONES int fd_copy_probe_f32(float *dst, const uint8_t *src, int64_t n) {
  uint32_t *out = (uint32_t *)dst;
  uint32_t special = 0, sign = 0;
  for (int64_t j = 0; j < n; j++) {
    uint32_t u;
    memcpy(&u, src + 4 * j, 4);
    out[j] = u;
    special |= (uint32_t)((u & 0x7f800000u) == 0x7f800000u); /* ±Inf or NaN */
    sign |= u >> 31;
  }
  return (special ? 0 : 1) | ((special | sign) ? 0 : 2);
}

/* ---- Kronecker factor sums on the wire (src/protocol/statistics-codec.ts `unpackUpper`) -----------------------
   A factor sum travels as the packed upper triangle of the symmetric n×n matrix (row by row: M[0][0..n),
   M[1][1..n), …) in float32, float16 or bfloat16 (`encoding` 0, 1, 2: little-endian, any alignment). It is
   decoded straight into the full float64 matrix M (row-major; every entry written), exactly (every value of the
   three encodings is a double), with no intermediate copy. The mirror is written tile by tile: the upper part of
   a tile row by row from the wire (contiguous reads and writes), then its lower mirror from those rows while they
   are in cache (reading down a column of the upper part within the tile); a naive column write of each row
   misses the cache on every value at n ~ 1000. The same pass probes the values: bit 0 of the result set when
   every value is finite, bit 1 when moreover every diagonal entry is ≥ 0 (−0 included): then M passes the
   checks of a factor sum (src/curvature/kronecker-factors.ts `factorSumPasses` with `symmetric`). */

#define UNPACK_TILE 64


static inline __attribute__((always_inline)) double wire_f32(const uint8_t *p) {
  float f;
  memcpy(&f, p, 4);
  return (double)f;
}

static inline __attribute__((always_inline)) double wire_f16(const uint8_t *p) {
  uint16_t code;
  memcpy(&code, p, 2);
  const uint32_t h = code;
  const uint32_t exp = h & 0x7c00u;
  const uint32_t mantissa = h & 0x3ffu;
  const uint32_t top = (uint32_t)(exp == 0x7c00u);
  const uint32_t normal = ((exp + ((112u + 112u * top) << 10)) << 13) | (mantissa << 13);
  union { float f; uint32_t u; } sub = { .f = (float)(int32_t)mantissa * 5.9604644775390625e-08f };
  const uint32_t zero = -(uint32_t)(exp == 0);
  union { uint32_t u; float f; } out = { .u = (sub.u & zero) | (normal & ~zero) | ((h & 0x8000u) << 16) };
  return (double)out.f;
}

static inline __attribute__((always_inline)) double wire_bf16(const uint8_t *p) {
  uint16_t code;
  memcpy(&code, p, 2);
  union { uint32_t u; float f; } out = { .u = (uint32_t)code << 16 };
  return (double)out.f;
}

/* Rows i0 … i1−1 of the upper triangle within columns j0 … j1−1 (j ≥ i), from the wire; returns the probe. */
#define UNPACK_ROWS(NAME, WIDTH, READ)                                                                              \
  static inline __attribute__((always_inline)) int NAME(double *M, const uint8_t *packed, int64_t n, int64_t i0,      \
                                                         int64_t i1, int64_t j0, int64_t j1) {                      \
    int bad = 0;                                                                                                    \
    for (int64_t i = i0; i < i1; i++) {                                                                             \
      const int64_t start = j0 > i ? j0 : i;                                                                        \
      const uint8_t *src = packed + (int64_t)WIDTH * (i * n - (i * (i - 1)) / 2 + (start - i));                     \
      double *dst = M + i * n;                                                                                      \
      for (int64_t j = start; j < j1; j++) {                                                                        \
        const double x = READ(src + (int64_t)WIDTH * (j - start));                                                  \
        dst[j] = x;                                                                                                 \
        bad |= NON_FINITE(x);                                                                                       \
      }                                                                                                             \
    }                                                                                                               \
    return bad;                                                                                                     \
  }
UNPACK_ROWS(unpack_rows_f32, 4, wire_f32)
UNPACK_ROWS(unpack_rows_f16, 2, wire_f16)
UNPACK_ROWS(unpack_rows_bf16, 2, wire_bf16)

API CLONES int fd_unpack_upper(double *M, const uint8_t *packed, int64_t n, int encoding) {
  int bad = 0;
  for (int64_t i0 = 0; i0 < n; i0 += UNPACK_TILE) {
    const int64_t i1 = MIN(n, i0 + UNPACK_TILE);
    for (int64_t j0 = i0; j0 < n; j0 += UNPACK_TILE) {
      const int64_t j1 = MIN(n, j0 + UNPACK_TILE);
      bad |= encoding == 0 ? unpack_rows_f32(M, packed, n, i0, i1, j0, j1)
           : encoding == 1 ? unpack_rows_f16(M, packed, n, i0, i1, j0, j1)
                           : unpack_rows_bf16(M, packed, n, i0, i1, j0, j1);
      /* the mirror: M[j][i] = M[i][j] for i < j, in 8 × 8 blocks through a local copy: a block's 8 source
         rows are read (8 cache lines), then its 8 destination rows written. Reading a whole column of the
         tile instead touches 64 lines n doubles apart, which for n a multiple of 512 (a 1024 × 1024 factor)
         all fall into one L1 set and evict each other: 3× slower there. */
      for (int64_t jb = j0; jb < j1; jb += 8) {
        const int64_t je = MIN(j1, jb + 8);
        for (int64_t ib = i0; ib < i1 && ib < je; ib += 8) {
          const int64_t ie = MIN(i1, ib + 8);
          double t[8][8];
          for (int64_t i = ib; i < ie; i++) {
            const double *src = M + i * n;
            for (int64_t j = MAX(jb, i + 1); j < je; j++) t[j - jb][i - ib] = src[j];
          }
          for (int64_t j = jb; j < je; j++) {
            double *row = M + j * n;
            const int64_t end = MIN(ie, j);
            for (int64_t i = ib; i < end; i++) row[i] = t[j - jb][i - ib];
          }
        }
      }
    }
  }
  if (bad) return 0;
  int negative = 0;
  for (int64_t i = 0; i < n; i++) negative |= !(M[i * n + i] >= 0);
  return negative ? 1 : 3;
}

/* ---- the update as sent (src/session/session.ts `toFloat32`) ---------------------------------------------------
   Δθ rounded to float32 as a store into a Float32Array rounds it (to nearest, ties to even: a C conversion under
   the default rounding mode), and the index of the first NaN or ±Inf among the rounded values, or −1 (a finite
   double beyond float32's range rounds to ±Inf): one pass, the locating loop only when the probe fails. */
API CLONES int64_t fd_round_f32(const double *x, float *out, int64_t n) {
  int bad = 0;
  for (int64_t j = 0; j < n; j++) {
    const float f = (float)x[j];
    out[j] = f;
    bad |= NON_FINITE(f);
  }
  if (!bad) return -1;
  for (int64_t j = 0; j < n; j++) if (NON_FINITE(out[j])) return j;
  return -1;
}

/* ---- ḡ's EMA from one worker's statistics (src/curvature/estimator.ts `foldMean` with `meanSegments`) --------
   Over one segment of n coordinates: Gn ← β·G + (1−β)·(0 + f·sum) (EMA_G: the summary's ḡ of the batch written
   and read back, bit for bit), out ← Gn·c (ḡ bias-corrected, `meanGrad()` after the update), and *squares +=
   out² in coordinate order, continuing the caller's running sum: the JavaScript loop's operations in its order.
   Gn may be G (in place) or an array that overlaps neither G nor out. */
#define MEAN_EMA_PASS(NAME, S)                                                                                      \
  API CLONES void NAME(int64_t n, const S *sum, double meanFactor, const double *G, double *Gn, double *out,        \
                       double decay, double correction, double *squares) {                                          \
    double total = *squares;                                                                                        \
    double gb[CHUNK];                                                                                               \
    for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {                                                                     \
      const int64_t j1 = MIN(n, j0 + CHUNK);                                                                        \
      for (int64_t j = j0; j < j1; j++) {                                                                           \
        const double gs = EMA_G(j);                                                                                 \
        Gn[j] = gs;                                                                                                 \
        const double g = gs * correction;                                                                           \
        out[j] = g;                                                                                                 \
        gb[j - j0] = g;                                                                                             \
      }                                                                                                             \
      for (int64_t k = 0; k < j1 - j0; k++) total += gb[k] * gb[k];                                                 \
    }                                                                                                               \
    *squares = total;                                                                                               \
  }
MEAN_EMA_PASS(fd_mean_ema_f32, float)
MEAN_EMA_PASS(fd_mean_ema_f64, double)

/* ---- the step size (src/optim/transforms.ts `scaleByLearningRate`) --------------------------------------------
   out ← α·x over n values (α = −γ: the JavaScript `-gamma * u`, negation being exact) and *squares += out² in
   coordinate order, continuing the caller's sum (‖Δθ‖² as `norm2` sums it). */
API CLONES void fd_scale_squares(int64_t n, const double *x, double alpha, double *out, double *squares) {
  double total = *squares;
  double b[CHUNK];
  for (int64_t j0 = 0; j0 < n; j0 += CHUNK) {
    const int64_t j1 = MIN(n, j0 + CHUNK);
    for (int64_t j = j0; j < j1; j++) {
      const double v = alpha * x[j];
      out[j] = v;
      b[j - j0] = v;
    }
    for (int64_t k = 0; k < j1 - j0; k++) total += b[k] * b[k];
  }
  *squares = total;
}
