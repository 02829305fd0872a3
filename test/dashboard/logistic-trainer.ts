/**
 * A small real training job for the integration tests of the dashboard and the container: logistic
 * regression on a fixed synthetic data set, trained through a fisherd client.
 *
 * Model p(y=1|x) = σ(θᵀx), per-example loss ℓ_n = −log p(y_n|x_n), so with reduction 'sum' the rows
 * sent are the per-example gradients g_n = (σ(θᵀx_n) − y_n) x_n, and the sampled-label gradients are
 * (σ(θᵀx_n) − ỹ_n) x_n with ỹ_n ~ Bernoulli(σ(θᵀx_n)) (K = 1), i.e. math.md's Monte-Carlo Fisher rows.
 * Deterministic (a seeded LCG), so runs are comparable.
 */
import type { StepInput, UpdateData } from '../../clients/ts/src/index.js';

/** What the trainer needs from a client (the TypeScript client, from src or from dist). */
export interface StepClient {
  step(input: StepInput): Promise<UpdateData>;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface LogisticProblem {
  readonly dim: number;
  readonly x: Float64Array; // N × D
  readonly y: Uint8Array;
  readonly n: number;
}

/** N examples in D dimensions, two overlapping Gaussian classes with unequal feature scales. */
export function logisticProblem(dim: number, n: number, seed = 7): LogisticProblem {
  const rand = lcg(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const x = new Float64Array(n * dim);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rand() < 0.5 ? 1 : 0;
    for (let j = 0; j < dim; j++) {
      const scale = 0.3 + (2 * j) / dim; // anisotropic curvature: the Fishers differ per direction
      x[i * dim + j] = scale * (gauss() + (y[i] === 1 ? 0.6 : -0.6) * (j % 3 === 0 ? 1 : 0.2));
    }
  }
  return { dim, x, y, n };
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The mean loss over the whole data set at θ (log 2 at θ = 0). */
export function logisticLoss(problem: LogisticProblem, theta: Float64Array): number {
  let total = 0;
  for (let i = 0; i < problem.n; i++) {
    let z = 0;
    for (let j = 0; j < problem.dim; j++) z += theta[j]! * problem.x[i * problem.dim + j]!;
    const p = sigmoid(z);
    total -= problem.y[i] === 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12));
  }
  return total / problem.n;
}

/**
 * Runs `steps` steps with minibatches of `batchSize` drawn at random, applying θ ← θ + Δθ to `theta`
 * (a fresh zero vector unless given: pass the same one to continue a run). Returns the losses sent.
 */
export async function trainLogistic(
  client: StepClient,
  problem: LogisticProblem,
  options: { steps: number; batchSize: number; seed?: number; theta?: Float64Array; onStep?: (step: number, update: UpdateData) => void },
): Promise<number[]> {
  const { dim } = problem;
  const rand = lcg(options.seed ?? 11);
  const theta = options.theta ?? new Float64Array(dim);
  const losses: number[] = [];
  for (let t = 0; t < options.steps; t++) {
    const b = options.batchSize;
    const perExample = new Float32Array(b * dim);
    const sampled = new Float32Array(b * dim);
    let loss = 0;
    for (let r = 0; r < b; r++) {
      const i = Math.floor(rand() * problem.n);
      let z = 0;
      for (let j = 0; j < dim; j++) z += theta[j]! * problem.x[i * dim + j]!;
      const p = sigmoid(z);
      const yi = problem.y[i]!;
      loss += -(yi === 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12))) / b;
      const sampledLabel = rand() < p ? 1 : 0;
      for (let j = 0; j < dim; j++) {
        perExample[r * dim + j] = (p - yi) * problem.x[i * dim + j]!;
        sampled[r * dim + j] = (p - sampledLabel) * problem.x[i * dim + j]!;
      }
    }
    const update = await client.step({
      loss, batchSize: b, reduction: 'sum', perExampleGrads: perExample, sampledLabelGrads: { rows: sampled, samplesPerExample: 1 },
    });
    for (let j = 0; j < dim; j++) theta[j]! += update.delta[j]!;
    losses.push(loss);
    options.onStep?.(update.step, update);
  }
  return losses;
}
