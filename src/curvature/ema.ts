/**
 * The exponential moving average's bookkeeping (math.md, "Running estimates"):
 * `A_t = β A_{t−1} + (1−β) Â_t`, reported as `A_t / (1 − β^t)`.
 *
 * The decay may differ from one update to the next (the `SymmetricEstimate.update` contract takes it per
 * call), so the clock keeps the product `Π β_i` rather than a power: the weights of the terms of A_t then sum
 * to `1 − Π β_i`, which is `1 − β^t` for a constant β. With β = 0 the product is exactly 0 and the correction
 * exactly 1, so the estimate is the last batch's, bit for bit.
 */
export class EmaClock {
  constructor(
    /** t, the number of updates so far. */
    public steps = 0,
    /** Π_{i≤t} β_i (1 before the first update). */
    public decayProduct = 1,
  ) {}

  /** Records one update with decay β. */
  advance(decay: number): void {
    this.steps += 1;
    this.decayProduct *= decay;
  }

  /**
   * The bias correction `1/(1 − β^t)` that turns the stored A_t into the reported estimate, or 0 before the
   * first update: an estimate of nothing is the zero matrix (and a zero mean gradient).
   */
  correction(): number {
    return this.steps === 0 ? 0 : 1 / (1 - this.decayProduct);
  }

  /** `1 − β^t`, the inverse of `correction()` (0 before the first update). */
  normalizer(): number {
    return this.steps === 0 ? 0 : 1 - this.decayProduct;
  }
}
