/**
 * The `reference` backend: every kernel as a plain float64 loop, written to be read. It is the oracle the
 * other backends are tested against and the fallback that runs everywhere. Storage is `Float64Array`;
 * inputs may also be `Float32Array` (they are read, never written, in their own precision).
 */
import { centredColumnSums } from './centred-rows.js';
import type { Backend, CentredSquares, CholeskyFactor, ColumnSums, EighOptions, SymmetricEigen, Vec } from './backend.js';
import { choleskyFactor } from './cholesky.js';
import { symmetricEigen } from './eigh.js';
import { StagingArea } from './staging.js';

export class ReferenceBackend implements Backend {
  readonly name = 'reference' as const;
  readonly detail = 'reference (float64 TypeScript loops)';
  readonly dtype = 'float64' as const;
  private readonly staging = new StagingArea();

  zeros(n: number): Float64Array {
    return new Float64Array(n);
  }

  dot(x: Vec, y: Vec): number {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }

  nrm2(x: Vec): number {
    // Scaled by the largest magnitude so that squares neither overflow nor underflow.
    let scale = 0;
    for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]));
    if (scale === 0 || !Number.isFinite(scale)) return scale;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const t = x[i] / scale;
      s += t * t;
    }
    return scale * Math.sqrt(s);
  }

  axpby(alpha: number, x: Vec, beta: number, y: Vec): void {
    for (let i = 0; i < y.length; i++) y[i] = alpha * x[i] + scaled(beta, y[i]);
  }

  syrkDiag(d: Vec, U: Vec, k: number, n: number, alpha: number, beta: number, columnSums?: ColumnSums, centred?: CentredSquares): void {
    if (centred !== undefined) {
      this.syrkDiagCentred(centred.out, U, k, n, centred.centre, centred.alpha, centred.beta);
      if (centred.sums !== undefined) centredColumnSums(centred.sums, U, k, n, centred.centre, centred.alpha, centred.beta);
    }
    // d_i ← β d_i + α Σ_r U_ri² (and out_i ← β' out_i + α' Σ_r U_ri), summed in float64 row by row
    // (rows of U are contiguous).
    const sumOfSquares = new Float64Array(n);
    const sums = new Float64Array(columnSums === undefined ? 0 : n);
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < n; i++) sumOfSquares[i] += U[r * n + i] ** 2;
      if (columnSums !== undefined) for (let i = 0; i < n; i++) sums[i] += U[r * n + i];
    }
    for (let i = 0; i < n; i++) d[i] = scaled(beta, d[i]) + alpha * sumOfSquares[i];
    if (columnSums !== undefined) {
      const { out, alpha: a, beta: b } = columnSums;
      for (let i = 0; i < n; i++) out[i] = scaled(b, out[i]) + a * sums[i];
    }
  }

  stagingBuffer(bytes: number): Uint8Array {
    return this.staging.view(bytes);
  }

  syrkDiagCentred(d: Vec, U: Vec, k: number, n: number, centre: Vec, alpha: number, beta: number): void {
    // d_i ← β d_i + α Σ_r (U_ri − c_i)², in float64 row by row.
    const sumOfSquares = new Float64Array(n);
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < n; i++) sumOfSquares[i] += (U[r * n + i] - centre[i]) ** 2;
    }
    for (let i = 0; i < n; i++) d[i] = scaled(beta, d[i]) + alpha * sumOfSquares[i];
  }

  diagSolve(d: Vec, s: number, lambda: number, v: Vec, out: Vec): void {
    for (let i = 0; i < out.length; i++) out[i] = v[i] / (d[i] * s + lambda);
  }

  gemv(trans: boolean, m: number, n: number, alpha: number, A: Vec, x: Vec, beta: number, y: Vec): void {
    if (!trans) {
      // y_i ← β y_i + α Σ_j A_ij x_j
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
        y[i] = scaled(beta, y[i]) + alpha * s;
      }
    } else {
      // y_j ← β y_j + α Σ_i A_ij x_i
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += A[i * n + j] * x[i];
        y[j] = scaled(beta, y[j]) + alpha * s;
      }
    }
  }

  syrk(C: Vec, n: number, U: Vec, k: number, alpha: number, beta: number): void {
    // UᵀU = Σ_r U_rᵀ U_r as rank-1 updates of the upper triangle (row r of U is contiguous), in float64.
    const gram = new Float64Array(n * n);
    for (let r = 0; r < k; r++) {
      const row = r * n;
      for (let i = 0; i < n; i++) {
        const ui = U[row + i];
        for (let j = i; j < n; j++) gram[i * n + j] += ui * U[row + j];
      }
    }
    // C_ij ← β C_ij + α (UᵀU)_ij on the upper triangle, then mirrored so that C stays exactly symmetric.
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) C[i * n + j] = scaled(beta, C[i * n + j]) + alpha * gram[i * n + j];
      for (let j = 0; j < i; j++) C[i * n + j] = C[j * n + i];
    }
  }

  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number,
    alpha: number, A: Vec, B: Vec, beta: number, C: Vec,
  ): void {
    // op(A)_ip = A[i*k + p] (A m×k) or A[p*m + i] (A stored k×m); op(B)_pj likewise with B k×n or n×k.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const a = transA ? A[p * m + i] : A[i * k + p];
          const b = transB ? B[j * k + p] : B[p * n + j];
          s += a * b;
        }
        C[i * n + j] = scaled(beta, C[i * n + j]) + alpha * s;
      }
    }
  }

  cholesky(A: Vec, n: number, lambda: number): CholeskyFactor {
    return choleskyFactor(A, n, lambda);
  }

  /** `options.overwrite` is ignored: A is only read (tred2/tql2 work on their own copy). */
  eigh(A: Vec, n: number, _options?: EighOptions): SymmetricEigen {
    return symmetricEigen(A, n);
  }

  dispose(): void {}
}

/** β·y with BLAS's convention that β = 0 overwrites: y is not read, so a NaN in it does not propagate. */
export function scaled(beta: number, y: number): number {
  return beta === 0 ? 0 : beta * y;
}

export function createReferenceBackend(): ReferenceBackend {
  return new ReferenceBackend();
}
