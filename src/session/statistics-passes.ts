/**
 * The passes of the one-pass diagonal step (src/session/statistics-step.ts), in two implementations with the
 * same bits: JavaScript loops (below) and the native kernels (native/fisherd-kernels.c through
 * src/linalg/native-kernels.ts), which run them ~4× faster here (bench/RESULTS.md). `diagonalPasses()` gives
 * the set in use (`FISHERD_KERNELS`); test/session/statistics-step.test.ts runs the step on both against the
 * general path, bit for bit.
 *
 * Every view a pass gets starts at the same coordinate (index j of each is coordinate lo + j). Each pass adds
 * to the running sums in `t` in coordinate order, so that a step over several segments continues one sum.
 */
import { activeNativeKernels, type KernelsName, type NativeKernels } from '../linalg/native-kernels.js';
import type { Vec } from '../linalg/backend.js';
import type { StatisticsVector } from './statistics.js';

/** One implementation of the step's passes. */
export interface DiagonalPasses {
  readonly name: KernelsName;
  /** sgd: ḡ's EMA only, Δθ = −γ ḡ. */
  sgd(sum: StatisticsVector, G: Float64Array, Gn: Float64Array, update: Float32Array, p: PassParameters, t: Totals): void;
  /** ngd / efgd: d ← βd + α·q into `dn`, Δθ = −γ (d·c + λ)⁻¹ ḡ (float32 storage rounds the estimate and the solve). */
  solve(sum: StatisticsVector, squares: StatisticsVector, G: Float64Array, Gn: Float64Array, d: Vec, dn: Vec, cp: number,
    update: Float32Array, p: PassParameters, t: Totals): void;
  /** snr: S ← βS + α·M2 into `dn`, D_ii = ḡ_i²/(ḡ_i² + ρ·S_ii), Δθ = −γ D ḡ. */
  snr(sum: StatisticsVector, squares: StatisticsVector, G: Float64Array, Gn: Float64Array, d: Vec, dn: Vec, cp: number,
    update: Float32Array, p: PassParameters, t: Totals): void;
  /** ngd with Ẽ tracked, efgd with F tracked: both folded, the rule's solve gives Δθ, the other's the cosine's sums. */
  cosine(sum: StatisticsVector, squares: StatisticsVector, otherSquares: StatisticsVector, G: Float64Array, Gn: Float64Array,
    d: Vec, dn: Vec, cp: number, d2: Vec, dn2: Vec, cp2: number, update: Float32Array, p: PassParameters, q: CompanionParameters, t: Totals): void;
}

/** The step's constants, shared by the passes. */
export interface PassParameters {
  /** β. */
  readonly decay: number;
  /** The merge's factor on Σg (b/b for mean-reduced sums, 1/b for plain sums: ḡ = factor·Σg). */
  readonly meanFactor: number;
  /** The merge's factor on the second moments (b² for mean-reduced, 1 for plain). */
  readonly inputFactor: number;
  /** (1 − β)·scale of the estimate's EMA. */
  readonly alpha: number;
  /** ḡ's bias correction after the update. */
  readonly cg: number;
  /** γ and λ of this step. */
  readonly gamma: number;
  readonly damping: number;
  /** snr's ρ(β, t) on S. */
  readonly rho: number;
}

/**
 * The pass's sums: ‖ḡ‖², ‖Δθ‖², the new estimate's (un-normalized) trace and snr's Σ D_ii. The trace is
 * non-finite exactly when an entry overflowed its storage; Σ u² bounds every |u| (see `run`): no
 * per-coordinate check is needed beyond these.
 */
export interface Totals {
  grad: number; update: number; trace: number; snr: number;
  /** With the other Fisher: its trace, and the cosine's sums (the rule's direction², the other's², their product). */
  otherTrace: number; ruleSquares: number; otherSquares: number; product: number;
}

/** The other Fisher's EMA constants (its α and input factor; β and the rest are the step's). */
export interface CompanionParameters {
  readonly alpha: number;
  readonly inputFactor: number;
}

/** sgd: Δθ = −γ ḡ, ḡ's EMA only. */
function sgdPass(sum: StatisticsVector, G: Float64Array, Gn: Float64Array, update: Float32Array, p: PassParameters, t: Totals): void {
  const { decay, meanFactor, cg, gamma } = p;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  for (let j = 0; j < n; j++) {
    const gs = decay * G[j]! + (1 - decay) * (0 + meanFactor * sum[j]!);
    Gn[j] = gs;
    const g = gs * cg;
    grad += g * g;
    // sgd's chain is scaleByLearningRate alone: Δθ = −γ·ḡ
    const u = -gamma * g;
    upd += u * u;
    update[j] = u; // float32 rounding on store
  }
  t.grad = grad;
  t.update = upd;
}

