/**
 * `SessionEngine` implemented with src/session's `Session`: the daemon's seam to the training session.
 * One factory per daemon holds the compute backends: the daemon's (`--backend`) for sessions that ask
 * for 'auto', and any other a session names, created once and shared. A restored session runs on the
 * backend that took its snapshot (same storage type ⇒ bit-identical continuation).
 */
import type { PrecomputedRefresh, ProspectiveRefresh } from '../curvature/estimator.js';
import type { Backend, BackendName, DType } from '../linalg/backend.js';
import { BACKEND_DTYPES, selectBackend, selectBackendWithPrecision, type BackendPreference } from '../linalg/select.js';
import type { Logger } from '../log.js';
import { FisherdError } from '../errors.js';
import type { EstimatesData } from '../protocol/estimates-codec.js';
import type { UpdateDiagnostics } from '../protocol/step-codec.js';
import type { SessionConfig } from '../session/config.js';
import { validateContribution, type StepContribution } from '../session/contribution.js';
import { Session, type StepResult } from '../session/session.js';
import { decodeSessionSnapshot, encodeSessionSnapshot } from '../session/snapshot-codec.js';
import { optimizerSpecWithDefaults } from '../optim/spec.js';
import { validateSessionConfig, type ResolvedSessionConfig } from '../session/config.js';
import { DEFAULT_SESSION_LIMITS, sessionMemoryBytes, type SessionLimits, type SessionMemory } from '../session/limits.js';
import type { EstimatesQuery, SessionEngine, SessionEngineFactory, StepOutcome } from './session-engine.js';

/** The wire's diagnostics of a session step: fixed fields, and the optimizer's scalars by name. */
function outcomeOf(result: StepResult): StepOutcome {
  const d = result.diagnostics;
  const values: Record<string, number> = { gradNorm: d.gradNorm };
  if (d.cosineEfFisher !== undefined) values['cosineEfFisher'] = d.cosineEfFisher;
  if (d.meanSnr !== undefined) values['meanSnr'] = d.meanSnr;
  if (d.stepSize !== undefined) values['stepSize'] = d.stepSize;
  if (d.damping !== undefined) values['damping'] = d.damping;
  if (d.rho !== undefined) values['rho'] = d.rho;
  if (d.layers !== undefined) Object.assign(values, d.layers);
  const diagnostics: UpdateDiagnostics = {
    ...(d.loss === undefined ? {} : { loss: d.loss }),
    batchSize: d.batchSize,
    updateNorm: d.updateNorm,
    computeSeconds: d.computeMs / 1000,
    values,
  };
  return { step: result.step, delta: result.update, diagnostics };
}

class SessionEngineAdapter implements SessionEngine {
  constructor(
    private readonly session: Session,
    readonly config: SessionConfig,
    readonly memory: SessionMemory,
  ) {}

  get trackedEstimates(): number {
    const { track } = this.session.config;
    return (track.empiricalFisher ? 1 : 0) + (track.fisher ? 1 : 0) + (track.noise ? 1 : 0);
  }

  get workers(): number {
    return this.session.config.workers;
  }

  get optimizerName(): string {
    return this.session.config.optimizer.name;
  }

  get lastStep(): number {
    return this.session.lastStep;
  }

  get lastOutcome(): StepOutcome | undefined {
    const last = this.session.lastResult;
    return last === undefined ? undefined : outcomeOf(last);
  }

  check(contribution: StepContribution): void {
    // Session.validate checks against the session's next step; a queued (pipelined) step is further
    // ahead, so validate against the step the contribution names (the assembler enforces the order).
    validateContribution(contribution, this.session.contributionRequirements(contribution.step));
  }

  recycle(outcome: StepOutcome): void {
    if (outcome.delta instanceof Float32Array) this.session.recycleUpdate(outcome.delta);
  }

  step(contributions: readonly StepContribution[], precomputed?: readonly PrecomputedRefresh[]): StepOutcome {
    return outcomeOf(this.session.step(contributions, precomputed));
  }

  refreshJobs(contributions: readonly StepContribution[]): readonly ProspectiveRefresh[] {
    return this.session.refreshJobsFor(contributions);
  }

  get backendName(): string {
    return this.session.backendName;
  }

  estimates(query: EstimatesQuery): Omit<EstimatesData, 'sessionId'> {
    const report = this.session.estimates({
      topK: query.topK, includeDiagonals: query.includeDiagonals, ...(query.range === undefined ? {} : { range: query.range }),
    });
    return {
      step: report.step,
      estimates: report.estimates.map((e) => ({
        kind: e.kind,
        trace: e.trace,
        topEigenvalues: Array.from(e.topEigenvalues),
        ...(e.diagonal === undefined ? {} : { diagonal: e.diagonal }),
      })),
      ...(report.meanGrad === undefined ? {} : { meanGrad: report.meanGrad }),
      ...(report.cosineEfFisher === undefined ? {} : { cosineEfFisher: report.cosineEfFisher }),
      ...(query.includeDiagonals && query.range !== undefined && query.range.offset > 0 ? { diagonalOffset: query.range.offset } : {}),
      ...(query.kroneckerBasis === undefined ? {} : { kroneckerBases: this.session.kroneckerBases(query.kroneckerBasis).map((b) => ({ ...b })) }),
    };
  }

