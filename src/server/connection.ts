/**
 * One client WebSocket: decodes its frames, walks the protocol's states (Hello, then OpenSession, then
 * steps, estimates requests and CloseSession), and answers every bad input with a typed Error frame
 * naming the problem. Only errors whose code carries a close code (errors.ts) end the connection.
 *
 * Messages of one connection are handled strictly in order (a promise chain), so that a step sent right
 * after OpenSession waits for the session to be loaded.
 *
 * Hello deadline: a connection that has not completed Hello `helloTimeoutMs` after the upgrade gets an
 * UNEXPECTED_MESSAGE error frame and is closed with 1008 "HELLO_TIMEOUT".
 *
 * Send-side backpressure: every reply and update is queued on the socket without waiting, so a client
 * that does not read would make the daemon buffer without end. Once more than `maxSendBufferBytes` wait
 * unsent (ws `bufferedAmount`), the connection stops reading the peer's requests (the socket is paused
 * and its already-received requests wait) until fewer than half of that wait; a peer still above the
 * cap after `sendStallMs`, or above twice the cap when another message is due (updates broadcast by a
 * session keep coming), is closed with 1008 "SEND_BUFFER_FULL: client does not read its replies" (cut
 * a second later if the close cannot get through). Memory per slow peer is thus at most twice the cap
 * and one message, and a slow peer never delays the others of its session.
 *
 * Shared memory (shared-memory.ts; proto SharedMemoryOffer): once a co-located client's offer is accepted,
 * a MessageRef frame names the bytes of one ClientMessage in its request file; they are read (in the
 * message's turn of the inbox) into a fresh Buffer and handled exactly as a frame's bytes would be (the
 * same decoding, validation and errors; a recorded step keeps those bytes). The reply to the latest ref'd
 * request with a nonzero request id, when it encodes to at least REPLY_THRESHOLD_BYTES and is no error,
 * is written into the client's reply file and announced by a MessageRef frame; every other message is a
 * frame. The files close with the connection.
 *
 * Encoding replies: an Update whose Δθ the session wrote with room in front of it (src/session/update-memory.ts)
 * is built in place (src/protocol/update-frame.ts: only the header is encoded, into that room) and sent, or
 * written into the reply file, from the update array's memory, which stays claimed until ws has written the
 * frame out; only one frame at a time can be built around an array, so a second reply of the same update
 * (another worker, an observer connection) is encoded the general way. Other replies with at least
 * POOLED_REPLY_BYTES of payload are encoded into pooled buffers, back in the pool once ws has written them;
 * the rest into fresh frames.
 */
import type { WebSocket } from 'ws';
import { FisherdError, isFisherdError } from '../errors.js';
import type { Logger } from '../log.js';
import { sessionConfigFromWire, sessionConfigToWire } from '../protocol/config-codec.js';
import {
  PROTOCOL_VERSION, decodeClientMessage, encodeServerMessage, encodeServerMessageInto, errorMessage, payloadBytes,
  type ClientMessage, type ServerMessageInit,
} from '../protocol/frames.js';
import { contributionFromWire, detachContribution } from '../protocol/step-codec.js';
import { encodeUpdateInPlace, type InPlaceFrame } from '../protocol/update-frame.js';
import { kroneckerBasisBytes } from '../protocol/estimates-codec.js';
import { withDefaultName } from '../session/config.js';
import { tokensEqual } from './auth.js';
import type { DaemonMetrics } from './metrics.js';
import { stepContributionBytes } from './recording.js';
import { REPLY_OFFSET, REPLY_THRESHOLD_BYTES, SharedMemoryChannel } from './shared-memory.js';
import type { SessionHost, Peer } from './session-host.js';
import type { SessionRegistry } from './session-registry.js';

/** Largest top-k eigenvalue count an estimates request may ask for. */
export const MAX_TOP_K = 64;
const DEFAULT_TOP_K = 5;

