/**
 * The daemon's plain-HTTP endpoints, on the same port as the WebSocket:
 *   GET /livez   200 while the process serves requests (liveness)
 *   GET /readyz  200 when it accepts sessions, 503 while starting or shutting down (readiness), and
 *                503 while a session's checkpoints fail (disk full), its body saying which
 *   GET /metrics Prometheus text format (prom-client)
 * They carry no session data and need no token (probes and scrapers seldom hold one).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface HttpRouteDeps {
  readonly registry: Registry;
  /** Whether the daemon accepts new sessions now. */
  readonly isReady: () => boolean;
  /** When the daemon accepts sessions but is not healthy (failing checkpoints): why, for the 503 body. */
  readonly notReadyReason?: () => string | undefined;
}

function reply(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

export function createHttpHandler(deps: HttpRouteDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      reply(res, 405, 'method not allowed\n');
      return;
    }
    switch (path) {
      case '/livez':
        reply(res, 200, 'ok\n');
        return;
      case '/readyz': {
        const reason = deps.isReady() ? deps.notReadyReason?.() : 'not ready';
        if (reason === undefined) reply(res, 200, 'ready\n');
        else reply(res, 503, `${reason}\n`);
        return;
      }
      case '/metrics':
        deps.registry.metrics().then(
          (text) => reply(res, 200, text, deps.registry.contentType),
          (e: unknown) => reply(res, 500, `metrics failed: ${e instanceof Error ? e.message : String(e)}\n`),
        );
        return;
      default:
        reply(res, 404, 'not found: fisherd serves WebSocket upgrades, GET /livez, /readyz, /metrics and (unless --dashboard off) the dashboard at /\n');
    }
  };
}
