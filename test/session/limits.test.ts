/**
 * Admission limits (src/session/limits.ts through validateSessionConfig): every limit just inside and just
 * outside, refused with INVALID_CONFIG naming the field and the number before anything is allocated; the
 * float32 floor of step sizes and damping, at open and when a schedule decays past it; the memory a session
 * is charged against the measured bytes it allocates.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { selectBackend } from '../../src/linalg/select.js';
import { sessionConfigFromWire, sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { validateSessionConfig, type SessionConfig } from '../../src/session/config.js';
import { DEFAULT_SESSION_LIMITS, sessionLimits, sessionMemoryBytes } from '../../src/session/limits.js';
import { Session } from '../../src/session/session.js';
import type { ScheduleSpec } from '../../src/optim/schedule.js';

const sgd = { name: 'sgd', stepSize: 0.1 } as const;

function refusal(config: SessionConfig, limits = DEFAULT_SESSION_LIMITS): { field: string | undefined; message: string } {
  try {
    validateSessionConfig(config, limits);
  } catch (e) {
    if (!isFisherdError(e, 'INVALID_CONFIG')) throw e;
    return { field: e.field, message: e.message };
  }
  throw new Error(`${JSON.stringify(config).slice(0, 200)} was accepted`);
}

function nested(depth: number): ScheduleSpec {
  let spec: ScheduleSpec = 0.1;
  for (let i = 0; i < depth; i++) spec = { kind: 'warmup', from: 0.01, steps: 2, then: spec };
  return spec;
}

describe('admission limits', () => {
  const L = DEFAULT_SESSION_LIMITS;

  it('dim: the limit is accepted, one more is refused naming the field and the numbers', () => {
    expect(validateSessionConfig({ dim: L.maxDim, optimizer: sgd }).dim).toBe(L.maxDim);
    const r = refusal({ dim: L.maxDim + 1, optimizer: sgd });
    expect(r.field).toBe('dim');
    expect(r.message).toContain(String(L.maxDim + 1));
    expect(r.message).toContain(String(L.maxDim));
    // 2³²−1, the largest a uint32 on the wire can say: INVALID_CONFIG, not an allocation failure.
    expect(refusal({ dim: 2 ** 32 - 1, optimizer: sgd }).field).toBe('dim');
    // A daemon's own limit.
    expect(refusal({ dim: 101, optimizer: sgd }, sessionLimits({ maxDim: 100 })).message).toContain('--max-dim');
  });

  it('workers', () => {
    expect(validateSessionConfig({ dim: 4, optimizer: sgd, workers: L.maxWorkers }).workers).toBe(L.maxWorkers);
    expect(refusal({ dim: 4, optimizer: sgd, workers: L.maxWorkers + 1 }).field).toBe('workers');
    expect(refusal({ dim: 4, optimizer: sgd, workers: 2 ** 32 - 1 }).field).toBe('workers');
  });

  it('rank ≤ min(block size, maxRank)', () => {
    const ngd = { name: 'ngd', stepSize: 0.1, damping: 1e-3 } as const;
    expect(() => validateSessionConfig({ dim: 10, optimizer: ngd, structure: { kind: 'lowrank', rank: 10 } })).not.toThrow();
    expect(refusal({ dim: 10, optimizer: ngd, structure: { kind: 'lowrank', rank: 11 } }).field).toBe('structure.rank');
    const big = 10 * L.maxRank;
    expect(() => validateSessionConfig({ dim: big, optimizer: ngd, structure: { kind: 'lowrank', rank: L.maxRank } })).not.toThrow();
    expect(refusal({ dim: big, optimizer: ngd, structure: { kind: 'lowrank', rank: L.maxRank + 1 } }).field).toBe('structure.rank');
    const blocks = [{ name: 'a', size: 4, structure: { kind: 'diagonal' } as const }, { name: 'b', size: 3, structure: { kind: 'lowrank', rank: 4 } as const }];
    expect(refusal({ dim: 7, optimizer: ngd, blocks }).field).toBe('blocks[1].structure.rank');
  });

  it('number of blocks', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `b${i}`, size: 1, structure: { kind: 'diagonal' } as const }));
    const limits = sessionLimits({ maxBlocks: 50 });
    expect(() => validateSessionConfig({ dim: 50, optimizer: sgd, blocks: blocks(50) }, limits)).not.toThrow();
    expect(refusal({ dim: 51, optimizer: sgd, blocks: blocks(51) }, limits).field).toBe('blocks');
    expect(() => validateSessionConfig({ dim: L.maxBlocks, optimizer: sgd, blocks: blocks(L.maxBlocks) })).not.toThrow();
    expect(refusal({ dim: L.maxBlocks + 1, optimizer: sgd, blocks: blocks(L.maxBlocks + 1) }).field).toBe('blocks');
  });

  it('full block size', () => {
    expect(() => validateSessionConfig({ dim: L.maxFullBlockSize, optimizer: sgd, structure: { kind: 'full' } })).not.toThrow();
    expect(refusal({ dim: L.maxFullBlockSize + 1, optimizer: sgd, structure: { kind: 'full' } }).field).toBe('structure');
  });

  it('schedule depth and piecewise boundaries', () => {
    expect(() => validateSessionConfig({ dim: 2, optimizer: { name: 'sgd', stepSize: nested(L.maxScheduleDepth) } })).not.toThrow();
    const deep = refusal({ dim: 2, optimizer: { name: 'sgd', stepSize: nested(L.maxScheduleDepth + 1) } });
    expect(deep.field).toMatch(/^optimizer\.stepSize(\.then)+$/);
    // Thousands deep: refused, not a stack overflow.
    expect(refusal({ dim: 2, optimizer: { name: 'sgd', stepSize: nested(5000) } }).field).toMatch(/^optimizer\.stepSize/);
    const piecewise = (n: number): ScheduleSpec => ({ kind: 'piecewise', init: 0.1, boundaries: Array.from({ length: n }, (_, i) => ({ step: i + 1, scale: 0.999 })) });
    expect(() => validateSessionConfig({ dim: 2, optimizer: { name: 'sgd', stepSize: piecewise(L.maxScheduleBoundaries) } })).not.toThrow();
    expect(refusal({ dim: 2, optimizer: { name: 'sgd', stepSize: piecewise(L.maxScheduleBoundaries + 1) } }).field).toBe('optimizer.stepSize.boundaries');
  });

  it('step size and damping below float32\'s smallest normal are refused, not used as 0', () => {
    expect(() => validateSessionConfig({ dim: 2, optimizer: { name: 'sgd', stepSize: 1.2e-38 } })).not.toThrow();
    expect(refusal({ dim: 2, optimizer: { name: 'sgd', stepSize: 1e-39 } }).field).toBe('optimizer.stepSize');
    expect(refusal({ dim: 2, optimizer: { name: 'sgd', stepSize: 5e-324 } }).message).toMatch(/underflow/);
    expect(() => validateSessionConfig({ dim: 2, optimizer: { name: 'efgd', stepSize: 0.1, damping: 0 } })).not.toThrow();
    expect(refusal({ dim: 2, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-40 } }).field).toBe('optimizer.damping');
  });

  it('a schedule that decays past float32 fails its step with the field and the step; the session is unchanged', async () => {
    const backend = await selectBackend('reference');
    // γ_t = 1e-10^t: 1e-30 at t = 3, 1e-40 at t = 4 (the 5th step).
    const session = new Session({ dim: 2, optimizer: { name: 'sgd', stepSize: { kind: 'exponential', init: 1, decayRate: 1e-10, transitionSteps: 1 } } }, backend);
    const step = (t: number) => session.step([{ step: t, workerId: 0, batchSize: 1, reduction: 'sum', meanGrad: Float32Array.of(1, 2) }]);
    for (let t = 1; t <= 4; t++) step(t);
    let error: unknown;
    try {
      step(5);
    } catch (e) {
      error = e;
    }
    expect(isFisherdError(error, 'INVALID_CONFIG')).toBe(true);
    expect((error as { field: string }).field).toBe('optimizer.stepSize');
    expect((error as { step: number }).step).toBe(5);
    expect(session.lastStep).toBe(4);
  });

  it('unknown enum values on the wire are refused', () => {
    const wire = sessionConfigToWire({ dim: 2, optimizer: { name: 'snr', stepSize: 0.1 } });
    expect(() => sessionConfigFromWire({ ...wire, fisherSource: 9 as never })).toThrow(/fisherSource has unknown value 9/);
    expect(() => sessionConfigFromWire({ ...wire, optimizer: { ...wire.optimizer, snrVariance: 7 as never } })).toThrow(/snrVariance has unknown value 7/);
    expect(sessionConfigFromWire(wire).fisherSource).toBeUndefined();
  });
});

describe('float32 overflow of the estimates', () => {
  it('rows whose squares overflow float32 storage: NON_FINITE naming the rows, not the damping; the session is unchanged', async () => {
    const backend = await selectBackend('openblas');
    expect(backend.dtype).toBe('float32');
    const session = new Session({ dim: 4, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } }, backend);
    let error: unknown;
    try {
      session.step([{ step: 1, workerId: 0, batchSize: 2, reduction: 'sum', perExampleGrads: new Float32Array(8).fill(1e30) }]);
    } catch (e) {
      error = e;
    }
    expect(isFisherdError(error, 'NON_FINITE')).toBe(true);
    expect((error as Error).message).toMatch(/overflowed its float32 storage/);
    expect((error as Error).message).toMatch(/does not help/);
    expect((error as { field: string }).field).toBe('perExampleGrads');
    expect(session.lastStep).toBe(0);
    // The same session takes ordinary rows afterwards, exactly as a fresh one does.
    const rows = Float32Array.from({ length: 8 }, (_, i) => i - 3);
    const fresh = new Session({ dim: 4, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } }, backend);
    const contribution = { step: 1, workerId: 0, batchSize: 2, reduction: 'sum' as const, perExampleGrads: rows };
    expect(Array.from(session.step([contribution]).update)).toEqual(Array.from(fresh.step([contribution]).update));
  });
});

describe('memory charged at open', () => {
  setFlagsFromString('--expose-gc');
  const gcOnce = runInNewContext('gc') as () => void;
  /** Collects until the ArrayBuffer bytes settle (V8 frees backing stores after the collection, off thread). */
  async function settledArrayBuffers(): Promise<number> {
    let last = -1;
    for (let i = 0; i < 20; i++) {
      gcOnce();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = process.memoryUsage().arrayBuffers;
      if (now === last) return now;
      last = now;
    }
    return last;
  }

  /** Bytes of ArrayBuffers a session of `config` allocates through two steps and an estimates report. */
  async function measured(config: SessionConfig, backendName: 'reference' | 'openblas', rows: number): Promise<number> {
    const backend = await selectBackend(backendName);
    const before = await settledArrayBuffers();
    const session = new Session(config, backend);
    const dim = config.dim;
    for (let t = 1; t <= 2; t++) {
      const g = Float32Array.from({ length: rows * dim }, (_, i) => Math.sin(i * 0.37 + t));
      session.step([{ step: t, workerId: 0, batchSize: rows, reduction: 'sum', perExampleGrads: g, sampledLabelGrads: { rows: g, samplesPerExample: 1 } }]);
    }
    session.estimates({ includeDiagonals: true, topK: 3 });
    session.snapshot();
    const after = await settledArrayBuffers();
    expect(session.lastStep).toBe(2);
    return after - before;
  }

  const all = { empiricalFisher: true, fisher: true, noise: true };
  const cases: { label: string; config: SessionConfig; rows: number }[] = [
    { label: 'diagonal, D = 200 000, 3 estimates, adam', config: { dim: 200_000, optimizer: { name: 'adam', stepSize: 1e-3 }, track: all }, rows: 4 },
    { label: 'full, D = 600, 3 estimates, ngd + momentum', config: { dim: 600, structure: { kind: 'full' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2, momentum: 0.9 }, track: all }, rows: 8 },
    { label: 'lowrank r = 16, D = 20 000, 3 estimates', config: { dim: 20_000, structure: { kind: 'lowrank', rank: 16 }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2 }, track: all }, rows: 32 },
  ];
  for (const backendName of ['reference', 'openblas'] as const) {
    for (const { label, config, rows } of cases) {
      it(`${backendName}: ${label} — the charge covers what it allocates, within 2×`, async () => {
        const resolved = validateSessionConfig(config);
        const charged = sessionMemoryBytes(resolved, { storageBytes: backendName === 'openblas' ? 4 : 8, maxFrameBytes: rows * config.dim * 4 }).bytes;
        const used = await measured(config, backendName, rows);
        expect(used).toBeGreaterThan(0);
        console.log(`${backendName}: ${label}: charged ${charged} bytes, allocated ${used} (×${(charged / used).toFixed(2)})`);
        expect(charged).toBeGreaterThanOrEqual(used);
        expect(charged).toBeLessThanOrEqual(2 * used);
      });
    }
  }
});
