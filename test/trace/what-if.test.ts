/**
 * Replay's "what if" columns (src/trace/what-if.ts) against float64 references computed here from the
 * rows written into the trace, the step size / damping overrides, and the update export's files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LeafStructure } from '../../src/curvature/structure.js';
import { createBackend } from '../../src/linalg/select.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { contributionToWire, updateToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { replayTrace, type ReplayOptions, type ReplayResult, type ReplayStepRow } from '../../src/trace/replay.js';
import { NPY_HEADER_BYTES, UpdateExport } from '../../src/trace/update-export.js';
import { STEP_COLUMNS } from '../../src/trace/what-if.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { rng } from '../linalg/helpers.js';
import { withTempDir } from './fixtures.js';
import { parseNpy } from './npy.js';

const D = 5;
const B = 4;
/** Sampled labels per example (pins the 1/(b·K) of F̂) and factor rows per example (exact F). */
const K = 2;
const C = 3;
const BETA = 0.5;
const STEPS = 5;

interface Written {
  contributions: StepContribution[];
  /** The update fisherd sent at each step (float32, as recorded). */
  recorded: Float32Array[];
}

/**
 * Records STEPS steps of an ngd session (γ 0.1, λ 1e-3, emaDecay 0.5) as the daemon does: each
 * contribution, then the update a reference Session computed. Rows are given with reduction 'sum', i.e.
 * as the g_n, g̃_{n,k} and u_{n,c} of math.md.
 */
async function record(dir: string, structure: LeafStructure, fisherSource: 'sampled' | 'exact'): Promise<Written> {
  const config: SessionConfig = {
    dim: D, structure, fisherSource, emaDecay: BETA, backend: 'reference', optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 },
  };
  const session = new Session(config, await createBackend('reference'));
  const writer = await TraceWriter.open(dir, {
    sessionId: 'what-if', backend: 'reference', sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish(),
  }, { sync: 'on-close' });
  const random = rng(7);
  const rows = (n: number) => Float32Array.from({ length: n * D }, () => random() - 0.5 + 0.2); // a mean ≠ 0
  const written: Written = { contributions: [], recorded: [] };
  for (let s = 1; s <= STEPS; s++) {
    const c: StepContribution = {
      step: s, workerId: 0, batchSize: B, reduction: 'sum', loss: 1 / s, perExampleGrads: rows(B),
      ...(fisherSource === 'sampled' ? { sampledLabelGrads: { samplesPerExample: K, rows: rows(B * K) } } : { fisherFactorRows: { factorsPerExample: C, rows: rows(B * C) } }),
    };
    await writer.appendContribution(fisherd.v1.StepContribution.encode(contributionToWire(c)).finish());
    const result = session.step([c]);
    await writer.appendUpdate(fisherd.v1.Update.encode(updateToWire({
      sessionId: 'what-if', step: s, delta: result.update, diagnostics: { batchSize: B, updateNorm: 0, computeSeconds: 0, values: {} },
    })).finish());
    written.contributions.push(c);
    written.recorded.push(result.update);
  }
  await writer.close();
  return written;
}

/** Σ_r w·v_r v_rᵀ of `rows` (count rows of D) into the dense D×D `out`, in float64. */
function addOuter(out: Float64Array, rows: Float32Array, w: number): void {
  for (let r = 0; r < rows.length / D; r++) {
    for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) out[i * D + j]! += w * rows[r * D + i]! * rows[r * D + j]!;
  }
}

interface Reference { g: Float64Array; F: Float64Array; E: Float64Array }

/**
 * Float64 reference of math.md: per step the bias-corrected EMAs (β = 0.5) of ḡ = (1/b) Σ g_n,
 * Ẽ = (1/b) Σ g_n g_nᵀ and F̂ = (1/(bK)) Σ g̃ g̃ᵀ or F = (1/b) Σ u uᵀ; only their diagonals for 'diagonal'.
 */
