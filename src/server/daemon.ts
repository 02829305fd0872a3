/**
 * The fisherd daemon: one HTTP server on one port for the WebSocket protocol (upgrades, bearer-token
 * checked), the health and metrics endpoints and the live dashboard (src/server/dashboard/: the page at
 * /, its updates on /dashboard/ws); a registry of sessions; heartbeats; graceful shutdown.
 *
 * Connection limits (docs/deploy.md, "Connection limits and browser safety"): a TCP connection must send
 * its request head within `handshakeTimeoutMs` (node's headersTimeout/requestTimeout answer 408 and
 * close); upgrades are refused with 403 when a browser page or a rebound DNS name asks (browser-guard.ts),
 * and with 503 beyond `maxConnections` open WebSockets (protocol and dashboard together); each protocol
 * connection then has its Hello deadline, send-side backpressure (connection.ts) and session quotas
 * (session-registry.ts).
 *
 * Shutdown (`close()`, what SIGTERM/SIGINT call): stop accepting connections and sessions (/readyz turns
 * 503), let every session finish its queued steps, checkpoint every session, close the sockets with
 * 1001 (going away), then stop the HTTP server. Recorded sessions' traces are closed after their final
 * checkpoint (src/server/recording.ts). `close()` resolves with the sessions whose final checkpoint
 * failed (`fisherd serve` then exits 3).
 *
 * Readiness: /readyz is also 503 while any session's latest checkpoint attempt has failed (disk full),
 * its body naming the sessions and the steps on disk; it turns 200 again once their checkpoints succeed
 * or they are discarded.
 */
import { mkdir, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FisherdError } from '../errors.js';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { log as defaultLogger, type Logger } from '../log.js';
import { PROTOCOL_VERSION } from '../protocol/frames.js';
import { FISHERD_VERSION } from '../version.js';
import { isAuthorized } from './auth.js';
import { parseAllowedOrigins, protocolRefusal, type BrowserGuardPolicy } from './browser-guard.js';
import { CheckpointStore } from './checkpoint-store.js';
import { Connection } from './connection.js';
import { startHeartbeat, trackHeartbeat } from './heartbeat.js';
import { createDashboardFeed, DashboardHub, DEFAULT_DASHBOARD_OPTIONS } from './dashboard/index.js';
import { createHttpHandler } from './http-routes.js';
import { MemoryBudget } from './memory-budget.js';
import { createDaemonMetrics, type DaemonMetrics } from './metrics.js';
import { combineObservers } from './observers.js';
import type { ServeOptions } from './options.js';
import { recordingOptionsOf, SessionRecorder, type TraceSinkOpener } from './recording.js';
import type { SessionEngineFactory } from './session-engine.js';
import type { SessionObserver } from './session-host.js';
import { SessionRegistry, type ShutdownReport } from './session-registry.js';
import { KroneckerRefreshPool } from './kronecker-refresh.js';
import { sharedMemorySupported } from './shared-memory.js';

export interface DaemonDeps {
  /** Creates and restores sessions; owns the compute backend. */
  readonly engines: SessionEngineFactory;
  readonly logger?: Logger;
  /** Observes every session. */
  readonly observer?: SessionObserver;
  /** Opens session traces (default `TraceWriter.open`); tests pass one that fails. */
  readonly openTraceSink?: TraceSinkOpener;
}

export interface Daemon {
  /** Where it listens (the real port when `port` was 0). */
  readonly address: { readonly host: string; readonly port: number };
  readonly metrics: DaemonMetrics;
  readonly sessions: SessionRegistry;
  /**
   * Graceful shutdown (see the module comment); idempotent. Resolves with the sessions whose final
   * checkpoint failed (`lost`, empty when every session is on disk).
   */
  close(): Promise<ShutdownReport>;
}

