/**
 * The trace record envelope of proto/trace.proto, encoded and decoded by hand (see wire.ts for why):
 *
 * ```proto
 * message TraceRecord {
 *   oneof record { TraceHeader header = 1; StepContribution contribution = 2; Update update = 3; TraceEnd end = 4; }
 *   uint64 recorded_at_ms = 15;
 * }
 * ```
 * Contributions and updates are carried as the exact bytes fisherd received or sent; they are decoded by
 * the protocol codec (src/protocol), never here. test/trace/record-codec.test.ts checks these encoders
 * against protobufjs reading proto/trace.proto.
 */
import { FisherdError } from '../errors.js';
import { FieldWriter, readFields, tag, varintSize, WIRE_LEN, WIRE_VARINT, WireFormatError, writeVarint } from './wire.js';

/** The trace format version this fisherd writes and reads. */
export const TRACE_FORMAT_VERSION = 1;
/** `TraceHeader.magic`: tells a fisherd trace from any other TFRecord file. */
export const TRACE_MAGIC = 'fisherd-trace';

/** TraceRecord field numbers (proto/trace.proto). Never renumber: old traces must stay readable. */
export const RECORD_FIELD = { header: 1, contribution: 2, update: 3, end: 4, recordedAtMs: 15 } as const;

/** The first record of every segment. */
export interface TraceHeader {
  /** Always `TRACE_MAGIC`. */
  magic: string;
  /** `TRACE_FORMAT_VERSION` of the writer. */
  formatVersion: number;
  /** "sha256:<hex>" of the wire schema the payloads were written with (see schema-hash.ts). */
  schemaHash: string;
  /** fisherd's version (package.json) of the writer. */
  fisherdVersion: string;
  /** The daemon's session id. */
  sessionId: string;
  /** The session's configuration as an encoded `fisherd` SessionConfig message (proto/fisherd.proto). */
  sessionConfig: Uint8Array;
  /** When this segment was created, milliseconds since the Unix epoch. */
  createdAtMs: number;
  /** 1-based index of this segment within the session's trace. */
  segmentIndex: number;
  /** The compute backend that produced the recorded updates (e.g. "reference"); "" when unknown. */
  backend: string;
}

/** The last record of a cleanly closed (or rotated) segment. */
export interface TraceEnd {
  /** Records in this segment before the end record, the header included. */
  records: number;
  /** True when the writer rotated: segment `segmentIndex + 1` follows. */
  continued: boolean;
  /** True when this end record was appended by a writer recovering a segment it did not close. */
  recovered: boolean;
}

const HEADER_FIELD = {
  magic: 1, formatVersion: 2, schemaHash: 3, fisherdVersion: 4, sessionId: 5,
  sessionConfig: 6, createdAtMs: 7, segmentIndex: 8, backend: 9,
} as const;
const END_FIELD = { records: 1, continued: 2, recovered: 3 } as const;

/** A decoded TraceRecord. `body` views the payload: copy it to keep it past the reader's next step. */
export type TraceRecord =
  | { kind: 'header'; header: TraceHeader; recordedAtMs: number }
  | { kind: 'contribution'; body: Uint8Array; recordedAtMs: number }
  | { kind: 'update'; body: Uint8Array; recordedAtMs: number }
  | { kind: 'end'; end: TraceEnd; recordedAtMs: number };

export type TraceRecordKind = TraceRecord['kind'];

export function encodeHeader(header: TraceHeader): Uint8Array {
  return new FieldWriter()
    .string(HEADER_FIELD.magic, header.magic)
    .varint(HEADER_FIELD.formatVersion, header.formatVersion)
    .string(HEADER_FIELD.schemaHash, header.schemaHash)
    .string(HEADER_FIELD.fisherdVersion, header.fisherdVersion)
    .string(HEADER_FIELD.sessionId, header.sessionId)
    .bytes(HEADER_FIELD.sessionConfig, header.sessionConfig)
    .varint(HEADER_FIELD.createdAtMs, header.createdAtMs)
    .varint(HEADER_FIELD.segmentIndex, header.segmentIndex)
    .string(HEADER_FIELD.backend, header.backend)
    .finish();
}

export function encodeEnd(end: TraceEnd): Uint8Array {
  return new FieldWriter()
    .varint(END_FIELD.records, end.records)
    .bool(END_FIELD.continued, end.continued)
    .bool(END_FIELD.recovered, end.recovered)
    .finish();
}

/**
 * The bytes of a TraceRecord that precede a `kind` body of `bodyLength` bytes: the timestamp field, then
 * the body's tag and length. The record is `prefix ‖ body`, so the body is written without a copy.
 */
export function encodeRecordPrefix(kind: TraceRecordKind, bodyLength: number, recordedAtMs: number): Uint8Array {
  const bodyTag = tag(RECORD_FIELD[kind], WIRE_LEN);
  const timeTag = tag(RECORD_FIELD.recordedAtMs, WIRE_VARINT);
  const withTime = recordedAtMs > 0;
  const size = (withTime ? varintSize(timeTag) + varintSize(recordedAtMs) : 0) + varintSize(bodyTag) + varintSize(bodyLength);
  const prefix = new Uint8Array(size);
  let offset = 0;
  if (withTime) offset = writeVarint(prefix, writeVarint(prefix, offset, timeTag), recordedAtMs);
  writeVarint(prefix, writeVarint(prefix, offset, bodyTag), bodyLength);
  return prefix;
}

