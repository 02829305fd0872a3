/**
 * The daemon's sessions: creates them, attaches connections to them (a joining worker, a reconnecting
 * client, or a resume after a restart from the last checkpoint on disk), and retires them.
 *
 * Lifetime: a session stays in memory while connections are attached. When the last one leaves, the
 * session is checkpointed at once and evicted after `idleMs` (a client that reconnects within that time
 * finds it live, with its last update); after eviction it resumes from the checkpoint, bit-identically.
 * Attaching to a session that is being evicted waits for the eviction and then loads the checkpoint.
 *
 * Durability: a session whose checkpoint failed (disk full) is never evicted, since the steps since the
 * checkpoint on disk exist only in its memory: each eviction attempt checkpoints first, and on failure
 * the session stays (and the eviction is tried again after `idleMs`). `failingCheckpoints()` lists the
 * sessions whose latest checkpoint attempt failed (the daemon's /readyz); `shutdown()` reports those whose
 * final checkpoint failed, with the steps lost. A checkpoint file that belongs to another session (copied
 * over this one's) or whose config was altered is refused on resume (UNKNOWN_SESSION / TRACE_CORRUPT).
 *
 * Quotas: besides `maxSessions` in all, the sessions a connection brought into memory (created, or
 * resumed from disk by its OpenSession) count against that connection (`maxSessionsPerConnection`) and
 * its remote address (`maxSessionsPerAddress`) until they are evicted, idle ones included: one client
 * cannot fill every slot by opening and closing sessions in a loop. A refusal is BACKPRESSURE naming the
 * limit and the count.
 *
 * Discard: `CloseSession{discard}` deletes the session only when the discarding connection is the last
 * one attached; while other connections use it, it is kept (the discarding connection is detached, and
 * a later non-discard close by the others leaves it resumable).
 *
 * Recording: a recorded session's trace is opened before the session is live (a resumed one appends to
 * the same trace directory, in a new segment). Its segment ends (end record, synced) when the last
 * connection detaches, before the reply, and a connection attaching again opens a new segment; the trace
 * is closed for good when the session is evicted or the daemon shuts down.
 */
import type { KroneckerRefreshPool } from './kronecker-refresh.js';
import { FisherdError } from '../errors.js';
import type { Logger } from '../log.js';
import { errorMessage } from '../protocol/frames.js';
import type { SessionConfig } from '../session/config.js';
import { newSessionId, isSessionId, type CheckpointStore } from './checkpoint-store.js';
import type { MemoryBudget } from './memory-budget.js';
import type { DaemonMetrics } from './metrics.js';
import type { SessionRecorder } from './recording.js';
import type { SessionEngineFactory } from './session-engine.js';
import { SessionHost, type Peer, type SessionHostOptions, type SessionObserver } from './session-host.js';

export interface SessionRegistryOptions extends SessionHostOptions {
  /** Sessions held in memory at once. */
  readonly maxSessions: number;
  /** How long a session with no connection stays in memory before eviction, in ms. */
  readonly idleMs: number;
  /** How long closing a session waits for its queued steps, in ms. */
  readonly drainTimeoutMs: number;
  /** Sessions one connection may hold in memory (created or resumed by it). Default: no limit beyond maxSessions. */
  readonly maxSessionsPerConnection?: number;
  /** Sessions the connections of one remote address may hold in memory together. Default: no limit beyond maxSessions. */
  readonly maxSessionsPerAddress?: number;
}

/** Who brought a session into memory, for the quotas. */
interface Owner {
  readonly connection: number;
  readonly address: string | undefined;
}

export interface SessionRegistryDeps {
  readonly factory: SessionEngineFactory;
  readonly store: CheckpointStore;
  readonly metrics: DaemonMetrics;
  readonly logger: Logger;
  readonly observer?: SessionObserver | undefined;
  /** Records the sessions that are to be recorded (src/server/recording.ts); none when absent. */
  readonly recorder?: SessionRecorder | undefined;
  /** The daemon's memory budget; every live session holds its reservation. None: unbounded. */
  readonly budget?: MemoryBudget | undefined;
  /** Threads for large Kronecker refreshes (kronecker-refresh.ts), shared by every session; none: in the steps. */
  readonly refreshPool?: KroneckerRefreshPool | undefined;
}

