/**
 * Optimizers from a plain config record (what a client sends when it opens a session, and what a
 * checkpoint stores): `OptimizerSpec` → `validateOptimizerSpec` → `makeOptimizer`.
 */
import { FisherdError } from '../errors.js';
import { adam, efgd, ngd, sgd, snr, va, type CommonOptions, type Optimizer } from './alias.js';
import { chain } from './combine.js';
import { DEFAULT_DAMPING_DECAY, validateDampingAdaptation, withDampingAdaptation, type DampingAdaptationSpec } from './damping-adaptation.js';
import { monitor } from './monitor.js';
import { checkedSchedule, makeSchedule, validateScheduleSpec, type ScheduleSpec } from './schedule.js';

/** The optimizers fisherd serves (math.md, "Updates"; plus Adam as the paper's reference point). */
export const OPTIMIZER_NAMES = ['sgd', 'ngd', 'efgd', 'snr', 'va', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The default damping λ: the paper's App. D.1 value, small enough not to bias a well-conditioned solve. */
export const DEFAULT_DAMPING = 1e-8;

/**
 * A plain, JSON-safe description of an optimizer. Fields that an optimizer does not use are ignored
 * (e.g. `damping` for sgd, except as the damping of the cosine diagnostic).
 */
export interface OptimizerSpec {
  /** Which update rule. Required. */
  readonly name: OptimizerName;
  /** Step size γ > 0: a number or a schedule record (see schedule.ts). Required. */
  readonly stepSize: ScheduleSpec;
  /**
   * Damping λ ≥ 0 of the solves of ngd, efgd and va, and of the `cosineEfFisher` diagnostic; a number or
   * a schedule record. Default 1e-8 (`DEFAULT_DAMPING`). A low-rank estimate needs λ > 0.
   */
  readonly damping?: ScheduleSpec;
  /** Heavy-ball momentum μ ∈ [0, 1). Default 0. Not for adam (β₁ is its momentum). */
  readonly momentum?: number;
  /** Nesterov momentum. Default false; needs momentum > 0. */
  readonly nesterov?: boolean;
  /** Decoupled weight decay κ ≥ 0 (clients must then send params). Default 0. */
  readonly weightDecay?: number;
  /** snr only: 'noise' (S from per-example gradients, default) or 'moments' (M-SVAG's own estimate). */
  readonly snrVariance?: 'noise' | 'moments';
  /** snr with snrVariance 'moments': M-SVAG's EMA decay β ∈ (0, 1). Default 0.9. */
  readonly msvagDecay?: number;
  /** va only: Sherman–Morrison per parameter block instead of globally (eq. 19). Default false. */
  readonly blockwise?: boolean;
  /** adam only: β₁ ∈ [0, 1) (default 0.9), β₂ ∈ [0, 1) (default 0.999), ε > 0 (default 1e-8). */
  readonly adam?: { readonly b1?: number; readonly b2?: number; readonly eps?: number };
  /**
   * ngd and efgd only: Levenberg–Marquardt adaptation of λ every `every` steps from the losses the client
   * reports (damping-adaptation.ts; math.md, "Damping adaptation"). When present, the adapted λ replaces
   * the `damping` schedule (whose value at t = 0 is the default initial λ). Default: absent (no adaptation).
   */
  readonly dampingAdaptation?: DampingAdaptationSpec;
}

function invalid(field: string, message: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field} ${message}`, { field });
}

function checkUnitInterval(value: unknown, field: string, openAtZero: boolean): void {
  const low = openAtZero ? 'must be in (0, 1)' : 'must be in [0, 1)';
  if (typeof value !== 'number' || !(openAtZero ? value > 0 : value >= 0) || !(value < 1)) throw invalid(field, low);
}

/**
 * Throws INVALID_CONFIG naming the first bad field (e.g. "optimizer.damping must be ≥ 0",
 * "optimizer.stepSize must be > 0"). `prefix` is the spec's own field name in the caller's config.
 */
export function validateOptimizerSpec(spec: unknown, prefix = 'optimizer'): asserts spec is OptimizerSpec {
  if (typeof spec !== 'object' || spec === null) throw invalid(prefix, 'must be a record');
  const s = spec as Record<string, unknown>;
  if (!OPTIMIZER_NAMES.includes(s['name'] as OptimizerName)) {
    throw invalid(`${prefix}.name`, `must be one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
  if (s['stepSize'] === undefined) throw invalid(`${prefix}.stepSize`, 'is required');
  validateScheduleSpec(s['stepSize'], `${prefix}.stepSize`, 'positive');
  if (s['damping'] !== undefined) validateScheduleSpec(s['damping'], `${prefix}.damping`, 'nonNegative');
  if (s['momentum'] !== undefined) {
    checkUnitInterval(s['momentum'], `${prefix}.momentum`, false);
    if (s['name'] === 'adam' && s['momentum'] !== 0) throw invalid(`${prefix}.momentum`, 'is not used by adam (set adam.b1)');
  }
  if (s['nesterov'] !== undefined) {
    if (typeof s['nesterov'] !== 'boolean') throw invalid(`${prefix}.nesterov`, 'must be a boolean');
    if (s['nesterov'] && !((s['momentum'] as number | undefined ?? 0) > 0)) throw invalid(`${prefix}.nesterov`, 'needs momentum > 0');
  }
  if (s['weightDecay'] !== undefined) {
    const wd = s['weightDecay'];
    if (typeof wd !== 'number' || !Number.isFinite(wd) || wd < 0) throw invalid(`${prefix}.weightDecay`, 'must be ≥ 0');
  }
  if (s['snrVariance'] !== undefined && s['snrVariance'] !== 'noise' && s['snrVariance'] !== 'moments') {
    throw invalid(`${prefix}.snrVariance`, "must be 'noise' or 'moments'");
  }
  if (s['msvagDecay'] !== undefined) checkUnitInterval(s['msvagDecay'], `${prefix}.msvagDecay`, true);
  if (s['blockwise'] !== undefined && typeof s['blockwise'] !== 'boolean') throw invalid(`${prefix}.blockwise`, 'must be a boolean');
  if (s['adam'] !== undefined) {
    const a = s['adam'];
    if (typeof a !== 'object' || a === null) throw invalid(`${prefix}.adam`, 'must be a record');
    const { b1, b2, eps } = a as Record<string, unknown>;
    if (b1 !== undefined) checkUnitInterval(b1, `${prefix}.adam.b1`, false);
    if (b2 !== undefined) checkUnitInterval(b2, `${prefix}.adam.b2`, false);
    if (eps !== undefined && !(typeof eps === 'number' && eps > 0 && Number.isFinite(eps))) throw invalid(`${prefix}.adam.eps`, 'must be > 0');
  }
  if (s['dampingAdaptation'] !== undefined) {
    validateDampingAdaptation(s['dampingAdaptation'], s['name'] as string, initialDamping(s['damping'] as ScheduleSpec | undefined), `${prefix}.dampingAdaptation`);
  }
}

