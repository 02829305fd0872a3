/**
 * Statistics contributions against rows: the same random per-example gradients, sent once as rows and once
 * as the diagonal moments a client computes from them (`diagonalMomentsOf`, float64), give every rule the
 * same updates, with W = 3 workers whose statistics the session merges (Chan et al. for the noise).
 *
 * Tolerances (relative, ‖·‖₂ over Δθ and over each estimate's diagonal):
 * - float64 storage: 1e-6 for Δθ — both paths round Δθ to float32 (2⁻²⁴ ≈ 6e-8 per value) after float64
 *   arithmetic that differs only in summation order (~1e-15), so a value near a float32 rounding boundary
 *   may round either way (≤ 1.2e-7 relative per value); estimates 1e-12.
 * - float32 storage (openblas, gpujs): 1e-5 — the row path keeps ḡ and the estimates in float32
 *   (ε₃₂ ≈ 6e-8 per operation, a few dozen operations deep), the statistics path ḡ in float64.
 * And at a mean 10⁴ times the spread (SNR 10⁸) the noise merged from float32 statistics matches float64
 * within 1e-3, where Q − s∘s/b from the same float32 sums is off by more than 10 %. The 1e-3: M2_w travels
 * with its own relative rounding (6e-8); Chan's between-worker term b_w(ḡ_w − ḡ)² takes ḡ_w from the
 * float32 sum, off by ≤ ε₃₂|ḡ| against a difference of ~σ/√b_w, i.e. ≲ 2ε₃₂(|ḡ|/σ)√b_w relative, and that
 * term is ~(W − 1)/(b − 1) of M2: 2·6e-8·10⁴·√7·(2/15) ≈ 4e-4 here (measured 3.8e-4).
 */
import { validateStatistics, type DiagonalBlockStatistics } from '../../src/session/statistics.js';
import { describe, expect, it } from 'vitest';
import type { OptimizerSpec } from '../../src/optim/index.js';
import {
  Session, diagonalMomentsOf, type BlockStatistics, type SessionConfig, type StepContribution,
} from '../../src/session/index.js';
import type { Backend } from '../../src/linalg/backend.js';
import { BACKENDS, REFERENCE, Rng, errorOf, relativeError } from './helpers.js';

const BLOCKS = [{ name: 'w', size: 23 }, { name: 'bias', size: 14 }]; // D = 37: a SIMD tail on every backend
const DIM = 37;
const BATCH = [4, 5, 7]; // W = 3 workers of different sizes
const K = 2; // sampled labels per example
const C = 3; // exact factor rows per example

/** A worker's rows at math.md's scale (g_n, g̃, u), float32, with a per-coordinate offset so that ḡ ≠ 0. */
interface Rows { b: number; grads: Float32Array; sampled: Float32Array; factors: Float32Array }

function workerRows(rng: Rng, b: number, step: number): Rows {
  const normals = (n: number, shift: number) => Float32Array.from(rng.normals(n * DIM), (x, k) => x + shift * Math.sin(k % DIM + step));
  return { b, grads: normals(b, 0.7), sampled: normals(b * K, 0.2), factors: normals(b * C, 0) };
}

/** The rows as the client sends them under `reduction` (g/b, u/√b for 'mean'). */
function rowContribution(r: Rows, step: number, workerId: number, reduction: 'mean' | 'sum'): StepContribution {
  const g = reduction === 'mean' ? 1 / r.b : 1;
  const u = reduction === 'mean' ? 1 / Math.sqrt(r.b) : 1;
  return {
    step, workerId, batchSize: r.b, reduction, loss: 0.5 + workerId,
    perExampleGrads: r.grads.map((x) => x * g),
    sampledLabelGrads: { rows: r.sampled.map((x) => x * g), samplesPerExample: K },
    fisherFactorRows: { rows: r.factors.map((x) => x * u), factorsPerExample: C },
  };
}

/**
 * The same worker's statistics, computed from the rows it would send: per block for workers 0 and 2, as
 * one whole-vector entry for worker 1 (a contribution may use either).
 */
