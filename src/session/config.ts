/**
 * A session's configuration: what the client sends in OpenSession (proto/fisherd.proto `SessionConfig`),
 * validated once and normalized with every default filled in.
 */
import type { CurvatureConfig } from '../curvature/estimator.js';
import type { LeafStructure, ParameterBlock, Structure } from '../curvature/structure.js';
import { validateStructure } from '../curvature/structure.js';
import { FisherdError } from '../errors.js';
import type { DType } from '../linalg/backend.js';
import { BACKEND_DTYPES, type BackendPreference } from '../linalg/select.js';
import { requiredEstimates, validateOptimizerSpec, type OptimizerSpec, type RequiredEstimates } from '../optim/spec.js';
import { checkScheduleSize, DEFAULT_SESSION_LIMITS, requireAtMost, type SessionLimits } from './limits.js';

/** Where the Fisher's rows come from (math.md, "Curvature and noise estimates"). */
export type FisherSource = 'sampled' | 'exact';

/** The largest block a 'full' structure may have: D_k² float64 numbers = 512 MiB at 8192. */
export const MAX_FULL_BLOCK_SIZE = DEFAULT_SESSION_LIMITS.maxFullBlockSize;

const BACKENDS: readonly BackendPreference[] = ['auto', 'reference', 'openblas', 'gpujs'];

export interface SessionConfig {
  /**
   * A human-readable name for the run (dashboard, daemon logs, `fisherd trace inspect`): 1 to
   * `MAX_SESSION_NAME_LENGTH` (128) characters, printable (no control characters), not only spaces.
   * Default: the daemon names a session created without one "<client name> <UTC start time>", e.g.
   * "train-logistic 2026-12-03 08:15:02" (`defaultSessionName`); a library `Session` stays unnamed.
   */
  readonly name?: string;
  /** D, the number of parameters; integer ≥ 1. Required. */
  readonly dim: number;
  /**
   * Named parameter blocks (e.g. one per layer) in parameter order, each with its own leaf structure; sizes
   * sum to `dim`, names are unique. Default: one block named 'params' of all D parameters with `structure`.
   */
  readonly blocks?: readonly ParameterBlock[];
  /** Structure of the estimates when `blocks` is absent. Default `{ kind: 'diagonal' }` (O(D), any D). */
  readonly structure?: LeafStructure;
  /** The update rule and its hyperparameters. Required. */
  readonly optimizer: OptimizerSpec;
  /**
   * β ∈ [0, 1), the EMA decay of every running estimate, ḡ included (math.md, "Running estimates").
   * Default 0: each step uses this batch only, so every update is exactly math.md's formula. With β > 0, ḡ
   * is the bias-corrected EMA of the batch means, i.e. the updates become the momentum variants of
   * Balles & Hennig 2018 (M-SGD, M-SVAG for snr), and S is scaled by ρ(β,t) where the rules need it.
   */
  readonly emaDecay?: number;
  /**
   * Where the Fisher comes from when it is tracked: 'sampled' (sampledLabelGrads, Monte-Carlo F̂) or
   * 'exact' (fisherFactorRows, F = (1/b) Σ J_nᵀH_nJ_n). Default 'sampled'.
   */
  readonly fisherSource?: FisherSource;
  /** W ≥ 1, the number of data-parallel workers contributing to each step. Default 1. */
  readonly workers?: number;
  /** N, the size of the training set, when known (integer ≥ 1). Default: unknown. For diagnostics only. */
  readonly datasetSize?: number;
  /** Whether the daemon records this session as a trace. Default false. (The session itself ignores it.) */
  readonly record?: boolean;
  /** Compute backend preference. Default 'auto' (openblas, then reference). */
  readonly backend?: BackendPreference;
  /**
   * Estimates to keep beyond those the optimizer needs (`requiredEstimates`), e.g. both Fishers for the
   * `cosineEfFisher` diagnostic. Default: none extra.
   */
  readonly track?: Partial<RequiredEstimates>;
  /**
   * Storage precision of the running estimates (math.md, "Precision"). Default: the backend's own
   * (float32 on openblas and gpujs, float64 on reference). 'float64' runs on openblas with float64 storage
   * (or on reference); 'float32' on openblas or gpujs. A backend that lacks it: INVALID_CONFIG (precision).
   */
  readonly precision?: DType;
}

