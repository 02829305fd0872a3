/**
 * What a trace holds, for `fisherd trace inspect` and `trace verify`: one streaming pass over every
 * segment that reads the headers, counts records, steps and workers, notes which inputs the
 * contributions carry, and lists all damage (it reads past corruption into the next segment).
 */
import { isFisherdError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';
import { fisherd } from '../protocol/generated/fisherd.js';
import type { SessionConfig } from '../session/config.js';
import { decodeUpdate } from './contribution-record.js';
import { checkSessionConfig, type CheckedSessionConfig } from './header-check.js';
import { openTrace, type TraceDamage } from './reader.js';
import type { TraceHeader } from './record-codec.js';
import { schemaHash } from './schema-hash.js';

export type ContributionKind = 'rows' | 'diagonal statistics' | 'kronecker statistics';

const ENCODING_NAMES: Record<number, string> = { 0: 'float32', 1: 'float32', 2: 'float16', 3: 'bfloat16' };

/** A header in JSON-friendly form, its session config decoded. */
export interface HeaderReport {
  formatVersion: number;
  schemaHash: string;
  /** False when the writer's schema differs from this fisherd's (payloads may decode differently). */
  schemaMatches: boolean;
  fisherdVersion: string;
  sessionId: string;
  segmentIndex: number;
  createdAt: string;
  backend: string;
  sessionConfig: SessionConfig | { error: string };
}

export interface SegmentReport {
  path: string;
  header: HeaderReport | undefined;
  records: number;
  contributions: number;
  updates: number;
  /** Bytes of intact records / of the file. */
  bytes: number;
  fileBytes: number;
  /** The segment ends with an end record. */
  closed: boolean;
  /** First and last step of its contributions. */
  steps: { first: number; last: number } | undefined;
}

export interface TraceSummary {
  segments: SegmentReport[];
  /** Distinct steps among all contributions, and their range. */
  steps: { count: number; first: number; last: number } | undefined;
  contributions: number;
  updates: number;
  /** Largest worker id + 1 seen. */
  workers: number;
  /** D, from the first header's session config. */
  dim: number | undefined;
  /** Bytes of the contribution / update messages (without envelope and framing). */
  contributionBytes: number;
  updateBytes: number;
  /** How many contributions carry each kind of input, and its total size (rows of D floats). */
  inputs: Record<'perExampleGrads' | 'sampledLabelGrads' | 'fisherFactorRows' | 'meanGrad' | 'params', { contributions: number; bytes: number; rows: number | undefined }>;
  /**
   * The kinds of contribution the trace holds: 'rows' (per-example, sampled-label or factor rows, or ḡ
   * alone), 'diagonal statistics' (proto `DiagonalMoments`) and 'kronecker statistics' (proto
   * `KroneckerStatistics`; a contribution mixing both counts as each), in the order first seen.
   */
  kinds: ContributionKind[];
  /** Contributions that send statistics, their payload bytes, block entries and vector encodings seen. */
  statistics: { contributions: number; bytes: number; blocks: number; encodings: string[] };
  damage: TraceDamage[];
  /** Why reading stopped early (an unknown format version, a file that is not a trace). */
  error: { code: ErrorCode; message: string } | undefined;
  /** No damage and no error. */
  intact: boolean;
}

/** A header for people and scripts; `checked`: its config as the reader checked it (else it is checked here). */
export function headerReport(header: TraceHeader, checked?: CheckedSessionConfig): HeaderReport {
  let sessionConfig: HeaderReport['sessionConfig'];
  try {
    sessionConfig = (checked ?? checkSessionConfig(header.sessionConfig)).config;
  } catch (e) {
    sessionConfig = { error: e instanceof Error ? e.message : String(e) };
  }
  const created = new Date(header.createdAtMs);
  return {
    formatVersion: header.formatVersion,
    schemaHash: header.schemaHash,
    schemaMatches: header.schemaHash === schemaHash(),
    fisherdVersion: header.fisherdVersion,
    sessionId: header.sessionId,
    segmentIndex: header.segmentIndex,
    createdAt: Number.isNaN(created.getTime()) ? `(not a date: ${header.createdAtMs} ms)` : created.toISOString(),
    backend: header.backend,
    sessionConfig,
  };
}

/** Reads the whole trace once, in constant memory. Never throws for damage: it is in the summary. */
export async function summarizeTrace(inputs: readonly string[], options: { logger?: Logger } = {}): Promise<TraceSummary> {
  const reader = await openTrace(inputs, { continueAfterCorruption: true, ...(options.logger ? { logger: options.logger } : {}) });
  const inputKinds = () => ({ contributions: 0, bytes: 0, rows: undefined });
  const summary: TraceSummary = {
    segments: [], steps: undefined, contributions: 0, updates: 0, workers: 0, dim: undefined,
    contributionBytes: 0, updateBytes: 0, kinds: [], statistics: { contributions: 0, bytes: 0, blocks: 0, encodings: [] },
    inputs: { perExampleGrads: inputKinds(), sampledLabelGrads: inputKinds(), fisherFactorRows: inputKinds(), meanGrad: inputKinds(), params: inputKinds() },
    damage: reader.damage, error: undefined, intact: false,
  };
  const steps = new Set<number>();
  const segmentSteps = new Map<string, { first: number; last: number }>();
  try {
    for await (const entry of reader) {
      if (entry.kind === 'header') {
        // The reader checked the header (its config among the rest) before handing it on.
        summary.dim ??= reader.segments.at(-1)?.config?.config.dim;
      } else if (entry.kind === 'contribution') {
        summary.contributions++;
        summary.contributionBytes += entry.body.length;
        let c: fisherd.v1.StepContribution;
        try {
          c = fisherd.v1.StepContribution.decode(entry.body);
        } catch (e) {
          summary.damage.push({ kind: 'corrupt', path: entry.path, offset: entry.offset,
            message: `contribution at byte ${entry.offset} of ${entry.path} does not decode: ${e instanceof Error ? e.message : String(e)}` });
          continue;
        }
        steps.add(c.step);
        const range = segmentSteps.get(entry.path);
        segmentSteps.set(entry.path, range ? { first: Math.min(range.first, c.step), last: Math.max(range.last, c.step) } : { first: c.step, last: c.step });
        summary.workers = Math.max(summary.workers, c.workerId + 1);
        const note = (kind: keyof TraceSummary['inputs'], bytes: Uint8Array | null | undefined) => {
          if (!bytes || bytes.length === 0) return;
          summary.inputs[kind].contributions++;
          summary.inputs[kind].bytes += bytes.length;
        };
        note('perExampleGrads', c.perExampleGrads);
        note('sampledLabelGrads', c.sampledLabelGrads?.rows);
        note('fisherFactorRows', c.fisherFactorRows?.rows);
        note('meanGrad', c.meanGrad);
        note('params', c.params);
        const kinds: ContributionKind[] = c.statistics.length === 0 ? ['rows'] : [
          ...(c.statistics.some((e) => e.diagonal) ? ['diagonal statistics' as const] : []),
          ...(c.statistics.some((e) => e.kronecker) ? ['kronecker statistics' as const] : []),
        ];
        for (const kind of kinds) if (!summary.kinds.includes(kind)) summary.kinds.push(kind);
        if (c.statistics.length > 0) {
          summary.statistics.contributions++;
          summary.statistics.blocks += c.statistics.length;
          for (const entry of c.statistics) {
            const k = entry.kronecker;
            if (k) {
              const f = k.factors;
              for (const v of [k.sum, k.sumFactors?.outputGrads, k.sumFactors?.inputs, f?.inputSum, f?.empirical?.sum, f?.sampled?.sum, f?.exact?.sum, f?.eigenbasisSquares]) summary.statistics.bytes += v?.length ?? 0;
              const encoding = ENCODING_NAMES[k.encoding ?? 0] ?? `unknown (${String(k.encoding)})`;
              if (!summary.statistics.encodings.includes(encoding)) summary.statistics.encodings.push(encoding);
              continue;
            }
            const m = entry.diagonal;
            if (!m) continue;
            for (const v of [m.sum, m.sumSquares, m.centredSquares, m.sampledLabelSquares, m.factorSquares]) summary.statistics.bytes += v?.length ?? 0;
            const encoding = ENCODING_NAMES[m.encoding ?? 0] ?? `unknown (${String(m.encoding)})`;
            if (!summary.statistics.encodings.includes(encoding)) summary.statistics.encodings.push(encoding);
          }
        }
      } else if (entry.kind === 'update') {
        summary.updates++;
        summary.updateBytes += entry.body.length;
        // Replay decodes the recorded updates it compares: one that does not decode is corruption there, so here too.
        const u = decodeUpdate(entry.body);
        if (typeof u === 'string') summary.damage.push({ kind: 'corrupt', path: entry.path, offset: entry.offset, message: `${u} (record at byte ${entry.offset} of ${entry.path})` });
      }
    }
  } catch (e) {
    if (!isFisherdError(e)) throw e;
    summary.error = { code: e.code, message: e.message };
  }
  summary.segments = reader.segments.map((s) => ({
    path: s.path,
    header: s.header ? headerReport(s.header, s.config) : undefined,
    records: s.records,
    contributions: s.contributions,
    updates: s.updates,
    bytes: s.bytes,
    fileBytes: s.fileBytes,
    closed: s.end !== undefined,
    steps: segmentSteps.get(s.path),
  }));
  if (steps.size > 0) {
    let first = Infinity;
    let last = -Infinity;
    for (const s of steps) {
      first = Math.min(first, s);
      last = Math.max(last, s);
    }
    summary.steps = { count: steps.size, first, last };
  }
  if (summary.dim !== undefined) {
    for (const input of Object.values(summary.inputs)) input.rows = input.bytes / (4 * summary.dim); // float32 rows of D
  }
  summary.intact = summary.damage.length === 0 && summary.error === undefined;
  return summary;
}
