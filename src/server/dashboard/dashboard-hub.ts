/**
 * The live dashboard's server side: holds what the page shows about each session (a bounded step
 * history, the latest spectrum) and pushes changes to the open pages over a WebSocket.
 *
 * The daemon calls, from its own handlers:
 *   handleHttp(req, res)            GET / and /dashboard (the page), /dashboard/state (JSON snapshot)
 *   handleUpgrade(req, socket, head) upgrades on /dashboard/ws
 * each returning false for a request that is not the dashboard's, and feeds it (dashboard-feed.ts does):
 *   openSession(info) · publish(sessionId, step, layers?) · publishSpectrum(sessionId, spectrum) · closeSession(sessionId, lastStep, discarded)
 *
 * Cost to the daemon: publish() only appends to memory; pages get new steps coalesced once per
 * `flushIntervalMs`. A page that does not keep up (more than `maxViewerBufferBytes` unsent) is dropped;
 * it reconnects and starts again from a snapshot. Nothing here can block or fail a session.
 *
 * Browser safety (src/server/browser-guard.ts `dashboardRefusal`): with no token, only loopback Host
 * values are served (DNS rebinding); a request with an Origin other than the page's own (same host and
 * port as its Host) or one of `allowedOrigins` is refused. Both with HTTP 403, a text body and a log line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { log as defaultLogger, type Logger } from '../../log.js';
import { dashboardCookieHeader, isDashboardAuthorized, queryToken } from './dashboard-auth.js';
import { tokensEqual } from '../auth.js';
import { dashboardRefusal, type BrowserGuardPolicy } from '../browser-guard.js';
import type { DashboardLayers, DashboardMessage, DashboardSessionInfo, DashboardSessionState, DashboardSessionStatus, DashboardSpectrum, DashboardStep } from './messages.js';
import { DASHBOARD_PAGE, UNAUTHORIZED_PAGE, type StaticPage } from './page.js';
import { StepHistory } from './step-history.js';

export interface DashboardOptions {
  /** The daemon's bearer token; when set, the dashboard requires it too (dashboard-auth.ts). Default none. */
  readonly token?: string | undefined;
  /** Most steps kept per session; longer runs are thinned evenly (step-history.ts). Default 2000. */
  readonly historyLimit?: number;
  /** How often new steps are pushed to open pages, in ms. Default 250. */
  readonly flushIntervalMs?: number;
  /** Sessions no longer live (closed or discarded) that stay listed, the most recently closed first. Default 16. */
  readonly keepClosedSessions?: number;
  /** A page with more than this many bytes unsent is dropped (it reconnects). Default 8 MiB. */
  readonly maxViewerBufferBytes?: number;
  /** Ping interval for open pages in ms; a page that missed the previous ping is dropped. Default 30000. */
  readonly pingIntervalMs?: number;
  /** Origins besides the page's own whose pages may use the dashboard (normalized, browser-guard.ts). Default none. */
  readonly allowedOrigins?: readonly string[];
  /** Told the number of open pages whenever it changes (the daemon's fisherd_dashboard_viewers gauge). */
  readonly onViewers?: (viewers: number) => void;
  readonly logger?: Logger;
}

export const DEFAULT_DASHBOARD_OPTIONS = {
  historyLimit: 2000,
  flushIntervalMs: 250,
  keepClosedSessions: 16,
  maxViewerBufferBytes: 8 * 1024 * 1024,
  pingIntervalMs: 30_000,
} as const;

export const DASHBOARD_PATHS = { page: ['/', '/dashboard', '/dashboard/'], state: '/dashboard/state', socket: '/dashboard/ws' } as const;

interface SessionEntry {
  info: DashboardSessionInfo;
  status: DashboardSessionStatus;
  readonly history: StepHistory<DashboardStep>;
  spectrum: DashboardSpectrum | undefined;
  /** The latest step's per-layer table (Kronecker blocks), and whether the pages have not had it yet. */
  layers: DashboardLayers | undefined;
  layersPending: boolean;
  /** Steps not yet pushed to the pages. */
  pending: DashboardStep[];
  closedAt: number;
}

/** Thins `steps` evenly to at most `limit`, keeping the last one. */
function thin<T>(steps: readonly T[], limit: number): T[] {
  if (steps.length <= limit) return steps.slice();
  const out: T[] = [];
  const stride = steps.length / limit;
  for (let i = limit - 1; i >= 0; i--) out.push(steps[steps.length - 1 - Math.floor(i * stride)]!);
  return out;
}

/** Steps pushed per session per flush at most (a page redraws at the flush rate anyway). */
const MAX_STEPS_PER_FLUSH = 64;

