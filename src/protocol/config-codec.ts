/**
 * The session configuration on the wire (proto `SessionConfig`) <-> src/session/config.ts `SessionConfig`,
 * field by field. Unset optional fields stay unset, so that the session's defaults apply; validation is
 * the session's (`validateSessionConfig`), this module only rejects what the types cannot hold (an enum
 * value this version does not know, a schedule with no kind).
 */
import type { LeafStructure, ParameterBlock } from '../curvature/structure.js';
import { FisherdError } from '../errors.js';
import type { DType } from '../linalg/backend.js';
import type { BackendPreference } from '../linalg/select.js';
import type { DampingAdaptationSpec } from '../optim/damping-adaptation.js';
import type { ScheduleSpec } from '../optim/schedule.js';
import type { OptimizerName, OptimizerSpec } from '../optim/spec.js';
import type { FisherSource, SessionConfig } from '../session/config.js';
import { fisherd } from './generated/fisherd.js';

const v1 = fisherd.v1;
const Name = v1.OptimizerConfig.Name;
const Leaf = v1.BlockStructure.Kind;
const KD = v1.KroneckerDamping;

const OPTIMIZER_NAMES: Record<OptimizerName, fisherd.v1.OptimizerConfig.Name> = {
  sgd: Name.NAME_SGD,
  ngd: Name.NAME_NGD,
  efgd: Name.NAME_EFGD,
  snr: Name.NAME_SNR,
  va: Name.NAME_VA,
  adam: Name.NAME_ADAM,
};

