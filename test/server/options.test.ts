/** Daemon options: flag > env > default, validated with messages naming the flag and the variable. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVE_OPTIONS, resolveServeOptions } from '../../src/server/options.js';

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
    expect(resolveServeOptions({ host: '0.0.0.0' }, { FISHERD_TOKEN: 't' }).token).toBe('t');
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(resolveServeOptions({ host }, {}).host).toBe(host);
  });
});
