/**
 * Full-batch kernels for the paper's grid search (Table 5) on its generalized linear models, f = xᵀθ:
 * the loss, the gradient and the Fisher or empirical Fisher at θ, each computed in the cheapest exact
 * way the model allows. The per-iteration work of NGD and EFGD is forming a D×D matrix, which does not
 * depend on the step size and cannot be shared between runs (each run has its own path), so the kernels
 * make the formation itself cheap (averaged loss, math.md):
 *
 * - **Linear regression** (σ² = 1 as in the paper, L = (1/2N) Σ (x_nᵀθ − y_n)²): everything is a
 *   polynomial in θ with coefficients fixed by the data, precomputed once:
 *   L = ½θᵀGθ − bᵀθ + c, ∇L = Gθ − b, F = G (constant), with G = XᵀX/N, b = Xᵀy/N, c = yᵀy/2N, and
 *   Ẽ = (1/N) Σ r_n² x_n x_nᵀ (eq. 15) = T(θ⊗θ) − 2U θ + V with the moment tensors
 *   T_{ij,kl} = (1/N) Σ x_i x_j x_k x_l, U_{ij,k} = (1/N) Σ y x_i x_j x_k, V_{ij} = (1/N) Σ y² x_i x_j.
 *   Per iteration O(D⁴/4) instead of O(N D²/2) (Powerplant: 225 vs 120 000 multiply-adds).
 * - **Logistic regression** (π = σ(xᵀθ) clipped as the paper's code): F = (1/N) Σ π(1−π) x xᵀ,
 *   Ẽ = (1/N) Σ (π − y)² x xᵀ; with a sparse X (a1a: 15 non-zeros in 120 columns) only the products of
 *   each row's non-zeros are accumulated (O(nnz²) per row), with a dense X the weighted rows go through
 *   the backend's syrk (OpenBLAS dsyrk for a float64 output).
 *
 * Only the upper triangle of a curvature matrix is guaranteed (what every backend's Cholesky reads);
 * `symmetrize` fills the lower one where a full matrix is needed.
 */
import type { Backend } from '../../linalg/backend.js';
import { FisherdError } from '../../errors.js';
import type { Examples } from '../problems/problem.js';

export type CurvatureKind = 'fisher' | 'empiricalFisher';

export interface GlmKernel {
  /** D. */
  readonly dim: number;
  /** True when the Fisher does not depend on θ (linear regression): its factorizations can be reused. */
  readonly constantFisher: boolean;
  /**
   * The largest value L can take, when it is bounded (the clipped logistic loss: −log c per example),
   * so that a runner can skip loss evaluations that could never trigger its divergence rule.
   */
  readonly lossBound: number;
  /** Sets the current θ. */
  setParams(theta: Float64Array): void;
  /** L at the current θ. */
  loss(): number;
  /** ∇L at the current θ. */
  gradient(out: Float64Array): void;
  /** The upper triangle (row-major, out[i*D + j], j ≥ i) of F or Ẽ at the current θ, without damping. */
  curvature(kind: CurvatureKind, out: Float64Array): void;
}

/** Copies the upper triangle of a row-major D×D matrix into its lower triangle. */
export function symmetrize(A: Float64Array, D: number): Float64Array {
  for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) A[j * D + i] = A[i * D + j];
  return A;
}

/** Linear least squares with σ² = 1, through its precomputed moments (see the module comment). */
export class LinearRegressionKernel implements GlmKernel {
  readonly dim: number;
  readonly constantFisher = true;
  readonly lossBound = Infinity;
  /** Number of upper-triangle pairs (i ≤ j), P = D(D+1)/2. */
  private readonly pairs: number;
  private readonly pairI: Int32Array;
  private readonly pairJ: Int32Array;
  /** G = XᵀX/N, full D×D. */
  private readonly gram: Float64Array;
  private readonly xty: Float64Array;
  private readonly halfMeanSquaredTarget: number;
  /** P×P: T[p*P + q] = (1/N) Σ x_i x_j x_k x_l · (2 if k ≠ l), q = (k, l). */
  private readonly fourth: Float64Array;
  /** P×D: U[p*D + k] = (1/N) Σ y x_i x_j x_k. */
  private readonly third: Float64Array;
  /** P: V[p] = (1/N) Σ y² x_i x_j. */
  private readonly second: Float64Array;
  private readonly theta: Float64Array;
  private readonly products: Float64Array;