function statisticsContribution(rows: StepContribution): StepContribution {
  const { perExampleGrads, sampledLabelGrads, fisherFactorRows, meanGrad: _m, ...rest } = rows;
  const moments = (offset: number, size: number) => diagonalMomentsOf({
    count: rows.batchSize, dim: DIM, offset, size, perExampleGrads: perExampleGrads!, sampledLabelGrads: sampledLabelGrads!, fisherFactorRows: fisherFactorRows!,
  });
  let statistics: BlockStatistics[];
  if (rows.workerId === 1) statistics = [{ block: '', kind: 'diagonal', moments: moments(0, DIM) }];
  else {
    let offset = 0;
    statistics = BLOCKS.map((block) => {
      const entry: BlockStatistics = { block: block.name, kind: 'diagonal', moments: moments(offset, block.size) };
      offset += block.size;
      return entry;
    }).reverse(); // any order
  }
  return { ...rest, statistics };
}

const RULES: { name: string; optimizer: OptimizerSpec; fisherSource?: 'sampled' | 'exact' }[] = [
  { name: 'sgd', optimizer: { name: 'sgd', stepSize: 0.1 } },
  { name: 'sgd with momentum', optimizer: { name: 'sgd', stepSize: 0.1, momentum: 0.9 } },
  { name: 'sgd with nesterov momentum', optimizer: { name: 'sgd', stepSize: 0.1, momentum: 0.9, nesterov: true } },
  { name: 'ngd, sampled-label Fisher', optimizer: { name: 'ngd', stepSize: 0.5, damping: 1e-2 }, fisherSource: 'sampled' },
  { name: 'ngd, exact Fisher', optimizer: { name: 'ngd', stepSize: 0.5, damping: 1e-2 }, fisherSource: 'exact' },
  { name: 'efgd', optimizer: { name: 'efgd', stepSize: 0.2, damping: 1e-3 } },
  { name: 'snr (noise)', optimizer: { name: 'snr', stepSize: 0.1 } },
  { name: 'snr (M-SVAG moments)', optimizer: { name: 'snr', stepSize: 0.1, snrVariance: 'moments' } },
  { name: 'va', optimizer: { name: 'va', stepSize: 0.1, damping: 1e-3 } },
  { name: 'va blockwise', optimizer: { name: 'va', stepSize: 0.1, damping: 1e-3, blockwise: true } },
  { name: 'adam', optimizer: { name: 'adam', stepSize: 0.01 } },
];

function config(optimizer: OptimizerSpec, fisherSource: 'sampled' | 'exact' = 'sampled'): SessionConfig {
  return {
    dim: DIM, blocks: BLOCKS.map((b) => ({ ...b, structure: { kind: 'diagonal' } })), optimizer, workers: 3, emaDecay: 0.8,
    fisherSource, track: { empiricalFisher: true, noise: true, fisher: true },
  };
}

const name = (b: Backend) => (b.name === 'gpujs' ? `gpujs ${b.detail}` : b.name);

