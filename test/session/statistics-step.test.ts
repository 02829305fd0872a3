/**
 * The one-pass step from one worker's statistics (src/session/statistics-step.ts) against the general path
 * of the same session configuration (`stepFromSummary(summarize(...))`: merge, fold, the optimizer chain,
 * the float32 update, the checks — each its own pass): the same bits for Δθ, the same diagnostics, the same
 * estimates, step after step, on every backend, for sgd, ngd (sampled and exact), efgd and snr, under both
 * reductions, float32 and float64 statistics, whole-vector and per-block entries, with the passes as native
 * kernels and as JavaScript loops. And where the general path
 * throws, the session throws the same error with its state unchanged.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { availableKernels, kernelsInUse, useKernels } from '../../src/linalg/native-kernels.js';
import type { Backend } from '../../src/linalg/backend.js';
import {
  Session, type BlockStatistics, type SessionConfig, type StepContribution,
} from '../../src/session/index.js';
import { FusedStatisticsStep } from '../../src/session/statistics-step.js';
import type { DiagonalBlockStatistics } from '../../src/session/statistics.js';
import { validateSessionConfig } from '../../src/session/config.js';
import { BACKENDS, Rng, bitwiseEqual } from './helpers.js';

const DIM = 37;

/** `+ef` / `+f`: the other Fisher tracked too (the pass folds it and computes cosineEfFisher). */
type Rule = 'sgd' | 'ngd' | 'ngd-exact' | 'efgd' | 'snr' | 'ngd+ef' | 'efgd+f' | 'efgd+f-exact';

function configOf(rule: Rule, blocks: boolean, decay = 0.9, damping = 1e-2): SessionConfig {
  const name = rule.startsWith('ngd') ? 'ngd' : rule.startsWith('efgd') ? 'efgd' : rule;
  return {
    dim: DIM,
    emaDecay: decay,
    ...(blocks ? { blocks: [{ name: 'w', size: 23, structure: { kind: 'diagonal' } }, { name: 'bias', size: 14, structure: { kind: 'diagonal' } }] } : { structure: { kind: 'diagonal' } }),
    ...(rule.endsWith('exact') ? { fisherSource: 'exact' as const } : {}),
    ...(rule === 'ngd+ef' ? { track: { empiricalFisher: true } } : rule.startsWith('efgd+f') ? { track: { fisher: true } } : {}),
    optimizer: { name, stepSize: 0.3, ...(name === 'sgd' || name === 'snr' ? {} : { damping }) },
  } as SessionConfig;
}

function statistics(rng: Rng, b: number, blocks: boolean, f32: boolean, scale = 1): BlockStatistics[] {
  const vec = (n: number, square: boolean) => {
    const v = Float64Array.from(rng.normals(n), (x) => scale * (square ? x * x * b : x * b));
    return f32 ? Float32Array.from(v) : v;
  };
  const moments = (n: number) => ({
    count: b, sum: vec(n, false), sumSquares: vec(n, true), centredSquares: vec(n, true),
    sampledLabelSquares: vec(n, true), samplesPerExample: 2, factorSquares: vec(n, true),
  });
  return blocks
    ? [{ block: 'bias', kind: 'diagonal', moments: moments(14) }, { block: 'w', kind: 'diagonal', moments: moments(23) }]
    : [{ block: '', kind: 'diagonal', moments: moments(DIM) }];
}

function contribution(step: number, b: number, reduction: 'sum' | 'mean', stats: BlockStatistics[]): StepContribution {
  return { step, workerId: 0, batchSize: b, reduction, loss: 0.5 + step, statistics: stats };
}

/** The general path: the same session configuration, stepped through summarize + stepFromSummary. */
function generalStep(session: Session, c: StepContribution) {
  return session.stepFromSummary(session.summarize([c]));
}