  constructor(examples: Examples) {
    const { X, y, numExamples: N, numFeatures: D } = examples;
    this.dim = D;
    const P = (D * (D + 1)) / 2;
    this.pairs = P;
    this.pairI = new Int32Array(P);
    this.pairJ = new Int32Array(P);
    for (let i = 0, p = 0; i < D; i++) for (let j = i; j < D; j++, p++) {
      this.pairI[p] = i;
      this.pairJ[p] = j;
    }
    this.gram = new Float64Array(D * D);
    this.xty = new Float64Array(D);
    this.fourth = new Float64Array(P * P);
    this.third = new Float64Array(P * D);
    this.second = new Float64Array(P);
    const pairProducts = new Float64Array(P);
    let sumSquares = 0;
    for (let n = 0; n < N; n++) {
      const row = n * D;
      const yn = y[n];
      sumSquares += yn * yn;
      for (let p = 0; p < P; p++) pairProducts[p] = X[row + this.pairI[p]] * X[row + this.pairJ[p]];
      for (let i = 0; i < D; i++) {
        this.xty[i] += X[row + i] * yn;
        for (let j = 0; j < D; j++) this.gram[i * D + j] += X[row + i] * X[row + j];
      }
      for (let p = 0; p < P; p++) {
        const xij = pairProducts[p];
        if (xij === 0) continue;
        const base = p * P;
        for (let q = 0; q < P; q++) this.fourth[base + q] += xij * pairProducts[q];
        for (let k = 0; k < D; k++) this.third[p * D + k] += yn * xij * X[row + k];
        this.second[p] += yn * yn * xij;
      }
    }
    for (let i = 0; i < D * D; i++) this.gram[i] /= N;
    for (let i = 0; i < D; i++) this.xty[i] /= N;
    for (let p = 0; p < P; p++) {
      for (let q = 0; q < P; q++) this.fourth[p * P + q] *= (this.pairI[q] === this.pairJ[q] ? 1 : 2) / N;
      for (let k = 0; k < D; k++) this.third[p * D + k] /= N;
      this.second[p] /= N;
    }
    this.halfMeanSquaredTarget = sumSquares / (2 * N);
    this.theta = new Float64Array(D);
    this.products = new Float64Array(P);
  }

  setParams(theta: Float64Array): void {
    this.theta.set(theta);
  }

  /** The precomputed moments (shared, not copies), for the batched grid (`batched.ts`). */
  moments(): {
    gram: Float64Array; xty: Float64Array; halfMeanSquaredTarget: number; pairs: number; pairI: Int32Array; pairJ: Int32Array;
    fourth: Float64Array; third: Float64Array; second: Float64Array;
  } {
    return {
      gram: this.gram, xty: this.xty, halfMeanSquaredTarget: this.halfMeanSquaredTarget, pairs: this.pairs, pairI: this.pairI, pairJ: this.pairJ,
      fourth: this.fourth, third: this.third, second: this.second,
    };
  }

  loss(): number {
    const D = this.dim;
    const theta = this.theta;
    // L = ½θᵀGθ − bᵀθ + c
    let quadratic = 0;
    let linear = 0;
    for (let i = 0; i < D; i++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += this.gram[i * D + j] * theta[j];
      quadratic += theta[i] * s;
      linear += this.xty[i] * theta[i];
    }
    return 0.5 * quadratic - linear + this.halfMeanSquaredTarget;
  }

  gradient(out: Float64Array): void {
    const D = this.dim;
    for (let i = 0; i < D; i++) {
      let s = -this.xty[i];
      for (let j = 0; j < D; j++) s += this.gram[i * D + j] * this.theta[j];
      out[i] = s;
    }
  }

  curvature(kind: CurvatureKind, out: Float64Array): void {
    const D = this.dim;
    if (kind === 'fisher') {
      out.set(this.gram); // F = XᵀX/(Nσ²), σ² = 1
      return;
    }
    // Ẽ_p = Σ_q T_pq θ_kθ_l − 2 Σ_k U_pk θ_k + V_p
    const P = this.pairs;
    const theta = this.theta;
    for (let q = 0; q < P; q++) this.products[q] = theta[this.pairI[q]] * theta[this.pairJ[q]];
    for (let p = 0; p < P; p++) {
      let s = this.second[p];
      const base = p * P;
      for (let q = 0; q < P; q++) s += this.fourth[base + q] * this.products[q];
      let t = 0;
      for (let k = 0; k < D; k++) t += this.third[p * D + k] * theta[k];
      out[this.pairI[p] * D + this.pairJ[p]] = s - 2 * t;
    }
  }
}

