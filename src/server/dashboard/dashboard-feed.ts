/**
 * Feeds the dashboard from the daemon's session events (a `SessionObserver`, session-host.ts): every
 * step's diagnostics as they are, and, while a page is open, a sample of the session's estimates (top
 * eigenvalues of F, EF and S, and the SNR-factor histogram) at most every `spectrumIntervalMs`.
 *
 * Estimates cost more than a step (eigenvalues), so they are sampled, and the interval stretches so that
 * they take at most `maxComputeShare` of a session's time: after a sample that took c ms, the next waits
 * at least c / maxComputeShare ms. With no page open, nothing but the step record is done.
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../log.js';
import type { EstimatesData } from '../../protocol/estimates-codec.js';
import { effectiveTrack, type SessionConfig } from '../../session/config.js';
import type { EstimatesQuery, StepOutcome } from '../session-engine.js';
import type { DashboardHub } from './dashboard-hub.js';
import type { DashboardSessionInfo, DashboardSpectrum, DashboardStep } from './messages.js';
import { histogramOfFactors, snrFactors } from './snr-histogram.js';

export interface DashboardFeedOptions {
  /** Least time between two estimate samples of one session, in ms. Default 2000. */
  readonly spectrumIntervalMs?: number;
  /** Largest eigenvalues shown per estimate (capped at D and 64). Default 10. */
  readonly topK?: number;
  /** Most share of a session's wall time spent sampling its estimates, in (0, 1]. Default 0.05. */
  readonly maxComputeShare?: number;
  readonly logger?: Logger;
}

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

export function stepOfOutcome(outcome: StepOutcome, time = Date.now()): DashboardStep {
  const d = outcome.diagnostics;
  const v = d.values;
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
  const nextSampleAt = new Map<string, number>();

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
    },
    onStep(event) {
      hub.publish(event.sessionId, stepOfOutcome(event.outcome));
      const accessor = event.estimates;
      if (accessor === undefined || !hub.hasViewers) return;
      if (performance.now() >= (nextSampleAt.get(event.sessionId) ?? 0)) sample(event, accessor);
    },
    onClose(event) {
      hub.closeSession(event.sessionId, event.lastStep, event.discarded === true);
      nextSampleAt.delete(event.sessionId);
    },
  };
}
