/**
 * The feed from session events to the hub: what a step and a session look like on the page, and that the
 * estimates are sampled only while a page is open, at most every spectrumIntervalMs.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DashboardHub } from '../../src/server/dashboard/dashboard-hub.js';
import { createDashboardFeed, describeStructure, spectrumOfEstimates, stepOfOutcome } from '../../src/server/dashboard/dashboard-feed.js';
import type { EstimatesQuery, StepOutcome } from '../../src/server/session-engine.js';
import type { SessionConfig } from '../../src/session/config.js';
import { createLogger } from '../../src/log.js';

const logger = createLogger({ level: 'silent' });
const config: SessionConfig = {
  dim: 3, optimizer: { name: 'ngd', stepSize: 0.1, damping: 0.01 }, emaDecay: 0, track: { empiricalFisher: true, fisher: true, noise: true },
};
const outcome = (step: number): StepOutcome => ({
  step,
  delta: new Float32Array(3),
  diagnostics: { loss: 0.5, batchSize: 4, updateNorm: 0.2, computeSeconds: 0.001, values: { gradNorm: 1.5, cosineEfFisher: 0.9, damping: 0.01 } },
});
const estimates = (step: number) => ({
  step,
  estimates: [
    { kind: 'empiricalFisher' as const, trace: 6, topEigenvalues: [3, 2, 1] },
    { kind: 'fisher' as const, trace: 3, topEigenvalues: [2, 0.5, 0.5] },
    { kind: 'noise' as const, trace: 2, topEigenvalues: [1, 0.5, 0.5], diagonal: Float64Array.of(1, 0, 1) },
  ],
  meanGrad: Float64Array.of(1, 2, 0),
});

describe('dashboard feed', () => {
  it('describes structures as the page shows them', () => {
    expect(describeStructure({ ...config })).toBe('diagonal');
    expect(describeStructure({ ...config, structure: { kind: 'lowrank', rank: 16 } })).toBe('lowrank r=16');
    expect(describeStructure({
      ...config, dim: 6,
      blocks: [{ name: 'a', size: 2, structure: { kind: 'full' } }, { name: 'b', size: 2, structure: { kind: 'full' } }, { name: 'c', size: 2, structure: { kind: 'lowrank', rank: 1 } }],
    })).toBe('3 blocks: full, lowrank r=1');
  });

  it('turns an update’s diagnostics into a plotted step, and estimates into a spectrum with the SNR histogram', () => {
    expect(stepOfOutcome(outcome(7), 1000)).toEqual({
      step: 7, time: 1000, loss: 0.5, gradNorm: 1.5, updateNorm: 0.2, cosineEfFisher: 0.9, damping: 0.01, batchSize: 4, computeSeconds: 0.001,
    });
    const spectrum = spectrumOfEstimates(estimates(7), config, 1000);
    expect(spectrum.topEigenvalues).toEqual({ empiricalFisher: [3, 2, 1], fisher: [2, 0.5, 0.5], noise: [1, 0.5, 0.5] });
    // D_ii with β = 0: 1/(1+1) = 0.5, 4/(4+0) = 1, 0/(0+1) = 0.
    expect(spectrum.snrHistogram?.counts.reduce((a, c) => a + c)).toBe(3);
    expect(spectrum.snrHistogram?.mean).toBeCloseTo(0.5, 15);
    expect(spectrum.snrHistogram?.counts[0]).toBe(1);
    expect(spectrum.snrHistogram?.counts[10]).toBe(1);
    expect(spectrum.snrHistogram?.counts[19]).toBe(1);
  });

  it('uses the effective tracking: an snr session keeps the noise (and gets its SNR histogram) without track.noise', async () => {
    const snr: SessionConfig = { dim: 3, optimizer: { name: 'snr', stepSize: 0.1 }, name: 'snr run' };
    const hub = new DashboardHub({ logger, flushIntervalMs: 10, pingIntervalMs: 0 });
    const feed = createDashboardFeed(hub, { spectrumIntervalMs: 0 });
    const id = 'e'.repeat(32);
    feed.onOpen({ sessionId: id, config: snr, resumedStep: 0 });
    const info = hub.snapshot().sessions[0]!.info;
    expect(info.name).toBe('snr run');
    expect(info.track).toEqual({ empiricalFisher: false, fisher: false, noise: true });
    const server = createServer();
    server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const queries: EstimatesQuery[] = [];
    feed.onStep({
      sessionId: id, config: snr, outcome: outcome(1), estimates: (q) => {
        queries.push(q);
        return { step: 1, estimates: [estimates(1).estimates[2]!], meanGrad: Float64Array.of(1, 2, 0) };
      },
    });
    expect(queries).toEqual([{ topK: 3, includeDiagonals: true }]); // the diagonals, for the histogram
    expect(hub.snapshot().sessions[0]!.spectrum?.snrHistogram?.total).toBe(3);
    // 'moments' SNR keeps no noise covariance: no diagonals asked for.
    const moments: SessionConfig = { dim: 3, optimizer: { name: 'snr', stepSize: 0.1, snrVariance: 'moments' } };
    feed.onOpen({ sessionId: 'd'.repeat(32), config: moments, resumedStep: 0 });
    expect(hub.snapshot().sessions.find((s) => s.info.id[0] === 'd')?.info.track.noise).toBe(false);
    ws.close();
    hub.close();
    server.close();
  });

  it('tells a discarded session from a closed one', () => {
    const hub = new DashboardHub({ logger, flushIntervalMs: 10, pingIntervalMs: 0 });
    const feed = createDashboardFeed(hub);
    feed.onOpen({ sessionId: '1'.repeat(32), config, resumedStep: 0 });
    feed.onOpen({ sessionId: '2'.repeat(32), config, resumedStep: 0 });
    feed.onClose({ sessionId: '1'.repeat(32), lastStep: 0 });
    feed.onClose({ sessionId: '2'.repeat(32), lastStep: 0, discarded: true });
    expect(hub.snapshot().sessions.map((s) => s.status)).toEqual(['closed', 'discarded']);
    hub.close();
  });

  it('samples the estimates only while a page is open, and not more often than asked', async () => {
    const hub = new DashboardHub({ logger, flushIntervalMs: 10, pingIntervalMs: 0 });
    const feed = createDashboardFeed(hub, { spectrumIntervalMs: 60_000 });
    const queries: EstimatesQuery[] = [];
    const accessor = (q: EstimatesQuery) => {
      queries.push(q);
      return estimates(1);
    };
    feed.onOpen({ sessionId: 'f'.repeat(32), config, resumedStep: 0 });
    feed.onStep({ sessionId: 'f'.repeat(32), config, outcome: outcome(1), estimates: accessor });
    expect(queries).toHaveLength(0); // nobody watching

    const server = createServer();
    server.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the hub has registered the page
    feed.onStep({ sessionId: 'f'.repeat(32), config, outcome: outcome(2), estimates: accessor });
    feed.onStep({ sessionId: 'f'.repeat(32), config, outcome: outcome(3), estimates: accessor });
    expect(queries).toEqual([{ topK: 3, includeDiagonals: true }]); // once, then not before 60 s; topK capped at D
    expect(hub.snapshot().sessions[0]!.spectrum?.step).toBe(1);
    expect(hub.snapshot().sessions[0]!.steps.map((s) => s.step)).toEqual([1, 2, 3]);

    feed.onClose({ sessionId: 'f'.repeat(32), lastStep: 3 });
    expect(hub.snapshot().sessions[0]!.live).toBe(false);
    ws.close();
    hub.close();
    server.close();
  });
});
