/**
 * Offline replay: streams a recorded trace and feeds every logged step to one `Session` per chosen update
 * rule (same recorded config otherwise), reporting per step what each rule returns and the diagnostics
 * (EF-vs-Fisher cosine, mean SNR, norms). Memory is constant in the trace length: one reader buffer, the
 * contributions of one step, the sessions' state.
 *
 * Deterministic: the same trace, options and backend give the same rows and update digests (timings are
 * not part of the rows). When the trace holds the updates fisherd sent and the recorded optimizer is
 * replayed with the recorded structure, each replayed Δθ is compared byte for byte with the recorded one
 * (float32, as sent on the wire); the result says whether the backend also matched.
 */
import { createHash, type Hash } from 'node:crypto';
import type { LeafStructure } from '../curvature/structure.js';
import { FisherdError } from '../errors.js';
import type { Backend, BackendName } from '../linalg/backend.js';
import { selectBackend, type BackendPreference } from '../linalg/select.js';
import { log as defaultLog, type Logger } from '../log.js';
import { OPTIMIZER_NAMES, requiredEstimates, type OptimizerName } from '../optim/spec.js';
import { sessionConfigFromWire } from '../protocol/config-codec.js';
import { float32Bytes, readFloat32 } from '../protocol/floats.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { contributionFromWire } from '../protocol/step-codec.js';
import type { FisherSource, SessionConfig } from '../session/config.js';
import type { StepContribution } from '../session/contribution.js';
import { Session } from '../session/session.js';
import { openTrace, type TraceDamage } from './reader.js';
import type { TraceHeader } from './record-codec.js';
import { traceByteLayout } from './segment-files.js';

export interface ReplayOptions {
  /** The update rules to replay, one Session each. Required, non-empty, no repeats. */
  optimizers: readonly OptimizerName[];
  /** Replaces the recorded structure (of every block). Default: as recorded. */
  structure?: LeafStructure;
  /** Replaces the recorded damping λ. Default: as recorded. */
  damping?: number;
  /** Compute backend. Default: the one the trace was recorded with, when this fisherd has it; else 'auto'. */
  backend?: BackendPreference;
  /** After a corrupt record, go on with the next segment instead of failing. Default false. */
  continueAfterCorruption?: boolean;
  /** Reader chunk size in bytes. Default 1 MiB. */
  chunkBytes?: number;
  /** Called after every replayed step. */
  onProgress?: (progress: ReplayProgress) => void;
  logger?: Logger;
}

export interface ReplayProgress {
  steps: number;
  bytesRead: number;
  totalBytes: number;
}

/** What one rule returned at one step. */
export interface ReplayStepRow {
  /** The step as recorded. */
  step: number;
  optimizer: OptimizerName;
  loss: number | undefined;
  batchSize: number;
  gradNorm: number;
  updateNorm: number;
  cosineEfFisher: number | undefined;
  meanSnr: number | undefined;
  stepSize: number | undefined;
  damping: number | undefined;
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
 * rule, in `options.optimizers` order) before going on.
 */
