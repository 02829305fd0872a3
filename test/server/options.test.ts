/** Daemon options: flag > env > default, validated with messages naming the flag and the variable. */
import { describe, expect, it } from 'vitest';
import type { FisherdError } from '../../src/errors.js';
import { DEFAULT_SERVE_OPTIONS, resolveServeOptions, weakTokenProblem } from '../../src/server/options.js';

describe('serve options', () => {
  it('defaults work with no configuration', () => {
    expect(resolveServeOptions({}, {})).toEqual(DEFAULT_SERVE_OPTIONS);
    expect(DEFAULT_SERVE_OPTIONS.host).toBe('127.0.0.1');
    expect(DEFAULT_SERVE_OPTIONS.port).toBe(7070);
  });

  it('takes the flag over the environment over the default', () => {
    const env = { FISHERD_PORT: '9000', FISHERD_CHECKPOINT_EVERY: '7', FISHERD_DATA_DIR: '/env' };
    const options = resolveServeOptions({ port: '8000', dataDir: '/flag' }, env);
    expect(options.port).toBe(8000);
    expect(options.checkpointEvery).toBe(7);
    expect(options.dataDir).toBe('/flag');
    expect(options.maxFrameBytes).toBe(DEFAULT_SERVE_OPTIONS.maxFrameBytes);
  });

  it('rejects bad values, naming the flag and the variable', () => {
    expect(() => resolveServeOptions({ port: '70000' }, {})).toThrow('--port / FISHERD_PORT: "70000" is not an integer in [0, 65535]');
    expect(() => resolveServeOptions({}, { FISHERD_MAX_FRAME_BYTES: '1.5' })).toThrow(/--max-frame-bytes \/ FISHERD_MAX_FRAME_BYTES/);
    expect(() => resolveServeOptions({ backend: 'cuda' }, {})).toThrow(/--backend \/ FISHERD_BACKEND: "cuda" is not one of auto, reference, openblas, gpujs/);
    expect(() => resolveServeOptions({ maxQueuedSteps: '0' }, {})).toThrow(/--max-queued-steps/);
  });

  it('requires a token beyond loopback, not on it', () => {
    expect(() => resolveServeOptions({ host: '0.0.0.0' }, {})).toThrow(/requires a bearer token/);
    const token = 'a-token-of-24-characters';
    expect(resolveServeOptions({ host: '0.0.0.0' }, { FISHERD_TOKEN: token }).token).toBe(token);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(resolveServeOptions({ host }, {}).host).toBe(host);
  });

  it('refuses weak tokens at start with INVALID_CONFIG, naming the length but never the token', () => {
    const refused = (token: string): FisherdError => {
      try {
        resolveServeOptions({ token }, {});
      } catch (e) {
        return e as FisherdError;
      }
      throw new Error(`token of ${token.length} characters accepted`);
    };
    for (const token of ['', '   ', '\t\n', 'fifteen-bytes!!', 'short']) {
      const e = refused(token);
      expect(e.code).toBe('INVALID_CONFIG');
      expect(e.field).toBe('token');
      expect(e.message).toMatch(/^--token \/ FISHERD_TOKEN: /);
      if (token.trim().length > 0) expect(e.message).not.toContain(token);
    }
    expect(refused('fifteen-bytes!!').message).toContain('the token is 15 bytes long; use at least 16');
    expect(refused('   ').message).toContain('empty or only whitespace');
    expect(refused('sixteen bytes ok').message).toContain('whitespace');
    expect(() => resolveServeOptions({}, { FISHERD_TOKEN: 'short' })).toThrow(/FISHERD_TOKEN: the token is 5 bytes long/);
    expect(resolveServeOptions({ token: 'sixteen-bytes-ok' }, {}).token).toBe('sixteen-bytes-ok'); // exactly 16
    expect(weakTokenProblem('ééééééééé')).toBeUndefined(); // 18 bytes of UTF-8
  });

  it('parses --allowed-origins into normalized origins and refuses anything else', () => {
    expect(resolveServeOptions({ allowedOrigins: 'https://lab.example:8888, HTTP://Notebook.Example:80' }, {}).allowedOrigins).toBe(
      'https://lab.example:8888, HTTP://Notebook.Example:80',
    );
    for (const bad of ['lab.example', 'https://lab.example/path', 'null', 'ftp://x.example', '*']) {
      expect(() => resolveServeOptions({ allowedOrigins: bad }, {})).toThrow(/--allowed-origins \/ FISHERD_ALLOWED_ORIGINS: .* is not a web origin/);
    }
  });

  it('has connection limits a single client cannot exhaust by default', () => {
    const options = resolveServeOptions({}, {});
    expect(options.maxSessionsPerConnection).toBeLessThan(options.maxSessions);
    expect(options.maxSessionsPerAddress).toBeLessThan(options.maxSessions);
    expect(options.maxSendBufferBytes).toBe(64 * 1024 * 1024);
    expect(options.sendStallMs).toBe(30_000);
    expect(options.helloTimeoutMs).toBe(10_000);
    expect(options.handshakeTimeoutMs).toBe(10_000);
    expect(options.maxConnections).toBe(256);
    expect(resolveServeOptions({}, { FISHERD_MAX_CONNECTIONS: '3', FISHERD_HELLO_TIMEOUT_MS: '200' })).toMatchObject({ maxConnections: 3, helloTimeoutMs: 200 });
    expect(() => resolveServeOptions({ maxSendBufferBytes: '1000' }, {})).toThrow(/--max-send-buffer-bytes \/ FISHERD_MAX_SEND_BUFFER_BYTES/);
  });
});
