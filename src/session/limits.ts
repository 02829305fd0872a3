/**
 * Admission limits of a session config, and the memory a session of a given config holds.
 *
 * Every size a client (or a trace header) states is bounded before anything is allocated: a 13-byte
 * `workers` value must not make the daemon allocate for four billion workers. The limits are plain data
 * with defaults (`DEFAULT_SESSION_LIMITS`); the daemon takes them from its options (`--max-dim`,
 * `--max-workers`, `--max-rank`, `--max-blocks`, docs/deploy.md), the trace tools use the defaults.
 *
 * `sessionMemoryBytes` is what the daemon reserves against its memory budget (`--max-memory`) when a session
 * opens: the estimates' storage for the structure and the backend's precision, the optimizer's state, and the
 * session's D-length work vectors. It is an upper estimate of what the session keeps between steps (checked
 * against measured allocations in test/session/limits.test.ts); the contributions in flight are bounded
 * separately (a frame is at most --max-frame-bytes, a session queues at most --max-queued-steps).
 */
import type { LeafStructure } from '../curvature/structure.js';
import { FisherdError } from '../errors.js';
import type { OptimizerSpec } from '../optim/spec.js';

export interface SessionLimits {
  /**
   * Largest D. Default 2³⁰ (1 073 741 824): a 10⁹-parameter network in one session, diagonal; the memory
   * budget is what usually decides.
   */
  readonly maxDim: number;
  /** Largest W (data-parallel workers per step). Default 1024. */
  readonly maxWorkers: number;
  /**
   * Largest rank cap r of a 'lowrank' structure; r must also be ≤ the block's size. Default 4096 (the small
   * Gram is (2r)² float64 and a truncation costs O(r²·D)).
   */
  readonly maxRank: number;
  /** Most named parameter blocks. Default 65 536. */
  readonly maxBlocks: number;
  /** Largest block a 'full' structure may have (D_k² numbers). Default 8192 (512 MiB float64). */
  readonly maxFullBlockSize: number;
  /** Deepest nesting of schedules (`warmup` wrapping `warmup` …). Default 8. */
  readonly maxScheduleDepth: number;
  /** Most boundaries of a `piecewise` schedule. Default 1024. */
  readonly maxScheduleBoundaries: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  maxDim: 2 ** 30,
  maxWorkers: 1024,
  maxRank: 4096,
  maxBlocks: 65_536,
  maxFullBlockSize: 8192,
  maxScheduleDepth: 8,
  maxScheduleBoundaries: 1024,
};

/** The limits with `overrides` applied (undefined fields keep their defaults). */
export function sessionLimits(overrides: Partial<SessionLimits> = {}): SessionLimits {
  const limits: Record<string, number> = { ...DEFAULT_SESSION_LIMITS };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) limits[key] = value;
  return limits as unknown as SessionLimits;
}

function tooLarge(field: string, value: number, limit: number, what: string): FisherdError {
  return new FisherdError('INVALID_CONFIG', `${field} is ${value}, above the limit of ${limit} ${what}`, { field });
}

/** Throws INVALID_CONFIG naming the field and the limit when `value` (an integer) exceeds `limit`. */
export function requireAtMost(value: number, limit: number, field: string, what: string): void {
  if (value > limit) throw tooLarge(field, value, limit, what);
}

/**
 * Bounds the depth and size of a schedule record before it is validated value by value (a crafted
 * schedule nested thousands deep would otherwise overflow the validator's stack).
 */
export function checkScheduleSize(spec: unknown, field: string, limits: SessionLimits, depth = 1): void {
  if (typeof spec !== 'object' || spec === null) return;
  if (depth > limits.maxScheduleDepth) {
    throw new FisherdError('INVALID_CONFIG', `${field} nests schedules ${depth} deep, above the limit of ${limits.maxScheduleDepth}`, { field });
  }
  const s = spec as { kind?: unknown; then?: unknown; boundaries?: unknown };
  if (s.kind === 'piecewise' && Array.isArray(s.boundaries)) {
    requireAtMost(s.boundaries.length, limits.maxScheduleBoundaries, `${field}.boundaries`, 'boundaries');
  }
  if (s.kind === 'warmup') checkScheduleSize(s.then, `${field}.then`, limits, depth + 1);
}

// ---- memory ------------------------------------------------------------------------------------------

/** What `sessionMemoryBytes` needs to know of a resolved config (src/session/config.ts). */
export interface MemoryConfig {
  readonly dim: number;
  readonly blocks: readonly { readonly name: string; readonly size: number; readonly structure: LeafStructure }[];
  readonly singleBlock: boolean;
  readonly optimizer: OptimizerSpec;
  readonly workers: number;
  readonly track: { readonly empiricalFisher: boolean; readonly fisher: boolean; readonly noise: boolean };
}

export interface MemoryOptions {
  /** Bytes per stored number of the backend's large arrays: 4 (float32 storage) or 8 (float64). */
  readonly storageBytes: 4 | 8;
  /**
   * The largest frame a worker may send (--max-frame-bytes): bounds the rows one step brings, which a
   * low-rank estimate appends to its factor before truncating. Default 256 MiB.
   */
  readonly maxFrameBytes?: number;
}

