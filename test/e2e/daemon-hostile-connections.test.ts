/**
 * End to end, real daemon process, hostile connections (issue 12, items 2, 3 and 5): a client that never
 * reads its replies, connections that never send Hello or never send a byte, more connections than
 * --max-connections, one connection opening sessions in a loop, a discard while another peer is attached,
 * cross-origin and DNS-rebound requests, weak tokens. Each hostile case runs under the watchdog
 * (hostile-watch.ts): the daemon answers /livez within 1 s throughout and its RSS stays under a stated
 * bound; what was measured is printed.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError } from '../../clients/ts/src/index.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { encodeClientMessage, errorCodeFromWire, PROTOCOL_VERSION, type ClientMessageInit, type ServerMessage } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import { buildDaemon, ROOT, startDaemon, type RunningDaemon } from './daemon-harness.js';
import { watchDaemon, type WatchResult } from './hostile-watch.js';
import { RawClient } from './raw-client.js';

const MiB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function report(name: string, seen: WatchResult): void {
  console.log(
    `[hostile] ${name}: worst /livez ${seen.worstLivezMs.toFixed(1)} ms over ${seen.probes} probes (${seen.livezFailures} failed); `
      + `RSS ${(seen.startRssBytes / MiB).toFixed(1)} MiB at start, peak ${(seen.peakRssBytes / MiB).toFixed(1)} MiB`,
  );
}

function expectHealthy(seen: WatchResult, rssGrowthBound: number): void {
  expect(seen.livezFailures).toBe(0);
  expect(seen.worstLivezMs).toBeLessThan(1000);
  expect(seen.peakRssBytes - seen.startRssBytes).toBeLessThan(rssGrowthBound);
}

/** The daemon's pino log lines, parsed. */
function logLines(daemon: RunningDaemon): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of daemon.stderr().split('\n')) {
    try {
      if (line.startsWith('{') && line.endsWith('}')) lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line still being written
    }
  }
  return lines;
}

/** Waits (up to `ms`) for the daemon's log to match `re`: its stderr arrives after its replies. */
async function logMatches(daemon: RunningDaemon, re: RegExp, ms = 2000): Promise<string> {
  const deadline = Date.now() + ms;
  while (!re.test(daemon.stderr()) && Date.now() < deadline) await sleep(20);
  return daemon.stderr();
}

function expectError(message: ServerMessage, code: string, text?: RegExp): void {
  expect(message.kind, JSON.stringify(message)).toBe('error');
  expect(errorCodeFromWire(message.error!.code ?? 0)).toBe(code);
  if (text) expect(message.error!.message).toMatch(text);
}

/** A WebSocket upgrade by hand: 101, or the refusal's status and body. */
function tryUpgrade(port: number, headers: Record<string, string> = {}, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: '127.0.0.1', port, path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-version': '13', ...headers },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A plain GET with chosen headers (fetch does not let a test set Host). */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** One client-to-server binary frame (masked, with a zero key, as the protocol allows). */
function maskedFrame(payload: Uint8Array): Buffer {
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([0x82, 0x80 | payload.length]);
  else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x82;
    header[1] = 0x80 | 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

/**
 * A protocol client over a bare TCP socket that upgrades by hand and then never reads: its receive
 * window fills and whatever the daemon sends it stays in the daemon's buffers.
 */
class NonReader {
  readonly closed: Promise<void>;
  private requestId = 1;

  private constructor(readonly socket: Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<NonReader> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect(port, '127.0.0.1');
      let head = '';
      socket.on('error', reject);
      socket.on('data', function onData(chunk: Buffer) {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData);
        socket.pause(); // from now on nothing is read
        if (!head.startsWith('HTTP/1.1 101')) reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
        else resolve(new NonReader(socket));
      });
      socket.write([
        'GET / HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', '',
      ].join('\r\n'));
    });
  }

  send(message: ClientMessageInit): void {
    if (!this.socket.destroyed) this.socket.write(maskedFrame(encodeClientMessage({ ...message, requestId: message.requestId ?? this.requestId++ })));
  }

  /** Reads again (drains what is left), so that a close from the daemon gets through; resolves when closed. */
  async drainUntilClosed(timeoutMs: number): Promise<boolean> {
    this.socket.resume();
    return Promise.race([this.closed.then(() => true), sleep(timeoutMs).then(() => false)]);
  }
}

