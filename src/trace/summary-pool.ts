/**
 * Worker threads that read, check and summarize the contribution records of a trace (`Session.summarize`:
 * a step's rows reduced to D-vectors), so that the reading of b·D rows per step, the expensive part of a
 * replay, runs on every core, several steps at once, while the main thread only walks the frame headers
 * (`TraceReader.deferring`) and folds the summaries in order (`Session.stepFromSummary`, O(D) per rule).
 *
 * Each thread reads its frames itself into a buffer it keeps (a kernel copy; no frame crosses threads, so
 * no buffer is allocated per step), checks the frame's CRC and decodes it as the reader would, and
 * summarizes it with a Session of the replay's configuration on its own backend instance of the same
 * kind: `Session.summarize` is the very computation `Session.step` does, so the replayed updates are
 * bit-identical to the sequential ones. The summary goes back in an ArrayBuffer that is transferred to
 * the main thread and back to a thread with a later job, so those buffers are allocated once too.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FisherdError, isErrorCode } from '../errors.js';
import type { BackendName } from '../linalg/backend.js';
import type { Logger } from '../log.js';
import type { SessionConfig } from '../session/config.js';
import type { StepSummary } from '../session/session.js';
import { summaryFields, summaryOver, type SummaryField, type SummaryJob, type SummaryReply } from './frame-summarizer.js';
import type { DeferredFrame, RecordFailure } from './reader.js';

/** What a worker is started with. */
export interface SummaryWorkerData {
  config: SessionConfig;
  backend: BackendName;
  /** Where the per-example rows start in a frame, as far as the first one tells (to read them aligned). */
  rowsOffsetInFrame: number | undefined;
  /** The size of the frames to expect: the worker grows its buffers to it and warms its kernels up before it is ready. */
  frameBytes: number;
  /** An Int32Array's buffer whose entry 0 each worker increments once it is ready (read without the event loop). */
  ready: SharedArrayBuffer;
}

/** What a worker sends once it is ready for jobs (before any `SummaryReply`). */
export interface WorkerReady {
  kind: 'ready';
}

/** The compiled worker script; absent when fisherd runs from its TypeScript sources (tests), see `SummaryPool.open`. */
const WORKER_SCRIPT = fileURLToPath(new URL('./summary-worker.js', import.meta.url));

/** A deferred frame as the replay gets it back, in order. */
export type SummaryOutcome =
  /** Ready for `Session.stepFromSummary` (with the session's step number); `release` recycles its buffer. */
  | { kind: 'summary'; recordedStep: number; stepSummary: StepSummary; release: () => void }
  /** The step's contribution is invalid (NaN rows, wrong shapes): every rule stops there, as `Session.step` would. */
  | { kind: 'step-error'; recordedStep: number; error: FisherdError }
  /** The frame itself is damaged: for `TraceReader.recordFailed`. */
  | { kind: 'frame-failure'; failure: RecordFailure };

