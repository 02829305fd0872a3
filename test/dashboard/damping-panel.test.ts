/**
 * The dashboard's damping panel: the feed carries λ (`damping`) and damping adaptation's ρ (`rho`) of
 * every step, and the page has the λ-over-steps plot.
 */
import { describe, expect, it } from 'vitest';
import { stepOfOutcome } from '../../src/server/dashboard/dashboard-feed.js';
import { DASHBOARD_PAGE } from '../../src/server/dashboard/page.js';

describe('dashboard damping panel', () => {
  it('carries damping and rho from the update diagnostics', () => {
    const step = stepOfOutcome({
      step: 3, delta: new Float32Array(1),
      diagnostics: { batchSize: 1, updateNorm: 1, computeSeconds: 0, values: { gradNorm: 1, damping: 0.81, rho: 0.97 } },
    }, 5);
    expect(step.damping).toBe(0.81);
    expect(step.rho).toBe(0.97);
    const without = stepOfOutcome({ step: 4, delta: new Float32Array(1), diagnostics: { batchSize: 1, updateNorm: 1, computeSeconds: 0, values: {} } }, 5);
    expect('rho' in without).toBe(false);
  });
  it('has a log-scale λ plot fed from the steps’ damping', () => {
    const html = DASHBOARD_PAGE.html;
    expect(html).toContain('id="plot-damping"');
    expect(html).toContain("linePlot(document.getElementById('plot-damping'), steps, 'damping'");
  });
});
