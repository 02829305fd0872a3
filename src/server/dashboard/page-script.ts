/**
 * The dashboard page's script (browser JavaScript, ES2020, no libraries), inlined into the page by
 * page.ts. It keeps the sessions the hub pushes (messages.ts), lists them by name in three groups (live,
 * closed: resumable, discarded), and draws the selected one's plots as SVG by hand: line plots of loss,
 * ‖ḡ‖, ‖Δθ‖ and the EF-vs-Fisher cosine against the step, a histogram of the SNR factors, and the top
 * eigenvalues of F and EF as grouped bars on a log axis. "Compare with" overlays a second run's curves
 * (dashed) on the four line plots, on shared axes; the address keeps both (#session=ID&compare=ID).
 * A session with Kronecker (K-FAC) blocks also gets the "Layers" panel: a table of the latest step's
 * per-layer values (one row per block, data-layer=NAME; each number's cell has data-key and, raw,
 * data-value) and small multiples of each layer's EF-vs-Fisher cosine against the step (linePlot, the
 * compared run's same layer dashed); a session without them never shows it.
 *
 * Each plot's <svg> carries data-points (values drawn) and, when comparing, data-compare-points (the
 * other run's values drawn) so that tests can see that it shows data.
 * Written as a plain string (String.raw: no template literals or "${" inside).
 */
