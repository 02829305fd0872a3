/**
 * End to end, real daemon process: shared-memory payloads (proto SharedMemoryOffer, MessageRef). Updates
 * that travel through the files equal those sent as frames bit for bit (one worker, and a two-worker
 * session whose workers use different ways); every bad offer or ref — a disabled daemon, bad names,
 * missing files, a wrong nonce, a symlink, a FIFO, a hard link, ranges past the end, a ref inside a ref,
 * a ref above --max-frame-bytes — is a typed error that leaves the session as it was and the other
 * clients served; the daemon never removes the client's files and closes them with the connection. An
 * in-process daemon checks that a recorded session records the same contribution bytes either way.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient, type UpdateData } from '../../clients/ts/src/index.js';
import { createLogger } from '../../src/log.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { decodeServerMessage, encodeClientMessage, errorCodeFromWire, wire, type ClientMessageInit, type ServerMessage } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import { startDaemon as startInProcess, type Daemon } from '../../src/server/daemon.js';
import { resolveServeOptions } from '../../src/server/options.js';
import type { TraceSink } from '../../src/server/recording.js';
import { createSessionEngineFactory } from '../../src/server/session-adapter.js';
import { REPLY_OFFSET, REPLY_THRESHOLD_BYTES } from '../../src/server/shared-memory.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { startDaemon, stream, tempDir, type RunningDaemon } from './daemon-harness.js';
import { RawClient } from './raw-client.js';

/** D large enough that an update (4·D bytes) is above the reply threshold: it travels by ref. */
const D = 20_000;
const B = 4;
const MAX_FRAME = 1024 * 1024;
const config: SessionConfig = { dim: D, structure: { kind: 'diagonal' }, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 } };

function rows(seed: number, worker = 0): Float32Array {
  const next = stream(1000 * seed + worker);
  return Float32Array.from({ length: B * D }, () => next());
}

function input(step: number, worker = 0): Omit<StepContribution, 'workerId'> {
  return { step, batchSize: B, reduction: 'mean', perExampleGrads: rows(step, worker), loss: 1 / step };
}

/** A temporary directory on a tmpfs where the machine has one (as in production), removed after the file. */
const madeDirs: string[] = [];
function shmDir(): string {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'fisherd-shm-test-'));
  madeDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fileName = (): string => `fisherd-${randomBytes(12).toString('hex')}`;

/** Two files as a client makes them: the nonce at offset 0 of each. */
function makeFiles(dir: string, nonce: Uint8Array = randomBytes(32)): { requestFile: string; replyFile: string; nonce: Uint8Array; request: string; reply: string } {
  const requestFile = fileName();
  const replyFile = fileName();
  writeFileSync(join(dir, requestFile), nonce, { mode: 0o600 });
  writeFileSync(join(dir, replyFile), nonce, { mode: 0o600 });
  return { requestFile, replyFile, nonce, request: join(dir, requestFile), reply: join(dir, replyFile) };
}

function expectError(message: ServerMessage, code: string, field?: RegExp | string): void {
  expect(message.kind, JSON.stringify(message)).toBe('error');
  expect(errorCodeFromWire(message.error!.code ?? 0), message.error!.message ?? '').toBe(code);
  expect(message.error!.message?.length).toBeGreaterThan(10);
  if (field !== undefined) expect(message.error!.field).toMatch(field);
}

/** Writes `bytes` at `position` of the file at `path`. */
function writeAt(path: string, bytes: Uint8Array, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
  } finally {
    closeSync(fd);
  }
}

/** Writes `message` into the request file at `offset` and sends the ref; the ref'd message carries `requestId`. */
function sendRef(client: RawClient, path: string, message: ClientMessageInit, requestId: number, offset = 4096): void {
  const bytes = encodeClientMessage({ ...message, requestId });
  writeAt(path, bytes, offset);
  client.send({ requestId, messageRef: { offset, length: bytes.byteLength } });
}

/** The message a MessageRef reply names in the reply file. */
function readRef(path: string, ref: ServerMessage): ServerMessage {
  expect(ref.kind, JSON.stringify(ref)).toBe('messageRef');
  const { offset, length } = ref.messageRef!;
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.alloc(length ?? 0);
    expect(readSync(fd, out, 0, out.length, offset ?? 0)).toBe(out.length);
    return decodeServerMessage(out);
  } finally {
    closeSync(fd);
  }
}

