/**
 * Frames: one protobuf message per WebSocket binary frame (proto/fisherd.proto). Decoding failures become
 * typed errors (MALFORMED_FRAME, UNEXPECTED_MESSAGE) so that the daemon can answer them and keep serving.
 * Shared by the daemon and the TypeScript client; imports nothing above the protocol layer.
 */
import { ERROR_CODES, FisherdError, type ErrorCode } from '../errors.js';
import protobuf from 'protobufjs/minimal.js';
import { fisherd } from './generated/fisherd.js';

export const wire = fisherd.v1;

/** The protocol version this build speaks (proto/fisherd.proto `PROTOCOL_VERSION_CURRENT`). */
export const PROTOCOL_VERSION: number = wire.ProtocolVersion.PROTOCOL_VERSION_CURRENT;

export type ClientMessage = fisherd.v1.ClientMessage;
export type ClientMessageInit = fisherd.v1.ClientMessage.$Properties;
export type ServerMessage = fisherd.v1.ServerMessage;
export type ServerMessageInit = fisherd.v1.ServerMessage.$Properties;
export type ClientMessageKind = NonNullable<ClientMessage['kind']>;
export type ServerMessageKind = NonNullable<ServerMessage['kind']>;

const WIRE_PREFIX = 'ERROR_CODE_';

/** The protocol's enum value for an error code. */
export function wireErrorCode(code: ErrorCode): fisherd.v1.ErrorCode {
  const value = (wire.ErrorCode as unknown as Record<string, number>)[WIRE_PREFIX + ERROR_CODES[code].wire];
  if (value === undefined) throw new Error(`error code ${code} is missing from proto/fisherd.proto ErrorCode`);
  return value;
}

const CODE_BY_WIRE = new Map<number, ErrorCode>(
  (Object.keys(ERROR_CODES) as ErrorCode[]).map((code) => [wireErrorCode(code), code]),
);

/** The error code of a protocol enum value; unknown values (a newer daemon) read as INTERNAL. */
export function errorCodeFromWire(value: number): ErrorCode {
  return CODE_BY_WIRE.get(value) ?? 'INTERNAL';
}

function decodeOrThrow<T>(decode: () => T, what: string): T {
  try {
    return decode();
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new FisherdError('MALFORMED_FRAME', `frame does not decode as a ${what}: ${detail}`, { cause });
  }
}

/**
 * Decodes a client frame. Throws MALFORMED_FRAME when it is not protobuf, UNEXPECTED_MESSAGE when it is
 * well-formed but carries no message this protocol version knows (e.g. only unknown fields).
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage & { kind: ClientMessageKind } {
  const message = decodeOrThrow(() => wire.ClientMessage.decode(frame), 'fisherd.v1.ClientMessage');
  if (message.kind === undefined) {
    throw new FisherdError('UNEXPECTED_MESSAGE', 'frame holds no known ClientMessage kind (hello, openSession, step, estimatesRequest, closeSession, sharedMemoryOffer, messageRef)');
  }
  return message as ClientMessage & { kind: ClientMessageKind };
}

/** Decodes a daemon frame (client side). */
export function decodeServerMessage(frame: Uint8Array): ServerMessage & { kind: ServerMessageKind } {
  const message = decodeOrThrow(() => wire.ServerMessage.decode(frame), 'fisherd.v1.ServerMessage');
  if (message.kind === undefined) throw new FisherdError('UNEXPECTED_MESSAGE', 'frame holds no known ServerMessage kind');
  return message as ServerMessage & { kind: ServerMessageKind };
}

// `finish(true)` returns a view of the writer's buffer instead of a copy: the writer is discarded, and a
// 25 MB step frame is not copied once more (measured: one copy of 25.6 MB costs ~100 ms on this host).
//
// protobufjs's writer grows its buffer by doubling: a 4 MB Update grew to 4 MB at its Δθ and then, on the
// first small field after it, to 8 MB (allocated and copied) — 12 MB of fresh memory per frame, which kept
// V8's external-memory GC running every other step in a daemon at D = 10⁶. The writer now starts at the
// size of the message's byte payloads plus headroom for everything else: one allocation per frame.

/** Headroom over the byte payloads for tags, lengths, numbers, strings and diagnostics keys. */
const FRAME_HEADROOM = 64 * 1024;
/** Below this many payload bytes the writer's own growth is cheap: no presizing. */
const PRESIZE_FROM = 256 * 1024;

/** The bytes of every Uint8Array field (at any depth) of a message to encode. */
export function payloadBytes(value: unknown, depth = 0): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value !== 'object' || value === null || depth > 8) return 0;
  let total = 0;
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object') total += payloadBytes(item, depth + 1);
    return total;
  }
  for (const key in value) total += payloadBytes((value as Record<string, unknown>)[key], depth + 1);
  return total;
}

/** A writer whose buffer holds `message` without growing (the headroom covers all but its byte payloads). */
function writerFor(message: object): protobuf.Writer {
  const writer = protobuf.Writer.create();
  const bytes = payloadBytes(message);
  // The writer's own allocator (Buffer.allocUnsafe for Node's BufferWriter: no zero-filling).
  if (bytes >= PRESIZE_FROM) writer.buf = (writer.constructor as typeof protobuf.Writer).alloc(bytes + FRAME_HEADROOM);
  return writer;
}

export function encodeClientMessage(message: ClientMessageInit): Uint8Array {
  return wire.ClientMessage.encode(message, writerFor(message)).finish(true);
}

export function encodeServerMessage(message: ServerMessageInit): Uint8Array {
  return wire.ServerMessage.encode(message, writerFor(message)).finish(true);
}

/**
 * As `encodeServerMessage`, into `scratch.buffer` (allocated, or grown, to fit and kept for the next call): the
 * frame returned is a view of it, valid until the next call with the same scratch. For a reply written out
 * at once (the daemon's shared-memory replies), so that a D-sized frame is not a fresh allocation per step.
 */
export function encodeServerMessageInto(message: ServerMessageInit, scratch: { buffer?: Buffer }): Uint8Array {
  const need = payloadBytes(message) + FRAME_HEADROOM;
  if (scratch.buffer === undefined || scratch.buffer.byteLength < need) scratch.buffer = Buffer.allocUnsafeSlow(need);
  const writer = protobuf.Writer.create();
  writer.buf = scratch.buffer;
  const frame = wire.ServerMessage.encode(message, writer).finish(true);
  // the writer outgrew the scratch (more than the headroom beyond the payloads): keep its buffer instead
  if (frame.buffer !== scratch.buffer.buffer && Buffer.isBuffer(writer.buf)) scratch.buffer = writer.buf;
  return frame;
}

/** The Error frame for a FisherdError (or, for anything else, an INTERNAL error without details). */
export function errorMessage(error: unknown, requestId = 0): ServerMessageInit {
  const e = error instanceof FisherdError ? error : new FisherdError('INTERNAL', 'internal error (see the daemon log)');
  return {
    requestId,
    error: {
      code: wireErrorCode(e.code),
      message: e.message,
      field: e.field ?? '',
      ...(e.step === undefined ? {} : { step: e.step }),
    },
  };
}

/** The FisherdError an Error frame describes (client side). */
export function errorFromWire(error: fisherd.v1.Error.$Properties): FisherdError {
  return new FisherdError(errorCodeFromWire(error.code ?? 0), error.message ?? '', {
    ...(error.field ? { field: error.field } : {}),
    ...(error.step === undefined || error.step === null ? {} : { step: error.step }),
  });
}