function reference(written: Written, diagonal: boolean): Reference[] {
  const g = new Float64Array(D);
  const F = new Float64Array(D * D);
  const E = new Float64Array(D * D);
  const out: Reference[] = [];
  for (const [t, c] of written.contributions.entries()) {
    const batchG = new Float64Array(D);
    for (let n = 0; n < B; n++) for (let i = 0; i < D; i++) batchG[i]! += c.perExampleGrads![n * D + i]! / B;
    const batchE = new Float64Array(D * D);
    addOuter(batchE, c.perExampleGrads!, 1 / B);
    const batchF = new Float64Array(D * D);
    if (c.sampledLabelGrads) addOuter(batchF, c.sampledLabelGrads.rows, 1 / (B * K));
    else addOuter(batchF, c.fisherFactorRows!.rows, 1 / B);
    for (let i = 0; i < D; i++) g[i] = BETA * g[i]! + (1 - BETA) * batchG[i]!;
    for (let i = 0; i < D * D; i++) {
      E[i] = BETA * E[i]! + (1 - BETA) * batchE[i]!;
      F[i] = BETA * F[i]! + (1 - BETA) * batchF[i]!;
    }
    const correction = 1 / (1 - BETA ** (t + 1));
    const keep = (i: number) => (!diagonal || i % (D + 1) === 0 ? correction : 0);
    out.push({ g: g.map((v) => v * correction), F: F.map((v, i) => v * keep(i)), E: E.map((v, i) => v * keep(i)) });
  }
  return out;
}

/** gᵀΔ + ½ ΔᵀMΔ in float64. */
function q(ref: Reference, M: Float64Array, delta: Float32Array): number {
  let linear = 0;
  let quadratic = 0;
  for (let i = 0; i < D; i++) {
    linear += ref.g[i]! * delta[i]!;
    for (let j = 0; j < D; j++) quadratic += delta[i]! * M[i * D + j]! * delta[j]!;
  }
  return linear + 0.5 * quadratic;
}

function cos(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < D; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! ** 2;
    bb += b[i]! ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/** |actual − expected| ≤ 1e-12 · scale: the estimates are float64 on the reference backend; only the summation order differs. */
function expectClose(actual: number | undefined, expected: number, scale: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-12 * scale);
}

async function replay(trace: string, options: Omit<ReplayOptions, 'backend' | 'threads'>): Promise<{ rows: ReplayStepRow[]; result: ReplayResult }> {
  const rows: ReplayStepRow[] = [];
  const result = await replayTrace([trace], { backend: 'reference', threads: 0, ...options }, (r) => { rows.push(...r); });
  return { rows, result };
}

const of = (rows: ReplayStepRow[], name: string) => rows.filter((r) => r.optimizer === name);

