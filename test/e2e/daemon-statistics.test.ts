/**
 * End to end, a real daemon process: statistics contributions from the TypeScript client. Three workers
 * sending statistics (float32, and bfloat16) get the updates three workers sending the same gradients as
 * rows get (relative ‖·‖₂: 1e-5 for float32 statistics, whose rounding (2⁻²⁴ per value) is the only
 * difference; 2e-2 for bfloat16, 2⁻⁸ per value); the statistics session's trace replays to the live
 * updates bit for bit and `trace inspect` names its kind; bad statistics get a typed error naming the field,
 * leave the session as it was (its next step equals a control session's) and the daemon serves others.
 */
import type { DiagonalBlockStatistics } from '../../src/session/statistics.js';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError, statisticsFromRows, type StepInput } from '../../clients/ts/src/index.js';
import type { SessionConfig } from '../../src/session/config.js';
import { replayTrace } from '../../src/trace/replay.js';
import { relativeError } from '../curvature/helpers.js';
import { buildDaemon, startDaemon } from './daemon-harness.js';

const BLOCKS = [{ name: 'layer.weight', size: 24 }, { name: 'layer.bias', size: 8 }];
const D = 32;
const BATCH = [3, 4, 5];
const STEPS = 4;

function rows(step: number, worker: number): StepInput {
  const b = BATCH[worker]!;
  const value = (i: number, phase: number) => Math.sin(0.37 * i + 0.9 * step + 2.3 * worker + phase) + 0.5 * Math.cos(i % D);
  return {
    batchSize: b, reduction: 'mean', loss: 1 / step,
    perExampleGrads: Float32Array.from({ length: b * D }, (_, i) => value(i, 0) / b),
    sampledLabelGrads: { samplesPerExample: 2, rows: Float32Array.from({ length: 2 * b * D }, (_, i) => value(i, 1.1) / b) },
  };
}

function statistics(step: number, worker: number, encoding: 'float32' | 'bfloat16'): StepInput {
  const { perExampleGrads: _p, sampledLabelGrads: _s, ...rest } = rows(step, worker);
  return { ...rest, statistics: statisticsFromRows(rows(step, worker), { dim: D, blocks: BLOCKS }), statisticsEncoding: encoding };
}

const config = (record = false): SessionConfig => ({
  dim: D, workers: 3, record, emaDecay: 0.8, blocks: BLOCKS.map((b) => ({ ...b, structure: { kind: 'diagonal' } })),
  optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2, momentum: 0.5 }, track: { empiricalFisher: true, noise: true },
});

async function run(url: string, input: (step: number, worker: number) => StepInput, record = false): Promise<{ sessionId: string; updates: Float32Array[] }> {
  const workers = await Promise.all([0, 1, 2].map((workerId) => FisherdClient.connect(url, { reconnect: false, workerId })));
  const { sessionId } = await workers[0]!.openSession(config(record));
  await Promise.all(workers.slice(1).map((w) => w.resumeSession(sessionId)));
  const updates: Float32Array[] = [];
  for (let step = 1; step <= STEPS; step++) {
    const replies = await Promise.all(workers.map((w, id) => w.step(input(step, id))));
    updates.push(replies[0]!.delta);
  }
  for (const w of workers) await w.close();
  return { sessionId, updates };
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  const main = await buildDaemon();
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, FISHERD_LOG_LEVEL: 'silent' } }, (error, stdout) => {
      resolve({ code: error ? 1 : 0, stdout });
    });
  });
}

