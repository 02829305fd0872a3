/**
 * End to end, real daemon process: admission control (issue "one small frame must never freeze the
 * daemon"). Tiny, valid-looking frames that state huge sizes — W = 2³²−1, D = 2³²−1, a rank far above D,
 * a diagonal session too large for the memory budget, an estimates request for D-length diagonals — each
 * get a typed error naming the field and the number, at once; the daemon stays alive, `/livez` answers
 * within 1 s throughout, and its RSS stays under a stated bound. Every limit is tried just inside and just
 * outside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FisherdClient } from '../../clients/ts/src/index.js';
import { sessionConfigToWire } from '../../src/protocol/config-codec.js';
import { errorCodeFromWire, type ServerMessage } from '../../src/protocol/frames.js';
import { contributionToWire } from '../../src/protocol/step-codec.js';
import { validateSessionConfig, type SessionConfig } from '../../src/session/config.js';
import { sessionMemoryBytes } from '../../src/session/limits.js';
import { startDaemon, type RunningDaemon } from './daemon-harness.js';
import { watchDaemon } from './hostile-watch.js';
import { RawClient } from './raw-client.js';

const MiB = 1024 * 1024;
/** The daemon's RSS may grow by at most this much over a hostile case (it starts near 100 MiB). */
const RSS_GROWTH_BOUND = 150 * MiB;

function expectError(message: ServerMessage, code: string, field?: string | RegExp): string {
  expect(message.kind, JSON.stringify(message).slice(0, 300)).toBe('error');
  expect(errorCodeFromWire(message.error!.code ?? 0)).toBe(code);
  if (field !== undefined) expect(message.error!.field).toMatch(field);
  return message.error!.message ?? '';
}

async function openReply(client: RawClient, config: SessionConfig): Promise<ServerMessage> {
  return client.request({ openSession: { config: sessionConfigToWire(config) } });
}

/** The reference backend (the harness's) stores float64: what the daemon charges for `config`. */
function charge(config: SessionConfig): number {
  return sessionMemoryBytes(validateSessionConfig(config), { storageBytes: 8 }).bytes;
}

