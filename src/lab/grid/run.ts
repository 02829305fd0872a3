/**
 * One full-batch run of the paper's optimization experiment (Appendix D.3, eqs. 50–52) on a GLM kernel:
 *
 *   GD:   θ ← θ − γ ∇L(θ)
 *   NGD:  θ ← θ − γ (F(θ) + λI)⁻¹ ∇L(θ)
 *   EFGD: θ ← θ − γ (Ẽ(θ) + λI)⁻¹ ∇L(θ)
 *
 * from θ₀, for a number of iterations, stopping as the paper's runner does when the loss exceeds
 * `divergenceFactor` × the initial loss. The damped systems are solved by LU with partial pivoting, as
 * the paper's `numpy.linalg.solve`; an exactly singular one ends the run (numpy raises there), and so
 * does a NaN loss (the paper's numpy code would carry NaN to the end, where its argmin picks it first;
 * here such runs rank last).
 */
import type { Backend } from '../../linalg/backend.js';
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
export type RunStatus = 'completed' | 'diverged' | 'non-finite' | 'singular';

export interface RunResult {
  /** L_0, L_1, …: the loss before the first step and after each step taken. */
  losses: Float64Array;
  status: RunStatus;
  /** The last loss; +∞ for 'non-finite' and 'singular' runs (they rank last). */
  finalLoss: number;
  /** Steps taken. */
  iterations: number;
  /** θ after the last step. */
  params: Float64Array;
}

/** Reusable per-worker state: the solver's buffer and, for a constant Fisher, its LU factors per λ. */
export class RunWorkspace {
  readonly solver: DampedSolver;
  /** Per λ: the factored F + λI, or null where it is singular. */
  private readonly constantFactors = new Map<number, DampedSolver | null>();

  /** `backend` is kept for callers that construct kernels with it; the solves are float64 LU (`DampedSolver`). */
  constructor(readonly kernel: GlmKernel, readonly backend?: Backend) {
    this.solver = new DampedSolver(kernel.dim);
  }

  /** The retained LU factor of F + λI for a kernel whose Fisher does not depend on θ (null: singular). */
  constantFisherFactor(damping: number): DampedSolver | null {
    let factor = this.constantFactors.get(damping);
    if (factor === undefined) {
      const D = this.kernel.dim;
      const fisher = new Float64Array(D * D);
      this.kernel.curvature('fisher', fisher);
      const solver = new DampedSolver(D);
      factor = solver.factorDamped(fisher, damping) ? solver : null;
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
      let solved: boolean;
      if (spec.optimizer === 'ngd' && kernel.constantFisher) {
        const factor = workspace.constantFisherFactor(spec.damping);
        solved = factor !== null;
        if (factor !== null) {
          direction.set(gradient);
          factor.solveFactored(direction);
        }
      } else {
        kernel.curvature(spec.optimizer === 'ngd' ? 'fisher' : 'empiricalFisher', matrix);
        solved = workspace.solver.solve(matrix, spec.damping, gradient, direction);
      }
      if (!solved) {
        status = 'singular';
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
  const finalLoss = status === 'non-finite' || status === 'singular' ? Infinity : trimmed[taken];
  return { losses: trimmed, status, finalLoss, iterations: taken, params: theta };
}