export const DASHBOARD_SCRIPT = String.raw`
'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var state = { sessions: new Map(), selected: null, compare: null, historyLimit: 2000, connected: false };
  var GROUPS = [['live', 'Live'], ['closed', 'Closed'], ['discarded', 'Discarded']];
  var dirty = false;

  // ---- formatting -------------------------------------------------------------------------------
  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace('e+', 'e');
    if (a >= 100) return v.toFixed(0);
    if (a >= 1) return v.toFixed(3).replace(/\.?0+$/, '');
    return v.toPrecision(3);
  }
  function tickLabel(v) {
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 1e4 || a < 1e-2) {
      var e = Math.floor(Math.log10(a) + 1e-9), m = v / Math.pow(10, e);
      return (Math.abs(m - 1) < 1e-9 ? '' : (+m.toFixed(1)) + '·') + '1e' + e;
    }
    return String(+v.toPrecision(3));
  }
  function ago(ms) {
    var s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    return (s / 3600).toFixed(1) + ' h';
  }
  function el(tag, attrs, parent, text) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function h(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- scales -----------------------------------------------------------------------------------
  function niceTicks(lo, hi, count) {
    if (!(hi > lo)) { var d = Math.abs(lo) || 1; lo -= d / 2; hi += d / 2; }
    var raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw))), r = raw / mag;
    var step = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
    var ticks = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    return { lo: lo, hi: hi, ticks: ticks };
  }
  // Decades on a log axis; with at most two decades shown, also 2× and 5× so that it stays readable.
  function logTicks(lo, hi) {
    var a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    if (b - a < 1) { a -= 1; b += 1; }
    var ticks = [], every = Math.ceil((b - a) / 5);
    for (var e = a; e <= b; e += every) {
      ticks.push(Math.pow(10, e));
      if (b - a <= 2 && e < b) ticks.push(2 * Math.pow(10, e), 5 * Math.pow(10, e));
    }
    return { lo: Math.pow(10, a), hi: Math.pow(10, b), ticks: ticks };
  }
  function linear(d0, d1, r0, r1) { return function (v) { return r0 + (v - d0) / (d1 - d0 || 1) * (r1 - r0); }; }
  function logScale(d0, d1, r0, r1) {
    var l0 = Math.log10(d0), l1 = Math.log10(d1);
    return function (v) { return r0 + (Math.log10(v) - l0) / (l1 - l0 || 1) * (r1 - r0); };
  }

  // ---- plots ------------------------------------------------------------------------------------
  var M = { left: 52, right: 12, top: 10, bottom: 26 };

  function frame(svg) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var w = Math.max(200, svg.clientWidth || svg.parentNode.clientWidth || 400), hgt = Math.max(120, svg.clientHeight || 180);
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + hgt);
    return { w: w, h: hgt, x0: M.left, x1: w - M.right, y0: hgt - M.bottom, y1: M.top };
  }
  function emptyPlot(svg, message) {
    var f = frame(svg);
    svg.setAttribute('data-points', '0');
    el('text', { x: (f.x0 + f.x1) / 2, y: (f.y0 + f.y1) / 2, 'class': 'empty', 'text-anchor': 'middle' }, svg, message);
  }
  function yAxis(svg, f, scale, ticks) {
    ticks.forEach(function (t) {
      var y = scale(t);
      el('line', { x1: f.x0, x2: f.x1, y1: y, y2: y, 'class': 'grid' }, svg);
      el('text', { x: f.x0 - 6, y: y + 4, 'class': 'tick', 'text-anchor': 'end' }, svg, tickLabel(t));
    });
  }
  function xAxis(svg, f, scale, ticks, label) {
    ticks.forEach(function (t) {
      var x = scale(t);
      el('line', { x1: x, x2: x, y1: f.y0, y2: f.y0 + 4, 'class': 'axis' }, svg);
      el('text', { x: x, y: f.y0 + 16, 'class': 'tick', 'text-anchor': 'middle' }, svg, tickLabel(t));
    });
    el('line', { x1: f.x0, x2: f.x1, y1: f.y0, y2: f.y0, 'class': 'axis' }, svg);
    if (label) el('text', { x: f.x1, y: f.y0 + 16, 'class': 'axis-label', 'text-anchor': 'end' }, svg, label);
  }

  function pathOf(pts, sx, sy) {
    var d = '';
    for (var j = 0; j < pts.length; j++) d += (j === 0 ? 'M' : 'L') + sx(pts[j][0]).toFixed(1) + ',' + sy(pts[j][1]).toFixed(1);
    return d;
  }
  // TensorBoard-style smoothing for reading a noisy curve: a debiased EMA over the points shown (weight
  // 0.8), in log space on a log axis. The raw values stay drawn, lighter, underneath.
  function smoothed(pts, log) {
    var w = 0.8, acc = 0, norm = 0, out = [];
    for (var i = 0; i < pts.length; i++) {
      var v = log ? Math.log(pts[i][1]) : pts[i][1];
      acc = w * acc + (1 - w) * v;
      norm = w * norm + (1 - w);
      out.push([pts[i][0], log ? Math.exp(acc / norm) : acc / norm]);
    }
    return out;
  }

  function pointsOf(steps, key, log) {
    var pts = [];
    for (var i = 0; i < steps.length; i++) {
      var v = steps[i][key];
      if (typeof v === 'number' && isFinite(v) && (!log || v > 0)) pts.push([steps[i].step, v]);
    }
    return pts;
  }
  // A line against the step. opts: { log, fixed: [lo, hi], cls (colour class), emptyMessage, reference: y }.
  // otherSteps (optional): a second run's steps, drawn dashed on the same axes.
  function linePlot(svg, steps, key, opts, otherSteps) {
    var pts = pointsOf(steps, key, opts.log);
    var other = otherSteps ? pointsOf(otherSteps, key, opts.log) : [];
    svg.setAttribute('data-compare-points', String(other.length));
    if (pts.length === 0 && other.length === 0) { emptyPlot(svg, opts.emptyMessage || 'no data yet'); svg.setAttribute('data-compare-points', '0'); return; }
    var f = frame(svg);
    var all = pts.concat(other);
    var xlo = Infinity, xhi = -Infinity;
    all.forEach(function (p) { if (p[0] < xlo) xlo = p[0]; if (p[0] > xhi) xhi = p[0]; });
    var xs = niceTicks(xlo, Math.max(xhi, xlo + 1), Math.max(2, Math.floor((f.x1 - f.x0) / 70)));
    var sx = linear(xs.lo, xs.hi, f.x0, f.x1);
    var ylo = Infinity, yhi = -Infinity;
    all.forEach(function (p) { if (p[1] < ylo) ylo = p[1]; if (p[1] > yhi) yhi = p[1]; });
    var ys, sy;
    if (opts.fixed) { ys = niceTicks(opts.fixed[0], opts.fixed[1], 4); ys.lo = opts.fixed[0]; ys.hi = opts.fixed[1]; sy = linear(ys.lo, ys.hi, f.y0, f.y1); }
    else if (opts.log) { ys = logTicks(ylo, yhi); sy = logScale(ys.lo, ys.hi, f.y0, f.y1); }
    else { var pad = (yhi - ylo) * 0.08 || Math.abs(yhi) * 0.1 || 1; ys = niceTicks(ylo - pad, yhi + pad, 4); sy = linear(ys.lo, ys.hi, f.y0, f.y1); }
    yAxis(svg, f, sy, ys.ticks.filter(function (t) { return t >= ys.lo - 1e-12 && t <= ys.hi * (1 + 1e-12) + 1e-12; }));
    xAxis(svg, f, sx, xs.ticks.filter(function (t) { return t >= xs.lo && t <= xs.hi && sx(t) < f.x1 - 52; }), 'step');
    if (opts.reference !== undefined) {
      var ry = sy(opts.reference);
      el('line', { x1: f.x0, x2: f.x1, y1: ry, y2: ry, 'class': 'reference' }, svg);
    }
    if (other.length > 0) {
      var otherSmooth = other.length >= 20 ? smoothed(other, opts.log) : other;
      el('path', { d: pathOf(otherSmooth, sx, sy), 'class': 'line compare' }, svg);
    }
    if (pts.length > 0) {
      var smooth = pts.length >= 20 ? smoothed(pts, opts.log) : null;
      el('path', { d: pathOf(pts, sx, sy), 'class': 'line ' + opts.cls + (smooth ? ' raw' : '') }, svg);
      if (smooth) el('path', { d: pathOf(smooth, sx, sy), 'class': 'line ' + opts.cls }, svg);
      var last = pts[pts.length - 1];
      el('circle', { cx: sx(last[0]), cy: sy(last[1]), r: 3, 'class': 'last ' + opts.cls }, svg);
    }
    svg.setAttribute('data-points', String(pts.length));
  }

  function histogramPlot(svg, hist, emptyMessage) {
    if (!hist || !hist.total) { emptyPlot(svg, emptyMessage); return; }
    var f = frame(svg), bins = hist.counts.length, max = Math.max.apply(null, hist.counts) || 1;
    var ys = niceTicks(0, max / hist.total, 4);
    ys.lo = 0;
    var sy = linear(0, ys.hi, f.y0, f.y1), sx = linear(0, 1, f.x0, f.x1);
    yAxis(svg, f, sy, ys.ticks.filter(function (t) { return t <= ys.hi; }));
    xAxis(svg, f, sx, [0, 0.25, 0.5, 0.75], 'D_ii → 1');
    hist.counts.forEach(function (c, j) {
      if (c === 0) return;
      var x = sx(j / bins), w = sx((j + 1) / bins) - x, y = sy(c / hist.total);
      el('rect', { x: x + 1, y: y, width: Math.max(1, w - 2), height: f.y0 - y, 'class': 'bar snr' }, svg).appendChild(
        document.createElementNS(SVG, 'title')).textContent = (j / bins).toFixed(2) + '–' + ((j + 1) / bins).toFixed(2) + ': ' + c + ' of ' + hist.total;
    });
    var mx = sx(hist.mean);
    el('line', { x1: mx, x2: mx, y1: f.y0, y2: f.y1, 'class': 'mean' }, svg);
    el('text', { x: Math.min(mx + 4, f.x1 - 60), y: f.y1 + 10, 'class': 'tick' }, svg, 'mean ' + hist.mean.toFixed(3));
    svg.setAttribute('data-points', String(hist.counts.filter(function (c) { return c > 0; }).length));
  }

  function eigenPlot(svg, spectrum, emptyMessage) {
    var series = [];
    if (spectrum && spectrum.topEigenvalues.fisher) series.push({ name: 'F', values: spectrum.topEigenvalues.fisher, cls: 'fisher' });
    if (spectrum && spectrum.topEigenvalues.empiricalFisher) series.push({ name: 'EF', values: spectrum.topEigenvalues.empiricalFisher, cls: 'ef' });
    var positive = [];
    series.forEach(function (s) { s.values.forEach(function (v) { if (v > 0 && isFinite(v)) positive.push(v); }); });
    if (positive.length === 0) { emptyPlot(svg, emptyMessage); return; }
    var f = frame(svg), k = Math.max.apply(null, series.map(function (s) { return s.values.length; }));
    var ys = logTicks(Math.min.apply(null, positive), Math.max.apply(null, positive)), sy = logScale(ys.lo, ys.hi, f.y0, f.y1);
    yAxis(svg, f, sy, ys.ticks);
    var slot = (f.x1 - f.x0) / k, bw = Math.min(18, (slot - 6) / series.length);
    var ticks = [];
    for (var i = 0; i < k; i++) {
      var cx = f.x0 + slot * (i + 0.5);
      ticks.push(cx);
      el('text', { x: cx, y: f.y0 + 16, 'class': 'tick', 'text-anchor': 'middle' }, svg, String(i + 1));
      series.forEach(function (s, si) {
        var v = s.values[i];
        if (!(v > 0)) return;
        var x = cx - (series.length * bw) / 2 + si * bw, y = sy(Math.max(v, ys.lo));
        el('rect', { x: x, y: y, width: bw - 1, height: f.y0 - y, 'class': 'bar ' + s.cls }, svg)
          .appendChild(document.createElementNS(SVG, 'title')).textContent = s.name + ' λ' + (i + 1) + ' = ' + fmt(v);
      });
    }
    el('line', { x1: f.x0, x2: f.x1, y1: f.y0, y2: f.y0, 'class': 'axis' }, svg);
    svg.setAttribute('data-points', String(positive.length));
  }

  // ---- state ------------------------------------------------------------------------------------
  function thinInPlace(steps, limit) {
    if (steps.length <= limit) return steps;
    var out = [];
    for (var i = steps.length - 1; i >= 0; i -= 2) out.push(steps[i]);
    return out.reverse();
  }
  function upsert(info, status) {
    var s = state.sessions.get(info.id);
    if (!s) { s = { info: info, status: status, live: status === 'live', steps: [], spectrum: null, layers: null }; state.sessions.set(info.id, s); }
    else { s.info = info; s.status = status; s.live = status === 'live'; }
    return s;
  }
  function nameOf(s) { return s.info.name || s.info.id.slice(0, 8); }
  function onMessage(msg) {
    if (msg.type === 'snapshot') {
      state.sessions = new Map();
      state.historyLimit = msg.historyLimit;
      msg.sessions.forEach(function (x) { var s = upsert(x.info, x.status || (x.live ? 'live' : 'closed')); s.steps = x.steps.slice(); s.spectrum = x.spectrum || null; s.layers = x.layers || null; });
    } else if (msg.type === 'open') {
      upsert(msg.session, 'live');
      if (!state.selected || !state.sessions.get(state.selected) || !state.sessions.get(state.selected).live) state.selected = msg.session.id;
    } else if (msg.type === 'steps') {
      var s = state.sessions.get(msg.sessionId);
      if (!s) return;
      var lastStep = s.steps.length ? s.steps[s.steps.length - 1].step : -Infinity;
      msg.steps.forEach(function (st) { if (st.step > lastStep) { s.steps.push(st); lastStep = st.step; } });
      s.steps = thinInPlace(s.steps, 2 * state.historyLimit);
      if (msg.layers) s.layers = msg.layers;
    } else if (msg.type === 'spectrum') {
      var t = state.sessions.get(msg.sessionId);
      if (t) t.spectrum = msg.spectrum;
    } else if (msg.type === 'close') {
      var c = state.sessions.get(msg.sessionId);
      if (c) { c.live = false; c.status = msg.status || 'closed'; }
    }
    if (!state.selected || !state.sessions.has(state.selected)) state.selected = pickDefault();
    if (state.compare && (!state.sessions.has(state.compare) || state.compare === state.selected)) state.compare = null;
    invalidate();
  }
  function pickDefault() {
    var best = null, bestTime = -1;
    state.sessions.forEach(function (s) {
      var t = (s.live ? 1e15 : 0) + (s.steps.length ? s.steps[s.steps.length - 1].time : s.info.openedAt);
      if (t > bestTime) { best = s.info.id; bestTime = t; }
    });
    return best;
  }
  function invalidate() {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(function () { dirty = false; render(); });
  }

  // ---- rendering --------------------------------------------------------------------------------
  function stepsPerSecond(steps) {
    if (steps.length < 2) return null;
    var a = steps[Math.max(0, steps.length - 30)], b = steps[steps.length - 1];
    var dt = (b.time - a.time) / 1000;
    return dt > 0 ? (b.step - a.step) / dt : null;
  }
  function setHash() {
    location.hash = 'session=' + state.selected + (state.compare ? '&compare=' + state.compare : '');
  }
  function renderList() {
    var list = document.getElementById('sessions');
    list.textContent = '';
    var items = Array.from(state.sessions.values()).sort(function (a, b) { return b.info.openedAt - a.info.openedAt; });
    var live = items.filter(function (s) { return s.status === 'live'; }).length;
    document.getElementById('session-count').textContent = (items.length === 1 ? '1 session' : items.length + ' sessions') + ' · ' + live + ' live';
    GROUPS.forEach(function (g) {
      var members = items.filter(function (s) { return s.status === g[0]; });
      if (members.length === 0 && g[0] !== 'live') return;
      var group = h('section', 'group');
      group.setAttribute('data-group', g[0]);
      group.appendChild(h('h2', null, g[1] + ' (' + members.length + ')'));
      var ul = h('ul', 'session-list');
      if (members.length === 0) ul.appendChild(h('li', 'none', 'none'));
      members.forEach(function (s) {
        var last = s.steps[s.steps.length - 1];
        var li = h('li', 'session ' + s.status + (s.info.id === state.selected ? ' selected' : '') + (s.info.id === state.compare ? ' compared' : ''));
        li.setAttribute('data-session', s.info.id);
        li.title = nameOf(s) + ' · ' + s.info.id;
        var top = h('div', 'row');
        top.appendChild(h('span', 'dot'));
        top.appendChild(h('span', 'sname', nameOf(s)));
        top.appendChild(h('span', 'opt', s.info.optimizer.toUpperCase()));
        li.appendChild(top);
        li.appendChild(h('div', 'meta', s.info.id.slice(0, 8) + ' · step ' + (last ? last.step : s.info.resumedStep) + ' · D ' + s.info.dim.toLocaleString('en-US') +
          (last && last.loss !== undefined && last.loss !== null ? ' · loss ' + fmt(last.loss) : '')));
        li.addEventListener('click', function () {
          state.selected = s.info.id;
          if (state.compare === s.info.id) state.compare = null;
          setHash();
          invalidate();
        });
        ul.appendChild(li);
      });
      group.appendChild(ul);
      list.appendChild(group);
    });
  }
  function renderCompare(s) {
    var select = document.getElementById('compare');
    var others = Array.from(state.sessions.values()).sort(function (a, b) { return b.info.openedAt - a.info.openedAt; })
      .filter(function (o) { return o.info.id !== s.info.id; });
    var labels = others.map(function (o) { return nameOf(o) + ' · ' + o.info.optimizer.toUpperCase() + ' · ' + o.status; });
    var key = others.map(function (o, i) { return o.info.id + labels[i]; }).join('|');
    if (select.getAttribute('data-key') !== key) { // rebuilt only when the runs change, so that an open list stays open
      select.setAttribute('data-key', key);
      select.textContent = '';
      var none = h('option', null, '— none —');
      none.value = '';
      select.appendChild(none);
      others.forEach(function (o, i) {
        var opt = h('option', null, labels[i]);
        opt.value = o.info.id;
        select.appendChild(opt);
      });
    }
    select.value = state.compare || '';
    var legend = document.getElementById('compare-legend');
    legend.textContent = '';
    var other = state.compare ? state.sessions.get(state.compare) : null;
    legend.hidden = !other;
    if (other) {
      legend.appendChild(h('span', 'key-line solid'));
      legend.appendChild(h('span', 'who', nameOf(s)));
      legend.appendChild(h('span', 'key-line dashed'));
      legend.appendChild(h('span', 'who', nameOf(other)));
    }
    return other;
  }
  function fact(parent, label, value) {
    var d = h('div', 'fact');
    d.appendChild(h('span', 'label', label));
    d.appendChild(h('span', 'value', value));
    parent.appendChild(d);
  }
  function setValue(id, v) { document.getElementById(id).textContent = fmt(v); }

  // ---- per-layer (K-FAC) panel ------------------------------------------------------------------
  function cell(tr, key, v, title) {
    var td = h('td', 'num', key === 'factor-updates' || key === 'basis-version' ? (typeof v === 'number' && isFinite(v) ? String(v) : '–') : fmt(v));
    td.setAttribute('data-key', key);
    if (typeof v === 'number') td.setAttribute('data-value', String(v));
    if (title) td.title = title;
    tr.appendChild(td);
  }
  function eigenTitle(which, e) { return e ? which + ' top eigenvalues λ(A)λ(G): ' + e.top.map(fmt).join(', ') : ''; }
  // One layer's cosine series as steps for linePlot ({ step, cosine }).
  function layerSteps(steps, name) {
    return steps.map(function (st) { return { step: st.step, cosine: st.layerCosine ? st.layerCosine[name] : undefined }; });
  }
  function hasLayerSeries(steps, name) {
    for (var i = steps.length - 1; i >= 0; i--) if (steps[i].layerCosine && typeof steps[i].layerCosine[name] === 'number') return true;
    return false;
  }
  function renderLayers(s, otherSteps) {
    var section = document.getElementById('layers'), L = s.layers;
    section.hidden = !(L && L.layers && L.layers.length > 0);
    if (section.hidden) return;
    document.getElementById('v-layers').textContent = 'step ' + L.step + ' · ' + (L.layers.length === 1 ? '1 layer' : L.layers.length + ' layers');
    var body = document.getElementById('layer-rows');
    body.textContent = '';
    L.layers.forEach(function (l) {
      var tr = h('tr');
      tr.setAttribute('data-layer', l.name);
      tr.appendChild(h('td', 'lname', l.name));
      var f = l.fisher, e = l.empiricalFisher;
      cell(tr, 'cosine', l.cosineEfFisher);
      cell(tr, 'fisher-trace', f && f.trace);
      cell(tr, 'fisher-top1', f && f.top[0], eigenTitle('F', f));
      cell(tr, 'ef-trace', e && e.trace);
      cell(tr, 'ef-top1', e && e.top[0], eigenTitle('EF', e));
      cell(tr, 'factor-updates', l.factorUpdates);
      cell(tr, 'basis-version', l.basisVersion);
      body.appendChild(tr);
    });
    var steps = s.steps;
    var series = L.layers.map(function (l) { return l.name; }).filter(function (name) { return hasLayerSeries(steps, name); });
    var box = document.getElementById('layer-plots'), note = document.getElementById('layer-plots-note');
    box.hidden = series.length === 0;
    note.textContent = series.length === 0
      ? (s.info.track.fisher && s.info.track.empiricalFisher ? 'no data yet' : 'track both F and EF to see it')
      : series.length < L.layers.length ? 'the first ' + series.length + ' of ' + L.layers.length + ' layers' : '';
    var key = series.join('\n');
    if (box.getAttribute('data-key') !== key) { // rebuilt only when the layers change
      box.setAttribute('data-key', key);
      box.textContent = '';
      series.forEach(function (name) {
        var d = h('div', 'layer-plot');
        d.setAttribute('data-layer', name);
        var t = h('div', 'lp-title');
        t.appendChild(h('span', 'lname', name));
        t.appendChild(h('span', 'value', '–'));
        d.appendChild(t);
        var svg = document.createElementNS(SVG, 'svg');
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', 'cos(EF, Fisher) of layer ' + name);
        svg.setAttribute('data-points', '0');
        d.appendChild(svg);
        box.appendChild(d);
      });
    }
    series.forEach(function (name, i) {
      var d = box.children[i], mine = layerSteps(steps, name);
      linePlot(d.querySelector('svg'), mine, 'cosine', { cls: 'cosine', fixed: [-1, 1], reference: 0 }, otherSteps ? layerSteps(otherSteps, name) : undefined);
      var lastPoint = pointsOf(mine, 'cosine', false).pop();
      d.querySelector('.value').textContent = lastPoint ? fmt(lastPoint[1]) : '–';
    });
  }

  function render() {
    renderList();
    var s = state.selected ? state.sessions.get(state.selected) : null;
    document.getElementById('empty').hidden = !!s;
    document.getElementById('session-view').hidden = !s;
    if (!s) return;
    var info = s.info, steps = s.steps, last = steps[steps.length - 1] || null;
    document.getElementById('title-name').textContent = nameOf(s);
    document.getElementById('title-id').textContent = info.id;
    var status = document.getElementById('title-status');
    status.textContent = s.status;
    status.className = 'status ' + s.status;
    var other = renderCompare(s), otherSteps = other ? other.steps : undefined;
    var facts = document.getElementById('facts');
    facts.textContent = '';
    fact(facts, 'optimizer', info.optimizer.toUpperCase());
    fact(facts, 'parameters D', info.dim.toLocaleString('en-US'));
    fact(facts, 'structure', info.structure);
    fact(facts, 'workers', String(info.workers));
    fact(facts, 'EMA β', String(info.emaDecay));
    fact(facts, 'step', last ? String(last.step) : String(info.resumedStep));
    var rate = stepsPerSecond(steps);
    fact(facts, 'steps/s', rate === null ? '–' : String(+rate.toPrecision(3)));
    fact(facts, 'batch b', last ? String(last.batchSize) : '–');
    if (last && last.stepSize !== undefined && last.stepSize !== null) fact(facts, 'step size γ', fmt(last.stepSize));
    if (last && last.damping !== undefined && last.damping !== null) fact(facts, 'damping λ', fmt(last.damping));
    fact(facts, 'compute', last ? fmt(last.computeSeconds * 1000) + ' ms' : '–');
    fact(facts, 'opened', ago(info.openedAt) + ' ago');

    setValue('v-loss', last && last.loss);
    setValue('v-grad', last && last.gradNorm);
    setValue('v-update', last && last.updateNorm);
    setValue('v-cosine', last && last.cosineEfFisher);
    setValue('v-damping', last && last.damping);
    var sp = s.spectrum;
    document.getElementById('v-snr').textContent = sp && sp.snrHistogram ? 'step ' + sp.step : '–';
    document.getElementById('v-eigen').textContent = sp ? 'step ' + sp.step : '–';

    linePlot(document.getElementById('plot-loss'), steps, 'loss', { cls: 'loss', log: false, emptyMessage: 'the client sends no loss' }, otherSteps);
    linePlot(document.getElementById('plot-grad'), steps, 'gradNorm', { cls: 'grad', log: true }, otherSteps);
    linePlot(document.getElementById('plot-update'), steps, 'updateNorm', { cls: 'update', log: true }, otherSteps);
    linePlot(document.getElementById('plot-cosine'), steps, 'cosineEfFisher', {
      cls: 'cosine', fixed: [-1, 1], reference: 0,
      emptyMessage: info.track.fisher && info.track.empiricalFisher ? 'no data yet' : 'track both F and EF to see it',
    }, otherSteps);
    linePlot(document.getElementById('plot-damping'), steps, 'damping', {
      cls: 'damping', log: true, emptyMessage: 'this optimizer has no damping',
    }, otherSteps);
    histogramPlot(document.getElementById('plot-snr'), sp && sp.snrHistogram,
      info.track.noise ? 'waiting for the estimates' : 'needs the noise covariance S (per-example gradients)');
    eigenPlot(document.getElementById('plot-eigen'), sp,
      info.track.fisher || info.track.empiricalFisher ? 'waiting for the estimates' : 'this session tracks neither F nor EF');
    renderLayers(s, otherSteps);
  }

  // ---- connection -------------------------------------------------------------------------------
  var retryMs = 500;
  function setConnection(text, cls) {
    var c = document.getElementById('connection');
    c.textContent = text;
    c.className = 'status ' + cls;
  }
  function connect() {
    var ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/dashboard/ws');
    ws.onopen = function () { retryMs = 500; state.connected = true; setConnection('connected', 'live'); };
    ws.onmessage = function (e) { try { onMessage(JSON.parse(e.data)); } catch (err) { console.error(err); } };
    ws.onclose = function () {
      state.connected = false;
      setConnection('reconnecting…', 'closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(5000, retryMs * 2);
    };
  }
  var fromHash = /session=([0-9a-f]+)/.exec(location.hash), compareHash = /compare=([0-9a-f]+)/.exec(location.hash);
  if (fromHash) state.selected = fromHash[1];
  if (compareHash) state.compare = compareHash[1];
  document.getElementById('compare').addEventListener('change', function (e) {
    state.compare = e.target.value || null;
    setHash();
    invalidate();
  });
  window.addEventListener('resize', invalidate);
  setInterval(invalidate, 5000); // "opened … ago", steps/s
  connect();
})();
`;
