/**
 * Offline replay: streams a recorded trace and feeds every logged step to one `Session` per chosen update
 * rule (same recorded config otherwise), reporting per step what each rule returns and the diagnostics
 * (EF-vs-Fisher cosine, mean SNR, norms). Memory is constant in the trace length: one reader buffer, the
 * contributions of one step, the sessions' state (and, with worker threads, one frame per thread and the
 * summaries queued for the fold).
 *
 * With diagonal estimates a step reduces to a summary (`Session.summarize`) computed once for all rules;
 * long contribution records are then read, checked and summarized by worker threads (`SummaryPool`) while
 * this thread walks the frame headers and folds the summaries in trace order (`Session.stepFromSummary`).
 * Every record, whether handled here or by a thread, goes through one queue in trace order, so the rows,
 * digests, damage and failures are those of a replay without threads.
 *
 * Deterministic: the same trace, options and backend give the same rows and update digests (timings are
 * not part of the rows). When the trace holds the updates fisherd sent and the recorded optimizer is
 * replayed with the recorded structure, each replayed Δθ is compared byte for byte with the recorded one
 * (float32, as sent on the wire); the result says whether the backend also matched.
 *
 * Open loop: every rule sees the recorded gradients at the recorded θ, whatever it returns. What that
 * allows to say per step (the cosine with the recorded update, the local model q(Δ) under F̂ and Ẽ) is
 * computed in what-if.ts; the step size and damping can be replaced for every rule or per rule.
 */
import { createHash, type Hash } from 'node:crypto';
import { availableParallelism, totalmem } from 'node:os';
import { allocateSummary, type DiagonalBatchSummary } from '../curvature/batch-summary.js';
import type { LeafStructure } from '../curvature/structure.js';
import { FisherdError } from '../errors.js';
import type { Backend, BackendName } from '../linalg/backend.js';
import { selectBackend, type BackendPreference } from '../linalg/select.js';
import { log as defaultLog, type Logger } from '../log.js';
import { OPTIMIZER_NAMES, requiredEstimates, type OptimizerName } from '../optim/spec.js';
import { float32Bytes, readFloat32 } from '../protocol/floats.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { contributionFromWire } from '../protocol/step-codec.js';
import { validateSessionConfig, type FisherSource, type ResolvedSessionConfig, type SessionConfig } from '../session/config.js';
import type { StepContribution } from '../session/contribution.js';
import { sessionMemoryBytes } from '../session/limits.js';
import { Session, type EstimatesView, type StepResult, type StepSummary } from '../session/session.js';
import { decodeContribution, decodeUpdate } from './contribution-record.js';
import { checkSessionConfig } from './header-check.js';
import { FRAME_FOOTER_BYTES } from './framing.js';
import { ReusedPayloads } from './payloads.js';
import { SummaryPool, type SummaryOutcome } from './summary-pool.js';
import { openTrace, type DeferredFrame, type TraceDamage } from './reader.js';
import type { TraceHeader } from './record-codec.js';
import { traceByteLayout } from './segment-files.js';
import { HeldStep, type LocalModelMatrices, type ReplayStepRow } from './what-if.js';

export type { ReplayStepRow } from './what-if.js';

/** Per-rule replacements of the recorded hyperparameters (constant values; a recorded schedule is replaced whole). */
export interface RuleOverrides {
  /** Step size γ > 0. Default: `ReplayOptions.stepSize`, else as recorded. */
  stepSize?: number;
  /** Damping λ ≥ 0. Default: `ReplayOptions.damping`, else as recorded. */
  damping?: number;
}

