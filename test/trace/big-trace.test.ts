/**
 * Opt-in (FISHERD_BIG_TESTS=1): a trace larger than 1 GiB replays with bounded memory. The trace is
 * generated in a temporary directory (≈ 1.15 GB: 90 steps of D = 10⁵, 16 per-example and 16 sampled-label
 * gradients, 12.8 MB per step). Bound checked: the process's RSS grows by less than 160 MiB over the
 * replay (the trace is 1 GiB; a reader that held it would exceed this), and the reader's buffer never
 * exceeds one record plus one chunk.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import { replayTrace } from '../../src/trace/replay.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { buildDaemon, ROOT } from '../e2e/daemon-harness.js';
import { withTempDir } from './fixtures.js';

const BIG = process.env['FISHERD_BIG_TESTS'] === '1';

describe.runIf(BIG)('a trace larger than 1 GiB', () => {
  it('replays in bounded memory', () => withTempDir(async (dir) => {
    const D = 100_000;
    const b = 16;
    const steps = 90;
    const config: SessionConfig = { dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, emaDecay: 0.9, backend: 'reference' };
    const trace = join(dir, 'trace');
    const writer = await TraceWriter.open(trace, { sessionId: 'big', backend: 'reference', sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish() },
      { sync: 'on-close' }, { maxSegmentBytes: 256 * 2 ** 20 });
    const rows = [0, 1].map((seed) => Float32Array.from({ length: b * D }, (_, i) => Math.sin(i * 0.001 + seed)));
    for (let s = 1; s <= steps; s++) {
      await writer.appendContribution(fisherd.v1.StepContribution.encode(contributionToWire({
        step: s, workerId: 0, batchSize: b, reduction: 'sum', perExampleGrads: rows[s % 2]!, sampledLabelGrads: { samplesPerExample: 1, rows: rows[(s + 1) % 2]! },
      })).finish());
    }
    await writer.close();
    expect(writer.stats.bytes).toBeGreaterThan(2 ** 30);
    rows.length = 0;

    // In this thread, and with worker threads (compiled: the worker script exists only in the build; each
    // thread holds one 12.8 MB frame and its decoded rows). RSS counts every thread of the process.
    await buildDaemon();
    const { replayTrace: replayThreaded } = await import(join(ROOT, 'test-artifacts', 'e2e-dist', 'src', 'trace', 'replay.js')) as { replayTrace: typeof replayTrace };
    for (const [name, replay, threads] of [['in this thread', replayTrace, 0], ['with 2 worker threads', replayThreaded, 2]] as const) {
      globalThis.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const started = performance.now();
      const result = await replay([trace], { optimizers: ['ngd'], backend: 'reference', threads, onProgress: () => { peak = Math.max(peak, process.memoryUsage().rss); } });
      const seconds = (performance.now() - started) / 1000;
      expect(result.steps).toBe(steps);
      expect(result.threads).toBe(threads);
      expect(result.bytesRead).toBeGreaterThan(2 ** 30);
      const growthMb = (peak - baseline) / 2 ** 20;
      console.log(`big trace ${name}: ${(result.bytesRead / 2 ** 30).toFixed(2)} GiB, ${steps} steps in ${seconds.toFixed(1)} s; RSS ${(baseline / 2 ** 20).toFixed(0)} MiB → peak ${(peak / 2 ** 20).toFixed(0)} MiB (+${growthMb.toFixed(0)} MiB)`);
      // Bound: 160 MiB, plus 100 MiB per worker thread (its V8 isolate and compiled modules, one frame in
      // the kernels' memory, its decoded rows); none of it grows with the trace's length.
      expect(growthMb).toBeLessThan(160 + 100 * threads);
    }
    await rm(trace, { recursive: true, force: true });
  }), 600_000);
});
