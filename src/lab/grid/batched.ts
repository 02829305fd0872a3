/**
 * The grid's runs in lock-step: B runs of one optimizer advance together, their parameters stacked as the
 * rows of Θ (B×D), so that the data-dependent work of an iteration is a few matrix products through the
 * backend (OpenBLAS dgemm) instead of B matrix-vector products:
 *
 * - **Linear regression** (the moments of `LinearRegressionKernel`): ∇L for all runs is ΘG − 1bᵀ (one
 *   gemm), L from the same product, and the B empirical Fishers' upper triangles are Π Tᵀ − 2ΘUᵀ + 1Vᵀ with
 *   Π the B×P matrix of products θ_kθ_l (two gemms: B×P×P and B×D×P). F is constant: one LU per damping,
 *   shared by every run with that damping.
 * - **Logistic regression**: Z = ΘXᵀ (B×N) and ∇L = (Π(Z) − y)X/N by gemm; the curvatures of all runs are
 *   W Q with W the B×N per-example weights and Q the N×P products x_ix_j (dense X: one gemm), or the sparse
 *   per-entry gather of `LogisticRegressionKernel` run by run (a1a's 0/1 design, where Q would be 93 MB).
 * - The damped solves stay one per run (each run's matrix differs): `DampedSolver`'s LU.
 *
 * Runs that end (diverged, non-finite, singular) leave the batch; the others are compacted. Each run
 * follows exactly the updates of `runGlm` (eqs. 50–52, the same stopping rules); the sums are ordered
 * differently (BLAS blocking), so losses agree with the per-run path to rounding, not bit for bit
 * (`test/lab/batched.test.ts` states the tolerance).
 */
import { FisherdError } from '../../errors.js';
import type { Backend } from '../../linalg/backend.js';
import type { Examples } from '../problems/problem.js';
import { DampedSolver } from './damped-solver.js';
import { LinearRegressionKernel, LogisticRegressionKernel, type CurvatureKind } from './glm-kernel.js';
import type { GridOptimizer, RunStatus } from './run.js';

/** The per-run kernels' quantities for B parameter vectors at once. */
export interface BatchedKernel {
  readonly dim: number;
  readonly constantFisher: boolean;
  /** As `GlmKernel.lossBound`. */
  readonly lossBound: number;
  /** Sets the B×D parameters (row b = run b); following calls refer to these rows. */
  setParams(theta: Float64Array, count: number): void;
  /** L of each row. */
  losses(out: Float64Array): void;
  /** ∇L of each row (count×D). */
  gradients(out: Float64Array): void;
  /** The upper triangles of F or Ẽ of each row (count×D×D, row-major D×D blocks), undamped. */
  curvatures(kind: CurvatureKind, out: Float64Array): void;
  /** F when it is constant (upper triangle, D×D). */
  constantFisherMatrix(): Float64Array;
}

/** Growable float64 scratch (fresh arrays in the hot loop would cost page faults). */
class Scratch {
  private readonly buffers = new Map<string, Float64Array>();
  get(name: string, length: number): Float64Array {
    let buffer = this.buffers.get(name);
    if (buffer === undefined || buffer.length < length) {
      buffer = new Float64Array(Math.max(length, (buffer?.length ?? 0) * 2));
      this.buffers.set(name, buffer);
    }
    return buffer;
  }
}

/** Linear least squares (σ² = 1), batched through the moments of `LinearRegressionKernel`. */
export class BatchedLinearKernel implements BatchedKernel {
  readonly dim: number;
  readonly constantFisher = true;
  readonly lossBound = Infinity;
  private readonly moments: ReturnType<LinearRegressionKernel['moments']>;
  private readonly scratch = new Scratch();
  private theta: Float64Array = new Float64Array(0);
  private count = 0;
  /** ΘG (count×D). */
  private thetaGram: Float64Array = new Float64Array(0);

  constructor(examples: Examples, private readonly backend: Backend) {
    const kernel = new LinearRegressionKernel(examples);
    this.dim = kernel.dim;
    this.moments = kernel.moments();
  }

  setParams(theta: Float64Array, count: number): void {
    const D = this.dim;
    this.count = count;
    this.theta = theta;
    this.thetaGram = this.scratch.get('thetaGram', count * D);
    // G is symmetric: ΘG = ΘGᵀ.
    this.backend.gemm(false, false, count, D, D, 1, theta, this.moments.gram, 0, this.thetaGram);
  }

