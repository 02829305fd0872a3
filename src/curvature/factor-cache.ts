/**
 * The Cholesky factor of an estimate's damped matrix, kept while neither the matrix nor the damping change,
 * and whose storage is recycled into the next factor once the matrix does change.
 *
 * Why recycle: on this host a fresh n×n float64 array costs more than factoring it (first-touch page
 * faults: ~110 CPU-ms for the 32 MiB at n = 2048, against ~70–100 ms for dpotrf), and a running estimate
 * factors a new matrix every step. Backends that can factor into the storage of a factor the caller is done
 * with take it as the optional `reuse` argument of `Backend.cholesky` (openblas does; the others ignore it).
 */
import type { Backend, CholeskyFactor, Vec } from '../linalg/backend.js';

export class DampedFactorCache {
  private current: { damping: number; factor: CholeskyFactor } | undefined;
  /** The last factor, no longer valid for the matrix, whose storage the next factorization may take. */
  private spare: CholeskyFactor | undefined;
  constructor(private readonly factorizer: Backend) {}

  /**
   * The factor of `A + shift·I` (A n×n, upper triangle read), cached for `damping`: the caller's λ, of
   * which `shift` is a function that does not change while the matrix does not (e.g. (1−β^t)·λ).
   */
  factor(A: Vec, n: number, damping: number, shift: number): CholeskyFactor {
    const cached = this.current;
    if (cached !== undefined && cached.damping === damping) return cached.factor;
    // Whatever the outcome, the old factor is not used again (a throw leaves no factor cached).
    const reuse = cached?.factor ?? this.spare;
    this.current = undefined;
    this.spare = undefined;
    const factor = this.factorizer.cholesky(A, n, shift, reuse);
    this.current = { damping, factor };
    return factor;
  }

  /** The matrix changed: the cached factor becomes the spare. */
  invalidate(): void {
    if (this.current !== undefined) this.spare = this.current.factor;
    this.current = undefined;
  }
}
