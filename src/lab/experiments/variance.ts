/**
 * Section 5's stochastic setting, which the paper proposes but does not run: minibatch SGD, EFGD, NGD
 * with the sampled-label (Monte-Carlo) Fisher, and the variance-adapted updates SNR (diagonal, Schaul et
 * al. 2013 / Balles & Hennig 2018) and VA (full, eq. 19), on the paper's real data sets through the
 * Session (EMA decay 0: each update uses its own minibatch only, as math.md's formulas).
 *
 * Tuning is the same for every optimizer: a grid of step sizes (and dampings where the update solves),
 * each run once on the tuning seed; the lowest final full-data loss wins (runs whose loss exceeds
 * 100 × the initial loss stop and rank by that loss, runs the session rejects rank last). The winners
 * are then run on fresh seeds (new minibatch orders and sampled labels), whose spread is reported
 * against steps and against examples seen.
 */
import type { OptimizerName } from '../../optim/spec.js';
import { loadDataset, type DatasetName } from '../datasets.js';
import { logspaceExponents } from '../grid/grid-search.js';
import { paperProblem } from '../paper-problems.js';
import type { Problem } from '../problems/problem.js';
import { phase, silentProgress, type Progress } from '../progress.js';
import { Rng } from '../rng.js';
import type { StepperTarget } from '../stepper.js';
import { train, type TrainResult } from '../train.js';

export const VARIANCE_OPTIMIZERS = ['sgd', 'efgd', 'ngd', 'snr', 'va'] as const satisfies readonly OptimizerName[];
export type VarianceOptimizer = (typeof VARIANCE_OPTIMIZERS)[number];
const SOLVES: ReadonlySet<VarianceOptimizer> = new Set(['efgd', 'ngd', 'va']);

export interface VarianceOptions {
  /** Default the data sets of the paper's Fig. 3. */
  datasets?: readonly DatasetName[];
  /** Minibatch size b. Default 32. */
  batchSize?: number;
  /** Steps per run. Default 200. */
  iterations?: number;
  /** log10 step sizes tried. Default −8 … 1 in steps of ½. */
  log10StepSizes?: readonly number[];
  /** log10 dampings tried by efgd, ngd and va. Default −8, −6, −4, −2, 0. */
  log10Dampings?: readonly number[];
  /** Seeds the winners run on. Default 5 (seeds 1 … 5; seed 0 tunes). */
  seeds?: number;
  /** Sampled labels per example for NGD's Fisher. Default 1. */
  samplesPerExample?: number;
  /** Full-data loss every this many steps. Default 10. */
  evaluateEvery?: number;
  target?: StepperTarget;
  progress?: Progress;
}

export interface VarianceRun {
  seed: number;
  steps: number[];
  examplesSeen: number[];
  losses: number[];
  status: TrainResult['status'];
}

export interface VarianceOptimizerReport {
  optimizer: VarianceOptimizer;
  selected: { log10StepSize: number; log10Damping: number | null; tuningFinalLoss: number | null };
  /** Final loss of every tuning run: [step-size index][damping index] (one column without damping). */
  tuningGrid: (number | null)[][];
  runs: VarianceRun[];
  /** Mean over seeds of the final full-data loss. */
  meanFinalLoss: number;
}

export interface VarianceDatasetReport {
  dataset: DatasetName;
  numExamples: number;
  numParams: number;
  optimizers: Record<VarianceOptimizer, VarianceOptimizerReport>;
}

export interface VarianceResult {
  experiment: 'variance';
  batchSize: number;
  iterations: number;
  samplesPerExample: number;
  log10StepSizes: number[];
  log10Dampings: number[];
  tuningSeed: number;
  seeds: number[];
  datasets: VarianceDatasetReport[];
  stepper: string;
  seconds: number;
}

/** Minibatches of b examples, without replacement within an epoch, reshuffled each epoch. */
export function minibatches(numExamples: number, batchSize: number, rng: Rng): (step: number) => Int32Array {
  let order = rng.permutation(numExamples);
  let cursor = 0;
  return () => {
    if (cursor + batchSize > numExamples) {
      order = rng.permutation(numExamples);
      cursor = 0;
    }
    const batch = order.slice(cursor, cursor + batchSize);
    cursor += batchSize;
    return batch;
  };
}

