/**
 * A replay worker thread (started by `SummaryPool`): for each job reads the frame from its segment file
 * into a buffer it keeps, checks it as `TraceReader` would (payload CRC, record envelope), decodes the
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
import { checkFrame } from './framing.js';
import { ReusedPayloads } from './payloads.js';
import { decodeRecord } from './record-codec.js';
import { summaryFields, summaryOver, type SummaryJob, type SummaryReply, type SummaryWorkerData } from './summary-pool.js';

const port = parentPort;
if (port === null) throw new Error('summary-worker.js runs as a worker thread (SummaryPool starts it)');
const { config, backend: backendName } = workerData as SummaryWorkerData;
const logger = log.child({ component: 'replay-worker' }, { level: 'warn' });
const backend = await selectBackend(backendName, logger);
const session = new Session(config, backend, logger);
const fields = summaryFields(config);
const payloads = new ReusedPayloads();
let frame = new Uint8Array(0);
let file: { path: string; fd: number } | undefined;

/** Reads the job's frame into `frame`; returns the bytes read (fewer when the file is shorter now). */
function readFrame(job: SummaryJob): number {
  if (file?.path !== job.path) {
    if (file) closeSync(file.fd);
    file = { path: job.path, fd: openSync(job.path, 'r') };
  }
  if (frame.length < job.frameLength) frame = new Uint8Array(job.frameLength);
  let have = 0;
  while (have < job.frameLength) {
    const n = readSync(file.fd, frame, have, job.frameLength - have, job.offset + have);
    if (n === 0) break;
    have += n;
  }
  return have;
}

function handle(job: SummaryJob): SummaryReply {
  let have: number;
  try {
    have = readFrame(job);
  } catch (e) {
    return { id: job.id, kind: 'io-error', summary: job.summary, message: `cannot read ${job.path}: ${e instanceof Error ? e.message : String(e)}` };
  }
  const check = checkFrame(frame, 0, have, job.frameLength);
  if (check.status === 'incomplete' || check.status === 'bad-payload-crc') {
    return { id: job.id, kind: 'frame-failure', summary: job.summary, failure: { status: check.status } };
  }
  if (check.status !== 'ok') {
    // The main thread checked the length field before handing the frame on: it changed since.
    return { id: job.id, kind: 'frame-failure', summary: job.summary, failure: { status: 'undecodable', message: `the frame header changed on disk (${check.status})` } };
  }
  let body: Uint8Array;
  try {
    const record = decodeRecord(frame.subarray(check.payloadStart, check.payloadStart + check.payloadLength));
    if (record.kind !== 'contribution') throw new FisherdError('TRACE_CORRUPT', `a ${record.kind} record where a contribution was announced`);
    body = record.body;
  } catch (e) {
    if (!isFisherdError(e, 'TRACE_CORRUPT')) throw e;
    return { id: job.id, kind: 'frame-failure', summary: job.summary, failure: { status: 'undecodable', message: e.message } };
  }
  let recordedStep = 0;
  try {
    recordedStep = Number(fisherd.v1.StepContribution.decode(body).step);
    const contribution = payloads.decode(body, false);
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
