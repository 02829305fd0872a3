/**
 * The smallest SVG writer the lab's figures need: elements as strings, attributes escaped, numbers
 * rounded to 0.01 px (figures stay small and diff-able). No DOM, no dependency.
 */

export type Attributes = Record<string, string | number | undefined>;

/** Escapes text and attribute values for XML. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** A coordinate or length, rounded to 0.01 (NaN/±Inf must be filtered before). */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** `<tag attr="…">children</tag>`, or self-closing without children. Undefined attributes are left out. */
export function element(tag: string, attributes: Attributes = {}, children: readonly string[] = []): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? px(value) : value)}"`)
    .join('');
  return children.length === 0 ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${children.join('')}</${tag}>`;
}

/** A text element (content escaped). */
export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return `<text x="${px(x)}" y="${px(y)}"${Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? px(value) : value)}"`)
    .join('')}>${escapeXml(content)}</text>`;
}

/** Path data "M x y L x y …" for a polyline; breaks it at non-finite points and drops lone points. */
export function polylineData(points: readonly (readonly [number, number])[]): string {
  let data = '';
  let run: string[] = [];
  const flush = (): void => {
    if (run.length >= 2) data += run.map((p, i) => `${i === 0 ? 'M' : 'L'}${p}`).join('');
    run = [];
  };
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      flush();
      continue;
    }
    run.push(`${px(x)} ${px(y)}`);
  }
  flush();
  return data;
}

/** A whole SVG document of the given size (px) with a white background. */
export function svgDocument(width: number, height: number, body: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n` + element('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${px(width)} ${px(height)}`,
    'font-family': 'Helvetica, Arial, sans-serif',
  }, [element('rect', { x: 0, y: 0, width, height, fill: 'white' }), ...body]) + '\n';
}
