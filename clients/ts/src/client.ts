/**
 * The fisherd TypeScript client: one WebSocket connection to the daemon, one session at a time.
 *
 *   const client = await FisherdClient.connect('ws://127.0.0.1:7070', { token });
 *   await client.openSession({ dim, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } });
 *   const update = await client.step({ batchSize, reduction: 'sum', perExampleGrads, sampledLabelGrads });
 *   // θ ← θ + update.delta
 *   await client.close();
 *
 * Reconnect and resume: when the connection drops (network, daemon restart), the client reconnects with
 * exponential back-off, re-attaches to its session and carries on: a step whose update was lost is
 * answered from the daemon's last update, a step the daemon never applied is sent again. When the
 * daemon resumed from an older checkpoint than the client's position, the pending step fails with
 * RESUME_GAP (and `resumedStep`): the training loop must send the steps from there again.
 *
 * Shared memory (opt-in, `sharedMemory: true`): a client on the daemon's machine (or in a sidecar sharing
 * its memory-backed volume) sends its steps and estimates requests through a file in the daemon's
 * shared-memory directory and reads large replies from another (proto SharedMemoryOffer); the WebSocket
 * carries only small frames. Refused (another container, daemon without it): frames, as before, logged once.
 */
import WebSocket from 'ws';
import type { ErrorCode } from '../../../src/errors.js';
import { log as defaultLogger, type Logger } from '../../../src/log.js';
import { sessionConfigFromWire, sessionConfigToWire } from '../../../src/protocol/config-codec.js';
import { estimatesFromWire, type EstimatesData, type KroneckerBasisData } from '../../../src/protocol/estimates-codec.js';
import {
  PROTOCOL_VERSION, decodeServerMessage, encodeClientMessage, errorFromWire,
  type ClientMessageInit, type ServerMessage,
} from '../../../src/protocol/frames.js';
import type { StatisticsEncoding } from '../../../src/protocol/statistics-codec.js';
import { contributionToWire, updateFromWire, type UpdateData } from '../../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../../src/session/config.js';
import type { StepContribution } from '../../../src/session/contribution.js';
import { FisherdClientError } from './errors.js';
import { ClientSharedMemory } from './shared-memory.js';

export type { EstimatesData, SessionConfig, StepContribution, UpdateData };

export interface ConnectOptions {
  /** Bearer token, sent on the upgrade as `Authorization: Bearer …` (required when the daemon has one). */
  readonly token?: string;
  /** Name for the daemon's logs. Default "fisherd-ts-client". */
  readonly clientName?: string;
  /** This client's worker id in data-parallel sessions. Default 0. */
  readonly workerId?: number;
  /** Reconnect and resume after a dropped connection. Default true (10 tries, 100 ms doubling to 5 s). */
  readonly reconnect?: boolean | { readonly retries?: number; readonly minDelayMs?: number; readonly maxDelayMs?: number };
  /** How long a request waits for its answer before failing with TIMEOUT. Default 120000 ms. */
  readonly requestTimeoutMs?: number;
  /** Largest frame the client accepts. Default 256 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * Called with errors the daemon sends without a request of this client to answer, e.g. WORKER_TIMEOUT
   * for a step this worker had not contributed to yet, SHUTTING_DOWN, or CHECKPOINT_FAILED (its `step`:
   * the step the checkpoint on disk holds, where a restart would resume). Default: ignored.
   */
  readonly onNotice?: (error: FisherdClientError) => void;
  /**
   * Send steps and estimates requests through shared memory when the daemon is on this machine and has it
   * (its Welcome names its --shared-memory-dir): `true`, or `{ dir }` where that directory is mounted at
   * another path here. The client creates two files there (mode 0600, unlinked once offered) on every
   * connection; a refusal (not co-located, daemon without it) is logged once and frames are used.
   * Default false.
   */
  readonly sharedMemory?: boolean | { readonly dir?: string };
  /** Where the client logs (the shared-memory fallback). Default the library's pino logger (src/log.ts). */
  readonly logger?: Logger;
}

/**
 * One step's input: a StepContribution whose step and worker id default to the next step and this client's
 * worker. Rows, or `statistics` (see statistics.ts `statisticsFromRows`) with `statisticsEncoding`: how
 * their vectors travel, 'float32' (default), or 'float16' / 'bfloat16' at half the bytes (float16 holds
 * |x| ≤ 65504 with 11 significant bits, bfloat16 float32's range with 8; docs/math.md says when each fits).
 */
