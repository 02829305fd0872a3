/** Small traces for the trace tests, written by the real writer into a temporary directory. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { TraceWriter, type DurabilityPolicy, type TraceWriterOptions } from '../../src/trace/writer.js';
import { TraceReader, type TraceEntry, type TraceReaderOptions } from '../../src/trace/reader.js';

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fisherd-trace-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A recognisable payload: `length` bytes derived from `seed`. */
export function payload(seed: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) & 0xff);
}

/** A valid session config (readers check it as the daemon checks OpenSession): D = 3, sgd. */
export const SESSION_CONFIG: Uint8Array = new Uint8Array(fisherd.v1.SessionConfig.encode(
  sessionConfigToWire({ dim: 3, optimizer: { name: 'sgd', stepSize: 0.1 } })).finish()); // a plain array, as read back

export const HEADER = { sessionId: 'sess-1', sessionConfig: SESSION_CONFIG, backend: 'reference' };

/** Writes `steps` (contribution, update) pairs and closes; returns the written bodies in order. */
export async function writeTrace(dir: string, steps: number, options: {
  policy?: DurabilityPolicy; writer?: TraceWriterOptions; bodyBytes?: number; close?: boolean;
} = {}): Promise<{ kind: 'contribution' | 'update'; body: Uint8Array }[]> {
  const writer = await TraceWriter.open(dir, HEADER, options.policy ?? { sync: 'on-close' }, { now: () => 1_000, ...options.writer });
  const written: { kind: 'contribution' | 'update'; body: Uint8Array }[] = [];
  for (let s = 1; s <= steps; s++) {
    const c = payload(s, options.bodyBytes ?? 20);
    const u = payload(1000 + s, (options.bodyBytes ?? 20) >> 1);
    await writer.appendContribution(c);
    await writer.appendUpdate(u);
    written.push({ kind: 'contribution', body: c }, { kind: 'update', body: u });
  }
  if (options.close ?? true) await writer.close();
  return written;
}

/** Reads everything (copying bodies) and returns the entries with the reader (for its damage list). */
export async function readAll(paths: string[], options: TraceReaderOptions = {}): Promise<{ entries: TraceEntry[]; reader: TraceReader; error?: unknown }> {
  const reader = new TraceReader(paths, options);
  const entries: TraceEntry[] = [];
  try {
    for await (const entry of reader) {
      entries.push(entry.kind === 'contribution' || entry.kind === 'update' ? { ...entry, body: entry.body.slice() } : entry);
    }
  } catch (error) {
    return { entries, reader, error };
  }
  return { entries, reader };
}
