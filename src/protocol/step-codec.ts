/**
 * Step contributions and updates: the wire messages (proto `StepContribution`, `Update`) <-> plain
 * TypeScript with Float32Array payloads (src/session/contribution.ts `StepContribution`). Payload bytes
 * become Float32Arrays without going through JS arrays (floats.ts); shapes and values are validated by the
 * session, which knows D.
 */
import { FisherdError } from '../errors.js';
import type { Reduction, StepContribution } from '../session/contribution.js';
import { fisherd } from './generated/fisherd.js';
import { Float32Pool, float32Bytes, readFloat32 } from './floats.js';
import { factorMatrixPool, statisticsFromWire, statisticsToWire, type StatisticsEncoding } from './statistics-codec.js';

const R = fisherd.v1.Reduction;

/** Diagnostics of one update (proto `Diagnostics`). */
export interface UpdateDiagnostics {
  /** Sample-weighted mean of the workers' losses, when they sent them. */
  loss?: number;
  /** b, the examples in the merged minibatch. */
  batchSize: number;
  /** ‖Δθ‖₂. */
  updateNorm: number;
  /** Seconds the daemon spent computing the update. */
  computeSeconds: number;
  /** Further named scalars (the optimizer's diagnostics: gradNorm, cosineEfFisher, meanSnr, stepSize, damping). */
  values: Record<string, number>;
}

/** One update (proto `Update`). */
export interface UpdateData {
  sessionId: string;
  step: number;
  /** Δθ, D floats: θ ← θ + Δθ. */
  delta: Float32Array;
  diagnostics: UpdateDiagnostics;
}

function reductionFromWire(r: number | null | undefined, step: number): Reduction {
  switch (r ?? R.REDUCTION_UNSPECIFIED) {
    case R.REDUCTION_MEAN:
      return 'mean';
    case R.REDUCTION_SUM:
      return 'sum';
    default:
      throw new FisherdError('INVALID_CONFIG', "step.reduction must be set to MEAN or SUM (how the client reduced its loss over its batch)", {
        field: 'step.reduction', step,
      });
  }
}

/**
 * A contribution for the wire; `options.statisticsEncoding` (default 'float32') is how its statistics'
 * vectors travel ('float16' / 'bfloat16': 2 bytes per value, see src/protocol/half-floats.ts).
 */
export function contributionToWire(c: StepContribution, options: { statisticsEncoding?: StatisticsEncoding } = {}): fisherd.v1.StepContribution.$Properties {
  return {
    step: c.step,
    workerId: c.workerId,
    ...(c.loss === undefined ? {} : { loss: c.loss }),
    ...(c.lossAfterPreviousUpdate === undefined ? {} : { lossAfterPreviousUpdate: c.lossAfterPreviousUpdate }),
    batchSize: c.batchSize,
    reduction: c.reduction === 'sum' ? R.REDUCTION_SUM : c.reduction === 'mean' ? R.REDUCTION_MEAN : R.REDUCTION_UNSPECIFIED,
    ...(c.perExampleGrads ? { perExampleGrads: float32Bytes(c.perExampleGrads) } : {}),
    ...(c.sampledLabelGrads
      ? { sampledLabelGrads: { samplesPerExample: c.sampledLabelGrads.samplesPerExample, rows: float32Bytes(c.sampledLabelGrads.rows) } }
      : {}),
    ...(c.fisherFactorRows
      ? { fisherFactorRows: { factorsPerExample: c.fisherFactorRows.factorsPerExample, rows: float32Bytes(c.fisherFactorRows.rows) } }
      : {}),
    ...(c.meanGrad ? { meanGrad: float32Bytes(c.meanGrad) } : {}),
    ...(c.params ? { params: float32Bytes(c.params) } : {}),
    ...(c.statistics ? { statistics: statisticsToWire(c.statistics, options.statisticsEncoding) } : {}),
  };
}

/**
 * The daemon's pool for decoded step payloads (see `Float32Pool`): `contributionFromWire` copies unaligned
 * payloads into its arrays, and whoever is done with a contribution gives them back with
 * `releaseContribution` (the session host, once the step's update is sent).
 */
export const stepPayloadPool = new Float32Pool();

/**
 * Reads a wire contribution. Payloads are views into the frame where the bytes are 4-byte aligned and
 * one copy otherwise, into an array taken from `pool` (default `stepPayloadPool`); a frame is never
 * reused, so the views stay valid. A caller that keeps the contribution simply never releases it.
 */
