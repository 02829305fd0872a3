/**
 * The daemon's engine factory (src/server/session-adapter.ts): the config it echoes (SessionOpened.config)
 * carries every default the session actually uses, and round-trips through the wire unchanged.
 */
import { describe, expect, it } from 'vitest';
import { log } from '../../src/log.js';
import { sessionConfigFromWire, sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { createSessionEngineFactory } from '../../src/server/session-adapter.js';

describe('SessionOpened.config', () => {
  it('echoes every default in use, per rule', async () => {
    const factory = await createSessionEngineFactory('reference', log.child({ level: 'silent' }));
    const snr = await factory.create({ dim: 3, optimizer: { name: 'snr', stepSize: 0.1 } });
    expect(snr.config).toMatchObject({
      dim: 3,
      structure: { kind: 'diagonal' },
      optimizer: { name: 'snr', stepSize: 0.1, damping: 1e-8, momentum: 0, nesterov: false, weightDecay: 0, snrVariance: 'noise' },
      emaDecay: 0, fisherSource: 'sampled', workers: 1, backend: 'auto',
      track: { empiricalFisher: false, fisher: false, noise: true }, // what snr needs, though not asked for
    });
    expect(snr.config.optimizer.msvagDecay).toBeUndefined();
    const adam = await factory.create({ dim: 3, optimizer: { name: 'adam', stepSize: 1e-3 } });
    expect(adam.config.optimizer.adam).toEqual({ b1: 0.9, b2: 0.999, eps: 1e-8 });
    const moments = await factory.create({ dim: 3, optimizer: { name: 'snr', stepSize: 0.1, snrVariance: 'moments' } });
    expect(moments.config.optimizer.msvagDecay).toBe(0.9);
    const va = await factory.create({ dim: 3, optimizer: { name: 'va', stepSize: 0.1 }, structure: { kind: 'full' } });
    expect(va.config.optimizer.blockwise).toBe(false);
    expect(va.config.structure).toEqual({ kind: 'full' });
    // Through the wire and back: the same wire message (defaults survive as set fields; proto3 booleans
    // false and unset are one).
    for (const engine of [snr, adam, moments, va]) {
      const wire = sessionConfigToWire(engine.config);
      expect(sessionConfigToWire(sessionConfigFromWire(wire))).toEqual(wire);
      expect(wire.optimizer!.damping).toEqual({ constant: 1e-8 });
    }
  });
});
