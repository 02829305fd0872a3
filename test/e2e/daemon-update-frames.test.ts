/**
 * End to end, real daemon process, updates large enough to be built around Δθ (src/protocol/update-frame.ts:
 * the session writes Δθ with room in front, the connection encodes only the header there): every worker and
 * an observing connection get every update (one frame at a time is built around an array, the others are
 * encoded the general way), a connection that attaches gets the last update in SessionOpened (live, and
 * after the session was checkpointed and restored), the trace records the same bits, and a step whose
 * update is not finite is a typed error with nothing sent. Every update equals an in-process Session's.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/linalg/select.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import type { ServerMessage } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { FRAME_ROOM_FROM } from '../../src/session/update-memory.js';
import { openTrace } from '../../src/trace/reader.js';
import { startDaemon, type RunningDaemon } from './daemon-harness.js';
import { RawClient } from './raw-client.js';

const D = 40_000;
const B = 2;

function bytesOf(delta: Uint8Array | Float32Array): Buffer {
  return Buffer.from(delta.buffer, delta.byteOffset, delta.byteLength);
}

function rows(step: number, workerId: number): StepContribution {
  const grads = Float32Array.from({ length: B * D }, (_, i) => Math.sin(0.37 * i + 0.9 * step + 2.3 * workerId) * (1 + (i % 3)));
  return { step, workerId, batchSize: B, reduction: 'sum', perExampleGrads: grads };
}

/** One worker's statistics for diagonal NGD (the fused one-pass step); `huge`: a gradient sum near float32's largest. */
function statistics(step: number, huge = false): StepContribution {
  const sum = Float32Array.from({ length: D }, (_, i) => (huge && i === 5 ? 3e38 : 8 * Math.cos(0.21 * i + step)));
  const squares = Float32Array.from({ length: D }, (_, i) => 8 * (1e-4 + Math.sin(0.13 * i + step) ** 2));
  return {
    step, workerId: 0, batchSize: 8, reduction: 'sum',
    statistics: [{ block: '', kind: 'diagonal', moments: { count: 8, sum, sampledLabelSquares: squares, samplesPerExample: 1 } }],
  };
}

/** The next message, which must be of `kind`. */
async function next(client: RawClient, kind: ServerMessage['kind']): Promise<ServerMessage> {
  const message = await client.next();
  expect(message.kind, message.kind === 'error' ? message.error!.message! : '').toBe(kind);
  return message;
}

/** The recorded updates of a trace: Δθ bytes by step. */
async function recordedUpdates(dir: string): Promise<{ updates: Map<number, Buffer>; closed: boolean }> {
  const reader = await openTrace([dir], { continueAfterCorruption: false });
  const updates = new Map<number, Buffer>();
  for await (const entry of reader) {
    if (entry.kind !== 'update') continue;
    const update = fisherd.v1.Update.decode(entry.body);
    updates.set(update.step, Buffer.from(update.delta));
  }
  return { updates, closed: reader.segments.at(-1)?.end !== undefined };
}

