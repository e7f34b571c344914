// The page: wires the data sources (demo, wallet, watch-only, files) to the engine worker and
// renders what to hold and why. All text goes in with textContent (web/dom.js).
import { $, el, percent, usd, amount } from './dom.js';
import { createEngine } from './engine-client.js';
import { DEFAULT_SETTINGS, buildRequest, currentWeights, demoPortfolio, historyShortfall, netValue, tradesFor } from './portfolio.js';
import { clearFieldErrors, fieldFor, plainMessage, readSettings, renderCaps, showFieldErrors, showObjectiveFields, writeSettings } from './form.js';
import { frontierChart, heatmapChart } from './charts.js';
import { createChainPanel, cspReady } from './chain-panel.js';
import { FileError, parsePortfolioFile, portfolioFile, resultsCsv, resultsJson } from './files.js';
import { parsePriceCsv } from './chain/csv.mjs';
import { createDefiPanel, renderDefiBinding } from './defi-panel.js';
import { createGreeksPanel } from './greeks-panel.js';
import { showDefiLimits } from './form.js';
import { hasLeverage } from './portfolio.js';

const state = {
  portfolio: null,      // the portfolio on screen
  analysis: null,       // { request, groupFields, currentWeights, result, trades }
  demo: null,           // the demo portfolio, kept for "Use the simulated demo"
  csv: null,            // { name, history } from an imported CSV
  engineVersion: '',
  runs: 0,
};

// ---- status and progress ---------------------------------------------------------------

function setStatus(kind, text) {
  const status = $('status');
  status.dataset.state = kind;
  status.textContent = text;
}

let progressTimer = null;
function showProgress(label, done, total) {
  $('progress-label').textContent = label;
  $('progress').max = total;
  $('progress').value = done;
  // Shown only when the work takes longer than a blink, so quick solves do not flicker.
  if (progressTimer === null && $('progress-box').hidden) {
    progressTimer = setTimeout(() => { $('progress-box').hidden = false; }, 150);
  }
}
function hideProgress() {
  clearTimeout(progressTimer);
  progressTimer = null;
  $('progress-box').hidden = true;
}

const engine = createEngine();
let chainPanel = null;   // web/chain-panel.js, once main() made it

// The DeFi and Greeks panels (web/defi-panel.js, web/greeks-panel.js): engine work in the same worker.
const defiPanel = createDefiPanel({ engine, onProgress: showProgress, onDone: hideProgress });
const greeksPanel = createGreeksPanel({ engine, onProgress: showProgress, onDone: hideProgress, onStatus: setStatus });
function refreshDefi() {
  const shock = readSettings().settings?.defiShock ?? DEFAULT_SETTINGS.defiShock;
  return defiPanel.show(state.portfolio, shock);
}
function showDemoBook() {
  const spot = (s) => state.demo?.lines.find((l) => l.symbol === s && !l.protocol)?.priceUsd;
  if (spot('BTC') && spot('ETH')) greeksPanel.showDemo({ BTC: spot('BTC'), ETH: spot('ETH') });
}

// ---- holdings -------------------------------------------------------------------------

function cell(text, cls) {
  return el('td', cls ? { class: cls } : {}, text);
}

function blockedReason(portfolio) {
  if (!portfolio) return 'No portfolio loaded.';
  if (portfolio.pricesOk === false) return 'A price failed its safety check, so the optimization is stopped (details in the red box below).';
  if (portfolio.complete === false && !portfolio.accepted) return 'The portfolio is incomplete; retry, or continue without the failed items.';
  if (portfolio.historyError) return `No price history: ${portfolio.historyError}. Import a CSV of daily prices to optimize.`;
  if (!portfolio.history?.dates?.length) return 'No price history yet. Import a CSV of daily prices to optimize.';
  if (portfolio.lines.length < 2) return 'Optimizing needs at least two priced holdings.';
  return null;
}

