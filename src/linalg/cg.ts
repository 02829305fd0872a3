/**
 * Conjugate gradients for the damped system `(A + λI) x = b`, A symmetric positive semi-definite and
 * given only as a mat-vec closure: the solver for full estimates too large to factor (math.md, structures:
 * "Cholesky (float64), or conjugate gradients with backend mat-vecs"). Float64 throughout; optionally
 * Jacobi-preconditioned with the diagonal of A, which estimates expose cheaply.
 */
import { FisherdError } from '../errors.js';

/** Writes `A·v` into `out` (length n). */
export type LinearOperator = (v: Float64Array, out: Float64Array) => void;

export interface ConjugateGradientOptions {
  /** Stop when ‖b − (A+λI)x‖₂ ≤ tolerance·‖b‖₂. Default 1e-10. */
  tolerance?: number;
  /** Most iterations; in exact arithmetic CG converges in ≤ n. Default `max(50, 2n)`. */
  maxIterations?: number;
  /** Starting point (not modified). Default zeros. */
  initialGuess?: Float64Array;
  /** diag(A); when given, the preconditioner is `M = diag(A) + λI` (Jacobi). Default none. */
  diagonal?: Float64Array;
}

export interface ConjugateGradientResult {
  x: Float64Array;
  iterations: number;
  /** ‖b − (A+λI)x‖₂ of the returned x, as tracked by the recurrence. */
  residualNorm: number;
  converged: boolean;
}

/**
 * Solves `(A + λI) x = b`. Returns the last iterate with `converged: false` when `maxIterations` runs out
 * (the caller decides whether that is an error). Throws `FisherdError('NOT_POSITIVE_DEFINITE')` when a
 * search direction has non-positive curvature pᵀ(A+λI)p ≤ 0, i.e. the damped operator is not SPD.
 */
export function conjugateGradient(
  matvec: LinearOperator, b: Float64Array, damping: number, options: ConjugateGradientOptions = {},
): ConjugateGradientResult {
  const n = b.length;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? Math.max(50, 2 * n);
  const preconditioner = options.diagonal;
  const x = options.initialGuess ? Float64Array.from(options.initialGuess) : new Float64Array(n);
  const r = new Float64Array(n); // residual b − (A+λI)x
  const z = new Float64Array(n); // preconditioned residual M⁻¹r
  const p = new Float64Array(n); // search direction
  const Ap = new Float64Array(n); // (A+λI)p

  const applyDamped = (v: Float64Array, out: Float64Array): void => {
    matvec(v, out);
    for (let i = 0; i < n; i++) out[i] += damping * v[i];
  };
  const precondition = (): void => {
    for (let i = 0; i < n; i++) z[i] = preconditioner ? r[i] / (preconditioner[i] + damping) : r[i];
  };

  const bNorm = Math.sqrt(dot(b, b));
  if (options.initialGuess) {
    applyDamped(x, Ap);
    for (let i = 0; i < n; i++) r[i] = b[i] - Ap[i];
  } else {
    r.set(b);
  }
  let residualNorm = Math.sqrt(dot(r, r));
  const target = tolerance * bNorm;
  if (residualNorm <= target) return { x, iterations: 0, residualNorm, converged: true };

  precondition();
  p.set(z);
  let rz = dot(r, z);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    applyDamped(p, Ap);
    const curvature = dot(p, Ap);
    if (!(curvature > 0)) {
      throw new FisherdError(
        'NOT_POSITIVE_DEFINITE',
        `conjugate gradients: A + λI (n=${n}, λ=${damping}) has non-positive curvature pᵀ(A+λI)p = ${curvature}; increase the damping`,
      );
    }
    const stepLength = rz / curvature;
    for (let i = 0; i < n; i++) {
      x[i] += stepLength * p[i];
      r[i] -= stepLength * Ap[i];
    }
    residualNorm = Math.sqrt(dot(r, r));
    if (residualNorm <= target) return { x, iterations: iteration, residualNorm, converged: true };
    precondition();
    const rzNext = dot(r, z);
    const conjugation = rzNext / rz;
    rz = rzNext;
    for (let i = 0; i < n; i++) p[i] = z[i] + conjugation * p[i];
  }
  return { x, iterations: maxIterations, residualNorm, converged: false };
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}
