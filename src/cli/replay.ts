/**
 * `fisherd replay TRACE... --optimizer sgd,ngd,efgd,snr,va [--rule NAME:stepSize=γ,damping=λ]... [--step-size γ]
 *   [--damping λ] [--structure ...] [--export-updates DIR2] --out DIR [--url ws://...]`
 *
 * Offline (default): streams the trace and computes, for every logged step, what each chosen rule returns
 * and the diagnostics (src/trace/replay.ts), along the recorded parameter path (open loop: every rule sees
 * the recorded gradients). Writes into DIR:
 *   steps.csv       one row per step and rule: loss, batch size, ‖ḡ‖, ‖Δθ‖, EF-vs-Fisher cosine, mean SNR, γ, λ,
 *                   cos(Δθ, Δθ_recorded), ‖Δθ_recorded‖, ḡᵀΔθ and the local model q_F, q_EF of Δθ and of Δθ_recorded
 *                   (src/trace/what-if.ts)
 *   summary.json    the recorded config, per-rule update digests, bit-for-bit reproduction, damage found
 *   update-norm.svg ‖Δθ‖ per step and rule (log scale); cosine-ef-fisher.svg and mean-snr.svg when tracked;
 *                   cosine-recorded.svg when the trace holds the updates; local-model.svg (q_F, else q_EF)
 * --step-size / --damping replace the recorded values in every rule; --rule NAME:stepSize=γ,damping=λ (repeatable)
 * replays NAME (added to --optimizer's list) with its own values. --export-updates DIR2 writes every rule's
 * replayed Δθ as DIR2/<rule>.npy (float32, steps × D) with DIR2/<rule>.csv and DIR2/index.json (src/trace/update-export.ts).
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
import { FisherdError } from '../errors.js';
import { replayTrace, type ReplayProgress, type ReplayStepRow, type RuleOverrides } from '../trace/replay.js';
import { DecimatedSeries } from '../trace/series.js';
import { UpdateExport } from '../trace/update-export.js';
import { csvLine, STEP_COLUMNS } from '../trace/what-if.js';
import { reportErrors } from './errors.js';

/** One `--rule` value: `NAME` or `NAME:key=value[,key=value]` with keys stepSize (or step-size) and damping. */
export interface RuleSpec {
  name: OptimizerName;
  overrides: RuleOverrides;
}

