// Hand-drawn SVG charts: the efficient frontier and the correlation heatmap. Built with
// createElementNS and textContent only (asset names come from chain and are untrusted).
// Each chart is an <svg role="img"> with a text summary, and comes with a data table in a
// <details> element for screen readers and for anyone who wants the numbers.
import { el, svg, percent } from './dom.js';

const W = 520;
const H = 330;
const M = { left: 52, right: 16, top: 14, bottom: 40 };

function niceTicks(lo, hi, count = 5) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

function short(label, max = 14) {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * frontierChart({ frontier, current, target, assets: [{ label, volatility, expectedReturn }] }) -> Node[]
 */
export function frontierChart({ frontier, current, target, assets }) {
  const points = frontier.points.filter((p) => p.volatility !== null && p.expectedReturn !== null);
  const all = [...points, current, target, ...assets].filter((p) => p && Number.isFinite(p.volatility) && Number.isFinite(p.expectedReturn));
  const xMax = Math.max(...all.map((p) => p.volatility)) * 1.08 || 1;
  const yLo = Math.min(0, ...all.map((p) => p.expectedReturn));
  const yHi = Math.max(...all.map((p) => p.expectedReturn)) * 1.08 || 1;
  const x = (v) => M.left + (v / xMax) * (W - M.left - M.right);
  const y = (r) => H - M.bottom - ((r - yLo) / (yHi - yLo || 1)) * (H - M.top - M.bottom);

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'frontier-caption frontier-summary' });
  for (const t of niceTicks(0, xMax)) {
    root.append(svg('line', { class: 'grid', x1: x(t), x2: x(t), y1: M.top, y2: H - M.bottom }),
      svg('text', { x: x(t), y: H - M.bottom + 15, 'text-anchor': 'middle' }, percent(t, 0)));
  }
  for (const t of niceTicks(yLo, yHi)) {
    root.append(svg('line', { class: 'grid', x1: M.left, x2: W - M.right, y1: y(t), y2: y(t) }),
      svg('text', { x: M.left - 6, y: y(t) + 4, 'text-anchor': 'end' }, percent(t, 0)));
  }
  root.append(
    svg('line', { class: 'axis', x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }),
    svg('line', { class: 'axis', x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }),
    svg('text', { x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle' }, 'Volatility (a year)'),
    svg('text', { x: 12, y: (M.top + H - M.bottom) / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})` }, 'Expected return (a year)'),
  );
  for (const a of assets) {
    if (!Number.isFinite(a.volatility) || !Number.isFinite(a.expectedReturn)) continue;
    root.append(svg('circle', { class: 'asset-dot', cx: x(a.volatility), cy: y(a.expectedReturn), r: 3.5 },
      svg('title', {}, `${a.label}: return ${percent(a.expectedReturn)}, volatility ${percent(a.volatility)}`)));
  }
  if (points.length) {
    const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.volatility).toFixed(1)},${y(p.expectedReturn).toFixed(1)}`).join('');
    root.append(svg('path', { class: 'frontier', d, 'data-points': points.length }));
  }
  const mark = (p, cls, name) => {
    if (!p || !Number.isFinite(p.volatility) || !Number.isFinite(p.expectedReturn)) return;
    root.append(svg('circle', { class: cls, cx: x(p.volatility), cy: y(p.expectedReturn), r: 6 },
      svg('title', {}, `${name}: return ${percent(p.expectedReturn)}, volatility ${percent(p.volatility)}`)));
  };
  mark(current, 'current-dot', 'Current portfolio');
  mark(target, 'target-dot', 'Proposed portfolio');

  const summary = el('p', { id: 'frontier-summary', class: 'visually-hidden' },
    `${points.length} frontier portfolios from volatility ${percent(points[0]?.volatility)} to ${percent(points.at(-1)?.volatility)}. ` +
    (current ? `Current portfolio: return ${percent(current.expectedReturn)}, volatility ${percent(current.volatility)}. ` : '') +
    (target ? `Proposed: return ${percent(target.expectedReturn)}, volatility ${percent(target.volatility)}.` : ''));
  const legend = el('ul', { class: 'legend', 'aria-hidden': 'true' },
    el('li', {}, '━ efficient frontier'), el('li', {}, '○ current'), el('li', {}, '● proposed'), el('li', {}, '· single assets'));
  const table = el('table', {},
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Point'), el('th', { scope: 'col', class: 'num' }, 'Volatility'), el('th', { scope: 'col', class: 'num' }, 'Expected return'))),
    el('tbody', {}, points.map((p, i) => el('tr', {}, el('td', {}, String(i + 1)), el('td', { class: 'num' }, percent(p.volatility)), el('td', { class: 'num' }, percent(p.expectedReturn))))));
  return [root, legend, summary, el('details', {}, el('summary', {}, 'Frontier as a table'), el('div', { class: 'scroll' }, table))];
}