describe('replay: what if', () => {
  for (const [structure, source] of [[{ kind: 'diagonal' }, 'sampled'], [{ kind: 'full' }, 'exact']] as const) {
    it(`q(Δ) under F̂ and Ẽ, and the cosine with the recorded update, against a float64 reference (${structure.kind}, ${source} Fisher)`, () => withTempDir(async (dir) => {
      const trace = join(dir, 'trace');
      const written = await record(trace, structure, source);
      const refs = reference(written, structure.kind === 'diagonal');
      const { rows, result } = await replay(trace, { optimizers: ['sgd', 'ngd', 'efgd'] });
      expect(result.localModel).toEqual({ fisher: source, empiricalFisher: true });
      expect(result.reproduction?.reproduced).toBe(true);
      expect(rows.length).toBe(3 * STEPS);
      for (const row of rows) {
        const t = row.step - 1;
        const ref = refs[t]!;
        const recorded = written.recorded[t]!;
        const scale = (delta: Float32Array) => {
          let s = 0;
          for (let i = 0; i < D; i++) s += Math.abs(ref.g[i]! * delta[i]!) + delta[i]! ** 2 * (Math.abs(ref.F[i * D + i]!) + Math.abs(ref.E[i * D + i]!)) * D;
          return s;
        };
        expectClose(row.gradDotUpdate, q({ ...ref }, new Float64Array(D * D), row.update), scale(row.update));
        expectClose(row.qFisher, q(ref, ref.F, row.update), scale(row.update));
        expectClose(row.qEmpiricalFisher, q(ref, ref.E, row.update), scale(row.update));
        expectClose(row.qFisherRecorded, q(ref, ref.F, recorded), scale(recorded));
        expectClose(row.qEmpiricalFisherRecorded, q(ref, ref.E, recorded), scale(recorded));
        expectClose(row.cosineRecorded, cos(row.update, recorded), 1);
        expectClose(row.recordedUpdateNorm, Math.hypot(...recorded), Math.hypot(...recorded));
        // the Fisher model and the EF model differ (the paper's point), so the columns are not one another
        expect(row.qFisher).not.toBe(row.qEmpiricalFisher);
      }
      // the recorded rule replayed as recorded points exactly along the recorded update
      for (const row of of(rows, 'ngd')) expect(row.cosineRecorded).toBeCloseTo(1, 14);
      // sgd: Δ = −γḡ, so ḡᵀΔ = −γ‖ḡ‖² (ḡ the bias-corrected EMA)
      for (const row of of(rows, 'sgd')) expect(row.gradDotUpdate).toBeCloseTo(-0.1 * row.gradNorm ** 2, 6);
    }));
  }

  it('without recorded updates the recorded columns stay empty, the others are there', () => withTempDir(async (dir) => {
    // A trace of contributions only: write one by copying the contributions of a recorded one.
    const source = join(dir, 'source');
    const written = await record(source, { kind: 'diagonal' }, 'sampled');
    const trace = join(dir, 'trace');
    const config: SessionConfig = { dim: D, emaDecay: BETA, backend: 'reference', optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } };
    const writer = await TraceWriter.open(trace, {
      sessionId: 'what-if', backend: 'reference', sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish(),
    }, { sync: 'on-close' });
    for (const c of written.contributions) await writer.appendContribution(fisherd.v1.StepContribution.encode(contributionToWire(c)).finish());
    await writer.close();
    const { rows, result } = await replay(trace, { optimizers: ['ngd'] });
    expect(result.reproductionSkipped).toMatch(/no updates/);
    expect(rows.length).toBe(STEPS);
    for (const row of rows) {
      expect(row).toMatchObject({ cosineRecorded: undefined, recordedUpdateNorm: undefined, qFisherRecorded: undefined, qEmpiricalFisherRecorded: undefined });
      expect(row.qFisher).toBeLessThan(0); // NGD with a small λ goes downhill in its own model
    }
  }));

  it('--step-size and --damping overrides change exactly the rule they name', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    const written = await record(trace, { kind: 'diagonal' }, 'sampled');
    const refs = reference(written, true);
    const rules = ['sgd', 'ngd', 'efgd'] as const;
    const base = await replay(trace, { optimizers: rules });

    // ngd at half the step size: its Δ halves exactly (0.05 = 0.1/2 in binary), the others stay bit for bit.
    const half = await replay(trace, { optimizers: rules, overrides: { ngd: { stepSize: 0.05 } } });
    expect(of(half.rows, 'sgd')).toEqual(of(base.rows, 'sgd'));
    expect(of(half.rows, 'efgd')).toEqual(of(base.rows, 'efgd'));
    expect(half.result.optimizers.filter((o) => o.optimizer !== 'ngd')).toEqual(base.result.optimizers.filter((o) => o.optimizer !== 'ngd'));
    for (const [i, row] of of(half.rows, 'ngd').entries()) {
      const before = of(base.rows, 'ngd')[i]!;
      expect(row.stepSize).toBe(0.05);
      expect(row.damping).toBe(before.damping);
      expect(Array.from(row.update)).toEqual(Array.from(before.update, (v) => v / 2));
      expect(row.gradDotUpdate).toBe(before.gradDotUpdate / 2);
      // q(Δ/2) = ḡᵀΔ/2 + ¼·½ΔᵀFΔ
      const quadratic = before.qFisher! - before.gradDotUpdate;
      expect(row.qFisher).toBeCloseTo(before.gradDotUpdate / 2 + quadratic / 4, 14);
      expect(row.cosineRecorded).toBeCloseTo(1, 14); // the direction is the recorded one
      expect(row.qFisherRecorded).toBe(before.qFisherRecorded); // the recorded update's model does not move
    }
    // the recorded rule was overridden: nothing to reproduce
    expect(half.result.reproduction).toBeUndefined();
    expect(half.result.reproductionSkipped).toMatch(/step size or damping of ngd was overridden/);

    // efgd with λ = 0.5: Δ = −γ (diag Ẽ + 0.5)⁻¹ ḡ (float64 reference, rounded to float32: within 1 ulp);
    // the recorded rule is untouched, so its updates are still compared and reproduced.
    const damped = await replay(trace, { optimizers: rules, overrides: { efgd: { damping: 0.5 } } });
    expect(damped.result.reproduction?.reproduced).toBe(true);
    expect(of(damped.rows, 'ngd')).toEqual(of(base.rows, 'ngd'));
    for (const row of of(damped.rows, 'efgd')) {
      const ref = refs[row.step - 1]!;
      expect(row.damping).toBe(0.5);
      expect(row.stepSize).toBe(0.1);
      for (let i = 0; i < D; i++) {
        const expected = -0.1 * ref.g[i]! / (ref.E[i * D + i]! + 0.5);
        expect(Math.abs(row.update[i]! - expected)).toBeLessThanOrEqual(Math.abs(expected) * 2 ** -23);
      }
    }
    expect(of(damped.rows, 'efgd').map((r) => r.update)).not.toEqual(of(base.rows, 'efgd').map((r) => r.update));

    // a step size for every rule, and a per-rule value winning over it
    const all = await replay(trace, { optimizers: rules, stepSize: 0.2, overrides: { sgd: { stepSize: 0.3 } } });
    for (const row of all.rows) expect(row.stepSize).toBe(row.optimizer === 'sgd' ? 0.3 : 0.2);
    for (const row of of(all.rows, 'sgd')) {
      const ref = refs[row.step - 1]!;
      for (let i = 0; i < D; i++) expect(row.update[i]).toBe(Math.fround(-0.3 * ref.g[i]!));
    }
    expect(all.result.reproductionSkipped).toMatch(/step size or damping of ngd/);
  }));

  it('refuses overrides out of their domain or for a rule not replayed (INVALID_CONFIG, naming the field)', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, { kind: 'diagonal' }, 'sampled');
    await expect(replay(trace, { optimizers: ['ngd'], stepSize: 0 })).rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'stepSize' });
    await expect(replay(trace, { optimizers: ['ngd'], overrides: { ngd: { damping: -1 } } }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'overrides.ngd.damping' });
    await expect(replay(trace, { optimizers: ['ngd'], overrides: { sgd: { stepSize: 1 } } }))
      .rejects.toMatchObject({ code: 'INVALID_CONFIG', field: 'overrides', message: expect.stringMatching(/sgd, which is not among/) });
  }));

  it('exports the replayed updates bit for bit as .npy (float32, steps × D) with the per-step scalars', () => withTempDir(async (dir) => {
    const trace = join(dir, 'trace');
    await record(trace, { kind: 'full' }, 'exact');
    const rows: ReplayStepRow[] = [];
    const exported = await UpdateExport.open(dir, ['ngd', 'efgd']);
    const result = await replayTrace([trace], { optimizers: ['ngd', 'efgd'], backend: 'reference', threads: 0 }, async (r) => {
      rows.push(...r);
      await exported.write(r);
    });
    const index = await exported.close(result.sessionId);
    expect(index).toMatchObject({ format: 'fisherd-replay-updates/1', sessionId: 'what-if', dtype: 'float32', byteOrder: 'little', dim: D });
    expect(JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'))).toEqual(index);
    for (const name of ['ngd', 'efgd'] as const) {
      const npy = await readFile(join(dir, `${name}.npy`));
      const { shape, descr, fortranOrder, dataOffset } = parseNpy(npy);
      expect({ descr, fortranOrder, shape, dataOffset }).toEqual({ descr: '<f4', fortranOrder: false, shape: [STEPS, D], dataOffset: NPY_HEADER_BYTES });
      const data = npy.subarray(dataOffset);
      const mine = of(rows, name);
      expect(data.byteLength).toBe(STEPS * D * 4);
      for (const [i, row] of mine.entries()) {
        const exportedRow = new Float32Array(data.buffer.slice(data.byteOffset + i * D * 4, data.byteOffset + (i + 1) * D * 4));
        expect(Buffer.from(exportedRow.buffer).equals(Buffer.from(row.update.buffer, row.update.byteOffset, row.update.byteLength))).toBe(true);
      }
      // the digest of the file's data is the replay's digest of the rule's updates
      const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
      expect(digest).toBe(result.optimizers.find((o) => o.optimizer === name)!.updateDigest);
      expect(index.rules.find((r) => r.optimizer === name)).toEqual({ optimizer: name, updates: `${name}.npy`, scalars: `${name}.csv`, rows: STEPS, digest });
      const csv = (await readFile(join(dir, `${name}.csv`), 'utf8')).trim().split('\n');
      expect(csv[0]).toBe(['row', ...STEP_COLUMNS].join(','));
      expect(csv.length).toBe(1 + STEPS);
      const columns = csv[0]!.split(',');
      const last = csv[STEPS]!.split(',');
      expect(Number(last[columns.indexOf('row')])).toBe(STEPS - 1);
      expect(Number(last[columns.indexOf('step')])).toBe(STEPS);
      expect(Number(last[columns.indexOf('qFisher')])).toBe(mine[STEPS - 1]!.qFisher);
    }
  }));
});