/** Parses `--rule ngd:stepSize=0.1,damping=1e-3` (commander's argument parser; repeatable). */
export function parseRule(value: string, previous: RuleSpec[] = []): RuleSpec[] {
  const colon = value.indexOf(':');
  const name = (colon < 0 ? value : value.slice(0, colon)).trim();
  if (!OPTIMIZER_NAMES.includes(name as OptimizerName)) throw new InvalidArgumentError(`unknown optimizer "${name}"; one of ${OPTIMIZER_NAMES.join(', ')}`);
  if (previous.some((r) => r.name === name)) throw new InvalidArgumentError(`--rule ${name} is given twice`);
  const overrides: RuleOverrides = {};
  for (const pair of colon < 0 ? [] : value.slice(colon + 1).split(',')) {
    const [key, text, extra] = pair.split('=').map((p) => p.trim());
    if (key === undefined || text === undefined || text === '' || extra !== undefined) {
      throw new InvalidArgumentError(`expected NAME:stepSize=γ,damping=λ, got "${value}"`);
    }
    const n = parseNumber(text);
    if (key === 'stepSize' || key === 'step-size') {
      if (!(n > 0)) throw new InvalidArgumentError(`${name}'s stepSize must be > 0, got ${text}`);
      overrides.stepSize = n;
    } else if (key === 'damping') {
      if (!(n >= 0)) throw new InvalidArgumentError(`${name}'s damping must be ≥ 0, got ${text}`);
      overrides.damping = n;
    } else {
      throw new InvalidArgumentError(`unknown key "${key}" in --rule ${value}: stepSize or damping`);
    }
  }
  return [...previous, { name: name as OptimizerName, overrides }];
}

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
  optimizer?: OptimizerName[];
  rule: RuleSpec[];
  structure?: LeafStructure;
  damping?: number;
  stepSize?: number;
  exportUpdates?: string;
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
    .option('--optimizer <list>', `comma-separated rules to replay (${OPTIMIZER_NAMES.join(', ')}); this or --rule is required`, parseOptimizers)
    .option('--rule <spec>', 'replay a rule with its own step size and damping, NAME[:stepSize=γ][,damping=λ] (repeatable; adds NAME to --optimizer\'s rules)', parseRule, [])
    .option('--structure <structure>', 'replace the recorded structure: diagonal, full or lowrank:R', parseStructure)
    .option('--damping <lambda>', 'replace the recorded damping λ (≥ 0) in every rule (a --rule value wins)', parseNumber)
    .option('--step-size <gamma>', 'replace the recorded step size γ (> 0) in every rule (a --rule value wins)', parseNumber)
    .option('--export-updates <dir>', 'write every rule\'s replayed Δθ as DIR/<rule>.npy (float32, steps × D), DIR/<rule>.csv and DIR/index.json')
    .option('--backend <name>', 'compute backend (default: the recorded one, when available)')
    .requiredOption('--out <dir>', 'where to write steps.csv, summary.json and the SVG plots')
    .option('--url <ws-url>', 'replay through a running daemon at this URL instead of offline')
    .option('--token <token>', 'bearer token of the daemon (--url)', process.env['FISHERD_TOKEN'])
    .option('--threads <n>', 'worker threads that read and summarize steps of diagonal replays (0: none; default: the cores but one)', parseCount)
    .option('--max-memory <bytes>', 'memory budget of an offline replay: a trace whose sessions would need more is refused (default: half the machine\'s memory)', parseBytes)
    .option('--skip-corrupt', 'after a corrupt record, go on with the next segment')
    .option('--no-progress', 'no progress bar')
    .action((inputs: string[], opts: ReplayCliOptions) => reportErrors('replay', async () => {
      if ((opts.optimizer ?? []).length === 0 && opts.rule.length === 0) {
        throw new FisherdError('INVALID_CONFIG', `choose the rules to replay with --optimizer LIST or --rule NAME (${OPTIMIZER_NAMES.join(', ')})`, { field: 'optimizer' });
      }
      if (opts.url) {
        const offlineOnly = [opts.rule.length > 0 && '--rule', opts.stepSize !== undefined && '--step-size', opts.damping !== undefined && '--damping',
          opts.structure !== undefined && '--structure', opts.exportUpdates !== undefined && '--export-updates'].filter((f): f is string => typeof f === 'string');
        if (offlineOnly.length > 0) {
          throw new FisherdError('INVALID_CONFIG', `${offlineOnly.join(', ')}: offline replays only; a replay through a daemon (--url) replays the recorded config`, { field: 'url' });
        }
      }
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

/** The rules replayed: --optimizer's, then those only --rule names; and the per-rule overrides. */
function rulesOf(opts: ReplayCliOptions): { optimizers: OptimizerName[]; overrides: Partial<Record<OptimizerName, RuleOverrides>> } {
  const optimizers = [...(opts.optimizer ?? [])];
  const overrides: Partial<Record<OptimizerName, RuleOverrides>> = {};
  for (const r of opts.rule) {
    if (!optimizers.includes(r.name)) optimizers.push(r.name);
    overrides[r.name] = r.overrides;
  }
  return { optimizers, overrides };
}

async function runOffline(inputs: string[], opts: ReplayCliOptions): Promise<void> {
  const { optimizers, overrides } = rulesOf(opts);
  let exported: UpdateExport | undefined;
  if (opts.exportUpdates !== undefined) {
    await mkdir(opts.exportUpdates, { recursive: true });
    exported = await UpdateExport.open(opts.exportUpdates, optimizers);
  }
  const csv = createWriteStream(join(opts.out, 'steps.csv'));
  csv.write(`${STEP_COLUMNS.join(',')}\n`);
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
      optimizers,
      overrides,
      ...(opts.structure ? { structure: opts.structure } : {}),
      ...(opts.damping === undefined ? {} : { damping: opts.damping }),
      ...(opts.stepSize === undefined ? {} : { stepSize: opts.stepSize }),
      ...(opts.backend ? { backend: opts.backend } : {}),
      continueAfterCorruption: opts.skipCorrupt ?? false,
      ...(opts.threads === undefined ? {} : { threads: opts.threads }),
      ...(opts.maxMemory === undefined ? {} : { maxMemoryBytes: opts.maxMemory }),
      onProgress: (p) => bar.update(p),
    }, async (rows: readonly ReplayStepRow[]) => {
      let text = '';
      for (const row of rows) {
        text += `${csvLine(row)}\n`;
        seriesFor('updateNorm', row.optimizer).push(row.step, row.updateNorm);
        if (row.cosineRecorded !== undefined) seriesFor('cosineRecorded', row.optimizer).push(row.step, row.cosineRecorded);
        const q = row.qFisher ?? row.qEmpiricalFisher;
        if (q !== undefined) seriesFor('localModel', row.optimizer).push(row.step, q);
        if (row.cosineEfFisher !== undefined) seriesFor('cosineEfFisher', row.optimizer).push(row.step, row.cosineEfFisher);
        if (row.meanSnr !== undefined) seriesFor('meanSnr', row.optimizer).push(row.step, row.meanSnr);
      }
      if (!csv.write(text)) await new Promise<void>((resolve) => csv.once('drain', () => resolve()));
      await exported?.write(rows);
    });
  } catch (e) {
    await exported?.abandon();
    throw e;
  } finally {
    bar.stop();
    await new Promise<void>((resolve) => csv.end(() => resolve()));
  }
  const index = await exported?.close(result.sessionId);
  // What replaced the recorded config, beside the result (the rows say the γ and λ each rule used).
  const replaced = { structure: opts.structure, stepSize: opts.stepSize, damping: opts.damping, rules: overrides };
  await writeFile(join(opts.out, 'summary.json'), `${JSON.stringify({ ...result, overrides: replaced }, null, 2)}\n`);
  const plots = [
    { metric: 'updateNorm', file: 'update-norm.svg', title: 'Update norm ‖Δθ‖', log: true },
    // The estimates (hence these two diagnostics) are the same whichever rule is replayed: plot one.
    { metric: 'cosineEfFisher', file: 'cosine-ef-fisher.svg', title: 'cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ)', log: false, first: true },
    { metric: 'meanSnr', file: 'mean-snr.svg', title: 'Mean SNR factor', log: false, first: true },
    { metric: 'cosineRecorded', file: 'cosine-recorded.svg', title: 'cos(Δθ, Δθ recorded)', log: false },
    { metric: 'localModel', file: 'local-model.svg', title: result.localModel.fisher ? `q(Δθ) = ḡᵀΔθ + ½ Δθᵀ F̂ Δθ (${result.localModel.fisher} Fisher)` : 'q_EF(Δθ) = ḡᵀΔθ + ½ Δθᵀ Ẽ Δθ (empirical Fisher)', log: false },
  ];
  const written: string[] = [join(opts.out, 'steps.csv'), join(opts.out, 'summary.json')];
  for (const plot of plots) {
    const lines = optimizers
      .map((name) => ({ name, s: series.get(`${plot.metric}/${name}`) }))
      .filter((l): l is { name: OptimizerName; s: DecimatedSeries } => l.s !== undefined);
    const shown = plot.first ? lines.slice(0, 1) : lines;
    if (shown.length === 0) continue;
    await writeFile(join(opts.out, plot.file), linePlot(plot.title, shown.map((l) => ({ label: plot.first ? '' : l.name, ...l.s.points, style: styleOf(l.name) })), plot.log));
    written.push(join(opts.out, plot.file));
  }
  const r = result.reproduction;
  const threads = result.threads > 0
    ? `, ${result.threads} worker thread${result.threads > 1 ? 's' : ''} (${result.threadedRecords} of the steps summarized there)` : '';
  process.stdout.write(`replayed ${result.steps} steps of session ${result.sessionId} with ${optimizers.join(', ')} on ${result.backend}${threads}` +
    ' along the recorded parameter path (open loop)\n');
  for (const o of result.optimizers) {
    const own = overrides[o.optimizer];
    const stepSize = own?.stepSize ?? opts.stepSize;
    const damping = own?.damping ?? opts.damping;
    const set = [stepSize === undefined ? '' : `γ=${stepSize}`, damping === undefined ? '' : `λ=${damping}`].filter((t) => t !== '').join(', ');
    process.stdout.write(`  ${o.optimizer}${set ? ` (${set})` : ''}: ${o.steps} steps${o.failure ? `, stopped at step ${o.failure.step}: ${o.failure.code} ${o.failure.message}` : ''}\n`);
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
  if (index && opts.exportUpdates !== undefined) {
    written.push(...index.rules.flatMap((r) => [r.updates, r.scalars]).map((f) => join(opts.exportUpdates!, f)), join(opts.exportUpdates, 'index.json'));
  }
  process.stdout.write(`wrote ${written.join(', ')}\n`);
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