  snapshot(sessionId: string): Uint8Array {
    return encodeSessionSnapshot(this.session.snapshot(), sessionId);
  }
}

/** The config echoed to clients: the client's, with the defaults the session filled in. */
function normalizedConfig(config: SessionConfig, resolved: ResolvedSessionConfig, dtype: DType): SessionConfig {
  return {
    ...config,
    ...(resolved.singleBlock ? { structure: { ...resolved.blocks[0]!.structure } } : {}),
    optimizer: optimizerSpecWithDefaults(resolved.optimizer),
    emaDecay: resolved.emaDecay,
    fisherSource: resolved.fisherSource,
    workers: resolved.workers,
    backend: resolved.backend,
    track: { ...resolved.track },
    precision: dtype,
  };
}

/**
 * The daemon's engine factory. `preference` is the daemon's backend (--backend / FISHERD_BACKEND),
 * selected now so that a broken backend fails the start rather than the first session.
 */
export interface EngineFactoryOptions {
  /** The sizes a config may have (the daemon's --max-dim, --max-workers, ...). Default the library's. */
  readonly limits?: SessionLimits;
  /** The largest frame a worker may send (bounds the rows of one step in the memory estimate). Default 256 MiB. */
  readonly maxFrameBytes?: number;
}

export async function createSessionEngineFactory(
  preference: BackendPreference, logger: Logger, options: EngineFactoryOptions = {},
): Promise<SessionEngineFactory> {
  const limits = options.limits ?? DEFAULT_SESSION_LIMITS;
  const daemonBackend = await selectBackend(preference, logger);
  // One backend per (name, storage type), created on first use and shared by the sessions that use it.
  const keyOf = (name: string, dtype: DType) => `${name}:${dtype}`;
  const backends = new Map<string, Promise<Backend>>([[keyOf(daemonBackend.name, daemonBackend.dtype), Promise.resolve(daemonBackend)]]);
  /** Which backend (name, dtype) a session asking for `name` with `precision` runs on; INVALID_CONFIG when none can. */
  const resolveBackend = (name: BackendPreference, precision: DType | undefined): { name: BackendName; dtype: DType } => {
    const chosen: BackendName = name === 'auto' ? daemonBackend.name : name;
    const offered = BACKEND_DTYPES[chosen];
    const dtype = precision ?? (chosen === daemonBackend.name ? daemonBackend.dtype : offered[0]!);
    if (!offered.includes(dtype)) {
      throw new FisherdError('INVALID_CONFIG', `precision ${dtype} is not available on the ${chosen} backend${name === 'auto' ? " (the daemon's)" : ''}; it stores ${offered.join(' or ')}`, {
        field: 'precision',
      });
    }
    return { name: chosen, dtype };
  };
  const backendFor = (name: BackendName, dtype: DType): Promise<Backend> => {
    const key = keyOf(name, dtype);
    let backend = backends.get(key);
    if (backend === undefined) {
      backend = selectBackendWithPrecision(name, dtype, logger);
      backends.set(key, backend);
      backend.catch(() => backends.delete(key));
    }
    return backend;
  };
  const sessionLogger = logger.child({ component: 'session' });
  // The memory estimate follows the storage type the session will run with.
  const memoryOf = (resolved: ResolvedSessionConfig, dtype: DType): SessionMemory =>
    sessionMemoryBytes(resolved, { storageBytes: dtype === 'float32' ? 4 : 8, ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }) });
  return {
    backend: { name: daemonBackend.name, detail: daemonBackend.detail },
    memoryOf(config) {
      const resolved = validateSessionConfig(config, limits);
      return memoryOf(resolved, resolveBackend(resolved.backend, resolved.precision).dtype);
    },
    async create(config) {
      const resolved = validateSessionConfig(config, limits);
      const { name, dtype } = resolveBackend(resolved.backend, resolved.precision);
      const session = new Session(config, await backendFor(name, dtype), sessionLogger);
      return new SessionEngineAdapter(session, normalizedConfig(config, resolved, dtype), memoryOf(resolved, dtype));
    },
    async restore(bytes, sessionId) {
      const snapshot = decodeSessionSnapshot(bytes, sessionId);
      const resolved = validateSessionConfig(snapshot.config, limits);
      // The backend that took the snapshot: same name and storage type (bit-identical continuation).
      const name = snapshot.backend.name as BackendName;
      const dtype = snapshot.backend.dtype as DType;
      if (!(name in BACKEND_DTYPES) || !BACKEND_DTYPES[name].includes(dtype)) {
        throw new FisherdError('INVALID_CONFIG', `snapshot.backend ${name} (${dtype}) is not a backend this daemon has`, { field: 'snapshot.backend' });
      }
      const session = Session.restore(snapshot, await backendFor(name, dtype), sessionLogger);
      return new SessionEngineAdapter(session, normalizedConfig(snapshot.config, resolved, dtype), memoryOf(resolved, dtype));
    },
  };
}
