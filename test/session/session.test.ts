/**
 * Session: a step through the real estimator and optimizer (checked against a direct float64 computation),
 * reductions, the W-worker merge, validation errors, atomic rejection, estimates, and diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { CurvatureEstimator } from '../../src/curvature/index.js';
import { FisherdError, type ErrorCode } from '../../src/errors.js';
import { makeOptimizer, type OptimizerSpec } from '../../src/optim/index.js';
import { Session, encodeSessionSnapshot, type SessionConfig, type StepContribution } from '../../src/session/index.js';
import { DyadicStream, REFERENCE, bitwiseEqual, contribution, errorOf, meanRows, relativeError, workerRows } from './helpers.js';

const DIM = 6;

function session(optimizer: OptimizerSpec, extra: Partial<SessionConfig> = {}): Session {
  return new Session({ dim: DIM, structure: { kind: 'full' }, optimizer, ...extra }, REFERENCE);
}


function expectError(f: () => unknown, code: ErrorCode, field?: string): void {
  const e = errorOf(f);
  expect(e.code, e.message).toBe(code);
  if (field !== undefined) expect(e.field).toBe(field);
}

describe('Session.step', () => {
  it('gives the update of the estimator and optimizer run directly (ngd, track all, sampled Fisher)', () => {
    const spec: OptimizerSpec = { name: 'ngd', stepSize: 0.5, damping: 1e-2 };
    const s = session(spec, { track: { empiricalFisher: true, noise: true } });
    const rows = workerRows(new DyadicStream(1), DIM, 8);
    const result = s.step([contribution(rows, 1, 0, 'sum', { loss: 0.7 })]);

    const estimator = new CurvatureEstimator(
      { dim: DIM, structure: { kind: 'full' }, decay: 0, track: { empiricalFisher: true, fisher: true, noise: true } },
      REFERENCE,
    );
    estimator.update({
      batchSize: 8,
      perExampleGrads: [{ rows: Float64Array.from(rows.grads), count: 8, dim: DIM, scale: 1 }],
      sampledLabelGrads: { blocks: [{ rows: Float64Array.from(rows.sampled), count: 16, dim: DIM, scale: 1 }], samplesPerExample: 2 },
    });
    const optimizer = makeOptimizer(spec);
    const direct = optimizer.update(estimator.meanGrad(), optimizer.init(DIM), { step: 1, curvature: estimator });

    expect(result.step).toBe(1);
    expect(bitwiseEqual(result.update, Float32Array.from(direct.updates))).toBe(true);
    expect(result.diagnostics.gradNorm).toBe(direct.diagnostics.gradNorm);
    expect(result.diagnostics.cosineEfFisher).toBe(direct.diagnostics.cosineEfFisher);
    expect(result.diagnostics.meanSnr).toBe(direct.diagnostics.meanSnr);
    expect(result.diagnostics.updateNorm).toBeCloseTo(Math.hypot(...result.update), 6);
    expect(result.diagnostics.loss).toBe(0.7);
    expect(result.diagnostics.batchSize).toBe(8);
    expect(result.diagnostics.computeMs).toBeGreaterThanOrEqual(0);
    expect(s.lastStep).toBe(1);
    expect(s.nextStep).toBe(2);
    expect(s.lastResult).toBe(result);
  });

  it.each([
    ['sampled', 'efgd'],
    ['sampled', 'ngd'],
    ['exact', 'ngd'],
    ['sampled', 'va'],
  ] as const)("reduction 'mean' (BackPACK's g/b, u/√b) gives the update of 'sum' exactly (%s, %s)", (fisherSource, name) => {
    const spec: OptimizerSpec = { name, stepSize: 0.2, damping: 1e-3 };
    const rows = workerRows(new DyadicStream(2), DIM, 4); // b = 4: g/4 and u/2 are exact in float32
    const viaSum = session(spec, { fisherSource }).step([contribution(rows, 1, 0, 'sum')]);
    const viaMean = session(spec, { fisherSource }).step([contribution(rows, 1, 0, 'mean')]);
    expect(bitwiseEqual(viaMean.update, viaSum.update)).toBe(true);
  });

  it("meanGrad: 'mean' as sent, 'sum' divided by b_w; W workers weighted by sample count", () => {
    const stream = new DyadicStream(3);
    const g0 = stream.floats(DIM);
    const g1 = stream.floats(DIM);
    const s = session({ name: 'sgd', stepSize: 1 }, { workers: 2 });
    const result = s.step([
      { step: 1, workerId: 1, batchSize: 4, reduction: 'sum', meanGrad: g1.map((x) => 4 * x), loss: 2 },
      { step: 1, workerId: 0, batchSize: 12, reduction: 'mean', meanGrad: g0, loss: 1 },
    ]);
    const expected = Float32Array.from(g0, (x, i) => -((12 * x + 4 * g1[i]!) / 16));
    expect(bitwiseEqual(result.update, expected)).toBe(true);
    expect(result.diagnostics.loss).toBe((12 * 1 + 4 * 2) / 16);
    expect(result.diagnostics.batchSize).toBe(16);
  });

  it('merges W workers like one worker with all the rows (mixed reductions, unequal b_w)', () => {
    const spec: OptimizerSpec = { name: 'va', stepSize: 0.3, damping: 1e-3 };
    const stream = new DyadicStream(4);
    const parts = [workerRows(stream, DIM, 2), workerRows(stream, DIM, 4), workerRows(stream, DIM, 8)];
    const concat = (pick: (r: ReturnType<typeof workerRows>) => Float32Array): Float32Array => {
      const all = parts.map(pick);
      const out = new Float32Array(all.reduce((n, a) => n + a.length, 0));
      let offset = 0;
      for (const a of all) {
        out.set(a, offset);
        offset += a.length;
      }
      return out;
    };
    const whole = { batchSize: 14, grads: concat((r) => r.grads), sampled: concat((r) => r.sampled), factors: concat((r) => r.factors) };
    const one = session(spec, { track: { fisher: true, empiricalFisher: true } }).step([contribution(whole, 1, 0, 'sum')]);
    const three = session(spec, { workers: 3, track: { fisher: true, empiricalFisher: true } }).step([
      contribution(parts[2]!, 1, 2, 'mean'),
      contribution(parts[0]!, 1, 0, 'sum'),
      contribution(parts[1]!, 1, 1, 'mean'),
    ]);
    expect(relativeError(three.update, one.update)).toBeLessThan(1e-6);
    expect(three.diagnostics.cosineEfFisher).toBeCloseTo(one.diagnostics.cosineEfFisher!, 10);
    expect(three.diagnostics.batchSize).toBe(14);
  });

  it('keeps the contributions untouched', () => {
    const rows = workerRows(new DyadicStream(5), DIM, 4);
    const c = contribution(rows, 1, 0, 'mean');
    const copy = Float32Array.from(c.perExampleGrads!);
    session({ name: 'efgd', stepSize: 1, damping: 1e-2 }).step([c]);
    expect(bitwiseEqual(c.perExampleGrads!, copy)).toBe(true);
  });
});

describe('Session validation', () => {
  const rows = workerRows(new DyadicStream(6), DIM, 4);
  const ok = (extra: Partial<StepContribution> = {}): StepContribution => contribution(rows, 1, 0, 'sum', extra);

  it.each([
    ['a later step', () => ok({ step: 2 }), 'STEP_OUT_OF_ORDER', 'step'],
    ['a worker id ≥ W', () => ok({ workerId: 1 }), 'BAD_WORKER', 'workerId'],
    ['a short row block', () => ok({ perExampleGrads: new Float32Array(4 * DIM - 1) }), 'SHAPE_MISMATCH', 'perExampleGrads'],
    ['a NaN', () => ok({ perExampleGrads: rows.grads.map((x, i) => (i === 7 ? Number.NaN : x)) }), 'NON_FINITE', 'perExampleGrads'],
    ['an infinite loss', () => ok({ loss: Infinity }), 'NON_FINITE', 'loss'],
    ['batchSize 0', () => ok({ batchSize: 0 }), 'SHAPE_MISMATCH', 'batchSize'],
    ['an unknown reduction', () => ok({ reduction: 'max' as 'sum' }), 'INVALID_CONFIG', 'reduction'],
    ['K = 0', () => ok({ sampledLabelGrads: { rows: rows.sampled, samplesPerExample: 0 } }), 'SHAPE_MISMATCH', 'sampledLabelGrads.samplesPerExample'],
    ['no per-example rows for efgd', () => ok({ perExampleGrads: undefined, meanGrad: new Float32Array(DIM) }), 'MISSING_INPUT', 'perExampleGrads'],
    ['wrong params length', () => ok({ params: new Float32Array(DIM + 1) }), 'SHAPE_MISMATCH', 'params'],
  ] as const)('rejects %s', (_, make, code, field) => {
    const s = session({ name: 'efgd', stepSize: 1, damping: 1e-2 });
    expectError(() => s.validate(make()), code, field);
    expectError(() => s.step([make()]), code, field);
  });

  it('rejects missing Fisher rows for the configured source, and params missing for weight decay', () => {
    expectError(() => session({ name: 'ngd', stepSize: 1 }).validate(ok({ sampledLabelGrads: undefined })), 'MISSING_INPUT', 'sampledLabelGrads');
    expectError(() => session({ name: 'ngd', stepSize: 1 }, { fisherSource: 'exact' }).validate(ok({ fisherFactorRows: undefined })), 'MISSING_INPUT', 'fisherFactorRows');
    expectError(() => session({ name: 'sgd', stepSize: 1, weightDecay: 0.1 }).validate(ok()), 'MISSING_INPUT', 'params');
    expect(() => session({ name: 'sgd', stepSize: 1, weightDecay: 0.1 }).validate(ok({ params: new Float32Array(DIM) }))).not.toThrow();
  });

  it('rejects duplicate and missing workers, and workers that disagree on K', () => {
    const s = session({ name: 'ngd', stepSize: 1, damping: 1e-2 }, { workers: 2 });
    expectError(() => s.step([ok(), ok()]), 'BAD_WORKER', 'workerId');
    expectError(() => s.step([ok()]), 'BAD_WORKER', 'workerId');
    expectError(() => s.step([]), 'MISSING_INPUT');
    const other = workerRows(new DyadicStream(7), DIM, 4, 1);
    expectError(
      () => s.step([ok(), contribution(other, 1, 1, 'sum', {}, 1)]),
      'SHAPE_MISMATCH',
      'sampledLabelGrads.samplesPerExample',
    );
    expect(s.lastStep).toBe(0);
  });

  it('a rejected step leaves the session exactly as it was, also when the solve fails after the update', () => {
    // efgd with λ = 0 on a diagonal Ẽ: a batch whose gradients all vanish in coordinate 0 makes Ẽ_00 = 0,
    // so the solve throws NOT_POSITIVE_DEFINITE after the estimates have already moved.
    const make = (): Session => session({ name: 'efgd', stepSize: 1, damping: 0 }, { structure: { kind: 'diagonal' }, emaDecay: 0 });
    const s = make();
    const good = workerRows(new DyadicStream(8), DIM, 8);
    s.step([contribution(good, 1, 0, 'sum')]);
    const before = encodeSessionSnapshot(s.snapshot());
    const singular = { ...rows, grads: rows.grads.map((x, i) => (i % DIM === 0 ? 0 : x)) };
    expectError(() => s.step([contribution(singular, 2, 0, 'sum')]), 'NOT_POSITIVE_DEFINITE');
    expect(encodeSessionSnapshot(s.snapshot()).equals(before)).toBe(true);
    expectError(() => s.step([ok({ step: 2, perExampleGrads: new Float32Array(3) })]), 'SHAPE_MISMATCH');
    expect(encodeSessionSnapshot(s.snapshot()).equals(before)).toBe(true);
    // … and it carries on as if the failed steps had never been sent.
    const next = workerRows(new DyadicStream(9), DIM, 8);
    const twin = make();
    twin.step([contribution(good, 1, 0, 'sum')]);
    expect(bitwiseEqual(s.step([contribution(next, 2, 0, 'sum')]).update, twin.step([contribution(next, 2, 0, 'sum')]).update)).toBe(true);
  });
});

describe('Session.estimates', () => {
  const s = session({ name: 'ngd', stepSize: 1, damping: 1e-2 }, {
    blocks: [
      { name: 'w', size: 4, structure: { kind: 'full' } },
      { name: 'b', size: 2, structure: { kind: 'diagonal' } },
    ],
    track: { empiricalFisher: true, noise: true },
  });
  const result = s.step([contribution(workerRows(new DyadicStream(10), DIM, 8), 1, 0, 'sum')]);

  it('reports every tracked estimate with trace, descending eigenvalues and, on request, diagonals', () => {
    const report = s.estimates({ topK: 3, includeDiagonals: true });
    expect(report.step).toBe(1);
    expect(report.estimates.map((e) => e.kind)).toEqual(['empiricalFisher', 'fisher', 'noise']);
    for (const e of report.estimates) {
      expect(e.topEigenvalues.length).toBe(3);
      expect(e.topEigenvalues[0]!).toBeGreaterThanOrEqual(e.topEigenvalues[1]!);
      expect(e.diagonal!.length).toBe(DIM);
      expect(e.trace).toBeCloseTo(e.diagonal!.reduce((a, b) => a + b, 0), 12);
    }
    expect(report.meanGrad!.length).toBe(DIM);
    expect(report.cosineEfFisher).toBe(result.diagnostics.cosineEfFisher);
    expect(s.estimates().estimates[0]!.diagonal).toBeUndefined();
  });

  it('slices diagonals to a named block; unknown blocks and bad topK are errors', () => {
    const all = s.estimates({ includeDiagonals: true });
    const bias = s.estimates({ includeDiagonals: true, block: 'b' });
    expect(Array.from(bias.estimates[0]!.diagonal!)).toEqual(Array.from(all.estimates[0]!.diagonal!.slice(4)));
    expect(Array.from(bias.meanGrad!)).toEqual(Array.from(all.meanGrad!.slice(4)));
    expectError(() => s.estimates({ block: 'conv9' }), 'UNKNOWN_BLOCK', 'block');
    expectError(() => s.estimates({ topK: 65 }), 'INVALID_CONFIG', 'topK');
    expect(s.estimates({ topK: 64 }).estimates[0]!.topEigenvalues.length).toBe(DIM);
  });
});
