/**
 * `fisherd trace inspect|verify|export`: look into recorded gradient traces (docs/trace-format.md).
 *
 *   fisherd trace inspect TRACE... [--json]      header, steps, dims, sizes, damage found
 *   fisherd trace verify TRACE... [--quiet]      exit 0 when intact, 1 when damaged or unreadable
 *   fisherd trace export TRACE... --json [--with-data] [--out FILE]
 *                                                one JSON object per record (JSON Lines), for scripts
 *   fisherd trace export TRACE... --csv [--out FILE]
 *                                                one row per recorded update: its per-step scalars
 *                                                (step, loss, batch size, update norm, every diagnostic)
 *
 * TRACE is a segment file, a session's trace directory, or a record directory (all sessions in it).
 * Headers are checked as replay checks them (src/trace/header-check.ts): a bad one is damage, TRACE_CORRUPT
 * with its file and offset. An error ends a command with one line on stderr and exit code 1 (cli/errors.ts).
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { isFisherdError, type FisherdError } from '../errors.js';
import { readFloat32 } from '../protocol/floats.js';
import { decodeStatisticsVector } from '../protocol/statistics-codec.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { decodeContribution, decodeUpdate } from '../trace/contribution-record.js';
import { openTrace, type TraceDamage } from '../trace/reader.js';
import { headerReport, summarizeTrace, type TraceSummary } from '../trace/summary.js';
import { errorLine, reportErrors } from './errors.js';

/** Registers `trace` and its subcommands on the program. */
export function registerTraceCommands(program: Command): Command {
  const trace = program.command('trace').description('inspect, verify and export recorded gradient traces');

  trace.command('inspect')
    .description('show headers, steps, dimensions, sizes and any damage')
    .argument('<trace...>', 'segment files, trace directories or a record directory')
    .option('--json', 'print the summary as JSON')
    .action((inputs: string[], opts: { json?: boolean }) => reportErrors('trace inspect', async () => {
      const summary = await summarizeTrace(inputs);
      process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      if (!summary.intact) process.exitCode = 1;
    }));

  trace.command('verify')
    .description('check every record; exit code 0 when the trace is intact, 1 when not')
    .argument('<trace...>', 'segment files, trace directories or a record directory')
    .option('-q, --quiet', 'print nothing, only set the exit code')
    .action((inputs: string[], opts: { quiet?: boolean }) => reportErrors('trace verify', async () => {
      const summary = await summarizeTrace(inputs);
      if (!opts.quiet) {
        const records = summary.segments.reduce((n, s) => n + s.records, 0);
        if (summary.intact) {
          process.stdout.write(`intact: ${summary.segments.length} segment(s), ${records} records, ${summary.steps?.count ?? 0} steps\n`);
        } else {
          process.stdout.write(`damaged: ${summary.segments.length} segment(s), ${records} intact records\n`);
          for (const d of summary.damage) process.stdout.write(`  ${damageLine(d)}\n`);
          if (summary.error) process.stdout.write(`  ${summary.error.code}: ${summary.error.message}\n`);
        }
      }
      process.exitCode = summary.intact ? 0 : 1;
    }));

  trace.command('export')
    .description('write every record as one JSON object per line (--json), or each step\'s scalars as CSV (--csv)')
    .argument('<trace...>', 'segment files, trace directories or a record directory')
    .option('--json', 'JSON Lines output: one object per record')
    .option('--csv', 'CSV output: one row per update, columns step, loss, batch_size, update_norm, compute_seconds and every diagnostic (docs/trace-format.md)')
    .option('--with-data', 'with --json: include the float arrays (gradients, updates); large')
    .option('--skip-corrupt', 'after a corrupt record, go on with the next segment')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((inputs: string[], opts: { json?: boolean; csv?: boolean; withData?: boolean; skipCorrupt?: boolean; out?: string }) => reportErrors('trace export', async () => {
      if (opts.json === opts.csv) {
        process.stderr.write(`trace export: choose one format: --json or --csv${opts.json ? ' (not both)' : ''}\n`);
        process.exitCode = 2;
        return;
      }
      if (opts.csv && opts.withData) {
        process.stderr.write('trace export: --with-data goes with --json (CSV holds the per-step scalars only)\n');
        process.exitCode = 2;
        return;
      }
      const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
      const skipCorrupt = opts.skipCorrupt ?? false;
      const result = opts.csv
        ? await exportCsv(inputs, out, { skipCorrupt })
        : await exportJsonLines(inputs, out, { withData: opts.withData ?? false, skipCorrupt });
      if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      if (result.error) process.stderr.write(`trace export: ${errorLine(result.error)}\n`);
      else if (result.damage.length > 0) {
        process.stderr.write(`trace export: damaged: ${result.damage.length} finding(s)${opts.csv ? '' : ', listed in the "damage" records'}\n`);
        if (opts.csv) for (const d of result.damage) process.stderr.write(`  ${damageLine(d)}\n`);
      }
      if (!result.intact) process.exitCode = 1;
    }));

  return trace;
}