describe.each(BACKENDS.map((b) => [name(b), b] as const))('statistics vs rows on %s (W = 3)', (_n, backend) => {
  const float64 = backend.dtype === 'float64';
  for (const rule of RULES) {
    for (const reduction of ['sum', 'mean'] as const) {
      it(`${rule.name}, ${reduction}-reduced: the same updates and estimates over 4 steps`, () => {
        const fromRows = new Session(config(rule.optimizer, rule.fisherSource), backend);
        const fromStatistics = new Session(config(rule.optimizer, rule.fisherSource), backend);
        const rng = new Rng(17);
        let worst = 0;
        for (let step = 1; step <= 4; step++) {
          const rows = BATCH.map((b, w) => rowContribution(workerRows(rng, b, step), step, w, reduction));
          const expected = fromRows.step(rows);
          const got = fromStatistics.step(rows.map(statisticsContribution).reverse()); // any worker order
          worst = Math.max(worst, relativeError(got.update, expected.update));
          expect(got.diagnostics.batchSize).toBe(16);
          expect(got.diagnostics.loss).toBeCloseTo(expected.diagnostics.loss!, 14);
          expect(got.diagnostics.gradNorm).toBeCloseTo(expected.diagnostics.gradNorm, 5);
        }
        expect(worst).toBeLessThan(float64 ? 1e-6 : 1e-5);
        const a = fromRows.estimates({ includeDiagonals: true, topK: 0 });
        const b = fromStatistics.estimates({ includeDiagonals: true, topK: 0 });
        expect(b.estimates.map((e) => e.kind)).toEqual(a.estimates.map((e) => e.kind));
        for (let i = 0; i < a.estimates.length; i++) {
          expect(relativeError(b.estimates[i]!.diagonal!, a.estimates[i]!.diagonal!)).toBeLessThan(float64 ? 1e-12 : 1e-5);
        }
        expect(relativeError(b.meanGrad!, a.meanGrad!)).toBeLessThan(float64 ? 1e-12 : 1e-5);
      });
    }
  }

  it('summarize + stepFromSummary of statistics = step of statistics, bit for bit', () => {
    const cfg = config({ name: 'va', stepSize: 0.1, damping: 1e-3 });
    const whole = new Session(cfg, backend);
    const halves = new Session(cfg, backend);
    const summarizer = new Session(cfg, backend);
    const rng = new Rng(3);
    for (let step = 1; step <= 3; step++) {
      const input = BATCH.map((b, w) => statisticsContribution(rowContribution(workerRows(rng, b, step), step, w, 'mean')));
      const expected = whole.step(input);
      const got = halves.stepFromSummary(summarizer.summarize(input, { step }));
      expect(Buffer.from(got.update.buffer).equals(Buffer.from(expected.update.buffer))).toBe(true);
    }
  });
});

describe('the noise from statistics at a mean 10⁴ times the spread (SNR 10⁸)', () => {
  it('merges three workers within 1e-3 of float64, where Q − s∘s/b loses it', () => {
    const rng = new Rng(29);
    const rows = BATCH.map((b) => Float32Array.from(rng.normals(b * DIM), (x, k) => 100 * (1 + (k % DIM) / DIM) + 0.01 * x));
    const b = BATCH.reduce((s, x) => s + x, 0);
    // float64 reference from the float32 rows as sent: Σ (g − ḡ)² / (b(b−1)).
    const reference = new Float64Array(DIM);
    for (let i = 0; i < DIM; i++) {
      let mean = 0;
      rows.forEach((r, w) => { for (let n = 0; n < BATCH[w]!; n++) mean += r[n * DIM + i]! / b; });
      let q = 0;
      rows.forEach((r, w) => { for (let n = 0; n < BATCH[w]!; n++) q += (r[n * DIM + i]! - mean) ** 2; });
      reference[i] = q / (b * (b - 1));
    }
    // Statistics as they travel in float32 (the wire's default).
    const f32 = (v: ArrayLike<number> | undefined) => Float32Array.from(v!);
    const moments = rows.map((r, w) => diagonalMomentsOf({ count: BATCH[w]!, dim: DIM, perExampleGrads: r }));
    const contributions: StepContribution[] = moments.map((m, w) => ({
      step: 1, workerId: w, batchSize: BATCH[w]!, reduction: 'sum',
      statistics: [{ block: '', kind: 'diagonal', moments: { count: m.count, sum: f32(m.sum), sumSquares: f32(m.sumSquares), centredSquares: f32(m.centredSquares) } }],
    }));
    const session = new Session({ dim: DIM, optimizer: { name: 'snr', stepSize: 0.1 }, workers: 3, track: { empiricalFisher: true } }, REFERENCE);
    session.step(contributions);
    const noise = session.estimates({ includeDiagonals: true }).estimates.find((e) => e.kind === 'noise')!.diagonal!;
    expect(relativeError(noise, reference)).toBeLessThan(1e-3);
    // The same float32 sums through the one-pass formula: the subtraction cancels the noise away.
    const naive = new Float64Array(DIM);
    for (let i = 0; i < DIM; i++) {
      let s = 0;
      let q = 0;
      for (const m of contributions) {
        s += (m.statistics![0] as DiagonalBlockStatistics).moments.sum[i]!;
        q += (m.statistics![0] as DiagonalBlockStatistics).moments.sumSquares![i]!;
      }
      naive[i] = (q - (s * s) / b) / (b * (b - 1));
    }
    expect(relativeError(naive, reference)).toBeGreaterThan(0.1);
  });
});

