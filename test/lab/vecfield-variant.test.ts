import { describe, expect, it } from 'vitest';
import { runVecfieldExperiment, VECFIELD_CODE_VARIANT } from '../../src/lab/experiments/vecfield.js';
import { leastSquares } from '../../src/lab/experiments/least-squares.js';
import { vectorFieldData } from '../../src/lab/synthetic.js';

describe("Fig. 1, the authors' code variant", () => {
  it('integrates every trajectory, the EF\'s included, to the prior-shifted optimum (γ = 1e-3, fields ×1/3, 1, 3)', async () => {
    const result = await runVecfieldExperiment({ variant: 'code' });
    expect(result.variant).toBe('code');
    expect(result.stepSize).toBe(VECFIELD_CODE_VARIANT.stepSize);
    // The optimum of the code's problem: (XᵀX/N + I/(0.1N)) θ = Xᵀy/N, the least-squares θ* shifted by the prior.
    const data = vectorFieldData({ seed: 0 });
    const N = data.numExamples;
    const r = 1 / (VECFIELD_CODE_VARIANT.priorVariance * N);
    const G = [0, 0, 0, 0];
    const b = [0, 0];
    for (let n = 0; n < N; n++) {
      const x = [data.X[2 * n]!, data.X[2 * n + 1]!];
      for (let i = 0; i < 2; i++) {
        b[i]! += (x[i]! * data.y[n]!) / N;
        for (let j = 0; j < 2; j++) G[2 * i + j]! += (x[i]! * x[j]!) / N;
      }
    }
    G[0]! += r;
    G[3]! += r;
    const det = G[0]! * G[3]! - G[1]! * G[2]!;
    const ridge = [(G[3]! * b[0]! - G[1]! * b[1]!) / det, (G[0]! * b[1]! - G[2]! * b[0]!) / det];
    const lsq = leastSquares(data);
    const shift = Math.hypot(ridge[0]! - lsq[0]!, ridge[1]! - lsq[1]!);
    for (const t of result.trajectories) {
      if (t.optimizer === 'gd') continue; // GD at γ/3 is slow along the flat direction, in the code as here
      const [x, y] = t.points[t.points.length - 1]!;
      expect(Math.hypot(x - ridge[0]!, y - ridge[1]!), `${t.optimizer} from ${t.start.join(',')}`).toBeLessThan(1e-3);
    }
    for (const d of result.endDistances!.efgd) expect(Math.abs(d - shift)).toBeLessThan(1e-3);
  });

  it("the text's settings (γ = 1e-4, no prior, through the Session) leave the EF paths far from θ* after 2 000 steps", async () => {
    const result = await runVecfieldExperiment({ iterations: 2000 });
    expect(result.variant).toBe('text');
    expect(Math.min(...result.endDistances!.efgd)).toBeGreaterThan(0.5);
  });
});