export interface ReplayOptions {
  /** The update rules to replay, one Session each. Required, non-empty, no repeats. */
  optimizers: readonly OptimizerName[];
  /** Replaces the recorded structure (of every block). Default: as recorded. */
  structure?: LeafStructure;
  /** Replaces the recorded damping λ ≥ 0 (a schedule included) in every rule. Default: as recorded. */
  damping?: number;
  /** Replaces the recorded step size γ > 0 (a schedule included) in every rule. Default: as recorded. */
  stepSize?: number;
  /**
   * Per-rule step size and damping, over `stepSize` / `damping`; every key must be among `optimizers`.
   * Default: none. A rule with any override is not compared with the recorded updates.
   */
  overrides?: Partial<Record<OptimizerName, RuleOverrides>>;
  /** Compute backend. Default: the one the trace was recorded with, when this fisherd has it; else 'auto'. */
  backend?: BackendPreference;
  /** After a corrupt record, go on with the next segment instead of failing. Default false. */
  continueAfterCorruption?: boolean;
  /**
   * Bytes the reader reads ahead for short records; a longer record is read whole, with one read.
   * Default 64 KiB (many short records per read, little read in vain before a record that goes to a thread).
   */
  chunkBytes?: number;
  /** Contribution records of at least this many bytes go to the worker threads (see `threads`). Default 1 MiB. */
  minThreadedRecordBytes?: number;
  /**
   * Worker threads that read, check and reduce contribution records of at least `minThreadedRecordBytes` to step
   * summaries (`Session.summarize`) while this thread walks the frame headers and folds the summaries in
   * order: used when every replayed estimate is diagonal and the trace has one worker per step. 0 does
   * everything in this thread. Default: the available cores but one (which folds), at most 8. Memory: each thread keeps one
   * frame buffer (the largest record) and its decoded rows; up to 4·threads summaries (4 D-vectors of
   * float64 each) wait for the fold. The replayed updates are the same bit for bit.
   */
  threads?: number;
  /**
   * Whether the first long records wait for the worker threads to start (~0.1–0.3 s: modules, backend,
   * buffers, kernel compilation) instead of being summarized in this thread meanwhile. Default false (the
   * faster: this thread works while they start); tests set it to send every such record to the threads.
   */
  waitForThreads?: boolean;
  /**
   * The replay's memory budget in bytes: the sessions it would create for the trace's config (one per
   * rule, plus those that summarize steps, one per thread) are estimated before any is created, and a
   * replay that needs more is refused (INVALID_CONFIG, field `maxMemory`, naming both numbers) instead of
   * exhausting the machine's memory. Default: half the machine's memory (`os.totalmem() / 2`).
   */
  maxMemoryBytes?: number;
  /** Called after every replayed step. */
  onProgress?: (progress: ReplayProgress) => void;
  logger?: Logger;
}

export interface ReplayProgress {
  steps: number;
  bytesRead: number;
  totalBytes: number;
}

export interface OptimizerReplaySummary {
  optimizer: OptimizerName;
  steps: number;
  /** sha256 of all replayed Δθ (float32 bytes, in step order): equal digests = identical updates. */
  updateDigest: string;
  /** The error that stopped this rule, if one did (the other rules go on). */
  failure: { step: number; code: string; message: string } | undefined;
}

export interface ReproductionReport {
  /** The rule the trace was recorded with. */
  optimizer: OptimizerName;
  /** Updates in the trace / compared / byte-identical. */
  recorded: number;
  compared: number;
  identical: number;
  /** First recorded step whose replayed Δθ differs. */
  firstMismatchStep: number | undefined;
  /** Largest |Δθ_replayed − Δθ_recorded| over all compared components (0 when identical). */
  maxAbsDifference: number;
  recordedBackend: string;
  replayBackend: string;
  backendMatches: boolean;
  /** True when every recorded update was compared and all were identical. */
  reproduced: boolean;
}

export interface ReplayResult {
  sessionId: string;
  /** The recorded session config (decoded). */
  recordedConfig: SessionConfig;
  backend: string;
  /** Steps replayed. */
  steps: number;
  firstStep: number | undefined;
  lastStep: number | undefined;
  optimizers: OptimizerReplaySummary[];
  /** Present when the trace holds updates and the recorded rule was replayed with its structure. */
  reproduction: ReproductionReport | undefined;
  /** Why updates were not compared, when they were not. */
  reproductionSkipped: string | undefined;
  /** Contributions skipped (a step logged twice after a daemon restart) and steps missing from the trace. */
  skippedContributions: number;
  missingSteps: number;
  damage: TraceDamage[];
  bytesRead: number;
  /** The matrices of the rows' local-model columns (qFisher: which Fisher; qEmpiricalFisher: whether Ẽ). */
  localModel: LocalModelMatrices;
  /** Worker threads started to read and summarize steps (0: everything ran in the calling thread). */
  threads: number;
  /** Contribution records the worker threads read and summarized (the others: this thread, e.g. while the threads started). */
  threadedRecords: number;
}

interface Lane {
  optimizer: OptimizerName;
  session: Session;
  digest: Hash;
  steps: number;
  failure: OptimizerReplaySummary['failure'];
}

/** How many recent replayed updates of the recorded rule are kept for comparison with recorded updates. */
const RECENT_UPDATES = 8;
/**
 * How many replayed steps keep a digest, so that an update logged again after a resume (up to a checkpoint
 * interval later) is still compared: 65 536 steps, ~6 MB.
 */
const RECENT_DIGESTS = 1 << 16;

/**
 * Replays the trace at `inputs` (files or directories), calling `onRows` with each step's rows (one per
 * rule that completed it, in `options.optimizers` order) before going on. A step's rows are handed on when
 * the next step starts (or the replay ends), with the recorded update of that step attached (what-if.ts).
 */
