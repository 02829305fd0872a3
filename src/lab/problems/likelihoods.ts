/**
 * Likelihoods p(y | f) of the exponential families the lab's problems use, in their natural
 * parameters f ∈ R^C. Each gives what a training client needs (math.md's notation):
 *
 * - `nll(f, y)`: ℓ = −log p(y | f), up to an additive constant that does not depend on f or θ
 *   (`constant` says which; it changes no gradient and no curvature).
 * - `residual(f, y)`: ∇_f ℓ, so that the per-example gradient is g_n = J_nᵀ ∇_f ℓ.
 * - `hessianFactor(f)`: a C×C matrix A with H = ∇²_f ℓ = A Aᵀ (H does not depend on y for exponential
 *   families, paper Prop. 1), so that the Fisher factor rows are u_{n,c} = J_nᵀ A_{:,c}.
 * - `sample(f, rng)`: a label ỹ ~ p(· | f), for the sampled-label (Monte-Carlo) Fisher.
 *
 * Labels are numbers: a real target (Gaussian), 0/1 (Bernoulli), or a class index (categorical).
 */
import { FisherdError } from '../../errors.js';
import type { Rng } from '../rng.js';

export interface Likelihood {
  /** Which family, for reports. */
  readonly kind: 'gaussian' | 'bernoulli' | 'categorical';
  /** C, the number of natural parameters per example. */
  readonly outputDim: number;
  /** The dropped additive constant: −log p(y|f) = nll(f, y) + constant. */
  readonly constant: number;
  nll(f: ArrayLike<number>, y: number): number;
  /** Writes ∇_f ℓ into `out` (length C). */
  residual(f: ArrayLike<number>, y: number, out: Float64Array): void;
  /** Writes A (C×C, row-major: A[k*C + c] is component k of column c) with ∇²_f ℓ = A Aᵀ. */
  hessianFactor(f: ArrayLike<number>, out: Float64Array): void;
  sample(f: ArrayLike<number>, rng: Rng): number;
}

/**
 * Gaussian with fixed variance σ²: ℓ = (f − y)² / (2σ²), ∇_f ℓ = (f − y)/σ², H = 1/σ², A = 1/σ.
 * The dropped constant is ½ log(2πσ²); the paper's code drops it too (its loss is the mean of
 * (f − y)²/(2σ²)), which matters for its "loss > 100 × initial loss" divergence rule.
 */
export function gaussianLikelihood(options: {
  /** σ², the observation noise variance. Default 1 (the paper's choice for every regression set). */
  noiseVariance?: number;
} = {}): Likelihood {
  const variance = options.noiseVariance ?? 1;
  if (!(variance > 0)) throw new FisherdError('INVALID_CONFIG', `noiseVariance must be > 0, got ${variance}`, { field: 'noiseVariance' });
  const std = Math.sqrt(variance);
  return {
    kind: 'gaussian',
    outputDim: 1,
    constant: 0.5 * Math.log(2 * Math.PI * variance),
    nll: (f, y) => {
      const r = f[0] - y;
      return (r * r) / (2 * variance);
    },
    residual: (f, y, out) => {
      out[0] = (f[0] - y) / variance;
    },
    hessianFactor: (_f, out) => {
      out[0] = 1 / std;
    },
    sample: (f, rng) => f[0] + std * rng.normal(),
  };
}

/**
 * Bernoulli with logit f: π = σ(f), ℓ = −y log π − (1 − y) log(1 − π), ∇_f ℓ = π − y, H = π(1 − π).
 *
 * `probabilityClip` c > 0 reproduces the paper's code (`eftk.helpers.sigmoid` clips σ to [c, 1 − c]
 * with c = 1e-8 and uses the clipped π in the loss, the gradient and the Fisher alike); it bounds each
 * example's loss by −log c ≈ 18.42. With c = 0 the loss is computed stably through softplus.
 */
