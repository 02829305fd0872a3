/**
 * Recording inside an in-process daemon, with trace sinks the test controls: every-record holds an
 * update until its append resolved; a failing trace (disk full) stops only that session's recording,
 * is counted and told to its clients, and the daemon serves on. Also the recording options.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FisherdClient, type FisherdClientError } from '../../clients/ts/src/index.js';
import { tempDir } from './daemon-harness.js';
import { createLogger } from '../../src/log.js';
import { encodeClientMessage, wire } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import { startDaemon, type Daemon } from '../../src/server/daemon.js';
import { resolveServeOptions } from '../../src/server/options.js';
import { durabilityPolicyOf, stepContributionBytes, traceDirOf, type TraceSink, type TraceSinkOpener } from '../../src/server/recording.js';
import { createSessionEngineFactory } from '../../src/server/session-adapter.js';
import type { SessionConfig } from '../../src/session/config.js';
import { openTrace } from '../../src/trace/reader.js';
import { summarizeTrace } from '../../src/trace/summary.js';
import { TraceWriter } from '../../src/trace/writer.js';

const D = 8;
const B = 2;
const config: SessionConfig = { dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 }, record: true };
const stepInput = (step: number) => ({
  step, batchSize: B, reduction: 'mean' as const,
  perExampleGrads: Float32Array.from({ length: B * D }, (_, i) => Math.cos(0.3 * i + step)),
});
const logger = createLogger({ level: 'silent' });

/** A trace sink that keeps what it is given; updates wait for `release` when gated, and may fail. */
class FakeSink implements TraceSink {
  readonly contributions: Uint8Array[] = [];
  readonly updates: Uint8Array[] = [];
  closed = false;
  private gate: { promise: Promise<void>; open: () => void } | undefined;

  constructor(readonly dir: string, private readonly failUpdateAt?: number) {}

  hold(): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gate = { promise, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  async appendContribution(bytes: Uint8Array): Promise<void> {
    this.contributions.push(bytes.slice());
  }

  async appendUpdate(bytes: Uint8Array): Promise<void> {
    if (this.failUpdateAt !== undefined && this.updates.length + 1 >= this.failUpdateAt) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    await this.gate?.promise;
    this.updates.push(bytes.slice());
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

let daemon: Daemon | undefined;
/** The data directory of the daemon started last. */
let dataDir = '';
const clients: FisherdClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await daemon?.close();
  daemon = undefined;
});

async function start(flags: Record<string, string>, openTraceSink?: TraceSinkOpener): Promise<Daemon> {
  dataDir = tempDir('fisherd-recording-');
  const options = resolveServeOptions({ port: '0', dataDir, dashboard: 'off', heartbeatMs: '0', ...flags }, {});
  const engines = await createSessionEngineFactory('reference', logger);
  daemon = await startDaemon(options, { engines, logger, ...(openTraceSink ? { openTraceSink } : {}) });
  return daemon;
}

async function connect(d: Daemon, onNotice?: (e: FisherdClientError) => void): Promise<FisherdClient> {
  const client = await FisherdClient.connect(`ws://127.0.0.1:${d.address.port}`, { reconnect: false, ...(onNotice ? { onNotice } : {}) });
  clients.push(client);
  return client;
}

const settledWithin = <T>(promise: Promise<T>, ms: number): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('recording in the daemon', () => {
  it('every-record: an update leaves only once its append resolved; the trace gets the bytes sent', async () => {
    const sinks: FakeSink[] = [];
    const d = await start({}, async (dir) => {
      const sink = new FakeSink(dir);
      sinks.push(sink);
      return sink;
    });
    const client = await connect(d);
    await client.openSession(config);
    const first = await client.step(stepInput(1));
    const sink = sinks[0]!;
    sink.hold();
    const second = client.step(stepInput(2));
    expect(await settledWithin(second, 150)).toBe(false); // computed, but held for its append
    expect(sink.contributions).toHaveLength(2);
    sink.release();
    const update = await second;
    expect(update.step).toBe(2);
    // The recorded bytes are the messages exchanged: the step as sent, the update as received.
    expect(Buffer.from(sink.contributions[1]!)).toEqual(Buffer.from(wire.StepContribution.encode(contributionToWire({ ...stepInput(2), workerId: 0 })).finish()));
    const recorded = sink.updates.map((u) => wire.Update.decode(u));
    expect(recorded.map((u) => u.step)).toEqual([1, 2]);
    expect(Buffer.from(recorded[0]!.delta)).toEqual(Buffer.from(first.delta.buffer, first.delta.byteOffset, first.delta.byteLength));
    await client.closeSession({ discard: true });
    await expect.poll(() => sink.closed).toBe(true);
  });

  it('CloseSession ends the trace segment before its reply: the trace is intact at once; a resume records a new segment', async () => {
    const d = await start({});
    const client = await connect(d);
    const session = await client.openSession(config);
    for (let t = 1; t <= 3; t++) await client.step(stepInput(t));
    expect(await client.closeSession()).toBe(3);
    const dir = join(dataDir, 'traces', session.sessionId);
    // Right after the reply, long before the idle eviction (60 s): every segment ended, nothing torn.
    let summary = await summarizeTrace([dir]);
    expect(summary.damage).toEqual([]);
    expect(summary.intact).toBe(true);
    expect(summary.segments).toHaveLength(1);
    expect(summary.steps?.count).toBe(3);
    // Resumed while still in memory: the next steps go to a second segment, ended again by the next close.
    const again = await connect(d);
    await again.resumeSession(session.sessionId);
    for (let t = 4; t <= 5; t++) await again.step(stepInput(t));
    await again.closeSession();
    summary = await summarizeTrace([dir]);
    expect(summary.intact).toBe(true);
    expect(summary.segments).toHaveLength(2);
    expect(summary.steps?.count).toBe(5);
  });

  it('periodic and on-close do not hold updates back', async () => {
    for (const policy of ['periodic', 'on-close']) {
      const sinks: FakeSink[] = [];
      const d = await start({ recordDurability: policy }, async (dir) => {
        const sink = new FakeSink(dir);
        sink.hold();
        sinks.push(sink);
        return sink;
      });
      const client = await connect(d);
      await client.openSession(config);
      expect(await settledWithin(client.step(stepInput(1)), 2000)).toBe(true);
      sinks[0]!.release();
      await client.close();
      clients.length = 0;
      await d.close();
      daemon = undefined;
    }
  });

  it('a failing trace stops only its own recording: logged, counted, told to the clients; the daemon serves on', async () => {
    let opened = 0;
    const d = await start({}, async (dir, header, policy, log) => {
      opened++;
      if (opened === 1) return new FakeSink(dir, 3); // disk full at the third update
      if (opened === 3) throw Object.assign(new Error(`EACCES: permission denied, mkdir '${dir}'`), { code: 'EACCES' });
      return TraceWriter.open(dir, header, policy, { logger: log });
    });
    const notices: FisherdClientError[] = [];
    const failing = await connect(d, (e) => notices.push(e));
    await failing.openSession(config);
    const healthy = await connect(d);
    const { sessionId: healthyId } = await healthy.openSession(config);
    for (let step = 1; step <= 5; step++) {
      const [a, b] = await Promise.all([failing.step(stepInput(step)), healthy.step(stepInput(step))]);
      expect(a.step).toBe(step); // the step whose append failed is still answered, and the session goes on
      expect(Buffer.from(a.delta.buffer)).toEqual(Buffer.from(b.delta.buffer));
    }
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ code: 'RECORDING_FAILED', field: 'record', step: 3 });
    expect(notices[0]!.message).toMatch(/ENOSPC.*goes on without recording and the trace ends before step 3/);

    // A trace that cannot even be opened: the client is told on attach, the session works.
    const openNotices: FisherdClientError[] = [];
    const unopened = await connect(d, (e) => openNotices.push(e));
    await unopened.openSession(config);
    expect((await unopened.step(stepInput(1))).step).toBe(1);
    expect(openNotices.map((e) => [e.code, e.field])).toEqual([['RECORDING_FAILED', 'record']]);
    expect(openNotices[0]!.message).toMatch(/could not be opened \(EACCES/);

    const metric = await d.metrics.registry.getSingleMetricAsString('fisherd_trace_errors_total');
    expect(metric).toMatch(/fisherd_trace_errors_total\{stage="append"\} 1/);
    expect(metric).toMatch(/fisherd_trace_errors_total\{stage="open"\} 1/);

    // The healthy session's trace is whole once the daemon has drained.
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await d.close();
    daemon = undefined;
    const reader = await openTrace([join(dataDir, 'traces', healthyId)]);
    let updates = 0;
    for await (const entry of reader) if (entry.kind === 'update') updates++;
    expect(updates).toBe(5);
    expect(reader.damage).toEqual([]);
  });
});

