/**
 * `fisherd replay TRACE... --optimizer sgd,ngd,efgd,snr,va [--structure ...] --out DIR [--url ws://...]`
 *
 * Offline (default): streams the trace and computes, for every logged step, what each chosen rule returns
 * and the diagnostics (src/trace/replay.ts). Writes into DIR:
 *   steps.csv       one row per step and rule: loss, batch size, ‖ḡ‖, ‖Δθ‖, EF-vs-Fisher cosine, mean SNR, γ, λ
 *   summary.json    the recorded config, per-rule update digests, bit-for-bit reproduction, damage found
 *   update-norm.svg ‖Δθ‖ per step and rule (log scale); cosine-ef-fisher.svg and mean-snr.svg when tracked
 * With --url: sends the trace's contributions to a running daemon as its client(s) and compares the
 * updates it returns with the recorded ones (src/trace/remote-replay.ts).
 * --max-memory BYTES (offline; default half the machine's memory): the sessions the trace's config would
 * need are estimated first, and a replay over the budget is refused (INVALID_CONFIG, field maxMemory).
 * An error ends the command with one line on stderr and exit code 1 (cli/errors.ts), never a stack trace.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import type { LeafStructure } from '../curvature/structure.js';
import { Figure, PAPER_STYLES } from '../lab/svg/figure.js';
import type { LineStyle } from '../lab/svg/panel.js';
import { extent } from '../lab/svg/scale.js';
import type { BackendPreference } from '../linalg/select.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../optim/spec.js';
import { replayThroughDaemon } from '../trace/remote-replay.js';
import { replayTrace, type ReplayProgress, type ReplayStepRow } from '../trace/replay.js';
import { DecimatedSeries } from '../trace/series.js';
import { reportErrors } from './errors.js';

const CSV_COLUMNS = ['step', 'optimizer', 'loss', 'batchSize', 'gradNorm', 'updateNorm', 'cosineEfFisher', 'meanSnr', 'stepSize', 'damping'] as const;

function parseOptimizers(value: string): OptimizerName[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const n of names) {
    if (!OPTIMIZER_NAMES.includes(n as OptimizerName)) throw new InvalidArgumentError(`unknown optimizer "${n}"; one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
  return names as OptimizerName[];
}

/** "diagonal", "full" or "lowrank:R". */
function parseStructure(value: string): LeafStructure {
  if (value === 'diagonal' || value === 'full') return { kind: value };
  const match = /^low-?rank:(\d+)$/.exec(value);
  if (match) return { kind: 'lowrank', rank: Number(match[1]) };
  throw new InvalidArgumentError('expected diagonal, full or lowrank:R');
}

function parseNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`not a number: ${value}`);
  return n;
}

function parseBytes(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`not a number of bytes (an integer ≥ 1): ${value}`);
  return n;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`not a count (an integer ≥ 0): ${value}`);
  return n;
}

interface ReplayCliOptions {
  optimizer: OptimizerName[];
  structure?: LeafStructure;
  damping?: number;
  backend?: BackendPreference;
  out: string;
  url?: string;
  token?: string;
  skipCorrupt?: boolean;
  threads?: number;
  maxMemory?: number;
  progress: boolean;
}

/** Registers `replay` on the program. */
export function registerReplayCommand(program: Command): Command {
  return program.command('replay')
    .description('replay a recorded trace against update rules offline, or through a running daemon (--url)')
    .argument('<trace...>', 'segment files or a session\'s trace directory')
    .requiredOption('--optimizer <list>', `comma-separated rules to replay (${OPTIMIZER_NAMES.join(', ')})`, parseOptimizers)
    .option('--structure <structure>', 'replace the recorded structure: diagonal, full or lowrank:R', parseStructure)
    .option('--damping <lambda>', 'replace the recorded damping λ', parseNumber)
    .option('--backend <name>', 'compute backend (default: the recorded one, when available)')
    .requiredOption('--out <dir>', 'where to write steps.csv, summary.json and the SVG plots')
    .option('--url <ws-url>', 'replay through a running daemon at this URL instead of offline')
    .option('--token <token>', 'bearer token of the daemon (--url)', process.env['FISHERD_TOKEN'])
    .option('--threads <n>', 'worker threads that read and summarize steps of diagonal replays (0: none; default: the cores but one)', parseCount)
    .option('--max-memory <bytes>', 'memory budget of an offline replay: a trace whose sessions would need more is refused (default: half the machine\'s memory)', parseBytes)
    .option('--skip-corrupt', 'after a corrupt record, go on with the next segment')
    .option('--no-progress', 'no progress bar')
    .action((inputs: string[], opts: ReplayCliOptions) => reportErrors('replay', async () => {
      await mkdir(opts.out, { recursive: true });
      if (opts.url) await runRemote(inputs, opts);
      else await runOffline(inputs, opts);
    }));
}

