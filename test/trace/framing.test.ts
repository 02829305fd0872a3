import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  checkFrame, encodeFrame, FRAME_OVERHEAD_BYTES, maskCrc, maskedCrc32c, unmaskCrc,
} from '../../src/trace/framing.js';

/**
 * An independent CRC32C: the bitwise definition (reflected Castagnoli polynomial 0x82F63B78), no table,
 * no library. Slow and obviously right; used as the oracle for the library-backed framing.
 */
function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** TensorFlow's mask, written out from its definition with BigInt (mod 2^32). */
function tfMask(crc: number): number {
  const c = BigInt(crc);
  const rotated = ((c >> 15n) | (c << 17n)) & 0xffffffffn;
  return Number((rotated + 0xa282ead8n) & 0xffffffffn);
}

/** A TFRecord frame built from the documented layout alone. */
function referenceFrame(payload: Uint8Array): Uint8Array {
  const out = Buffer.alloc(16 + payload.length);
  out.writeBigUInt64LE(BigInt(payload.length), 0);
  out.writeUInt32LE(tfMask(bitwiseCrc32c(out.subarray(0, 8))), 8);
  out.set(payload, 12);
  out.writeUInt32LE(tfMask(bitwiseCrc32c(payload)), 12 + payload.length);
  return out;
}

const ascii = (s: string) => new TextEncoder().encode(s);

describe('CRC32C', () => {
  it('gives the standard check value for "123456789" (0xe3069283), unlike zlib CRC-32', () => {
    expect(unmaskCrc(maskedCrc32c(ascii('123456789')))).toBe(0xe3069283);
    expect(bitwiseCrc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(zlibCrc32(Buffer.from('123456789'))).toBe(0xcbf43926); // CRC-32: the wrong one for TFRecord
  });

  it('matches the bitwise definition on varied inputs, also when split in parts', () => {
    for (let n = 0; n < 300; n += 7) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 17) & 0xff);
      const split = Math.floor(n / 3);
      expect(unmaskCrc(maskedCrc32c(bytes))).toBe(bitwiseCrc32c(bytes));
      expect(maskedCrc32c(bytes.subarray(0, split), bytes.subarray(split))).toBe(tfMask(bitwiseCrc32c(bytes)));
    }
  });

  it('masks exactly as TensorFlow and unmasks back', () => {
    for (const crc of [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xe3069283, 0x12345678]) {
      expect(maskCrc(crc)).toBe(tfMask(crc));
      expect(unmaskCrc(maskCrc(crc))).toBe(crc);
    }
    // TensorFlow's crc32c_test.cc: Mask(crc) != crc and Unmask(Mask(Mask(crc))) == Mask(crc)
    const crc = bitwiseCrc32c(ascii('foo'));
    expect(maskCrc(crc)).not.toBe(crc);
    expect(unmaskCrc(maskCrc(maskCrc(crc)))).toBe(maskCrc(crc));
  });
});

describe('TFRecord frames', () => {
  it('writes byte for byte what the documented algorithm writes', () => {
    for (const payload of [new Uint8Array(0), ascii('x'), ascii('hello, fisherd'), new Uint8Array(1000).fill(7)]) {
      expect(Buffer.from(encodeFrame(payload)).equals(Buffer.from(referenceFrame(payload)))).toBe(true);
    }
  });

  it('reads a frame written independently, at any offset in a buffer', () => {
    const payload = ascii('a record from another writer');
    const frame = referenceFrame(payload);
    const buffer = new Uint8Array(5 + frame.length + 3);
    buffer.set(frame, 5);
    const check = checkFrame(buffer, 5, 5 + frame.length, 1 << 20);
    expect(check).toEqual({ status: 'ok', payloadStart: 17, payloadLength: payload.length, frameLength: frame.length });
    if (check.status === 'ok') {
      expect(new TextDecoder().decode(buffer.subarray(check.payloadStart, check.payloadStart + check.payloadLength)))
        .toBe('a record from another writer');
    }
  });

  it('says what is wrong with a damaged frame', () => {
    const frame = encodeFrame(ascii('payload'));
    expect(checkFrame(frame, 0, 11, 1 << 20)).toEqual({ status: 'incomplete', frameLength: 12 });
    expect(checkFrame(frame, 0, frame.length - 1, 1 << 20)).toEqual({ status: 'incomplete', frameLength: frame.length });
    expect(checkFrame(frame, 0, frame.length, 6)).toEqual({ status: 'too-large', payloadLength: 7 });
    const badLength = frame.slice();
    badLength[0] ^= 1;
    expect(checkFrame(badLength, 0, frame.length, 1 << 20).status).toBe('bad-length-crc');
    const badPayload = frame.slice();
    badPayload[14] ^= 0x80;
    expect(checkFrame(badPayload, 0, frame.length, 1 << 20)).toEqual({ status: 'bad-payload-crc', payloadLength: 7, frameLength: 7 + FRAME_OVERHEAD_BYTES });
    const badFooter = frame.slice();
    badFooter[frame.length - 1] ^= 0x10;
    expect(checkFrame(badFooter, 0, frame.length, 1 << 20).status).toBe('bad-payload-crc');
  });
});
