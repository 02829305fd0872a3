import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateGeneratedBlocks, type LabSummary } from '../../src/lab/doc-summary.js';
import { generatedBlocks } from '../../src/lab/summary.js';

const root = join(import.meta.dirname, '..', '..');
const docPath = join(root, 'docs', 'paper-reproduction.md');
const dataPath = join(root, 'docs', 'paper-reproduction', 'results.json');

describe('docs/paper-reproduction.md cannot drift from its committed JSON', () => {
  const doc = readFileSync(docPath, 'utf8');
  const summary = JSON.parse(readFileSync(dataPath, 'utf8')) as LabSummary;

  it('every generated block equals what docs/paper-reproduction/results.json gives (fix: npm run docs:lab)', () => {
    const blocks = generatedBlocks(summary);
    expect(Object.keys(blocks).sort()).toEqual(['checks', 'sign-question', 'singular', 'table6', 'timings']);
    for (const name of Object.keys(blocks)) expect(doc).toContain(`<!-- generated: ${name} -->\n${blocks[name]!.trimEnd()}\n<!-- /generated: ${name} -->`);
    expect(updateGeneratedBlocks(doc, blocks)).toBe(doc);
  });

  it('the JSON holds all seven data sets and the Table 6 points', () => {
    expect(summary.optim.map((r) => r.dataset)).toEqual(['a1a', 'BreastCancer', 'Boston', 'Wine', 'Yacht', 'Powerplant', 'Energy']);
    for (const r of summary.optim) {
      expect(r.grid.runs).toBe(20_003);
      for (const o of ['gd', 'ngd', 'efgd'] as const) expect(r.optimizers[o].paper).toBeDefined();
    }
  });

  it('a changed number in the JSON changes the doc (the check can fail)', () => {
    const changed = structuredClone(summary);
    changed.optim[0]!.optimizers.gd.selected.kernelFinalLoss = 123.456;
    changed.optim[0]!.grid.seconds += 1;
    const updated = updateGeneratedBlocks(doc, generatedBlocks(changed));
    expect(updated).not.toBe(doc);
    expect(updated).toContain('123.45600');
  });

  it('a doc without a block is an error that names the marker', () => {
    expect(() => updateGeneratedBlocks('# no markers\n', { table6: 'x' })).toThrow(/<!-- generated: table6 -->/);
    expect(updateGeneratedBlocks('a\n<!-- generated: x -->\nold\n<!-- /generated: x -->\nb\n', { x: 'new' })).toBe('a\n<!-- generated: x -->\nnew\n<!-- /generated: x -->\nb\n');
  });
});
