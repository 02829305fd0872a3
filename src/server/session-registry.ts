/**
 * The daemon's sessions: creates them, attaches connections to them (a joining worker, a reconnecting
 * client, or a resume after a restart from the last checkpoint on disk), and retires them.
 *
 * Lifetime: a session stays in memory while connections are attached. When the last one leaves, the
 * session is checkpointed at once and evicted after `idleMs` (a client that reconnects within that time
 * finds it live, with its last update); after eviction it resumes from the checkpoint, bit-identically.
 * Attaching to a session that is being evicted waits for the eviction and then loads the checkpoint.
 *
 * Recording: a recorded session's trace is opened before the session is live (a resumed one appends to
 * the same trace directory, in a new segment) and closed when it is evicted or the daemon shuts down.
 */
import { FisherdError } from '../errors.js';
import type { Logger } from '../log.js';
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
}

export class SessionRegistry {
  private readonly live = new Map<string, SessionHost>();
  private readonly loading = new Map<string, Promise<SessionHost>>();
  private readonly evicting = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly discardOnEvict = new Set<string>();
  private shuttingDown = false;

  constructor(
    private readonly options: SessionRegistryOptions,
    private readonly deps: SessionRegistryDeps,
  ) {}

  get size(): number {
    return this.live.size;
  }

  /** Creates a session from `config` (validated by the session) and attaches `peer`. */
  async create(config: SessionConfig, peer: Peer): Promise<SessionHost> {
    this.refuseWhenFull();
    // Validated against the limits and reserved before anything is allocated for it.
    const id = newSessionId();
    this.deps.budget?.reserve(id, this.deps.factory.memoryOf(config));
    let host: SessionHost;
    try {
      const engine = await this.deps.factory.create(config);
      this.refuseWhenFull();
      host = await this.host(id, engine, 0);
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
        pending = this.load(id).finally(() => this.loading.delete(id));
        this.loading.set(id, pending);
      }
      host = await pending;
    }
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    this.discardOnEvict.delete(id);
    host.attach(peer);
    return host;
  }

  private async load(id: string): Promise<SessionHost> {
    const snapshot = await this.deps.store.read(id);
    if (snapshot === undefined) {
      throw new FisherdError('UNKNOWN_SESSION', `no session ${id} here (never created, discarded, or its data directory is elsewhere)`, {
        field: 'sessionId',
      });
    }
    this.refuseWhenFull();
    const engine = await this.deps.factory.restore(snapshot);
    this.deps.budget?.reserve(id, engine.memory);
    let host: SessionHost;
    try {
      host = await this.host(id, engine, engine.lastStep);
    } catch (e) {
      this.deps.budget?.release(id);
      throw e;
    }
    this.deps.logger.info({ sessionId: id, name: engine.config.name, step: engine.lastStep }, 'session resumed from checkpoint');
    this.deps.metrics.sessionsOpened.inc({ kind: 'resumed' });
    this.notifyOpen(host, engine.lastStep);
    return host;
  }

  private async host(id: string, engine: Awaited<ReturnType<SessionEngineFactory['create']>>, checkpointedStep: number): Promise<SessionHost> {
    const recording = await this.deps.recorder?.open(id, engine.config);
    if (this.live.size >= this.options.maxSessions || this.shuttingDown) {
      // Another session took the last place (or shutdown began) while the trace was opening.
      await recording?.close();
      this.refuseWhenFull();
    }
    const host = new SessionHost(id, engine, {
      options: this.options,
      store: this.deps.store,
      metrics: this.deps.metrics,
      logger: this.deps.logger,
      observer: this.deps.observer,
      recording,
    }, checkpointedStep);
    this.live.set(id, host);
    this.deps.metrics.sessions.set(this.live.size);
    return host;
  }

  /**
   * Detaches `peer` from `host`. When it was the last connection, the session is checkpointed and its
   * eviction scheduled (`discard`: deleted instead of kept resumable). Resolves with the last step once
   * the checkpoint is written.
   */
  async detach(host: SessionHost, peer: Peer, discard = false): Promise<number> {
    if (discard) this.discardOnEvict.add(host.id);
    if (host.detach(peer) > 0 || this.live.get(host.id) !== host) return host.lastStep;
    if (this.discardOnEvict.has(host.id)) {
      await this.evict(host);
      return host.lastStep;
    }
    await host.idle();
    await host.checkpoint();
    if (host.peerCount === 0 && !this.idleTimers.has(host.id)) {
      const timer = setTimeout(() => void this.evict(host), this.options.idleMs);
      timer.unref();
      this.idleTimers.set(host.id, timer);
    }
    return host.lastStep;
  }

  private evict(host: SessionHost): Promise<void> {
    const id = host.id;
    clearTimeout(this.idleTimers.get(id));
    this.idleTimers.delete(id);
    if (host.peerCount > 0 || this.live.get(id) !== host) return Promise.resolve();
    const discard = this.discardOnEvict.has(id);
    const done = (async () => {
      try {
        await host.close(new FisherdError('UNKNOWN_SESSION', `session ${id} was closed`), this.options.drainTimeoutMs, discard);
        if (discard) await this.deps.store.remove(id);
      } catch (e) {
        this.deps.logger.error({ err: e, sessionId: id }, 'session eviction failed');
      } finally {
        this.live.delete(id);
        this.deps.budget?.release(id);
        this.discardOnEvict.delete(id);
        this.deps.metrics.sessions.set(this.live.size);
        this.evicting.delete(id);
        this.deps.logger.info({ sessionId: id, name: host.config.name, step: host.lastStep, discarded: discard }, 'session evicted');
      }
    })();
    this.evicting.set(id, done);
    return done;
  }

  /** Stops accepting sessions, drains and checkpoints every live one. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    const reason = new FisherdError('SHUTTING_DOWN', 'the daemon is shutting down; resume this session when it is back');
    await Promise.all([...this.live.values()].map(async (host) => {
      await host.close(reason, this.options.drainTimeoutMs);
      if (this.discardOnEvict.has(host.id) && host.peerCount === 0) await this.deps.store.remove(host.id);
    }));
    await Promise.all(this.evicting.values());
  }

  private refuseWhenShuttingDown(): void {
    if (this.shuttingDown) throw new FisherdError('SHUTTING_DOWN', 'the daemon is shutting down and opens no sessions');
  }

  private refuseWhenFull(): void {
    this.refuseWhenShuttingDown();
    if (this.live.size >= this.options.maxSessions) {
      throw new FisherdError('BACKPRESSURE', `the daemon holds its maximum of ${this.options.maxSessions} sessions; try again later`);
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
