/**
 * Streaming trace reader: async iteration over the records of one or more segment files, in constant
 * memory (one read buffer of `chunkBytes`, grown only to fit the largest record), never the whole file.
 *
 * Damage policy (docs/trace-format.md):
 * - a torn tail (a last record cut short, a zero-filled tail, or a last record failing its CRC: what a
 *   crash mid-write leaves) is skipped with a warning and counted; reading goes on with the next segment;
 * - a CRC mismatch or an undecodable record in the middle of a segment is reported with its byte offset:
 *   `TRACE_CORRUPT` is thrown, or, with `continueAfterCorruption`, the rest of that segment is skipped and
 *   reading goes on with the next segment;
 * - a segment of an unknown format version is refused (`TRACE_VERSION`), whatever the options;
 * - a segment without its end record, or a gap in the segment numbers, is reported as damage (a warning).
 * Every finding is kept in `damage`, so `trace verify` can list them all.
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { FisherdError, isFisherdError } from '../errors.js';
import { log as defaultLog, type Logger } from '../log.js';
import { checkFrame, FRAME_HEADER_BYTES, type FrameCheck } from './framing.js';
import { checkHeader, MAX_HEADER_RECORD_BYTES, type CheckedSessionConfig } from './header-check.js';
import { decodeRecord, peekRecordKind, TRACE_FORMAT_VERSION, TRACE_MAGIC, type TraceEnd, type TraceHeader, type TraceRecord } from './record-codec.js';
import { resolveTracePaths } from './segment-files.js';

export interface TraceReaderOptions {
  /** After a corrupt record in the middle of a segment, skip to the next segment instead of throwing
   *  `TRACE_CORRUPT`. Default false. */
  continueAfterCorruption?: boolean;
  /** Size of each read from disk and of the initial buffer, in bytes. Default 1 MiB. */
  chunkBytes?: number;
  /** Largest record accepted; a longer (CRC-valid) length is corruption. Default 1 GiB. */
  maxRecordBytes?: number;
  /** Where warnings go. Default: the library logger. */
  logger?: Logger;
  /**
   * Read with blocking reads (`readSync`) instead of the thread pool's: no round trip through the event
   * loop per read, for a consumer with nothing else to do meanwhile (a replay); the event loop waits for
   * each read. Default false.
   */
  blockingReads?: boolean;
  /**
   * Check every segment header as replay needs it (`checkHeader`: its fields, and its session config
   * decoded and validated as the daemon validates OpenSession); a header that fails is corruption
   * (`TRACE_CORRUPT` with the file and byte offset, or with `continueAfterCorruption` the segment is
   * skipped). Default true; false only for readers that look at the framing alone (the writer's recovery).
   */
  checkHeaders?: boolean;
}

/** Payload bytes read of a long frame to tell its kind (the timestamp field, then the body's tag). */
const PEEK_BYTES = 24;

const DEFAULTS = { continueAfterCorruption: false, chunkBytes: 1 << 20, maxRecordBytes: 1 << 30, blockingReads: false, checkHeaders: true } as const;

/** A record as read, with where it was found. Payload views (`body`) are valid until the next step. */
export type TraceEntry = TraceRecord & {
  /** The segment file. */
  path: string;
  /** Byte offset of the frame in the file. */
  offset: number;
  /** Bytes of the frame (payload + 16 bytes of framing). */
  frameLength: number;
  /** The header of the segment this record belongs to. */
  segmentHeader: TraceHeader;
};

export type TraceDamageKind = 'torn-tail' | 'corrupt' | 'unterminated' | 'missing-segment';

export interface TraceDamage {
  kind: TraceDamageKind;
  path: string;
  /** Byte offset in `path` where the damage starts (the file size for `unterminated`). */
  offset: number;
  message: string;
}

/**
 * A contribution record that `TraceReader.deferring` handed on unread: where its frame is. Its length field
 * passed its CRC; the payload has not been read or checked. The caller reads the frame, checks it
 * (`checkFrame`, `decodeRecord`) and reports a failure with `TraceReader.recordFailed`.
 */
export interface DeferredFrame {
  kind: 'deferred-contribution';
  path: string;
  offset: number;
  frameLength: number;
  segmentHeader: TraceHeader;
}

