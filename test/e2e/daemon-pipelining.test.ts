/**
 * End to end, real daemon process: two workers pipeline steps (each sends step t+1 before the update of
 * step t came back), with unaligned payloads that the daemon copies into pooled arrays it reuses from step
 * to step (src/protocol/floats.ts `Float32Pool`). A queued step must keep its own arrays until its update
 * is sent, and a refused contribution (NaN) gives its array back without touching anything. The updates
 * (1.6 MB each, two per step) are sent while earlier ones wait unsent, several in flight at once: the first
 * reply of a step is built around the session's update array (src/protocol/update-frame.ts), which the
 * session must not write a later step into before ws has written that frame out; the second is encoded into
 * the connection's pooled reply buffers (src/server/connection.ts `framePool`), which must not take a reply
 * before ws has written the previous one out. Every update must equal, bit for bit, an in-process Session
 * fed the same contributions on the same backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/linalg/select.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { decodeClientMessage, encodeClientMessage } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { Session } from '../../src/session/session.js';
import { startDaemon, type RunningDaemon } from './daemon-harness.js';
import { RawClient } from './raw-client.js';

// 2 rows of D float32 per worker: 3.2 MB frames, larger than a socket read, so that ws hands the daemon
// a frame of its own (byteOffset 0) and the payload's alignment is the one computed below; 1.6 MB updates,
// above the pooled-reply threshold (256 kB of payload), 19 MB in all: more than loopback's socket buffers
// hold while the client does not read, so the daemon's writes wait with their buffers in flight.
const D = 400_000;
const B = 2;
const STEPS = 6;
const config: SessionConfig = {
  dim: D, structure: { kind: 'diagonal' }, emaDecay: 0.9, workers: 2, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 },
};

function contribution(step: number, workerId: number): StepContribution {
  const rows = Float32Array.from({ length: B * D }, (_, i) => Math.sin(0.001 * i * (step + 1) + workerId) * (1 + 0.1 * step));
  return { step, workerId, batchSize: B, reduction: 'mean', loss: 1 / step, perExampleGrads: rows };
}

describe('fisherd daemon: pipelined steps with pooled payload buffers', () => {
  let daemon: RunningDaemon;

  beforeAll(async () => {
    daemon = await startDaemon(['--max-queued-steps', '8']);
  });

  afterAll(async () => {
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('answers every pipelined step with the in-process session\'s update, bit for bit', async () => {
    // One connection sends both workers' shares, so that the daemon receives them in this order (two
    // connections would race each other); it answers each contribution, i.e. twice per step.
    const client = await RawClient.ready(daemon.url);
    const opened = await client.request({ openSession: { config: sessionConfigToWire(config) } });
    expect(opened.kind).toBe('sessionOpened');

    const frame = (c: StepContribution, requestId: number): Uint8Array => encodeClientMessage({ requestId, step: contributionToWire(c) });
    // The payload must be unaligned in the frame, or the daemon reads it as a view and no pool is involved.
    const probe = frame(contribution(1, 0), 10);
    expect(decodeClientMessage(probe).step!.perExampleGrads!.byteOffset % 4).not.toBe(0);

    const poisoned = contribution(3, 1);
    poisoned.perExampleGrads![B * D - 3] = NaN;
    client.ws.pause(); // no reading until every step is in: the daemon's replies wait in its send buffers
    for (let step = 1; step <= STEPS; step++) {
      client.sendRaw(frame(contribution(step, 0), 10 * step));
      if (step === 3) client.sendRaw(frame(poisoned, 1000)); // refused on arrival, nothing changes
      client.sendRaw(frame(contribution(step, 1), 10 * step + 1));
    }

    await new Promise((resolve) => setTimeout(resolve, 1500));
    client.ws.resume();
    // The refusal is sent as the contribution arrives, so it may overtake the updates of earlier steps.
    const replies = await Promise.all(Array.from({ length: 2 * STEPS + 1 }, () => client.next()));
    const errors = replies.filter((r) => r.kind === 'error');
    expect(errors.map((r) => [r.requestId, r.error!.field, r.error!.step])).toEqual([[1000, 'perExampleGrads', 3]]);
    const updates = replies.filter((r) => r.kind === 'update');
    const reference = new Session(config, await createBackend('reference'));
    for (let step = 1; step <= STEPS; step++) {
      const expected = reference.step([contribution(step, 0), contribution(step, 1)]).update;
      const ofStep = updates.filter((r) => r.update!.step === step);
      expect(ofStep.map((r) => r.requestId).sort()).toEqual([10 * step, 10 * step + 1]);
      for (const reply of ofStep) {
        expect(Buffer.from(reply.update!.delta!).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))).toBe(true);
      }
    }
    client.close();
  });
});
