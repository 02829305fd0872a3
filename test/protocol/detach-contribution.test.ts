/**
 * `detachContribution` (src/protocol/step-codec.ts): a contribution decoded from a buffer the daemon reuses for
 * the next shared-memory request (src/server/connection.ts) keeps its values when that buffer is overwritten —
 * every field, rows and statistics alike, aligned (views) or not (copies).
 */
import { describe, expect, it } from 'vitest';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { contributionFromWire, contributionToWire, detachContribution, releaseContribution } from '../../src/protocol/step-codec.js';
import type { StepContribution } from '../../src/session/contribution.js';

const floats = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i) * (i + 1));

function contributions(): StepContribution[] {
  const dim = 1000;
  return [
    { step: 1, workerId: 0, batchSize: 3, reduction: 'sum', perExampleGrads: floats(3 * dim, 1), meanGrad: floats(dim, 2) },
    {
      step: 2, workerId: 0, batchSize: 4, reduction: 'mean',
      statistics: [
        { block: 'w', kind: 'diagonal', moments: { count: 4, sum: floats(600, 3), sumSquares: floats(600, 4).map(Math.abs), sampledLabelSquares: floats(600, 5).map(Math.abs), samplesPerExample: 1 } },
        { block: 'b', kind: 'diagonal', moments: { count: 4, sum: floats(400, 6), centredSquares: floats(400, 7).map(Math.abs) } },
      ],
    },
  ];
}

describe('detachContribution', () => {
  for (const [i, original] of contributions().entries()) {
    for (const shift of [0, 1, 2, 3]) {
      it(`contribution ${i}, frame at byte offset ${shift}: values survive the frame being overwritten`, () => {
        const encoded = encodeClientMessage({ requestId: 1, step: contributionToWire(original) });
        // the frame at several alignments inside a larger reused buffer (aligned payloads decode as views)
        const buffer = Buffer.allocUnsafeSlow(encoded.byteLength + 8);
        const frame = buffer.subarray(shift, shift + encoded.byteLength);
        frame.set(encoded);
        const decoded = contributionFromWire(decodeClientMessage(frame).step!);
        const expected = structuredClone(decoded);
        detachContribution(decoded, frame);
        buffer.fill(0xff); // NaN everywhere the frame was
        expect(decoded).toEqual(expected);
        releaseContribution(decoded);
      });
    }
  }

  it('without it, an aligned decode is a view that the overwrite reaches (the test can fail)', () => {
    const encoded = encodeClientMessage({ requestId: 1, step: contributionToWire(contributions()[1]!) });
    const aligned = [0, 1, 2, 3].map((shift) => {
      const buffer = Buffer.allocUnsafeSlow(encoded.byteLength + 8);
      const frame = buffer.subarray(shift, shift + encoded.byteLength);
      frame.set(encoded);
      const decoded = contributionFromWire(decodeClientMessage(frame).step!);
      const expected = structuredClone(decoded);
      buffer.fill(0xff);
      return JSON.stringify(decoded) !== JSON.stringify(expected);
    });
    expect(aligned).toContain(true);
  });
});