  losses(out: Float64Array): void {
    const { dim: D, count, theta, thetaGram } = this;
    const { xty, halfMeanSquaredTarget } = this.moments;
    for (let b = 0; b < count; b++) {
      let quadratic = 0;
      let linear = 0;
      const row = b * D;
      for (let i = 0; i < D; i++) {
        quadratic += theta[row + i] * thetaGram[row + i];
        linear += xty[i] * theta[row + i];
      }
      out[b] = 0.5 * quadratic - linear + halfMeanSquaredTarget;
    }
  }

  gradients(out: Float64Array): void {
    const { dim: D, count, thetaGram } = this;
    const { xty } = this.moments;
    for (let b = 0; b < count; b++) for (let i = 0; i < D; i++) out[b * D + i] = thetaGram[b * D + i] - xty[i];
  }

  curvatures(kind: CurvatureKind, out: Float64Array): void {
    const { dim: D, count, theta } = this;
    const DD = D * D;
    if (kind === 'fisher') {
      for (let b = 0; b < count; b++) out.set(this.moments.gram, b * DD);
      return;
    }
    const { pairs: P, pairI, pairJ, fourth, third, second } = this.moments;
    const products = this.scratch.get('products', count * P);
    for (let b = 0; b < count; b++) {
      const row = b * D;
      const base = b * P;
      for (let q = 0; q < P; q++) products[base + q] = theta[row + pairI[q]] * theta[row + pairJ[q]];
    }
    // E_p = Σ_q T_pq Π_q − 2 Σ_k U_pk θ_k + V_p for every run: Π Tᵀ − 2 Θ Uᵀ, then + V.
    const packed = this.scratch.get('packed', count * P);
    this.backend.gemm(false, true, count, P, P, 1, products, fourth, 0, packed);
    this.backend.gemm(false, true, count, P, D, -2, theta, third, 1, packed);
    for (let b = 0; b < count; b++) {
      const base = b * P;
      const target = b * DD;
      for (let p = 0; p < P; p++) out[target + pairI[p] * D + pairJ[p]] = packed[base + p] + second[p];
    }
  }

  constantFisherMatrix(): Float64Array {
    return this.moments.gram;
  }
}

/** Logistic regression with the paper's clipped sigmoid, batched. */
export class BatchedLogisticKernel implements BatchedKernel {
  readonly dim: number;
  readonly constantFisher = false;
  readonly lossBound: number;
  private readonly N: number;
  private readonly X: Float64Array;
  private readonly y: Float64Array;
  private readonly clip: number;
  private readonly single: LogisticRegressionKernel;
  /** Dense X: Q[n, p] = x_ni x_nj for the upper-triangle pairs p = (i, j); empty for the sparse gather. */
  private readonly pairProducts: Float64Array;
  private readonly pairI: Int32Array;
  private readonly pairJ: Int32Array;
  private readonly scratch = new Scratch();
  private count = 0;
  private probability: Float64Array = new Float64Array(0);

