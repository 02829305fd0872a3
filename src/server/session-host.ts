/**
 * One live session in the daemon: the connections attached to it, the assembly of each step's W worker
 * contributions, and its own rxjs pipeline that computes the steps one after another.
 *
 * Isolation: every session has its own `Subject` of jobs, drained by `concatMap`; each job runs in its
 * own `setImmediate` turn, so between two steps of one session the event loop serves every other
 * session and connection. A step's compute is synchronous and bounded by the session's size; a slow
 * session therefore delays others by at most one of its steps, never by its queue.
 *
 * Steps: the session's `StepAssembler` collects the W contributions of one step at a time (step order,
 * worker ids, duplicates); a complete step is queued for compute and the next one assembled, so a client
 * may pipeline steps. Bounded memory: the step being assembled may be at most `maxQueuedSteps` ahead of
 * the last computed step; beyond that a contribution is refused with BACKPRESSURE (and changes nothing).
 * A step still incomplete `workerTimeoutMs` after its first contribution is abandoned with WORKER_TIMEOUT
 * sent to every attached connection; the session stays at its last computed step and the workers may
 * send the step again.
 *
 * Recording (src/server/recording.ts): an assembled step's contributions go to the session's trace at
 * once (their writes overlap the compute); under every-record durability the update is sent only once
 * its append resolved, i.e. once the step is on disk. The next step of the session waits for that.
 *
 * Checkpoints (`checkpoint()`): every `checkpointEvery` steps, when the last connection leaves and when the
 * session closes. A failed write (disk full, I/O error) is counted (`fisherd_checkpoint_failures_total`),
 * logged and sent to every attached connection as CHECKPOINT_FAILED carrying the step on disk; the session
 * goes on in memory, and is checkpointed again at the first step completed `checkpointRetryMs` or more
 * after the failed attempt began (and whenever it closes) until a write succeeds. `checkpointFailure` says
 * whether the latest attempt failed (the daemon's /readyz turns 503 while one has), `checkpointedStep`
 * which step is on disk.
 *
 * Payload memory: the decoded payload arrays of a contribution (step-codec.ts `stepPayloadPool`) go back
 * to the pool when nothing reads them any more: after the step's update was sent and observers told, after
 * the step failed, or when the contribution was refused. The trace keeps the frame's bytes, never these
 * arrays, and a queued step holds its own arrays until it is done.
 */
import { Subject, Observable, concatMap, type Subscription } from 'rxjs';
import { performance } from 'node:perf_hooks';
import { FisherdError } from '../errors.js';
import type { Logger } from '../log.js';
import { estimatesToWire } from '../protocol/estimates-codec.js';
import { errorMessage, type ServerMessageInit } from '../protocol/frames.js';
import { releaseContribution, updateToWire } from '../protocol/step-codec.js';
import type { SessionConfig } from '../session/config.js';
import type { StepContribution } from '../session/contribution.js';
import { StepAssembler } from '../session/step-assembler.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { KroneckerRefreshPool } from './kronecker-refresh.js';
import type { PrecomputedRefresh } from '../curvature/estimator.js';
import type { DaemonMetrics } from './metrics.js';
import type { SessionRecording } from './recording.js';
import type { EstimatesQuery, SessionEngine, StepOutcome } from './session-engine.js';

/** A connection as a session sees it. */
export interface Peer {
  readonly id: number;
  /** The peer's remote address, for the per-address session quota (session-registry.ts); none for in-process peers. */
  readonly remoteAddress?: string | undefined;
  /**
   * Sends (or queues) a message. Never blocks: a peer that does not read its replies is paused or
   * closed by the connection (connection.ts, send-side backpressure), never waited for. The message's
   * arrays may be reused once `send` returns (an update's Δθ is: `SessionEngine.recycle`): a peer that
   * keeps a message keeps copies (the connection encodes it into a frame at once), or claims the update
   * array's memory (src/session/update-memory.ts: a frame built around Δθ), which holds off its reuse.
   */
  send(message: ServerMessageInit): void;
}

/**
 * Observes sessions without affecting them (the dashboard feed; trace recording, which must hold updates
 * back, is `SessionHostDeps.recording`). Called synchronously after the event; must not throw
 * (a throw is logged and ignored) and must not keep the contributions' arrays beyond the call unless it
 * copies them (they go back to the payload pool and hold a later step's rows).
 */
