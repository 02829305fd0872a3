/**
 * Levenberg–Marquardt damping adaptation (src/optim/damping-adaptation.ts, math.md "Damping adaptation")
 * on an exactly quadratic loss L(θ) = (c/2) θᵀHθ with H = diag(h) known, the Fisher sent as exact factor
 * rows √h_i e_i (so M = H exactly), ḡ = cHθ sent as the mean gradient, and the client's losses computed in
 * float64 at θ and at θ + Δ (Δ the float32 update as sent). For c = 1 and q without the damping term the
 * model is exact: ρ = 1 up to the float32 rounding of ḡ (tolerance 1e-6), so λ falls by ω = d^T at each
 * adaptation down to λ_min. For c = 10 the model underestimates the curvature tenfold: ρ < 1/4 and λ grows.
 * Every ρ is checked against a float64 reference computed here from the formula (relative 1e-9), and the
 * λ sequence against the rule applied here (bit for bit: the same multiplications).
 */
import { describe, expect, it } from 'vitest';
import { isFisherdError } from '../../src/errors.js';
import { createReferenceBackend } from '../../src/linalg/reference.js';
import { validateSessionConfig, type SessionConfig } from '../../src/session/config.js';
import { decodeSessionSnapshot, encodeSessionSnapshot } from '../../src/session/snapshot-codec.js';
import { Session, type StepResult } from '../../src/session/session.js';
import type { StepContribution } from '../../src/session/contribution.js';

const REFERENCE = createReferenceBackend();
const H = [1, 4, 0.25]; // √h exact in float32: the factor rows give M = H exactly
const DIM = H.length;

interface RunOptions {
  c: number;
  gamma: number;
  adaptation: NonNullable<SessionConfig['optimizer']['dampingAdaptation']>;
  steps: number;
  /** Steps (1-based) whose contribution omits lossAfterPreviousUpdate. */
  withoutAfter?: ReadonlySet<number>;
}

function loss(c: number, theta: Float64Array): number {
  let s = 0;
  for (let i = 0; i < DIM; i++) s += H[i]! * theta[i]! * theta[i]!;
  return 0.5 * c * s;
}

function configOf(o: RunOptions): SessionConfig {
  return {
    dim: DIM, optimizer: { name: 'ngd', stepSize: o.gamma, dampingAdaptation: o.adaptation }, fisherSource: 'exact',
  };
}

/** The client of the quadratic: state θ and the contribution of each step. */
class QuadraticClient {
  theta = Float64Array.from([1, -2, 3]);
  previousAfter: number | undefined;
  constructor(readonly o: RunOptions) {}
  contribution(step: number): { c: StepContribution; meanGrad: Float32Array; loss: number } {
    const meanGrad = Float32Array.from(H, (h, i) => this.o.c * h * this.theta[i]!);
    const factors = new Float32Array(DIM * DIM);
    for (let i = 0; i < DIM; i++) factors[i * DIM + i] = Math.sqrt(H[i]!);
    const l = loss(this.o.c, this.theta);
    const c: StepContribution = {
      step, workerId: 0, batchSize: 1, reduction: 'sum', meanGrad, loss: l,
      fisherFactorRows: { rows: factors, factorsPerExample: DIM },
      ...(this.previousAfter === undefined || this.o.withoutAfter?.has(step) ? {} : { lossAfterPreviousUpdate: this.previousAfter }),
    };
    return { c, meanGrad, loss: l };
  }
  apply(update: Float32Array): void {
    for (let i = 0; i < DIM; i++) this.theta[i]! += update[i]!;
    this.previousAfter = loss(this.o.c, this.theta); // same (deterministic) batch at θ + Δ
  }
}

interface Trace {
  results: StepResult[];
  /** ρ of the update of each adaptation step t, from the formula here (keyed by t). */
  rho: Map<number, number>;
}

function run(o: RunOptions, session = new Session(configOf(o), REFERENCE), client = new QuadraticClient(o), from = 1): Trace {
  const results: StepResult[] = [];
  const rho = new Map<number, number>();
  for (let t = from; t < from + o.steps; t++) {
    const { c, meanGrad, loss: before } = client.contribution(t);
    const result = session.step([c]);
    results.push(result);
    const lambda = result.diagnostics.damping!;
    const d = result.update;
    let q = 0;
    for (let i = 0; i < DIM; i++) {
      q += meanGrad[i]! * d[i]! + 0.5 * H[i]! * d[i]! * d[i]!;
      if (o.adaptation.includeDampingInModel ?? true) q += 0.5 * lambda * d[i]! * d[i]!;
    }
    client.apply(d);
    rho.set(t, (client.previousAfter! - before) / q);
  }
  return { results, rho };
}

