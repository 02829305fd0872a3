/**
 * End to end, real daemon processes: checkpoints survive kill -9 and resume bit-identically; SIGTERM
 * drains, checkpoints and exits 0; the client reconnects and resumes by itself across a restart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError, type EstimatesData, type UpdateData } from '../../clients/ts/src/index.js';
import type { SessionConfig } from '../../src/session/config.js';
import { startDaemon, tempDataDir } from './daemon-harness.js';
import { RawClient } from './raw-client.js';

const D = 16;
const B = 4;
const config: SessionConfig = {
  dim: D,
  structure: { kind: 'lowrank', rank: 6 },
  emaDecay: 0.9,
  optimizer: { name: 'va', stepSize: 0.05, damping: 1e-2, momentum: 0.5 },
  track: { empiricalFisher: true, noise: true },
};

function grads(step: number): Float32Array {
  return Float32Array.from({ length: B * D }, (_, i) => Math.sin(1.3 * i + 0.7 * step) * (1 + (i % 3)));
}

const stepInput = (step: number) => ({ step, batchSize: B, reduction: 'sum' as const, perExampleGrads: grads(step) });

function bytesOf(update: UpdateData): Buffer {
  return Buffer.from(update.delta.buffer, update.delta.byteOffset, update.delta.byteLength);
}

function diagonals(e: EstimatesData): Buffer[] {
  return [...e.estimates.map((x) => Buffer.from(x.diagonal!.buffer)), Buffer.from(e.meanGrad!.buffer)];
}

describe('fisherd daemon: checkpoints and restarts', () => {
  it('resumes bit-identically from the last checkpoint after kill -9', async () => {
    const dataDir = tempDataDir();
    const first = await startDaemon(['--checkpoint-every', '5'], { dataDir });
    const client = await FisherdClient.connect(first.url, { reconnect: false });
    const { sessionId } = await client.openSession(config);
    const updates: UpdateData[] = [];
    let atFive: EstimatesData | undefined;
    for (let step = 1; step <= 7; step++) {
      updates.push(await client.step(stepInput(step)));
      if (step === 5) atFive = await client.estimates({ includeDiagonals: true, topK: 4 });
    }
    // The step-5 checkpoint is written asynchronously after the update: wait until it is on disk.
    await expect.poll(() => existsSync(join(dataDir, 'sessions', `${sessionId}.ckpt`)), { timeout: 5000 }).toBe(true);
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');

    const second = await startDaemon([], { dataDir });
    const resumed = await FisherdClient.connect(second.url);
    const info = await resumed.resumeSession(sessionId);
    expect(info.resumedStep).toBe(5);
    const estimates = await resumed.estimates({ includeDiagonals: true, topK: 4 });
    expect(estimates.step).toBe(5);
    expect(diagonals(estimates)).toEqual(diagonals(atFive!));
    expect(estimates.estimates.map((e) => e.topEigenvalues)).toEqual(atFive!.estimates.map((e) => e.topEigenvalues));
    // Steps 6 and 7 again, with the same data: the very same updates, bit for bit.
    for (let step = 6; step <= 7; step++) {
      const update = await resumed.step(stepInput(step));
      expect(bytesOf(update)).toEqual(bytesOf(updates[step - 1]!));
    }
    await resumed.close();
    expect(await second.kill('SIGTERM')).toBe(0);
  });

  it('drains on SIGTERM: exit 0, sockets closed with 1001, every session checkpointed', async () => {
    const dataDir = tempDataDir();
    const daemon = await startDaemon(['--checkpoint-every', '0'], { dataDir });
    const client = await FisherdClient.connect(daemon.url, { reconnect: false });
    const { sessionId } = await client.openSession(config);
    for (let step = 1; step <= 3; step++) await client.step(stepInput(step));
    const bystander = await RawClient.ready(daemon.url);
    // A fourth step sent just before the signal is either finished (it reached the daemon first) or
    // refused with SHUTTING_DOWN; never lost half-applied.
    const inFlight = client.step(stepInput(4));
    expect(await daemon.kill('SIGTERM')).toBe(0);
    expect((await bystander.closed).code).toBe(1001);
    const outcome = await inFlight.then((u) => u.step, (e: unknown) => (e as FisherdClientError).code);
    expect([4, 'SHUTTING_DOWN']).toContain(outcome);
    const lastStep = outcome === 4 ? 4 : 3;
    expect(existsSync(join(dataDir, 'sessions', `${sessionId}.ckpt`))).toBe(true);
    expect(daemon.stderr()).toMatch(/fisherd stopped/);
    const closedWith = await client.step(stepInput(5)).then(() => undefined, (e: unknown) => e);
    expect(closedWith).toBeInstanceOf(FisherdClientError);

    const again = await startDaemon([], { dataDir });
    const resumed = await FisherdClient.connect(again.url);
    expect((await resumed.resumeSession(sessionId)).resumedStep).toBe(lastStep);
    await resumed.close();
    expect(await again.kill('SIGTERM')).toBe(0);
  });

  it('the client reconnects and resumes by itself when the daemon restarts on its port', async () => {
    const dataDir = tempDataDir();
    const first = await startDaemon(['--checkpoint-every', '1'], { dataDir });
    const client = await FisherdClient.connect(first.url, { reconnect: { retries: 40, minDelayMs: 50, maxDelayMs: 500 } });
    await client.openSession(config);
    const reference: Buffer[] = [];
    for (let step = 1; step <= 3; step++) reference.push(bytesOf(await client.step(stepInput(step))));
    await new Promise((r) => setTimeout(r, 200)); // let the step-3 checkpoint land
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    const pending = client.step(stepInput(4));
    const second = await startDaemon([], { dataDir, port: first.port });
    const update = await pending;
    expect(update.step).toBe(4);
    expect(client.lastStep).toBe(4);
    await client.close();
    expect(await second.kill('SIGTERM')).toBe(0);
    expect(reference).toHaveLength(3);
  });
});
