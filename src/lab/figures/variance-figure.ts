/**
 * Section 5 (new): per data set, the full-data loss of the tuned minibatch optimizers against steps (top
 * row) and against examples seen (bottom row); the line is the mean over seeds, the band's edges the
 * lowest and highest seed.
 */
import { VARIANCE_OPTIMIZERS, type VarianceResult, type VarianceOptimizer } from '../experiments/variance.js';
import { extent } from '../svg/scale.js';
import { Figure, PAPER_STYLES } from '../svg/figure.js';
import type { LineStyle } from '../svg/panel.js';

const STYLE: Record<VarianceOptimizer, LineStyle> = {
  sgd: PAPER_STYLES.SGD,
  efgd: PAPER_STYLES.EFGD,
  ngd: PAPER_STYLES.NGD,
  snr: PAPER_STYLES.SNR,
  va: PAPER_STYLES.VA,
};
const LABEL: Record<VarianceOptimizer, string> = { sgd: 'SGD', efgd: 'EFGD', ngd: 'NGD (sampled F)', snr: 'SNR', va: 'VA' };

export function varianceFigure(result: VarianceResult): string {
  const figure = new Figure({
    rows: 2,
    columns: result.datasets.length,
    panelWidth: 240,
    panelHeight: 160,
    title: `Section 5: variance adaptation, minibatch b = ${result.batchSize}, ${result.seeds.length} seeds`,
    rowLabels: ['Loss vs steps', 'Loss vs examples seen'],
    legend: VARIANCE_OPTIMIZERS.map((o) => ({ label: LABEL[o], style: STYLE[o] })),
  });
  result.datasets.forEach((report, column) => {
    const all = VARIANCE_OPTIMIZERS.flatMap((o) => report.optimizers[o].runs.flatMap((r) => r.losses));
    const [lo, hi] = extent(all, true) ?? [1e-3, 1];
    for (const [row, axis] of [[0, 'steps'], [1, 'examplesSeen']] as const) {
      const xMax = Math.max(...VARIANCE_OPTIMIZERS.flatMap((o) => report.optimizers[o].runs.map((r) => r[axis][r[axis].length - 1] ?? 0)), 1);
      const panel = figure.panel(row, column, {
        ...(row === 0 ? { title: report.dataset } : {}),
        xDomain: [0, xMax],
        yDomain: [lo / 1.3, hi * 1.3],
        yScale: 'log',
        xLabel: row === 0 ? 'Step' : 'Examples seen',
      });
      for (const optimizer of VARIANCE_OPTIMIZERS) {
        const runs = report.optimizers[optimizer].runs;
        const length = Math.min(...runs.map((r) => r.losses.length));
        const xs = runs[0][axis].slice(0, length);
        const mean = xs.map((_, i) => runs.reduce((s, r) => s + r.losses[i], 0) / runs.length);
        const min = xs.map((_, i) => Math.min(...runs.map((r) => r.losses[i])));
        const max = xs.map((_, i) => Math.max(...runs.map((r) => r.losses[i])));
        panel.line(xs, mean, STYLE[optimizer]);
        panel.line(xs, min, { ...STYLE[optimizer], width: 0.8, opacity: 0.5, dash: 'solid' });
        panel.line(xs, max, { ...STYLE[optimizer], width: 0.8, opacity: 0.5, dash: 'solid' });
      }
    }
  });
  return figure.render();
}
