/**
 * Fig. 1 (Appendix D.1): linear regression on N = 1000 points of eq. (49), θ = (b, θ); the vector fields
 * of GD, NGD and EF-preconditioned GD over a 15 × 15 grid of [−1, 5]², and their trajectories from the
 * four start points (2, 4.5), (1, 0), (4.5, 3), (−0.5, 3) with γ = 1e-4, λ = 1e-8 for 50 000 iterations.
 *
 * The trajectories are training runs through the Session; the fields are the same updates evaluated on
 * the grid with the float64 kernel (for display the paper rescales them by 1/3, 1 and 3).
 */
import { DampedSolver } from '../grid/damped-solver.js';
import { LinearRegressionKernel } from '../grid/glm-kernel.js';
import type { GridOptimizer } from '../grid/run.js';
import { linearRegression } from '../problems/index.js';
import { phase, silentProgress, type Progress } from '../progress.js';
import type { StepperTarget } from '../stepper.js';
import { vectorFieldData } from '../synthetic.js';
import { train } from '../train.js';
import { FISHERD_OPTIMIZER } from './optim.js';
import { leastSquares } from './least-squares.js';

/**
 * Which Fig. 1 to run. 'text' (default): Appendix D.1 as written — γ = 1e-4, no prior, unscaled updates,
 * trajectories through the Session. 'code': what the authors' `experiments/vecfield` code does — the
 * display-rescaled fields (GD ×1/3, NGD ×1, EF ×3) stepped with γ = 1e-3 on `LinearRegression`'s default
 * prior (variance 0.1: a ridge term θ/(0.1·N) in the gradient and the Hessian, none in the EF), so that
 * every trajectory, the EF's included, is integrated to θ*; computed in float64 outside the Session (a
 * session has no prior term).
 */
export type VecfieldVariant = 'text' | 'code';

/** The authors' code's settings for `variant: 'code'`. */
export const VECFIELD_CODE_VARIANT = { stepSize: 1e-3, priorVariance: 0.1, damping: 1e-8 } as const;

export interface VecfieldOptions {
  /** Default 'text'. */
  variant?: VecfieldVariant;
  /** Default 50 000 (Appendix D.1). */
  iterations?: number;
  /** Default 1e-4. */
  stepSize?: number;
  /** Default 1e-8. */
  damping?: number;
  /** Seed of the data (eq. 49). Default 0. */
  seed?: number;
  /** Keep every k-th point of each trajectory in the JSON. Default: about 1000 points per trajectory. */
  keepEvery?: number;
  target?: StepperTarget;
  progress?: Progress;
}

export const VECFIELD_START_POINTS: readonly (readonly [number, number])[] = [[2, 4.5], [1, 0], [4.5, 3], [-0.5, 3]];
/** The paper's display rescaling of the GD, NGD and EF fields (Appendix D.1). */
export const VECFIELD_DISPLAY_SCALE: Readonly<Record<GridOptimizer, number>> = { gd: 1 / 3, ngd: 1, efgd: 3 };
const GRID = { lo: -1, hi: 5, points: 15 };

export interface Trajectory {
  optimizer: GridOptimizer;
  start: [number, number];
  /** Steps of the kept points. */
  steps: number[];
  /** Kept (b, θ) points, the last one the end point. */
  points: [number, number][];
  status: string;
  finalLoss: number;
}

export interface VecfieldResult {
  experiment: 'vecfield';
  /** 'text' or 'code' (absent in results written before the option existed: 'text'). */
  variant?: VecfieldVariant;
  /** Per optimizer: the distance of each trajectory's end point from θ*, in start-point order. */
  endDistances?: Record<GridOptimizer, number[]>;
  numExamples: number;
  seed: number;
  stepSize: number;
  damping: number;
  iterations: number;
  /** The least-squares solution (b*, θ*). */
  optimum: [number, number];
  data: { x: number[]; y: number[] };
  grid: { values: number[] };
  /** Per optimizer: the update direction −P⁻¹∇L at every grid point (b index outer), unscaled. */
  fields: Record<GridOptimizer, [number, number][]>;
  /** The loss on the grid (b index outer), for contours. */
  loss: number[];
  trajectories: Trajectory[];
  stepper: string;
  seconds: number;
}

