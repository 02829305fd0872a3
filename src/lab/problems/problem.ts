/**
 * A supervised learning problem that can act as a fisherd training client: a data set, a prediction
 * function f(x, θ) and a likelihood p(y | f). For a parameter vector θ and a set of examples it gives,
 * in math.md's scale (everything per example ℓ_n = −log p(y_n | f(x_n, θ)), averaged over examples):
 *
 * - the average loss L = (1/b) Σ ℓ_n (up to the likelihood's dropped constant),
 * - the mean gradient ḡ = (1/b) Σ g_n and the per-example gradients g_n = J_nᵀ ∇_f ℓ_n (b rows),
 * - sampled-label gradients g̃_{n,k} = J_nᵀ ∇_f[−log p(ỹ_{n,k} | f_n)], ỹ_{n,k} ~ p(· | f_n)
 *   (K rows per example, example-major: row n·K + k),
 * - exact Fisher factor rows u_{n,c} = J_nᵀ A_{:,c} with A Aᵀ = H_n (C rows per example, row n·C + c),
 *   so that (1/b) Σ_{n,c} u_{n,c} u_{n,c}ᵀ = (1/b) Σ_n J_nᵀ H_n J_n = F.
 *
 * All in float64. Rows are dense, row-major, D columns.
 */
import { FisherdError } from '../../errors.js';
import type { Rng } from '../rng.js';
import type { Likelihood } from './likelihoods.js';
import type { Model } from './models.js';

/** Inputs and targets, row-major. */
export interface Examples {
  /** N×d inputs, row-major. */
  readonly X: Float64Array;
  /** N targets (real values, 0/1 labels or class indices). */
  readonly y: Float64Array;
  readonly numExamples: number;
  /** d, the input length (for the paper's data sets: features + the bias column). */
  readonly numFeatures: number;
}

/** What `evaluate` should compute besides the loss and the mean gradient. */
export interface EvaluateRequest {
  perExampleGrads?: boolean;
  /** K labels sampled per example from the model, with this stream. */
  sampledLabels?: { rng: Rng; samplesPerExample: number };
  fisherFactorRows?: boolean;
}

export interface Evaluation {
  /** b, the number of examples evaluated. */
  batchSize: number;
  /** (1/b) Σ ℓ_n. */
  loss: number;
  /** ḡ = (1/b) Σ g_n. */
  meanGrad: Float64Array;
  /** b×D rows g_n, when requested. */
  perExampleGrads?: Float64Array;
  /** (b·K)×D rows, when requested. */
  sampledLabelGrads?: Float64Array;
  samplesPerExample?: number;
  /** (b·C)×D rows, when requested. */
  fisherFactorRows?: Float64Array;
  factorsPerExample?: number;
}

export class Problem {
  /** D, the number of parameters. */
  readonly dim: number;
  readonly numExamples: number;
  /** C, the likelihood's number of natural parameters. */
  readonly outputDim: number;

  constructor(
    /** For reports, e.g. "logistic regression on a1a". */
    readonly name: string,
    readonly model: Model,
    readonly likelihood: Likelihood,
    readonly examples: Examples,
  ) {
    if (model.inputDim !== examples.numFeatures) {
      throw new FisherdError('SHAPE_MISMATCH', `model expects ${model.inputDim} inputs, data has ${examples.numFeatures}`, { field: 'examples.X' });
    }
    if (model.outputDim !== likelihood.outputDim) {
      throw new FisherdError('SHAPE_MISMATCH', `model has ${model.outputDim} outputs, likelihood needs ${likelihood.outputDim}`, { field: 'model' });
    }
    if (examples.X.length !== examples.numExamples * examples.numFeatures || examples.y.length !== examples.numExamples) {
      throw new FisherdError('SHAPE_MISMATCH', `X must be ${examples.numExamples}×${examples.numFeatures} and y of length ${examples.numExamples}`, { field: 'examples' });
    }
    this.dim = model.dim;
    this.numExamples = examples.numExamples;
    this.outputDim = model.outputDim;
  }

