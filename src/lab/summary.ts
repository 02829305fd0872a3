/**
 * The comparison of fisherd's grid selections with the paper's Table 6, and the qualitative checks, as
 * Markdown (for docs/paper-reproduction.md, `fisherd lab summary`) and HTML (for the index page).
 */
import type { MisspecResult } from './experiments/misspec.js';
import { atMostUpToRounding, TIE_TOLERANCE, type OptimResult } from './experiments/optim.js';
import { GRID_OPTIMIZERS, type GridOptimizer } from './grid/run.js';
import { escapeXml } from './svg/document.js';

const NAME: Record<GridOptimizer, string> = { gd: 'GD', ngd: 'NGD', efgd: 'EFGD' };

export interface ComparisonRow {
  dataset: string;
  optimizer: string;
  paperStepSize: string;
  paperDamping: string;
  fisherdStepSize: string;
  fisherdDamping: string;
  same: boolean;
  /** fisherd's final loss (grid kernel) at its own selection and at Table 6's point. */
  lossAtFisherd: string;
  lossAtPaper: string;
  /** The Session replay's final loss at fisherd's selection. */
  sessionLoss: string;
}

function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

function loss(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toPrecision(8);
}

export function comparisonRows(results: readonly OptimResult[]): ComparisonRow[] {
  return results.flatMap((result) => GRID_OPTIMIZERS.map((optimizer) => {
    const report = result.optimizers[optimizer];
    const paper = report.paper;
    const selected = report.selected;
    const same = paper !== undefined && paper.log10StepSize === selected.log10StepSize && paper.log10Damping === selected.log10Damping;
    return {
      dataset: result.dataset,
      optimizer: NAME[optimizer],
      paperStepSize: fmt(paper?.log10StepSize),
      paperDamping: optimizer === 'gd' ? '' : fmt(paper?.log10Damping, 1),
      fisherdStepSize: fmt(selected.log10StepSize),
      fisherdDamping: optimizer === 'gd' ? '' : fmt(selected.log10Damping, 1),
      same,
      lossAtFisherd: loss(selected.kernelFinalLoss),
      lossAtPaper: same ? '(same point)' : loss(paper?.kernelFinalLoss),
      sessionLoss: loss(selected.sessionLosses[selected.sessionLosses.length - 1]),
    };
  }));
}

export function comparisonMarkdown(results: readonly OptimResult[]): string {
  const header = '| data set | optimizer | Table 6 log₁₀γ | Table 6 log₁₀λ | fisherd log₁₀γ | fisherd log₁₀λ | final loss at fisherd\'s point | final loss at Table 6\'s point | Session replay\'s final loss |\n|---|---|---:|---:|---:|---:|---:|---:|---:|';
  const rows = comparisonRows(results).map((r) => `| ${r.dataset} | ${r.optimizer} | ${r.paperStepSize} | ${r.paperDamping} | ${r.fisherdStepSize} | ${r.fisherdDamping} | ${r.lossAtFisherd} | ${r.lossAtPaper} | ${r.sessionLoss} |`);
  return [header, ...rows].join('\n');
}

export function checksMarkdown(results: readonly OptimResult[], misspec?: MisspecResult): string {
  const lines = results.map((r) => `- ${r.dataset}: NGD final loss ${loss(r.optimizers.ngd.selected.kernelFinalLoss)} ≤ EFGD's ${loss(r.optimizers.efgd.selected.kernelFinalLoss)} (to ${TIE_TOLERANCE} relative): **${atMostUpToRounding(r.optimizers.ngd.selected.kernelFinalLoss, r.optimizers.efgd.selected.kernelFinalLoss) ? 'yes' : 'no'}**; min. EF/Fisher cosine along the EFGD path: undamped ${fmt(r.checks.minUndampedCosine)} (${r.cosine.undamped.filter((v) => v === null || !Number.isFinite(v)).length} of ${r.cosine.undamped.length} steps undefined), session's damped ${fmt(Math.min(...r.cosine.damped.filter((v) => v !== null && Number.isFinite(v))))} (negative: ${Math.min(r.checks.minUndampedCosine, ...r.cosine.damped.filter((v) => v !== null && Number.isFinite(v))) < 0 ? 'yes' : 'no'}); replay vs kernel max. relative loss difference ${Math.max(...GRID_OPTIMIZERS.map((o) => r.optimizers[o].selected.maxRelativeDifference ?? 0)).toExponential(1)}; grid ${r.grid.runs} runs in ${r.grid.seconds.toFixed(1)} s (${r.grid.workers} workers).`);
  if (misspec) {
    const describe = (panels: MisspecResult['classification']): string => panels.map((p) => `${p.case} ${p.generalizedEigenvalues.map((v) => v.toFixed(3)).join('/')} (${p.efMatchesFisher ? 'match' : 'no match'})`).join(', ');
    lines.push(`- Fig. 2 generalized eigenvalues of (Ẽ, F) at θ*: ${describe(misspec.classification)}; Fig. 4: ${describe(misspec.regression)}. EF matches F only when well-specified: **${misspec.checks.efMatchesOnlyWhenWellSpecified ? 'yes' : 'no'}**.`);
  }
  return lines.join('\n');
}

export function comparisonHtml(results: readonly OptimResult[], misspec?: MisspecResult): string {
  if (results.length === 0) return '';
  const rows = comparisonRows(results).map((r) => `<tr><td style="text-align:left">${escapeXml(r.dataset)}</td><td style="text-align:left">${r.optimizer}</td><td>${r.paperStepSize}</td><td>${r.paperDamping}</td><td>${r.fisherdStepSize}</td><td>${r.fisherdDamping}</td><td>${r.lossAtFisherd}</td><td>${escapeXml(r.lossAtPaper)}</td><td>${r.sessionLoss}</td></tr>`);
  const checks = checksMarkdown(results, misspec).split('\n').map((l) => `<li>${escapeXml(l.replace(/^- /, '').replace(/\*\*/g, ''))}</li>`);
  return `<h2>Table 6 and fisherd's selection</h2>
<table><tr><th>data set</th><th>optimizer</th><th>Table 6 log10 γ</th><th>Table 6 log10 λ</th><th>fisherd log10 γ</th><th>fisherd log10 λ</th><th>final loss (fisherd's point)</th><th>final loss (Table 6's point)</th><th>Session replay</th></tr>
${rows.join('\n')}</table>
<h2>Checks</h2><ul>${checks.join('\n')}</ul>`;
}
