/**
 * Axis scales (data → pixels) and their tick positions: linear and base-10 logarithmic.
 */

export interface Scale {
  readonly kind: 'linear' | 'log';
  /** Data interval [lo, hi] (lo < hi; for log, lo > 0). */
  readonly domain: readonly [number, number];
  /** Pixel interval the domain maps onto (may be reversed, as for a y axis). */
  readonly range: readonly [number, number];
  /** Pixel position of a data value (NaN for a non-positive value on a log scale). */
  map(value: number): number;
  /** Tick positions in data units, inside the domain. */
  ticks(): number[];
  /** A short label for a tick. */
  format(value: number): string;
}

export function linearScale(domain: readonly [number, number], range: readonly [number, number], tickCount = 5): Scale {
  const [lo, hi] = widen(domain);
  const [r0, r1] = range;
  return {
    kind: 'linear',
    domain: [lo, hi],
    range,
    map: (v) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0),
    ticks: () => niceTicks(lo, hi, tickCount),
    format: formatNumber,
  };
}

export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  let [lo, hi] = domain;
  if (!(lo > 0)) lo = Math.min(hi, 1) * 1e-3;
  if (!(hi > lo)) hi = lo * 10;
  const [l0, l1] = [Math.log10(lo), Math.log10(hi)];
  const [r0, r1] = range;
  return {
    kind: 'log',
    domain: [lo, hi],
    range,
    map: (v) => (v > 0 ? r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0) : NaN),
    ticks: () => {
      const first = Math.ceil(l0 - 1e-9);
      const last = Math.floor(l1 + 1e-9);
      const step = Math.max(1, Math.ceil((last - first + 1) / 6));
      const out: number[] = [];
      for (let e = first; e <= last; e += step) out.push(10 ** e);
      if (out.length < 2) {
        // Less than two decades in view: label 1, 2 and 5 × 10^k as well.
        out.length = 0;
        for (let e = Math.floor(l0); e <= Math.ceil(l1); e++) for (const m of [1, 2, 5]) {
          const v = m * 10 ** e;
          if (v >= lo && v <= hi) out.push(v);
        }
      }
      return out;
    },
    format: (v) => {
      const e = Math.round(Math.log10(v));
      return Math.abs(Math.log10(v) - e) < 1e-9 ? (e >= -2 && e <= 3 ? String(10 ** e) : `1e${e}`) : formatNumber(v);
    },
  };
}

/** Extends a degenerate or non-finite interval so that a scale can use it. */
function widen(domain: readonly [number, number]): [number, number] {
  let [lo, hi] = domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(lo))) {
    const pad = Math.max(Math.abs(lo) * 0.05, 1e-6);
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/** Ticks at 1, 2 or 5 × 10^k spacing, about `count` of them, inside [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  const rough = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A compact label: up to 4 significant digits, exponent form for very large or small values. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** The [min, max] of the finite values (and positive ones when `positive`), or undefined if none. */
export function extent(values: Iterable<number>, positive = false): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v) || (positive && !(v > 0))) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : undefined;
}
