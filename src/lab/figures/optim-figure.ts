/**
 * Figs. 3 and 5: one column per data set; top row the loss of GD, NGD and EFGD (log scale) over the
 * iterations of their selected runs (the Session replays), bottom row the cosine between the EF- and the
 * Fisher-preconditioned gradient along the EFGD path: dots the session's `cosineEfFisher` with the run's
 * damping (what the paper's code plots), the thin grey line the undamped cosine where it is defined
 * (where Ẽ restricted to the row space of X is numerically positive definite).
 */
import type { OptimResult } from '../experiments/optim.js';
import type { GridOptimizer } from '../grid/run.js';
import { extent } from '../svg/scale.js';
import { Figure, PAPER_STYLES } from '../svg/figure.js';

const LABEL: Record<GridOptimizer, 'GD' | 'NGD' | 'EFGD'> = { gd: 'GD', ngd: 'NGD', efgd: 'EFGD' };

export function optimFigure(results: readonly OptimResult[], title: string): string {
  const figure = new Figure({
    rows: 2,
    columns: results.length,
    panelWidth: 240,
    rowHeights: [170, 90],
    title,
    rowLabels: ['Loss', 'Cosine (NGD, EFGD)'],
    legend: (['gd', 'ngd', 'efgd'] as const).map((o) => ({ label: LABEL[o], style: PAPER_STYLES[LABEL[o]] })),
  });
  results.forEach((result, column) => {
    const iterations = result.grid.iterations;
    const curves = (['gd', 'ngd', 'efgd'] as const).map((o) => result.optimizers[o].selected.sessionLosses);
    const [lo, hi] = extent(curves.flat(), true) ?? [1e-3, 1];
    const loss = figure.panel(0, column, {
      title: result.dataset,
      xDomain: [0, iterations],
      yDomain: [lo / 1.5, hi * 1.5],
      yScale: 'log',
      tickLabels: true,
    });
    (['gd', 'ngd', 'efgd'] as const).forEach((o, k) => {
      const losses = curves[k];
      loss.line(losses.map((_, t) => t), losses, PAPER_STYLES[LABEL[o]]);
    });
    const cos = figure.panel(1, column, { xDomain: [0, iterations], yDomain: [-1.05, 1.05], xLabel: 'Iteration', yGrid: [0] });
    const undamped = result.cosine.undamped.map((v) => v ?? Number.NaN);
    cos.line(undamped.map((_, t) => t), undamped, { color: '#777777', width: 1 });
    const damped = result.cosine.damped.map((v) => v ?? Number.NaN);
    cos.points(damped.map((_, t) => t), damped, { color: PAPER_STYLES.EFGD.color, size: 1.8 });
  });
  return figure.render();
}