/** Steps a small session in a loop while a hostile case runs; returns the steps done and the slowest. */
function bystander(url: string): { stop(): Promise<{ steps: number; slowestMs: number }> } {
  let running = true;
  const done = (async () => {
    const client = await FisherdClient.connect(url);
    await client.openSession({ dim: 8, optimizer: { name: 'sgd', stepSize: 1 } });
    let steps = 0;
    let slowestMs = 0;
    while (running) {
      const started = performance.now();
      await client.step({ batchSize: 1, reduction: 'sum', meanGrad: new Float32Array(8).fill(1) });
      slowestMs = Math.max(slowestMs, performance.now() - started);
      steps++;
      await sleep(20);
    }
    await client.close();
    return { steps, slowestMs };
  })();
  return {
    async stop() {
      running = false;
      return done;
    },
  };
}

describe('fisherd daemon: a client that never reads its replies', () => {
  const CAP = 4 * MiB;
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon(['--max-send-buffer-bytes', String(CAP), '--send-stall-ms', '1500']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('asking for large estimates without reading: its requests wait, it is closed, RSS stays bounded, others are served', async () => {
    const D = 65_536; // an estimates reply with diagonals is ≥ 512 KiB
    const watch = watchDaemon(daemon);
    const other = bystander(daemon.url);
    const hostile = await NonReader.open(daemon.port);
    hostile.send({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'non-reader' } });
    const config: SessionConfig = { dim: D, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 } };
    hostile.send({ openSession: { config: sessionConfigToWire(config) } });
    hostile.send({ step: contributionToWire({ step: 1, workerId: 0, batchSize: 1, reduction: 'sum', perExampleGrads: new Float32Array(D).fill(0.5) }) });
    // Bursts of 6-byte requests, each answered by half a MiB or more, for up to 5 s.
    const estimates = { estimatesRequest: { includeDiagonals: true, topK: 1 } };
    const started = Date.now();
    let closed = false;
    void hostile.closed.then(() => (closed = true));
    while (!closed && Date.now() - started < 5000 && !daemon.stderr().includes('SEND_BUFFER_FULL')) {
      for (let i = 0; i < 16; i++) hostile.send(estimates);
      await sleep(25);
    }
    const sawStall = daemon.stderr().includes('its requests wait');
    // Keep it not reading a little longer: the daemon must close it, not buffer without end.
    await sleep(1500);
    expect(await hostile.drainUntilClosed(5000)).toBe(true);
    const seen = await watch.stop();
    const served = await other.stop();
    report(`never-reading client (estimates, cap ${CAP / MiB} MiB)`, seen);
    console.log(`[hostile]   bystander: ${served.steps} steps, slowest ${served.slowestMs.toFixed(1)} ms`);
    expect(sawStall).toBe(true);
    const closing = logLines(daemon).filter((l) => String(l['msg']).startsWith('closing with 1008 SEND_BUFFER_FULL: client does not read its replies'));
    expect(closing).toHaveLength(1);
    expect(closing[0]!['buffered']).toBeLessThanOrEqual(2 * CAP + 2 * MiB);
    expectHealthy(seen, 150 * MiB);
    expect(served.steps).toBeGreaterThan(20);
    expect(served.slowestMs).toBeLessThan(1000);
    let metrics = '';
    for (let i = 0; i < 20 && !/fisherd_connections 0/.test(metrics); i++) {
      await sleep(50);
      metrics = await (await fetch(`${daemon.http}/metrics`)).text();
    }
    expect(metrics).toMatch(/fisherd_connections 0/);
  });

  it('a client that stops reading for less than --send-stall-ms is only paused: every request is answered afterwards', async () => {
    const D = 65_536;
    const client = await RawClient.ready(daemon.url);
    const config: SessionConfig = { dim: D, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 } };
    expect((await client.request({ openSession: { config: sessionConfigToWire(config) } })).kind).toBe('sessionOpened');
    const contribution = (step: number) => contributionToWire({ step, workerId: 0, batchSize: 1, reduction: 'sum', perExampleGrads: new Float32Array(D).fill(0.5) });
    expect((await client.request({ step: contribution(1) })).kind).toBe('update');
    const linesBefore = logLines(daemon).length;
    const watch = watchDaemon(daemon);
    client.ws.pause(); // stops reading its socket: the daemon's replies pile up
    const sent: number[] = [];
    const stalled = () => logLines(daemon).slice(linesBefore).some((l) => String(l['msg']).includes('its requests wait'));
    // One request at a time (a client that pipelines deeply has more replies in flight when the stall
    // begins, which count against twice the cap).
    for (let i = 0; i < 200 && !stalled(); i++) {
      sent.push(client.send({ estimatesRequest: { includeDiagonals: true, topK: 1 } }));
      await sleep(15);
    }
    expect(stalled()).toBe(true);
    for (let i = 0; i < 8; i++) sent.push(client.send({ estimatesRequest: { includeDiagonals: true, topK: 1 } })); // they wait
    await sleep(300);
    client.ws.resume();
    const answered = new Map<number, string>();
    while (answered.size < sent.length) {
      const reply = await client.next(5000);
      answered.set(reply.requestId, reply.kind === 'error' ? errorCodeFromWire(reply.error!.code ?? 0) : String(reply.kind));
    }
    expect([...answered.keys()].sort((a, b) => a - b)).toEqual(sent);
    for (const kind of answered.values()) expect(['estimates', 'BACKPRESSURE']).toContain(kind);
    expect([...answered.values()].filter((k) => k === 'estimates').length).toBeGreaterThan(8);
    console.log(`[hostile]   ${sent.length} requests, all answered after the pause (${[...answered.values()].filter((k) => k === 'estimates').length} estimates)`);
    expect((await client.request({ step: contribution(2) })).kind).toBe('update');
    const seen = await watch.stop();
    report('client that pauses reading below --send-stall-ms', seen);
    await logMatches(daemon, /peer reads again/);
    expect(logLines(daemon).slice(linesBefore).some((l) => String(l['msg']).includes('peer reads again'))).toBe(true);
    expect(logLines(daemon).slice(linesBefore).some((l) => String(l['msg']).includes('SEND_BUFFER_FULL'))).toBe(false);
    expectHealthy(seen, 150 * MiB);
    client.close();
    await client.closed;
  });

  it('attached to a session another worker drives, without reading: closed beyond twice the cap, the worker is not slowed', async () => {
    const D = 131_072; // every update is 512 KiB
    const STEPS = 200;
    const worker = await FisherdClient.connect(daemon.url);
    const info = await worker.openSession({ dim: D, optimizer: { name: 'sgd', stepSize: 1 } });
    const grad = new Float32Array(D).fill(1);
    // Warm-up without the hostile peer: the daemon's heap grows to what this traffic needs (some 60 MiB
    // of RSS on its own), so that the growth watched below is what the slow peer costs.
    for (let step = 1; step <= STEPS; step++) await worker.step({ batchSize: 1, reduction: 'sum', meanGrad: grad });
    const watch = watchDaemon(daemon);
    const hostile = await NonReader.open(daemon.port);
    hostile.send({ hello: { protocolVersion: PROTOCOL_VERSION, clientName: 'non-reader' } });
    hostile.send({ openSession: { sessionId: info.sessionId } });
    await sleep(200);
    let slowestMs = 0;
    const linesBefore = logLines(daemon).length;
    const stepsStarted = performance.now();
    for (let step = STEPS + 1; step <= 2 * STEPS; step++) {
      const t = performance.now();
      const update = await worker.step({ batchSize: 1, reduction: 'sum', meanGrad: grad });
      slowestMs = Math.max(slowestMs, performance.now() - t);
      expect(update.step).toBe(step);
    }
    const stepsMs = performance.now() - stepsStarted;
    expect(await hostile.drainUntilClosed(5000)).toBe(true);
    const seen = await watch.stop();
    console.log(`[hostile]   ${STEPS} steps took ${stepsMs.toFixed(0)} ms`);
    report(`never-reading peer of a busy session (${STEPS} broadcast updates of 512 KiB)`, seen);
    console.log(`[hostile]   driving worker: slowest step ${slowestMs.toFixed(1)} ms`);
    await logMatches(daemon, /more than twice --max-send-buffer-bytes unsent/);
    const closing = logLines(daemon).slice(linesBefore).filter((l) => String(l['msg']).includes('more than twice --max-send-buffer-bytes unsent'));
    expect(closing).toHaveLength(1);
    // What waited for the peer when it was closed: at most twice the cap and one update.
    expect(closing[0]!['buffered']).toBeLessThanOrEqual(2 * CAP + 2 * MiB);
    // Without the cap all 100 MiB of updates would wait in the daemon for the peer.
    expectHealthy(seen, 50 * MiB);
    expect(slowestMs).toBeLessThan(1000);
    await worker.close();
  });
});