/** What `exportJsonLines` found besides the records. */
export interface ExportResult {
  /** No damage and no error. */
  intact: boolean;
  damage: TraceDamage[];
  /** The error that stopped the export (TRACE_CORRUPT naming file and offset, TRACE_VERSION), if one did. */
  error: FisherdError | undefined;
}

/**
 * Streams the records as JSON Lines into `out` (respecting backpressure), then one `damage` record per
 * finding and an `error` record for the error that stopped it. Throws only for errors before the first
 * record (no trace at `inputs`).
 */
export async function exportJsonLines(inputs: readonly string[], out: Writable, options: { withData: boolean; skipCorrupt: boolean }): Promise<ExportResult> {
  const write = async (value: unknown): Promise<void> => {
    if (!out.write(`${JSON.stringify(value)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const reader = await openTrace(inputs, { continueAfterCorruption: options.skipCorrupt });
  // A float32 payload as its length, plus its values with --with-data.
  const floats = (bytes: Uint8Array | null | undefined, field: string) => {
    if (!bytes || bytes.length === 0) return undefined;
    const values = readFloat32(bytes, field);
    return { length: values.length, ...(options.withData ? { data: Array.from(values) } : {}) };
  };
  let error: FisherdError | undefined;
  // After a record that does not decode (with skipCorrupt): the rest of its segment is skipped, as the reader does.
  let skipping: string | undefined;
  const undecodable = (e: { path: string; offset: number; frameLength: number }, message: string, kind: 'contribution' | 'update') => {
    reader.recordFailed(e, { status: 'undecodable', message }, kind); // throws TRACE_CORRUPT unless skipCorrupt
    skipping = e.path;
  };
  try {
    for await (const e of reader) {
      if (e.path === skipping) continue;
      const where = { path: e.path, offset: e.offset, recordedAtMs: e.recordedAtMs };
      if (e.kind === 'header') {
        await write({ record: 'header', ...where, ...headerReport(e.header, reader.segments.at(-1)?.config) });
      } else if (e.kind === 'end') {
        await write({ record: 'end', ...e.end, ...where });
      } else if (e.kind === 'contribution') {
        const c = decodeContribution(e.body);
        if (typeof c === 'string') {
          undecodable(e, c, 'contribution');
          continue;
        }
        await write({
          record: 'contribution', ...where, step: c.step, workerId: c.workerId, batchSize: c.batchSize,
          reduction: c.reduction === fisherd.v1.Reduction.REDUCTION_SUM ? 'sum' : 'mean',
          ...(c.loss === null || c.loss === undefined ? {} : { loss: c.loss }),
          perExampleGrads: floats(c.perExampleGrads, 'perExampleGrads'),
          sampledLabelGrads: c.sampledLabelGrads
            ? { samplesPerExample: c.sampledLabelGrads.samplesPerExample, ...floats(c.sampledLabelGrads.rows, 'sampledLabelGrads.rows') }
            : undefined,
          fisherFactorRows: c.fisherFactorRows
            ? { factorsPerExample: c.fisherFactorRows.factorsPerExample, ...floats(c.fisherFactorRows.rows, 'fisherFactorRows.rows') }
            : undefined,
          meanGrad: floats(c.meanGrad, 'meanGrad'),
          params: floats(c.params, 'params'),
          statistics: c.statistics.length === 0 ? undefined : c.statistics.map((entry, i) => {
            const k = entry.kronecker;
            if (k) {
              const encoding = k.encoding === 2 ? 'float16' : k.encoding === 3 ? 'bfloat16' : 'float32';
              const vector = (bytes: Uint8Array | null | undefined, name: string) => {
                if (!bytes || bytes.length === 0) return undefined;
                const values = decodeStatisticsVector(bytes, encoding, `statistics[${i}].kronecker.${name}`);
                return { length: values.length, ...(options.withData ? { data: Array.from(values) } : {}) };
              };
              const f = k.factors;
              return {
                block: entry.block, kind: 'kronecker', count: k.count, encoding, sum: vector(k.sum, 'sum'),
                ...(k.sumFactors ? {
                  sumFactors: {
                    rank: k.sumFactors.rank, outputGrads: vector(k.sumFactors.outputGrads, 'sumFactors.outputGrads'),
                    inputs: vector(k.sumFactors.inputs, 'sumFactors.inputs'),
                  },
                } : {}),
                factors: f ? {
                  inputSumPacked: vector(f.inputSum, 'factors.inputSum'), inputCount: f.inputCount,
                  ...(f.empirical ? { empirical: { sumPacked: vector(f.empirical.sum, 'factors.empirical.sum'), count: f.empirical.count } } : {}),
                  ...(f.sampled ? { sampled: { sumPacked: vector(f.sampled.sum, 'factors.sampled.sum'), count: f.sampled.count }, samplesPerExample: f.samplesPerExample } : {}),
                  ...(f.exact ? { exact: { sumPacked: vector(f.exact.sum, 'factors.exact.sum'), count: f.exact.count } } : {}),
                } : undefined,
              };
            }
            const m = entry.diagonal;
            if (!m) return { block: entry.block, kind: 'unknown' };
            const encoding = m.encoding === 2 ? 'float16' : m.encoding === 3 ? 'bfloat16' : 'float32';
            const vector = (bytes: Uint8Array | null | undefined, name: string) => {
              if (!bytes || bytes.length === 0) return undefined;
              const values = decodeStatisticsVector(bytes, encoding, `statistics[${i}].diagonal.${name}`);
              return { length: values.length, ...(options.withData ? { data: Array.from(values) } : {}) };
            };
            return {
              block: entry.block, kind: 'diagonal', count: m.count, encoding,
              sum: vector(m.sum, 'sum'), sumSquares: vector(m.sumSquares, 'sumSquares'), centredSquares: vector(m.centredSquares, 'centredSquares'),
              sampledLabelSquares: vector(m.sampledLabelSquares, 'sampledLabelSquares'),
              ...(m.sampledLabelSquares && m.sampledLabelSquares.length > 0 ? { samplesPerExample: m.samplesPerExample } : {}),
              factorSquares: vector(m.factorSquares, 'factorSquares'),
            };
          }),
        });
      } else {
        const u = decodeUpdate(e.body);
        if (typeof u === 'string') {
          undecodable(e, u, 'update');
          continue;
        }
        const diagnostics = u.diagnostics ? fisherd.v1.Diagnostics.toObject(fisherd.v1.Diagnostics.fromObject(u.diagnostics)) : undefined;
        await write({ record: 'update', ...where, sessionId: u.sessionId, step: u.step, diagnostics, delta: floats(u.delta, 'delta') });
      }
    }
  } catch (e) {
    if (!isFisherdError(e)) throw e;
    error = e;
  }
  for (const d of reader.damage) await write({ record: 'damage', ...d });
  if (error !== undefined) await write({ record: 'error', code: error.code, message: error.message });
  return { intact: reader.damage.length === 0 && error === undefined, damage: reader.damage, error };
}

/**
 * The documented `Diagnostics.values` keys (proto/fisherd.proto, docs/dashboard.md), in the order their
 * CSV columns come; keys a later daemon adds follow them alphabetically.
 */
export const DIAGNOSTIC_KEYS = ['gradNorm', 'stepSize', 'damping', 'cosineEfFisher', 'meanSnr', 'rho'] as const;

/** The CSV columns before the diagnostics' values. */
export const CSV_FIXED_COLUMNS = ['step', 'loss', 'batch_size', 'update_norm', 'compute_seconds'] as const;

/** A number as a CSV cell: shortest round-trip decimal; nan, inf, -inf (as Python and pandas read them); '' when absent. */
function csvNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

/** A text cell, quoted when it must be (RFC 4180). */
function csvText(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes the per-step scalars of the recorded updates as CSV (RFC 4180, `\n` line ends) into `out`: the
 * columns `CSV_FIXED_COLUMNS`, then one per diagnostics value that occurs in the trace (the documented
 * keys first, in `DIAGNOSTIC_KEYS` order, then others alphabetically), then `session_id` when the
 * inputs hold more than one session. A value a step does not have is an empty cell. The rows are
 * collected first (a few numbers per step) so that the columns are known before the header is written.
 * Damage and errors are returned, as by `exportJsonLines`; the rows read before an error are written.
 */
export async function exportCsv(inputs: readonly string[], out: Writable, options: { skipCorrupt: boolean }): Promise<ExportResult> {
  const reader = await openTrace(inputs, { continueAfterCorruption: options.skipCorrupt });
  interface Row { sessionId: string; step: number; d: fisherd.v1.IDiagnostics | null | undefined }
  const rows: Row[] = [];
  const keys = new Set<string>();
  const sessions = new Set<string>();
  let error: FisherdError | undefined;
  let skipping: string | undefined;
  try {
    for await (const e of reader) {
      if (e.path === skipping || e.kind !== 'update') continue;
      const u = decodeUpdate(e.body);
      if (typeof u === 'string') {
        reader.recordFailed(e, { status: 'undecodable', message: u }, 'update'); // throws TRACE_CORRUPT unless skipCorrupt
        skipping = e.path;
        continue;
      }
      for (const key of Object.keys(u.diagnostics?.values ?? {})) keys.add(key);
      sessions.add(u.sessionId);
      rows.push({ sessionId: u.sessionId, step: u.step, d: u.diagnostics });
    }
  } catch (e) {
    if (!isFisherdError(e)) throw e;
    error = e;
  }
  const known: readonly string[] = DIAGNOSTIC_KEYS;
  const valueKeys = [...known.filter((k) => keys.has(k)), ...[...keys].filter((k) => !known.includes(k)).sort()];
  const withSession = sessions.size > 1;
  const write = async (line: string): Promise<void> => {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  await write([...CSV_FIXED_COLUMNS, ...valueKeys, ...(withSession ? ['session_id'] : [])].map(csvText).join(','));
  for (const { sessionId, step, d } of rows) {
    const values = d?.values ?? {};
    await write([
      String(step), csvNumber(d?.loss), String(d?.batchSize ?? 0), csvNumber(d?.updateNorm ?? 0), csvNumber(d?.computeSeconds ?? 0),
      ...valueKeys.map((k) => csvNumber(values[k])),
      ...(withSession ? [csvText(sessionId)] : []),
    ].join(','));
  }
  return { intact: reader.damage.length === 0 && error === undefined, damage: reader.damage, error };
}

/** A damage finding on one line; corruption with its error code, as a reader that stops there reports it. */
function damageLine(d: TraceDamage): string {
  return `${d.kind}${d.kind === 'corrupt' ? ' (TRACE_CORRUPT)' : ''}: ${d.message}`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** The human-readable `trace inspect` report. */
export function formatSummary(s: TraceSummary): string {
  const lines: string[] = [];
  const first = s.segments.find((seg) => seg.header)?.header;
  if (first) {
    lines.push(`session      ${first.sessionId}`);
    if (!('error' in first.sessionConfig)) lines.push(`name         ${first.sessionConfig.name ?? '(unnamed)'}`);
    lines.push(`format       version ${first.formatVersion}, written by fisherd ${first.fisherdVersion} on ${first.createdAt}`);
    lines.push(`schema       ${first.schemaHash}${first.schemaMatches ? '' : '  (differs from this fisherd\'s schema)'}`);
    lines.push(`backend      ${first.backend || '(not recorded)'}`);
    const config = first.sessionConfig;
    if ('error' in config) {
      lines.push(`config       does not decode: ${config.error}`);
    } else {
      const structure = config.blocks ? `${config.blocks.length} blocks` : JSON.stringify(config.structure ?? { kind: 'diagonal' });
      lines.push(`config       D=${config.dim}, optimizer ${config.optimizer.name}, structure ${structure}, workers ${config.workers ?? 1}`);
    }
  }
  lines.push(`steps        ${s.steps ? `${s.steps.count} (${s.steps.first}…${s.steps.last})` : 'none'}, ${s.workers} worker(s)`);
  lines.push(`records      ${s.contributions} contributions (${formatBytes(s.contributionBytes)}), ${s.updates} updates (${formatBytes(s.updateBytes)})`);
  const inputs = Object.entries(s.inputs).filter(([, v]) => v.contributions > 0)
    .map(([k, v]) => `${k} ×${v.contributions}${k === 'meanGrad' || k === 'params' ? '' : ` (${v.rows} rows)`}`);
  lines.push(`kinds        ${s.kinds.join(', ') || 'none'}`);
  lines.push(`inputs       ${inputs.join(', ') || 'none'}`);
  if (s.statistics.contributions > 0) {
    lines.push(`statistics   ×${s.statistics.contributions} (${s.statistics.blocks} block entries, ${formatBytes(s.statistics.bytes)}, ${s.statistics.encodings.join(', ')})`);
  }
  lines.push(`segments     ${s.segments.length}`);
  for (const seg of s.segments) {
    const steps = seg.steps ? `steps ${seg.steps.first}…${seg.steps.last}` : 'no steps';
    lines.push(`  ${seg.path}: ${seg.records} records, ${steps}, ${formatBytes(seg.fileBytes)}${seg.closed ? '' : ', not closed'}`);
  }
  if (s.error) lines.push(`error        ${s.error.code}: ${s.error.message}`);
  lines.push(`damage       ${s.damage.length === 0 ? 'none' : `${s.damage.length}`}`);
  for (const d of s.damage) lines.push(`  ${d.kind}${d.kind === 'corrupt' ? ' (TRACE_CORRUPT)' : ''} at byte ${d.offset} of ${d.path}: ${d.message}`);
  return `${lines.join('\n')}\n`;
}
