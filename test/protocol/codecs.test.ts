/** Wire <-> TypeScript conversions of configs, contributions, updates and estimates, and frame decoding errors. */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { sessionConfigFromWire, sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { estimatesFromWire, estimatesToWire, type EstimatesData } from '../../src/protocol/estimates-codec.js';
import { decodeClientMessage, encodeClientMessage, wire } from '../../src/protocol/frames.js';
import { contributionFromWire, contributionToWire, updateFromWire, updateToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';

/** Through real bytes: encode the ClientMessage, decode it, convert back. */
function viaWire<T>(toWire: (x: T) => object, field: 'openSession' | 'step', fromWire: (m: ReturnType<typeof decodeClientMessage>) => T, x: T): T {
  const body = field === 'openSession' ? { openSession: { config: toWire(x) } } : { step: toWire(x) };
  return fromWire(decodeClientMessage(encodeClientMessage(body)));
}

describe('protocol codecs', () => {
  it('round-trips a session config with blocks, schedules and every optimizer option', () => {
    const config: SessionConfig = {
      dim: 10,
      blocks: [
        { name: 'w', size: 6, structure: { kind: 'lowrank', rank: 2 } },
        { name: 'b', size: 4, structure: { kind: 'full' } },
      ],
      optimizer: {
        name: 'snr',
        stepSize: { kind: 'warmup', steps: 5, from: 0.01, then: { kind: 'cosine', init: 0.1, decaySteps: 100, alpha: 0.1 } },
        damping: { kind: 'exponential', init: 1e-2, decayRate: 0.5, transitionSteps: 10, staircase: true, transitionBegin: 2, endValue: 1e-4 },
        momentum: 0.9, nesterov: true, weightDecay: 1e-4, snrVariance: 'moments', msvagDecay: 0.95, blockwise: true,
      },
      emaDecay: 0.99, fisherSource: 'exact', workers: 3, datasetSize: 60_000, record: true, backend: 'reference',
      track: { empiricalFisher: true, fisher: true, noise: false },
      name: 'mnist snr 2026-12-03 08:15:02',
    };
    expect(viaWire(sessionConfigToWire, 'openSession', (m) => sessionConfigFromWire(m.openSession!.config), config)).toEqual(config);
    const minimal: SessionConfig = { dim: 3, optimizer: { name: 'adam', stepSize: 1e-3, adam: { b1: 0.8 } } };
    expect(viaWire(sessionConfigToWire, 'openSession', (m) => sessionConfigFromWire(m.openSession!.config), minimal)).toEqual(minimal);
    const piecewise: SessionConfig = { dim: 1, optimizer: { name: 'sgd', stepSize: { kind: 'piecewise', init: 1, boundaries: [{ step: 3, scale: 0.5 }] } } };
    expect(viaWire(sessionConfigToWire, 'openSession', (m) => sessionConfigFromWire(m.openSession!.config), piecewise)).toEqual(piecewise);
  });

  it('rejects configs the wire cannot describe, naming the field', () => {
    expect(() => sessionConfigFromWire(undefined)).toThrow(/config is required/);
    expect(() => sessionConfigFromWire({ dim: 2 })).toThrow(/optimizer is required/);
    expect(() => sessionConfigFromWire({ dim: 2, optimizer: { name: wire.OptimizerConfig.Name.NAME_SGD } })).toThrow(/optimizer.stepSize is required/);
    expect(() => sessionConfigFromWire({ dim: 2, optimizer: { name: 0, stepSize: { constant: 1 } } })).toThrow(/optimizer.name must be one of/);
  });

  it('round-trips a contribution with every row kind through real bytes', () => {
    const c: StepContribution = {
      step: 7, workerId: 2, loss: 0.25, batchSize: 2, reduction: 'mean',
      perExampleGrads: Float32Array.from([1, 2, 3, 4, 5, 6]),
      sampledLabelGrads: { samplesPerExample: 2, rows: Float32Array.from({ length: 12 }, (_, i) => i / 7) },
      fisherFactorRows: { factorsPerExample: 1, rows: Float32Array.from([9, 8, 7, 6, 5, 4]) },
      meanGrad: Float32Array.from([0.5, -0.5, 1]),
      params: Float32Array.from([1, 1, 1]),
    };
    const back = viaWire(contributionToWire, 'step', (m) => contributionFromWire(m.step!), c);
    expect(back).toEqual(c);
    const sum = viaWire(contributionToWire, 'step', (m) => contributionFromWire(m.step!), { step: 1, workerId: 0, batchSize: 1, reduction: 'sum' });
    expect(sum).toEqual({ step: 1, workerId: 0, batchSize: 1, reduction: 'sum' });
  });

  it('refuses a contribution without a reduction', () => {
    try {
      contributionFromWire({ step: 3, batchSize: 1 });
      expect.unreachable();
    } catch (e) {
      expect(isFisherdError(e, 'INVALID_CONFIG')).toBe(true);
      expect((e as { field: string }).field).toBe('step.reduction');
    }
  });

  it('round-trips updates and estimates; update deltas are owned copies', () => {
    const delta = Float64Array.from([0.1, -0.2]);
    const frame = wire.Update.encode(updateToWire({ sessionId: 'abc', step: 4, delta, diagnostics: { batchSize: 8, updateNorm: 0.3, computeSeconds: 0.01, values: { gradNorm: 2 } } })).finish();
    const update = updateFromWire(wire.Update.decode(frame));
    expect(update).toEqual({ sessionId: 'abc', step: 4, delta: Float32Array.from(delta), diagnostics: { batchSize: 8, updateNorm: 0.3, computeSeconds: 0.01, values: { gradNorm: 2 } } });
    expect(update.delta.buffer).not.toBe(frame.buffer);

    const estimates: EstimatesData = {
      sessionId: 's', step: 3, cosineEfFisher: 0.5, meanGrad: Float64Array.from([1 / 3, 2]),
      estimates: [{ kind: 'fisher', trace: 2, topEigenvalues: [1.5, 0.5], diagonal: Float64Array.from([Math.PI, Math.E]) }, { kind: 'noise', trace: 0, topEigenvalues: [] }],
    };
    expect(estimatesFromWire(wire.Estimates.decode(wire.Estimates.encode(estimatesToWire(estimates)).finish()))).toEqual(estimates);
  });

  it('decodes garbage as MALFORMED_FRAME and unknown messages as UNEXPECTED_MESSAGE', () => {
    expect(() => decodeClientMessage(new Uint8Array([0x22, 0x7f]))).toThrow(expect.objectContaining({ code: 'MALFORMED_FRAME' }));
    expect(() => decodeClientMessage(new Uint8Array([0x78, 0x01]))).toThrow(expect.objectContaining({ code: 'UNEXPECTED_MESSAGE' }));
    expect(() => decodeClientMessage(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'UNEXPECTED_MESSAGE' }));
  });
});