/** Why a record failed its caller's check (a deferred frame's CRC, or a payload that does not decode). */
export type RecordFailure =
  | { status: 'bad-payload-crc' | 'incomplete' }
  | { status: 'undecodable'; message: string };

/** What one segment held, for `trace inspect`. */
export interface SegmentSummary {
  path: string;
  header: TraceHeader | undefined;
  records: number;
  contributions: number;
  updates: number;
  /** Bytes of intact frames. */
  bytes: number;
  /** File size when it was read. */
  fileBytes: number;
  /** The end record, when the segment has one. */
  end: TraceEnd | undefined;
  /** The header's session config, decoded and validated (`checkHeaders`); undefined before the header or when not checked. */
  config: CheckedSessionConfig | undefined;
}

export class TraceReader implements AsyncIterable<TraceEntry> {
  /** Everything found wrong so far, in reading order. */
  readonly damage: TraceDamage[] = [];
  /** One summary per segment read so far. */
  readonly segments: SegmentSummary[] = [];
  private readonly options: Required<Omit<TraceReaderOptions, 'logger'>>;
  private readonly log: Logger;
  // A plain Uint8Array, not a Buffer: a consumer's `body.slice()` must copy (Buffer#slice is a view).
  private buffer: Uint8Array;
  private started = false;

  /** `paths` are segment files in order (see `openTrace` for directories). */
  constructor(private readonly paths: readonly string[], options: TraceReaderOptions = {}) {
    this.options = {
      continueAfterCorruption: options.continueAfterCorruption ?? DEFAULTS.continueAfterCorruption,
      chunkBytes: options.chunkBytes ?? DEFAULTS.chunkBytes,
      maxRecordBytes: options.maxRecordBytes ?? DEFAULTS.maxRecordBytes,
      blockingReads: options.blockingReads ?? DEFAULTS.blockingReads,
      checkHeaders: options.checkHeaders ?? DEFAULTS.checkHeaders,
    };
    if (!(this.options.chunkBytes >= 64)) throw new FisherdError('INVALID_CONFIG', 'chunkBytes must be ≥ 64', { field: 'chunkBytes' });
    this.log = options.logger ?? defaultLog;
    this.buffer = new Uint8Array(this.options.chunkBytes);
  }

  /** Current size of the read buffer: the reader's memory apart from the caller's copies. */
  get bufferBytes(): number {
    return this.buffer.length;
  }

