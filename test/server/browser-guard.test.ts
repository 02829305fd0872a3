/** Host and Origin checks that keep web pages out of a no-token daemon (src/server/browser-guard.ts). */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  dashboardRefusal, hostNameOf, isLoopbackHost, isSameOriginAsHost, normalizeOrigin, parseAllowedOrigins, protocolRefusal,
} from '../../src/server/browser-guard.js';

const request = (headers: { host?: string; origin?: string }) => ({ headers }) as IncomingMessage;
const TOKEN = 'a-token-of-24-characters';
const open = { token: undefined, allowedOrigins: [] };

describe('browser guard', () => {
  it('recognizes loopback Host values with any port, and nothing else', () => {
    for (const host of ['localhost', 'LOCALHOST:7070', '127.0.0.1', '127.0.0.1:7070', '127.9.8.7:1', '[::1]', '[::1]:7070']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      undefined, '', 'evil.example', 'evil.example:7070', 'localhost.', 'localhost.evil.example', '127.0.0.1.evil.example',
      '128.0.0.1', '127.1', '10.0.0.1:7070', '[::2]', '[::ffff:7f00:1]:7070', '::1', '127.0.0.1:99999', '127.0.0.1:7070:1', 'a b',
    ]) {
      expect(isLoopbackHost(host), String(host)).toBe(false);
    }
    expect(hostNameOf('[::1]:7070')).toBe('[::1]');
    expect(hostNameOf('LocalHost:1')).toBe('localhost');
  });

  it('normalizes origins and parses --allowed-origins', () => {
    expect(normalizeOrigin('HTTP://Lab.Example:80')).toBe('http://lab.example');
    expect(normalizeOrigin('https://lab.example:8888/')).toBe('https://lab.example:8888');
    for (const bad of ['null', 'lab.example', 'https://lab.example/x', 'https://u@lab.example', 'file:///etc', 'ws://lab.example', '*']) {
      expect(normalizeOrigin(bad), bad).toBeUndefined();
    }
    expect(parseAllowedOrigins(undefined)).toEqual({ origins: [] });
    expect(parseAllowedOrigins(' https://a.example , http://localhost:8888,')).toEqual({ origins: ['https://a.example', 'http://localhost:8888'] });
    expect(parseAllowedOrigins('https://a.example,nope')).toEqual({ bad: 'nope' });
  });

  it('with no token, refuses a rebound Host on the protocol and the dashboard; with a token, does not check it', () => {
    const rebound = request({ host: 'evil.example:7070' });
    expect(protocolRefusal(rebound, open)).toMatch(/Host "evil\.example:7070", not a loopback name.*--token/);
    expect(dashboardRefusal(rebound, open)).toMatch(/not a loopback name/);
    expect(protocolRefusal(request({}), open)).toMatch(/no Host header/);
    expect(protocolRefusal(request({ host: '127.0.0.1:7070' }), open)).toBeUndefined();
    expect(protocolRefusal(request({ host: 'localhost:7070' }), open)).toBeUndefined();
    expect(protocolRefusal(rebound, { token: TOKEN, allowedOrigins: [] })).toBeUndefined();
    expect(dashboardRefusal(request({ host: 'fisherd.internal:7070' }), { token: TOKEN, allowedOrigins: [] })).toBeUndefined();
  });

  it('refuses any Origin on the protocol unless listed, in both modes', () => {
    const host = '127.0.0.1:7070';
    for (const policy of [open, { token: TOKEN, allowedOrigins: [] }]) {
      expect(protocolRefusal(request({ host, origin: 'http://evil.example' }), policy)).toMatch(/Origin "http:\/\/evil\.example".*--allowed-origins/);
      // Even the daemon's own origin: its page never opens the protocol.
      expect(protocolRefusal(request({ host, origin: `http://${host}` }), policy)).toMatch(/--allowed-origins/);
      expect(protocolRefusal(request({ host, origin: 'null' }), policy)).toMatch(/Origin "null"/);
    }
    const listed = { token: undefined, allowedOrigins: ['https://lab.example:8888'] };
    expect(protocolRefusal(request({ host, origin: 'https://lab.example:8888' }), listed)).toBeUndefined();
    expect(protocolRefusal(request({ host, origin: 'HTTPS://LAB.example:8888' }), listed)).toBeUndefined();
    expect(protocolRefusal(request({ host, origin: 'https://lab.example:8889' }), listed)).toMatch(/may not connect/);
    expect(protocolRefusal(request({ host, origin: 'http://lab.example:8888' }), listed)).toMatch(/may not connect/);
  });

  it('lets the dashboard page talk to its own origin, and to listed ones only', () => {
    const host = '127.0.0.1:7070';
    expect(isSameOriginAsHost('http://127.0.0.1:7070', host)).toBe(true);
    expect(isSameOriginAsHost('http://localhost', 'localhost:80')).toBe(true);
    expect(isSameOriginAsHost('http://127.0.0.1:7071', host)).toBe(false);
    expect(isSameOriginAsHost('http://127.0.0.1:7070', undefined)).toBe(false);
    expect(dashboardRefusal(request({ host, origin: 'http://127.0.0.1:7070' }), open)).toBeUndefined();
    expect(dashboardRefusal(request({ host: '[::1]:7070', origin: 'http://[::1]:7070' }), open)).toBeUndefined();
    expect(dashboardRefusal(request({ host, origin: 'http://evil.example' }), open)).toMatch(/Origin "http:\/\/evil\.example"/);
    expect(dashboardRefusal(request({ host, origin: 'http://127.0.0.1:7071' }), open)).toMatch(/may not connect/);
    expect(dashboardRefusal(request({ host, origin: 'https://lab.example' }), { token: undefined, allowedOrigins: ['https://lab.example'] })).toBeUndefined();
    // DNS rebinding: the page is same-origin with its rebound name, but that name is not loopback.
    expect(dashboardRefusal(request({ host: 'evil.example:7070', origin: 'http://evil.example:7070' }), open)).toMatch(/not a loopback name/);
    // With a token a proxied name is fine, as long as Origin matches it.
    expect(dashboardRefusal(request({ host: 'fisherd.example', origin: 'https://fisherd.example' }), { token: TOKEN, allowedOrigins: [] })).toBeUndefined();
  });
});
