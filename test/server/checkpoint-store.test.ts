/** Checkpoints on disk: atomic replace, read back, remove, and no paths from untrusted ids. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CheckpointStore, isSessionId, newSessionId } from '../../src/server/checkpoint-store.js';

describe('checkpoint store', () => {
  it('writes, replaces, reads and removes a checkpoint, leaving no temporary files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fisherd-ckpt-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const store = new CheckpointStore(dir);
    await store.init();
    const id = newSessionId();
    expect(await store.read(id)).toBeUndefined();
    await store.write(id, new Uint8Array([1, 2, 3]));
    await store.write(id, new Uint8Array([4, 5]));
    expect(Array.from((await store.read(id))!)).toEqual([4, 5]);
    expect(readdirSync(store.directory)).toEqual([`${id}.ckpt`]);
    await store.remove(id);
    expect(await store.read(id)).toBeUndefined();
  });

  it('accepts only 128-bit hex session ids as file names', () => {
    const id = newSessionId();
    expect(isSessionId(id)).toBe(true);
    expect(newSessionId()).not.toBe(id);
    const store = new CheckpointStore('/tmp/x');
    for (const bad of ['../etc/passwd', 'ABCDEF0123456789ABCDEF0123456789', `${id}/x`, '']) {
      expect(() => store.pathOf(bad)).toThrow(expect.objectContaining({ code: 'UNKNOWN_SESSION' }));
    }
  });
});
