/**
 * Float32 arrays whose values are already known to pass an arrival check, so that the check need not read
 * them again: the decoder marks the aligned copy it makes of a payload while copying it (the native
 * `copyProbeF32`), and the statistics' value scans (src/session/statistics.ts) skip marked arrays. A mark
 * holds only while nobody writes into the array: the payload pool clears it when it lends the array again
 * (src/protocol/floats.ts), and whoever fills an array otherwise must call `clearScanned` first.
 */

/** What is known of an array's values: every one finite, or finite with its sign bit clear (≥ +0). */
export type ScannedAs = 'finite' | 'nonNegative';

const marks = new WeakMap<Float32Array, ScannedAs>();

export function markScanned(v: Float32Array, as: ScannedAs): void {
  marks.set(v, as);
}

export function clearScanned(v: Float32Array): void {
  marks.delete(v);
}

/** True when every value of `v` is known to be finite. */
export function scannedFinite(v: Float32Array | Float64Array): boolean {
  return v instanceof Float32Array && marks.has(v);
}

/** True when every value of `v` is known to be finite and ≥ +0. */
export function scannedNonNegative(v: Float32Array | Float64Array): boolean {
  return v instanceof Float32Array && marks.get(v) === 'nonNegative';
}
