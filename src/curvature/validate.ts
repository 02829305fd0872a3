/**
 * Input checks shared by the curvature estimates. Every public mutator runs its checks before it touches
 * any state, so a throw leaves the estimate exactly as it was. Messages name the offending field.
 */
import { FisherdError } from '../errors.js';

/** The index of the first NaN or ±Inf in `values`, or −1 when all are finite. */
export function firstNonFinite(values: ArrayLike<number>): number {
  // x·0 is 0 for every finite x and NaN for NaN and ±Inf, so one branch-free pass finds out whether any
  // element is non-finite; only then do we pay for a second pass that locates it.
  let probe = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) probe += values[i] * 0;
  if (probe === 0) return -1;
  for (let i = 0; i < n; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** Throws NON_FINITE (naming `field` and the first bad index) when `values` holds a NaN or ±Inf. */
export function requireFinite(values: ArrayLike<number>, field: string): void {
  const bad = firstNonFinite(values);
  if (bad >= 0) {
    throw new FisherdError('NON_FINITE', `${field}[${bad}] is ${values[bad]}; every value must be finite`, { field });
  }
}

/** Throws INVALID_CONFIG unless `value` is an integer ≥ `min`. */
export function requireInteger(value: number, min: number, field: string): void {
  if (!Number.isInteger(value) || value < min) {
    throw new FisherdError('INVALID_CONFIG', `${field} must be an integer ≥ ${min}, got ${value}`, { field });
  }
}

/** Throws INVALID_CONFIG unless the EMA decay β lies in [0, 1) (math.md: "decay β ∈ [0, 1)"). */
export function requireDecay(decay: number, field = 'decay'): void {
  if (!(decay >= 0 && decay < 1)) {
    throw new FisherdError('INVALID_CONFIG', `${field} must lie in [0, 1), got ${decay}`, { field });
  }
}

/** Throws INVALID_CONFIG unless the damping λ is finite and ≥ 0 (math.md: "λ ≥ 0"). */
export function requireDamping(damping: number, field = 'damping'): void {
  if (!(damping >= 0 && damping < Infinity)) {
    throw new FisherdError('INVALID_CONFIG', `${field} must be finite and ≥ 0, got ${damping}`, { field });
  }
}

/** Throws SHAPE_MISMATCH unless `values.length === length`, then NON_FINITE on a NaN or ±Inf. */
export function requireVector(values: ArrayLike<number>, length: number, field: string): void {
  if (values.length !== length) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} has length ${values.length}, expected ${length}`, { field });
  }
  requireFinite(values, field);
}

/** Throws SHAPE_MISMATCH unless an output buffer (when given) has length `length`. */
export function requireOutput(out: Float64Array | undefined, length: number, field = 'out'): void {
  if (out !== undefined && out.length !== length) {
    throw new FisherdError('SHAPE_MISMATCH', `${field} has length ${out.length}, expected ${length}`, { field });
  }
}
