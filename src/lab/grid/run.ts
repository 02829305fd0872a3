/**
 * One full-batch run of the paper's optimization experiment (Appendix D.3, eqs. 50–52) on a GLM kernel:
 *
 *   GD:   θ ← θ − γ ∇L(θ)
 *   NGD:  θ ← θ − γ (F(θ) + λI)⁻¹ ∇L(θ)
 *   EFGD: θ ← θ − γ (Ẽ(θ) + λI)⁻¹ ∇L(θ)
 *
 * from θ₀, for a number of iterations, stopping as the paper's runner does when the loss exceeds
 * `divergenceFactor` × the initial loss. A NaN loss, or a damped matrix that is not numerically positive
 * definite, also ends the run (the paper's numpy code would carry NaN to the end, where its argmin
 * picks it first; here such runs rank last).
 */
import type { Backend, CholeskyFactor } from '../../linalg/backend.js';
import { isFisherdError } from '../../errors.js';
import { DampedSolver } from './damped-solver.js';
import type { GlmKernel } from './glm-kernel.js';

export type GridOptimizer = 'gd' | 'ngd' | 'efgd';
export const GRID_OPTIMIZERS: readonly GridOptimizer[] = ['gd', 'ngd', 'efgd'];

export interface RunSpec {
  optimizer: GridOptimizer;
  stepSize: number;
  /** λ (ignored by GD). */
  damping: number;
  iterations: number;
  /** Stop when L_t > factor · L_0 (paper: 100). */
  divergenceFactor: number;
  /** θ₀; default 0. */
  initialParams?: Float64Array;
  /**
   * Evaluate the loss after every step (default true). With false, intermediate losses are computed
   * only where the divergence rule could fire (L can exceed the threshold: `kernel.lossBound`), and
   * `losses` holds NaN for the steps not evaluated; the final loss is always computed.
   */
  recordLosses?: boolean;
}

/** How a run ended. */
export type RunStatus = 'completed' | 'diverged' | 'non-finite' | 'not-positive-definite';

export interface RunResult {
  /** L_0, L_1, …: the loss before the first step and after each step taken. */
  losses: Float64Array;
  status: RunStatus;
  /** The last loss; +∞ for 'non-finite' and 'not-positive-definite' runs (they rank last). */
  finalLoss: number;
  /** Steps taken. */
  iterations: number;
  /** θ after the last step. */
  params: Float64Array;
}

/** Reusable per-worker state: the solver's buffer and, for a constant Fisher, its factors per λ. */
export class RunWorkspace {
  readonly solver: DampedSolver;
  private readonly constantFactors = new Map<number, CholeskyFactor>();

  constructor(readonly kernel: GlmKernel, private readonly backend: Backend) {
    this.solver = new DampedSolver(kernel.dim);
  }

  /** The retained factor of F + λI for a kernel whose Fisher does not depend on θ. */
  constantFisherFactor(damping: number): CholeskyFactor {
    let factor = this.constantFactors.get(damping);
    if (factor === undefined) {
      const D = this.kernel.dim;
      const fisher = new Float64Array(D * D);
      this.kernel.curvature('fisher', fisher);
      factor = this.backend.cholesky(fisher, D, damping);
      this.constantFactors.set(damping, factor);
    }
    return factor;
  }
}

export function runGlm(workspace: RunWorkspace, spec: RunSpec): RunResult {
  const { kernel } = workspace;
  const D = kernel.dim;
  const theta = spec.initialParams ? Float64Array.from(spec.initialParams) : new Float64Array(D);
  const gradient = new Float64Array(D);
  const direction = new Float64Array(D);
  const matrix = spec.optimizer === 'gd' ? undefined : new Float64Array(D * D);
  const losses = new Float64Array(spec.iterations + 1);
  kernel.setParams(theta);
  const initialLoss = kernel.loss();
  losses[0] = initialLoss;
  const threshold = spec.divergenceFactor * initialLoss;
  const everyStep = (spec.recordLosses ?? true) || !(kernel.lossBound <= threshold);
  let status: RunStatus = 'completed';
  let taken = 0;
  for (let t = 1; t <= spec.iterations; t++) {
    kernel.gradient(gradient);
    if (matrix === undefined) {
      direction.set(gradient);
    } else {
      try {
        if (spec.optimizer === 'ngd' && kernel.constantFisher) {
          workspace.constantFisherFactor(spec.damping).solve(gradient, direction);
        } else {
          kernel.curvature(spec.optimizer === 'ngd' ? 'fisher' : 'empiricalFisher', matrix);
          workspace.solver.solve(matrix, spec.damping, gradient, direction);
        }
      } catch (e) {
        if (!isFisherdError(e, 'NOT_POSITIVE_DEFINITE')) throw e;
        status = 'not-positive-definite';
        break;
      }
    }
    for (let i = 0; i < D; i++) theta[i] -= spec.stepSize * direction[i];
    kernel.setParams(theta);
    taken = t;
    if (!everyStep && t < spec.iterations) {
      losses[t] = NaN;
      continue;
    }
    const loss = kernel.loss();
    losses[t] = loss;
    if (Number.isNaN(loss)) {
      status = 'non-finite';
      break;
    }
    if (loss > threshold) {
      status = 'diverged';
      break;
    }
  }
  const trimmed = losses.slice(0, taken + 1);
  // A run that stopped on a singular solve ends at its last evaluated loss, but ranks last.
  const finalLoss = status === 'non-finite' || status === 'not-positive-definite' ? Infinity : trimmed[taken];
  return { losses: trimmed, status, finalLoss, iterations: taken, params: theta };
}
