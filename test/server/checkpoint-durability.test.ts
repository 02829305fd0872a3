/**
 * Truthful durability, in process, with a real session engine and a checkpoint store whose file system
 * can be made "full" (writes fail with ENOSPC): a failed checkpoint reaches every attached connection as
 * CHECKPOINT_FAILED carrying the step on disk, is counted and listed as failing (what /readyz reads),
 * is retried at the next steps and succeeds once space is back; SessionClosed (the registry's detach)
 * reports the step on disk; a session whose checkpoint fails is kept in memory rather than evicted;
 * the shutdown reports what it could not save; a swapped checkpoint file is refused on resume.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { log } from '../../src/log.js';
import { errorCodeFromWire, type ServerMessageInit } from '../../src/protocol/frames.js';
import { CheckpointStore, type CheckpointFs } from '../../src/server/checkpoint-store.js';
import { createDaemonMetrics } from '../../src/server/metrics.js';
import { createSessionEngineFactory } from '../../src/server/session-adapter.js';
import type { Peer } from '../../src/server/session-host.js';
import { SessionRegistry, type SessionRegistryOptions } from '../../src/server/session-registry.js';
import type { SessionConfig } from '../../src/session/config.js';
import {
  decodeSessionSnapshot, decodeSnapshotValue, encodeSessionSnapshot, encodeSnapshotValue, type SnapshotValue,
} from '../../src/session/snapshot-codec.js';
import type { StepContribution } from '../../src/session/contribution.js';

const silent = log.child({}, { level: 'silent' });
const D = 4;
const config: SessionConfig = { dim: D, optimizer: { name: 'sgd', stepSize: 0.1 } };

/** A file system whose checkpoint writes fail with ENOSPC while `full` (after writing nothing). */
class Disk {
  full = false;
  writes = 0;
  readonly fs: CheckpointFs;
  constructor() {
    const wrap = (handle: FileHandle): FileHandle => new Proxy(handle, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property === 'writeFile') {
          return async (data: Uint8Array) => {
            this.writes++;
            if (this.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            return target.writeFile(data);
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    this.fs = {
      ...fsPromises,
      open: (async (path: string, flags?: string, mode?: number) => wrap(await fsPromises.open(path, flags, mode))) as CheckpointFs['open'],
    };
  }
}

class TestPeer implements Peer {
  static next = 1;
  readonly id = TestPeer.next++;
  readonly messages: ServerMessageInit[] = [];
  send(message: ServerMessageInit): void {
    this.messages.push(message);
  }
  updates(): number[] {
    return this.messages.flatMap((m) => (m.update ? [m.update.step ?? 0] : []));
  }
  errors(): { code: string; step: number | undefined; message: string }[] {
    return this.messages.flatMap((m) => (m.error ? [{ code: errorCodeFromWire(m.error.code ?? 0), step: m.error.step ?? undefined, message: m.error.message ?? '' }] : []));
  }
}

function contribution(step: number): StepContribution {
  return { step, workerId: 0, batchSize: 2, reduction: 'mean', perExampleGrads: Float32Array.from({ length: 2 * D }, (_, i) => Math.sin(i + step)) };
}

async function setup(overrides: Partial<SessionRegistryOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'fisherd-durability-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  const disk = new Disk();
  const store = new CheckpointStore(dataDir, disk.fs);
  await store.init();
  const metrics = createDaemonMetrics({ version: 'test', protocolVersion: 1 });
  const factory = await createSessionEngineFactory('reference', silent);
  const registry = new SessionRegistry(
    { checkpointEvery: 2, maxQueuedSteps: 8, workerTimeoutMs: 10_000, maxSessions: 8, idleMs: 60_000, drainTimeoutMs: 2000, checkpointRetryMs: 0, ...overrides },
    { factory, store, metrics, logger: silent },
  );
  const failures = async (): Promise<number> => (await metrics.checkpointFailures.get()).values[0]?.value ?? 0;
  return { dataDir, disk, store, metrics, factory, registry, failures };
}

type Host = Awaited<ReturnType<SessionRegistry['create']>>;

/** Sends step `step` and waits for its update. */
async function step(host: Host, peer: TestPeer, n: number): Promise<void> {
  host.contribute(peer, n, contribution(n));
  await vi.waitFor(() => expect(peer.updates()).toContain(n), { timeout: 5000, interval: 5 });
}

describe('checkpoint failures', () => {
  it('reach every attached connection as CHECKPOINT_FAILED with the step on disk, are counted, listed, retried, and clear once a write succeeds', async () => {
    const { disk, registry, failures, store, factory } = await setup();
    const a = new TestPeer();
    const b = new TestPeer();
    const host = await registry.create(config, a);
    await registry.attach(host.id, b);
    await step(host, a, 1);
    await step(host, a, 2);
    await vi.waitFor(() => expect(host.checkpointedStep).toBe(2), { timeout: 5000 });
    disk.full = true;
    await step(host, a, 3);
    await step(host, a, 4); // checkpointEvery 2: this one's checkpoint fails
    await vi.waitFor(() => expect(a.errors()).toHaveLength(1));
    for (const peer of [a, b]) {
      const [error] = peer.errors();
      expect(error).toMatchObject({ code: 'CHECKPOINT_FAILED', step: 2 });
      expect(error!.message).toMatch(/checkpoint of step 4 failed \(ENOSPC.*holds step 2/);
    }
    expect(await failures()).toBe(1);
    expect(registry.failingCheckpoints()).toEqual([expect.objectContaining({ sessionId: host.id, lastStep: 4, checkpointedStep: 2 })]);
    // A connection attaching now hears it at once.
    const late = new TestPeer();
    await registry.attach(host.id, late);
    expect(late.errors()).toEqual([expect.objectContaining({ code: 'CHECKPOINT_FAILED', step: 2 })]);

    // Still full: the next step retries (not a multiple of checkpointEvery) and fails again.
    await step(host, a, 5);
    await vi.waitFor(async () => expect(await failures()).toBe(2));
    expect(a.errors().at(-1)).toMatchObject({ code: 'CHECKPOINT_FAILED', step: 2 });
    expect(a.errors().at(-1)!.message).toMatch(/step 5 failed/);

    // Space freed: the next step's retry succeeds and holds everything up to it.
    disk.full = false;
    await step(host, a, 6);
    await vi.waitFor(() => expect(host.checkpointedStep).toBe(6));
    expect(host.checkpointFailure).toBeUndefined();
    expect(registry.failingCheckpoints()).toEqual([]);
    expect(await failures()).toBe(2);
    const restored = await factory.restore((await store.read(host.id))!, host.id);
    expect(restored.lastStep).toBe(6);
  });

  it('are retried no sooner than checkpointRetryMs after the failed attempt', async () => {
    const { disk, registry } = await setup({ checkpointRetryMs: 60_000 });
    const a = new TestPeer();
    const host = await registry.create(config, a);
    disk.full = true;
    await step(host, a, 1);
    await step(host, a, 2);
    await vi.waitFor(() => expect(a.errors()).toHaveLength(1));
    const writes = disk.writes;
    await step(host, a, 3);
    await new Promise((r) => setTimeout(r, 20));
    expect(disk.writes).toBe(writes); // no retry at step 3 within the minute
    await step(host, a, 4); // a regular checkpoint step still tries
    await vi.waitFor(() => expect(disk.writes).toBe(writes + 1));
  });

  it('SessionClosed reports the step on disk: the last step when the checkpoint succeeds, the older one (after CHECKPOINT_FAILED) when it fails', async () => {
    const { disk, registry } = await setup({ idleMs: 30 });
    const a = new TestPeer();
    const host = await registry.create(config, a);
    for (let n = 1; n <= 3; n++) await step(host, a, n);
    // Step 2's periodic checkpoint is written in the background: let it land before the disk fills.
    await vi.waitFor(() => expect(host.checkpointedStep).toBe(2), { timeout: 5000 });
    disk.full = true;
    expect(await registry.detach(host, a)).toBe(2);
    expect(a.errors()).toEqual([expect.objectContaining({ code: 'CHECKPOINT_FAILED', step: 2 })]);
    expect(a.errors()[0]!.message).toMatch(/checkpoint of step 3 failed/);
    // Idle eviction does not drop it while its checkpoint fails: step 3 exists only in memory.
    await new Promise((r) => setTimeout(r, 120));
    expect(registry.size).toBe(1);
    expect(registry.failingCheckpoints()).toHaveLength(1);
    // Space freed: the next eviction attempt checkpoints step 3 and evicts; a resume has step 3.
    disk.full = false;
    await vi.waitFor(() => expect(registry.size).toBe(0), { timeout: 2000 });
    const b = new TestPeer();
    const resumed = await registry.attach(host.id, b);
    expect(resumed.lastStep).toBe(3);
    expect(resumed.checkpointedStep).toBe(3);
    await step(resumed, b, 4);
    expect(await registry.detach(resumed, b)).toBe(4);
    expect(b.errors()).toEqual([]);
  });

  it('a worker leaving while others stay hears the step on disk, not the last step', async () => {
    const { registry } = await setup({ checkpointEvery: 0 });
    const a = new TestPeer();
    const b = new TestPeer();
    const host = await registry.create(config, a);
    await registry.attach(host.id, b);
    for (let n = 1; n <= 3; n++) await step(host, a, n);
    expect(await registry.detach(host, b)).toBe(0); // nothing written yet (checkpointEvery 0)
    expect(await registry.detach(host, a)).toBe(3); // the last one: checkpointed first
  });

  it('shutdown reports each session whose final checkpoint failed, with its steps on disk and in memory', async () => {
    const { disk, registry } = await setup();
    const a = new TestPeer();
    const saved = new TestPeer();
    const failing = await registry.create(config, a);
    const fine = await registry.create(config, saved);
    for (let n = 1; n <= 3; n++) await step(failing, a, n);
    for (let n = 1; n <= 2; n++) await step(fine, saved, n);
    await vi.waitFor(() => expect([failing.checkpointedStep, fine.checkpointedStep]).toEqual([2, 2]), { timeout: 5000 });
    disk.full = true; // `fine` has nothing left to write; `failing` has step 3
    const report = await registry.shutdown();
    expect(report.lost).toEqual([{ sessionId: failing.id, lastStep: 3, checkpointedStep: 2, reason: expect.stringMatching(/step 3 failed/) as string }]);
    expect(a.errors().filter((e) => e.code === 'CHECKPOINT_FAILED')).toEqual([expect.objectContaining({ step: 2 })]);
    // The connections closing after the drain start no write (the process is about to exit).
    const writes = disk.writes;
    await registry.detach(failing, a);
    expect(disk.writes).toBe(writes);
  });

  it('a discarded session stops counting as failing', async () => {
    const { disk, registry } = await setup();
    const a = new TestPeer();
    const host = await registry.create(config, a);
    disk.full = true;
    await step(host, a, 1);
    await step(host, a, 2);
    await vi.waitFor(() => expect(registry.failingCheckpoints()).toHaveLength(1));
    await registry.detach(host, a, true);
    expect(registry.failingCheckpoints()).toEqual([]);
    expect(registry.size).toBe(0);
  });
});

describe('checkpoints are bound to their session', () => {
  async function twoSavedSessions() {
    const env = await setup({ idleMs: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const peer = new TestPeer();
      const host = await env.registry.create({ ...config, optimizer: { name: 'sgd', stepSize: 0.1 * (i + 1) } }, peer);
      await step(host, peer, 1);
      await env.registry.detach(host, peer);
      ids.push(host.id);
    }
    await vi.waitFor(() => expect(env.registry.size).toBe(0));
    return { ...env, ids: ids as [string, string] };
  }

  it('refuses a checkpoint file copied over another session\'s (UNKNOWN_SESSION naming both ids)', async () => {
    const { registry, store, ids: [a, b] } = await twoSavedSessions();
    copyFileSync(store.pathOf(a), store.pathOf(b));
    const error = await registry.attach(b, new TestPeer()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNKNOWN_SESSION', field: 'sessionId' });
    expect((error as Error).message).toContain(`checkpoint file of session ${b} holds session ${a}`);
    expect(registry.size).toBe(0);
    // Its own session still resumes.
    expect((await registry.attach(a, new TestPeer())).lastStep).toBe(1);
  });

  it('refuses a checkpoint whose config was altered (TRACE_CORRUPT), and still loads one written without a binding', async () => {
    const { registry, store, ids: [a, b] } = await twoSavedSessions();
    // Alter a's config but keep its binding (and a valid CRC): the config hash no longer matches.
    const tree = decodeSnapshotValue(readFileSync(store.pathOf(a))) as Record<string, SnapshotValue>;
    const altered = { ...tree, config: { ...(tree['config'] as Record<string, SnapshotValue>), optimizer: { name: 'sgd', stepSize: 10 } } };
    writeFileSync(store.pathOf(a), encodeSnapshotValue(altered));
    await expect(registry.attach(a, new TestPeer())).rejects.toMatchObject({ code: 'TRACE_CORRUPT', field: 'snapshot' });
    // A checkpoint as older fisherds wrote it (no binding) resumes.
    writeFileSync(store.pathOf(b), encodeSessionSnapshot(decodeSessionSnapshot(readFileSync(store.pathOf(b)), b)));
    expect(decodeSnapshotValue(readFileSync(store.pathOf(b)))).not.toHaveProperty('binding');
    expect((await registry.attach(b, new TestPeer())).lastStep).toBe(1);
  });
});