export async function replayTrace(inputs: readonly string[], options: ReplayOptions,
  onRows: (rows: readonly ReplayStepRow[]) => void | Promise<void> = () => undefined): Promise<ReplayResult> {
  validateOptions(options);
  const logger = options.logger ?? defaultLog;
  let pool: SummaryPool | undefined;
  const chunkBytes = options.chunkBytes ?? 1 << 16;
  const minThreadedRecordBytes = options.minThreadedRecordBytes ?? 1 << 20;
  const reader = await openTrace(inputs, {
    continueAfterCorruption: options.continueAfterCorruption ?? false,
    chunkBytes,
    logger,
    blockingReads: true, // this loop only waits for reads and for the threads' summaries
  });
  const { totalBytes, startOf } = await traceByteLayout(inputs);

  let header: TraceHeader | undefined;
  let recordedConfig: SessionConfig | undefined;
  let backend: Backend | undefined;
  let lanes: Lane[] = [];
  let workers = 1;
  let pending: StepContribution[] = [];
  let offset: number | undefined; // recorded step − session step
  let steps = 0;
  let firstStep: number | undefined;
  let lastStep: number | undefined;
  let skippedContributions = 0;
  let missingSteps = 0;
  let bytesRead = 0;
  // Replayed Δθ (float32 bytes) of the recorded rule by recorded step, until the recorded update is read.
  const replayed = new Map<number, Uint8Array>();
  // sha256 of the replayed Δθ by recorded step, for updates logged again long after (bounded: 64 B/step).
  const replayedDigests = new Map<number, string>();
  let reproduction: ReproductionReport | undefined;
  let reproductionSkipped: string | undefined;
  let held: HeldStep | undefined;
  let localModel: LocalModelMatrices = { fisher: undefined, empiricalFisher: false };
  let comparedLane: Lane | undefined;
  const payloads = new ReusedPayloads();
  // Steps whose summaries are being computed, and recorded updates waiting for their step: handled in order.
  const queue: QueueItem[] = [];
  let maxQueued = 0;
  // Computes summaries in this thread when there is no pool (a Session that never steps).
  let summarizer: Session | undefined;
  let ownSummary: DiagonalBatchSummary | undefined;
  let dispatched = 0; // session steps handed on (replayed or queued)
  let threadedRecords = 0; // contribution records handed to the threads

  const compare = (step: number, recordedDelta: Uint8Array) => {
    if (reproduction === undefined) return;
    // A step can be logged twice (a session resumed from a checkpoint recomputes the steps after it): the
    // replayed Δθ stays in the bounded window, so the second recorded update is compared too.
    const mine = replayed.get(step);
    if (mine === undefined) {
      // Older than the byte window: compare digests (a mismatch there has no per-component difference).
      const digest = replayedDigests.get(step);
      if (digest === undefined) return;
      reproduction.compared++;
      if (createHash('sha256').update(recordedDelta).digest('hex') === digest) reproduction.identical++;
      else reproduction.firstMismatchStep ??= step;
      return;
    }
    reproduction.compared++;
    if (Buffer.compare(Buffer.from(mine.buffer, mine.byteOffset, mine.byteLength), Buffer.from(recordedDelta)) === 0) {
      reproduction.identical++;
      return;
    }
    reproduction.firstMismatchStep ??= step;
    const a = readFloat32(mine, 'replayed');
    const b = readFloat32(recordedDelta, 'update.delta');
    if (a.length !== b.length) {
      reproduction.maxAbsDifference = Infinity;
      return;
    }
    for (let i = 0; i < a.length; i++) reproduction.maxAbsDifference = Math.max(reproduction.maxAbsDifference, Math.abs(a[i]! - b[i]!));
  };

  // How to start the pool, once a record long enough for it comes (short-record traces never start it).
  let startPool: ((frameBytes: number) => SummaryPool | undefined) | undefined;
  const openPool = (config: SessionConfig, backendName: BackendName, rowsOffsetInFrame: number | undefined) => {
    const threads = options.threads ?? defaultThreads();
    if (!lanes.every((l) => l.session.summarizes)) return;
    summarizer = new Session(config, backend!, logger);
    if (threads <= 0 || workers !== 1) return;
    startPool = (frameBytes: number) => {
      startPool = undefined;
      pool = SummaryPool.open(config, backendName, threads, logger, rowsOffsetInFrame, frameBytes);
      if (pool) {
        maxQueued = 4 * pool.threads;
        logger.debug({ threads: pool.threads }, 'replay: step summaries in worker threads');
      }
      return pool;
    };
  };
  // A long record goes to the threads once they are ready; until then (they take ~0.1–0.3 s to start)
  // this thread summarizes it itself, unless told to wait (`waitForThreads`, in setUp).
  const threadsFor = (frameLength: number): boolean =>
    frameLength >= minThreadedRecordBytes && (pool ?? startPool?.(frameLength)) !== undefined && pool!.ready;

  const setUp = async (h: TraceHeader, headerAt: { path: string; offset: number }, first: StepContribution,
    rowsOffsetInFrame: number | undefined, frameBytes: number) => {
    // The reader checked the header (TRACE_CORRUPT with file and offset otherwise): this cannot throw.
    recordedConfig = checkSessionConfig(h.sessionConfig).config;
    const preference = options.backend ?? (isBackendName(h.backend) ? h.backend : 'auto');
    backend = await selectBackend(preference, logger);
    workers = recordedConfig.workers ?? 1;
    const available = availableInputs(first, recordedConfig);
    const configs = options.optimizers.map((name) => replayConfig(recordedConfig!, name, available, options, backend!.name));
    checkMemoryBudget(configs, backend, options, headerAt);
    lanes = options.optimizers.map((name, i) =>
      ({ optimizer: name, session: new Session(configs[i]!, backend!, logger), digest: createHash('sha256'), steps: 0, failure: undefined }));
    held = new HeldStep(recordedConfig.dim);
    const tracked = lanes[0]!.session.config.track;
    localModel = { fisher: tracked.fisher ? lanes[0]!.session.config.fisherSource : undefined, empiricalFisher: tracked.empiricalFisher };
    // Every lane tracks the same estimates with the same structure (replayConfig): one summary serves all.
    openPool(configs[0]!, backend.name, rowsOffsetInFrame);
    // The first record tells whether the threads will have work: start them now, while this thread works.
    if (frameBytes >= minThreadedRecordBytes) startPool?.(frameBytes);
    if (options.waitForThreads) await pool?.whenReady();
    const recordedName = recordedConfig.optimizer.name;
    const recordedOverridden = Object.keys(ruleOverrides(options, recordedName)).length > 0;
    comparedLane = options.structure === undefined && !recordedOverridden
      ? lanes.find((l) => l.optimizer === recordedName) : undefined;
    if (comparedLane) {
      reproduction = { optimizer: recordedName, recorded: 0, compared: 0, identical: 0, firstMismatchStep: undefined, maxAbsDifference: 0,
        recordedBackend: h.backend, replayBackend: backend.name, backendMatches: h.backend === backend.name, reproduced: false };
    } else {
      reproductionSkipped = options.structure !== undefined ? 'the structure was overridden'
        : recordedOverridden && lanes.some((l) => l.optimizer === recordedName) ? `the step size or damping of ${recordedName} was overridden`
          : `the recorded optimizer ${recordedName} is not among those replayed`;
    }
  };

  const runStep = async (stepOf: (session: Session) => StepResult, recordedStep: number, readTo: number) => {
    // The last step's rows, held for its recorded update (what-if.ts), go out before this step changes the estimates' state.
    const previous = held!.take();
    if (previous.length > 0) await onRows(previous);
    const rows: ReplayStepRow[] = [];
    let view: EstimatesView | undefined;
    for (const lane of lanes) {
      if (lane.failure) continue;
      try {
        const result = stepOf(lane.session);
        const bytes = float32Bytes(result.update);
        lane.digest.update(bytes);
        lane.steps++;
        if (lane === comparedLane) {
          replayed.set(recordedStep, bytes); // a view: the session never writes to an update it returned
          if (replayed.size > RECENT_UPDATES) replayed.delete(replayed.keys().next().value!);
          replayedDigests.set(recordedStep, createHash('sha256').update(bytes).digest('hex'));
          if (replayedDigests.size > RECENT_DIGESTS) replayedDigests.delete(replayedDigests.keys().next().value!);
        }
        const d = result.diagnostics;
        view ??= lane.session.estimatesView;
        rows.push({
          step: recordedStep, optimizer: lane.optimizer, loss: d.loss, batchSize: d.batchSize, gradNorm: d.gradNorm,
          updateNorm: d.updateNorm, cosineEfFisher: d.cosineEfFisher, meanSnr: d.meanSnr, stepSize: d.stepSize, damping: d.damping,
          cosineRecorded: undefined, recordedUpdateNorm: undefined, ...held!.measure(lane.session.estimatesView, result.update),
          qFisherRecorded: undefined, qEmpiricalFisherRecorded: undefined, update: result.update,
        });
      } catch (e) {
        if (!(e instanceof FisherdError)) throw e;
        lane.failure = { step: recordedStep, code: e.code, message: e.message };
        logger.warn({ optimizer: lane.optimizer, step: recordedStep, code: e.code }, `replay of ${lane.optimizer} stops: ${e.message}`);
      }
    }
    steps++;
    firstStep ??= recordedStep;
    lastStep = recordedStep;
    held!.hold(recordedStep, rows, view);
    options.onProgress?.({ steps, bytesRead: readTo, totalBytes });
  };

  /** The session step of recorded step `recorded`, or undefined for a contribution logged twice (skipped). */
  const admit = (recorded: number): number | undefined => {
    offset ??= recorded - 1;
    const expected = dispatched + 1 + offset;
    if (recorded < expected) {
      skippedContributions++; // logged again after a daemon restart from a checkpoint
      return undefined;
    }
    if (recorded > expected && pending.length === 0) {
      missingSteps += recorded - expected;
      logger.warn({ step: recorded, expected }, 'steps missing from the trace: the replay goes on from the next one');
      offset += recorded - expected;
    }
    return recorded - offset;
  };

  // After a corrupt deferred frame (with continueAfterCorruption): the rest of its segment is skipped.
  let skipFrom: { path: string; offset: number } | undefined;
  const skipped = (path: string, at: number) => skipFrom !== undefined && skipFrom.path === path && at > skipFrom.offset;
  // Set when a contribution comes after every rule has stopped: the replay ends there. `consumed` is the
  // trace position up to which records were taken in order (what the result reports as bytesRead).
  let stopped = false;
  let consumed = 0;

  let headerAt = { path: '', offset: 0 };
  const onHeader = (h: TraceHeader, at: { path: string; offset: number }) => {
    if (header && h.sessionId !== header.sessionId) {
      throw new FisherdError('INVALID_CONFIG', `the trace holds sessions ${header.sessionId} and ${h.sessionId}: replay one session at a time`, { field: 'trace' });
    }
    if (header === undefined) headerAt = { path: at.path, offset: at.offset };
    header ??= h;
  };

  /** A queued record, handled in trace order (what the in-thread replay does as it reads). */
  const handle = async (item: QueueItem) => {
    const outcome = item.kind === 'deferred' ? await item.outcome : undefined;
    try {
      if (stopped || skipped(item.path, item.offset)) return;
      if (item.kind === 'header') onHeader(item.header, item);
      else if (item.kind === 'update') {
        held?.recorded(item.step, item.delta);
        if (reproduction) {
          reproduction.recorded++;
          compare(item.step, item.delta);
        }
      } else if (item.kind === 'deferred' && outcome !== undefined) {
        if (outcome.kind === 'frame-failure') {
          const damage = reader.recordFailed(item.frame, outcome.failure); // throws TRACE_CORRUPT unless told to go on
          if (damage.kind === 'corrupt') skipFrom = { path: item.frame.path, offset: item.frame.offset };
          return;
        }
        if (lanes.every((l) => l.failure)) {
          stopped = true;
          return;
        }
        const sessionStep = admit(outcome.recordedStep);
        if (sessionStep !== undefined) {
          dispatched++;
          await runStep((session) => {
            if (outcome.kind === 'step-error') throw outcome.error;
            return session.stepFromSummary({ ...outcome.stepSummary, step: sessionStep });
          }, outcome.recordedStep, item.readTo);
        }
      }
      consumed = item.readTo;
    } finally {
      if (outcome?.kind === 'summary') outcome.release();
    }
  };
  const drain = async (limit: number) => {
    while (queue.length > limit) await handle(queue.shift()!);
  };

  /** One step's contributions (session step numbers) read here: summarized once for every rule, or stepped. */
  const replayHere = async (contributions: StepContribution[], recordedStep: number) => {
    dispatched++;
    if (summarizer === undefined) {
      await runStep((session) => session.step(contributions), recordedStep, bytesRead);
      return;
    }
    let stepSummary: StepSummary | undefined;
    let error: FisherdError | undefined;
    try {
      ownSummary ??= allocateSummary(summarizer.config.dim, summarizer.config.track);
      stepSummary = summarizer.summarize(contributions, { step: contributions[0]!.step, out: ownSummary });
    } catch (e) {
      if (!(e instanceof FisherdError)) throw e;
      error = e;
    }
    await runStep((session) => {
      if (error !== undefined) throw error;
      return session.stepFromSummary(stepSummary!);
    }, recordedStep, bytesRead);
  };

  try {
    for await (const entry of reader.deferring(threadsFor)) {
      bytesRead = (startOf.get(entry.path) ?? 0) + entry.offset + entry.frameLength;
      if (stopped) break;
      if (skipped(entry.path, entry.offset)) continue;
      const at = { path: entry.path, offset: entry.offset, readTo: bytesRead };
      if (entry.kind === 'contribution') {
        await drain(0);
        if (stopped) break;
        if (lanes.length === 0) {
          const first = decodeContribution(entry.body);
          if (typeof first === 'string') {
            throw new FisherdError('TRACE_CORRUPT', `${first} (record at byte ${entry.offset} of ${entry.path}): the replay cannot be configured`, { field: 'trace' });
          }
          await setUp(header!, headerAt, contributionFromWire(first), rowsOffsetInFrame(entry, first), entry.frameLength);
        }
        if (lanes.every((l) => l.failure)) {
          stopped = true;
          break;
        }
        const wire = decodeContribution(entry.body);
        if (typeof wire === 'string') { // corruption, reported with its offset (TRACE_CORRUPT unless skipping)
          const damage = reader.recordFailed(entry, { status: 'undecodable', message: wire });
          if (damage.kind === 'corrupt') skipFrom = { path: entry.path, offset: entry.offset };
          continue;
        }
        let contribution: StepContribution;
        try {
          // With W > 1 a step's earlier contributions must outlive the reader's buffer: their payloads are copied.
          contribution = payloads.decode(entry.body, workers > 1, wire);
        } catch (e) {
          if (!(e instanceof FisherdError)) throw e;
          // An invalid contribution (a payload of the wrong length, say) fails its step in every rule.
          const recorded = Number(wire.step);
          if (admit(recorded) !== undefined) {
            pending = [];
            dispatched++;
            await runStep(() => { throw e; }, recorded, bytesRead);
          }
          consumed = bytesRead;
          continue;
        }
        const sessionStep = admit(contribution.step);
        if (sessionStep !== undefined) {
          pending.push({ ...contribution, step: sessionStep });
          if (pending.length === workers) {
            const batch = pending;
            pending = [];
            await replayHere(batch, contribution.step);
          }
        }
        consumed = bytesRead;
        continue;
      }
      if (entry.kind === 'deferred-contribution') {
        threadedRecords++;
        queue.push({ kind: 'deferred', ...at, frame: entry, outcome: pool!.summarize(entry) });
      } else if (entry.kind === 'header') {
        queue.push({ kind: 'header', ...at, header: entry.header });
      } else if (entry.kind === 'update') {
        const update = decodeUpdate(entry.body);
        if (typeof update === 'string') { // corruption, as for a contribution
          await drain(0);
          const damage = reader.recordFailed(entry, { status: 'undecodable', message: update }, 'update');
          if (damage.kind === 'corrupt') skipFrom = { path: entry.path, offset: entry.offset };
          continue;
        }
        queue.push({ kind: 'update', ...at, step: update.step, delta: update.delta.slice() });
      } else {
        queue.push({ kind: 'other', ...at });
      }
      await drain(maxQueued);
    }
    await drain(0);
    const last = held?.take() ?? [];
    if (last.length > 0) await onRows(last);
  } finally {
    // After a throw, steps still queued are abandoned: their outcomes fail when the pool closes.
    for (const item of queue.splice(0)) if (item.kind === 'deferred') item.outcome.catch(() => undefined);
    await pool?.close();
  }
  if (pending.length > 0) logger.warn({ contributions: pending.length, workers }, 'the last step is incomplete in the trace: not replayed');
  if (!header || !recordedConfig) {
    throw new FisherdError('MISSING_INPUT', `the trace holds no step contributions${header ? '' : ' (no header either)'}`, { field: 'trace' });
  }
  if (reproduction) reproduction.reproduced = reproduction.recorded > 0 && reproduction.compared === reproduction.recorded && reproduction.identical === reproduction.compared;
  if (reproduction && reproduction.recorded === 0) {
    reproductionSkipped = 'the trace holds no updates';
    reproduction = undefined;
  }
  return {
    sessionId: header.sessionId,
    recordedConfig,
    backend: backend!.name,
    steps,
    firstStep,
    lastStep,
    optimizers: lanes.map((l) => ({ optimizer: l.optimizer, steps: l.steps, updateDigest: `sha256:${l.digest.digest('hex')}`, failure: l.failure })),
    reproduction,
    reproductionSkipped,
    skippedContributions,
    missingSteps,
    damage: reader.damage,
    bytesRead: consumed,
    localModel,
    threads: pool?.threads ?? 0,
    threadedRecords,
  };
}