function progressBar(enabled: boolean): { update(p: ReplayProgress): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: 'replay [{bar}] {percentage}% | {steps} steps | {mb}/{totalMb} MB | ETA {eta_formatted}',
    stream: process.stderr,
    etaBuffer: 50,
  }, Presets.shades_classic);
  let started = false;
  return {
    update(p) {
      const payload = { steps: p.steps, mb: (p.bytesRead / 2 ** 20).toFixed(1), totalMb: (p.totalBytes / 2 ** 20).toFixed(1) };
      if (!started) {
        bar.start(p.totalBytes, p.bytesRead, payload);
        started = true;
      } else {
        bar.update(p.bytesRead, payload);
      }
    },
    stop: () => started && bar.stop(),
  };
}

async function runOffline(inputs: string[], opts: ReplayCliOptions): Promise<void> {
  const csv = createWriteStream(join(opts.out, 'steps.csv'));
  csv.write(`${CSV_COLUMNS.join(',')}\n`);
  const series = new Map<string, DecimatedSeries>();
  const seriesFor = (metric: string, optimizer: string) => {
    const key = `${metric}/${optimizer}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = new DecimatedSeries()));
    return s;
  };
  const bar = progressBar(opts.progress);
  let result;
  try {
    result = await replayTrace(inputs, {
      optimizers: opts.optimizer,
      ...(opts.structure ? { structure: opts.structure } : {}),
      ...(opts.damping === undefined ? {} : { damping: opts.damping }),
      ...(opts.backend ? { backend: opts.backend } : {}),
      continueAfterCorruption: opts.skipCorrupt ?? false,
      ...(opts.threads === undefined ? {} : { threads: opts.threads }),
      ...(opts.maxMemory === undefined ? {} : { maxMemoryBytes: opts.maxMemory }),
      onProgress: (p) => bar.update(p),
    }, async (rows: readonly ReplayStepRow[]) => {
      let text = '';
      for (const row of rows) {
        text += `${CSV_COLUMNS.map((c) => (row[c] === undefined ? '' : String(row[c]))).join(',')}\n`;
        seriesFor('updateNorm', row.optimizer).push(row.step, row.updateNorm);
        if (row.cosineEfFisher !== undefined) seriesFor('cosineEfFisher', row.optimizer).push(row.step, row.cosineEfFisher);
        if (row.meanSnr !== undefined) seriesFor('meanSnr', row.optimizer).push(row.step, row.meanSnr);
      }
      if (!csv.write(text)) await new Promise<void>((resolve) => csv.once('drain', () => resolve()));
    });
  } finally {
    bar.stop();
    await new Promise<void>((resolve) => csv.end(() => resolve()));
  }
  await writeFile(join(opts.out, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  const plots = [
    { metric: 'updateNorm', file: 'update-norm.svg', title: 'Update norm ‖Δθ‖', log: true },
    // The estimates (hence these two diagnostics) are the same whichever rule is replayed: plot one.
    { metric: 'cosineEfFisher', file: 'cosine-ef-fisher.svg', title: 'cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ)', log: false, first: true },
    { metric: 'meanSnr', file: 'mean-snr.svg', title: 'Mean SNR factor', log: false, first: true },
  ];
  const written: string[] = ['steps.csv', 'summary.json'];
  for (const plot of plots) {
    const lines = opts.optimizer
      .map((name) => ({ name, s: series.get(`${plot.metric}/${name}`) }))
      .filter((l): l is { name: OptimizerName; s: DecimatedSeries } => l.s !== undefined);
    const shown = plot.first ? lines.slice(0, 1) : lines;
    if (shown.length === 0) continue;
    await writeFile(join(opts.out, plot.file), linePlot(plot.title, shown.map((l) => ({ label: plot.first ? '' : l.name, ...l.s.points, style: styleOf(l.name) })), plot.log));
    written.push(plot.file);
  }
  const r = result.reproduction;
  const threads = result.threads > 0
    ? `, ${result.threads} worker thread${result.threads > 1 ? 's' : ''} (${result.threadedRecords} of the steps summarized there)` : '';
  process.stdout.write(`replayed ${result.steps} steps of session ${result.sessionId} with ${opts.optimizer.join(', ')} on ${result.backend}${threads}\n`);
  for (const o of result.optimizers) {
    process.stdout.write(`  ${o.optimizer}: ${o.steps} steps${o.failure ? `, stopped at step ${o.failure.step}: ${o.failure.code} ${o.failure.message}` : ''}\n`);
  }
  if (r) {
    process.stdout.write(r.reproduced
      ? `recorded updates reproduced bit for bit (${r.identical}/${r.recorded}, ${r.optimizer} on ${r.replayBackend})\n`
      : `recorded updates NOT reproduced: ${r.identical}/${r.recorded} identical, first difference at step ${r.firstMismatchStep ?? '-'}, max |Δ| ${r.maxAbsDifference}` +
        `${r.backendMatches ? '' : ` (recorded on ${r.recordedBackend}, replayed on ${r.replayBackend})`}\n`);
  } else if (result.reproductionSkipped) {
    process.stdout.write(`recorded updates not compared: ${result.reproductionSkipped}\n`);
  }
  if (result.damage.length > 0) process.stdout.write(`damage: ${result.damage.map((d) => d.message).join('; ')}\n`);
  process.stdout.write(`wrote ${written.map((f) => join(opts.out, f)).join(', ')}\n`);
}

async function runRemote(inputs: string[], opts: ReplayCliOptions): Promise<void> {
  const bar = progressBar(opts.progress);
  let result;
  try {
    result = await replayThroughDaemon(inputs, {
      url: opts.url!,
      ...(opts.token ? { token: opts.token } : {}),
      continueAfterCorruption: opts.skipCorrupt ?? false,
      ...(opts.threads === undefined ? {} : { threads: opts.threads }),
      onProgress: (p) => bar.update(p),
    });
  } finally {
    bar.stop();
  }
  await writeFile(join(opts.out, 'summary.json'), `${JSON.stringify(result, null, 2)}\n`);
  const r = result.reproduction;
  process.stdout.write(`replayed ${result.steps} steps through ${opts.url} (backend ${result.daemonBackend})\n`);
  process.stdout.write(r.recorded === 0 ? 'the trace holds no updates: nothing to compare\n'
    : r.reproduced ? `recorded updates reproduced bit for bit (${r.identical}/${r.recorded})\n`
      : `recorded updates NOT reproduced: ${r.identical}/${r.compared} identical, first difference at step ${r.firstMismatchStep ?? '-'}, max |Δ| ${r.maxAbsDifference}` +
        `${r.backendMatches ? '' : ` (recorded on ${r.recordedBackend}, the daemon runs ${result.daemonBackend})`}\n`);
  process.stdout.write(`wrote ${join(opts.out, 'summary.json')}\n`);
}

function styleOf(name: OptimizerName): LineStyle {
  const paper = (PAPER_STYLES as Record<string, LineStyle>)[name.toUpperCase()];
  return paper ?? { color: '#555555', dash: 'solid', width: 2 };
}

/** One panel of lines against the step, with a legend. */
function linePlot(title: string, lines: { label: string; xs: readonly number[]; ys: readonly number[]; style: LineStyle }[], log: boolean): string {
  const legend = lines.filter((l) => l.label !== '').map((l) => ({ label: l.label, style: l.style }));
  const figure = new Figure({ rows: 1, columns: 1, panelWidth: 520, panelHeight: 260, title, ...(legend.length > 0 ? { legend } : {}) });
  const xs = extent(lines.flatMap((l) => l.xs)) ?? [0, 1];
  const ys = extent(lines.flatMap((l) => l.ys), log) ?? [0, 1];
  const panel = figure.panel(0, 0, { xDomain: xs, yDomain: ys, yScale: log ? 'log' : 'linear', xLabel: 'step' });
  for (const l of lines) panel.line(l.xs, l.ys, l.style);
  return figure.render();
}
