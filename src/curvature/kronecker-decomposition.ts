/**
 * The eigendecompositions behind a Kronecker block's solves (math.md, "Kronecker factors (K-FAC)"), as a
 * pure job → result pair so that the O(out³ + in'³) work can run away from the event loop: the estimate
 * hands out a `KroneckerRefreshJob` (copies of its bias-corrected factors), anything with a backend's
 * `eigh` — the main thread, a worker thread with its own backend — turns it into a
 * `KroneckerDecomposition`, and the estimate installs that. Both are plain data (numbers and
 * Float64Arrays), so they cross `postMessage` and go into snapshots as they are.
 */
import { FisherdError } from '../errors.js';
import type { Backend } from '../linalg/backend.js';
import { lanczosTopEigenvalues } from '../linalg/lanczos.js';
import { ReferenceBackend } from '../linalg/reference.js';

/**
 * What a refresh decomposes: the bias-corrected factors Ā (in' × in') and Ḡ (out × out) at one moment, in
 * arrays of the job's own (`decomposeKroneckerFactors` consumes them).
 */
export interface KroneckerRefreshJob {
  /** The version the decomposition will carry (increasing per estimate). */
  version: number;
  /** The estimate's factor updates (t) when the job was made. */
  factorUpdates: number;
  outputs: number;
  inputOrder: number;
  inputFactor: Float64Array;
  outputGradFactor: Float64Array;
  /**
   * π-damping blocks: the λ their solves are expected to use after this refresh (the session's damping at
   * the step that installs it). The decomposition then also carries the damped factors' inverses for it
   * (`dampedInverses`), formed where the eigendecomposition is (a refresh thread) instead of in the
   * first solve. Absent: none formed (a solve forms them itself).
   */
  piDamping?: number;
  /** With `piDamping`: the solves the inverses are expected to serve (`dampedInverses`' `uses`). Default 1. */
  inverseUses?: number;
  /**
   * The block's solves multiply in float32 (float32 storage, math.md "Precision"): the decomposition then
   * also carries its eigenvectors, and the damped inverses their inverses, rounded to float32
   * (`vectors32`, `DampedInverses.inverses32`), formed where it is formed instead of in the first solve.
   */
  single?: boolean;
  /**
   * With `piDamping`, for a block whose solves apply both damped factors as their inverses (`dampedInverses`'
   * rule at `inverseUses`): the refresh forms the inverses (Ḡ + √λ/π I)⁻¹ and (Ā + π√λ I)⁻¹ by Cholesky
   * (LAPACK potrf + potri: n³·4/3 flops a factor, against dsyevd's ~9n³ and the inverse's n³ after it) and
   * the factors' top eigenvalues by Lanczos, and keeps the factors for another λ (Cholesky again) or an
   * eigendecomposition when something asks for one (`KroneckerInverseOnly`).
   */
  inverseOnly?: boolean;
}

/** The top eigenvalues an inverse-only refresh computes per factor (Lanczos): enough for the per-layer top 3. */
export const INVERSE_ONLY_TOP = 3;

/**
 * What an inverse-only refresh keeps instead of the eigendecomposition (the decomposition's eigenvalue and
 * eigenvector arrays are then empty): the bias-corrected factors it inverted, and their top eigenvalues.
 */
export interface KroneckerInverseOnly {
  /** Ā (in' × in'), the job's. */
  inputFactor: Float64Array;
  /** Ḡ (out × out). */
  outputGradFactor: Float64Array;
  /** The largest min(INVERSE_ONLY_TOP, in') eigenvalues of Ā, descending, clamped at 0 (Lanczos: residuals ≤ 1e-8·‖Ā‖). */
  inputTop: Float64Array;
  outputTop: Float64Array;
}

/** Eigenvectors (or damped inverses) rounded to float32 once, for float32 solves: derived data, never saved. */
export interface SingleMatrices {
  output?: Float32Array;
  input?: Float32Array;
}

