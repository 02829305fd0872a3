/**
 * The dashboard's per-layer (K-FAC) panel in a real browser: headless Chromium (Debian's `chromium`,
 * driven by playwright-core) opens the page of a real daemon (separate process) while Kronecker sessions
 * train through the TypeScript client's `kroneckerStatisticsFromPairs`. The table lists one row per
 * Kronecker block with exactly the values of the last update's `layer.<name>.*` diagnostics (as the
 * client received them), the per-layer cosine is plotted per step (the compared run's same layer dashed),
 * a session that tracks only the Fisher says why it has no cosine, and a session without Kronecker
 * blocks shows no layers panel. The screenshot is kept as test-artifacts/dashboard-layers.png.
 *
 * Skipped, saying so, when /usr/bin/chromium is absent (CI: `apt-get install -y chromium`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { FisherdClient, kroneckerStatisticsFromPairs, type KroneckerStatistics, type UpdateData } from '../../clients/ts/src/index.js';
import type { SessionConfig } from '../../src/session/config.js';
import { ROOT, startDaemon, stream, type RunningDaemon } from '../e2e/daemon-harness.js';
import { logisticProblem, trainLogistic } from './logistic-trainer.js';

const CHROMIUM = process.env['FISHERD_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`test/dashboard: skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium; or set FISHERD_CHROMIUM)`);


const LAYERS = [{ name: 'fc1', outputs: 3, inputs: 4 }, { name: 'fc2', outputs: 2, inputs: 3 }] as const;
const B = 8;

function kfacConfig(name: string, track: SessionConfig['track']): SessionConfig {
  const blocks = LAYERS.map((l) => ({ name: l.name, size: l.outputs * (l.inputs + 1), structure: { kind: 'kronecker' as const, outputs: l.outputs, inputs: l.inputs, bias: true } }));
  return { name, dim: blocks.reduce((s, b) => s + b.size, 0), blocks, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2 }, emaDecay: 0.9, ...(track === undefined ? {} : { track }) };
}

/** `steps` K-FAC steps of both layers (random pairs, both labels' factors every step); the last update. */
async function trainKfac(client: FisherdClient, steps: number, seed: number): Promise<UpdateData> {
  let last: UpdateData | undefined;
  for (let s = 0; s < steps; s++) {
    const r = stream(seed * 1000 + s);
    const fill = (n: number) => Float64Array.from({ length: n }, r);
    const statistics = LAYERS.map((l) => ({
      block: l.name, kind: 'kronecker' as const,
      kronecker: kroneckerStatisticsFromPairs({
        outputs: l.outputs, inputs: l.inputs, bias: true, count: B, activations: fill(B * l.inputs), outputGrads: fill(B * l.outputs),
        sampled: { outputGrads: fill(2 * B * l.outputs), samplesPerExample: 2 }, factors: true,
      }) as KroneckerStatistics,
    }));
    last = await client.step({ batchSize: B, reduction: 'sum', statistics });
  }
  return last!;
}

/** The page's DOM as far as these checks use it (the project compiles without the DOM library). */
interface Node { getAttribute(name: string): string | null; textContent: string | null; querySelectorAll(q: string): ArrayLike<Node> }
type PageDocument = { querySelectorAll(q: string): ArrayLike<Node> };

interface Row { layer: string; cells: Record<string, { text: string; value: number | null }> }

/** The layer table as shown: each row's layer and, per data-key, the text and the raw data-value. */
async function tableRows(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    return Array.from(doc.querySelectorAll('#layer-rows tr[data-layer]')).map((tr) => ({
      layer: tr.getAttribute('data-layer') ?? '',
      cells: Object.fromEntries(Array.from(tr.querySelectorAll('td[data-key]')).map((td) => {
        const raw = td.getAttribute('data-value');
        return [td.getAttribute('data-key') ?? '', { text: td.textContent ?? '', value: raw === null ? null : Number(raw) }];
      })),
    }));
  });
}

/** Per layer plot: [layer, data-points, data-compare-points]. */
async function layerPlots(page: Page): Promise<Array<[string, number, number]>> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    return Array.from(doc.querySelectorAll('#layer-plots .layer-plot')).map((d): [string, number, number] => {
      const svg = d.querySelectorAll('svg')[0]!;
      return [d.getAttribute('data-layer') ?? '', Number(svg.getAttribute('data-points')), Number(svg.getAttribute('data-compare-points'))];
    });
  });
}

