/**
 * The memory a step's Δθ is written into, with room in front of it for the reply frame's header.
 *
 * The daemon answers a step with an Update frame whose largest field by far is Δθ (4·D bytes). A session
 * allocates its update arrays here (`allocateUpdateArray`), so that the step's last pass (the float32
 * rounding, or the fused step's pass) writes Δθ where the frame's `delta` bytes lie: the encoder
 * (src/protocol/update-frame.ts) then writes only the few hundred bytes of the frame before them, into the
 * room, instead of copying D floats into a frame buffer.
 *
 * Who reads it: while a frame made of an array's memory is being written out (the WebSocket send, a
 * shared-memory reply), its room is claimed (`claimFrameRoom`): no other frame may write its header there,
 * and the session does not take the array back for a later step (`recycleWhenSent`) until the claim is
 * released. The array itself is a plain Float32Array of D entries: everyone else reads it as any other.
 */

/**
 * Arrays of fewer entries are plain ones (their replies are small: encoded with a copy); from here on, 64 KiB
 * of Δθ, the room costs at most 1/16 of the array's memory.
 */
export const FRAME_ROOM_FROM = 16_384;

/**
 * The room in front of an array of `n` entries, in bytes: 1/64 of its bytes, at least 4 KiB and at most
 * 64 KiB, a multiple of 64 (so that Δθ keeps the allocation's alignment). An Update's header takes a few
 * hundred bytes, plus ~0.5 kB per Kronecker layer's diagnostics; a header that does not fit is encoded
 * the general way (one copy).
 */
export function frameRoomBytes(n: number): number {
  return Math.min(64 * 1024, Math.max(4 * 1024, Math.ceil(n / 16 / 64) * 64));
}

interface Room {
  /** Bytes in front of the array. */
  readonly bytes: number;
  /** True while a frame written in the room is being sent. */
  claimed: boolean;
  /** Run once the claim is released (recycling the array). */
  readonly onRelease: (() => void)[];
}

/** The rooms of the arrays allocated here, by their memory (an array's `buffer`). */
const rooms = new WeakMap<ArrayBufferLike, Room>();

/**
 * A float32 array of `n` entries for a step's Δθ, not zero-filled (every entry is written by the step, and
 * a zeroed D-long allocation costs calloc's page clearing): from `FRAME_ROOM_FROM` entries on, with
 * `frameRoomBytes(n)` bytes of room in front of it, in memory of its own.
 */
export function allocateUpdateArray(n: number): Float32Array {
  const room = n >= FRAME_ROOM_FROM ? frameRoomBytes(n) : 0;
  const memory = Buffer.allocUnsafeSlow(room + 4 * n);
  if (room > 0) rooms.set(memory.buffer, { bytes: room, claimed: false, onRelease: [] });
  return new Float32Array(memory.buffer, memory.byteOffset + room, n);
}

/** A claimed room: `memory[0, bytes)` is free for a frame's header; `release()` once the frame was written out. */
export interface FrameRoom {
  readonly memory: ArrayBufferLike;
  readonly bytes: number;
  /** Ends the claim (idempotent); runs the recycling that waited for it. */
  release(): void;
}

/**
 * Claims the room in front of `bytes` for one frame, when `bytes` are exactly the entries of an array of
 * `allocateUpdateArray` (the same memory, offset and length) and no other frame holds the room; else
 * undefined (the caller encodes with a copy).
 */
export function claimFrameRoom(bytes: ArrayBufferView): FrameRoom | undefined {
  const memory = bytes.buffer;
  const room = rooms.get(memory);
  if (room === undefined || room.claimed || bytes.byteOffset !== room.bytes || room.bytes + bytes.byteLength !== memory.byteLength) return undefined;
  room.claimed = true;
  let released = false;
  return {
    memory, bytes: room.bytes,
    release: () => {
      if (released) return;
      released = true;
      room.claimed = false;
      for (const run of room.onRelease.splice(0)) run();
    },
  };
}

/**
 * Runs `recycle` once no frame reads `update`'s memory: returns true when it had to wait (a claim is held,
 * and `recycle` runs at its release), false when nothing reads it (the caller recycles now).
 */
export function recycleWhenSent(update: Float32Array, recycle: () => void): boolean {
  const room = rooms.get(update.buffer);
  if (room === undefined || !room.claimed) return false;
  room.onRelease.push(recycle);
  return true;
}