// The float32 and float64 copies of the solve pass are deliberate (as in curvature/validate.ts): each loop
// stays monomorphic in its array types, and the float32 one rounds where the float32 storage rounds.

/** ngd / efgd on float32 storage: d ← βd + α·q, Δθ = −γ (d·c + λ)⁻¹ ḡ (the solve rounded to float32, as `diagSolve` into float32). */
function solvePass32(sum: StatisticsVector, squares: StatisticsVector, G: Float64Array, Gn: Float64Array, d: Float32Array, dn: Float32Array,
  cp: number, update: Float32Array, p: PassParameters, t: Totals): void {
  const { decay, meanFactor, inputFactor, alpha, cg, gamma, damping } = p;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  for (let j = 0; j < n; j++) {
    // the merge (0 + factor·v), ḡ's EMA, the estimate's EMA (`scaled(β, d)`: 0 when β = 0)
    const gs = decay * G[j]! + (1 - decay) * (0 + meanFactor * sum[j]!);
    Gn[j] = gs;
    const di = Math.fround((decay === 0 ? 0 : decay * d[j]!) + alpha * (0 + inputFactor * squares[j]!));
    dn[j] = di;
    trace += di;
    const g = gs * cg;
    grad += g * g;
    const u = -gamma * Math.fround(g / (di * cp + damping));
    upd += u * u;
    update[j] = u;
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
}

/** ngd / efgd on float64 storage. */
function solvePass64(sum: StatisticsVector, squares: StatisticsVector, G: Float64Array, Gn: Float64Array, d: Float64Array, dn: Float64Array,
  cp: number, update: Float32Array, p: PassParameters, t: Totals): void {
  const { decay, meanFactor, inputFactor, alpha, cg, gamma, damping } = p;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  for (let j = 0; j < n; j++) {
    const gs = decay * G[j]! + (1 - decay) * (0 + meanFactor * sum[j]!);
    Gn[j] = gs;
    const di = (decay === 0 ? 0 : decay * d[j]!) + alpha * (0 + inputFactor * squares[j]!);
    dn[j] = di;
    trace += di;
    const g = gs * cg;
    grad += g * g;
    const u = -gamma * (g / (di * cp + damping));
    upd += u * u;
    update[j] = u;
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
}

/** snr: S ← βS + α·M2, D_ii = ḡ_i²/(ḡ_i² + ρ·S_ii), Δθ = −γ D ḡ. */
function snrPass(sum: StatisticsVector, squares: StatisticsVector, G: Float64Array, Gn: Float64Array, d: Vec, dn: Vec, cp: number,
  update: Float32Array, p: PassParameters, t: Totals): void {
  const { decay, meanFactor, inputFactor, alpha, cg, gamma, rho } = p;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  let snr = t.snr;
  for (let j = 0; j < n; j++) {
    const gs = decay * G[j]! + (1 - decay) * (0 + meanFactor * sum[j]!);
    Gn[j] = gs;
    dn[j] = (decay === 0 ? 0 : decay * d[j]!) + alpha * (0 + inputFactor * squares[j]!);
    const di = dn[j]!; // as stored (float32 storage rounds)
    trace += di;
    const g = gs * cg;
    grad += g * g;
    const signal = g * g;
    const denominator = signal + rho * Math.max(di * cp, 0);
    const factor = denominator > 0 ? Math.min(signal / denominator, 1) : 0;
    snr += factor;
    const u = -gamma * (factor * g);
    upd += u * u;
    update[j] = u;
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
  t.snr = snr;
}

// ngd with Ẽ tracked, efgd with F tracked: both estimates folded, the rule's solve gives Δθ, the other's only
// the cosine: x = (Ẽ+λ)⁻¹ḡ and y = (F+λ)⁻¹ḡ as `diagSolve` stores them (float32 storage rounds), and the sums of
// vec.ts `cosine` (x², y², x·y, each in coordinate order).

function cosinePass32(sum: StatisticsVector, squares: StatisticsVector, otherSquares: StatisticsVector, G: Float64Array, Gn: Float64Array,
  d: Float32Array, dn: Float32Array, cp: number, d2: Float32Array, dn2: Float32Array, cp2: number, update: Float32Array,
  p: PassParameters, q: CompanionParameters, t: Totals): void {
  const { decay, meanFactor, inputFactor, alpha, cg, gamma, damping } = p;
  const alpha2 = q.alpha;
  const inputFactor2 = q.inputFactor;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  let trace2 = t.otherTrace;
  let rr = t.ruleSquares;
  let oo = t.otherSquares;
  let ro = t.product;
  for (let j = 0; j < n; j++) {
    const gs = decay * G[j]! + (1 - decay) * (0 + meanFactor * sum[j]!);
    Gn[j] = gs;
    const di = Math.fround((decay === 0 ? 0 : decay * d[j]!) + alpha * (0 + inputFactor * squares[j]!));
    dn[j] = di;
    trace += di;
    const ei = Math.fround((decay === 0 ? 0 : decay * d2[j]!) + alpha2 * (0 + inputFactor2 * otherSquares[j]!));
    dn2[j] = ei;
    trace2 += ei;
    const g = gs * cg;
    grad += g * g;
    const x = Math.fround(g / (di * cp + damping));
    const y = Math.fround(g / (ei * cp2 + damping));
    rr += x * x;
    oo += y * y;
    ro += x * y;
    const u = -gamma * x;
    upd += u * u;
    update[j] = u;
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
  t.otherTrace = trace2;
  t.ruleSquares = rr;
  t.otherSquares = oo;
  t.product = ro;
}

function cosinePass64(sum: StatisticsVector, squares: StatisticsVector, otherSquares: StatisticsVector, G: Float64Array, Gn: Float64Array,
  d: Float64Array, dn: Float64Array, cp: number, d2: Float64Array, dn2: Float64Array, cp2: number, update: Float32Array,
  p: PassParameters, q: CompanionParameters, t: Totals): void {
  const { decay, meanFactor, inputFactor, alpha, cg, gamma, damping } = p;
  const alpha2 = q.alpha;
  const inputFactor2 = q.inputFactor;
  const n = sum.length;
  let grad = t.grad;
  let upd = t.update;
  let trace = t.trace;
  let trace2 = t.otherTrace;
  let rr = t.ruleSquares;
  let oo = t.otherSquares;
  let ro = t.product;
  for (let j = 0; j < n; j++) {
    const gs = decay * G[j]! + (1 - decay) * (0 + meanFactor * sum[j]!);
    Gn[j] = gs;
    const di = (decay === 0 ? 0 : decay * d[j]!) + alpha * (0 + inputFactor * squares[j]!);
    dn[j] = di;
    trace += di;
    const ei = (decay === 0 ? 0 : decay * d2[j]!) + alpha2 * (0 + inputFactor2 * otherSquares[j]!);
    dn2[j] = ei;
    trace2 += ei;
    const g = gs * cg;
    grad += g * g;
    const x = g / (di * cp + damping);
    const y = g / (ei * cp2 + damping);
    rr += x * x;
    oo += y * y;
    ro += x * y;
    const u = -gamma * x;
    upd += u * u;
    update[j] = u;
  }
  t.grad = grad;
  t.update = upd;
  t.trace = trace;
  t.otherTrace = trace2;
  t.ruleSquares = rr;
  t.otherSquares = oo;
  t.product = ro;
}

/** The JavaScript passes (the fallback, and the reference the native ones are tested against). */
export const JAVASCRIPT_PASSES: DiagonalPasses = {
  name: 'javascript',
  sgd: sgdPass,
  solve(sum, squares, G, Gn, d, dn, cp, update, p, t) {
    if (dn instanceof Float32Array) solvePass32(sum, squares, G, Gn, d as Float32Array, dn, cp, update, p, t);
    else solvePass64(sum, squares, G, Gn, d as Float64Array, dn, cp, update, p, t);
  },
  snr: snrPass,
  cosine(sum, squares, otherSquares, G, Gn, d, dn, cp, d2, dn2, cp2, update, p, q, t) {
    if (dn instanceof Float32Array) {
      cosinePass32(sum, squares, otherSquares, G, Gn, d as Float32Array, dn, cp, d2 as Float32Array, dn2 as Float32Array, cp2, update, p, q, t);
    } else {
      cosinePass64(sum, squares, otherSquares, G, Gn, d as Float64Array, dn, cp, d2 as Float64Array, dn2 as Float64Array, cp2, update, p, q, t);
    }
  },
};

// ---- the native passes: the constants and sums travel in two small float64 arrays (fisherd-kernels.c's P_* and T_*)

const P = new Float64Array(12);
const T = new Float64Array(8);

function packParameters(p: PassParameters, cp: number, q?: CompanionParameters, cp2 = 0): Float64Array {
  P[0] = p.decay; P[1] = p.meanFactor; P[2] = p.inputFactor; P[3] = p.alpha; P[4] = p.cg; P[5] = p.gamma;
  P[6] = p.damping; P[7] = p.rho; P[8] = q?.alpha ?? 0; P[9] = q?.inputFactor ?? 0; P[10] = cp; P[11] = cp2;
  return P;
}

function packTotals(t: Totals): Float64Array {
  T[0] = t.grad; T[1] = t.update; T[2] = t.trace; T[3] = t.snr; T[4] = t.otherTrace; T[5] = t.ruleSquares; T[6] = t.otherSquares; T[7] = t.product;
  return T;
}

function unpackTotals(t: Totals): void {
  t.grad = T[0]!; t.update = T[1]!; t.trace = T[2]!; t.snr = T[3]!; t.otherTrace = T[4]!; t.ruleSquares = T[5]!; t.otherSquares = T[6]!; t.product = T[7]!;
}

const f32 = (v: Vec | StatisticsVector): v is Float32Array => v instanceof Float32Array;

/** A native solve or snr kernel for one (statistics, storage) type pair. */
type TypedPass<S, D> = (n: number, sum: S, q: S, G: Float64Array, Gn: Float64Array, d: D, dn: D, u: Float32Array, p: Float64Array, t: Float64Array) => void;
type OnePass = DiagonalPasses['solve'];

/**
 * A solve or snr pass calling the native kernel of its arrays' types (statistics float32 or float64, storage
 * float32 or float64); statistics of two types in one entry (possible in-process only) take the JavaScript
 * pass `js`, with the same bits.
 */
function typedPass(js: OnePass, ff: TypedPass<Float32Array, Float32Array>, df: TypedPass<Float64Array, Float32Array>,
  fd: TypedPass<Float32Array, Float64Array>, dd: TypedPass<Float64Array, Float64Array>): OnePass {
  return (sum, squares, G, Gn, d, dn, cp, update, p, t) => {
    if (f32(sum) !== f32(squares)) return js(sum, squares, G, Gn, d, dn, cp, update, p, t);
    const params = packParameters(p, cp);
    const totals = packTotals(t);
    const n = sum.length;
    if (f32(dn)) {
      if (f32(sum)) ff(n, sum, squares as Float32Array, G, Gn, d as Float32Array, dn, update, params, totals);
      else df(n, sum, squares as Float64Array, G, Gn, d as Float32Array, dn, update, params, totals);
    } else if (f32(sum)) fd(n, sum, squares as Float32Array, G, Gn, d as Float64Array, dn, update, params, totals);
    else dd(n, sum, squares as Float64Array, G, Gn, d as Float64Array, dn, update, params, totals);
    unpackTotals(t);
  };
}

function nativePasses(k: NativeKernels): DiagonalPasses {
  return {
    name: 'native',
    sgd(sum, G, Gn, update, p, t) {
      const params = packParameters(p, 0);
      const totals = packTotals(t);
      if (f32(sum)) k.sgdF32(sum.length, sum, G, Gn, update, params, totals);
      else k.sgdF64(sum.length, sum, G, Gn, update, params, totals);
      unpackTotals(t);
    },
    solve: typedPass(JAVASCRIPT_PASSES.solve, k.solveF32F32, k.solveF64F32, k.solveF32F64, k.solveF64F64),
    snr: typedPass(JAVASCRIPT_PASSES.snr, k.snrF32F32, k.snrF64F32, k.snrF32F64, k.snrF64F64),
    cosine(sum, squares, otherSquares, G, Gn, d, dn, cp, d2, dn2, cp2, update, p, q, t) {
      if (f32(sum) !== f32(squares) || f32(sum) !== f32(otherSquares)) {
        return JAVASCRIPT_PASSES.cosine(sum, squares, otherSquares, G, Gn, d, dn, cp, d2, dn2, cp2, update, p, q, t);
      }
      const params = packParameters(p, cp, q, cp2);
      const totals = packTotals(t);
      const n = sum.length;
      if (f32(dn)) {
        const [a, an, b, bn] = [d as Float32Array, dn, d2 as Float32Array, dn2 as Float32Array];
        if (f32(sum)) k.cosineF32F32(n, sum, squares as Float32Array, otherSquares as Float32Array, G, Gn, a, an, b, bn, update, params, totals);
        else k.cosineF64F32(n, sum, squares as Float64Array, otherSquares as Float64Array, G, Gn, a, an, b, bn, update, params, totals);
      } else {
        const [a, an, b, bn] = [d as Float64Array, dn, d2 as Float64Array, dn2 as Float64Array];
        if (f32(sum)) k.cosineF32F64(n, sum, squares as Float32Array, otherSquares as Float32Array, G, Gn, a, an, b, bn, update, params, totals);
        else k.cosineF64F64(n, sum, squares as Float64Array, otherSquares as Float64Array, G, Gn, a, an, b, bn, update, params, totals);
      }
      unpackTotals(t);
    },
  };
}

let native: { kernels: NativeKernels; passes: DiagonalPasses } | undefined;

/** The passes in use: native when the native kernels are (src/linalg/native-kernels.ts `kernelsInUse`), else JavaScript. */
export function diagonalPasses(): DiagonalPasses {
  const k = activeNativeKernels();
  if (k === undefined) return JAVASCRIPT_PASSES;
  if (native?.kernels !== k) native = { kernels: k, passes: nativePasses(k) };
  return native.passes;
}