function renderHoldings(portfolio) {
  const weights = currentWeights(portfolio.lines);
  $('holdings-rows').replaceChildren(...portfolio.lines.map((line, i) => el('tr', {},
    el('th', { scope: 'row' }, line.label),
    cell(line.chain || '–', 'place'), cell(line.protocol || '–', 'place'),
    cell(amount(line.amount), `num${line.amount < 0 ? ' neg' : ''}`), cell(usd(line.priceUsd), 'num price'),
    cell(usd(line.valueUsd), `num${line.valueUsd < 0 ? ' neg' : ''}`), cell(percent(weights[i]), 'num'))));
  // The demo and plain files have no chain or protocol: leave those columns out.
  $('holdings-table').classList.toggle('no-place', portfolio.lines.every((l) => !l.chain && !l.protocol));
  const nav = netValue(portfolio.lines);
  const where = portfolio.account ? ` for ${portfolio.account}` : '';
  $('holdings-title').textContent = portfolio.title;
  // Several chains: the net value of each, in the order read.
  const chainNames = [...new Set(portfolio.lines.map((l) => l.chain).filter(Boolean))];
  const perChain = chainNames.length > 1 ? ` (${chainNames.map((c) => `${c} ${usd(netValue(portfolio.lines.filter((l) => l.chain === c)))}`).join(', ')})` : '';
  $('holdings-summary').textContent = `${portfolio.lines.length} holding${portfolio.lines.length === 1 ? '' : 's'}${where}, net value ${usd(nav)}${perChain}` +
    (portfolio.simulated ? ' (simulated).' : '.');

  const incomplete = $('holdings-incomplete');
  if (portfolio.complete === false) {
    const clean = (m) => m.replace(/\.$/, '');
    const chains = portfolio.failures.filter((f) => f.what === 'chain');
    const items = portfolio.failures.filter((f) => f.what !== 'chain')
      .map((f) => `${f.what ?? 'item'} ${f.asset ?? f.source ?? ''}${f.chain ? ` on ${f.chain}` : ''}: ${clean(f.message)}`.replace(/\s+/g, ' '));
    const parts = [
      chains.length ? `${chains.map((f) => f.asset).join(' and ')} could not be read (${chains.map((f) => clean(f.message)).join('; ')})` : null,
      items.length ? `${items.length} item${items.length === 1 ? '' : 's'} could not be read (${items.join('; ')})` : null,
    ].filter(Boolean);
    incomplete.textContent = `Incomplete portfolio: ${parts.join('; ')}. ` +
      (portfolio.accepted ? 'You chose to continue without them: the weights below leave them out.' : 'The totals and weights below leave them out; optimization is off until you retry or continue without them.');
    incomplete.hidden = false;
  } else {
    incomplete.hidden = true;
  }
  const excluded = $('excluded');
  excluded.hidden = !portfolio.excluded?.length;
  excluded.textContent = portfolio.excluded?.length
    ? `Not in the optimization: ${portfolio.excluded.map((x) => `${x.label}${x.chain ? ` on ${x.chain}` : ''} (${x.reason})`).join('; ')}.` : '';
  renderPositions(portfolio.positionsByChain ?? [portfolio.positions]);
  $('holdings').hidden = false;
}

