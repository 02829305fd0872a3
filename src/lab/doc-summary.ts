/**
 * The numbers docs/paper-reproduction.md shows, kept small enough to commit
 * (docs/paper-reproduction/results.json), and the doc's generated blocks rendered from them.
 *
 * `fisherd lab summary --in lab-results --save docs/paper-reproduction/results.json` condenses the lab's
 * optim-*.json (and misspec.json) into a `LabSummary`; `fisherd lab summary --in
 * docs/paper-reproduction/results.json --update-doc docs/paper-reproduction.md` (npm run docs:lab) rewrites
 * every block between `<!-- generated: NAME -->` and `<!-- /generated: NAME -->` in the doc from it, and
 * test/lab/doc-summary.test.ts fails when the committed doc differs from what the committed JSON gives.
 */
import { FisherdError } from '../errors.js';
import type { MisspecResult } from './experiments/misspec.js';
import type { OptimResult, ReplayedRun } from './experiments/optim.js';
import { GRID_OPTIMIZERS, type GridOptimizer, type RunStatus } from './grid/run.js';

/** One replayed grid point, without its curves. */
export interface PointSummary {
  log10StepSize: number;
  log10Damping: number | null;
  kernelFinalLoss: number | null;
  sessionFinalLoss: number | null;
  maxRelativeDifference: number | null;
}

export interface OptimSummary {
  dataset: string;
  numExamples: number;
  numParams: number;
  grid: OptimResult['grid'];
  seconds: number;
  cpuSeconds?: number;
  machine?: OptimResult['machine'];
  optimizers: Record<GridOptimizer, {
    selected: PointSummary;
    paper?: PointSummary;
    /** The grid's final loss at Table 6's point with the sign of log10 γ flipped (null: not finite or off the grid). */
    paperSignFlippedLoss?: number | null;
    statusCounts: Record<RunStatus, number>;
  }>;
  cosine: { minUndamped: number | null; undefinedUndamped: number; steps: number; minDamped: number | null };
  checks: OptimResult['checks'];
}

export interface MisspecSummary {
  classification: { case: string; generalizedEigenvalues: number[]; efMatchesFisher: boolean }[];
  regression: { case: string; generalizedEigenvalues: number[]; efMatchesFisher: boolean }[];
  efMatchesOnlyWhenWellSpecified: boolean;
}

export interface LabSummary {
  /** What wrote it. */
  generatedBy: string;
  optim: OptimSummary[];
  misspec?: MisspecSummary;
}

function finiteOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

function point(run: ReplayedRun): PointSummary {
  return {
    log10StepSize: run.log10StepSize,
    log10Damping: run.log10Damping,
    kernelFinalLoss: finiteOrNull(run.kernelFinalLoss),
    sessionFinalLoss: finiteOrNull(run.sessionLosses[run.sessionLosses.length - 1]),
    maxRelativeDifference: finiteOrNull(run.maxRelativeDifference),
  };
}

/** The grid's final loss at (log10 γ, log10 λ), null where not finite or not a grid point. */
function gridLoss(result: OptimResult, grid: (number | null)[][], log10StepSize: number, log10Damping: number | null): number | null {
  const index = (g: OptimResult['grid']['stepSizes'], x: number): number => {
    const k = g.num === 1 ? 0 : ((x - g.start) * (g.num - 1)) / (g.stop - g.start);
    return Math.abs(k - Math.round(k)) < 1e-9 && k >= -1e-9 && k <= g.num - 1 + 1e-9 ? Math.round(k) : -1;
  };
  const i = index(result.grid.stepSizes, log10StepSize);
  const j = log10Damping === null ? 0 : index(result.grid.dampings, log10Damping);
  if (i < 0 || j < 0) return null;
  return finiteOrNull(grid[i]?.[j]);
}

export function summarizeOptim(result: OptimResult): OptimSummary {
  const finite = (v: readonly (number | null)[]): number[] => v.filter((x): x is number => x !== null && Number.isFinite(x));
  const undamped = finite(result.cosine.undamped);
  const damped = finite(result.cosine.damped);
  const optimizers = {} as OptimSummary['optimizers'];
  for (const o of GRID_OPTIMIZERS) {
    const r = result.optimizers[o];
    optimizers[o] = {
      selected: point(r.selected),
      ...(r.paper ? { paper: point(r.paper), paperSignFlippedLoss: gridLoss(result, r.finalLossGrid, -r.paper.log10StepSize, r.paper.log10Damping) } : {}),
      statusCounts: r.statusCounts,
    };
  }
  return {
    dataset: result.dataset,
    numExamples: result.numExamples,
    numParams: result.numParams,
    grid: result.grid,
    seconds: result.seconds,
    ...(result.cpuSeconds === undefined ? {} : { cpuSeconds: result.cpuSeconds }),
    ...(result.machine === undefined ? {} : { machine: result.machine }),
    optimizers,
    cosine: {
      minUndamped: undamped.length ? Math.min(...undamped) : null,
      undefinedUndamped: result.cosine.undamped.length - undamped.length,
      steps: result.cosine.undamped.length,
      minDamped: damped.length ? Math.min(...damped) : null,
    },
    checks: result.checks,
  };
}

export function summarizeMisspec(result: MisspecResult): MisspecSummary {
  const panels = (p: MisspecResult['classification']): MisspecSummary['classification'] => p.map((x) => ({ case: x.case, generalizedEigenvalues: [...x.generalizedEigenvalues], efMatchesFisher: x.efMatchesFisher }));
  return { classification: panels(result.classification), regression: panels(result.regression), efMatchesOnlyWhenWellSpecified: result.checks.efMatchesOnlyWhenWellSpecified };
}

/** Replaces the content of every `<!-- generated: NAME -->` … `<!-- /generated: NAME -->` block named in `blocks`. */
export function updateGeneratedBlocks(doc: string, blocks: Readonly<Record<string, string>>): string {
  let out = doc;
  for (const [name, content] of Object.entries(blocks)) {
    const open = `<!-- generated: ${name} -->`;
    const close = `<!-- /generated: ${name} -->`;
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start) {
      throw new FisherdError('INVALID_CONFIG', `the doc has no block "${open}" … "${close}" for the generated ${name}`, { field: 'update-doc' });
    }
    out = `${out.slice(0, start + open.length)}\n${content.trimEnd()}\n${out.slice(end)}`;
  }
  return out;
}