  /** Torn tails skipped so far. */
  get tornTails(): number {
    return this.damage.filter((d) => d.kind === 'torn-tail').length;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TraceEntry> {
    for await (const entry of this.read(() => false)) yield entry as TraceEntry; // nothing is deferred
  }

  /**
   * Like iterating the reader, except that contribution records whose frame length `defer` accepts (asked
   * as each long frame comes) are not read: they come as `DeferredFrame`s (the reader reads their first bytes only, to tell the
   * kind, and moves on), for a caller that reads and checks them elsewhere, e.g. in worker threads.
   */
  deferring(defer: (frameLength: number) => boolean): AsyncGenerator<TraceEntry | DeferredFrame> {
    return this.read(defer);
  }

  /**
   * Records the failure of a caller's check of a record (a deferred frame's CRC; a contribution or an
   * update, `kind`, whose payload does not decode) as damage, as the reader would have: a torn tail when a frame failing its CRC
   * ends the file, corruption otherwise (then TRACE_CORRUPT is thrown unless `continueAfterCorruption`;
   * the caller skips the rest of that segment).
   */
  recordFailed(frame: { path: string; offset: number; frameLength: number }, failure: RecordFailure,
    kind: 'contribution' | 'update' = 'contribution'): TraceDamage {
    const { path, offset, frameLength } = frame;
    const summary = this.segments.find((s) => s.path === path);
    if (summary) {
      summary.records--;
      if (kind === 'contribution') summary.contributions--;
      else summary.updates--;
      summary.bytes -= frameLength;
    }
    const last = summary !== undefined && offset + frameLength >= summary.fileBytes && failure.status !== 'undecodable';
    const damage: TraceDamage = failure.status === 'undecodable'
      ? { kind: 'corrupt', path, offset, message: `${failure.message} (record at byte ${offset} of ${path})` }
      : last
        ? { kind: 'torn-tail', path, offset, message: `the last record of ${path} (byte ${offset}) fails its CRC: a torn write` }
        : { kind: 'corrupt', path, offset, message: `CRC mismatch in the record at byte ${offset} of ${path}` };
    if (damage.kind === 'torn-tail') {
      // The reader went on past the frame and found no end record: a torn tail explains that, as it does
      // when the reader meets one itself (then it reports only the torn tail).
      const unterminated = this.damage.findIndex((d) => d.kind === 'unterminated' && d.path === path);
      if (unterminated >= 0) this.damage.splice(unterminated, 1);
    }
    this.report(damage);
    if (damage.kind === 'corrupt') this.onCorrupt(damage);
    return damage;
  }

  private async *read(defer: (frameLength: number) => boolean): AsyncGenerator<TraceEntry | DeferredFrame> {
    if (this.started) throw new Error('a TraceReader can be iterated once');
    this.started = true;
    let previous: SegmentSummary | undefined;
    for (const path of this.paths) {
      const summary: SegmentSummary = { path, header: undefined, records: 0, contributions: 0, updates: 0, bytes: 0, fileBytes: 0, end: undefined, config: undefined };
      this.segments.push(summary);
      yield* this.readSegment(path, summary, defer);
      const header = summary.header;
      if (previous?.header && header && previous.header.sessionId === header.sessionId
        && header.segmentIndex !== previous.header.segmentIndex + 1) {
        this.report({ kind: 'missing-segment', path, offset: 0,
          message: `segment ${header.segmentIndex} follows segment ${previous.header.segmentIndex} of session ${header.sessionId}` });
      }
      previous = summary;
    }
    if (previous?.end?.continued) {
      this.report({ kind: 'missing-segment', path: previous.path, offset: previous.fileBytes,
        message: `segment ${previous.header?.segmentIndex} ends saying another follows, but it was not given` });
    }
  }

  private async *readSegment(path: string, summary: SegmentSummary, defer: (frameLength: number) => boolean): AsyncGenerator<TraceEntry | DeferredFrame> {
    const handle = await open(path, 'r');
    try {
      summary.fileBytes = (await handle.stat()).size;
      let start = 0; // next frame in `buffer`
      let end = 0; // bytes of `buffer` holding file data
      let base = 0; // file offset of buffer[0]
      let eof = false;
      let frames = 0; // intact frames before the current one (the end record counts them); unlike `summary.records`, never corrected by `recordFailed`
      // Makes `need` bytes from `start` available (or reaches the end of the file), reading whole chunks.
      const fill = async (need: number): Promise<void> => {
        if (this.buffer.length - start < need) {
          if (this.buffer.length < need) {
            const grown = new Uint8Array(Math.max(need, this.options.chunkBytes));
            grown.set(this.buffer.subarray(start, end));
            this.buffer = grown;
          } else {
            this.buffer.copyWithin(0, start, end);
          }
          base += start;
          end -= start;
          start = 0;
        }
        while (end - start < need && !eof) {
          // A chunk, or what the frame still needs: never the whole of a buffer grown for a long record
          // (after a long record the buffer is large, and the records after it may be passed over unread).
          const want = Math.min(this.buffer.length - end, Math.max(this.options.chunkBytes, need - (end - start)));
          const bytesRead = this.options.blockingReads
            ? readSync(handle.fd, this.buffer, end, want, base + end)
            : (await handle.read(this.buffer, end, want, base + end)).bytesRead;
          if (bytesRead === 0) eof = true;
          end += bytesRead;
        }
      };

      for (;;) {
        if (end - start < 12) await fill(12);
        if (start === end) break; // clean end of the segment
        // A header is small (MAX_HEADER_RECORD_BYTES); a longer first record is refused before it is read.
        const maxRecordBytes = summary.header === undefined ? Math.min(this.options.maxRecordBytes, MAX_HEADER_RECORD_BYTES) : this.options.maxRecordBytes;
        let check: FrameCheck = checkFrame(this.buffer, start, end, maxRecordBytes);
        if ((check.status === 'incomplete' || check.status === 'ok') && summary.header !== undefined && summary.end === undefined
          && base + start + check.frameLength <= summary.fileBytes && defer(check.frameLength)) {
          // A frame wholly in the file that the caller would take unread: is it a contribution? Its first bytes tell.
          if (end - start < FRAME_HEADER_BYTES + PEEK_BYTES) await fill(FRAME_HEADER_BYTES + PEEK_BYTES);
          const head = this.buffer.subarray(start + FRAME_HEADER_BYTES, Math.min(end, start + FRAME_HEADER_BYTES + PEEK_BYTES));
          if (peekRecordKind(head) === 'contribution') {
            const offset = base + start;
            const frameLength = check.frameLength;
            if (end - start >= frameLength) {
              start += frameLength;
            } else {
              base = offset + frameLength; // past the frame; the buffered part of it is dropped
              start = end = 0;
            }
            summary.records++;
            frames++;
            summary.contributions++;
            summary.bytes += frameLength;
            yield { kind: 'deferred-contribution', path, offset, frameLength, segmentHeader: summary.header };
            continue;
          }
        }
        if (check.status === 'incomplete') {
          // A length the rest of the file cannot hold is a torn record: never grow the buffer for it.
          const inFile = summary.fileBytes - (base + start);
          if (check.frameLength <= inFile) {
            await fill(check.frameLength);
            check = checkFrame(this.buffer, start, end, maxRecordBytes);
          }
        }
        const offset = base + start;
        if (check.status !== 'ok') {
          const damage = await this.classify(check, handle, path, offset, Math.min(base + end, summary.fileBytes), summary.fileBytes, maxRecordBytes);
          this.report(damage);
          if (damage.kind === 'corrupt') this.onCorrupt(damage);
          return;
        }
        let record: TraceRecord;
        try {
          record = decodeRecord(this.buffer.subarray(check.payloadStart, check.payloadStart + check.payloadLength));
          this.checkPlacement(record, summary, path);
        } catch (e) {
          if (!isFisherdError(e, 'TRACE_CORRUPT')) throw e;
          const message = summary.header === undefined ? `${path} is not a fisherd trace: ${e.message} (record at byte ${offset})` : `${e.message} (record at byte ${offset} of ${path})`;
          const damage: TraceDamage = { kind: 'corrupt', path, offset, message };
          this.report(damage);
          this.onCorrupt(damage);
          return;
        }
        if (record.kind === 'header' && this.options.checkHeaders) {
          try {
            summary.config = checkHeader(record.header);
          } catch (e) {
            if (!isFisherdError(e, 'TRACE_CORRUPT')) throw e;
            const damage: TraceDamage = { kind: 'corrupt', path, offset, message: `the header at byte ${offset} of ${path} is corrupt: ${e.message}` };
            this.report(damage);
            this.onCorrupt(damage, e);
            return;
          }
        }
        if (record.kind === 'end' && record.end.records !== frames) {
          // Whole frames are missing (or were added) between the header and the end record.
          const damage: TraceDamage = { kind: 'corrupt', path, offset,
            message: `the end record at byte ${offset} of ${path} counts ${record.end.records} records before it, but the segment holds ${frames}` };
          this.report(damage);
          this.onCorrupt(damage);
          return;
        }
        start += check.frameLength;
        summary.records++;
        frames++;
        summary.bytes += check.frameLength;
        if (record.kind === 'contribution') summary.contributions++;
        else if (record.kind === 'update') summary.updates++;
        else if (record.kind === 'header') summary.header = record.header;
        else summary.end = record.end;
        yield { ...record, path, offset, frameLength: check.frameLength, segmentHeader: summary.header! };
      }
      if (summary.end === undefined) {
        this.report({ kind: 'unterminated', path, offset: summary.fileBytes,
          message: `${path} has no end record: fisherd did not close it (still recording, or stopped)` });
      }
    } finally {
      await handle.close();
    }
  }

  /** Header first, one end record last; refuses unknown formats outright. */
  private checkPlacement(record: TraceRecord, summary: SegmentSummary, path: string): void {
    if (summary.end !== undefined) throw new FisherdError('TRACE_CORRUPT', `a ${record.kind} record follows the end record`);
    if (summary.header === undefined) {
      if (record.kind !== 'header') throw new FisherdError('TRACE_CORRUPT', 'it does not start with a header');
      const header = record.header;
      if (header.magic !== TRACE_MAGIC) throw new FisherdError('TRACE_CORRUPT', `its header's magic is "${header.magic}"`);
      if (header.formatVersion === 0) throw new FisherdError('TRACE_CORRUPT', 'its header has no format version');
      if (header.formatVersion !== TRACE_FORMAT_VERSION) {
        throw new FisherdError('TRACE_VERSION',
          `${path} is trace format version ${header.formatVersion}, written by fisherd ${header.fisherdVersion || '(unknown)'}; ` +
          `this fisherd reads version ${TRACE_FORMAT_VERSION} only` +
          (header.formatVersion > TRACE_FORMAT_VERSION ? ': upgrade fisherd to read it' : ''));
      }
    } else if (record.kind === 'header') {
      throw new FisherdError('TRACE_CORRUPT', 'a second header in one segment');
    }
  }

  /** Torn tail or corruption? A crash mid-write damages only the last frame of a file. */
  private async classify(check: FrameCheck, handle: FileHandle, path: string, offset: number, available: number,
    fileBytes: number, maxRecordBytes: number): Promise<TraceDamage> {
    switch (check.status) {
      case 'incomplete':
        return { kind: 'torn-tail', path, offset,
          message: `torn record at byte ${offset} of ${path}: ${available - offset} of ${check.frameLength} bytes present` };
      case 'bad-payload-crc':
        if (offset + check.frameLength >= fileBytes) {
          return { kind: 'torn-tail', path, offset, message: `the last record of ${path} (byte ${offset}) fails its CRC: a torn write` };
        }
        return { kind: 'corrupt', path, offset, message: `CRC mismatch in the record at byte ${offset} of ${path}` };
      case 'bad-length-crc':
        if (await this.zeroFrom(handle, offset, fileBytes)) {
          return { kind: 'torn-tail', path, offset, message: `${path} ends in ${fileBytes - offset} zero bytes from byte ${offset}: a torn write` };
        }
        return { kind: 'corrupt', path, offset, message: `CRC mismatch in the length of the record at byte ${offset} of ${path}` };
      case 'too-large':
        return { kind: 'corrupt', path, offset,
          message: `${maxRecordBytes < this.options.maxRecordBytes ? 'the first record (the header)' : 'record'} at byte ${offset} of ${path} claims ${check.payloadLength} bytes, over the ${maxRecordBytes}-byte limit` };
      default:
        throw new FisherdError('INTERNAL', `classify called on an intact frame at byte ${offset}`);
    }
  }

  private async zeroFrom(handle: FileHandle, from: number, to: number): Promise<boolean> {
    const scratch = Buffer.allocUnsafe(Math.min(this.options.chunkBytes, Math.max(1, to - from)));
    for (let position = from; position < to;) {
      const { bytesRead } = await handle.read(scratch, 0, Math.min(scratch.length, to - position), position);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) if (scratch[i] !== 0) return false;
      position += bytesRead;
    }
    return true;
  }

