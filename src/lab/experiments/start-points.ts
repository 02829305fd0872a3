/**
 * Fig. 6 (Appendix E): NGD and EFGD on Boston from starting points between the optimum and 0, with the
 * hyperparameters selected for Fig. 3, for 20 iterations. As in the paper's code the start points are
 * f·θ* for f ∈ {0.875, 0.75, 0.5, 0} (1 − {1/8, 1/4, 1/2, 1}): close to the minimum EFGD behaves like
 * NGD; far from it (high loss, large per-example gradients) its steps shrink and it stalls.
 */
import { loadDataset, type DatasetName } from '../datasets.js';
import type { GridOptimizer } from '../grid/run.js';
import { PAPER_TABLE6, type PaperSelection } from '../paper-table6.js';
import { paperProblem } from '../paper-problems.js';
import { phase, silentProgress, type Progress } from '../progress.js';
import type { StepperTarget } from '../stepper.js';
import { train } from '../train.js';
import { leastSquares } from './least-squares.js';
import { FISHERD_OPTIMIZER } from './optim.js';

export const START_POINT_FACTORS: readonly number[] = [0.875, 0.75, 0.5, 0];

export interface StartPointsOptions {
  /** Default 'Boston' (a linear-regression set: θ* by least squares). */
  dataset?: DatasetName;
  /** NGD and EFGD hyperparameters; default the paper's Table 6. */
  hyperparameters?: { ngd: PaperSelection; efgd: PaperSelection };
  /** Where the hyperparameters came from, for the JSON (e.g. "fisherd grid (optim-Boston.json)"). */
  hyperparameterSource?: string;
  /** Default 20. */
  iterations?: number;
  target?: StepperTarget;
  progress?: Progress;
}

export interface StartPointsResult {
  experiment: 'start-points';
  dataset: DatasetName;
  factors: number[];
  hyperparameters: { ngd: PaperSelection; efgd: PaperSelection };
  hyperparameterSource: string;
  iterations: number;
  /** Per factor and optimizer, the loss after each step (L_0 first), through the Session. */
  runs: { factor: number; optimizer: GridOptimizer; losses: number[]; status: string }[];
  stepper: string;
}

export async function runStartPointsExperiment(options: StartPointsOptions = {}): Promise<StartPointsResult> {
  const progress = options.progress ?? silentProgress;
  const dataset = options.dataset ?? 'Boston';
  const iterations = options.iterations ?? 20;
  const paper = PAPER_TABLE6[dataset];
  const hyperparameters = options.hyperparameters ?? (paper ? { ngd: paper.ngd, efgd: paper.efgd } : { ngd: { log10StepSize: 0, log10Damping: -8 }, efgd: { log10StepSize: 0, log10Damping: -8 } });
  const data = loadDataset(dataset);
  const problem = paperProblem(dataset, data);
  const optimum = leastSquares(data);
  const runs: StartPointsResult['runs'] = [];
  let stepper = '';
  await phase(progress, 'Fig. 6: start points', START_POINT_FACTORS.length * 2, async (update) => {
    for (const factor of START_POINT_FACTORS) {
      for (const optimizer of ['ngd', 'efgd'] as const) {
        const point = hyperparameters[optimizer];
        const result = await train({
          problem,
          optimizer: { name: FISHERD_OPTIMIZER[optimizer], stepSize: 10 ** point.log10StepSize, damping: 10 ** (point.log10Damping ?? -8) },
          iterations,
          initialParams: optimum.map((v) => factor * v),
          ...(options.target ? { target: options.target } : {}),
        });
        stepper = result.stepper;
        runs.push({ factor, optimizer, losses: result.losses, status: result.status });
        update(runs.length);
      }
    }
  });
  return {
    experiment: 'start-points',
    dataset,
    factors: [...START_POINT_FACTORS],
    hyperparameters,
    hyperparameterSource: options.hyperparameterSource ?? (options.hyperparameters ? 'given' : 'paper Table 6'),
    iterations,
    runs,
    stepper,
  };
}
