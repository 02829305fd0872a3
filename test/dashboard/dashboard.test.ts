/**
 * The live dashboard in a real browser: headless Chromium (Debian's `chromium` package, driven by
 * playwright-core; no browser is downloaded) opens the page of a real daemon (separate process, with a
 * token) while real sessions train through the TypeScript client, and checks that every plot shows data
 * pushed over the WebSocket; that runs are listed by name (given, or the daemon's default from the client
 * name and start time) in live / closed / discarded groups; that an SNR session that did not list the
 * noise under `track` shows its SNR histogram; and that "compare with" overlays a second run's curves. The screenshot is kept as test-artifacts/dashboard.png; with
 * FISHERD_UPDATE_DOCS_SCREENSHOT=1 (or when it is missing) it is also copied to docs/dashboard.png,
 * which the README shows.
 *
 * Skipped, saying so, when /usr/bin/chromium is absent (CI: `apt-get install -y chromium`).
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FisherdClient } from '../../clients/ts/src/index.js';
import { ROOT, startDaemon, type RunningDaemon } from '../e2e/daemon-harness.js';
import { logisticProblem, trainLogistic } from './logistic-trainer.js';

const CHROMIUM = process.env['FISHERD_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/dashboard: skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; or set FISHERD_CHROMIUM)`);

const TOKEN = 'dashboard-test-token-0123456789';
const ARTIFACT = join(ROOT, 'test-artifacts', 'dashboard.png');
const DOCS_SCREENSHOT = join(ROOT, 'docs', 'dashboard.png');
const PLOTS = ['loss', 'grad', 'update', 'cosine', 'snr', 'eigen'] as const;

/** The page's DOM as far as these checks use it (the project compiles without the DOM library). */
type PageDocument = { getElementById(id: string): { getAttribute(name: string): string | null } | null };

async function comparePoints(page: Page): Promise<Record<string, number>> {
  return page.evaluate((ids) => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    return Object.fromEntries(ids.map((id) => [id, Number(doc.getElementById(`plot-${id}`)?.getAttribute('data-compare-points') ?? 0)]));
  }, ['loss', 'grad', 'update', 'cosine']);
}

/** The ids of the sessions listed in one group ('live', 'closed', 'discarded') of the page's list. */
async function groupIds(page: Page, group: string): Promise<string[]> {
  const items = await page.$$(`#sessions [data-group="${group}"] li[data-session]`);
  return Promise.all(items.map(async (li) => (await li.getAttribute('data-session')) ?? ''));
}

async function plotPoints(page: Page): Promise<Record<string, number>> {
  return page.evaluate((ids) => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    return Object.fromEntries(ids.map((id) => [id, Number(doc.getElementById(`plot-${id}`)?.getAttribute('data-points') ?? 0)]));
  }, [...PLOTS]);
}

