/**
 * A session's current estimates (proto `Estimates`) as plain TypeScript, and the conversion both ways.
 * Diagonals and the mean gradient travel as float64 so that a resumed session can be compared bit for bit.
 */
import { fisherd } from './generated/fisherd.js';
import { float32Bytes, float64Bytes, readFloat32, readFloat64 } from './floats.js';

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
  /** With a request's `kroneckerBasis`: that block's installed eigendecomposition per tracked Fisher. */
  kroneckerBases?: KroneckerBasisData[];
}

/**
 * A Kronecker block's installed eigendecompositions in one tracked Fisher (proto `KroneckerBasis`):
 * eigenvalues descending (float64), eigenvectors as rows (float32 on the wire: `outputVectors[j·out + o]` is
 * component o of the eigenvector of `outputValues[j]`). Version 0 and empty arrays before the first refresh.
 */
export interface KroneckerBasisData {
  kind: 'empiricalFisher' | 'fisher';
  block: string;
  version: number;
  outputs: number;
  inputOrder: number;
  outputValues: Float64Array;
  inputValues: Float64Array;
  outputVectors: Float32Array | Float64Array;
  inputVectors: Float32Array | Float64Array;
}

/** The bytes a `KroneckerBasis` of these orders takes on the wire (values float64, vectors float32). */
export function kroneckerBasisBytes(outputs: number, inputOrder: number): number {
  return 8 * (outputs + inputOrder) + 4 * (outputs * outputs + inputOrder * inputOrder);
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
    ...(e.kroneckerBases ? {
      kroneckerBases: e.kroneckerBases.map((b) => ({
        kind: KIND_TO_WIRE[b.kind], block: b.block, version: b.version, outputs: b.outputs, inputOrder: b.inputOrder,
        outputValues: float64Bytes(b.outputValues), inputValues: float64Bytes(b.inputValues),
        outputVectors: float32Bytes(b.outputVectors), inputVectors: float32Bytes(b.inputVectors),
      })),
    } : {}),
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
  if (w.kroneckerBases && w.kroneckerBases.length > 0) {
    out.kroneckerBases = w.kroneckerBases.map((b, i) => {
      const at = `estimates.kroneckerBases[${i}]`;
      const outputs = b.outputs ?? 0;
      const inputOrder = b.inputOrder ?? 0;
      const version = b.version ?? 0;
      const n = (order: number) => (version === 0 ? 0 : order);
      return {
        kind: b.kind === Kind.KIND_EMPIRICAL_FISHER ? 'empiricalFisher' as const : 'fisher' as const,
        block: b.block ?? '', version, outputs, inputOrder,
        outputValues: readFloat64(b.outputValues ?? new Uint8Array(0), `${at}.outputValues`, n(outputs)),
        inputValues: readFloat64(b.inputValues ?? new Uint8Array(0), `${at}.inputValues`, n(inputOrder)),
        outputVectors: Float32Array.from(readFloat32(b.outputVectors ?? new Uint8Array(0), `${at}.outputVectors`, n(outputs) * n(outputs))),
        inputVectors: Float32Array.from(readFloat32(b.inputVectors ?? new Uint8Array(0), `${at}.inputVectors`, n(inputOrder) * n(inputOrder))),
      };
    });
  }
  return out;
}
