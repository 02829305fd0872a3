/** Small float64 vector helpers for the update rules (D-length loops; the heavy work is in the estimates). */

/** Σ x_i y_i. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** Sums of squares inside this range lost nothing to overflow or underflow: one pass was enough. */
const SAFE_LOW = 2 ** -900;
const SAFE_HIGH = 2 ** 900;

/** ‖x‖₂: one pass, or, for extreme magnitudes (a sum of squares near over- or underflow), a scaled second. */
export function norm2(x: ArrayLike<number>): number {
  let squares = 0;
  for (let i = 0; i < x.length; i++) squares += x[i]! * x[i]!;
  return norm2FromSquares(squares, x);
}

/**
 * `norm2(x)` from Σ x_i² summed in index order as `norm2` sums it (by a pass that had x at hand anyway):
 * the same value, x read again only for extreme magnitudes.
 */
export function norm2FromSquares(squares: number, x: ArrayLike<number>): number {
  if (squares > SAFE_LOW && squares < SAFE_HIGH) return Math.sqrt(squares);
  return scaledNorm2(x);
}

function scaledNorm2(x: ArrayLike<number>): number {
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

/** cos(x, y) = xᵀy / (‖x‖‖y‖); 0 when either vector is zero. One pass unless magnitudes are extreme. */
export function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    xx += a * a;
    yy += b * b;
    xy += a * b;
  }
  if (xx > SAFE_LOW && xx < SAFE_HIGH && yy > SAFE_LOW && yy < SAFE_HIGH) return xy / (Math.sqrt(xx) * Math.sqrt(yy));
  const nx = scaledNorm2(x);
  const ny = scaledNorm2(y);
  if (nx === 0 || ny === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! / nx) * (y[i]! / ny);
  return s;
}
