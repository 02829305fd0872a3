/**
 * Where a trace lives on disk: one directory per session (`RECORD_DIR/SESSION_ID/`) holding append-only
 * segment files `trace-000001.fdt`, `trace-000002.fdt`, ... in the order they were written.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** File name extension of a trace segment ("fisherd trace"). */
export const SEGMENT_EXTENSION = '.fdt';
const SEGMENT_NAME = /^trace-(\d{6,})\.fdt$/;

/** The file name of segment `index` (1-based). */
export function segmentFileName(index: number): string {
  return `trace-${String(index).padStart(6, '0')}${SEGMENT_EXTENSION}`;
}

/** The segment index a file name encodes, or undefined for other files. */
export function segmentIndexOf(fileName: string): number | undefined {
  const match = SEGMENT_NAME.exec(fileName);
  return match ? Number(match[1]) : undefined;
}

/** The directory of one session's trace under a `--record-dir`. */
export function sessionTraceDir(recordDir: string, sessionId: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(sessionId) || sessionId === '.' || sessionId === '..') {
    throw new RangeError(`session id ${JSON.stringify(sessionId)} is not usable as a directory name`);
  }
  return join(recordDir, sessionId);
}

/** The segment files of a trace directory, in index order. */
export async function listSegments(dir: string): Promise<{ index: number; path: string }[]> {
  const names = await readdir(dir);
  return names
    .map((name) => ({ index: segmentIndexOf(name), path: join(dir, name) }))
    .filter((s): s is { index: number; path: string } => s.index !== undefined)
    .sort((a, b) => a.index - b.index);
}

/**
 * Expands command-line trace arguments into segment files: a directory stands for its segments in order
 * (a `--record-dir` with one sub-directory per session is expanded one level down), a file for itself.
 */
export async function resolveTracePaths(inputs: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const input of inputs) {
    const info = await stat(input);
    if (!info.isDirectory()) {
      paths.push(input);
      continue;
    }
    const segments = await listSegments(input);
    if (segments.length > 0) {
      paths.push(...segments.map((s) => s.path));
      continue;
    }
    const children = (await readdir(input, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    for (const child of children) paths.push(...(await listSegments(join(input, child))).map((s) => s.path));
  }
  return paths;
}

/** The segments of `inputs` with their sizes, for progress: where each starts in the concatenated trace. */
export async function traceByteLayout(inputs: readonly string[]): Promise<{ totalBytes: number; startOf: Map<string, number> }> {
  const paths = await resolveTracePaths(inputs);
  const startOf = new Map<string, number>();
  let totalBytes = 0;
  for (const path of paths) {
    startOf.set(path, totalBytes);
    totalBytes += (await stat(path)).size;
  }
  return { totalBytes, startOf };
}