export interface SessionObserver {
  onOpen?(event: { sessionId: string; config: SessionConfig; resumedStep: number }): void;
  onStep?(event: {
    sessionId: string; config: SessionConfig; contributions: readonly StepContribution[]; outcome: StepOutcome;
    /** Reads the session's estimates as of this step (the dashboard samples them); call it only during the event. */
    estimates: SessionEngine['estimates'];
  }): void;
  /** `discarded`: the session is being deleted (CloseSession with discard), not kept resumable. */
  onClose?(event: { sessionId: string; lastStep: number; discarded: boolean }): void;
}

export interface SessionHostOptions {
  readonly checkpointEvery: number;
  readonly maxQueuedSteps: number;
  readonly workerTimeoutMs: number;
  /**
   * After a failed checkpoint, the least time in ms before the next step retries it (a failing disk is
   * not hammered at every step). Default `DEFAULT_CHECKPOINT_RETRY_MS` (1000).
   */
  readonly checkpointRetryMs?: number;
}

/** The default of `SessionHostOptions.checkpointRetryMs`. */
export const DEFAULT_CHECKPOINT_RETRY_MS = 1000;

/** How a session's close went, for the daemon's drain report. */
export interface SessionCloseOutcome {
  /** The last completed step (in memory). */
  readonly lastStep: number;
  /** The step the checkpoint on disk holds (0: none); less than `lastStep` when the final checkpoint failed. */
  readonly checkpointedStep: number;
  /** Why the final checkpoint failed (CHECKPOINT_FAILED), when it did. */
  readonly failure: FisherdError | undefined;
}

export interface SessionHostDeps {
  readonly options: SessionHostOptions;
  readonly store: CheckpointStore;
  readonly metrics: DaemonMetrics;
  readonly logger: Logger;
  readonly observer?: SessionObserver | undefined;
  /** The session's trace, when it is recorded. The host closes it when the session closes. */
  readonly recording?: SessionRecording | undefined;
  /** Threads for large Kronecker refreshes (kronecker-refresh.ts); absent: every refresh runs in its step. */
  readonly refreshPool?: KroneckerRefreshPool | undefined;
}

interface Contribution {
  readonly data: StepContribution;
  /** The StepContribution message as received, when the connection kept it (for the trace). */
  readonly raw: Uint8Array | undefined;
  readonly peer: Peer;
  readonly requestId: number;
}

type Job =
  | { kind: 'step'; step: number; contributions: Contribution[]; epoch: number; assembledAt: number }
  | { kind: 'estimates'; peer: Peer; requestId: number; query: EstimatesQuery };

export class SessionHost {
  readonly id: string;
  private readonly engine: SessionEngine;
  private readonly deps: SessionHostDeps;
  private readonly peers = new Set<Peer>();
  /** The trace of the current segment; undefined between a segment's end and the next attach (or unrecorded). */
  private recording: SessionRecording | undefined;
  /** Set when the last connection left and the segment was ended: the next attach opens a new one. */
  private segmentEnded: Promise<void> | undefined;
  private readonly assembler: StepAssembler;
  /** Who sent each worker's contribution to the step being assembled, to answer them. */
  private senders: (Contribution | undefined)[];
  private assemblyTimer: NodeJS.Timeout | undefined;
  /** Bumped when a step fails in compute: queued jobs of an older epoch are void. */
  private epoch = 0;
  private readonly jobs = new Subject<Job>();
  private readonly pipeline: Subscription;
  private queued = 0;
  private idleWaiters: (() => void)[] = [];
  private checkpointChain: Promise<FisherdError | undefined> = Promise.resolve(undefined);
  /** The step on disk (0: nothing written yet). */
  private written: number;
  /** The step of the latest checkpoint started (written or not). */
  private attempted: number;
  /** The failure of the latest checkpoint attempt, while it is the latest. */
  private failure: FisherdError | undefined;
  /** performance.now() before which a step does not retry a failed checkpoint. */
  private retryAt = 0;
  private closing: Promise<SessionCloseOutcome> | undefined;
  /** Set once close() has made its final checkpoint attempt: no write starts after it. */
  private closed = false;
  private accepting = true;

  constructor(id: string, engine: SessionEngine, deps: SessionHostDeps, checkpointedStep = 0) {
    this.id = id;
    this.engine = engine;
    this.deps = deps;
    this.assembler = new StepAssembler(engine.workers, engine.lastStep + 1);
    this.senders = new Array<Contribution | undefined>(engine.workers).fill(undefined);
    this.written = checkpointedStep;
    this.attempted = checkpointedStep;
    this.pipeline = this.jobs.pipe(concatMap((job) => this.runSoon(job))).subscribe();
    this.recording = deps.recording;
    this.listenTo(this.recording);
  }

