/** Small float64 vector helpers for the update rules (D-length loops; the heavy work is in the estimates). */

/** Σ x_i y_i. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** ‖x‖₂, scaled to avoid overflow and underflow for extreme magnitudes. */
export function norm2(x: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/** A fresh array α·x. */
export function scaled(alpha: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i]!;
  return out;
}

/** cos(x, y) = xᵀy / (‖x‖‖y‖); 0 when either vector is zero. */
export function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const nx = norm2(x);
  const ny = norm2(y);
  if (nx === 0 || ny === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! / nx) * (y[i]! / ny);
  return s;
}
