/**
 * Records one session's gradient stream: append-only segment files of TFRecord-framed TraceRecords,
 * rotated by size, written under a durability policy (docs/trace-format.md, "Durability").
 *
 * The daemon calls `TraceWriter.open(dir, header, policy)` when a session opens, `appendContribution`
 * with each StepContribution's bytes as received, `appendUpdate` with each Update's bytes before sending
 * it, and `close()` when the session ends. Under `{ sync: 'every-record' }` an append's promise resolves
 * only after `fdatasync` returned, so a daemon that awaits it sends an update only once the step is on
 * disk. Appends that arrive while a write is in flight are written and synced together (group commit).
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FisherdError } from '../errors.js';
import { log as defaultLog, type Logger } from '../log.js';
import { FISHERD_VERSION } from '../version.js';
import { encodeFrameFooter, encodeFrameHeader, FRAME_OVERHEAD_BYTES } from './framing.js';
import { TraceReader } from './reader.js';
import { encodeRecord, encodeRecordPrefix, TRACE_FORMAT_VERSION, TRACE_MAGIC, type TraceHeader, type TraceRecord } from './record-codec.js';
import { schemaHash } from './schema-hash.js';
import { listSegments, segmentFileName } from './segment-files.js';

/**
 * When recorded bytes are forced to disk (`fdatasync`). Every policy writes each record to the OS at
 * once, so a record whose append resolved survives a crash of fisherd (kill -9); the policy decides what
 * survives a crash of the machine (power loss, kernel panic).
 */
export type DurabilityPolicy =
  /** Sync before each append resolves. Every step whose update was sent is on disk. The default. */
  | { sync: 'every-record' }
  /** Sync after every `everyRecords` records and/or `everyMs` milliseconds after the first unsynced
   *  record (at least one must be given); a crash loses at most that many records or that much time. */
  | { sync: 'periodic'; everyRecords?: number; everyMs?: number }
  /** Sync only at rotation and `close()`. A machine crash may lose the open segment's unsynced tail. */
  | { sync: 'on-close' };

export interface TraceWriterOptions {
  /** Start a new segment once the current one would exceed this many bytes. Default 128 MiB. */
  maxSegmentBytes?: number;
  /** Clock for `recorded_at_ms` and `created_at_ms` (ms since the epoch). Default `Date.now`. */
  now?: () => number;
  /** Where recovery warnings go. Default: the library logger. */
  logger?: Logger;
}

/** What the daemon knows about a session when it starts recording it; the writer adds the rest. */
export interface TraceHeaderInit {
  sessionId: string;
  /** The encoded `fisherd` SessionConfig message of the session. */
  sessionConfig: Uint8Array;
  /** The compute backend the session runs on (e.g. "reference"), so a replay can match it. */
  backend: string;
}

export interface TraceWriterStats {
  segments: number;
  records: number;
  bytes: number;
  syncs: number;
}

const DEFAULT_MAX_SEGMENT_BYTES = 128 * 1024 * 1024;
/** Linux's IOV_MAX is 1024 buffers per writev. */
const MAX_BUFFERS_PER_WRITE = 1000;

type Job =
  | { kind: 'record'; parts: Uint8Array[]; bytes: number; done: Settle }
  | { kind: 'sync'; done: Settle }
  | { kind: 'close'; done: Settle };
interface Settle { resolve: () => void; reject: (e: unknown) => void }

export class TraceWriter {
  private handle: FileHandle | undefined;
  private segmentIndex: number;
  private segmentBytes = 0;
  private segmentRecords = 0;
  private unsyncedRecords = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly queue: Job[] = [];
  private running = false;
  private failure: unknown;
  private closed = false;
  private readonly statsValue: TraceWriterStats = { segments: 0, records: 0, bytes: 0, syncs: 0 };

  private constructor(
    readonly dir: string,
    private readonly headerInit: TraceHeaderInit,
    readonly policy: DurabilityPolicy,
    private readonly maxSegmentBytes: number,
    private readonly now: () => number,
    lastSegmentIndex: number,
  ) {
    this.segmentIndex = lastSegmentIndex;
  }

  /**
   * Opens a session's trace directory for recording (creating it). Existing segments are kept: the last
   * one is recovered (a torn tail truncated to the last good record, with a warning, and an end record
   * appended) and recording goes on in a new segment.
   */
  static async open(dir: string, header: TraceHeaderInit, policy: DurabilityPolicy = { sync: 'every-record' },
    options: TraceWriterOptions = {}): Promise<TraceWriter> {
    validatePolicy(policy);
    const maxSegmentBytes = options.maxSegmentBytes ?? DEFAULT_MAX_SEGMENT_BYTES;
    if (!(maxSegmentBytes >= 1024)) {
      throw new FisherdError('INVALID_CONFIG', 'maxSegmentBytes must be at least 1024', { field: 'maxSegmentBytes' });
    }
    const logger = options.logger ?? defaultLog;
    await mkdir(dir, { recursive: true });
    const existing = await listSegments(dir);
    const last = existing.at(-1);
    if (last) await recoverSegment(last.path, logger, options.now ?? Date.now);
    const writer = new TraceWriter(dir, header, policy, maxSegmentBytes, options.now ?? Date.now, last?.index ?? 0);
    await writer.startSegment();
    return writer;
  }