/** The damping schedule's value at t = 0 (the default initial λ of damping adaptation); undefined if it throws. */
function initialDamping(spec: ScheduleSpec | undefined): number | undefined {
  try {
    return makeSchedule(spec ?? DEFAULT_DAMPING)(0);
  } catch {
    return undefined;
  }
}

/**
 * `spec` with every default it uses filled in (what the daemon echoes in SessionOpened.config): damping,
 * momentum, nesterov, weight decay for every rule; snrVariance (and msvagDecay with 'moments') for snr;
 * blockwise for va; b1, b2, eps for adam. Fields a rule does not use stay absent. Validate `spec` first.
 */
export function optimizerSpecWithDefaults(spec: OptimizerSpec): OptimizerSpec {
  const filled: { -readonly [K in keyof OptimizerSpec]: OptimizerSpec[K] } = {
    ...spec,
    damping: spec.damping ?? DEFAULT_DAMPING,
    momentum: spec.momentum ?? 0,
    nesterov: spec.nesterov ?? false,
    weightDecay: spec.weightDecay ?? 0,
  };
  if (spec.name === 'snr') {
    filled.snrVariance = spec.snrVariance ?? 'noise';
    if (filled.snrVariance === 'moments') filled.msvagDecay = spec.msvagDecay ?? 0.9;
  }
  if (spec.name === 'va') filled.blockwise = spec.blockwise ?? false;
  if (spec.dampingAdaptation !== undefined) {
    const a = spec.dampingAdaptation;
    filled.dampingAdaptation = {
      ...a,
      initial: a.initial ?? initialDamping(spec.damping)!,
      decayFactor: a.decayFactor ?? DEFAULT_DAMPING_DECAY,
      includeDampingInModel: a.includeDampingInModel ?? true,
    };
  }
  if (spec.name === 'adam') filled.adam = { b1: spec.adam?.b1 ?? 0.9, b2: spec.adam?.b2 ?? 0.999, eps: spec.adam?.eps ?? 1e-8 };
  return filled;
}

