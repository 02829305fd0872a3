/**
 * The dashboard page: one self-contained HTML document (inline CSS and script, no CDN, no build step),
 * served with a Content-Security-Policy that allows exactly its own inline script and style (by hash)
 * and WebSocket/fetch to its own origin.
 *
 * Layout for a laptop screen: the sessions on the left (by name, grouped live / closed / discarded), the
 * selected session's facts and its plots (3 per row from 1200 px wide, 2 below) on the right, with a
 * "compare with" choice that overlays another run's curves; below them, for a session with Kronecker
 * (K-FAC) blocks only, the per-layer table and cosine plots; light and dark themes follow the system.
 */
import { createHash } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './page-script.js';

export interface StaticPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

const STYLE = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --ink: #1d2433; --muted: #5b6478; --line: #e3e6ec; --grid: #eef0f4;
  --accent: #2f5bd3; --ok: #15803d; --off: #9aa1ae;
  --c-loss: #0f766e; --c-grad: #7c3aed; --c-update: #c2410c; --c-cosine: #2563eb;
  --c-fisher: #2563eb; --c-ef: #ea580c; --c-snr: #0d9488; --c-compare: #be185d;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #11151c; --panel: #181d26; --ink: #e6e9ef; --muted: #9aa3b5; --line: #2a3140; --grid: #222937;
          --accent: #7aa2ff; --c-loss: #2dd4bf; --c-grad: #a78bfa; --c-update: #fb923c; --c-cosine: #60a5fa;
          --c-fisher: #60a5fa; --c-ef: #fb923c; --c-snr: #2dd4bf; --c-compare: #f472b6; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
header { display: flex; align-items: center; gap: 14px; padding: 10px 20px; background: var(--panel);
         border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 1; }
header h1 { font-size: 17px; margin: 0; font-weight: 650; letter-spacing: .2px; }
header h1 span { color: var(--muted); font-weight: 450; }
header .spacer { flex: 1; }
#session-count { color: var(--muted); }
.status { font-size: 12px; padding: 2px 9px; border-radius: 999px; border: 1px solid currentColor; }
.status.live { color: var(--ok); }
.status.closed, .status.discarded { color: var(--off); }
.status.discarded { text-decoration: line-through; }
.layout { display: grid; grid-template-columns: 250px 1fr; min-height: calc(100vh - 50px); }
aside { border-right: 1px solid var(--line); padding: 12px 10px; background: var(--panel); }
aside h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 4px 8px 8px; }
#sessions .group { margin-bottom: 10px; }
.session-list { list-style: none; margin: 0; padding: 0; }
.session-list .none { color: var(--muted); font-size: 12px; margin: 0 10px 6px; }
.session.discarded .sname { text-decoration: line-through; color: var(--muted); }
.session.compared { border-color: var(--c-compare); border-style: dashed; }
.session { padding: 8px 10px; border-radius: 8px; cursor: pointer; margin-bottom: 4px; border: 1px solid transparent; }
.session:hover { background: var(--grid); }
.session.selected { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 8%, transparent); }
.session .row { display: flex; align-items: center; gap: 8px; }
.session .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--off); flex: none; }
.session.live .dot { background: var(--ok); box-shadow: 0 0 0 3px color-mix(in srgb, var(--ok) 20%, transparent); }
.session .sname { font-weight: 550; font-size: 13px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.session .opt { margin-left: auto; font-size: 11px; font-weight: 600; color: var(--accent); }
.session .meta { color: var(--muted); font-size: 12px; margin: 2px 0 0 16px; }
main { padding: 16px 20px 24px; min-width: 0; }
#empty { max-width: 640px; margin: 60px auto; color: var(--muted); }
#empty code { display: block; background: var(--panel); border: 1px solid var(--line); padding: 10px 12px;
              border-radius: 8px; margin-top: 8px; color: var(--ink); white-space: pre; overflow-x: auto; }
.title { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; }
.title h2 { margin: 0; font-size: 16px; font-weight: 650; }
.title .sid { color: var(--muted); font-size: 12px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.title .compare { margin-left: auto; color: var(--muted); font-size: 13px; }
.title select { font: inherit; max-width: 320px; }
#compare-legend { display: flex; align-items: center; gap: 6px; font-size: 12px; color: var(--muted); margin: -2px 0 8px; }
#compare-legend[hidden] { display: none; }
.key-line { display: inline-block; width: 22px; border-top: 2px solid var(--ink); margin-left: 8px; }
.key-line.dashed { border-top: 2px dashed var(--c-compare); }
#facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin-bottom: 14px; padding: 10px 14px;
         background: var(--panel); border: 1px solid var(--line); border-radius: 10px; }