export interface ConnectionDeps {
  readonly registry: SessionRegistry;
  readonly metrics: DaemonMetrics;
  readonly logger: Logger;
  readonly token: string | undefined;
  readonly serverVersion: string;
  readonly backend: string;
  /** Largest estimates reply with diagonals, in bytes (--max-reply-bytes). */
  readonly maxReplyBytes: number;
  /** The peer's address (per-address session quota). */
  readonly remoteAddress?: string | undefined;
  /** Close a connection that sent no Hello within this, in ms. Default 10000. */
  readonly helloTimeoutMs?: number;
  /** Unsent bytes beyond which the peer's requests wait (closed beyond twice it). Default 64 MiB. */
  readonly maxSendBufferBytes?: number;
  /** How long a peer may stay above maxSendBufferBytes before it is closed, in ms. Default 30000. */
  readonly sendStallMs?: number;
  /**
   * The directory co-located clients offer their shared-memory files in (--shared-memory-dir, resolved);
   * undefined: shared memory off, offers are refused with SHARED_MEMORY_UNAVAILABLE. Default undefined.
   */
  readonly sharedMemoryDir?: string | undefined;
  /** Largest message, as a frame or by ref (--max-frame-bytes). Default 256 MiB. */
  readonly maxFrameBytes?: number;
}

/** The close reason of a peer that does not read its replies. */
export const SEND_BUFFER_FULL_REASON = 'SEND_BUFFER_FULL: client does not read its replies';
/** The close reason of a connection that sent no Hello in time. */
export const HELLO_TIMEOUT_REASON = 'HELLO_TIMEOUT';
/** How long a closed slow peer gets to take its close frame before its socket is cut, in ms. */
const CLOSE_GRACE_MS = 1000;
/** Replies sent as frames with at least this many payload bytes are encoded into pooled buffers. */
const POOLED_REPLY_BYTES = 256 * 1024;
/** Pooled reply buffers kept per connection (replies in flight beyond this are allocated and dropped). */
const FRAME_POOL_SIZE = 2;

type State = 'awaiting-hello' | 'ready' | 'closed';

let nextConnectionId = 1;

