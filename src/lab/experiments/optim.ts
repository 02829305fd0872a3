/**
 * Figs. 3 and 5 (Appendix D.3): GD, NGD and EFGD on a real data set, each with the hyperparameters a grid
 * search selects (lowest loss after 100 iterations from θ₀ = 0), and the cosine between the EF- and the
 * Fisher-preconditioned gradient along the selected EFGD path.
 *
 * The grid (Table 5: 241 step sizes × 41 dampings) runs on the GLM kernels of `grid/` over worker
 * threads; every selected run, and every point of the paper's Table 6, is then replayed through the
 * `Session` (in-process, or a daemon with `--url`), and the figures show the replays. The JSON keeps
 * both curves and their largest relative difference.
 */
import { cpus, loadavg } from 'node:os';
import { FisherdError } from '../../errors.js';
import { createReferenceBackend } from '../../linalg/reference.js';
import type { OptimizerSpec } from '../../optim/spec.js';
import { RowSpaceCosine } from '../cosine.js';
import { DATASETS, loadDataset, type DatasetName } from '../datasets.js';
import { glmKernel } from '../grid/glm-kernel.js';
import { gridSearch, logspaceExponents, PAPER_GRID, type GridRun, type OptimizerGrid } from '../grid/grid-search.js';
import { GRID_OPTIMIZERS, runGlm, RunWorkspace, type GridOptimizer } from '../grid/run.js';
import { PAPER_TABLE6 } from '../paper-table6.js';
import { paperProblem } from '../paper-problems.js';
import type { Problem } from '../problems/problem.js';
import { phase, silentProgress, type Progress } from '../progress.js';
import type { StepperTarget } from '../stepper.js';
import { train, type TrainResult } from '../train.js';

/** fisherd's name of the paper's optimizers (GD is full-batch SGD). */
export const FISHERD_OPTIMIZER: Readonly<Record<GridOptimizer, OptimizerSpec['name']>> = { gd: 'sgd', ngd: 'ngd', efgd: 'efgd' };

export interface LogGrid {
  start: number;
  stop: number;
  num: number;
}

export interface OptimOptions {
  dataset: DatasetName;
  /** log10 step sizes. Default Table 5: logspace(−20, 10, 241). */
  stepSizes?: LogGrid;
  /** log10 dampings. Default Table 5: logspace(−10, 10, 41). */
  dampings?: LogGrid;
  /** Default 100. */
  iterations?: number;
  /** Default 100. */
  divergenceFactor?: number;
  /** Grid worker threads. Default: one per core. */
  workers?: number;
  /** Where the replays run. Default in-process, reference backend. */
  target?: StepperTarget;
  progress?: Progress;
}

export interface ReplayedRun {
  log10StepSize: number;
  log10Damping: number | null;
  /** The grid kernel's final loss (null: not finite). */
  kernelFinalLoss: number | null;
  /** The replay's loss after each step (through the Session), L_0 first. */
  sessionLosses: number[];
  sessionStatus: TrainResult['status'];
  sessionError?: string;
  /** The kernel's loss curve of the same run. */
  kernelLosses: number[];
  /** max_t |session − kernel| / kernel over the common steps. */
  maxRelativeDifference: number | null;
}

export interface OptimizerReport {
  optimizer: GridOptimizer;
  selected: ReplayedRun;
  /** The paper's Table 6 point, replayed the same way (absent for a data set the paper did not run). */
  paper?: ReplayedRun;
  statusCounts: OptimizerGrid['statusCounts'];
  /** Final loss of every grid run: [step-size index][damping index] (GD: [step-size index][0]); null = not finite. */
  finalLossGrid: (number | null)[][];
}

export interface CosineSeries {
  log10StepSize: number;
  log10Damping: number;
  /**
   * cos(Ẽ⁺∇L, F⁺∇L) at θ_0 … θ_T along the replayed EFGD path (no damping; on the row space of X); NaN
   * (null in JSON) where the restricted Ẽ or F is not numerically positive definite.
   */
  undamped: number[];
  /** The session's `cosineEfFisher` at θ_0 … θ_{T−1}, with the run's damping (what the paper's code plots). */
  damped: number[];
}

