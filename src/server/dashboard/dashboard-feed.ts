/**
 * Feeds the dashboard from the daemon's session events (a `SessionObserver`, session-host.ts): every
 * step's diagnostics as they are, and, while a page is open, a sample of the session's estimates (top
 * eigenvalues of F, EF and S, and the SNR-factor histogram) at most every `spectrumIntervalMs`.
 *
 * Estimates cost more than a step (eigenvalues), so they are sampled, and the interval stretches so that
 * they take at most `maxComputeShare` of a session's time: after a sample that took c ms, the next waits
 * at least c / maxComputeShare ms. With no page open, nothing but the step record is done.
 *
 * Kronecker (K-FAC) blocks: the update's `layer.<name>.*` values become the session's per-layer table of
 * its latest step (DashboardLayers: every Kronecker block, all its values), and each step record keeps
 * only the per-layer cosine of the first `maxLayerSeries` blocks (`layerCosine`), so that a session's
 * history costs at most historyLimit × maxLayerSeries numbers more however many layers the network has.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../log.js';
import type { EstimatesData } from '../../protocol/estimates-codec.js';
import { DEFAULT_BLOCK_NAME, effectiveTrack, type SessionConfig } from '../../session/config.js';
import type { EstimatesQuery, StepOutcome } from '../session-engine.js';
import type { DashboardHub } from './dashboard-hub.js';
import type { DashboardLayer, DashboardLayerEstimate, DashboardLayers, DashboardSessionInfo, DashboardSpectrum, DashboardStep } from './messages.js';
import { histogramOfFactors, snrFactors } from './snr-histogram.js';

export interface DashboardFeedOptions {
  /** Least time between two estimate samples of one session, in ms. Default 2000. */
  readonly spectrumIntervalMs?: number;
  /** Largest eigenvalues shown per estimate (capped at D and 64). Default 10. */
  readonly topK?: number;
  /** Most share of a session's wall time spent sampling its estimates, in (0, 1]. Default 0.05. */
  readonly maxComputeShare?: number;
  /**
   * Most Kronecker blocks whose EF-vs-Fisher cosine each step record keeps for the per-layer plot (the
   * first ones, in the order of the session's blocks; the latest step's table lists them all), an integer
   * ≥ 0. Default 16 (DEFAULT_MAX_LAYER_SERIES).
   */
  readonly maxLayerSeries?: number;
  readonly logger?: Logger;
}

/** Default of DashboardFeedOptions.maxLayerSeries. */
export const DEFAULT_MAX_LAYER_SERIES = 16;

/** Reads a session's current estimates; valid only during the event call. */
export type EstimatesAccessor = (query: EstimatesQuery) => Omit<EstimatesData, 'sessionId'>;

export interface DashboardOpenEvent {
  readonly sessionId: string;
  readonly config: SessionConfig;
  readonly resumedStep: number;
}

export interface DashboardStepEvent {
  readonly sessionId: string;
  readonly config: SessionConfig;
  readonly outcome: StepOutcome;
  /** Present when the daemon lets observers read the estimates (needed for the spectra). */
  readonly estimates?: EstimatesAccessor;
}

/** The observer the daemon registers (shaped as session-host.ts's SessionObserver). */
export interface DashboardCloseEvent {
  readonly sessionId: string;
  readonly lastStep: number;
  /** True when the session was deleted (CloseSession with discard), false or absent when it stays resumable. */
  readonly discarded?: boolean;
}

export interface DashboardFeed {
  onOpen(event: DashboardOpenEvent): void;
  onStep(event: DashboardStepEvent): void;
  onClose(event: DashboardCloseEvent): void;
}

/** "diagonal", "lowrank r=16", "3 blocks: full, lowrank r=8". */
export function describeStructure(config: SessionConfig): string {
  const leaf = (s: { kind: string; rank?: number }): string => (s.kind === 'lowrank' ? `lowrank r=${s.rank}` : s.kind);
  if (config.blocks === undefined) return leaf(config.structure ?? { kind: 'diagonal' });
  const kinds = [...new Set(config.blocks.map((b) => leaf(b.structure)))];
  return `${config.blocks.length} block${config.blocks.length === 1 ? '' : 's'}: ${kinds.join(', ')}`;
}

/**
 * What the page shows about a session. `track` is the effective tracking (`effectiveTrack`: what the
 * optimizer needs ∪ what the config asks for), not the requested one: an 'snr' session keeps the noise
 * covariance, and shows its SNR histogram, whether or not its config lists `noise` under `track`.
 */
