// The DeFi panel: the portfolio's positions through the DeFi engine (`analyze`, run in the
// worker): value and deltas per position, exposure per underlying with look-through per
// protocol and per chain, health factors and liquidation prices, leverage, the nearest
// liquidation and the equity after the stated shock. Every string from chain or file goes in
// as text (web/dom.js); numbers carry their full value in data-value for the page tests.
import { $, el, percent, usd, amount } from './dom.js';
import { STABLE_UNDERLYINGS, healthFactorAfterShock } from './portfolio.js';

const TYPE_NAMES = { spot: 'Spot', 'uniswap-v2': 'Uniswap v2 LP', 'uniswap-v3': 'Uniswap v3 LP', 'aave-v3': 'Aave v3 account', perp: 'Perp', future: 'Future', option: 'Option' };

/** The engine's `shock` for a request: every non-stablecoin underlying priced in it moves by `move`. */
export function analyzeShock(request, move) {
  if (!move) return {};
  const stable = (u) => STABLE_UNDERLYINGS.has(u) || request.tokens?.[u]?.stablecoin === true;
  return Object.fromEntries(Object.keys(request.prices ?? {}).filter((u) => !stable(u)).map((u) => [u, move]));
}

const num = (x, digits = 2) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const valueCell = (x, text, cls = 'num') => el('td', { class: `${cls}${x < 0 ? ' neg' : ''}`, 'data-value': Number.isFinite(x) ? String(x) : '' }, text);
const fact = (id, term, x, text) => [el('dt', {}, term), el('dd', { id, 'data-value': x === null || x === undefined ? '' : String(x) }, text)];
const signedPct = (x) => `${x > 0 ? '+' : ''}${percent(x)}`;

/**
 * A readable name for a position: the page's chain reads give ids such as
 * `ethereum:aave-v3:0x87870…` (web/chain/positions.mjs); the demo's ids are names already.
 */
export function positionName(id, position) {
  const parts = String(id).split(':');
  if (parts.length < 3) return String(id);
  const [chain, venue, key, extra] = parts;
  if (venue === 'aave-v3') return `Aave v3 account on ${chain} (market ${key.slice(0, 6)}…${key.slice(-4)})`;
  if (venue === 'uniswap-v3') {
    if (extra) return `Uniswap v3 #${key} uncollected fees (${position?.asset ?? extra})`;
    return `Uniswap v3 #${key} ${position?.token0 ?? ''}/${position?.token1 ?? ''} on ${chain}`;
  }
  return String(id);
}

/** A position held at a venue (not a plain spot holding): what the positions table lists. */
export const isVenuePosition = (p) => p.type !== 'spot' || (p.protocols?.length ?? 0) > 0;

function deltaText(deltas) {
  const parts = Object.entries(deltas ?? {}).filter(([, d]) => Math.abs(d.units) > 0).map(([u, d]) => `${amount(d.units)} ${u} (${usd(d.usd)})`);
  return parts.join('; ') || '–';
}

function riskText(p, position, tokens) {
  const d = p.details ?? {};
  if (p.type === 'aave-v3') {
    const liq = Object.entries(d.liquidationPrices ?? {}).filter(([, x]) => x).map(([u, x]) => `${u} at ${usd(x.priceUsd)} (${signedPct(x.move)})`);
    return liq.length ? `liquidated if ${liq.join(' or ')}` : d.healthFactor === null ? 'no debt' : 'no single price move liquidates it';
  }
  if (p.type === 'uniswap-v3' && position) {
    const stable = (t) => STABLE_UNDERLYINGS.has(t) || tokens?.[t]?.stablecoin === true;
    const where = d.inRange ? 'in range' : 'out of range';
    // The range in the volatile token's USD price (the other held fixed), or as the pool price.
    if (stable(position.token1)) return `${where}: ${position.token0} from ${usd(d.token0UsdAtLower)} to ${usd(d.token0UsdAtUpper)}`;
    if (stable(position.token0)) return `${where}: ${position.token1} from ${usd(d.token1UsdAtUpper)} to ${usd(d.token1UsdAtLower)}`;
    return `${where}: ${amount(d.priceLower)} to ${amount(d.priceUpper)} ${position.token1} per ${position.token0}`;
  }
  if (p.type === 'perp' && d.liquidationPrice) return `liquidated at ${usd(d.liquidationPrice)}`;
  return '–';
}

