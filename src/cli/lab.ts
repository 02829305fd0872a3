/**
 * `fisherd lab …`: the paper's experiments, each run through the same Session code the daemon uses
 * (in-process by default, a running daemon with `--url`), writing JSON with every number and SVG
 * figures laid out like the paper's panels into `--out` (default `lab-results/`).
 *
 *   fisherd lab vecfield                 Fig. 1
 *   fisherd lab misspec                  Figs. 2 and 4
 *   fisherd lab optim --dataset NAME     Figs. 3 and 5 (Table 5 grid; or one point with --optimizer …)
 *   fisherd lab start-points             Fig. 6
 *   fisherd lab variance                 Section 5 in the stochastic setting (new)
 *   fisherd lab all --out DIR            all of them and an index.html
 *   fisherd lab summary --in DIR         Table 6 beside fisherd's selections, as Markdown
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DATASET_NAMES, isDatasetName, PAPER_DATASETS, type DatasetName } from '../lab/datasets.js';
import { runMisspecExperiment, type MisspecResult } from '../lab/experiments/misspec.js';
import { runOptimExperiment, runSinglePoint, type OptimResult } from '../lab/experiments/optim.js';
import { runStartPointsExperiment } from '../lab/experiments/start-points.js';
import { runVarianceExperiment } from '../lab/experiments/variance.js';
import { runVecfieldExperiment } from '../lab/experiments/vecfield.js';
import { GRID_OPTIMIZERS, type GridOptimizer } from '../lab/grid/run.js';
import type { BackendName } from '../linalg/backend.js';
import {
  toJson, writeIndex, writeMisspec, writeOptim, writeOptimFigures, writeSinglePoint, writeStartPoints, writeVariance, writeVecfield, type OutputFile,
} from '../lab/outputs.js';
import type { Progress } from '../lab/progress.js';
import { summarizeMisspec, summarizeOptim, updateGeneratedBlocks, type LabSummary } from '../lab/doc-summary.js';
import { checksMarkdown, comparisonHtml, generatedBlocks } from '../lab/summary.js';
import type { StepperTarget } from '../lab/stepper.js';

interface CommonFlags {
  out: string;
  url?: string;
  token?: string;
  backend: BackendName;
  progress: boolean;
}

/** A cli-progress bar per phase, on stderr so that stdout stays for results. */
function progressBar(enabled: boolean): Progress {
  let bar: cliProgress.SingleBar | undefined;
  return {
    begin(label, total) {
      if (!enabled) return;
      bar = new cliProgress.SingleBar({ format: `${label.padEnd(28)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    end() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function target(flags: CommonFlags): StepperTarget {
  const token = flags.token ?? process.env['FISHERD_TOKEN'];
  return {
    ...(flags.url === undefined ? {} : { url: flags.url }),
    ...(token === undefined ? {} : { token }),
    backend: flags.backend,
  };
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('must be a number > 0');
  return n;
}

function datasetName(value: string): DatasetName {
  if (!isDatasetName(value)) throw new InvalidArgumentError(`must be one of ${DATASET_NAMES.join(', ')}`);
  return value;
}

function datasetList(value: string): DatasetName[] {
  return value.split(',').map((v) => datasetName(v.trim()));
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--out <dir>', 'folder for the JSON and SVG files', 'lab-results')
    .option('--url <ws-url>', 'run the sessions on a running daemon (ws://host:port) instead of in-process')
    .option('--token <token>', 'bearer token for --url (default: $FISHERD_TOKEN)')
    .addOption(new Option('--backend <name>', 'in-process compute backend of the sessions').choices(['reference', 'openblas', 'gpujs']).default('reference'))
    .option('--no-progress', 'no progress bars');
}

function report(files: readonly OutputFile[], out: string): void {
  for (const f of files) process.stdout.write(`wrote ${join(out, f.file)}  (${f.caption})\n`);
}

function printOptim(result: OptimResult): void {
  process.stdout.write(`${result.dataset}: grid of ${result.grid.runs} runs in ${result.grid.seconds.toFixed(1)} s on ${result.grid.workers} worker(s) (${result.grid.backend})\n`);
  for (const optimizer of GRID_OPTIMIZERS) {
    const s = result.optimizers[optimizer].selected;
    const p = result.optimizers[optimizer].paper;
    process.stdout.write(`  ${optimizer.padEnd(4)} log10 γ = ${s.log10StepSize.toFixed(3)}${s.log10Damping === null ? '' : `, log10 λ = ${s.log10Damping.toFixed(1)}`}: final loss ${s.kernelFinalLoss} (session replay ${s.sessionLosses[s.sessionLosses.length - 1]})`
      + (p ? `; Table 6 (${p.log10StepSize}${p.log10Damping === null ? '' : `, ${p.log10Damping}`}): ${p.kernelFinalLoss}` : '') + '\n');
  }
  process.stdout.write(`  NGD ≤ EFGD: ${result.checks.ngdFinalLossAtMostEfgd}; min. EF/Fisher cosine on the EFGD path: ${result.checks.minUndampedCosine.toFixed(3)}\n`);
}

/** Registers `lab` and its subcommands on `program`. */
export function registerLabCommands(program: Command): Command {
  const lab = program.command('lab').description("reproduce the paper's experiments through fisherd sessions (JSON + SVG)");

  withCommonOptions(lab.command('vecfield').description('Fig. 1: GD, NGD and EF vector fields and trajectories'))
    .option('--iterations <n>', 'iterations per trajectory', positiveInteger, 50_000)
    .option('--step-size <γ>', 'step size (default 1e-4; 1e-3 with --variant code)', positiveNumber)
    .option('--damping <λ>', 'damping', positiveNumber, 1e-8)
    .addOption(new Option('--variant <which>', "text: Appendix D.1 as written (γ = 1e-4, no prior, through the Session); code: the authors' code (fields scaled 1/3, 1, 3, γ = 1e-3, prior variance 0.1, float64), whose EF paths reach θ*").choices(['text', 'code']).default('text'))
    .action(async (flags: CommonFlags & { iterations: number; stepSize?: number; damping: number; variant: 'text' | 'code' }) => {
      const result = await runVecfieldExperiment({ variant: flags.variant, iterations: flags.iterations, ...(flags.stepSize === undefined ? {} : { stepSize: flags.stepSize }), damping: flags.damping, target: target(flags), progress: progressBar(flags.progress) });
      process.stdout.write(`EF end points' distance from θ*: ${result.endDistances?.efgd.map((d) => d.toPrecision(3)).join(', ')} (NGD: ${result.endDistances?.ngd.map((d) => d.toPrecision(3)).join(', ')})\n`);
      report(writeVecfield(flags.out, result), flags.out);
    });

  withCommonOptions(lab.command('misspec').description('Figs. 2 and 4: quadratic models of F and the EF at the minimum'))
    .action(async (flags: CommonFlags) => {
      const result = await runMisspecExperiment({ target: target(flags), progress: progressBar(flags.progress) });
      report(writeMisspec(flags.out, result), flags.out);
      process.stdout.write(checksMarkdown([], summarizeMisspec(result)) + '\n');
    });

  withCommonOptions(lab.command('optim').description('Figs. 3 and 5: grid-searched GD, NGD, EFGD and the EF/Fisher cosine'))
    .requiredOption('--dataset <name>', `one of ${DATASET_NAMES.join(', ')}`, datasetName)
    .addOption(new Option('--optimizer <name>', 'run one point instead of the grid').choices([...GRID_OPTIMIZERS]))
    .option('--step-size <γ>', 'step size of the single point', positiveNumber)
    .option('--damping <λ>', 'damping of the single point (ngd, efgd)', positiveNumber, 1e-8)
    .option('--iterations <n>', 'iterations', positiveInteger, 100)
    .option('--workers <n>', 'grid worker threads (default: one per core; 0: this thread)', nonNegativeInteger)
    .option('--coarse', 'a coarse grid (log10 step 1 for γ, 2 for λ) instead of Table 5')
    .action(async (flags: CommonFlags & { dataset: DatasetName; optimizer?: GridOptimizer; stepSize?: number; damping: number; iterations: number; workers?: number; coarse?: boolean }) => {
      if (flags.optimizer !== undefined) {
        if (flags.stepSize === undefined) throw new InvalidArgumentError('--optimizer needs --step-size');
        const result = await runSinglePoint({ dataset: flags.dataset, optimizer: flags.optimizer, stepSize: flags.stepSize, damping: flags.damping, iterations: flags.iterations, target: target(flags), progress: progressBar(flags.progress) });
        process.stdout.write('step\tloss\tcos(EF⁺g, F⁺g)\tcos damped (session)\n');
        result.losses.forEach((loss, t) => process.stdout.write(`${t}\t${loss}\t${result.undampedCosines[t] ?? ''}\t${result.dampedCosines[t] ?? ''}\n`));
        process.stdout.write(`status: ${result.status}${result.error ? ` (${result.error})` : ''}\n`);
        report(writeSinglePoint(flags.out, result), flags.out);
        return;
      }
      const result = await runOptimExperiment({
        dataset: flags.dataset,
        iterations: flags.iterations,
        ...(flags.coarse ? { stepSizes: { start: -20, stop: 10, num: 31 }, dampings: { start: -10, stop: 10, num: 11 } } : {}),
        ...(flags.workers === undefined ? {} : { workers: flags.workers }),
        target: target(flags),
        progress: progressBar(flags.progress),
      });
      printOptim(result);
      report(writeOptim(flags.out, result), flags.out);
    });

  withCommonOptions(lab.command('start-points').description('Fig. 6: NGD and EFGD on Boston from different starting points'))
    .option('--from <optim-json>', "take NGD's and EFGD's hyperparameters from an `lab optim --dataset Boston` result (default: the paper's Table 6)")
    .option('--iterations <n>', 'iterations', positiveInteger, 20)
    .action(async (flags: CommonFlags & { from?: string; iterations: number }) => {
      const from = flags.from === undefined ? undefined : (JSON.parse(readFileSync(flags.from, 'utf8')) as OptimResult);
      const result = await runStartPointsExperiment({
        iterations: flags.iterations,
        ...(from ? { dataset: from.dataset, ...selectionOf(from), hyperparameterSource: `fisherd grid (${flags.from})` } : {}),
        target: target(flags),
        progress: progressBar(flags.progress),
      });
      report(writeStartPoints(flags.out, result), flags.out);
    });

  withCommonOptions(lab.command('variance').description('Section 5: minibatch SGD, EFGD, NGD (sampled Fisher), SNR and VA'))
    .option('--datasets <names>', 'comma-separated data sets', datasetList, ['a1a', 'BreastCancer', 'Boston'])
    .option('--batch-size <b>', 'minibatch size', positiveInteger, 32)
    .option('--iterations <n>', 'steps per run', positiveInteger, 200)
    .option('--seeds <n>', 'seeds of the tuned runs', positiveInteger, 5)
    .action(async (flags: CommonFlags & { datasets: DatasetName[]; batchSize: number; iterations: number; seeds: number }) => {
      const result = await runVarianceExperiment({ datasets: flags.datasets, batchSize: flags.batchSize, iterations: flags.iterations, seeds: flags.seeds, target: target(flags), progress: progressBar(flags.progress) });
      report(writeVariance(flags.out, result), flags.out);
    });

  withCommonOptions(lab.command('all').description('every experiment, then index.html linking every figure'))
    .option('--datasets <names>', 'data sets of Figs. 3 and 5', datasetList, [...PAPER_DATASETS])
    .option('--quick', 'small settings (coarse grid, 2 000 vector-field iterations, short variance runs) for a smoke run')
    .option('--workers <n>', 'grid worker threads', nonNegativeInteger)
    .action(async (flags: CommonFlags & { datasets: DatasetName[]; quick?: boolean; workers?: number }) => {
      const progress = progressBar(flags.progress);
      const common = { target: target(flags), progress };
      const files: OutputFile[] = [];
      const optimResults: OptimResult[] = [];
      for (const dataset of flags.datasets) {
        const result = await runOptimExperiment({
          dataset,
          ...(flags.quick ? { stepSizes: { start: -20, stop: 10, num: 31 }, dampings: { start: -10, stop: 10, num: 11 } } : {}),
          ...(flags.workers === undefined ? {} : { workers: flags.workers }),
          ...common,
        });
        printOptim(result);
        optimResults.push(result);
        files.push(...writeOptim(flags.out, result));
      }
      files.unshift(...writeOptimFigures(flags.out, optimResults));
      const vecfield = await runVecfieldExperiment({ ...(flags.quick ? { iterations: 2000 } : {}), ...common });
      files.unshift(...writeVecfield(flags.out, vecfield));
      const misspec = await runMisspecExperiment(common);
      files.push(...writeMisspec(flags.out, misspec));
      const boston = optimResults.find((r) => r.dataset === 'Boston');
      const startPoints = await runStartPointsExperiment({ ...(boston ? { ...selectionOf(boston), hyperparameterSource: 'fisherd grid (optim-Boston.json)' } : {}), ...common });
      files.push(...writeStartPoints(flags.out, startPoints));
      const variance = await runVarianceExperiment({
        datasets: flags.datasets.filter((d) => ['a1a', 'BreastCancer', 'Boston'].includes(d)),
        ...(flags.quick ? { iterations: 40, seeds: 2, log10StepSizes: [-6, -4, -2, 0], log10Dampings: [-6, -2] } : {}),
        ...common,
      });
      files.push(...writeVariance(flags.out, variance));
      writeIndex(flags.out, files, comparisonHtml(optimResults.map(summarizeOptim), summarizeMisspec(misspec)));
      report([...files, { file: 'index.html', caption: 'index of every figure' }], flags.out);
    });

  lab.command('summary')
    .description("Table 6 beside fisherd's selections, the checks and the timings, as Markdown, from the lab's JSON")
    .option('--in <path>', 'a folder with optim-*.json (and misspec.json), or a summary JSON written by --save', 'lab-results')
    .option('--save <file>', 'write the condensed results (what the doc is generated from) to this JSON file')
    .option('--update-doc <file>', 'rewrite the <!-- generated: NAME --> blocks of this Markdown file (e.g. docs/paper-reproduction.md)')
    .option('--check-doc <file>', 'exit 1 when the generated blocks of this Markdown file differ from what --in gives')
    .action((flags: { in: string; save?: string; updateDoc?: string; checkDoc?: string }) => {
      const summary = readSummary(flags.in);
      if (flags.save !== undefined) writeFileSync(flags.save, toJson(summary));
      const blocks = generatedBlocks(summary);
      if (flags.updateDoc !== undefined) {
        const doc = readFileSync(flags.updateDoc, 'utf8');
        const updated = updateGeneratedBlocks(doc, blocks);
        if (updated !== doc) writeFileSync(flags.updateDoc, updated);
        process.stdout.write(`${flags.updateDoc}: ${updated === doc ? 'already up to date' : 'updated'} (${Object.keys(blocks).join(', ')})\n`);
      }
      if (flags.checkDoc !== undefined) {
        const doc = readFileSync(flags.checkDoc, 'utf8');
        if (updateGeneratedBlocks(doc, blocks) !== doc) {
          process.stderr.write(`${flags.checkDoc}: generated blocks differ from ${flags.in}; run fisherd lab summary --in ${flags.in} --update-doc ${flags.checkDoc}\n`);
          process.exitCode = 1;
        }
      }
      if (flags.save === undefined && flags.updateDoc === undefined && flags.checkDoc === undefined) {
        process.stdout.write(Object.values(blocks).join('\n\n') + '\n');
      }
    });

  return lab;
}

/** The condensed results of a folder of lab JSON (optim-*.json, misspec.json) or of a summary JSON. */
export function readSummary(path: string): LabSummary {
  if (statSync(path).isFile()) return JSON.parse(readFileSync(path, 'utf8')) as LabSummary;
  const optim = readdirSync(path)
    .filter((f) => /^optim-[A-Za-z0-9]+\.json$/.test(f))
    .map((f) => summarizeOptim(JSON.parse(readFileSync(join(path, f), 'utf8')) as OptimResult))
    .sort((a, b) => PAPER_DATASETS.indexOf(a.dataset as DatasetName) - PAPER_DATASETS.indexOf(b.dataset as DatasetName));
  const misspecFile = join(path, 'misspec.json');
  const misspec = existsSync(misspecFile) ? summarizeMisspec(JSON.parse(readFileSync(misspecFile, 'utf8')) as MisspecResult) : undefined;
  return { generatedBy: 'fisherd lab summary --save (from fisherd lab optim / misspec JSON)', optim, ...(misspec ? { misspec } : {}) };
}

function selectionOf(result: OptimResult): { hyperparameters: { ngd: { log10StepSize: number; log10Damping: number | null }; efgd: { log10StepSize: number; log10Damping: number | null } } } {
  const pick = (o: 'ngd' | 'efgd'): { log10StepSize: number; log10Damping: number | null } => ({
    log10StepSize: result.optimizers[o].selected.log10StepSize,
    log10Damping: result.optimizers[o].selected.log10Damping,
  });
  return { hyperparameters: { ngd: pick('ngd'), efgd: pick('efgd') } };
}