function renderPositions(byChain) {
  const items = [];
  // With several chains each position says where it is.
  const where = (positions) => (byChain.length > 1 && positions?.chain ? ` on ${positions.chain}` : '');
  for (const positions of byChain) {
    const aave = positions?.aave;
    if (aave && (aave.supplies.length || aave.borrows.length)) {
      const supplied = aave.supplies.map((s) => `${amount(s.amount)} ${s.asset}`).join(', ') || 'nothing';
      const borrowed = aave.borrows.map((b) => `${amount(b.amount)} ${b.asset} (${b.rateMode})`).join(', ') || 'nothing';
      const hf = aave.accountData?.healthFactor;
      items.push(el('li', {}, `Aave v3${where(positions)}: supplied ${supplied}; borrowed ${borrowed}; health factor ${hf ? hf.toFixed(2) : 'n/a (no debt)'}.`));
    }
    for (const p of positions?.uniswap?.positions ?? []) {
      items.push(el('li', {}, `Uniswap v3 position #${p.tokenId}${where(positions)}, ${p.token0.symbol}/${p.token1.symbol} ${(p.fee / 1e4).toFixed(2)}% pool: ` +
        `${amount(p.amount0)} ${p.token0.symbol} + ${amount(p.amount1)} ${p.token1.symbol}, ticks ${p.tickLower} to ${p.tickUpper}, ` +
        `${p.inRange ? 'in range' : 'out of range'}.`));
    }
  }
  $('positions-list').replaceChildren(...items);
  $('positions').hidden = items.length === 0;
}

function renderBreaker(portfolio) {
  const failed = portfolio?.pricesOk === false ? portfolio.priceFailures : [];
  $('breaker').hidden = failed.length === 0;
  $('breaker-list').replaceChildren(...failed.map((f) => el('li', {}, `${f.asset ?? 'Feed'} (${f.source}): ${f.message}`)));
}

// ---- portfolio in ---------------------------------------------------------------------

function setPortfolio(portfolio, note) {
  if (!portfolio) {
    const shown = state.demo ? setPortfolio(state.demo) : Promise.resolve();
    return shown.then(() => note && setStatus('ready', `${note} Showing the simulated demo.`));
  }
  state.portfolio = portfolio;
  portfolio.readAt ??= new Date();
  $('holdings-stale').hidden = true;
  state.analysis = null;
  $('simulated').hidden = !portfolio.simulated;
  $('simulated-note').textContent = portfolio.note ?? '';
  renderBreaker(portfolio);
  renderHoldings(portfolio);
  renderCaps(portfolio.lines, portfolio.defaultCaps ?? {});
  showDefiLimits(Boolean(portfolio.defi) || hasLeverage(portfolio.lines));
  clearFieldErrors();
  $('settings').hidden = false;
  $('results').hidden = true;
  updateOptimizeButton();
  const blocked = blockedReason(portfolio);
  if (blocked) {
    refreshDefi();
    return Promise.resolve(setStatus('blocked', blocked));
  }
  return analyze();
}

function updateOptimizeButton() {
  const blocked = blockedReason(state.portfolio);
  const button = $('optimize');
  button.disabled = Boolean(blocked);
  button.title = blocked ?? '';
}

// ---- analysis -------------------------------------------------------------------------

async function analyze() {
  clearFieldErrors();
  refreshDefi();
  const blocked = blockedReason(state.portfolio);
  if (blocked) return setStatus('blocked', blocked);
  const read = readSettings();
  if (read.errors) {
    showFieldErrors(read.errors);
    return setStatus('error', 'Some settings need fixing (marked below).');
  }
  const built = buildRequest(state.portfolio, read.settings);
  if (built.error) {
    showFieldErrors([{ id: fieldFor(built.error.field), message: built.error.message }]);
    return setStatus('error', built.error.message);
  }
  const run = ++state.runs;
  $('optimize').disabled = true;
  setStatus('working', 'Computing…');
  const started = performance.now();
  try {
    const result = await engine.call('analyze', { request: built.request, points: built.points, currentWeights: built.currentWeights },
      { onProgress: ({ step, done, total }) => run === state.runs && showProgress(step, done, total) });
    if (run !== state.runs) return;
    hideProgress();
    const ms = performance.now() - started;
    showAnalysis(built, result, ms);
  } catch (error) {
    if (run !== state.runs) return;
    hideProgress();
    if (error.code === 'cancelled') {
      // What is on screen may be from other settings: do not leave it looking like the answer.
      $('results').hidden = true;
      state.analysis = null;
      return setStatus('ready', 'Cancelled. Change the settings and optimize again.');
    }
    const id = fieldFor(error.field, built.groupFields, built.linearFields);
    const message = plainMessage(error.message, error.field, id);
    showFieldErrors([{ id: id ?? (error.field ? null : 'objective'), message }]);
    setStatus('error', `The engine refused the request: ${message}`);
  } finally {
    if (run === state.runs) updateOptimizeButton();
  }
}