export function createDefiPanel({ engine, onProgress, onDone }) {
  let runs = 0;

  function hide() {
    runs++;
    $('defi').hidden = true;
  }

  /** Shows the DeFi analysis of `portfolio.defi.request` under the stated shock (a fraction, e.g. -0.3). */
  async function show(portfolio, move) {
    const defi = portfolio?.defi;
    if (!defi) return hide();
    const run = ++runs;
    $('defi').hidden = false;
    $('defi-simulated').hidden = !portfolio.simulated;
    const notes = [];
    if (portfolio.complete === false) notes.push('Some items of this account could not be read: this analysis leaves them out, so it is not the whole account.');
    if (defi.unpriced?.length) notes.push(`Left out (no price feed): ${defi.unpriced.join(', ')}.`);
    if (!defi.request) {
      notes.push(`Not analyzed: ${defi.reason}.`);
      showNotes(notes);
      clear();
      return null;
    }
    showNotes(notes);
    const request = { ...defi.request, shock: analyzeShock(defi.request, move) };
    try {
      const { analysis } = await engine.call('defi', { request }, { onProgress: (p) => run === runs && onProgress?.(p.step, p.done, p.total) });
      if (run !== runs) return null;
      render(analysis, move, request);
      onDone?.();
      return analysis;
    } catch (error) {
      if (run !== runs) return null;
      onDone?.();
      clear();
      if (error.code !== 'cancelled') showNotes([...notes, `The DeFi engine refused these positions: ${error.field ? `${error.field}: ` : ''}${error.message}`]);
      return null;
    }
  }

  function showNotes(notes) {
    $('defi-note').textContent = notes.join(' ');
    $('defi-note').hidden = notes.length === 0;
  }

  function clear() {
    for (const id of ['defi-facts', 'defi-positions', 'defi-exposures', 'defi-protocols', 'defi-chains']) $(id).replaceChildren();
    $('defi-summary').textContent = '';
  }

  function render(analysis, move, request) {
    const pf = analysis.portfolio;
    const lowest = pf.lowestHealthFactor;
    const nearest = pf.nearestLiquidation;
    // The engine reports a position by its index.
    const idOf = (i) => (analysis.positions[i] ? positionName(analysis.positions[i].id, request.positions[i]) : `position ${i + 1}`);
    const shockWords = move ? `every non-stablecoin price ${signedPct(move)}` : 'no price move';
    $('defi-summary').textContent = `${analysis.positions.length} position${analysis.positions.length === 1 ? '' : 's'} through the DeFi engine, equity ${usd(pf.equityUsd)}.`;
    $('defi-facts').replaceChildren(
      ...fact('defi-equity', 'Equity (assets − debt)', pf.equityUsd, usd(pf.equityUsd)),
      ...fact('defi-gross-leverage', 'Gross leverage (non-stablecoin exposure ÷ equity)', pf.grossLeverage, pf.grossLeverage === null ? '–' : `${num(pf.grossLeverage)}×`),
      ...fact('defi-net-leverage', 'Net leverage', pf.netLeverage, pf.netLeverage === null ? '–' : `${num(pf.netLeverage)}×`),
      ...fact('defi-health', 'Lowest health factor', lowest?.value ?? null, lowest ? `${num(lowest.value, 3)} (${idOf(lowest.position)})` : 'no debt'),
      ...fact('defi-nearest', 'Nearest liquidation', nearest?.move ?? null, nearest
        ? `${nearest.underlying} ${signedPct(nearest.move)} to ${usd(nearest.priceUsd)} liquidates ${idOf(nearest.position)}` : 'none: no price move liquidates a position'),
      ...fact('defi-after-shock', `Equity after the shock (${shockWords})`, pf.equityAfterShockUsd, pf.equityAfterShockUsd === null ? 'no shock set'
        : `${usd(pf.equityAfterShockUsd)} (${signedPct(pf.equityAfterShockUsd / pf.equityUsd - 1)})`),
    );

    // Plain wallet or exchange holdings count in every total and exposure, but the table lists
    // only positions held at a venue (LPs, lending accounts, perps, claimable LP fees).
    const listed = analysis.positions.map((p, i) => [p, i]).filter(([p]) => isVenuePosition(p));
    const plain = analysis.positions.length - listed.length;
    $('defi-plain').textContent = plain ? `Plus ${plain} plain holding${plain === 1 ? '' : 's'} (wallet or exchange spot), counted in the totals and exposures.` : '';
    $('defi-positions').replaceChildren(...listed.map(([p, i]) => {
      const d = p.details ?? {};
      const hf = p.type === 'aave-v3' ? d.healthFactor : undefined;
      const after = p.type === 'aave-v3' ? d.healthFactorAfterShock : undefined;
      return el('tr', { 'data-id': p.id },
        el('th', { scope: 'row' }, positionName(p.id, request.positions[i])),
        el('td', {}, TYPE_NAMES[p.type] ?? p.type),
        el('td', { class: 'place' }, (p.protocols?.length ? p.protocols : ['wallet']).join(', ')),
        el('td', { class: 'place' }, p.chain),
        valueCell(p.valueUsd, usd(p.valueUsd)),
        el('td', { class: 'wrap' }, deltaText(p.deltas)),
        valueCell(hf ?? NaN, hf === undefined ? '' : hf === null ? 'no debt' : num(hf, 3), 'num hf'),
        valueCell(after ?? NaN, after === undefined || after === null ? '' : num(after, 3), 'num hf-after'),
        el('td', { class: 'wrap' }, riskText(p, request.positions[i], request.tokens)));
    }));

    const exposures = Object.entries(pf.exposures).sort((a, b) => Math.abs(b[1].usd) - Math.abs(a[1].usd));
    $('defi-exposures').replaceChildren(...exposures.map(([u, x]) => el('tr', { 'data-underlying': u },
      el('th', { scope: 'row' }, u), valueCell(x.units, amount(x.units)), valueCell(x.usd, usd(x.usd)),
      valueCell(x.gamma, x.gamma ? x.gamma.toExponential(2) : '0'))));
    const table = (id, entries) => $(id).replaceChildren(...entries.sort((a, b) => b[1] - a[1]).map(([name, v]) => el('tr', { 'data-name': name },
      el('th', { scope: 'row' }, name), valueCell(v, usd(v)), valueCell(v / pf.equityUsd, percent(v / pf.equityUsd)))));
    table('defi-protocols', Object.entries(pf.protocols));
    table('defi-chains', Object.entries(pf.chains));
  }

  return { show, hide };
}

