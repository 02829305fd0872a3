/**
 * Session checkpoints on disk: one file per session, `<dataDir>/sessions/<id>.ckpt`, replaced atomically
 * (write a temporary file, fsync it, rename it over the old one, fsync the directory), so that a crash at
 * any moment leaves either the previous checkpoint or the new one, never a torn file.
 *
 * The payload is the session's snapshot as src/session/snapshot-codec.ts encodes it, which carries its own
 * magic, format version and CRC-32C, so corruption the rename cannot prevent (bit rot, a truncated copy)
 * is caught when the session is restored.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
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

export class CheckpointStore {
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = join(dataDir, 'sessions');
  }

  /** Creates the directory (and parents); call once before writing. */
  async init(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
  }

  pathOf(id: string): string {
    if (!isSessionId(id)) throw new FisherdError('UNKNOWN_SESSION', `"${id}" is not a session id`, { field: 'sessionId' });
    return join(this.directory, `${id}.ckpt`);
  }

  /** Durably replaces the checkpoint of session `id` with `payload`. */
  async write(id: string, payload: Uint8Array): Promise<void> {
    const path = this.pathOf(id);
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const file = await open(tmp, 'w', 0o600);
    try {
      await file.writeFile(payload);
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    // Make the rename itself durable.
    const dir = await open(this.directory, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  /** The payload of session `id`'s checkpoint, or undefined when there is none. */
  async read(id: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(id));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return bytes;
  }

  /** Deletes session `id`'s checkpoint, if any. */
  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }
}
