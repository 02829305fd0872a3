import { describe, expect, it } from 'vitest';
import { DecimatedSeries } from '../../src/trace/series.js';

describe('DecimatedSeries', () => {
  it('keeps every point while under capacity', () => {
    const s = new DecimatedSeries(8);
    for (let i = 0; i < 8; i++) s.push(i, 10 * i);
    expect(s.points).toEqual({ xs: [0, 1, 2, 3, 4, 5, 6, 7], ys: [0, 10, 20, 30, 40, 50, 60, 70] });
  });

  it('keeps at most `capacity` points, evenly strided from the first, deterministically', () => {
    for (const n of [9, 100, 1000, 12345]) {
      const s = new DecimatedSeries(16);
      for (let i = 0; i < n; i++) s.push(i, -i);
      const { xs, ys } = s.points;
      expect(xs.length).toBeLessThanOrEqual(16);
      expect(xs.length).toBeGreaterThanOrEqual(8);
      const stride = xs[1]! - xs[0]!;
      expect(Math.log2(stride) % 1).toBe(0);
      expect(xs).toEqual(Array.from({ length: xs.length }, (_, k) => k * stride));
      expect(ys).toEqual(xs.map((x) => -x));
      expect(n - 1 - xs.at(-1)!).toBeLessThan(stride); // the last kept point is within one stride of the end
    }
  });
});
