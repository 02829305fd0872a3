/**
 * What the daemon needs from a training session, in the daemon's terms (wire-shaped contributions in,
 * update and estimates out, snapshot bytes for checkpoints). `session-adapter.ts` implements it with
 * src/session; the server modules depend only on this seam.
 */
import type { SessionConfig } from '../session/config.js';
import type { EstimatesData } from '../protocol/estimates-codec.js';
import type { StepContribution } from '../session/contribution.js';
import type { UpdateDiagnostics } from '../protocol/step-codec.js';
import type { SessionMemory } from '../session/limits.js';
import type { PrecomputedRefresh, ProspectiveRefresh } from '../curvature/estimator.js';

/** The update of one completed step. */
export interface StepOutcome {
  /** The step index (1-based on the wire: the first step is 1). */
  readonly step: number;
  /** Δθ. */
  readonly delta: Float32Array | Float64Array;
  readonly diagnostics: UpdateDiagnostics;
}

export interface EstimatesQuery {
  /** Largest eigenvalues per estimate, 0..64. */
  readonly topK: number;
  readonly includeDiagonals: boolean;
  /** With diagonals: the coordinates [offset, offset + length) (length undefined: to D). Default all. */
  readonly range?: { readonly offset: number; readonly length?: number };
  /** A Kronecker block whose installed eigenbases to add (`EstimatesData.kroneckerBases`). Default none. */
  readonly kroneckerBasis?: string;
}

export interface SessionEngine {
  /** The configuration with every default filled in (sent back in SessionOpened). */
  readonly config: SessionConfig;
  /** W, the workers per step. */
  readonly workers: number;
  /** The optimizer's name, for metrics labels. */
  readonly optimizerName: string;
  /** The memory the session holds, as reserved against the daemon's budget (src/session/limits.ts). */
  readonly memory: SessionMemory;
  /** How many estimates the session keeps (each a diagonal in an estimates reply). */
  readonly trackedEstimates: number;
  /** The last completed step (0 before the first). */
  readonly lastStep: number;
  /** The outcome of `lastStep`, when known (kept in checkpoints, so also after a restart). */
  readonly lastOutcome: StepOutcome | undefined;
  /**
   * Checks one contribution to step `contribution.step` (which may lie ahead of `lastStep + 1` when
   * steps are queued) against the session (worker id, shapes, values, the inputs the estimates need)
   * without changing anything; throws a FisherdError naming the field.
   */
  check(contribution: StepContribution): void;
  /**
   * Takes back a step's Δθ once its frames are encoded and sent: a later step writes into it instead of
   * allocating D floats, once no frame built around it (src/protocol/update-frame.ts) is still being written out.
   */
  recycle(outcome: StepOutcome): void;
  /**
   * Merges the W contributions of step `lastStep + 1` by sample count and applies the step. Atomic: a
   * throw leaves the session exactly as it was. `precomputed`: decompositions of `refreshJobs(contributions)`
   * computed elsewhere (a worker thread), installed instead of decomposing in the step.
   */
  step(contributions: readonly StepContribution[], precomputed?: readonly PrecomputedRefresh[]): StepOutcome;
  /**
   * The Kronecker eigendecompositions that `step(contributions)` will refresh, as jobs to compute ahead
   * (src/server/kronecker-refresh.ts); [] when none (or when the contributions are invalid). Changes nothing.
   */
  refreshJobs(contributions: readonly StepContribution[]): readonly ProspectiveRefresh[];
  /** The session's backend kind (the refresh threads decompose on one of the same kind). */
  readonly backendName: string;
  /** The current estimates (without the session id). */
  estimates(query: EstimatesQuery): Omit<EstimatesData, 'sessionId'>;
  /**
   * The session's state as self-checking bytes, bound to session `sessionId` (its id and config hash are
   * stored with it); `restore` of them continues bit-identically.
   */
  snapshot(sessionId: string): Uint8Array;
}

/** Creates and restores engines (one per daemon; it owns the compute backend). */
export interface SessionEngineFactory {
  /**
   * Validates `config` against the daemon's limits (INVALID_CONFIG naming the field and the limit) and
   * computes the memory a session of it would hold, without allocating it.
   */
  memoryOf(config: SessionConfig): SessionMemory;
  /** Validates `config` (INVALID_CONFIG naming the field) and creates a fresh session. */
  create(config: SessionConfig): Promise<SessionEngine>;
  /**
   * Restores session `sessionId` from `snapshot()` bytes. Refuses bytes bound to another session
   * (UNKNOWN_SESSION, naming both ids) or whose config does not match their config hash (TRACE_CORRUPT).
   */
  restore(snapshot: Uint8Array, sessionId: string): Promise<SessionEngine>;
  /** The backend, for Welcome and metrics. */
  readonly backend: { readonly name: string; readonly detail: string };
}