export interface OptimResult {
  experiment: 'optim';
  dataset: DatasetName;
  task: 'linear' | 'logistic';
  numExamples: number;
  numParams: number;
  grid: {
    stepSizes: LogGrid; dampings: LogGrid; iterations: number; divergenceFactor: number; runs: number; seconds: number; workers: number; backend: string;
    /** CPU seconds (user + system, all threads of the process) of the grid search. */
    cpuSeconds?: number;
  };
  optimizers: Record<GridOptimizer, OptimizerReport>;
  cosine: CosineSeries;
  checks: {
    /** NGD's selected final loss ≤ EFGD's (grid kernel), up to `TIE_TOLERANCE` (both may sit at the optimum). */
    ngdFinalLossAtMostEfgd: boolean;
    /** The cosine along the EFGD path (undamped where defined, else the session's damped one) is negative at some step. */
    cosineNegative: boolean;
    minUndampedCosine: number;
    minDampedCosine: number;
  };
  stepper: string;
  seconds: number;
  /** CPU seconds (user + system, all threads) of the whole experiment. */
  cpuSeconds?: number;
  /** Where it ran: CPU model, cores, the 1-minute load average at the start and at the end. */
  machine?: { cpu: string; cores: number; loadAverage: [number, number] };
}

/**
 * Relative difference below which two final losses count as equal: on linear regression NGD and EFGD can
 * both reach the least-squares optimum, where their losses differ in the 13th digit by rounding alone.
 */
export const TIE_TOLERANCE = 1e-9;

/** a ≤ b up to TIE_TOLERANCE (null = not finite = +∞). */
export function atMostUpToRounding(a: number | null, b: number | null): boolean {
  return (a ?? Infinity) <= (b ?? Infinity) * (1 + TIE_TOLERANCE);
}