export type StepInput = Omit<StepContribution, 'step' | 'workerId'> & {
  readonly step?: number;
  readonly workerId?: number;
  readonly statisticsEncoding?: StatisticsEncoding;
};

export interface SessionInfo {
  readonly sessionId: string;
  /** The last step the session had applied when this client attached (0 for a new session). */
  readonly resumedStep: number;
  /** The session's configuration, defaults filled in. */
  readonly config: SessionConfig;
}

type Kind = 'hello' | 'shm' | 'open' | 'step' | 'estimates' | 'close';

/** Largest estimates reply the client asks for when it reads diagonals in ranges (the daemon's default limit is 64 MiB). */
const DIAGONAL_REPLY_BYTES = 32 * 1024 * 1024;

interface Pending {
  readonly kind: Kind;
  readonly message: ClientMessageInit;
  readonly step?: number;
  readonly resolve: (message: ServerMessage) => void;
  readonly reject: (error: FisherdClientError) => void;
  timer?: NodeJS.Timeout;
}

/** Close codes after which reconnecting cannot help (src/errors.ts). */
const FATAL_CLOSE_CODES: ReadonlyMap<number, ErrorCode> = new Map([
  [1002, 'UNSUPPORTED_VERSION'],
  [1008, 'UNAUTHORIZED'],
]);

export class FisherdClient {
  private ws: WebSocket | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextRequestId = 1;
  private session: SessionInfo | undefined;
  private lastCompletedStep = 0;
  private nextStep = 1;
  private reconnecting: Promise<void> | undefined;
  private closedByUser = false;
  private welcome: { serverVersion: string; backend: string } = { serverVersion: '', backend: '' };
  /** This connection's accepted shared-memory files. */
  private shm: ClientSharedMemory | undefined;
  /** The ref'd request not answered yet (at most one: proto SharedMemoryOffer's ordering contract). */
  private refOutstanding: number | undefined;
  private shmFallbackLogged = false;

  private constructor(
    readonly url: string,
    private readonly options: ConnectOptions,
  ) {}

  /** Connects, says hello and resolves once the daemon has answered. */
  static async connect(url: string, options: ConnectOptions = {}): Promise<FisherdClient> {
    const client = new FisherdClient(url, options);
    await client.open();
    return client;
  }

  /** Whether this connection sends its steps through shared memory (the daemon accepted the offer). */
  get sharedMemoryActive(): boolean {
    return this.shm !== undefined;
  }

  /** The daemon's version and compute backend (from its Welcome). */
  get server(): { readonly serverVersion: string; readonly backend: string } {
    return this.welcome;
  }

  /** The session this client is attached to. */
  get sessionId(): string | undefined {
    return this.session?.sessionId;
  }

  /** The last step whose update this client received (or at which it resumed). */
  get lastStep(): number {
    return this.lastCompletedStep;
  }

  /** Creates a session. */
  async openSession(config: SessionConfig): Promise<SessionInfo> {
    this.requireNoSession();
    const reply = await this.request('open', { openSession: { config: sessionConfigToWire(config) } });
    return this.attached(reply);
  }

  /** Attaches to an existing session: another worker's, or one to resume after a disconnect or a restart. */
  async resumeSession(sessionId: string): Promise<SessionInfo> {
    this.requireNoSession();
    const reply = await this.request('open', { openSession: { sessionId } });
    return this.attached(reply);
  }

  /** Sends this worker's contribution to a step; resolves with the step's update (Δθ). */
  async step(input: StepInput): Promise<UpdateData> {
    if (this.session === undefined) throw new FisherdClientError('UNEXPECTED_MESSAGE', 'open or resume a session before step()');
    const previousNext = this.nextStep;
    const step = input.step ?? previousNext;
    this.nextStep = step + 1;
    const { statisticsEncoding, ...fields } = input;
    const contribution: StepContribution = { ...fields, step, workerId: input.workerId ?? this.options.workerId ?? 0 };
    try {
      const wire = contributionToWire(contribution, statisticsEncoding === undefined ? {} : { statisticsEncoding });
      const reply = await this.request('step', { step: wire }, step);
      const update = updateFromWire(reply.update!);
      this.lastCompletedStep = Math.max(this.lastCompletedStep, update.step);
      return update;
    } catch (e) {
      // The daemon did not apply the step: the counter goes back to where it was before this call, so an
      // automatic step is sent again and a rejected explicit index (say 7 while at 3) does not move it.
      if (e instanceof FisherdClientError && e.code !== 'RESUME_GAP') this.nextStep = Math.min(this.nextStep, previousNext);
      throw e;
    }
  }