  constructor(examples: Examples, options: { probabilityClip: number; representation?: 'sparse' | 'dense' }, private readonly backend: Backend) {
    const { X, y, numExamples: N, numFeatures: D } = examples;
    this.dim = D;
    this.N = N;
    this.X = X;
    this.y = y;
    this.clip = options.probabilityClip;
    this.single = new LogisticRegressionKernel(examples, options, backend);
    this.lossBound = this.single.lossBound;
    const P = (D * (D + 1)) / 2;
    this.pairI = new Int32Array(P);
    this.pairJ = new Int32Array(P);
    for (let i = 0, p = 0; i < D; i++) for (let j = i; j < D; j++, p++) {
      this.pairI[p] = i;
      this.pairJ[p] = j;
    }
    if (this.single.representation === 'dense') {
      this.pairProducts = new Float64Array(N * P);
      for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) this.pairProducts[n * P + p] = X[n * D + this.pairI[p]] * X[n * D + this.pairJ[p]];
    } else {
      this.pairProducts = new Float64Array(0);
    }
  }

  get representation(): 'sparse' | 'dense' {
    return this.single.representation;
  }

  setParams(theta: Float64Array, count: number): void {
    const { N, dim: D, clip } = this;
    this.count = count;
    const Z = this.scratch.get('logits', count * N);
    this.backend.gemm(false, true, count, N, D, 1, theta, this.X, 0, Z);
    const probability = (this.probability = this.scratch.get('probability', count * N));
    for (let k = 0; k < count * N; k++) {
      const z = Z[k];
      const e = Math.exp(-Math.abs(z));
      const sigma = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      probability[k] = Math.min(Math.max(sigma, clip), 1 - clip);
    }
  }

  losses(out: Float64Array): void {
    const { N, y, count, probability } = this;
    for (let b = 0; b < count; b++) {
      let loss = 0;
      const base = b * N;
      for (let n = 0; n < N; n++) {
        const p = probability[base + n];
        const yn = y[n];
        loss -= yn === 1 ? Math.log(p) : yn === 0 ? Math.log(1 - p) : yn * Math.log(p) + (1 - yn) * Math.log(1 - p);
      }
      out[b] = loss / N;
    }
  }

  gradients(out: Float64Array): void {
    const { N, dim: D, y, count, probability } = this;
    const residual = this.scratch.get('residual', count * N);
    for (let b = 0; b < count; b++) for (let n = 0; n < N; n++) residual[b * N + n] = probability[b * N + n] - y[n];
    this.backend.gemm(false, false, count, D, N, 1 / N, residual, this.X, 0, out);
  }

  curvatures(kind: CurvatureKind, out: Float64Array): void {
    const { N, dim: D, y, count, probability } = this;
    const DD = D * D;
    const weights = this.scratch.get('weights', count * N);
    for (let k = 0; k < count * N; k++) {
      const p = probability[k];
      const r = p - y[k % N];
      weights[k] = kind === 'fisher' ? (p * (1 - p)) / N : (r * r) / N;
    }
    if (this.pairProducts.length === 0) {
      for (let b = 0; b < count; b++) this.single.formWeighted(weights.subarray(b * N, (b + 1) * N), out.subarray(b * DD, (b + 1) * DD));
      return;
    }
    const P = this.pairI.length;
    const packed = this.scratch.get('packed', count * P);
    this.backend.gemm(false, false, count, P, N, 1, weights, this.pairProducts, 0, packed);
    const { pairI, pairJ } = this;
    for (let b = 0; b < count; b++) {
      const base = b * P;
      const target = b * DD;
      for (let p = 0; p < P; p++) out[target + pairI[p] * D + pairJ[p]] = packed[base + p];
    }
  }

  constantFisherMatrix(): Float64Array {
    throw new FisherdError('INTERNAL', 'logistic regression has no constant Fisher (constantFisher is false)');
  }
}

/** The batched kernel of one of the paper's tasks. */
export function batchedKernel(task: 'linear' | 'logistic', examples: Examples, backend: Backend, probabilityClip: number): BatchedKernel {
  return task === 'linear' ? new BatchedLinearKernel(examples, backend) : new BatchedLogisticKernel(examples, { probabilityClip }, backend);
}

export interface BatchSpec {
  optimizer: GridOptimizer;
  stepSizes: readonly number[];
  /** λ per run (ignored by GD). */
  dampings: readonly number[];
  iterations: number;
  divergenceFactor: number;
}

export interface BatchResult {
  /** Per run, in the order given: the final loss (+∞ for non-finite and singular runs, as `runGlm`). */
  finalLosses: number[];
  statuses: RunStatus[];
  /** Steps taken. */
  iterations: number[];
}

/** Per-worker state of the batched runner: the kernel, the solver, the factors of F + λI per λ. */
export class BatchWorkspace {
  readonly solver: DampedSolver;
  private readonly constantFactors = new Map<number, DampedSolver | null>();

  constructor(readonly kernel: BatchedKernel) {
    this.solver = new DampedSolver(kernel.dim);
  }

  constantFisherFactor(damping: number): DampedSolver | null {
    let factor = this.constantFactors.get(damping);
    if (factor === undefined) {
      const solver = new DampedSolver(this.kernel.dim);
      factor = solver.factorDamped(this.kernel.constantFisherMatrix(), damping) ? solver : null;
      this.constantFactors.set(damping, factor);
    }
    return factor;
  }
}

