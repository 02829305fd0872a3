/**
 * The lab's four problems, each a `Problem` (model + likelihood + data):
 *
 * | problem | f(x, θ) | p(y | f) | F (averaged, math.md) |
 * | --- | --- | --- | --- |
 * | linear regression | xᵀθ | N(f, σ²) | (1/(Nσ²)) Σ x_n x_nᵀ |
 * | logistic regression | xᵀθ | Bernoulli(σ(f)) | (1/N) Σ π_n(1 − π_n) x_n x_nᵀ |
 * | softmax regression | W x, θ = vec(W) | Categorical(softmax(f)) | (1/N) Σ (I ⊗ x_n) H_n (I ⊗ x_n)ᵀ |
 * | MLP | tanh network | Gaussian or categorical | (1/N) Σ J_nᵀ H_n J_n |
 */
import { bernoulliLikelihood, categoricalLikelihood, gaussianLikelihood, type Likelihood } from './likelihoods.js';
import { linearModel, mlpModel } from './models.js';
import { Problem, type Examples } from './problem.js';

export { Problem, type Examples, type Evaluation, type EvaluateRequest } from './problem.js';
export { bernoulliLikelihood, categoricalLikelihood, gaussianLikelihood, sigmoid, softplus, type Likelihood } from './likelihoods.js';
export { linearModel, mlpModel, initialMlpParams, type Model } from './models.js';

/** Linear least squares as a Gaussian model: ℓ_n = (x_nᵀθ − y_n)²/(2σ²) (+ ½ log 2πσ², dropped). */
export function linearRegression(examples: Examples, options: {
  /** σ² (default 1, as in the paper). */
  noiseVariance?: number;
  name?: string;
} = {}): Problem {
  const likelihood = gaussianLikelihood(options.noiseVariance === undefined ? {} : { noiseVariance: options.noiseVariance });
  return new Problem(options.name ?? 'linear regression', linearModel(examples.numFeatures), likelihood, examples);
}

/** Logistic regression, labels y ∈ {0, 1}. */
export function logisticRegression(examples: Examples, options: {
  /** Clip σ(f) to [c, 1 − c] (the paper's code: 1e-8). Default 0. */
  probabilityClip?: number;
  name?: string;
} = {}): Problem {
  const likelihood = bernoulliLikelihood(options.probabilityClip === undefined ? {} : { probabilityClip: options.probabilityClip });
  return new Problem(options.name ?? 'logistic regression', linearModel(examples.numFeatures), likelihood, examples);
}

/** Multinomial logistic (softmax) regression, labels y ∈ {0, …, C−1}; θ = vec(W), W of C×d row-major. */
export function softmaxRegression(examples: Examples, numClasses: number, options: { name?: string } = {}): Problem {
  return new Problem(options.name ?? 'softmax regression', linearModel(examples.numFeatures, numClasses), categoricalLikelihood(numClasses), examples);
}

/**
 * A small tanh MLP, `hidden` units per hidden layer, with a Gaussian output (regression, one output)
 * or a categorical output (`numClasses` outputs). Initial parameters: `initialMlpParams`.
 */
export function mlp(examples: Examples, options: {
  /** Hidden layer widths. Default [16]. */
  hidden?: readonly number[];
  /** Categorical output with this many classes; omitted: Gaussian regression with σ² = `noiseVariance`. */
  numClasses?: number;
  /** σ² for the Gaussian output. Default 1. */
  noiseVariance?: number;
  name?: string;
} = {}): Problem {
  const likelihood: Likelihood = options.numClasses === undefined
    ? gaussianLikelihood(options.noiseVariance === undefined ? {} : { noiseVariance: options.noiseVariance })
    : categoricalLikelihood(options.numClasses);
  const sizes = mlpLayerSizes(examples.numFeatures, likelihood.outputDim, options.hidden);
  return new Problem(options.name ?? 'MLP', mlpModel(sizes), likelihood, examples);
}

/** The layer sizes `mlp` uses: [d, ...hidden, C]. */
export function mlpLayerSizes(inputDim: number, outputDim: number, hidden: readonly number[] = [16]): number[] {
  return [inputDim, ...hidden, outputDim];
}
