/**
 * The eigendecompositions behind a Kronecker block's solves (math.md, "Kronecker factors (K-FAC)"), as a
 * pure job → result pair so that the O(out³ + in'³) work can run away from the event loop: the estimate
 * hands out a `KroneckerRefreshJob` (copies of its bias-corrected factors), anything with a backend's
 * `eigh` — the main thread, a worker thread with its own backend — turns it into a
 * `KroneckerDecomposition`, and the estimate installs that. Both are plain data (numbers and
 * Float64Arrays), so they cross `postMessage` and go into snapshots as they are.
 */
import type { Backend } from '../linalg/backend.js';

/** What a refresh decomposes: the bias-corrected factors Ā (in' × in') and Ḡ (out × out) at one moment. */
export interface KroneckerRefreshJob {
  /** The version the decomposition will carry (increasing per estimate). */
  version: number;
  /** The estimate's factor updates (t) when the job was made. */
  factorUpdates: number;
  outputs: number;
  inputOrder: number;
  inputFactor: Float64Array;
  outputGradFactor: Float64Array;
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
}

/** Decomposes a job's factors through `backend.eigh` (float64 on every backend: LAPACK dsyevd on openblas). */
export function decomposeKroneckerFactors(job: KroneckerRefreshJob, backend: Pick<Backend, 'eigh'>): KroneckerDecomposition {
  const { outputs, inputOrder, inputFactor, outputGradFactor } = job;
  const input = backend.eigh(inputFactor, inputOrder);
  const output = backend.eigh(outputGradFactor, outputs);
  const traceA = diagonalSum(inputFactor, inputOrder);
  const traceG = diagonalSum(outputGradFactor, outputs);
  const pi = traceA > 0 && traceG > 0 ? Math.sqrt(traceA / inputOrder / (traceG / outputs)) : 1;
  return {
    version: job.version,
    factorUpdates: job.factorUpdates,
    inputValues: clampNonNegative(input.values),
    inputVectors: input.vectors,
    outputValues: clampNonNegative(output.values),
    outputVectors: output.vectors,
    pi,
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