export async function replayTrace(inputs: readonly string[], options: ReplayOptions,
  onRows: (rows: readonly ReplayStepRow[]) => void | Promise<void> = () => undefined): Promise<ReplayResult> {
  validateOptions(options);
  const logger = options.logger ?? defaultLog;
  const reader = await openTrace(inputs, {
    continueAfterCorruption: options.continueAfterCorruption ?? false,
    ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
    logger,
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
  let comparedLane: Lane | undefined;
  const payloads = new ReusedPayloads();

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

  const setUp = async (h: TraceHeader, first: StepContribution) => {
    recordedConfig = sessionConfigFromWire(fisherd.v1.SessionConfig.decode(h.sessionConfig));
    const preference = options.backend ?? (isBackendName(h.backend) ? h.backend : 'auto');
    backend = await selectBackend(preference, logger);
    workers = recordedConfig.workers ?? 1;
    const available = availableInputs(first, recordedConfig);
    lanes = options.optimizers.map((name) => {
      const config = replayConfig(recordedConfig!, name, available, options, backend!.name);
      return { optimizer: name, session: new Session(config, backend!, logger), digest: createHash('sha256'), steps: 0, failure: undefined };
    });
    const recordedName = recordedConfig.optimizer.name;
    comparedLane = options.structure === undefined && options.damping === undefined
      ? lanes.find((l) => l.optimizer === recordedName) : undefined;
    if (comparedLane) {
      reproduction = { optimizer: recordedName, recorded: 0, compared: 0, identical: 0, firstMismatchStep: undefined, maxAbsDifference: 0,
        recordedBackend: h.backend, replayBackend: backend.name, backendMatches: h.backend === backend.name, reproduced: false };
    } else {
      reproductionSkipped = options.structure !== undefined || options.damping !== undefined
        ? 'the structure or damping was overridden'
        : `the recorded optimizer ${recordedName} is not among those replayed`;
    }
  };

  const runStep = async (contributions: StepContribution[], recordedStep: number) => {
    const rows: ReplayStepRow[] = [];
    for (const lane of lanes) {
      if (lane.failure) continue;
      try {
        const result = lane.session.step(contributions);
        const bytes = float32Bytes(result.update);
        lane.digest.update(bytes);
        lane.steps++;
        if (lane === comparedLane) {
          replayed.set(recordedStep, bytes.slice());
          if (replayed.size > RECENT_UPDATES) replayed.delete(replayed.keys().next().value!);
          replayedDigests.set(recordedStep, createHash('sha256').update(bytes).digest('hex'));
          if (replayedDigests.size > RECENT_DIGESTS) replayedDigests.delete(replayedDigests.keys().next().value!);
        }
        const d = result.diagnostics;
        rows.push({
          step: recordedStep, optimizer: lane.optimizer, loss: d.loss, batchSize: d.batchSize, gradNorm: d.gradNorm,
          updateNorm: d.updateNorm, cosineEfFisher: d.cosineEfFisher, meanSnr: d.meanSnr, stepSize: d.stepSize, damping: d.damping,
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
    await onRows(rows);
    options.onProgress?.({ steps, bytesRead, totalBytes });
  };

  for await (const entry of reader) {
    bytesRead = (startOf.get(entry.path) ?? 0) + entry.offset + entry.frameLength;
    if (entry.kind === 'header') {
      if (header && entry.header.sessionId !== header.sessionId) {
        throw new FisherdError('INVALID_CONFIG', `the trace holds sessions ${header.sessionId} and ${entry.header.sessionId}: replay one session at a time`, { field: 'trace' });
      }
      header ??= entry.header;
    } else if (entry.kind === 'contribution') {
      if (lanes.length === 0) await setUp(header!, contributionFromWire(fisherd.v1.StepContribution.decode(entry.body)));
      if (lanes.every((l) => l.failure)) break;
      // With W > 1 a step's earlier contributions must outlive the reader's buffer: their payloads are copied.
      const contribution = payloads.decode(entry.body, workers > 1);
      offset ??= contribution.step - 1;
      const expectedStep = lanes.find((l) => !l.failure)!.session.nextStep + offset;
      if (contribution.step < expectedStep) {
        skippedContributions++; // logged again after a daemon restart from a checkpoint
        continue;
      }
      if (contribution.step > expectedStep && pending.length === 0) {
        missingSteps += contribution.step - expectedStep;
        logger.warn({ step: contribution.step, expected: expectedStep }, 'steps missing from the trace: the replay goes on from the next one');
        offset += contribution.step - expectedStep;
      }
      pending.push({ ...contribution, step: contribution.step - offset });
      if (pending.length === workers) {
        const batch = pending;
        pending = [];
        await runStep(batch, contribution.step);
      }
    } else if (entry.kind === 'update' && reproduction) {
      const update = fisherd.v1.Update.decode(entry.body);
      reproduction.recorded++;
      compare(update.step, update.delta);
    }
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
    bytesRead,
  };
}

/**
 * Decodes contributions with their float payloads in aligned arrays reused from step to step. A payload
 * inside a trace record is rarely 4-byte aligned, so the protocol codec would copy it into a fresh
 * Float32Array each step (megabytes per step: allocation and GC cost more than the copy). Here each
 * payload is copied into a kept buffer (one per worker and field) that the codec can then view. The
 * session keeps no reference to a contribution's arrays after its step.
 */
class ReusedPayloads {
  private readonly buffers = new Map<string, Uint8Array>();

  decode(body: Uint8Array, alwaysCopy: boolean): StepContribution {
    const wire = fisherd.v1.StepContribution.decode(body);
    const worker = wire.workerId;
    const aligned = (bytes: Uint8Array | null | undefined, field: string): Uint8Array => {
      if (!bytes) return new Uint8Array(0);
      if (bytes.length === 0 || (!alwaysCopy && bytes.byteOffset % 4 === 0)) return bytes;
      const key = `${worker}/${field}`;
      let buffer = this.buffers.get(key);
      if (buffer === undefined || buffer.length !== bytes.length) this.buffers.set(key, (buffer = new Uint8Array(bytes.length)));
      buffer.set(bytes);
      return buffer;
    };
    wire.perExampleGrads = aligned(wire.perExampleGrads, 'perExampleGrads');
    if (wire.sampledLabelGrads) wire.sampledLabelGrads.rows = aligned(wire.sampledLabelGrads.rows, 'sampledLabelGrads');
    if (wire.fisherFactorRows) wire.fisherFactorRows.rows = aligned(wire.fisherFactorRows.rows, 'fisherFactorRows');
    wire.meanGrad = aligned(wire.meanGrad, 'meanGrad');
    wire.params = aligned(wire.params, 'params');
    return contributionFromWire(wire);
  }
}

function validateOptions(options: ReplayOptions): void {
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
}

function isBackendName(name: string): name is BackendName {
  return name === 'reference' || name === 'openblas' || name === 'gpujs';
}

interface AvailableInputs {
  perExampleGrads: boolean;
  fisher: FisherSource | undefined;
}

/** What the trace's contributions carry, judged from the first one (a session requires it of all). */
function availableInputs(first: StepContribution, recorded: SessionConfig): AvailableInputs {
  const sampled = first.sampledLabelGrads !== undefined;
  const exact = first.fisherFactorRows !== undefined;
  const fisher: FisherSource | undefined = sampled && exact ? (recorded.fisherSource ?? 'sampled') : sampled ? 'sampled' : exact ? 'exact' : undefined;
  return { perExampleGrads: first.perExampleGrads !== undefined, fisher };
}

/**
 * The recorded config with another rule: every estimate the trace's inputs allow is tracked (for the
 * diagnostics), the rule's own needs are checked against the inputs (MISSING_INPUT, naming the rule).
 */
function replayConfig(recorded: SessionConfig, name: OptimizerName, available: AvailableInputs, options: ReplayOptions,
  backend: BackendName): SessionConfig {
  const optimizer = { ...recorded.optimizer, name, ...(options.damping === undefined ? {} : { damping: options.damping }) };
  if (name === 'adam' && optimizer.momentum !== undefined) delete (optimizer as { momentum?: number }).momentum;
  const needs = requiredEstimates(optimizer);
  const lacking = needs.fisher && available.fisher === undefined ? 'sampledLabelGrads or fisherFactorRows'
    : (needs.empiricalFisher || needs.noise) && !available.perExampleGrads ? 'perExampleGrads' : undefined;
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
    track: { empiricalFisher: available.perExampleGrads, noise: available.perExampleGrads, fisher: available.fisher !== undefined },
    ...(structure === undefined ? {}
      : recorded.blocks ? { blocks: recorded.blocks.map((b) => ({ ...b, structure })) } : { structure }),
  };
}