/** A session whose latest checkpoint did not reach the disk. */
export interface CheckpointShortfall {
  readonly sessionId: string;
  /** The last completed step, in memory (acknowledged to the clients). */
  readonly lastStep: number;
  /** The step the checkpoint on disk holds (0: none); a restart resumes there. */
  readonly checkpointedStep: number;
  /** The CHECKPOINT_FAILED message. */
  readonly reason: string;
}

/** What `shutdown()` could not save: the sessions whose final checkpoint failed (empty when all were written). */
export interface ShutdownReport {
  readonly lost: readonly CheckpointShortfall[];
}

export class SessionRegistry {
  private readonly live = new Map<string, SessionHost>();
  private readonly loading = new Map<string, Promise<SessionHost>>();
  private readonly evicting = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly discardOnEvict = new Set<string>();
  private readonly owners = new Map<string, Owner>();
  private shuttingDown = false;

  constructor(
    private readonly options: SessionRegistryOptions,
    private readonly deps: SessionRegistryDeps,
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** The live sessions whose latest checkpoint attempt failed (until a later one succeeds or the session is discarded). */
  failingCheckpoints(): CheckpointShortfall[] {
    const failing: CheckpointShortfall[] = [];
    for (const host of this.live.values()) {
      const failure = host.checkpointFailure;
      if (failure !== undefined && !this.discardOnEvict.has(host.id)) failing.push(shortfallOf(host, failure));
    }
    return failing;
  }

  /** Creates a session from `config` (validated by the session) and attaches `peer`. */
  async create(config: SessionConfig, peer: Peer): Promise<SessionHost> {
    this.refuseWhenFull(peer);
    // Validated against the limits and reserved before anything is allocated for it.
    const id = newSessionId();
    this.deps.budget?.reserve(id, this.deps.factory.memoryOf(config));
    let host: SessionHost;
    try {
      const engine = await this.deps.factory.create(config);
      this.refuseWhenFull(peer);
      host = await this.host(id, engine, 0, peer);
    } catch (e) {
      this.deps.budget?.release(id);
      throw e;
    }
    host.attach(peer);
    this.deps.logger.info({ sessionId: id, name: host.config.name, dim: host.config.dim, optimizer: host.config.optimizer.name, workers: host.config.workers, memoryBytes: host.memoryBytes }, 'session created');
    this.deps.metrics.sessionsOpened.inc({ kind: 'new' });
    this.notifyOpen(host, 0);
    return host;
  }

  /** Attaches `peer` to session `id`: live, or restored from its checkpoint. UNKNOWN_SESSION otherwise. */
  async attach(id: string, peer: Peer): Promise<SessionHost> {
    if (!isSessionId(id)) throw new FisherdError('UNKNOWN_SESSION', `"${id}" is not a session id (32 hex digits)`, { field: 'sessionId' });
    this.refuseWhenShuttingDown();
    await this.evicting.get(id);
    let host = this.live.get(id);
    if (host === undefined) {
      let pending = this.loading.get(id);
      if (pending === undefined) {
        pending = this.load(id, peer).finally(() => this.loading.delete(id));
        this.loading.set(id, pending);
      }
      host = await pending;
    }
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    this.discardOnEvict.delete(id);
    // The last client had closed it (its trace segment ended): record what follows in a new segment.
    if (host.needsNewSegment) await host.startSegment(await this.deps.recorder?.open(id, host.config));
    host.attach(peer);
    return host;
  }

  private async load(id: string, peer: Peer): Promise<SessionHost> {
    const snapshot = await this.deps.store.read(id);
    if (snapshot === undefined) {
      throw new FisherdError('UNKNOWN_SESSION', `no session ${id} here (never created, discarded, or its data directory is elsewhere)`, {
        field: 'sessionId',
      });
    }
    this.refuseWhenFull(peer);
    const engine = await this.deps.factory.restore(snapshot, id);
    this.deps.budget?.reserve(id, engine.memory);
    let host: SessionHost;
    try {
      host = await this.host(id, engine, engine.lastStep, peer);
    } catch (e) {
      this.deps.budget?.release(id);
      throw e;
    }
    this.deps.logger.info({ sessionId: id, name: engine.config.name, step: engine.lastStep }, 'session resumed from checkpoint');
    this.deps.metrics.sessionsOpened.inc({ kind: 'resumed' });
    this.notifyOpen(host, engine.lastStep);
    return host;
  }

  private async host(id: string, engine: Awaited<ReturnType<SessionEngineFactory['create']>>, checkpointedStep: number, owner: Peer): Promise<SessionHost> {
    const recording = await this.deps.recorder?.open(id, engine.config);
    try {
      // Another session may have taken the last place (or shutdown began) while the trace was opening.
      this.refuseWhenFull(owner);
    } catch (e) {
      await recording?.close();
      throw e;
    }
    const host = new SessionHost(id, engine, {
      options: this.options,
      store: this.deps.store,
      metrics: this.deps.metrics,
      logger: this.deps.logger,
      observer: this.deps.observer,
      recording,
      refreshPool: this.deps.refreshPool,
    }, checkpointedStep);
    this.live.set(id, host);
    this.owners.set(id, { connection: owner.id, address: owner.remoteAddress });
    this.deps.metrics.sessions.set(this.live.size);
    return host;
  }

  /**
   * Detaches `peer` from `host`. When it was the last connection, the session is checkpointed and its
   * eviction scheduled (`discard`: deleted instead of kept resumable; a discard while other connections
   * remain attached only detaches `peer` and keeps the session). Resolves, once that checkpoint is
   * written or failed, with the step on disk (what SessionClosed reports; with `discard`, the last step).
   * A failed checkpoint is also sent to `peer` (CHECKPOINT_FAILED, unsolicited), which the session no
   * longer counts among its connections.
   */
  async detach(host: SessionHost, peer: Peer, discard = false): Promise<number> {
    const remaining = host.detach(peer);
    if (remaining > 0) {
      if (discard) this.deps.logger.info({ sessionId: host.id, connection: peer.id, attached: remaining }, 'discard ignored: other connections still use the session; it is kept');
      return host.checkpointedStep;
    }
    if (this.live.get(host.id) !== host) return discard ? host.lastStep : host.checkpointedStep;
    if (discard) this.discardOnEvict.add(host.id);
    if (this.discardOnEvict.has(host.id)) {
      await this.evict(host);
      return host.lastStep;
    }
    await host.idle();
    const failure = await host.checkpoint();
    if (failure !== undefined) {
      this.deps.metrics.countError(failure.code);
      peer.send(errorMessage(failure, 0));
    }
    if (host.peerCount === 0) {
      // Its trace segment ends now, before the reply: the trace is complete while nobody uses the session.
      await host.endSegment();
      this.scheduleEviction(host);
    }
    return host.checkpointedStep;
  }

  private scheduleEviction(host: SessionHost): void {
    if (this.idleTimers.has(host.id) || this.shuttingDown) return;
    const timer = setTimeout(() => void this.evict(host), this.options.idleMs);
    timer.unref();
    this.idleTimers.set(host.id, timer);
  }

  /**
   * Takes an idle session out of memory: checkpoints it first and keeps it (retrying after `idleMs`)
   * when that fails; a discarded one is closed and its checkpoint deleted.
   */
  private evict(host: SessionHost): Promise<void> {
    const id = host.id;
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    if (host.peerCount > 0 || this.live.get(id) !== host) return Promise.resolve();
    const discard = this.discardOnEvict.has(id);
    const done = (async () => {
      let gone = false;
      try {
        if (!discard) {
          await host.idle();
          const failure = await host.checkpoint();
          if (failure !== undefined) {
            this.deps.logger.warn(
              { sessionId: id, lastStep: host.lastStep, onDisk: host.checkpointedStep, retryInMs: this.options.idleMs },
              'session kept in memory: its checkpoint failed',
            );
            if (host.peerCount === 0) this.scheduleEviction(host);
            return;
          }
          // A connection attached meanwhile keeps it; shutdown closes it itself.
          if (host.peerCount > 0 || this.shuttingDown) return;
        }
        gone = true;
        const outcome = await host.close(new FisherdError('UNKNOWN_SESSION', `session ${id} was closed`), this.options.drainTimeoutMs, discard);
        if (discard) await this.deps.store.remove(id);
        this.deps.logger.info({ sessionId: id, name: host.config.name, step: outcome.checkpointedStep, lastStep: outcome.lastStep, discarded: discard }, 'session evicted');
      } catch (e) {
        this.deps.logger.error({ err: e, sessionId: id }, 'session eviction failed');
      } finally {
        if (gone) {
          this.live.delete(id);
          this.owners.delete(id);
          this.deps.budget?.release(id);
          this.discardOnEvict.delete(id);
          this.deps.metrics.sessions.set(this.live.size);
        }
        this.evicting.delete(id);
      }
    })();
    this.evicting.set(id, done);
    return done;
  }

  /**
   * Stops accepting sessions, drains and checkpoints every live one. Resolves with the sessions whose
   * final checkpoint failed (logged here, with the steps lost); discarded sessions are not among them.
   */
  async shutdown(): Promise<ShutdownReport> {
    this.shuttingDown = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all(this.evicting.values()); // an eviction that checkpointed leaves the session to us
    const reason = new FisherdError('SHUTTING_DOWN', 'the daemon is shutting down; resume this session when it is back');
    const lost: CheckpointShortfall[] = [];
    await Promise.all([...this.live.values()].map(async (host) => {
      const outcome = await host.close(reason, this.options.drainTimeoutMs);
      if (this.discardOnEvict.has(host.id) && host.peerCount === 0) {
        await this.deps.store.remove(host.id);
        return;
      }
      if (outcome.failure === undefined) {
        this.deps.logger.info({ sessionId: host.id, step: outcome.checkpointedStep }, 'session checkpointed for shutdown');
        return;
      }
      const shortfall = shortfallOf(host, outcome.failure);
      lost.push(shortfall);
      this.deps.logger.error(
        { sessionId: host.id, lastStep: shortfall.lastStep, onDisk: shortfall.checkpointedStep },
        `final checkpoint failed: steps ${shortfall.checkpointedStep + 1}..${shortfall.lastStep} of session ${host.id} are lost; it resumes at step ${shortfall.checkpointedStep}`,
      );
    }));
    await Promise.all(this.evicting.values());
    return { lost };
  }

  private refuseWhenShuttingDown(): void {
    if (this.shuttingDown) throw new FisherdError('SHUTTING_DOWN', 'the daemon is shutting down and opens no sessions');
  }

  /** Refuses a new session in memory: shutting down, the daemon full, or `peer` over its quotas. */
  private refuseWhenFull(peer?: Peer): void {
    this.refuseWhenShuttingDown();
    if (this.live.size >= this.options.maxSessions) {
      throw new FisherdError('BACKPRESSURE', `the daemon holds its maximum of ${this.options.maxSessions} sessions; try again later`);
    }
    if (peer === undefined) return;
    const perConnection = this.options.maxSessionsPerConnection;
    const perAddress = this.options.maxSessionsPerAddress;
    let ofConnection = 0;
    let ofAddress = 0;
    for (const owner of this.owners.values()) {
      if (owner.connection === peer.id) ofConnection++;
      if (peer.remoteAddress !== undefined && owner.address === peer.remoteAddress) ofAddress++;
    }
    const advice = 'close a session with discard, or wait until idle ones are evicted (--session-idle-ms)';
    if (perConnection !== undefined && ofConnection >= perConnection) {
      throw new FisherdError(
        'BACKPRESSURE',
        `this connection holds ${ofConnection} sessions in memory, its maximum (--max-sessions-per-connection ${perConnection}); ${advice}`,
        { field: 'openSession' },
      );
    }
    if (perAddress !== undefined && peer.remoteAddress !== undefined && ofAddress >= perAddress) {
      throw new FisherdError(
        'BACKPRESSURE',
        `the connections from ${peer.remoteAddress} hold ${ofAddress} sessions in memory, their maximum (--max-sessions-per-address ${perAddress}); ${advice}`,
        { field: 'openSession' },
      );
    }
  }

  private notifyOpen(host: SessionHost, resumedStep: number): void {
    try {
      this.deps.observer?.onOpen?.({ sessionId: host.id, config: host.config, resumedStep });
    } catch (e) {
      this.deps.logger.error({ err: e, sessionId: host.id }, 'session observer threw');
    }
  }
}

function shortfallOf(host: SessionHost, failure: FisherdError): CheckpointShortfall {
  return { sessionId: host.id, lastStep: host.lastStep, checkpointedStep: host.checkpointedStep, reason: failure.message };
}
