/**
 * The paper's synthetic data sets, generated with the seeded `Rng`:
 *
 * - Fig. 1 (Appendix D.1, eq. 49): x ~ Lognormal(0, 3/4), ε ~ N(0, 1), y = 2 + 2x + ε, N = 1000.
 * - Fig. 2 (Table 2): two Gaussian classes in 2-D, p(y=0) = p(y=1) = 1/2, N = 1000.
 * - Fig. 4 (Table 3): x ~ N(0, 1) and y = x + 1 + ε, with three noise / model variants, N = 1000.
 *
 * Conventions follow the authors' code (`eftk/toydata.py`), which produced the figures, where the
 * paper's text is ambiguous about them:
 * - the second argument of Lognormal, N(·, s) and the class "covariances" is used as a **scale**: the
 *   code draws `μ + z·A` with z ~ N(0, I), so Table 2's "2I" gives per-coordinate standard deviation 2
 *   (covariance AᵀA = 4I; this is what gives the 73 % accuracy of Fig. 2's caption, while variance 2
 *   would give 84 %), Table 3's N(0, 2) noise has standard deviation 2, and Lognormal(0, 3/4) has
 *   log-standard deviation 0.75;
 * - Table 3's regressions have intercept 1 (θ_T = [1, 1] in the code; Fig. 4 caption: y ~ N(xθ* + b*, ·)).
 *
 * Column order: Fig. 1's inputs are [1, x] (bias **first**, so that θ = (b, θ) matches the paper's axes
 * and its start points); Table 3's are [x, 1] (as the code). Table 2's inputs are the 2-D points
 * without a bias (the code fits logistic regression without one).
 */
import type { Examples } from './problems/problem.js';
import { Rng } from './rng.js';

/** Fig. 1's regression data: X = [1, x] (N×2), y = 2 + 2x + ε. */
export function vectorFieldData(options: {
  /** Default 1000 (Appendix D.1). */
  numExamples?: number;
  /** Default 0. */
  seed?: number;
} = {}): Examples {
  const N = options.numExamples ?? 1000;
  const rng = new Rng(options.seed ?? 0);
  const X = new Float64Array(N * 2);
  const y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const x = rng.lognormal(0, 0.75);
    X[2 * n] = 1;
    X[2 * n + 1] = x;
    y[n] = 2 + 2 * x + rng.normal();
  }
  return { X, y, numExamples: N, numFeatures: 2 };
}

/** The three logistic-regression data sets of Table 2. */
export type MisspecCase = 'correct' | 'misspecifiedA' | 'misspecifiedB';
export const MISSPEC_CASES: readonly MisspecCase[] = ['correct', 'misspecifiedA', 'misspecifiedB'];

/** Table 2 as written: per class, the mean and the 2×2 matrix A (used as a scale, see above). */
export const TABLE2: Readonly<Record<MisspecCase, { class0: ClassSpec; class1: ClassSpec }>> = {
  correct: { class0: { mean: [1, 1], scale: [2, 0, 0, 2] }, class1: { mean: [-1, -1], scale: [2, 0, 0, 2] } },
  misspecifiedA: { class0: { mean: [1.5, 1.5], scale: [3, 0, 0, 3] }, class1: { mean: [-1.5, -1.5], scale: [1, 0, 0, 1] } },
  misspecifiedB: { class0: { mean: [-1, -1], scale: [1.5, -0.9, -0.9, 1.5] }, class1: { mean: [1, 1], scale: [1.5, 0.9, 0.9, 1.5] } },
};

export interface ClassSpec {
  readonly mean: readonly [number, number];
  /** Row-major 2×2 A; a point is mean + zᵀA, z ~ N(0, I₂). */
  readonly scale: readonly [number, number, number, number];
}

/** Table 2's classification data: N/2 points of class 0, then N/2 of class 1 (inputs 2-D, no bias). */
export function misspecClassificationData(which: MisspecCase, options: { numExamples?: number; seed?: number } = {}): Examples {
  const N = options.numExamples ?? 1000;
  const half = Math.floor(N / 2);
  const rng = new Rng(options.seed ?? 0);
  const spec = TABLE2[which];
  const X = new Float64Array(2 * half * 2);
  const y = new Float64Array(2 * half);
  [spec.class0, spec.class1].forEach((cls, label) => {
    const [a, b, c, d] = cls.scale;
    for (let i = 0; i < half; i++) {
      const n = label * half + i;
      const z0 = rng.normal();
      const z1 = rng.normal();
      X[2 * n] = cls.mean[0] + z0 * a + z1 * c;
      X[2 * n + 1] = cls.mean[1] + z0 * b + z1 * d;
      y[n] = label;
    }
  });
  return { X, y, numExamples: 2 * half, numFeatures: 2 };
}

/**
 * Table 3's regression data: x ~ N(0, 1), inputs [x, 1];
 * correct y = x + 1 + ε, misspecified (A) y = x + 1 + 2ε, misspecified (B) y = x + ½x² + 1 + ε; ε ~ N(0, 1).
 */
export function misspecRegressionData(which: MisspecCase, options: { numExamples?: number; seed?: number } = {}): Examples {
  const N = options.numExamples ?? 1000;
  const rng = new Rng(options.seed ?? 0);
  const X = new Float64Array(N * 2);
  const y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const x = rng.normal();
    const noise = rng.normal();
    X[2 * n] = x;
    X[2 * n + 1] = 1;
    const noiseScale = which === 'misspecifiedA' ? 2 : 1;
    const quadratic = which === 'misspecifiedB' ? 0.5 * x * x : 0;
    y[n] = x + quadratic + 1 + noiseScale * noise;
  }
  return { X, y, numExamples: N, numFeatures: 2 };
}
