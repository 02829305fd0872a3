/**
 * End to end, real daemon processes: recording sessions as traces, replaying them offline and through a
 * daemon bit for bit, and kill -9 while recording with every-record durability.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FisherdClient, type UpdateData } from '../../clients/ts/src/index.js';
import { fisherd } from '../../src/protocol/generated/fisherd.js';
import type { SessionConfig } from '../../src/session/config.js';
import { openTrace, type TraceDamageKind } from '../../src/trace/reader.js';
import { replayThroughDaemon } from '../../src/trace/remote-replay.js';
import { replayTrace, type ReplayStepRow } from '../../src/trace/replay.js';
import { listSegments } from '../../src/trace/segment-files.js';
import { buildDaemon, startDaemon, tempDataDir } from './daemon-harness.js';

const D = 20;
const B = 3;

function grads(step: number, worker: number): Float32Array {
  return Float32Array.from({ length: B * D }, (_, i) => Math.sin(0.9 * i + 0.7 * step + 2.1 * worker) * (1 + (i % 4)));
}

const stepInput = (step: number, worker = 0) => ({ step, batchSize: B, reduction: 'sum' as const, perExampleGrads: grads(step, worker) });

function bytesOf(update: UpdateData): Buffer {
  return Buffer.from(update.delta.buffer, update.delta.byteOffset, update.delta.byteLength);
}

/** The recorded updates of a trace: Δθ bytes by step (the first record of each step). */
async function recordedUpdates(dir: string): Promise<{ updates: Map<number, Buffer>; damage: TraceDamageKind[]; closed: boolean }> {
  const reader = await openTrace([dir], { continueAfterCorruption: false });
  const updates = new Map<number, Buffer>();
  for await (const entry of reader) {
    if (entry.kind !== 'update') continue;
    const update = fisherd.v1.Update.decode(entry.body);
    if (!updates.has(update.step)) updates.set(update.step, Buffer.from(update.delta));
  }
  return { updates, damage: reader.damage.map((d) => d.kind), closed: reader.segments.at(-1)?.end !== undefined };
}