function showAnalysis(built, result, ms) {
  const { optimize, frontier, estimate, current } = result;
  if (!optimize.weights.length) {
    // Tier 2: the solve ran and found no portfolio. Say which constraints conflict, at their fields.
    const errors = (optimize.infeasible ?? []).map((c) => {
      const id = fieldFor(c.field, built.groupFields, built.linearFields);
      return { id, message: plainMessage(c.message, c.field, id) };
    });
    showFieldErrors(errors.length ? errors : [{ id: null, message: optimize.message }]);
    $('results').hidden = true;
    return setStatus('error', `No portfolio satisfies these constraints (${optimize.status}): ${optimize.message}`);
  }
  const trades = tradesFor(state.portfolio.lines, optimize.weights);
  state.analysis = { ...built, result, trades };
  const lines = state.portfolio.lines;
  const rf = built.request.objective.riskFreeRate ?? 0;
  $('metrics').textContent = `Expected return ${percent(optimize.expectedReturn)} a year, volatility ${percent(optimize.volatility)}, ` +
    `Sharpe ${optimize.sharpe === null ? '–' : optimize.sharpe.toFixed(2)} (current: ${percent(current.expectedReturn)}, ${percent(current.volatility)}, ` +
    `Sharpe ${current.volatility > 0 ? ((current.expectedReturn - rf) / current.volatility).toFixed(2) : '–'}).`;
  const said = optimize.message && optimize.message !== optimize.status ? ` (${optimize.message})` : '';
  $('solve-note').textContent = `Status: ${optimize.status}${said}.${optimize.fallback ? ` Fallback: ${optimize.fallback.reason}.` : ''} ` +
    `${estimate.observations} daily returns${estimate.shrinkage !== null ? `, Ledoit-Wolf shrinkage ${estimate.shrinkage.toFixed(3)}` : ''}. ` +
    `Computed in ${ms.toFixed(0)} ms.${state.portfolio.simulated ? ' Simulated data: not advice on real markets.' : ''}`;
  const short = historyShortfall(built.request, estimate.observations);
  $('history-warning').hidden = !short;
  $('history-warning').textContent = short
    ? `Only ${short.used} of the ${short.days} daily returns in the window were used: ${short.short.join(', ')} ${short.short.length === 1 ? 'has' : 'have'} ` +
      `a price on ${short.fewest} of ${short.days + 1} days${built.request.estimator.missing === 'pairwise' ? '' : '. "Missing prices: pairwise" uses each pair\'s common days instead'}.`
    : '';

  renderDefiBinding(built, optimize, lines);
  $('frontier-chart').replaceChildren(...frontierChart({
    frontier, current, target: optimize,
    assets: lines.map((l, i) => ({ label: l.label, volatility: estimate.volatilities[i], expectedReturn: estimate.expectedReturns[i] })),
  }));
  $('heatmap-chart').replaceChildren(...heatmapChart({ labels: lines.map((l) => l.label), correlation: estimate.correlation }));

  const scale = Math.max(...optimize.weights.map(Math.abs), ...built.currentWeights.map(Math.abs), 1e-9);
  const bar = (cls, w) => {
    const span = el('span', { class: `bar ${cls}` });
    span.style.width = `${(Math.max(0, w) / scale) * 100}%`;  // CSSOM, allowed by style-src 'self'
    return span;
  };
  $('weights').replaceChildren(...lines.map((line, i) => el('tr', {},
    el('th', { scope: 'row' }, line.label), cell(percent(optimize.weights[i]), 'num'), cell(percent(built.currentWeights[i]), 'num'),
    el('td', { class: 'bars', 'aria-hidden': 'true' }, bar('current', built.currentWeights[i]), bar('target', optimize.weights[i])),
    cell(percent(current.riskContributionShares?.[i]), 'num'), cell(percent(optimize.riskContributionShares[i]), 'num'))));

  $('trades').replaceChildren(...(trades.length ? trades.map((t) => el('tr', {},
    cell(`${t.verb[0].toUpperCase()}${t.verb.slice(1)}`), el('th', { scope: 'row' }, t.label),
    cell(t.amount === null ? '–' : `${amount(t.amount)} ${t.symbol.replace(/ debt$/, '')}`, 'num'), cell(usd(t.valueUsd), 'num')))
    : [el('tr', {}, el('td', { colspan: 4 }, 'No trades: the portfolio is already at its target.'))]));
  $('results').hidden = false;
  if (!performance.getEntriesByName('ballast:first-result').length) performance.mark('ballast:first-result');
  setStatus('ready', `Done: ${state.portfolio.simulated ? 'simulated demo, ' : ''}${lines.length} holdings optimized in ${ms.toFixed(0)} ms (engine ${state.engineVersion}).`);
}

