/**
 * The client's automatic step counter: a step the daemon rejects leaves the counter where it was before
 * the call, so a rejected explicit index does not shift the steps that follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../../test/e2e/daemon-harness.js';
import { FisherdClient, FisherdClientError } from '../src/index.js';

describe('client step counter', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon();
  });
  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('a rejected explicit step does not move the automatic counter', async () => {
    const client = await FisherdClient.connect(daemon.url, { clientName: 'step-counter' });
    try {
      await client.openSession({ dim: 2, structure: { kind: 'diagonal' }, optimizer: { name: 'sgd', stepSize: 0.5 } });
      const meanGrad = new Float32Array([1, -2]);
      const first = await client.step({ batchSize: 1, reduction: 'sum', meanGrad });
      expect(first.step).toBe(1);
      const rejected = await client.step({ batchSize: 1, reduction: 'sum', meanGrad, step: 7 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(rejected).toBeInstanceOf(FisherdClientError);
      expect((rejected as FisherdClientError).code).toBe('STEP_OUT_OF_ORDER');
      const next = await client.step({ batchSize: 1, reduction: 'sum', meanGrad });
      expect(next.step).toBe(2);
      // SGD: Δθ = −γ ḡ.
      expect(Array.from(next.delta)).toEqual([-0.5, 1]);
    } finally {
      await client.close();
    }
  });
});