function sameUpdates(a: UpdateData[], b: UpdateData[]): void {
  expect(a.map((u) => u.step)).toEqual(b.map((u) => u.step));
  for (let i = 0; i < a.length; i++) {
    expect(Buffer.from(a[i]!.delta.buffer, a[i]!.delta.byteOffset, a[i]!.delta.byteLength).equals(Buffer.from(b[i]!.delta.buffer, b[i]!.delta.byteOffset, b[i]!.delta.byteLength))).toBe(true);
    expect(a[i]!.diagnostics.updateNorm).toBe(b[i]!.diagnostics.updateNorm);
    expect(a[i]!.diagnostics.loss).toBe(b[i]!.diagnostics.loss);
  }
}

async function metric(daemon: RunningDaemon, name: string): Promise<number> {
  const text = await (await fetch(`${daemon.http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('fisherd daemon: shared memory', () => {
  let daemon: RunningDaemon;
  let dir: string;
  let bystander: FisherdClient;
  let bystanderSteps = 0;

  async function bystanderStillServed(): Promise<void> {
    const update = await bystander.step({ batchSize: 1, reduction: 'sum', meanGrad: new Float32Array(8).fill(1) });
    expect(update.step).toBe(++bystanderSteps);
  }

  beforeAll(async () => {
    dir = shmDir();
    daemon = await startDaemon(['--shared-memory-dir', dir, '--max-frame-bytes', String(MAX_FRAME)]);
    bystander = await FisherdClient.connect(daemon.url);
    await bystander.openSession({ dim: 8, optimizer: { name: 'sgd', stepSize: 1 } });
  });

  afterAll(async () => {
    await bystander.close();
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('names its directory in Welcome; updates through shared memory equal updates in frames, bit for bit', async () => {
    const welcome = await RawClient.connect(daemon.url);
    const hello = await welcome.request({ hello: { protocolVersion: 1 } });
    expect(hello.welcome?.sharedMemoryDir).toBe(dir);
    welcome.close();

    const byRef = await FisherdClient.connect(daemon.url, { sharedMemory: true, reconnect: false });
    const inline = await FisherdClient.connect(daemon.url, { reconnect: false });
    expect(byRef.sharedMemoryActive).toBe(true);
    expect(inline.sharedMemoryActive).toBe(false);
    // The client unlinks its files once the daemon holds them open.
    expect(readdirSync(dir)).toEqual([]);
    const before = { received: await metric(daemon, 'fisherd_shared_memory_bytes_total{direction="received"}'), sent: await metric(daemon, 'fisherd_shared_memory_bytes_total{direction="sent"}') };
    await byRef.openSession(config);
    await inline.openSession(config);
    const a: UpdateData[] = [];
    const b: UpdateData[] = [];
    for (let t = 1; t <= 4; t++) {
      a.push(await byRef.step(input(t)));
      b.push(await inline.step(input(t)));
    }
    sameUpdates(a, b);
    const estimatesA = await byRef.estimates({ includeDiagonals: true });
    const estimatesB = await inline.estimates({ includeDiagonals: true });
    expect(Buffer.from(estimatesA.estimates[0]!.diagonal!.buffer).equals(Buffer.from(estimatesB.estimates[0]!.diagonal!.buffer))).toBe(true);
    // 4 steps of 4·B·D bytes went through the request file, 4 updates of 4·D bytes and the estimates through the reply file.
    const received = (await metric(daemon, 'fisherd_shared_memory_bytes_total{direction="received"}')) - before.received;
    const sent = (await metric(daemon, 'fisherd_shared_memory_bytes_total{direction="sent"}')) - before.sent;
    expect(received).toBeGreaterThan(4 * 4 * B * D);
    expect(sent).toBeGreaterThan(4 * 4 * D + 2 * 8 * D);
    await byRef.closeSession({ discard: true });
    await inline.closeSession({ discard: true });
    await byRef.close();
    await inline.close();
    await bystanderStillServed();
  });

  it('in a two-worker session each connection gets the update its own way; both equal a session in frames', async () => {
    const two: SessionConfig = { ...config, workers: 2 };
    const refWorker = await FisherdClient.connect(daemon.url, { sharedMemory: true, reconnect: false, workerId: 0 });
    const frameWorker = await FisherdClient.connect(daemon.url, { reconnect: false, workerId: 1 });
    const session = await refWorker.openSession(two);
    await frameWorker.resumeSession(session.sessionId);
    const plain0 = await FisherdClient.connect(daemon.url, { reconnect: false, workerId: 0 });
    const plain1 = await FisherdClient.connect(daemon.url, { reconnect: false, workerId: 1 });
    const plainSession = await plain0.openSession(two);
    await plain1.resumeSession(plainSession.sessionId);
    const got: UpdateData[][] = [[], [], [], []];
    for (let t = 1; t <= 3; t++) {
      const updates = await Promise.all([refWorker.step(input(t, 0)), frameWorker.step(input(t, 1)), plain0.step(input(t, 0)), plain1.step(input(t, 1))]);
      updates.forEach((u, i) => got[i]!.push(u));
    }
    for (let i = 1; i < 4; i++) sameUpdates(got[0]!, got[i]!);
    for (const c of [refWorker, frameWorker, plain0, plain1]) await c.close();
  });

  it('after a dropped connection the client offers new files on the new one and carries on by ref', async () => {
    const client = await FisherdClient.connect(daemon.url, { sharedMemory: true, reconnect: { retries: 5, minDelayMs: 20 } });
    const inline = await FisherdClient.connect(daemon.url, { reconnect: false });
    await client.openSession(config);
    await inline.openSession(config);
    const a = [await client.step(input(1))];
    const b = [await inline.step(input(1))];
    const old = (client as unknown as { ws: { terminate(): void; once(event: 'close', f: () => void): void } }).ws;
    const closed = new Promise<void>((resolve) => old.once('close', resolve)); // after the client's own listener
    old.terminate();
    await closed;
    a.push(await client.step(input(2)));
    b.push(await inline.step(input(2)));
    expect(client.sharedMemoryActive).toBe(true);
    a.push(await client.step(input(3)));
    b.push(await inline.step(input(3)));
    sameUpdates(a, b);
    expect(readdirSync(dir)).toEqual([]);
    await client.close();
    await inline.close();
  });

  it('refuses bad offers with SHARED_MEMORY_UNAVAILABLE naming the field; the connection goes on', async () => {
    const client = await RawClient.ready(daemon.url);
    const good = makeFiles(dir);
    const cases: [ClientMessageInit['sharedMemoryOffer'], RegExp][] = [
      [{ ...good, requestFile: '../etc/passwd' }, /requestFile/],
      [{ ...good, requestFile: 'fisherd-short' }, /requestFile/],
      [{ ...good, replyFile: 'fisherd-abcdefgh/../x' }, /replyFile/],
      [{ ...good, replyFile: good.requestFile }, /replyFile/],
      [{ ...good, nonce: new Uint8Array(8) }, /nonce/],
      [{ ...good, requestFile: fileName() }, /requestFile/], // missing file
      [{ ...good, nonce: randomBytes(32) }, /nonce/], // not what the files start with
    ];
    for (const [offer, field] of cases) expectError(await client.request({ sharedMemoryOffer: offer }), 'SHARED_MEMORY_UNAVAILABLE', field);

    // A symlink to a good file, a FIFO (the open must not block), a directory, a file with two links.
    const link = fileName();
    symlinkSync(good.request, join(dir, link));
    const fifo = fileName();
    execFileSync('mkfifo', [join(dir, fifo)]);
    const folder = fileName();
    mkdirSync(join(dir, folder));
    const hardlink = fileName();
    linkSync(good.reply, join(dir, hardlink));
    for (const [offer, pattern] of [
      [{ ...good, requestFile: link }, /symbolic link/],
      [{ ...good, requestFile: fifo }, /not a regular file/],
      [{ ...good, replyFile: folder }, /cannot open|not a regular file/],
      [{ ...good, replyFile: hardlink }, /2 links/],
    ] as const) {
      const reply = await client.request({ sharedMemoryOffer: offer });
      expectError(reply, 'SHARED_MEMORY_UNAVAILABLE');
      expect(reply.error!.message).toMatch(pattern);
    }
    for (const name of [link, fifo, hardlink]) rmSync(join(dir, name));
    rmSync(join(dir, folder), { recursive: true });

    // A ref before any offer was accepted.
    expectError(await client.request({ messageRef: { offset: 0, length: 10 } }), 'UNEXPECTED_MESSAGE', /messageRef/);
    // Still served: the offer of the good files is accepted now, and the daemon never removed a file.
    const accepted = await client.request({ sharedMemoryOffer: { requestFile: good.requestFile, replyFile: good.replyFile, nonce: good.nonce } });
    expect(accepted.kind, JSON.stringify(accepted)).toBe('sharedMemoryAccepted');
    expect(accepted.sharedMemoryAccepted).toMatchObject({ replyOffset: REPLY_OFFSET, replyThresholdBytes: REPLY_THRESHOLD_BYTES });
    expectError(await client.request({ sharedMemoryOffer: { requestFile: good.requestFile, replyFile: good.replyFile, nonce: good.nonce } }), 'UNEXPECTED_MESSAGE');
    expect(readFileSync(good.request).subarray(0, 32).equals(Buffer.from(good.nonce))).toBe(true);
    client.close();
    await client.closed;
    rmSync(good.request);
    rmSync(good.reply);
    await bystanderStillServed();
  });

  it('answers bad refs with typed errors and leaves the session as it was; a good ref then steps it', async () => {
    const client = await RawClient.ready(daemon.url);
    const files = makeFiles(dir);
    expect((await client.request({ sharedMemoryOffer: files })).kind).toBe('sharedMemoryAccepted');
    const opened = await client.request({ openSession: { config: sessionConfigToWire(config) } });
    expect(opened.kind).toBe('sessionOpened');
    const step1 = { step: contributionToWire({ ...input(1), workerId: 0 }) };

    // Past the end of the file: offset, then length.
    expectError(await client.request({ messageRef: { offset: 1 << 20, length: 1 } }), 'MALFORMED_FRAME', 'messageRef.offset');
    expectError(await client.request({ messageRef: { offset: 0, length: 4096 } }), 'MALFORMED_FRAME', 'messageRef.length');
    // Bytes that are no ClientMessage, and a well-formed message without a known kind: as for frames.
    writeAt(files.request, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x78, 0x01]), 8192);
    expectError(await client.request({ messageRef: { offset: 8192, length: 6 } }), 'MALFORMED_FRAME');
    expectError(await client.request({ messageRef: { offset: 8198, length: 2 } }), 'UNEXPECTED_MESSAGE');
    // A ref inside a ref, and an offer inside a ref.
    sendRef(client, files.request, { messageRef: { offset: 4096, length: 10 } }, 41);
    expectError(await client.next(), 'UNEXPECTED_MESSAGE', 'messageRef');
    sendRef(client, files.request, { sharedMemoryOffer: files }, 42);
    expectError(await client.next(), 'UNEXPECTED_MESSAGE', 'messageRef');
    // A bad step by ref: the same error as in a frame (a wrong length of rows), the session unchanged.
    sendRef(client, files.request, { step: contributionToWire({ ...input(1), workerId: 0, perExampleGrads: new Float32Array(B * D - 1) }) }, 43);
    const bad = await client.next();
    expectError(bad, 'SHAPE_MISMATCH');
    expect(bad.requestId).toBe(43);
    // Step 1 by ref: its update comes back through the reply file.
    sendRef(client, files.request, step1, 44);
    const first = readRef(files.reply, await client.next());
    expect(first.requestId).toBe(44);
    expect(first.update?.step).toBe(1);
    // The client truncates its file: a ref past the new end is refused, and nothing faults.
    truncateSync(files.request, 100);
    expectError(await client.request({ messageRef: { offset: 4096, length: 1000 } }), 'MALFORMED_FRAME', 'messageRef.offset');
    expectError(await client.request({ messageRef: { offset: 50, length: 1000 } }), 'MALFORMED_FRAME', 'messageRef.length');

    // Step 2 by ref: the update in the reply file, equal to a frame client's step 2 after the same step 1.
    sendRef(client, files.request, { step: contributionToWire({ ...input(2), workerId: 0 }) }, 45);
    const second = readRef(files.reply, await client.next());
    expect(second.requestId).toBe(45);
    expect(second.update?.step).toBe(2);
    const reference = await FisherdClient.connect(daemon.url, { reconnect: false });
    await reference.openSession(config);
    await reference.step(input(1));
    const expected = await reference.step(input(2));
    expect(Buffer.from(second.update!.delta!).equals(Buffer.from(expected.delta.buffer, expected.delta.byteOffset, expected.delta.byteLength))).toBe(true);
    // A small reply to a ref'd request (estimates without diagonals) is a frame.
    sendRef(client, files.request, { estimatesRequest: { topK: 1 } }, 46);
    const small = await client.next();
    expect(small.kind).toBe('estimates');
    expect(small.requestId).toBe(46);
    await reference.close();
    client.close();
    await client.closed;
    // The daemon closed its descriptors and removed nothing.
    expect(existsSync(files.request) && existsSync(files.reply)).toBe(true);
    rmSync(files.request);
    rmSync(files.reply);
    await bystanderStillServed();
  });

  it('a ref above --max-frame-bytes is FRAME_TOO_LARGE and closes with 1009, as a frame would', async () => {
    const client = await RawClient.ready(daemon.url);
    const files = makeFiles(dir);
    expect((await client.request({ sharedMemoryOffer: files })).kind).toBe('sharedMemoryAccepted');
    client.send({ messageRef: { offset: 0, length: MAX_FRAME + 1 } });
    expectError(await client.next(), 'FRAME_TOO_LARGE', 'messageRef.length');
    expect((await client.closed).code).toBe(1009);
    rmSync(files.request);
    rmSync(files.reply);
    await bystanderStillServed();
  });

  it('a daemon with shared memory off names no directory and refuses offers; the client falls back to frames', async () => {
    const off = await startDaemon(['--shared-memory', 'off']);
    try {
      const raw = await RawClient.connect(off.url);
      expect((await raw.request({ hello: { protocolVersion: 1 } })).welcome?.sharedMemoryDir).toBe('');
      expectError(await raw.request({ sharedMemoryOffer: makeFiles(dir) }), 'SHARED_MEMORY_UNAVAILABLE', 'sharedMemoryOffer');
      raw.close();
      const client = await FisherdClient.connect(off.url, { sharedMemory: true, reconnect: false, logger: createLogger({ level: 'silent' }) });
      expect(client.sharedMemoryActive).toBe(false);
      await client.openSession(config);
      expect((await client.step(input(1))).step).toBe(1);
      await client.close();
    } finally {
      expect(await off.kill('SIGTERM')).toBe(0);
      for (const name of readdirSync(dir)) rmSync(join(dir, name));
    }
  });

  it('a --shared-memory-dir that is not a directory stops the start, naming the option', async () => {
    const missing = join(dir, 'no-such-dir');
    await expect(startDaemon(['--shared-memory-dir', missing])).rejects.toThrow(/--shared-memory-dir \/ FISHERD_SHARED_MEMORY_DIR: .*no-such-dir is not a usable directory \(ENOENT\)/);
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    await expect(startDaemon(['--shared-memory-dir', file])).rejects.toThrow(/a-file is not a usable directory \(not a directory\)/);
    rmSync(file);
  });

  it('a client in another container (the directory not shared) is refused by the nonce check and uses frames', async () => {
    // The client's view of the directory is another directory of the same name elsewhere: the daemon does
    // not find the files there (or finds others, without the nonce).
    const elsewhere = tempDir('fisherd-shm-elsewhere-');
    const client = await FisherdClient.connect(daemon.url, { sharedMemory: { dir: elsewhere }, reconnect: false, logger: createLogger({ level: 'silent' }) });
    expect(client.sharedMemoryActive).toBe(false);
    await client.openSession(config);
    expect((await client.step(input(1))).step).toBe(1);
    await client.close();
    expect(readdirSync(elsewhere)).toEqual([]); // the refused files were removed by the client
  });
});

describe('shared memory: recording', () => {
  it('records the same contribution bytes for a step by ref as for a step in a frame', async () => {
    const contributions = new Map<string, Uint8Array[]>();
    const openTraceSink = async (traceDir: string): Promise<TraceSink> => {
      const kept: Uint8Array[] = [];
      contributions.set(traceDir, kept);
      return {
        dir: traceDir,
        appendContribution: async (bytes) => void kept.push(bytes.slice()),
        appendUpdate: async () => undefined,
        close: async () => undefined,
      };
    };
    const logger = createLogger({ level: 'silent' });
    const options = resolveServeOptions({ port: '0', dataDir: tempDir('fisherd-shm-rec-'), dashboard: 'off', heartbeatMs: '0', sharedMemoryDir: shmDir() }, {});
    const daemon: Daemon = await startInProcess(options, { engines: await createSessionEngineFactory('reference', logger), logger, openTraceSink });
    try {
      const url = `ws://127.0.0.1:${daemon.address.port}`;
      const byRef = await FisherdClient.connect(url, { sharedMemory: true, reconnect: false, logger });
      const inline = await FisherdClient.connect(url, { reconnect: false });
      expect(byRef.sharedMemoryActive).toBe(true);
      const a = await byRef.openSession({ ...config, record: true });
      const b = await inline.openSession({ ...config, record: true });
      for (let t = 1; t <= 3; t++) {
        await byRef.step(input(t));
        await inline.step(input(t));
      }
      const [recordedA, recordedB] = [a, b].map((s) => [...contributions.entries()].find(([k]) => k.includes(s.sessionId))![1]);
      expect(recordedA).toHaveLength(3);
      for (let i = 0; i < 3; i++) expect(Buffer.from(recordedA![i]!).equals(Buffer.from(recordedB![i]!))).toBe(true);
      expect(Buffer.from(recordedA![0]!).equals(Buffer.from(wire.StepContribution.encode(contributionToWire({ ...input(1), workerId: 0 })).finish()))).toBe(true);
      await byRef.close();
      await inline.close();
    } finally {
      await daemon.close();
    }
  });
});