.fact { display: flex; flex-direction: column; }
.fact .label { font-size: 12px; color: var(--muted); }
.fact .value { font-weight: 600; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px; }
@media (min-width: 1200px) { .grid { grid-template-columns: repeat(3, minmax(0, 1fr)); } }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 6px; min-width: 0; }
.panel h3 { display: flex; align-items: baseline; gap: 8px; margin: 0; font-size: 13px; font-weight: 600; }
.panel h3 .value { margin-left: auto; font-variant-numeric: tabular-nums; font-weight: 600; color: var(--ink); }
.panel .note { margin: 0 0 2px; color: var(--muted); font-size: 12px; min-height: 17px; }
.panel svg { display: block; width: 100%; height: clamp(170px, calc((100vh - 330px) / 2), 320px); overflow: visible; }
.key { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 8px; vertical-align: -1px; }
.key.fisher { background: var(--c-fisher); } .key.ef { background: var(--c-ef); }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .tick, svg .legend { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
svg .axis-label { fill: var(--muted); font-size: 11px; font-style: italic; }
svg .empty { fill: var(--muted); font-size: 13px; }
svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg .line.raw { stroke-width: 1; opacity: .35; }
svg .line.loss { stroke: var(--c-loss); }  svg .last.loss { fill: var(--c-loss); }
svg .line.grad { stroke: var(--c-grad); }  svg .last.grad { fill: var(--c-grad); }
svg .line.update { stroke: var(--c-update); }  svg .last.update { fill: var(--c-update); }
svg .line.cosine { stroke: var(--c-cosine); }  svg .last.cosine { fill: var(--c-cosine); }
svg .line.compare { stroke: var(--c-compare); stroke-dasharray: 6 4; stroke-width: 1.6; }
svg .line.damping { stroke: var(--c-fisher); }  svg .last.damping { fill: var(--c-fisher); }
svg .reference { stroke: var(--muted); stroke-dasharray: 4 4; stroke-width: 1; }
svg .mean { stroke: var(--ink); stroke-dasharray: 3 3; stroke-width: 1.2; }
svg .bar.snr { fill: var(--c-snr); opacity: .85; }
svg .bar.fisher { fill: var(--c-fisher); }
svg .bar.ef { fill: var(--c-ef); }
.layers { margin-top: 14px; }
.layers[hidden], .layer-plots[hidden] { display: none; }
.table-wrap { overflow-x: auto; max-height: 420px; overflow-y: auto; }
#layer-table { border-collapse: collapse; width: auto; min-width: 60%; font-size: 13px; font-variant-numeric: tabular-nums; }
#layer-table th { text-align: right; font-weight: 600; color: var(--muted); padding: 4px 10px; border-bottom: 1px solid var(--line);
                  position: sticky; top: 0; background: var(--panel); white-space: nowrap; }