  /** Throws TRACE_CORRUPT (its field that of `cause`, or 'trace') unless told to go on with the next segment. */
  private onCorrupt(damage: TraceDamage, cause?: FisherdError): void {
    if (!this.options.continueAfterCorruption) {
      throw new FisherdError('TRACE_CORRUPT', `${damage.message}; pass continueAfterCorruption (--skip-corrupt) to go on with the next segment`,
        { field: cause?.field ?? 'trace', ...(cause ? { cause } : {}) });
    }
    this.log.warn({ path: damage.path, offset: damage.offset }, 'skipping the rest of a corrupt trace segment');
  }

  private report(damage: TraceDamage): void {
    this.damage.push(damage);
    this.log.warn({ kind: damage.kind, path: damage.path, offset: damage.offset }, damage.message);
  }
}

/** A reader over command-line style inputs: segment files, trace directories, or a record directory. */
export async function openTrace(inputs: readonly string[], options: TraceReaderOptions = {}): Promise<TraceReader> {
  const paths = await resolveTracePaths(inputs);
  if (paths.length === 0) {
    throw new FisherdError('INVALID_CONFIG', `no trace segments (trace-*.fdt) found in ${inputs.join(', ')}`, { field: 'trace' });
  }
  return new TraceReader(paths, options);
}
