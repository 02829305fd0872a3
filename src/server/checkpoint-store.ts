/**
 * Session checkpoints on disk: one file per session, `<dataDir>/sessions/<id>.ckpt`, replaced atomically
 * (write a temporary file, fsync it, rename it over the old one, fsync the directory), so that a crash at
 * any moment leaves either the previous checkpoint or the new one, never a torn file.
 *
 * The payload is the session's snapshot as src/session/snapshot-codec.ts encodes it, which carries its own
 * magic, format version and CRC-32C, so corruption the rename cannot prevent (bit rot, a truncated copy)
 * is caught when the session is restored.
 *
 * Failures: a write that fails at any stage (open, write — e.g. ENOSPC —, fsync, close, rename) removes
 * its temporary file and leaves the previous checkpoint exactly as it was; a failed directory fsync
 * (after the rename) throws too, since the new checkpoint may not survive a power loss. Temporary files a
 * killed process left behind are removed by `init()`. Errors are the file system's (errno); the session
 * host turns them into CHECKPOINT_FAILED for its clients.
 */
import { randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import { join } from 'node:path';
import { FisherdError } from '../errors.js';

/** Session ids are 128 random bits in lower-case hex; anything else is never a file name here. */
const SESSION_ID = /^[0-9a-f]{32}$/;

export function newSessionId(): string {
  return randomBytes(16).toString('hex');
}

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

/** The file-system calls the store makes (those of node:fs/promises); tests inject failing ones. */
export interface CheckpointFs {
  readonly mkdir: typeof fsPromises.mkdir;
  readonly open: typeof fsPromises.open;
  readonly readFile: typeof fsPromises.readFile;
  readonly readdir: typeof fsPromises.readdir;
  readonly rename: typeof fsPromises.rename;
  readonly rm: typeof fsPromises.rm;
}

/** Temporary files of `write` are named `<id>.ckpt.tmp-<pid>-<random>`. */
const TEMP_FILE = /^[0-9a-f]{32}\.ckpt\.tmp-/;

export class CheckpointStore {
  readonly directory: string;
  private readonly fs: CheckpointFs;

  /** `fs`: the file-system calls to use (default node:fs/promises). */
  constructor(dataDir: string, fs: CheckpointFs = fsPromises) {
    this.directory = join(dataDir, 'sessions');
    this.fs = fs;
  }

  /**
   * Creates the directory (and parents) and removes the temporary files an earlier process left behind
   * (killed while writing); call once before writing.
   */
  async init(): Promise<void> {
    await this.fs.mkdir(this.directory, { recursive: true });
    for (const name of await this.fs.readdir(this.directory)) {
      if (TEMP_FILE.test(name)) await this.fs.rm(join(this.directory, name), { force: true });
    }
  }

  pathOf(id: string): string {
    if (!isSessionId(id)) throw new FisherdError('UNKNOWN_SESSION', `"${id}" is not a session id`, { field: 'sessionId' });
    return join(this.directory, `${id}.ckpt`);
  }

  /**
   * Durably replaces the checkpoint of session `id` with `payload`. On any failure the temporary file is
   * gone and the previous checkpoint (if any) is untouched, except when only the final directory fsync
   * failed: then the new checkpoint is in place but may not be durable, and this still throws.
   */
  async write(id: string, payload: Uint8Array): Promise<void> {
    const path = this.pathOf(id);
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    let renamed = false;
    try {
      const file = await this.fs.open(tmp, 'wx', 0o600);
      let failure: unknown;
      try {
        await file.writeFile(payload);
        await file.sync();
      } catch (e) {
        failure = e;
      }
      try {
        await file.close();
      } catch (e) {
        failure ??= e; // a close error can report a deferred write error (NFS)
      }
      if (failure !== undefined) throw failure;
      await this.fs.rename(tmp, path);
      renamed = true;
      // Make the rename itself durable.
      const dir = await this.fs.open(this.directory, 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (e) {
      if (!renamed) await this.fs.rm(tmp, { force: true }).catch(() => undefined); // the original error matters more
      throw e;
    }
  }

  /** The payload of session `id`'s checkpoint, or undefined when there is none. */
  async read(id: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await this.fs.readFile(this.pathOf(id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return bytes;
  }

  /** Deletes session `id`'s checkpoint, if any. */
  async remove(id: string): Promise<void> {
    await this.fs.rm(this.pathOf(id), { force: true });
  }
}
