/** Contributions for the session tests: seeded gradients with values exact in float32. */
import type { StepContribution } from '../../src/session/index.js';

export { BACKENDS, REFERENCE, Rng, bitwiseEqual, errorOf, relativeError } from '../curvature/helpers.js';

/** A seeded stream of small dyadic rationals (k/64, |k| ≤ 256): exact in float32, and in every b·x with b a power of 2. */
export class DyadicStream {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return ((this.state >>> 8) % 513 - 256) / 64;
  }
  floats(n: number): Float32Array {
    return Float32Array.from({ length: n }, () => this.next());
  }
}

export interface WorkerRows {
  batchSize: number;
  /** b×D per-example gradients g_n (the 'sum' scale). */
  grads: Float32Array;
  /** b·K×D sampled-label gradients. */
  sampled: Float32Array;
  /** b·C×D factor rows. */
  factors: Float32Array;
}

export function workerRows(stream: DyadicStream, dim: number, batchSize: number, k = 2, c = 2): WorkerRows {
  return {
    batchSize,
    grads: stream.floats(batchSize * dim),
    sampled: stream.floats(batchSize * k * dim),
    factors: stream.floats(batchSize * c * dim),
  };
}

/**
 * The contribution of `rows` with the given reduction: for 'mean' the rows are scaled as the client would
 * send them (g/b, u/√b), for 'sum' as they are.
 */
export function contribution(
  rows: WorkerRows,
  step: number,
  workerId: number,
  reduction: 'mean' | 'sum',
  extra: Partial<StepContribution> = {},
  k = 2,
  c = 2,
): StepContribution {
  const b = rows.batchSize;
  const grad = reduction === 'mean' ? 1 / b : 1;
  const factor = reduction === 'mean' ? 1 / Math.sqrt(b) : 1;
  return {
    step,
    workerId,
    batchSize: b,
    reduction,
    perExampleGrads: rows.grads.map((x) => x * grad),
    sampledLabelGrads: { rows: rows.sampled.map((x) => x * grad), samplesPerExample: k },
    fisherFactorRows: { rows: rows.factors.map((x) => x * factor), factorsPerExample: c },
    ...extra,
  };
}

/** Σ_n g_n / b of b×D rows, float64. */
export function meanRows(rows: Float32Array, batchSize: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let n = 0; n < batchSize; n++) for (let i = 0; i < dim; i++) mean[i] += rows[n * dim + i]! / batchSize;
  return mean;
}
