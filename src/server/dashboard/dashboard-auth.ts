/**
 * Who may see the dashboard. With no daemon token (loopback only) everyone who reaches the port; with a
 * token, a browser first opens `/?token=…` once: the daemon answers with a cookie and a redirect to `/`,
 * so that the token leaves the address bar and the history. The cookie does not hold the token itself
 * but a digest of it: a leaked cookie opens the dashboard, not the training protocol. Tools may send
 * `Authorization: Bearer <token>` instead.
 *
 * The dashboard (page, state and WebSocket) also checks the Origin header (when a browser sends one)
 * against Host, so that another site open in the same browser cannot read the dashboard through the
 * cookie (cross-site WebSocket hijacking; the cookie is also SameSite=Strict), and with no token accepts
 * only loopback Host values (DNS rebinding): src/server/browser-guard.ts `dashboardRefusal`.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken, tokensEqual } from '../auth.js';

export const DASHBOARD_COOKIE = 'fisherd_dashboard';

/** The cookie value for `token`: sha256 of a purpose prefix and the token, hex. */
export function dashboardCookieValue(token: string): string {
  return createHash('sha256').update(`fisherd-dashboard\0${token}`, 'utf8').digest('hex');
}

/** The `Set-Cookie` header that lets this browser in. */
export function dashboardCookieHeader(token: string): string {
  return `${DASHBOARD_COOKIE}=${dashboardCookieValue(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** One cookie's value from the Cookie header, or undefined. */
export function cookieValue(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The `token` query parameter of the request URL, or undefined. */
export function queryToken(request: IncomingMessage): string | undefined {
  const url = new URL(request.url ?? '/', 'http://fisherd.invalid');
  return url.searchParams.get('token') ?? undefined;
}

/** True when no token is required, or the request carries the dashboard cookie or the bearer token. */
export function isDashboardAuthorized(request: IncomingMessage, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  const bearer = bearerToken(request);
  if (bearer !== undefined && tokensEqual(bearer, expected)) return true;
  const cookie = cookieValue(request, DASHBOARD_COOKIE);
  return cookie !== undefined && tokensEqual(cookie, dashboardCookieValue(expected));
}