describe('fisherd daemon: admission control', () => {
  const budgetConfig: SessionConfig = { dim: 100_000, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 }, track: { noise: true } };
  const budget = charge(budgetConfig);
  let daemon: RunningDaemon;
  let client: RawClient;

  beforeAll(async () => {
    daemon = await startDaemon(['--max-memory', String(budget), '--max-reply-bytes', '4096']);
    client = await RawClient.ready(daemon.url);
  });

  afterAll(async () => {
    await client?.close();
    expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('tiny frames with huge sizes: INVALID_CONFIG naming the field, at once, the daemon unmoved', async () => {
    const watch = watchDaemon(daemon);
    const sgd = { name: 'sgd', stepSize: 0.1 } as const;
    const cases: { config: SessionConfig; field: string }[] = [
      { config: { dim: 4, optimizer: sgd, workers: 2 ** 32 - 1 }, field: 'workers' },
      { config: { dim: 4, optimizer: sgd, workers: 1025 }, field: 'workers' },
      { config: { dim: 2 ** 32 - 1, optimizer: sgd }, field: 'dim' },
      { config: { dim: 2 ** 30 + 1, optimizer: sgd }, field: 'dim' },
      { config: { dim: 16, structure: { kind: 'lowrank', rank: 2 ** 32 - 1 }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } }, field: 'structure.rank' },
      { config: { dim: 16, structure: { kind: 'lowrank', rank: 17 }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 } }, field: 'structure.rank' },
      { config: { dim: 8193, structure: { kind: 'full' }, optimizer: sgd }, field: 'structure' },
      { config: { dim: 4, optimizer: { name: 'sgd', stepSize: 1e-40 } }, field: 'optimizer.stepSize' },
    ];
    for (const { config, field } of cases) {
      const started = performance.now();
      const message = expectError(await openReply(client, config), 'INVALID_CONFIG', field);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(message).toMatch(/\d/);
    }
    // The connection is still usable, and just inside each limit opens.
    const inside = expect((await openReply(client, { dim: 16, structure: { kind: 'lowrank', rank: 16 }, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 }, workers: 1024 })).kind);
    inside.toBe('sessionOpened');
    expect((await client.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');
    // A fisherSource the daemon does not know (9) is refused, not defaulted.
    const wire = { ...sessionConfigToWire({ dim: 4, optimizer: sgd }), fisherSource: 9 as never };
    expectError(await client.request({ openSession: { config: wire } }), 'INVALID_CONFIG', 'fisherSource');
    const seen = await watch.stop();
    console.log(`admission, tiny frames with huge sizes: worst /livez ${seen.worstLivezMs.toFixed(0)} ms, RSS ${(seen.startRssBytes / MiB).toFixed(0)} → peak ${(seen.peakRssBytes / MiB).toFixed(0)} MiB`);
    expect(seen.livezFailures).toBe(0);
    expect(seen.worstLivezMs).toBeLessThan(1000);
    expect(seen.peakRssBytes - seen.startRssBytes).toBeLessThan(RSS_GROWTH_BOUND);
  });

  it('the memory budget: a session of exactly the budget opens, one byte over does not; a second waits for the first', async () => {
    const watch = watchDaemon(daemon);
    const metrics = async () => (await fetch(`${daemon.http}/metrics`)).text();
    expect(await metrics()).toMatch(new RegExp(`fisherd_memory_budget_bytes ${budget}\\b`));
    // Too large for the whole budget: INVALID_CONFIG naming the field weighing most and the numbers.
    const huge = expectError(await openReply(client, { dim: 2 ** 30, optimizer: { name: 'efgd', stepSize: 0.1, damping: 1e-3 } }), 'INVALID_CONFIG', 'dim');
    expect(huge).toContain('--max-memory');
    expect(huge).toMatch(/GiB/);
    // Exactly the budget: opens.
    expect((await openReply(client, budgetConfig)).kind).toBe('sessionOpened');
    expect(await metrics()).toMatch(new RegExp(`fisherd_memory_reserved_bytes ${budget}\\b`));
    // Anything more now: BACKPRESSURE, naming what is free.
    const other = await RawClient.ready(daemon.url);
    const small: SessionConfig = { dim: 10, optimizer: { name: 'sgd', stepSize: 0.1 } };
    expect(expectError(await openReply(other, small), 'BACKPRESSURE', 'dim')).toMatch(/free/);
    // The first one leaves (discarded: evicted at once); the second one fits.
    expect((await client.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');
    expect(await metrics()).toMatch(/fisherd_memory_reserved_bytes 0\b/);
    expect((await openReply(other, small)).kind).toBe('sessionOpened');
    expect((await other.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');
    await other.close();
    // One byte over the budget: refused as never fitting.
    const over: SessionConfig = { ...budgetConfig, dim: budgetConfig.dim + 1 };
    expect(charge(over)).toBeGreaterThan(budget);
    expectError(await openReply(client, over), 'INVALID_CONFIG');
    const seen = await watch.stop();
    console.log(`admission, memory budget: worst /livez ${seen.worstLivezMs.toFixed(0)} ms, RSS ${(seen.startRssBytes / MiB).toFixed(0)} → peak ${(seen.peakRssBytes / MiB).toFixed(0)} MiB`);
    expect(seen.worstLivezMs).toBeLessThan(1000);
    expect(seen.peakRssBytes - seen.startRssBytes).toBeLessThan(RSS_GROWTH_BOUND);
  });

  it('estimates with diagonals: bounded by --max-reply-bytes, read in ranges, one at a time per connection', async () => {
    const D = 2000;
    // sgd tracking the EF: 2 D-length arrays (EF diagonal and ḡ), 16 bytes a coordinate: 256 fit in 4096.
    expect((await openReply(client, { dim: D, optimizer: { name: 'sgd', stepSize: 0.1 }, track: { empiricalFisher: true } })).kind).toBe('sessionOpened');
    const rows = Float32Array.from({ length: 3 * D }, (_, i) => Math.sin(0.7 * i) * (1 + (i % 5)));
    const stepped = await client.request({ step: contributionToWire({ step: 1, workerId: 0, batchSize: 3, reduction: 'sum', perExampleGrads: rows }) });
    expect(stepped.kind).toBe('update');

    const whole = expectError(await client.request({ estimatesRequest: { includeDiagonals: true } }), 'INVALID_CONFIG', 'estimatesRequest.diagonalLength');
    expect(whole).toContain('at most 256 coordinates');
    expectError(await client.request({ estimatesRequest: { includeDiagonals: true, diagonalOffset: 0, diagonalLength: 257 } }), 'INVALID_CONFIG', 'estimatesRequest.diagonalLength');
    expectError(await client.request({ estimatesRequest: { includeDiagonals: true, diagonalOffset: D - 10, diagonalLength: 11 } }), 'INVALID_CONFIG', 'estimatesRequest.diagonalLength');
    const part = await client.request({ estimatesRequest: { includeDiagonals: true, diagonalOffset: 256, diagonalLength: 256 } });
    expect(part.kind).toBe('estimates');
    expect(part.estimates!.diagonalOffset).toBe(256);
    // Without diagonals, any D: no limit.
    expect((await client.request({ estimatesRequest: { topK: 3 } })).kind).toBe('estimates');

    // Two at once on one connection: the second is refused while the first is answered.
    const [first, second] = client.sendTogether([
      { estimatesRequest: { includeDiagonals: true, diagonalLength: 256 } },
      { estimatesRequest: { includeDiagonals: true, diagonalLength: 256 } },
    ]);
    const replies = [await client.next(), await client.next()];
    const byId = new Map(replies.map((r) => [r.requestId, r]));
    expect(byId.get(first)?.kind).toBe('estimates');
    expectError(byId.get(second)!, 'BACKPRESSURE', 'estimatesRequest.includeDiagonals');
    expect((await client.request({ closeSession: { discard: true } })).kind).toBe('sessionClosed');

    // The TypeScript client reads a large D in ranges by itself and puts them together: EF diagonal = (1/b) Σ g².
    const ts = await FisherdClient.connect(daemon.url);
    await ts.openSession({ dim: D, optimizer: { name: 'sgd', stepSize: 0.1 }, track: { empiricalFisher: true } });
    await ts.step({ batchSize: 3, reduction: 'sum', perExampleGrads: rows });
    const estimates = await ts.estimates({ includeDiagonals: true, maxReplyBytes: 4096 });
    const diagonal = estimates.estimates.find((e) => e.kind === 'empiricalFisher')!.diagonal!;
    expect(diagonal.length).toBe(D);
    for (let j = 0; j < D; j++) {
      let sum = 0;
      for (let n = 0; n < 3; n++) sum += rows[n * D + j]! ** 2;
      expect(Math.abs(diagonal[j]! - sum / 3)).toBeLessThanOrEqual(1e-12 * Math.max(1, sum));
    }
    expect(estimates.meanGrad!.length).toBe(D);
    await ts.closeSession({ discard: true });
    await ts.close();
  });
});