describe('fisherd daemon: statistics contributions', () => {
  it('three workers sending statistics get the updates of rows; recorded, they replay bit for bit', async () => {
    const daemon = await startDaemon(['--session-idle-ms', '0']);
    try {
      const fromRows = await run(daemon.url, rows);
      const fromStatistics = await run(daemon.url, (s, w) => statistics(s, w, 'float32'), true);
      const fromBfloat16 = await run(daemon.url, (s, w) => statistics(s, w, 'bfloat16'));
      let worst32 = 0;
      let worst16 = 0;
      for (let s = 0; s < STEPS; s++) {
        worst32 = Math.max(worst32, relativeError(fromStatistics.updates[s]!, fromRows.updates[s]!));
        worst16 = Math.max(worst16, relativeError(fromBfloat16.updates[s]!, fromRows.updates[s]!));
      }
      console.log(`statistics vs rows over the wire (W = 3): float32 ${worst32.toExponential(2)}, bfloat16 ${worst16.toExponential(2)}`);
      expect(worst32).toBeLessThan(1e-5);
      expect(worst16).toBeLessThan(2e-2);
      expect(worst16).toBeGreaterThan(0); // the bfloat16 rounding is really there

      const dir = join(daemon.dataDir, 'traces', fromStatistics.sessionId);
      await expect.poll(() => existsSync(dir), { timeout: 10_000 }).toBe(true);
      await expect.poll(async () => (await cli('trace', 'verify', dir)).code, { timeout: 10_000 }).toBe(0);
      const offline = await replayTrace([dir], { optimizers: ['ngd', 'efgd', 'snr'] }, () => undefined);
      expect(offline.reproduction).toMatchObject({ recorded: STEPS, compared: STEPS, identical: STEPS, reproduced: true });
      expect(offline.optimizers.every((o) => o.steps === STEPS && o.failure === undefined)).toBe(true);
      const inspect = await cli('trace', 'inspect', dir);
      expect(inspect.stdout).toMatch(/kinds\s+diagonal statistics/);
      expect(inspect.stdout).toMatch(/statistics\s+×12 \(24 block entries/);
    } finally {
      expect(await daemon.kill('SIGTERM')).toBe(0);
    }
  }, 120_000);

  it('bad statistics: a typed error naming the field, the session unchanged, other sessions served', async () => {
    const daemon = await startDaemon();
    try {
      const single = { ...config(), workers: 1 };
      const [bad, control, other] = await Promise.all([0, 1, 2].map(() => FisherdClient.connect(daemon.url, { reconnect: false })));
      await bad!.openSession(single);
      await control!.openSession(single);
      await other!.openSession({ dim: 4, optimizer: { name: 'sgd', stepSize: 1 } });
      const good = (step: number) => statistics(step, 0, 'float32');
      await bad!.step({ ...good(1), step: 1 });
      await control!.step({ ...good(1), step: 1 });
      const broken = (change: (m: Record<string, unknown>) => void): StepInput => {
        const input = good(2);
        const statistics = input.statistics!.map((e) => ({ ...(e as DiagonalBlockStatistics), moments: { ...(e as DiagonalBlockStatistics).moments } }));
        change((statistics[1] as DiagonalBlockStatistics).moments as unknown as Record<string, unknown>);
        return { ...input, step: 2, statistics };
      };
      const cases: [StepInput, string, string][] = [
        [broken((m) => { m.centredSquares = Float64Array.from(m.centredSquares as Float64Array, (x, i) => (i === 2 ? -1 : x)); }), 'INVALID_CONFIG', 'statistics[1].diagonal.centredSquares'],
        [broken((m) => { m.sum = new Float64Array(7); }), 'SHAPE_MISMATCH', 'statistics[1].diagonal.sum'],
        [broken((m) => { m.count = 99; }), 'SHAPE_MISMATCH', 'statistics[1].diagonal.count'],
        [broken((m) => { m.sumSquares = Float64Array.from(m.sumSquares as Float64Array, (x, i) => (i === 0 ? Number.NaN : x)); }), 'NON_FINITE', 'statistics[1].diagonal.sumSquares'],
        [broken((m) => { delete m.sampledLabelSquares; }), 'MISSING_INPUT', 'statistics[1].diagonal.sampledLabelSquares'],
        [{ ...good(2), step: 2, statistics: [{ ...good(2).statistics![0]!, block: 'nope' }, good(2).statistics![1]!] }, 'UNKNOWN_BLOCK', 'statistics[0].block'],
      ];
      for (const [input, code, field] of cases) {
        const error = await bad!.step(input).then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(FisherdClientError);
        expect((error as FisherdClientError).code).toBe(code);
        expect((error as FisherdClientError).field).toBe(field);
        expect((await other!.step({ batchSize: 1, reduction: 'sum', meanGrad: Float32Array.of(1, 2, 3, 4) })).delta[3]).toBe(-4);
      }
      const after = await bad!.step({ ...good(2), step: 2 });
      const expected = await control!.step({ ...good(2), step: 2 });
      expect(Buffer.from(after.delta.buffer).equals(Buffer.from(expected.delta.buffer))).toBe(true);
      for (const c of [bad, control, other]) await c!.close();
    } finally {
      expect(await daemon.kill('SIGTERM')).toBe(0);
    }
  }, 120_000);
});
