/**
 * A session's current estimates (proto `Estimates`) as plain TypeScript, and the conversion both ways.
 * Diagonals and the mean gradient travel as float64 so that a resumed session can be compared bit for bit.
 */
import { fisherd } from './generated/fisherd.js';
import { float64Bytes, readFloat64 } from './floats.js';

const Kind = fisherd.v1.Estimate.Kind;

export type EstimateName = 'empiricalFisher' | 'fisher' | 'noise';

export interface EstimateData {
  kind: EstimateName;
  /** Bias-corrected diagonal (only when asked for). */
  diagonal?: Float64Array;
  /** Largest eigenvalues, descending. */
  topEigenvalues: number[];
  trace: number;
}

export interface EstimatesData {
  sessionId: string;
  /** The last completed step the estimates include. */
  step: number;
  estimates: EstimateData[];
  /** Bias-corrected running mean gradient ḡ (only when diagonals are asked for). */
  meanGrad?: Float64Array;
  /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), when both Fishers are tracked. */
  cosineEfFisher?: number;
  /** The first coordinate the diagonals and `meanGrad` hold (a ranged request). Default 0. */
  diagonalOffset?: number;
}

const KIND_TO_WIRE: Record<EstimateName, fisherd.v1.Estimate.Kind> = {
  empiricalFisher: Kind.KIND_EMPIRICAL_FISHER,
  fisher: Kind.KIND_FISHER,
  noise: Kind.KIND_NOISE,
};

export function estimatesToWire(e: EstimatesData): fisherd.v1.Estimates.$Properties {
  return {
    sessionId: e.sessionId,
    step: e.step,
    estimates: e.estimates.map((x) => ({
      kind: KIND_TO_WIRE[x.kind],
      ...(x.diagonal ? { diagonal: float64Bytes(x.diagonal) } : {}),
      topEigenvalues: x.topEigenvalues,
      trace: x.trace,
    })),
    ...(e.meanGrad ? { meanGrad: float64Bytes(e.meanGrad) } : {}),
    ...(e.cosineEfFisher === undefined ? {} : { cosineEfFisher: e.cosineEfFisher }),
    ...(e.diagonalOffset ? { diagonalOffset: e.diagonalOffset } : {}),
  };
}

export function estimatesFromWire(w: fisherd.v1.Estimates.$Properties): EstimatesData {
  const out: EstimatesData = {
    sessionId: w.sessionId ?? '',
    step: w.step ?? 0,
    estimates: (w.estimates ?? []).map((x) => {
      const kind = (Object.keys(KIND_TO_WIRE) as EstimateName[]).find((k) => KIND_TO_WIRE[k] === x.kind) ?? 'empiricalFisher';
      const estimate: EstimateData = { kind, topEigenvalues: [...(x.topEigenvalues ?? [])], trace: x.trace ?? 0 };
      if (x.diagonal && x.diagonal.length > 0) estimate.diagonal = readFloat64(x.diagonal, `estimates.${kind}.diagonal`);
      return estimate;
    }),
  };
  if (w.meanGrad && w.meanGrad.length > 0) out.meanGrad = readFloat64(w.meanGrad, 'estimates.meanGrad');
  if (w.cosineEfFisher !== undefined && w.cosineEfFisher !== null) out.cosineEfFisher = w.cosineEfFisher;
  if (w.diagonalOffset) out.diagonalOffset = w.diagonalOffset;
  return out;
}
