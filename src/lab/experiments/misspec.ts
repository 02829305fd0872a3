/**
 * Figs. 2 and 4 (Appendix D.2): the quadratic models ½(θ − θ*)ᵀM(θ − θ*) of the loss at its minimum θ*
 * for M = F and M = Ẽ, on logistic regression (Table 2) and linear regression (Table 3) data, each in a
 * well-specified and two misspecified variants, N = 1000.
 *
 * F and Ẽ at θ* are computed by the lab in float64 from the problem's rows (factor rows and per-example
 * gradients) and, independently, by a Session from the same rows sent as one full-batch step; the JSON
 * records both traces and eigenvalues. The agreement of the two quadratics is measured by the generalized
 * eigenvalues of (Ẽ, F), i.e. the eigenvalues of F^{−1/2} Ẽ F^{−1/2}: all 1 when the ellipses coincide.
 */
import { linearRegression, logisticRegression, type Problem } from '../problems/index.js';
import { phase, silentProgress, type Progress } from '../progress.js';
import type { StepperTarget } from '../stepper.js';
import { MISSPEC_CASES, misspecClassificationData, misspecRegressionData, type MisspecCase } from '../synthetic.js';
import { train } from '../train.js';
import { denseSecondMoment, leastSquares, newtonMinimize } from './least-squares.js';

/** Generalized eigenvalues within [1/tolerance, tolerance] count as "the EF matches F". */
export const MATCH_TOLERANCE = 1.25;
/** The paper draws the level set (θ − θ*)ᵀ(N·M)(θ − θ*) = 3² (efplt.ellipsis(3, N·M)). */
export const ELLIPSE_LEVEL = 3;

export interface MisspecOptions {
  /** Default 1000. */
  numExamples?: number;
  /** Default 0. */
  seed?: number;
  target?: StepperTarget;
  progress?: Progress;
}

export interface MisspecPanel {
  case: MisspecCase;
  /** Inputs (2-D) and targets, for the data panels. */
  data: { x0: number[]; x1: number[]; y: number[] };
  /** θ* (2 parameters). */
  optimum: [number, number];
  /** F and Ẽ at θ*, averaged (row-major 2×2). */
  fisher: [number, number, number, number];
  empiricalFisher: [number, number, number, number];
  /** Eigenvalues of F^{−1/2} Ẽ F^{−1/2}, descending. */
  generalizedEigenvalues: [number, number];
  /** Both within [1/MATCH_TOLERANCE, MATCH_TOLERANCE]. */
  efMatchesFisher: boolean;
  /** Loss on a grid around θ* (index of the first parameter outer), for contours. */
  window: { x: number[]; y: number[]; loss: number[] };
  /** The Session's estimates from one full-batch step at θ*. */
  session: { fisherTrace: number; empiricalFisherTrace: number; fisherEigenvalues: number[]; empiricalFisherEigenvalues: number[] };
  /** max relative difference between the session's traces/eigenvalues and the lab's. */
  sessionRelativeDifference: number;
}

export interface MisspecResult {
  experiment: 'misspec';
  numExamples: number;
  seed: number;
  /** Fig. 2: logistic regression (Table 2). */
  classification: MisspecPanel[];
  /** Fig. 4: linear regression (Table 3). */
  regression: MisspecPanel[];
  checks: {
    /** Ẽ matches F in the well-specified case and in neither misspecified one, for both figures. */
    efMatchesOnlyWhenWellSpecified: boolean;
  };
  stepper: string;
}

export async function runMisspecExperiment(options: MisspecOptions = {}): Promise<MisspecResult> {
  const progress = options.progress ?? silentProgress;
  const numExamples = options.numExamples ?? 1000;
  const seed = options.seed ?? 0;
  let stepper = '';
  const classification: MisspecPanel[] = [];
  const regression: MisspecPanel[] = [];
  await phase(progress, 'Figs. 2 and 4', 2 * MISSPEC_CASES.length, async (update) => {
    let done = 0;
    for (const which of MISSPEC_CASES) {
      const examples = misspecClassificationData(which, { numExamples, seed });
      const problem = logisticRegression(examples, { name: `Fig. 2 ${which}` });
      const panel = await analyse(problem, which, newtonMinimize(problem), options.target);
      stepper = panel.stepper;
      classification.push(panel.panel);
      update(++done);
    }
    for (const which of MISSPEC_CASES) {
      const examples = misspecRegressionData(which, { numExamples, seed });
      const problem = linearRegression(examples, { name: `Fig. 4 ${which}` });
      const panel = await analyse(problem, which, leastSquares(examples), options.target);
      regression.push(panel.panel);
      update(++done);
    }
  });
  const onlyWellSpecified = (panels: MisspecPanel[]): boolean =>
    panels.every((p) => p.efMatchesFisher === (p.case === 'correct'));
  return {
    experiment: 'misspec',
    numExamples,
    seed,
    classification,
    regression,
    checks: { efMatchesOnlyWhenWellSpecified: onlyWellSpecified(classification) && onlyWellSpecified(regression) },
    stepper,
  };
}

