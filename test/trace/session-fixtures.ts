/** Traces of a real session (as the daemon records them), for the replay and CLI tests. */
import { createBackend } from '../../src/linalg/select.js';
import { rng } from '../linalg/helpers.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import { contributionToWire, updateToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { TraceWriter } from '../../src/trace/writer.js';

const D = 6;
const B = 4;

/** A deterministic pseudo-random stream in [−0.5, 0.5), so that traces are reproducible. */
function centredRng(seed: number): () => number {
  const next = rng(seed);
  return () => next() - 0.5;
}

function contribution(step: number, random: () => number, workerId = 0): StepContribution {
  const rows = (n: number) => Float32Array.from({ length: n * D }, () => random());
  return { step, workerId, batchSize: B, reduction: 'sum', loss: 1 / step,
    perExampleGrads: rows(B), sampledLabelGrads: { samplesPerExample: 1, rows: rows(B) } };
}

export const recordedConfig: SessionConfig = {
  dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, emaDecay: 0.9, backend: 'reference',
};

/** Records `steps` steps as the daemon would: each contribution, then the update a reference Session computed. */
export async function recordTrace(dir: string, steps: number, options: { corruptUpdateAt?: number; workers?: number } = {}): Promise<void> {
  const workers = options.workers ?? 1;
  const config: SessionConfig = { ...recordedConfig, workers };
  const session = new Session(config, await createBackend('reference'));
  const writer = await TraceWriter.open(dir, {
    sessionId: 'replay-test', backend: 'reference',
    sessionConfig: fisherd.v1.SessionConfig.encode(sessionConfigToWire(config)).finish(),
  }, { sync: 'on-close' });
  const random = centredRng(42);
  for (let s = 1; s <= steps; s++) {
    const contributions = Array.from({ length: workers }, (_, w) => contribution(s, random, w));
    for (const c of contributions) await writer.appendContribution(fisherd.v1.StepContribution.encode(contributionToWire(c)).finish());
    const result = session.step(contributions);
    const delta = s === options.corruptUpdateAt ? result.update.map((v, i) => (i === 0 ? v * 1.0000001 + 1e-9 : v)) : result.update;
    await writer.appendUpdate(fisherd.v1.Update.encode(updateToWire({
      sessionId: 'replay-test', step: s, delta, diagnostics: { batchSize: B, updateNorm: 0, computeSeconds: 0, values: {} },
    })).finish());
  }
  await writer.close();
}

