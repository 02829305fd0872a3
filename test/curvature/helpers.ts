/**
 * Float64 oracles for the curvature tests, written independently of src/curvature and of the backends:
 * dense outer-product sums, Gaussian elimination, a Jacobi eigenvalue solver, seeded random numbers.
 */
import { expect } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { allBackends, createReferenceBackend, type Backend } from '../../src/linalg/index.js';
import { createLogger } from '../../src/log.js';
import type { RowBlock } from '../../src/curvature/index.js';

/** Every backend that initializes here (reference first), for specs that run against all of them. */
export const BACKENDS: Backend[] = await allBackends(createLogger({ level: 'silent' }));
export const REFERENCE: Backend = createReferenceBackend();

/** Relative tolerance by storage precision: float64 to ~1e-10, float32 to 1e-4 (ε₃₂ ≈ 6e-8 times b and D sums). */
export function tolerance(backend: Backend): number {
  return backend.dtype === 'float64' ? 1e-10 : 1e-4;
}

/** mulberry32 uniform in [0, 1) plus Box–Muller normals. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
  normals(n: number): Float64Array {
    return Float64Array.from({ length: n }, () => this.normal());
  }
}

/** A row block of `count` rows. */
export function rowBlock(rows: Float64Array, count: number, dim: number, scale = 1, weights?: Float64Array): RowBlock {
  return weights === undefined ? { rows, count, dim, scale } : { rows, count, dim, scale, weights };
}

/** Σ_r w_r v_r v_rᵀ · scale, dense row-major. */
export function outerSum(rows: ArrayLike<number>, count: number, dim: number, scale = 1, weights?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(dim * dim);
  for (let r = 0; r < count; r++) {
    const w = scale * (weights?.[r] ?? 1);
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) out[i * dim + j] += w * rows[r * dim + i] * rows[r * dim + j];
    }
  }
  return out;
}

export function addScaled(a: Float64Array, alpha: number, b: Float64Array): Float64Array {
  return a.map((x, i) => x + alpha * b[i]);
}

export function matvec(A: Float64Array, v: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] += A[i * n + j] * v[j];
  return out;
}

/** Solves (A + λI) x = b by Gaussian elimination with partial pivoting. */
export function denseSolve(A: Float64Array, n: number, lambda: number, b: ArrayLike<number>): Float64Array {
  const M = new Float64Array(n * (n + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) M[i * (n + 1) + j] = A[i * n + j] + (i === j ? lambda : 0);
    M[i * (n + 1) + n] = b[i];
  }
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * (n + 1) + c]) > Math.abs(M[pivot * (n + 1) + c])) pivot = r;
    for (let j = 0; j <= n; j++) [M[c * (n + 1) + j], M[pivot * (n + 1) + j]] = [M[pivot * (n + 1) + j], M[c * (n + 1) + j]];
    for (let r = c + 1; r < n; r++) {
      const f = M[r * (n + 1) + c] / M[c * (n + 1) + c];
      for (let j = c; j <= n; j++) M[r * (n + 1) + j] -= f * M[c * (n + 1) + j];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i * (n + 1) + n];
    for (let j = i + 1; j < n; j++) s -= M[i * (n + 1) + j] * x[j];
    x[i] = s / M[i * (n + 1) + i];
  }
  return x;
}

/** Eigenvalues (descending) and eigenvectors (rows) of a symmetric matrix by cyclic Jacobi rotations. */
export function jacobiEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vpk = v[p * n + k];
          const vqk = v[q * n + k];
          v[p * n + k] = c * vpk - s * vqk;
          v[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((i, r) => vectors.set(v.subarray(i * n, (i + 1) * n), r * n));
  return { values, vectors };
}

/** max |a − b| / max(max |b|, floor). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

export function flatten(rows: readonly (readonly number[])[]): Float64Array {
  return Float64Array.from(rows.flat());
}

/** The diagonal of a dense n×n matrix. */
export function diagonalOf(A: Float64Array, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => A[i * n + i]);
}

/** A dense matrix with only its block-diagonal part kept. */
export function blockDiagonalPart(A: Float64Array, n: number, sizes: readonly number[]): Float64Array {
  const out = new Float64Array(n * n);
  let offset = 0;
  for (const size of sizes) {
    for (let i = offset; i < offset + size; i++) for (let j = offset; j < offset + size; j++) out[i * n + j] = A[i * n + j];
    offset += size;
  }
  return out;
}

/** Bitwise equality of two typed arrays (NaN-safe, distinguishes ±0). */
export function bitwiseEqual(a: Float64Array | Float32Array, b: Float64Array | Float32Array): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** The FisherdError `f` throws (the test fails if it throws anything else, or nothing). */
export function errorOf(f: () => unknown): FisherdError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FisherdError);
    return e as FisherdError;
  }
  throw new Error('expected a FisherdError');
}

/** Coordinate of a Kronecker block's weight entry (o, i) — i = inputs is the bias — in torch's weight-then-bias order. */
export function torchIndex(out: number, inputs: number, o: number, i: number): number {
  return i < inputs ? o * inputs + i : out * inputs + o;
}

/** Dense (G ⊗ A) in torch order: entry ((o,i),(p,j)) = G_op A_ij (A of order in', bias last). */
export function denseKronecker(G: Float64Array, A: Float64Array, out: number, inputs: number, bias: boolean): Float64Array {
  const order = inputs + (bias ? 1 : 0);
  const D = out * order;
  const M = new Float64Array(D * D);
  for (let o = 0; o < out; o++) for (let i = 0; i < order; i++) for (let p = 0; p < out; p++) for (let j = 0; j < order; j++) {
    M[torchIndex(out, inputs, o, i) * D + torchIndex(out, inputs, p, j)] = G[o * out + p]! * A[i * order + j]!;
  }
  return M;
}

/** M + s·I (M n×n row-major), a copy. */
export function plusIdentity(M: Float64Array, n: number, s: number): Float64Array {
  return M.map((x, k) => (k % (n + 1) === 0 ? x + s : x));
}