export class Connection implements Peer {
  readonly id = nextConnectionId++;
  private state: State = 'awaiting-hello';
  private host: SessionHost | undefined;
  /** Hello.client_name, the first part of the default name of the sessions this connection creates. */
  private clientName: string | undefined;
  private inbox: Promise<void> = Promise.resolve();
  private readonly logger: Logger;
  /** The request id of the estimates request with diagonals this connection waits for, if any. */
  private diagonalsInFlight: number | undefined;
  private readonly maxSendBufferBytes: number;
  private helloTimer: NodeJS.Timeout | undefined;
  /** The accepted shared-memory files, if any. */
  private shm: SharedMemoryChannel | undefined;
  /**
   * The buffer ref'd requests are read into, reused from step to step (a fresh D-sized Buffer per step made V8
   * run a full collection about every step). Refs are handled one at a time (the inbox chain), and nothing
   * reads the buffer once its request is handled: a step is detached from it before the session holds it
   * (`detachContribution`); any other message is decoded again from a copy.
   */
  private shmReadBuffer: Buffer | undefined;
  /**
   * Buffers that large replies sent as frames are encoded into (`encodeServerMessageInto`), each back here once
   * ws has written its frame out (the send callback): a D-sized reply is not a fresh allocation per step, which
   * made V8 collect for external memory pressure every few steps. At most `FRAME_POOL_SIZE` are kept.
   */
  private readonly framePool: { buffer?: Buffer }[] = [];
  /** The buffer replies by ref are encoded into (`encodeServerMessageInto`), reused from reply to reply. */
  private readonly replyScratch: { buffer?: Buffer } = {};
  /** The request id of the latest ref'd request not answered yet: its reply may go through the reply file. */
  private refRequestId: number | undefined;
  /** Whether a failed reply-file write was logged already (it is logged once per connection). */
  private shmWriteFailureLogged = false;
  /** Set while more than maxSendBufferBytes wait unsent: the socket is paused and requests wait. */
  private stall: { since: number; poll: NodeJS.Timeout; deadline: NodeJS.Timeout; waiters: (() => void)[] } | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.logger = deps.logger.child({ connection: this.id });
    this.maxSendBufferBytes = deps.maxSendBufferBytes ?? 64 * 1024 * 1024;
    deps.metrics.connections.inc();
    const helloTimeoutMs = deps.helloTimeoutMs ?? 10_000;
    this.helloTimer = setTimeout(() => this.helloTimedOut(helloTimeoutMs), helloTimeoutMs);
    this.helloTimer.unref();
    ws.on('message', (data, isBinary) => this.receive(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on('close', () => this.closed());
    // Without an 'error' listener, ws rethrows a socket error (e.g. an oversized frame) and the daemon dies.
    ws.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        // ws has already answered with close code 1009 (FRAME_TOO_LARGE); no frame can follow a close.
        deps.metrics.countError('FRAME_TOO_LARGE');
        this.logger.warn({ err: e.message }, 'frame too large; connection closed with 1009');
      } else {
        this.logger.warn({ err: e.message, code: e.code }, 'websocket error');
      }
    });
  }

  /** The session this connection is attached to. */
  get session(): SessionHost | undefined {
    return this.host;
  }

  /** Remote address of the peer (per-address session quota). */
  get remoteAddress(): string | undefined {
    return this.deps.remoteAddress;
  }

  /** Queues `message` for the peer (send-side backpressure: see the module comment). */
  send(message: ServerMessageInit): void {
    if (this.diagonalsInFlight === message.requestId && (message.estimates || message.error)) this.diagonalsInFlight = undefined;
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.stall !== undefined && this.ws.bufferedAmount > 2 * this.maxSendBufferBytes) {
      this.dropSlowPeer('more than twice --max-send-buffer-bytes unsent');
      return;
    }
    if (this.refRequestId !== undefined && message.requestId === this.refRequestId) {
      this.refRequestId = undefined;
      this.sendRefReply(message);
      return;
    }
    // An update whose Δθ the session wrote with room in front: only its header is encoded (update-frame.ts).
    const inPlace = encodeUpdateInPlace(message);
    if (inPlace !== undefined) {
      this.sendInPlace(inPlace);
      return;
    }
    if (payloadBytes(message) < POOLED_REPLY_BYTES) {
      this.sendFrame(encodeServerMessage(message));
      return;
    }
    const scratch = this.framePool.pop() ?? {};
    // ws calls back once the frame is written out (or failed): only then may the buffer take another reply
    this.sendFrame(encodeServerMessageInto(message, scratch), () => {
      if (this.framePool.length < FRAME_POOL_SIZE) this.framePool.push(scratch);
    });
  }

  /**
   * The reply to the latest ref'd request: written into the reply file and announced by a MessageRef frame
   * when large enough, else sent as a frame. An update is built around its Δθ (update-frame.ts), which the
   * reply file copies at once; anything else is encoded into the connection's reply buffer (no D-sized
   * allocation per step) and copied out of it if it goes as a frame after all, since ws sends later.
   */
  private sendRefReply(message: ServerMessageInit): void {
    const inPlace = this.shm === undefined ? undefined : encodeUpdateInPlace(message);
    if (inPlace !== undefined) {
      const ref = this.replyByRef(inPlace.frame);
      if (ref === undefined) {
        this.sendInPlace(inPlace);
        return;
      }
      inPlace.release();
      this.sendFrame(encodeServerMessage({ requestId: message.requestId, messageRef: ref }));
      return;
    }
    let frame = message.error || this.shm === undefined ? encodeServerMessage(message) : encodeServerMessageInto(message, this.replyScratch);
    const ref = message.error ? undefined : this.replyByRef(frame);
    if (ref !== undefined) frame = encodeServerMessage({ requestId: message.requestId, messageRef: ref });
    else if (this.replyScratch.buffer !== undefined && frame.buffer === this.replyScratch.buffer.buffer) frame = new Uint8Array(frame);
    this.sendFrame(frame);
  }

  /** Queues `frame` (`written`: ws's callback once it is written out, or failed), then checks the send buffer. */
  private sendFrame(frame: Uint8Array, written?: () => void): void {
    this.deps.metrics.sentBytes.inc(frame.byteLength);
    this.ws.send(frame, { binary: true }, written);
    if (this.stall === undefined && this.ws.bufferedAmount > this.maxSendBufferBytes) this.startStall();
  }

  /**
   * Sends a frame built in place around an update's Δθ: ws writes it from the update array's memory, which
   * stays claimed (no other header in its room, the session does not take the array back) until ws calls
   * back, i.e. once the frame is written out or the send failed. (Were the callback never called, the array
   * would only never be reused, and its later replies copied.)
   */
  private sendInPlace(inPlace: InPlaceFrame): void {
    this.sendFrame(inPlace.frame, () => inPlace.release());
  }

  /** Writes a large reply into the client's reply file; its range, or undefined to send it as a frame. */
  private replyByRef(frame: Uint8Array): { offset: number; length: number } | undefined {
    if (this.shm === undefined || frame.byteLength < REPLY_THRESHOLD_BYTES) return undefined;
    try {
      const ref = this.shm.write(frame);
      this.deps.metrics.sharedMemoryBytes.inc({ direction: 'sent' }, frame.byteLength);
      return ref;
    } catch (e) {
      if (!this.shmWriteFailureLogged) {
        this.shmWriteFailureLogged = true;
        this.logger.warn({ err: (e as NodeJS.ErrnoException).code ?? String(e), file: this.shm.replyFile }, 'cannot write a reply into the shared-memory file: sent as a frame (logged once per connection)');
      }
      return undefined;
    }
  }

  /** Closes the socket with `code` (e.g. 1001 on shutdown). */
  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  // ---- send-side backpressure ----------------------------------------------------------------------

  /** Stops reading the peer until its unsent bytes fall under half the cap; closes it after sendStallMs. */
  private startStall(): void {
    const stallMs = this.deps.sendStallMs ?? 30_000;
    const lowWater = this.maxSendBufferBytes / 2;
    this.ws.pause();
    const poll = setInterval(() => {
      if (this.ws.bufferedAmount <= lowWater) this.endStall(true);
    }, Math.max(5, Math.min(100, Math.floor(stallMs / 4))));
    poll.unref();
    const deadline = setTimeout(() => this.dropSlowPeer(`above --max-send-buffer-bytes for ${stallMs} ms (--send-stall-ms)`), stallMs);
    deadline.unref();
    this.stall = { since: Date.now(), poll, deadline, waiters: [] };
    this.logger.info({ buffered: this.ws.bufferedAmount, cap: this.maxSendBufferBytes }, 'peer does not read its replies: its requests wait');
  }

  /** Ends a stall: resumes reading (`resume`) and lets the waiting requests go on. */
  private endStall(resume: boolean): void {
    const stall = this.stall;
    if (stall === undefined) return;
    this.stall = undefined;
    clearInterval(stall.poll);
    clearTimeout(stall.deadline);
    if (resume) {
      this.ws.resume();
      this.logger.info({ buffered: this.ws.bufferedAmount, stalledMs: Date.now() - stall.since }, 'peer reads again: its requests go on');
    }
    for (const resolve of stall.waiters.splice(0)) resolve();
  }

  /** Resolves when the peer may be served: at once, or when its stall ends (or the connection closes). */
  private writable(): Promise<void> | undefined {
    const stall = this.stall;
    if (stall === undefined) return undefined;
    return new Promise((resolve) => stall.waiters.push(resolve));
  }

  /** Closes a peer that does not read; its waiting requests stay unserved (released when the socket closes). */
  private dropSlowPeer(why: string): void {
    const stall = this.stall;
    if (stall === undefined || this.state === 'closed' || this.ws.readyState !== this.ws.OPEN) return;
    const since = stall.since;
    clearInterval(stall.poll);
    clearTimeout(stall.deadline);
    this.deps.metrics.countError('BACKPRESSURE');
    this.logger.warn(
      { buffered: this.ws.bufferedAmount, cap: this.maxSendBufferBytes, stalledMs: Date.now() - since, remote: this.deps.remoteAddress },
      `closing with 1008 ${SEND_BUFFER_FULL_REASON} (${why})`,
    );
    this.close(1008, SEND_BUFFER_FULL_REASON);
    // The close frame waits behind everything unsent; a peer that does not read never gets it.
    const cut = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    cut.unref();
    this.ws.once('close', () => clearTimeout(cut));
  }

  private helloTimedOut(ms: number): void {
    this.helloTimer = undefined;
    if (this.state !== 'awaiting-hello') return;
    this.deps.metrics.countError('UNEXPECTED_MESSAGE');
    this.logger.warn({ remote: this.deps.remoteAddress }, `no Hello within ${ms} ms of the upgrade: closing with 1008 ${HELLO_TIMEOUT_REASON}`);
    this.send(errorMessage(new FisherdError('UNEXPECTED_MESSAGE', `no Hello within ${ms} ms of the upgrade (--hello-timeout-ms); connection closed`, { field: 'hello' }), 0));
    this.close(1008, HELLO_TIMEOUT_REASON);
  }

  private receive(data: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    const frame = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    this.deps.metrics.receivedBytes.inc(frame.byteLength);
    let message: ClientMessage;
    try {
      if (!isBinary) throw new FisherdError('MALFORMED_FRAME', 'text frames are not part of the protocol; send binary protobuf frames');
      message = decodeClientMessage(frame);
    } catch (e) {
      this.fail(e, 0);
      return;
    }
    // While the peer does not read its replies, its requests wait (writable()).
    if (message.kind === 'messageRef') {
      const ref = message.messageRef!;
      this.inbox = this.inbox.then(() => this.writable()).then(() => this.dereference(ref, message.requestId));
      return;
    }
    this.inbox = this.inbox.then(() => this.writable()).then(() => this.handle(message, frame)).catch((e: unknown) => this.fail(e, message.requestId));
  }

  /**
   * Reads and handles the ClientMessage a MessageRef names, as if its bytes had arrived as a frame. Errors
   * about the ref itself answer the ref's request id; those of the message inside, its own.
   */
  private async dereference(ref: NonNullable<ClientMessage['messageRef']>, refRequestId: number): Promise<void> {
    if (this.state === 'closed') return;
    let bytes: Buffer;
    let inner: ClientMessage;
    // The reused read buffer, grown to the largest request.
    const length = ref.length ?? 0;
    const maxFrameBytes = this.deps.maxFrameBytes ?? 256 * 1024 * 1024;
    if ((this.shmReadBuffer === undefined || this.shmReadBuffer.byteLength < length) && length <= maxFrameBytes) {
      this.shmReadBuffer = Buffer.allocUnsafeSlow(length);
    }
    try {
      if (this.state !== 'ready') throw new FisherdError('UNEXPECTED_MESSAGE', 'send Hello before messageRef');
      if (this.shm === undefined) {
        throw new FisherdError('UNEXPECTED_MESSAGE', 'messageRef before a SharedMemoryOffer was accepted on this connection; send the message as a frame', { field: 'messageRef' });
      }
      bytes = this.shm.read(ref.offset ?? 0, length, maxFrameBytes, this.shmReadBuffer);
      this.deps.metrics.sharedMemoryBytes.inc({ direction: 'received' }, bytes.byteLength);
      inner = decodeClientMessage(bytes);
      if (inner.kind === 'messageRef' || inner.kind === 'sharedMemoryOffer') {
        throw new FisherdError('UNEXPECTED_MESSAGE', `a messageRef's bytes hold a ${inner.kind}, which must travel as a frame of its own`, { field: 'messageRef' });
      }
      // Only a step is detached from the reused buffer (handle); any other message is decoded from a copy.
      if (inner.kind !== 'step') {
        bytes = Buffer.from(bytes);
        inner = decodeClientMessage(bytes);
      }
    } catch (e) {
      this.fail(e, refRequestId);
      return;
    }
    // The latest ref'd request: its reply may take the reply file (the client reads that before its next one).
    this.refRequestId = inner.requestId ? inner.requestId : undefined;
    try {
      await this.handle(inner, bytes, inner.kind === 'step');
    } catch (e) {
      this.fail(e, inner.requestId);
    }
  }

  /**
   * `frame`: the message as received, whose StepContribution bytes a recorded session keeps as they are.
   * `detach`: the frame is a buffer reused after this returns, so a step is made independent of it (its
   * arrays copied; its bytes kept, as a copy, only for a recorded session).
   */
  private async handle(message: ClientMessage, frame: Uint8Array, detach = false): Promise<void> {
    if (this.state === 'closed') return;
    const requestId = message.requestId;
    switch (message.kind) {
      case 'hello':
        return this.hello(message.hello!, requestId);
      case 'openSession':
        return this.open(message.openSession!, requestId);
      case 'step': {
        const host = this.attached('step');
        const data = contributionFromWire(message.step!);
        if (!detach) {
          host.contribute(this, requestId, data, stepContributionBytes(frame));
          return;
        }
        detachContribution(data, frame);
        const raw = host.recorded ? stepContributionBytes(frame) : undefined;
        // a copy (Buffer's slice would be a view of the reused buffer)
        host.contribute(this, requestId, data, raw === undefined ? undefined : new Uint8Array(raw));
        return;
      }
      case 'estimatesRequest': {
        const host = this.attached('estimatesRequest');
        const topK = message.estimatesRequest!.topK || DEFAULT_TOP_K;
        if (topK > MAX_TOP_K) {
          throw new FisherdError('INVALID_CONFIG', `estimatesRequest.topK must be ≤ ${MAX_TOP_K}, got ${topK}`, { field: 'estimatesRequest.topK' });
        }
        const request = message.estimatesRequest!;
        const kroneckerBasis = request.kroneckerBasis ? this.kroneckerBasisBlock(host, request.kroneckerBasis) : undefined;
        const basis = kroneckerBasis === undefined ? {} : { kroneckerBasis };
        if (!request.includeDiagonals && kroneckerBasis === undefined) {
          host.requestEstimates(this, requestId, { topK, includeDiagonals: false });
          return;
        }
        // A large reply (diagonals, eigenbases): one in flight per connection.
        const range = request.includeDiagonals ? this.diagonalRange(host, request) : undefined;
        if (this.diagonalsInFlight !== undefined) {
          throw new FisherdError('BACKPRESSURE', `estimates request ${this.diagonalsInFlight} with diagonals or eigenbases is still being answered on this connection; wait for it before asking again`, {
            field: request.includeDiagonals ? 'estimatesRequest.includeDiagonals' : 'estimatesRequest.kroneckerBasis',
          });
        }
        host.requestEstimates(this, requestId, { topK, includeDiagonals: range !== undefined, ...(range === undefined ? {} : { range }), ...basis });
        this.diagonalsInFlight = requestId;
        return;
      }
      case 'sharedMemoryOffer':
        return this.acceptSharedMemory(message.sharedMemoryOffer!, requestId);
      case 'messageRef':
        // Refs are resolved on arrival (receive); one inside a ref is refused there.
        throw new FisherdError('UNEXPECTED_MESSAGE', 'a messageRef cannot be nested', { field: 'messageRef' });
      case 'closeSession': {
        const host = this.attached('closeSession');
        this.host = undefined;
        this.diagonalsInFlight = undefined; // the session answers it before it closes, or never
        const step = await this.deps.registry.detach(host, this, message.closeSession!.discard ?? false);
        this.send({ requestId, sessionClosed: { sessionId: host.id, step } });
        return;
      }
      default:
        throw new FisherdError('UNEXPECTED_MESSAGE', `unknown message kind ${String(message.kind)}`);
    }
  }

  private hello(hello: NonNullable<ClientMessage['hello']>, requestId: number): void {
    if (this.state !== 'awaiting-hello') throw new FisherdError('UNEXPECTED_MESSAGE', 'Hello was already received on this connection');
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      throw new FisherdError(
        'UNSUPPORTED_VERSION',
        `protocol version ${hello.protocolVersion} is not supported; this daemon speaks version ${PROTOCOL_VERSION}`,
        { field: 'hello.protocolVersion' },
      );
    }
    if (hello.token && (this.deps.token === undefined || !tokensEqual(hello.token, this.deps.token))) {
      throw new FisherdError('UNAUTHORIZED', 'hello.token does not match the daemon\'s token', { field: 'hello.token' });
    }
    this.state = 'ready';
    clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
    this.clientName = hello.clientName ?? undefined;
    this.logger.debug({ client: hello.clientName }, 'hello');
    this.send({
      requestId,
      welcome: {
        protocolVersion: PROTOCOL_VERSION, serverVersion: this.deps.serverVersion, backend: this.deps.backend,
        sharedMemoryDir: this.deps.sharedMemoryDir ?? '',
      },
    });
  }

  /** Opens a co-located client's shared-memory files (shared-memory.ts checks them). */
  private acceptSharedMemory(offer: NonNullable<ClientMessage['sharedMemoryOffer']>, requestId: number): void {
    if (this.state !== 'ready') throw new FisherdError('UNEXPECTED_MESSAGE', 'send Hello before sharedMemoryOffer');
    if (this.shm !== undefined) {
      throw new FisherdError('UNEXPECTED_MESSAGE', `shared memory is already set up on this connection (${this.shm.requestFile}, ${this.shm.replyFile})`, { field: 'sharedMemoryOffer' });
    }
    const dir = this.deps.sharedMemoryDir;
    if (dir === undefined) {
      throw new FisherdError('SHARED_MEMORY_UNAVAILABLE', 'this daemon has shared memory off (--shared-memory, --shared-memory-dir); send messages as frames', { field: 'sharedMemoryOffer' });
    }
    this.shm = SharedMemoryChannel.open(dir, offer);
    this.logger.debug({ requestFile: this.shm.requestFile, replyFile: this.shm.replyFile }, 'shared memory accepted');
    this.send({ requestId, sharedMemoryAccepted: { replyOffset: REPLY_OFFSET, replyThresholdBytes: REPLY_THRESHOLD_BYTES } });
  }

  private async open(open: NonNullable<ClientMessage['openSession']>, requestId: number): Promise<void> {
    if (this.state !== 'ready') throw new FisherdError('UNEXPECTED_MESSAGE', 'send Hello before OpenSession');
    if (this.host !== undefined) {
      throw new FisherdError('UNEXPECTED_MESSAGE', `this connection is attached to session ${this.host.id}; send CloseSession first`);
    }
    const host = open.sessionId
      ? await this.deps.registry.attach(open.sessionId, this)
      : await this.deps.registry.create(withDefaultName(sessionConfigFromWire(open.config), this.clientName), this);
    if ((this.state as State) === 'closed') {
      // The socket closed while the session was loading.
      void this.deps.registry.detach(host, this);
      return;
    }
    this.host = host;
    const lastUpdate = host.lastUpdateMessage;
    this.send({
      requestId,
      sessionOpened: {
        sessionId: host.id,
        resumedStep: host.lastStep,
        config: sessionConfigToWire(host.config),
        ...(lastUpdate === undefined ? {} : { lastUpdate }),
      },
    });
  }

  /**
   * The coordinates an estimates request with diagonals asks for, refused (INVALID_CONFIG naming the
   * largest length that fits) when the reply would exceed --max-reply-bytes: (estimates + ḡ) × length × 8.
   */
  private diagonalRange(host: SessionHost, request: NonNullable<ClientMessage['estimatesRequest']>): { offset: number; length: number } {
    const dim = host.config.dim;
    const offset = request.diagonalOffset ?? 0;
    if (offset > dim) {
      throw new FisherdError('INVALID_CONFIG', `estimatesRequest.diagonalOffset is ${offset}, beyond D = ${dim}`, { field: 'estimatesRequest.diagonalOffset' });
    }
    const length = request.diagonalLength || dim - offset;
    if (offset + length > dim) {
      throw new FisherdError('INVALID_CONFIG', `estimatesRequest.diagonalLength is ${length}: offset ${offset} + length runs past D = ${dim}`, {
        field: 'estimatesRequest.diagonalLength',
      });
    }
    const bytesPerCoordinate = (host.trackedEstimates + 1) * 8;
    const limit = this.deps.maxReplyBytes;
    if (length * bytesPerCoordinate > limit) {
      const fits = Math.max(1, Math.floor(limit / bytesPerCoordinate));
      throw new FisherdError(
        'INVALID_CONFIG',
        `estimates with diagonals over ${length} coordinates would be ${length * bytesPerCoordinate} bytes, above --max-reply-bytes = ${limit}; ask in ranges of at most ${fits} coordinates (estimatesRequest.diagonalOffset, diagonalLength)`,
        { field: 'estimatesRequest.diagonalLength' },
      );
    }
    return { offset, length };
  }

  /**
   * The Kronecker block an estimates request asks the eigenbases of: UNKNOWN_BLOCK or INVALID_CONFIG (not
   * Kronecker; a reply above --max-reply-bytes) naming estimatesRequest.kroneckerBasis.
   */
  private kroneckerBasisBlock(host: SessionHost, name: string): string {
    const field = 'estimatesRequest.kroneckerBasis';
    const block = host.config.blocks?.find((b) => b.name === name);
    if (block === undefined) {
      throw new FisherdError('UNKNOWN_BLOCK', `${field}: no parameter block "${name}"; blocks: ${(host.config.blocks ?? []).map((b) => b.name).join(', ')}`, { field });
    }
    const structure = block.structure;
    if (structure?.kind !== 'kronecker') {
      throw new FisherdError('INVALID_CONFIG', `${field}: block "${name}" is ${structure?.kind ?? 'diagonal'}, not kronecker: it has no eigenbasis`, { field });
    }
    const track = host.config.track ?? {};
    const fishers = (track.empiricalFisher ? 1 : 0) + (track.fisher ? 1 : 0);
    if (fishers === 0) throw new FisherdError('INVALID_CONFIG', `${field}: the session tracks no Fisher, so its Kronecker blocks have no eigenbasis`, { field });
    const bytes = fishers * kroneckerBasisBytes(structure.outputs, structure.inputs + (structure.bias ? 1 : 0));
    if (bytes > this.deps.maxReplyBytes) {
      throw new FisherdError('INVALID_CONFIG', `${field}: the eigenbases of block "${name}" take ${bytes} bytes, above --max-reply-bytes = ${this.deps.maxReplyBytes}`, { field });
    }
    return name;
  }

  private attached(what: string): SessionHost {
    if (this.state !== 'ready') throw new FisherdError('UNEXPECTED_MESSAGE', `send Hello before ${what}`);
    if (this.host === undefined) throw new FisherdError('UNEXPECTED_MESSAGE', `send OpenSession before ${what}`);
    return this.host;
  }

  /** Answers an error; errors with a close code (version, auth, internal) also end the connection. */
  private fail(error: unknown, requestId: number): void {
    if (isFisherdError(error)) {
      this.deps.metrics.countError(error.code);
      this.logger.debug({ code: error.code, field: error.field, step: error.step }, error.message);
    } else {
      this.deps.metrics.countError('INTERNAL');
      this.logger.error({ err: error }, 'internal error while handling a message');
    }
    this.send(errorMessage(error, requestId));
    const closeCode = isFisherdError(error) ? error.closeCode : 1011;
    if (closeCode !== undefined) this.close(closeCode, isFisherdError(error) ? error.code : 'INTERNAL');
  }

  private closed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.helloTimer);
    this.endStall(false);
    this.shm?.close();
    this.shm = undefined;
    this.deps.metrics.connections.dec();
    const host = this.host;
    this.host = undefined;
    if (host !== undefined) {
      this.inbox = this.inbox.then(() => this.deps.registry.detach(host, this)).then(() => undefined, (e: unknown) => {
        this.logger.error({ err: e, sessionId: host.id }, 'detach failed');
      });
    }
  }
}
