/** Schedules against their closed forms, and their validation (INVALID_CONFIG naming the field). */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { makeSchedule, scheduleValue, validateScheduleSpec, type ScheduleSpec } from '../../src/optim/index.js';

function values(spec: ScheduleSpec, steps: number[]): number[] {
  validateScheduleSpec(spec, 'x', 'nonNegative');
  const schedule = makeSchedule(spec);
  return steps.map((t) => schedule(t));
}

describe('schedules', () => {
  it('constant: a number or a record', () => {
    expect(values(0.3, [0, 5, 1000])).toEqual([0.3, 0.3, 0.3]);
    expect(values({ kind: 'constant', value: 2 }, [0, 7])).toEqual([2, 2]);
  });

  it('exponential: init·rate^((t − begin)/steps), staircase, clipped at endValue', () => {
    const smooth = values({ kind: 'exponential', init: 1, decayRate: 0.5, transitionSteps: 2 }, [0, 1, 2, 4]);
    expect(smooth[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect([smooth[0], smooth[2], smooth[3]]).toEqual([1, 0.5, 0.25]);
    expect(values({ kind: 'exponential', init: 1, decayRate: 0.5, transitionSteps: 2, staircase: true }, [0, 1, 2, 3, 4])).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(values({ kind: 'exponential', init: 1, decayRate: 0.1, transitionSteps: 1, transitionBegin: 3 }, [0, 3, 4])).toEqual([1, 1, 0.1]);
    expect(values({ kind: 'exponential', init: 1, decayRate: 0.1, transitionSteps: 1, endValue: 0.05 }, [1, 2, 9])).toEqual([0.1, 0.05, 0.05]);
    expect(values({ kind: 'exponential', init: 1, decayRate: 2, transitionSteps: 1, endValue: 3 }, [1, 2, 9])).toEqual([2, 3, 3]);
  });

  it('cosine: init·((1 − α)·½(1 + cos(π t/T)) + α), constant after T', () => {
    const [start, half, end, after] = values({ kind: 'cosine', init: 2, decaySteps: 10, alpha: 0.1 }, [0, 5, 10, 50]);
    expect(start).toBeCloseTo(2, 15);
    expect(half).toBeCloseTo(2 * (0.9 * 0.5 + 0.1), 15);
    expect(end).toBeCloseTo(0.2, 15);
    expect(after).toBeCloseTo(0.2, 15);
  });

  it('warmup: linear from `from` to then(0) over `steps`, then `then` shifted', () => {
    const v = values({ kind: 'warmup', from: 0, steps: 4, then: { kind: 'exponential', init: 1, decayRate: 0.5, transitionSteps: 1 } }, [0, 1, 2, 4, 5, 6]);
    expect(v).toEqual([0, 0.25, 0.5, 1, 0.5, 0.25]);
  });

  it('piecewise: init times the scales of every boundary passed', () => {
    const spec: ScheduleSpec = { kind: 'piecewise', init: 1, boundaries: [{ step: 2, scale: 0.1 }, { step: 5, scale: 0.5 }] };
    expect(values(spec, [0, 1, 2, 4, 5, 100]).map((x) => +x.toPrecision(12))).toEqual([1, 1, 0.1, 0.1, 0.05, 0.05]);
  });

  it('are evaluated at t = step − 1 (t = 0 on the first step)', () => {
    const schedule = makeSchedule({ kind: 'warmup', from: 0.5, steps: 2, then: 1 });
    expect([1, 2, 3].map((step) => scheduleValue(schedule, { step }))).toEqual([0.5, 0.75, 1]);
  });
});

describe('schedule validation', () => {
  const cases: [string, unknown, 'positive' | 'nonNegative', string][] = [
    ['negative damping', -1e-3, 'nonNegative', 'optimizer.damping'],
    ['zero step size', 0, 'positive', 'optimizer.stepSize'],
    ['NaN', Number.NaN, 'nonNegative', 'optimizer.damping'],
    ['unknown kind', { kind: 'linear' }, 'positive', 'optimizer.stepSize.kind'],
    ['fractional transitionSteps', { kind: 'exponential', init: 1, decayRate: 0.5, transitionSteps: 1.5 }, 'positive', 'optimizer.stepSize.transitionSteps'],
    ['cosine to zero for a step size', { kind: 'cosine', init: 1, decaySteps: 10 }, 'positive', 'optimizer.stepSize.alpha'],
    ['warmup from zero for a step size', { kind: 'warmup', steps: 3, then: 1 }, 'positive', 'optimizer.stepSize.from'],
    ['nested error', { kind: 'warmup', from: 0.1, steps: 3, then: { kind: 'constant', value: -1 } }, 'positive', 'optimizer.stepSize.then.value'],
    ['unordered boundaries', { kind: 'piecewise', init: 1, boundaries: [{ step: 5, scale: 1 }, { step: 5, scale: 1 }] }, 'positive', 'optimizer.stepSize.boundaries[1].step'],
  ];
  it.each(cases)('%s → INVALID_CONFIG naming the field', (_, spec, domain, field) => {
    const prefix = field.startsWith('optimizer.damping') ? 'optimizer.damping' : 'optimizer.stepSize';
    let error: unknown;
    try {
      validateScheduleSpec(spec, prefix, domain);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FisherdError);
    expect((error as FisherdError).code).toBe('INVALID_CONFIG');
    expect((error as FisherdError).field).toBe(field);
    expect((error as FisherdError).message).toContain(field);
  });

  it('accepts a damping schedule that reaches 0', () => {
    expect(() => validateScheduleSpec({ kind: 'cosine', init: 1, decaySteps: 10 }, 'optimizer.damping', 'nonNegative')).not.toThrow();
  });
});