  /**
   * The session's current estimates (diagonals, top eigenvalues, traces, EF-vs-Fisher cosine). With
   * `includeDiagonals` and a large D, the diagonals are read in ranges of at most 32 MiB a reply (the
   * daemon refuses replies above its --max-reply-bytes, 64 MiB by default) and put together; ranges that
   * straddle a step (the session stepped in between) are read again, up to 3 times.
   */
  async estimates(query: {
    topK?: number;
    includeDiagonals?: boolean;
    /** The largest reply to ask for when diagonals are read in ranges; at most the daemon's --max-reply-bytes. Default 32 MiB. */
    maxReplyBytes?: number;
  } = {}): Promise<EstimatesData> {
    if (this.session === undefined) throw new FisherdClientError('UNEXPECTED_MESSAGE', 'open or resume a session before estimates()');
    const topK = query.topK ?? 0;
    const ask = async (range?: { offset: number; length: number }): Promise<EstimatesData> => {
      const reply = await this.request('estimates', {
        estimatesRequest: {
          topK, includeDiagonals: query.includeDiagonals ?? false,
          ...(range === undefined ? {} : { diagonalOffset: range.offset, diagonalLength: range.length }),
        },
      });
      return estimatesFromWire(reply.estimates!);
    };
    const { dim, track } = this.session.config;
    const arrays = 1 + (track?.empiricalFisher ? 1 : 0) + (track?.fisher ? 1 : 0) + (track?.noise ? 1 : 0);
    const chunk = Math.max(1, Math.floor((query.maxReplyBytes ?? DIAGONAL_REPLY_BYTES) / (8 * arrays)));
    if (!query.includeDiagonals || dim <= chunk) return ask();
    for (let attempt = 0; attempt < 3; attempt++) {
      const first = await ask({ offset: 0, length: chunk });
      const whole: EstimatesData = {
        ...first,
        estimates: first.estimates.map((e) => ({ ...e, diagonal: new Float64Array(dim) })),
        meanGrad: new Float64Array(dim),
      };
      let sameStep = true;
      for (let offset = 0; offset < dim && sameStep; offset += chunk) {
        const part = offset === 0 ? first : await ask({ offset, length: Math.min(chunk, dim - offset) });
        sameStep = part.step === first.step;
        part.estimates.forEach((e, i) => whole.estimates[i]!.diagonal!.set(e.diagonal ?? [], offset));
        whole.meanGrad!.set(part.meanGrad ?? [], offset);
      }
      if (sameStep) return whole;
    }
    throw new FisherdClientError('BACKPRESSURE', `the session stepped while its diagonals (D = ${dim}) were read in ranges, 3 times; read them between steps`);
  }

  /**
   * The installed eigendecompositions of Kronecker block `block`, one per tracked Fisher (version 0 before
   * the first refresh): the basis an EKFAC client projects its per-example gradients on before sending
   * `eigenbasisSquares` with that `basisVersion`. Ask again when an update's `layer.<block>.basisVersion`
   * diagnostic changes (a refresh).
   */
  async kroneckerBases(block: string): Promise<KroneckerBasisData[]> {
    if (this.session === undefined) throw new FisherdClientError('UNEXPECTED_MESSAGE', 'open or resume a session before kroneckerBases()');
    const reply = await this.request('estimates', { estimatesRequest: { topK: 0, kroneckerBasis: block } });
    return estimatesFromWire(reply.estimates!).kroneckerBases ?? [];
  }

  /**
   * Detaches from the session (which the daemon checkpoints and keeps resumable, unless `discard`).
   * Resolves with the step the session's checkpoint on disk holds, where a resume after a daemon restart
   * continues: less than the last step when that checkpoint failed (with `discard`: the last step).
   */
  async closeSession(options: { discard?: boolean } = {}): Promise<number> {
    if (this.session === undefined) return this.lastCompletedStep;
    const reply = await this.request('close', { closeSession: { discard: options.discard ?? false } });
    this.session = undefined;
    return reply.sessionClosed?.step ?? this.lastCompletedStep;
  }

  /** Closes the session (if any, keeping it resumable) and the connection. */
  async close(): Promise<void> {
    if (this.session !== undefined && this.ws?.readyState === WebSocket.OPEN) {
      await this.closeSession().catch(() => undefined);
    }
    this.closedByUser = true;
    this.rejectAll(new FisherdClientError('CONNECTION_CLOSED', 'the client was closed'));
    this.dropSharedMemory();
    await new Promise<void>((resolve) => {
      const ws = this.ws;
      if (ws === undefined || ws.readyState === WebSocket.CLOSED) return resolve();
      ws.once('close', () => resolve());
      ws.close(1000, 'client closed');
    });
  }