export class DashboardHub {
  private readonly options: Required<Omit<DashboardOptions, 'token' | 'logger' | 'onViewers' | 'allowedOrigins'>>;
  private readonly guard: BrowserGuardPolicy;
  private readonly onViewers: (viewers: number) => void;
  private readonly token: string | undefined;
  private readonly logger: Logger;
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  private readonly alive = new WeakMap<WebSocket, boolean>();
  private readonly flushTimer: NodeJS.Timeout;
  private readonly pingTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: DashboardOptions = {}) {
    this.options = {
      historyLimit: options.historyLimit ?? DEFAULT_DASHBOARD_OPTIONS.historyLimit,
      flushIntervalMs: options.flushIntervalMs ?? DEFAULT_DASHBOARD_OPTIONS.flushIntervalMs,
      keepClosedSessions: options.keepClosedSessions ?? DEFAULT_DASHBOARD_OPTIONS.keepClosedSessions,
      maxViewerBufferBytes: options.maxViewerBufferBytes ?? DEFAULT_DASHBOARD_OPTIONS.maxViewerBufferBytes,
      pingIntervalMs: options.pingIntervalMs ?? DEFAULT_DASHBOARD_OPTIONS.pingIntervalMs,
    };
    if (!Number.isInteger(this.options.historyLimit) || this.options.historyLimit < 2) {
      throw new RangeError(`dashboard historyLimit must be an integer ≥ 2, got ${this.options.historyLimit}`);
    }
    this.token = options.token;
    this.guard = { token: options.token, allowedOrigins: options.allowedOrigins ?? [] };
    this.onViewers = options.onViewers ?? (() => undefined);
    this.logger = (options.logger ?? defaultLogger).child({ component: 'dashboard' });
    this.flushTimer = setInterval(() => this.flush(), this.options.flushIntervalMs);
    this.flushTimer.unref();
    if (this.options.pingIntervalMs > 0) {
      this.pingTimer = setInterval(() => this.ping(), this.options.pingIntervalMs);
      this.pingTimer.unref();
    }
  }

  /** Open dashboard pages. */
  get viewers(): number {
    return this.wss.clients.size;
  }

  /** Whether any page is open (the feed computes spectra only then). */
  get hasViewers(): boolean {
    return this.wss.clients.size > 0;
  }

  // ---- what the daemon feeds in --------------------------------------------------------------------

  /** A session was created or resumed (a resumed one keeps the history the hub still has). */
  openSession(info: DashboardSessionInfo): void {
    const existing = this.sessions.get(info.id);
    if (existing !== undefined) {
      existing.info = { ...info, openedAt: existing.info.openedAt };
      existing.status = 'live';
    } else {
      this.sessions.set(info.id, {
        info, status: 'live', history: new StepHistory(this.options.historyLimit), spectrum: undefined,
        layers: undefined, layersPending: false, pending: [], closedAt: 0,
      });
    }
    this.broadcast({ type: 'open', session: this.sessions.get(info.id)!.info });
  }

  /**
   * A step of a session, with its per-layer table when it has Kronecker blocks (only the latest table is
   * kept); pushed to the pages at the next flush. Unknown sessions are opened with what is known.
   */
  publish(sessionId: string, step: DashboardStep, layers?: DashboardLayers): void {
    const entry = this.sessions.get(sessionId) ?? this.placeholder(sessionId);
    if (layers !== undefined) {
      entry.layers = layers;
      entry.layersPending = true;
    }
    entry.history.append(step);
    entry.pending.push(step);
    if (entry.pending.length > 4 * MAX_STEPS_PER_FLUSH) entry.pending = thin(entry.pending, MAX_STEPS_PER_FLUSH);
  }

  /** A session's latest estimates summary; pushed at once (it comes at most every few seconds). */
  publishSpectrum(sessionId: string, spectrum: DashboardSpectrum): void {
    const entry = this.sessions.get(sessionId) ?? this.placeholder(sessionId);
    entry.spectrum = spectrum;
    this.broadcast({ type: 'spectrum', sessionId, spectrum });
  }

  /**
   * A session left memory: resumable ('closed') or deleted (`discarded`); it stays listed among the
   * `keepClosedSessions` latest.
   */
  closeSession(sessionId: string, lastStep: number, discarded = false): void {
    const entry = this.sessions.get(sessionId);
    if (entry === undefined) return;
    this.flushSession(sessionId, entry);
    entry.status = discarded ? 'discarded' : 'closed';
    entry.closedAt = Date.now();
    this.broadcast({ type: 'close', sessionId, lastStep, status: entry.status });
    const closed = [...this.sessions.entries()].filter(([, e]) => e.status !== 'live').sort(([, a], [, b]) => b.closedAt - a.closedAt);
    for (const [id] of closed.slice(this.options.keepClosedSessions)) this.sessions.delete(id);
  }

  /** Everything the hub holds, as sent to a page when it connects. */
  snapshot(): DashboardMessage & { type: 'snapshot' } {
    const sessions: DashboardSessionState[] = [...this.sessions.values()].map((e) => ({
      info: e.info,
      live: e.status === 'live',
      status: e.status,
      steps: e.history.toArray(),
      ...(e.spectrum === undefined ? {} : { spectrum: e.spectrum }),
      ...(e.layers === undefined ? {} : { layers: e.layers }),
    }));
    return { type: 'snapshot', sessions, historyLimit: this.options.historyLimit };
  }

  private placeholder(sessionId: string): SessionEntry {
    const entry: SessionEntry = {
      info: {
        id: sessionId, name: null, dim: 0, optimizer: '?', structure: '?', workers: 1, emaDecay: 0,
        track: { empiricalFisher: false, fisher: false, noise: false }, resumedStep: 0, openedAt: Date.now(),
      },
      status: 'live', history: new StepHistory(this.options.historyLimit), spectrum: undefined,
      layers: undefined, layersPending: false, pending: [], closedAt: 0,
    };
    this.sessions.set(sessionId, entry);
    return entry;
  }

  // ---- pushing to the pages ------------------------------------------------------------------------

  private flush(): void {
    for (const [id, entry] of this.sessions) this.flushSession(id, entry);
  }

  private flushSession(sessionId: string, entry: SessionEntry): void {
    if (entry.pending.length === 0) return;
    const steps = thin(entry.pending, MAX_STEPS_PER_FLUSH);
    const layers = entry.layersPending ? entry.layers : undefined;
    entry.pending = [];
    entry.layersPending = false;
    this.broadcast({ type: 'steps', sessionId, steps, ...(layers === undefined ? {} : { layers }) });
  }

  private broadcast(message: DashboardMessage): void {
    if (this.wss.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of this.wss.clients) this.send(ws, text);
  }

  private send(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > this.options.maxViewerBufferBytes) {
      this.logger.warn({ buffered: ws.bufferedAmount, cap: this.options.maxViewerBufferBytes }, 'SEND_BUFFER_FULL: dashboard page does not read its updates: dropped (it reconnects)');
      ws.terminate();
      return;
    }
    ws.send(text);
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }

  // ---- HTTP and upgrades ---------------------------------------------------------------------------

  /** Serves the dashboard's HTTP paths; false (and nothing written) for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    const isPage = (DASHBOARD_PATHS.page as readonly string[]).includes(path);
    if (!isPage && path !== DASHBOARD_PATHS.state) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return true;
    }
    const refusal = dashboardRefusal(req, this.guard);
    if (refusal !== undefined) {
      this.logger.warn({ remote: req.socket.remoteAddress, host: req.headers.host, origin: req.headers.origin, path }, `dashboard ${refusal}`);
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(`fisherd: dashboard ${refusal}\n`);
      return true;
    }
    const presented = queryToken(req);
    if (isPage && presented !== undefined && this.token !== undefined) {
      if (tokensEqual(presented, this.token)) {
        // Trade the token in the URL for a cookie, and drop it from the address bar.
        res.writeHead(303, { location: path, 'set-cookie': dashboardCookieHeader(this.token), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
        res.end();
      } else {
        this.logger.warn({ remote: req.socket.remoteAddress }, 'dashboard: wrong token');
        this.sendPage(res, 401, UNAUTHORIZED_PAGE(true));
      }
      return true;
    }
    if (!isDashboardAuthorized(req, this.token)) {
      if (isPage) this.sendPage(res, 401, UNAUTHORIZED_PAGE(false));
      else {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="fisherd"' });
        res.end('unauthorized\n');
      }
      return true;
    }
    if (isPage) this.sendPage(res, 200, DASHBOARD_PAGE);
    else {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(this.snapshot()));
    }
    return true;
  }

  private sendPage(res: ServerResponse, status: number, page: StaticPage): void {
    res.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': page.contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(res.req.method === 'HEAD' ? undefined : page.html);
  }

  /** Takes upgrades on /dashboard/ws (refusing unauthorized or cross-site ones); false for other paths. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== DASHBOARD_PATHS.socket) return false;
    const refuse = (status: number, reason: string, text = ''): void => {
      const body = text === '' ? '' : `${text}\n`;
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    const refusal = this.closed ? undefined : dashboardRefusal(req, this.guard);
    if (this.closed) refuse(503, 'Service Unavailable');
    else if (refusal !== undefined) {
      this.logger.warn({ remote: req.socket.remoteAddress, host: req.headers.host, origin: req.headers.origin }, `dashboard upgrade ${refusal}`);
      refuse(403, 'Forbidden', `fisherd: dashboard upgrade ${refusal}`);
    } else if (!isDashboardAuthorized(req, this.token)) refuse(401, 'Unauthorized');
    else {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.alive.set(ws, true);
        ws.on('pong', () => this.alive.set(ws, true));
        ws.on('error', () => ws.terminate());
        ws.on('close', () => this.onViewers(this.wss.clients.size));
        this.onViewers(this.wss.clients.size);
        ws.send(JSON.stringify(this.snapshot()));
        this.logger.debug({ viewers: this.wss.clients.size }, 'dashboard page connected');
      });
    }
    return true;
  }

  /** Closes the pages (1001, going away) and stops the timers; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.flushTimer);
    clearInterval(this.pingTimer);
    this.flush();
    for (const ws of this.wss.clients) ws.close(1001, 'fisherd shutting down');
    // A page that does not answer the close handshake is cut after a second.
    setTimeout(() => {
      for (const ws of this.wss.clients) ws.terminate();
    }, 1000).unref();
    this.wss.close();
  }
}