/** Runs B grid points of one optimizer in lock-step from θ₀ = 0 (see the module comment). */
export function runBatch(workspace: BatchWorkspace, spec: BatchSpec): BatchResult {
  const { kernel, solver } = workspace;
  const D = kernel.dim;
  const DD = D * D;
  const total = spec.stepSizes.length;
  const finalLosses = new Array<number>(total).fill(Infinity);
  const statuses = new Array<RunStatus>(total).fill('completed');
  const taken = new Array<number>(total).fill(0);
  if (total === 0) return { finalLosses, statuses, iterations: taken };

  // Active runs, compacted: slot s holds run index[s].
  const index = Int32Array.from({ length: total }, (_, i) => i);
  const stepSize = Float64Array.from(spec.stepSizes);
  const damping = Float64Array.from(spec.dampings);
  let count = total;
  const theta = new Float64Array(total * D);
  const gradient = new Float64Array(total * D);
  const matrices = spec.optimizer === 'gd' || (spec.optimizer === 'ngd' && kernel.constantFisher) ? undefined : new Float64Array(total * DD);
  const losses = new Float64Array(total);
  const threshold = new Float64Array(total);
  const alive = new Uint8Array(total);

  kernel.setParams(theta, count);
  kernel.losses(losses);
  for (let s = 0; s < count; s++) threshold[s] = spec.divergenceFactor * losses[s];
  const kind: CurvatureKind = spec.optimizer === 'ngd' ? 'fisher' : 'empiricalFisher';

  for (let t = 1; t <= spec.iterations && count > 0; t++) {
    kernel.gradients(gradient);
    alive.fill(1, 0, count);
    let removed = false;
    if (spec.optimizer !== 'gd') {
      if (matrices === undefined) {
        for (let s = 0; s < count; s++) {
          const factor = workspace.constantFisherFactor(damping[s]);
          if (factor === null) alive[s] = 0;
          else factor.solveFactored(gradient, 1, s * D);
        }
      } else {
        kernel.curvatures(kind, matrices);
        for (let s = 0; s < count; s++) {
          if (solver.factorDamped(matrices, damping[s], s * DD)) solver.solveFactored(gradient, 1, s * D);
          else alive[s] = 0;
        }
      }
    }
    for (let s = 0; s < count; s++) {
      if (alive[s] === 0) {
        // an exactly singular system: the run stops before this step, as runGlm
        statuses[index[s]] = 'singular';
        taken[index[s]] = t - 1;
        removed = true;
        continue;
      }
      const g = stepSize[s];
      for (let i = 0; i < D; i++) theta[s * D + i] -= g * gradient[s * D + i];
    }
    kernel.setParams(theta, count);
    const evaluate = t === spec.iterations || !(kernel.lossBound <= minimum(threshold, count));
    if (evaluate) {
      kernel.losses(losses);
      for (let s = 0; s < count; s++) {
        if (alive[s] === 0) continue;
        const loss = losses[s];
        if (Number.isNaN(loss)) {
          statuses[index[s]] = 'non-finite';
        } else if (loss > threshold[s]) {
          statuses[index[s]] = 'diverged';
          finalLosses[index[s]] = loss;
        } else {
          if (t === spec.iterations) {
            finalLosses[index[s]] = loss;
            taken[index[s]] = t;
          }
          continue;
        }
        taken[index[s]] = t;
        alive[s] = 0;
        removed = true;
      }
    }
    if (removed) {
      let kept = 0;
      for (let s = 0; s < count; s++) {
        if (alive[s] === 0) continue;
        if (kept !== s) {
          index[kept] = index[s];
          stepSize[kept] = stepSize[s];
          damping[kept] = damping[s];
          threshold[kept] = threshold[s];
          theta.copyWithin(kept * D, s * D, (s + 1) * D);
        }
        kept++;
      }
      count = kept;
      if (count > 0 && t < spec.iterations) kernel.setParams(theta, count);
    }
  }
  return { finalLosses, statuses, iterations: taken };
}

function minimum(values: Float64Array, count: number): number {
  let m = Infinity;
  for (let i = 0; i < count; i++) if (values[i] < m) m = values[i];
  return m;
}