export function contributionFromWire(w: fisherd.v1.StepContribution.$Properties, pool: Float32Pool = stepPayloadPool): StepContribution {
  const step = w.step ?? 0;
  const bytes = (b: Uint8Array | null | undefined): b is Uint8Array => b !== null && b !== undefined && b.length > 0;
  const floats = (b: Uint8Array | null | undefined, field: string): Float32Array => readFloat32(b ?? new Uint8Array(0), field, undefined, pool);
  const sampled = w.sampledLabelGrads;
  const factors = w.fisherFactorRows;
  return {
    step,
    workerId: w.workerId ?? 0,
    ...(w.loss === undefined || w.loss === null ? {} : { loss: w.loss }),
    ...(w.lossAfterPreviousUpdate === undefined || w.lossAfterPreviousUpdate === null ? {} : { lossAfterPreviousUpdate: w.lossAfterPreviousUpdate }),
    batchSize: w.batchSize ?? 0,
    reduction: reductionFromWire(w.reduction, step),
    ...(bytes(w.perExampleGrads) ? { perExampleGrads: floats(w.perExampleGrads, 'step.perExampleGrads') } : {}),
    ...(sampled
      ? { sampledLabelGrads: { samplesPerExample: sampled.samplesPerExample ?? 0, rows: floats(sampled.rows, 'step.sampledLabelGrads.rows') } }
      : {}),
    ...(factors
      ? { fisherFactorRows: { factorsPerExample: factors.factorsPerExample ?? 0, rows: floats(factors.rows, 'step.fisherFactorRows.rows') } }
      : {}),
    ...(bytes(w.meanGrad) ? { meanGrad: floats(w.meanGrad, 'step.meanGrad') } : {}),
    ...(bytes(w.params) ? { params: floats(w.params, 'step.params') } : {}),
    ...(w.statistics && w.statistics.length > 0 ? { statistics: statisticsFromWire(w.statistics, step, pool) } : {}),
  };
}

/**
 * Makes `c` independent of `frame`, the buffer it was decoded from: every typed array of it that is a view
 * of the frame's memory becomes a copy (float32 ones taken from `pool`, so that `releaseContribution` gives
 * them back), whatever field holds it. After this the frame may be reused while the contribution lives.
 */
export function detachContribution(c: StepContribution, frame: Uint8Array, pool: Float32Pool = stepPayloadPool): void {
  const memory = frame.buffer;
  const copy = (v: ArrayBufferView): ArrayBufferView => {
    if (v instanceof Float32Array) {
      const out = pool.take(v.length);
      out.set(v);
      return out;
    }
    if (v instanceof Float64Array) return v.slice();
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  };
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const field = record[key];
      if (ArrayBuffer.isView(field)) {
        if (field.buffer === memory) record[key] = copy(field);
      } else {
        walk(field);
      }
    }
  };
  walk(c);
}

/**
 * Gives a decoded contribution's payload arrays back to `pool` (default `stepPayloadPool`), and its
 * Kronecker factor matrices to statistics-codec.ts `factorMatrixPool`. Call it only
 * when nothing reads them any more: the contribution must not be used afterwards. Views into the frame
 * and arrays the pool did not lend are ignored, so releasing any contribution, or one twice, is harmless.
 */
export function releaseContribution(c: StepContribution, pool: Float32Pool = stepPayloadPool): void {
  if (c.perExampleGrads !== undefined) pool.give(c.perExampleGrads);
  if (c.sampledLabelGrads !== undefined) pool.give(c.sampledLabelGrads.rows);
  if (c.fisherFactorRows !== undefined) pool.give(c.fisherFactorRows.rows);
  if (c.meanGrad !== undefined) pool.give(c.meanGrad);
  if (c.params !== undefined) pool.give(c.params);
  for (const entry of c.statistics ?? []) {
    if (entry.kind !== 'diagonal') {
      // a Kronecker block's gradient sum, and its factor sums' matrices (statistics-codec.ts `factorMatrixPool`)
      const k = entry.kronecker;
      for (const v of [k.sum, k.sumFactors?.outputGrads, k.sumFactors?.inputs]) if (v instanceof Float32Array) pool.give(v);
      const f = k.factors;
      if (f !== undefined) for (const M of [f.inputSum, f.empirical?.sum, f.sampled?.sum, f.exact?.sum]) if (M !== undefined) factorMatrixPool.give(M);
      continue;
    }
    const m = entry.moments;
    for (const v of [m.sum, m.sumSquares, m.centredSquares, m.sampledLabelSquares, m.factorSquares]) {
      if (v instanceof Float32Array) pool.give(v);
    }
  }
}

export function updateToWire(u: {
  sessionId: string; step: number; delta: Float32Array | Float64Array; diagnostics: UpdateDiagnostics;
}): fisherd.v1.Update.$Properties {
  const d = u.diagnostics;
  return {
    sessionId: u.sessionId,
    step: u.step,
    delta: float32Bytes(u.delta),
    diagnostics: {
      ...(d.loss === undefined ? {} : { loss: d.loss }),
      batchSize: d.batchSize,
      updateNorm: d.updateNorm,
      computeSeconds: d.computeSeconds,
      values: d.values,
    },
  };
}

export function updateFromWire(w: fisherd.v1.Update.$Properties): UpdateData {
  const d = w.diagnostics ?? {};
  const raw = w.delta ?? new Uint8Array(0);
  const view = readFloat32(raw, 'update.delta');
  return {
    sessionId: w.sessionId ?? '',
    step: w.step ?? 0,
    // A copy when readFloat32 returned a view: user code may keep the array, and should not pin the frame.
    delta: view.buffer === raw.buffer ? new Float32Array(view) : view,
    diagnostics: {
      ...(d.loss === undefined || d.loss === null ? {} : { loss: d.loss }),
      batchSize: d.batchSize ?? 0,
      updateNorm: d.updateNorm ?? 0,
      computeSeconds: d.computeSeconds ?? 0,
      values: { ...(d.values ?? {}) },
    },
  };
}