export function sessionInfo(sessionId: string, config: SessionConfig, resumedStep: number): DashboardSessionInfo {
  const track = effectiveTrack(config);
  return {
    id: sessionId,
    name: config.name ?? null,
    dim: config.dim,
    optimizer: config.optimizer.name,
    structure: describeStructure(config),
    workers: config.workers ?? 1,
    emaDecay: config.emaDecay ?? 0,
    track: { empiricalFisher: track.empiricalFisher, fisher: track.fisher, noise: track.noise },
    resumedStep,
    openedAt: Date.now(),
  };
}

/** The Kronecker blocks' names in the session's block order ('params' for a single-block Kronecker session). */
export function kroneckerLayerNames(config: SessionConfig): string[] {
  if (config.blocks === undefined) return config.structure?.kind === 'kronecker' ? [DEFAULT_BLOCK_NAME] : [];
  return config.blocks.filter((b) => b.structure.kind === 'kronecker').map((b) => b.name);
}

/** `layer.<name>.<what>` (proto Diagnostics); <name> may itself hold dots, the suffixes are fixed. */
const LAYER_KEY = /^layer\.(.+)\.(cosineEfFisher|basisVersion|factorUpdates|(fisher|empiricalFisher)\.(trace|top([1-9]\d*)))$/;

interface LayerDraft {
  cosineEfFisher?: number;
  basisVersion?: number;
  factorUpdates?: number;
  fisher?: { trace?: number; top: number[] };
  empiricalFisher?: { trace?: number; top: number[] };
}

/**
 * The per-layer table of an update: its `layer.<name>.*` diagnostics grouped by block, in `order` (the
 * session's Kronecker blocks; names not in it follow in the order they come); undefined when it has none.
 */
export function layersOfOutcome(outcome: StepOutcome, order: readonly string[] = []): DashboardLayers | undefined {
  const drafts = new Map<string, LayerDraft>();
  for (const [key, value] of Object.entries(outcome.diagnostics.values)) {
    if (!key.startsWith('layer.')) continue;
    const m = LAYER_KEY.exec(key);
    if (m === null) continue; // a later daemon's key: ignored
    const name = m[1]!;
    let draft = drafts.get(name);
    if (draft === undefined) drafts.set(name, draft = {});
    const what = m[2]!;
    if (what === 'cosineEfFisher' || what === 'basisVersion' || what === 'factorUpdates') draft[what] = value;
    else {
      const estimate = (draft[m[3] as 'fisher' | 'empiricalFisher'] ??= { top: [] });
      if (m[4] === 'trace') estimate.trace = value;
      else estimate.top[Number(m[5]) - 1] = value;
    }
  }
  if (drafts.size === 0) return undefined;
  const rank = (name: string): number => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  const names = [...drafts.keys()].sort((a, b) => rank(a) - rank(b)); // stable: unknown names keep their order
  const estimateOf = (e: LayerDraft['fisher']): DashboardLayerEstimate | undefined => (e === undefined || e.trace === undefined
    ? undefined : { trace: e.trace, top: e.top.filter((v) => v !== undefined) });
  const layers = names.map((name): DashboardLayer => {
    const d = drafts.get(name)!;
    const fisher = estimateOf(d.fisher);
    const empiricalFisher = estimateOf(d.empiricalFisher);
    return {
      name,
      ...(d.cosineEfFisher === undefined ? {} : { cosineEfFisher: d.cosineEfFisher }),
      ...(fisher === undefined ? {} : { fisher }),
      ...(empiricalFisher === undefined ? {} : { empiricalFisher }),
      ...(d.basisVersion === undefined ? {} : { basisVersion: d.basisVersion }),
      ...(d.factorUpdates === undefined ? {} : { factorUpdates: d.factorUpdates }),
    };
  });
  return { step: outcome.step, layers };
}

/**
 * A step record. `layers` (default: parsed from the outcome) gives `layerCosine`: the cosine of the first
 * `maxLayerSeries` layers that have one this step.
 */