export function bernoulliLikelihood(options: {
  /** Clip π to [c, 1 − c] everywhere (paper: 1e-8). Default 0 (no clipping, exact). */
  probabilityClip?: number;
} = {}): Likelihood {
  const clip = options.probabilityClip ?? 0;
  if (!(clip >= 0 && clip < 0.5)) throw new FisherdError('INVALID_CONFIG', `probabilityClip must be in [0, 0.5), got ${clip}`, { field: 'probabilityClip' });
  const probability = (f: number): number => {
    const p = sigmoid(f);
    return clip > 0 ? Math.min(Math.max(p, clip), 1 - clip) : p;
  };
  return {
    kind: 'bernoulli',
    outputDim: 1,
    constant: 0,
    nll: (f, y) => {
      const z = f[0];
      if (clip > 0) {
        const p = probability(z);
        return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
      }
      // −log σ(z) = softplus(−z), −log(1 − σ(z)) = softplus(z)
      return y * softplus(-z) + (1 - y) * softplus(z);
    },
    residual: (f, y, out) => {
      out[0] = probability(f[0]) - y;
    },
    hessianFactor: (f, out) => {
      const p = probability(f[0]);
      out[0] = Math.sqrt(p * (1 - p));
    },
    sample: (f, rng) => rng.bernoulli(probability(f[0])),
  };
}

/**
 * Categorical (softmax) over C classes: π = softmax(f), ℓ = logsumexp(f) − f_y, ∇_f ℓ = π − e_y,
 * H = diag(π) − ππᵀ (paper eq. 34). The factor used is A = diag(√π)(I − √π√πᵀ), whose column c is
 * √π_c (e_c − π): H = Σ_c π_c (e_c − π)(e_c − π)ᵀ, the covariance of the one-hot label under the model.
 * (Any A with AAᵀ = H gives the same Fisher; this one needs no eigendecomposition.)
 */
export function categoricalLikelihood(numClasses: number): Likelihood {
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) throw new FisherdError('INVALID_CONFIG', `numClasses must be an integer ≥ 2, got ${numClasses}`, { field: 'numClasses' });
  const C = numClasses;
  const pi = new Float64Array(C);
  return {
    kind: 'categorical',
    outputDim: C,
    constant: 0,
    nll: (f, y) => logSumExp(f, C) - f[checkClass(y, C)],
    residual: (f, y, out) => {
      softmax(f, C, out);
      out[checkClass(y, C)] -= 1;
    },
    hessianFactor: (f, out) => {
      softmax(f, C, pi);
      for (let c = 0; c < C; c++) {
        const s = Math.sqrt(pi[c]);
        for (let k = 0; k < C; k++) out[k * C + c] = s * ((k === c ? 1 : 0) - pi[k]);
      }
    },
    sample: (f, rng) => {
      softmax(f, C, pi);
      return rng.categorical(pi);
    },
  };
}

/** σ(z) = 1/(1 + e^{−z}), without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** softplus(z) = log(1 + e^z), stable for large |z|. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function logSumExp(f: ArrayLike<number>, C: number): number {
  let max = -Infinity;
  for (let c = 0; c < C; c++) max = Math.max(max, f[c]);
  let sum = 0;
  for (let c = 0; c < C; c++) sum += Math.exp(f[c] - max);
  return max + Math.log(sum);
}

/** Writes softmax(f) into `out`. */
export function softmax(f: ArrayLike<number>, C: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < C; c++) max = Math.max(max, f[c]);
  let sum = 0;
  for (let c = 0; c < C; c++) {
    const e = Math.exp(f[c] - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < C; c++) out[c] /= sum;
}

function checkClass(y: number, C: number): number {
  if (!(Number.isInteger(y) && y >= 0 && y < C)) throw new FisherdError('INVALID_CONFIG', `class label must be an integer in [0, ${C}), got ${y}`, { field: 'y' });
  return y;
}
