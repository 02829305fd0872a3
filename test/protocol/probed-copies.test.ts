/**
 * A float32 payload whose bytes are not 4-aligned is copied into a pool array by the native `copyProbeF32`,
 * which also probes the values (src/linalg/scanned-values.ts): the arrival check of the statistics skips a
 * second read of probed-good arrays, and still finds every bad value — NaN, ±Inf, a negative square, and
 * −0 (accepted, through the scan the probe leaves to it) — wherever it lies, with the error it always gave.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { availableKernels, kernelsInUse, nativeKernels, useKernels } from '../../src/linalg/native-kernels.js';
import { scannedFinite, scannedNonNegative } from '../../src/linalg/scanned-values.js';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { contributionFromWire, contributionToWire, releaseContribution } from '../../src/protocol/step-codec.js';
import { validateContribution, type StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import type { DiagonalBlockStatistics } from '../../src/session/statistics.js';
import { REFERENCE } from '../session/helpers.js';

const D = 10_000;
const initial = kernelsInUse();
afterAll(() => useKernels(initial));

/** The frame of `c` placed at every byte offset 0–3 of a buffer: some placements leave the payloads unaligned. */
function decodedAtOffsets(c: StepContribution): StepContribution[] {
  const encoded = encodeClientMessage({ requestId: 1, step: contributionToWire(c) });
  return [0, 1, 2, 3].map((shift) => {
    const buffer = Buffer.alloc(encoded.byteLength + 4);
    const frame = buffer.subarray(shift, shift + encoded.byteLength);
    frame.set(encoded);
    return contributionFromWire(decodeClientMessage(frame).step!);
  });
}

function statistics(sum: Float32Array, squares: Float32Array): StepContribution {
  return { step: 1, workerId: 0, batchSize: 4, reduction: 'sum', statistics: [{ block: '', kind: 'diagonal', moments: { count: 4, sum, sumSquares: squares } }] };
}

describe('probed copies of unaligned float32 payloads', () => {
  const k = nativeKernels();
  it.skipIf(k === undefined)('copyProbeF32: the bytes exactly, and the probe bits, at every source alignment', () => {
    for (const [value, expected] of [[1.5, 3], [0, 3], [-0, 1], [-2, 1], [Number.NaN, 0], [Infinity, 0], [-Infinity, 0]] as const) {
      for (const shift of [0, 1, 2, 3]) {
        const values = Float32Array.from({ length: 5000 }, (_, i) => i * 0.25);
        values[3777] = value;
        const src = new Uint8Array(values.byteLength + 4).subarray(shift, shift + values.byteLength);
        src.set(new Uint8Array(values.buffer));
        const dst = new Float32Array(values.length);
        expect(k!.copyProbeF32(dst, src, values.length)).toBe(expected);
        expect(Buffer.from(dst.buffer).equals(Buffer.from(values.buffer))).toBe(true);
      }
    }
  });

  for (const kernels of availableKernels()) {
    it(`${kernels} kernels: bad values in unaligned payloads are still refused with the same error; good ones are marked (native)`, () => {
      useKernels(kernels);
      const session = new Session({ dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 } }, REFERENCE);
      const good = () => [Float32Array.from({ length: D }, (_, i) => Math.sin(i)), Float32Array.from({ length: D }, (_, i) => 1 + Math.cos(i))] as const;
      for (const [field, value, code] of [['sum', Number.NaN, 'NON_FINITE'], ['sum', -Infinity, 'NON_FINITE'], ['sumSquares', -1e-3, 'INVALID_CONFIG'], ['sumSquares', Infinity, 'NON_FINITE'], ['sumSquares', -0, undefined]] as const) {
        const [sum, squares] = good();
        (field === 'sum' ? sum : squares)[6543] = value;
        for (const c of decodedAtOffsets(statistics(sum, squares))) {
          let thrown: unknown;
          try { validateContribution(c, session.contributionRequirements(1)); } catch (e) { thrown = e; }
          expect((thrown as { code?: string } | undefined)?.code).toBe(code);
          if (code !== undefined) expect(String(thrown)).toContain(`[6543]`);
          releaseContribution(c);
        }
      }
      const [sum, squares] = good();
      const decoded = decodedAtOffsets(statistics(sum, squares));
      const moments = decoded.map((c) => (c.statistics![0] as DiagonalBlockStatistics).moments);
      // the unaligned copies are probed (native) and marked; aligned views are never marked
      const marked = moments.filter((m) => scannedFinite(m.sum) && scannedNonNegative(m.sumSquares!)).length;
      const copies = moments.filter((m) => (m.sum as Float32Array).buffer.byteLength === m.sum.byteLength).length;
      expect(marked).toBe(kernels === 'native' ? copies : 0);
      expect(copies).toBeGreaterThan(0);
      for (const c of decoded) {
        validateContribution(c, session.contributionRequirements(1));
        releaseContribution(c);
      }
    });
  }
});