// Diverging colour scale: -1 blue, 0 white, +1 red.
function corrColor(r) {
  const t = Math.max(-1, Math.min(1, r));
  const mix = (a, b, f) => Math.round(a + (b - a) * f);
  const [r0, g0, b0] = t >= 0 ? [255, 255, 255] : [255, 255, 255];
  const [r1, g1, b1] = t >= 0 ? [196, 52, 44] : [44, 95, 170];
  const f = Math.abs(t);
  return `rgb(${mix(r0, r1, f)},${mix(g0, g1, f)},${mix(b0, b1, f)})`;
}

// Beyond this many assets an SVG of n² cells (each with its title) takes seconds to lay out on
// the main thread (300 holdings: 90,000 cells), and its cells are too small to read anyway:
// the heatmap is drawn as pixels on a canvas instead, the numbers stay in the table.
export const HEATMAP_SVG_MAX_ASSETS = 40;

/** heatmapChart({ labels, correlation }) -> Node[] */
export function heatmapChart({ labels, correlation }) {
  const n = labels.length;
  let hi = null;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (!hi || correlation[i][j] > hi.r) hi = { i, j, r: correlation[i][j] };
  const summary = el('p', { id: 'heatmap-summary', class: 'visually-hidden' },
    hi ? `Highest correlation: ${labels[hi.i]} and ${labels[hi.j]}, ${hi.r.toFixed(2)}.` : '');
  const picture = n > HEATMAP_SVG_MAX_ASSETS ? heatmapCanvas(n, correlation) : heatmapSvg(labels, correlation);
  return [picture, summary, correlationTable(labels, correlation)];
}

function heatmapSvg(labels, correlation) {
  const n = labels.length;
  const labelW = 96;
  const cell = Math.max(14, Math.min(40, Math.floor((W - labelW - 8) / n)));
  const size = labelW + n * cell + 8;
  const root = svg('svg', { viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-labelledby': 'heatmap-caption heatmap-summary' });
  labels.forEach((label, i) => {
    root.append(svg('text', { x: labelW - 4, y: labelW + i * cell + cell / 2 + 4, 'text-anchor': 'end' }, short(label)));
    const cx = labelW + i * cell + cell / 2;
    root.append(svg('text', { x: cx, y: labelW - 4, transform: `rotate(-60 ${cx} ${labelW - 4})` }, short(label)));
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = correlation[i][j];
      const g = svg('g', {},
        svg('rect', { x: labelW + j * cell, y: labelW + i * cell, width: cell - 1, height: cell - 1, fill: corrColor(r) }),
        svg('title', {}, `${labels[i]} and ${labels[j]}: ${r.toFixed(2)}`));
      if (cell >= 26) {
        g.append(svg('text', { x: labelW + j * cell + cell / 2, y: labelW + i * cell + cell / 2 + 4, 'text-anchor': 'middle',
          fill: Math.abs(r) > 0.6 ? '#fff' : '#1b1f24' }, r.toFixed(1)));
      }
      root.append(g);
    }
  }
  return root;
}

// One pixel block per pair, rows and columns in holdings order (the table names them).
function heatmapCanvas(n, correlation) {
  const cell = Math.max(1, Math.floor(W / n));
  const canvas = el('canvas', { width: n * cell, height: n * cell, role: 'img', 'aria-labelledby': 'heatmap-caption heatmap-summary',
    'data-assets': String(n) });
  const ctx = canvas.getContext('2d');
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      ctx.fillStyle = corrColor(correlation[i][j]);
      ctx.fillRect(j * cell, i * cell, cell, cell);
    }
  }
  return el('div', {}, canvas, el('p', { class: 'hint' }, `${n} holdings, in the order of the holdings table (rows and columns); the numbers are in the table below.`));
}

// Built when first opened: with hundreds of holdings the table alone is n² cells.
function correlationTable(labels, correlation) {
  const box = el('div', { class: 'scroll' });
  const details = el('details', {}, el('summary', {}, 'Correlations as a table'), box);
  details.addEventListener('toggle', () => {
    if (!details.open || box.firstChild) return;
    box.append(el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, ''), labels.map((l) => el('th', { scope: 'col', class: 'num' }, l)))),
      el('tbody', {}, labels.map((l, i) => el('tr', {}, el('th', { scope: 'row' }, l), correlation[i].map((r) => el('td', { class: 'num' }, r.toFixed(2))))))));
  });
  return details;
}
