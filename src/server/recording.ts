/**
 * Trace recording by the daemon (docs/trace-format.md): which sessions are recorded and where, and one
 * `SessionRecording` per recorded session that feeds src/trace's `TraceWriter`.
 *
 * What is recorded: each step's W StepContribution messages, as the bytes the client sent, once the step
 * is assembled (all W accepted, in worker order, so that a step abandoned by WORKER_TIMEOUT leaves no
 * partial step in the trace), and each Update the session sends, encoded once for the trace. Appends
 * start at once: the contributions are written (and, under every-record, synced) while the step computes.
 *
 * Durability (`--record-durability`): under `every-record` the session awaits the update's append, so an
 * update leaves the daemon only once its step is on disk (fdatasync returned). Under `periodic` and
 * `on-close` the update is sent without waiting: a kill -9 may then lose the records still in flight.
 *
 * Failures (disk full, I/O error) never reach the session: the recording logs the error, counts it in
 * `fisherd_trace_errors_total`, tells the session's clients once (a RECORDING_FAILED error frame on field
 * "record", naming the step and the trace) and stops; the session and every other session go on.
 */
import { join } from 'node:path';
import { Counter } from 'prom-client';
import { FisherdError } from '../errors.js';
import type { Logger } from '../log.js';
import { sessionConfigToWire } from '../protocol/config-codec.js';
import { wire, type ServerMessageInit } from '../protocol/frames.js';
import { contributionToWire } from '../protocol/step-codec.js';
import type { SessionConfig } from '../session/config.js';
import type { StepContribution } from '../session/contribution.js';
import { sessionTraceDir } from '../trace/segment-files.js';
import { readFields, WIRE_LEN } from '../trace/wire.js';
import { TraceWriter, type DurabilityPolicy, type TraceHeaderInit } from '../trace/writer.js';
import type { DaemonMetrics } from './metrics.js';
import type { ServeOptions } from './options.js';

