/**
 * DashboardHub over a real HTTP server and real WebSockets: the page and its token flow, the WebSocket's
 * snapshot and pushes, bounded history, and the refusals (no token, wrong token, cross-site origin).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DashboardHub } from '../../src/server/dashboard/dashboard-hub.js';
import { dashboardCookieValue } from '../../src/server/dashboard/dashboard-auth.js';
import type { DashboardMessage, DashboardSessionInfo, DashboardStep } from '../../src/server/dashboard/messages.js';
import { createLogger } from '../../src/log.js';

const logger = createLogger({ level: 'silent' });

interface Harness { hub: DashboardHub; server: Server; base: string; ws: string }
const open: Harness[] = [];

async function start(token?: string, historyLimit = 100): Promise<Harness> {
  const hub = new DashboardHub({ token, historyLimit, flushIntervalMs: 20, logger });
  const server = createServer((req, res) => {
    if (!hub.handleHttp(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const h = { hub, server, base: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/dashboard/ws` };
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) {
    h.hub.close();
    h.server.closeAllConnections();
    await new Promise((resolve) => h.server.close(resolve));
  }
});

function info(id: string): DashboardSessionInfo {
  return {
    id, name: `run ${id.slice(0, 4)}`, dim: 4, optimizer: 'ngd', structure: 'diagonal', workers: 1, emaDecay: 0,
    track: { empiricalFisher: true, fisher: true, noise: true }, resumedStep: 0, openedAt: Date.now(),
  };
}
const step = (n: number): DashboardStep => ({ step: n, time: Date.now(), loss: 1 / n, gradNorm: 2, updateNorm: 0.1, batchSize: 8, computeSeconds: 0.001 });

/** Opens a page socket and collects its messages. */
async function viewer(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; messages: DashboardMessage[] }> {
  const ws = new WebSocket(url, { headers });
  const messages: DashboardMessage[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as DashboardMessage));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DashboardHub', () => {
  it('serves the page at / with a CSP that allows its inline script by hash', async () => {
    const { base } = await start();
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('id="plot-eigen"');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing fetched from elsewhere
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404); // not the hub's: left to the daemon
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('sends a snapshot on connect, then open, coalesced steps, spectrum and close', async () => {
    const { hub, ws: url } = await start();
    hub.openSession(info('a'.repeat(32)));
    hub.publish('a'.repeat(32), step(1));
    const page = await viewer(url);
    await until(() => page.messages.length >= 1);
    const snapshot = page.messages[0]!;
    expect(snapshot.type).toBe('snapshot');
    if (snapshot.type !== 'snapshot') return;
    expect(snapshot.sessions).toHaveLength(1);
    expect(snapshot.sessions[0]!.steps.map((s) => s.step)).toEqual([1]);

    hub.openSession(info('b'.repeat(32)));
    for (let n = 1; n <= 5; n++) hub.publish('b'.repeat(32), step(n));
    hub.publishSpectrum('b'.repeat(32), { step: 5, time: Date.now(), topEigenvalues: { fisher: [3, 2], empiricalFisher: [4, 1] }, traces: { fisher: 5 } });
    hub.closeSession('b'.repeat(32), 5);
    await until(() => page.messages.some((m) => m.type === 'close'));
    // Session b's messages in order (a's step 1 may be pushed again by a flush: the page keeps steps by number).
    const aboutB = page.messages.slice(1).filter((m) => (m.type === 'open' ? m.session.id : m.type === 'snapshot' ? '' : m.sessionId) === 'b'.repeat(32));
    expect(aboutB.map((m) => m.type)).toEqual(['open', 'spectrum', 'steps', 'close']); // close flushes the session's pending steps first
    const steps = aboutB.find((m) => m.type === 'steps');
    expect(steps?.type === 'steps' && steps.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    page.ws.close();
  });

  it('bounds the history and keeps the run’s first and latest steps', async () => {
    const { hub } = await start(undefined, 10);
    hub.openSession(info('c'.repeat(32)));
    for (let n = 1; n <= 1000; n++) hub.publish('c'.repeat(32), step(n));
    const kept = hub.snapshot().sessions[0]!.steps.map((s) => s.step);
    expect(kept.length).toBeLessThanOrEqual(11);
    expect(kept[0]).toBe(1);
    expect(kept[kept.length - 1]).toBe(1000);
  });

  it('keeps only the latest closed sessions', async () => {
    const hub = new DashboardHub({ keepClosedSessions: 2, logger, pingIntervalMs: 0 });
    for (const c of ['1', '2', '3']) {
      hub.openSession(info(c.repeat(32)));
      hub.closeSession(c.repeat(32), 0);
      await new Promise((r) => setTimeout(r, 2)); // distinct close times
    }
    hub.openSession(info('4'.repeat(32)));
    expect(hub.snapshot().sessions.map((s) => s.info.id[0]).sort()).toEqual(['2', '3', '4']);
    hub.close();
  });

  it('tells live, closed (resumable) and discarded sessions apart, in the snapshot and the close message', async () => {
    const { hub, base, ws: url } = await start();
    for (const c of ['l', 'c', 'd']) hub.openSession(info(c.repeat(32)));
    const page = await viewer(url);
    hub.closeSession('c'.repeat(32), 3);
    hub.closeSession('d'.repeat(32), 4, true);
    await until(() => page.messages.filter((m) => m.type === 'close').length === 2);
    const closes = page.messages.filter((m) => m.type === 'close');
    expect(closes.map((m) => m.type === 'close' && [m.sessionId[0], m.lastStep, m.status])).toEqual([['c', 3, 'closed'], ['d', 4, 'discarded']]);
    const state = await (await fetch(`${base}/dashboard/state`)).json() as DashboardMessage;
    expect(state.type).toBe('snapshot');
    if (state.type !== 'snapshot') return;
    const byId = Object.fromEntries(state.sessions.map((s) => [s.info.id[0], [s.status, s.live, s.info.name]]));
    expect(byId).toEqual({ l: ['live', true, 'run llll'], c: ['closed', false, 'run cccc'], d: ['discarded', false, 'run dddd'] });
    // A discarded session that comes back (resumed by id before its deletion) is live again.
    hub.openSession(info('d'.repeat(32)));
    expect(hub.snapshot().sessions.find((s) => s.info.id[0] === 'd')?.status).toBe('live');
    page.ws.close();
  });

  describe('with a token', () => {
    const token = 'dashboard-secret-token';

    it('asks for the token, trades ?token= for a cookie and a redirect, then serves page and socket', async () => {
      const { base, ws: url } = await start(token);
      const ask = await fetch(`${base}/`);
      expect(ask.status).toBe(401);
      expect(await ask.text()).toContain('name="token"');
      expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);

      const login = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/');
      const cookie = login.headers.get('set-cookie')!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).not.toContain(token); // a digest, not the token
      const pair = cookie.split(';')[0]!;
      expect(pair).toBe(`fisherd_dashboard=${dashboardCookieValue(token)}`);

      expect((await fetch(`${base}/`, { headers: { cookie: pair } })).status).toBe(200);
      expect((await fetch(`${base}/dashboard/state`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${base}/dashboard/state`)).status).toBe(401);

      await expect(viewer(url)).rejects.toThrow(/401/);
      await expect(viewer(url, { cookie: 'fisherd_dashboard=forged' })).rejects.toThrow(/401/);
      const page = await viewer(url, { cookie: pair, origin: base });
      await until(() => page.messages.length >= 1);
      expect(page.messages[0]!.type).toBe('snapshot');
      page.ws.close();
    });

    it('refuses a page socket opened from another site (Origin ≠ Host)', async () => {
      const { ws: url } = await start(token);
      const pair = `fisherd_dashboard=${dashboardCookieValue(token)}`;
      await expect(viewer(url, { cookie: pair, origin: 'https://evil.example' })).rejects.toThrow(/403/);
    });
  });
});
