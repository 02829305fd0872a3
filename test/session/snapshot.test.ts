/**
 * Snapshots: 10 steps, snapshot → bytes → snapshot → restore, then both sessions continue 5 steps with
 * bitwise identical float32 updates; on every backend and for stateful optimizers. And the codec itself.
 */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import {
  Session, decodeSessionSnapshot, decodeSnapshotValue, encodeSessionSnapshot, encodeSnapshotValue, sessionConfigHash, type SessionConfig,
} from '../../src/session/index.js';
import { BACKENDS, DyadicStream, REFERENCE, bitwiseEqual, contribution, workerRows } from './helpers.js';

const DIM = 8;

const CONFIGS: readonly { label: string; config: SessionConfig }[] = [
  {
    label: 'ngd + momentum, blocks (full + low-rank), EMA 0.9, 2 workers, all estimates',
    config: {
      dim: DIM,
      blocks: [
        { name: 'w', size: 3, structure: { kind: 'full' } },
        { name: 'b', size: 5, structure: { kind: 'lowrank', rank: 4 } },
      ],
      optimizer: { name: 'ngd', stepSize: { kind: 'cosine', init: 0.1, decaySteps: 20, alpha: 0.1 }, damping: 1e-2, momentum: 0.9 },
      emaDecay: 0.9,
      workers: 2,
      track: { empiricalFisher: true, noise: true },
    },
  },
  {
    label: 'adamw, diagonal',
    config: { dim: DIM, optimizer: { name: 'adam', stepSize: 1e-2, weightDecay: 1e-2 }, emaDecay: 0.5 },
  },
  {
    label: 'va, full, EMA 0.8',
    config: { dim: DIM, structure: { kind: 'full' }, optimizer: { name: 'va', stepSize: 0.5, damping: 1e-3 }, emaDecay: 0.8 },
  },
  {
    label: 'snr with M-SVAG moments, exact Fisher tracked',
    config: {
      dim: DIM, optimizer: { name: 'snr', stepSize: 0.1, snrVariance: 'moments' }, fisherSource: 'exact', track: { fisher: true },
    },
  },
];

/** Step `step` of a deterministic stream, for every worker of `session`. */
function stepOf(session: Session, step: number) {
  const workers = session.config.workers;
  return Array.from({ length: workers }, (_, w) => {
    const rows = workerRows(new DyadicStream(1000 * step + w), DIM, 4);
    return contribution(rows, step, w, w % 2 === 0 ? 'sum' : 'mean', {
      loss: step + w,
      params: new DyadicStream(step).floats(DIM),
    });
  });
}

describe('snapshot and restore', () => {
  for (const backend of BACKENDS) {
    for (const { label, config } of CONFIGS) {
      it(`${backend.name}: ${label} continues bitwise identically`, () => {
        const original = new Session(config, backend);
        for (let t = 1; t <= 10; t++) original.step(stepOf(original, t));
        const bytes = encodeSessionSnapshot(original.snapshot());
        const restored = Session.restore(decodeSessionSnapshot(bytes), backend);
        expect(restored.lastStep).toBe(10);
        expect(bitwiseEqual(restored.lastResult!.update, original.lastResult!.update)).toBe(true);
        for (let t = 11; t <= 15; t++) {
          const a = original.step(stepOf(original, t));
          const b = restored.step(stepOf(restored, t));
          expect(bitwiseEqual(a.update, b.update), `step ${t}`).toBe(true);
          expect(b.diagnostics.gradNorm).toBe(a.diagnostics.gradNorm);
        }
        // The snapshot is a value: the running session did not change what was taken.
        expect(encodeSessionSnapshot(decodeSessionSnapshot(bytes)).equals(bytes)).toBe(true);
      });
    }
  }

  it('restore rejects a snapshot whose parts do not fit', () => {
    const session = new Session(CONFIGS[1]!.config, REFERENCE);
    session.step(stepOf(session, 1));
    const snapshot = session.snapshot();
    const bad = [
      { ...snapshot, format: 'fisherd-session/0' },
      { ...snapshot, lastStep: 3 },
      { ...snapshot, optimizerState: [] },
      { ...snapshot, config: { ...snapshot.config, optimizer: { name: 'sgd', stepSize: 1 } } },
      { ...snapshot, config: { ...snapshot.config, emaDecay: 0 } },
    ];
    for (const s of bad) {
      expect(() => Session.restore(s as typeof snapshot, REFERENCE)).toThrow(FisherdError);
    }
  });
});

