/**
 * Prediction functions f(x, θ) ∈ R^C of the lab's problems: a linear map and a small MLP. Each gives
 * the forward pass and the vector-Jacobian product J_θ f(x, θ)ᵀ v, which is all a problem needs for
 * per-example gradients (v = ∇_f ℓ), sampled-label gradients (v = ∇_f ℓ at a sampled label) and Fisher
 * factor rows (v = a column of the Hessian factor).
 */
import { FisherdError } from '../../errors.js';
import type { Rng } from '../rng.js';

/** Per-example scratch that the forward pass fills and the vector-Jacobian product reads. */
export interface ForwardCache {
  /** The network's activations after each layer (MLP); unused by the linear model. */
  readonly activations: Float64Array[];
}

export interface Model {
  readonly kind: 'linear' | 'mlp';
  /** d, the length of an input x. */
  readonly inputDim: number;
  /** C, the number of outputs (natural parameters of the likelihood). */
  readonly outputDim: number;
  /** D, the number of parameters. */
  readonly dim: number;
  createCache(): ForwardCache;
  /** Writes f(x, θ) into `out` (length C); `x` is read from `inputs` at `offset`. */
  forward(theta: Float64Array, inputs: Float64Array, offset: number, out: Float64Array, cache: ForwardCache): void;
  /** out ← out + α·J_θ f(x, θ)ᵀ v, after `forward` filled `cache` for the same x and θ. */
  vjp(theta: Float64Array, inputs: Float64Array, offset: number, cache: ForwardCache, v: ArrayLike<number>, alpha: number, out: Float64Array, outOffset: number): void;
}

/**
 * f = W x with W of C×d, θ = vec(W) row-major (θ[c·d + j] = W_cj). With C = 1 this is the paper's
 * linear model f = xᵀθ (its data sets carry the bias as the last input column). J_θ f = I_C ⊗ xᵀ, so
 * Jᵀv = v ⊗ x.
 */
export function linearModel(inputDim: number, outputDim = 1): Model {
  const d = inputDim;
  const C = outputDim;
  return {
    kind: 'linear',
    inputDim: d,
    outputDim: C,
    dim: d * C,
    createCache: () => ({ activations: [] }),
    forward(theta, inputs, offset, out) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        const row = c * d;
        for (let j = 0; j < d; j++) s += theta[row + j] * inputs[offset + j];
        out[c] = s;
      }
    },
    vjp(_theta, inputs, offset, _cache, v, alpha, out, outOffset) {
      for (let c = 0; c < C; c++) {
        const a = alpha * v[c];
        if (a === 0) continue;
        const row = outOffset + c * d;
        for (let j = 0; j < d; j++) out[row + j] += a * inputs[offset + j];
      }
    },
  };
}

/**
 * A multilayer perceptron with tanh hidden layers and a linear output layer:
 * a⁰ = x, aˡ = tanh(Wˡ aˡ⁻¹ + bˡ) for hidden layers, f = Wᴸ aᴸ⁻¹ + bᴸ.
 * θ concatenates, layer by layer, Wˡ (out × in, row-major) then bˡ.
 */
export function mlpModel(layerSizes: readonly number[]): Model {
  if (layerSizes.length < 2 || layerSizes.some((n) => !(Number.isInteger(n) && n >= 1))) {
    throw new FisherdError('INVALID_CONFIG', `layerSizes must be ≥ 2 positive integers, got [${layerSizes.join(', ')}]`, { field: 'layerSizes' });
  }
  const sizes = [...layerSizes];
  const L = sizes.length - 1; // number of weight layers
  const weightOffsets: number[] = [];
  const biasOffsets: number[] = [];
  let dim = 0;
  for (let l = 0; l < L; l++) {
    weightOffsets.push(dim);
    dim += sizes[l + 1] * sizes[l];
    biasOffsets.push(dim);
    dim += sizes[l + 1];
  }
  const maxWidth = Math.max(...sizes);
  // Backpropagated vectors (δ), reused across calls: one model serves one thread.
  const delta = new Float64Array(maxWidth);
  const deltaPrev = new Float64Array(maxWidth);

  return {
    kind: 'mlp',
    inputDim: sizes[0],
    outputDim: sizes[L],
    dim,
    createCache: () => ({ activations: sizes.slice(1, L).map((n) => new Float64Array(n)) }),
    forward(theta, inputs, offset, out, cache) {
      for (let l = 0; l < L; l++) {
        const nIn = sizes[l];
        const nOut = sizes[l + 1];
        const target = l === L - 1 ? out : cache.activations[l];
        const source = l === 0 ? inputs : cache.activations[l - 1];
        const sourceOffset = l === 0 ? offset : 0;
        const w = weightOffsets[l];
        const b = biasOffsets[l];
        for (let i = 0; i < nOut; i++) {
          let s = theta[b + i];
          const row = w + i * nIn;
          for (let j = 0; j < nIn; j++) s += theta[row + j] * source[sourceOffset + j];
          target[i] = l === L - 1 ? s : Math.tanh(s);
        }
      }
    },
    vjp(theta, inputs, offset, cache, v, alpha, out, outOffset) {
      // δᴸ = α v; for each layer from the top: ∂/∂Wˡ += δˡ (aˡ⁻¹)ᵀ, ∂/∂bˡ += δˡ,
      // δˡ⁻¹ = (Wˡ)ᵀ δˡ ∘ (1 − (aˡ⁻¹)²)  (tanh' = 1 − tanh²).
      let current = delta;
      let previous = deltaPrev;
      for (let i = 0; i < sizes[L]; i++) current[i] = alpha * v[i];
      for (let l = L - 1; l >= 0; l--) {
        const nIn = sizes[l];
        const nOut = sizes[l + 1];
        const source = l === 0 ? inputs : cache.activations[l - 1];
        const sourceOffset = l === 0 ? offset : 0;
        const w = weightOffsets[l];
        const b = biasOffsets[l];
        for (let i = 0; i < nOut; i++) {
          const di = current[i];
          out[outOffset + b + i] += di;
          if (di === 0) continue;
          const row = outOffset + w + i * nIn;
          for (let j = 0; j < nIn; j++) out[row + j] += di * source[sourceOffset + j];
        }
        if (l === 0) break;
        for (let j = 0; j < nIn; j++) {
          let s = 0;
          for (let i = 0; i < nOut; i++) s += theta[w + i * nIn + j] * current[i];
          const a = source[j];
          previous[j] = s * (1 - a * a);
        }
        const swap = current;
        current = previous;
        previous = swap;
      }
    },
  };
}

/**
 * Glorot-uniform initial parameters for `mlpModel(layerSizes)`: W_ij ~ U(−r, r), r = √(6/(in + out)),
 * biases 0. Seeded, so that a run is reproducible.
 */
export function initialMlpParams(layerSizes: readonly number[], rng: Rng): Float64Array {
  const theta = new Float64Array(mlpModel(layerSizes).dim);
  let k = 0;
  for (let l = 0; l + 1 < layerSizes.length; l++) {
    const nIn = layerSizes[l];
    const nOut = layerSizes[l + 1];
    const r = Math.sqrt(6 / (nIn + nOut));
    for (let i = 0; i < nIn * nOut; i++) theta[k++] = (2 * rng.uniform() - 1) * r;
    k += nOut;
  }
  return theta;
}
