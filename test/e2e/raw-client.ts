/**
 * A bare protocol client for tests that must send what the real client never would (malformed frames,
 * wrong versions, out-of-order steps): raw frames in, decoded ServerMessages out, in arrival order.
 */
import WebSocket from 'ws';
import { decodeServerMessage, encodeClientMessage, PROTOCOL_VERSION, type ClientMessageInit, type ServerMessage } from '../../src/protocol/frames.js';

export class RawClient {
  private readonly inbox: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private requestId = 1;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.inbox.push(decodeServerMessage(data));
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const w of this.waiters.splice(0)) w();
    }));
  }

  /** `options`: further ws client options (e.g. `localAddress`, to connect from another loopback address). */
  static connect(url: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ...options, headers, perMessageDeflate: false });
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Connects and completes the Hello handshake. */
  static async ready(url: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): Promise<RawClient> {
    const client = await RawClient.connect(url, headers, options);
    const welcome = await client.request({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'raw' } });
    if (welcome.kind !== 'welcome') throw new Error(`expected welcome, got ${welcome.kind}`);
    return client;
  }

  /**
   * Sends `messages` in one TCP write (the socket corked around them), so that the daemon reads them in one
   * event-loop turn; returns their request ids.
   */
  sendTogether(messages: ClientMessageInit[]): number[] {
    const socket = (this.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socket.cork();
    const ids = messages.map((m) => this.send(m));
    socket.uncork();
    return ids;
  }

  sendRaw(frame: Uint8Array | string): void {
    this.ws.send(frame, { binary: typeof frame !== 'string' });
  }

  send(message: ClientMessageInit): number {
    const requestId = message.requestId ?? this.requestId++;
    this.ws.send(encodeClientMessage({ ...message, requestId }), { binary: true });
    return requestId;
  }

  /** Sends and waits for the next message. */
  async request(message: ClientMessageInit): Promise<ServerMessage> {
    this.send(message);
    return this.next();
  }

  /** The next message from the daemon (rejects after `timeoutMs` or on close). */
  async next(timeoutMs = 10_000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error('connection closed');
      if (Date.now() > deadline) throw new Error('no message in time');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.inbox.shift()!;
  }

  close(): void {
    this.ws.close();
  }
}