describe('recording options', () => {
  it('maps the serve options to a durability policy and a trace directory', () => {
    const options = resolveServeOptions({}, {});
    expect(options).toMatchObject({ recordDir: undefined, recordDurability: 'every-record', recordSyncEvery: 100, recordSyncMs: 1000 });
    expect(durabilityPolicyOf(options)).toEqual({ sync: 'every-record' });
    expect(durabilityPolicyOf(resolveServeOptions({ recordDurability: 'periodic', recordSyncMs: '0' }, {}))).toEqual({ sync: 'periodic', everyRecords: 100 });
    expect(durabilityPolicyOf(resolveServeOptions({}, { FISHERD_RECORD_DURABILITY: 'periodic', FISHERD_RECORD_SYNC_EVERY: '0' })))
      .toEqual({ sync: 'periodic', everyMs: 1000 });
    expect(durabilityPolicyOf(resolveServeOptions({ recordDurability: 'on-close' }, {}))).toEqual({ sync: 'on-close' });
    expect(() => resolveServeOptions({ recordDurability: 'periodic', recordSyncEvery: '0', recordSyncMs: '0' }, {}))
      .toThrow('--record-durability / FISHERD_RECORD_DURABILITY: periodic needs --record-sync-every or --record-sync-ms above 0');
    expect(() => resolveServeOptions({ recordDurability: 'always' }, {})).toThrow(/"always" is not one of every-record, periodic, on-close/);

    const id = 'ab'.repeat(16);
    const where = { recordDir: undefined, dataDir: '/data', policy: { sync: 'every-record' as const } };
    expect(traceDirOf(where, id, { ...config, record: false })).toBeUndefined();
    expect(traceDirOf(where, id, config)).toBe(`/data/traces/${id}`);
    expect(traceDirOf({ ...where, recordDir: '/records' }, id, { ...config, record: false })).toBe(`/records/${id}`);
  });

  it('finds the StepContribution bytes in a ClientMessage frame without copying them', () => {
    const step = contributionToWire({ ...stepInput(4), workerId: 1, loss: 0.5 });
    const frame = encodeClientMessage({ requestId: 77, step });
    const raw = stepContributionBytes(frame)!;
    expect(raw.buffer).toBe(frame.buffer);
    expect(Buffer.from(raw)).toEqual(Buffer.from(wire.StepContribution.encode(step).finish()));
    expect(stepContributionBytes(encodeClientMessage({ requestId: 1, hello: { protocolVersion: 1 } }))).toBeUndefined();
    expect(stepContributionBytes(Uint8Array.of(0xff, 0xff))).toBeUndefined();
  });
});
