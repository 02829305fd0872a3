/**
 * The lab's training loop: a `Problem` acting as a fisherd training client. Each step it evaluates the
 * problem at θ (on the full data set or a minibatch), sends the rows the session needs, applies the Δθ
 * it gets back (θ ← θ + Δθ) and records the loss, the examples seen and the session's diagnostics.
 */
import { FisherdError } from '../errors.js';
import { requiredEstimates, type OptimizerSpec } from '../optim/spec.js';
import type { SessionConfig } from '../session/config.js';
import type { Problem } from './problems/problem.js';
import type { Rng } from './rng.js';
import { contributionOf, openStepper, type EstimateSummary, type StepperTarget } from './stepper.js';

export interface TrainOptions {
  problem: Problem;
  /** The fisherd optimizer (sgd for the paper's GD, ngd, efgd, snr, va). */
  optimizer: OptimizerSpec;
  iterations: number;
  /** θ₀. Default 0. */
  initialParams?: Float64Array;
  /** Example indices of step t's minibatch (t = 1, 2, …). Default: the full data set every step. */
  batches?: (step: number) => ArrayLike<number>;
  /** Where the Fisher comes from: 'exact' factor rows (default) or 'sampled' labels. */
  fisherSource?: 'exact' | 'sampled';
  /** K sampled labels per example (fisherSource 'sampled'). Default 1. */
  samplesPerExample?: number;
  /** The stream for sampled labels (fisherSource 'sampled'). */
  rng?: Rng;
  /** Also track both the empirical Fisher and the Fisher, for the session's `cosineEfFisher`. Default false. */
  trackBoth?: boolean;
  /** Stop when the full-data loss exceeds this multiple of the initial loss (paper: 100). Default: never. */
  divergenceFactor?: number;
  /** Full-data loss every this many steps (and at the end), for minibatch runs. Default 1. */
  evaluateEvery?: number;
  target?: StepperTarget;
  /** Called with θ_t before step t + 1 and after the last step (e.g. for extra diagnostics). */
  observe?: (params: Float64Array, step: number) => void;
  onStep?: (step: number) => void;
  /** After the last step, ask the session for its estimates with this many top eigenvalues. */
  estimatesTopK?: number;
}

export interface TrainResult {
  /** Steps at which `losses` was evaluated (0 = θ₀). */
  evaluatedSteps: number[];
  /** Full-data loss at those steps. */
  losses: number[];
  /** Examples whose gradients were computed up to those steps (b per step). */
  examplesSeen: number[];
  /** The session's diagnostics of each step taken. */
  diagnostics: Record<string, number>[];
  params: Float64Array;
  /** 'diverged' when the divergence rule fired; 'failed' when the session rejected a step. */
  status: 'completed' | 'diverged' | 'failed';
  /** The session's error message for a 'failed' run. */
  error?: string;
  /** In-process backend or daemon URL. */
  stepper: string;
  /** The session's estimates after the last step (with `estimatesTopK`). */
  estimates?: EstimateSummary[];
}

/** The session configuration the lab opens for a run (full-matrix estimates, EMA decay 0 by default). */
export function labSessionConfig(problem: Problem, options: Pick<TrainOptions, 'optimizer' | 'fisherSource' | 'trackBoth'>): SessionConfig {
  return {
    dim: problem.dim,
    structure: { kind: 'full' },
    optimizer: options.optimizer,
    emaDecay: 0,
    fisherSource: options.fisherSource ?? 'exact',
    datasetSize: problem.numExamples,
    ...(options.trackBoth ? { track: { empiricalFisher: true, fisher: true } } : {}),
  };
}

export async function train(options: TrainOptions): Promise<TrainResult> {
  const { problem } = options;
  const config = labSessionConfig(problem, options);
  const required = requiredEstimates(options.optimizer);
  const fisherSource = options.fisherSource ?? 'exact';
  const needs = {
    perExampleGrads: required.empiricalFisher || required.noise || options.trackBoth === true,
    fisher: required.fisher || options.trackBoth === true,
  };
  if (needs.fisher && fisherSource === 'sampled' && options.rng === undefined) {
    throw new FisherdError('INVALID_CONFIG', 'sampled-label Fisher needs an rng', { field: 'rng' });
  }
  const include = {
    perExampleGrads: needs.perExampleGrads,
    sampledLabels: needs.fisher && fisherSource === 'sampled',
    fisherFactorRows: needs.fisher && fisherSource === 'exact',
  };
  const stepper = await openStepper(config, options.target);
  const theta = options.initialParams ? Float64Array.from(options.initialParams) : new Float64Array(problem.dim);
  const evaluateEvery = options.evaluateEvery ?? 1;
  const result: TrainResult = { evaluatedSteps: [], losses: [], examplesSeen: [], diagnostics: [], params: theta, status: 'completed', stepper: stepper.description };
  let seen = 0;
  const record = (step: number, loss: number): void => {
    result.evaluatedSteps.push(step);
    result.losses.push(loss);
    result.examplesSeen.push(seen);
  };
  try {
    const initialLoss = problem.loss(theta);
    record(0, initialLoss);
    const threshold = (options.divergenceFactor ?? Infinity) * initialLoss;
    for (let t = 1; t <= options.iterations; t++) {
      options.observe?.(theta, t - 1);
      const batch = options.batches?.(t);
      const evaluation = problem.evaluate(theta, {
        perExampleGrads: include.perExampleGrads,
        fisherFactorRows: include.fisherFactorRows,
        ...(include.sampledLabels && options.rng ? { sampledLabels: { rng: options.rng, samplesPerExample: options.samplesPerExample ?? 1 } } : {}),
      }, batch);
      let outcome;
      try {
        outcome = await stepper.step(contributionOf(t, evaluation, include));
      } catch (e) {
        result.status = 'failed';
        result.error = e instanceof Error ? e.message : String(e);
        break;
      }
      for (let i = 0; i < theta.length; i++) theta[i] += outcome.update[i];
      seen += evaluation.batchSize;
      result.diagnostics.push({ ...outcome.diagnostics });
      options.onStep?.(t);
      if (t % evaluateEvery === 0 || t === options.iterations) {
        const loss = problem.loss(theta);
        record(t, loss);
        if (!(loss <= threshold)) {
          result.status = 'diverged';
          break;
        }
      }
    }
    if (result.status === 'completed') options.observe?.(theta, options.iterations);
    if (options.estimatesTopK !== undefined && result.diagnostics.length > 0) result.estimates = await stepper.estimates(options.estimatesTopK);
  } finally {
    await stepper.close();
  }
  return result;
}
