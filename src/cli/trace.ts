/**
 * `fisherd trace inspect|verify|export`: look into recorded gradient traces (docs/trace-format.md).
 *
 *   fisherd trace inspect TRACE... [--json]      header, steps, dims, sizes, damage found
 *   fisherd trace verify TRACE... [--quiet]      exit 0 when intact, 1 when damaged or unreadable
 *   fisherd trace export TRACE... --json [--with-data] [--out FILE]
 *                                                one JSON object per record (JSON Lines), for scripts
 *
 * TRACE is a segment file, a session's trace directory, or a record directory (all sessions in it).
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { isFisherdError } from '../errors.js';
import { readFloat32 } from '../protocol/floats.js';
import { decodeStatisticsVector } from '../protocol/statistics-codec.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import { openTrace } from '../trace/reader.js';
import { headerReport, summarizeTrace, type TraceSummary } from '../trace/summary.js';

/** Registers `trace` and its subcommands on the program. */
export function registerTraceCommands(program: Command): Command {
  const trace = program.command('trace').description('inspect, verify and export recorded gradient traces');

  trace.command('inspect')
    .description('show headers, steps, dimensions, sizes and any damage')
    .argument('<trace...>', 'segment files, trace directories or a record directory')
    .option('--json', 'print the summary as JSON')
    .action(async (inputs: string[], opts: { json?: boolean }) => {
      const summary = await summarizeTrace(inputs);
      process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
      if (!summary.intact) process.exitCode = 1;
    });

  trace.command('verify')
    .description('check every record; exit code 0 when the trace is intact, 1 when not')
    .argument('<trace...>', 'segment files, trace directories or a record directory')
    .option('-q, --quiet', 'print nothing, only set the exit code')
    .action(async (inputs: string[], opts: { quiet?: boolean }) => {
      const summary = await summarizeTrace(inputs);
      if (!opts.quiet) {
        const records = summary.segments.reduce((n, s) => n + s.records, 0);
        if (summary.intact) {
          process.stdout.write(`intact: ${summary.segments.length} segment(s), ${records} records, ${summary.steps?.count ?? 0} steps\n`);
        } else {
          process.stdout.write(`damaged: ${summary.segments.length} segment(s), ${records} intact records\n`);
          for (const d of summary.damage) process.stdout.write(`  ${d.kind}: ${d.message}\n`);
          if (summary.error) process.stdout.write(`  ${summary.error.code}: ${summary.error.message}\n`);
        }
      }
      process.exitCode = summary.intact ? 0 : 1;
    });

  trace.command('export')
    .description('write every record as one JSON object per line (JSON Lines)')
    .argument('<trace...>', 'segment files, trace directories or a record directory')
    .option('--json', 'JSON Lines output (the only format; required so that scripts say what they expect)')
    .option('--with-data', 'include the float arrays (gradients, updates); large')
    .option('--skip-corrupt', 'after a corrupt record, go on with the next segment')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (inputs: string[], opts: { json?: boolean; withData?: boolean; skipCorrupt?: boolean; out?: string }) => {
      if (!opts.json) {
        process.stderr.write('trace export: choose a format: --json\n');
        process.exitCode = 2;
        return;
      }
      const out: Writable = opts.out ? createWriteStream(opts.out) : process.stdout;
      const ok = await exportJsonLines(inputs, out, { withData: opts.withData ?? false, skipCorrupt: opts.skipCorrupt ?? false });
      if (opts.out) await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      if (!ok) process.exitCode = 1;
    });

  return trace;
}

/** Streams the records as JSON Lines into `out` (respecting backpressure); returns whether the trace was intact. */
export async function exportJsonLines(inputs: readonly string[], out: Writable, options: { withData: boolean; skipCorrupt: boolean }): Promise<boolean> {
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
  let error: unknown;
  try {
    for await (const e of reader) {
      const where = { path: e.path, offset: e.offset, recordedAtMs: e.recordedAtMs };
      if (e.kind === 'header') {
        await write({ record: 'header', ...where, ...headerReport(e.header) });
      } else if (e.kind === 'end') {
        await write({ record: 'end', ...e.end, ...where });
      } else if (e.kind === 'contribution') {
        const c = fisherd.v1.StepContribution.decode(e.body);
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
        const u = fisherd.v1.Update.decode(e.body);
        const diagnostics = u.diagnostics ? fisherd.v1.Diagnostics.toObject(fisherd.v1.Diagnostics.fromObject(u.diagnostics)) : undefined;
        await write({ record: 'update', ...where, sessionId: u.sessionId, step: u.step, diagnostics, delta: floats(u.delta, 'delta') });
      }
    }
  } catch (e) {
    if (!isFisherdError(e)) throw e;
    error = e;
  }
  for (const d of reader.damage) await write({ record: 'damage', ...d });
  if (error !== undefined && isFisherdError(error)) await write({ record: 'error', code: error.code, message: error.message });
  return reader.damage.length === 0 && error === undefined;
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
  for (const d of s.damage) lines.push(`  ${d.kind} at byte ${d.offset} of ${d.path}: ${d.message}`);
  return `${lines.join('\n')}\n`;
}
