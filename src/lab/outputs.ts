/**
 * Writing experiment results: each result as JSON (every number), its figures as SVG, and for
 * `lab all` an index page linking them. Figures are pure functions of the JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MisspecResult } from './experiments/misspec.js';
import type { OptimResult, SinglePointResult } from './experiments/optim.js';
import type { StartPointsResult } from './experiments/start-points.js';
import type { VarianceResult } from './experiments/variance.js';
import type { VecfieldResult } from './experiments/vecfield.js';
import { misspecFigure } from './figures/misspec-figure.js';
import { optimFigure } from './figures/optim-figure.js';
import { startPointsFigure } from './figures/start-points-figure.js';
import { varianceFigure } from './figures/variance-figure.js';
import { vecfieldFigure } from './figures/vecfield-figure.js';
import { escapeXml } from './svg/document.js';

/** A written file: its name inside the output folder and what it shows. */
export interface OutputFile {
  file: string;
  caption: string;
}

function write(dir: string, file: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), content);
}

/** JSON with non-finite numbers as null (JSON has no NaN or ±∞). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v instanceof Float64Array || v instanceof Float32Array ? Array.from(v) : v), 1) + '\n';
}

export function writeVecfield(dir: string, result: VecfieldResult): OutputFile[] {
  write(dir, 'vecfield.json', toJson(result));
  write(dir, 'fig1-vecfield.svg', vecfieldFigure(result));
  return [{ file: 'fig1-vecfield.svg', caption: 'Fig. 1: GD, NGD and EF vector fields and trajectories' }, { file: 'vecfield.json', caption: 'Fig. 1 data' }];
}

export function writeMisspec(dir: string, result: MisspecResult): OutputFile[] {
  write(dir, 'misspec.json', toJson(result));
  write(dir, 'fig2-misspec-logistic.svg', misspecFigure(result, 'classification'));
  write(dir, 'fig4-misspec-linear.svg', misspecFigure(result, 'regression'));
  return [
    { file: 'fig2-misspec-logistic.svg', caption: 'Fig. 2: quadratic models of F and the EF at the minimum, logistic regression' },
    { file: 'fig4-misspec-linear.svg', caption: 'Fig. 4: the same for linear regression' },
    { file: 'misspec.json', caption: 'Figs. 2 and 4 data' },
  ];
}

export function writeOptim(dir: string, result: OptimResult): OutputFile[] {
  const base = `optim-${result.dataset}`;
  write(dir, `${base}.json`, toJson(result));
  write(dir, `${base}.svg`, optimFigure([result], `${result.dataset}: GD, NGD and EFGD with grid-selected hyperparameters`));
  return [{ file: `${base}.svg`, caption: `${result.dataset}: loss and EF/Fisher cosine` }, { file: `${base}.json`, caption: `${result.dataset}: grid, selections, replays` }];
}

/** Figs. 3 and 5 from the per-data-set results (those present, in the paper's order). */
export function writeOptimFigures(dir: string, results: readonly OptimResult[]): OutputFile[] {
  const files: OutputFile[] = [];
  const pick = (names: readonly string[]): OptimResult[] => names.map((n) => results.find((r) => r.dataset === n)).filter((r): r is OptimResult => r !== undefined);
  const fig3 = pick(['BreastCancer', 'a1a', 'Boston']);
  if (fig3.length > 0) {
    write(dir, 'fig3-optim.svg', optimFigure(fig3, 'Fig. 3: Fisher (NGD) vs. empirical Fisher (EFGD) as preconditioners'));
    files.push({ file: 'fig3-optim.svg', caption: 'Fig. 3: BreastCancer, a1a, Boston' });
  }
  const fig5 = pick(['Wine', 'Energy', 'Powerplant', 'Yacht']);
  if (fig5.length > 0) {
    write(dir, 'fig5-optim.svg', optimFigure(fig5, 'Fig. 5: the same on additional linear regression problems'));
    files.push({ file: 'fig5-optim.svg', caption: 'Fig. 5: Wine, Energy, Powerplant, Yacht' });
  }
  return files;
}

export function writeSinglePoint(dir: string, result: SinglePointResult): OutputFile[] {
  const file = `optim-point-${result.dataset}-${result.optimizer}.json`;
  write(dir, file, toJson(result));
  return [{ file, caption: `${result.dataset}, ${result.optimizer} at one point` }];
}

export function writeStartPoints(dir: string, result: StartPointsResult): OutputFile[] {
  write(dir, 'start-points.json', toJson(result));
  write(dir, 'fig6-start-points.svg', startPointsFigure(result));
  return [{ file: 'fig6-start-points.svg', caption: 'Fig. 6: NGD and EFGD from different starting points' }, { file: 'start-points.json', caption: 'Fig. 6 data' }];
}

export function writeVariance(dir: string, result: VarianceResult): OutputFile[] {
  write(dir, 'variance.json', toJson(result));
  write(dir, 'variance.svg', varianceFigure(result));
  return [{ file: 'variance.svg', caption: 'Section 5: SGD, EFGD, NGD, SNR and VA with minibatches' }, { file: 'variance.json', caption: 'Section 5 data' }];
}

/** An HTML page showing every figure and linking every JSON file. */
export function indexPage(files: readonly OutputFile[], summary: string): string {
  const figures = files.filter((f) => f.file.endsWith('.svg'));
  const data = files.filter((f) => f.file.endsWith('.json'));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fisherd: the paper, reproduced</title>
<style>body{font-family:Helvetica,Arial,sans-serif;max-width:1400px;margin:2em auto;padding:0 1em}figure{margin:2em 0}img{max-width:100%;border:1px solid #ddd}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style>
</head><body>
<h1>Limitations of the Empirical Fisher Approximation — reproduced through fisherd</h1>
${summary}
${figures.map((f) => `<figure><a href="${escapeXml(f.file)}"><img src="${escapeXml(f.file)}" alt="${escapeXml(f.caption)}"></a><figcaption>${escapeXml(f.caption)}</figcaption></figure>`).join('\n')}
<h2>Data</h2>
<ul>
${data.map((f) => `<li><a href="${escapeXml(f.file)}">${escapeXml(f.file)}</a>: ${escapeXml(f.caption)}</li>`).join('\n')}
</ul>
</body></html>
`;
}

export function writeIndex(dir: string, files: readonly OutputFile[], summary: string): void {
  write(dir, 'index.html', indexPage(files, summary));
}