/**
 * Under the proposed allocation: which DeFi limits are at their bound (the optimizer's
 * `binding`, rows constraints.linear[k]) and the proposed health factor after the shock.
 */
export function renderDefiBinding(built, optimize, lines) {
  const box = $('defi-binding');
  if (!built.defiShock) {
    box.hidden = true;
    return;
  }
  const hf = healthFactorAfterShock(lines, optimize.weights, built.defiShock);
  const bound = built.linearNames.filter((_, k) => optimize.binding?.some((b) => b.startsWith(`constraints.linear[${k}]`)));
  const repaid = hf === null ? ' (the proposal repays the debt in full)' : '';
  const floorMin = built.defi?.floor ?? null;
  box.textContent = `DeFi limits at their bound: ${bound.length ? bound.join(', ') : 'none'}. Proposed health factor after the shock` +
    `${built.request.constraints.linear?.length ? ' (lowest account)' : ''}: ` +
    `${hf === null ? 'no debt left' : hf.toFixed(3)}${floorMin ? ` (floor ${floorMin})` : ' (no floor set)'}${bound.some((n) => n.startsWith('health-factor floor')) ? repaid : ''}.`;
  box.dataset.binding = bound.join(',');
  box.dataset.healthFactor = hf === null ? 'none' : String(hf);
  box.hidden = false;
}