/** Answers an upgrade with an HTTP error: `text` (default `reason`) is the body. */
function refuseUpgrade(socket: Duplex, status: number, reason: string, extraHeaders: string[] = [], text = reason): void {
  const body = `${text}\n`;
  socket.end(
    [`HTTP/1.1 ${status} ${reason}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, ...extraHeaders, '', body].join('\r\n'),
  );
}

/** Why /readyz is 503 although the daemon accepts sessions: failing checkpoints (undefined when none). */
function checkpointTrouble(sessions: SessionRegistry): string | undefined {
  const failing = sessions.failingCheckpoints();
  if (failing.length === 0) return undefined;
  const shown = failing.slice(0, 10).map((f) => `  session ${f.sessionId}: step ${f.lastStep} in memory, step ${f.checkpointedStep} on disk`);
  if (failing.length > shown.length) shown.push(`  and ${failing.length - shown.length} more`);
  return [`checkpoints failing for ${failing.length} session(s) (${failing[0]!.reason}):`, ...shown].join('\n');
}

/**
 * The shared-memory directory the daemon offers (resolved), or undefined when shared memory is off. A
 * --shared-memory-dir that is not a directory stops the start (INVALID_CONFIG naming the flag).
 */
async function sharedMemoryDirOf(options: ServeOptions, logger: Logger): Promise<string | undefined> {
  if (!options.sharedMemory || options.sharedMemoryDir === undefined) return undefined;
  if (!sharedMemorySupported()) {
    logger.warn('this platform cannot open files without following symlinks (O_NOFOLLOW): shared memory is off');
    return undefined;
  }
  const dir = resolve(options.sharedMemoryDir);
  const found = await stat(dir).catch((e: NodeJS.ErrnoException) => e);
  if (found instanceof Error || !found.isDirectory()) {
    const why = found instanceof Error ? (found.code ?? found.message) : 'not a directory';
    throw new FisherdError('INVALID_CONFIG', `--shared-memory-dir / FISHERD_SHARED_MEMORY_DIR: ${dir} is not a usable directory (${why}); give a tmpfs directory such as /dev/shm, or --shared-memory off`, { field: 'sharedMemoryDir' });
  }
  return dir;
}

export async function startDaemon(options: ServeOptions, deps: DaemonDeps): Promise<Daemon> {
  const logger = deps.logger ?? defaultLogger;
  const metrics = createDaemonMetrics({ version: FISHERD_VERSION, protocolVersion: PROTOCOL_VERSION });
  metrics.backendInfo.set({ backend: deps.engines.backend.name, detail: deps.engines.backend.detail }, 1);
  const store = new CheckpointStore(options.dataDir);
  await store.init();
  // An unwritable --record-dir stops the start, rather than failing each session's recording later.
  if (options.recordDir !== undefined) await mkdir(options.recordDir, { recursive: true });
  const recorder = new SessionRecorder(recordingOptionsOf(options), {
    metrics, logger, backend: deps.engines.backend.name, openSink: deps.openTraceSink,
  });
  const sharedMemoryDir = await sharedMemoryDirOf(options, logger);
  const parsedOrigins = parseAllowedOrigins(options.allowedOrigins);
  const guard: BrowserGuardPolicy = { token: options.token, allowedOrigins: 'origins' in parsedOrigins ? parsedOrigins.origins : [] };
  const dashboard = options.dashboard
    ? new DashboardHub({
      token: options.token, historyLimit: options.dashboardHistory, logger, onViewers: (n) => metrics.dashboardViewers.set(n),
      allowedOrigins: guard.allowedOrigins,
      maxViewerBufferBytes: Math.min(DEFAULT_DASHBOARD_OPTIONS.maxViewerBufferBytes, options.maxSendBufferBytes),
    })
    : undefined;
  const observer = combineObservers(
    [dashboard && createDashboardFeed(dashboard, { spectrumIntervalMs: options.dashboardSpectrumMs, logger }), deps.observer],
    logger,
  );
  metrics.memoryBudget.set(options.maxMemory);
  const refreshPool = KroneckerRefreshPool.open(options.kroneckerThreads, options.kroneckerOffloadOrder, logger);
  const budget = new MemoryBudget(options.maxMemory, (reserved) => metrics.memoryReserved.set(reserved));
  const sessions = new SessionRegistry(
    {
      checkpointEvery: options.checkpointEvery,
      maxQueuedSteps: options.maxQueuedSteps,
      workerTimeoutMs: options.workerTimeoutMs,
      maxSessions: options.maxSessions,
      idleMs: options.sessionIdleMs,
      drainTimeoutMs: options.drainTimeoutMs,
      maxSessionsPerConnection: options.maxSessionsPerConnection,
      maxSessionsPerAddress: options.maxSessionsPerAddress,
    },
    { factory: deps.engines, store, metrics, logger, observer, recorder, budget, refreshPool },
  );

  let accepting = false;
  const connections = new Set<Connection>();
  const routes = createHttpHandler({
    registry: metrics.registry,
    isReady: () => accepting,
    notReadyReason: () => checkpointTrouble(sessions),
  });
  // A socket that sends nothing, or trickles its request head, is answered 408 and closed (node checks
  // every connectionsCheckingInterval); upgraded sockets leave these checks.
  const handshakeMs = options.handshakeTimeoutMs;
  const http: Server = createServer({
    headersTimeout: handshakeMs,
    requestTimeout: handshakeMs,
    connectionsCheckingInterval: Math.max(5, Math.min(1000, Math.floor(handshakeMs / 4))),
  }, (req, res) => {
    if (dashboard?.handleHttp(req, res) !== true) routes(req, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes, perMessageDeflate: false });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const open = connections.size + (dashboard?.viewers ?? 0);
    if (open >= options.maxConnections) {
      logger.warn({ remote: req.socket.remoteAddress, open, limit: options.maxConnections }, 'upgrade refused: --max-connections reached');
      refuseUpgrade(socket, 503, 'Service Unavailable', ['Retry-After: 1'],
        `fisherd holds its maximum of ${options.maxConnections} WebSocket connections (--max-connections ${options.maxConnections}, protocol and dashboard together); try again later`);
      return;
    }
    if (dashboard?.handleUpgrade(req, socket, head) === true) return; // its own checks: Host, Origin, token (cookie or bearer)
    if (!accepting) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    const refusal = protocolRefusal(req, guard);
    if (refusal !== undefined) {
      logger.warn({ remote: req.socket.remoteAddress, host: req.headers.host, origin: req.headers.origin }, `upgrade ${refusal}`);
      refuseUpgrade(socket, 403, 'Forbidden', [], `fisherd: upgrade ${refusal}`);
      return;
    }
    if (!isAuthorized(req, options.token)) {
      metrics.countError('UNAUTHORIZED');
      logger.warn({ remote: req.socket.remoteAddress }, 'upgrade refused: missing or wrong bearer token');
      refuseUpgrade(socket, 401, 'Unauthorized', ['WWW-Authenticate: Bearer realm="fisherd"']);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      trackHeartbeat(ws);
      const connection = new Connection(ws, {
        registry: sessions, metrics, logger, token: options.token, maxReplyBytes: options.maxReplyBytes,
        serverVersion: FISHERD_VERSION, backend: deps.engines.backend.detail,
        remoteAddress: req.socket.remoteAddress,
        helloTimeoutMs: options.helloTimeoutMs,
        maxSendBufferBytes: options.maxSendBufferBytes,
        sendStallMs: options.sendStallMs,
        sharedMemoryDir,
        maxFrameBytes: options.maxFrameBytes,
      });
      connections.add(connection);
      ws.on('close', () => connections.delete(connection));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const stopHeartbeat = startHeartbeat(wss, options.heartbeatMs);
  accepting = true;
  const bound = http.address() as AddressInfo;
  const address = { host: options.host, port: bound.port };
  logger.info({
    host: address.host, port: address.port, backend: deps.engines.backend.detail, dataDir: options.dataDir, auth: options.token !== undefined,
    recordDir: options.recordDir, recordDurability: options.recordDurability, maxMemory: options.maxMemory,
    sharedMemoryDir: sharedMemoryDir ?? null,
  }, 'fisherd listening');

  let closing: Promise<ShutdownReport> | undefined;
  const close = (): Promise<ShutdownReport> => {
    closing ??= (async () => {
      accepting = false;
      logger.info({ sessions: sessions.size, connections: connections.size }, 'shutting down: draining sessions');
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      const report = await sessions.shutdown();
      await refreshPool?.close();
      dashboard?.close(); // after the sessions, so that the pages saw them close
      for (const connection of connections) connection.close(1001, 'fisherd shutting down');
      stopHeartbeat();
      // Give the close handshakes a moment (timers kept referenced: the process must not end here), then
      // cut whatever is left.
      const deadline = Date.now() + 1000;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await httpClosed;
      logger.info({ sessionsLost: report.lost.length }, 'fisherd stopped');
      return report;
    })();
    return closing;
  };

  return { address, metrics, sessions, close };
}