/** Which running estimates an optimizer solves with (the estimator's `track` flags). */
export interface RequiredEstimates {
  readonly empiricalFisher: boolean;
  readonly fisher: boolean;
  readonly noise: boolean;
}

/**
 * The curvature quantities `spec` needs: ngd the Fisher (sampled-label gradients or factor rows), efgd the
 * empirical Fisher and va / snr (variance 'noise') the noise covariance (both from per-example gradients);
 * sgd, adam and snr with variance 'moments' need only ḡ.
 */
export function requiredEstimates(spec: OptimizerSpec): RequiredEstimates {
  return {
    empiricalFisher: spec.name === 'efgd',
    fisher: spec.name === 'ngd',
    noise: spec.name === 'va' || (spec.name === 'snr' && spec.snrVariance !== 'moments'),
  };
}

/**
 * Validates `spec` and builds the optimizer: the alias for `spec.name`, followed by `monitor` (which adds
 * gradNorm, updateNorm and, from what is tracked, cosineEfFisher and meanSnr without changing Δθ).
 */
export function makeOptimizer(spec: OptimizerSpec): Optimizer {
  validateOptimizerSpec(spec);
  const damping = checkedSchedule(makeSchedule(spec.damping ?? DEFAULT_DAMPING), 'optimizer.damping', 'nonNegative');
  const common: CommonOptions = {
    stepSize: checkedSchedule(makeSchedule(spec.stepSize), 'optimizer.stepSize', 'positive'),
    momentum: spec.momentum ?? 0,
    nesterov: spec.nesterov ?? false,
    weightDecay: spec.weightDecay ?? 0,
  };
  const optimizer = ((): Optimizer => {
    switch (spec.name) {
      case 'sgd':
        return sgd(common);
      case 'ngd':
        return ngd({ ...common, damping });
      case 'efgd':
        return efgd({ ...common, damping });
      case 'snr':
        return snr({
          ...common,
          variance: spec.snrVariance ?? 'noise',
          ...(spec.msvagDecay === undefined ? {} : { msvagDecay: spec.msvagDecay }),
        });
      case 'va':
        return va({ ...common, damping, blockwise: spec.blockwise ?? false });
      case 'adam':
        return adam({ stepSize: common.stepSize, weightDecay: common.weightDecay ?? 0, ...spec.adam });
    }
  })();
  const full = chain(optimizer, monitor({ damping }));
  const adaptation = spec.dampingAdaptation;
  if (adaptation === undefined) return full;
  return chain(withDampingAdaptation(full, {
    every: adaptation.every,
    initial: adaptation.initial ?? initialDamping(spec.damping)!,
    min: adaptation.min,
    max: adaptation.max,
    decayFactor: adaptation.decayFactor ?? DEFAULT_DAMPING_DECAY,
    includeDampingInModel: adaptation.includeDampingInModel ?? true,
    estimate: spec.name === 'ngd' ? 'fisher' : 'empiricalFisher',
  }));
}

/**
 * For how many consecutive steps the rule's damping λ stays the same (curvature's `dampingFixedFor`):
 * Infinity for a constant λ (a number or a constant schedule), T_damp under Levenberg–Marquardt adaptation,
 * 1 for any other schedule.
 */
export function dampingFixedFor(spec: OptimizerSpec): number {
  if (spec.dampingAdaptation !== undefined) return spec.dampingAdaptation.every;
  const damping = spec.damping;
  if (damping === undefined || typeof damping === 'number' || damping.kind === 'constant') return Infinity;
  return 1;
}
