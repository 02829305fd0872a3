/**
 * Traces of statistics contributions: recorded as the daemon records them (the StepContribution bytes as
 * received), replayed like rows — a statistics contribution is a step summary already, so the replay folds
 * it directly, in this thread or in the summary threads — with the recorded updates reproduced bit for bit;
 * `trace inspect` names the kinds a trace holds; and the size against the rows the statistics replace,
 * measured on the same gradients (b = 32, D = 4096): rows / statistics ≈ b/3 (float32), 2b/3 (float16).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import type { StatisticsEncoding } from '../../src/protocol/statistics-codec.js';
import { contributionFromWire, contributionToWire, updateToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { diagonalMomentsOf } from '../../src/session/statistics.js';
import { replayTrace } from '../../src/trace/replay.js';
import { summarizeTrace } from '../../src/trace/summary.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { REFERENCE, Rng } from '../session/helpers.js';
import { buildDaemon, ROOT } from '../e2e/daemon-harness.js';
import { withTempDir } from './fixtures.js';

// The summary threads run the compiled worker script: the threaded replay is the built one (as in parallel-replay.test.ts).
let replayThreaded: typeof replayTrace;
beforeAll(async () => {
  await buildDaemon();
  ({ replayTrace: replayThreaded } = await import(join(ROOT, 'test-artifacts', 'e2e-dist', 'src', 'trace', 'replay.js')) as { replayTrace: typeof replayTrace });
}, 180_000);

function rows(rng: Rng, step: number, workerId: number, b: number, dim: number): StepContribution {
  const r = (n: number) => Float32Array.from(rng.normals(n * dim), (x, k) => x + Math.cos(k % dim + step));
  return { step, workerId, batchSize: b, reduction: 'mean', loss: 1 / step, perExampleGrads: r(b).map((x) => x / b), sampledLabelGrads: { samplesPerExample: 1, rows: r(b).map((x) => x / b) } };
}

function asStatistics(c: StepContribution, dim: number): StepContribution {
  const { perExampleGrads, sampledLabelGrads, ...rest } = c;
  return { ...rest, statistics: [{ block: '', kind: 'diagonal', moments: diagonalMomentsOf({ count: c.batchSize, dim, perExampleGrads: perExampleGrads!, sampledLabelGrads: sampledLabelGrads! }) }] };
}

/** Records a session as the daemon does: each contribution's bytes, the session steps on their decoding, then the update. */
async function record(dir: string, config: SessionConfig, steps: number, make: (step: number, worker: number) => StepContribution,
  encoding: StatisticsEncoding = 'float32'): Promise<Float32Array[]> {
  const session = new Session(config, REFERENCE);
  const writer = await TraceWriter.open(dir, {
    sessionId: 'statistics', backend: 'reference', sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish(),
  }, { sync: 'on-close' });
  const updates: Float32Array[] = [];
  for (let s = 1; s <= steps; s++) {
    const received: StepContribution[] = [];
    for (let w = 0; w < (config.workers ?? 1); w++) {
      const bytes = fisherd.v1.StepContribution.encode(contributionToWire(make(s, w), { statisticsEncoding: encoding })).finish();
      await writer.appendContribution(bytes);
      received.push(contributionFromWire(fisherd.v1.StepContribution.decode(bytes)));
    }
    const result = session.step(received);
    updates.push(result.update);
    await writer.appendUpdate(fisherd.v1.Update.encode(updateToWire({
      sessionId: 'statistics', step: s, delta: result.update, diagnostics: { batchSize: 0, updateNorm: 0, computeSeconds: 0, values: {} },
    })).finish());
  }
  await writer.close();
  return updates;
}

const config = (workers: number, dim: number): SessionConfig => ({
  dim, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, emaDecay: 0.9, backend: 'reference', workers,
  track: { empiricalFisher: true, noise: true },
});

describe('statistics traces', () => {
  it.each([1, 3])('W = %i: replay reproduces the recorded updates bit for bit and every rule runs from statistics', (workers) => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    const rng = new Rng(9);
    await record(trace, config(workers, 40), 6, (s, w) => asStatistics(rows(rng, s, w, 5 + w, 40), 40), 'bfloat16');
    const result = await replayTrace([trace], { optimizers: ['ngd', 'sgd', 'efgd', 'snr', 'va', 'adam'], backend: 'reference', threads: 0 });
    expect(result.steps).toBe(6);
    expect(result.reproduction).toMatchObject({ recorded: 6, compared: 6, identical: 6, reproduced: true });
    expect(result.optimizers.every((o) => o.failure === undefined && o.steps === 6)).toBe(true);
    const summary = await summarizeTrace([trace]);
    expect(summary.kinds).toEqual(['diagonal statistics']);
    expect(summary.statistics).toMatchObject({ contributions: 6 * workers, blocks: 6 * workers, encodings: ['bfloat16'] });
    expect(summary.inputs.perExampleGrads.contributions).toBe(0);
  }));

  it('the summary threads fold statistics frames too: the same digests as one thread', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    const rng = new Rng(10);
    await record(trace, config(1, 3000), 4, (s, w) => asStatistics(rows(rng, s, w, 8, 3000), 3000));
    const here = await replayTrace([trace], { optimizers: ['ngd', 'va'], backend: 'reference', threads: 0 });
    const threaded = await replayThreaded([trace], { optimizers: ['ngd', 'va'], backend: 'reference', threads: 1, minThreadedRecordBytes: 1024, waitForThreads: true });
    expect(threaded.threadedRecords).toBe(3); // all but the first, which configures the replay
    expect(threaded.optimizers).toEqual(here.optimizers);
    expect(threaded.reproduction).toMatchObject({ identical: 4, reproduced: true });
  }));

  it('a trace of rows says so, and one of statistics of the same gradients is ~b/3 times smaller (float32), ~2b/3 (float16)', () => withTempDir(async (dir) => {
    const dim = 4096;
    const b = 32;
    const sizes: Record<string, number> = {};
    for (const kind of ['rows', 'float32', 'float16'] as const) {
      const rng = new Rng(11); // the same gradients for every kind
      const make = (s: number, w: number) => {
        const { sampledLabelGrads: _s, ...c } = rows(rng, s, w, b, dim); // per-example rows only: Σg, Σg∘g, M2 replace them
        return kind === 'rows' ? c : asStatistics(c, dim);
      };
      const trace = join(dir, kind);
      await record(trace, { ...config(1, dim), optimizer: { name: 'snr', stepSize: 0.1 } }, 3, make, kind === 'float16' ? 'float16' : 'float32');
      const summary = await summarizeTrace([trace]);
      expect(summary.kinds).toEqual([kind === 'rows' ? 'rows' : 'diagonal statistics']);
      sizes[kind] = summary.contributionBytes;
    }
    const float32Ratio = sizes.rows! / sizes.float32!;
    const float16Ratio = sizes.rows! / sizes.float16!;
    console.log(`trace contribution bytes at b = ${b}, D = ${dim}: rows ${sizes.rows}, statistics float32 ${sizes.float32} (×${float32Ratio.toFixed(2)} smaller), float16 ${sizes.float16} (×${float16Ratio.toFixed(2)})`);
    expect(float32Ratio).toBeGreaterThan(0.98 * (b / 3));
    expect(float32Ratio).toBeLessThan(b / 3);
    expect(float16Ratio).toBeGreaterThan(0.98 * (2 * b / 3));
  }));
});