/**
 * Threads by default: one core folds and reads frame headers, the others summarize (measured in
 * bench/replay.ts: on 2 cores one thread beats none and two); on one core, none.
 */
export function defaultThreads(): number {
  return Math.min(8, Math.max(0, availableParallelism() - 1));
}

/** The memory a session of `resolved` holds (the daemon's admission estimate, src/session/limits.ts). */
function sessionBytes(resolved: ResolvedSessionConfig, precisionBytes: 4 | 8): number {
  return sessionMemoryBytes(resolved, { storageBytes: precisionBytes }).bytes;
}

/**
 * The one place where a replay's memory is weighed against its budget (`maxMemoryBytes`), before any
 * session is created: one session per rule and, for diagonal estimates, one that summarizes in this
 * thread, one per worker thread, and the step summaries in flight (four D-vectors of float64 each, up to
 * 1 + 5 per thread).
 */
function checkMemoryBudget(configs: readonly SessionConfig[], backend: Backend, options: ReplayOptions, headerAt: { path: string; offset: number }): void {
  const budget = options.maxMemoryBytes ?? Math.floor(totalmem() / 2);
  const precisionBytes = backend.dtype === 'float32' ? 4 : 8;
  const resolved = configs.map((c) => validateSessionConfig(c));
  // Steps are summarized (here, and in threads for one worker per step) only when every estimate is diagonal.
  const summarized = resolved.every((r) => r.blocks.every((b) => b.structure.kind === 'diagonal'));
  const threads = summarized && resolved[0]!.workers === 1 ? options.threads ?? defaultThreads() : 0;
  const needed = resolved.reduce((n, r) => n + sessionBytes(r, precisionBytes), 0)
    + (summarized ? (1 + threads) * sessionBytes(resolved[0]!, precisionBytes) + (1 + 5 * threads) * 4 * 8 * resolved[0]!.dim : 0);
  if (needed > budget) {
    const bytes = (n: number) => (Number.isSafeInteger(Math.round(n)) ? String(Math.round(n)) : n.toExponential(2));
    throw new FisherdError('INVALID_CONFIG',
      `replaying the session of ${headerAt.path} (header at byte ${headerAt.offset}: D=${resolved[0]!.dim}, ${resolved[0]!.blocks.length} block(s)) ` +
      `with ${configs.length} rule(s) needs about ${bytes(needed)} bytes, over the replay's memory budget of ${bytes(budget)} bytes: raise --max-memory`,
      { field: 'maxMemory' });
  }
}

