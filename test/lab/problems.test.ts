import { describe, expect, it } from 'vitest';
import { linearRegression, logisticRegression, mlp, softmaxRegression, initialMlpParams, mlpLayerSizes, type Problem, type Examples } from '../../src/lab/problems/index.js';
import { Rng } from '../../src/lab/rng.js';

function randomExamples(seed: number, N: number, d: number, target: (rng: Rng, x: number[]) => number): Examples {
  const rng = new Rng(seed);
  const X = new Float64Array(N * d);
  const y = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const x = Array.from({ length: d }, () => rng.normal());
    X.set(x, n * d);
    y[n] = target(rng, x);
  }
  return { X, y, numExamples: N, numFeatures: d };
}

const rngFor = (seed: number): Rng => new Rng(seed);
const problems: [string, () => Problem, () => Float64Array][] = [
  ['linear regression (σ² = 0.5)', () => linearRegression(randomExamples(1, 12, 3, (r, x) => x[0] - 2 * x[2] + r.normal()), { noiseVariance: 0.5 }), () => Float64Array.of(0.3, -0.2, 0.5)],
  ['logistic regression', () => logisticRegression(randomExamples(2, 15, 3, (r) => r.bernoulli(0.4))), () => Float64Array.of(0.7, -0.4, 0.2)],
  ['softmax regression (3 classes)', () => softmaxRegression(randomExamples(3, 10, 3, (r) => r.integer(3)), 3), () => Float64Array.from({ length: 9 }, (_, i) => 0.1 * Math.sin(i + 1))],
  ['MLP, Gaussian output', () => mlp(randomExamples(4, 8, 3, (r, x) => Math.sin(x[0]) + 0.1 * r.normal()), { hidden: [4] }), () => initialMlpParams(mlpLayerSizes(3, 1, [4]), rngFor(9))],
  ['MLP, 3 classes, two hidden layers', () => mlp(randomExamples(5, 8, 2, (r) => r.integer(3)), { hidden: [4, 3], numClasses: 3 }), () => initialMlpParams(mlpLayerSizes(2, 3, [4, 3]), rngFor(10))],
];

/** Jacobian J_θ f(x_n, θ) (C×D) by central differences of the model's forward pass. */
function jacobian(problem: Problem, theta: Float64Array, n: number): number[][] {
  const { model } = problem;
  const C = problem.outputDim;
  const cache = model.createCache();
  const h = 1e-6;
  const J = Array.from({ length: C }, () => new Array<number>(problem.dim).fill(0));
  const plus = new Float64Array(C);
  const minus = new Float64Array(C);
  for (let i = 0; i < problem.dim; i++) {
    const t = Float64Array.from(theta);
    t[i] += h;
    model.forward(t, problem.examples.X, n * problem.examples.numFeatures, plus, cache);
    t[i] -= 2 * h;
    model.forward(t, problem.examples.X, n * problem.examples.numFeatures, minus, cache);
    for (let c = 0; c < C; c++) J[c][i] = (plus[c] - minus[c]) / (2 * h);
  }
  return J;
}

