/**
 * The dashboard's per-layer (K-FAC) view, server side: the feed turns an update's `layer.<name>.*`
 * diagnostics into the latest step's per-layer table and a per-step cosine series; the hub keeps the
 * table of the latest step only, the history bounded (historyLimit steps × maxLayerSeries cosines
 * however many layers), and pushes both to the pages; sessions without Kronecker blocks get neither.
 * The keys are the ones a real session engine sends for a two-layer Kronecker session.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../../src/log.js';
import { DashboardHub } from '../../src/server/dashboard/dashboard-hub.js';
import {
  createDashboardFeed, DEFAULT_MAX_LAYER_SERIES, kroneckerLayerNames, layersOfOutcome, stepOfOutcome,
} from '../../src/server/dashboard/dashboard-feed.js';
import type { DashboardMessage } from '../../src/server/dashboard/messages.js';
import { createSessionEngineFactory } from '../../src/server/session-adapter.js';
import type { StepOutcome } from '../../src/server/session-engine.js';
import type { SessionConfig } from '../../src/session/config.js';
import { kroneckerStatisticsFromPairs } from '../../src/session/kronecker-statistics.js';

const logger = createLogger({ level: 'silent' });

const outcomeOf = (step: number, values: Record<string, number>): StepOutcome => ({
  step, delta: new Float32Array(1), diagnostics: { batchSize: 4, updateNorm: 0.5, computeSeconds: 0.001, values: { gradNorm: 1, ...values } },
});

/** The per-layer values of `names`, each layer's numbers distinct (layer i, step s: cosine (i + s/1000)/100). */
function layerValues(names: readonly string[], step: number): Record<string, number> {
  const v: Record<string, number> = {};
  names.forEach((name, i) => {
    v[`layer.${name}.cosineEfFisher`] = (i + step / 1000) / 100;
    v[`layer.${name}.fisher.trace`] = 10 + i;
    for (let k = 1; k <= 3; k++) v[`layer.${name}.fisher.top${k}`] = (10 + i) / (k + 1);
    v[`layer.${name}.empiricalFisher.trace`] = 20 + i;
    for (let k = 1; k <= 3; k++) v[`layer.${name}.empiricalFisher.top${k}`] = (20 + i) / (k + 1);
    v[`layer.${name}.basisVersion`] = Math.floor(step / 5);
    v[`layer.${name}.factorUpdates`] = step;
  });
  return v;
}

function kfacConfig(names: readonly string[]): SessionConfig {
  return {
    dim: names.length * 2 * 3,
    blocks: names.map((name) => ({ name, size: 6, structure: { kind: 'kronecker' as const, outputs: 2, inputs: 2, bias: true } })),
    optimizer: { name: 'ngd', stepSize: 0.1, damping: 0.01 }, emaDecay: 0.9, track: { empiricalFisher: true, fisher: true },
  };
}