function exponents(grid: LogGrid): number[] {
  return logspaceExponents(grid.start, grid.stop, grid.num);
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export async function runOptimExperiment(options: OptimOptions): Promise<OptimResult> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const loadStart = loadavg()[0]!;
  const progress = options.progress ?? silentProgress;
  const stepSizes = options.stepSizes ?? PAPER_GRID.stepSize;
  const dampings = options.dampings ?? PAPER_GRID.damping;
  const iterations = options.iterations ?? PAPER_GRID.iterations;
  const divergenceFactor = options.divergenceFactor ?? PAPER_GRID.divergenceFactor;
  const data = loadDataset(options.dataset);
  const problem = paperProblem(options.dataset, data);
  const log10StepSizes = exponents(stepSizes);
  const log10Dampings = exponents(dampings);
  const totalRuns = log10StepSizes.length * (1 + 2 * log10Dampings.length);

  const gridCpuStart = process.cpuUsage();
  const grid = await phase(progress, `${options.dataset}: grid`, totalRuns, (update) => gridSearch(
    { dataset: options.dataset, optimizers: GRID_OPTIMIZERS, log10StepSizes, log10Dampings, iterations, divergenceFactor },
    { ...(options.workers === undefined ? {} : { workers: options.workers }), onProgress: (done) => update(done) },
  ));
  const gridCpu = process.cpuUsage(gridCpuStart);

  const kernelBackend = createReferenceBackend();
  const workspace = new RunWorkspace(glmKernel(DATASETS[options.dataset].task, data, kernelBackend), kernelBackend);
  const rowSpace = new RowSpaceCosine(data);
  const paperPoints = PAPER_TABLE6[options.dataset];
  const replays = GRID_OPTIMIZERS.length * (paperPoints ? 2 : 1);
  let stepperDescription = '';
  const reports = {} as Record<GridOptimizer, OptimizerReport>;
  let cosine: CosineSeries | undefined;
  await phase(progress, `${options.dataset}: replay`, replays * iterations, async (update) => {
    // Progress counts replay steps; a replay that stops early still counts as `iterations` steps.
    let replaysDone = 0;
    for (const optimizer of GRID_OPTIMIZERS) {
      const g = grid.grids.find((x) => x.optimizer === optimizer)!;
      const undamped: number[] = [];
      const observe = optimizer === 'efgd' ? (theta: Float64Array) => undamped.push(undampedCosineAt(workspace, rowSpace, theta)) : undefined;
      const replay = async (point: { log10StepSize: number; log10Damping: number | null }, kernelFinalLoss: number | null, withCosine: boolean): Promise<[ReplayedRun, TrainResult]> => {
        const result = await replayRun(problem, workspace, optimizer, point, { iterations, divergenceFactor, ...(options.target ? { target: options.target } : {}) }, withCosine ? observe : undefined, (t) => update(replaysDone * iterations + t));
        replaysDone += 1;
        stepperDescription = result[1].stepper;
        if (kernelFinalLoss !== null) result[0].kernelFinalLoss = kernelFinalLoss;
        return result;
      };
      const [selected, selectedTrain] = await replay(g.best, g.best.finalLoss, true);
      const report: OptimizerReport = { optimizer, selected, statusCounts: g.statusCounts, finalLossGrid: lossGrid(g.runs, log10Dampings.length, optimizer) };
      const paperPoint = paperPoints?.[optimizer];
      if (paperPoint) report.paper = (await replay(paperPoint, null, false))[0];
      reports[optimizer] = report;
      if (optimizer === 'efgd') {
        cosine = {
          log10StepSize: g.best.log10StepSize,
          log10Damping: g.best.log10Damping ?? 0,
          undamped,
          damped: selectedTrain.diagnostics.map((d) => d['cosineEfFisher'] ?? NaN),
        };
      }
    }
  });
  if (cosine === undefined) throw new FisherdError('INTERNAL', 'no EFGD replay');
  const minUndampedCosine = Math.min(...cosine.undamped.filter(Number.isFinite));
  const minDampedCosine = Math.min(...cosine.damped.filter(Number.isFinite));
  return {
    experiment: 'optim',
    dataset: options.dataset,
    task: DATASETS[options.dataset].task,
    numExamples: data.numExamples,
    numParams: data.numFeatures,
    grid: { stepSizes, dampings, iterations, divergenceFactor, runs: totalRuns, seconds: grid.seconds, workers: grid.workers, backend: grid.backend, cpuSeconds: (gridCpu.user + gridCpu.system) / 1e6 },
    optimizers: reports,
    cosine,
    checks: {
      ngdFinalLossAtMostEfgd: atMostUpToRounding(reports.ngd.selected.kernelFinalLoss, reports.efgd.selected.kernelFinalLoss),
      cosineNegative: Math.min(minUndampedCosine, minDampedCosine) < 0,
      minUndampedCosine,
      minDampedCosine,
    },
    stepper: stepperDescription,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: ((c) => (c.user + c.system) / 1e6)(process.cpuUsage(cpuStart)),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadAverage: [loadStart, loadavg()[0]!] },
  };
}

/** cos(Ẽ⁺∇L, F⁺∇L) at θ from the float64 kernel, on the row space of X. */
function undampedCosineAt(workspace: RunWorkspace, rowSpace: RowSpaceCosine, theta: Float64Array): number {
  const { kernel } = workspace;
  const D = kernel.dim;
  const gradient = new Float64Array(D);
  const fisher = new Float64Array(D * D);
  const empiricalFisher = new Float64Array(D * D);
  kernel.setParams(theta);
  kernel.gradient(gradient);
  kernel.curvature('fisher', fisher);
  kernel.curvature('empiricalFisher', empiricalFisher);
  return rowSpace.cosine(empiricalFisher, fisher, gradient);
}