describe.skipIf(!hasChromium)('dashboard in headless Chromium', () => {
  let daemon: RunningDaemon;
  let browser: Browser;

  beforeAll(async () => {
    daemon = await startDaemon(['--token', TOKEN, '--dashboard-spectrum-ms', '200', '--session-idle-ms', '100']);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (daemon) expect(await daemon.kill('SIGTERM')).toBe(0);
    expect(daemon.stderr()).not.toContain(TOKEN); // never logged, not even the ?token= URL
  });

  it('shows live plots of a real training session, pushed over the WebSocket', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });

    // Without the token: the token form. With it once: a cookie and a redirect to a clean URL.
    const refused = await page.goto(`${daemon.http}/`);
    expect(refused?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('requires its bearer token');
    const problems: string[] = []; // from here on: no script errors, no failed requests
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${daemon.http}/?token=${TOKEN}`);
    expect(page.url()).toBe(`${daemon.http}/`);
    await page.waitForSelector('#connection.live');
    await expect.poll(() => page.textContent('#empty'), { timeout: 10_000 }).toContain('No sessions yet');

    // A session that tracks nothing beyond SGD: its estimate panels say why they are empty.
    // Unnamed: the daemon names it "<client name> <UTC start time>" and says so in SessionOpened.config.
    const plain = await FisherdClient.connect(daemon.url, { token: TOKEN, clientName: 'plain-sgd' });
    const before = Date.now();
    const plainInfo = await plain.openSession({ dim: 8, optimizer: { name: 'sgd', stepSize: 0.1 } });
    const plainName = plainInfo.config.name ?? '';
    expect(plainName).toMatch(/^plain-sgd \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Math.abs(Date.parse(`${plainName.slice('plain-sgd '.length).replace(' ', 'T')}Z`) - before)).toBeLessThan(5000);
    await trainLogistic(plain, logisticProblem(8, 256, 3), { steps: 10, batchSize: 16 });

    // The session to watch: NGD with both Fishers and the noise covariance, trained while the page is open.
    const trainer = await FisherdClient.connect(daemon.url, { token: TOKEN });
    const info = await trainer.openSession({
      name: 'ngd · both Fishers', dim: 24, optimizer: { name: 'ngd', stepSize: 0.2, damping: 1e-2 }, emaDecay: 0.9,
      track: { empiricalFisher: true, fisher: true, noise: true },
    });
    const problem = logisticProblem(24, 1024);
    let training = true;
    const theta = new Float64Array(24);
    const loop = (async () => {
      let seed = 1;
      while (training) await trainLogistic(trainer, problem, { steps: 10, batchSize: 32, seed: seed++, theta });
    })();

    await page.click(`li[data-session="${info.sessionId}"]`);
    await expect.poll(async () => Object.values(await plotPoints(page)).every((n) => n > 0), { timeout: 30_000, interval: 200 }).toBe(true);
    // Let a few hundred steps accumulate so that the picture shows a run, then stop and let the last flush land.
    await expect.poll(() => trainer.lastStep, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(300);
    training = false;
    await loop;
    const lastStep = trainer.lastStep;
    await expect.poll(() => page.textContent('#facts'), { timeout: 10_000 }).toContain(`step${lastStep}`);

    const points = await plotPoints(page);
    expect(points['loss']).toBeGreaterThanOrEqual(100); // one point per step (the history is not thinned yet)
    expect(points['snr']).toBeGreaterThan(0); // non-empty bins
    expect(points['eigen']).toBe(20); // top-10 of F and of EF, all positive
    expect(await page.textContent('#facts')).toContain('NGD');
    expect(Number(await page.textContent('#v-cosine'))).toBeGreaterThan(-1);
    expect(await page.textContent('#sessions')).toContain(info.sessionId.slice(0, 8));
    expect(await page.textContent('#sessions')).toContain('ngd · both Fishers');
    expect(await page.textContent('#title-name')).toBe('ngd · both Fishers');
    expect(await page.textContent('#title-id')).toBe(info.sessionId);

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: ARTIFACT });
    expect(statSync(ARTIFACT).size).toBeGreaterThan(20_000);
    if (process.env['FISHERD_UPDATE_DOCS_SCREENSHOT'] === '1' || !existsSync(DOCS_SCREENSHOT)) copyFileSync(ARTIFACT, DOCS_SCREENSHOT);

    // The SGD session's estimate panels explain themselves instead of drawing nothing.
    await page.click(`li[data-session="${plain.sessionId!}"]`);
    await expect.poll(() => page.textContent('#plot-eigen'), { timeout: 5000 }).toContain('tracks neither F nor EF');
    expect(await page.textContent('#plot-snr')).toContain('needs the noise covariance');
    expect(Number(await page.getAttribute('#plot-loss', 'data-points'))).toBe(10);

    expect(await page.textContent(`li[data-session="${plain.sessionId!}"]`)).toContain(plainName);

    // Compare: the NGD run with the SGD run's curves overlaid (dashed) on the four line plots.
    await page.click(`li[data-session="${info.sessionId}"]`);
    await page.selectOption('#compare', plain.sessionId!);
    await expect.poll(() => comparePoints(page), { timeout: 5000 }).toEqual({ loss: 10, grad: 10, update: 10, cosine: 0 }); // SGD: no cosine
    expect(Number(await page.getAttribute('#plot-loss', 'data-points'))).toBeGreaterThanOrEqual(100); // its own curve stays
    expect(await page.textContent('#compare-legend')).toBe(`ngd · both Fishers${plainName}`);
    expect(await page.$$('#plot-loss path.line.compare')).toHaveLength(1);
    expect(new URL(page.url()).hash).toBe(`#session=${info.sessionId}&compare=${plain.sessionId!}`);
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'dashboard-compare.png') });
    await page.selectOption('#compare', '');
    await expect.poll(() => page.getAttribute('#plot-loss', 'data-compare-points'), { timeout: 5000 }).toBe('0');
    expect(await page.isHidden('#compare-legend')).toBe(true);

    // An SNR session that does not list the noise under track: the optimizer needs S, so it is tracked,
    // and the SNR histogram shows.
    const snr = await FisherdClient.connect(daemon.url, { token: TOKEN, clientName: 'snr-job' });
    const snrInfo = await snr.openSession({ name: 'snr without track', dim: 12, optimizer: { name: 'snr', stepSize: 0.1 } });
    expect(snrInfo.config.track?.noise).toBe(true);
    await page.click(`li[data-session="${snrInfo.sessionId}"]`);
    const snrProblem = logisticProblem(12, 512, 5);
    const snrTheta = new Float64Array(12);
    for (let seed = 1; Number(await page.getAttribute('#plot-snr', 'data-points')) === 0; seed++) {
      expect(seed).toBeLessThan(200); // about 20 s at most
      await trainLogistic(snr, snrProblem, { steps: 5, batchSize: 16, seed, theta: snrTheta });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await page.textContent('#v-snr')).toMatch(/^step \d+$/);

    // Live, closed (resumable) and discarded runs are listed apart.
    expect((await groupIds(page, 'live')).sort()).toEqual([info.sessionId, plain.sessionId!, snrInfo.sessionId].sort());
    const plainId = plain.sessionId!;
    await plain.closeSession();
    await snr.closeSession({ discard: true });
    await expect.poll(() => groupIds(page, 'closed'), { timeout: 5000 }).toEqual([plainId]);
    await expect.poll(() => groupIds(page, 'discarded'), { timeout: 5000 }).toEqual([snrInfo.sessionId]);
    expect(await groupIds(page, 'live')).toEqual([info.sessionId]);
    expect(await page.textContent('#sessions [data-group="discarded"] h2')).toBe('Discarded (1)');
    await page.screenshot({ path: join(ROOT, 'test-artifacts', 'dashboard-groups.png') });
    await page.click(`li[data-session="${plainId}"]`);
    await expect.poll(() => page.textContent('#title-status'), { timeout: 5000 }).toBe('closed');
    await page.click(`li[data-session="${snrInfo.sessionId}"]`);
    await expect.poll(() => page.textContent('#title-status'), { timeout: 5000 }).toBe('discarded');
    await plain.close();
    await snr.close();
    await trainer.close();
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
