/**
 * Contour lines by marching squares: the segments where a function sampled on a rectangular grid
 * crosses a level, with linear interpolation along cell edges. Saddle cells are resolved by the
 * cell-centre average (the usual choice); that is all the paper's loss contours need.
 */

type Point = [number, number];

/**
 * Segments of {(x, y) : f(x, y) = level}; `values[i*ys.length + j]` is f(xs[i], ys[j]).
 * Cells with a non-finite corner are skipped.
 */
export function contourSegments(xs: ArrayLike<number>, ys: ArrayLike<number>, values: ArrayLike<number>, level: number): [Point, Point][] {
  const nx = xs.length;
  const ny = ys.length;
  const at = (i: number, j: number): number => values[i * ny + j];
  const segments: [Point, Point][] = [];
  const cross = (xa: number, ya: number, va: number, xb: number, yb: number, vb: number): Point => {
    const t = (level - va) / (vb - va);
    return [xa + t * (xb - xa), ya + t * (yb - ya)];
  };
  for (let i = 0; i + 1 < nx; i++) {
    for (let j = 0; j + 1 < ny; j++) {
      const v00 = at(i, j);
      const v10 = at(i + 1, j);
      const v11 = at(i + 1, j + 1);
      const v01 = at(i, j + 1);
      if (![v00, v10, v11, v01].every(Number.isFinite)) continue;
      const x0 = xs[i];
      const x1 = xs[i + 1];
      const y0 = ys[j];
      const y1 = ys[j + 1];
      // Crossing points on the four edges (bottom, right, top, left), where the sign changes.
      const edges: (Point | undefined)[] = [
        (v00 < level) !== (v10 < level) ? cross(x0, y0, v00, x1, y0, v10) : undefined,
        (v10 < level) !== (v11 < level) ? cross(x1, y0, v10, x1, y1, v11) : undefined,
        (v01 < level) !== (v11 < level) ? cross(x0, y1, v01, x1, y1, v11) : undefined,
        (v00 < level) !== (v01 < level) ? cross(x0, y0, v00, x0, y1, v01) : undefined,
      ];
      const hits = edges.filter((p): p is Point => p !== undefined);
      if (hits.length === 2) {
        segments.push([hits[0], hits[1]]);
      } else if (hits.length === 4) {
        const centreAbove = (v00 + v10 + v11 + v01) / 4 >= level;
        const bottomLeftAbove = v00 >= level;
        const [b, r, t, l] = hits as [Point, Point, Point, Point];
        if (centreAbove === bottomLeftAbove) {
          segments.push([b, r], [t, l]);
        } else {
          segments.push([b, l], [t, r]);
        }
      }
    }
  }
  return segments;
}
