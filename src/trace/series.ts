/**
 * A plotted series in bounded memory: keeps at most `capacity` points of an unbounded stream by halving
 * its resolution when full (keep every other kept point, double the stride). The kept points are always
 * the steps 0, s, 2s, … of the stream for a power-of-two stride s, so the result is deterministic.
 */
export class DecimatedSeries {
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  private stride = 1;
  private seen = 0;

  /** `capacity` ≥ 2: the most points kept (default 2048). */
  constructor(private readonly capacity = 2048) {
    if (!(Number.isInteger(capacity) && capacity >= 2)) throw new RangeError(`capacity must be an integer ≥ 2, got ${capacity}`);
  }

  push(x: number, y: number): void {
    if (this.seen++ % this.stride !== 0) return;
    if (this.xs.length === this.capacity) {
      for (let i = 0; 2 * i < this.xs.length; i++) {
        this.xs[i] = this.xs[2 * i]!;
        this.ys[i] = this.ys[2 * i]!;
      }
      this.xs.length = this.ys.length = Math.ceil(this.capacity / 2);
      this.stride *= 2;
      if ((this.seen - 1) % this.stride !== 0) return;
    }
    this.xs.push(x);
    this.ys.push(y);
  }

  get points(): { xs: readonly number[]; ys: readonly number[] } {
    return { xs: this.xs, ys: this.ys };
  }
}