/** ∇²_f ℓ in closed form (independent of the likelihood module's factor). */
function hessian(problem: Problem, theta: Float64Array, n: number): number[][] {
  const C = problem.outputDim;
  const f = new Float64Array(C);
  problem.model.forward(theta, problem.examples.X, n * problem.examples.numFeatures, f, problem.model.createCache());
  switch (problem.likelihood.kind) {
    case 'gaussian': {
      // constant = ½ log(2πσ²), so σ² = e^{2·constant}/(2π); H = 1/σ²
      const variance = Math.exp(2 * problem.likelihood.constant) / (2 * Math.PI);
      return [[1 / variance]];
    }
    case 'bernoulli': {
      const p = 1 / (1 + Math.exp(-f[0]));
      return [[p * (1 - p)]];
    }
    case 'categorical': {
      const m = Math.max(...f);
      const e = Array.from(f, (v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / s);
      return p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
    }
  }
}

describe.each(problems)('%s', (_name, make, params) => {
  it('mean gradient = central differences of the average loss (rel. 1e-6) and = mean of the per-example gradients', () => {
    const problem = make();
    const theta = params();
    const evaluation = problem.evaluate(theta, { perExampleGrads: true });
    const h = 1e-5;
    for (let i = 0; i < problem.dim; i++) {
      const t = Float64Array.from(theta);
      t[i] += h;
      const up = problem.loss(t);
      t[i] -= 2 * h;
      const down = problem.loss(t);
      const numeric = (up - down) / (2 * h);
      expect(Math.abs(evaluation.meanGrad[i] - numeric)).toBeLessThan(1e-6 * Math.max(1, Math.abs(numeric)));
      let mean = 0;
      for (let n = 0; n < evaluation.batchSize; n++) mean += evaluation.perExampleGrads![n * problem.dim + i] / evaluation.batchSize;
      expect(Math.abs(mean - evaluation.meanGrad[i])).toBeLessThan(1e-14 * Math.max(1, Math.abs(mean)));
    }
    expect(evaluation.loss).toBeCloseTo(problem.loss(theta), 14);
  });

  it('Fisher factor rows: (1/N) Σ u uᵀ = (1/N) Σ J_nᵀ H_n J_n (J by finite differences; rel. 1e-6)', () => {
    const problem = make();
    const theta = params();
    const { fisherFactorRows, factorsPerExample, batchSize } = problem.evaluate(theta, { fisherFactorRows: true });
    const D = problem.dim;
    expect(factorsPerExample).toBe(problem.outputDim);
    const fromRows = new Float64Array(D * D);
    for (let r = 0; r < batchSize * factorsPerExample!; r++) {
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) fromRows[i * D + j] += fisherFactorRows![r * D + i] * fisherFactorRows![r * D + j] / batchSize;
    }
    const reference = new Float64Array(D * D);
    for (let n = 0; n < batchSize; n++) {
      const J = jacobian(problem, theta, n);
      const H = hessian(problem, theta, n);
      const C = problem.outputDim;
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
        let s = 0;
        for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) s += J[a][i] * H[a][b] * J[b][j];
        reference[i * D + j] += s / batchSize;
      }
    }
    const scale = Math.max(...reference.map(Math.abs));
    for (let k = 0; k < D * D; k++) expect(Math.abs(fromRows[k] - reference[k])).toBeLessThan(1e-6 * scale);
  });

  it('sampled-label gradients average to the Fisher (Monte Carlo, K = 4000, seeded; 5 % of ‖F‖)', () => {
    const problem = make();
    const theta = params();
    const K = 4000;
    const evaluation = problem.evaluate(theta, { sampledLabels: { rng: new Rng(123), samplesPerExample: K }, fisherFactorRows: true });
    const D = problem.dim;
    const b = evaluation.batchSize;
    const sampled = new Float64Array(D * D);
    const exact = new Float64Array(D * D);
    for (let r = 0; r < b * K; r++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) sampled[i * D + j] += evaluation.sampledLabelGrads![r * D + i] * evaluation.sampledLabelGrads![r * D + j] / (b * K);
    for (let r = 0; r < b * problem.outputDim; r++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) exact[i * D + j] += evaluation.fisherFactorRows![r * D + i] * evaluation.fisherFactorRows![r * D + j] / b;
    const norm = Math.sqrt(exact.reduce((s, v) => s + v * v, 0));
    const diff = Math.sqrt(exact.reduce((s, v, k) => s + (v - sampled[k]) ** 2, 0));
    expect(diff).toBeLessThan(0.05 * norm);
  });
});

describe('closed forms of math.md (averaged loss)', () => {
  it('linear regression: F = (1/(Nσ²)) Σ x xᵀ and Ẽ = (1/(Nσ⁴)) Σ r² x xᵀ', () => {
    const examples = randomExamples(6, 9, 2, (r, x) => 2 * x[1] + r.normal());
    const sigma2 = 0.7;
    const problem = linearRegression(examples, { noiseVariance: sigma2 });
    const theta = Float64Array.of(0.4, 1.1);
    const e = problem.evaluate(theta, { perExampleGrads: true, fisherFactorRows: true });
    const { X, y } = examples;
    for (const [i, j] of [[0, 0], [0, 1], [1, 1]]) {
      let F = 0;
      let EF = 0;
      let rowsF = 0;
      let rowsEF = 0;
      for (let n = 0; n < 9; n++) {
        const r = X[2 * n] * theta[0] + X[2 * n + 1] * theta[1] - y[n];
        F += X[2 * n + i] * X[2 * n + j] / (9 * sigma2);
        EF += r * r * X[2 * n + i] * X[2 * n + j] / (9 * sigma2 * sigma2);
        rowsF += e.fisherFactorRows![2 * n + i] * e.fisherFactorRows![2 * n + j] / 9;
        rowsEF += e.perExampleGrads![2 * n + i] * e.perExampleGrads![2 * n + j] / 9;
      }
      expect(rowsF).toBeCloseTo(F, 13);
      expect(rowsEF).toBeCloseTo(EF, 12);
    }
  });

  it('logistic regression at θ = 0: F = Ẽ (π = ½); clipping bounds each loss by −log c', () => {
    const examples = randomExamples(7, 20, 3, (r) => r.bernoulli(0.5));
    const problem = logisticRegression(examples);
    const e = problem.evaluate(new Float64Array(3), { perExampleGrads: true, fisherFactorRows: true });
    for (let k = 0; k < 20 * 3; k++) expect(Math.abs(e.perExampleGrads![k])).toBeCloseTo(Math.abs(e.fisherFactorRows![k]), 15);
    const clipped = logisticRegression(examples, { probabilityClip: 1e-8 });
    expect(clipped.loss(Float64Array.of(1e3, -1e3, 1e3))).toBeLessThanOrEqual(-Math.log(1e-8) + 1e-12);
  });
});
