/**
 * Over the wire with the TypeScript client: damping adaptation (optimizer.dampingAdaptation, the
 * contribution's lossAfterPreviousUpdate, the "damping" and "rho" diagnostics) and the session precision
 * field, against the real daemon (openblas backend, so that precision 'float64' selects its float64 storage).
 *
 * The loss is exactly quadratic, L(θ) = ½ θᵀHθ with H = diag(1, 4, 0.25), the Fisher sent as exact factor
 * rows √h_i e_i: with q excluding the damping term the model is exact, ρ = 1 (tolerance 1e-6: ḡ travels
 * as float32), and λ falls by ω = 0.9^2 every 2 steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../../test/e2e/daemon-harness.js';
import { FisherdClient, FisherdClientError, type SessionConfig } from '../src/index.js';

const H = [1, 4, 0.25];
const loss = (theta: readonly number[]) => 0.5 * theta.reduce((s, x, i) => s + H[i]! * x * x, 0);

describe('damping adaptation and precision over the wire', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--backend', 'openblas']);
  }, 120_000);
  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  for (const precision of ['float32', 'float64'] as const) {
    it(`λ follows the LM rule from the losses the client reports (precision ${precision})`, async () => {
      const client = await FisherdClient.connect(daemon.url, { clientName: 'damping-adaptation' });
      try {
        const config: SessionConfig = {
          dim: 3, fisherSource: 'exact', precision,
          optimizer: { name: 'ngd', stepSize: 0.1, dampingAdaptation: { every: 2, initial: 1, min: 0.3, max: 10, includeDampingInModel: false } },
        };
        const info = await client.openSession(config);
        expect(info.config.precision).toBe(precision);
        expect(info.config.optimizer.dampingAdaptation).toEqual({ every: 2, initial: 1, min: 0.3, max: 10, includeDampingInModel: false, decayFactor: 0.9 });
        const theta = [1, -2, 3];
        const rows = new Float32Array(9);
        H.forEach((h, i) => (rows[i * 3 + i] = Math.sqrt(h)));
        let after: number | undefined;
        const lambdas: number[] = [];
        const rhos: (number | undefined)[] = [];
        for (let t = 1; t <= 16; t++) {
          const update = await client.step({
            batchSize: 1, reduction: 'sum', loss: loss(theta),
            meanGrad: Float32Array.from(H, (h, i) => h * theta[i]!),
            fisherFactorRows: { rows, factorsPerExample: 3 },
            ...(after === undefined ? {} : { lossAfterPreviousUpdate: after }),
          });
          lambdas.push(update.diagnostics.values['damping']!);
          rhos.push(update.diagnostics.values['rho']);
          update.delta.forEach((d, i) => (theta[i]! += d));
          after = loss(theta);
        }
        // λ₀ = 1 for steps 1–2, then ×0.81 (0.9²) at steps 3, 5, … (repeated products, as the daemon), floor 0.3.
        const expected: number[] = [];
        let lambda = 1;
        for (let t = 1; t <= 16; t++) {
          if (t >= 3 && t % 2 === 1) lambda = Math.max(lambda * 0.81, 0.3);
          expected.push(lambda);
        }
        expect(lambdas).toEqual(expected);
        expect(lambdas.slice(-4)).toEqual([0.3, 0.3, 0.3, 0.3]);
        rhos.forEach((r, k) => {
          const t = k + 1;
          if (t >= 3 && t % 2 === 1) expect(Math.abs(r! - 1), `ρ at step ${t}`).toBeLessThan(1e-6);
          else expect(r).toBeUndefined();
        });
      } finally {
        await client.close();
      }
    });
  }

  it('refuses a bad dampingAdaptation and an unavailable precision with typed errors', async () => {
    const client = await FisherdClient.connect(daemon.url, { clientName: 'damping-adaptation-bad' });
    try {
      const refused = async (config: SessionConfig, field: string) => {
        const e = await client.openSession(config).then(() => undefined, (x: unknown) => x);
        expect(e).toBeInstanceOf(FisherdClientError);
        expect((e as FisherdClientError).code).toBe('INVALID_CONFIG');
        expect((e as FisherdClientError).field).toBe(field);
      };
      await refused({ dim: 2, optimizer: { name: 'ngd', stepSize: 1, dampingAdaptation: { every: 0, min: 1e-3, max: 1 } } }, 'optimizer.dampingAdaptation.every');
      await refused({ dim: 2, optimizer: { name: 'sgd', stepSize: 1, dampingAdaptation: { every: 1, min: 1e-3, max: 1 } } }, 'optimizer.dampingAdaptation');
      await refused({ dim: 2, optimizer: { name: 'sgd', stepSize: 1 }, backend: 'reference', precision: 'float32' }, 'precision');
    } finally {
      await client.close();
    }
  });
});