export async function runVecfieldExperiment(options: VecfieldOptions = {}): Promise<VecfieldResult> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const iterations = options.iterations ?? 50_000;
  const variant = options.variant ?? 'text';
  const stepSize = options.stepSize ?? (variant === 'code' ? VECFIELD_CODE_VARIANT.stepSize : 1e-4);
  const damping = options.damping ?? 1e-8;
  const seed = options.seed ?? 0;
  const keepEvery = options.keepEvery ?? Math.max(1, Math.round(iterations / 1000));
  const examples = vectorFieldData({ seed });
  const problem = linearRegression(examples, { name: 'Fig. 1 linear regression' });
  const kernel = new LinearRegressionKernel(examples);
  const solver = new DampedSolver(2);

  const values = Array.from({ length: GRID.points }, (_, i) => GRID.lo + ((GRID.hi - GRID.lo) * i) / (GRID.points - 1));
  const fields: Record<GridOptimizer, [number, number][]> = { gd: [], ngd: [], efgd: [] };
  const loss: number[] = [];
  const gradient = new Float64Array(2);
  const matrix = new Float64Array(4);
  const direction = new Float64Array(2);
  for (const b of values) {
    for (const slope of values) {
      kernel.setParams(Float64Array.of(b, slope));
      loss.push(kernel.loss());
      kernel.gradient(gradient);
      fields.gd.push([-gradient[0], -gradient[1]]);
      for (const [optimizer, kind] of [['ngd', 'fisher'], ['efgd', 'empiricalFisher']] as const) {
        kernel.curvature(kind, matrix);
        solver.solve(matrix, damping, gradient, direction);
        fields[optimizer].push([-direction[0], -direction[1]]);
      }
    }
  }

  const trajectories: Trajectory[] = [];
  let stepper = '';
  const total = VECFIELD_START_POINTS.length * 3 * iterations;
  if (variant === 'code') {
    // θ ← θ + γ·s·(−P⁻¹g) with the prior's ridge r = 1/(0.1·N) in g and in F (not in the EF), as the code.
    const ridge = 1 / (VECFIELD_CODE_VARIANT.priorVariance * examples.numExamples);
    await phase(progress, 'Fig. 1 (code variant): trajectories', total, async (update) => {
      let done = 0;
      for (const start of VECFIELD_START_POINTS) {
        for (const optimizer of ['gd', 'ngd', 'efgd'] as const) {
          const theta = Float64Array.from(start);
          const steps: number[] = [0];
          const points: [number, number][] = [[theta[0], theta[1]]];
          for (let t = 1; t <= iterations; t++) {
            kernel.setParams(theta);
            kernel.gradient(gradient);
            gradient[0] += ridge * theta[0];
            gradient[1] += ridge * theta[1];
            if (optimizer === 'gd') {
              direction.set(gradient);
            } else {
              kernel.curvature(optimizer === 'ngd' ? 'fisher' : 'empiricalFisher', matrix);
              if (optimizer === 'ngd') {
                matrix[0] += ridge;
                matrix[3] += ridge;
              }
              solver.solve(matrix, damping, gradient, direction);
            }
            const scale = VECFIELD_DISPLAY_SCALE[optimizer] * stepSize;
            theta[0] -= scale * direction[0];
            theta[1] -= scale * direction[1];
            if (t % keepEvery === 0 || t === iterations) {
              steps.push(t);
              points.push([theta[0], theta[1]]);
            }
            if (++done % 5000 === 0) update(done);
          }
          kernel.setParams(theta);
          trajectories.push({ optimizer, start: [start[0], start[1]], steps, points, status: 'completed', finalLoss: kernel.loss() + (ridge * (theta[0] ** 2 + theta[1] ** 2)) / 2 });
        }
      }
    });
    stepper = 'float64 kernel (the authors\' code: scaled fields, γ = 1e-3, prior variance 0.1)';
  } else {
    await phase(progress, 'Fig. 1: trajectories', total, async (update) => {
      let done = 0;
      for (const start of VECFIELD_START_POINTS) {
        for (const optimizer of ['gd', 'ngd', 'efgd'] as const) {
          const steps: number[] = [];
          const points: [number, number][] = [];
          const result = await train({
            problem,
            optimizer: { name: FISHERD_OPTIMIZER[optimizer], stepSize, damping },
            iterations,
            initialParams: Float64Array.from(start),
            ...(options.target ? { target: options.target } : {}),
            evaluateEvery: iterations,
            observe: (theta, step) => {
              if (step % keepEvery === 0 || step === iterations) {
                steps.push(step);
                points.push([theta[0], theta[1]]);
              }
            },
            onStep: () => {
              if (++done % 500 === 0) update(done);
            },
          });
          stepper = result.stepper;
          trajectories.push({ optimizer, start: [start[0], start[1]], steps, points, status: result.status, finalLoss: result.losses[result.losses.length - 1] });
        }
      }
    });

  }

  const xs: number[] = [];
  for (let n = 0; n < examples.numExamples; n++) xs.push(examples.X[2 * n + 1]);
  const optimum = leastSquares(examples);
  const endDistances: Record<GridOptimizer, number[]> = { gd: [], ngd: [], efgd: [] };
  for (const t of trajectories) {
    const [b, slope] = t.points[t.points.length - 1]!;
    endDistances[t.optimizer].push(Math.hypot(b - optimum[0], slope - optimum[1]));
  }
  return {
    experiment: 'vecfield',
    variant,
    endDistances,
    numExamples: examples.numExamples,
    seed,
    stepSize,
    damping,
    iterations,
    optimum: [optimum[0], optimum[1]],
    data: { x: xs, y: Array.from(examples.y) },
    grid: { values },
    fields,
    loss,
    trajectories,
    stepper,
    seconds: (performance.now() - started) / 1000,
  };
}