/** Replays one grid point through the Session, and through the kernel for comparison. */
async function replayRun(
  problem: Problem,
  workspace: RunWorkspace,
  optimizer: GridOptimizer,
  point: { log10StepSize: number; log10Damping: number | null },
  settings: { iterations: number; divergenceFactor: number; target?: StepperTarget },
  observe: ((theta: Float64Array) => void) | undefined,
  onStep: (step: number) => void,
): Promise<[ReplayedRun, TrainResult]> {
  const stepSize = 10 ** point.log10StepSize;
  const damping = 10 ** (point.log10Damping ?? -8);
  const trained = await train({
    problem,
    optimizer: { name: FISHERD_OPTIMIZER[optimizer], stepSize, ...(optimizer === 'gd' ? {} : { damping }) },
    iterations: settings.iterations,
    divergenceFactor: settings.divergenceFactor,
    trackBoth: observe !== undefined,
    ...(settings.target ? { target: settings.target } : {}),
    ...(observe ? { observe } : {}),
    onStep,
  });
  const kernelRun = runGlm(workspace, { optimizer, stepSize, damping, iterations: settings.iterations, divergenceFactor: settings.divergenceFactor });
  const kernelLosses = Array.from(kernelRun.losses);
  let maxRelativeDifference = 0;
  const common = Math.min(kernelLosses.length, trained.losses.length);
  for (let t = 0; t < common; t++) {
    const diff = Math.abs(trained.losses[t] - kernelLosses[t]) / Math.abs(kernelLosses[t]);
    if (Number.isFinite(diff)) maxRelativeDifference = Math.max(maxRelativeDifference, diff);
  }
  return [{
    log10StepSize: point.log10StepSize,
    log10Damping: optimizer === 'gd' ? null : point.log10Damping,
    kernelFinalLoss: finite(kernelRun.finalLoss),
    sessionLosses: trained.losses,
    sessionStatus: trained.status,
    ...(trained.error === undefined ? {} : { sessionError: trained.error }),
    kernelLosses,
    maxRelativeDifference: common > 0 ? maxRelativeDifference : null,
  }, trained];
}

function lossGrid(runs: readonly GridRun[], numDampings: number, optimizer: GridOptimizer): (number | null)[][] {
  const perRow = optimizer === 'gd' ? 1 : numDampings;
  const rows: (number | null)[][] = [];
  for (let i = 0; i < runs.length; i += perRow) rows.push(runs.slice(i, i + perRow).map((r) => r.finalLoss));
  return rows;
}

export interface SinglePointOptions {
  dataset: DatasetName;
  optimizer: GridOptimizer;
  stepSize: number;
  /** λ (NGD, EFGD). Default 1e-8. */
  damping?: number;
  iterations: number;
  /** Default 100. */
  divergenceFactor?: number;
  target?: StepperTarget;
  progress?: Progress;
}

export interface SinglePointResult {
  experiment: 'optim-point';
  dataset: DatasetName;
  optimizer: GridOptimizer;
  stepSize: number;
  damping: number | null;
  iterations: number;
  /** Through the Session, L_0 first. */
  losses: number[];
  status: TrainResult['status'];
  error?: string;
  /** cos(Ẽ⁺∇L, F⁺∇L) at θ_0 … along this run's path (no damping). */
  undampedCosines: number[];
  /** The session's cosineEfFisher (this run's damping) at θ_0 … θ_{T−1}. */
  dampedCosines: number[];
  stepper: string;
}

/** One grid point, without the grid: its loss curve and cosines along its own path. */
export async function runSinglePoint(options: SinglePointOptions): Promise<SinglePointResult> {
  const progress = options.progress ?? silentProgress;
  const data = loadDataset(options.dataset);
  const problem = paperProblem(options.dataset, data);
  const backend = createReferenceBackend();
  const workspace = new RunWorkspace(glmKernel(DATASETS[options.dataset].task, data, backend), backend);
  const rowSpace = new RowSpaceCosine(data);
  const damping = options.damping ?? 1e-8;
  const undampedCosines: number[] = [];
  const trained = await phase(progress, `${options.dataset}: ${options.optimizer}`, options.iterations, (update) => train({
    problem,
    optimizer: { name: FISHERD_OPTIMIZER[options.optimizer], stepSize: options.stepSize, damping },
    iterations: options.iterations,
    divergenceFactor: options.divergenceFactor ?? PAPER_GRID.divergenceFactor,
    trackBoth: true,
    ...(options.target ? { target: options.target } : {}),
    observe: (theta) => undampedCosines.push(undampedCosineAt(workspace, rowSpace, theta)),
    onStep: (t) => update(t),
  }));
  return {
    experiment: 'optim-point',
    dataset: options.dataset,
    optimizer: options.optimizer,
    stepSize: options.stepSize,
    damping: options.optimizer === 'gd' ? null : damping,
    iterations: options.iterations,
    losses: trained.losses,
    status: trained.status,
    ...(trained.error === undefined ? {} : { error: trained.error }),
    undampedCosines,
    dampedCosines: trained.diagnostics.map((d) => d['cosineEfFisher'] ?? NaN),
    stepper: trained.stepper,
  };
}
