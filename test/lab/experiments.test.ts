import { describe, expect, it } from 'vitest';
import { runMisspecExperiment } from '../../src/lab/experiments/misspec.js';
import { runOptimExperiment, runSinglePoint } from '../../src/lab/experiments/optim.js';
import { runStartPointsExperiment } from '../../src/lab/experiments/start-points.js';
import { minibatches, runVarianceExperiment } from '../../src/lab/experiments/variance.js';
import { runVecfieldExperiment } from '../../src/lab/experiments/vecfield.js';
import { loadDataset } from '../../src/lab/datasets.js';
import { misspecFigure } from '../../src/lab/figures/misspec-figure.js';
import { optimFigure } from '../../src/lab/figures/optim-figure.js';
import { startPointsFigure } from '../../src/lab/figures/start-points-figure.js';
import { varianceFigure } from '../../src/lab/figures/variance-figure.js';
import { vecfieldFigure } from '../../src/lab/figures/vecfield-figure.js';
import { indexPage } from '../../src/lab/outputs.js';
import { Rng } from '../../src/lab/rng.js';
import { comparisonMarkdown } from '../../src/lab/summary.js';
import { summarizeOptim } from '../../src/lab/doc-summary.js';
import { vectorFieldData } from '../../src/lab/synthetic.js';
import { checkWellFormed, countPaths } from './xml.js';

/** 2×2 solve (A + λI)x = b, by Cramer's rule. */
function solve2(A: number[], lambda: number, b: number[]): number[] {
  const a = A[0] + lambda;
  const d = A[3] + lambda;
  const det = a * d - A[1] * A[2];
  return [(d * b[0] - A[1] * b[1]) / det, (a * b[1] - A[2] * b[0]) / det];
}

