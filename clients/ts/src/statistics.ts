/**
 * Statistics contributions from the client side: what a training process sends instead of its b_w·D rows
 * (docs/math.md, "Statistics contributions"). `statisticsFromRows` computes them from rows in float64 —
 * for tests, and for users whose gradients are already in JavaScript; a PyTorch client computes the same
 * sums on the model's device.
 *
 *   const statistics = statisticsFromRows({ batchSize, perExampleGrads, sampledLabelGrads }, { dim, blocks });
 *   await client.step({ batchSize, reduction: 'sum', statistics, statisticsEncoding: 'float16' });
 */
import { diagonalMomentsOf, type BlockStatistics } from '../../../src/session/statistics.js';
import type { StepContribution } from '../../../src/session/contribution.js';

export type { BlockStatistics, DiagonalMoments } from '../../../src/session/statistics.js';
export type { StatisticsEncoding } from '../../../src/protocol/statistics-codec.js';

/** The row fields of a contribution that statistics replace. */
export type StatisticsRows = Pick<StepContribution, 'batchSize' | 'perExampleGrads' | 'sampledLabelGrads' | 'fisherFactorRows' | 'meanGrad'>;

export interface StatisticsLayout {
  /** D, the number of parameters. */
  readonly dim: number;
  /** The session's parameter blocks (name, size) in order: one entry each. Default: one whole-vector entry. */
  readonly blocks?: readonly { readonly name: string; readonly size: number }[];
  /**
   * Which second moments of the per-example rows to send. Default both: Σ g∘g (the empirical Fisher) and
   * the centred M2 (the noise). A session that tracks only one needs only that one.
   */
  readonly include?: { readonly sumSquares?: boolean; readonly centredSquares?: boolean };
}

/**
 * The diagonal statistics of `rows` (as the client holds them, under the reduction it will declare: the
 * daemon rescales statistics exactly as it would the rows): per block Σ r_n, Σ r_n∘r_n, the two-pass
 * M2 = Σ (r_n − r̄)∘(r_n − r̄), Σ r̃∘r̃ over the sampled-label rows (with K) and Σ u∘u over the factor rows,
 * each only when the rows for it are given. Without per-example rows, `meanGrad` gives the sum (b_w·ḡ).
 */
export function statisticsFromRows(rows: StatisticsRows, layout: StatisticsLayout): BlockStatistics[] {
  const { dim } = layout;
  const moments = (offset: number, size: number) => diagonalMomentsOf({
    count: rows.batchSize, dim, offset, size,
    ...(rows.perExampleGrads ? { perExampleGrads: rows.perExampleGrads } : {}),
    ...(rows.sampledLabelGrads ? { sampledLabelGrads: rows.sampledLabelGrads } : {}),
    ...(rows.fisherFactorRows ? { fisherFactorRows: rows.fisherFactorRows } : {}),
    ...(rows.meanGrad ? { meanGrad: rows.meanGrad } : {}),
    ...(layout.include ? { include: layout.include } : {}),
  });
  if (layout.blocks === undefined) return [{ block: '', kind: 'diagonal', moments: moments(0, dim) }];
  let offset = 0;
  return layout.blocks.map((block) => {
    const entry: BlockStatistics = { block: block.name, kind: 'diagonal', moments: moments(offset, block.size) };
    offset += block.size;
    return entry;
  });
}

export type { KroneckerFactorSums, KroneckerStatistics, OutputGradFactorSum } from '../../../src/session/kronecker-statistics.js';

/**
 * Kronecker (K-FAC) statistics of one layer from per-example pairs (a_n, e_n), in float64 (math.md,
 * "Kronecker factors (K-FAC)"): the gradient sum Σ_n vec(e_n ā_nᵀ) in the block's torch layout, and —
 * unless `factors: false` (the steps between two T_stat sends) — the factor sums A = Σ ā āᵀ (ā = [a; 1]
 * with a bias), G = Σ e eᵀ for the data labels, and for `sampled` (K rows per example) and `exact`
 * (columns of H^{1/2}) when given, with math.md's counts. e must be at the per-example scale (a hook of
 * a mean-reduced loss sees e_n/b: multiply by b first). One block's entry of `StepInput.statistics`:
 *
 *   const fc = kroneckerStatisticsFromPairs({ outputs: 10, inputs: 784, bias: true, count: b, activations, outputGrads, sampled });
 *   await client.step({ batchSize: b, reduction: 'sum', statistics: [{ block: 'fc', kind: 'kronecker', kronecker: fc }] });
 *
 * `addFactorSums` sums two steps' factors (send them every T_stat steps, summed since the last send).
 */
export { addFactorSums, eigenbasisSquaresFromPairs, kroneckerStatisticsFromPairs } from '../../../src/session/kronecker-statistics.js';