  get config(): SessionConfig {
    return this.engine.config;
  }

  get lastStep(): number {
    return this.engine.lastStep;
  }

  /** The memory the session holds (its reservation against the daemon's budget). */
  get memoryBytes(): number {
    return this.engine.memory.bytes;
  }

  /** How many estimates the session keeps (each a D-length diagonal in an estimates reply). */
  get trackedEstimates(): number {
    return this.engine.trackedEstimates;
  }

  /** The update of `lastStep`, when known (the session keeps it, in checkpoints too). */
  get lastUpdateMessage(): ServerMessageInit['update'] | undefined {
    const outcome = this.engine.lastOutcome;
    return outcome === undefined ? undefined : updateToWire({ sessionId: this.id, ...outcome });
  }

  /**
   * Ends the current trace segment (end record, synced) once the queued steps are done, so that a trace is
   * complete as soon as its last client closed (`fisherd trace verify` says intact at once). The next
   * `attach` opens a new segment (`needsNewSegment`). No-op for an unrecorded session.
   */
  endSegment(): Promise<void> {
    const recording = this.recording;
    if (recording === undefined) return this.segmentEnded ?? Promise.resolve();
    this.recording = undefined;
    this.segmentEnded = this.idle().then(() => recording.close());
    return this.segmentEnded;
  }

  /** True while the session's steps go to a trace (a contribution's received bytes are then worth keeping). */
  get recorded(): boolean {
    return this.recording !== undefined;
  }

  /** True when the segment was ended and nothing is recording: the registry opens a new one on attach. */
  get needsNewSegment(): boolean {
    return this.segmentEnded !== undefined && this.recording === undefined;
  }

  /** Records the following steps in `recording` (a new segment of the same trace), after the ended one closed. */
  async startSegment(recording: SessionRecording | undefined): Promise<void> {
    await this.segmentEnded;
    this.segmentEnded = undefined;
    this.recording = recording;
    this.listenTo(recording);
  }

  private listenTo(recording: SessionRecording | undefined): void {
    recording?.onFailure((error) => {
      for (const peer of this.peers) this.sendError(peer, error, 0);
    });
  }

  get peerCount(): number {
    return this.peers.size;
  }

  /** The step the session's checkpoint on disk holds (0: none written yet). */
  get checkpointedStep(): number {
    return this.written;
  }

  /** CHECKPOINT_FAILED while the latest checkpoint attempt has failed; undefined otherwise. */
  get checkpointFailure(): FisherdError | undefined {
    return this.failure;
  }

  /**
   * Attaches a connection; it hears at once if this session's recording has stopped on a failure, or if
   * its latest checkpoint failed.
   */
  attach(peer: Peer): void {
    this.peers.add(peer);
    const recordingFailure = this.recording?.failure;
    if (recordingFailure !== undefined) this.sendError(peer, recordingFailure, 0);
    if (this.failure !== undefined) this.sendError(peer, this.failure, 0);
  }

  /** Detaches a connection; returns how many remain. Its partial contributions stay (the timeout covers them). */
  detach(peer: Peer): number {
    this.peers.delete(peer);
    return this.peers.size;
  }

  // ---- contributions -------------------------------------------------------------------------------

  /**
   * Accepts one worker's contribution or throws a FisherdError for the sender (the session is unchanged).
   * `raw`: the StepContribution message as received (a view of the frame), recorded as it is when the
   * session is recorded; without it the recording encodes `data` again.
   */
  contribute(peer: Peer, requestId: number, data: StepContribution, raw?: Uint8Array): void {
    const step = data.step;
    if (!this.accepting) throw new FisherdError('SHUTTING_DOWN', 'the daemon is shutting down and accepts no new steps', { step });
    const ahead = this.assembler.step - this.engine.lastStep;
    if (step === this.assembler.step && ahead > this.deps.options.maxQueuedSteps) {
      throw new FisherdError(
        'BACKPRESSURE',
        `step ${step} would be ${ahead} steps ahead of the last computed step ${this.engine.lastStep} (limit ${this.deps.options.maxQueuedSteps}); wait for updates before sending more`,
        { step },
      );
    }
    let complete: boolean;
    try {
      if (step === this.assembler.step) this.engine.check(data);
      complete = this.assembler.add(data); // STEP_OUT_OF_ORDER, BAD_WORKER; a throw changes nothing
    } catch (e) {
      releaseContribution(data); // refused: nobody holds it
      throw e;
    }
    this.senders[data.workerId] = { data, raw, peer, requestId };
    if (this.assemblyTimer === undefined) {
      this.assemblyTimer = setTimeout(() => this.timeOut(), this.deps.options.workerTimeoutMs);
      this.assemblyTimer.unref();
    }
    if (complete) {
      const senders = this.senders as Contribution[];
      this.clearAssembly();
      this.assembler.take();
      this.enqueue({ kind: 'step', step, contributions: senders, epoch: this.epoch, assembledAt: performance.now() });
      // Written while the step waits for and runs its compute (which starts in a later event-loop turn).
      this.recording?.recordContributions(senders, step);
    }
  }

