import { describe, expect, it } from 'vitest';
import { StepHistory } from '../../src/server/dashboard/step-history.js';

describe('StepHistory', () => {
  it('keeps every step until full, then thins evenly and keeps the whole run', () => {
    const history = new StepHistory<{ step: number }>(8);
    for (let step = 1; step <= 8; step++) history.append({ step });
    expect(history.toArray().map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    history.append({ step: 9 });
    // 9 > 8: every other one stays, stride 2.
    expect(history.stride).toBe(2);
    expect(history.toArray().map((s) => s.step)).toEqual([1, 3, 5, 7, 9]);
    for (let step = 10; step <= 1000; step++) history.append({ step });
    const kept = history.toArray().map((s) => s.step);
    expect(history.size).toBeLessThanOrEqual(8);
    expect(history.size).toBeGreaterThanOrEqual(4);
    expect(kept[0]).toBe(1); // the run's start stays
    expect(kept[kept.length - 1]).toBe(1000); // the latest is always shown
    const gaps = kept.slice(1, -1).map((s, i) => s - kept[i]!);
    expect(new Set(gaps).size).toBe(1); // evenly spaced (the latest aside)
    expect(gaps[0]).toBe(history.stride);
  });

  it('rejects a capacity below 2', () => {
    expect(() => new StepHistory(1)).toThrow(RangeError);
  });
});
