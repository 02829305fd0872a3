/**
 * `--url`: an experiment run through a running daemon gives the same numbers as in-process. Both sides
 * run the same Session code on the reference backend and exchange float32 Δθ, so the loss curves and the
 * session's cosines must agree exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSinglePoint } from '../../src/lab/experiments/optim.js';
import { startDaemon, type RunningDaemon } from '../e2e/daemon-harness.js';

describe('lab through a daemon', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => {
    daemon = await startDaemon(['--backend', 'reference']);
  });
  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('a single optim point (Boston, EFGD, 6 iterations) matches the in-process run', async () => {
    const point = { dataset: 'Boston' as const, optimizer: 'efgd' as const, stepSize: 10 ** -1.25, damping: 1e-8, iterations: 6 };
    const local = await runSinglePoint({ ...point, target: { backend: 'reference' } });
    const remote = await runSinglePoint({ ...point, target: { url: daemon.url } });
    expect(remote.status).toBe(local.status);
    expect(remote.losses).toHaveLength(7);
    expect(remote.losses).toEqual(local.losses);
    expect(remote.dampedCosines).toEqual(local.dampedCosines);
    expect(remote.stepper).toContain('ws://');
  });
});
