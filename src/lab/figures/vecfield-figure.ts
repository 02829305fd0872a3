/**
 * Fig. 1: the data with its least-squares line, then the GD, NGD and EF vector fields (rescaled by 1/3,
 * 1 and 3 as the paper) over loss contours, with the trajectories from the four start points
 * (start ⬢, end ★).
 */
import { VECFIELD_DISPLAY_SCALE, type VecfieldResult } from '../experiments/vecfield.js';
import type { GridOptimizer } from '../grid/run.js';
import { CLASS_COLORS, Figure, PAPER_STYLES } from '../svg/figure.js';

const TITLE: Record<GridOptimizer, string> = { gd: 'GD', ngd: 'NGD', efgd: 'EF' };
const STYLE = { gd: PAPER_STYLES.GD, ngd: PAPER_STYLES.NGD, efgd: PAPER_STYLES.EFGD } as const;

export function vecfieldFigure(result: VecfieldResult): string {
  const figure = new Figure({ rows: 1, columns: 4, panelWidth: 220, panelHeight: 220, title: 'Fig. 1: Fisher vs. empirical Fisher as preconditioners (linear regression)' });
  const data = figure.panel(0, 0, { title: 'Dataset', xDomain: [-1, 10], yDomain: [-2, 22], xLabel: 'x', yLabel: 'y' });
  data.points(result.data.x, result.data.y, { color: CLASS_COLORS[0], size: 1.5, opacity: 0.4 });
  const [b, slope] = result.optimum;
  data.line([0, 9], [b, b + 9 * slope], { color: '#000000', dash: 'dashed', width: 2 });

  const values = result.grid.values;
  const lo = values[0];
  const hi = values[values.length - 1];
  const sortedLoss = [...result.loss].sort((p, q) => p - q);
  const levels = [0.02, 0.08, 0.2, 0.4, 0.7].map((q) => sortedLoss[Math.floor(q * (sortedLoss.length - 1))]);
  const origins: [number, number][] = [];
  for (const bi of values) for (const si of values) origins.push([bi, si]);
  (['gd', 'ngd', 'efgd'] as const).forEach((optimizer, k) => {
    const panel = figure.panel(0, k + 1, { title: TITLE[optimizer], xDomain: [lo, hi], yDomain: [lo, hi], xLabel: 'b', yLabel: 'θ' });
    panel.contour(values, values, result.loss, levels, { color: '#999999', width: 1 });
    const scale = VECFIELD_DISPLAY_SCALE[optimizer];
    const vectors = result.fields[optimizer].map(([u, v]) => [scale * u, scale * v] as [number, number]);
    panel.quiver(origins, vectors, { color: '#888888', scale: 0.06 });
    for (const trajectory of result.trajectories.filter((t) => t.optimizer === optimizer)) {
      panel.line(trajectory.points.map((p) => p[0]), trajectory.points.map((p) => p[1]), { ...STYLE[optimizer], dash: 'solid', width: 3 });
      const first = trajectory.points[0];
      const last = trajectory.points[trajectory.points.length - 1];
      panel.marker(first[0], first[1], { color: '#000000', shape: 'hexagon', size: 5 });
      panel.marker(last[0], last[1], { color: '#000000', shape: 'star', size: 7 });
    }
  });
  return figure.render();
}