  private clearAssembly(): void {
    clearTimeout(this.assemblyTimer);
    this.assemblyTimer = undefined;
    this.senders = new Array<Contribution | undefined>(this.engine.workers).fill(undefined);
  }

  /** Abandons the step being assembled; tells every attached connection. */
  private timeOut(): void {
    const step = this.assembler.step;
    const missing = this.assembler.missingWorkers();
    const error = new FisherdError(
      'WORKER_TIMEOUT',
      `step ${step} abandoned: worker${missing.length === 1 ? '' : 's'} ${missing.join(', ')} did not contribute within ${this.deps.options.workerTimeoutMs} ms; send step ${step} again`,
      { step },
    );
    this.deps.logger.warn({ sessionId: this.id, step, missing }, 'worker timeout');
    this.abandonAssembly(error, step);
  }

  /** Drops the partial step, answers each of its contributions with `error`, the other peers once; assembles `next`. */
  private abandonAssembly(error: FisherdError, next: number): void {
    const told = new Set<Peer>();
    for (const c of this.senders) {
      if (c === undefined) continue;
      this.sendError(c.peer, error, c.requestId);
      told.add(c.peer);
    }
    if (error.code === 'WORKER_TIMEOUT' || error.code === 'SHUTTING_DOWN') {
      for (const peer of this.peers) if (!told.has(peer)) this.sendError(peer, error, 0);
    }
    this.clearAssembly();
    this.assembler.reset(next);
  }

  // ---- estimates -----------------------------------------------------------------------------------

  /** Queues an estimates request behind the steps already assembled, so it sees them. */
  requestEstimates(peer: Peer, requestId: number, query: EstimatesQuery): void {
    if (this.queued > 2 * this.deps.options.maxQueuedSteps) {
      throw new FisherdError('BACKPRESSURE', `the session has ${this.queued} jobs queued; ask for estimates again later`);
    }
    this.enqueue({ kind: 'estimates', peer, requestId, query });
  }

  // ---- the pipeline --------------------------------------------------------------------------------

  private enqueue(job: Job): void {
    this.queued++;
    this.jobs.next(job);
  }

