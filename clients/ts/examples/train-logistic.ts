/**
 * A complete training loop against a running fisherd: logistic regression on a synthetic data set,
 * trained with natural-gradient descent (NGD) whose Fisher comes from gradients of labels sampled from
 * the model, while fisherd also tracks the empirical Fisher to report how far the two disagree.
 *
 *   fisherd serve                                   # in another terminal
 *   node dist/clients/ts/examples/train-logistic.js ws://127.0.0.1:7070
 *
 * The client computes per-example gradients itself, in closed form: for ℓ_n(θ) = −log p(y_n | x_n, θ)
 * with p(y=1) = σ(x_nᵀθ), g_n = (σ(x_nᵀθ) − y_n) x_n (math.md's per-example scale: reduction 'sum', since
 * the rows are not divided by the batch size). For the Fisher, a label ỹ_n ~ Bernoulli(σ(x_nᵀθ)) is drawn
 * per example and g̃_n = (σ(x_nᵀθ) − ỹ_n) x_n is sent as a sampled-label gradient.
 */
import { pathToFileURL } from 'node:url';
import { FisherdClient } from '../src/index.js';

export interface TrainLogisticOptions {
  /** Bearer token, if the daemon requires one. */
  readonly token?: string;
  /** Passes over the data. Default 5. */
  readonly epochs?: number;
  /** Called after every epoch with the full-data mean loss. Default: print it. */
  readonly onEpoch?: (epoch: number, loss: number, cosineEfFisher: number | undefined) => void;
}

/** A deterministic pseudo-random generator (mulberry32), so that runs are reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Trains; resolves with the full-data mean loss after each epoch, and the loss at the generating θ*. */
export async function trainLogistic(url: string, options: TrainLogisticOptions = {}): Promise<{ losses: number[]; lossAtTruth: number }> {
  const features = 10;
  const D = features + 1; // weights and a bias
  const N = 1024;
  const batchSize = 64;
  const rand = random(42);

  // Data: x ~ N(0, I)-ish with a constant 1 for the bias, y ~ Bernoulli(σ(xᵀθ*)).
  const thetaStar = Array.from({ length: D }, () => 4 * (rand() - 0.5));
  const X = new Float64Array(N * D);
  const Y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let z = 0;
    for (let j = 0; j < D; j++) {
      const x = j === features ? 1 : 2 * (rand() + rand() + rand() - 1.5);
      X[n * D + j] = x;
      z += x * thetaStar[j]!;
    }
    Y[n] = rand() < sigmoid(z) ? 1 : 0;
  }
  const theta = new Float64Array(D);
  const predict = (n: number): number => {
    let z = 0;
    for (let j = 0; j < D; j++) z += X[n * D + j]! * theta[j]!;
    return sigmoid(z);
  };
  const meanLoss = (): number => {
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const p = Math.min(Math.max(predict(n), 1e-12), 1 - 1e-12);
      loss -= Y[n]! * Math.log(p) + (1 - Y[n]!) * Math.log(1 - p);
    }
    return loss / N;
  };

  theta.set(thetaStar);
  const lossAtTruth = meanLoss();
  theta.fill(0);

  const client = await FisherdClient.connect(url, { ...(options.token === undefined ? {} : { token: options.token }), clientName: 'train-logistic' });
  try {
    await client.openSession({
      dim: D,
      structure: { kind: 'full' },
      optimizer: { name: 'ngd', stepSize: 0.5, damping: 1e-3 },
      emaDecay: 0.9, // running Fisher over recent batches, bias-corrected
      track: { empiricalFisher: true }, // for the EF-vs-Fisher cosine diagnostic
    });
    const losses: number[] = [];
    const perExampleGrads = new Float32Array(batchSize * D);
    const sampledGrads = new Float32Array(batchSize * D);
    for (let epoch = 1; epoch <= (options.epochs ?? 5); epoch++) {
      let cosine: number | undefined;
      for (let start = 0; start + batchSize <= N; start += batchSize) {
        let loss = 0;
        for (let i = 0; i < batchSize; i++) {
          const n = start + i;
          const p = predict(n);
          const sampled = rand() < p ? 1 : 0;
          loss -= Y[n]! * Math.log(Math.max(p, 1e-12)) + (1 - Y[n]!) * Math.log(Math.max(1 - p, 1e-12));
          for (let j = 0; j < D; j++) {
            perExampleGrads[i * D + j] = (p - Y[n]!) * X[n * D + j]!;
            sampledGrads[i * D + j] = (p - sampled) * X[n * D + j]!;
          }
        }
        const update = await client.step({
          batchSize,
          reduction: 'sum',
          loss: loss / batchSize,
          perExampleGrads,
          sampledLabelGrads: { rows: sampledGrads, samplesPerExample: 1 },
        });
        for (let j = 0; j < D; j++) theta[j]! += update.delta[j]!;
        cosine = update.diagnostics.values['cosineEfFisher'];
      }
      const loss = meanLoss();
      losses.push(loss);
      (options.onEpoch ?? ((e, l, c) => console.log(`epoch ${e}: loss ${l.toFixed(4)}, cos(EF step, Fisher step) ${c?.toFixed(3) ?? 'n/a'}`)))(epoch, loss, cosine);
    }
    return { losses, lossAtTruth };
  } finally {
    await client.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.argv[2] ?? 'ws://127.0.0.1:7070';
  trainLogistic(url, { ...(process.env['FISHERD_TOKEN'] ? { token: process.env['FISHERD_TOKEN'] } : {}) }).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