/**
 * Ā = V_A diag(inputValues) V_Aᵀ and Ḡ = V_G diag(outputValues) V_Gᵀ, eigenvalues descending and clamped
 * at 0 (both factors are PSD; LAPACK may return −1e-17 for a zero eigenvalue), eigenvectors as rows
 * (`inputVectors[j·in' + i]` is component i of the j-th eigenvector, i.e. the rows of V_Aᵀ), and
 * π = √((tr Ā / in') / (tr Ḡ / out)) for π-damping (1 when either trace is 0).
 */
export interface KroneckerDecomposition {
  version: number;
  factorUpdates: number;
  inputValues: Float64Array;
  inputVectors: Float64Array;
  outputValues: Float64Array;
  outputVectors: Float64Array;
  pi: number;
  /**
   * For a job with `piDamping`: π-damping's solve factors at that λ (`dampedInverses`), unless some damped
   * eigenvalue product is not > 0 there. Derived data: snapshots leave it out.
   */
  dampedInverses?: DampedInverses;
  /** For a job with `single`: `outputVectors` and `inputVectors` rounded to float32. Derived data: snapshots leave it out. */
  vectors32?: SingleMatrices;
  /**
   * Of an inverse-only refresh (`KroneckerRefreshJob.inverseOnly`): the factors and their top eigenvalues;
   * the four eigen arrays above are then empty until `eigendecomposed` completes them (on demand).
   */
  inverseOnly?: KroneckerInverseOnly;
}

/**
 * π-damping's solve factors for one decomposition and one λ (src/curvature/kronecker-estimate.ts
 * `solvePi`): the inverse damped eigenvalues and, for a factor whose inverse costs no more to form (n³ for a
 * syrk) than it saves over the `uses` solves it is expected to serve (2·out²·in' per solve for Ḡ, 2·out·in'²
 * for Ā: one product instead of two), i.e. out ≤ 2·in'·uses for Ḡ and in' ≤ 2·out·uses for Ā, that inverse.
 */
export interface DampedInverses {
  damping: number;
  /** 1/(λ_G,o + √λ/π). */
  outputScale: Float64Array;
  /** 1/(λ_A,i + π√λ). */
  inputScale: Float64Array;
  /** (Ḡ + √λ/π I)⁻¹ = V_G diag(outputScale) V_Gᵀ, out × out. */
  outputInverse?: Float64Array;
  /** (Ā + π√λ I)⁻¹, in' × in'. */
  inputInverse?: Float64Array;
  /** With `single`: the inverses above rounded to float32 (those that are formed). */
  inverses32?: SingleMatrices;
}

/**
 * The `DampedInverses` of decomposition `d` (out = outputValues.length, in' = inputValues.length) at λ =
 * `damping` for `uses` ≥ 1 solves (default 1: the inverses pay within one solve), formed with `float64`'s syrk (Float64Array kernels that run in float64), or undefined when
 * some product (λ_G,o + √λ/π)(λ_A,i + π√λ) is not > 0 (the solve then reports it). A pure function of its
 * inputs: wherever it runs (a refresh thread or the solve), the same bits on the same kind of backend.
 */
export function dampedInverses(d: KroneckerDecomposition, damping: number, float64: Pick<Backend, 'syrk'>, uses = 1, single = false): DampedInverses | undefined {
  const outputs = d.outputValues.length;
  const inputOrder = d.inputValues.length;
  const sqrtDamping = Math.sqrt(damping);
  const outputShift = sqrtDamping / d.pi;
  const inputShift = d.pi * sqrtDamping;
  let minOutput = Infinity;
  let minInput = Infinity;
  for (let o = 0; o < outputs; o++) minOutput = Math.min(minOutput, d.outputValues[o] + outputShift);
  for (let i = 0; i < inputOrder; i++) minInput = Math.min(minInput, d.inputValues[i] + inputShift);
  // Every product is > 0 exactly when the product of the two minima is (a NaN makes a minimum NaN).
  if (!(minOutput * minInput > 0)) return undefined;
  const outputScale = new Float64Array(outputs);
  const inputScale = new Float64Array(inputOrder);
  for (let o = 0; o < outputs; o++) outputScale[o] = 1 / (d.outputValues[o] + outputShift);
  for (let i = 0; i < inputOrder; i++) inputScale[i] = 1 / (d.inputValues[i] + inputShift);
  const outputInverse = outputs <= 2 * inputOrder * uses ? inverseFromEigen(d.outputVectors, outputScale, outputs, float64) : undefined;
  const inputInverse = inputOrder <= 2 * outputs * uses ? inverseFromEigen(d.inputVectors, inputScale, inputOrder, float64) : undefined;
  return {
    damping, outputScale, inputScale,
    ...(outputInverse === undefined ? {} : { outputInverse }),
    ...(inputInverse === undefined ? {} : { inputInverse }),
    ...(single ? { inverses32: rounded(outputInverse, inputInverse) } : {}),
  };
}

