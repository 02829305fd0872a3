/**
 * Kronecker (K-FAC) blocks in a session, fed KroneckerStatistics through real bytes (encode → decode):
 * - the session's update equals a library KroneckerEstimate fed the same decoded factors (bit for bit, reference backend);
 * - NGD (sampled-label Fisher) and EFGD (empirical factors) equal a float64 reference written from the
 *   formulas in this file — dense Ḡ⊗Ā + λI solved by elimination, EMA with bias correction — to 1e-9
 *   relative (the update travels as float32: the bound is float32's 6e-8 rounding, far looser);
 * - W = 3 workers merge exactly: equal to one worker with the pooled batch (float64 sums in another order: 1e-12);
 * - factors every T_stat = 2 steps (summed over both) while ḡ arrives every step;
 * - a linear-regression layer: K-FAC's exact Fisher is I ⊗ (1/b)Σ x̄x̄ᵀ (σ = 1), the EF (1/b Σ r²) ⊗ (1/b)Σ x̄x̄ᵀ;
 * - bad input: typed errors naming the field, the session unchanged (its next step equals a control's).
 */
import { describe, expect, it } from 'vitest';
import { FisherdError } from '../../src/errors.js';
import { decomposeKroneckerFactors } from '../../src/curvature/kronecker-decomposition.js';
import { KroneckerEstimate } from '../../src/curvature/kronecker-estimate.js';
import { resolveEstimateOptions } from '../../src/curvature/symmetric-estimate.js';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { contributionFromWire, contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { addFactorSums, kroneckerStatisticsFromPairs, type KroneckerStatistics } from '../../src/session/kronecker-statistics.js';
import { Session } from '../../src/session/session.js';
import { diagonalMomentsOf, type BlockStatistics } from '../../src/session/statistics.js';
import { denseSolve } from '../curvature/helpers.js';
import { REFERENCE, Rng, relativeError } from './helpers.js';

const OUT = 3;
const IN = 4;
const ORDER = IN + 1; // bias
const FC = OUT * ORDER;
const HEAD = 4;
const K = 2;
const GAMMA = 0.1;
const LAMBDA = 0.05;

function viaWire(c: StepContribution): StepContribution {
  return contributionFromWire(decodeClientMessage(encodeClientMessage({ step: contributionToWire(c) })).step!);
}

/** One worker's raw data for one step: pairs for "fc", rows for "head". */
interface WorkerData {
  b: number;
  a: Float64Array; // b × IN
  e: Float64Array; // b × OUT (data labels)
  sampledE: Float64Array; // b·K × OUT
  head: Float64Array; // b × HEAD
  headSampled: Float64Array; // b·K × HEAD
}

function workerData(rng: Rng, b: number): WorkerData {
  const fill = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
  return { b, a: fill(b * IN), e: fill(b * OUT), sampledE: fill(b * K * OUT), head: fill(b * HEAD), headSampled: fill(b * K * HEAD) };
}

function pooled(ws: readonly WorkerData[]): WorkerData {
  const cat = (pick: (w: WorkerData) => Float64Array) => Float64Array.from(ws.flatMap((w) => Array.from(pick(w))));
  return { b: ws.reduce((s, w) => s + w.b, 0), a: cat((w) => w.a), e: cat((w) => w.e), sampledE: cat((w) => w.sampledE), head: cat((w) => w.head), headSampled: cat((w) => w.headSampled) };
}

function fcStatistics(w: WorkerData, factors = true): KroneckerStatistics {
  return kroneckerStatisticsFromPairs({
    outputs: OUT, inputs: IN, bias: true, count: w.b, activations: w.a, outputGrads: w.e,
    sampled: { outputGrads: w.sampledE, samplesPerExample: K }, factors,
  });
}

function contribution(step: number, workerId: number, w: WorkerData, fc: KroneckerStatistics = fcStatistics(w)): StepContribution {
  const head = diagonalMomentsOf({ count: w.b, dim: HEAD, perExampleGrads: w.head, sampledLabelGrads: { rows: w.headSampled, samplesPerExample: K }, include: { centredSquares: false } });
  const statistics: BlockStatistics[] = [{ block: 'fc', kind: 'kronecker', kronecker: fc }, { block: 'head', kind: 'diagonal', moments: head }];
  return viaWire({ step, workerId, batchSize: w.b, reduction: 'sum', statistics });
}

function config(name: 'ngd' | 'efgd', extra: Partial<SessionConfig> = {}): SessionConfig {
  return {
    dim: FC + HEAD,
    blocks: [
      { name: 'fc', size: FC, structure: { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true } },
      { name: 'head', size: HEAD, structure: { kind: 'diagonal' } },
    ],
    optimizer: { name, stepSize: GAMMA, damping: LAMBDA },
    emaDecay: 0.5,
    backend: 'reference',
    track: { empiricalFisher: true, fisher: true },
    ...extra,
  };
}

const fcOf = (c: StepContribution) => (c.statistics![0] as Extract<BlockStatistics, { kind: 'kronecker' }>).kronecker;
const headOf = (c: StepContribution) => (c.statistics![1] as Extract<BlockStatistics, { kind: 'diagonal' }>).moments;

/**
 * The float64 reference from math.md's formulas, fed the decoded statistics of each step's contributions:
 * ḡ, the factors' EMAs (own clock: factor steps only) and the head's diagonal EMA, and the update
 * −γ (M + λI)⁻¹ḡ with M = Ḡ⊗Ā (dense, (o,i) row-major, bias last) on fc and the diagonal on head.
 */
class Reference {
  private g = new Float64Array(FC + HEAD);
  private gSteps = 0;
  private A = new Float64Array(ORDER * ORDER);
  private G = new Float64Array(OUT * OUT);
  private fSteps = 0;
  private diag = new Float64Array(HEAD);
  constructor(private readonly beta: number, private readonly source: 'empirical' | 'sampled') {}

  step(cs: readonly StepContribution[]): Float64Array {
    const beta = this.beta;
    const b = cs.reduce((s, c) => s + c.batchSize, 0);
    const mean = new Float64Array(FC + HEAD);
    for (const c of cs) {
      fcOf(c).sum!.forEach((v, j) => { mean[j]! += v / b; });
      headOf(c).sum!.forEach((v, j) => { mean[FC + j]! += v / b; });
    }
    this.g = this.g.map((v, j) => beta * v + (1 - beta) * mean[j]!);
    this.gSteps++;
    const gbar = this.g.map((v) => v / (1 - beta ** this.gSteps));
    const withFactors = cs.filter((c) => fcOf(c).factors !== undefined);
    if (withFactors.length > 0) {
      const A = new Float64Array(ORDER * ORDER);
      const G = new Float64Array(OUT * OUT);
      let ca = 0;
      let cg = 0;
      for (const c of withFactors) {
        const f = fcOf(c).factors!;
        const src = f[this.source]!;
        f.inputSum.forEach((v, j) => { A[j]! += v; });
        src.sum.forEach((v, j) => { G[j]! += v; });
        ca += f.inputCount;
        cg += src.count;
      }
      this.A = this.A.map((v, j) => beta * v + ((1 - beta) * A[j]!) / ca);
      this.G = this.G.map((v, j) => beta * v + ((1 - beta) * G[j]!) / cg);
      this.fSteps++;
    }
    // head: diag EF (1/b)Σg² or diag F̂ (1/(bK))Σ g̃²
    const d = new Float64Array(HEAD);
    for (const c of cs) {
      const m = headOf(c);
      const squares = this.source === 'empirical' ? m.sumSquares! : m.sampledLabelSquares!;
      squares.forEach((v, j) => { d[j]! += v / (this.source === 'empirical' ? b : b * K); });
    }
    this.diag = this.diag.map((v, j) => beta * v + (1 - beta) * d[j]!);
    const update = new Float64Array(FC + HEAD);
    // fc: dense (Ḡ⊗Ā + λI) on the matrix layout
    const c = this.fSteps === 0 ? 0 : 1 / (1 - beta ** this.fSteps);
    const M = new Float64Array(FC * FC);
    for (let o = 0; o < OUT; o++) for (let i = 0; i < ORDER; i++) for (let p = 0; p < OUT; p++) for (let j = 0; j < ORDER; j++) {
      M[(o * ORDER + i) * FC + p * ORDER + j] = c * this.G[o * OUT + p]! * c * this.A[i * ORDER + j]!;
    }
    const X = new Float64Array(FC);
    for (let o = 0; o < OUT; o++) {
      for (let i = 0; i < IN; i++) X[o * ORDER + i] = gbar[o * IN + i]!;
      X[o * ORDER + IN] = gbar[OUT * IN + o]!;
    }
    const Y = denseSolve(M, FC, LAMBDA, X);
    for (let o = 0; o < OUT; o++) {
      for (let i = 0; i < IN; i++) update[o * IN + i] = -GAMMA * Y[o * ORDER + i]!;
      update[OUT * IN + o] = -GAMMA * Y[o * ORDER + IN]!;
    }
    const cd = 1 / (1 - beta ** this.gSteps);
    for (let j = 0; j < HEAD; j++) update[FC + j] = (-GAMMA * gbar[FC + j]!) / (cd * this.diag[j]! + LAMBDA);
    return update;
  }
}

describe('kronecker blocks in a session', () => {
  it.each([['ngd', 'sampled'], ['efgd', 'empirical']] as const)('%s from %s factors equals the float64 formulas (1e-9) and the library estimate bit for bit', (name, source) => {
    const rng = new Rng(13);
    const session = new Session(config(name), REFERENCE);
    const reference = new Reference(0.5, source);
    const library = new KroneckerEstimate({ kind: 'kronecker', outputs: OUT, inputs: IN, bias: true }, REFERENCE, resolveEstimateOptions({}));
    let gSum = new Float64Array(FC);
    let product = 1;
    for (let step = 1; step <= 4; step++) {
      const c = contribution(step, 0, workerData(rng, 5));
      const result = session.step([c]);
      const expected = reference.step([c]);
      expect(relativeError(result.update, expected)).toBeLessThan(1e-7); // float32 rounding of Δθ
      // The same decoded factors into the library's estimate, ḡ as the session forms it: the fc part bit for bit.
      const f = fcOf(c).factors!;
      library.updateFactors({ inputSum: f.inputSum, inputCount: f.inputCount, outputGradSum: f[source]!.sum, outputGradCount: f[source]!.count }, 0.5);
      const mean = new Float64Array(FC);
      fcOf(c).sum!.forEach((v, j) => { mean[j] = 0 + (1 / 5) * v; });
      gSum = gSum.map((v, j) => 0.5 * v + (1 - 0.5) * mean[j]!);
      product *= 0.5;
      const gbar = gSum.map((v) => v * (1 / (1 - product)));
      const direction = library.solve(gbar, LAMBDA);
      const fromLibrary = Float32Array.from(direction, (v) => -GAMMA * v);
      expect(Array.from(result.update.subarray(0, FC))).toEqual(Array.from(fromLibrary));
      // float64 check of the whole update, before float32 rounding
      const exact = Float64Array.from(direction, (v) => -GAMMA * v);
      expect(relativeError(exact, expected.subarray(0, FC))).toBeLessThan(1e-9);
      // per-layer diagnostics
      const layers = result.diagnostics.layers!;
      expect(layers['layer.fc.factorUpdates']).toBe(step);
      expect(layers['layer.fc.cosineEfFisher']).toBeGreaterThan(-1);
      expect(layers['layer.fc.cosineEfFisher']).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it('refreshes computed ahead (refreshJobsFor → decomposeKroneckerFactors → step(…, precomputed)) give the updates of in-step refreshes bit for bit; π-damping jobs bring the damped inverses for the step\'s λ', () => {
    const rng = new Rng(17);
    const piConfig = (): SessionConfig => {
      const c = config('ngd');
      return { ...c, blocks: [{ ...c.blocks![0]!, structure: { kind: 'kronecker', outputs: OUT, inputs: IN, bias: true, damping: 'pi', refreshEvery: 2 } }, c.blocks![1]!] };
    };
    const ahead = new Session(piConfig(), REFERENCE);
    const inStep = new Session(piConfig(), REFERENCE);
    for (let step = 1; step <= 6; step++) {
      const c = contribution(step, 0, workerData(rng, 4));
      const jobs = ahead.refreshJobsFor([c]);
      // refreshes at factor updates 1, 3, 5 (refreshEvery 2): jobs on those steps only
      expect(jobs.length).toBe(step % 2 === 1 ? 2 : 0); // the Fisher's and the empirical Fisher's fc blocks
      const precomputed = jobs.map((r) => {
        expect(r.job.piDamping).toBe(LAMBDA);
        const decomposition = decomposeKroneckerFactors(r.job, REFERENCE);
        expect(decomposition.dampedInverses?.damping).toBe(LAMBDA);
        return { estimate: r.estimate, block: r.block, decomposition };
      });
      const got = ahead.step([c], precomputed);
      const want = inStep.step([c]);
      expect(Array.from(got.update)).toEqual(Array.from(want.update));
    }
  });

  it('per-layer diagnostics: top eigenvalues λ_G·λ_A and the trace tr Ḡ·tr Ā of the library estimate; the cosine from two block solves', () => {
    const rng = new Rng(5);
    const session = new Session(config('ngd'), REFERENCE);
    const c = contribution(1, 0, workerData(rng, 6));
    const layers = session.step([c]).diagnostics.layers!;
    const f = fcOf(c).factors!;
    const make = (src: 'sampled' | 'empirical') => {
      const e = new KroneckerEstimate({ kind: 'kronecker', outputs: OUT, inputs: IN, bias: true }, REFERENCE, resolveEstimateOptions({}));
      e.updateFactors({ inputSum: f.inputSum, inputCount: f.inputCount, outputGradSum: f[src]!.sum, outputGradCount: f[src]!.count }, 0.5);
      return e;
    };
    const fisher = make('sampled');
    const ef = make('empirical');
    // dense eigenvalues of Ḡ⊗Ā as the float64 reference of the top ones
    const top = Array.from(fisher.dense().length === FC * FC ? jacobiTop(fisher.dense(), FC) : []);
    expect(relativeError(Float64Array.of(layers['layer.fc.fisher.top1']!, layers['layer.fc.fisher.top2']!, layers['layer.fc.fisher.top3']!), Float64Array.from(top.slice(0, 3)))).toBeLessThan(1e-10);
    expect(layers['layer.fc.fisher.trace']).toBeCloseTo(fisher.trace(), 12);
    expect(layers['layer.fc.empiricalFisher.trace']).toBeCloseTo(ef.trace(), 12);
    const g = Float64Array.from(fcOf(c).sum!, (v) => v / 6);
    const a = ef.solve(g, LAMBDA);
    const b = fisher.solve(g, LAMBDA);
    const cos = a.reduce((s, v, j) => s + v * b[j]!, 0) / Math.hypot(...a) / Math.hypot(...b);
    expect(layers['layer.fc.cosineEfFisher']).toBeCloseTo(cos, 12);
  });

  it('W = 3 workers merge exactly: the update equals one worker with the pooled batch (1e-12 in float64 terms)', () => {
    const rng = new Rng(7);
    const three = new Session(config('ngd', { workers: 3 }), REFERENCE);
    const one = new Session(config('ngd'), REFERENCE);
    for (let step = 1; step <= 3; step++) {
      const ws = [workerData(rng, 3), workerData(rng, 4), workerData(rng, 2)];
      const u3 = three.step(ws.map((w, i) => contribution(step, i, w)));
      const u1 = one.step([contribution(step, 0, pooled(ws))]);
      // float32 inputs are the same sums up to the order of float64 additions; Δθ rounds to float32.
      expect(relativeError(u3.update, u1.update)).toBeLessThan(1e-6);
    }
  });

  it('factors every T_stat = 2 steps (summed over both) while ḡ arrives every step; the reference skips the factor EMA on the steps between', () => {
    const rng = new Rng(11);
    const session = new Session(config('ngd'), REFERENCE);
    const reference = new Reference(0.5, 'sampled');
    let carried: KroneckerStatistics | undefined;
    for (let step = 1; step <= 6; step++) {
      const w = workerData(rng, 4);
      const full = fcStatistics(w);
      let fc: KroneckerStatistics;
      if (step % 2 === 1) {
        carried = full;
        fc = { count: full.count, sum: full.sum };
      } else {
        fc = { ...full, factors: addFactorSums(carried!.factors!, full.factors!) };
      }
      const c = contribution(step, 0, w, fc);
      const result = session.step([c]);
      expect(relativeError(result.update, reference.step([c]))).toBeLessThan(1e-7);
      expect(result.diagnostics.layers!['layer.fc.factorUpdates']).toBe(Math.floor(step / 2));
    }
  });

  it('a linear-regression layer (σ = 1): the exact K-FAC Fisher is I ⊗ (1/b)Σ x̄x̄ᵀ and the EF (1/b Σ r²)(1/b Σ x̄x̄ᵀ), through the daemon\'s session', () => {
    const rng = new Rng(3);
    const b = 8;
    const x = Float64Array.from({ length: b * 3 }, () => rng.normal());
    const r = Float64Array.from({ length: b }, () => rng.normal()); // residuals: e_n of the data labels
    const session = new Session({
      dim: 4, structure: { kind: 'kronecker', outputs: 1, inputs: 3, bias: true },
      optimizer: { name: 'ngd', stepSize: 1, damping: 1e-3 }, fisherSource: 'exact', backend: 'reference', track: { empiricalFisher: true },
    }, REFERENCE);
    const stats = kroneckerStatisticsFromPairs({ outputs: 1, inputs: 3, bias: true, count: b, activations: x, outputGrads: r, exact: { outputGrads: new Float64Array(b).fill(1), factorsPerExample: 1 } });
    session.step([viaWire({ step: 1, workerId: 0, batchSize: b, reduction: 'sum', statistics: [{ block: '', kind: 'kronecker', kronecker: stats }] })]);
    const xbar = new Float64Array(b * 4);
    for (let n = 0; n < b; n++) { xbar.set(x.subarray(n * 3, n * 3 + 3), n * 4); xbar[n * 4 + 3] = 1; }
    const v = Float64Array.of(0.3, -1.2, 2.5, 0.7);
    const xtx = (scale: number) => {
      const out = new Float64Array(4);
      for (let n = 0; n < b; n++) {
        const dot = [0, 1, 2, 3].reduce((s, j) => s + xbar[n * 4 + j]! * v[j]!, 0);
        for (let j = 0; j < 4; j++) out[j]! += (scale * xbar[n * 4 + j]! * dot) / b;
      }
      return out;
    };
    // float32 travel of x̄x̄ᵀ sums: relative 6e-8
    expect(relativeError(session.estimatesView.fisher!.matvec(v), xtx(1))).toBeLessThan(1e-6);
    const r2 = Array.from(r).reduce((s, e) => s + e * e, 0) / b;
    expect(relativeError(session.estimatesView.empiricalFisher!.matvec(v), xtx(r2))).toBeLessThan(1e-6);
  });

  describe('bad input: typed errors naming the field, the session unchanged', () => {
    const good = (step: number, w: WorkerData) => contribution(step, 0, w);
    const cases: [string, string, string, (c: StepContribution) => StepContribution][] = [
      ['a factor of the wrong order', 'SHAPE_MISMATCH', 'statistics[0].kronecker.factors.inputSum', (c) => withFc(c, (f) => ({ ...f, factors: { ...f.factors!, inputSum: new Float64Array(16) } }))],
      ['a gradient sum of the wrong length', 'SHAPE_MISMATCH', 'statistics[0].kronecker.sum', (c) => withFc(c, (f) => ({ ...f, sum: new Float64Array(FC - 1) }))],
      ['a non-finite factor value', 'NON_FINITE', 'statistics[0].kronecker.factors.sampled.sum', (c) => withFc(c, (f) => ({ ...f, factors: { ...f.factors!, sampled: { ...f.factors!.sampled!, sum: poke(f.factors!.sampled!.sum, 1, Number.NaN) } } }))],
      ['a negative diagonal (not PSD)', 'INVALID_CONFIG', 'statistics[0].kronecker.factors.inputSum', (c) => withFc(c, (f) => ({ ...f, factors: { ...f.factors!, inputSum: poke(f.factors!.inputSum, ORDER + 1, -1) } }))],
      ['an asymmetric factor', 'INVALID_CONFIG', 'statistics[0].kronecker.factors.empirical.sum', (c) => withFc(c, (f) => ({ ...f, factors: { ...f.factors!, empirical: { ...f.factors!.empirical!, sum: poke(f.factors!.empirical!.sum, 1, 1e3) } } }))],
      ['a negative count', 'INVALID_CONFIG', 'statistics[0].kronecker.factors.inputCount', (c) => withFc(c, (f) => ({ ...f, factors: { ...f.factors!, inputCount: -5 } }))],
      ['a block count that disagrees with batchSize', 'SHAPE_MISMATCH', 'statistics[0].kronecker.count', (c) => withFc(c, (f) => ({ ...f, count: f.count + 1 }))],
      ['K that disagrees across blocks', 'SHAPE_MISMATCH', 'statistics[1].diagonal.samplesPerExample', (c) => ({ ...c, statistics: [c.statistics![0]!, { ...c.statistics![1]!, moments: { ...headOf(c), samplesPerExample: 3 } } as BlockStatistics] })],
      ['the Fisher source missing', 'MISSING_INPUT', 'statistics[0].kronecker.factors.sampled', (c) => withFc(c, (f) => { const { sampled: _s, samplesPerExample: _k, ...rest } = f.factors!; return { ...f, factors: rest }; })],
      ['rows instead of statistics', 'MISSING_INPUT', 'statistics', (c) => ({ step: c.step, workerId: 0, batchSize: c.batchSize, reduction: 'sum', meanGrad: new Float32Array(FC + HEAD) })],
      ['diagonal moments for the kronecker block', 'INVALID_CONFIG', 'statistics[0].diagonal', (c) => ({ ...c, statistics: [{ block: 'fc', kind: 'diagonal', moments: { count: c.batchSize, sum: new Float64Array(FC), sumSquares: new Float64Array(FC), sampledLabelSquares: new Float64Array(FC), samplesPerExample: K } }, c.statistics![1]!] })],
    ];
    it.each(cases)('%s → %s naming %s', (_what, code, field, change) => {
      const rng = new Rng(21);
      const [w1, w2] = [workerData(rng, 4), workerData(rng, 4)];
      const session = new Session(config('ngd'), REFERENCE);
      const control = new Session(config('ngd'), REFERENCE);
      session.step([good(1, w1)]);
      control.step([good(1, w1)]);
      let error: unknown;
      try {
        session.step([change(good(2, w2))]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FisherdError);
      expect((error as FisherdError).code).toBe(code);
      expect((error as FisherdError).field).toBe(field);
      expect(session.lastStep).toBe(1);
      expect(Array.from(session.step([good(2, w2)]).update)).toEqual(Array.from(control.step([good(2, w2)]).update));
    });

    it('workers that disagree on whether a block carries factors → MISSING_INPUT naming the factors, session unchanged', () => {
      const rng = new Rng(2);
      const session = new Session(config('ngd', { workers: 2 }), REFERENCE);
      const ws = [workerData(rng, 3), workerData(rng, 3)];
      const error = (() => {
        try {
          session.step([contribution(1, 0, ws[0]!), contribution(1, 1, ws[1]!, fcStatistics(ws[1]!, false))]);
        } catch (e) {
          return e as FisherdError;
        }
        throw new Error('did not throw');
      })();
      expect(error.code).toBe('MISSING_INPUT');
      expect(error.field).toBe('statistics.kronecker.factors');
      expect(session.lastStep).toBe(0);
    });
  });

  it('configs: kronecker with the noise, or beside a full block, is refused naming the field; factor orders above 8192 too', () => {
    const refuse = (c: SessionConfig) => {
      try {
        new Session(c, REFERENCE);
      } catch (e) {
        return [(e as FisherdError).code, (e as FisherdError).field];
      }
      return undefined;
    };
    expect(refuse(config('ngd', { track: { noise: true } }))).toEqual(['INVALID_CONFIG', 'track.noise']);
    expect(refuse({ ...config('ngd'), optimizer: { name: 'snr', stepSize: 1 } })).toEqual(['INVALID_CONFIG', 'optimizer.name']);
    expect(refuse({ ...config('ngd'), blocks: [config('ngd').blocks![0]!, { name: 'head', size: HEAD, structure: { kind: 'full' } }] })).toEqual(['INVALID_CONFIG', 'blocks[1].structure.kind']);
    expect(refuse({ dim: 8193 * 2, structure: { kind: 'kronecker', outputs: 2, inputs: 8193, bias: false }, optimizer: { name: 'sgd', stepSize: 1 } })).toEqual(['INVALID_CONFIG', 'structure.inputs']);
  });
});

function withFc(c: StepContribution, change: (f: KroneckerStatistics) => KroneckerStatistics): StepContribution {
  return { ...c, statistics: [{ block: 'fc', kind: 'kronecker', kronecker: change(fcOf(c)) }, c.statistics![1]!] };
}

function poke(v: Float64Array, at: number, value: number): Float64Array {
  const out = v.slice();
  out[at] = value;
  return out;
}

/** Eigenvalues of a symmetric matrix, descending (test/curvature/helpers' Jacobi). */
function jacobiTop(A: Float64Array, n: number): number[] {
  return Array.from(jacobiEigen(A, n).values).sort((a, b) => b - a);
}
import { jacobiEigen } from '../curvature/helpers.js';