describe('statistics errors (typed, naming the field; the session unchanged)', () => {
  const cfg = config({ name: 'ngd', stepSize: 0.5, damping: 1e-2 });
  const good = (step: number, seed = 5) => {
    const rng = new Rng(seed);
    return BATCH.map((b, w) => statisticsContribution(rowContribution(workerRows(rng, b, step), step, w, 'sum')));
  };
  /** Worker 0's first entry ("bias", after the reverse) with `change` applied to its moments. */
  const edited = (change: (m: Record<string, unknown>) => void, entry = 0) => {
    const input = good(2);
    const statistics = input[0]!.statistics!.map((e) => ({ ...(e as DiagonalBlockStatistics), moments: { ...(e as DiagonalBlockStatistics).moments } }));
    change((statistics[entry] as DiagonalBlockStatistics).moments as unknown as Record<string, unknown>);
    input[0] = { ...input[0]!, statistics };
    return input;
  };
  const cases: [string, () => StepContribution[], string, string][] = [
    ['a vector of the wrong length', () => edited((m) => { m.sum = new Float64Array(13); }), 'SHAPE_MISMATCH', 'statistics[0].diagonal.sum'],
    ['a NaN', () => edited((m) => { m.centredSquares = Float64Array.from(m.centredSquares as Float64Array, (x, j) => (j === 3 ? NaN : x)); }), 'NON_FINITE', 'statistics[0].diagonal.centredSquares'],
    ['a negative sum of squares', () => edited((m) => { m.sumSquares = Float64Array.from(m.sumSquares as Float64Array, (x, j) => (j === 1 ? -1 : x)); }), 'INVALID_CONFIG', 'statistics[0].diagonal.sumSquares'],
    ['a negative M2', () => edited((m) => { m.centredSquares = Float64Array.from(m.centredSquares as Float64Array, (x, j) => (j === 0 ? -1e-3 : x)); }), 'INVALID_CONFIG', 'statistics[0].diagonal.centredSquares'],
    ['a count that is not batchSize', () => edited((m) => { m.count = 5; }), 'SHAPE_MISMATCH', 'statistics[0].diagonal.count'],
    ['counts that disagree across blocks', () => edited((m) => { m.count = 3; }, 1), 'SHAPE_MISMATCH', 'statistics[1].diagonal.count'],
    ['a missing M2 while the noise is tracked', () => edited((m) => { delete m.centredSquares; }), 'MISSING_INPUT', 'statistics[0].diagonal.centredSquares'],
    ['a missing sampled-label sum', () => edited((m) => { delete m.sampledLabelSquares; }), 'MISSING_INPUT', 'statistics[0].diagonal.sampledLabelSquares'],
    ['K of 0', () => edited((m) => { m.samplesPerExample = 0; }), 'SHAPE_MISMATCH', 'statistics[0].diagonal.samplesPerExample'],
    ['an unknown block', () => { const i = good(2); i[0] = { ...i[0]!, statistics: [{ ...i[0]!.statistics![0]!, block: 'nope' }, i[0]!.statistics![1]!] }; return i; }, 'UNKNOWN_BLOCK', 'statistics[0].block'],
    ['a block twice', () => { const i = good(2); i[0] = { ...i[0]!, statistics: [i[0]!.statistics![0]!, i[0]!.statistics![0]!] }; return i; }, 'SHAPE_MISMATCH', 'statistics[1].block'],
    ['a block left out', () => { const i = good(2); i[0] = { ...i[0]!, statistics: [i[0]!.statistics![0]!] }; return i; }, 'MISSING_INPUT', 'statistics'],
    ['rows beside statistics', () => { const i = good(2); i[2] = { ...i[2]!, meanGrad: new Float32Array(DIM) }; return i; }, 'INVALID_CONFIG', 'statistics'],
    ['one worker with rows, the others statistics', () => {
      const i = good(2);
      i[1] = rowContribution(workerRows(new Rng(1), BATCH[1]!, 2), 2, 1, 'sum');
      return i;
    }, 'INVALID_CONFIG', 'statistics'],
    ['K that differs between workers', () => {
      const i = good(2);
      i[2] = { ...i[2]!, statistics: i[2]!.statistics!.map((e) => ({ ...(e as DiagonalBlockStatistics), moments: { ...(e as DiagonalBlockStatistics).moments, samplesPerExample: 3 } })) };
      return i;
    }, 'SHAPE_MISMATCH', 'statistics.diagonal.samplesPerExample'],
  ];

  it.each(cases)('refuses %s', (_what, input, code, field) => {
    const session = new Session(cfg, REFERENCE);
    session.step(good(1));
    const before = session.snapshot();
    const e = errorOf(() => session.step(input()));
    expect(e.code).toBe(code);
    expect(e.field).toBe(field);
    expect(e.step).toBe(2);
    expect(session.snapshot()).toEqual(before);
    expect(session.step(good(2)).step).toBe(2); // and goes on
  });

  it('refuses statistics for a block whose structure is not diagonal (INVALID_CONFIG), unless nothing is tracked', () => {
    const full = { ...cfg, blocks: [{ name: 'w', size: 23, structure: { kind: 'full' as const } }, { name: 'bias', size: 14, structure: { kind: 'diagonal' as const } }] };
    const session = new Session(full, REFERENCE);
    const e = errorOf(() => session.step(good(1)));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.field).toBe('statistics[1].diagonal'); // "w", after the reverse
    expect(e.message).toMatch(/"w" is not diagonal/);
    expect(session.lastStep).toBe(0);
    const sgd = new Session({ ...full, optimizer: { name: 'sgd', stepSize: 0.1 }, track: {} }, REFERENCE);
    expect(sgd.step(good(1)).step).toBe(1);
  });
});