// ---- files ------------------------------------------------------------------------------

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function readFile(input) {
  const file = input.files?.[0];
  if (!file) return null;
  const text = await file.text();
  input.value = '';   // so that choosing the same file again (after fixing it) imports it again
  return { name: file.name, text };
}

function fileError(id, message) {
  $(`${id}-error`).textContent = message;
  if (message) $(id).setAttribute('aria-invalid', 'true'); else $(id).removeAttribute('aria-invalid');
}

async function importPortfolio() {
  fileError('import-portfolio', '');
  const file = await readFile($('import-portfolio'));
  if (!file) return;
  try {
    const portfolio = parsePortfolioFile(file.text, file.name);
    if (state.csv && !portfolio.history.dates.length) portfolio.history = state.csv.history;
    setPortfolio(portfolio);
  } catch (error) {
    const message = error instanceof FileError || error.code ? error.message : `Could not read ${file.name}: ${error.message}`;
    fileError('import-portfolio', message);
    setStatus('error', `Import failed: ${message}`);
  }
}

async function importHistory() {
  fileError('import-history', '');
  const file = await readFile($('import-history'));
  if (!file) return;
  try {
    const history = parsePriceCsv(file.text);
    state.csv = { name: file.name, history };
    // A chain read in flight takes the CSV when it finishes (web/chain-panel.js) and then
    // analyzes once; analyzing the portfolio it is about to replace as well was a second,
    // wasted analysis right after the import.
    if (chainPanel?.reading) {
      const shown = state.portfolio;
      setStatus('working', `Price history from ${file.name} will be used for the holdings being read…`);
      await chainPanel.settled();
      if (state.portfolio !== shown || state.csv?.history !== history) return;   // the read took it (or a newer file came)
    }
    if (state.portfolio) {
      const portfolio = { ...state.portfolio, history, historyError: undefined };
      // The demo keeps its simulated holdings, and now says where its prices come from.
      if (portfolio.simulated) portfolio.note = `Simulated holdings; price history from ${file.name} (imported, not simulated).`;
      setPortfolio(portfolio);
    }
  } catch (error) {
    const message = error.field ? `${error.field}: ${error.message}` : error.message;
    fileError('import-history', message);
    setStatus('error', `Import failed: ${message}`);
  }
}

function exportName(ext) {
  return `ballast-${state.portfolio?.simulated ? 'demo-' : ''}${new Date().toISOString().slice(0, 10)}.${ext}`;
}

// ---- start ------------------------------------------------------------------------------

