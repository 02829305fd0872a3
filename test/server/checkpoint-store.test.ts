/**
 * Checkpoints on disk: atomic replace, read back, remove, and no paths from untrusted ids; a write that
 * fails at any stage (injected file-system failures) leaves no temporary file and the previous
 * checkpoint intact.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CheckpointStore, isSessionId, newSessionId, type CheckpointFs } from '../../src/server/checkpoint-store.js';

function tempStoreDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fisherd-ckpt-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure, ${syscall}`), { code, syscall });
}

/** Where a write can fail. */
type Stage = 'open' | 'write' | 'sync' | 'close' | 'rename' | 'open-dir' | 'sync-dir';

/**
 * node:fs/promises with one injected failure at `stage` of the next write. The 'write' failure writes
 * the first half of the payload for real before failing with ENOSPC, as a full disk does.
 */
function failingFs(stage: Stage): CheckpointFs {
  const isTemp = (path: unknown): boolean => String(path).includes('.ckpt.tmp-');
  const wrap = (handle: FileHandle, temp: boolean): FileHandle =>
    new Proxy(handle, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        if (temp && property === 'writeFile' && stage === 'write') {
          return async (data: Uint8Array) => {
            await target.write(data.subarray(0, data.length >> 1));
            throw errno('ENOSPC', 'write');
          };
        }
        if (temp && property === 'sync' && stage === 'sync') return () => Promise.reject(errno('EIO', 'fsync'));
        if (temp && property === 'close' && stage === 'close') {
          return async () => {
            await target.close();
            throw errno('EIO', 'close');
          };
        }
        if (!temp && property === 'sync' && stage === 'sync-dir') return () => Promise.reject(errno('EIO', 'fsync'));
        return fn.bind(target);
      },
    });
  return {
    ...fsPromises,
    open: (async (path: fsPromises.FileHandle | string, flags?: string, mode?: number) => {
      const temp = isTemp(path);
      if (temp && stage === 'open') throw errno('ENOSPC', 'open');
      if (!temp && stage === 'open-dir') throw errno('EMFILE', 'open');
      return wrap(await fsPromises.open(path as string, flags, mode), temp);
    }) as CheckpointFs['open'],
    rename: (async (from: string, to: string) => {
      if (stage === 'rename') throw errno('EXDEV', 'rename');
      return fsPromises.rename(from, to);
    }) as CheckpointFs['rename'],
  };
}

describe('checkpoint store', () => {
  it('writes, replaces, reads and removes a checkpoint, leaving no temporary files', async () => {
    const dir = tempStoreDir();
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

  const beforeRename: [Stage, string][] = [['open', 'ENOSPC'], ['write', 'ENOSPC'], ['sync', 'EIO'], ['close', 'EIO'], ['rename', 'EXDEV']];
  for (const [stage, code] of beforeRename) {
    it(`a ${stage} failure (${code}) removes the temporary file and leaves the previous checkpoint as it was`, async () => {
      const dir = tempStoreDir();
      const good = new CheckpointStore(dir);
      await good.init();
      const id = newSessionId();
      const previous = new Uint8Array(4096).fill(7);
      await good.write(id, previous);
      const store = new CheckpointStore(dir, failingFs(stage));
      await expect(store.write(id, new Uint8Array(8192).fill(9))).rejects.toMatchObject({ code });
      expect(readdirSync(store.directory)).toEqual([`${id}.ckpt`]);
      expect(Buffer.from((await good.read(id))!).equals(Buffer.from(previous))).toBe(true);
      // A later write (space freed) succeeds and holds everything.
      await good.write(id, new Uint8Array(8192).fill(9));
      expect((await good.read(id))!.every((b) => b === 9)).toBe(true);
    });
  }

  for (const stage of ['open-dir', 'sync-dir'] as const) {
    it(`a directory ${stage === 'open-dir' ? 'open' : 'fsync'} failure after the rename throws, leaving the new checkpoint and no temporary file`, async () => {
      const dir = tempStoreDir();
      const store = new CheckpointStore(dir, failingFs(stage));
      await new CheckpointStore(dir).init();
      const id = newSessionId();
      await expect(store.write(id, new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: stage === 'open-dir' ? 'EMFILE' : 'EIO' });
      expect(readdirSync(store.directory)).toEqual([`${id}.ckpt`]);
      expect(Array.from((await store.read(id))!)).toEqual([1, 2, 3]);
    });
  }

  it('init() removes the temporary files a killed process left behind, and nothing else', async () => {
    const dir = tempStoreDir();
    const store = new CheckpointStore(dir);
    await store.init();
    const id = newSessionId();
    await store.write(id, new Uint8Array([1]));
    writeFileSync(join(store.directory, `${id}.ckpt.tmp-12345-deadbeef`), 'torn');
    writeFileSync(join(store.directory, 'notes.txt'), 'kept');
    await new CheckpointStore(dir).init();
    expect(readdirSync(store.directory).sort()).toEqual([`${id}.ckpt`, 'notes.txt']);
  });
});
