/**
 * The client's side of shared-memory payloads (proto/fisherd.proto, SharedMemoryOffer): two files created
 * in the daemon's shared-memory directory (O_CREAT | O_EXCL, mode 0600, random names), the offer's nonce
 * at offset 0 of both. Requests are written after the nonce with positioned writes, replies read with
 * positioned reads into fresh Buffers. Once the daemon accepted (or refused) the offer the names are
 * unlinked: the open descriptors keep the files alive, and nothing is left behind when the process dies.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Where the client writes its requests: after the nonce, on a page boundary. */
const REQUEST_OFFSET = 4096;
const NONCE_BYTES = 32;

/** Paths created and not unlinked yet, removed at exit whatever happens. */
const named = new Set<string>();
let exitHookInstalled = false;

function unlinkQuietly(path: string): void {
  named.delete(path);
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function createFile(dir: string, nonce: Buffer): { fd: number; name: string; path: string } {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const path of [...named]) unlinkQuietly(path);
    });
  }
  const name = `fisherd-${randomBytes(18).toString('base64url')}`;
  const path = join(dir, name);
  const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_RDWR | (constants.O_NOFOLLOW ?? 0), 0o600);
  named.add(path);
  try {
    writeSync(fd, nonce, 0, nonce.byteLength, 0);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(path);
    throw e;
  }
  return { fd, name, path };
}

export class ClientSharedMemory {
  private closed = false;

  private constructor(
    private readonly request: { fd: number; name: string; path: string },
    private readonly reply: { fd: number; name: string; path: string },
    /** The offer to send (SharedMemoryOffer). */
    readonly offer: { requestFile: string; replyFile: string; nonce: Uint8Array },
  ) {}

  /** Creates the two files in `dir` (throws the file system's error: the caller falls back to frames). */
  static create(dir: string): ClientSharedMemory {
    const nonce = randomBytes(NONCE_BYTES);
    const request = createFile(dir, nonce);
    let reply;
    try {
      reply = createFile(dir, nonce);
    } catch (e) {
      closeSync(request.fd);
      unlinkQuietly(request.path);
      throw e;
    }
    return new ClientSharedMemory(request, reply, { requestFile: request.name, replyFile: reply.name, nonce });
  }

  /** Removes the names (the daemon holds the files open, or refused them). */
  unlink(): void {
    unlinkQuietly(this.request.path);
    unlinkQuietly(this.reply.path);
  }

  /** Writes one encoded ClientMessage into the request file; its range. */
  write(bytes: Uint8Array): { offset: number; length: number } {
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(this.request.fd, bytes, done, bytes.byteLength - done, REQUEST_OFFSET + done);
    return { offset: REQUEST_OFFSET, length: bytes.byteLength };
  }

  /** Reads [offset, offset + length) of the reply file into a fresh Buffer; undefined when the file is shorter. */
  read(offset: number, length: number): Buffer | undefined {
    const out = Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.reply.fd, out, done, length - done, offset + done);
      if (n === 0) return undefined;
      done += n;
    }
    return out;
  }

  /** Closes both files and removes their names if still there (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unlink();
    for (const fd of [this.request.fd, this.reply.fd]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }
}