describe('statistics value scan of float32 vectors (branch-free probes, then the locating loop)', () => {
  const requirements = (dim: number) =>
    new Session({ dim, structure: { kind: 'diagonal' }, optimizer: { name: 'efgd', stepSize: 0.1 } }, REFERENCE).contributionRequirements(1);
  const contribution = (sum: Float32Array, sumSquares: Float32Array): StepContribution => ({
    step: 1, workerId: 0, batchSize: 4, reduction: 'sum',
    statistics: [{ block: '', kind: 'diagonal', moments: { count: 4, sum, sumSquares } }],
  });
  // 37 values: indices inside the 8-wide unrolled part and in the tail
  const dim = 37;
  const ok = () => Float32Array.from({ length: dim }, (_, i) => 1 + i);

  it('accepts −0 and tiny positives, and names the first bad value wherever it lies', () => {
    const squares = ok();
    squares[5] = -0;
    squares[35] = 1e-45;
    expect(() => validateStatistics(contribution(ok(), squares), requirements(dim))).not.toThrow();
    for (const at of [0, 7, 8, 31, 32, 36]) {
      for (const [bad, code] of [[-1e-30, 'INVALID_CONFIG'], [Number.NaN, 'NON_FINITE'], [Infinity, 'NON_FINITE'], [-Infinity, 'NON_FINITE']] as const) {
        const q = ok();
        q[at] = bad;
        if (at > 0) q[at - 1] = -0; // a −0 before it does not stop the search
        const e = errorOf(() => validateStatistics(contribution(ok(), q), requirements(dim)));
        expect([e.code, e.field, e.message.startsWith(`statistics[0].diagonal.sumSquares[${at}] is`)]).toEqual([code, 'statistics[0].diagonal.sumSquares', true]);
        const s = ok();
        s[at] = bad;
        if (Number.isFinite(bad)) {
          expect(() => validateStatistics(contribution(s, ok()), requirements(dim))).not.toThrow(); // a sum may be negative
        } else {
          const es = errorOf(() => validateStatistics(contribution(s, ok()), requirements(dim)));
          expect([es.code, es.message.startsWith(`statistics[0].diagonal.sum[${at}] is`)]).toEqual(['NON_FINITE', true]);
        }
      }
    }
  });
});