/** One part of a session's memory, named by the config field that sizes it. */
export interface MemoryPart {
  readonly field: string;
  readonly bytes: number;
  readonly what: string;
}

export interface SessionMemory {
  /** The total, in bytes. */
  readonly bytes: number;
  /** The parts, largest first. */
  readonly parts: readonly MemoryPart[];
}

function trackedCount(track: MemoryConfig['track']): number {
  return (track.empiricalFisher ? 1 : 0) + (track.fisher ? 1 : 0) + (track.noise ? 1 : 0);
}

/** D-length float64 vectors the optimizer keeps in its state. */
function optimizerVectors(o: OptimizerSpec): number {
  let n = 0;
  if (o.name === 'adam') n += 2;
  if (o.name === 'snr' && o.snrVariance === 'moments') n += 2;
  if ((o.momentum ?? 0) > 0) n += 1;
  return n;
}

/**
 * The bytes one estimate of `structure` over a block of `size` coordinates holds: its state and the copy
 * a step keeps to roll back to, plus the structure's own work arrays (p = storage bytes):
 * diagonal 3·p·n; full (2p + 16)·n² (state, saved copy, float64 Cholesky factor and its recycled spare);
 * lowrank with m = r + R rows (R the most rows one step can bring): 4·p·m·n + 32·m² (factor, spare,
 * saved copy, cross products; the Gram, its spare, its saved copy and its factor).
 */
export function estimateBytes(structure: LeafStructure, size: number, storageBytes: number, rowsPerStep: number): number {
  switch (structure.kind) {
    case 'diagonal':
      return 3 * storageBytes * size;
    case 'full':
      return (2 * storageBytes + 16) * size * size;
    case 'lowrank': {
      const m = structure.rank + Math.min(rowsPerStep, size);
      return 4 * storageBytes * m * size + 32 * m * m;
    }
    case 'kronecker': {
      // float64 factors A (in'²) and G (out²): state, checkpoint copy, update sums, the installed
      // decomposition and the one a checkpoint holds, a refresh job's copies and its decomposition in
      // flight (a worker thread's, src/server/kronecker-refresh.ts); work matrices and EKFAC moments (and
      // their copy): 6·8·D. π-damping also keeps the damped factors' inverses with each decomposition (the
      // installed one, the checkpoint's, the one in flight), those a solve forms for another λ, and a
      // scratch copy of the eigenvectors to form them (src/curvature/kronecker-decomposition.ts
      // `dampedInverses`): five more. Float32 storage solves in float32 (math.md "Precision"): the
      // eigenvectors and damped inverses rounded to float32 (one more float64-sized copy, and the copies a
      // refresh in flight rounds where it decomposes: another) and three float32
      // work matrices (12·D). A gradient sum sent as factors is formed into a float32 array of the block's
      // size (session.ts `formGradientSums`; per worker): 4·D more, and the thin work matrices of the solve
      // from factors (3·r·max(out, in') ≤ 3·D values at a rank where it pays).
      const inputOrder = structure.inputs + (structure.bias ? 1 : 0);
      const single = storageBytes === 4;
      const factorCopies = (structure.damping === 'pi' ? 12 : 7) + (single ? 2 : 0);
      return factorCopies * 8 * (inputOrder * inputOrder + structure.outputs * structure.outputs) + (6 * 8 + (single ? 12 : 0) + 4) * size;
    }
  }
}

/**
 * An upper estimate of the bytes a session of `config` holds between steps (module comment), with its
 * parts named by config field, largest first.
 */
export function sessionMemoryBytes(config: MemoryConfig, options: MemoryOptions): SessionMemory {
  const p = options.storageBytes;
  const D = config.dim;
  const tracked = trackedCount(config.track);
  // Rows one step can bring: W frames of at most maxFrameBytes, 4 bytes a number, D numbers a row.
  const frameBytes = options.maxFrameBytes ?? 256 * 1024 * 1024;
  const rowsPerStep = Math.ceil((config.workers * frameBytes) / (4 * D));
  const parts: MemoryPart[] = [];
  // The session's work vectors: the estimator's ḡ sums, batch mean, squares and centred sums (and their
  // rolled-back copies), the batch summary, the optimizer's input and workspace, the monitor's scratch,
  // the estimates report's scratch: 16 float64 vectors, one in storage; and the float32 updates (the last
  // step's and up to three recycled ones, each with the reply header's room in front: at most 1/16 more,
  // src/session/update-memory.ts): 17 bytes per coordinate.
  const vectors = 16 + tracked + optimizerVectors(config.optimizer);
  parts.push({ field: 'dim', bytes: D * (8 * vectors + 17 + p), what: `${vectors} work vectors of D = ${D}` });
  if (tracked > 0) {
    config.blocks.forEach((block, i) => {
      const field = config.singleBlock ? 'structure' : `blocks[${i}].structure`;
      const bytes = tracked * estimateBytes(block.structure, block.size, p, rowsPerStep);
      const shape = block.structure.kind === 'lowrank' ? `lowrank(r=${block.structure.rank})` : block.structure.kind;
      parts.push({ field, bytes, what: `${tracked} estimate${tracked === 1 ? '' : 's'} ${shape} of ${block.size}` });
    });
  }
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((sum, part) => sum + part.bytes, 0), parts };
}

/** Bytes as a short human string: "1.50 GiB", "312 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}
