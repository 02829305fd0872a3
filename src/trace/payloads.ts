/**
 * Decodes recorded contributions with their float payloads in aligned arrays reused from step to step. A
 * payload inside a trace record is rarely 4-byte aligned, so the protocol codec would copy it into a fresh
 * Float32Array each step (megabytes per step: allocation and first-touch page faults cost more than the
 * copy). Here each payload is copied into a kept buffer (one per worker and field) that the codec can then
 * view. A session keeps no reference to a contribution's arrays after its step, so the buffers can be
 * overwritten by the next decode.
 */
import { fisherd } from '../protocol/generated/fisherd.js';
import { contributionFromWire } from '../protocol/step-codec.js';
import type { StepContribution } from '../session/contribution.js';

export class ReusedPayloads {
  private readonly buffers = new Map<string, Uint8Array>();
  /** Byte offset, in the body's buffer, of the last decoded contribution's per-example rows (as sent). */
  rowsByteOffset: number | undefined;

  /**
   * The contribution in `body` (`wire`: the message, when already decoded from it); with `alwaysCopy` even
   * aligned payloads are copied (they must outlive `body`). Throws FisherdError for an invalid payload.
   */
  decode(body: Uint8Array, alwaysCopy: boolean, wire: fisherd.v1.StepContribution = fisherd.v1.StepContribution.decode(body)): StepContribution {
    const worker = wire.workerId;
    this.rowsByteOffset = wire.perExampleGrads?.byteOffset;
    const aligned = (bytes: Uint8Array | null | undefined, field: string): Uint8Array => {
      if (!bytes) return new Uint8Array(0);
      if (bytes.length === 0 || (!alwaysCopy && bytes.byteOffset % 4 === 0)) return bytes;
      const key = `${worker}/${field}`;
      let buffer = this.buffers.get(key);
      if (buffer === undefined || buffer.length !== bytes.length) this.buffers.set(key, (buffer = new Uint8Array(bytes.length)));
      buffer.set(bytes);
      return buffer;
    };
    wire.perExampleGrads = aligned(wire.perExampleGrads, 'perExampleGrads');
    if (wire.sampledLabelGrads) wire.sampledLabelGrads.rows = aligned(wire.sampledLabelGrads.rows, 'sampledLabelGrads');
    if (wire.fisherFactorRows) wire.fisherFactorRows.rows = aligned(wire.fisherFactorRows.rows, 'fisherFactorRows');
    wire.meanGrad = aligned(wire.meanGrad, 'meanGrad');
    wire.params = aligned(wire.params, 'params');
    return contributionFromWire(wire);
  }
}