describe('snapshot codec', () => {
  it('round-trips typed arrays bit for bit, special numbers, and nested records', () => {
    const value = {
      f64: Float64Array.from([Math.PI, -0, Number.NaN, Infinity, 5e-324]),
      f32: Float32Array.from([1.5, -2.25e-30]),
      i32: Int32Array.from([-1, 2 ** 31 - 1]),
      u8: Uint8Array.from([0, 255]),
      numbers: [0.1, -0, Number.NaN, -Infinity, 1e308],
      nested: { s: 'λ ≥ 0', b: true, n: null, list: [{ x: Float64Array.from([1]) }] },
      skipped: undefined,
    };
    const decoded = decodeSnapshotValue(encodeSnapshotValue(value)) as typeof value;
    expect(bitwiseEqual(decoded.f64, value.f64)).toBe(true);
    expect(bitwiseEqual(decoded.f32, value.f32)).toBe(true);
    expect(Array.from(decoded.i32)).toEqual([-1, 2 ** 31 - 1]);
    expect(decoded.u8).toBeInstanceOf(Uint8Array);
    expect(Object.is(decoded.numbers[1], -0)).toBe(true);
    expect(decoded.numbers[2]).toBeNaN();
    expect(decoded.numbers.slice(3)).toEqual([-Infinity, 1e308]);
    expect(decoded.nested.s).toBe('λ ≥ 0');
    expect(decoded.nested.list[0]!.x).toBeInstanceOf(Float64Array);
    expect('skipped' in decoded).toBe(false);
  });

  it('decodes into fresh arrays, never views of the input bytes', () => {
    const bytes = encodeSnapshotValue({ x: Float64Array.from([1, 2]) });
    const decoded = decodeSnapshotValue(bytes) as { x: Float64Array };
    bytes.fill(0);
    expect(Array.from(decoded.x)).toEqual([1, 2]);
  });

  it('detects damage (TRACE_CORRUPT) and other format versions (TRACE_VERSION)', () => {
    const bytes = encodeSnapshotValue({ x: Float64Array.from([1, 2, 3]), y: 'text' });
    for (const offset of [0, 9, 20, bytes.length - 10, bytes.length - 1]) {
      const damaged = Buffer.from(bytes);
      damaged[offset] ^= 0x40;
      expect(() => decodeSnapshotValue(damaged)).toThrow(expect.objectContaining({ code: 'TRACE_CORRUPT', field: 'snapshot' }) as Error);
    }
    expect(() => decodeSnapshotValue(bytes.subarray(0, 10))).toThrow(expect.objectContaining({ code: 'TRACE_CORRUPT' }) as Error);
    expect(() => decodeSessionSnapshot(bytes)).toThrow(expect.objectContaining({ code: 'TRACE_CORRUPT' }) as Error);
  });

  it('rejects another format version with TRACE_VERSION', async () => {
    const { crc32c } = await import('@node-rs/crc32');
    const bytes = Buffer.from(encodeSnapshotValue({ x: 1 }));
    bytes.writeUInt32LE(2, 4);
    bytes.writeUInt32LE(crc32c(bytes.subarray(0, bytes.length - 4)), bytes.length - 4);
    expect(() => decodeSnapshotValue(bytes)).toThrow(expect.objectContaining({ code: 'TRACE_VERSION' }) as Error);
  });

  it("refuses keys that start with '$' (reserved for the codec)", () => {
    expect(() => encodeSnapshotValue({ $array: 'float64' })).toThrow(FisherdError);
  });
});

describe('snapshot binding (session id and config hash)', () => {
  const A = 'a'.repeat(32);
  const B = 'b'.repeat(32);
  const session = new Session(CONFIGS[1]!.config, REFERENCE);
  session.step(stepOf(session, 1));

  it('stores the id and the config hash, strips them on decode, and round-trips bit for bit', () => {
    const bytes = encodeSessionSnapshot(session.snapshot(), A);
    expect(decodeSnapshotValue(bytes)).toMatchObject({ binding: { sessionId: A, configHash: sessionConfigHash(CONFIGS[1]!.config) } });
    const decoded = decodeSessionSnapshot(bytes, A);
    expect(decoded).not.toHaveProperty('binding');
    expect(encodeSessionSnapshot(decoded, A).equals(bytes)).toBe(true);
    expect(decodeSessionSnapshot(bytes).lastStep).toBe(1); // no expected id: the binding is not compared
  });

  it('refuses another session id (UNKNOWN_SESSION naming both) and an altered config (TRACE_CORRUPT); accepts unbound snapshots', () => {
    const bytes = encodeSessionSnapshot(session.snapshot(), A);
    expect(() => decodeSessionSnapshot(bytes, B)).toThrow(expect.objectContaining({ code: 'UNKNOWN_SESSION', message: expect.stringContaining(`session ${B} holds session ${A}`) }) as Error);
    const tree = decodeSnapshotValue(bytes) as Record<string, unknown>;
    const altered = encodeSnapshotValue({ ...tree, config: { ...(tree['config'] as object), dim: 9 } } as never);
    expect(() => decodeSessionSnapshot(altered, A)).toThrow(expect.objectContaining({ code: 'TRACE_CORRUPT', field: 'snapshot' }) as Error);
    const unbound = encodeSessionSnapshot(session.snapshot());
    expect(decodeSessionSnapshot(unbound, B).lastStep).toBe(1);
  });

  it('hashes configs by content, not key order', () => {
    const config = CONFIGS[0]!.config;
    const reordered = Object.fromEntries(Object.entries(config).reverse()) as SessionConfig;
    expect(sessionConfigHash(reordered)).toBe(sessionConfigHash(config));
    expect(sessionConfigHash({ ...config, emaDecay: 0.5 })).not.toBe(sessionConfigHash(config));
  });
});
