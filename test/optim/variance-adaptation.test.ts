/**
 * math.md's sanity limits for the curvature and variance-adapted rules, Sherman–Morrison against dense
 * float64 algebra (global and per block, full and low-rank), and the M-SVAG factor ρ(β, t).
 */
import { describe, expect, it } from 'vitest';
import type { Structure } from '../../src/curvature/index.js';
import { FisherdError } from '../../src/errors.js';
import {
  efgd, emaVarianceFactor, makeOptimizer, ngd, scaleBySnr, scaleByVarianceAdaptation, sgd, snr, snrFactors, va,
  type GradientTransformation,
} from '../../src/optim/index.js';
import { norm2 } from '../../src/optim/vec.js';
import { REFERENCE, Rng, context, denseSolve, feed, makeEstimator, meanOfRows, relativeError } from './helpers.js';

const DIM = 5;

function once(t: GradientTransformation, estimator: ReturnType<typeof makeEstimator>, u = estimator.meanGrad()): Float64Array {
  return t.update(u, t.init(estimator.dim), context(estimator)).updates;
}

/** b rows ḡ + s·ξ_n with Σ_n ξ_n = 0, so that ḡ does not depend on s. */
function noisyRows(rng: Rng, centre: Float64Array, batch: number, s: number): Float64Array {
  const dim = centre.length;
  const xi = Float64Array.from({ length: batch * dim }, () => rng.normal());
  const mean = meanOfRows(xi, batch, dim);
  return xi.map((x, k) => centre[k % dim]! + s * (x - mean[k % dim]!));
}

/** S = C/b from rows, dense float64, independently of src/curvature. */
function denseNoise(rows: Float64Array, batch: number, dim: number): Float64Array {
  const mean = meanOfRows(rows, batch, dim);
  const S = new Float64Array(dim * dim);
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) {
        S[i * dim + j] += ((rows[n * dim + i]! - mean[i]!) * (rows[n * dim + j]! - mean[j]!)) / (batch * (batch - 1));
      }
    }
  }
  return S;
}