const servers: Array<{ hub: DashboardHub; server: Server }> = [];
afterEach(async () => {
  for (const { hub, server } of servers.splice(0)) {
    hub.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A hub behind a real HTTP server, and one page socket collecting its messages. */
async function hubWithViewer(historyLimit: number): Promise<{ hub: DashboardHub; messages: DashboardMessage[]; ws: WebSocket }> {
  const hub = new DashboardHub({ logger, historyLimit, flushIntervalMs: 10, pingIntervalMs: 0 });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ hub, server });
  const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard/ws`);
  const messages: DashboardMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as DashboardMessage));
  await new Promise((resolve) => ws.once('open', resolve));
  return { hub, messages, ws };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('dashboard per-layer (K-FAC) values', () => {
  it('groups an update’s layer.<name>.* values by layer, in the session’s block order (names may hold dots)', () => {
    const names = ['enc.fc1', 'head'];
    const config = kfacConfig(names);
    expect(kroneckerLayerNames(config)).toEqual(names);
    expect(kroneckerLayerNames({ dim: 6, structure: { kind: 'kronecker', outputs: 2, inputs: 2, bias: true }, optimizer: { name: 'sgd', stepSize: 1 } })).toEqual(['params']);
    expect(kroneckerLayerNames({ dim: 6, optimizer: { name: 'sgd', stepSize: 1 } })).toEqual([]);
    // Keys listed head first, top eigenvalues out of order, plus a key a later daemon might add.
    const values = Object.fromEntries(Object.entries(layerValues(names, 7)).reverse());
    values['layer.head.somethingNew'] = 5;
    const layers = layersOfOutcome(outcomeOf(7, values), kroneckerLayerNames(config));
    expect(layers).toEqual({
      step: 7,
      layers: [
        { name: 'enc.fc1', cosineEfFisher: (0 + 7 / 1000) / 100, fisher: { trace: 10, top: [5, 10 / 3, 2.5] }, empiricalFisher: { trace: 20, top: [10, 20 / 3, 5] }, basisVersion: 1, factorUpdates: 7 },
        { name: 'head', cosineEfFisher: (1 + 7 / 1000) / 100, fisher: { trace: 11, top: [5.5, 11 / 3, 2.75] }, empiricalFisher: { trace: 21, top: [10.5, 7, 5.25] }, basisVersion: 1, factorUpdates: 7 },
      ],
    });
    // Only the Fisher tracked: no cosine, no EF.
    const fisherOnly = layersOfOutcome(outcomeOf(1, { 'layer.fc.fisher.trace': 3, 'layer.fc.fisher.top1': 2, 'layer.fc.basisVersion': 0, 'layer.fc.factorUpdates': 1 }), ['fc']);
    expect(fisherOnly).toEqual({ step: 1, layers: [{ name: 'fc', fisher: { trace: 3, top: [2] }, basisVersion: 0, factorUpdates: 1 }] });
    expect(stepOfOutcome(outcomeOf(1, {}), 5, fisherOnly)).not.toHaveProperty('layerCosine');
    // A session without Kronecker blocks: nothing new.
    expect(layersOfOutcome(outcomeOf(3, { cosineEfFisher: 0.9 }))).toBeUndefined();
    expect(stepOfOutcome(outcomeOf(3, { cosineEfFisher: 0.9 }), 5)).not.toHaveProperty('layerCosine');
  });

  it('keeps the cosine of the first maxLayerSeries layers per step, the whole table for the latest step only, the history bounded', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `blk${String(i).padStart(2, '0')}`);
    const config = kfacConfig(names);
    const { hub, messages, ws } = await hubWithViewer(8);
    const feed = createDashboardFeed(hub, { logger });
    const id = 'a'.repeat(32);
    feed.onOpen({ sessionId: id, config, resumedStep: 0 });
    await until(() => messages.some((m) => m.type === 'open'));
    for (let step = 1; step <= 1000; step++) feed.onStep({ sessionId: id, config, outcome: outcomeOf(step, layerValues(names, step)) });

    const state = hub.snapshot().sessions[0]!;
    expect(state.steps.length).toBeLessThanOrEqual(9); // historyLimit, plus the latest when it was not kept
    for (const s of state.steps) {
      expect(Object.keys(s.layerCosine ?? {})).toEqual(names.slice(0, DEFAULT_MAX_LAYER_SERIES));
      expect(s.layerCosine!['blk03']).toBeCloseTo((3 + s.step / 1000) / 100, 15);
    }
    expect(state.steps[state.steps.length - 1]!.step).toBe(1000);
    expect(state.layers?.step).toBe(1000);
    expect(state.layers?.layers.map((l) => l.name)).toEqual(names); // the table lists every layer
    expect(state.layers?.layers[39]).toEqual({
      name: 'blk39', cosineEfFisher: (39 + 1000 / 1000) / 100, fisher: { trace: 49, top: [24.5, 49 / 3, 12.25] },
      empiricalFisher: { trace: 59, top: [29.5, 59 / 3, 14.75] }, basisVersion: 200, factorUpdates: 1000,
    });
    // Memory: the history holds 9 × 16 cosines, not 1000 × 40 × 11 values: the snapshot stays small.
    const bytes = JSON.stringify(hub.snapshot()).length;
    expect(bytes).toBeLessThan(20_000);

    // The page got the steps (thinned per flush) and the latest table with them.
    await until(() => messages.some((m) => m.type === 'steps' && m.layers?.step === 1000));
    const pushed = messages.filter((m): m is Extract<DashboardMessage, { type: 'steps' }> => m.type === 'steps');
    expect(pushed.every((m) => m.layers === undefined || m.layers.layers.length === 40)).toBe(true);
    expect(pushed.flatMap((m) => m.steps).every((s) => Object.keys(s.layerCosine ?? {}).length === 16)).toBe(true);
    ws.close();
  });

  it('takes maxLayerSeries from the options (0: no per-layer series, the table still there) and rejects a bad one', () => {
    const hub = new DashboardHub({ logger, flushIntervalMs: 1000, pingIntervalMs: 0 });
    try {
      const names = ['a', 'b', 'c'];
      const feed = createDashboardFeed(hub, { maxLayerSeries: 2 });
      feed.onOpen({ sessionId: '1'.repeat(32), config: kfacConfig(names), resumedStep: 0 });
      feed.onStep({ sessionId: '1'.repeat(32), config: kfacConfig(names), outcome: outcomeOf(1, layerValues(names, 1)) });
      const none = createDashboardFeed(hub, { maxLayerSeries: 0 });
      none.onOpen({ sessionId: '2'.repeat(32), config: kfacConfig(names), resumedStep: 0 });
      none.onStep({ sessionId: '2'.repeat(32), config: kfacConfig(names), outcome: outcomeOf(1, layerValues(names, 1)) });
      const [two, zero] = hub.snapshot().sessions;
      expect(Object.keys(two!.steps[0]!.layerCosine!)).toEqual(['a', 'b']);
      expect(zero!.steps[0]).not.toHaveProperty('layerCosine');
      expect(zero!.layers?.layers).toHaveLength(3);
      expect(() => createDashboardFeed(hub, { maxLayerSeries: -1 })).toThrow(RangeError);
      expect(() => createDashboardFeed(hub, { maxLayerSeries: 1.5 })).toThrow(RangeError);
    } finally {
      hub.close();
    }
  });

  it('shows what a real session engine sends for a two-layer Kronecker session, and nothing for a diagonal one', async () => {
    const factory = await createSessionEngineFactory('reference', logger);
    const names = ['fc1', 'fc2'];
    const config = kfacConfig(names);
    const engine = await factory.create(config);
    const { hub, messages, ws } = await hubWithViewer(100);
    const feed = createDashboardFeed(hub, { logger });
    const id = 'b'.repeat(32);
    feed.onOpen({ sessionId: id, config, resumedStep: 0 });
    let seed = 1;
    const r = () => Math.sin(seed++ * 12.9898) * 0.5;
    const fill = (n: number) => Float64Array.from({ length: n }, r);
    let last: StepOutcome | undefined;
    for (let step = 1; step <= 3; step++) {
      const statistics = names.map((block) => ({
        block, kind: 'kronecker' as const,
        kronecker: kroneckerStatisticsFromPairs({
          outputs: 2, inputs: 2, bias: true, count: 4, activations: fill(8), outputGrads: fill(8),
          sampled: { outputGrads: fill(16), samplesPerExample: 2 }, factors: true,
        }),
      }));
      last = engine.step([{ step, workerId: 0, batchSize: 4, reduction: 'sum', statistics }]);
      feed.onStep({ sessionId: id, config, outcome: last });
    }
    const v = last!.diagnostics.values;
    const table = hub.snapshot().sessions[0]!.layers!;
    expect(table.step).toBe(3);
    expect(table.layers.map((l) => l.name)).toEqual(names);
    for (const layer of table.layers) {
      const at = `layer.${layer.name}`;
      expect(layer.cosineEfFisher).toBe(v[`${at}.cosineEfFisher`]);
      expect(layer.cosineEfFisher).toBeGreaterThan(-1);
      expect(layer.fisher).toEqual({ trace: v[`${at}.fisher.trace`], top: [1, 2, 3].map((k) => v[`${at}.fisher.top${k}`]) });
      expect(layer.empiricalFisher).toEqual({ trace: v[`${at}.empiricalFisher.trace`], top: [1, 2, 3].map((k) => v[`${at}.empiricalFisher.top${k}`]) });
      expect(layer.factorUpdates).toBe(3);
      expect(layer.basisVersion).toBe(v[`${at}.basisVersion`]);
    }
    // Every layer.* key the engine sent is in the table (none dropped by the parser).
    const shown = table.layers.flatMap((l) => [
      ...(l.cosineEfFisher === undefined ? [] : ['cosineEfFisher']),
      'fisher.trace', ...l.fisher!.top.map((_, k) => `fisher.top${k + 1}`),
      'empiricalFisher.trace', ...l.empiricalFisher!.top.map((_, k) => `empiricalFisher.top${k + 1}`),
      'basisVersion', 'factorUpdates',
    ].map((k) => `layer.${l.name}.${k}`)).sort();
    expect(shown).toEqual(Object.keys(v).filter((k) => k.startsWith('layer.')).sort());
    expect(hub.snapshot().sessions[0]!.steps.map((s) => s.layerCosine)).toHaveLength(3);

    // A diagonal session: no table, no series, nothing new in its messages.
    const plain: SessionConfig = { dim: 4, optimizer: { name: 'ngd', stepSize: 0.1, damping: 0.01 }, track: { empiricalFisher: true, fisher: true } };
    const plainEngine = await factory.create(plain);
    const pid = 'c'.repeat(32);
    feed.onOpen({ sessionId: pid, config: plain, resumedStep: 0 });
    const rows = Float32Array.from({ length: 12 }, (_, i) => Math.sin(i));
    feed.onStep({
      sessionId: pid, config: plain,
      outcome: plainEngine.step([{ step: 1, workerId: 0, batchSize: 3, reduction: 'sum', perExampleGrads: rows, sampledLabelGrads: { samplesPerExample: 1, rows } }]),
    });
    const plainState = hub.snapshot().sessions.find((s) => s.info.id === pid)!;
    expect(plainState).not.toHaveProperty('layers');
    expect(plainState.steps[0]).not.toHaveProperty('layerCosine');
    await until(() => messages.some((m) => m.type === 'steps' && m.sessionId === pid));
    expect(messages.find((m) => m.type === 'steps' && m.sessionId === pid)).not.toHaveProperty('layers');
    ws.close();
  });
});
