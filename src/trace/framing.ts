/**
 * TFRecord framing, byte for byte as TensorFlow writes it (`tensorflow/core/lib/io/record_writer.cc`), so
 * that Python tools (`tf.data.TFRecordDataset`, or a dozen lines of `struct` + `crc32c`) can read fisherd's
 * frames:
 *
 * ```
 * u64 length (little-endian) | u32 masked CRC32C(length bytes) | payload | u32 masked CRC32C(payload)
 * ```
 *
 * CRC32C is the Castagnoli polynomial (iSCSI), not the CRC-32 of zlib/PNG: Node's `zlib.crc32` is the wrong
 * one. Masking (`maskCrc`) exists because a CRC of data that itself embeds CRCs is weak; TensorFlow and
 * LevelDB rotate and offset it.
 */
import { crc32c } from '../crc32c.js';

/** Bytes before the payload: the u64 length and its masked CRC. */
export const FRAME_HEADER_BYTES = 12;
/** Bytes after the payload: its masked CRC. */
export const FRAME_FOOTER_BYTES = 4;
/** Framing overhead per record. */
export const FRAME_OVERHEAD_BYTES = FRAME_HEADER_BYTES + FRAME_FOOTER_BYTES;

const MASK_DELTA = 0xa282ead8;

/** TensorFlow's `crc32c::Mask`: rotate right by 15 bits, add 0xa282ead8 (mod 2³²). */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Inverse of `maskCrc`. */
export function unmaskCrc(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** CRC32C of the concatenation of `parts`, without concatenating them. */
export function crc32cOf(parts: readonly Uint8Array[]): number {
  let crc = 0;
  for (const part of parts) crc = crc32c(part, crc);
  return crc >>> 0;
}

/** The masked CRC32C that TFRecord stores, of the concatenation of `parts`. */
export function maskedCrc32c(...parts: Uint8Array[]): number {
  return maskCrc(crc32cOf(parts));
}

/** The 12-byte frame header of a payload of `payloadLength` bytes. */
export function encodeFrameHeader(payloadLength: number): Uint8Array {
  if (!Number.isSafeInteger(payloadLength) || payloadLength < 0) {
    throw new RangeError(`payload length must be a non-negative safe integer, got ${payloadLength}`);
  }
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, payloadLength % 0x1_0000_0000, true);
  view.setUint32(4, Math.floor(payloadLength / 0x1_0000_0000), true);
  view.setUint32(8, maskedCrc32c(header.subarray(0, 8)), true);
  return header;
}

/** The 4-byte frame footer (masked CRC32C of the payload, given as its parts). */
export function encodeFrameFooter(payloadParts: readonly Uint8Array[]): Uint8Array {
  const footer = new Uint8Array(FRAME_FOOTER_BYTES);
  new DataView(footer.buffer).setUint32(0, maskCrc(crc32cOf(payloadParts)), true);
  return footer;
}

/** One frame in one buffer (tests, small records). The writer uses the parts to avoid copying payloads. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_OVERHEAD_BYTES + payload.length);
  frame.set(encodeFrameHeader(payload.length), 0);
  frame.set(payload, FRAME_HEADER_BYTES);
  frame.set(encodeFrameFooter([payload]), FRAME_HEADER_BYTES + payload.length);
  return frame;
}

/** What `checkFrame` found at an offset. */
export type FrameCheck =
  /** A whole, intact frame: the payload is `bytes[payloadStart, payloadStart + payloadLength)`. */
  | { status: 'ok'; payloadStart: number; payloadLength: number; frameLength: number }
  /** Not enough bytes to decide: `frameLength` bytes are needed (12 when the header itself is cut). */
  | { status: 'incomplete'; frameLength: number }
  /** The length field does not match its CRC: the frame boundary itself is lost. */
  | { status: 'bad-length-crc' }
  /** The length is intact but larger than the reader accepts. */
  | { status: 'too-large'; payloadLength: number }
  /** The payload does not match its CRC. */
  | { status: 'bad-payload-crc'; payloadLength: number; frameLength: number };

/**
 * Checks the frame that starts at `bytes[offset]`, looking only at `bytes[offset, end)`.
 * `maxPayloadBytes` bounds the memory a corrupt-but-CRC-valid length could make a reader allocate.
 */
export function checkFrame(bytes: Uint8Array, offset: number, end: number, maxPayloadBytes: number): FrameCheck {
  if (end - offset < FRAME_HEADER_BYTES) return { status: 'incomplete', frameLength: FRAME_HEADER_BYTES };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, FRAME_HEADER_BYTES);
  const lengthCrc = maskedCrc32c(bytes.subarray(offset, offset + 8));
  if (lengthCrc !== view.getUint32(8, true)) return { status: 'bad-length-crc' };
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  // Above 2^53 the length is not even representable; it is certainly too large.
  const payloadLength = high >= 0x20_0000 ? Number.MAX_SAFE_INTEGER : high * 0x1_0000_0000 + low;
  if (payloadLength > maxPayloadBytes) return { status: 'too-large', payloadLength };
  const frameLength = FRAME_OVERHEAD_BYTES + payloadLength;
  if (end - offset < frameLength) return { status: 'incomplete', frameLength };
  const payloadStart = offset + FRAME_HEADER_BYTES;
  const payload = bytes.subarray(payloadStart, payloadStart + payloadLength);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + payloadStart + payloadLength, 4).getUint32(0, true);
  if (maskedCrc32c(payload) !== stored) return { status: 'bad-payload-crc', payloadLength, frameLength };
  return { status: 'ok', payloadStart, payloadLength, frameLength };
}