/** Float32 copies of the matrices given. */
export function rounded(output: Float64Array | undefined, input: Float64Array | undefined): SingleMatrices {
  return { ...(output === undefined ? {} : { output: new Float32Array(output) }), ...(input === undefined ? {} : { input: new Float32Array(input) }) };
}

/** Qᵀ diag(w) Q (Q: eigenvectors as rows, w > 0) as the syrk UᵀU of U = diag(√w) Q. */
function inverseFromEigen(Q: Float64Array, w: Float64Array, n: number, float64: Pick<Backend, 'syrk'>): Float64Array {
  const U = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const r = Math.sqrt(w[k]);
    const row = k * n;
    for (let j = 0; j < n; j++) U[row + j] = r * Q[row + j];
  }
  const C = new Float64Array(n * n);
  float64.syrk(C, n, U, n, 1, 0);
  return C;
}

/** The backend whose Float64Array kernels run in float64: `backend` itself, except gpujs (float32 kernels): the reference one. */
export function float64Kernels(backend: Backend): Backend {
  return backend.name === 'gpujs' ? new ReferenceBackend() : backend;
}

/**
 * Decomposes a job's factors through `backend.eigh` (float64 on every backend: LAPACK dsyevd on openblas),
 * and for a job with `piDamping` forms `dampedInverses` with `float64` (default `float64Kernels(backend)`).
 * Consumes the job: its factor arrays (copies made for it) are given to `eigh` (`overwrite`), which on
 * openblas decomposes them in place and returns them as the eigenvectors; do not read them afterwards.
 */
export function decomposeKroneckerFactors(job: KroneckerRefreshJob, backend: Backend, float64: Pick<Backend, 'syrk'> = float64Kernels(backend)): KroneckerDecomposition {
  const { outputs, inputOrder, inputFactor, outputGradFactor } = job;
  const traceA = diagonalSum(inputFactor, inputOrder);
  const traceG = diagonalSum(outputGradFactor, outputs);
  if (job.inverseOnly === true && job.piDamping !== undefined) {
    const pi = traceA > 0 && traceG > 0 ? Math.sqrt(traceA / inputOrder / (traceG / outputs)) : 1;
    const inverses = choleskyInverses(inputFactor, outputGradFactor, pi, job.piDamping, backend, job.single === true);
    // a damped factor that is not positive definite at this λ: the eigendecomposition (its solve then names the product)
    if (inverses !== undefined) {
      const empty = new Float64Array(0);
      return {
        version: job.version, factorUpdates: job.factorUpdates, pi,
        inputValues: empty, inputVectors: empty, outputValues: empty, outputVectors: empty,
        dampedInverses: inverses,
        inverseOnly: {
          inputFactor, outputGradFactor,
          inputTop: topEigenvalues(inputFactor, inputOrder, backend), outputTop: topEigenvalues(outputGradFactor, outputs, backend),
        },
      };
    }
  }
  const input = backend.eigh(inputFactor, inputOrder, { overwrite: true });
  const output = backend.eigh(outputGradFactor, outputs, { overwrite: true });
  const pi = traceA > 0 && traceG > 0 ? Math.sqrt(traceA / inputOrder / (traceG / outputs)) : 1;
  const decomposition: KroneckerDecomposition = {
    version: job.version,
    factorUpdates: job.factorUpdates,
    inputValues: clampNonNegative(input.values),
    inputVectors: input.vectors,
    outputValues: clampNonNegative(output.values),
    outputVectors: output.vectors,
    pi,
  };
  if (job.single === true) decomposition.vectors32 = rounded(decomposition.outputVectors, decomposition.inputVectors);
  if (job.piDamping === undefined) return decomposition;
  const inverses = dampedInverses(decomposition, job.piDamping, float64, job.inverseUses, job.single === true);
  return inverses === undefined ? decomposition : { ...decomposition, dampedInverses: inverses };
}