/** A validated config with every default filled in (what `Session` keeps and checkpoints). */
export interface ResolvedSessionConfig {
  /** The run's name; null when none was given (a library session; the daemon always gives one). */
  readonly name: string | null;
  readonly dim: number;
  readonly blocks: readonly ParameterBlock[];
  /** True when the client gave no blocks (one block 'params'); the estimates then use the leaf structure. */
  readonly singleBlock: boolean;
  readonly optimizer: OptimizerSpec;
  readonly emaDecay: number;
  readonly fisherSource: FisherSource;
  readonly workers: number;
  readonly datasetSize: number | null;
  readonly record: boolean;
  readonly backend: BackendPreference;
  /** The estimates the session keeps: what the optimizer needs ∪ `track`. */
  readonly track: RequiredEstimates;
  /** The storage precision asked for; undefined: the backend's default. */
  readonly precision: DType | undefined;
}

/** The most characters (code points) a session name may have. */
export const MAX_SESSION_NAME_LENGTH = 128;

/** Control characters (C0, DEL, C1) and the line/paragraph separators: not printable in a name. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** Checks a session name (field `name`); INVALID_CONFIG naming what is wrong. */
export function validateSessionName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string') throw invalid(field, 'must be a string');
  const length = [...name].length;
  if (length === 0 || name.trim().length === 0) throw invalid(field, 'must not be empty or only spaces');
  if (length > MAX_SESSION_NAME_LENGTH) throw invalid(field, `has ${length} characters; at most ${MAX_SESSION_NAME_LENGTH}`);
  const bad = UNPRINTABLE.exec(name);
  if (bad !== null) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw invalid(field, `must be printable; it has the control character U+${code} at index ${bad.index}`);
  }
  return name;
}

/** "2026-12-03 08:15:02": `at` in UTC to the second. */
export function formatSessionTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The name the daemon gives a session created without one: "<client name> <UTC start time>", e.g.
 * "train-logistic 2026-12-03 08:15:02". The client name (Hello.client_name) loses its control
 * characters and is cut so that the whole stays within MAX_SESSION_NAME_LENGTH; "session" when empty.
 */
export function defaultSessionName(clientName: string | undefined, at: Date): string {
  const time = formatSessionTime(at);
  const room = MAX_SESSION_NAME_LENGTH - time.length - 1;
  const cleaned = [...(clientName ?? '').replace(new RegExp(UNPRINTABLE.source, 'gu'), ' ').trim()].slice(0, room).join('').trim();
  return `${cleaned.length > 0 ? cleaned : 'session'} ${time}`;
}

/** `config` with `name` set to `defaultSessionName(clientName, at)` when it has none (the daemon calls this). */
export function withDefaultName(config: SessionConfig, clientName: string | undefined, at: Date = new Date()): SessionConfig {
  if (typeof config !== 'object' || config === null || config.name !== undefined) return config;
  return { ...config, name: defaultSessionName(clientName, at) };
}

/**
 * The estimates a session with `config` keeps: what its optimizer needs ∪ what `track` asks for (the
 * effective tracking, as `ResolvedSessionConfig.track`; e.g. an 'snr' session keeps the noise whether
 * or not `track.noise` is set). Expects a config that passed `validateSessionConfig`.
 */
export function effectiveTrack(config: Pick<SessionConfig, 'optimizer' | 'track'>): RequiredEstimates {
  const required = requiredEstimates(config.optimizer);
  const extra = config.track ?? {};
  return {
    empiricalFisher: required.empiricalFisher || extra.empiricalFisher === true,
    fisher: required.fisher || extra.fisher === true,
    noise: required.noise || extra.noise === true,
  };
}

/** The name of the one block of a session configured without `blocks`. */
export const DEFAULT_BLOCK_NAME = 'params';

