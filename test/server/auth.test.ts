/** Bearer tokens: header parsing and comparison. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { bearerToken, isAuthorized, tokensEqual } from '../../src/server/auth.js';

const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;

describe('bearer token auth', () => {
  it('parses Authorization: Bearer', () => {
    expect(bearerToken(request('Bearer abc'))).toBe('abc');
    expect(bearerToken(request('bearer   abc  '))).toBe('abc');
    expect(bearerToken(request('Basic abc'))).toBeUndefined();
    expect(bearerToken(request())).toBeUndefined();
  });

  it('compares tokens exactly, whatever their lengths', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(tokensEqual('', 'x')).toBe(false);
  });

  it('authorizes everyone without a token, and only the right bearer with one', () => {
    expect(isAuthorized(request(), undefined)).toBe(true);
    expect(isAuthorized(request(), 'k')).toBe(false);
    expect(isAuthorized(request('Bearer nope'), 'k')).toBe(false);
    expect(isAuthorized(request('Bearer k'), 'k')).toBe(true);
  });
});
