/**
 * A replay worker thread (started by `SummaryPool`): for each job reads the frame from its segment file
 * into a buffer it keeps, checks it as `TraceReader` would (length and payload CRC, record envelope), decodes the
 * contribution and reduces it to a step summary with a Session of the replay's configuration
 * (`Session.summarize`, which changes nothing, so one Session serves every step), then sends the summary
 * back. Damage and invalid contributions go back as data (`SummaryReply`), never as a crash.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FisherdError, isFisherdError } from '../errors.js';
import { selectBackend } from '../linalg/select.js';
import { log } from '../log.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { Session } from '../session/session.js';
import { crc32c } from '../crc32c.js';
import { FRAME_FOOTER_BYTES, FRAME_HEADER_BYTES, maskCrc, maskedCrc32c } from './framing.js';
import { ReusedPayloads } from './payloads.js';
import type { RecordFailure } from './reader.js';
import { decodeContribution } from './contribution-record.js';
import { decodeRecord } from './record-codec.js';
import { summaryFields, summaryOver, type SummaryJob, type SummaryReply, type SummaryWorkerData } from './summary-pool.js';

const port = parentPort;
if (port === null) throw new Error('summary-worker.js runs as a worker thread (SummaryPool starts it)');
const { config, backend: backendName, rowsOffsetInFrame } = workerData as SummaryWorkerData;
const logger = log.child({ component: 'replay-worker' }, { level: 'warn' });
const backend = await selectBackend(backendName, logger);
const session = new Session(config, backend, logger);
const fields = summaryFields(config);
const payloads = new ReusedPayloads();
let file: { path: string; fd: number } | undefined;
/**
 * Frames are read into the backend's staging buffer (openblas: the WebAssembly kernels' memory, where
 * aligned rows are summed in place), `shift` bytes in, so that the per-example rows land 4-byte aligned:
 * the shift that aligned the last frame's rows (every frame of a session has the same layout).
 */
let shift = rowsOffsetInFrame === undefined ? 0 : (4 - (rowsOffsetInFrame % 4)) % 4;

/** Bytes per read: the CRC of each piece is taken right after it is read, while it is still in cache. */
const PIECE_BYTES = 1 << 20;

/**
 * Reads the job's frame into `frame` piece by piece, with the CRC-32C of the payload bytes among them;
 * returns the bytes read (fewer when the file is shorter now) and that CRC.
 */
function readFrame(job: SummaryJob, frame: Uint8Array): { have: number; payloadCrc: number } {
  if (file?.path !== job.path) {
    if (file) closeSync(file.fd);
    file = { path: job.path, fd: openSync(job.path, 'r') };
  }
  const payloadEnd = job.frameLength - FRAME_FOOTER_BYTES;
  let have = 0;
  let payloadCrc = 0;
  while (have < job.frameLength) {
    const n = readSync(file.fd, frame, have, Math.min(PIECE_BYTES, job.frameLength - have), job.offset + have);
    if (n === 0) break;
    const [from, to] = [Math.max(have, FRAME_HEADER_BYTES), Math.min(have + n, payloadEnd)];
    if (to > from) payloadCrc = crc32c(frame.subarray(from, to), payloadCrc);
    have += n;
  }
  return { have, payloadCrc };
}

function handle(job: SummaryJob): SummaryReply {
  const frame = backend.stagingBuffer(job.frameLength + 3).subarray(shift, shift + job.frameLength);
  let read: { have: number; payloadCrc: number };
  try {
    read = readFrame(job, frame);
  } catch (e) {
    return { id: job.id, kind: 'io-error', summary: job.summary, message: `cannot read ${job.path}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const failed = (failure: RecordFailure): SummaryReply => ({ id: job.id, kind: 'frame-failure', summary: job.summary, failure });
  if (read.have < job.frameLength) return failed({ status: 'incomplete' });
  const view = new DataView(frame.buffer, frame.byteOffset, job.frameLength);
  if (maskedCrc32c(frame.subarray(0, 8)) !== view.getUint32(8, true)) {
    // The main thread checked the length field before handing the frame on: it changed since.
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
    return { id: job.id, kind: 'frame-failure', summary: job.summary, failure: { status: 'undecodable', message: e.message } };
  }
  const wire = decodeContribution(body);
  if (typeof wire === 'string') return failed({ status: 'undecodable', message: wire });
  const recordedStep = Number(wire.step);
  try {
    const contribution = payloads.decode(body, false, wire);
    if (payloads.rowsByteOffset !== undefined) shift = (4 - ((payloads.rowsByteOffset - frame.byteOffset) % 4)) % 4;
    const { buffer, summary } = summaryOver(job.summary, fields, config.dim);
    const result = session.summarize([contribution], { step: recordedStep, out: summary });
    return {
      id: job.id, kind: 'summary', recordedStep, summary: buffer, batchSize: result.batchSize, loss: result.loss,
      params: result.params, fisherNormalization: summary.fisherNormalization,
    };
  } catch (e) {
    const error = e instanceof FisherdError
      ? { code: e.code, message: e.message, field: e.field, step: e.step }
      : { code: 'INTERNAL', message: `replay worker: ${e instanceof Error ? e.message : String(e)}`, field: undefined, step: recordedStep };
    return { id: job.id, kind: 'step-error', recordedStep, summary: job.summary, error };
  }
}

port.on('message', (job: SummaryJob) => {
  const reply = handle(job);
  port.postMessage(reply, reply.summary ? [reply.summary] : []);
});
