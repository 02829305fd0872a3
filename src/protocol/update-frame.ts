/**
 * An Update reply encoded around its Δθ, without copying it: the daemon's path for large updates.
 *
 * A session writes Δθ into an array with room in front of it (src/session/update-memory.ts). When a
 * ServerMessage's `update.delta` is exactly such an array's bytes, the frame is built in place: every other
 * field goes into the room, right-aligned so that it ends where Δθ begins, and the frame is the memory from
 * its first header byte to Δθ's last byte:
 *
 *   room …  [request_id] [update: tag, length] [session_id, step, diagnostics] [delta: tag, length] | Δθ (4·D bytes)
 *
 * Valid protobuf with minimal varints, the Update's fields out of field-number order (delta last), which
 * every parser accepts (protobuf's encoding rules: fields may come in any order): it decodes to the message
 * `encodeServerMessage` encodes (test/protocol/update-frame.test.ts decodes both with protobufjs and with
 * Python's protobuf and the Python client's `split_update`). The header is encoded by the generated code
 * (the fields other than Δθ) and the two tags are read from it too.
 */
import { claimFrameRoom } from '../session/update-memory.js';
import type { ServerMessageInit } from './frames.js';
import { fisherd } from './generated/fisherd.js';

const wire = fisherd.v1;

// The two tags as the generated code writes them: ServerMessage.update's (field 4, length-delimited) from
// its encoding of an empty Update (tag, length 0), Update.delta's (field 3) from that of one byte (tag, 1, 0).
const UPDATE_TAG = wire.ServerMessage.encode({ update: {} }).finish().slice(0, -1);
const DELTA_TAG = wire.Update.encode({ delta: new Uint8Array(1) }).finish().slice(0, -2);

function varintLength(value: number): number {
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    n++;
  }
  return n;
}

/** Writes `value` as a minimal varint at `at`; returns the offset after it. */
function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
}

/** A frame built in place, and the claim on its memory. */
export interface InPlaceFrame {
  /** The frame: a view of the update array's memory (no copy). */
  readonly frame: Buffer;
  /** Call once the frame was written out (nothing reads it any more): the room takes another frame, the array may be recycled. */
  release(): void;
}

/**
 * `message` (an Update reply) encoded in place around its Δθ, or undefined when it cannot be: another
 * message kind, a delta that is not exactly an update array's bytes (src/session/update-memory.ts), its
 * room held by a frame still being sent, or a header larger than the room. The caller then encodes it the
 * general way (`encodeServerMessage`). The frame stays valid, and the array is not recycled, until
 * `release()`.
 */
export function encodeUpdateInPlace(message: ServerMessageInit): InPlaceFrame | undefined {
  const update = message.update;
  if (update === undefined || update === null) return undefined;
  // request_id and update only: another field of the oneof next to it would take the message's kind
  // (the last one on the wire wins), which this encoding's order would change.
  for (const key of Object.keys(message)) {
    if (key !== 'requestId' && key !== 'update' && (message as Record<string, unknown>)[key] != null) return undefined;
  }
  const delta = update.delta;
  if (!(delta instanceof Uint8Array) || delta.byteLength === 0) return undefined;
  const room = claimFrameRoom(delta);
  if (room === undefined) return undefined;
  const { delta: _delta, ...fields } = update;
  const head = wire.ServerMessage.encode({ requestId: message.requestId ?? 0 }).finish();
  const body = wire.Update.encode(fields).finish();
  const n = delta.byteLength;
  const deltaHeader = DELTA_TAG.length + varintLength(n);
  const updateLength = body.length + deltaHeader + n;
  const headerBytes = head.length + UPDATE_TAG.length + varintLength(updateLength) + body.length + deltaHeader;
  if (headerBytes > room.bytes) {
    room.release();
    return undefined;
  }
  const out = new Uint8Array(room.memory, 0, room.bytes);
  const start = room.bytes - headerBytes;
  let at = start;
  out.set(head, at);
  at += head.length;
  out.set(UPDATE_TAG, at);
  at = writeVarint(out, at + UPDATE_TAG.length, updateLength);
  out.set(body, at);
  at += body.length;
  out.set(DELTA_TAG, at);
  at = writeVarint(out, at + DELTA_TAG.length, n);
  if (at !== room.bytes) throw new Error(`update frame header ends at ${at}, not at Δθ (${room.bytes})`);
  return { frame: Buffer.from(room.memory, start, headerBytes + n), release: room.release };
}
