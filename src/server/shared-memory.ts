/**
 * Shared-memory payloads for co-located clients (proto/fisherd.proto, SharedMemoryOffer): a client that
 * runs next to the daemon (a sidecar sharing a tmpfs such as /dev/shm) offers two files it created in the
 * daemon's shared-memory directory; requests then arrive as a MessageRef naming a range of the request
 * file, and large replies leave through the reply file, so that only small control frames cross the
 * WebSocket.
 *
 * Safety: every name, offset and length comes from the client and is checked here.
 * - Names are plain file names, "fisherd-" + 8..64 of [A-Za-z0-9_-] (no separators, no dots), resolved in
 *   the configured directory only.
 * - Files are opened with O_NOFOLLOW (a symlink is refused) and O_NONBLOCK (a FIFO cannot block the
 *   open), then fstat'ed: a regular file with one link, owned by the daemon's user (any owner when the
 *   daemon runs as root). The checks apply to the descriptor, so a file swapped after the check is not
 *   the one used.
 * - Both files must start with the offer's nonce: a client can only offer files whose first bytes it
 *   knows, and a client that does not share the directory (another container) is refused.
 * - Reads copy the request out of the file into a Buffer the connection reuses from step to step when
 *   nothing holds the last one (src/server/connection.ts), else a fresh one: from a read-only mapping of the
 *   file where the native kernels run (a memcpy under a SIGBUS handler, so that a file the client shrinks
 *   meanwhile is an error, not a crash; read(2) from the tmpfs ran at ~1.2 GB/s here), else with readSync.
 *   A range past the end of the file is MALFORMED_FRAME, one above --max-frame-bytes FRAME_TOO_LARGE, as
 *   for a frame. Writes go after the nonce; a failed write (tmpfs full) makes that
 *   reply a frame.
 * - The daemon never creates, truncates or deletes the files; the descriptors close with the connection.
 */
