/**
 * Where the lab's training clients send their steps: the same `Session` the daemon runs, in-process
 * (default), or a running daemon over WebSocket (`--url ws://…`, through clients/ts). Either way the
 * client sends a `StepContribution` (float32 rows, as on the wire) and applies the Δθ it gets back.
 */
import { createBackend } from '../linalg/select.js';
import type { BackendName } from '../linalg/backend.js';
import { Session } from '../session/session.js';
import type { SessionConfig } from '../session/config.js';
import type { StepContribution } from '../session/contribution.js';
import type { Evaluation } from './problems/problem.js';

/** What a step returns to the lab: Δθ and the daemon's named diagnostics. */
export interface StepOutcome {
  readonly update: Float32Array;
  /** gradNorm, updateNorm, cosineEfFisher, meanSnr, stepSize, damping, … as the session reports them. */
  readonly diagnostics: Readonly<Record<string, number>>;
}

/** One estimate as the session reports it (trace and largest eigenvalues). */
export interface EstimateSummary {
  readonly kind: 'empiricalFisher' | 'fisher' | 'noise';
  readonly trace: number;
  /** Descending. */
  readonly topEigenvalues: number[];
}

export interface Stepper {
  /** "in-process (reference)" or the daemon's URL, for reports. */
  readonly description: string;
  step(contribution: StepContribution): Promise<StepOutcome>;
  /** The session's current estimates, with the `topK` largest eigenvalues of each. */
  estimates(topK: number): Promise<EstimateSummary[]>;
  close(): Promise<void>;
}

/** Where to run sessions: in-process with a backend, or a daemon URL. */
export interface StepperTarget {
  /** ws://host:port of a running daemon; omitted: in-process. */
  url?: string;
  /** Bearer token for the daemon. */
  token?: string;
  /**
   * In-process backend. Default 'reference': float64 storage, so that a full-batch Fisher of a
   * rank-deficient design (a1a, Energy) stays positive semi-definite to rounding and the paper's
   * smallest dampings (1e-10) still solve; the float32 backends round F to ~1e-7 relative.
   */
  backend?: BackendName;
}

/** Opens a session for `config` at the target. */
export async function openStepper(config: SessionConfig, target: StepperTarget = {}): Promise<Stepper> {
  if (target.url !== undefined) {
    // Loaded only for a remote target: the in-process path needs no WebSocket client.
    const { FisherdClient } = await import('../../clients/ts/src/index.js');
    const client = await FisherdClient.connect(target.url, target.token === undefined ? {} : { token: target.token });
    await client.openSession(config);
    return {
      description: target.url,
      async step(contribution) {
        const reply = await client.step(contribution);
        return {
          update: reply.delta,
          diagnostics: { ...reply.diagnostics.values, updateNorm: reply.diagnostics.updateNorm },
        };
      },
      async estimates(topK) {
        const reply = await client.estimates({ topK });
        return reply.estimates.map((e) => ({ kind: e.kind, trace: e.trace, topEigenvalues: Array.from(e.topEigenvalues) }));
      },
      async close() {
        await client.closeSession({ discard: true });
        await client.close();
      },
    };
  }
  const backendName = target.backend ?? 'reference';
  const backend = await createBackend(backendName);
  const session = new Session({ ...config, backend: backendName }, backend);
  return {
    description: `in-process (${backend.name})`,
    async step(contribution) {
      const result = session.step([contribution]);
      const values: Record<string, number> = {};
      for (const [key, value] of Object.entries(result.diagnostics)) if (typeof value === 'number') values[key] = value;
      return { update: result.update, diagnostics: values };
    },
    async estimates(topK) {
      return session.estimates({ topK }).estimates.map((e) => ({ kind: e.kind, trace: e.trace, topEigenvalues: Array.from(e.topEigenvalues) }));
    },
    async close() {
      backend.dispose();
    },
  };
}

/**
 * A problem's evaluation as one worker's contribution, with `reduction: 'sum'`: rows are the
 * per-example gradients g_n (and sampled-label gradients, Fisher factor rows) at math.md's scale and
 * `meanGrad` is ḡ·b; fisherd divides by b. Rows are rounded to float32, as on the wire.
 */
export function contributionOf(step: number, evaluation: Evaluation, include: { perExampleGrads: boolean; sampledLabels: boolean; fisherFactorRows: boolean }): StepContribution {
  const b = evaluation.batchSize;
  const sum = new Float32Array(evaluation.meanGrad.length);
  for (let i = 0; i < sum.length; i++) sum[i] = evaluation.meanGrad[i] * b;
  return {
    step,
    workerId: 0,
    loss: evaluation.loss,
    batchSize: b,
    reduction: 'sum',
    meanGrad: sum,
    ...(include.perExampleGrads && evaluation.perExampleGrads ? { perExampleGrads: Float32Array.from(evaluation.perExampleGrads) } : {}),
    ...(include.sampledLabels && evaluation.sampledLabelGrads
      ? { sampledLabelGrads: { rows: Float32Array.from(evaluation.sampledLabelGrads), samplesPerExample: evaluation.samplesPerExample ?? 1 } }
      : {}),
    ...(include.fisherFactorRows && evaluation.fisherFactorRows
      ? { fisherFactorRows: { rows: Float32Array.from(evaluation.fisherFactorRows), factorsPerExample: evaluation.factorsPerExample ?? 1 } }
      : {}),
  };
}
