/**
 * End to end, real daemon process: several sessions at once, data-parallel workers merged by sample
 * count, the reduction conversion, worker timeouts, health and metrics endpoints.
 *
 * Closed forms (math.md, averaged loss, emaDecay 0 so every estimate is this batch's):
 *   ḡ = (1/b) Σ_n g_n over all workers' rows, b = Σ_w b_w;   SGD: Δθ = −γ ḡ;
 *   diag Ẽ_ii = (1/b) Σ_n g_{n,i}²;                         EFGD (diagonal): Δθ_i = −γ ḡ_i / (Ẽ_ii + λ).
 * Inputs are float32 and Δθ is returned as float32: tolerance 1e-5 relative to max |Δθ| (float32 has
 * ~6e-8 relative precision; the sums run over ≤ 8 rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError } from '../../clients/ts/src/index.js';
import { startDaemon, type RunningDaemon } from './daemon-harness.js';

const D = 12;

function rows(count: number, seed: number): Float32Array {
  return Float32Array.from({ length: count * D }, (_, i) => Math.sin(0.7 * i + seed) + 0.1 * seed);
}

function expectClose(actual: Float32Array | Float64Array, expected: Float64Array, rel = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs), 1e-30);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(rel * scale);
}

/** ḡ and diag Ẽ in float64 from per-example rows g_n. */
function meanAndSecondMoment(all: Float32Array, b: number): { mean: Float64Array; second: Float64Array } {
  const mean = new Float64Array(D);
  const second = new Float64Array(D);
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < D; i++) {
      const g = all[n * D + i]!;
      mean[i]! += g / b;
      second[i]! += (g * g) / b;
    }
  }
  return { mean, second };
}

describe('fisherd daemon: sessions and workers', () => {
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon(['--worker-timeout-ms', '400']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('serves /livez, /readyz and /metrics', async () => {
    expect((await fetch(`${daemon.http}/livez`)).status).toBe(200);
    expect((await fetch(`${daemon.http}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${daemon.http}/metrics`)).text();
    expect(metrics).toMatch(/fisherd_build_info\{version="[^"]+",protocol_version="1"/);
    expect(metrics).toMatch(/fisherd_backend_info\{backend="reference"/);
    expect((await fetch(`${daemon.http}/nope`)).status).toBe(404);
  });

  it('runs several sessions at once: two SGD workers merged by sample count, a mean-reduced EFGD, a low-rank NGD', async () => {
    const gamma = 0.5;
    const lambda = 1e-3;
    const [w0, w1, single, lowrank] = await Promise.all([
      FisherdClient.connect(daemon.url, { workerId: 0 }),
      FisherdClient.connect(daemon.url, { workerId: 1 }),
      FisherdClient.connect(daemon.url),
      FisherdClient.connect(daemon.url),
    ]);
    const sgd = await w0.openSession({ dim: D, workers: 2, optimizer: { name: 'sgd', stepSize: gamma }, track: { empiricalFisher: true } });
    const joined = await w1.resumeSession(sgd.sessionId);
    expect(joined.resumedStep).toBe(0);
    expect(joined.config.workers).toBe(2);
    await single.openSession({ dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'efgd', stepSize: gamma, damping: lambda } });
    await lowrank.openSession({ dim: D, structure: { kind: 'lowrank', rank: 3 }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 0.1 } });

    for (let step = 1; step <= 3; step++) {
      const g0 = rows(2, step);
      const g1 = rows(3, 10 + step);
      const g = rows(4, 20 + step);
      const gMean = g.map((v) => v / 4); // what a client with a mean-reduced loss sends: g_n / b
      const [u0, u1, uSingle, uLow] = await Promise.all([
        w0.step({ batchSize: 2, reduction: 'sum', perExampleGrads: g0 }),
        w1.step({ batchSize: 3, reduction: 'sum', perExampleGrads: g1 }),
        single.step({ batchSize: 4, reduction: 'mean', perExampleGrads: gMean }),
        lowrank.step({ batchSize: 4, reduction: 'sum', sampledLabelGrads: { rows: rows(8, step), samplesPerExample: 2 }, meanGrad: rows(1, step) }),
      ]);
      // Both workers receive the one update of the merged batch of b = 5.
      expect(u0.step).toBe(step);
      expect(Array.from(u1.delta)).toEqual(Array.from(u0.delta));
      expect(u0.diagnostics.batchSize).toBe(5);
      const merged = new Float32Array([...g0, ...g1]);
      const { mean } = meanAndSecondMoment(merged, 5);
      expectClose(u0.delta, mean.map((v) => -gamma * v));

      const { mean: m, second } = meanAndSecondMoment(g, 4);
      expectClose(uSingle.delta, m.map((v, i) => (-gamma * v) / (second[i]! + lambda)));

      expect(uLow.delta.length).toBe(D);
      expect(uLow.delta.every(Number.isFinite)).toBe(true);
    }

    // Estimates of the SGD session (tracking Ẽ): the last batch's diagonal.
    const estimates = await w0.estimates({ includeDiagonals: true, topK: 2 });
    expect(estimates.step).toBe(3);
    const ef = estimates.estimates.find((e) => e.kind === 'empiricalFisher')!;
    const { second } = meanAndSecondMoment(new Float32Array([...rows(2, 3), ...rows(3, 13)]), 5);
    expectClose(ef.diagonal!, second, 1e-6);
    expect(ef.topEigenvalues).toHaveLength(2);
    expect(ef.trace).toBeCloseTo(second.reduce((a, b) => a + b, 0), 5);

    await Promise.all([w0.close(), w1.close(), single.close(), lowrank.close()]);
    const metrics = await (await fetch(`${daemon.http}/metrics`)).text();
    expect(Number(/fisherd_steps_total\{optimizer="sgd"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/fisherd_step_duration_seconds_count\{optimizer="efgd"\} 3/);
    expect(Number(/fisherd_received_bytes_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  it('times a missing worker out for everyone, then carries on when all workers send the step', async () => {
    const notices: FisherdClientError[] = [];
    const w0 = await FisherdClient.connect(daemon.url, { workerId: 0 });
    const w1 = await FisherdClient.connect(daemon.url, { workerId: 1, onNotice: (e) => notices.push(e) });
    const { sessionId } = await w0.openSession({ dim: D, workers: 2, optimizer: { name: 'sgd', stepSize: 1 } });
    await w1.resumeSession(sessionId);
    const lonely = w0.step({ batchSize: 1, reduction: 'sum', meanGrad: rows(1, 1) });
    const error = await lonely.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FisherdClientError);
    expect((error as FisherdClientError).code).toBe('WORKER_TIMEOUT');
    expect((error as FisherdClientError).step).toBe(1);
    expect((error as FisherdClientError).message).toMatch(/worker 1 did not contribute/);
    // The silent worker is told too.
    await expect.poll(() => notices.map((n) => n.code)).toEqual(['WORKER_TIMEOUT']);

    const [u0, u1] = await Promise.all([
      w0.step({ step: 1, batchSize: 1, reduction: 'sum', meanGrad: rows(1, 1) }),
      w1.step({ step: 1, batchSize: 1, reduction: 'sum', meanGrad: rows(1, 2) }),
    ]);
    expect(u0.step).toBe(1);
    expect(Array.from(u0.delta)).toEqual(Array.from(u1.delta));
    await Promise.all([w0.close(), w1.close()]);
  });
});
