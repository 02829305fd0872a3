/** The dashboard inside the real daemon (separate process): on by default, off with --dashboard off. */
import { describe, expect, it } from 'vitest';
import { startDaemon } from '../e2e/daemon-harness.js';

describe('dashboard in the daemon', () => {
  it('serves the page and counts its viewers by default; --dashboard off leaves / to the 404', async () => {
    const on = await startDaemon();
    try {
      const page = await fetch(`${on.http}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('fisherd dashboard');
      expect(await (await fetch(`${on.http}/metrics`)).text()).toMatch(/^fisherd_dashboard_viewers 0$/m);
      expect((await fetch(`${on.http}/livez`)).status).toBe(200); // the daemon's own routes still answer
    } finally {
      expect(await on.kill('SIGTERM')).toBe(0);
    }
    const off = await startDaemon(['--dashboard', 'off']);
    try {
      expect((await fetch(`${off.http}/`)).status).toBe(404);
      expect((await fetch(`${off.http}/dashboard/state`)).status).toBe(404);
    } finally {
      expect(await off.kill('SIGTERM')).toBe(0);
    }
  });
});