function invalid(field: string, message: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field} ${message}`, { field });
}

function isInteger(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

/** Names unique and non-empty, sizes integers ≥ 1 summing to D, leaf structures valid (fields `blocks[i].…`). */
function validateBlocks(blocks: readonly ParameterBlock[], dim: number, limits: SessionLimits): void {
  if (!Array.isArray(blocks) || blocks.length === 0) throw invalid('blocks', 'must list at least one parameter block');
  requireAtMost(blocks.length, limits.maxBlocks, 'blocks', 'parameter blocks (--max-blocks)');
  const names = new Set<string>();
  let total = 0;
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    if (typeof block.name !== 'string' || block.name.length === 0) throw invalid(`${at}.name`, 'must be a non-empty string');
    if (names.has(block.name)) throw invalid(`${at}.name`, `"${block.name}" is used twice`);
    names.add(block.name);
    if (!isInteger(block.size, 1)) throw invalid(`${at}.size`, `must be an integer ≥ 1, got ${String(block.size)}`);
    requireAtMost(block.size, dim, `${at}.size`, `(dim)`);
    if ((block.structure as Structure | undefined)?.kind === 'blocks') throw invalid(`${at}.structure`, 'must be a leaf structure');
    checkRank(block.structure, block.size, `${at}.structure`, limits);
    validateStructure(block.structure, block.size, `${at}.structure`);
    total += block.size;
  });
  if (total !== dim) throw invalid('blocks', `sizes sum to ${total}, but dim is ${dim}`);
}

/** A low-rank rank cap within the limits: r ≤ min(block size, maxRank). */
function checkRank(structure: LeafStructure, size: number, field: string, limits: SessionLimits): void {
  if (structure?.kind !== 'lowrank' || !isInteger(structure.rank, 1)) return;
  requireAtMost(structure.rank, limits.maxRank, `${field}.rank`, 'ranks (--max-rank)');
  if (structure.rank > size) {
    throw invalid(`${field}.rank`, `is ${structure.rank}, above the ${size} coordinates it covers (a rank cap is at most the block's size; use 'full' there)`);
  }
}

/**
 * Validates a client's config and fills in the defaults. Throws INVALID_CONFIG naming the field, e.g.
 * "optimizer.damping must be ≥ 0", "workers must be an integer ≥ 1", "blocks[1].structure.rank …".
 * Every size is checked against `limits` (default `DEFAULT_SESSION_LIMITS`; the daemon passes its own)
 * before anything else, so that a bad config is refused without allocating for it.
 */
