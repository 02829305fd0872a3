/**
 * A figure: panels laid out on a grid (the paper's rows × columns of panels), a title, row labels
 * and one legend, written as a standalone SVG document.
 */
import { element, svgDocument, text } from './document.js';
import { Panel, strokeAttributes, type LineStyle, type PanelOptions } from './panel.js';

export interface LegendEntry {
  label: string;
  style: LineStyle;
}

export interface FigureOptions {
  /** Grid of panels. */
  rows: number;
  columns: number;
  /** Size of each panel's plotting area, px. Default 260 × 180. */
  panelWidth?: number;
  panelHeight?: number;
  /** Per-row panel height overrides (e.g. a shorter cosine row under the loss row). */
  rowHeights?: readonly number[];
  title?: string;
  /** Label written vertically left of each row (the paper's "Loss", "Cosine", "Dataset", …). */
  rowLabels?: readonly string[];
  /** One legend for the whole figure, drawn on the right. */
  legend?: readonly LegendEntry[];
}

const MARGIN_LEFT = 70;
const MARGIN_TOP = 50;
const GAP_X = 60;
const GAP_Y = 55;
const LEGEND_WIDTH = 160;

export class Figure {
  private readonly panels: Panel[] = [];
  private readonly panelWidth: number;
  private readonly rowHeights: number[];
  readonly width: number;
  readonly height: number;

  constructor(readonly options: FigureOptions) {
    this.panelWidth = options.panelWidth ?? 260;
    this.rowHeights = Array.from({ length: options.rows }, (_, r) => options.rowHeights?.[r] ?? options.panelHeight ?? 180);
    this.width = MARGIN_LEFT + options.columns * this.panelWidth + (options.columns - 1) * GAP_X + (options.legend ? LEGEND_WIDTH : 20) + 10;
    this.height = MARGIN_TOP + this.rowHeights.reduce((a, b) => a + b, 0) + (options.rows - 1) * GAP_Y + 45;
  }

  /** Creates the panel at (row, column) with the given scales and labels. */
  panel(row: number, column: number, options: Omit<PanelOptions, 'x' | 'y' | 'width' | 'height'>): Panel {
    const x = MARGIN_LEFT + column * (this.panelWidth + GAP_X);
    const y = MARGIN_TOP + this.rowHeights.slice(0, row).reduce((a, b) => a + b, 0) + row * GAP_Y;
    const panel = new Panel({ ...options, x, y, width: this.panelWidth, height: this.rowHeights[row] });
    this.panels.push(panel);
    return panel;
  }

  /** The SVG document. */
  render(): string {
    const body: string[] = [];
    if (this.options.title) body.push(text(this.width / 2, 22, this.options.title, { 'font-size': 15, 'font-weight': 'bold', 'text-anchor': 'middle' }));
    body.push(...this.panels.map((p) => p.render()));
    (this.options.rowLabels ?? []).forEach((label, r) => {
      const y = MARGIN_TOP + this.rowHeights.slice(0, r).reduce((a, b) => a + b, 0) + r * GAP_Y + this.rowHeights[r] / 2;
      const x = 16;
      body.push(text(x, y, label, { 'font-size': 13, 'font-weight': 'bold', 'text-anchor': 'middle', transform: `rotate(-90 ${x} ${Math.round(y * 100) / 100})` }));
    });
    if (this.options.legend && this.options.legend.length > 0) {
      const x0 = this.width - LEGEND_WIDTH;
      const entries = this.options.legend.map((entry, i) => {
        const y = MARGIN_TOP + 10 + i * 20;
        return element('g', {}, [
          element('path', { class: 'legend-line', d: `M${x0} ${y}L${x0 + 30} ${y}`, ...strokeAttributes(entry.style) }),
          text(x0 + 36, y + 4, entry.label, { 'font-size': 12 }),
        ]);
      });
      body.push(element('g', { class: 'legend' }, entries));
    }
    return svgDocument(this.width, this.height, body);
  }
}

/** The paper's colours and line styles (efplt: Paul Tol's high-contrast scheme). */
export const PAPER_STYLES: Readonly<Record<'GD' | 'NGD' | 'EFGD' | 'SGD' | 'SNR' | 'VA', LineStyle>> = {
  GD: { color: '#004488', dash: 'dashed', width: 2.5 },
  SGD: { color: '#004488', dash: 'dashed', width: 2.5 },
  NGD: { color: '#ddaa33', dash: 'solid', width: 2.5 },
  EFGD: { color: '#bb5566', dash: 'dashdot', width: 2.5 },
  SNR: { color: '#009988', dash: 'dotted', width: 2.5 },
  VA: { color: '#33bbee', dash: 'solid', width: 2.5 },
};

/** Colours of the two classes / data points (efplt `colors_classes`). */
export const CLASS_COLORS: readonly [string, string] = ['#004488', '#ddaa33'];
