// The Greeks panel: an options book (imported as JSON in the `book` request schema or as a CSV
// of positions, web/options-file.js; or the simulated demo book) valued in the worker: net
// delta, gamma, vega and theta per underlying in coin and USD (`book`), a spot × vol scenario
// P&L grid (the engine's full revaluation), and the perp delta hedge (`hedge`). Options are
// not on chain: nothing here reads the wallet. All file text goes in as text (web/dom.js).
import { $, el, percent, usd, amount } from './dom.js';
import { describePosition, demoOptionsBook, fileField, OptionsFileError, parseOptionsFile } from './options-file.js';

const fixed = (x, digits) => (Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const cell = (x, text, { sign = true } = {}) => el('td', { class: `num${sign && x < 0 ? ' neg' : ''}`, 'data-value': Number.isFinite(x) ? String(x) : '' }, text);
// Dollar figures that are zero up to rounding print as $0.00, never -$0.00.
const dollars = (x) => usd(Math.abs(x) < 0.005 ? 0 : x);
const signedPct = (x) => `${x > 0 ? '+' : ''}${percent(x, 0)}`;
const volShift = (x, mode) => (mode === 'relative' ? `vol ${signedPct(x)}` : `vol ${x > 0 ? '+' : ''}${fixed(x * 100, 0)} pts`);

export function createGreeksPanel({ engine, onProgress, onDone, onStatus }) {
  let runs = 0;
  let demoSpots = null;

  function fileError(message) {
    $('import-options-error').textContent = message;
    if (message) $('import-options').setAttribute('aria-invalid', 'true'); else $('import-options').removeAttribute('aria-invalid');
  }

  /** Values a parsed book; `source` says where it came from (shown above the tables). */
  async function load(parsed, { simulated = false, source }) {
    const run = ++runs;
    try {
      const result = await engine.call('options', { request: parsed.request, scenarios: parsed.scenarios },
        { onProgress: (p) => run === runs && onProgress?.(p.step, p.done, p.total) });
      if (run !== runs) return null;
      onDone?.();
      render(parsed, result, { simulated, source });
      return result;
    } catch (error) {
      if (run !== runs) return null;
      onDone?.();
      if (error.code === 'cancelled') return null;
      // The engine names the field; a CSV's is said as its row and column.
      const where = fileField(parsed, error.field);
      const message = `${source}: ${where ? `${where}: ` : ''}${error.message}`;
      fileError(message);
      onStatus?.('error', `The options book was refused: ${message}`);
      return null;
    }
  }

  async function importFile() {
    fileError('');
    const input = $('import-options');
    const file = input.files?.[0];
    if (!file) return null;
    const text = await file.text();
    input.value = '';
    let parsed;
    try {
      parsed = parseOptionsFile(text, file.name);
    } catch (error) {
      const message = error instanceof OptionsFileError ? `${file.name}: ${error.message}` : `Could not read ${file.name}: ${error.message}`;
      fileError(message);
      onStatus?.('error', `The options book was refused: ${message}`);
      return null;
    }
    return load(parsed, { source: file.name });
  }

  function showDemo(spots = demoSpots) {
    demoSpots = spots;
    if (!spots) return null;
    fileError('');
    return load(demoOptionsBook(spots), { simulated: true, source: 'the simulated demo book' });
  }

  function render(parsed, { book, hedge, instruments }, { simulated, source }) {
    const { request } = parsed;
    $('greeks-results').hidden = false;
    $('greeks-simulated').hidden = !simulated;
    $('greeks-summary').textContent = `${request.positions.length} position${request.positions.length === 1 ? '' : 's'} on ` +
      `${request.underlyings.map((u) => u.name).join(', ')}, from ${source}. Total value ${dollars(book.totals.valueUsd)}, ` +
      `vega ${dollars(book.totals.vegaUsdPerVolPoint)} per vol point, theta ${dollars(book.totals.thetaUsdPerDay)} a day.`;

    $('greeks-rows').replaceChildren(...book.underlyings.map((u) => el('tr', { 'data-underlying': u.name },
      el('th', { scope: 'row' }, u.name), cell(u.spot, dollars(u.spot)), cell(u.valueUsd, dollars(u.valueUsd)),
      cell(u.deltaCoin, fixed(u.deltaCoin, 4)), cell(u.deltaUsd, dollars(u.deltaUsd)),
      cell(u.gammaCoin, u.gammaCoin.toExponential(3)), cell(u.gammaUsdPerPct, dollars(u.gammaUsdPerPct)),
      cell(u.vegaCoinPerVolPoint, fixed(u.vegaCoinPerVolPoint, 4)), cell(u.vegaUsdPerVolPoint, dollars(u.vegaUsdPerVolPoint)),
      cell(u.thetaCoinPerDay, fixed(u.thetaCoinPerDay, 4)), cell(u.thetaUsdPerDay, dollars(u.thetaUsdPerDay)))));

    $('greeks-positions').replaceChildren(...book.positions.map((g, i) => {
      const p = request.positions[i];
      return el('tr', {},
        el('th', { scope: 'row' }, parsed.labels[i] || `Position ${i + 1}`),
        el('td', {}, p.underlying ?? request.underlyings[0]?.name ?? ''), el('td', { class: 'wrap' }, describePosition(p)),
        cell(p.quantity, amount(p.quantity)), cell(g.valueUsd, dollars(g.valueUsd)), cell(g.deltaCoin, fixed(g.deltaCoin, 4)),
        cell(g.vegaUsdPerVolPoint, dollars(g.vegaUsdPerVolPoint)), cell(g.thetaUsdPerDay, dollars(g.thetaUsdPerDay)));
    }));

    // The scenario grid: rows are spot moves, columns vol shifts; every cell a full revaluation.
    const s = book.scenarios;
    $('scenario-note').textContent = `P&L in USD of the whole book, fully revalued: spot move (rows) by ${s.volShockMode} vol shift (columns)` +
      `${s.horizonYears ? `, ${fixed(s.horizonYears * 365, 0)} days on` : ''}${s.volsFloored ? `; ${s.volsFloored} shocked vols below 0 were priced at 0` : ''}.`;
    $('scenario-head').replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'Spot move'),
      ...s.volShocks.map((v) => el('th', { scope: 'col', class: 'num' }, volShift(v, s.volShockMode)))));
    $('scenario-rows').replaceChildren(...s.spotShocks.map((x, i) => el('tr', {},
      el('th', { scope: 'row' }, `spot ${signedPct(x)}`), ...s.pnlUsd[i].map((pnl) => cell(pnl, dollars(pnl))))));

    // The delta hedge: one perp per underlying, sized by the hedge QP.
    $('hedge-rows').replaceChildren(...instruments.map((ins, j) => {
      const q = hedge.quantities[j];
      const g = hedge.greeks.find((x) => x.greek === 'delta' && x.underlying === ins.underlying);
      return el('tr', { 'data-underlying': ins.underlying },
        el('th', { scope: 'row' }, ins.underlying),
        el('td', {}, q === null ? '–' : q > 0 ? 'buy' : q < 0 ? 'sell' : 'none'),
        cell(q, q === null ? '–' : `${amount(Math.abs(q))} ${ins.underlying}`, { sign: false }),
        cell(g?.book, dollars(g?.book)), cell(g?.residual, dollars(g?.residual)), el('td', {}, g?.neutralized ? 'yes' : 'no'));
    }));
    $('hedge-note').textContent = `Hedge status: ${hedge.status}${hedge.message && hedge.message !== hedge.status ? ` (${hedge.message})` : ''}. ` +
      'The hedge perp is linear (coins), marked at the spot; its funding is not in this hedge. Trade at your venue\'s prices.';
  }

  $('import-options').addEventListener('change', importFile);
  $('use-demo-options').addEventListener('click', () => showDemo());
  return { showDemo, importFile, load };
}
