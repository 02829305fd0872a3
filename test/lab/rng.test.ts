import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lab/rng.js';

/** xoshiro128** and splitmix32 written again with BigInt arithmetic, as an independent reference. */
function referenceOutputs(seed: number, count: number): number[] {
  const M = (1n << 32n) - 1n;
  let state = BigInt(seed >>> 0);
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    state = (state + 0x9e3779b9n) & M;
    let z = state;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    z = z ^ (z >> 16n);
    s.push(z);
  }
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & M, 7n) * 9n) & M));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  it('matches an independent BigInt implementation', () => {
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const rng = new Rng(seed);
      const ours = Array.from({ length: 200 }, () => rng.nextUint32());
      expect(ours).toEqual(referenceOutputs(seed, 200));
    }
  });

  it('is reproducible and forks deterministically', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    expect(Array.from({ length: 10 }, () => a.uniform())).toEqual(Array.from({ length: 10 }, () => b.uniform()));
    const before = new Rng(7).fork('labels').uniform();
    const consumed = new Rng(7);
    consumed.uniform();
    expect(consumed.fork('labels').uniform()).toBe(before);
    expect(new Rng(7).fork('x').uniform()).not.toBe(before);
  });

  it('draws uniforms in [0, 1) and standard normals with the right moments (seeded, 200 000 draws)', () => {
    const rng = new Rng(3);
    let sum = 0;
    let sumSq = 0;
    let minU = 1;
    let maxU = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      minU = Math.min(minU, u);
      maxU = Math.max(maxU, u);
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(minU).toBeGreaterThanOrEqual(0);
    expect(maxU).toBeLessThan(1);
    // Standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032; 5 standard errors.
    expect(Math.abs(sum / n)).toBeLessThan(0.012);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.016);
  });

  it('gives permutations and in-range integers and categorical draws', () => {
    const rng = new Rng(11);
    const p = rng.permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let i = 0; i < 1000; i++) {
      const k = rng.integer(7);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(7);
    }
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.categorical([0.2, 0.5, 0.3])]++;
    // Binomial standard error at n = 30 000 is at most 0.0029; 5 standard errors.
    expect(Math.abs(counts[0] / 30_000 - 0.2)).toBeLessThan(0.015);
    expect(Math.abs(counts[1] / 30_000 - 0.5)).toBeLessThan(0.015);
  });
});
