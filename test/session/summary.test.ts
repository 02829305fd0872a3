/**
 * A step in two halves: `Session.summarize` (the rows reduced to D-vectors, any session of the same config)
 * then `Session.stepFromSummary` gives bit for bit what `Session.step` gives, on every backend; and the
 * halves reject bad input as `step` does, leaving the session unchanged.
 */
import { describe, expect, it } from 'vitest';
import { allocateSummary, validateSummary } from '../../src/curvature/index.js';
import { FisherdError } from '../../src/errors.js';
import type { OptimizerSpec } from '../../src/optim/index.js';
import { Session, type SessionConfig, type StepContribution } from '../../src/session/index.js';
import { BACKENDS, DyadicStream, bitwiseEqual, contribution, errorOf, workerRows } from './helpers.js';

const DIM = 37; // not a multiple of the SIMD kernel's 16 columns: the tail path runs too

function contributions(step: number, workers: number, reduction: 'mean' | 'sum', fisher: 'sampled' | 'exact', seed: number): StepContribution[] {
  const stream = new DyadicStream(seed * 100 + step);
  return Array.from({ length: workers }, (_, w) => {
    const c = contribution(workerRows(stream, DIM, 4 + w), step, w, reduction, { loss: 0.25 * step + w });
    if (fisher === 'sampled') delete (c as { fisherFactorRows?: unknown }).fisherFactorRows;
    else delete (c as { sampledLabelGrads?: unknown }).sampledLabelGrads;
    return c;
  });
}


const cases: { name: string; optimizer: OptimizerSpec; workers: number; reduction: 'mean' | 'sum'; fisher: 'sampled' | 'exact' }[] = [
  { name: 'ngd, sampled Fisher, 1 worker, sum', optimizer: { name: 'ngd', stepSize: 0.5, damping: 1e-2 }, workers: 1, reduction: 'sum', fisher: 'sampled' },
  { name: 'va, exact Fisher, 2 workers, mean', optimizer: { name: 'va', stepSize: 0.1, damping: 1e-3 }, workers: 2, reduction: 'mean', fisher: 'exact' },
  { name: 'snr with momentum, sampled, 2 workers, sum', optimizer: { name: 'snr', stepSize: 0.1, momentum: 0.9 }, workers: 2, reduction: 'sum', fisher: 'sampled' },
  { name: 'efgd, 1 worker, mean', optimizer: { name: 'efgd', stepSize: 0.2, damping: 1e-2 }, workers: 1, reduction: 'mean', fisher: 'exact' },
];

describe.each(BACKENDS.map((b) => [b.name === 'gpujs' ? `gpujs ${b.detail}` : b.name, b] as const))('summaries on %s', (_name, backend) => {
  for (const c of cases) {
    it(`summarize + stepFromSummary = step, bit for bit (${c.name})`, () => {
      const config: SessionConfig = {
        dim: DIM, structure: { kind: 'diagonal' }, optimizer: c.optimizer, workers: c.workers, emaDecay: 0.9,
        fisherSource: c.fisher, track: { empiricalFisher: true, noise: true, fisher: true },
      };
      const whole = new Session(config, backend);
      const halves = new Session(config, backend);
      const summarizer = new Session(config, backend); // never steps: summaries do not depend on a session's state
      expect(halves.summarizes).toBe(true);
      for (let step = 1; step <= 5; step++) {
        const input = contributions(step, c.workers, c.reduction, c.fisher, 3);
        const expected = whole.step(input);
        const summary = summarizer.summarize(input, { step });
        const got = halves.stepFromSummary(summary);
        expect(bitwiseEqual(got.update, expected.update)).toBe(true);
        const { computeMs: _a, ...gotDiagnostics } = got.diagnostics;
        const { computeMs: _b, ...expectedDiagnostics } = expected.diagnostics;
        expect(gotDiagnostics).toEqual(expectedDiagnostics);
      }
      expect(halves.snapshot().curvature).toEqual(whole.snapshot().curvature);
    });
  }
});

describe('summary errors', () => {
  const backend = BACKENDS[0]!;
  const config: SessionConfig = {
    dim: DIM, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.5, damping: 1e-2 },
    track: { empiricalFisher: true, noise: true, fisher: true },
  };

  it('names a NaN in the rows by field and step, whatever the summarizing session has done', () => {
    const s = new Session(config, backend);
    const input = contributions(7, 1, 'sum', 'sampled', 1);
    input[0]!.perExampleGrads![3 * DIM + 5] = Number.NaN;
    const e = errorOf(() => s.summarize(input, { step: 7 }));
    expect(e.code).toBe('NON_FINITE');
    expect(e.field).toBe('perExampleGrads');
    expect(e.step).toBe(7);
    const f = contributions(7, 1, 'sum', 'sampled', 1);
    f[0]!.sampledLabelGrads!.rows[2] = Number.POSITIVE_INFINITY;
    const e2 = errorOf(() => s.summarize(f, { step: 7 }));
    expect(e2.code).toBe('NON_FINITE');
    expect(e2.field).toBe('sampledLabelGrads.rows');
    expect(e2.step).toBe(7);
  });

  it('refuses a summary of another step, a wrong length, a NaN or a missing quantity, leaving the session as it was', () => {
    const s = new Session(config, backend);
    s.step(contributions(1, 1, 'sum', 'sampled', 2));
    const before = s.snapshot();
    const good = new Session(config, backend).summarize(contributions(2, 1, 'sum', 'sampled', 2), { step: 2 });
    expect(errorOf(() => s.stepFromSummary({ ...good, step: 3 })).code).toBe('STEP_OUT_OF_ORDER');
    const short = { ...good, summary: { ...good.summary, squares: new Float64Array(DIM - 1) } };
    expect(errorOf(() => s.stepFromSummary(short)).code).toBe('SHAPE_MISMATCH');
    const nan = { ...good, summary: { ...good.summary, centredSquares: good.summary.centredSquares!.slice() } };
    nan.summary.centredSquares![4] = Number.NaN;
    const e = errorOf(() => s.stepFromSummary(nan));
    expect(e.code).toBe('NON_FINITE');
    expect(e.field).toBe('summary.centredSquares');
    const { fisherSquares: _f, ...noFisher } = good.summary;
    expect(errorOf(() => s.stepFromSummary({ ...good, summary: noFisher })).code).toBe('MISSING_INPUT');
    expect(s.snapshot()).toEqual(before);
    expect(s.stepFromSummary(good).step).toBe(2);
  });

  it('is only offered where every estimate is diagonal', () => {
    const s = new Session({ ...config, structure: { kind: 'lowrank', rank: 2 } }, backend);
    expect(s.summarizes).toBe(false);
    expect(errorOf(() => s.summarize(contributions(1, 1, 'sum', 'sampled', 4))).code).toBe('INTERNAL');
  });

  it('validateSummary accepts what allocateSummary shapes and summarize fills', () => {
    const track = { empiricalFisher: true, noise: true, fisher: true };
    const fresh = allocateSummary(DIM, track);
    expect(() => validateSummary(fresh, DIM, track)).toThrow(/batchSize/);
    const filled = new Session(config, backend).summarize(contributions(1, 1, 'sum', 'sampled', 5), { out: fresh });
    expect(filled.summary).toBe(fresh);
    expect(() => validateSummary(fresh, DIM, track)).not.toThrow();
  });
});
