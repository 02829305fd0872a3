/**
 * Session.step leaves the NaN/±Inf check of the row arrays to the estimator (for per-example rows it costs
 * nothing there) and names a bad value by the worker's field afterwards, exactly as the arrival check
 * (`Session.validate`) does; a step rejected this way leaves the session unchanged, on every backend, also
 * for the reused buffers of 'mean'-reduced rows.
 */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { Session, encodeSessionSnapshot, type SessionConfig, type StepContribution } from '../../src/session/index.js';
import { BACKENDS, DyadicStream, bitwiseEqual, contribution, errorOf, workerRows } from './helpers.js';

const DIM = 10;


describe.each(BACKENDS.map((backend) => [backend.name, backend] as const))('%s: Session.step with non-finite rows', (_, backend) => {
  const config: SessionConfig = {
    dim: DIM,
    workers: 2,
    structure: { kind: 'diagonal' },
    track: { empiricalFisher: true, noise: true },
    fisherSource: 'sampled',
    optimizer: { name: 'ngd', stepSize: 0.5, damping: 1e-2 },
  };
  const first = [workerRows(new DyadicStream(1), DIM, 4), workerRows(new DyadicStream(2), DIM, 4)];
  const second = [workerRows(new DyadicStream(3), DIM, 4), workerRows(new DyadicStream(4), DIM, 4)];
  const step = (rows: typeof first, n: number, poison?: (c: StepContribution[]) => StepContribution[]): StepContribution[] => {
    const contributions = [contribution(rows[0]!, n, 0, 'mean'), contribution(rows[1]!, n, 1, 'sum')];
    return poison ? poison(contributions) : contributions;
  };
  const withValue = (rows: Float32Array, index: number, value: number): Float32Array => {
    const copy = rows.slice();
    copy[index] = value;
    return copy;
  };

  const cases: [string, (c: StepContribution[]) => StepContribution[], string][] = [
    ['NaN in worker 1’s per-example rows', ([a, b]) => [a!, { ...b!, perExampleGrads: withValue(b!.perExampleGrads!, 13, NaN) }], 'perExampleGrads'],
    ['−Inf in worker 0’s (mean-reduced) per-example rows', ([a, b]) => [{ ...a!, perExampleGrads: withValue(a!.perExampleGrads!, 2, -Infinity) }, b!], 'perExampleGrads'],
    [
      '+Inf in worker 1’s sampled-label rows',
      ([a, b]) => [a!, { ...b!, sampledLabelGrads: { ...b!.sampledLabelGrads!, rows: withValue(b!.sampledLabelGrads!.rows, 31, Infinity) } }],
      'sampledLabelGrads.rows',
    ],
  ];
  for (const [label, poison, field] of cases) {
    it(`${label} → NON_FINITE (${field}, step 2) as Session.validate names it; the session is unchanged`, () => {
      const s = new Session(config, backend);
      const twin = new Session(config, backend);
      s.step(step(first, 1));
      twin.step(step(first, 1));
      const before = encodeSessionSnapshot(s.snapshot());
      const bad = step(second, 2, poison);
      const fromStep = errorOf(() => s.step(bad));
      const fromValidate = errorOf(() => bad.forEach((c) => s.validate(c)));
      expect(fromStep.code).toBe('NON_FINITE');
      expect(fromStep.field).toBe(field);
      expect(fromStep.step).toBe(2);
      expect(fromStep.message).toBe(fromValidate.message);
      expect(encodeSessionSnapshot(s.snapshot()).equals(before)).toBe(true);
      // … and it carries on as if the bad step had never been sent.
      expect(bitwiseEqual(s.step(step(second, 2)).update, twin.step(step(second, 2)).update)).toBe(true);
    });
  }
});