export interface LogisticKernelOptions {
  /** Clip π to [c, 1 − c] (paper's code: 1e-8). */
  probabilityClip: number;
  /** 'sparse' accumulates only each row's non-zero products; 'dense' uses `backend.syrk`. Default: by density. */
  representation?: 'sparse' | 'dense';
}

/** Logistic regression (labels 0/1), with the paper's clipped sigmoid. */
export class LogisticRegressionKernel implements GlmKernel {
  readonly dim: number;
  readonly constantFisher = false;
  readonly lossBound: number;
  readonly representation: 'sparse' | 'dense';
  private readonly N: number;
  private readonly X: Float64Array;
  private readonly y: Float64Array;
  private readonly clip: number;
  /** CSR of X: row n's non-zeros are columns[rowStart[n] .. rowStart[n+1]). */
  private readonly rowStart: Int32Array;
  private readonly columns: Int32Array;
  private readonly values: Float64Array;
  /**
   * Sparse formation, gathered per matrix entry: entry pairTarget[e] (= i·D + j, i ≤ j) of XᵀWX sums
   * w_n·x_ni·x_nj over the rows incidenceRow[pairStart[e] .. pairStart[e+1]) (products in
   * incidenceProduct, or all 1 for a 0/1 matrix). Gathering (one write per entry) runs about 2.5× faster
   * in V8 than scattering each row's products into the matrix.
   */
  private readonly pairTarget: Int32Array;
  private readonly pairStart: Int32Array;
  private readonly incidenceRow: Int32Array;
  private readonly incidenceProduct: Float64Array | undefined;
  private readonly logits: Float64Array;
  private readonly probability: Float64Array;
  private readonly residual: Float64Array;
  private readonly weight: Float64Array;
  private readonly weightedRows: Float64Array;

  constructor(examples: Examples, options: LogisticKernelOptions, private readonly backend: Backend) {
    const { X, y, numExamples: N, numFeatures: D } = examples;
    this.dim = D;
    this.N = N;
    this.X = X;
    this.y = y;
    this.clip = options.probabilityClip;
    this.lossBound = options.probabilityClip > 0 ? -Math.log(options.probabilityClip) : Infinity;
    let nnz = 0;
    let binary = true;
    for (let i = 0; i < X.length; i++) {
      if (X[i] !== 0) nnz++;
      if (X[i] !== 0 && X[i] !== 1) binary = false;
    }
    this.representation = options.representation ?? (nnz < 0.3 * N * D ? 'sparse' : 'dense');

    this.rowStart = new Int32Array(N + 1);
    this.columns = new Int32Array(nnz);
    this.values = new Float64Array(nnz);
    let k = 0;
    for (let n = 0; n < N; n++) {
      this.rowStart[n] = k;
      for (let j = 0; j < D; j++) {
        const v = X[n * D + j];
        if (v !== 0) {
          this.columns[k] = j;
          this.values[k++] = v;
        }
      }
    }
    this.rowStart[N] = k;

    const sparse = this.representation === 'sparse';
    const incidences = new Map<number, { rows: number[]; products: number[] }>();
    if (sparse) {
      for (let n = 0; n < N; n++) {
        for (let a = this.rowStart[n]; a < this.rowStart[n + 1]; a++) {
          for (let b = a; b < this.rowStart[n + 1]; b++) {
            const target = this.columns[a] * D + this.columns[b];
            let entry = incidences.get(target);
            if (entry === undefined) incidences.set(target, (entry = { rows: [], products: [] }));
            entry.rows.push(n);
            entry.products.push(this.values[a] * this.values[b]);
          }
        }
      }
    }
    this.pairTarget = Int32Array.from(incidences.keys());
    this.pairStart = new Int32Array(this.pairTarget.length + 1);
    const total = [...incidences.values()].reduce((sum, e) => sum + e.rows.length, 0);
    this.incidenceRow = new Int32Array(total);
    this.incidenceProduct = binary ? undefined : new Float64Array(total);
    let e = 0;
    let offset = 0;
    for (const entry of incidences.values()) {
      this.pairStart[e++] = offset;
      this.incidenceRow.set(entry.rows, offset);
      this.incidenceProduct?.set(entry.products, offset);
      offset += entry.rows.length;
    }
    this.pairStart[e] = offset;

    this.logits = new Float64Array(N);
    this.probability = new Float64Array(N);
    this.residual = new Float64Array(N);
    this.weight = new Float64Array(N);
    this.weightedRows = new Float64Array(sparse ? 0 : N * D);
  }

