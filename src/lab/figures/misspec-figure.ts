/**
 * Figs. 2 and 4: top row the data of the three cases, bottom row the loss contours around θ* with the
 * quadratic models of the Fisher and of the empirical Fisher at θ* (level sets (θ − θ*)ᵀ(N·M)(θ − θ*) = 3²).
 */
import { ELLIPSE_LEVEL, type MisspecPanel, type MisspecResult } from '../experiments/misspec.js';
import { extent } from '../svg/scale.js';
import { CLASS_COLORS, Figure, PAPER_STYLES } from '../svg/figure.js';

const TITLES = { correct: 'Correct', misspecifiedA: 'Misspecified (A)', misspecifiedB: 'Misspecified (B)' } as const;

export function misspecFigure(result: MisspecResult, which: 'classification' | 'regression'): string {
  const panels = result[which];
  const title = which === 'classification'
    ? 'Fig. 2: quadratic approximations at the minimum (logistic regression)'
    : 'Fig. 4: quadratic approximations at the minimum (linear regression)';
  const figure = new Figure({
    rows: 2,
    columns: panels.length,
    panelWidth: 220,
    panelHeight: 200,
    title,
    rowLabels: ['Dataset', 'Quadratic approximation'],
    legend: [
      { label: 'Loss contour', style: { color: '#999999', width: 1.5 } },
      { label: 'Fisher', style: PAPER_STYLES.NGD },
      { label: 'emp. Fisher', style: PAPER_STYLES.EFGD },
    ],
  });
  panels.forEach((panel, column) => {
    drawData(figure, column, panel, which);
    const { x, y, loss } = panel.window;
    const q = figure.panel(1, column, { xDomain: [x[0], x[x.length - 1]], yDomain: [y[0], y[y.length - 1]] });
    const sorted = [...loss].sort((a, b) => a - b);
    q.contour(x, y, loss, [0.05, 0.2, 0.45, 0.8].map((f) => sorted[Math.floor(f * (sorted.length - 1))]), { color: '#999999', width: 1.5 });
    const N = result.numExamples;
    const scaled = (m: readonly number[]): [number, number, number, number] => [N * m[0], N * m[1], N * m[2], N * m[3]];
    q.ellipse(panel.optimum, scaled(panel.fisher), ELLIPSE_LEVEL, PAPER_STYLES.NGD);
    q.ellipse(panel.optimum, scaled(panel.empiricalFisher), ELLIPSE_LEVEL, PAPER_STYLES.EFGD);
    q.marker(panel.optimum[0], panel.optimum[1], { color: '#000000', shape: 'star', size: 6 });
  });
  return figure.render();
}

function drawData(figure: Figure, column: number, panel: MisspecPanel, which: 'classification' | 'regression'): void {
  const { x0, x1, y } = panel.data;
  if (which === 'classification') {
    const p = figure.panel(0, column, { title: TITLES[panel.case], xDomain: [-9, 9], yDomain: [-9, 9] });
    for (const label of [0, 1]) {
      const idx = y.map((v, i) => (v === label ? i : -1)).filter((i) => i >= 0);
      p.points(idx.map((i) => x0[i]), idx.map((i) => x1[i]), { color: CLASS_COLORS[label], size: 2, shape: label === 0 ? 'triangle' : 'cross', opacity: 0.5 });
    }
    return;
  }
  const [ylo, yhi] = extent(y) ?? [-6, 10];
  const p = figure.panel(0, column, { title: TITLES[panel.case], xDomain: [-4, 4], yDomain: [Math.min(-6, ylo), Math.max(10, yhi)] });
  p.points(x0, y, { color: CLASS_COLORS[1], size: 2, shape: 'cross', opacity: 0.5 });
  const [slope, intercept] = panel.optimum;
  p.line([-4, 4], [intercept - 4 * slope, intercept + 4 * slope], { color: CLASS_COLORS[0], width: 2 });
}
