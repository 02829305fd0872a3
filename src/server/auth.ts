/**
 * Bearer-token check on the WebSocket upgrade. The comparison is constant-time: both sides are hashed to
 * fixed-length SHA-256 digests first, so neither the content nor the length of the expected token leaks
 * through timing. Tokens are never logged (src/log.ts also redacts `token` and `authorization` fields).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time equality of two tokens. */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** True when no token is required, or the request carries the right one. */
export function isAuthorized(request: IncomingMessage, expected: string | undefined): boolean {
  if (expected === undefined) return true;
  const presented = bearerToken(request);
  return presented !== undefined && tokensEqual(presented, expected);
}