/** The part of `TraceWriter` a recording uses (tests substitute a failing one). */
export interface TraceSink {
  readonly dir: string;
  appendContribution(bytes: Uint8Array): Promise<void>;
  appendUpdate(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Opens a session's trace directory for appending: `TraceWriter.open` unless a test says otherwise. */
export type TraceSinkOpener = (dir: string, header: TraceHeaderInit, policy: DurabilityPolicy, logger: Logger) => Promise<TraceSink>;

const openTraceWriter: TraceSinkOpener = (dir, header, policy, logger) => TraceWriter.open(dir, header, policy, { logger });

export interface RecordingOptions {
  /** Record every session under `recordDir/SESSION_ID` (--record-dir). Undefined: only sessions whose config sets `record`. */
  readonly recordDir: string | undefined;
  /** Sessions that ask for `record` without a --record-dir are recorded under `dataDir/traces/SESSION_ID`. */
  readonly dataDir: string;
  readonly policy: DurabilityPolicy;
}

/** The durability policy the serve options describe (--record-durability, --record-sync-every, --record-sync-ms). */
export function durabilityPolicyOf(options: Pick<ServeOptions, 'recordDurability' | 'recordSyncEvery' | 'recordSyncMs'>): DurabilityPolicy {
  if (options.recordDurability !== 'periodic') return { sync: options.recordDurability };
  return {
    sync: 'periodic',
    ...(options.recordSyncEvery > 0 ? { everyRecords: options.recordSyncEvery } : {}),
    ...(options.recordSyncMs > 0 ? { everyMs: options.recordSyncMs } : {}),
  };
}

export function recordingOptionsOf(options: ServeOptions): RecordingOptions {
  return { recordDir: options.recordDir, dataDir: options.dataDir, policy: durabilityPolicyOf(options) };
}

/** Where session `sessionId` is recorded, or undefined when it is not. */
export function traceDirOf(options: RecordingOptions, sessionId: string, config: SessionConfig): string | undefined {
  if (options.recordDir !== undefined) return sessionTraceDir(options.recordDir, sessionId);
  return config.record === true ? sessionTraceDir(join(options.dataDir, 'traces'), sessionId) : undefined;
}

/**
 * The StepContribution bytes inside a ClientMessage frame (field 4, `step`): a view of the frame, no
 * copy. For the connection to hand the session the contribution exactly as received. Undefined when the
 * frame holds no step (or does not parse).
 */
export function stepContributionBytes(frame: Uint8Array): Uint8Array | undefined {
  const STEP_FIELD = 4; // proto/fisherd.proto: ClientMessage.step
  try {
    for (const f of readFields(frame)) if (f.field === STEP_FIELD && f.wireType === WIRE_LEN) return f.bytes;
  } catch {
    return undefined;
  }
  return undefined;
}

/** One contribution as the session host holds it: decoded, and the bytes received when the connection kept them. */
export interface ReceivedContribution {
  readonly data: StepContribution;
  readonly raw?: Uint8Array | undefined;
}

/** The daemon's recorder: decides which sessions are recorded and opens their traces. */
export class SessionRecorder {
  private readonly errors: Counter<'stage'>;
  private readonly openSink: TraceSinkOpener;

  constructor(
    readonly options: RecordingOptions,
    private readonly deps: {
      readonly metrics: DaemonMetrics;
      readonly logger: Logger;
      /** The daemon's backend name, written for sessions that ask for 'auto'. */
      readonly backend: string;
      readonly openSink?: TraceSinkOpener | undefined;
    },
  ) {
    this.openSink = deps.openSink ?? openTraceWriter;
    this.errors = new Counter({
      name: 'fisherd_trace_errors_total',
      help: 'Trace recording failures (each stops the recording of its session), by stage: open, append, close',
      labelNames: ['stage'] as const,
      registers: [deps.metrics.registry],
    });
  }

  /**
   * Starts recording session `sessionId` when it is recorded (resumed sessions append to the same trace
   * directory: the writer recovers its last segment and starts a new one). Never throws: a trace that
   * cannot be opened gives a recording that has already failed, whose clients are told when they attach.
   */
  async open(sessionId: string, config: SessionConfig): Promise<SessionRecording | undefined> {
    const dir = traceDirOf(this.options, sessionId, config);
    if (dir === undefined) return undefined;
    const backend = config.backend !== undefined && config.backend !== 'auto' ? config.backend : this.deps.backend;
    const header: TraceHeaderInit = {
      sessionId,
      sessionConfig: wire.SessionConfig.encode(sessionConfigToWire(config)).finish(),
      backend,
    };
    const logger = this.deps.logger.child({ sessionId, trace: dir });
    const recording = new SessionRecording(dir, this.options.policy, logger, (stage) => this.errors.inc({ stage }));
    try {
      recording.start(await this.openSink(dir, header, this.options.policy, logger));
      logger.info({ durability: this.options.policy.sync, backend }, 'recording session');
    } catch (e) {
      recording.fail('open', e, undefined);
    }
    return recording;
  }
}

/**
 * One session's trace while the session is live. Its methods never throw and never reject: a failure
 * stops the recording (see the module comment) and is reported through `onFailure`.
 */
export class SessionRecording {
  private sink: TraceSink | undefined;
  private failureValue: FisherdError | undefined;
  private failureListener: ((error: FisherdError) => void) | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    readonly policy: DurabilityPolicy,
    private readonly logger: Logger,
    private readonly countError: (stage: 'open' | 'append' | 'close') => void,
  ) {}

  /** True when the session must await `recordUpdate` before sending the update (every-record). */
  get holdsUpdates(): boolean {
    return this.policy.sync === 'every-record';
  }

  /** What clients are told once recording stopped on a failure; undefined while it works. */
  get failure(): FisherdError | undefined {
    return this.failureValue;
  }

  /** `listener` hears of the failure that stops the recording (once). */
  onFailure(listener: (error: FisherdError) => void): void {
    this.failureListener = listener;
  }

  /** @internal Called by `SessionRecorder.open` with the opened trace. */
  start(sink: TraceSink): void {
    this.sink = sink;
  }

  /** Appends the W contributions of an assembled step, in worker order. */
  recordContributions(contributions: readonly ReceivedContribution[], step: number): void {
    const sink = this.sink;
    if (sink === undefined || this.failureValue !== undefined) return;
    for (const c of contributions) {
      // Without the received bytes (a connection that did not keep them), the same message is encoded again.
      const bytes = c.raw ?? wire.StepContribution.encode(contributionToWire(c.data)).finish(true);
      sink.appendContribution(bytes).catch((e: unknown) => this.fail('append', e, step));
    }
  }

  /**
   * Appends the update of `step` (encoded here, once). Resolves when the append settled (under
   * every-record: the step is on disk, or the recording failed and the clients were told); undefined
   * when there is nothing to wait for.
   */
  recordUpdate(update: NonNullable<ServerMessageInit['update']>, step: number): Promise<void> | undefined {
    const sink = this.sink;
    if (sink === undefined || this.failureValue !== undefined) return undefined;
    const appended = sink.appendUpdate(wire.Update.encode(update).finish(true)).catch((e: unknown) => this.fail('append', e, step));
    return this.holdsUpdates ? appended : undefined;
  }

  /** Closes the trace (end record, sync). Idempotent; resolves when done, also after a failure. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const sink = this.sink;
      this.sink = undefined;
      if (sink === undefined) return;
      try {
        await sink.close();
        this.logger.info('trace closed');
      } catch (e) {
        // After a failure the writer refuses everything, its close included: nothing more to report.
        if (this.failureValue === undefined) this.fail('close', e, undefined);
      }
    })();
    return this.closing;
  }

  /** @internal Stops recording after a failure: logged, counted, reported once. */
  fail(stage: 'open' | 'append' | 'close', cause: unknown, step: number | undefined): void {
    if (this.failureValue !== undefined) return;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const at = step === undefined ? '' : ` at step ${step}`;
    const what = stage === 'open' ? 'could not be opened' : stage === 'close' ? 'could not be closed' : `failed${at}`;
    this.failureValue = new FisherdError(
      'RECORDING_FAILED',
      `recording the trace of this session in ${this.dir} ${what} (${reason}); the session goes on without recording` +
        (stage === 'append' ? ` and the trace ends before step ${step}` : ''),
      { field: 'record', ...(step === undefined ? {} : { step }), cause },
    );
    this.countError(stage);
    this.logger.error({ err: cause, stage, step }, 'trace recording failed; the session goes on without recording');
    this.failureListener?.(this.failureValue);
  }
}
