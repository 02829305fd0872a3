/**
 * Symmetric eigendecomposition in float64 plain TypeScript: Householder reduction to tridiagonal form
 * followed by the implicit QL algorithm (EISPACK's tred2/tql2, in the form of JAMA's public-domain
 * `EigenvalueDecomposition`). Shared by the `reference` and `gpujs` backends; `openblas` calls LAPACK's
 * dsyevd instead. O(n³) with a small constant, so fine for the few-hundred-sized matrices of the low-rank
 * structure and tolerable (seconds) at n ≈ 2000.
 *
 * Only the upper triangle of A (row-major) is read, the same memory LAPACK's column-major 'L' reads.
 */
import { FisherdError } from '../errors.js';
import type { SymmetricEigen } from './backend.js';

/** QL sweeps allowed per eigenvalue; 30 is LAPACK's limit and is rarely approached (2–3 is typical). */
const MAX_QL_SWEEPS = 30;

/** Eigenvalues (descending) and eigenvectors (rows) of the symmetric n×n matrix whose upper triangle is in A. */
export function symmetricEigen(A: ArrayLike<number>, n: number): SymmetricEigen {
  // V[i*n + j] = A_ij, the full symmetric matrix rebuilt from the upper triangle.
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const a = A[i * n + j];
      V[i * n + j] = a;
      V[j * n + i] = a;
    }
  }
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tridiagonalize(V, n, d, e);
    // tql2 rotates pairs of columns of V; rotating rows of Vᵀ instead keeps the inner loop contiguous,
    // and rows of Vᵀ are the eigenvectors in the layout `SymmetricEigen.vectors` asks for.
    transposeInPlace(V, n);
    diagonalizeTridiagonal(V, n, d, e);
  }
  return sortDescending(d, V, n);
}

/** tred2: V ← the orthogonal Q of A = Q T Qᵀ; d, e ← the diagonal and subdiagonal (e[0] = 0) of T. */
function tridiagonalize(V: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      // Generate the Householder vector.
      for (let k = 0; k < i; k++) {
        d[k] = d[k] / scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] = e[k] + V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j] / h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j] - hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j] - (f * e[k] + g * d[k]);
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j] - g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * tql2: diagonalizes the tridiagonal (d, e) by implicit QL with Wilkinson-like shifts, applying every
 * rotation to the rows of W (= Vᵀ). On return d holds the eigenvalues and row j of W the eigenvector of d[j].
 */
function diagonalizeTridiagonal(W: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    // Find a small subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && !(Math.abs(e[m]) <= eps * tst1)) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_QL_SWEEPS) {
          throw new FisherdError('INTERNAL', `eigh: QL iteration did not converge for eigenvalue ${l} of ${n} (non-finite input?)`);
        }
        // Compute the implicit shift.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] = d[i] - h;
        f += h;
        // Implicit QL transformation.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // Rotate eigenvector rows i and i+1.
          const rowI = i * n;
          const rowI1 = rowI + n;
          for (let k = 0; k < n; k++) {
            const wk1 = W[rowI1 + k];
            const wk = W[rowI + k];
            W[rowI1 + k] = s * wk + c * wk1;
            W[rowI + k] = c * wk - s * wk1;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (!(Math.abs(e[l]) <= eps * tst1));
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
}

function transposeInPlace(M: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const t = M[i * n + j];
      M[i * n + j] = M[j * n + i];
      M[j * n + i] = t;
    }
  }
}

/** Orders eigenpairs by descending eigenvalue (rows of W move with their values). */
function sortDescending(d: Float64Array, W: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[b] - d[a]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    vectors.set(W.subarray(src * n, src * n + n), dst * n);
  });
  return { n, values, vectors };
}
