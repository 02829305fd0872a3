/**
 * One plotting panel (a matplotlib "axes"): a rectangle of the figure with x and y scales, a frame,
 * ticks, labels and a title, and the marks the paper's figures use: lines, points, arrows (quiver),
 * ellipses (level sets of quadratics) and contour lines. Marks are clipped to the panel.
 *
 * Every data mark is one `<path>` with a `class` naming its kind (`mark-line`, `mark-points`,
 * `mark-quiver`, `mark-ellipse`, `mark-contour`, `mark-marker`), so that tests can count them.
 */
import { contourSegments } from './contour.js';
import { element, polylineData, px, text } from './document.js';
import { linearScale, logScale, type Scale } from './scale.js';

/** How a line is drawn. */
export interface LineStyle {
  color: string;
  /** Stroke width in px. Default 2. */
  width?: number;
  /** Default 'solid'. */
  dash?: 'solid' | 'dashed' | 'dashdot' | 'dotted';
  /** Default 1. */
  opacity?: number;
}

export interface PanelOptions {
  /** Position and size inside the figure, px. */
  x: number;
  y: number;
  width: number;
  height: number;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  /** Default 'linear'. */
  xScale?: 'linear' | 'log';
  yScale?: 'linear' | 'log';
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Draw tick labels. Default true. */
  tickLabels?: boolean;
  /** Extra horizontal grid lines at these y values (e.g. 0 for a cosine panel). */
  yGrid?: readonly number[];
}

const DASHES: Record<NonNullable<LineStyle['dash']>, string | undefined> = {
  solid: undefined,
  dashed: '8 4',
  dashdot: '8 3 2 3',
  dotted: '2 3',
};

let panelCounter = 0;

export class Panel {
  readonly x: Scale;
  readonly y: Scale;
  private readonly marks: string[] = [];
  private readonly clipId: string;

  constructor(readonly options: PanelOptions) {
    const { x, y, width, height } = options;
    this.x = options.xScale === 'log' ? logScale(options.xDomain, [x, x + width]) : linearScale(options.xDomain, [x, x + width]);
    this.y = options.yScale === 'log' ? logScale(options.yDomain, [y + height, y]) : linearScale(options.yDomain, [y + height, y]);
    this.clipId = `clip${++panelCounter}`;
  }

  /** A polyline through (xs[i], ys[i]); non-finite points (or non-positive on a log axis) break it. */
  line(xs: ArrayLike<number>, ys: ArrayLike<number>, style: LineStyle): this {
    const points: [number, number][] = [];
    for (let i = 0; i < xs.length; i++) points.push([this.x.map(xs[i]), this.y.map(ys[i])]);
    const d = polylineData(points);
    if (d !== '') this.marks.push(element('path', { class: 'mark-line', d, ...strokeAttributes(style) }));
    return this;
  }

  /** Markers at (xs[i], ys[i]), all in one path. */
  points(xs: ArrayLike<number>, ys: ArrayLike<number>, style: { color: string; size?: number; shape?: 'circle' | 'cross' | 'triangle'; opacity?: number }): this {
    const r = style.size ?? 2;
    const shape = style.shape ?? 'circle';
    let d = '';
    for (let i = 0; i < xs.length; i++) {
      const cx = this.x.map(xs[i]);
      const cy = this.y.map(ys[i]);
      if (!Number.isFinite(cx) || !Number.isFinite(cy)) continue;
      d += markerData(cx, cy, r, shape);
    }
    if (d !== '') {
      const filled = shape !== 'cross';
      this.marks.push(element('path', {
        class: 'mark-points',
        d,
        fill: filled ? style.color : 'none',
        stroke: filled ? 'none' : style.color,
        'stroke-width': filled ? undefined : 1,
        'fill-opacity': filled ? style.opacity ?? 1 : undefined,
        'stroke-opacity': filled ? undefined : style.opacity ?? 1,
      }));
    }
    return this;
  }

  /** One marker (e.g. the start ⬢ or end ★ of a trajectory). */
  marker(xValue: number, yValue: number, style: { color: string; size?: number; shape?: 'circle' | 'star' | 'hexagon' }): this {
    const cx = this.x.map(xValue);
    const cy = this.y.map(yValue);
    if (!Number.isFinite(cx) || !Number.isFinite(cy)) return this;
    const r = style.size ?? 4;
    const shape = style.shape ?? 'circle';
    const d = shape === 'star' ? starData(cx, cy, r) : shape === 'hexagon' ? polygonData(cx, cy, r, 6, 0) : markerData(cx, cy, r, 'circle');
    this.marks.push(element('path', { class: 'mark-marker', d, fill: style.color }));
    return this;
  }

