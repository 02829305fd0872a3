/**
 * The SNR factors the dashboard bins: closed forms, and agreement with the optimizer's own `meanSnr`
 * diagnostic on a real session (the same D_ii = ḡ_i²/(ḡ_i² + ρS_ii), with ρ(β,t) for β > 0).
 * Tolerance: 1e-12 relative (both sides are float64 sums of the same D terms in the same order).
 */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '../../src/linalg/reference.js';
import { histogramOfFactors, snrFactors } from '../../src/server/dashboard/snr-histogram.js';
import { Session } from '../../src/session/session.js';

describe('snrFactors', () => {
  it('is ḡ²/(ḡ² + S) with β = 0, 0 where ḡ = S = 0, 1 where S = 0 < ḡ²', () => {
    const factors = snrFactors(Float64Array.of(1, 2, 0, 3, -1), Float64Array.of(1, 12, 0, 0, 3), 0, 5);
    expect(Array.from(factors)).toEqual([0.5, 4 / 16, 0, 1, 0.25]);
  });

  it('scales S by ρ(β,t) = (1−β)(1+βᵗ)/((1+β)(1−βᵗ))', () => {
    const beta = 0.9;
    const t = 3;
    const rho = ((1 - beta) * (1 + beta ** t)) / ((1 + beta) * (1 - beta ** t));
    const [factor] = snrFactors(Float64Array.of(2), Float64Array.of(5), beta, t);
    expect(factor).toBeCloseTo(4 / (4 + rho * 5), 14);
  });

  it('bins into [j/B, (j+1)/B), the last bin closed at 1', () => {
    const h = histogramOfFactors(Float64Array.of(0, 0.05, 0.1, 0.5, 0.999, 1), 10);
    expect(h.counts).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(h.total).toBe(6);
    expect(h.mean).toBeCloseTo((0 + 0.05 + 0.1 + 0.5 + 0.999 + 1) / 6, 15);
  });

  it('has the mean of the optimizer’s meanSnr diagnostic on a real SNR session with β = 0.9', () => {
    const D = 16;
    const b = 8;
    const session = new Session({ dim: D, optimizer: { name: 'snr', stepSize: 0.1 }, emaDecay: 0.9 }, createReferenceBackend());
    for (let step = 1; step <= 6; step++) {
      const rows = Float32Array.from({ length: b * D }, (_, i) => Math.sin(1.3 * i + step) * (1 + (i % D) / D) + 0.2 * Math.cos(step * (i % D)));
      const result = session.step([{ step, workerId: 0, batchSize: b, reduction: 'sum', perExampleGrads: rows }]);
      const report = session.estimates({ topK: 0, includeDiagonals: true });
      const noise = report.estimates.find((e) => e.kind === 'noise')!;
      const factors = snrFactors(report.meanGrad!, noise.diagonal!, 0.9, report.step);
      const histogram = histogramOfFactors(factors);
      expect(result.diagnostics.meanSnr).toBeDefined();
      expect(Math.abs(histogram.mean - result.diagnostics.meanSnr!)).toBeLessThanOrEqual(1e-12 * Math.abs(result.diagnostics.meanSnr!));
      expect(histogram.counts.reduce((a, c) => a + c, 0)).toBe(D);
    }
  });
});