function invalid(field: string, message: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field} ${message}`, { field });
}

/** null (protobufjs's "unset") as undefined. */
function given<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

// ---- to the wire -----------------------------------------------------------------------------------

function structureToWire(s: LeafStructure): fisherd.v1.BlockStructure.$Properties {
  switch (s.kind) {
    case 'full':
      return { kind: Leaf.KIND_FULL };
    case 'diagonal':
      return { kind: Leaf.KIND_DIAGONAL };
    case 'lowrank':
      return { kind: Leaf.KIND_LOW_RANK, rank: s.rank };
    case 'kronecker':
      return {
        kind: Leaf.KIND_KRONECKER, outputs: s.outputs, inputs: s.inputs, bias: s.bias,
        ...(s.damping === undefined ? {} : { damping: s.damping === 'pi' ? KD.KRONECKER_DAMPING_PI : KD.KRONECKER_DAMPING_TIKHONOV }),
        ...(s.eigenvalueCorrected === undefined ? {} : { eigenvalueCorrected: s.eigenvalueCorrected }),
        ...(s.refreshEvery === undefined ? {} : { refreshEvery: s.refreshEvery }),
      };
  }
}

/** A Kronecker structure from the wire: unset optional fields stay unset (the session's defaults apply). */
function kroneckerFromWire(s: fisherd.v1.BlockStructure.$Properties, field: string): LeafStructure {
  const damping = s.damping ?? KD.KRONECKER_DAMPING_UNSPECIFIED;
  if (damping !== KD.KRONECKER_DAMPING_UNSPECIFIED && damping !== KD.KRONECKER_DAMPING_TIKHONOV && damping !== KD.KRONECKER_DAMPING_PI) {
    throw invalid(`${field}.damping`, `has unknown value ${String(damping)}; this daemon knows TIKHONOV (1) and PI (2)`);
  }
  return {
    kind: 'kronecker', outputs: s.outputs ?? 0, inputs: s.inputs ?? 0, bias: s.bias ?? false,
    ...(damping === KD.KRONECKER_DAMPING_PI ? { damping: 'pi' as const } : damping === KD.KRONECKER_DAMPING_TIKHONOV ? { damping: 'tikhonov' as const } : {}),
    ...(s.eigenvalueCorrected ? { eigenvalueCorrected: true } : {}),
    ...(s.refreshEvery ? { refreshEvery: s.refreshEvery } : {}),
  };
}

function scheduleToWire(s: ScheduleSpec): fisherd.v1.Schedule.$Properties {
  if (typeof s === 'number') return { constant: s };
  switch (s.kind) {
    case 'constant':
      return { constant: s.value };
    case 'exponential':
      return {
        exponential: {
          init: s.init, decayRate: s.decayRate, transitionSteps: s.transitionSteps, staircase: s.staircase ?? false,
          transitionBegin: s.transitionBegin ?? 0, ...(s.endValue === undefined ? {} : { endValue: s.endValue }),
        },
      };
    case 'cosine':
      return { cosine: { init: s.init, decaySteps: s.decaySteps, ...(s.alpha === undefined ? {} : { alpha: s.alpha }) } };
    case 'warmup':
      return { warmup: { steps: s.steps, then: scheduleToWire(s.then), ...(s.from === undefined ? {} : { from: s.from }) } };
    case 'piecewise':
      return { piecewise: { init: s.init, boundaries: s.boundaries.map((b) => ({ step: b.step, scale: b.scale })) } };
  }
}

function optimizerToWire(o: OptimizerSpec): fisherd.v1.OptimizerConfig.$Properties {
  const name = OPTIMIZER_NAMES[o.name];
  if (name === undefined) throw invalid('optimizer.name', `must be one of ${Object.keys(OPTIMIZER_NAMES).join(', ')}`);
  const V = v1.OptimizerConfig.SnrVariance;
  return {
    name,
    stepSize: scheduleToWire(o.stepSize),
    ...(o.damping === undefined ? {} : { damping: scheduleToWire(o.damping) }),
    ...(o.momentum === undefined ? {} : { momentum: o.momentum }),
    nesterov: o.nesterov ?? false,
    ...(o.weightDecay === undefined ? {} : { weightDecay: o.weightDecay }),
    ...(o.snrVariance === undefined ? {} : { snrVariance: o.snrVariance === 'moments' ? V.SNR_VARIANCE_MOMENTS : V.SNR_VARIANCE_NOISE }),
    ...(o.msvagDecay === undefined ? {} : { msvagDecay: o.msvagDecay }),
    blockwise: o.blockwise ?? false,
    ...(o.adam === undefined ? {} : { adam: { ...o.adam } }),
    ...(o.dampingAdaptation === undefined ? {} : { dampingAdaptation: { ...o.dampingAdaptation } }),
  };
}

export function sessionConfigToWire(c: SessionConfig): fisherd.v1.SessionConfig.$Properties {
  const S = v1.FisherSource;
  return {
    dim: c.dim,
    blocks: (c.blocks ?? []).map((b) => ({ name: b.name, size: b.size, structure: structureToWire(b.structure) })),
    ...(c.structure === undefined ? {} : { structure: structureToWire(c.structure) }),
    optimizer: optimizerToWire(c.optimizer),
    ...(c.emaDecay === undefined ? {} : { emaDecay: c.emaDecay }),
    ...(c.fisherSource === undefined ? {} : { fisherSource: c.fisherSource === 'exact' ? S.FISHER_SOURCE_EXACT : S.FISHER_SOURCE_SAMPLED }),
    workers: c.workers ?? 0,
    datasetSize: c.datasetSize ?? 0,
    record: c.record ?? false,
    backend: c.backend ?? '',
    ...(c.track === undefined ? {} : { track: { ...c.track } }),
    name: c.name ?? '',
    precision: c.precision ?? '',
  };
}

// ---- from the wire ---------------------------------------------------------------------------------

function structureFromWire(s: fisherd.v1.BlockStructure.$Properties | null | undefined, field: string): LeafStructure {
  switch (s?.kind ?? Leaf.KIND_UNSPECIFIED) {
    case Leaf.KIND_UNSPECIFIED:
    case Leaf.KIND_DIAGONAL:
      return { kind: 'diagonal' };
    case Leaf.KIND_FULL:
      return { kind: 'full' };
    case Leaf.KIND_LOW_RANK:
      return { kind: 'lowrank', rank: s?.rank ?? 0 };
    case Leaf.KIND_KRONECKER:
      return kroneckerFromWire(s!, field);
    default:
      throw invalid(`${field}.kind`, `has unknown value ${String(s?.kind)}`);
  }
}

function scheduleFromWire(s: fisherd.v1.Schedule.$Properties | null | undefined, field: string): ScheduleSpec {
  if (!s) throw invalid(field, 'is required');
  if (given(s.constant) !== undefined) return s.constant as number;
  if (s.exponential) {
    const e = s.exponential;
    const end = given(e.endValue);
    return {
      kind: 'exponential', init: e.init ?? 0, decayRate: e.decayRate ?? 0, transitionSteps: e.transitionSteps ?? 0,
      staircase: e.staircase ?? false, transitionBegin: e.transitionBegin ?? 0, ...(end === undefined ? {} : { endValue: end }),
    };
  }
  if (s.cosine) {
    const alpha = given(s.cosine.alpha);
    return { kind: 'cosine', init: s.cosine.init ?? 0, decaySteps: s.cosine.decaySteps ?? 0, ...(alpha === undefined ? {} : { alpha }) };
  }
  if (s.warmup) {
    const from = given(s.warmup.from);
    return { kind: 'warmup', steps: s.warmup.steps ?? 0, then: scheduleFromWire(s.warmup.then, `${field}.then`), ...(from === undefined ? {} : { from }) };
  }
  if (s.piecewise) {
    return {
      kind: 'piecewise', init: s.piecewise.init ?? 0,
      boundaries: (s.piecewise.boundaries ?? []).map((b) => ({ step: b.step ?? 0, scale: b.scale ?? 0 })),
    };
  }
  throw invalid(field, 'has no schedule kind (constant, exponential, cosine, warmup, piecewise)');
}

function optimizerFromWire(o: fisherd.v1.OptimizerConfig.$Properties | null | undefined): OptimizerSpec {
  if (!o) throw invalid('optimizer', 'is required');
  const name = (Object.keys(OPTIMIZER_NAMES) as OptimizerName[]).find((n) => OPTIMIZER_NAMES[n] === o.name);
  if (name === undefined) throw invalid('optimizer.name', `must be one of ${Object.keys(OPTIMIZER_NAMES).join(', ')}`);
  const V = v1.OptimizerConfig.SnrVariance;
  const snrVariance = o.snrVariance === V.SNR_VARIANCE_MOMENTS ? 'moments' : o.snrVariance === V.SNR_VARIANCE_NOISE ? 'noise' : undefined;
  if (snrVariance === undefined && (o.snrVariance ?? V.SNR_VARIANCE_UNSPECIFIED) !== V.SNR_VARIANCE_UNSPECIFIED) {
    throw invalid('optimizer.snrVariance', `has unknown value ${String(o.snrVariance)}; this daemon knows NOISE (1) and MOMENTS (2)`);
  }
  const momentum = given(o.momentum);
  const weightDecay = given(o.weightDecay);
  const msvagDecay = given(o.msvagDecay);
  const adam = o.adam
    ? {
      ...(given(o.adam.b1) === undefined ? {} : { b1: o.adam.b1 as number }),
      ...(given(o.adam.b2) === undefined ? {} : { b2: o.adam.b2 as number }),
      ...(given(o.adam.eps) === undefined ? {} : { eps: o.adam.eps as number }),
    }
    : undefined;
  return {
    name,
    stepSize: scheduleFromWire(o.stepSize, 'optimizer.stepSize'),
    ...(o.damping ? { damping: scheduleFromWire(o.damping, 'optimizer.damping') } : {}),
    ...(momentum === undefined ? {} : { momentum }),
    ...(o.nesterov ? { nesterov: true } : {}),
    ...(weightDecay === undefined ? {} : { weightDecay }),
    ...(snrVariance === undefined ? {} : { snrVariance }),
    ...(msvagDecay === undefined ? {} : { msvagDecay }),
    ...(o.blockwise ? { blockwise: true } : {}),
    ...(adam === undefined ? {} : { adam }),
    ...(o.dampingAdaptation ? { dampingAdaptation: dampingAdaptationFromWire(o.dampingAdaptation) } : {}),
  };
}

function dampingAdaptationFromWire(a: fisherd.v1.DampingAdaptation.$Properties): DampingAdaptationSpec {
  const initial = given(a.initial);
  const decayFactor = given(a.decayFactor);
  const includeDampingInModel = given(a.includeDampingInModel);
  return {
    every: a.every ?? 0,
    min: a.min ?? 0,
    max: a.max ?? 0,
    ...(initial === undefined ? {} : { initial }),
    ...(decayFactor === undefined ? {} : { decayFactor }),
    ...(includeDampingInModel === undefined ? {} : { includeDampingInModel }),
  };
}

function toNumber(value: number | { toNumber(): number } | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export function sessionConfigFromWire(w: fisherd.v1.SessionConfig.$Properties | null | undefined): SessionConfig {
  if (!w) throw invalid('config', 'is required to create a session');
  const blocks: ParameterBlock[] | undefined = (w.blocks ?? []).length > 0
    ? (w.blocks ?? []).map((b, i) => ({ name: b.name ?? '', size: b.size ?? 0, structure: structureFromWire(b.structure, `blocks[${i}].structure`) }))
    : undefined;
  const S = v1.FisherSource;
  const fisherSource: FisherSource | undefined =
    w.fisherSource === S.FISHER_SOURCE_EXACT ? 'exact' : w.fisherSource === S.FISHER_SOURCE_SAMPLED ? 'sampled' : undefined;
  if (fisherSource === undefined && (w.fisherSource ?? S.FISHER_SOURCE_UNSPECIFIED) !== S.FISHER_SOURCE_UNSPECIFIED) {
    throw invalid('fisherSource', `has unknown value ${String(w.fisherSource)}; this daemon knows SAMPLED (1) and EXACT (2)`);
  }
  const emaDecay = given(w.emaDecay);
  const datasetSize = toNumber(w.datasetSize);
  return {
    dim: w.dim ?? 0,
    ...(blocks === undefined ? (w.structure ? { structure: structureFromWire(w.structure, 'structure') } : {}) : { blocks }),
    optimizer: optimizerFromWire(w.optimizer),
    ...(emaDecay === undefined ? {} : { emaDecay }),
    ...(fisherSource === undefined ? {} : { fisherSource }),
    ...(w.workers ? { workers: w.workers } : {}),
    ...(datasetSize > 0 ? { datasetSize } : {}),
    ...(w.record ? { record: true } : {}),
    ...(w.backend ? { backend: w.backend as BackendPreference } : {}),
    ...(w.precision ? { precision: w.precision as DType } : {}),
    ...(w.track
      ? { track: { empiricalFisher: w.track.empiricalFisher ?? false, fisher: w.track.fisher ?? false, noise: w.track.noise ?? false } }
      : {}),
    // proto3 cannot tell "" from unset: an empty name is no name (the daemon gives the default one).
    ...(w.name ? { name: w.name } : {}),
  };
}