  /**
   * Loss, mean gradient and the requested rows over `batch` (example indices; all N when omitted).
   * The order of rows follows `batch`.
   */
  evaluate(theta: Float64Array, request: EvaluateRequest = {}, batch?: ArrayLike<number>): Evaluation {
    const { model, likelihood } = this;
    const { X, y, numFeatures: d } = this.examples;
    const D = this.dim;
    const C = this.outputDim;
    if (theta.length !== D) throw new FisherdError('SHAPE_MISMATCH', `θ must have length ${D}, got ${theta.length}`, { field: 'theta' });
    const b = batch === undefined ? this.numExamples : batch.length;
    if (b === 0) throw new FisherdError('INVALID_CONFIG', 'the batch is empty', { field: 'batch' });
    const K = request.sampledLabels?.samplesPerExample ?? 0;

    const meanGrad = new Float64Array(D);
    const perExampleGrads = request.perExampleGrads ? new Float64Array(b * D) : undefined;
    const sampledLabelGrads = request.sampledLabels ? new Float64Array(b * K * D) : undefined;
    const fisherFactorRows = request.fisherFactorRows ? new Float64Array(b * C * D) : undefined;

    const cache = model.createCache();
    const f = new Float64Array(C);
    const residual = new Float64Array(C);
    const factor = new Float64Array(C * C);
    const column = new Float64Array(C);
    let lossSum = 0;
    for (let i = 0; i < b; i++) {
      const n = batch === undefined ? i : batch[i];
      const offset = n * d;
      model.forward(theta, X, offset, f, cache);
      lossSum += likelihood.nll(f, y[n]);
      likelihood.residual(f, y[n], residual);
      // ḡ accumulates (1/b) J_nᵀ ∇_f ℓ_n directly; the per-example row gets the unscaled g_n.
      model.vjp(theta, X, offset, cache, residual, 1 / b, meanGrad, 0);
      if (perExampleGrads) model.vjp(theta, X, offset, cache, residual, 1, perExampleGrads, i * D);
      if (sampledLabelGrads && request.sampledLabels) {
        for (let k = 0; k < K; k++) {
          likelihood.residual(f, likelihood.sample(f, request.sampledLabels.rng), residual);
          model.vjp(theta, X, offset, cache, residual, 1, sampledLabelGrads, (i * K + k) * D);
        }
      }
      if (fisherFactorRows) {
        likelihood.hessianFactor(f, factor);
        for (let c = 0; c < C; c++) {
          for (let k = 0; k < C; k++) column[k] = factor[k * C + c];
          model.vjp(theta, X, offset, cache, column, 1, fisherFactorRows, (i * C + c) * D);
        }
      }
    }
    const result: Evaluation = { batchSize: b, loss: lossSum / b, meanGrad };
    if (perExampleGrads) result.perExampleGrads = perExampleGrads;
    if (sampledLabelGrads) {
      result.sampledLabelGrads = sampledLabelGrads;
      result.samplesPerExample = K;
    }
    if (fisherFactorRows) {
      result.fisherFactorRows = fisherFactorRows;
      result.factorsPerExample = C;
    }
    return result;
  }

  /** The average loss (1/b) Σ ℓ_n over `batch` (all examples when omitted). */
  loss(theta: Float64Array, batch?: ArrayLike<number>): number {
    const { model, likelihood } = this;
    const { X, y, numFeatures: d } = this.examples;
    const cache = model.createCache();
    const f = new Float64Array(this.outputDim);
    const b = batch === undefined ? this.numExamples : batch.length;
    let sum = 0;
    for (let i = 0; i < b; i++) {
      const n = batch === undefined ? i : batch[i];
      model.forward(theta, X, n * d, f, cache);
      sum += likelihood.nll(f, y[n]);
    }
    return sum / b;
  }

  /** ∇L, the mean gradient over `batch`. */
  meanGrad(theta: Float64Array, batch?: ArrayLike<number>): Float64Array {
    return this.evaluate(theta, {}, batch).meanGrad;
  }
}