#layer-table th:first-child, #layer-table td.lname { text-align: left; }
#layer-table td { padding: 3px 10px; border-bottom: 1px solid var(--grid); text-align: right; white-space: nowrap; }
#layer-table td.lname { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.layers h4 { display: flex; gap: 8px; align-items: baseline; margin: 12px 0 4px; font-size: 13px; font-weight: 600; }
.layers h4 span { color: var(--muted); font-weight: 400; font-size: 12px; }
.layer-plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 4px 14px; }
.lp-title { display: flex; gap: 8px; font-size: 12px; }
.lp-title .lname { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lp-title .value { margin-left: auto; font-weight: 600; font-variant-numeric: tabular-nums; }
.panel .layer-plot svg { height: 130px; }
.ask { max-width: 520px; margin: 60px auto; padding: 0 20px; }
.ask input { padding: 6px 8px; width: 300px; font: inherit; }
.ask button { padding: 6px 14px; font: inherit; }
`;

function panel(id: string, title: string, note: string): string {
  return `<section class="panel" data-panel="${id}">
      <h3>${title}<span class="value" id="v-${id}">–</span></h3>
      <p class="note">${note}</p>
      <svg id="plot-${id}" role="img" aria-label="${title.replace(/<[^>]+>/g, '')}" data-points="0"></svg>
    </section>`;
}

const BODY = `
<header>
  <h1>fisherd <span>· live dashboard</span></h1>
  <span id="session-count">0 sessions</span>
  <span class="spacer"></span>
  <span id="connection" class="status closed">connecting…</span>
</header>
<div class="layout">
  <aside>
    <div id="sessions"></div>
  </aside>
  <main>
    <div id="empty">
      <p><strong>No sessions yet.</strong> Connect a training job to this daemon; its session appears here
      with live plots of its loss, gradient and update norms, the EF-vs-Fisher cosine, the SNR
      factors and the top eigenvalues of F and EF.</p>
      <code>const client = await FisherdClient.connect('ws://HOST:7070', { token });
await client.openSession({ dim, optimizer: { name: 'ngd', stepSize: 0.1, damping: 1e-3 },
                           track: { empiricalFisher: true, fisher: true, noise: true } });</code>
    </div>
    <div id="session-view" hidden>
      <div class="title"><h2 id="title-name"></h2><span id="title-id" class="sid"></span><span id="title-status" class="status"></span>
        <label class="compare">compare with <select id="compare" aria-label="compare with another run"></select></label></div>
      <div id="compare-legend" hidden></div>
      <div id="facts"></div>
      <div class="grid">
        ${panel('loss', 'Loss', 'sample-weighted mean of the workers’ losses')}
        ${panel('grad', 'Gradient norm ‖ḡ‖', 'bias-corrected mean gradient, log scale')}
        ${panel('update', 'Update norm ‖Δθ‖', 'the update sent back, log scale')}
        ${panel('cosine', 'cos(EF, Fisher) direction', 'cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ): 1 when EF and F agree')}
        ${panel('damping', 'Damping λ', 'λ per step, log scale; adapted by the Levenberg–Marquardt rule (ρ) with optimizer.dampingAdaptation')}
        ${panel('snr', 'SNR factors', 'share of coordinates with D<sub>ii</sub> = ḡ<sub>i</sub>² / (ḡ<sub>i</sub>² + ρS<sub>ii</sub>)')}
        ${panel('eigen', 'Top eigenvalues of F and EF', 'largest λ<sub>k</sub>, log scale <span class="key fisher"></span>F (Fisher) <span class="key ef"></span>EF (empirical)')}
      </div>
      <section class="panel layers" id="layers" data-panel="layers" hidden>
        <h3>Layers (K-FAC blocks)<span class="value" id="v-layers">–</span></h3>
        <p class="note">each Kronecker block A⊗G at the latest step: cos((Ẽ+λI)⁻¹ḡ, (F+λI)⁻¹ḡ) of its updates; trace and
          largest eigenvalue λ<sub>1</sub> = λ<sub>1</sub>(A)λ<sub>1</sub>(G) of F and EF (hover for the top 3); the factors’ updates t and the installed decomposition’s version</p>
        <div class="table-wrap"><table id="layer-table">
          <thead><tr><th>layer</th><th>cos(EF, F)</th><th>tr F</th><th>λ<sub>1</sub> F</th><th>tr EF</th><th>λ<sub>1</sub> EF</th><th>factor updates</th><th>basis</th></tr></thead>
          <tbody id="layer-rows"></tbody>
        </table></div>
        <h4>cos(EF, Fisher) per layer <span id="layer-plots-note"></span></h4>
        <div id="layer-plots" class="layer-plots"></div>
      </section>
    </div>
  </main>
</div>`;

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64');
}

function policy(script: string | undefined): string {
  return [
    "default-src 'none'",
    script === undefined ? undefined : `script-src 'sha256-${sha256Base64(script)}'`,
    `style-src 'sha256-${sha256Base64(STYLE)}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].filter((d) => d !== undefined).join('; ');
}

function document(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>${body}${script === undefined ? '' : `<script>${script}</script>`}</body>
</html>
`;
}

/** The dashboard. */
export const DASHBOARD_PAGE: StaticPage = {
  html: document('fisherd dashboard', BODY, DASHBOARD_SCRIPT),
  contentSecurityPolicy: policy(DASHBOARD_SCRIPT),
};

/** The page asking for the daemon's token (no script); `wrong` when a token was given and refused. */
export function UNAUTHORIZED_PAGE(wrong: boolean): StaticPage {
  const body = `
<header><h1>fisherd <span>· live dashboard</span></h1></header>
<main class="ask">
  <p>This daemon requires its bearer token${wrong ? ' — <strong>the token given was wrong</strong>' : ''}.
  Enter it once; the browser keeps a cookie for this daemon.</p>
  <form method="get" action="/">
    <input type="password" name="token" autocomplete="current-password" placeholder="FISHERD_TOKEN" autofocus>
    <button type="submit">Open</button>
  </form>
</main>`;
  return { html: document('fisherd dashboard: token', body), contentSecurityPolicy: policy(undefined) };
}