describe('fisherd daemon: updates built around Δθ', () => {
  let daemon: RunningDaemon;

  beforeAll(async () => {
    expect(D).toBeGreaterThanOrEqual(FRAME_ROOM_FROM);
    // --session-idle-ms 0: a session all connections left is checkpointed and evicted at once (restored on attach)
    daemon = await startDaemon(['--session-idle-ms', '0']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('every worker and an observer get every update; SessionOpened\'s last update, live and restored, and the trace hold the same bits', async () => {
    const config: SessionConfig = { dim: D, workers: 2, record: true, structure: { kind: 'diagonal' }, emaDecay: 0.9, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } };
    const reference = new Session(config, await createBackend('reference'));
    const [w0, w1] = [await RawClient.ready(daemon.url), await RawClient.ready(daemon.url)];
    const sessionId = (await w0.request({ openSession: { config: sessionConfigToWire(config) } })).sessionOpened!.sessionId!;
    expect((await w1.request({ openSession: { sessionId } })).kind).toBe('sessionOpened');
    let observer: RawClient | undefined;
    const expected: Buffer[] = [];
    const STEPS = 5;
    for (let step = 1; step <= STEPS; step++) {
      expected.push(bytesOf(reference.step([rows(step, 0), rows(step, 1)]).update));
      const ids = [w0.send({ step: contributionToWire(rows(step, 0)) }), w1.send({ step: contributionToWire(rows(step, 1)) })];
      for (const [i, w] of [w0, w1].entries()) {
        const reply = await next(w, 'update');
        expect([reply.requestId, reply.update!.step, reply.update!.sessionId]).toEqual([ids[i], step, sessionId]);
        expect(bytesOf(reply.update!.delta!).equals(expected[step - 1]!), `step ${step}, worker ${i}`).toBe(true);
      }
      if (observer !== undefined) {
        const broadcast = await next(observer, 'update');
        expect([broadcast.requestId, broadcast.update!.step]).toEqual([0, step]);
        expect(bytesOf(broadcast.update!.delta!).equals(expected[step - 1]!)).toBe(true);
      }
      if (step === 2) {
        // attaches to the live session: the last update (the array the session keeps as its last result)
        observer = await RawClient.ready(daemon.url);
        const live = (await observer.request({ openSession: { sessionId } })).sessionOpened!;
        expect(live.resumedStep).toBe(2);
        expect(bytesOf(live.lastUpdate!.delta!).equals(expected[1]!)).toBe(true);
      }
    }
    for (const c of [w0, w1, observer!]) c.close();
    // evicted (checkpointed) once the last connection left; attaching restores it with its last update
    const dir = join(daemon.dataDir, 'traces', sessionId);
    await expect.poll(async () => existsSync(dir) && (await recordedUpdates(dir)).closed, { timeout: 10_000 }).toBe(true);
    const recorded = await recordedUpdates(dir);
    expect([...recorded.updates.keys()]).toEqual([1, 2, 3, 4, 5]);
    for (let step = 1; step <= STEPS; step++) expect(recorded.updates.get(step)!.equals(expected[step - 1]!), `trace, step ${step}`).toBe(true);
    const back = await RawClient.ready(daemon.url);
    const restored = (await back.request({ openSession: { sessionId } })).sessionOpened!;
    expect(restored.resumedStep).toBe(STEPS);
    expect(bytesOf(restored.lastUpdate!.delta!).equals(expected[STEPS - 1]!)).toBe(true);
    back.close();
  });

  it('one worker\'s statistics (the fused step): a step whose update overflows float32 is NON_FINITE with nothing sent, and the session goes on', async () => {
    const config: SessionConfig = { dim: D, structure: { kind: 'diagonal' }, emaDecay: 0.95, optimizer: { name: 'ngd', stepSize: 100, damping: 1e-3 } };
    const reference = new Session(config, await createBackend('reference'));
    const client = await RawClient.ready(daemon.url);
    expect((await client.request({ openSession: { config: sessionConfigToWire(config) } })).kind).toBe('sessionOpened');
    const stepAndCompare = async (step: number): Promise<void> => {
      const expected = bytesOf(reference.step([statistics(step)]).update);
      const id = client.send({ step: contributionToWire(statistics(step)) });
      const reply = await next(client, 'update');
      expect([reply.requestId, reply.update!.step]).toEqual([id, step]);
      expect(bytesOf(reply.update!.delta!).equals(expected), `step ${step}`).toBe(true);
    };
    await stepAndCompare(1);
    expect(() => reference.step([statistics(2, true)])).toThrow(/the update is (-?Infinity|NaN)/);
    const refused = await client.request({ step: contributionToWire(statistics(2, true)) });
    expect(refused.kind).toBe('error');
    expect(refused.error!.field).toBe('optimizer.damping');
    expect(refused.error!.step).toBe(2);
    // nothing else came for step 2: the next message is the update of the step sent again
    await stepAndCompare(2);
    await stepAndCompare(3);
    client.close();
  });
});