/** The λ sequence the rule gives from the reference ρ's (steps where the field is missing skip). */
function expectedLambdas(o: RunOptions, rho: Map<number, number>): number[] {
  const { every, min, max, decayFactor = 0.9 } = o.adaptation;
  const omega = decayFactor ** every;
  let lambda = o.adaptation.initial!;
  const out: number[] = [];
  for (let t = 1; t <= o.steps; t++) {
    const prev = t - 1;
    if (prev >= 1 && prev % every === 0 && !o.withoutAfter?.has(t)) {
      const r = rho.get(prev)!;
      if (r > 0.75) lambda *= omega;
      else if (r < 0.25) lambda /= omega;
      lambda = Math.min(Math.max(lambda, min), max);
    }
    out.push(lambda);
  }
  return out;
}

describe('damping adaptation on an exact quadratic', () => {
  it('ρ = 1 when the model is exact: λ falls by ω = d^T every T steps to λ_min', () => {
    const o: RunOptions = { c: 1, gamma: 0.1, steps: 40, adaptation: { every: 2, initial: 1, min: 0.05, max: 10, includeDampingInModel: false } };
    const { results, rho } = run(o);
    const lambdas = results.map((r) => r.diagnostics.damping!);
    expect(lambdas).toEqual(expectedLambdas(o, rho));
    for (let t = 2; t < o.steps; t += 2) {
      expect(Math.abs(rho.get(t)! - 1), `ρ at ${t}`).toBeLessThan(1e-6);
      const reported = results[t]!.diagnostics.rho!; // reported at step t + 1
      expect(Math.abs(reported - rho.get(t)!) / Math.abs(rho.get(t)!)).toBeLessThan(1e-9);
    }
    // Steps 1, 2 use λ₀; each adaptation multiplies by 0.81 (0.9²) until the floor 0.05.
    expect(lambdas.slice(0, 4)).toEqual([1, 1, 0.81, 0.81]);
    expect(lambdas[4]).toBe(1 * 0.81 * 0.81);
    expect(lambdas.at(-1)).toBe(0.05);
    // Only the steps that follow an adaptation step report ρ.
    expect(results.filter((r) => r.diagnostics.rho !== undefined).map((r) => r.step)).toEqual(
      Array.from({ length: 19 }, (_, k) => 2 * k + 3),
    );
  });

  it('with the damping term in q (default) ρ = (ḡᵀΔ + ½ΔᵀHΔ)/(… + ½λ‖Δ‖²) > 1 in closed form; λ still falls', () => {
    const o: RunOptions = { c: 1, gamma: 0.5, steps: 12, adaptation: { every: 1, initial: 2, min: 1e-3, max: 10 } };
    const { results, rho } = run(o);
    expect(results.map((r) => r.diagnostics.damping!)).toEqual(expectedLambdas(o, rho));
    // First step, closed form: θ₀ = (1, −2, 3), λ = 2, Δ_i = −γ h_i θ_i/(h_i + λ).
    const theta = [1, -2, 3];
    let num = 0;
    let den = 0;
    for (let i = 0; i < DIM; i++) {
      const g = H[i]! * theta[i]!;
      const d = -0.5 * g / (H[i]! + 2);
      num += g * d + 0.5 * H[i]! * d * d;
      den += g * d + 0.5 * H[i]! * d * d + 0.5 * 2 * d * d;
    }
    expect(results[1]!.diagnostics.rho!).toBeCloseTo(num / den, 6);
    expect(num / den).toBeGreaterThan(1);
    expect(results[1]!.diagnostics.damping).toBe(2 * 0.9);
  });

  it('ρ < 1/4 when the loss curves 10× more than the model: λ grows by 1/ω up to λ_max', () => {
    const o: RunOptions = { c: 10, gamma: 1, steps: 12, adaptation: { every: 1, initial: 0.01, min: 1e-4, max: 0.2, decayFactor: 0.5 } };
    const { results, rho } = run(o);
    const lambdas = results.map((r) => r.diagnostics.damping!);
    expect(lambdas).toEqual(expectedLambdas(o, rho));
    expect(rho.get(1)!).toBeLessThan(0.25);
    expect(lambdas.slice(0, 4)).toEqual([0.01, 0.02, 0.04, 0.08]);
    expect(lambdas.at(-1)).toBe(0.2);
    for (let t = 1; t < o.steps; t++) {
      expect(Math.abs(results[t]!.diagnostics.rho! - rho.get(t)!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(rho.get(t)!)));
    }
  });

  it('a step without lossAfterPreviousUpdate skips that adaptation (λ kept, no ρ)', () => {
    const o: RunOptions = { c: 1, gamma: 0.1, steps: 8, withoutAfter: new Set([3, 5]), adaptation: { every: 2, initial: 1, min: 0.01, max: 10, includeDampingInModel: false } };
    const { results, rho } = run(o);
    const lambdas = results.map((r) => r.diagnostics.damping!);
    expect(lambdas).toEqual(expectedLambdas(o, rho));
    expect(lambdas).toEqual([1, 1, 1, 1, 1, 1, 0.81, 0.81]);
    expect(results[2]!.diagnostics.rho).toBeUndefined();
    expect(results[6]!.diagnostics.rho).toBeDefined();
  });

  it('checkpoint/resume (also between an adaptation step and the next) continues the λ sequence bit for bit', () => {
    for (const cut of [6, 7]) {
      const o: RunOptions = { c: 10, gamma: 0.3, steps: 20, adaptation: { every: 2, initial: 0.5, min: 1e-3, max: 50, decayFactor: 0.8 } };
      const whole = run(o);
      const first: RunOptions = { ...o, steps: cut };
      const client = new QuadraticClient(first);
      const session = new Session(configOf(o), REFERENCE);
      run(first, session, client);
      const restored = Session.restore(decodeSessionSnapshot(encodeSessionSnapshot(session.snapshot())), REFERENCE);
      const rest = run({ ...o, steps: o.steps - cut }, restored, client, cut + 1);
      const a = whole.results.slice(cut);
      expect(rest.results.map((r) => r.diagnostics.damping)).toEqual(a.map((r) => r.diagnostics.damping));
      expect(rest.results.map((r) => r.diagnostics.rho)).toEqual(a.map((r) => r.diagnostics.rho));
      rest.results.forEach((r, k) => expect(Array.from(r.update)).toEqual(Array.from(a[k]!.update)));
      expect(new Set(a.map((r) => r.diagnostics.damping)).size).toBeGreaterThan(2); // λ moved after the cut
    }
  });
});

