/**
 * The README's training loop (clients/ts/examples/train-logistic.ts) against a real daemon process: NGD
 * with sampled-label Fisher on logistic regression must reach the loss of the generating parameters θ*
 * (≈ 0.37 here; the maximum-likelihood fit on 1024 samples is slightly below it) from log 2 = 0.693 at
 * θ = 0. Tolerance 0.02 above loss(θ*): NGD with batch 64 and γ = 0.5 fluctuates by ~0.002 per epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../../test/e2e/daemon-harness.js';
import { trainLogistic } from '../examples/train-logistic.js';

describe('example: train-logistic', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('trains a logistic regression through fisherd', async () => {
    const cosines: (number | undefined)[] = [];
    const { losses, lossAtTruth } = await trainLogistic(daemon.url, { epochs: 5, onEpoch: (_e, _l, c) => cosines.push(c) });
    expect(losses).toHaveLength(5);
    expect(losses[0]!).toBeLessThan(Math.LN2);
    expect(losses[4]!).toBeLessThan(lossAtTruth + 0.02);
    // The EF-vs-Fisher cosine is reported every step (both are tracked) and is a cosine.
    for (const c of cosines) expect(Math.abs(c!)).toBeLessThanOrEqual(1 + 1e-12);
  });
});