  setParams(theta: Float64Array): void {
    const { N, clip, probability, logits } = this;
    // z = Xθ through the backend (dgemv on openblas: ~10× the JS loop even for a1a's 12 % density)
    this.backend.gemv(false, N, this.dim, 1, this.X, theta, 0, logits);
    for (let n = 0; n < N; n++) {
      const z = logits[n];
      // σ(z) without overflow, then the paper's clip to [c, 1 − c]
      const e = Math.exp(-Math.abs(z));
      const sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      probability[n] = Math.min(Math.max(sigma, clip), 1 - clip);
    }
  }

  loss(): number {
    const { N, probability, y } = this;
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const p = probability[n];
      const yn = y[n];
      // −[y log π + (1 − y) log(1 − π)], one logarithm for a 0/1 label
      loss -= yn === 1 ? Math.log(p) : yn === 0 ? Math.log(1 - p) : yn * Math.log(p) + (1 - yn) * Math.log(1 - p);
    }
    return loss / N;
  }

  gradient(out: Float64Array): void {
    const { N, residual } = this;
    // ∇L = (1/N) Xᵀ(π − y)
    for (let n = 0; n < N; n++) residual[n] = this.probability[n] - this.y[n];
    this.backend.gemv(true, N, this.dim, 1 / N, this.X, residual, 0, out);
  }

  curvature(kind: CurvatureKind, out: Float64Array): void {
    const { N, weight } = this;
    for (let n = 0; n < N; n++) {
      const p = this.probability[n];
      const r = p - this.y[n];
      // F: (1/N) π(1 − π);  Ẽ: (1/N)(π − y)²
      weight[n] = kind === 'fisher' ? (p * (1 - p)) / N : (r * r) / N;
    }
    this.formWeighted(weight, out);
  }

  /**
   * The upper triangle of Xᵀ diag(w) X (row-major D×D) for per-example weights w (length N): the formation
   * `curvature` uses, open to the batched grid (`batched.ts`), which computes the weights of many runs.
   */
  formWeighted(weight: Float64Array, out: Float64Array): void {
    const { N, dim: D } = this;
    if (this.representation === 'sparse') {
      out.fill(0);
      const rows = this.incidenceRow;
      const products = this.incidenceProduct;
      for (let e = 0; e < this.pairTarget.length; e++) {
        let s0 = 0;
        let s1 = 0;
        let k = this.pairStart[e];
        const end = this.pairStart[e + 1];
        if (products === undefined) {
          for (; k + 1 < end; k += 2) {
            s0 += weight[rows[k]];
            s1 += weight[rows[k + 1]];
          }
          if (k < end) s0 += weight[rows[k]];
        } else {
          for (; k < end; k++) s0 += weight[rows[k]] * products[k];
        }
        out[this.pairTarget[e]] = s0 + s1;
      }
      return;
    }
    // Rows √w_n x_n, then C = UᵀU through the backend (dsyrk for the float64 output on openblas).
    const U = this.weightedRows;
    for (let n = 0; n < N; n++) {
      const s = Math.sqrt(weight[n]);
      for (let j = 0; j < D; j++) U[n * D + j] = s * this.X[n * D + j];
    }
    this.backend.syrk(out, D, U, N, 1, 0);
  }
}

/** The kernel for one of the paper's tasks. */
export function glmKernel(task: 'linear' | 'logistic', examples: Examples, backend: Backend, options: Partial<LogisticKernelOptions> = {}): GlmKernel {
  if (task === 'linear') return new LinearRegressionKernel(examples);
  if (task === 'logistic') return new LogisticRegressionKernel(examples, { probabilityClip: options.probabilityClip ?? PAPER_PROBABILITY_CLIP, ...(options.representation ? { representation: options.representation } : {}) }, backend);
  throw new FisherdError('INVALID_CONFIG', `unknown task ${String(task)}`, { field: 'task' });
}

/** σ's clip in the paper's code (`eftk.helpers.clip`, threshold 1e-8). */
export const PAPER_PROBABILITY_CLIP = 1e-8;