describe.skipIf(!hasChromium)('dashboard per-layer (K-FAC) panel in headless Chromium', () => {
  let daemon: RunningDaemon;
  let browser: Browser;

  beforeAll(async () => {
    daemon = await startDaemon(['--session-idle-ms', '100']);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (daemon) expect(await daemon.kill('SIGTERM')).toBe(0);
  });

  it('shows a table row per Kronecker layer with the update’s values, and each layer’s cosine over the steps', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    await page.goto(`${daemon.http}/`);
    await page.waitForSelector('#connection.live');

    // A diagonal session: no layers panel.
    const plain = await FisherdClient.connect(daemon.url, { clientName: 'plain' });
    const plainInfo = await plain.openSession({ name: 'plain ngd', dim: 8, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2 }, track: { empiricalFisher: true, fisher: true } });
    await trainLogistic(plain, logisticProblem(8, 256, 3), { steps: 10, batchSize: 16 });
    await page.click(`li[data-session="${plainInfo.sessionId}"]`);
    await expect.poll(() => page.getAttribute('#plot-loss', 'data-points'), { timeout: 10_000 }).toBe('10');
    expect(await page.isHidden('#layers')).toBe(true);

    // A K-FAC session tracking both Fishers, 30 steps.
    const kfac = await FisherdClient.connect(daemon.url, { clientName: 'kfac' });
    const info = await kfac.openSession(kfacConfig('kfac · both Fishers', { empiricalFisher: true, fisher: true }));
    const last = await trainKfac(kfac, 30, 1);
    const v = last.diagnostics.values;
    await page.click(`li[data-session="${info.sessionId}"]`);
    await expect.poll(() => page.textContent('#v-layers'), { timeout: 10_000 }).toBe('step 30 · 2 layers');
    expect(await page.isVisible('#layers')).toBe(true);

    const rows = await tableRows(page);
    expect(rows.map((r) => r.layer)).toEqual(['fc1', 'fc2']);
    const keys: Record<string, string> = {
      cosine: 'cosineEfFisher', 'fisher-trace': 'fisher.trace', 'fisher-top1': 'fisher.top1',
      'ef-trace': 'empiricalFisher.trace', 'ef-top1': 'empiricalFisher.top1', 'factor-updates': 'factorUpdates', 'basis-version': 'basisVersion',
    };
    for (const row of rows) {
      for (const [key, wire] of Object.entries(keys)) {
        const expected = v[`layer.${row.layer}.${wire}`];
        expect(expected, `${row.layer} ${wire} sent`).toBeTypeOf('number');
        expect(row.cells[key]?.value, `${row.layer} ${key}`).toBe(expected); // exactly the value the client got
        expect(row.cells[key]?.text).not.toBe('–');
        // The text shown is the value to the digits printed (3 significant ones).
        expect(Math.abs(Number(row.cells[key]!.text.replace(/e(\d)/, 'e+$1')) - expected!)).toBeLessThanOrEqual(Math.abs(expected!) * 5e-3);
      }
      expect(row.cells['factor-updates']?.text).toBe('30');
      expect(row.cells['cosine']!.value!).toBeGreaterThanOrEqual(-1);
      expect(row.cells['cosine']!.value!).toBeLessThanOrEqual(1);
      // λ₁ ≤ trace for a positive semi-definite A⊗G.
      expect(row.cells['fisher-top1']!.value!).toBeLessThanOrEqual(row.cells['fisher-trace']!.value! * (1 + 1e-12));
    }
    // The two layers' values differ (no row shows the other's).
    expect(rows[0]!.cells['fisher-trace']!.value).not.toBe(rows[1]!.cells['fisher-trace']!.value);
    // Top 3 in the tooltip.
    const title = await page.getAttribute('#layer-rows tr[data-layer="fc2"] td[data-key="ef-top1"]', 'title');
    expect(title).toMatch(/^EF top eigenvalues λ\(A\)λ\(G\): [^,]+, [^,]+, [^,]+$/);

    // One cosine plot per layer, a point per step.
    await expect.poll(() => layerPlots(page), { timeout: 5000 }).toEqual([['fc1', 30, 0], ['fc2', 30, 0]]);
    expect(await page.textContent('#layer-plots-note')).toBe('');
    expect(await page.textContent('#layer-plots .layer-plot[data-layer="fc2"] .value')).not.toBe('–');
    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    await page.locator('#layers').screenshot({ path: join(ROOT, 'test-artifacts', 'dashboard-layers.png') });

    // Compare with a second K-FAC run: its layers' cosines dashed on the same plots.
    const other = await FisherdClient.connect(daemon.url, { clientName: 'kfac-2' });
    const otherInfo = await other.openSession(kfacConfig('kfac · second run', { empiricalFisher: true, fisher: true }));
    await trainKfac(other, 12, 2);
    await page.click(`li[data-session="${info.sessionId}"]`);
    await page.selectOption('#compare', otherInfo.sessionId);
    await expect.poll(() => layerPlots(page), { timeout: 5000 }).toEqual([['fc1', 30, 12], ['fc2', 30, 12]]);
    await page.selectOption('#compare', '');

    // Only the Fisher tracked (NGD alone): the table has no cosine, the plots say why.
    const fisherOnly = await FisherdClient.connect(daemon.url, { clientName: 'kfac-f' });
    const fisherInfo = await fisherOnly.openSession(kfacConfig('kfac · Fisher only', undefined));
    const fisherLast = await trainKfac(fisherOnly, 5, 3);
    expect(fisherLast.diagnostics.values['layer.fc1.cosineEfFisher']).toBeUndefined();
    // Clicked again until the view follows: the session list re-renders as sessions step, and a click that
    // lands on an item being replaced selects nothing (seen once under a loaded machine).
    await expect.poll(async () => {
      await page.click(`li[data-session="${fisherInfo.sessionId}"]`);
      return page.textContent('#v-layers');
    }, { timeout: 10_000 }).toBe('step 5 · 2 layers');
    const fisherRows = await tableRows(page);
    expect(fisherRows.map((r) => [r.layer, r.cells['cosine']!.text, r.cells['ef-trace']!.text, r.cells['fisher-trace']!.value])).toEqual([
      ['fc1', '–', '–', fisherLast.diagnostics.values['layer.fc1.fisher.trace']],
      ['fc2', '–', '–', fisherLast.diagnostics.values['layer.fc2.fisher.trace']],
    ]);
    expect(await page.isHidden('#layer-plots')).toBe(true);
    expect(await page.textContent('#layer-plots-note')).toBe('track both F and EF to see it');

    // 18 layers: every one in the table, the cosine plotted for the first 16 (the history's bound), said so.
    const wide = await FisherdClient.connect(daemon.url, { clientName: 'kfac-wide' });
    const names = Array.from({ length: 18 }, (_, i) => `l${String(i).padStart(2, '0')}`);
    const wideInfo = await wide.openSession({
      name: 'kfac · 18 layers', dim: 18 * 2, blocks: names.map((name) => ({ name, size: 2, structure: { kind: 'kronecker' as const, outputs: 1, inputs: 1, bias: true } })),
      optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-2 }, track: { empiricalFisher: true, fisher: true },
    });
    for (let s = 0; s < 3; s++) {
      const r = stream(77 + s);
      const fill = (n: number) => Float64Array.from({ length: n }, r);
      await wide.step({
        batchSize: B, reduction: 'sum',
        statistics: names.map((block) => ({
          block, kind: 'kronecker' as const,
          kronecker: kroneckerStatisticsFromPairs({ outputs: 1, inputs: 1, bias: true, count: B, activations: fill(B), outputGrads: fill(B), sampled: { outputGrads: fill(2 * B), samplesPerExample: 2 }, factors: true }),
        })),
      });
    }
    await page.click(`li[data-session="${wideInfo.sessionId}"]`);
    await expect.poll(() => page.textContent('#v-layers'), { timeout: 10_000 }).toBe('step 3 · 18 layers');
    expect((await tableRows(page)).map((r) => r.layer)).toEqual(names);
    expect((await layerPlots(page)).map(([name, points]) => [name, points])).toEqual(names.slice(0, 16).map((name) => [name, 3]));
    expect(await page.textContent('#layer-plots-note')).toBe('the first 16 of 18 layers');
    await wide.close();

    // Back to the diagonal session: the panel goes away again.
    await page.click(`li[data-session="${plainInfo.sessionId}"]`);
    await expect.poll(() => page.isHidden('#layers'), { timeout: 5000 }).toBe(true);

    // The JSON state carries the same table.
    const state = await (await fetch(`${daemon.http}/dashboard/state`)).json() as {
      sessions: Array<{ info: { id: string }; layers?: { step: number; layers: Array<{ name: string; cosineEfFisher?: number }> } }>;
    };
    const kfacState = state.sessions.find((s) => s.info.id === info.sessionId)!;
    expect(kfacState.layers?.step).toBe(30);
    expect(kfacState.layers?.layers.map((l) => [l.name, l.cosineEfFisher])).toEqual([['fc1', v['layer.fc1.cosineEfFisher']], ['fc2', v['layer.fc2.cosineEfFisher']]]);
    expect(state.sessions.find((s) => s.info.id === plainInfo.sessionId)).not.toHaveProperty('layers');

    await Promise.all([plain.close(), kfac.close(), other.close(), fisherOnly.close()]);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