describe('damping adaptation through summaries (the replay path)', () => {
  it('summarize + stepFromSummary carries lossAfterPreviousUpdate: the same λ and ρ as step', () => {
    const o: RunOptions = { c: 10, gamma: 0.3, steps: 10, adaptation: { every: 2, initial: 0.5, min: 1e-3, max: 50 } };
    const direct = run(o);
    const session = new Session(configOf(o), REFERENCE);
    expect(session.summarizes).toBe(true);
    const client = new QuadraticClient(o);
    for (let t = 1; t <= o.steps; t++) {
      const result = session.stepFromSummary(session.summarize([client.contribution(t).c]));
      expect(result.diagnostics.damping).toBe(direct.results[t - 1]!.diagnostics.damping);
      expect(result.diagnostics.rho).toBe(direct.results[t - 1]!.diagnostics.rho);
      client.apply(result.update);
    }
  });
});

describe('damping adaptation config', () => {
  const base = (adaptation: unknown, extra: Record<string, unknown> = {}) =>
    ({ dim: 2, optimizer: { name: 'ngd', stepSize: 1, damping: 1e-2, dampingAdaptation: adaptation, ...extra } }) as unknown as SessionConfig;
  const refused = (config: SessionConfig, field: string) => {
    let error: unknown;
    try {
      validateSessionConfig(config);
    } catch (e) {
      error = e;
    }
    expect(isFisherdError(error, 'INVALID_CONFIG'), String(error)).toBe(true);
    expect((error as { field?: string }).field).toBe(field);
  };
  const p = 'optimizer.dampingAdaptation';
  it('refuses bad fields, naming them', () => {
    refused(base({ every: 0, min: 1e-3, max: 1 }), `${p}.every`);
    refused(base({ every: 1.5, min: 1e-3, max: 1 }), `${p}.every`);
    refused(base({ every: 5, min: 0, max: 1 }), `${p}.min`);
    refused(base({ every: 5, min: 1e-3, max: 1e-4 }), `${p}.max`);
    refused(base({ every: 5, min: 1e-3, max: Infinity }), `${p}.max`);
    refused(base({ every: 5, min: 1e-3, max: 1, decayFactor: 1 }), `${p}.decayFactor`);
    refused(base({ every: 5, min: 1e-3, max: 1, initial: 2 }), `${p}.initial`);
    refused(base({ every: 5, min: 1e-1, max: 1 }), `${p}.initial`); // damping 1e-2 at t = 0 is below min
    refused(base({ every: 5, min: 1e-3, max: 1, includeDampingInModel: 'yes' }), `${p}.includeDampingInModel`);
    refused(base({ every: 5, min: 1e-3, max: 1 }, { name: 'va' }), p);
    refused(base({ every: 5, min: 1e-3, max: 1 }, { name: 'sgd' }), p);
    refused(base(7), p);
  });
  it('accepts efgd and ngd; the default initial λ is the damping at t = 0', () => {
    expect(() => validateSessionConfig(base({ every: 5, min: 1e-3, max: 1 }, { name: 'efgd' }))).not.toThrow();
    const session = new Session(base({ every: 5, min: 1e-3, max: 1 }), REFERENCE);
    expect((session.snapshot().optimizerState as readonly { damping: number }[])[0]!.damping).toBe(1e-2);
  });
});