/** Runs the built `fisherd` CLI; resolves with its exit code and output. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const main = await buildDaemon();
  return new Promise((resolve) => {
    execFile(process.execPath, [main, ...args], { env: { ...process.env, FISHERD_LOG_LEVEL: 'silent' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('fisherd daemon: recording traces', () => {
  it('records a two-worker session that replays bit for bit offline, with the CLI and through a daemon', async () => {
    const daemon = await startDaemon(['--session-idle-ms', '0']);
    try {
      const config: SessionConfig = {
        dim: D, workers: 2, record: true, structure: { kind: 'lowrank', rank: 4 }, emaDecay: 0.8,
        optimizer: { name: 'efgd', stepSize: 0.05, damping: 1e-2, momentum: 0.5 }, track: { noise: true },
      };
      const workers = [await FisherdClient.connect(daemon.url, { reconnect: false, workerId: 0 }),
        await FisherdClient.connect(daemon.url, { reconnect: false, workerId: 1 })];
      const { sessionId } = await workers[0]!.openSession(config);
      await workers[1]!.resumeSession(sessionId);
      const received: Buffer[] = [];
      const STEPS = 6;
      for (let step = 1; step <= STEPS; step++) {
        const [a, b] = await Promise.all(workers.map((w, id) => w.step(stepInput(step, id))));
        expect(bytesOf(a!)).toEqual(bytesOf(b!));
        received.push(bytesOf(a!));
      }
      for (const w of workers) await w.close();

      // Without --record-dir, a session that asks to be recorded goes to DATA_DIR/traces/ID; its trace is
      // closed when the session is evicted (at once here: --session-idle-ms 0).
      const dir = join(daemon.dataDir, 'traces', sessionId);
      await expect.poll(async () => existsSync(dir) && (await recordedUpdates(dir)).closed, { timeout: 10_000 }).toBe(true);
      const recorded = await recordedUpdates(dir);
      expect(recorded.damage).toEqual([]);
      expect([...recorded.updates.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
      for (let step = 1; step <= STEPS; step++) expect(recorded.updates.get(step)).toEqual(received[step - 1]);

      // Offline: the recorded rule with the recorded backend reproduces every recorded update.
      const rows: ReplayStepRow[] = [];
      const offline = await replayTrace([dir], { optimizers: ['efgd', 'sgd'] }, (r) => { rows.push(...r); });
      expect(offline.steps).toBe(STEPS);
      // The daemon writes each update after its step's contributions: every row has it attached (what-if
      // columns), the recorded rule points exactly along it, and the low-rank Ẽ gives the local model.
      expect(rows.length).toBe(2 * STEPS);
      for (const row of rows) {
        expect(row.recordedUpdateNorm).toBeCloseTo(Math.hypot(...new Float32Array(new Uint8Array(received[row.step - 1]!).buffer)), 12);
        if (row.optimizer === 'efgd') expect(row.cosineRecorded).toBeCloseTo(1, 12);
        expect(Number.isFinite(row.qEmpiricalFisher)).toBe(true);
        expect(row.qEmpiricalFisherRecorded).toBeDefined();
      }
      expect(offline.backend).toBe('reference');
      expect(offline.reproduction).toMatchObject({ recorded: STEPS, compared: STEPS, identical: STEPS, backendMatches: true, reproduced: true });

      // The CLI: verify says intact; replay writes its files and says the updates were reproduced.
      const verify = await cli('trace', 'verify', dir);
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/^intact: 1 segment\(s\), 20 records, 6 steps/);
      const out = join(tempDataDir(), 'replay');
      const replay = await cli('replay', dir, '--optimizer', 'efgd,sgd,snr,va', '--out', out, '--no-progress');
      expect(replay.code).toBe(0);
      expect(replay.stdout).toMatch(/recorded updates reproduced bit for bit \(6\/6, efgd on reference\)/);
      const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
      expect(summary.reproduction.reproduced).toBe(true);

      // Through the running daemon (as two live workers): the same updates, and the CLI says so.
      const remote = await replayThroughDaemon([dir], { url: daemon.url });
      expect(remote.recordedSessionId).toBe(sessionId);
      expect(remote.sessionId).not.toBe(sessionId);
      expect(remote.reproduction).toMatchObject({ recorded: STEPS, compared: STEPS, identical: STEPS, backendMatches: true, reproduced: true });
      const viaUrl = await cli('replay', dir, '--optimizer', 'efgd', '--out', join(out, 'url'), '--url', daemon.url, '--no-progress');
      expect(viaUrl.code).toBe(0);
      expect(viaUrl.stdout).toMatch(/reproduced bit for bit \(6\/6\)/);
    } finally {
      expect(await daemon.kill('SIGTERM')).toBe(0);
    }
  });

  it('kill -9 with every-record: every step whose update arrived is in the trace; the restarted daemon records on', async () => {
    const dataDir = tempDataDir();
    const recordDir = join(dataDir, 'records');
    const args = ['--record-dir', recordDir, '--record-durability', 'every-record', '--checkpoint-every', '1'];
    const first = await startDaemon(args, { dataDir });
    const config: SessionConfig = { dim: D, structure: { kind: 'diagonal' }, emaDecay: 0.9, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } };
    const received = new Map<number, Buffer>();
    const RECEIVED = 8;
    let sessionId = '';
    try {
      const client = await FisherdClient.connect(first.url, { reconnect: false });
      sessionId = (await client.openSession(config)).sessionId; // no `record`: --record-dir records every session
      for (let step = 1; step <= RECEIVED; step++) received.set(step, bytesOf(await client.step(stepInput(step))));
      // One more step in flight, then kill -9: the daemon may die anywhere in its compute, write or sync.
      const inFlight = client.step(stepInput(RECEIVED + 1)).then((u) => received.set(u.step, bytesOf(u)), () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 2));
      expect(await first.kill('SIGKILL')).toBe('SIGKILL');
      await inFlight;
      await client.close();
    } finally {
      await first.kill('SIGKILL');
    }

    const dir = join(recordDir, sessionId);
    const killed = await recordedUpdates(dir);
    // No corruption: at most an unterminated segment with a torn tail.
    expect(killed.damage.filter((kind) => kind !== 'torn-tail' && kind !== 'unterminated')).toEqual([]);
    expect(killed.damage).toContain('unterminated');
    for (const [step, delta] of received) expect(killed.updates.get(step), `step ${step}`).toEqual(delta);
    const replayed = await replayTrace([dir], { optimizers: ['efgd'] });
    expect(replayed.lastStep).toBeGreaterThanOrEqual(received.size);
    expect(replayed.reproduction).toMatchObject({ identical: replayed.reproduction!.compared, reproduced: true });
    expect(replayed.reproduction!.compared).toBeGreaterThanOrEqual(received.size);

    // Restarted on the same directories, the session resumes from its checkpoint and records on, in a
    // new segment after the recovered one. The steps after the checkpoint are sent (and recorded) again.
    const second = await startDaemon(args, { dataDir });
    const LAST = RECEIVED + 3;
    let resumedStep = 0;
    try {
      const resumed = await FisherdClient.connect(second.url, { reconnect: false });
      resumedStep = (await resumed.resumeSession(sessionId)).resumedStep;
      // Checkpoints are written after the update is sent: the last one or two may not have made it.
      expect(resumedStep).toBeGreaterThanOrEqual(1);
      expect(resumedStep).toBeLessThanOrEqual(received.size);
      for (let step = resumedStep + 1; step <= LAST; step++) {
        const delta = bytesOf(await resumed.step(stepInput(step)));
        if (received.has(step)) expect(delta).toEqual(received.get(step));
        received.set(step, delta);
      }
      await resumed.close();
    } finally {
      expect(await second.kill('SIGTERM')).toBe(0); // the drain closes the trace
    }

    expect((await listSegments(dir)).length).toBe(2);
    const verify = await cli('trace', 'verify', dir);
    expect(verify.code, verify.stdout).toBe(0);
    const after = await recordedUpdates(dir);
    expect(after.damage).toEqual([]);
    for (const [step, delta] of received) expect(after.updates.get(step), `step ${step}`).toEqual(delta);
    const whole = await replayTrace([dir], { optimizers: ['efgd'] });
    expect(whole.lastStep).toBe(LAST);
    expect(whole.steps).toBe(LAST);
    // Contributions logged twice (after the checkpoint, before the kill) are skipped by the replay.
    expect(whole.skippedContributions).toBeGreaterThanOrEqual(RECEIVED - resumedStep);
    // Updates logged twice (the resumed session recomputed the steps after its checkpoint) are compared
    // too, and every recorded update is reproduced.
    expect(whole.reproduction!.compared).toBe(whole.reproduction!.recorded);
    expect(whole.reproduction!.compared).toBeGreaterThanOrEqual(LAST);
    expect(whole.reproduction!.identical).toBe(whole.reproduction!.compared);
    expect(whole.reproduction!.reproduced).toBe(true);
  });
});
