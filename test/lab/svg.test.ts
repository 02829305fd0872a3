import { describe, expect, it } from 'vitest';
import { contourSegments } from '../../src/lab/svg/contour.js';
import { Figure, PAPER_STYLES } from '../../src/lab/svg/figure.js';
import { inverseSqrt2x2 } from '../../src/lab/svg/panel.js';
import { linearScale, logScale, niceTicks } from '../../src/lab/svg/scale.js';
import { checkWellFormed, countPaths } from './xml.js';

describe('svg building blocks', () => {
  it('scales map their domain onto their range; ticks are 1/2/5 × 10^k', () => {
    const x = linearScale([0, 10], [100, 300]);
    expect(x.map(0)).toBe(100);
    expect(x.map(5)).toBe(200);
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    const y = logScale([1e-3, 10], [200, 0]);
    expect(y.map(1e-3)).toBeCloseTo(200, 12);
    expect(y.map(10)).toBeCloseTo(0, 12);
    expect(y.ticks().length).toBeGreaterThanOrEqual(2);
    expect(logScale([0.3, 0.7], [0, 1]).ticks()).toEqual([0.5]);
  });

  it('M^{−1/2} of an SPD 2×2 matrix squares to M⁻¹', () => {
    const M = [4, 1.5, 1.5, 2] as const;
    const R = inverseSqrt2x2(M)!;
    const RR = [R[0] * R[0] + R[1] * R[2], R[0] * R[1] + R[1] * R[3], R[2] * R[0] + R[3] * R[2], R[2] * R[1] + R[3] * R[3]];
    const det = M[0] * M[3] - M[1] * M[2];
    const inverse = [M[3] / det, -M[1] / det, -M[2] / det, M[0] / det];
    RR.forEach((v, i) => expect(v).toBeCloseTo(inverse[i], 13));
    expect(inverseSqrt2x2([1, 2, 2, 1])).toBeUndefined();
  });

  it('marching squares: the level set of x² + y² = 1 stays on the unit circle (to the grid\'s interpolation error)', () => {
    const xs = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1);
    const values = xs.flatMap((x) => xs.map((y) => x * x + y * y));
    const segments = contourSegments(xs, xs, values, 1);
    expect(segments.length).toBeGreaterThan(30);
    for (const [[x0, y0]] of segments) expect(Math.abs(Math.hypot(x0, y0) - 1)).toBeLessThan(0.01);
  });

  it('a figure is well-formed SVG with one path per mark', () => {
    const figure = new Figure({ rows: 1, columns: 2, title: 'a & b <test>', legend: [{ label: 'NGD', style: PAPER_STYLES.NGD }] });
    const left = figure.panel(0, 0, { title: 'lines', xDomain: [0, 10], yDomain: [1e-2, 10], yScale: 'log' });
    left.line([0, 5, 10], [1, 0.1, 0.05], PAPER_STYLES.NGD).line([0, 10], [5, Number.NaN], PAPER_STYLES.GD);
    const right = figure.panel(0, 1, { xDomain: [-1, 1], yDomain: [-1, 1] });
    right.ellipse([0, 0], [4, 0, 0, 1], 1, PAPER_STYLES.EFGD).quiver([[0, 0], [0.5, 0.5]], [[1, 0], [0, 1]], { color: '#888' }).points([0.1, 0.2], [0.1, 0.2], { color: '#000' });
    const svg = figure.render();
    checkWellFormed(svg);
    expect(countPaths(svg, 'mark-line')).toBe(1); // the second line has one finite point only
    expect(countPaths(svg, 'mark-ellipse')).toBe(1);
    expect(countPaths(svg, 'mark-quiver')).toBe(1);
    expect(countPaths(svg, 'mark-points')).toBe(1);
    expect(countPaths(svg, 'legend-line')).toBe(1);
    expect(svg).toContain('a &amp; b &lt;test&gt;');
  });
});
