import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { AUTO_PRIORITY, allBackends, resolvePreference, selectBackend } from '../../src/linalg/index.js';

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(): { logger: ReturnType<typeof createLogger>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info' }, sink), lines };
}

describe('backend selection', () => {
  it("'auto' prefers openblas > gpujs > reference", () => {
    expect(AUTO_PRIORITY).toEqual(['openblas', 'gpujs', 'reference']);
  });

  it("'auto' picks openblas here and logs the choice", async () => {
    const { logger, lines } = capturingLogger();
    const backend = await selectBackend('auto', logger);
    expect(backend.name).toBe('openblas');
    await new Promise((r) => setImmediate(r));
    expect(lines.some((l) => l['msg'] === 'linalg backend selected' && l['backend'] === 'openblas')).toBe(true);
  });

  it('a named preference returns that backend', async () => {
    expect((await selectBackend('reference')).name).toBe('reference');
    expect((await selectBackend('gpujs')).name).toBe('gpujs');
  });

  it('FISHERD_BACKEND replaces auto, but not an explicit preference', () => {
    expect(resolvePreference('auto', { FISHERD_BACKEND: 'gpujs' })).toBe('gpujs');
    expect(resolvePreference('reference', { FISHERD_BACKEND: 'gpujs' })).toBe('reference');
    expect(resolvePreference('auto', {})).toBe('auto');
  });

  it('an unknown backend name is INVALID_CONFIG naming the field', () => {
    let thrown: unknown;
    try {
      resolvePreference('auto', { FISHERD_BACKEND: 'cuda' });
    } catch (e) {
      thrown = e;
    }
    expect(isFisherdError(thrown, 'INVALID_CONFIG')).toBe(true);
    expect((thrown as { field?: string }).field).toBe('backend');
  });

  it('allBackends lists every backend that initializes here', async () => {
    const names = (await allBackends()).map((b) => b.name);
    expect(names).toEqual(['reference', 'openblas', 'gpujs']);
  });
});