  // ---- connection ----------------------------------------------------------------------------------

  private async open(): Promise<void> {
    const ws = await this.dial();
    this.ws = ws;
    ws.on('message', (data: Buffer) => this.receive(data));
    ws.on('close', (code: number, reason: Buffer) => this.lost(ws, code, reason.toString()));
    ws.on('error', () => undefined); // 'close' follows and decides
    const welcome = await this.request('hello', {
      hello: { protocolVersion: PROTOCOL_VERSION, clientName: this.options.clientName ?? 'fisherd-ts-client' },
    });
    this.welcome = { serverVersion: welcome.welcome?.serverVersion ?? '', backend: welcome.welcome?.backend ?? '' };
    await this.offerSharedMemory(welcome.welcome?.sharedMemoryDir ?? '');
  }

  /** Offers shared-memory files when asked to and the daemon has them; falls back to frames (logged once). */
  private async offerSharedMemory(daemonDir: string): Promise<void> {
    const option = this.options.sharedMemory ?? false;
    if (option === false) return;
    if (daemonDir === '') {
      this.shmFallback('the daemon has shared memory off (its Welcome names no --shared-memory-dir)');
      return;
    }
    const dir = (typeof option === 'object' ? option.dir : undefined) ?? daemonDir;
    let channel: ClientSharedMemory;
    try {
      channel = ClientSharedMemory.create(dir);
    } catch (e) {
      this.shmFallback(`cannot create files in ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return;
    }
    try {
      await this.request('shm', { sharedMemoryOffer: channel.offer });
      channel.unlink(); // the daemon holds them open
      this.shm = channel;
      this.refOutstanding = undefined;
    } catch (e) {
      channel.close();
      if (e instanceof FisherdClientError && (e.code === 'SHARED_MEMORY_UNAVAILABLE' || e.code === 'UNEXPECTED_MESSAGE')) {
        this.shmFallback(e.message);
        return;
      }
      throw e; // the connection itself failed: as for hello
    }
  }

  private shmFallback(why: string): void {
    if (this.shmFallbackLogged) return;
    this.shmFallbackLogged = true;
    (this.options.logger ?? defaultLogger).warn({ url: this.url }, `fisherd client: shared memory not used (${why}); sending frames`);
  }

  private dropSharedMemory(): void {
    this.shm?.close();
    this.shm = undefined;
    this.refOutstanding = undefined;
  }

  private dial(): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (this.options.token !== undefined) headers['authorization'] = `Bearer ${this.options.token}`;
      const ws = new WebSocket(this.url, { headers, perMessageDeflate: false, maxPayload: this.options.maxFrameBytes ?? 256 * 1024 * 1024 });
      ws.binaryType = 'nodebuffer';
      const fail = (error: FisherdClientError): void => {
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(error);
      };
      ws.once('open', () => {
        ws.removeAllListeners();
        resolve(ws);
      });
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        // The daemon says why in a one-line text body (e.g. --max-connections reached, a refused Origin).
        let body = '';
        let settled = false;
        const refused = (): void => {
          if (settled) return;
          settled = true;
          const why = body.trim() === '' ? '' : `: ${body.trim().slice(0, 500)}`;
          if (status === 401) fail(new FisherdClientError('UNAUTHORIZED', `the daemon refused the connection: missing or wrong bearer token (HTTP 401)`));
          else if (status === 403) fail(new FisherdClientError('UNAUTHORIZED', `the daemon refused the connection (HTTP 403)${why}`));
          else if (status === 503) fail(new FisherdClientError('SHUTTING_DOWN', `the daemon is not accepting connections (HTTP 503)${why}`));
          else fail(new FisherdClientError('CONNECTION_CLOSED', `the daemon answered the upgrade with HTTP ${status}${why}`));
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        res.once('end', refused);
        res.once('close', refused);
        res.once('error', refused);
      });
      ws.once('error', (e) => fail(new FisherdClientError('CONNECTION_CLOSED', `cannot connect to ${this.url}: ${e.message}`)));
    });
  }

  private receive(data: Buffer): void {
    let message: ServerMessage;
    try {
      message = decodeServerMessage(data);
      if (message.kind === 'messageRef') message = this.dereference(message);
    } catch (e) {
      const requestId = (e as { requestId?: number }).requestId;
      const pending = requestId ? this.pending.get(requestId) : undefined;
      if (requestId !== undefined && pending !== undefined) {
        this.settle(requestId, pending, new FisherdClientError('MALFORMED_FRAME', `the daemon's reply in shared memory cannot be read: ${(e as Error).message}`));
      }
      return; // a frame this client cannot read: nothing to answer
    }
    if (this.refOutstanding !== undefined && message.requestId === this.refOutstanding) this.refOutstanding = undefined;
    const pending = message.requestId ? this.pending.get(message.requestId) : undefined;
    if (message.kind === 'error') {
      const e = errorFromWire(message.error!);
      const error = new FisherdClientError(e.code, e.message, {
        ...(e.field === undefined ? {} : { field: e.field }),
        ...(e.step === undefined ? {} : { step: e.step }),
      });
      if (pending !== undefined) this.settle(message.requestId, pending, error);
      // Unsolicited (e.g. another worker's step timed out before this one contributed): it fails nothing
      // of this client's (its own contributions are answered by request id), so it is only reported.
      else this.options.onNotice?.(error);
      return;
    }
    if (message.kind === 'update' && message.update?.step) {
      this.lastCompletedStep = Math.max(this.lastCompletedStep, message.update.step);
    }
    if (pending !== undefined) this.settle(message.requestId, pending, message);
  }