function validateOptions(options: ReplayOptions): void {
  for (const [field, value, least] of [['threads', options.threads, 0], ['chunkBytes', options.chunkBytes, 64], ['minThreadedRecordBytes', options.minThreadedRecordBytes, 1],
    ['maxMemoryBytes', options.maxMemoryBytes, 1]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= least)) {
      throw new FisherdError('INVALID_CONFIG', `${field} must be an integer ≥ ${least}, got ${value}`, { field });
    }
  }
  if (!Array.isArray(options.optimizers) || options.optimizers.length === 0) {
    throw new FisherdError('INVALID_CONFIG', `choose at least one optimizer (${OPTIMIZER_NAMES.join(', ')})`, { field: 'optimizers' });
  }
  for (const name of options.optimizers) {
    if (!OPTIMIZER_NAMES.includes(name)) {
      throw new FisherdError('INVALID_CONFIG', `unknown optimizer "${name}"; one of ${OPTIMIZER_NAMES.join(', ')}`, { field: 'optimizers' });
    }
  }
  if (new Set(options.optimizers).size !== options.optimizers.length) {
    throw new FisherdError('INVALID_CONFIG', 'an optimizer is listed twice', { field: 'optimizers' });
  }
  const checkOverrides = (o: RuleOverrides, at: string) => {
    if (o.stepSize !== undefined && !(Number.isFinite(o.stepSize) && o.stepSize > 0)) {
      throw new FisherdError('INVALID_CONFIG', `${at}stepSize must be a number > 0, got ${o.stepSize}`, { field: `${at}stepSize` });
    }
    if (o.damping !== undefined && !(Number.isFinite(o.damping) && o.damping >= 0)) {
      throw new FisherdError('INVALID_CONFIG', `${at}damping must be a number ≥ 0, got ${o.damping}`, { field: `${at}damping` });
    }
  };
  checkOverrides(options, '');
  for (const [name, o] of Object.entries(options.overrides ?? {})) {
    if (!options.optimizers.includes(name as OptimizerName)) {
      throw new FisherdError('INVALID_CONFIG', `overrides are given for ${name}, which is not among the rules replayed (${options.optimizers.join(', ')})`, { field: 'overrides' });
    }
    if (o !== undefined) checkOverrides(o, `overrides.${name}.`);
  }
}