export async function runVarianceExperiment(options: VarianceOptions = {}): Promise<VarianceResult> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const datasets = options.datasets ?? ['a1a', 'BreastCancer', 'Boston'];
  const batchSize = options.batchSize ?? 32;
  const iterations = options.iterations ?? 200;
  const log10StepSizes = [...(options.log10StepSizes ?? logspaceExponents(-8, 1, 19))];
  const log10Dampings = [...(options.log10Dampings ?? [-8, -6, -4, -2, 0])];
  const seeds = Array.from({ length: options.seeds ?? 5 }, (_, i) => i + 1);
  const samplesPerExample = options.samplesPerExample ?? 1;
  const evaluateEvery = options.evaluateEvery ?? 10;
  const tuningSeed = 0;
  let stepper = '';

  const runOnce = async (problem: Problem, optimizer: VarianceOptimizer, log10StepSize: number, log10Damping: number | null, seed: number): Promise<TrainResult> => {
    const rng = new Rng(seed);
    const result = await train({
      problem,
      optimizer: { name: optimizer, stepSize: 10 ** log10StepSize, ...(log10Damping === null ? {} : { damping: 10 ** log10Damping }) },
      iterations,
      batches: minibatches(problem.numExamples, Math.min(batchSize, problem.numExamples), rng.fork('minibatches')),
      fisherSource: 'sampled',
      samplesPerExample,
      rng: rng.fork('labels'),
      divergenceFactor: 100,
      evaluateEvery,
      ...(options.target ? { target: options.target } : {}),
    });
    stepper = result.stepper;
    return result;
  };

  const reports: VarianceDatasetReport[] = [];
  const configsPerDataset = VARIANCE_OPTIMIZERS.reduce((n, o) => n + log10StepSizes.length * (SOLVES.has(o) ? log10Dampings.length : 1), 0);
  const total = datasets.length * (configsPerDataset + VARIANCE_OPTIMIZERS.length * seeds.length);
  await phase(progress, 'Section 5: tuning and seeds', total, async (update) => {
    let done = 0;
    for (const dataset of datasets) {
      const data = loadDataset(dataset);
      const problem = paperProblem(dataset, data);
      const optimizers = {} as Record<VarianceOptimizer, VarianceOptimizerReport>;
      for (const optimizer of VARIANCE_OPTIMIZERS) {
        const dampings = SOLVES.has(optimizer) ? log10Dampings : [null];
        const tuningGrid: (number | null)[][] = [];
        let best = { log10StepSize: log10StepSizes[0], log10Damping: dampings[0], tuningFinalLoss: null as number | null };
        for (const log10StepSize of log10StepSizes) {
          const row: (number | null)[] = [];
          for (const log10Damping of dampings) {
            const result = await runOnce(problem, optimizer, log10StepSize, log10Damping, tuningSeed);
            const final = result.status === 'failed' ? Infinity : result.losses[result.losses.length - 1];
            row.push(Number.isFinite(final) ? final : null);
            if (final < (best.tuningFinalLoss ?? Infinity)) best = { log10StepSize, log10Damping, tuningFinalLoss: final };
            update(++done);
          }
          tuningGrid.push(row);
        }
        const runs: VarianceRun[] = [];
        for (const seed of seeds) {
          const result = await runOnce(problem, optimizer, best.log10StepSize, best.log10Damping, seed);
          runs.push({ seed, steps: result.evaluatedSteps, examplesSeen: result.examplesSeen, losses: result.losses, status: result.status });
          update(++done);
        }
        const finals = runs.map((r) => r.losses[r.losses.length - 1]);
        optimizers[optimizer] = {
          optimizer,
          selected: best,
          tuningGrid,
          runs,
          meanFinalLoss: finals.reduce((a, b) => a + b, 0) / finals.length,
        };
      }
      reports.push({ dataset, numExamples: data.numExamples, numParams: data.numFeatures, optimizers });
    }
  });
  return {
    experiment: 'variance',
    batchSize,
    iterations,
    samplesPerExample,
    log10StepSizes,
    log10Dampings,
    tuningSeed,
    seeds,
    datasets: reports,
    stepper,
    seconds: (performance.now() - started) / 1000,
  };
}