  /**
   * Runs a job in its own event-loop turn (setImmediate), so other sessions get served in between. A
   * step held for its trace append ends when its update is sent.
   */
  private runSoon(job: Job): Observable<void> {
    return new Observable<void>((subscriber) => {
      const failed = (e: unknown): void => this.deps.logger.error({ err: e, sessionId: this.id }, 'session job failed');
      const finish = (): void => {
        this.queued--;
        if (this.queued === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        subscriber.complete();
      };
      const handle = setImmediate(() => {
        let held: Promise<void> | undefined;
        try {
          if (job.kind === 'step') held = this.runStep(job);
          else this.runEstimates(job);
        } catch (e) {
          failed(e);
        }
        if (held === undefined) finish();
        else held.catch(failed).finally(finish);
      });
      return () => clearImmediate(handle);
    });
  }

  /**
   * Computes a step; sends its update now, or once the trace holds it (the promise) under every-record.
   * A step that makes large Kronecker refreshes due first has them decomposed in the refresh threads
   * (the promise): this session's queue waits for them, the event loop (every other session) does not.
   * Should the threads fail, the step decomposes them itself.
   */
  private runStep(job: Extract<Job, { kind: 'step' }>): Promise<void> | undefined {
    const pool = this.deps.refreshPool;
    if (pool === undefined || job.epoch !== this.epoch) return this.computeStep(job, []);
    const jobs = this.engine.refreshJobs(job.contributions.map((c) => c.data)).filter((r) => pool.offloads(r.job));
    if (jobs.length === 0) return this.computeStep(job, []);
    const started = performance.now();
    return Promise.all(jobs.map(async (r): Promise<PrecomputedRefresh> =>
      ({ estimate: r.estimate, block: r.block, decomposition: await pool.decompose(r.job, this.engine.backendName) })))
      .then(
        (precomputed) => {
          this.deps.logger.debug({ sessionId: this.id, step: job.step, refreshes: jobs.length, ms: performance.now() - started }, 'Kronecker refreshes done in threads');
          return precomputed;
        },
        (e: unknown) => {
          this.deps.logger.warn({ err: e, sessionId: this.id, step: job.step }, 'Kronecker refresh threads failed; the step refreshes itself');
          return [];
        },
      )
      .then((precomputed) => this.computeStep(job, precomputed));
  }

  private computeStep(job: Extract<Job, { kind: 'step' }>, precomputed: readonly PrecomputedRefresh[]): Promise<void> | undefined {
    if (job.epoch !== this.epoch) {
      const error = new FisherdError('STEP_OUT_OF_ORDER', `step ${job.step} discarded: an earlier step failed; send it again after that one`, { step: job.step });
      for (const c of job.contributions) this.sendError(c.peer, error, c.requestId);
      this.release(job);
      return undefined;
    }
    let outcome: StepOutcome;
    try {
      outcome = this.engine.step(job.contributions.map((c) => c.data), precomputed);
    } catch (e) {
      for (const c of job.contributions) this.sendError(c.peer, e, c.requestId);
      // The session is unchanged; every later queued or partial step now skips a step.
      this.epoch++;
      const discarded = new FisherdError('STEP_OUT_OF_ORDER', `step ${job.step} failed; later steps were discarded, send them again`, { step: job.step });
      this.abandonAssembly(discarded, this.engine.lastStep + 1);
      this.release(job);
      return undefined;
    }
    const update = updateToWire({ sessionId: this.id, ...outcome });
    const recorded = this.recording?.recordUpdate(update, outcome.step);
    if (recorded === undefined) {
      this.deliver(job, outcome, update);
      return undefined;
    }
    return recorded.then(() => this.deliver(job, outcome, update));
  }

  /** Sends a computed step's update to its contributors and every other attached connection. */
  private deliver(job: Extract<Job, { kind: 'step' }>, outcome: StepOutcome, update: NonNullable<ServerMessageInit['update']>): void {
    const answered = new Set<Peer>();
    for (const c of job.contributions) {
      c.peer.send({ requestId: c.requestId, update });
      answered.add(c.peer);
    }
    for (const peer of this.peers) if (!answered.has(peer)) peer.send({ requestId: 0, update });
    const labels = { optimizer: this.engine.optimizerName };
    this.deps.metrics.stepsTotal.inc(labels);
    this.deps.metrics.stepDuration.observe(labels, (performance.now() - job.assembledAt) / 1000);
    this.notify('onStep', () => this.deps.observer?.onStep?.({
      sessionId: this.id, config: this.engine.config, contributions: job.contributions.map((c) => c.data), outcome,
      estimates: (query) => this.engine.estimates(query),
    }));
    this.release(job);
    // Every frame of this update is encoded (the observers ran synchronously): its Δθ can be written over once
    // no frame built around it is still being sent (the session waits for those: update-memory.ts).
    this.engine.recycle(outcome);
    const every = this.deps.options.checkpointEvery;
    const retry = this.failure !== undefined && performance.now() >= this.retryAt;
    if ((every > 0 && outcome.step % every === 0) || retry) void this.checkpoint();
  }

  /** Gives a finished step's payload arrays back to the pool (the session and observers are done with them). */
  private release(job: Extract<Job, { kind: 'step' }>): void {
    for (const c of job.contributions) releaseContribution(c.data);
  }

  private runEstimates(job: Extract<Job, { kind: 'estimates' }>): void {
    try {
      const estimates = this.engine.estimates(job.query);
      job.peer.send({ requestId: job.requestId, estimates: estimatesToWire({ sessionId: this.id, ...estimates }) });
    } catch (e) {
      this.sendError(job.peer, e, job.requestId);
    }
  }

  // ---- checkpoints and shutdown --------------------------------------------------------------------

  /**
   * Snapshots the session now (synchronously, so the checkpoint is exactly this step) and writes it after
   * any earlier checkpoint write. Resolves, never rejects, once written: with undefined when the step on
   * disk is now the one snapshotted, or with the CHECKPOINT_FAILED error when the write failed (already
   * counted, logged and sent to the attached connections). A call at a step already on disk or being
   * written, or after the session closed (its final attempt was the last), starts nothing and resolves
   * with the latest attempt's outcome.
   */
  checkpoint(): Promise<FisherdError | undefined> {
    const step = this.engine.lastStep;
    if (this.closed) return this.checkpointChain;
    if (step === this.attempted && (step === this.written || this.failure === undefined)) return this.checkpointChain;
    this.attempted = step;
    this.retryAt = performance.now() + (this.deps.options.checkpointRetryMs ?? DEFAULT_CHECKPOINT_RETRY_MS);
    const started = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = this.engine.snapshot(this.id);
    } catch (e) {
      const failed = this.checkpointFailed(step, e);
      this.checkpointChain = this.checkpointChain.then(() => failed);
      return this.checkpointChain;
    }
    this.checkpointChain = this.checkpointChain
      .then(() => this.deps.store.write(this.id, bytes))
      .then(
        () => {
          this.written = Math.max(this.written, step);
          this.deps.metrics.checkpointsTotal.inc();
          this.deps.metrics.checkpointDuration.observe((performance.now() - started) / 1000);
          if (this.failure !== undefined) {
            this.failure = undefined;
            this.deps.logger.info({ sessionId: this.id, step }, 'checkpoint written again after failures');
          } else {
            this.deps.logger.debug({ sessionId: this.id, step, bytes: bytes.byteLength }, 'checkpoint written');
          }
          return undefined;
        },
        (e: unknown) => this.checkpointFailed(step, e),
      );
    return this.checkpointChain;
  }

