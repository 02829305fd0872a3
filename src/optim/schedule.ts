/**
 * Schedules for the step size γ_t and the damping λ_t (after optax/schedules/_schedule.py).
 *
 * A schedule maps the session's step index t = 0, 1, 2, … to a value. In an `OptimizerSpec` a schedule is a
 * plain record (`ScheduleSpec`, checkpointable and sendable over the wire); `makeSchedule` turns it into a
 * function. A bare number is a constant schedule.
 */
import { FisherdError } from '../errors.js';
import type { Schedule } from './types.js';

/** value_t = value. */
export interface ConstantScheduleSpec {
  readonly kind: 'constant';
  readonly value: number;
}

/**
 * value_t = init · decayRate^(p), p = (t − transitionBegin)/transitionSteps (floored when `staircase`),
 * for t ≥ transitionBegin; `init` before. Clipped at `endValue` when given (from below when decaying,
 * from above when growing, as optax does).
 */
export interface ExponentialScheduleSpec {
  readonly kind: 'exponential';
  readonly init: number;
  /** Factor per `transitionSteps` steps, > 0 (< 1 decays, > 1 grows). */
  readonly decayRate: number;
  /** Steps over which the value is multiplied by `decayRate` once; integer ≥ 1. */
  readonly transitionSteps: number;
  /** Decay in discrete jumps every `transitionSteps` steps. Default false. */
  readonly staircase?: boolean;
  /** First step of the decay. Default 0. */
  readonly transitionBegin?: number;
  /** Bound the value never passes. Default: none. */
  readonly endValue?: number;
}

/** value_t = init · ((1 − alpha) · ½(1 + cos(π·min(t, decaySteps)/decaySteps)) + alpha). */
export interface CosineScheduleSpec {
  readonly kind: 'cosine';
  readonly init: number;
  /** Steps from `init` to `alpha·init`; integer ≥ 1. */
  readonly decaySteps: number;
  /** Final value as a fraction of `init`, in [0, 1]. Default 0. */
  readonly alpha?: number;
}

/**
 * Linear warm-up from `from` to `then(0)` over `steps` steps, then `then` shifted by `steps`:
 * value_t = from + (then(0) − from)·t/steps for t < steps, then(t − steps) after.
 */
export interface WarmupScheduleSpec {
  readonly kind: 'warmup';
  /** Value at t = 0. Default 0. */
  readonly from?: number;
  /** Length of the warm-up; integer ≥ 1. */
  readonly steps: number;
  /** The schedule after the warm-up. */
  readonly then: ScheduleSpec;
}

/**
 * Piecewise constant: value_t = init · Π { scale_k : boundary_k ≤ t } (optax's
 * `piecewise_constant_schedule`, which multiplies the scales of all boundaries passed).
 */
export interface PiecewiseScheduleSpec {
  readonly kind: 'piecewise';
  readonly init: number;
  /** Boundaries in strictly increasing step order, each with the factor applied from that step on. */
  readonly boundaries: readonly { readonly step: number; readonly scale: number }[];
}

export type ScheduleSpec =
  | number
  | ConstantScheduleSpec
  | ExponentialScheduleSpec
  | CosineScheduleSpec
  | WarmupScheduleSpec
  | PiecewiseScheduleSpec;

/** A constant schedule. */
export function constantSchedule(value: number): Schedule {
  return () => value;
}

/** A schedule's value for the step of `ctx`: at t = ctx.step − 1, the number of updates before this one. */
export function scheduleValue(schedule: Schedule, ctx: { readonly step: number }): number {
  return schedule(ctx.step - 1);
}

/** A number as a constant schedule; a schedule as it is. Transforms accept either. */
export function asSchedule(value: number | Schedule): Schedule {
  return typeof value === 'number' ? constantSchedule(value) : value;
}

/** Turns a validated spec into a function. Call `validateScheduleSpec` first (makeOptimizer does). */
export function makeSchedule(spec: ScheduleSpec): Schedule {
  if (typeof spec === 'number') return constantSchedule(spec);
  switch (spec.kind) {
    case 'constant':
      return constantSchedule(spec.value);
    case 'exponential': {
      const { init, decayRate, transitionSteps, staircase = false, transitionBegin = 0, endValue } = spec;
      return (t) => {
        if (t < transitionBegin) return init;
        let p = (t - transitionBegin) / transitionSteps;
        if (staircase) p = Math.floor(p);
        const value = init * decayRate ** p;
        if (endValue === undefined) return value;
        return decayRate < 1 ? Math.max(value, endValue) : Math.min(value, endValue);
      };
    }
    case 'cosine': {
      const { init, decaySteps, alpha = 0 } = spec;
      return (t) => {
        const progress = Math.min(Math.max(t, 0), decaySteps) / decaySteps;
        return init * ((1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * progress)) + alpha);
      };
    }
    case 'warmup': {
      const { from = 0, steps } = spec;
      const after = makeSchedule(spec.then);
      const peak = after(0);
      return (t) => (t < steps ? from + ((peak - from) * Math.max(t, 0)) / steps : after(t - steps));
    }
    case 'piecewise': {
      const { init, boundaries } = spec;
      return (t) => {
        let value = init;
        for (const b of boundaries) if (t >= b.step) value *= b.scale;
        return value;
      };
    }
  }
}

/** What values a schedule may take: the step size must be > 0, the damping ≥ 0. */
export type ScheduleDomain = 'positive' | 'nonNegative';

