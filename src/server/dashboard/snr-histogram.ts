/**
 * The distribution of the per-coordinate SNR factors that the dashboard draws as a histogram.
 *
 * The factor is math.md's SNR rule with running estimates, exactly as the optimizer computes it
 * (src/optim/variance-adaptation.ts `snrFactors`):
 *
 *   D_ii = ḡ_i² / (ḡ_i² + ρ(β,t)·S_ii)  ∈ [0, 1],   ρ(β,t) = (1−β)(1+βᵗ) / ((1+β)(1−βᵗ))
 *
 * with ḡ the bias-corrected mean gradient, S the noise covariance of the minibatch mean and ρ the
 * variance factor of a bias-corrected EMA (Balles & Hennig 2018, M-SVAG; 1 for β = 0). A coordinate with
 * ḡ_i = S_ii = 0 counts as 0, as in the optimizer. D_ii near 1: the gradient's sign there is reliable;
 * near 0: it is mostly noise. The mean of the factors is the `meanSnr` diagnostic of every update.
 */
import { emaVarianceFactor, snrFactorsFrom } from '../../optim/variance-adaptation.js';

/** Default number of equal-width bins over [0, 1]. */
export const SNR_HISTOGRAM_BINS = 20;

export interface SnrHistogram {
  /** counts[j] = #{i : D_ii ∈ [j/bins, (j+1)/bins)}, the last bin closed at 1. */
  readonly counts: number[];
  /** mean_i D_ii (equals the update's `meanSnr` at the same step). */
  readonly mean: number;
  /** D, the number of coordinates counted. */
  readonly total: number;
}

/**
 * The SNR factors D_ii from the bias-corrected ḡ and diag(S) of a session's estimates after `steps`
 * EMA updates with decay `emaDecay` (β).
 */
export function snrFactors(meanGrad: Float64Array, noiseDiagonal: Float64Array, emaDecay: number, steps: number): Float64Array {
  if (meanGrad.length !== noiseDiagonal.length) {
    throw new RangeError(`meanGrad has ${meanGrad.length} entries, the noise diagonal ${noiseDiagonal.length}`);
  }
  return snrFactorsFrom(meanGrad, noiseDiagonal, emaVarianceFactor(emaDecay, steps));
}

/** Bins factors in [0, 1] into `bins` equal-width bins. */
export function histogramOfFactors(factors: Float64Array, bins = SNR_HISTOGRAM_BINS): SnrHistogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be an integer ≥ 1, got ${bins}`);
  const counts = new Array<number>(bins).fill(0);
  let sum = 0;
  let total = 0;
  for (const f of factors) {
    if (!Number.isFinite(f)) continue;
    const j = Math.min(bins - 1, Math.max(0, Math.floor(f * bins)));
    counts[j]!++;
    sum += f;
    total++;
  }
  return { counts, mean: total > 0 ? sum / total : 0, total };
}
