/**
 * The largest eigenvalues of a symmetric operator given only as a mat-vec, by the Lanczos iteration with
 * full reorthogonalization (Golub & Van Loan, §10.1): used for `topEigenvalues` of estimates too large to
 * eigendecompose densely. Float64 throughout.
 *
 * Full reorthogonalization keeps the Krylov basis orthonormal to machine precision (plain Lanczos loses
 * orthogonality and reports spurious copies of converged eigenvalues) at the cost of storing the basis:
 * memory `m·n` float64 for m iterations, fine for the dimensions a dense estimate can have.
 */
import type { LinearOperator } from './cg.js';
import { symmetricEigen } from './eigh.js';

export interface LanczosOptions {
  /** Stop when every wanted Ritz pair has residual ‖A y − θ y‖ ≤ tolerance·s, s = max(|α_i|, β_j) ≈ ‖A‖. Default 1e-10. */
  tolerance?: number;
  /** Most Lanczos steps (basis vectors). Default `min(n, max(2k + 40, 100))`. */
  maxIterations?: number;
  /** Seed of the deterministic pseudo-random start vector (the same seed gives the same result). Default 1. */
  seed?: number;
}

export interface LanczosResult {
  /** The min(k, n) largest eigenvalues, descending. */
  values: Float64Array;
  /** Lanczos steps taken. */
  iterations: number;
  /** Whether every returned value met the tolerance (always true when the basis spans the whole space). */
  converged: boolean;
}

/** Ritz values are checked for convergence every this many steps (each check is an O(m³) dense eigh). */
const CHECK_EVERY = 10;

/** The k largest eigenvalues of the symmetric n×n operator `matvec`. */
export function lanczosTopEigenvalues(matvec: LinearOperator, n: number, k: number, options: LanczosOptions = {}): LanczosResult {
  const wanted = Math.min(k, n);
  if (wanted <= 0) return { values: new Float64Array(0), iterations: 0, converged: true };
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = Math.min(n, options.maxIterations ?? Math.max(2 * wanted + 40, 100));
  const random = xorshift(options.seed ?? 1);

  const basis: Float64Array[] = []; // q_1 … q_j, orthonormal
  const alpha: number[] = []; // diagonal of the tridiagonal T_j
  const beta: number[] = []; // beta[i] couples q_{i+1} and q_{i+2}; 0 where the iteration restarted
  const w = new Float64Array(n);
  let next = startVector(n, random, basis);
  let lastNorm = 0; // β_j, the norm of the residual that would give q_{j+1}

  for (let j = 1; j <= maxIterations; j++) {
    if (next === undefined) break; // the basis already spans the whole space
    const q = next;
    basis.push(q);
    matvec(q, w);
    const a = dotProduct(q, w);
    alpha.push(a);
    // w ← A q_j − α_j q_j − β_{j−1} q_{j−1}, then reorthogonalized against the whole basis (twice is enough).
    for (let i = 0; i < n; i++) w[i] -= a * q[i];
    if (j > 1) {
      const prev = basis[j - 2]!;
      const b = beta[j - 2]!;
      for (let i = 0; i < n; i++) w[i] -= b * prev[i];
    }
    for (let pass = 0; pass < 2; pass++) orthogonalize(w, basis);
    lastNorm = Math.sqrt(dotProduct(w, w));

    const done = j === maxIterations || j === n;
    if (done || j % CHECK_EVERY === 0) {
      const ritz = ritzValues(alpha, beta, lastNorm, wanted);
      const scale = Math.max(...alpha.map(Math.abs), lastNorm, Number.MIN_VALUE);
      const converged = j === n || ritz.residuals.every((r) => r <= tolerance * scale);
      if (converged || done) {
        return { values: ritz.values, iterations: j, converged: converged && ritz.values.length === wanted };
      }
    }
    // An invariant subspace was found (β ≈ 0): restart with a fresh direction orthogonal to the basis,
    // with a zero coupling so that T stays block diagonal.
    if (lastNorm <= 1e-12 * Math.max(1, Math.abs(a))) {
      beta.push(0);
      next = startVector(n, random, basis);
    } else {
      beta.push(lastNorm);
      next = Float64Array.from(w, (v) => v / lastNorm);
    }
  }
  const ritz = ritzValues(alpha, beta, 0, wanted);
  return { values: ritz.values, iterations: basis.length, converged: true };
}

/** Eigenvalues of T_j (descending, the first `wanted`) and their residual bounds |β_j · e_jᵀ s_i|. */
function ritzValues(alpha: number[], beta: number[], lastNorm: number, wanted: number): { values: Float64Array; residuals: number[] } {
  const m = alpha.length;
  const T = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    T[i * m + i] = alpha[i]!;
    if (i + 1 < m) {
      T[i * m + i + 1] = beta[i]!;
      T[(i + 1) * m + i] = beta[i]!;
    }
  }
  const eig = symmetricEigen(T, m);
  const count = Math.min(wanted, m);
  const residuals: number[] = [];
  for (let i = 0; i < count; i++) residuals.push(Math.abs(lastNorm * eig.vectors[i * m + m - 1]!));
  return { values: eig.values.slice(0, count), residuals };
}

/** A unit pseudo-random vector orthogonal to `basis`, or undefined when the basis spans everything. */
function startVector(n: number, random: () => number, basis: readonly Float64Array[]): Float64Array | undefined {
  if (basis.length >= n) return undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const v = Float64Array.from({ length: n }, () => random() - 0.5);
    for (let pass = 0; pass < 2; pass++) orthogonalize(v, basis);
    const norm = Math.sqrt(dotProduct(v, v));
    if (norm > 1e-8) return v.map((x) => x / norm);
  }
  return undefined;
}

/** v ← v − Σ_q (qᵀv) q (classical Gram–Schmidt; callers run it twice). */
function orthogonalize(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const q of basis) {
    const c = dotProduct(q, v);
    for (let i = 0; i < v.length; i++) v[i] -= c * q[i];
  }
}

function dotProduct(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** Marsaglia's xorshift32, mapped to [0, 1): a tiny deterministic generator for start vectors. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}