describe('lab experiments through the Session (small instances)', () => {
  it('vecfield: the first steps of each trajectory follow eqs. (50)–(52), computed independently (rel. 1e-6, float32 updates)', async () => {
    const result = await runVecfieldExperiment({ iterations: 3, keepEvery: 1 });
    const data = vectorFieldData();
    const N = data.numExamples;
    for (const trajectory of result.trajectories) {
      const [b, slope] = trajectory.start;
      let g0 = 0;
      let g1 = 0;
      const F = [0, 0, 0, 0];
      const E = [0, 0, 0, 0];
      for (let n = 0; n < N; n++) {
        const x = data.X[2 * n + 1];
        const r = b + slope * x - data.y[n];
        g0 += r / N;
        g1 += (r * x) / N;
        const xx = [1, x, x, x * x];
        xx.forEach((v, k) => {
          F[k] += v / N;
          E[k] += (r * r * v) / N;
        });
      }
      const direction = trajectory.optimizer === 'gd' ? [g0, g1] : solve2(trajectory.optimizer === 'ngd' ? F : E, 1e-8, [g0, g1]);
      const expected = [b - 1e-4 * direction[0], slope - 1e-4 * direction[1]];
      const step = Math.hypot(expected[0] - b, expected[1] - slope);
      expect(Math.hypot(trajectory.points[1][0] - expected[0], trajectory.points[1][1] - expected[1])).toBeLessThan(1e-6 * Math.max(step, 1e-3) + 1e-7);
    }
    const svg = vecfieldFigure(result);
    checkWellFormed(svg);
    expect(countPaths(svg, 'mark-line')).toBe(1 + 12); // least-squares line + 4 start points × 3 optimizers
    expect(countPaths(svg, 'mark-quiver')).toBe(3);
  });

  it('misspec: F and Ẽ from the session equal the lab\'s (rel. 1e-6); the EF matches F only when well-specified', async () => {
    const result = await runMisspecExperiment({ numExamples: 1000 });
    for (const panel of [...result.classification, ...result.regression]) expect(panel.sessionRelativeDifference).toBeLessThan(1e-6);
    expect(result.checks.efMatchesOnlyWhenWellSpecified).toBe(true);
    for (const which of ['classification', 'regression'] as const) {
      const svg = misspecFigure(result, which);
      checkWellFormed(svg);
      expect(countPaths(svg, 'mark-ellipse')).toBe(6);
    }
  });

  it('optim: a coarse grid on Boston, replayed through the Session, agrees with the kernel (rel. 1e-6) and renders', async () => {
    const result = await runOptimExperiment({ dataset: 'Boston', stepSizes: { start: -6, stop: 0, num: 4 }, dampings: { start: -8, stop: -4, num: 2 }, iterations: 6, workers: 0 });
    expect(result.grid.runs).toBe(4 * (1 + 2 * 2));
    for (const optimizer of ['gd', 'ngd', 'efgd'] as const) {
      const { selected } = result.optimizers[optimizer];
      expect(selected.sessionLosses.length).toBe(7);
      expect(selected.maxRelativeDifference!).toBeLessThan(1e-6);
      expect(result.optimizers[optimizer].paper).toBeDefined();
    }
    expect(result.cosine.undamped.length).toBe(7);
    expect(result.cosine.damped.length).toBe(6);
    // At θ₀ = 0 both curvature matrices are fixed by the data: the undamped cosine there is -0.29 on Boston.
    expect(result.cosine.undamped[0]).toBeLessThan(0);
    const svg = optimFigure([result], 'Boston');
    checkWellFormed(svg);
    expect(countPaths(svg, 'mark-line')).toBe(3 + 1); // GD, NGD, EFGD losses + the undamped cosine
    expect(countPaths(svg, 'mark-points')).toBe(1); // the session's damped cosine
    expect(comparisonMarkdown([summarizeOptim(result)]).split('\n').length).toBe(2 + 3 + 2);
    const page = indexPage([{ file: 'optim-Boston.svg', caption: 'Boston & co' }, { file: 'optim-Boston.json', caption: 'data' }], '<p>summary</p>');
    expect(page).toContain('<img src="optim-Boston.svg" alt="Boston &amp; co">');
    expect(page).toContain('<a href="optim-Boston.json">');
  });

  it('optim single point: loss curve and cosines along its own path', async () => {
    const result = await runSinglePoint({ dataset: 'Boston', optimizer: 'efgd', stepSize: 10 ** -1.25, damping: 1e-8, iterations: 4 });
    expect(result.losses.length).toBe(5);
    expect(result.undampedCosines.length).toBe(5);
    expect(result.dampedCosines.length).toBe(4);
    expect(result.losses[4]).toBeLessThan(result.losses[0]);
  });

  it('start-points: NGD and EFGD from f·θ*, f ∈ {0.875, 0.75, 0.5, 0}; NGD lowers the loss from 0.875·θ*', async () => {
    const result = await runStartPointsExperiment({ iterations: 3 });
    expect(result.runs.length).toBe(8);
    const ngdNear = result.runs.find((r) => r.factor === 0.875 && r.optimizer === 'ngd')!;
    expect(ngdNear.losses[ngdNear.losses.length - 1]).toBeLessThan(ngdNear.losses[0]);
    const svg = startPointsFigure(result);
    checkWellFormed(svg);
    expect(countPaths(svg, 'mark-line')).toBe(8);
  });

  it('variance: minibatches cover the data once per epoch; a tiny tuned run renders', async () => {
    const next = minibatches(10, 3, new Rng(1));
    const seen = [...next(1), ...next(2), ...next(3)];
    expect(new Set(seen).size).toBe(9);
    const result = await runVarianceExperiment({ datasets: ['Boston'], iterations: 4, seeds: 2, log10StepSizes: [-6, -5], log10Dampings: [-4], evaluateEvery: 2 });
    const report = result.datasets[0];
    expect(report.numExamples).toBe(loadDataset('Boston').numExamples);
    for (const optimizer of ['sgd', 'efgd', 'ngd', 'snr', 'va'] as const) {
      expect(report.optimizers[optimizer].runs.length).toBe(2);
      expect(report.optimizers[optimizer].runs[0].examplesSeen).toEqual([0, 64, 128]);
    }
    const svg = varianceFigure(result);
    checkWellFormed(svg);
    expect(countPaths(svg, 'mark-line')).toBe(2 * 5 * 3);
  });
});
