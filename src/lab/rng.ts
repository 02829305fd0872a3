/**
 * A small seeded pseudo-random generator for the lab: xoshiro128** (Blackman & Vigna 2018,
 * https://prng.di.unimi.it/xoshiro128starstar.c) seeded through splitmix32, plus the samplers the
 * experiments need (uniform doubles, Gaussians, lognormals, Bernoulli and categorical draws, shuffles).
 *
 * Why not `Math.random`: every synthetic data set, sampled label and minibatch order must be the same
 * on every machine and run, so that a figure can be regenerated bit-for-bit from its seed. xoshiro128**
 * is a 32-bit generator (period 2¹²⁸ − 1) that runs on plain JavaScript integers without BigInt; a
 * uniform double takes two outputs (53 random bits). Streams with different seeds are independent in
 * practice; `fork(label)` derives a child seed deterministically, so adding a consumer does not shift
 * the numbers another consumer sees.
 */
import { FisherdError } from '../errors.js';

/** splitmix32: scrambles a 32-bit state into a well-mixed output; used only to seed xoshiro. */
function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** FNV-1a hash of a string to 32 bits (for `fork` labels). */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** A seeded random stream. Not cryptographic. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** A second Gaussian from the last polar draw, used by the next `normal()` call. */
  private spareNormal: number | undefined;
  /** The seed this stream was made from (reported in the experiments' JSON). */
  readonly seed: number;

  /** @param seed any integer; only its low 32 bits matter. */
  constructor(seed: number) {
    this.seed = seed >>> 0;
    let state = this.seed;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitmix32(state);
      state = next;
      words.push(out);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    // xoshiro's state must not be all zero; splitmix32 never yields four zeros, but stay explicit.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A child stream whose seed depends on this stream's seed and `label` only (not on draws made so far). */
  fork(label: string): Rng {
    return new Rng((this.seed ^ hashString(label)) + 0x6d2b79f5);
  }

  /** The next 32-bit unsigned output of xoshiro128**. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** A uniform integer in [0, n), without modulo bias (rejection sampling). */
  integer(n: number): number {
    if (!(n >= 1 && n <= TWO_POW_32 && Number.isInteger(n))) throw new FisherdError('INVALID_CONFIG', `integer(n): n must be an integer in [1, 2^32], got ${n}`, { field: 'n' });
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal draw N(0, 1) by Marsaglia's polar method (two draws per acceptance). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * factor;
        return u * factor;
      }
    }
  }

  /** Lognormal draw: exp(μ + σ·z), z ~ N(0, 1) (σ is the standard deviation of the log, as numpy's). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** 1 with probability p, else 0. */
  bernoulli(p: number): number {
    return this.uniform() < p ? 1 : 0;
  }

  /** An index drawn with the given probabilities (non-negative, summing to 1 up to rounding). */
  categorical(probabilities: ArrayLike<number>): number {
    const u = this.uniform();
    let cumulative = 0;
    for (let c = 0; c < probabilities.length; c++) {
      cumulative += probabilities[c];
      if (u < cumulative) return c;
    }
    return probabilities.length - 1; // rounding: the sum fell just short of 1
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
