import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTrace, type ReplayStepRow } from '../../src/trace/replay.js';
import { withTempDir } from './fixtures.js';
import { recordTrace } from './session-fixtures.js';

const ALL = ['sgd', 'ngd', 'efgd', 'snr', 'va'] as const;

describe('replay', () => {
  it('replays every rule on every step, reproduces the recorded updates bit for bit, deterministically', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 12);
    const runs: { rows: ReplayStepRow[]; result: Awaited<ReturnType<typeof replayTrace>> }[] = [];
    for (let run = 0; run < 2; run++) {
      const rows: ReplayStepRow[] = [];
      const result = await replayTrace([trace], { optimizers: ALL, backend: 'reference' }, (r) => { rows.push(...r); });
      runs.push({ rows, result });
    }
    const [first, second] = runs;
    expect(first!.result.steps).toBe(12);
    expect(first!.rows.length).toBe(12 * ALL.length);
    expect(first!.rows.map((r) => r.optimizer).slice(0, 5)).toEqual([...ALL]);
    expect(first!.result.reproduction).toMatchObject({ optimizer: 'ngd', recorded: 12, compared: 12, identical: 12, reproduced: true, backendMatches: true, maxAbsDifference: 0 });
    // determinism: the same rows and the same update digests
    expect(second!.rows).toEqual(first!.rows);
    expect(second!.result.optimizers).toEqual(first!.result.optimizers);
    // the diagnostics the paper uses are there, within their ranges
    for (const row of first!.rows) {
      expect(row.cosineEfFisher).toBeGreaterThanOrEqual(-1);
      expect(row.cosineEfFisher).toBeLessThanOrEqual(1);
      expect(row.meanSnr).toBeGreaterThanOrEqual(0);
      expect(row.meanSnr).toBeLessThanOrEqual(1);
      expect(row.updateNorm).toBeGreaterThan(0);
    }
    // the rules differ, so the digests do
    expect(new Set(first!.result.optimizers.map((o) => o.updateDigest)).size).toBe(ALL.length);
    // sgd's update is −γ ḡ: its norm is γ‖ḡ‖ (ḡ the bias-corrected EMA, emaDecay 0.9)
    for (const row of first!.rows.filter((r) => r.optimizer === 'sgd')) expect(row.updateNorm).toBeCloseTo(0.1 * row.gradNorm, 12);
  }));

  it('replays a data-parallel session (W = 2): the contributions of both workers make one step', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 5, { workers: 2 });
    const result = await replayTrace([trace], { optimizers: ['ngd', 'va'], backend: 'reference' });
    expect(result.steps).toBe(5);
    expect(result.reproduction).toMatchObject({ recorded: 5, identical: 5, reproduced: true });
  }));

  it('says when a recorded update is not reproduced, and where', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 6, { corruptUpdateAt: 4 });
    const result = await replayTrace([trace], { optimizers: ['ngd', 'sgd'], backend: 'reference' });
    expect(result.reproduction).toMatchObject({ compared: 6, identical: 5, firstMismatchStep: 4, reproduced: false });
    expect(result.reproduction!.maxAbsDifference).toBeGreaterThan(0);
  }));

  it('does not compare when the structure is overridden, and refuses a rule the inputs cannot feed', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await recordTrace(trace, 3);
    const lowrank = await replayTrace([trace], { optimizers: ['ngd'], backend: 'reference', structure: { kind: 'lowrank', rank: 2 } });
    expect(lowrank.reproduction).toBeUndefined();
    expect(lowrank.reproductionSkipped).toMatch(/overridden/);
    expect(lowrank.steps).toBe(3);
    await expect(replayTrace([trace], { optimizers: ['sgd', 'sgd'] })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  }));
});
