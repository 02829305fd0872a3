import { open, readFile, stat, truncate, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { encodeFrame } from '../../src/trace/framing.js';
import { openTrace } from '../../src/trace/reader.js';
import { encodeRecord, TRACE_MAGIC } from '../../src/trace/record-codec.js';
import { schemaHash } from '../../src/trace/schema-hash.js';
import { listSegments, segmentFileName } from '../../src/trace/segment-files.js';
import { TraceWriter, type DurabilityPolicy } from '../../src/trace/writer.js';
import { FISHERD_VERSION } from '../../src/version.js';
import { HEADER, payload, readAll, withTempDir, writeTrace } from './fixtures.js';

describe('TraceWriter + TraceReader', () => {
  it('round-trips contributions and updates, with header and end records', () => withTempDir(async (dir) => {
    const written = await writeTrace(dir, 5);
    const segments = await listSegments(dir);
    expect(segments.map((s) => s.index)).toEqual([1]);
    const { entries, reader, error } = await readAll(segments.map((s) => s.path));
    expect(error).toBeUndefined();
    expect(reader.damage).toEqual([]);
    expect(entries[0]).toMatchObject({
      kind: 'header',
      header: { magic: TRACE_MAGIC, formatVersion: 1, schemaHash: schemaHash(), fisherdVersion: FISHERD_VERSION,
        sessionId: 'sess-1', sessionConfig: HEADER.sessionConfig, createdAtMs: 1_000, segmentIndex: 1, backend: 'reference' },
    });
    const body = entries.slice(1, -1).map((e) => (e.kind === 'contribution' || e.kind === 'update' ? { kind: e.kind, body: e.body } : e));
    expect(body).toEqual(written);
    expect(entries.at(-1)).toMatchObject({ kind: 'end', end: { records: 11, continued: false, recovered: false } });
    expect(reader.segments[0]).toMatchObject({ records: 12, contributions: 5, updates: 5 });
    expect(reader.segments[0]!.bytes).toBe((await stat(segments[0]!.path)).size);
  }));

  it('rotates segments by size and reads them back in order as one stream', () => withTempDir(async (dir) => {
    const written = await writeTrace(dir, 40, { bodyBytes: 200, writer: { maxSegmentBytes: 2048 } });
    const segments = await listSegments(dir);
    expect(segments.length).toBeGreaterThan(3);
    for (const s of segments) expect((await stat(s.path)).size).toBeLessThanOrEqual(2048 + 64);
    const reader = await openTrace([dir]);
    const bodies: { kind: string; body: Uint8Array }[] = [];
    const headers: number[] = [];
    for await (const e of reader) {
      if (e.kind === 'header') headers.push(e.header.segmentIndex);
      else if (e.kind === 'contribution' || e.kind === 'update') bodies.push({ kind: e.kind, body: e.body.slice() });
    }
    expect(bodies).toEqual(written);
    expect(headers).toEqual(segments.map((s) => s.index));
    expect(reader.damage).toEqual([]);
    expect(reader.segments.slice(0, -1).every((s) => s.end?.continued === true)).toBe(true);
    expect(reader.segments.at(-1)!.end?.continued).toBe(false);
  }));

  it('reads with a chunk smaller than a record (records straddle reads) and grows only to the largest record', () => withTempDir(async (dir) => {
    const written = await writeTrace(dir, 6, { bodyBytes: 700 });
    const { entries, reader } = await readAll((await listSegments(dir)).map((s) => s.path), { chunkBytes: 64 });
    expect(entries.filter((e) => e.kind === 'contribution' || e.kind === 'update').map((e) => (e as { body: Uint8Array }).body))
      .toEqual(written.map((w) => w.body));
    expect(reader.bufferBytes).toBeLessThan(1024);
  }));

  it('syncs as the durability policy says', () => withTempDir(async (dir) => {
    const syncsFor = async (sub: string, policy: DurabilityPolicy) => {
      const writer = await TraceWriter.open(join(dir, sub), HEADER, policy);
      const afterOpen = writer.stats.syncs;
      for (let i = 0; i < 10; i++) await writer.appendContribution(payload(i, 10));
      const beforeClose = writer.stats.syncs - afterOpen;
      await writer.close();
      return beforeClose;
    };
    expect(await syncsFor('every', { sync: 'every-record' })).toBe(10);
    expect(await syncsFor('four', { sync: 'periodic', everyRecords: 4 })).toBe(2);
    expect(await syncsFor('close', { sync: 'on-close' })).toBe(0);
    const timed = await TraceWriter.open(join(dir, 'timed'), HEADER, { sync: 'periodic', everyMs: 20 });
    const base = timed.stats.syncs;
    await timed.appendContribution(payload(1, 10));
    expect(timed.stats.syncs).toBe(base);
    await new Promise((r) => setTimeout(r, 120));
    expect(timed.stats.syncs).toBe(base + 1);
    await timed.close();
  }));

  it('writes concurrent appends in call order and group-commits them', () => withTempDir(async (dir) => {
    const writer = await TraceWriter.open(dir, HEADER, { sync: 'every-record' });
    const base = writer.stats.syncs;
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.appendContribution(payload(i, 5 + i))));
    expect(writer.stats.syncs - base).toBeLessThan(20);
    await writer.close();
    const { entries } = await readAll((await listSegments(dir)).map((s) => s.path));
    expect(entries.filter((e) => e.kind === 'contribution').map((e) => (e as { body: Uint8Array }).body))
      .toEqual(Array.from({ length: 20 }, (_, i) => payload(i, 5 + i)));
    await expect(writer.appendUpdate(payload(0, 1))).rejects.toThrow(/closed/);
  }));

  it('rejects a periodic policy without a period', async () => {
    await expect(TraceWriter.open('/nonexistent', HEADER, { sync: 'periodic' })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

describe('recovery on open', () => {
  it('truncates a torn tail to the last good record, closes the segment and goes on in a new one', () => withTempDir(async (dir) => {
    const written = await writeTrace(dir, 3, { close: false });
    const first = join(dir, segmentFileName(1));
    const intact = (await stat(first)).size;
    await appendFile(first, encodeFrame(payload(9, 40)).subarray(0, 30)); // a record cut short by a crash
    const writer = await TraceWriter.open(dir, HEADER, { sync: 'every-record' });
    await writer.appendContribution(payload(77, 8));
    await writer.close();

    const segments = await listSegments(dir);
    expect(segments.map((s) => s.index)).toEqual([1, 2]);
    const { entries, reader } = await readAll(segments.map((s) => s.path));
    expect(reader.damage).toEqual([]);
    expect(reader.segments[0]!.end).toEqual({ records: 7, continued: true, recovered: true });
    expect(reader.segments[0]!.bytes).toBeGreaterThan(intact); // intact part + the end record
    const bodies = entries.filter((e) => e.kind === 'contribution' || e.kind === 'update').map((e) => (e as { body: Uint8Array }).body);
    expect(bodies).toEqual([...written.map((w) => w.body), payload(77, 8)]);
  }));

  it('truncates a zero-filled tail (what a crash can leave after the file size was extended)', () => withTempDir(async (dir) => {
    await writeTrace(dir, 2, { close: false });
    const first = join(dir, segmentFileName(1));
    await appendFile(first, new Uint8Array(100));
    await (await TraceWriter.open(dir, HEADER)).close();
    const { reader } = await readAll((await listSegments(dir)).map((s) => s.path));
    expect(reader.damage).toEqual([]);
    expect(reader.segments[0]!.end?.recovered).toBe(true);
  }));

  it('leaves a segment that is corrupt in the middle as it is', () => withTempDir(async (dir) => {
    await writeTrace(dir, 3, { close: false });
    const first = join(dir, segmentFileName(1));
    const bytes = await readFile(first);
    const headerFrameEnd = bytes.readUInt32LE(0) + 16;
    bytes[headerFrameEnd + 14] ^= 0x04; // inside the first contribution's payload
    await writeFile(first, bytes);
    const writer = await TraceWriter.open(dir, HEADER);
    await writer.close();
    expect(await readFile(first)).toEqual(bytes);
    expect((await listSegments(dir)).length).toBe(2);
  }));
});

describe('reader refusals', () => {
  it('refuses an unknown format version with TRACE_VERSION and a clear message', () => withTempDir(async (dir) => {
    const path = join(dir, segmentFileName(1));
    const header = { magic: TRACE_MAGIC, formatVersion: 2, schemaHash: '', fisherdVersion: '9.0.0', sessionId: 's',
      sessionConfig: new Uint8Array(0), createdAtMs: 1, segmentIndex: 1, backend: '' };
    await writeFile(path, encodeFrame(encodeRecord({ kind: 'header', header, recordedAtMs: 1 })));
    const { error } = await readAll([path], { continueAfterCorruption: true });
    expect(isFisherdError(error, 'TRACE_VERSION')).toBe(true);
    expect((error as Error).message).toMatch(/format version 2, written by fisherd 9\.0\.0; this fisherd reads version 1 only: upgrade fisherd/);
  }));

  it('refuses a TFRecord file that is not a fisherd trace', () => withTempDir(async (dir) => {
    const path = join(dir, 'other.tfrecord');
    await writeFile(path, encodeFrame(new TextEncoder().encode('\x0a\x03abc')));
    const { error } = await readAll([path]);
    expect(isFisherdError(error, 'TRACE_CORRUPT')).toBe(true);
    expect((error as Error).message).toMatch(/not a fisherd trace/);
  }));

  it('reports a CRC mismatch in the middle with its offset, and goes on with the next segment only if asked', () => withTempDir(async (dir) => {
    await writeTrace(dir, 30, { bodyBytes: 100, writer: { maxSegmentBytes: 2048 } });
    const segments = (await listSegments(dir)).map((s) => s.path);
    expect(segments.length).toBeGreaterThanOrEqual(3);
    const bytes = await readFile(segments[0]!);
    const headerFrameEnd = bytes.readUInt32LE(0) + 16;
    const secondFrame = headerFrameEnd + bytes.readUInt32LE(headerFrameEnd) + 16;
    bytes[secondFrame + 20] ^= 0x01;
    await writeFile(segments[0]!, bytes);

    const strict = await readAll(segments);
    expect(isFisherdError(strict.error, 'TRACE_CORRUPT')).toBe(true);
    expect((strict.error as Error).message).toContain(`CRC mismatch in the record at byte ${secondFrame}`);
    expect(strict.entries.length).toBe(2); // header + the first contribution, then stop

    const lenient = await readAll(segments, { continueAfterCorruption: true });
    expect(lenient.error).toBeUndefined();
    expect(lenient.reader.damage).toMatchObject([{ kind: 'corrupt', path: segments[0], offset: secondFrame }]);
    expect(lenient.reader.segments.length).toBe(segments.length);
    expect(lenient.entries.filter((e) => e.kind === 'header').length).toBe(segments.length);
  }));

  it('counts a torn tail, reports a missing end record and a missing segment', () => withTempDir(async (dir) => {
    await writeTrace(dir, 30, { bodyBytes: 100, writer: { maxSegmentBytes: 2048 } });
    const segments = (await listSegments(dir)).map((s) => s.path);
    const last = segments.at(-1)!;
    await truncate(last, (await stat(last)).size - 3);
    const torn = await readAll(segments);
    expect(torn.error).toBeUndefined();
    expect(torn.reader.tornTails).toBe(1);
    expect(torn.reader.damage.map((d) => d.kind)).toEqual(['torn-tail']);

    const gap = await readAll([segments[0]!, ...segments.slice(2)]);
    expect(gap.reader.damage.map((d) => d.kind)).toContain('missing-segment');
    const headOnly = await readAll([segments[0]!]);
    expect(headOnly.reader.damage.map((d) => d.kind)).toEqual(['missing-segment']);
  }));

  it('says a trace still being written is unterminated', () => withTempDir(async (dir) => {
    const writer = await TraceWriter.open(dir, HEADER, { sync: 'every-record' });
    await writer.appendContribution(payload(1, 10));
    const { reader, entries } = await readAll((await listSegments(dir)).map((s) => s.path));
    expect(entries.length).toBe(2);
    expect(reader.damage.map((d) => d.kind)).toEqual(['unterminated']);
    await writer.close();
    const handle = await open(join(dir, segmentFileName(1)), 'r');
    await handle.close();
  }));
});
