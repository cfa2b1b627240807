// carbonstream dashboard: plain JavaScript and SVG, served by carbon-service, no external resources.
// Every request carries the bearer token the user entered (kept in this tab's sessionStorage only).
'use strict';

const cs = (() => {
  const TOKEN = 'carbonstream.token';

  // A link may carry the token in its fragment (#token=...), which browsers never send to a server: it is kept in
  // this tab's sessionStorage and removed from the address bar.
  (function tokenFromFragment() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN, decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + location.search);
    }
  })();

  function token() { return sessionStorage.getItem(TOKEN) || ''; }

  // JSON with every number kept as its exact source text (a string), so totals are shown to the last digit.
  function parseExact(text) {
    return JSON.parse(text, (key, value, context) =>
      typeof value === 'number' && context && typeof context.source === 'string' ? context.source : value);
  }

  function num(v) { return v === null || v === undefined ? NaN : Number(v); }

  async function api(path, options = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, options.headers || {});
    if (token()) headers.Authorization = 'Bearer ' + token();
    const res = await fetch(path, Object.assign({}, options, { headers }));
    const text = await res.text();
    if (!res.ok) {
      let detail = res.status + ' ' + res.statusText;
      try { const p = JSON.parse(text); detail = (p.title || detail) + (p.detail ? ': ' + p.detail : ''); } catch (e) { /* not JSON */ }
      const err = new Error(detail); err.status = res.status; throw err;
    }
    return options.raw ? text : (text ? parseExact(text) : null);
  }

  // Server-Sent Events over fetch, so the stream carries the Authorization header; reconnects with backoff.
  function stream(path, onData, onState) {
    let stopped = false, delay = 1000, controller = null;
    async function run() {
      while (!stopped) {
        controller = new AbortController();
        try {
          const headers = { Accept: 'text/event-stream' };
          if (token()) headers.Authorization = 'Bearer ' + token();
          const res = await fetch(path, { headers, signal: controller.signal });
          if (!res.ok) { onState('error', res.status + ' ' + res.statusText); if (res.status === 401 || res.status === 403 || res.status === 404) return; }
          else {
            onState('live');
            delay = 1000;
            const reader = res.body.getReader();
            const decoder = new TextDecoder();
            let buffer = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += decoder.decode(value, { stream: true });
              let cut;
              while ((cut = buffer.indexOf('\n\n')) >= 0) {
                const event = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
                const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, '')).join('\n');
                if (data) { try { onData(parseExact(data)); } catch (e) { console.warn('unreadable update', e); } }
              }
            }
            onState('reconnecting');
          }
        } catch (e) {
          if (stopped) return;
          onState('reconnecting', e.message);
        }
        await new Promise(r => setTimeout(r, delay));
        delay = Math.min(delay * 2, 15000);
      }
    }
    run();
    return { stop() { stopped = true; if (controller) controller.abort(); } };
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    }
    children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return e;
  }

  function fmt(v, digits = 3) {
    const n = num(v);
    if (!isFinite(n)) return '–';
    if (Math.abs(n) > 0 && Math.abs(n) < 1) return Number(n.toPrecision(digits + 1)).toLocaleString('en', { maximumFractionDigits: 20 });
    return n.toLocaleString('en', { maximumFractionDigits: digits });
  }

  function kWh(joules) { return num(joules) / 3.6e6; }

  // A figure in the unit its size calls for, to 3 significant digits: 2.57 mg, not 0.002568184 g or 2.5682e-3.
  function scaled(value, units) {
    const n = num(value);
    if (!isFinite(n)) return '–';
    if (n === 0) return '0 ' + units.find(u => u[1] === 1)[0];
    const [unit, factor] = units.find(u => Math.abs(n) >= u[1]) || units[units.length - 1];
    return Number((n / factor).toPrecision(3)).toLocaleString('en', { maximumFractionDigits: 20 }) + ' ' + unit;
  }
  const MASS = [['t', 1e6], ['kg', 1e3], ['g', 1], ['mg', 1e-3], ['µg', 1e-6], ['ng', 1e-9]];
  const ENERGY = [['GWh', 3.6e12], ['MWh', 3.6e9], ['kWh', 3.6e6], ['Wh', 3600], ['mWh', 3.6]];
  /** Grams CO2e in mg, g, kg or t (µg and ng below a milligram). */
  function mass(grams) { return scaled(grams, MASS); }
  /** Joules in Wh, kWh, MWh (mWh below a watt-hour, GWh above a thousand MWh). */
  function energy(joules) { return scaled(joules, ENERGY); }
  /** The low and high end of a figure, each in its own unit: "1.2 g – 2.3 g". */
  function range(bounds, as) { return bounds ? as(bounds.low) + ' – ' + as(bounds.high) : '–'; }

  function grams(f) { return num(f.operationalGCo2e) + num(f.embodiedGCo2e); }

  // Exact decimal sum of two decimal strings (totals are shown exactly as carbon-service computed them).
  function addExact(a, b) {
    const [ai, af = ''] = String(a).split('.'), [bi, bf = ''] = String(b).split('.');
    const scale = Math.max(af.length, bf.length);
    const x = BigInt(ai + af.padEnd(scale, '0')) + BigInt(bi + bf.padEnd(scale, '0'));
    const neg = x < 0n, digits = (neg ? -x : x).toString().padStart(scale + 1, '0');
    return (neg ? '-' : '') + (scale ? digits.slice(0, -scale) + '.' + digits.slice(-scale) : digits);
  }

  // The header: navigation and the token field.
  function header(active) {
    const input = el('input', { type: 'password', id: 'token', 'aria-label': 'bearer token', placeholder: 'bearer token', size: 28 });
    input.value = token();
    const form = el('form', { onsubmit: e => { e.preventDefault(); sessionStorage.setItem(TOKEN, input.value.trim()); location.reload(); } },
      el('label', { for: 'token', text: 'Token' }), input, el('button', { type: 'submit', text: 'Use' }));
    const nav = el('nav', {},
      el('a', { href: '/', text: 'Jobs', 'aria-current': active === 'jobs' ? 'page' : 'false' }),
      el('a', { href: '/grid.html', text: 'Grid', 'aria-current': active === 'grid' ? 'page' : 'false' }),
      el('a', { href: '/q/swagger-ui', text: 'API' }));
    document.body.prepend(el('header', {}, el('strong', { text: 'carbonstream' }), nav, form));
  }

  // A time-series line chart in SVG: axes with units, a line per series, an optional horizontal line (a budget) and an
  // optional band (points {x, low, high}: the range between a figure's low and high ends), drawn under the lines.
  // With units (MASS, ENERGY), the y axis is shown in the unit the largest value calls for, named in its label.
  function lineChart(svg, { series, yLabel, xLabel = 'time (UTC)', hline = null, dots = false, band = null, units = null }) {
    const W = 640, H = 260, L = 70, R = 16, T = 14, B = 40;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('role', 'img');
    svg.replaceChildren();
    const ns = 'http://www.w3.org/2000/svg';
    const mk = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; svg.append(e); return e; };
    const bandPoints = band ? [...band.points].sort((a, b) => a.x - b.x) : [];
    const all = series.flatMap(s => s.points).concat(bandPoints.flatMap(p => [{ x: p.x, y: p.low }, { x: p.x, y: p.high }]));
    svg.dataset.points = String(series.reduce((n, s) => n + s.points.length, 0));
    svg.dataset.band = String(bandPoints.length);
    if (!all.length) { mk('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no data yet'); return; }
    let x0 = Math.min(...all.map(p => p.x)), x1 = Math.max(...all.map(p => p.x));
    let y0 = Math.min(0, ...all.map(p => p.y)), y1 = Math.max(...all.map(p => p.y), hline ? hline.y : -Infinity);
    if (x1 === x0) { x0 -= 30000; x1 += 30000; }
    let tick = y => fmt(y, 2);
    if (units) {
      const top = Math.max(...all.map(p => Math.abs(p.y)));
      const [unit, factor] = units.find(u => top >= u[1]) || units[units.length - 1];
      tick = y => Number((y / factor).toPrecision(3)).toLocaleString('en', { maximumFractionDigits: 20 });
      yLabel = yLabel + ' (' + unit + ')';
    }
    if (y1 === y0) y1 = y0 + 1;
    y1 *= 1.05;
    const sx = x => L + (x - x0) / (x1 - x0) * (W - L - R), sy = y => H - B - (y - y0) / (y1 - y0) * (H - T - B);
    for (let i = 0; i <= 4; i++) {
      const y = y0 + (y1 - y0) * i / 4;
      mk('line', { x1: L, x2: W - R, y1: sy(y), y2: sy(y), class: 'gridline' });
      mk('text', { x: L - 6, y: sy(y) + 4, 'text-anchor': 'end' }, tick(y));
      const x = x0 + (x1 - x0) * i / 4;
      mk('text', { x: sx(x), y: H - B + 16, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, new Date(x).toISOString().slice(11, 19));
    }
    mk('line', { x1: L, x2: L, y1: T, y2: H - B, class: 'axis' });
    mk('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' });
    mk('text', { x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, xLabel);
    mk('text', { x: 12, y: (T + H - B) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(T + H - B) / 2})` }, yLabel);
    if (hline) {
      mk('line', { x1: L, x2: W - R, y1: sy(hline.y), y2: sy(hline.y), stroke: '#b3261e', 'stroke-dasharray': '6 4' });
      mk('text', { x: W - R - 4, y: sy(hline.y) - 4, 'text-anchor': 'end', fill: '#b3261e' }, hline.label);
    }
    if (bandPoints.length) {
      const outline = bandPoints.map(p => `${sx(p.x)},${sy(p.high)}`).concat([...bandPoints].reverse().map(p => `${sx(p.x)},${sy(p.low)}`));
      mk('polygon', { points: outline.join(' '), fill: band.color, 'fill-opacity': 0.18, stroke: 'none', class: 'band' }).append(
        Object.assign(document.createElementNS(ns, 'title'), { textContent: band.label }));
    }
    for (const s of series) {
      const pts = [...s.points].sort((a, b) => a.x - b.x);
      if (!pts.length) continue;
      mk('polyline', { points: pts.map(p => `${sx(p.x)},${sy(p.y)}`).join(' '), fill: 'none', stroke: s.color, 'stroke-width': 2 });
      if (dots) pts.forEach(p => mk('circle', { cx: sx(p.x), cy: sy(p.y), r: 3, fill: p.color || s.color }).append(
        Object.assign(document.createElementNS(ns, 'title'), { textContent: `${p.text || fmt(p.y)} ${p.note || ''}` })));
    }
  }

  // Horizontal bars in SVG, one per entry, with its value in human units (show: a value to text, such as mass).
  function barChart(svg, entries, show) {
    const W = 640, rowH = 26, L = 120, R = 110, H = Math.max(1, entries.length) * rowH + 10;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.style.height = H + 'px';
    svg.setAttribute('role', 'img');
    svg.replaceChildren();
    const ns = 'http://www.w3.org/2000/svg';
    const mk = (tag, attrs, text) => { const e = document.createElementNS(ns, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; svg.append(e); return e; };
    const max = Math.max(1e-12, ...entries.map(e => Math.abs(e.value)));
    entries.forEach((e, i) => {
      const y = 5 + i * rowH;
      mk('text', { x: L - 8, y: y + 16, 'text-anchor': 'end' }, e.label);
      mk('rect', { x: L, y: y + 3, height: rowH - 8, width: Math.max(1, Math.abs(e.value) / max * (W - L - R)), fill: e.color || '#1f5fa8' });
      mk('text', { x: W - R + 6, y: y + 16 }, show(e.value)).append(
        Object.assign(document.createElementNS(ns, 'title'), { textContent: e.exact !== undefined ? String(e.exact) : String(e.value) }));
    });
  }

  function param(name) { return new URLSearchParams(location.search).get(name); }

  return { token, api, stream, el, fmt, num, kWh, grams, addExact, header, lineChart, barChart, param, parseExact, mass,
    energy, range, MASS, ENERGY };
})();