import { closeSync, constants, fstatSync, openSync, readSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { FisherdError } from '../errors.js';
import { activeNativeKernels, type MappedPointer } from '../linalg/native-kernels.js';

/** A file name a client may offer. */
export const SHARED_MEMORY_NAME = /^fisherd-[A-Za-z0-9_-]{8,64}$/;
/** Nonce lengths accepted, in bytes. */
export const MIN_NONCE_BYTES = 16;
export const MAX_NONCE_BYTES = 64;
/** Where in the reply file replies are written: after the nonce, on a page boundary. */
export const REPLY_OFFSET = 4096;
/** Encoded replies (to a ref'd request) of at least this many bytes travel through the reply file. */
export const REPLY_THRESHOLD_BYTES = 64 * 1024;

export interface SharedMemoryOfferInit {
  readonly requestFile?: string | null;
  readonly replyFile?: string | null;
  readonly nonce?: Uint8Array | null;
}

/** Whether this platform can open files without following symlinks (Linux, macOS): otherwise shared memory is off. */
export function sharedMemorySupported(): boolean {
  return typeof constants.O_NOFOLLOW === 'number' && typeof constants.O_NONBLOCK === 'number';
}

function unavailable(message: string, field: string): FisherdError {
  return new FisherdError('SHARED_MEMORY_UNAVAILABLE', message, { field });
}

function checkName(name: string | null | undefined, field: string): string {
  if (!name || !SHARED_MEMORY_NAME.test(name)) {
    throw unavailable(`${field} must be a plain file name "fisherd-" followed by 8 to 64 of [A-Za-z0-9_-], got ${JSON.stringify(name ?? '')}`, field);
  }
  return name;
}

/** Opens `name` in `dir` for the daemon (never following a symlink) and checks what it is. */
function openChecked(dir: string, name: string, write: boolean, field: string): { fd: number; stat: Stats } {
  const flags = (write ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NOFOLLOW | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0);
  let fd: number;
  try {
    fd = openSync(join(dir, name), flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT'
      ? `there is no file ${name} in the daemon's shared-memory directory ${dir} (the client does not share it: another machine or container without the shared volume?)`
      : code === 'ELOOP'
        ? `${name} is a symbolic link; offer the file itself`
        : code === 'EACCES' || code === 'EPERM'
          ? `the daemon may not open ${name} (${code}): create the files as the daemon's user`
          : `cannot open ${name} in ${dir}: ${code ?? (e instanceof Error ? e.message : String(e))}`;
    throw unavailable(why, field);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw unavailable(`${name} is not a regular file`, field);
    if (stat.nlink !== 1) throw unavailable(`${name} has ${stat.nlink} links; offer a file with exactly one`, field);
    const euid = typeof process.geteuid === 'function' ? process.geteuid() : undefined;
    if (euid !== undefined && euid !== 0 && stat.uid !== euid) {
      throw unavailable(`${name} belongs to user ${stat.uid}, not to the daemon's user ${euid}`, field);
    }
    return { fd, stat };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Reads exactly `length` bytes at `position` into `into` (its first `length` bytes) or a fresh Buffer, or undefined when the file ends first. */
function readExactly(fd: number, length: number, position: number, into?: Buffer): Buffer | undefined {
  const out = into !== undefined && into.byteLength >= length ? into.subarray(0, length) : Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) return undefined;
    done += n;
  }
  return out;
}

/** One connection's two accepted files. */
export class SharedMemoryChannel {
  private closed = false;
  /** The request file mapped read-only (native kernels), and how many bytes of it. */
  private map: { pointer: MappedPointer; length: number } | undefined;

  private constructor(
    private readonly requestFd: number,
    private readonly replyFd: number,
    /** The names, for logs and messages. */
    readonly requestFile: string,
    readonly replyFile: string,
  ) {}

  /**
   * Validates an offer and opens its files: SHARED_MEMORY_UNAVAILABLE naming the field at fault when a
   * name, a file or the nonce fails a check (the module comment lists them).
   */
  static open(dir: string, offer: SharedMemoryOfferInit): SharedMemoryChannel {
    const requestFile = checkName(offer.requestFile, 'sharedMemoryOffer.requestFile');
    const replyFile = checkName(offer.replyFile, 'sharedMemoryOffer.replyFile');
    if (requestFile === replyFile) throw unavailable('sharedMemoryOffer.requestFile and replyFile must be two different files', 'sharedMemoryOffer.replyFile');
    const nonce = offer.nonce ?? new Uint8Array(0);
    if (nonce.byteLength < MIN_NONCE_BYTES || nonce.byteLength > MAX_NONCE_BYTES) {
      throw unavailable(`sharedMemoryOffer.nonce must be ${MIN_NONCE_BYTES} to ${MAX_NONCE_BYTES} random bytes, got ${nonce.byteLength}`, 'sharedMemoryOffer.nonce');
    }
    const request = openChecked(dir, requestFile, false, 'sharedMemoryOffer.requestFile');
    let reply: { fd: number; stat: Stats } | undefined;
    try {
      reply = openChecked(dir, replyFile, true, 'sharedMemoryOffer.replyFile');
      if (reply.stat.dev === request.stat.dev && reply.stat.ino === request.stat.ino) {
        throw unavailable('sharedMemoryOffer.requestFile and replyFile are the same file', 'sharedMemoryOffer.replyFile');
      }
      for (const [fd, field, name] of [[request.fd, 'sharedMemoryOffer.requestFile', requestFile], [reply.fd, 'sharedMemoryOffer.replyFile', replyFile]] as const) {
        let head: Buffer | undefined;
        try {
          head = readExactly(fd, nonce.byteLength, 0);
        } catch (e) {
          throw unavailable(`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, field);
        }
        if (head === undefined || !timingSafeEqual(head, nonce)) {
          throw unavailable(`${name} does not start with sharedMemoryOffer.nonce: the client does not share the daemon's shared-memory directory ${dir}`, 'sharedMemoryOffer.nonce');
        }
      }
      return new SharedMemoryChannel(request.fd, reply.fd, requestFile, replyFile);
    } catch (e) {
      closeSync(request.fd);
      if (reply !== undefined) closeSync(reply.fd);
      throw e;
    }
  }

  /**
   * The bytes of a MessageRef: [offset, offset + length) of the request file, in `into` (the first `length`
   * bytes of it, when it holds that many) or in a fresh Buffer.
   * FRAME_TOO_LARGE above `maxFrameBytes`; MALFORMED_FRAME for a range past the end of the file.
   */
  read(offset: number, length: number, maxFrameBytes: number, into?: Buffer): Buffer {
    if (this.closed) throw new FisherdError('UNEXPECTED_MESSAGE', 'the shared-memory files are closed');
    if (length > maxFrameBytes) {
      throw new FisherdError('FRAME_TOO_LARGE', `messageRef.length is ${length} bytes, above --max-frame-bytes = ${maxFrameBytes}`, { field: 'messageRef.length' });
    }
    let size: number;
    try {
      size = fstatSync(this.requestFd).size;
    } catch (e) {
      throw new FisherdError('MALFORMED_FRAME', `cannot stat ${this.requestFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { field: 'messageRef' });
    }
    if (offset > size) {
      throw new FisherdError('MALFORMED_FRAME', `messageRef.offset ${offset} is past the end of ${this.requestFile} (${size} bytes)`, { field: 'messageRef.offset' });
    }
    if (offset + length > size) {
      throw new FisherdError('MALFORMED_FRAME', `messageRef [${offset}, ${offset + length}) runs past the end of ${this.requestFile} (${size} bytes)`, { field: 'messageRef.length' });
    }
    const mapped = this.readMapped(offset, length, size, into);
    if (mapped !== undefined) return mapped;
    let bytes: Buffer | undefined;
    try {
      bytes = readExactly(this.requestFd, length, offset, into);
    } catch (e) {
      throw new FisherdError('MALFORMED_FRAME', `cannot read ${this.requestFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { field: 'messageRef' });
    }
    if (bytes === undefined) {
      throw new FisherdError('MALFORMED_FRAME', `${this.requestFile} ended before messageRef [${offset}, ${offset + length}) was read (truncated meanwhile)`, { field: 'messageRef.length' });
    }
    return bytes;
  }

  /**
   * [offset, offset + length) copied out of the request file's mapping (native kernels: mmap, then a memcpy
   * that a fault turns into an error), or undefined where the native kernels do not run or the file does not
   * map (the caller reads it). The mapping covers the file's size when it was made, and is made again when a
   * request reaches beyond it. MALFORMED_FRAME when the file shrank under the copy.
   */
  private readMapped(offset: number, length: number, size: number, into?: Buffer): Buffer | undefined {
    const k = activeNativeKernels();
    if (k === undefined || length === 0) return undefined;
    if (this.map === undefined || this.map.length < offset + length) {
      this.unmap();
      const pointer = k.mapRead(this.requestFd, size);
      if (pointer === null) return undefined;
      this.map = { pointer, length: size };
    }
    const out = into !== undefined && into.byteLength >= length ? into.subarray(0, length) : Buffer.allocUnsafeSlow(length);
    if (k.copyMapped(out, this.map.pointer, offset, length) !== 0) {
      this.unmap();
      throw new FisherdError('MALFORMED_FRAME', `${this.requestFile} shrank while messageRef [${offset}, ${offset + length}) was read`, { field: 'messageRef.length' });
    }
    return out;
  }

  private unmap(): void {
    if (this.map === undefined) return;
    activeNativeKernels()?.unmap(this.map.pointer, this.map.length);
    this.map = undefined;
  }

  /** Writes an encoded reply after the nonce; returns its range. Throws the write's error (the caller sends a frame instead). */
  write(frame: Uint8Array): { offset: number; length: number } {
    if (this.closed) throw new Error('the shared-memory files are closed');
    let done = 0;
    while (done < frame.byteLength) done += writeSync(this.replyFd, frame, done, frame.byteLength - done, REPLY_OFFSET + done);
    return { offset: REPLY_OFFSET, length: frame.byteLength };
  }

  /** Closes both descriptors (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unmap();
    for (const fd of [this.requestFd, this.replyFd]) {
      try {
        closeSync(fd);
      } catch {
        // already closed: nothing to release
      }
    }
  }
}