function wire(chain) {
  $('settings-form').addEventListener('submit', (event) => { event.preventDefault(); analyze(); });
  $('objective').addEventListener('change', showObjectiveFields);
  $('reset-settings').addEventListener('click', () => {
    writeSettings(DEFAULT_SETTINGS);
    if (state.portfolio) renderCaps(state.portfolio.lines, state.portfolio.defaultCaps ?? {});
    clearFieldErrors();
  });
  $('cancel').addEventListener('click', () => { engine.cancel(); hideProgress(); engine.start(); });
  $('use-demo').addEventListener('click', () => state.demo && setPortfolio(state.demo));
  $('import-portfolio').addEventListener('change', importPortfolio);
  $('import-history').addEventListener('change', importHistory);
  $('chain-accept').addEventListener('click', () => {
    // Stored on the portfolio: a new chain read starts over, a new history file keeps it.
    state.portfolio.accepted = true;
    $('chain-accept').hidden = true;
    renderHoldings(state.portfolio);
    updateOptimizeButton();
    analyze();
  });
  $('export-json').addEventListener('click', () => state.analysis && download(exportName('json'), 'application/json', resultsJson({
    portfolio: state.portfolio, request: state.analysis.request, analysis: state.analysis.result, trades: state.analysis.trades, engineVersion: state.engineVersion })));
  $('export-csv').addEventListener('click', () => state.analysis && download(exportName('csv'), 'text/csv', resultsCsv({
    portfolio: state.portfolio, analysis: state.analysis.result, currentWeights: state.analysis.currentWeights, trades: state.analysis.trades })));
  $('export-portfolio').addEventListener('click', () => state.portfolio && download(exportName('portfolio.json'), 'application/json',
    portfolioFile(state.portfolio, readSettings().settings?.caps ?? state.portfolio.defaultCaps)));
  void chain;
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  navigator.serviceWorker.register('./sw.js').catch(() => { /* offline use is a bonus; the page works without it */ });
}

async function main() {
  if (!cspReady()) {
    // csp.js did not run: without its connect-src policy the page would be looser than promised.
    setStatus('error', 'The page could not set its security policy (csp.js did not load), so it will not run.');
    return;
  }
  writeSettings(DEFAULT_SETTINGS);
  registerServiceWorker();
  const chain = createChainPanel({
    onPortfolio: setPortfolio,
    onStatus: setStatus,
    // A later read failed: the holdings on screen are from before, and say so.
    onReadFailed: (what) => {
      const p = state.portfolio;
      if (!p || p.simulated || p.source === 'file') return;
      $('holdings-stale').textContent = `These holdings were read at ${p.readAt.toLocaleTimeString('en-GB')} from ${p.title.replace(/^.* on /, '')}; ` +
        `the latest read failed (${what}). They may no longer match the account or network now selected.`;
      $('holdings-stale').hidden = false;
    },
    windowDays: () => Number($('window').value) || DEFAULT_SETTINGS.windowDays,
    importedHistory: () => state.csv,
  });
  chainPanel = chain;
  wire(chain);
  const wallets = chain.discover();
  try {
    const { version } = await engine.start();
    state.engineVersion = version;
    performance.mark('ballast:engine-ready');
    $('engine-version').textContent = version;
    setStatus('working', 'Preparing the simulated demo portfolio…');
    state.demo = demoPortfolio(await engine.call('demo', { days: 730 }));
    performance.mark('ballast:demo-ready');
  } catch (error) {
    setStatus('error', `The engine could not start: ${error.message}`);
    return;
  }
  await wallets;
  // A saved watch-only session resumes; otherwise the demo shows until the user connects.
  const resumed = await chain.resume();
  if (resumed?.portfolio) return void showDemoBook();
  await setPortfolio(state.demo);
  showDemoBook();
  if (resumed?.error) setStatus('error', `${resumed.error} Showing the simulated demo meanwhile.`);
}

main();