export function validateSessionConfig(config: SessionConfig, limits: SessionLimits = DEFAULT_SESSION_LIMITS): ResolvedSessionConfig {
  if (typeof config !== 'object' || config === null) throw invalid('config', 'must be a record');
  const name = config.name === undefined ? null : validateSessionName(config.name);
  if (!isInteger(config.dim, 1)) throw invalid('dim', `must be an integer ≥ 1, got ${String(config.dim)}`);
  requireAtMost(config.dim, limits.maxDim, 'dim', 'parameters (--max-dim)');
  const dim = config.dim;
  if (config.workers !== undefined && isInteger(config.workers, 1)) requireAtMost(config.workers, limits.maxWorkers, 'workers', 'workers (--max-workers)');
  if (typeof config.optimizer === 'object' && config.optimizer !== null) {
    checkScheduleSize(config.optimizer.stepSize, 'optimizer.stepSize', limits);
    checkScheduleSize(config.optimizer.damping, 'optimizer.damping', limits);
  }

  const leaf: LeafStructure = config.structure ?? { kind: 'diagonal' };
  const singleBlock = config.blocks === undefined;
  const blocks: readonly ParameterBlock[] = singleBlock
    ? [{ name: DEFAULT_BLOCK_NAME, size: dim, structure: leaf }]
    : config.blocks!;
  if (singleBlock) {
    if ((leaf as Structure).kind === 'blocks') throw invalid('structure', "must be a leaf structure; give named blocks in 'blocks'");
    checkRank(leaf, dim, 'structure', limits);
    validateStructure(leaf, dim, 'structure');
  } else {
    validateBlocks(blocks, dim, limits);
  }
  blocks.forEach((block, i) => {
    const field = singleBlock ? 'structure' : `blocks[${i}].structure`;
    if (block.structure.kind === 'full' && block.size > limits.maxFullBlockSize) {
      throw invalid(field, `'full' holds D_k² numbers; a block of ${block.size} > ${limits.maxFullBlockSize} needs 'lowrank', 'diagonal' or smaller blocks`);
    }
    if (block.structure.kind === 'kronecker') {
      // Each factor is a dense n×n float64 matrix, like a 'full' block of n: the same limit.
      const { outputs, inputs, bias } = block.structure;
      if (isInteger(outputs, 1) && outputs > limits.maxFullBlockSize) {
        throw invalid(`${field}.outputs`, `is ${outputs}; a Kronecker factor is a dense outputs × outputs matrix, at most ${limits.maxFullBlockSize} (the largest 'full' block)`);
      }
      if (isInteger(inputs, 1) && inputs + (bias ? 1 : 0) > limits.maxFullBlockSize) {
        throw invalid(`${field}.inputs`, `is ${inputs}${bias ? ' (+1 for the bias)' : ''}; a Kronecker factor is a dense in' × in' matrix, at most ${limits.maxFullBlockSize} (the largest 'full' block)`);
      }
    }
  });

  validateOptimizerSpec(config.optimizer, 'optimizer');

  const emaDecay = config.emaDecay ?? 0;
  if (typeof emaDecay !== 'number' || !(emaDecay >= 0 && emaDecay < 1)) throw invalid('emaDecay', `must be in [0, 1), got ${String(emaDecay)}`);
  const fisherSource = config.fisherSource ?? 'sampled';
  if (fisherSource !== 'sampled' && fisherSource !== 'exact') throw invalid('fisherSource', "must be 'sampled' or 'exact'");
  const workers = config.workers ?? 1;
  if (!isInteger(workers, 1)) throw invalid('workers', `must be an integer ≥ 1, got ${String(workers)}`);
  if (config.datasetSize !== undefined && !isInteger(config.datasetSize, 1)) throw invalid('datasetSize', 'must be an integer ≥ 1');
  if (config.record !== undefined && typeof config.record !== 'boolean') throw invalid('record', 'must be a boolean');
  const backend = config.backend ?? 'auto';
  if (!BACKENDS.includes(backend)) throw invalid('backend', `must be one of ${BACKENDS.join(', ')}`);
  const precision = config.precision;
  if (precision !== undefined) {
    if (precision !== 'float32' && precision !== 'float64') throw invalid('precision', `must be 'float32' or 'float64', got ${String(precision)}`);
    if (backend !== 'auto' && !BACKEND_DTYPES[backend].includes(precision)) {
      throw invalid('precision', `${precision} is not available on the ${backend} backend (it stores ${BACKEND_DTYPES[backend].join(' or ')})`);
    }
  }

  const extra = config.track ?? {};
  for (const key of ['empiricalFisher', 'fisher', 'noise'] as const) {
    if (extra[key] !== undefined && typeof extra[key] !== 'boolean') throw invalid(`track.${key}`, 'must be a boolean');
  }
  const track = effectiveTrack(config);

  // Kronecker factors make the empirical Fisher and the Fisher of a layer; the noise covariance has no
  // Kronecker form here (its estimate would need the per-example gradients the factors replace).
  const kronecker = blocks.findIndex((b) => b.structure.kind === 'kronecker');
  if (kronecker >= 0 && track.noise) {
    const required = requiredEstimates(config.optimizer);
    throw invalid(required.noise ? 'optimizer.name' : 'track.noise',
      `${required.noise ? `'${config.optimizer.name}' needs` : 'tracks'} the noise covariance, which ${singleBlock ? 'a kronecker structure' : `the kronecker block "${blocks[kronecker]!.name}"`} cannot estimate (its statistics are factors, not per-example rows): use sgd, adam, ngd or efgd, or diagonal blocks`);
  }

  // Statistics feed Kronecker and diagonal blocks only, and Kronecker blocks take nothing else.
  const other = blocks.findIndex((b) => b.structure.kind !== 'kronecker' && b.structure.kind !== 'diagonal');
  if (kronecker >= 0 && other >= 0 && (track.empiricalFisher || track.fisher)) {
    throw invalid(`blocks[${other}].structure.kind`,
      `is '${blocks[other]!.structure.kind}', but a session with kronecker blocks is fed statistics, which feed kronecker and diagonal blocks only: make "${blocks[other]!.name}" diagonal or kronecker`);
  }

  // A low-rank estimate is singular: its Woodbury solve divides by λ, so λ = 0 cannot work.
  const solvesWith = config.optimizer.name === 'ngd' || config.optimizer.name === 'efgd' || config.optimizer.name === 'va';
  if (solvesWith && config.optimizer.damping === 0 && blocks.some((b) => b.structure.kind === 'lowrank')) {
    throw invalid('optimizer.damping', "must be > 0 with a 'lowrank' structure (the Woodbury solve divides by λ)");
  }

  return {
    name,
    dim,
    blocks: blocks.map((b) => ({ name: b.name, size: b.size, structure: { ...b.structure } })),
    singleBlock,
    optimizer: config.optimizer,
    emaDecay,
    fisherSource,
    workers,
    datasetSize: config.datasetSize ?? null,
    record: config.record ?? false,
    backend,
    track,
    precision,
  };
}

/** The structure of the estimates: the leaf itself for a single-block session, else the blocks. */
export function sessionStructure(config: ResolvedSessionConfig): Structure {
  return config.singleBlock ? config.blocks[0]!.structure : { kind: 'blocks', blocks: config.blocks };
}

/** The estimator's configuration for a session. */
export function curvatureConfig(config: ResolvedSessionConfig): CurvatureConfig {
  return { dim: config.dim, structure: sessionStructure(config), decay: config.emaDecay, track: { ...config.track } };
}
