/** Fig. 6: NGD and EFGD loss curves on Boston from start points f·θ*, f ∈ {0.875, 0.75, 0.5, 0}. */
import type { StartPointsResult } from '../experiments/start-points.js';
import { extent } from '../svg/scale.js';
import { Figure, PAPER_STYLES } from '../svg/figure.js';

export function startPointsFigure(result: StartPointsResult): string {
  const figure = new Figure({
    rows: 1,
    columns: 1,
    panelWidth: 420,
    panelHeight: 220,
    title: `Fig. 6: different starting points (${result.dataset})`,
    legend: [{ label: 'NGD', style: PAPER_STYLES.NGD }, { label: 'EFGD', style: PAPER_STYLES.EFGD }],
  });
  const [lo, hi] = extent(result.runs.flatMap((r) => r.losses), true) ?? [1, 10];
  const panel = figure.panel(0, 0, { title: result.dataset, xDomain: [0, result.iterations], yDomain: [lo / 1.3, hi * 1.3], yScale: 'log', xLabel: 'Iteration', yLabel: 'Loss' });
  for (const run of result.runs) {
    panel.line(run.losses.map((_, t) => t), run.losses, run.optimizer === 'ngd' ? PAPER_STYLES.NGD : PAPER_STYLES.EFGD);
  }
  return figure.render();
}