/** A whole TraceRecord in one buffer (headers and end records, which are small). */
export function encodeRecord(record: TraceRecord): Uint8Array {
  const body = record.kind === 'header' ? encodeHeader(record.header)
    : record.kind === 'end' ? encodeEnd(record.end)
    : record.body;
  const prefix = encodeRecordPrefix(record.kind, body.length, record.recordedAtMs);
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}

/** Decodes a frame payload as a TraceRecord; throws TRACE_CORRUPT on anything else. */
export function decodeRecord(payload: Uint8Array): TraceRecord {
  try {
    let recordedAtMs = 0;
    let kind: TraceRecordKind | undefined;
    let body: Uint8Array | undefined;
    for (const f of readFields(payload)) {
      if (f.field === RECORD_FIELD.recordedAtMs && f.wireType === WIRE_VARINT) {
        recordedAtMs = f.value;
      } else if (f.wireType === WIRE_LEN) {
        const named = recordKindOf(f.field);
        if (named === undefined) continue; // a record kind from a newer minor writer: skipped below
        if (kind !== undefined && kind !== named) throw new WireFormatError(`record holds both ${kind} and ${named}`);
        kind = named;
        body = f.bytes;
      }
    }
    if (kind === undefined || body === undefined) {
      throw new WireFormatError('record holds no header, contribution, update or end');
    }
    switch (kind) {
      case 'header': return { kind, header: decodeHeader(body), recordedAtMs };
      case 'end': return { kind, end: decodeEnd(body), recordedAtMs };
      default: return { kind, body, recordedAtMs };
    }
  } catch (e) {
    if (e instanceof WireFormatError) {
      throw new FisherdError('TRACE_CORRUPT', `trace record does not decode: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

/**
 * The kind of the record whose payload starts with `head` (its first bytes: the timestamp, then the body's
 * tag), or undefined when `head` does not tell (too short, an unknown field first, not protobuf). For a
 * reader that hands long records on unread; `decodeRecord` still decides about the whole payload.
 */
export function peekRecordKind(head: Uint8Array): TraceRecordKind | undefined {
  let offset = 0;
  const varint = (): number | undefined => {
    let value = 0;
    for (let shift = 0; shift < 70 && offset < head.length; shift += 7) {
      const byte = head[offset++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  for (;;) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === RECORD_FIELD.recordedAtMs && wireType === WIRE_VARINT) {
      if (varint() === undefined) return undefined;
      continue;
    }
    return wireType === WIRE_LEN ? recordKindOf(field) : undefined;
  }
}

function recordKindOf(field: number): TraceRecordKind | undefined {
  switch (field) {
    case RECORD_FIELD.header: return 'header';
    case RECORD_FIELD.contribution: return 'contribution';
    case RECORD_FIELD.update: return 'update';
    case RECORD_FIELD.end: return 'end';
    default: return undefined;
  }
}

function decodeHeader(bytes: Uint8Array): TraceHeader {
  const header: TraceHeader = {
    magic: '', formatVersion: 0, schemaHash: '', fisherdVersion: '', sessionId: '',
    sessionConfig: new Uint8Array(0), createdAtMs: 0, segmentIndex: 0, backend: '',
  };
  const text = new TextDecoder('utf-8', { fatal: false });
  for (const f of readFields(bytes)) {
    if (f.wireType === WIRE_VARINT) {
      if (f.field === HEADER_FIELD.formatVersion) header.formatVersion = f.value;
      else if (f.field === HEADER_FIELD.createdAtMs) header.createdAtMs = f.value;
      else if (f.field === HEADER_FIELD.segmentIndex) header.segmentIndex = f.value;
    } else if (f.wireType === WIRE_LEN) {
      switch (f.field) {
        case HEADER_FIELD.magic: header.magic = text.decode(f.bytes); break;
        case HEADER_FIELD.schemaHash: header.schemaHash = text.decode(f.bytes); break;
        case HEADER_FIELD.fisherdVersion: header.fisherdVersion = text.decode(f.bytes); break;
        case HEADER_FIELD.sessionId: header.sessionId = text.decode(f.bytes); break;
        // A copy: the header outlives the reader's buffer.
        case HEADER_FIELD.sessionConfig: header.sessionConfig = f.bytes.slice(); break;
        case HEADER_FIELD.backend: header.backend = text.decode(f.bytes); break;
        default: break;
      }
    }
  }
  return header;
}

function decodeEnd(bytes: Uint8Array): TraceEnd {
  const end: TraceEnd = { records: 0, continued: false, recovered: false };
  for (const f of readFields(bytes)) {
    if (f.wireType !== WIRE_VARINT) continue;
    if (f.field === END_FIELD.records) end.records = f.value;
    else if (f.field === END_FIELD.continued) end.continued = f.value !== 0;
    else if (f.field === END_FIELD.recovered) end.recovered = f.value !== 0;
  }
  return end;
}