  get stats(): Readonly<TraceWriterStats> {
    return this.statsValue;
  }

  /** Records a StepContribution message's bytes, as received. */
  appendContribution(bytes: Uint8Array): Promise<void> {
    return this.append('contribution', bytes);
  }

  /** Records an Update message's bytes, as sent. */
  appendUpdate(bytes: Uint8Array): Promise<void> {
    return this.append('update', bytes);
  }

  /** Forces everything appended so far to disk. */
  flush(): Promise<void> {
    return this.enqueue((done) => ({ kind: 'sync', done }));
  }

  /** Writes the end record, syncs and closes. Appends after `close` are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    const closing = this.enqueue((done) => ({ kind: 'close', done }));
    this.closed = true;
    try {
      await closing;
    } catch (e) {
      // After a failed write no end record can follow, but the file descriptor must still be released.
      const handle = this.handle;
      this.handle = undefined;
      await handle?.close().catch(() => {});
      throw e;
    }
  }

  private append(kind: 'contribution' | 'update', body: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new FisherdError('INTERNAL', `append to a closed trace writer (${this.dir})`));
    const prefix = encodeRecordPrefix(kind, body.length, this.now());
    const payloadLength = prefix.length + body.length;
    const parts = [encodeFrameHeader(payloadLength), prefix, body, encodeFrameFooter([prefix, body])];
    return this.enqueue((done) => ({ kind: 'record', parts, bytes: payloadLength + FRAME_OVERHEAD_BYTES, done }));
  }

  private enqueue(make: (done: Settle) => Job): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.failure !== undefined) return reject(this.failure);
      this.queue.push(make({ resolve, reject }));
      if (!this.running) {
        this.running = true;
        void this.drain();
      }
    });
  }

  /** Writes everything queued, in batches: one writev and at most one sync per batch. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        await this.runBatch(batch);
        for (const job of batch) job.done.resolve();
      } catch (e) {
        this.failure = e;
        for (const job of [...batch, ...this.queue.splice(0)]) job.done.reject(e);
      }
    }
    this.running = false;
  }

  private async runBatch(batch: Job[]): Promise<void> {
    let pending: Uint8Array[] = [];
    let mustSync = false;
    for (const job of batch) {
      if (job.kind === 'record') {
        if (this.segmentRecords > 1 && this.segmentBytes + job.bytes > this.maxSegmentBytes) {
          await this.writeParts(pending);
          pending = [];
          await this.rotate();
        }
        pending.push(...job.parts);
        this.countRecord(job.bytes);
        this.unsyncedRecords++;
        if (this.policy.sync === 'every-record') mustSync = true;
        else if (this.policy.sync === 'periodic' && this.policy.everyRecords !== undefined
          && this.unsyncedRecords >= this.policy.everyRecords) mustSync = true;
      } else if (job.kind === 'sync') {
        mustSync = true;
      } else {
        await this.writeParts(pending);
        pending = [];
        await this.finishSegment(false);
        return; // nothing can follow a close (appends after it are refused)
      }
    }
    await this.writeParts(pending);
    if (mustSync) await this.sync();
    else this.armTimer();
  }

  private countRecord(bytes: number): void {
    this.segmentBytes += bytes;
    this.segmentRecords++;
    this.statsValue.records++;
    this.statsValue.bytes += bytes;
  }

  private async writeParts(parts: Uint8Array[]): Promise<void> {
    const handle = this.handle!;
    for (let first = 0; first < parts.length; first += MAX_BUFFERS_PER_WRITE) {
      let buffers = parts.slice(first, first + MAX_BUFFERS_PER_WRITE);
      let remaining = buffers.reduce((n, b) => n + b.length, 0);
      // A regular file may accept fewer bytes than asked (e.g. past 2 GiB per call): write the rest.
      while (remaining > 0) {
        const { bytesWritten } = await handle.writev(buffers);
        remaining -= bytesWritten;
        buffers = dropBytes(buffers, bytesWritten);
      }
    }
  }

  private async sync(): Promise<void> {
    this.clearTimer();
    if (this.unsyncedRecords === 0) return;
    await this.handle!.datasync();
    this.unsyncedRecords = 0;
    this.statsValue.syncs++;
  }

  private armTimer(): void {
    if (this.policy.sync !== 'periodic' || this.policy.everyMs === undefined || this.timer !== undefined) return;
    if (this.unsyncedRecords === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.flush().catch(() => undefined); // a failure is kept and rejects the next append
    }, this.policy.everyMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async startSegment(): Promise<void> {
    this.segmentIndex++;
    const path = join(this.dir, segmentFileName(this.segmentIndex));
    // 'wx': never clobber a segment; 'a': every write appends.
    this.handle = await open(path, 'wx');
    await this.handle.close();
    this.handle = await open(path, 'a');
    this.segmentBytes = 0;
    this.segmentRecords = 0;
    this.statsValue.segments++;
    const header: TraceHeader = {
      magic: TRACE_MAGIC,
      formatVersion: TRACE_FORMAT_VERSION,
      schemaHash: schemaHash(),
      fisherdVersion: FISHERD_VERSION,
      sessionId: this.headerInit.sessionId,
      sessionConfig: this.headerInit.sessionConfig,
      createdAtMs: this.now(),
      segmentIndex: this.segmentIndex,
      backend: this.headerInit.backend,
    };
    await this.writeSmallRecord({ kind: 'header', header, recordedAtMs: header.createdAtMs });
    // The header and the new directory entry are made durable at once, whatever the policy: a segment
    // that exists after a crash always starts with its header.
    this.unsyncedRecords = 1;
    await this.sync();
    await syncDirectory(this.dir);
  }

  private async rotate(): Promise<void> {
    await this.finishSegment(true);
    await this.startSegment();
  }

  private async finishSegment(continued: boolean): Promise<void> {
    this.clearTimer();
    await this.writeSmallRecord({ kind: 'end', end: { records: this.segmentRecords, continued, recovered: false }, recordedAtMs: this.now() });
    this.unsyncedRecords++;
    await this.sync();
    await this.handle!.close();
    this.handle = undefined;
  }

  private async writeSmallRecord(record: TraceRecord): Promise<void> {
    const payload = encodeRecord(record);
    const parts = [encodeFrameHeader(payload.length), payload, encodeFrameFooter([payload])];
    await this.writeParts(parts);
    this.countRecord(payload.length + FRAME_OVERHEAD_BYTES);
  }
}

function validatePolicy(policy: DurabilityPolicy): void {
  if (policy.sync !== 'periodic') return;
  const { everyRecords, everyMs } = policy;
  if (everyRecords === undefined && everyMs === undefined) {
    throw new FisherdError('INVALID_CONFIG', 'a periodic durability policy needs everyRecords or everyMs', { field: 'durability' });
  }
  if (everyRecords !== undefined && !(Number.isInteger(everyRecords) && everyRecords >= 1)) {
    throw new FisherdError('INVALID_CONFIG', `everyRecords must be an integer ≥ 1, got ${everyRecords}`, { field: 'durability.everyRecords' });
  }
  if (everyMs !== undefined && !(everyMs > 0 && Number.isFinite(everyMs))) {
    throw new FisherdError('INVALID_CONFIG', `everyMs must be a positive number, got ${everyMs}`, { field: 'durability.everyMs' });
  }
}

/** The buffers left after the first `count` bytes were written. */
function dropBytes(buffers: Uint8Array[], count: number): Uint8Array[] {
  let i = 0;
  while (i < buffers.length && count >= buffers[i]!.length) count -= buffers[i++]!.length;
  const rest = buffers.slice(i);
  if (rest.length > 0 && count > 0) rest[0] = rest[0]!.subarray(count);
  return rest;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes a segment left by an earlier writer well formed: truncates a torn tail to the last good record
 * and appends an end record (`recovered`). A segment corrupt in the middle is left as it is (evidence),
 * with an error logged; recording goes on in a new segment either way.
 */
async function recoverSegment(path: string, logger: Logger, now: () => number): Promise<void> {
  const reader = new TraceReader([path], { continueAfterCorruption: true, logger, checkHeaders: false }); // the framing alone
  let goodEnd = 0;
  let records = 0;
  for await (const entry of reader) {
    goodEnd = entry.offset + entry.frameLength;
    records++;
  }
  const summary = reader.segments[0]!;
  if (summary.end !== undefined) return;
  if (reader.damage.some((d) => d.kind === 'corrupt') || summary.header === undefined) {
    logger.error({ path }, 'trace segment is corrupt before its tail; left as it is, recording goes on in a new segment');
    return;
  }
  const handle = await open(path, 'r+');
  try {
    if (goodEnd < summary.fileBytes) {
      logger.warn({ path, truncatedAt: goodEnd, bytesDropped: summary.fileBytes - goodEnd }, 'truncating a torn trace tail to the last good record');
      await handle.truncate(goodEnd);
    }
    const payload = encodeRecord({ kind: 'end', end: { records, continued: true, recovered: true }, recordedAtMs: now() });
    await handle.write(Buffer.concat([encodeFrameHeader(payload.length), payload, encodeFrameFooter([payload])]), 0,
      payload.length + FRAME_OVERHEAD_BYTES, goodEnd);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