  /**
   * Arrows from (x_i, y_i) along (u_i, v_i) in data units, times `scale` (data units per unit of the
   * vector field); all in one path. With `scale` omitted the longest arrow spans 8 % of the panel width.
   */
  quiver(origins: readonly (readonly [number, number])[], vectors: readonly (readonly [number, number])[], style: { color: string; scale?: number; width?: number }): this {
    let scale = style.scale;
    if (scale === undefined) {
      let longest = 0;
      for (const [u, v] of vectors) if (Number.isFinite(u) && Number.isFinite(v)) longest = Math.max(longest, Math.hypot(u, v));
      const span = Math.abs(this.x.domain[1] - this.x.domain[0]);
      scale = longest > 0 ? (0.08 * span) / longest : 1;
    }
    let d = '';
    origins.forEach(([x0, y0], i) => {
      const [u, v] = vectors[i];
      if (!Number.isFinite(u) || !Number.isFinite(v)) return;
      const ax = this.x.map(x0);
      const ay = this.y.map(y0);
      const bx = this.x.map(x0 + scale * u);
      const by = this.y.map(y0 + scale * v);
      const length = Math.hypot(bx - ax, by - ay);
      if (!(length > 0.5)) return;
      const head = Math.min(5, 0.4 * length);
      const ux = (bx - ax) / length;
      const uy = (by - ay) / length;
      d += `M${px(ax)} ${px(ay)}L${px(bx)} ${px(by)}`;
      d += `M${px(bx - head * ux + 0.5 * head * uy)} ${px(by - head * uy - 0.5 * head * ux)}L${px(bx)} ${px(by)}L${px(bx - head * ux - 0.5 * head * uy)} ${px(by - head * uy + 0.5 * head * ux)}`;
    });
    if (d !== '') this.marks.push(element('path', { class: 'mark-quiver', d, fill: 'none', stroke: style.color, 'stroke-width': style.width ?? 1.2 }));
    return this;
  }

  /**
   * The ellipse {θ : (θ − c)ᵀ M (θ − c) = level²} for a symmetric positive definite 2×2 M (row-major),
   * drawn as c + level · M^{−1/2} (cos t, sin t) (the paper's `efplt.ellipsis`).
   */
  ellipse(center: readonly [number, number], M: readonly [number, number, number, number], level: number, style: LineStyle): this {
    const root = inverseSqrt2x2(M);
    if (root === undefined) return this;
    const points: [number, number][] = [];
    for (let i = 0; i <= 100; i++) {
      const t = (2 * Math.PI * i) / 100;
      const [c, s] = [Math.cos(t), Math.sin(t)];
      points.push([
        this.x.map(center[0] + level * (root[0] * c + root[1] * s)),
        this.y.map(center[1] + level * (root[2] * c + root[3] * s)),
      ]);
    }
    this.marks.push(element('path', { class: 'mark-ellipse', d: polylineData(points) + 'Z', fill: 'none', ...strokeAttributes(style) }));
    return this;
  }

  /** Contour lines of a grid of values (values[i*ys.length + j] at (xs[i], ys[j])), one path per level. */
  contour(xs: ArrayLike<number>, ys: ArrayLike<number>, values: ArrayLike<number>, levels: readonly number[], style: LineStyle): this {
    for (const level of levels) {
      let d = '';
      for (const [[x0, y0], [x1, y1]] of contourSegments(xs, ys, values, level)) {
        d += `M${px(this.x.map(x0))} ${px(this.y.map(y0))}L${px(this.x.map(x1))} ${px(this.y.map(y1))}`;
      }
      if (d !== '') this.marks.push(element('path', { class: 'mark-contour', d, fill: 'none', ...strokeAttributes(style) }));
    }
    return this;
  }

