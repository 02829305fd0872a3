/**
 * End to end, real daemon processes: truthful durability (issue 12, item 4).
 *
 * A checkpoint directory on a full file system (a 1 MiB tmpfs this test mounts; skipped with a message
 * where mounting is not permitted): the client hears CHECKPOINT_FAILED with the step on disk, /readyz is
 * 503 saying why, fisherd_checkpoint_failures_total counts it, SIGTERM exits 3 naming the lost steps, and
 * after a restart the session resumes at the step the error named, so that every acknowledged step can
 * be sent again and gives the very same update. With space freed while the daemon runs, the next step's
 * retry writes everything and a restart resumes at the last acknowledged step. A checkpoint file copied
 * over another session's is refused on resume. Throughout, /livez answers within 1 s and the daemon's
 * RSS stays under 400 MiB.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FisherdClient, FisherdClientError, type UpdateData } from '../../clients/ts/src/index.js';
import type { SessionConfig } from '../../src/session/config.js';
import { startDaemon, tempDataDir, type RunningDaemon } from './daemon-harness.js';
import { watchDaemon, type WatchResult } from './hostile-watch.js';

const D = 16;
const B = 4;
const config: SessionConfig = {
  dim: D,
  structure: { kind: 'lowrank', rank: 6 },
  emaDecay: 0.9,
  optimizer: { name: 'va', stepSize: 0.05, damping: 1e-2, momentum: 0.5 },
  track: { empiricalFisher: true, noise: true },
};
const RSS_BOUND = 400 * 1024 * 1024;

const stepInput = (step: number) => ({
  step, batchSize: B, reduction: 'sum' as const,
  perExampleGrads: Float32Array.from({ length: B * D }, (_, i) => Math.sin(1.3 * i + 0.7 * step) * (1 + (i % 3))),
});
const bytesOf = (u: UpdateData): Buffer => Buffer.from(u.delta.buffer, u.delta.byteOffset, u.delta.byteLength);

/** Mounts a 1 MiB tmpfs at a fresh directory, or says why it cannot (not root, no mount permission). */
function mountSmallTmpfs(): { dir: string; skip: string | undefined } {
  const dir = mkdtempSync(join(tmpdir(), 'fisherd-fulldisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'pipe' });
    return { dir, skip: undefined };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const why = e instanceof Error ? (e as Error & { stderr?: Buffer }).stderr?.toString().trim() || e.message : String(e);
    return { dir, skip: `cannot mount a tmpfs here (${why}); the full-disk checkpoint tests need root or CAP_SYS_ADMIN` };
  }
}

const tmpfs = mountSmallTmpfs();
if (tmpfs.skip !== undefined) console.log(`daemon-durability: skipped full-disk cases: ${tmpfs.skip}`);
afterAll(() => {
  if (tmpfs.skip !== undefined) return;
  execFileSync('umount', ['-l', tmpfs.dir], { stdio: 'pipe' });
  rmSync(tmpfs.dir, { recursive: true, force: true });
});

/** A fresh data directory on the tmpfs (each test its own, emptied before). */
function dataDirOnTmpfs(name: string): string {
  const dir = join(tmpfs.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Fills the tmpfs to the last byte with `filler`; returns its path. */
function fill(): string {
  const path = join(tmpfs.dir, 'filler');
  const fd = openSync(path, 'a');
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  try {
    for (;;) writeSync(fd, chunk, 0, 1); // the last partial page
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return path;
}

async function readyz(daemon: RunningDaemon): Promise<{ status: number; body: string }> {
  const res = await fetch(`${daemon.http}/readyz`);
  return { status: res.status, body: await res.text() };
}

async function failureCount(daemon: RunningDaemon): Promise<number> {
  const text = await (await fetch(`${daemon.http}/metrics`)).text();
  const match = /^fisherd_checkpoint_failures_total (\d+)/m.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

function report(label: string, seen: WatchResult): void {
  console.log(`daemon-durability ${label}: worst /livez ${seen.worstLivezMs.toFixed(1)} ms over ${seen.probes} probes, peak RSS ${(seen.peakRssBytes / 2 ** 20).toFixed(1)} MiB`);
  expect(seen.livezFailures).toBe(0);
  expect(seen.worstLivezMs).toBeLessThan(1000);
  expect(seen.peakRssBytes).toBeLessThan(RSS_BOUND);
}

describe('fisherd daemon: checkpoints on a full disk', () => {
  it.skipIf(tmpfs.skip !== undefined)(
    'reports CHECKPOINT_FAILED with the step on disk, turns /readyz 503, counts it, exits 3 on SIGTERM; a restart resumes at that step and every acknowledged step replays identically',
    async () => {
      const dataDir = dataDirOnTmpfs('full-at-shutdown');
      const daemon = await startDaemon(['--checkpoint-every', '2'], { dataDir });
      const notices: FisherdClientError[] = [];
      const client = await FisherdClient.connect(daemon.url, { reconnect: false, onNotice: (e) => notices.push(e) });
      const { sessionId } = await client.openSession(config);
      const acknowledged: Buffer[] = [];
      for (let step = 1; step <= 2; step++) acknowledged.push(bytesOf(await client.step(stepInput(step))));
      const file = join(dataDir, 'sessions', `${sessionId}.ckpt`);
      await expect.poll(() => existsSync(file), { timeout: 5000 }).toBe(true);
      expect((await readyz(daemon)).status).toBe(200);

      const watch = watchDaemon(daemon);
      const filler = fill();
      for (let step = 3; step <= 6; step++) acknowledged.push(bytesOf(await client.step(stepInput(step))));
      // Step 4's checkpoint fails (step 6's attempt comes too soon after it to retry, or fails as well).
      await expect.poll(() => notices.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
      expect(notices[0]).toMatchObject({ code: 'CHECKPOINT_FAILED', step: 2 });
      expect(notices[0]!.message).toMatch(/checkpoint of step 4 failed \(ENOSPC.*the checkpoint on disk holds step 2/);
      const ready = await readyz(daemon);
      expect(ready.status).toBe(503);
      expect(ready.body).toContain(`session ${sessionId}: step 6 in memory, step 2 on disk`);
      expect(await failureCount(daemon)).toBeGreaterThanOrEqual(1);
      // A second later the next step retries; the disk is still full, so it fails again.
      await new Promise((r) => setTimeout(r, 1100));
      const before = notices.length; // step 6's attempt (fails too) is long done
      acknowledged.push(bytesOf(await client.step(stepInput(7))));
      await expect.poll(() => notices.length, { timeout: 5000 }).toBe(before + 1);
      expect(notices.at(-1)).toMatchObject({ code: 'CHECKPOINT_FAILED', step: 2 });
      expect(notices.at(-1)!.message).toMatch(/checkpoint of step 7 failed/);
      expect(await failureCount(daemon)).toBe(before + 1);
      const seen = await watch.stop();

      const exit = daemon.kill('SIGTERM');
      expect(await exit).toBe(3);
      expect(daemon.stderr()).toMatch(/final checkpoint failed: steps 3\.\.7 of session [0-9a-f]{32} are lost; it resumes at step 2/);
      expect(readdirSync(join(dataDir, 'sessions'))).toEqual([`${sessionId}.ckpt`]); // no temporary file left
      report('full disk until SIGTERM', seen);

      // Space back, restart: the session resumes where CHECKPOINT_FAILED said, and the acknowledged steps
      // sent again give the very same updates.
      rmSync(filler);
      const again = await startDaemon(['--checkpoint-every', '2'], { dataDir });
      const resumed = await FisherdClient.connect(again.url, { reconnect: false });
      expect((await resumed.resumeSession(sessionId)).resumedStep).toBe(2);
      for (let step = 3; step <= 7; step++) expect(bytesOf(await resumed.step(stepInput(step)))).toEqual(acknowledged[step - 1]);
      expect(await resumed.closeSession()).toBe(7);
      await resumed.close();
      expect(await again.kill('SIGTERM')).toBe(0);
    },
    60_000,
  );

  it.skipIf(tmpfs.skip !== undefined)(
    'once space is freed, the next step\'s retry writes everything: /readyz 200 again, SIGTERM exits 0, a restart resumes at the last acknowledged step',
    async () => {
      const dataDir = dataDirOnTmpfs('freed');
      const daemon = await startDaemon(['--checkpoint-every', '2'], { dataDir });
      const notices: FisherdClientError[] = [];
      const client = await FisherdClient.connect(daemon.url, { reconnect: false, onNotice: (e) => notices.push(e) });
      const { sessionId } = await client.openSession(config);
      const watch = watchDaemon(daemon);
      const filler = fill();
      const acknowledged: Buffer[] = [];
      for (let step = 1; step <= 2; step++) acknowledged.push(bytesOf(await client.step(stepInput(step))));
      await expect.poll(() => notices.length, { timeout: 5000 }).toBe(1);
      expect(notices[0]).toMatchObject({ code: 'CHECKPOINT_FAILED', step: 0 });
      expect(notices[0]!.message).toMatch(/no checkpoint of this session is on disk yet/);
      expect((await readyz(daemon)).status).toBe(503);

      rmSync(filler);
      await new Promise((r) => setTimeout(r, 1100)); // the retry waits at least a second after the failed attempt
      acknowledged.push(bytesOf(await client.step(stepInput(3)))); // retries, and succeeds
      await expect.poll(async () => (await readyz(daemon)).status, { timeout: 5000 }).toBe(200);
      expect(notices).toHaveLength(1);
      const seen = await watch.stop();
      await client.close();
      expect(await daemon.kill('SIGTERM')).toBe(0);
      report('full disk, then space freed', seen);

      const again = await startDaemon([], { dataDir });
      const resumed = await FisherdClient.connect(again.url, { reconnect: false });
      expect((await resumed.resumeSession(sessionId)).resumedStep).toBe(3);
      // The state on disk is all of step 3: step 4 from it equals step 4 of a fresh run of the same steps.
      const fresh = await FisherdClient.connect(again.url, { reconnect: false });
      await fresh.openSession(config);
      const reference: Buffer[] = [];
      for (let step = 1; step <= 4; step++) reference.push(bytesOf(await fresh.step(stepInput(step))));
      expect(reference.slice(0, 3)).toEqual(acknowledged);
      expect(bytesOf(await resumed.step(stepInput(4)))).toEqual(reference[3]);
      await fresh.closeSession({ discard: true });
      await fresh.close();
      await resumed.close();
      expect(await again.kill('SIGTERM')).toBe(0);
    },
    60_000,
  );
});

describe('fisherd daemon: checkpoints bound to their session', () => {
  it('refuses a checkpoint file copied over another session\'s (UNKNOWN_SESSION naming both ids), and resumes the untouched one', async () => {
    const dataDir = tempDataDir();
    const daemon = await startDaemon([], { dataDir });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const client = await FisherdClient.connect(daemon.url, { reconnect: false });
      ids.push((await client.openSession(config)).sessionId);
      for (let step = 1; step <= i + 1; step++) await client.step(stepInput(step));
      await client.close();
    }
    expect(await daemon.kill('SIGTERM')).toBe(0);
    const [a, b] = ids as [string, string];
    copyFileSync(join(dataDir, 'sessions', `${a}.ckpt`), join(dataDir, 'sessions', `${b}.ckpt`));

    const again = await startDaemon([], { dataDir });
    const watch = watchDaemon(again);
    const client = await FisherdClient.connect(again.url, { reconnect: false });
    const refused = await client.resumeSession(b).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(FisherdClientError);
    expect(refused).toMatchObject({ code: 'UNKNOWN_SESSION' });
    expect((refused as Error).message).toContain(`the checkpoint file of session ${b} holds session ${a}`);
    expect((await client.resumeSession(a)).resumedStep).toBe(1);
    await client.close();
    report('swapped checkpoint', await watch.stop());
    expect(await again.kill('SIGTERM')).toBe(0);
  }, 60_000);
});