/**
 * π-damping's two damped inverses, (Ḡ + √λ/π I)⁻¹ and (Ā + π√λ I)⁻¹, by Cholesky (`Backend.cholesky` with the
 * shift, then its `inverse`), or undefined when either damped factor is not numerically positive definite.
 * Their scales are empty: an inverse-only decomposition's solves apply both inverses.
 */
export function choleskyInverses(
  inputFactor: Float64Array, outputGradFactor: Float64Array, pi: number, damping: number, backend: Backend, single: boolean,
): DampedInverses | undefined {
  const sqrtDamping = Math.sqrt(damping);
  let outputInverse: Float64Array;
  let inputInverse: Float64Array;
  try {
    outputInverse = backend.cholesky(outputGradFactor, Math.round(Math.sqrt(outputGradFactor.length)), sqrtDamping / pi).inverse();
    inputInverse = backend.cholesky(inputFactor, Math.round(Math.sqrt(inputFactor.length)), pi * sqrtDamping).inverse();
  } catch (e) {
    if (e instanceof FisherdError && e.code === 'NOT_POSITIVE_DEFINITE') return undefined;
    throw e;
  }
  const empty = new Float64Array(0);
  return {
    damping, outputScale: empty, inputScale: empty, outputInverse, inputInverse,
    ...(single ? { inverses32: rounded(outputInverse, inputInverse) } : {}),
  };
}

/** The largest min(INVERSE_ONLY_TOP, n) eigenvalues of the symmetric PSD n×n `M`, descending, clamped at 0. */
function topEigenvalues(M: Float64Array, n: number, backend: Backend): Float64Array {
  const k = Math.min(INVERSE_ONLY_TOP, n);
  if (n <= 64) return clampNonNegative(backend.eigh(M, n).values.slice(0, k)); // small: exactly
  const { values } = lanczosTopEigenvalues((v, out) => backend.gemv(false, n, n, 1, M, v, 0, out), n, k, { tolerance: 1e-8 });
  return clampNonNegative(values);
}

/**
 * `d` with its eigendecomposition: `d` itself unless it is of an inverse-only refresh not yet completed, else
 * `d` with the eigendecomposition of the factors it kept filled in (its version, clock, π, damped inverses
 * and `inverseOnly` unchanged: solves at other λ still factor the kept factors, so that a solve's result does
 * not depend on whether something asked for the eigendecomposition before).
 */
export function eigendecomposed(d: KroneckerDecomposition, backend: Backend): KroneckerDecomposition {
  const kept = d.inverseOnly;
  if (kept === undefined || d.inputValues.length > 0) return d;
  const outputs = Math.round(Math.sqrt(kept.outputGradFactor.length));
  const inputOrder = Math.round(Math.sqrt(kept.inputFactor.length));
  const input = backend.eigh(kept.inputFactor, inputOrder);
  const output = backend.eigh(kept.outputGradFactor, outputs);
  const { vectors32: _, ...rest } = d;
  return {
    ...rest,
    inputValues: clampNonNegative(input.values), inputVectors: input.vectors,
    outputValues: clampNonNegative(output.values), outputVectors: output.vectors,
  };
}

function diagonalSum(M: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += M[i * n + i];
  return s;
}

function clampNonNegative(values: Float64Array): Float64Array {
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) if (!(out[i] > 0)) out[i] = 0;
  return out;
}
