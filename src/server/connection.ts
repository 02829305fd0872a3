/**
 * One client WebSocket: decodes its frames, walks the protocol's states (Hello, then OpenSession, then
 * steps, estimates requests and CloseSession), and answers every bad input with a typed Error frame
 * naming the problem. Only errors whose code carries a close code (errors.ts) end the connection.
 *
 * Messages of one connection are handled strictly in order (a promise chain), so that a step sent right
 * after OpenSession waits for the session to be loaded.
 */
import type { WebSocket } from 'ws';
import { FisherdError, isFisherdError } from '../errors.js';
import type { Logger } from '../log.js';
import { sessionConfigFromWire, sessionConfigToWire } from '../protocol/config-codec.js';
import {
  PROTOCOL_VERSION, decodeClientMessage, encodeServerMessage, errorMessage,
  type ClientMessage, type ServerMessageInit,
} from '../protocol/frames.js';
import { contributionFromWire } from '../protocol/step-codec.js';
import { withDefaultName } from '../session/config.js';
import { tokensEqual } from './auth.js';
import type { DaemonMetrics } from './metrics.js';
import { stepContributionBytes } from './recording.js';
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
}

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

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: ConnectionDeps,
  ) {
    this.logger = deps.logger.child({ connection: this.id });
    deps.metrics.connections.inc();
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

  send(message: ServerMessageInit): void {
    if (this.diagonalsInFlight === message.requestId && (message.estimates || message.error)) this.diagonalsInFlight = undefined;
    if (this.ws.readyState !== this.ws.OPEN) return;
    const frame = encodeServerMessage(message);
    this.deps.metrics.sentBytes.inc(frame.byteLength);
    this.ws.send(frame, { binary: true });
  }

  /** Closes the socket with `code` (e.g. 1001 on shutdown). */
  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
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
    this.inbox = this.inbox.then(() => this.handle(message, frame)).catch((e: unknown) => this.fail(e, message.requestId));
  }

  /** `frame`: the message as received, whose StepContribution bytes a recorded session keeps as they are. */
  private async handle(message: ClientMessage, frame: Uint8Array): Promise<void> {
    if (this.state === 'closed') return;
    const requestId = message.requestId;
    switch (message.kind) {
      case 'hello':
        return this.hello(message.hello!, requestId);
      case 'openSession':
        return this.open(message.openSession!, requestId);
      case 'step': {
        const host = this.attached('step');
        host.contribute(this, requestId, contributionFromWire(message.step!), stepContributionBytes(frame));
        return;
      }
      case 'estimatesRequest': {
        const host = this.attached('estimatesRequest');
        const topK = message.estimatesRequest!.topK || DEFAULT_TOP_K;
        if (topK > MAX_TOP_K) {
          throw new FisherdError('INVALID_CONFIG', `estimatesRequest.topK must be ≤ ${MAX_TOP_K}, got ${topK}`, { field: 'estimatesRequest.topK' });
        }
        const request = message.estimatesRequest!;
        if (!request.includeDiagonals) {
          host.requestEstimates(this, requestId, { topK, includeDiagonals: false });
          return;
        }
        const range = this.diagonalRange(host, request);
        if (this.diagonalsInFlight !== undefined) {
          throw new FisherdError('BACKPRESSURE', `estimates request ${this.diagonalsInFlight} with diagonals is still being answered on this connection; wait for it before asking again`, {
            field: 'estimatesRequest.includeDiagonals',
          });
        }
        host.requestEstimates(this, requestId, { topK, includeDiagonals: true, range });
        this.diagonalsInFlight = requestId;
        return;
      }
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
    this.clientName = hello.clientName ?? undefined;
    this.logger.debug({ client: hello.clientName }, 'hello');
    this.send({ requestId, welcome: { protocolVersion: PROTOCOL_VERSION, serverVersion: this.deps.serverVersion, backend: this.deps.backend } });
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
