/**
 * Small models of math.md's closed forms, with per-example gradients, sampled-label gradients and exact
 * Fisher factor rows computed here in float64 (independently of src/curvature).
 */
import { jacobiEigen, type Rng } from './helpers.js';

export interface Dataset {
  n: number;
  d: number;
  /** n×d inputs, row-major. */
  x: Float64Array;
}

export function gaussianInputs(rng: Rng, n: number, d: number): Dataset {
  return { n, d, x: rng.normals(n * d) };
}

export function row(data: Dataset, i: number): Float64Array {
  return data.x.subarray(i * data.d, (i + 1) * data.d);
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

export function dotRow(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** softmax(W x) for W C×d (row-major). */
export function softmaxProbabilities(W: Float64Array, x: ArrayLike<number>, C: number): Float64Array {
  const d = x.length;
  const logits = Float64Array.from({ length: C }, (_, c) => dotRow(W.subarray(c * d, (c + 1) * d), x));
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/** H = diag(π) − ππᵀ (math.md eq. 34), C×C. */
export function softmaxHessian(pi: Float64Array): Float64Array {
  const C = pi.length;
  const H = new Float64Array(C * C);
  for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) H[a * C + b] = (a === b ? pi[a] : 0) - pi[a] * pi[b];
  return H;
}

/** The symmetric square root of a PSD matrix (negative rounding eigenvalues clamped to 0). */
export function symmetricSqrt(H: Float64Array, C: number): Float64Array {
  const { values, vectors } = jacobiEigen(H, C);
  const R = new Float64Array(C * C);
  for (let k = 0; k < C; k++) {
    const s = Math.sqrt(Math.max(values[k], 0));
    for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) R[a * C + b] += s * vectors[k * C + a] * vectors[k * C + b];
  }
  return R;
}

/** Jᵀh for f = Wx with θ = vec(W) row-major: (Jᵀh)_{(c,j)} = h_c x_j, i.e. h ⊗ x. */
export function kron(h: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(h.length * x.length);
  for (let c = 0; c < h.length; c++) for (let j = 0; j < x.length; j++) out[c * x.length + j] = h[c] * x[j];
  return out;
}

/** Draws a class from the probabilities π. */
export function sampleClass(rng: Rng, pi: ArrayLike<number>): number {
  let u = rng.uniform();
  for (let c = 0; c < pi.length; c++) {
    u -= pi[c];
    if (u < 0) return c;
  }
  return pi.length - 1;
}

/** ∇_θ of −log softmax(Wx)_y: (π − e_y) ⊗ x. */
export function softmaxGrad(pi: Float64Array, y: number, x: ArrayLike<number>): Float64Array {
  const r = Float64Array.from(pi);
  r[y] -= 1;
  return kron(r, x);
}