  /** The message a MessageRef frame names in the reply file (read now, before the next ref'd request). */
  private dereference(ref: ServerMessage): ServerMessage {
    if (this.refOutstanding !== undefined && ref.requestId === this.refOutstanding) this.refOutstanding = undefined;
    try {
      if (this.shm === undefined) throw new Error('a messageRef, but no shared memory is set up');
      const bytes = this.shm.read(ref.messageRef?.offset ?? 0, ref.messageRef?.length ?? 0);
      if (bytes === undefined) throw new Error('the reply file is shorter than the messageRef says');
      const message = decodeServerMessage(bytes);
      if (message.kind === 'messageRef') throw new Error('a messageRef inside a messageRef');
      return message;
    } catch (e) {
      throw Object.assign(new Error(e instanceof Error ? e.message : String(e)), { requestId: ref.requestId });
    }
  }

  private settle(id: number, pending: Pending, outcome: ServerMessage | FisherdClientError): void {
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof FisherdClientError) pending.reject(outcome);
    else pending.resolve(outcome);
  }

  private request(kind: Kind, body: ClientMessageInit, step?: number): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      if (this.reconnecting === undefined && this.ws?.readyState !== WebSocket.OPEN) {
        reject(new FisherdClientError('CONNECTION_CLOSED', `not connected to ${this.url}${this.closedByUser ? ' (the client was closed)' : ''}`));
        return;
      }
      const requestId = this.nextRequestId++;
      const message = { ...body, requestId };
      const pending: Pending = { kind, message, ...(step === undefined ? {} : { step }), resolve, reject };
      const timeoutMs = this.options.requestTimeoutMs ?? 120_000;
      pending.timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new FisherdClientError('TIMEOUT', `no answer to ${kind} within ${timeoutMs} ms`, step === undefined ? {} : { step }));
      }, timeoutMs);
      this.pending.set(requestId, pending);
      // While reconnecting, the request waits in `pending` and is sent once the session is restored.
      if (this.reconnecting === undefined || kind === 'hello' || kind === 'shm' || kind === 'open') {
        this.transmit(message, kind === 'step' || kind === 'estimates');
      }
    });
  }

  /**
   * Sends one message: with `byRef`, through the request file when shared memory is set up and no other
   * ref'd request is outstanding (its reply, if large, then comes through the reply file); else a frame.
   */
  private transmit(message: ClientMessageInit, byRef = false): void {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    const bytes = encodeClientMessage(message);
    const requestId = message.requestId ?? 0;
    if (byRef && this.shm !== undefined && this.refOutstanding === undefined && requestId !== 0) {
      let ref: { offset: number; length: number } | undefined;
      try {
        ref = this.shm.write(bytes);
      } catch (e) {
        this.shmFallback(`cannot write the request file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
        this.dropSharedMemory();
      }
      if (ref !== undefined) {
        this.refOutstanding = requestId;
        this.ws.send(encodeClientMessage({ requestId, messageRef: ref }), { binary: true });
        return;
      }
    }
    this.ws.send(bytes, { binary: true });
  }

  private attached(reply: ServerMessage): SessionInfo {
    const opened = reply.sessionOpened!;
    const session: SessionInfo = {
      sessionId: opened.sessionId ?? '', resumedStep: opened.resumedStep ?? 0, config: sessionConfigFromWire(opened.config),
    };
    this.session = session;
    this.lastCompletedStep = session.resumedStep;
    this.nextStep = session.resumedStep + 1;
    return session;
  }

  private requireNoSession(): void {
    if (this.session !== undefined) {
      throw new FisherdClientError('UNEXPECTED_MESSAGE', `this client is attached to session ${this.session.sessionId}; closeSession() first`);
    }
  }

  private rejectAll(error: FisherdClientError, filter: (p: Pending) => boolean = () => true): void {
    for (const [id, p] of [...this.pending]) if (filter(p)) this.settle(id, p, error);
  }

  // ---- reconnect and resume ------------------------------------------------------------------------

  private lost(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws || this.closedByUser) return;
    this.dropSharedMemory(); // the daemon closed its side; a new connection offers new files
    const fatal = FATAL_CLOSE_CODES.get(code);
    if (code === 1009) {
      // FRAME_TOO_LARGE: sending the same frames again would fail again.
      this.rejectAll(new FisherdClientError('FRAME_TOO_LARGE', 'the daemon closed the connection: a frame exceeded its --max-frame-bytes (1009)'),
        (p) => p.kind === 'step');
    }
    const policy = this.options.reconnect ?? true;
    if (fatal !== undefined || policy === false) {
      this.rejectAll(new FisherdClientError(fatal ?? 'CONNECTION_CLOSED', `connection closed (${code}${reason ? `: ${reason}` : ''})`));
      this.ws = undefined;
      return;
    }
    this.reconnecting = this.reconnect(policy === true ? {} : policy).finally(() => {
      this.reconnecting = undefined;
    });
  }

  private async reconnect(policy: { retries?: number; minDelayMs?: number; maxDelayMs?: number }): Promise<void> {
    const retries = policy.retries ?? 10;
    let delay = policy.minDelayMs ?? 100;
    // The hello/open of the lost connection will never be answered: fail them (connect() callers retry).
    this.rejectAll(new FisherdClientError('CONNECTION_CLOSED', 'the connection closed during the handshake'), (p) => p.kind === 'hello' || p.kind === 'shm' || p.kind === 'open');
    for (let attempt = 1; attempt <= retries && !this.closedByUser; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(2 * delay, policy.maxDelayMs ?? 5000);
      try {
        await this.open();
        if (this.session !== undefined) await this.resume(this.session.sessionId);
        else for (const p of this.pending.values()) this.transmit(p.message);
        return;
      } catch (e) {
        if (e instanceof FisherdClientError && (e.code === 'UNAUTHORIZED' || e.code === 'UNSUPPORTED_VERSION' || e.code === 'UNKNOWN_SESSION')) {
          this.rejectAll(e);
          return;
        }
      }
    }
    this.rejectAll(new FisherdClientError('CONNECTION_CLOSED', `lost the connection to ${this.url} and could not reconnect after ${retries} tries`));
  }

  /** Re-attaches to the session and settles or re-sends what was pending. */
  private async resume(sessionId: string): Promise<void> {
    const reply = await this.request('open', { openSession: { sessionId } });
    const opened = reply.sessionOpened!;
    const resumed = opened.resumedStep ?? 0;
    const lastUpdate = opened.lastUpdate;
    this.lastCompletedStep = resumed;
    const steps = [...this.pending].filter(([, p]) => p.kind === 'step').sort(([, a], [, b]) => (a.step ?? 0) - (b.step ?? 0));
    let expected = resumed + 1;
    for (const [id, p] of steps) {
      const step = p.step ?? 0;
      if (step === resumed && lastUpdate && lastUpdate.step === step) {
        this.settle(id, p, { requestId: id, kind: 'update', update: lastUpdate } as unknown as ServerMessage);
      } else if (step === expected) {
        this.transmit(p.message);
        expected++;
      } else {
        this.settle(id, p, new FisherdClientError('RESUME_GAP',
          `the session resumed at step ${resumed} (its last checkpoint), but this step is ${step}: send the steps from ${resumed + 1} again`,
          { step, resumedStep: resumed }));
      }
    }
    this.nextStep = Math.min(this.nextStep, expected);
    for (const p of this.pending.values()) if (p.kind === 'estimates' || p.kind === 'close') this.transmit(p.message);
  }
}