describe('sanity limits (math.md)', () => {
  it('0 ≤ D_ii ≤ 1, and meanSnr is their mean', () => {
    const rng = new Rng(1);
    for (let trial = 0; trial < 20; trial++) {
      const estimator = makeEstimator(DIM, REFERENCE, { structure: { kind: 'diagonal' }, track: { noise: true } });
      const centre = Float64Array.from({ length: DIM }, () => rng.normal() * 10 ** (2 * rng.uniform() - 1));
      feed(estimator, noisyRows(rng, centre, 6, 10 ** (3 * rng.uniform() - 1.5)), 6);
      const factors = snrFactors(context(estimator));
      for (const f of factors) expect(f >= 0 && f <= 1).toBe(true);
      const { diagnostics } = scaleBySnr().update(estimator.meanGrad(), {}, context(estimator));
      expect(diagnostics.meanSnr).toBeCloseTo(factors.reduce((a, b) => a + b, 0) / DIM, 14);
    }
  });

  it('S = 0 and λ → 0: VA = SGD (and SNR = SGD exactly)', () => {
    const g = Float64Array.from([0.3, -1.2, 2, 0.7, -0.05]);
    const rows = new Float64Array(8 * DIM).map((_, k) => g[k % DIM]!); // 8 equal rows: C = 0 exactly
    for (const structure of [{ kind: 'full' }, { kind: 'diagonal' }] as Structure[]) {
      const estimator = makeEstimator(DIM, REFERENCE, { structure, track: { noise: true } });
      feed(estimator, rows, 8);
      const plain = once(sgd({ stepSize: 0.5 }), estimator);
      // M ḡ = ḡ ‖ḡ‖²/(λ + ‖ḡ‖²): relative distance λ/‖ḡ‖² ≈ 2e-13 at λ = 1e-12
      expect(relativeError(once(va({ stepSize: 0.5, damping: 1e-12 }), estimator), plain)).toBeLessThan(1e-11);
      expect(relativeError(once(snr({ stepSize: 0.5 }), estimator), plain)).toBe(0);
    }
  });

  it('growing S shrinks VA and SNR monotonically toward 0', () => {
    const rng = new Rng(2);
    const centre = Float64Array.from({ length: DIM }, () => rng.normal());
    const xiSeed = 3;
    for (const name of ['va', 'snr'] as const) {
      const norms = [0.01, 0.1, 1, 10, 100, 1000].map((s) => {
        const estimator = makeEstimator(DIM, REFERENCE, { track: { noise: true } });
        feed(estimator, noisyRows(new Rng(xiSeed), centre, 16, s), 16);
        return norm2(once(makeOptimizer({ name, stepSize: 1, damping: 1e-10 }), estimator));
      });
      for (let k = 1; k < norms.length; k++) expect(norms[k]!, `${name} at noise level ${k}`).toBeLessThan(norms[k - 1]!);
      // For large S the update falls like 1/s²: ten times the noise, about a hundredth of the step.
      expect(norms.at(-1)! / norms.at(-2)!, name).toBeLessThan(0.02);
      expect(norms.at(-1)! / norm2(centre), name).toBeLessThan(1e-3);
      expect(norms[0]! / norm2(centre), name).toBeGreaterThan(0.99);
    }
  });

  it('F = Ẽ makes NGD equal EFGD, in every structure', () => {
    const rng = new Rng(4);
    const rows = Float64Array.from({ length: 6 * DIM }, () => rng.normal());
    const structures: Structure[] = [
      { kind: 'full' },
      { kind: 'diagonal' },
      { kind: 'lowrank', rank: 6 },
      { kind: 'blocks', blocks: [{ name: 'a', size: 2, structure: { kind: 'full' } }, { name: 'b', size: 3, structure: { kind: 'lowrank', rank: 6 } }] },
    ];
    for (const structure of structures) {
      const estimator = makeEstimator(DIM, REFERENCE, { structure, track: { empiricalFisher: true, fisher: true } });
      feed(estimator, rows, 6, { rows, samplesPerExample: 1 });
      const natural = once(ngd({ stepSize: 1, damping: 1e-2 }), estimator);
      expect(relativeError(once(efgd({ stepSize: 1, damping: 1e-2 }), estimator), natural), structure.kind).toBeLessThan(1e-14);
      // … and the cosine diagnostic is 1.
      const { diagnostics } = makeOptimizer({ name: 'sgd', stepSize: 1, damping: 1e-2 }).update(
        estimator.meanGrad(), makeOptimizer({ name: 'sgd', stepSize: 1 }).init(DIM), context(estimator));
      expect(diagnostics.cosineEfFisher).toBeCloseTo(1, 12);
    }
  });
});