  /** Records a failed checkpoint of `step`: the metric, the log, and CHECKPOINT_FAILED to every attached connection. */
  private checkpointFailed(step: number, cause: unknown): FisherdError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const onDisk = this.written === 0
      ? 'no checkpoint of this session is on disk yet, so a restart would lose it'
      : `the checkpoint on disk holds step ${this.written}, where a restart would resume`;
    const error = new FisherdError(
      'CHECKPOINT_FAILED',
      `checkpoint of step ${step} failed (${reason}); ${onDisk}. The session goes on in memory and is checkpointed again at the next steps and when it closes`,
      { step: this.written, cause },
    );
    this.failure = error;
    this.deps.metrics.checkpointFailures.inc();
    this.deps.logger.error({ err: cause, sessionId: this.id, step, onDisk: this.written }, 'checkpoint failed');
    for (const peer of this.peers) this.sendError(peer, error, 0);
    return error;
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops accepting steps (partial ones are answered with `reason`), lets the queued steps finish (up to
   * `drainTimeoutMs`), checkpoints, ends the pipeline and closes the trace (after the checkpoint).
   * Resolves with what is on disk (the final checkpoint's failure included); a second call returns the
   * first one's promise.
   */
  close(reason: FisherdError, drainTimeoutMs: number, discarded = false): Promise<SessionCloseOutcome> {
    this.closing ??= this.closeNow(reason, drainTimeoutMs, discarded);
    return this.closing;
  }

  private async closeNow(reason: FisherdError, drainTimeoutMs: number, discarded: boolean): Promise<SessionCloseOutcome> {
    this.accepting = false;
    this.abandonAssembly(reason, this.assembler.step);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), drainTimeoutMs);
    });
    const result = await Promise.race([this.idle().then(() => 'idle' as const), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') this.deps.logger.warn({ sessionId: this.id, queued: this.queued }, 'drain timed out; checkpointing what is done');
    this.pipeline.unsubscribe();
    this.jobs.complete();
    const final = this.checkpoint();
    this.closed = true;
    const failure = await final;
    await this.segmentEnded;
    await this.recording?.close();
    this.notify('onClose', () => this.deps.observer?.onClose?.({ sessionId: this.id, lastStep: this.engine.lastStep, discarded }));
    return { lastStep: this.engine.lastStep, checkpointedStep: this.written, failure };
  }

  private sendError(peer: Peer, error: unknown, requestId: number): void {
    if (error instanceof FisherdError) this.deps.metrics.countError(error.code);
    else {
      this.deps.metrics.countError('INTERNAL');
      this.deps.logger.error({ err: error, sessionId: this.id }, 'internal error');
    }
    peer.send(errorMessage(error, requestId));
  }

  private notify(what: string, call: () => void): void {
    try {
      call();
    } catch (e) {
      this.deps.logger.error({ err: e, sessionId: this.id, observer: what }, 'session observer threw');
    }
  }
}