describe('fisherd daemon: connection hygiene', () => {
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon(['--hello-timeout-ms', '300', '--handshake-timeout-ms', '300', '--max-connections', '6']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('closes TCP connections that never send a byte, or trickle their headers, after the deadline', async () => {
    const watch = watchDaemon(daemon);
    const started = performance.now();
    const sockets = Array.from({ length: 40 }, (_, i) => {
      const socket = tcpConnect(daemon.port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('error', () => undefined);
      let trickle: NodeJS.Timeout | undefined;
      if (i % 4 === 0) {
        socket.once('connect', () => {
          socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
          trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
        });
      }
      return new Promise<{ ms: number; answer: string }>((resolve) => socket.once('close', () => {
        clearInterval(trickle);
        resolve({ ms: performance.now() - started, answer });
      }));
    });
    const closed = await Promise.all(sockets);
    const seen = await watch.stop();
    const slowest = Math.max(...closed.map((c) => c.ms));
    report('40 idle or trickling TCP connections (deadline 300 ms)', seen);
    console.log(`[hostile]   all closed after ${slowest.toFixed(0)} ms`);
    expect(slowest).toBeLessThan(2000);
    expect(closed.filter((c) => c.answer.startsWith('HTTP/1.1 408')).length).toBeGreaterThan(30);
    expectHealthy(seen, 50 * MiB);
  });

  it('closes a WebSocket that sends no Hello with HELLO_TIMEOUT, and keeps one that did', async () => {
    const watch = watchDaemon(daemon);
    const silent = await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(daemon.url)));
    const greeted = await RawClient.ready(daemon.url);
    const t = performance.now();
    const codes = await Promise.all(silent.map((c) => c.closed));
    const ms = performance.now() - t;
    for (const { code, reason } of codes) {
      expect(code).toBe(1008);
      expect(reason).toBe('HELLO_TIMEOUT');
    }
    expectError(await silent[0]!.next(100), 'UNEXPECTED_MESSAGE', /no Hello within 300 ms of the upgrade \(--hello-timeout-ms\)/);
    expect(ms).toBeLessThan(1500);
    await sleep(400); // well past the deadline
    const opened = await greeted.request({ openSession: { config: sessionConfigToWire({ dim: 2, optimizer: { name: 'sgd', stepSize: 1 } }) } });
    expect(opened.kind).toBe('sessionOpened');
    greeted.close();
    await greeted.closed;
    const seen = await watch.stop();
    report('5 WebSockets without Hello (deadline 300 ms)', seen);
    expectHealthy(seen, 50 * MiB);
  });

  it('refuses upgrades beyond --max-connections with 503 and a clear body, protocol and dashboard together', async () => {
    const watch = watchDaemon(daemon);
    const held = await Promise.all(Array.from({ length: 6 }, () => RawClient.ready(daemon.url)));
    const refused = await tryUpgrade(daemon.port);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatch(/fisherd holds its maximum of 6 WebSocket connections \(--max-connections 6, protocol and dashboard together\)/);
    expect((await tryUpgrade(daemon.port, {}, '/dashboard/ws')).status).toBe(503);
    const error = await FisherdClient.connect(daemon.url, { reconnect: false }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(FisherdClientError);
    expect((error as FisherdClientError).message).toMatch(/HTTP 503.*--max-connections 6/);
    expect((await fetch(`${daemon.http}/livez`)).status).toBe(200);
    held[0]!.close();
    await held[0]!.closed;
    await sleep(50);
    const again = await RawClient.ready(daemon.url);
    expect(await logMatches(daemon, /upgrade refused: --max-connections reached/)).toMatch(/upgrade refused: --max-connections reached/);
    for (const c of [again, ...held.slice(1)]) c.close();
    await Promise.all([again, ...held.slice(1)].map((c) => c.closed));
    const seen = await watch.stop();
    report('connections beyond --max-connections 6', seen);
    expectHealthy(seen, 50 * MiB);
  });
});

describe('fisherd daemon: session quotas and discard', () => {
  let daemon: RunningDaemon;
  const config = sessionConfigToWire({ dim: 4, optimizer: { name: 'sgd', stepSize: 1 } });

  beforeAll(async () => {
    daemon = await startDaemon(['--max-sessions', '10', '--max-sessions-per-connection', '3', '--max-sessions-per-address', '5']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  async function openNew(client: RawClient): Promise<ServerMessage> {
    return client.request({ openSession: { config } });
  }

  it('refuses one connection opening sessions in a loop beyond its quota, and one address beyond its own; others still open', async () => {
    const watch = watchDaemon(daemon);
    const looper = await RawClient.ready(daemon.url);
    const ids: string[] = [];
    let refusal: ServerMessage | undefined;
    for (let i = 0; i < 50 && refusal === undefined; i++) {
      const reply = await openNew(looper);
      if (reply.kind !== 'sessionOpened') {
        refusal = reply;
        break;
      }
      ids.push(reply.sessionOpened!.sessionId!);
      expect((await looper.request({ closeSession: { discard: false } })).kind).toBe('sessionClosed');
    }
    expect(ids).toHaveLength(3);
    expectError(refusal!, 'BACKPRESSURE', /this connection holds 3 sessions in memory, its maximum \(--max-sessions-per-connection 3\)/);
    expect(refusal!.error!.field).toBe('openSession');
    // Joining one of its idle sessions is not a new one; discarding it frees a place.
    expect((await looper.request({ openSession: { sessionId: ids[0]! } })).kind).toBe('sessionOpened');
    expect((await looper.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');
    expect((await openNew(looper)).kind).toBe('sessionOpened');
    expect((await looper.request({ closeSession: { discard: false } })).kind).toBe('sessionClosed');
    expectError(await openNew(looper), 'BACKPRESSURE', /--max-sessions-per-connection 3/);

    // A second connection from the same address: 2 more, then the address is full.
    const sibling = await RawClient.ready(daemon.url);
    for (let i = 0; i < 2; i++) {
      expect((await openNew(sibling)).kind).toBe('sessionOpened');
      expect((await sibling.request({ closeSession: {} })).kind).toBe('sessionClosed');
    }
    expectError(await openNew(sibling), 'BACKPRESSURE', /the connections from 127\.0\.0\.1 hold 5 sessions in memory, their maximum \(--max-sessions-per-address 5\)/);

    // Another client (another loopback address) still opens sessions.
    const other = await RawClient.ready(daemon.url, {}, { localAddress: '127.0.0.2' });
    expect((await openNew(other)).kind).toBe('sessionOpened');
    const metrics = await (await fetch(`${daemon.http}/metrics`)).text();
    expect(metrics).toMatch(/fisherd_sessions 6/);
    for (const c of [looper, sibling, other]) c.close();
    await Promise.all([looper, sibling, other].map((c) => c.closed));
    const seen = await watch.stop();
    report('one connection opening sessions in a loop', seen);
    expectHealthy(seen, 50 * MiB);
  });

  it('keeps a session one peer discards while another is attached; the last one to leave decides', async () => {
    const first = await RawClient.ready(daemon.url, {}, { localAddress: '127.0.0.3' });
    const opened = await openNew(first);
    const sessionId = opened.sessionOpened!.sessionId!;
    const second = await RawClient.ready(daemon.url, {}, { localAddress: '127.0.0.3' });
    expect((await second.request({ openSession: { sessionId } })).kind).toBe('sessionOpened');
    expect((await first.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');
    expect(await logMatches(daemon, /discard ignored: other connections still use the session; it is kept/)).toMatch(/discard ignored: other connections still use the session; it is kept/);
    const step = await second.request({ step: contributionToWire({ step: 1, workerId: 0, batchSize: 1, reduction: 'sum', meanGrad: new Float32Array(4).fill(1) }) });
    expect(step.kind, JSON.stringify(step)).toBe('update');
    const closed = await second.request({ closeSession: {} });
    expect(closed.sessionClosed!.step).toBe(1);
    // Kept, resumable: a third connection joins it at step 1.
    const third = await RawClient.ready(daemon.url, {}, { localAddress: '127.0.0.3' });
    const resumed = await third.request({ openSession: { sessionId } });
    expect(resumed.kind, JSON.stringify(resumed)).toBe('sessionOpened');
    expect(resumed.sessionOpened!.resumedStep).toBe(1);
    // The last one to leave may discard it.
    expect((await third.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');
    const gone = await first.request({ openSession: { sessionId } });
    expectError(gone, 'UNKNOWN_SESSION');
    for (const c of [first, second, third]) c.close();
  });
});

describe('fisherd daemon: browsers, no token', () => {
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon(['--allowed-origins', 'http://allowed.example:8080']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('refuses a cross-origin upgrade with 403 and accepts a listed origin', async () => {
    const watch = watchDaemon(daemon);
    const refused = await tryUpgrade(daemon.port, { origin: 'http://evil.example' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/^fisherd: upgrade refused: a browser page from Origin "http:\/\/evil\.example" may not connect.*--allowed-origins/);
    // Even the daemon's own origin: only its dashboard is same-origin, and it does not speak the protocol.
    expect((await tryUpgrade(daemon.port, { origin: `http://127.0.0.1:${daemon.port}` })).status).toBe(403);
    expect((await tryUpgrade(daemon.port, { origin: 'http://allowed.example:8080' })).status).toBe(101);
    expect((await tryUpgrade(daemon.port, { origin: 'HTTP://Allowed.Example:8080' })).status).toBe(101);
    expect((await tryUpgrade(daemon.port)).status).toBe(101); // tools send no Origin
    await expect(RawClient.connect(daemon.url, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    expect(await logMatches(daemon, /upgrade refused: a browser page from Origin/)).toMatch(/upgrade refused: a browser page from Origin/);
    const seen = await watch.stop();
    report('cross-origin upgrades', seen);
    expectHealthy(seen, 50 * MiB);
  });

  it('refuses a rebound Host on the protocol and the dashboard; loopback names pass; /livez is not guarded', async () => {
    const rebound = `evil.example:${daemon.port}`;
    const refused = await tryUpgrade(daemon.port, { host: rebound });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/Host "evil\.example:\d+", not a loopback name. With no --token, fisherd accepts only/);
    for (const host of [`localhost:${daemon.port}`, `127.0.0.1:${daemon.port}`, `[::1]:${daemon.port}`, 'localhost']) {
      expect((await tryUpgrade(daemon.port, { host })).status, host).toBe(101);
    }
    // The dashboard: its page and state under a rebound name, and a rebound page's same-origin socket.
    expect((await get(daemon.port, '/', { host: rebound })).status).toBe(403);
    expect((await get(daemon.port, '/dashboard/state', { host: rebound })).body).toMatch(/not a loopback name/);
    expect((await tryUpgrade(daemon.port, { host: rebound, origin: `http://${rebound}` }, '/dashboard/ws')).status).toBe(403);
    expect((await get(daemon.port, '/', { host: `127.0.0.1:${daemon.port}` })).status).toBe(200);
    expect((await get(daemon.port, '/livez', { host: rebound })).status).toBe(200);
    expect(await logMatches(daemon, /dashboard refused: Host \\"evil\.example/)).toMatch(/dashboard refused: Host \\"evil\.example/);
  });

  it('serves the dashboard to its own page (same origin) and to listed origins only', async () => {
    const own = `http://127.0.0.1:${daemon.port}`;
    expect((await tryUpgrade(daemon.port, { origin: own }, '/dashboard/ws')).status).toBe(101);
    expect((await tryUpgrade(daemon.port, { origin: 'http://allowed.example:8080' }, '/dashboard/ws')).status).toBe(101);
    const refused = await tryUpgrade(daemon.port, { origin: 'http://evil.example' }, '/dashboard/ws');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatch(/dashboard upgrade refused: a browser page from Origin "http:\/\/evil\.example"/);
    expect((await get(daemon.port, '/dashboard/state', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(daemon.port, '/dashboard/state', { origin: own })).status).toBe(200);
  });
});

describe('fisherd daemon: browsers, with a token', () => {
  const TOKEN = 'hostile-connections-token-0123456789';
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon([], { env: { FISHERD_TOKEN: TOKEN } });
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
    expect(daemon.stderr()).not.toContain(TOKEN);
  });

  it('accepts any Host with the token (a rebound page has no token), still refuses an unlisted Origin', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await tryUpgrade(daemon.port, { host: `evil.example:${daemon.port}`, ...bearer })).status).toBe(101);
    expect((await tryUpgrade(daemon.port, { host: `evil.example:${daemon.port}` })).status).toBe(401);
    expect((await tryUpgrade(daemon.port, { origin: 'http://evil.example', ...bearer })).status).toBe(403);
  });
});

describe('fisherd serve: weak tokens', () => {
  it('are refused at start with INVALID_CONFIG, exit code 2, naming the length and never the token', async () => {
    const main = await buildDaemon();
    const env: NodeJS.ProcessEnv = { ...process.env, VITEST: '' };
    delete env['FISHERD_TOKEN'];
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--token', 'pass1234'], {}, /--token \/ FISHERD_TOKEN: the token is 8 bytes long; use at least 16/],
      [[], { FISHERD_TOKEN: 'fifteen-bytes!!' }, /--token \/ FISHERD_TOKEN: the token is 15 bytes long/],
      [[], { FISHERD_TOKEN: '                    ' }, /--token \/ FISHERD_TOKEN: the token is empty or only whitespace/],
      [[], { FISHERD_TOKEN: '' }, /--token \/ FISHERD_TOKEN: must not be empty/],
    ];
    for (const [args, extra, message] of cases) {
      const run = spawnSync(process.execPath, [main, 'serve', '--port', '0', ...args], { cwd: ROOT, env: { ...env, ...extra }, encoding: 'utf8', timeout: 20_000 });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/pass1234|fifteen-bytes/);
      expect(run.stdout).not.toMatch(/listening/);
    }
  });
});
