/**
 * Reads one contribution frame of a trace (`DeferredFrame`: where it is), checks it as `TraceReader`
 * would (length and payload CRC-32C, record envelope), decodes the contribution and reduces it to a step
 * summary with a Session of the replay's configuration (`Session.summarize`, which changes nothing, so one
 * Session serves every frame). What each of the replay's worker threads runs (summary-worker.ts). Damage
 * and invalid contributions come back as data (`SummaryReply`), never as a throw.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32c } from '../crc32c.js';
import { FisherdError, isFisherdError } from '../errors.js';
import type { Backend } from '../linalg/backend.js';
import type { Logger } from '../log.js';
import type { DiagonalBatchSummary } from '../curvature/batch-summary.js';
import { curvatureConfig, validateSessionConfig, type SessionConfig } from '../session/config.js';
import { Session } from '../session/session.js';
import { decodeContribution } from './contribution-record.js';
import { FRAME_FOOTER_BYTES, FRAME_HEADER_BYTES, maskCrc, maskedCrc32c } from './framing.js';
import { ReusedPayloads } from './payloads.js';
import type { RecordFailure } from './reader.js';
import { decodeRecord } from './record-codec.js';

/** One frame for a worker, and a buffer for its summary. */
export interface SummaryJob {
  id: number;
  path: string;
  offset: number;
  frameLength: number;
  /** Float64 vectors in `summaryFields` order; allocated by the worker when absent. */
  summary: ArrayBuffer | undefined;
}

/** What a worker sends back for a job. */
export type SummaryReply =
  | { id: number; kind: 'summary'; recordedStep: number; summary: ArrayBuffer; batchSize: number; loss: number | undefined;
      params: Float64Array | undefined; fisherNormalization: number | undefined; lossAfterPreviousUpdate?: number }
  | { id: number; kind: 'step-error'; recordedStep: number; summary: ArrayBuffer | undefined;
      error: { code: string; message: string; field: string | undefined; step: number | undefined } }
  | { id: number; kind: 'frame-failure'; summary: ArrayBuffer | undefined; failure: RecordFailure }
  | { id: number; kind: 'io-error'; summary: ArrayBuffer | undefined; message: string };

export type SummaryField = 'mean' | 'squares' | 'centredSquares' | 'fisherSquares';

/** The vectors a summary of `config` holds, in buffer order. */
export function summaryFields(config: SessionConfig): SummaryField[] {
  const { track } = curvatureConfig(validateSessionConfig(config));
  return [
    'mean',
    ...(track.empiricalFisher ? ['squares' as const] : []),
    ...(track.noise ? ['centredSquares' as const] : []),
    ...(track.fisher ? ['fisherSquares' as const] : []),
  ];
}

/** A summary whose vectors are views of `buffer` (allocated when undefined or too small). */
export function summaryOver(buffer: ArrayBuffer | undefined, fields: readonly SummaryField[], dim: number): { buffer: ArrayBuffer; summary: DiagonalBatchSummary } {
  const bytes = fields.length * dim * 8;
  const backing = buffer !== undefined && buffer.byteLength >= bytes ? buffer : new ArrayBuffer(bytes);
  const summary: DiagonalBatchSummary = { batchSize: 0, mean: new Float64Array(backing, 0, dim) };
  fields.forEach((field, i) => {
    if (field !== 'mean') summary[field] = new Float64Array(backing, i * dim * 8, dim);
  });
  return { buffer: backing, summary };
}

/** Bytes per read: the CRC of each piece is taken right after it is read, while it is still in cache. */
const PIECE_BYTES = 1 << 20;

export class FrameSummarizer {
  private readonly session: Session;
  private readonly fields: ReturnType<typeof summaryFields>;
  private readonly payloads = new ReusedPayloads();
  private file: { path: string; fd: number } | undefined;
  /**
   * Frames are read into the backend's staging buffer (openblas: the WebAssembly kernels' memory, where
   * aligned rows are summed in place), `shift` bytes in, so that the per-example rows land 4-byte aligned:
   * the shift that aligned the last frame's rows (every frame of a session has the same layout).
   */
  private shift: number;

  /** `rowsOffsetInFrame`: where the per-example rows start in a frame, as far as the first one tells. */
  constructor(private readonly config: SessionConfig, private readonly backend: Backend, logger: Logger, rowsOffsetInFrame: number | undefined) {
    this.session = new Session(config, backend, logger);
    this.fields = summaryFields(config);
    this.shift = rowsOffsetInFrame === undefined ? 0 : (4 - (rowsOffsetInFrame % 4)) % 4;
  }

