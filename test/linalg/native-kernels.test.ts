/**
 * The native kernels (native/fisherd-kernels.c) against their JavaScript twins: the value scans find the same
 * first bad value (NaN, ±Inf, a negative square; −0 passes) wherever it lies, and the half-precision decoders
 * give the same float32 bits for every one of the 65 536 codes. The diagonal passes are tested against the
 * general path in test/session/statistics-step.test.ts; the Kronecker factor checks, EMA and solve division
 * on both kernel sets in test/curvature/kronecker.test.ts, the unpacking of packed factor sums from the wire in
 * test/protocol/unpack-upper.test.ts, ḡ's EMA from one worker's sums in test/curvature/mean-grad-out.test.ts; the rounding
 * of the update to float32 here. The mapped copy of shared-memory requests returns an
 * error, and the process lives on, when the file shrinks under the mapping. In CI (`CI` set) the library must load: `npm ci` builds
 * it, and a silently missing build would leave only the JavaScript passes tested.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstNonFinite } from '../../src/curvature/validate.js';
import { availableKernels, kernelsInUse, nativeKernels, nativeKernelsError, useKernels } from '../../src/linalg/native-kernels.js';
import { decodeHalf, decodeHalfToFloat32 } from '../../src/protocol/half-floats.js';
import { Rng } from '../curvature/helpers.js';

const initial = kernelsInUse();
afterAll(() => useKernels(initial));

describe('native kernels', () => {
  it('load where the library is built (in CI: always)', () => {
    if (process.env['CI']) expect(nativeKernelsError()).toBeUndefined();
    expect(availableKernels()).toContain('javascript');
    if (nativeKernels() !== undefined) expect(availableKernels()).toContain('native');
  });

  const k = nativeKernels();
  it.skipIf(k === undefined)('scans: the first non-finite value and the first value that is not a square, wherever it lies', () => {
    const rng = new Rng(5);
    const jsNonFinite = (v: Float32Array | Float64Array) => { for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) return j; return -1; };
    const jsBadSquare = (v: Float32Array | Float64Array) => { for (let j = 0; j < v.length; j++) { const x = v[j]!; if (!(x >= 0 && x < Infinity)) return j; } return -1; };
    const bads = [Number.NaN, Infinity, -Infinity, -1e-30, -5, -0, 0, 1e-45, 3e38];
    for (const n of [1, 511, 512, 513, 10_000]) {
      for (const make of [(m: number) => new Float32Array(m), (m: number) => new Float64Array(m)]) {
        for (const bad of bads) {
          for (const at of [0, n >> 1, n - 1]) {
            const v = make(n);
            for (let j = 0; j < n; j++) v[j] = Math.abs(rng.normal());
            v[at] = bad;
            if (n > 3) v[n - 2] = Number.NaN; // a later bad value: the first one counts
            const nf = v instanceof Float32Array ? k!.firstNonFiniteF32(v, n) : k!.firstNonFiniteF64(v, n);
            const bs = v instanceof Float32Array ? k!.firstBadSquareF32(v, n) : k!.firstBadSquareF64(v, n);
            expect([nf, bs]).toEqual([jsNonFinite(v), jsBadSquare(v)]);
          }
        }
      }
    }
  });

  it.skipIf(k === undefined)('rounding the update to float32: the bits of a Float32Array store and the index of the first non-finite result', () => {
    const rng = new Rng(6);
    const f32max = 3.4028234663852886e38;
    // ties and near-ties of float32 rounding, subnormals, values that round to ±Inf, ±0
    const specials = [1 + 2 ** -24, 1 + 3 * 2 ** -24, -(1 + 2 ** -24), 2 ** -149, 2 ** -150, 3 * 2 ** -151, 1e-46, -0, 0, f32max, f32max * (1 + 2 ** -26), -f32max * (1 + 2 ** -25), 3.5e38, -1e39];
    for (const n of [1, 7, 4096, 10_001]) {
      for (const bad of [undefined, Number.NaN, Infinity, -Infinity, 1e39] as const) {
        const x = Float64Array.from({ length: n }, (_, j) => (j < specials.length ? specials[j]! : rng.normal() * 10 ** Math.max(-40, Math.min(30, Math.round(rng.normal() * 15)))));
        // values that round beyond float32's range only where the probe is to fail (`bad`, below)
        for (let j = 0; j < Math.min(n, specials.length); j++) if (Math.abs(x[j]!) >= f32max * (1 + 2 ** -25)) x[j] = 1;
        if (bad !== undefined) x[n >> 1] = bad;
        const native = new Float32Array(n).fill(7);
        const at = k!.roundF32(x, native, n);
        const js = new Float32Array(n);
        js.set(x);
        expect(Buffer.from(native.buffer).equals(Buffer.from(js.buffer))).toBe(true);
        const first = js.findIndex((v) => !Number.isFinite(v));
        expect(at).toBe(first);
        expect(at).toBe(bad === undefined ? -1 : n >> 1);
      }
    }
  });

  it.skipIf(k === undefined)('half decoders: every float16 and bfloat16 code to the same float32 bits as the JavaScript table', () => {
    const bytes = new Uint8Array(new Uint16Array(Array.from({ length: 65536 }, (_, i) => i)).buffer);
    for (const encoding of ['float16', 'bfloat16'] as const) {
      useKernels('native');
      const native = decodeHalfToFloat32(bytes, encoding, new Float32Array(65536));
      useKernels('javascript');
      const js = decodeHalfToFloat32(bytes, encoding, new Float32Array(65536));
      const exact = decodeHalf(bytes, encoding, new Float64Array(65536));
      const wrong: number[] = [];
      for (let i = 0; i < 65536; i++) {
        // NaN stays NaN; every other code gives the same bits (±0 included) and the exact value
        const same = Number.isNaN(exact[i]!) ? Number.isNaN(native[i]!) : Object.is(native[i], js[i]) && Object.is(native[i], exact[i]);
        if (!same) wrong.push(i);
      }
      expect(wrong).toEqual([]);
    }
  });

  it.skipIf(k === undefined)('mapped copies: the file\'s bytes; a file shrunk under the mapping is an error return, not a crash (SIGBUS caught)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fisherd-map-'));
    const path = join(dir, 'request');
    const content = Buffer.from(Array.from({ length: 3 * 4096 + 100 }, (_, i) => (i * 7) & 0xff));
    writeFileSync(path, content);
    const fd = openSync(path, 'r+');
    try {
      const map = k!.mapRead(fd, content.byteLength);
      expect(map).not.toBeNull();
      const out = Buffer.alloc(5000);
      expect(k!.copyMapped(out, map!, 4000, 5000)).toBe(0);
      expect(out.equals(content.subarray(4000, 9000))).toBe(true);
      ftruncateSync(fd, 100); // the pages beyond the first are gone: touching them faults
      expect(k!.copyMapped(out, map!, 4000, 5000)).toBe(-1);
      expect(k!.copyMapped(out, map!, 0, 50)).toBe(0); // the first page is still there
      expect(out.subarray(0, 50).equals(content.subarray(0, 50))).toBe(true);
      expect(k!.unmap(map!, content.byteLength)).toBe(0);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(k === undefined)('firstNonFinite takes the native scan for long arrays and finds what the JavaScript probe finds', () => {
    const v = new Float32Array(50_000).fill(1);
    v[40_000] = -Infinity;
    useKernels('native');
    const native = firstNonFinite(v);
    useKernels('javascript');
    expect(native).toBe(40_000);
    expect(firstNonFinite(v)).toBe(40_000);
  });
});
