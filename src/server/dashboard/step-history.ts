/**
 * A session's step history for the dashboard, bounded in memory but spanning the whole run.
 *
 * It keeps every `stride`-th step. When it holds more than `capacity` steps it drops every other one
 * and doubles the stride, so that a run of any length is shown from its first step, evenly thinned:
 * after n steps it holds between capacity/2 and capacity of them (once n ≥ capacity), spaced `stride`
 * apart. The latest step is always available separately (`latest`), kept or not.
 */
export class StepHistory<T extends { readonly step: number }> {
  private kept: T[] = [];
  private strideValue = 1;
  private latestValue: T | undefined;
  private seen = 0;

  /** @param capacity most steps held, an integer ≥ 2 */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`);
  }

  /** Keeps every `stride`-th appended step (1 until the history first fills). */
  get stride(): number {
    return this.strideValue;
  }

  get latest(): T | undefined {
    return this.latestValue;
  }

  get size(): number {
    return this.kept.length;
  }

  append(entry: T): void {
    this.latestValue = entry;
    if (this.seen++ % this.strideValue !== 0) return;
    this.kept.push(entry);
    if (this.kept.length > this.capacity) {
      // Keep the entries at even positions: they are the multiples of the doubled stride.
      this.kept = this.kept.filter((_, i) => i % 2 === 0);
      this.strideValue *= 2;
    }
  }

  /** The kept steps, oldest first, plus the latest one when it was not kept. */
  toArray(): T[] {
    const out = this.kept.slice();
    const latest = this.latestValue;
    if (latest !== undefined && out[out.length - 1] !== latest) out.push(latest);
    return out;
  }
}