  /** The summary of the job's frame (into `job.summary` when large enough), or why there is none. */
  summarize(job: SummaryJob): SummaryReply {
    const frame = this.backend.stagingBuffer(job.frameLength + 3).subarray(this.shift, this.shift + job.frameLength);
    let read: { have: number; payloadCrc: number };
    try {
      read = this.read(job, frame);
    } catch (e) {
      return { id: job.id, kind: 'io-error', summary: job.summary, message: `cannot read ${job.path}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const failed = (failure: RecordFailure): SummaryReply => ({ id: job.id, kind: 'frame-failure', summary: job.summary, failure });
    if (read.have < job.frameLength) return failed({ status: 'incomplete' });
    const view = new DataView(frame.buffer, frame.byteOffset, job.frameLength);
    if (maskedCrc32c(frame.subarray(0, 8)) !== view.getUint32(8, true)) {
      // The reader checked the length field before handing the frame on: it changed since.
      return failed({ status: 'undecodable', message: 'the frame header changed on disk' });
    }
    const payloadEnd = job.frameLength - FRAME_FOOTER_BYTES;
    if (maskCrc(read.payloadCrc) !== view.getUint32(payloadEnd, true)) return failed({ status: 'bad-payload-crc' });
    let body: Uint8Array;
    try {
      const record = decodeRecord(frame.subarray(FRAME_HEADER_BYTES, payloadEnd));
      if (record.kind !== 'contribution') throw new FisherdError('TRACE_CORRUPT', `a ${record.kind} record where a contribution was announced`);
      body = record.body;
    } catch (e) {
      if (!isFisherdError(e, 'TRACE_CORRUPT')) throw e;
      return failed({ status: 'undecodable', message: e.message });
    }
    const wire = decodeContribution(body);
    if (typeof wire === 'string') return failed({ status: 'undecodable', message: wire });
    const recordedStep = Number(wire.step);
    try {
      const contribution = this.payloads.decode(body, false, wire);
      if (this.payloads.rowsByteOffset !== undefined) this.shift = (4 - ((this.payloads.rowsByteOffset - frame.byteOffset) % 4)) % 4;
      const { buffer, summary } = summaryOver(job.summary, this.fields, this.config.dim);
      const result = this.session.summarize([contribution], { step: recordedStep, out: summary });
      return {
        id: job.id, kind: 'summary', recordedStep, summary: buffer, batchSize: result.batchSize, loss: result.loss,
        params: result.params, fisherNormalization: summary.fisherNormalization,
        ...(result.lossAfterPreviousUpdate === undefined ? {} : { lossAfterPreviousUpdate: result.lossAfterPreviousUpdate }),
      };
    } catch (e) {
      const error = e instanceof FisherdError
        ? { code: e.code, message: e.message, field: e.field, step: e.step }
        : { code: 'INTERNAL', message: `replay: ${e instanceof Error ? e.message : String(e)}`, field: undefined, step: recordedStep };
      return { id: job.id, kind: 'step-error', recordedStep, summary: job.summary, error };
    }
  }

  /**
   * Prepares for frames of `frameBytes` bytes: grows the staging buffer to one (touching its pages) and runs
   * the summary kernels once on a few zero rows there, so that the first frames pay for neither (~50–100 ms
   * at 12.8 MB frames: memory growth, page faults, kernel compilation). Changes no result.
   */
  warmUp(frameBytes: number): void {
    const staging = this.backend.stagingBuffer(frameBytes + 3);
    staging.fill(0);
    const n = this.config.dim;
    const k = Math.min(8, Math.floor(staging.length / (4 * n)));
    if (k === 0 || staging.byteOffset % 4 !== 0) return;
    const rows = new Float32Array(staging.buffer, staging.byteOffset, k * n);
    const [d, sums, centred, centredSums] = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    this.backend.syrkDiag(d, rows, k, n, 1, 0, { out: sums, alpha: 1, beta: 0 }, { centre: rows.subarray(0, n), out: centred, sums: centredSums, alpha: 1, beta: 0 });
    this.backend.syrkDiag(d, rows, k, n, 1, 0);
  }

  close(): void {
    if (this.file) closeSync(this.file.fd);
    this.file = undefined;
  }

  /** Reads the frame piece by piece, with the CRC-32C of the payload bytes among them. */
  private read(job: SummaryJob, frame: Uint8Array): { have: number; payloadCrc: number } {
    if (this.file?.path !== job.path) {
      this.close();
      this.file = { path: job.path, fd: openSync(job.path, 'r') };
    }
    const payloadEnd = job.frameLength - FRAME_FOOTER_BYTES;
    let have = 0;
    let payloadCrc = 0;
    while (have < job.frameLength) {
      const n = readSync(this.file.fd, frame, have, Math.min(PIECE_BYTES, job.frameLength - have), job.offset + have);
      if (n === 0) break;
      const [from, to] = [Math.max(have, FRAME_HEADER_BYTES), Math.min(have + n, payloadEnd)];
      if (to > from) payloadCrc = crc32c(frame.subarray(from, to), payloadCrc);
      have += n;
    }
    return { have, payloadCrc };
  }
}