describe('variance adaptation (eq. 19) against dense algebra', () => {
  const rng = new Rng(5);
  const batch = 7;
  const rows = Float64Array.from({ length: batch * DIM }, () => rng.normal() + 0.5);
  const g = meanOfRows(rows, batch, DIM);
  const S = denseNoise(rows, batch, DIM);
  const lambda = 1e-3;

  /** M u = (S + λI + ḡḡᵀ)⁻¹ ḡ (ḡᵀu) for the coordinates in [begin, end), by a dense solve (no Sherman–Morrison). */
  function denseVa(u: Float64Array, begin: number, end: number, Sfull: Float64Array): Float64Array {
    const n = end - begin;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) A[i * n + j] = Sfull[(begin + i) * DIM + begin + j]! + g[begin + i]! * g[begin + j]!;
    }
    const x = denseSolve(A, n, lambda, g.subarray(begin, end));
    let gu = 0;
    for (let i = begin; i < end; i++) gu += g[i]! * u[i]!;
    return x.map((xi) => xi * gu);
  }

  it('full S, u = ḡ and u ≠ ḡ', () => {
    const estimator = makeEstimator(DIM, REFERENCE, { track: { noise: true } });
    feed(estimator, rows, batch);
    const t = scaleByVarianceAdaptation({ damping: lambda });
    expect(relativeError(once(t, estimator), denseVa(g, 0, DIM, S))).toBeLessThan(1e-12);
    const u = Float64Array.from([1, -1, 2, 0, 0.5]);
    expect(relativeError(once(t, estimator, u), denseVa(u, 0, DIM, S))).toBeLessThan(1e-12);
  });

  it('low-rank S (rank ≥ b, so exact) agrees with full S', () => {
    const full = makeEstimator(DIM, REFERENCE, { track: { noise: true } });
    const lowRank = makeEstimator(DIM, REFERENCE, { structure: { kind: 'lowrank', rank: batch }, track: { noise: true } });
    feed(full, rows, batch);
    feed(lowRank, rows, batch);
    const t = scaleByVarianceAdaptation({ damping: lambda });
    expect(relativeError(once(t, lowRank), once(t, full))).toBeLessThan(1e-9);
  });

  it('block S: global Sherman–Morrison (eq. 19) by default, per block with blockwise', () => {
    const sizes = [2, 3];
    const structure: Structure = {
      kind: 'blocks',
      blocks: [{ name: 'w', size: 2, structure: { kind: 'full' } }, { name: 'b', size: 3, structure: { kind: 'full' } }],
    };
    const estimator = makeEstimator(DIM, REFERENCE, { structure, track: { noise: true } });
    feed(estimator, rows, batch);
    const blockS = S.map((v, k) => (Math.floor(k / DIM) < 2) === (k % DIM < 2) ? v : 0);
    expect(relativeError(once(scaleByVarianceAdaptation({ damping: lambda }), estimator), denseVa(g, 0, DIM, blockS))).toBeLessThan(1e-12);
    const perBlock = new Float64Array(DIM);
    perBlock.set(denseVa(g, 0, sizes[0]!, blockS), 0);
    perBlock.set(denseVa(g, sizes[0]!, DIM, blockS), sizes[0]!);
    const blockwise = once(scaleByVarianceAdaptation({ damping: lambda, blockwise: true }), estimator);
    expect(relativeError(blockwise, perBlock)).toBeLessThan(1e-12);
    expect(relativeError(blockwise, denseVa(g, 0, DIM, blockS))).toBeGreaterThan(1e-3); // the two differ
  });
});

describe('running estimates: ρ(β, t) (Balles & Hennig 2018)', () => {
  it('is the variance of a bias-corrected EMA of t i.i.d. unit-variance terms', () => {
    for (const beta of [0, 0.5, 0.9, 0.99]) {
      for (const t of [1, 2, 5, 50]) {
        // Σ_s w_s² with w_s = (1−β)β^{t−s}/(1−βᵗ)
        let sum = 0;
        for (let s = 1; s <= t; s++) sum += (((1 - beta) * beta ** (t - s)) / (1 - beta ** t || 1)) ** 2;
        expect(emaVarianceFactor(beta, t)).toBeCloseTo(beta === 0 ? 1 : sum, 12);
      }
    }
  });

  it('SNR with β > 0 uses ρS: D_ii = m_i²/(m_i² + ρ S_ii)', () => {
    const rng = new Rng(6);
    const beta = 0.5;
    const estimator = makeEstimator(DIM, REFERENCE, { structure: { kind: 'diagonal' }, decay: beta, track: { noise: true } });
    for (let t = 0; t < 3; t++) feed(estimator, Float64Array.from({ length: 4 * DIM }, () => rng.normal() + 1), 4);
    const m = estimator.meanGrad();
    const s = estimator.noise!.diagonal();
    const rho = (1 - beta) * (1 + beta ** 3) / ((1 + beta) * (1 - beta ** 3));
    const expected = Float64Array.from(m, (mi, i) => (mi * mi) / (mi * mi + rho * s[i]!));
    expect(relativeError(snrFactors(context(estimator)), expected)).toBeLessThan(1e-14);
  });
});

describe('missing estimates', () => {
  it.each([
    ['ngd', 'fisher'],
    ['efgd', 'empiricalFisher'],
    ['va', 'noise'],
    ['snr', 'noise'],
  ] as const)('%s without its estimate throws MISSING_INPUT naming %s', (name, field) => {
    const estimator = makeEstimator(DIM, REFERENCE, { structure: { kind: 'diagonal' }, track: {} });
    estimator.update({ batchSize: 1, meanGrad: new Float64Array(DIM).fill(1) });
    const optimizer = makeOptimizer({ name, stepSize: 1 });
    expect(() => optimizer.update(estimator.meanGrad(), optimizer.init(DIM), context(estimator))).toThrow(
      expect.objectContaining({ code: 'MISSING_INPUT', field }) as FisherdError,
    );
  });
});