  /** The panel's SVG: frame, ticks, labels, title and the clipped marks. */
  render(): string {
    const { x, y, width, height, title, xLabel, yLabel } = this.options;
    const parts: string[] = [];
    parts.push(element('defs', {}, [element('clipPath', { id: this.clipId }, [element('rect', { x, y, width, height })])]));
    for (const g of this.options.yGrid ?? []) {
      const gy = this.y.map(g);
      if (Number.isFinite(gy)) parts.push(element('line', { x1: x, x2: x + width, y1: gy, y2: gy, stroke: '#bbbbbb', 'stroke-width': 1 }));
    }
    parts.push(element('g', { 'clip-path': `url(#${this.clipId})` }, this.marks.length > 0 ? this.marks : ['']));
    parts.push(element('rect', { x, y, width, height, fill: 'none', stroke: '#333333', 'stroke-width': 1 }));
    const showLabels = this.options.tickLabels ?? true;
    const tick: string[] = [];
    for (const t of this.x.ticks()) {
      const tx = this.x.map(t);
      tick.push(`M${px(tx)} ${px(y + height)}L${px(tx)} ${px(y + height + 4)}`);
      if (showLabels) parts.push(text(tx, y + height + 15, this.x.format(t), { 'font-size': 10, 'text-anchor': 'middle' }));
    }
    for (const t of this.y.ticks()) {
      const ty = this.y.map(t);
      tick.push(`M${px(x - 4)} ${px(ty)}L${px(x)} ${px(ty)}`);
      if (showLabels) parts.push(text(x - 6, ty + 3, this.y.format(t), { 'font-size': 10, 'text-anchor': 'end' }));
    }
    if (tick.length > 0) parts.push(element('path', { class: 'axis-ticks', d: tick.join(''), stroke: '#333333', 'stroke-width': 1 }));
    if (title) parts.push(text(x + width / 2, y - 8, title, { 'font-size': 13, 'font-weight': 'bold', 'text-anchor': 'middle' }));
    if (xLabel) parts.push(text(x + width / 2, y + height + 30, xLabel, { 'font-size': 11, 'text-anchor': 'middle' }));
    if (yLabel) {
      const lx = x - 42;
      const ly = y + height / 2;
      parts.push(text(lx, ly, yLabel, { 'font-size': 11, 'text-anchor': 'middle', transform: `rotate(-90 ${px(lx)} ${px(ly)})` }));
    }
    return element('g', { class: 'panel' }, parts);
  }
}

export function strokeAttributes(style: LineStyle): Record<string, string | number | undefined> {
  return {
    fill: 'none',
    stroke: style.color,
    'stroke-width': style.width ?? 2,
    'stroke-dasharray': DASHES[style.dash ?? 'solid'],
    'stroke-opacity': style.opacity,
    'stroke-linejoin': 'round',
  };
}

function markerData(cx: number, cy: number, r: number, shape: 'circle' | 'cross' | 'triangle'): string {
  if (shape === 'cross') return `M${px(cx - r)} ${px(cy - r)}L${px(cx + r)} ${px(cy + r)}M${px(cx - r)} ${px(cy + r)}L${px(cx + r)} ${px(cy - r)}`;
  if (shape === 'triangle') return polygonData(cx, cy, r, 3, -Math.PI / 2);
  return `M${px(cx - r)} ${px(cy)}a${px(r)} ${px(r)} 0 1 0 ${px(2 * r)} 0a${px(r)} ${px(r)} 0 1 0 ${px(-2 * r)} 0Z`;
}

function polygonData(cx: number, cy: number, r: number, corners: number, phase: number): string {
  let d = '';
  for (let k = 0; k < corners; k++) {
    const a = phase + (2 * Math.PI * k) / corners;
    d += `${k === 0 ? 'M' : 'L'}${px(cx + r * Math.cos(a))} ${px(cy + r * Math.sin(a))}`;
  }
  return d + 'Z';
}

function starData(cx: number, cy: number, r: number): string {
  let d = '';
  for (let k = 0; k < 10; k++) {
    const a = -Math.PI / 2 + (Math.PI * k) / 5;
    const radius = k % 2 === 0 ? r : r * 0.45;
    d += `${k === 0 ? 'M' : 'L'}${px(cx + radius * Math.cos(a))} ${px(cy + radius * Math.sin(a))}`;
  }
  return d + 'Z';
}

/** M^{−1/2} of a symmetric positive definite 2×2 matrix (row-major), or undefined if it is not SPD. */
export function inverseSqrt2x2(M: readonly [number, number, number, number]): [number, number, number, number] | undefined {
  const a = M[0];
  const b = 0.5 * (M[1] + M[2]);
  const d = M[3];
  const mean = 0.5 * (a + d);
  const radius = Math.hypot(0.5 * (a - d), b);
  const l1 = mean + radius;
  const l2 = mean - radius;
  if (!(l2 > 0)) return undefined;
  // Eigenvector of l1: (b, l1 − a) or, when b = 0, the axis.
  let v1x = b;
  let v1y = l1 - a;
  if (Math.hypot(v1x, v1y) < 1e-300) [v1x, v1y] = a >= d ? [1, 0] : [0, 1];
  const n = Math.hypot(v1x, v1y);
  v1x /= n;
  v1y /= n;
  const [v2x, v2y] = [-v1y, v1x];
  const s1 = 1 / Math.sqrt(l1);
  const s2 = 1 / Math.sqrt(l2);
  return [
    s1 * v1x * v1x + s2 * v2x * v2x, s1 * v1x * v1y + s2 * v2x * v2y,
    s1 * v1x * v1y + s2 * v2x * v2y, s1 * v1y * v1y + s2 * v2y * v2y,
  ];
}
