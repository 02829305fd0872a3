/**
 * Keeps web pages out of the daemon (issue 12, "no-token mode is safe from browsers"). A page open in the
 * user's browser can reach a loopback port in two ways, and both are refused here before any upgrade or
 * dashboard request is served:
 *
 *  - DNS rebinding: a page at http://evil.example:7070 whose name is rebound to 127.0.0.1 talks to the
 *    daemon "same-origin", but its requests carry `Host: evil.example:7070`. With no token set, only
 *    loopback Host values are accepted: `localhost`, `127.x.x.x` and `[::1]`, with any port (or none).
 *    With a token the Host is not checked: a rebound page cannot present the token (it has neither the
 *    token nor the dashboard cookie of 127.0.0.1).
 *  - Cross-site WebSocket: any page may open `new WebSocket('ws://127.0.0.1:7070')`; the browser then
 *    sends its `Origin`. Tools (the TypeScript and Python clients, curl) send no Origin, so a request with
 *    one comes from a browser page and is refused unless its origin is listed in `--allowed-origins`.
 *    The dashboard's own page (served by the daemon) is also allowed on the dashboard: its Origin names
 *    the same host and port as its Host header (same-origin), and with no token that Host is loopback.
 *
 * Refusals are sentences for the HTTP 403 body and the log. The health endpoints (/livez, /readyz,
 * /metrics) carry no session data and are not guarded (probes use all kinds of Host values).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface BrowserGuardPolicy {
  /** The daemon's bearer token; with none, only loopback Host values are accepted. */
  readonly token: string | undefined;
  /** Origins allowed to connect, normalized (`parseAllowedOrigins`), e.g. "https://lab.example:8888". */
  readonly allowedOrigins: readonly string[];
}

/** A header value as shown in a refusal: quoted, and cut to 100 characters. */
function shown(value: string): string {
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/** The host name of a Host header ("[::1]:7070" → "[::1]", "LocalHost" → "localhost"), or undefined when it is not one. */
export function hostNameOf(hostHeader: string): string | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(hostHeader);
  if (match === null) return undefined;
  if (match[2] !== undefined && Number(match[2]) > 65535) return undefined;
  return match[1]!.toLowerCase();
}

/** True for a Host header naming this machine's loopback: localhost, 127.x.x.x or [::1], any port. */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return false;
  const name = hostNameOf(hostHeader);
  if (name === undefined) return false;
  return name === 'localhost' || name === '[::1]' || (isIP(name) === 4 && name.startsWith('127.'));
}

/** The normalized form of a web origin ("HTTP://Example.com:80" → "http://example.com"), or undefined when it is not an http(s) origin. */
export function normalizeOrigin(origin: string): string | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.pathname !== '/') return undefined;
  return url.origin;
}

/**
 * Parses `--allowed-origins`: comma-separated http(s) origins, no paths. Returns the normalized list,
 * or the first entry that is not an origin.
 */
export function parseAllowedOrigins(raw: string | undefined): { origins: string[] } | { bad: string } {
  if (raw === undefined) return { origins: [] };
  const origins: string[] = [];
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e.length > 0)) {
    const origin = normalizeOrigin(entry);
    if (origin === undefined) return { bad: entry };
    origins.push(origin);
  }
  return { origins };
}

/** True when `origin` names the same host and port as the request's Host header (the daemon's own page). */
export function isSameOriginAsHost(origin: string, hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return false;
  try {
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${hostHeader}`).host;
  } catch {
    return false;
  }
}

function hostRefusal(req: IncomingMessage, policy: BrowserGuardPolicy): string | undefined {
  if (policy.token !== undefined) return undefined;
  const host = req.headers.host;
  if (isLoopbackHost(host)) return undefined;
  const what = host === undefined ? 'no Host header' : `Host ${shown(host)}, not a loopback name`;
  return `refused: ${what}. With no --token, fisherd accepts only the Host names localhost, 127.x.x.x and [::1] `
    + '(any port), so that a web page whose DNS name is rebound to this machine cannot reach it; set --token to serve other names';
}

function originRefusal(origin: string): string {
  return `refused: a browser page from Origin ${shown(origin)} may not connect. fisherd serves web pages only `
    + 'from origins listed in --allowed-origins (FISHERD_ALLOWED_ORIGINS)';
}

/** Why a protocol WebSocket upgrade is refused (403), or undefined when it may go on. */
export function protocolRefusal(req: IncomingMessage, policy: BrowserGuardPolicy): string | undefined {
  const host = hostRefusal(req, policy);
  if (host !== undefined) return host;
  const origin = req.headers.origin;
  if (origin === undefined) return undefined; // not a browser
  const normalized = normalizeOrigin(origin);
  if (normalized !== undefined && policy.allowedOrigins.includes(normalized)) return undefined;
  return originRefusal(origin);
}

/**
 * Why a dashboard request (its page, its state, its WebSocket) is refused (403), or undefined when it
 * may go on: as for the protocol, and an Origin equal to the request's own host (the dashboard page that
 * the daemon served) is allowed too.
 */
export function dashboardRefusal(req: IncomingMessage, policy: BrowserGuardPolicy): string | undefined {
  const host = hostRefusal(req, policy);
  if (host !== undefined) return host;
  const origin = req.headers.origin;
  if (origin === undefined || isSameOriginAsHost(origin, req.headers.host)) return undefined;
  const normalized = normalizeOrigin(origin);
  if (normalized !== undefined && policy.allowedOrigins.includes(normalized)) return undefined;
  return originRefusal(origin);
}