async function analyse(problem: Problem, which: MisspecCase, optimum: Float64Array, target?: StepperTarget): Promise<{ panel: MisspecPanel; stepper: string }> {
  const { X, y, numExamples: N } = problem.examples;
  const evaluation = problem.evaluate(optimum, { perExampleGrads: true, fisherFactorRows: true });
  const fisher = denseSecondMoment(evaluation.fisherFactorRows!, N, 2);
  const empiricalFisher = denseSecondMoment(evaluation.perExampleGrads!, N, 2);
  const generalized = generalizedEigenvalues(empiricalFisher, fisher);

  // The same rows through a Session: one full-batch step at θ* (its update is not applied anywhere).
  const trained = await train({
    problem,
    optimizer: { name: 'sgd', stepSize: 1e-12 },
    iterations: 1,
    initialParams: optimum,
    trackBoth: true,
    estimatesTopK: 2,
    ...(target ? { target } : {}),
  });
  const sessionFisher = trained.estimates?.find((e) => e.kind === 'fisher');
  const sessionEf = trained.estimates?.find((e) => e.kind === 'empiricalFisher');
  const labFisher = symmetricEigenvalues2(fisher);
  const labEf = symmetricEigenvalues2(empiricalFisher);
  const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
  const sessionRelativeDifference = sessionFisher && sessionEf
    ? Math.max(
      relative(sessionFisher.trace, fisher[0] + fisher[3]),
      relative(sessionEf.trace, empiricalFisher[0] + empiricalFisher[3]),
      ...sessionFisher.topEigenvalues.map((v, i) => relative(v, labFisher[i])),
      ...sessionEf.topEigenvalues.map((v, i) => relative(v, labEf[i])),
    )
    : NaN;

  // Window: a square around θ* that holds both ellipses (semi-axes 3/√(N·λ_min)) with a margin.
  const halfWidth = 1.4 * ELLIPSE_LEVEL / Math.sqrt(N * Math.min(labFisher[1], labEf[1]));
  const points = 41;
  const axis = (centre: number): number[] => Array.from({ length: points }, (_, i) => centre - halfWidth + (2 * halfWidth * i) / (points - 1));
  const wx = axis(optimum[0]);
  const wy = axis(optimum[1]);
  const loss: number[] = [];
  for (const a of wx) for (const b of wy) loss.push(problem.loss(Float64Array.of(a, b)));

  const x0: number[] = [];
  const x1: number[] = [];
  const inputColumn = problem.examples.numFeatures === 2 && X[1] === 1 ? 'regression' : 'classification';
  for (let n = 0; n < N; n++) {
    x0.push(X[2 * n]);
    x1.push(inputColumn === 'regression' ? 1 : X[2 * n + 1]);
  }
  return {
    stepper: trained.stepper,
    panel: {
      case: which,
      data: { x0, x1, y: Array.from(y) },
      optimum: [optimum[0], optimum[1]],
      fisher: [fisher[0], fisher[1], fisher[2], fisher[3]],
      empiricalFisher: [empiricalFisher[0], empiricalFisher[1], empiricalFisher[2], empiricalFisher[3]],
      generalizedEigenvalues: generalized,
      efMatchesFisher: generalized.every((v) => v <= MATCH_TOLERANCE && v >= 1 / MATCH_TOLERANCE),
      window: { x: wx, y: wy, loss },
      session: {
        fisherTrace: sessionFisher?.trace ?? NaN,
        empiricalFisherTrace: sessionEf?.trace ?? NaN,
        fisherEigenvalues: sessionFisher?.topEigenvalues ?? [],
        empiricalFisherEigenvalues: sessionEf?.topEigenvalues ?? [],
      },
      sessionRelativeDifference,
    },
  };
}

/** Eigenvalues (descending) of a symmetric 2×2 matrix (row-major). */
export function symmetricEigenvalues2(M: ArrayLike<number>): [number, number] {
  const mean = 0.5 * (M[0] + M[3]);
  const radius = Math.hypot(0.5 * (M[0] - M[3]), 0.5 * (M[1] + M[2]));
  return [mean + radius, mean - radius];
}

/** Eigenvalues (descending) of F^{−1/2} A F^{−1/2}, i.e. of F⁻¹A, for symmetric 2×2 A and SPD F. */
export function generalizedEigenvalues(A: ArrayLike<number>, F: ArrayLike<number>): [number, number] {
  // det(A − μF) = 0: a quadratic in μ.
  const a = F[0] * F[3] - F[1] * F[2];
  const b = -(A[0] * F[3] + A[3] * F[0] - A[1] * F[2] - A[2] * F[1]);
  const c = A[0] * A[3] - A[1] * A[2];
  const discriminant = Math.max(0, b * b - 4 * a * c);
  const root = Math.sqrt(discriminant);
  return [(-b + root) / (2 * a), (-b - root) / (2 * a)];
}
