/**
 * `replay --export-updates DIR`: the replayed updates of every rule as NumPy `.npy` files (float32,
 * little-endian, shape (steps, D), row i the Δθ of the i-th step the rule completed, byte for byte as the
 * replay computed it) with a CSV of the per-step scalars beside each (`row` = its row in the .npy), and
 * `index.json` naming the files, the shapes and the digests (docs/trace-format.md, "Exported updates").
 *
 *   DIR/<rule>.npy   DIR/<rule>.csv   DIR/index.json
 *
 * A .npy file's shape is known only at the end: its header is written with a 0 first and rewritten in
 * place, to the same length, when the export closes (an export cut short reads as having no rows).
 * `numpy.load('ngd.npy')` or `np.memmap` reads it; so does any reader of the NPY format 1.0.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { FisherdError } from '../errors.js';
import type { OptimizerName } from '../optim/spec.js';
import { float32Bytes } from '../protocol/floats.js';
import { csvLine, STEP_COLUMNS, type ReplayStepRow } from './what-if.js';

/** The header length of the .npy files written here (magic to newline; the data starts there, 64-byte aligned). */
export const NPY_HEADER_BYTES = 128;

/** The NPY 1.0 header of a C-order little-endian float32 array of `shape`, padded to `NPY_HEADER_BYTES`. */
export function npyHeader(shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const length = NPY_HEADER_BYTES - 10; // magic (6), version (2), header length (2)
  if (dict.length + 1 > length) throw new FisherdError('INTERNAL', `an npy header for shape (${dims}) does not fit in ${NPY_HEADER_BYTES} bytes`, { field: 'shape' });
  const bytes = new Uint8Array(NPY_HEADER_BYTES);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, length & 0xff, length >> 8]); // \x93NUMPY 1.0 HEADER_LEN
  const text = `${dict.padEnd(length - 1, ' ')}\n`;
  for (let i = 0; i < text.length; i++) bytes[10 + i] = text.charCodeAt(i);
  return bytes;
}

/** What `index.json` says of one rule's files. */
export interface ExportedRule {
  optimizer: OptimizerName;
  updates: string;
  scalars: string;
  /** Rows in the .npy (steps the rule completed). */
  rows: number;
  /** sha256 of the .npy's data (all rows): equals the replay's `updateDigest` of the rule. */
  digest: string;
}

export interface ExportIndex {
  format: 'fisherd-replay-updates/1';
  sessionId: string | undefined;
  dtype: 'float32';
  byteOrder: 'little';
  dim: number | undefined;
  rules: ExportedRule[];
}

const BUFFER_BYTES = 1 << 20;

interface RuleFiles {
  optimizer: OptimizerName;
  npy: FileHandle;
  csv: FileHandle;
  rows: number;
  digest: Hash;
  chunks: Uint8Array[];
  buffered: number;
  csvText: string;
  position: number;
}

const CSV_COLUMNS = ['row', ...STEP_COLUMNS] as const;

/** Writes the rows `replayTrace` hands to `onRows` into DIR (see the top of this file). */
export class UpdateExport {
  private dim: number | undefined;
  private closed = false;

  private constructor(readonly dir: string, private readonly files: Map<OptimizerName, RuleFiles>) {}

  /** Creates (or truncates) DIR/<rule>.npy and DIR/<rule>.csv for every rule; DIR must exist. */
  static async open(dir: string, optimizers: readonly OptimizerName[]): Promise<UpdateExport> {
    const files = new Map<OptimizerName, RuleFiles>();
    try {
      for (const optimizer of optimizers) {
        const npy = await open(join(dir, `${optimizer}.npy`), 'w');
        const rule: RuleFiles = { optimizer, npy, csv: npy, rows: 0, digest: createHash('sha256'), chunks: [], buffered: 0, csvText: '', position: NPY_HEADER_BYTES };
        files.set(optimizer, rule);
        rule.csv = await open(join(dir, `${optimizer}.csv`), 'w');
        await npy.write(npyHeader([0, 0]), 0, NPY_HEADER_BYTES, 0);
        rule.csvText = `${CSV_COLUMNS.join(',')}\n`;
      }
    } catch (e) {
      for (const f of files.values()) await closeQuietly(f);
      throw e;
    }
    return new UpdateExport(dir, files);
  }

  /** Appends one step's rows (one per rule that completed it). */
  async write(rows: readonly ReplayStepRow[]): Promise<void> {
    for (const row of rows) {
      const f = this.files.get(row.optimizer);
      if (f === undefined) continue;
      this.dim ??= row.update.length;
      if (row.update.length !== this.dim) {
        throw new FisherdError('INTERNAL', `step ${row.step} of ${row.optimizer} has ${row.update.length} values, not D = ${this.dim}`, { field: 'update', step: row.step });
      }
      const bytes = float32Bytes(row.update);
      f.digest.update(bytes);
      f.chunks.push(bytes);
      f.buffered += bytes.byteLength;
      f.csvText += `${f.rows},${csvLine(row)}\n`;
      f.rows++;
      if (f.buffered + f.csvText.length >= BUFFER_BYTES) await flush(f);
    }
  }

  /** Flushes, writes the final .npy headers and index.json, closes the files; returns the index. */
  async close(sessionId: string | undefined): Promise<ExportIndex> {
    if (this.closed) throw new FisherdError('INTERNAL', 'the update export is closed already', { field: 'export' });
    this.closed = true;
    const rules: ExportedRule[] = [];
    try {
      for (const f of this.files.values()) {
        await flush(f);
        await f.npy.write(npyHeader([f.rows, this.dim ?? 0]), 0, NPY_HEADER_BYTES, 0);
        rules.push({ optimizer: f.optimizer, updates: `${f.optimizer}.npy`, scalars: `${f.optimizer}.csv`, rows: f.rows, digest: `sha256:${f.digest.digest('hex')}` });
      }
    } finally {
      for (const f of this.files.values()) await closeQuietly(f);
    }
    const index: ExportIndex = { format: 'fisherd-replay-updates/1', sessionId, dtype: 'float32', byteOrder: 'little', dim: this.dim, rules };
    await writeFile(join(this.dir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    return index;
  }

  /** Closes the files without finishing them (after a failed replay). */
  async abandon(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const f of this.files.values()) await closeQuietly(f);
  }
}

async function flush(f: RuleFiles): Promise<void> {
  if (f.chunks.length > 0) {
    const data = Buffer.concat(f.chunks, f.buffered);
    for (let done = 0; done < data.byteLength;) {
      const { bytesWritten } = await f.npy.write(data, done, data.byteLength - done, f.position + done);
      done += bytesWritten;
    }
    f.position += f.buffered;
    f.chunks = [];
    f.buffered = 0;
  }
  if (f.csvText.length > 0) {
    await f.csv.write(f.csvText);
    f.csvText = '';
  }
}

async function closeQuietly(f: RuleFiles): Promise<void> {
  await f.npy.close().catch(() => undefined);
  if (f.csv !== f.npy) await f.csv.close().catch(() => undefined);
}