describe('the fused statistics step', () => {
  it('covers exactly the plain diagonal rules with their own estimate', () => {
    for (const rule of ['sgd', 'ngd', 'ngd-exact', 'efgd', 'snr', 'ngd+ef', 'efgd+f', 'efgd+f-exact'] as const) {
      expect(FusedStatisticsStep.for(validateSessionConfig(configOf(rule, false)), 'openblas')).toBeDefined();
    }
    const covered = (config: SessionConfig) => FusedStatisticsStep.for(validateSessionConfig(config), 'reference') !== undefined;
    // GPU.js solves in its own kernels: the solving rules keep the general path there
    expect(FusedStatisticsStep.for(validateSessionConfig(configOf('ngd', false)), 'gpujs')).toBeUndefined();
    expect(FusedStatisticsStep.for(validateSessionConfig(configOf('snr', false)), 'gpujs')).toBeDefined();
    // parameter blocks that are all diagonal are one diagonal cut in segments: covered; any other block is not
    expect(covered(configOf('ngd', true))).toBe(true);
    expect(covered({ ...configOf('ngd', true), blocks: [{ name: 'w', size: 23, structure: { kind: 'diagonal' } }, { name: 'bias', size: 14, structure: { kind: 'full' } }] })).toBe(false);
    expect(covered({ ...configOf('ngd', false), optimizer: { name: 'ngd', stepSize: 0.1, damping: 0 } })).toBe(true); // declined per step (λ = 0)
    expect(covered({ ...configOf('ngd', false), optimizer: { name: 'ngd', stepSize: 0.1, momentum: 0.9 } })).toBe(false);
    expect(covered({ ...configOf('efgd', false), track: { fisher: true, noise: true } })).toBe(false);
    expect(covered({ ...configOf('snr', false), track: { fisher: true } })).toBe(false);
    expect(covered({ ...configOf('ngd', false), structure: { kind: 'full' } })).toBe(false);
    expect(covered({ ...configOf('ngd', false), optimizer: { name: 'va', stepSize: 0.1 } })).toBe(false);
  });

  it('recycled update arrays: a later step writes into them, never into the last result\'s, with the same bits as fresh ones', () => {
    for (const rule of ['ngd', 'va'] as const) { // the fused path and the general one
      const config: SessionConfig = { ...configOf('ngd', false), ...(rule === 'va' ? { optimizer: { name: 'va', stepSize: 0.3 } } : {}) };
      const recycling = new Session(config, BACKENDS[0]!);
      const fresh = new Session(config, BACKENDS[0]!);
      const rng = new Rng(5);
      const seen: Float32Array[] = [];
      for (let step = 1; step <= 6; step++) {
        const c = contribution(step, 7, 'sum', statistics(rng, 7, false, true));
        const a = recycling.step([c]);
        const b = fresh.step([c]);
        expect(bitwiseEqual(a.update, b.update)).toBe(true);
        expect(a.update).toBe(recycling.lastResult!.update);
        seen.push(a.update);
        recycling.recycleUpdate(a.update); // as the daemon does once the update is sent
      }
      // two arrays take turns (the last result's is never written into): no allocation after the second step
      expect(new Set(seen).size).toBe(2);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
    }
  });

  // every backend, and every kernel set the passes run in (native where the library is built, and JavaScript)
  for (const kernels of availableKernels()) describe(`${kernels} passes`, () => {
  const initial = kernelsInUse();
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels(initial));
  for (const backend of BACKENDS as Backend[]) {
    for (const rule of ['sgd', 'ngd', 'ngd-exact', 'efgd', 'snr', 'ngd+ef', 'efgd+f', 'efgd+f-exact'] as const) {
      for (const reduction of ['sum', 'mean'] as const) {
        // [session blocks, per-block entries]: a diagonal session; two diagonal blocks with an entry each; the
        // same blocks fed one whole-vector entry (cut where the blocks change)
        for (const [blocks, entries] of [[false, false], [true, true], [true, false]] as const) {
          const label = !blocks ? 'whole-vector statistics' : entries ? 'diagonal blocks, per-block statistics' : 'diagonal blocks, whole-vector statistics';
          it(`${backend.name}: ${rule}, ${reduction}, ${label}: the general path's bits, in one pass`, () => {
            const fused = new Session(configOf(rule, blocks), backend);
            const general = new Session(configOf(rule, blocks), backend);
            const rng = new Rng(17);
            const run = vi.spyOn(FusedStatisticsStep.prototype, 'run');
            for (let step = 1; step <= 4; step++) {
              const b = 5 + step;
              const c = contribution(step, b, reduction, statistics(rng, b, entries, step % 2 === 0));
              // as the daemon does on arrival (the pass then trusts the scanned values), every other step
              if (step % 2 === 1) fused.validate(c);
              const a = fused.step([c]);
              const taken = run.mock.results.at(-1);
              // (GPU.js keeps the general path for the solving rules: see `for`)
              const covered = FusedStatisticsStep.for(validateSessionConfig(configOf(rule, blocks)), backend.name) !== undefined;
              expect(taken?.type === 'return' && taken.value !== undefined).toBe(covered);
              const g = generalStep(general, c);
              expect(bitwiseEqual(a.update, g.update)).toBe(true);
              const { computeMs: _a, ...da } = a.diagnostics;
              const { computeMs: _g, ...dg } = g.diagnostics;
              expect(da).toEqual(dg);
              // both Fishers tracked: the cosine is there, the same bits on both paths
              if (rule.includes('+')) expect(typeof da.cosineEfFisher === 'number' && Object.is(da.cosineEfFisher, dg.cosineEfFisher)).toBe(true);
            }
            const ea = fused.estimates({ includeDiagonals: true });
            const eg = general.estimates({ includeDiagonals: true });
            expect(bitwiseEqual(ea.meanGrad!, eg.meanGrad!)).toBe(true);
            ea.estimates.forEach((e, i) => expect(bitwiseEqual(e.diagonal!, eg.estimates[i]!.diagonal!)).toBe(true));
            // and it goes on identically after a snapshot round trip
            const restored = Session.restore(fused.snapshot(), backend);
            const c = contribution(5, 9, reduction, statistics(rng, 9, entries, true));
            expect(bitwiseEqual(restored.step([c]).update, generalStep(general, c).update)).toBe(true);
            run.mockRestore();
          });
        }
      }
    }

    it(`${backend.name}: a bad value, an overflow or a singular solve throws what the general path throws, the session unchanged`, () => {
      const rng = new Rng(3);
      const cases: { config: SessionConfig; stats: () => BlockStatistics[]; code: string }[] = [
        { config: configOf('ngd', false), stats: () => { const s = statistics(rng, 6, false, true); ((s[0] as DiagonalBlockStatistics).moments.sum as Float32Array)[5] = Number.NaN; return s; }, code: 'NON_FINITE' },
        { config: configOf('efgd', false), stats: () => { const s = statistics(rng, 6, false, false); ((s[0] as DiagonalBlockStatistics).moments.sumSquares as Float64Array)[7] = -1; return s; }, code: 'INVALID_CONFIG' },
        { config: configOf('ngd', false, 0, 0), stats: () => { const s = statistics(rng, 6, false, false); ((s[0] as DiagonalBlockStatistics).moments.sampledLabelSquares as Float64Array)[3] = 0; return s; }, code: 'NOT_POSITIVE_DEFINITE' },
        ...(backend.dtype === 'float32' ? [{ config: configOf('efgd', false), stats: () => statistics(rng, 6, false, false, 1e45), code: 'NON_FINITE' }] : []),
      ];
      for (const { config, stats, code } of cases) {
        const session = new Session(config, backend);
        const warm = contribution(1, 6, 'sum', statistics(rng, 6, false, true));
        session.step([warm]);
        const before = session.snapshot();
        const bad = contribution(2, 6, 'sum', stats());
        let fusedError: unknown;
        try { session.step([bad]); } catch (e) { fusedError = e; }
        expect((fusedError as { code?: string } | undefined)?.code).toBe(code);
        const general = Session.restore(before, backend);
        let generalError: unknown;
        try { generalStep(general, bad); } catch (e) { generalError = e; }
        expect(String(fusedError)).toBe(String(generalError));
        expect(session.lastStep).toBe(1);
        const after = session.snapshot();
        expect(bitwiseEqual(after.curvature.meanGrad, before.curvature.meanGrad)).toBe(true);
      }
    });
  }
  });
});
