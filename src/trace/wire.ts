/**
 * The few protobuf wire-format primitives the trace envelope needs (varints, tags, length-delimited
 * fields). The envelope is written by hand rather than through protobufjs so that a recorded payload is
 * framed without being decoded or copied: a message field on the wire is just `tag, length, bytes`.
 * Numbers are JavaScript numbers and must be safe integers (< 2⁵³), which covers counts, sizes and
 * millisecond timestamps.
 */

/** Protobuf wire types used here. */
export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

/** Number of bytes of the varint encoding of `value`. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

/** Writes the varint of a non-negative safe integer at `out[offset]`; returns the offset after it. */
export function writeVarint(out: Uint8Array, offset: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint must be a non-negative safe integer, got ${value}`);
  while (value >= 0x80) {
    out[offset++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[offset++] = value;
  return offset;
}

/** A field tag as a number (to be written as a varint). */
export function tag(field: number, wireType: number): number {
  return field * 8 + wireType;
}

/** Grows a byte list of small encoded fields; `finish` returns one Uint8Array. */
export class FieldWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  varint(field: number, value: number): this {
    if (value === 0) return this; // proto3: default values are not written
    const out = new Uint8Array(varintSize(tag(field, WIRE_VARINT)) + varintSize(value));
    writeVarint(out, writeVarint(out, 0, tag(field, WIRE_VARINT)), value);
    return this.push(out);
  }

  bool(field: number, value: boolean): this {
    return this.varint(field, value ? 1 : 0);
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length === 0) return this;
    const head = new Uint8Array(varintSize(tag(field, WIRE_LEN)) + varintSize(value.length));
    writeVarint(head, writeVarint(head, 0, tag(field, WIRE_LEN)), value.length);
    return this.push(head).push(value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private push(chunk: Uint8Array): this {
    this.chunks.push(chunk);
    this.length += chunk.length;
    return this;
  }
}

/** One decoded field: a varint's value, or a length-delimited field's bytes (a view, not a copy). */
export type WireField =
  | { field: number; wireType: typeof WIRE_VARINT; value: number }
  | { field: number; wireType: typeof WIRE_LEN; bytes: Uint8Array }
  | { field: number; wireType: typeof WIRE_I64 | typeof WIRE_I32 };

/** Thrown on bytes that are not a well-formed protobuf message. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

/**
 * Iterates the fields of a message. Unknown fields are returned too (callers skip what they do not
 * know, which is how protobuf stays forward compatible); fixed-width fields are skipped over.
 */
export function* readFields(bytes: Uint8Array): Generator<WireField> {
  let offset = 0;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (offset >= bytes.length) throw new WireFormatError('varint runs past the end of the message');
      const byte = bytes[offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw new WireFormatError('varint exceeds 2^53');
        return value;
      }
      scale *= 0x80;
    }
    throw new WireFormatError('varint longer than 10 bytes');
  };
  while (offset < bytes.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new WireFormatError('field number 0');
    switch (wireType) {
      case WIRE_VARINT:
        yield { field, wireType, value: readVarint() };
        break;
      case WIRE_LEN: {
        const length = readVarint();
        if (offset + length > bytes.length) throw new WireFormatError(`field ${field} runs past the end of the message`);
        yield { field, wireType, bytes: bytes.subarray(offset, offset + length) };
        offset += length;
        break;
      }
      case WIRE_I64:
      case WIRE_I32: {
        const width = wireType === WIRE_I64 ? 8 : 4;
        if (offset + width > bytes.length) throw new WireFormatError(`field ${field} runs past the end of the message`);
        offset += width;
        yield { field, wireType };
        break;
      }
      default:
        throw new WireFormatError(`unsupported wire type ${wireType} (field ${field})`);
    }
  }
}
