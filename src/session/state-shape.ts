/** Structural comparison of optimizer states, to check that a restored state fits the configured optimizer. */
import type { OptState } from '../optim/types.js';

/**
 * True when `b` has the shape of `a`: the same kinds of values, arrays and typed arrays of the same
 * lengths, records with the same keys, recursively. Values of numbers, booleans and strings are not compared.
 */
export function sameShape(a: OptState, b: unknown): boolean {
  if (a === null) return b === null;
  if (typeof a !== 'object') return typeof b === typeof a;
  if (a instanceof Float64Array) return b instanceof Float64Array && b.length === a.length;
  if (Array.isArray(a)) {
    return Array.isArray(b) && b.length === a.length && a.every((item: OptState, i) => sameShape(item, b[i]));
  }
  if (typeof b !== 'object' || b === null || Array.isArray(b) || ArrayBuffer.isView(b)) return false;
  const record = a as { readonly [key: string]: OptState };
  const other = b as Record<string, unknown>;
  const keys = Object.keys(record);
  return keys.length === Object.keys(other).length && keys.every((k) => k in other && sameShape(record[k]!, other[k]));
}
