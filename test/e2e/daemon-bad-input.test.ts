/**
 * End to end, real daemon process: every kind of bad input gets a typed Error frame naming the problem,
 * a rejected step leaves the session exactly as it was, and the daemon keeps serving everyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient } from '../../clients/ts/src/index.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { errorCodeFromWire, PROTOCOL_VERSION, type ServerMessage } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import type { SessionConfig } from '../../src/session/config.js';
import type { StepContribution } from '../../src/session/contribution.js';
import { startDaemon, type RunningDaemon } from './daemon-harness.js';
import { RawClient } from './raw-client.js';

const D = 8;
const MAX_FRAME = 64 * 1024;

function expectError(message: ServerMessage, code: string, field?: RegExp): void {
  expect(message.kind, JSON.stringify(message)).toBe('error');
  expect(errorCodeFromWire(message.error!.code ?? 0)).toBe(code);
  expect(message.error!.message?.length).toBeGreaterThan(10);
  if (field) expect(message.error!.field).toMatch(field);
}

const efgd: SessionConfig = { dim: D, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-2 } };

function contribution(step: number, overrides: Partial<StepContribution> = {}): StepContribution {
  return {
    step, workerId: 0, batchSize: 2, reduction: 'sum',
    perExampleGrads: Float32Array.from({ length: 2 * D }, (_, i) => Math.cos(i + step)),
    ...overrides,
  };
}

async function open(client: RawClient, config: SessionConfig): Promise<string> {
  const reply = await client.request({ openSession: { config: sessionConfigToWire(config) } });
  expect(reply.kind, JSON.stringify(reply)).toBe('sessionOpened');
  return reply.sessionOpened!.sessionId ?? '';
}

describe('fisherd daemon: bad input', () => {
  let daemon: RunningDaemon;
  let healthy: FisherdClient;
  let healthySteps = 0;

  /** The bystander session keeps stepping between the bad inputs. */
  async function bystanderStillServed(): Promise<void> {
    const update = await healthy.step({ batchSize: 1, reduction: 'sum', meanGrad: new Float32Array(D).fill(1) });
    expect(update.step).toBe(++healthySteps);
  }

  beforeAll(async () => {
    daemon = await startDaemon(['--max-frame-bytes', String(MAX_FRAME)]);
    healthy = await FisherdClient.connect(daemon.url);
    await healthy.openSession({ dim: D, optimizer: { name: 'sgd', stepSize: 1 } });
  });

  afterAll(async () => {
    await healthy.close();
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('answers malformed frames, text frames, unknown messages and messages out of protocol order', async () => {
    const client = await RawClient.connect(daemon.url);
    client.sendRaw(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])); // a length far past the end
    expectError(await client.next(), 'MALFORMED_FRAME');
    client.sendRaw('hello?');
    expectError(await client.next(), 'MALFORMED_FRAME');
    client.sendRaw(new Uint8Array([0x78, 0x01])); // field 15 only: well-formed, but no known message
    expectError(await client.next(), 'UNEXPECTED_MESSAGE');
    expectError(await client.request({ step: contributionToWire(contribution(1)) }), 'UNEXPECTED_MESSAGE');
    expect((await client.request({ hello: { protocolVersion: PROTOCOL_VERSION } })).kind).toBe('welcome');
    expectError(await client.request({ hello: { protocolVersion: PROTOCOL_VERSION } }), 'UNEXPECTED_MESSAGE');
    expectError(await client.request({ estimatesRequest: {} }), 'UNEXPECTED_MESSAGE');
    client.close();
    await bystanderStillServed();
  });

  it('refuses another protocol version and closes with 1002', async () => {
    const client = await RawClient.connect(daemon.url);
    expectError(await client.request({ hello: { protocolVersion: PROTOCOL_VERSION + 1 } }), 'UNSUPPORTED_VERSION', /protocolVersion/);
    expect((await client.closed).code).toBe(1002);
    await bystanderStillServed();
  });

  it('refuses unknown sessions and unworkable configs, naming the field', async () => {
    const client = await RawClient.ready(daemon.url);
    expectError(await client.request({ openSession: { sessionId: '0123456789abcdef0123456789abcdef' } }), 'UNKNOWN_SESSION');
    expectError(await client.request({ openSession: { sessionId: '../../etc/passwd' } }), 'UNKNOWN_SESSION');
    expectError(await client.request({ openSession: {} }), 'INVALID_CONFIG', /config/);
    const negativeDamping = { ...efgd, optimizer: { name: 'efgd' as const, stepSize: 0.1, damping: -1 } };
    expectError(await client.request({ openSession: { config: sessionConfigToWire(negativeDamping) } }), 'INVALID_CONFIG', /damping/);
    const rankZero: SessionConfig = { ...efgd, structure: { kind: 'lowrank', rank: 0 } };
    expectError(await client.request({ openSession: { config: sessionConfigToWire(rankZero) } }), 'INVALID_CONFIG', /rank/);
    const blocksTooSmall: SessionConfig = { ...efgd, blocks: [{ name: 'w', size: D - 1, structure: { kind: 'diagonal' } }] };
    expectError(await client.request({ openSession: { config: sessionConfigToWire(blocksTooSmall) } }), 'INVALID_CONFIG', /blocks/);
    client.close();
    await bystanderStillServed();
  });

  it('rejects bad steps with typed errors and leaves the session exactly as it was', async () => {
    const client = await RawClient.ready(daemon.url);
    await open(client, efgd);
    const first = await client.request({ step: contributionToWire(contribution(1)) });
    expect(first.kind).toBe('update');
    const estimatesRequest = { estimatesRequest: { includeDiagonals: true, topK: 3 } };
    const before = await client.request(estimatesRequest);
    expect(before.kind).toBe('estimates');

    const bad: [StepContribution, string, RegExp][] = [
      [contribution(2, { perExampleGrads: new Float32Array(2 * D + 1) }), 'SHAPE_MISMATCH', /perExampleGrads/],
      [contribution(2, { batchSize: 3 }), 'SHAPE_MISMATCH', /perExampleGrads/],
      [contribution(2, { perExampleGrads: Float32Array.from({ length: 2 * D }, (_, i) => (i === 5 ? NaN : 1)) }), 'NON_FINITE', /perExampleGrads/],
      [contribution(2, { perExampleGrads: Float32Array.from({ length: 2 * D }, (_, i) => (i === 7 ? -Infinity : 1)) }), 'NON_FINITE', /perExampleGrads/],
      [contribution(3), 'STEP_OUT_OF_ORDER', /step/],
      [contribution(1), 'STEP_OUT_OF_ORDER', /step/],
      [contribution(2, { workerId: 1 }), 'BAD_WORKER', /workerId/],
      [contribution(2, { perExampleGrads: undefined, meanGrad: new Float32Array(D) }), 'MISSING_INPUT', /perExampleGrads/],
    ];
    for (const [c, code, field] of bad) expectError(await client.request({ step: contributionToWire(c) }), code, field);
    const noReduction = { ...contributionToWire(contribution(2)), reduction: 0 };
    expectError(await client.request({ step: noReduction }), 'INVALID_CONFIG', /reduction/);
    const misaligned = { ...contributionToWire(contribution(2)), perExampleGrads: new Uint8Array(4 * 2 * D - 2) };
    expectError(await client.request({ step: misaligned }), 'SHAPE_MISMATCH', /perExampleGrads/);

    // Nothing changed: the same estimates, bit for bit, and step 2 is still the next one.
    const after = await client.request(estimatesRequest);
    expect(after.kind).toBe('estimates');
    expect(Buffer.from(after.estimates!.estimates![0]!.diagonal!)).toEqual(Buffer.from(before.estimates!.estimates![0]!.diagonal!));
    expect(after.estimates!.step).toBe(1);
    const second = await client.request({ step: contributionToWire(contribution(2)) });
    expect(second.kind).toBe('update');
    expect(second.update!.step).toBe(2);

    // A session that never saw the bad steps computes the very same update.
    const reference = await RawClient.ready(daemon.url);
    await open(reference, efgd);
    await reference.request({ step: contributionToWire(contribution(1)) });
    const referenceSecond = await reference.request({ step: contributionToWire(contribution(2)) });
    expect(Buffer.from(second.update!.delta!)).toEqual(Buffer.from(referenceSecond.update!.delta!));
    client.close();
    reference.close();
    await bystanderStillServed();
  });

  it('refuses a second contribution of one worker to a step', async () => {
    const client = await RawClient.ready(daemon.url);
    await open(client, { ...efgd, workers: 2 });
    client.send({ step: contributionToWire(contribution(1, { workerId: 0 })) });
    expectError(await client.request({ step: contributionToWire(contribution(1, { workerId: 0 })) }), 'BAD_WORKER', /workerId/);
    expectError(await client.request({ step: contributionToWire(contribution(1, { workerId: 2 })) }), 'BAD_WORKER', /workerId/);
    client.send({ step: contributionToWire(contribution(1, { workerId: 1 })) });
    // The step completes with workers 0 and 1: two updates, one per contribution.
    expect((await client.next()).kind).toBe('update');
    expect((await client.next()).kind).toBe('update');
    client.close();
    await bystanderStillServed();
  });

  it('closes a connection that sends an oversized frame with 1009 (FRAME_TOO_LARGE) and keeps serving', async () => {
    const client = await RawClient.ready(daemon.url);
    await open(client, efgd);
    client.send({ step: contributionToWire(contribution(1, { batchSize: 4096, perExampleGrads: new Float32Array(4096 * D) })) });
    expect((await client.closed).code).toBe(1009);
    await bystanderStillServed();
    const metrics = await (await fetch(`${daemon.http}/metrics`)).text();
    expect(metrics).toMatch(/fisherd_errors_total\{code="FRAME_TOO_LARGE"\} 1/);
    expect(metrics).toMatch(/fisherd_errors_total\{code="NON_FINITE"\} 2/);
  });
});