function invalid(field: string, message: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field} ${message}`, { field });
}

/**
 * float32's smallest normal number. Updates travel and estimates are kept in float32 (math.md), so a
 * positive step size or damping below it would round to 0 (or lose all precision) there: such values are
 * refused instead of being used silently as 0.
 */
export const FLOAT32_MIN_NORMAL = 1.1754943508222875e-38;

/** Why `value` is not in `domain` (undefined when it is). */
function domainProblem(value: number, domain: ScheduleDomain): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (domain === 'positive' && !(value > 0)) return 'must be > 0';
  if (domain === 'nonNegative' && !(value >= 0)) return 'must be ≥ 0';
  if (value !== 0 && value < FLOAT32_MIN_NORMAL) {
    return `is ${value}, below float32's smallest normal ${FLOAT32_MIN_NORMAL.toPrecision(3)}: it would underflow to 0 in the float32 update${domain === 'nonNegative' ? ' (use 0 for no damping)' : ''}`;
  }
  return undefined;
}

function checkValue(value: unknown, field: string, domain: ScheduleDomain): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number');
  const problem = domainProblem(value, domain);
  if (problem !== undefined) throw invalid(field, problem);
}

/**
 * `schedule` with its values checked at every step: a value outside `domain` (a decay that underflowed
 * past float32's range, say) throws INVALID_CONFIG naming `field` and the step instead of being used.
 */
export function checkedSchedule(schedule: Schedule, field: string, domain: ScheduleDomain): Schedule {
  return (t) => {
    const value = schedule(t);
    const problem = domainProblem(value, domain);
    if (problem !== undefined) {
      throw new FisherdError('INVALID_CONFIG', `${field} at step ${t + 1} ${problem}; bound the schedule (e.g. endValue) or reopen the session with another`, {
        field, step: t + 1,
      });
    }
    return value;
  };
}

function checkSteps(value: unknown, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(field, 'must be an integer ≥ 1');
}

/**
 * Validates a schedule spec whose values must lie in `domain`; throws INVALID_CONFIG naming the field
 * (e.g. "optimizer.stepSize.decaySteps must be an integer ≥ 1").
 */
export function validateScheduleSpec(spec: unknown, field: string, domain: ScheduleDomain): asserts spec is ScheduleSpec {
  if (typeof spec === 'number') {
    checkValue(spec, field, domain);
    return;
  }
  if (typeof spec !== 'object' || spec === null) throw invalid(field, 'must be a number or a schedule record');
  const s = spec as { kind?: unknown } & Record<string, unknown>;
  switch (s.kind) {
    case 'constant':
      checkValue(s['value'], `${field}.value`, domain);
      return;
    case 'exponential':
      checkValue(s['init'], `${field}.init`, domain);
      checkValue(s['decayRate'], `${field}.decayRate`, 'positive');
      checkSteps(s['transitionSteps'], `${field}.transitionSteps`);
      if (s['staircase'] !== undefined && typeof s['staircase'] !== 'boolean') throw invalid(`${field}.staircase`, 'must be a boolean');
      if (s['transitionBegin'] !== undefined && !(Number.isInteger(s['transitionBegin']) && (s['transitionBegin'] as number) >= 0)) {
        throw invalid(`${field}.transitionBegin`, 'must be an integer ≥ 0');
      }
      if (s['endValue'] !== undefined) checkValue(s['endValue'], `${field}.endValue`, domain);
      return;
    case 'cosine':
      checkValue(s['init'], `${field}.init`, domain);
      checkSteps(s['decaySteps'], `${field}.decaySteps`);
      {
        const alpha = s['alpha'] ?? 0;
        if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) throw invalid(`${field}.alpha`, 'must be in [0, 1]');
        // A step size may not decay to exactly zero (the default alpha = 0 would).
        if (domain === 'positive' && alpha === 0) throw invalid(`${field}.alpha`, 'must be > 0 for a step size (the value would reach 0)');
      }
      return;
    case 'warmup':
      checkSteps(s['steps'], `${field}.steps`);
      if (s['from'] !== undefined) checkValue(s['from'], `${field}.from`, 'nonNegative');
      if (domain === 'positive' && (s['from'] ?? 0) === 0) {
        throw invalid(`${field}.from`, 'must be > 0 for a step size (the first step would have γ = 0)');
      }
      validateScheduleSpec(s['then'], `${field}.then`, domain);
      return;
    case 'piecewise': {
      checkValue(s['init'], `${field}.init`, domain);
      const boundaries = s['boundaries'];
      if (!Array.isArray(boundaries)) throw invalid(`${field}.boundaries`, 'must be an array');
      let last = -Infinity;
      boundaries.forEach((b: unknown, i: number) => {
        const f = `${field}.boundaries[${i}]`;
        if (typeof b !== 'object' || b === null) throw invalid(f, 'must be { step, scale }');
        const { step, scale } = b as { step?: unknown; scale?: unknown };
        if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw invalid(`${f}.step`, 'must be an integer ≥ 0');
        if (!(step > last)) throw invalid(`${f}.step`, 'must be larger than the previous boundary');
        checkValue(scale, `${f}.scale`, domain === 'positive' ? 'positive' : 'nonNegative');
        last = step;
      });
      return;
    }
    default:
      throw invalid(`${field}.kind`, "must be one of 'constant', 'exponential', 'cosine', 'warmup', 'piecewise'");
  }
}