/** The step size and damping that replace the recorded ones for rule `name` (none: as recorded). */
function ruleOverrides(options: ReplayOptions, name: OptimizerName): RuleOverrides {
  const own = options.overrides?.[name];
  const stepSize = own?.stepSize ?? options.stepSize;
  const damping = own?.damping ?? options.damping;
  return { ...(stepSize === undefined ? {} : { stepSize }), ...(damping === undefined ? {} : { damping }) };
}

function isBackendName(name: string): name is BackendName {
  return name === 'reference' || name === 'openblas' || name === 'gpujs';
}

interface AvailableInputs {
  /** Σ g∘g: per-example rows, or statistics with sumSquares. */
  empiricalFisher: boolean;
  /** Σ (g − ḡ)²: per-example rows, or statistics with centredSquares. */
  noise: boolean;
  fisher: FisherSource | undefined;
  /** What the contributions carry, for messages. */
  kind: 'rows' | 'statistics';
}

/** What the trace's contributions carry, judged from the first one (a session requires it of all). */
function availableInputs(first: StepContribution, recorded: SessionConfig): AvailableInputs {
  const pick = (sampled: boolean, exact: boolean): FisherSource | undefined =>
    sampled && exact ? (recorded.fisherSource ?? 'sampled') : sampled ? 'sampled' : exact ? 'exact' : undefined;
  if (first.statistics !== undefined) {
    // Every block entry of a contribution carries the same sums (the session requires them of each). A
    // Kronecker entry carries the factor source of each sum (the noise has none); one without factors
    // (a step between T_stat ones) carries what the recorded session tracked, which it required.
    const tracked = requiredEstimates(recorded.optimizer);
    const recordedTracks = {
      sumSquares: tracked.empiricalFisher || recorded.track?.empiricalFisher === true,
      centredSquares: false,
      sampledLabelSquares: (tracked.fisher || recorded.track?.fisher === true) && recorded.fisherSource !== 'exact',
      factorSquares: (tracked.fisher || recorded.track?.fisher === true) && recorded.fisherSource === 'exact',
    };
    const source = { sumSquares: 'empirical', sampledLabelSquares: 'sampled', factorSquares: 'exact' } as const;
    const has = (name: 'sumSquares' | 'centredSquares' | 'sampledLabelSquares' | 'factorSquares') =>
      first.statistics!.every((entry) => {
        if (entry.kind === 'diagonal') return entry.moments[name] !== undefined;
        const factors = entry.kronecker.factors;
        if (factors === undefined) return recordedTracks[name];
        return name !== 'centredSquares' && factors[source[name]] !== undefined;
      });
    return {
      empiricalFisher: has('sumSquares'), noise: has('centredSquares'),
      fisher: pick(has('sampledLabelSquares'), has('factorSquares')), kind: 'statistics',
    };
  }
  const rows = first.perExampleGrads !== undefined;
  return { empiricalFisher: rows, noise: rows, fisher: pick(first.sampledLabelGrads !== undefined, first.fisherFactorRows !== undefined), kind: 'rows' };
}

