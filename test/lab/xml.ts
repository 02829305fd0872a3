/**
 * A strict-enough well-formedness check for the SVG the lab writes (no external parser): every tag
 * closes in order, attribute values are quoted, and text has no raw '<' or unescaped '&'.
 */
export function checkWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < body.length) {
    token.lastIndex = position;
    match = token.exec(body);
    if (match === null) throw new Error(`not well-formed at offset ${position}: ${body.slice(position, position + 60)}`);
    position = token.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`unescaped & in text: ${text.slice(0, 60)}`);
      continue;
    }
    if (attributes && /&(?!(amp|lt|gt|quot|apos);)/.test(attributes)) throw new Error(`unescaped & in attributes of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      stack.push(name);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
}

/** Number of <path> elements with the given class. */
export function countPaths(svg: string, className: string): number {
  return (svg.match(new RegExp(`<path class="${className}"`, 'g')) ?? []).length;
}