export class SummaryPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (reply: SummaryReply) => void; reject: (e: Error) => void }>();
  private readonly spareSummaries: ArrayBuffer[] = [];
  private readonly fields: SummaryField[];
  private readonly dim: number;
  private nextId = 0;
  private failure: Error | undefined;
  private closing = false;
  /** Entry 0: the workers ready so far (each increments it once). */
  private readonly readyCount = new Int32Array(new SharedArrayBuffer(4));
  private readonly readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];

  private constructor(config: SessionConfig, backend: BackendName, threads: number, private readonly log: Logger,
    rowsOffsetInFrame: number | undefined, frameBytes: number) {
    this.fields = summaryFields(config);
    this.dim = config.dim;
    const workerData: SummaryWorkerData = { config, backend, rowsOffsetInFrame, frameBytes, ready: this.readyCount.buffer as SharedArrayBuffer };
    this.workers = Array.from({ length: threads }, () => {
      const worker = new Worker(WORKER_SCRIPT, { workerData });
      worker.on('message', (reply: SummaryReply | WorkerReady) => this.onReply(reply));
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a replay worker exited${code === 0 ? '' : ` with code ${code}`}`));
      });
      return worker;
    });
  }

  /**
   * `threads` workers summarizing steps of sessions configured as `config`, from frames of about
   * `frameBytes` bytes, or undefined (with the reason logged) when there is no compiled worker script next
   * to this module. The workers start at once; jobs sent before they are `ready` wait in their queues.
   */
  static open(config: SessionConfig, backend: BackendName, threads: number, log: Logger, rowsOffsetInFrame: number | undefined,
    frameBytes: number): SummaryPool | undefined {
    if (!existsSync(WORKER_SCRIPT)) {
      log.debug({ script: WORKER_SCRIPT }, 'replay: no compiled worker script (running from sources?): summaries are computed in this thread');
      return undefined;
    }
    return new SummaryPool(config, backend, threads, log, rowsOffsetInFrame, frameBytes);
  }

  get threads(): number {
    return this.workers.length;
  }

  /**
   * Whether every worker has started (modules, backend, buffers grown, kernels compiled: ~0.1–0.3 s),
   * readable without the event loop, so that a caller can do the work itself until then.
   */
  get ready(): boolean {
    return Atomics.load(this.readyCount, 0) >= this.workers.length;
  }

  /** Resolves once `ready`; rejects if a worker fails first. */
  whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Reads, checks and summarizes the contribution in `frame` (round-robin over the threads; await in order). */
  async summarize(frame: DeferredFrame): Promise<SummaryOutcome> {
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    const job: SummaryJob = { id, path: frame.path, offset: frame.offset, frameLength: frame.frameLength, summary: this.spareSummaries.pop() };
    const reply = await new Promise<SummaryReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage(job, job.summary ? [job.summary] : []);
    });
    return this.outcomeOf(reply);
  }

  private outcomeOf(reply: SummaryReply): SummaryOutcome {
    if (reply.kind !== 'summary') {
      if (reply.summary) this.spareSummaries.push(reply.summary);
      if (reply.kind === 'frame-failure') return reply;
      if (reply.kind === 'io-error') throw new FisherdError('INTERNAL', reply.message, { field: 'trace' });
      const { code, message, field, step } = reply.error;
      const error = new FisherdError(isErrorCode(code) ? code : 'INTERNAL', message, { ...(field ? { field } : {}), ...(step === undefined ? {} : { step }) });
      return { kind: 'step-error', recordedStep: reply.recordedStep, error };
    }
    const { summary } = summaryOver(reply.summary, this.fields, this.dim);
    summary.batchSize = reply.batchSize;
    if (reply.fisherNormalization !== undefined) summary.fisherNormalization = reply.fisherNormalization;
    return {
      kind: 'summary',
      recordedStep: reply.recordedStep,
      stepSummary: {
        step: reply.recordedStep, batchSize: reply.batchSize, summary,
        ...(reply.loss === undefined ? {} : { loss: reply.loss }),
        ...(reply.params === undefined ? {} : { params: reply.params }),
        ...(reply.lossAfterPreviousUpdate === undefined ? {} : { lossAfterPreviousUpdate: reply.lossAfterPreviousUpdate }),
      },
      release: () => this.spareSummaries.push(reply.summary),
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.fail(new Error('the replay worker pool is closed'));
  }

  private onReply(reply: SummaryReply | WorkerReady): void {
    if (reply.kind === 'ready') {
      if (this.ready) for (const waiter of this.readyWaiters.splice(0)) waiter.resolve();
      return;
    }
    const waiter = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    waiter?.resolve(reply);
  }

  private fail(e: Error): void {
    if (this.failure === undefined && !this.closing) this.log.error({ err: e }, 'a replay worker failed');
    this.failure ??= e;
    for (const waiter of this.pending.values()) waiter.reject(e);
    this.pending.clear();
    for (const waiter of this.readyWaiters.splice(0)) waiter.reject(e);
  }
}