export function stepOfOutcome(outcome: StepOutcome, time = Date.now(), layers = layersOfOutcome(outcome), maxLayerSeries = DEFAULT_MAX_LAYER_SERIES): DashboardStep {
  const d = outcome.diagnostics;
  const v = d.values;
  let layerCosine: Record<string, number> | undefined;
  for (const layer of layers?.layers.slice(0, maxLayerSeries) ?? []) {
    if (layer.cosineEfFisher !== undefined) (layerCosine ??= {})[layer.name] = layer.cosineEfFisher;
  }
  return {
    step: outcome.step,
    time,
    ...(d.loss === undefined ? {} : { loss: d.loss }),
    ...(v['gradNorm'] === undefined ? {} : { gradNorm: v['gradNorm'] }),
    updateNorm: d.updateNorm,
    ...(v['cosineEfFisher'] === undefined ? {} : { cosineEfFisher: v['cosineEfFisher'] }),
    ...(v['meanSnr'] === undefined ? {} : { meanSnr: v['meanSnr'] }),
    ...(v['stepSize'] === undefined ? {} : { stepSize: v['stepSize'] }),
    ...(v['damping'] === undefined ? {} : { damping: v['damping'] }),
    ...(v['rho'] === undefined ? {} : { rho: v['rho'] }),
    batchSize: d.batchSize,
    computeSeconds: d.computeSeconds,
    ...(layerCosine === undefined ? {} : { layerCosine }),
  };
}

/** The dashboard's summary of a session's estimates: eigenvalues, traces, and the SNR histogram when S is kept. */
export function spectrumOfEstimates(estimates: Omit<EstimatesData, 'sessionId'>, config: SessionConfig, time = Date.now()): DashboardSpectrum {
  const topEigenvalues: Record<string, number[]> = {};
  const traces: Record<string, number> = {};
  let noiseDiagonal: Float64Array | undefined;
  for (const e of estimates.estimates) {
    topEigenvalues[e.kind] = e.topEigenvalues.slice();
    traces[e.kind] = e.trace;
    if (e.kind === 'noise') noiseDiagonal = e.diagonal;
  }
  const histogram = noiseDiagonal !== undefined && estimates.meanGrad !== undefined
    ? histogramOfFactors(snrFactors(estimates.meanGrad, noiseDiagonal, config.emaDecay ?? 0, estimates.step))
    : undefined;
  return { step: estimates.step, time, topEigenvalues, traces, ...(histogram === undefined ? {} : { snrHistogram: histogram }) };
}

export function createDashboardFeed(hub: DashboardHub, options: DashboardFeedOptions = {}): DashboardFeed {
  const intervalMs = options.spectrumIntervalMs ?? 2000;
  const topK = Math.min(options.topK ?? 10, 64);
  const share = options.maxComputeShare ?? 0.05;
  if (!(share > 0 && share <= 1)) throw new RangeError(`maxComputeShare must be in (0, 1], got ${share}`);
  const maxLayerSeries = options.maxLayerSeries ?? DEFAULT_MAX_LAYER_SERIES;
  if (!Number.isInteger(maxLayerSeries) || maxLayerSeries < 0) throw new RangeError(`maxLayerSeries must be an integer ≥ 0, got ${maxLayerSeries}`);
  const nextSampleAt = new Map<string, number>();
  /** Each session's Kronecker block names (its table's order), set when it opens. */
  const layerOrder = new Map<string, string[]>();

  const sample = (event: DashboardStepEvent, accessor: EstimatesAccessor): void => {
    const started = performance.now();
    try {
      const noise = effectiveTrack(event.config).noise;
      const estimates = accessor({ topK: Math.min(topK, event.config.dim), includeDiagonals: noise });
      hub.publishSpectrum(event.sessionId, spectrumOfEstimates(estimates, event.config));
    } catch (e) {
      options.logger?.debug({ err: e, sessionId: event.sessionId }, 'dashboard: estimates sample failed');
    }
    const cost = performance.now() - started;
    nextSampleAt.set(event.sessionId, performance.now() + Math.max(intervalMs, cost / share));
  };

  return {
    onOpen(event) {
      hub.openSession(sessionInfo(event.sessionId, event.config, event.resumedStep));
      nextSampleAt.delete(event.sessionId);
      layerOrder.set(event.sessionId, kroneckerLayerNames(event.config));
    },
    onStep(event) {
      let order = layerOrder.get(event.sessionId);
      if (order === undefined) layerOrder.set(event.sessionId, order = kroneckerLayerNames(event.config));
      const layers = order.length === 0 ? undefined : layersOfOutcome(event.outcome, order);
      hub.publish(event.sessionId, stepOfOutcome(event.outcome, Date.now(), layers, maxLayerSeries), layers);
      const accessor = event.estimates;
      if (accessor === undefined || !hub.hasViewers) return;
      if (performance.now() >= (nextSampleAt.get(event.sessionId) ?? 0)) sample(event, accessor);
    },
    onClose(event) {
      hub.closeSession(event.sessionId, event.lastStep, event.discarded === true);
      nextSampleAt.delete(event.sessionId);
      layerOrder.delete(event.sessionId);
    },
  };
}
