/**
 * What the dashboard page receives over its WebSocket (`/dashboard/ws`): JSON text frames, one message
 * each, daemon → browser only. Numbers that are not finite travel as null (JSON has no NaN).
 *
 *   snapshot  on connect: every session the hub holds, with its history and latest spectrum
 *   open      a session was created or resumed
 *   steps     new steps of one session (coalesced: at most one message per session per flush interval),
 *             with the latest per-layer table of a session with Kronecker (K-FAC) blocks
 *   spectrum  a session's latest top eigenvalues and SNR histogram
 *   close     a session left memory: evicted after its last worker left (resumable: "closed"), discarded
 *             (CloseSession with discard: deleted), or checkpointed at shutdown
 *
 * The same session states are served as one JSON document at GET /dashboard/state (DashboardMessage of
 * type 'snapshot'); docs/deploy.md, "The dashboard", documents both.
 */
import type { SnrHistogram } from './snr-histogram.js';

/** One step of one session, as plotted. */
export interface DashboardStep {
  readonly step: number;
  /** When the daemon computed it, ms since the epoch. */
  readonly time: number;
  /** Sample-weighted mean of the workers' losses, when they sent them. */
  readonly loss?: number;
  /** ‖ḡ‖₂ of the bias-corrected mean gradient. */
  readonly gradNorm?: number;
  /** ‖Δθ‖₂. */
  readonly updateNorm: number;
  /** cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ), when both Fishers are tracked. */
  readonly cosineEfFisher?: number;
  /** Mean SNR factor, when the noise covariance is tracked. */
  readonly meanSnr?: number;
  readonly stepSize?: number;
  readonly damping?: number;
  /** Damping adaptation's reduction ratio ρ, on the steps that adapted λ. */
  readonly rho?: number;
  /** b, examples in the merged minibatch. */
  readonly batchSize: number;
  /** Seconds the daemon spent computing the update. */
  readonly computeSeconds: number;
  /**
   * Per-layer EF-vs-Fisher cosine of the Kronecker blocks at this step (`layer.<name>.cosineEfFisher`), by
   * block name, for at most the first `maxLayerSeries` Kronecker blocks (dashboard-feed.ts; default 16);
   * absent when the session has none or tracks only one Fisher. The rest of the per-layer values are kept
   * for the latest step only (DashboardLayers), so the history costs at most steps × maxLayerSeries numbers.
   */
  readonly layerCosine?: Readonly<Record<string, number>>;
}

/** One Kronecker estimate of one layer (from the factors and their installed decomposition). */
export interface DashboardLayerEstimate {
  /** tr(A ⊗ G) = tr A · tr G (`layer.<name>.<estimate>.trace`). */
  readonly trace: number;
  /** Largest eigenvalues λ(A)·λ(G), descending, up to 3 (`.top1` … `.top3`). */
  readonly top: readonly number[];
}

/** One Kronecker (K-FAC) block's diagnostics at one step: proto Diagnostics' `layer.<name>.*` values. */
export interface DashboardLayer {
  /** The block's name (`SessionConfig.blocks[i].name`; 'params' for a single-block session). */
  readonly name: string;
  /** cos((Ẽ_k+λI)⁻¹ḡ_k, (F_k+λI)⁻¹ḡ_k), when both Fishers are tracked (and neither damped estimate was singular). */
  readonly cosineEfFisher?: number;
  /** The Fisher's factors (sampled labels), when the Fisher is tracked. */
  readonly fisher?: DashboardLayerEstimate;
  /** The empirical Fisher's factors, when it is tracked. */
  readonly empiricalFisher?: DashboardLayerEstimate;
  /** Version of the installed decomposition (the Fisher's, else the EF's): it moves every T_inv refresh. */
  readonly basisVersion?: number;
  /** Factor updates the block's factors hold (their EMA clock t). */
  readonly factorUpdates?: number;
}

/** The per-layer table of a session's latest step, in the order of its blocks. */
export interface DashboardLayers {
  readonly step: number;
  readonly layers: readonly DashboardLayer[];
}

/** A session's estimates at one step, sampled at most every few seconds (they cost more than a step). */
export interface DashboardSpectrum {
  readonly step: number;
  readonly time: number;
  /** Largest eigenvalues, descending, of each tracked estimate. */
  readonly topEigenvalues: { readonly fisher?: number[]; readonly empiricalFisher?: number[]; readonly noise?: number[] };
  /** tr of each tracked estimate. */
  readonly traces: { readonly fisher?: number; readonly empiricalFisher?: number; readonly noise?: number };
  /** Histogram of the SNR factors D_ii over [0, 1], when S is tracked (snr-histogram.ts). */
  readonly snrHistogram?: SnrHistogram;
}

/** What the page shows about a session besides its plots. */
export interface DashboardSessionInfo {
  readonly id: string;
  /** The run's name (SessionConfig.name; the daemon gives every new session one), null when it has none. */
  readonly name: string | null;
  /** D. */
  readonly dim: number;
  readonly optimizer: string;
  /** e.g. "diagonal", "lowrank r=16", "3 blocks: full, diagonal, lowrank r=8". */
  readonly structure: string;
  readonly workers: number;
  readonly emaDecay: number;
  /** Which estimates the session keeps: what its optimizer needs ∪ what it asked for (the effective tracking). */
  readonly track: { readonly empiricalFisher: boolean; readonly fisher: boolean; readonly noise: boolean };
  /** The step it resumed at (0 for a new session). */
  readonly resumedStep: number;
  /** When the hub first saw it, ms since the epoch. */
  readonly openedAt: number;
}

/**
 * Where a session is: 'live' in the daemon's memory (workers attached, or in its idle time before
 * eviction); 'closed' left memory and resumable from its checkpoint; 'discarded' deleted (CloseSession
 * with discard).
 */
export type DashboardSessionStatus = 'live' | 'closed' | 'discarded';

export interface DashboardSessionState {
  readonly info: DashboardSessionInfo;
  /** status === 'live'. */
  readonly live: boolean;
  readonly status: DashboardSessionStatus;
  /** The kept history, oldest first (the whole run, thinned evenly once it is long; see StepHistory). */
  readonly steps: readonly DashboardStep[];
  readonly spectrum?: DashboardSpectrum;
  /** The latest step's per-layer values, for a session with Kronecker blocks (absent otherwise). */
  readonly layers?: DashboardLayers;
}

export type DashboardMessage =
  | { readonly type: 'snapshot'; readonly sessions: readonly DashboardSessionState[]; readonly historyLimit: number }
  | { readonly type: 'open'; readonly session: DashboardSessionInfo }
  | { readonly type: 'steps'; readonly sessionId: string; readonly steps: readonly DashboardStep[]; readonly layers?: DashboardLayers }
  | { readonly type: 'spectrum'; readonly sessionId: string; readonly spectrum: DashboardSpectrum }
  | { readonly type: 'close'; readonly sessionId: string; readonly lastStep: number; readonly status: Exclude<DashboardSessionStatus, 'live'> };
