/**
 * Every truncation and every single-bit flip of a small trace is detected: the reader never yields a
 * record that differs from what was written, and it always reports damage (or throws TRACE_CORRUPT).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { checkFrame } from '../../src/trace/framing.js';
import type { TraceEntry } from '../../src/trace/reader.js';
import { listSegments } from '../../src/trace/segment-files.js';
import { readAll, withTempDir, writeTrace } from './fixtures.js';

/** What a reader consumer sees of an entry, comparable across reads. */
function view(e: TraceEntry): unknown {
  switch (e.kind) {
    case 'header': return { kind: e.kind, header: e.header, offset: e.offset };
    case 'end': return { kind: e.kind, end: e.end, offset: e.offset };
    default: return { kind: e.kind, body: Array.from(e.body), offset: e.offset };
  }
}

describe('damage detection on a small trace', () => {
  it('detects a truncation at every byte offset, and yields only intact records before it', () => withTempDir(async (dir) => {
    await writeTrace(join(dir, 'trace'), 3, { bodyBytes: 12 });
    const [segment] = await listSegments(join(dir, 'trace'));
    const bytes = await readFile(segment!.path);
    const intact = await readAll([segment!.path]);
    expect(intact.reader.damage).toEqual([]);
    const expected = intact.entries.map(view);
    expect(bytes.length).toBeGreaterThan(150);

    const cut = join(dir, 'cut.fdt');
    for (let length = 0; length < bytes.length; length++) {
      await writeFile(cut, bytes.subarray(0, length));
      const { entries, reader, error } = await readAll([cut]);
      expect(error, `truncated to ${length} bytes`).toBeUndefined();
      expect(reader.damage.length, `truncated to ${length} bytes`).toBeGreaterThan(0);
      expect(entries.map(view), `truncated to ${length} bytes`).toEqual(expected.slice(0, entries.length));
      const atBoundary = entries.length > 0 && entries.at(-1)!.offset + entries.at(-1)!.frameLength === length;
      expect(reader.damage[0]!.kind).toBe(atBoundary || length === 0 ? 'unterminated' : 'torn-tail');
    }
  }));

  it('detects a bit flip in every byte (reading the file)', () => withTempDir(async (dir) => {
    await writeTrace(join(dir, 'trace'), 2, { bodyBytes: 8 });
    const [segment] = await listSegments(join(dir, 'trace'));
    const bytes = await readFile(segment!.path);
    const expected = (await readAll([segment!.path])).entries.map(view);

    const flipped = join(dir, 'flipped.fdt');
    let thrown = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const bit of [(i * 3) % 8]) {
        const copy = Buffer.from(bytes);
        copy[i]! ^= 1 << bit;
        await writeFile(flipped, copy);
        const { entries, reader, error } = await readAll([flipped]);
        const where = `bit ${bit} of byte ${i}`;
        if (error !== undefined) {
          expect(isFisherdError(error, 'TRACE_CORRUPT'), where).toBe(true);
          thrown++;
        } else {
          expect(reader.damage.length, where).toBeGreaterThan(0);
        }
        expect(entries.map(view), where).toEqual(expected.slice(0, entries.length));
        expect(entries.length, where).toBeLessThan(expected.length);
      }
    }
    expect(thrown).toBeGreaterThan(0);
  }));

  it('detects a flip of every bit of every frame (in memory)', () => withTempDir(async (dir) => {
    await writeTrace(join(dir, 'trace'), 2, { bodyBytes: 8 });
    const [segment] = await listSegments(join(dir, 'trace'));
    const bytes = new Uint8Array(await readFile(segment!.path));
    let frames = 0;
    for (let offset = 0; offset < bytes.length; frames++) {
      const check = checkFrame(bytes, offset, bytes.length, 1 << 20);
      if (check.status !== 'ok') throw new Error(`intact trace fails at ${offset}`);
      const frame = bytes.slice(offset, offset + check.frameLength);
      for (let bit = 0; bit < frame.length * 8; bit++) {
        frame[bit >> 3]! ^= 1 << (bit & 7);
        expect(checkFrame(frame, 0, frame.length, 1 << 20).status, `frame at ${offset}, bit ${bit}`).not.toBe('ok');
        frame[bit >> 3]! ^= 1 << (bit & 7);
      }
      offset += check.frameLength;
    }
    expect(frames).toBe(6);
  }));
});