/**
 * The recorded config with another rule: every estimate the trace's inputs allow is tracked (for the
 * diagnostics), the rule's own needs are checked against the inputs (MISSING_INPUT, naming the rule).
 */
function replayConfig(recorded: SessionConfig, name: OptimizerName, available: AvailableInputs, options: ReplayOptions,
  backend: BackendName): SessionConfig {
  const optimizer = { ...recorded.optimizer, name, ...ruleOverrides(options, name) };
  if (name === 'adam' && optimizer.momentum !== undefined) delete (optimizer as { momentum?: number }).momentum;
  const needs = requiredEstimates(optimizer);
  const statistics = available.kind === 'statistics';
  const lacking = needs.fisher && available.fisher === undefined
    ? (statistics ? 'sampledLabelSquares or factorSquares' : 'sampledLabelGrads or fisherFactorRows')
    : needs.empiricalFisher && !available.empiricalFisher ? (statistics ? 'sumSquares' : 'perExampleGrads')
    : needs.noise && !available.noise ? (statistics ? 'centredSquares' : 'perExampleGrads') : undefined;
  if (lacking) {
    throw new FisherdError('MISSING_INPUT', `${name} cannot be replayed: it needs ${lacking}, which the trace's contributions do not carry`, { field: 'optimizers' });
  }
  const structure = options.structure;
  return {
    ...recorded,
    optimizer,
    backend,
    record: false,
    ...(available.fisher === undefined ? {} : { fisherSource: available.fisher }),
    track: { empiricalFisher: available.empiricalFisher, noise: available.noise, fisher: available.fisher !== undefined },
    ...(structure === undefined ? {}
      : recorded.blocks ? { blocks: recorded.blocks.map((b) => ({ ...b, structure })) } : { structure }),
  };
}

type QueueItem = { path: string; offset: number; readTo: number } & (
  | { kind: 'deferred'; frame: DeferredFrame; outcome: Promise<SummaryOutcome> }
  | { kind: 'update'; step: number; delta: Uint8Array }
  | { kind: 'header'; header: TraceHeader }
  | { kind: 'other' });

/**
 * Where the per-example rows start in a contribution's frame: the record's body is its last field, so it
 * starts `frameLength − 4 − body.length` bytes in (the threads align their reads by it from the first frame).
 */
function rowsOffsetInFrame(entry: { frameLength: number; body: Uint8Array }, wire: fisherd.v1.StepContribution): number | undefined {
  const rows = wire.perExampleGrads;
  if (!rows || rows.length === 0) return undefined;
  return entry.frameLength - FRAME_FOOTER_BYTES - entry.body.length + (rows.byteOffset - entry.body.byteOffset);
}
