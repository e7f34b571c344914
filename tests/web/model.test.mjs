// The page's pure model in Node: request building, group caps and their field mapping,
// trades, the chain-read -> portfolio mapping, and the portfolio/results files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, currentWeights, DEFAULT_SETTINGS, labelLines, tradesFor, allGroups } from '../../web/portfolio.js';
import { chainPortfolio, combineChains, historyPlan, mergeHistories, parseWatchSettings } from '../../web/chain-portfolio.js';
import { parsePortfolioFile, portfolioFile, resultsCsv, FileError } from '../../web/files.js';
import { fieldFor, plainMessage } from '../../web/form.js';

const line = (symbol, chain, protocol, amount, priceUsd, underlying = symbol) =>
  ({ label: symbol, symbol, underlying, chain, protocol, amount, priceUsd, valueUsd: amount * priceUsd });

function portfolio() {
  const lines = labelLines([line('ETH', 'Ethereum', 'wallet', 2, 3000), line('ETH', 'Base', 'wallet', 1, 3000),
    line('USDC', 'Base', 'wallet', 4000, 1), line('USDC debt', 'Ethereum', 'Aave v3', -1000, 1, 'USDC')]);
  const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];
  return { lines, history: { dates, assets: ['ETH', 'USDC'], prices: [[3000, 1], [3100, 1.001], [2950, 0.999], [3000, 1]] }, periodsPerYear: 365 };
}

test('lines get unique labels; debts count negative in the weights', () => {
  const p = portfolio();
  assert.deepEqual(p.lines.map((l) => l.label), ['ETH · Ethereum', 'ETH · Base', 'USDC', 'USDC debt']);
  const w = currentWeights(p.lines);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.equal(w[3], -1000 / 12000);
});

test('buildRequest: one price column per line; category caps become groups, chain and protocol caps constraints.defi rows; each maps back to its input', () => {
  const p = portfolio();
  p.lines.push({ ...line('WETH', 'Ethereum', 'Aave v3', 0.5, 3000, 'ETH'), label: 'WETH · Aave v3', category: 'Majors' });
  p.lines[0].category = 'Majors';
  const settings = { ...DEFAULT_SETTINGS, windowDays: 2, caps: { 'chain:Base': 0.5, 'protocol:Aave v3': 0.1, 'protocol:wallet': 0.9, 'category:Majors': 0.7 } };
  const { request, groupFields, linearFields } = buildRequest(p, settings);
  assert.deepEqual(request.assets, p.lines.map((l) => l.label));
  assert.equal(request.prices.length, 3, 'windowDays 2 = the last 3 prices');
  assert.deepEqual(request.prices[0], [3100, 3100, 1.001, 1.001, 3100]);
  assert.deepEqual(request.constraints.groups.map((g) => [g.name, g.max, g.assets.length]), [['category:Majors', 0.7, 2]]);
  assert.deepEqual(groupFields, ['category:Majors']);
  // Protocol and chain caps count what is held there, debts left out (the Aave cap is on the
  // WETH supplied, not on supply minus the USDC debt); rows come in the engine's order.
  const d = request.constraints.defi;
  assert.deepEqual(d.protocolCaps, { 'Aave v3': 0.1, wallet: 0.9 });
  assert.deepEqual(d.chainCaps, { Base: 0.5 });
  assert.deepEqual(d.assets['USDC debt'], { underlying: 'USDC', protocols: ['Aave v3'], chain: 'Ethereum', borrowed: true });
  assert.deepEqual(linearFields, ['cap-protocol-Aave-v3', 'cap-protocol-wallet', 'cap-chain-Base']);
  assert.equal(d.healthFactorFloor, undefined, 'no collateral line with a liquidation threshold: no floor');
  assert.equal(fieldFor('constraints.linear[2].max', groupFields, linearFields), 'cap-chain-Base');
  assert.equal(fieldFor('constraints.defi.protocolCaps.Aave v3'), 'cap-protocol-Aave-v3');
  p.lines.pop();
  p.lines[0].category = undefined;
  // The debt line may only shrink towards 0: per-line bounds, [current weight, 0] for it.
  assert.deepEqual(request.constraints.bounds, [[0, 0.35], [0, 0.35], [0, 0.35], [-1000 / 13500, 0], [0, 0.35]]);
  assert.equal(fieldFor('constraints.groups[0].max', groupFields), 'cap-category-Majors');
  assert.equal(fieldFor('constraints.bounds[0]'), 'min-weight');
  assert.equal(fieldFor('constraints.bounds[3][1]'), 'max-weight');
  assert.equal(fieldFor('objective.targetReturn'), 'target-return');
  assert.equal(fieldFor('estimator.halfLife'), 'half-life');
  assert.equal(fieldFor('prices[3][1]'), null, 'a price error has no form input: it goes to the form-level line');
  assert.deepEqual(allGroups(p.lines).map((g) => g.key), ['chain:Ethereum', 'chain:Base', 'protocol:wallet', 'protocol:Aave v3']);
});

test('buildRequest refuses what the engine cannot use, in words', () => {
  const p = portfolio();
  p.history.assets = ['ETH'];
  p.history.prices = p.history.prices.map((r) => [r[0]]);
  assert.match(buildRequest(p, DEFAULT_SETTINGS).error.message, /no price history for USDC, USDC debt/);
  const debtOnly = { ...portfolio(), lines: [line('A', '', '', -1, 1), line('B', '', '', 0.5, 1)] };
  assert.match(buildRequest(debtOnly, DEFAULT_SETTINGS).error.message, /net value .* must be positive/);
});

test('plainMessage replaces the request path with the field label', () => {
  assert.equal(plainMessage('objective.targetReturn (9) is above the highest expected return', 'objective.targetReturn', 'target-return'),
    '“Target return” (9) is above the highest expected return');
});

test('trades: from current values to target weights at current prices; a debt line repays', () => {
  const p = portfolio();
  const nav = 12000;
  const target = [0.25, 0.25, 0.5, 0];
  const trades = tradesFor(p.lines, target);
  const byLabel = Object.fromEntries(trades.map((t) => [t.label, t]));
  assert.equal(byLabel['ETH · Ethereum'].side, 'sell');
  assert.ok(Math.abs(byLabel['ETH · Ethereum'].valueUsd - (6000 - 0.25 * nav)) < 1e-9);
  assert.ok(Math.abs(byLabel['ETH · Ethereum'].amount - 1) < 1e-12);
  assert.equal(byLabel['USDC debt'].verb, 'repay');
  assert.equal(byLabel['USDC'].side, 'buy');
  // After the trades every line sits at its target.
  for (const [i, l] of p.lines.entries()) {
    const t = byLabel[l.label];
    const after = l.valueUsd + (t ? (t.side === 'buy' ? 1 : -1) * t.valueUsd : 0);
    assert.ok(Math.abs(after - target[i] * nav) < 1e-6, l.label);
  }
});

const config = {
  chainId: 31337, name: 'Local', native: { symbol: 'ETH', decimals: 18, feed: 'ETH' },
  tokens: [{ symbol: 'WETH', address: '0x00000000000000000000000000000000000000a1', decimals: 18, feed: 'ETH' },
    { symbol: 'USDC', address: '0x00000000000000000000000000000000000000a2', decimals: 6, feed: 'USDC' },
    { symbol: 'HTML', address: '0x00000000000000000000000000000000000000a3', decimals: 18, feed: null }],
  feeds: { ETH: { address: '0xf1' }, USDC: { address: '0xf2' } },
};

test('chainPortfolio: priced lines, unpriced holdings listed as excluded, failed items make it incomplete', () => {
  const p = chainPortfolio({
    source: 'wallet', account: '0xabc', config,
    balances: { native: { symbol: 'ETH', amount: 1.5, feed: 'ETH' }, failures: [{ code: 'token-reverted', message: 'balanceOf reverted', source: '0xbad' }],
      tokens: [{ symbol: 'WETH', address: config.tokens[0].address, amount: 2.5, feed: 'ETH' },
        { symbol: 'USDC', address: config.tokens[1].address, amount: 0, feed: 'USDC' },
        { symbol: '<img src=x onerror=alert(1)>', address: config.tokens[2].address, amount: 7, feed: null }] },
    prices: { ok: true, prices: [{ asset: 'ETH', price: 3000 }, { asset: 'USDC', price: 1 }], failures: [] },
    aave: { supplies: [{ asset: 'WETH', token: config.tokens[0].address, amount: 1 }], borrows: [{ asset: 'USDC', token: config.tokens[1].address, amount: 500 }], failures: [] },
  });
  assert.deepEqual(p.lines.map((l) => [l.label, l.underlying, l.valueUsd]),
    [['ETH', 'ETH', 4500], ['WETH', 'ETH', 7500], ['WETH · Aave v3', 'ETH', 3000], ['USDC debt', 'USDC', -500]]);
  assert.deepEqual(p.excluded, [{ label: '<img src=x onerror=alert(1)>', chain: 'Local', reason: 'no price feed for this token' }]);
  assert.equal(p.complete, false);
  assert.equal(p.pricesOk, true);
});

test('chainPortfolio: a failed feed excludes its holdings and stops the optimization', () => {
  const p = chainPortfolio({
    source: 'watch', account: '0xabc', config,
    balances: { native: { symbol: 'ETH', amount: 1, feed: 'ETH' }, failures: [], tokens: [{ symbol: 'USDC', address: config.tokens[1].address, amount: 10, feed: 'USDC' }] },
    prices: { ok: false, prices: [{ asset: 'USDC', price: 1 }], failures: [{ code: 'feed-stale', asset: 'ETH', message: 'The price is 3.0 h old', source: '0xf1' }] },
  });
  assert.equal(p.pricesOk, false);
  assert.deepEqual(p.lines.map((l) => l.label), ['USDC']);
  assert.match(p.excluded[0].reason, /price feed failed: The price is 3.0 h old/);
});

// Two chains' reads (the same token list on both, as the bundled chains share feed keys).
const onChain = (chainId, name, { eth = 1, usdc = 0, failures = [], pricesOk = true } = {}) => {
  const cfg = { ...config, chainId, name };
  return { chainId, chain: name, ok: true, config: cfg, portfolio: chainPortfolio({ source: 'watch', account: '0xabc', config: cfg,
    balances: { native: { symbol: 'ETH', amount: eth, feed: 'ETH' }, failures, tokens: [{ symbol: 'USDC', address: config.tokens[1].address, amount: usdc, feed: 'USDC' }] },
    prices: pricesOk ? { ok: true, prices: [{ asset: 'ETH', price: 3000 }, { asset: 'USDC', price: 1 }], failures: [] }
      : { ok: false, prices: [{ asset: 'USDC', price: 1 }], failures: [{ code: 'feed-stale', asset: 'ETH', message: 'stale', source: '0xf1' }] } }) };
};

test('combineChains: every chain on its lines, the total is the sum of the chains, one underlying per feed key', () => {
  const a = onChain(1, 'Ethereum', { eth: 2, usdc: 100 });
  const b = onChain(8453, 'Base', { eth: 0.5 });
  const p = combineChains({ source: 'watch', account: '0xabc', reads: [a, b] });
  assert.deepEqual(p.lines.map((l) => [l.label, l.chain, l.underlying, l.valueUsd]),
    [['ETH · Ethereum', 'Ethereum', 'ETH', 6000], ['USDC', 'Ethereum', 'USDC', 100], ['ETH · Base', 'Base', 'ETH', 1500]]);
  const sum = (lines) => lines.reduce((t, l) => t + l.valueUsd, 0);
  assert.equal(sum(p.lines), sum(a.portfolio.lines) + sum(b.portfolio.lines));
  assert.equal(p.complete, true);
  assert.equal(p.title, 'Watched address on Ethereum, Base');
  assert.deepEqual(p.chainIds, [1, 8453]);
  assert.deepEqual(p.positionsByChain.map((x) => x.chain), ['Ethereum', 'Base']);
  // The per-chain reads are passed on, for web/chain/positions.mjs toAnalyzeRequest (one chain per call).
  const withRaw = combineChains({ source: 'watch', reads: [{ ...a, raw: { config: a.config, balances: 'b', prices: 'p' } }] });
  assert.deepEqual(withRaw.positionsByChain[0], { chainId: 1, chain: 'Ethereum', aave: null, uniswap: null, config: a.config, balances: 'b', prices: 'p' });
});

test('combineChains: a failed chain makes the portfolio incomplete and names the chain; the others stay', () => {
  const a = onChain(1, 'Ethereum', { eth: 2 });
  const p = combineChains({ source: 'wallet', account: '0xabc', reads: [a, { chainId: 10, chain: 'Optimism (10)', ok: false, message: 'The RPC endpoint could not be reached' }] });
  assert.equal(p.complete, false, 'never whole while a chain is missing');
  assert.deepEqual(p.failedChains, [10]);
  assert.deepEqual(p.failures, [{ what: 'chain', asset: 'Optimism (10)', chainId: 10, message: 'The RPC endpoint could not be reached' }]);
  assert.deepEqual(p.lines.map((l) => l.label), ['ETH']);
  // An item failure on a good chain says which chain it was on; a bad price on any chain stops the optimization.
  const q = combineChains({ source: 'wallet', reads: [onChain(1, 'Ethereum', { failures: [{ code: 'token-reverted', message: 'x', source: '0xbad' }] }), onChain(10, 'Optimism', { pricesOk: false })] });
  assert.equal(q.failures[0].chain, 'Ethereum');
  assert.equal(q.pricesOk, false);
  assert.equal(q.priceFailures[0].chain, 'Optimism');
});

test('historyPlan reads each feed key once, from the first chain whose prices passed; mergeHistories keeps gaps as null', () => {
  const a = onChain(1, 'Ethereum', { pricesOk: false });
  const b = onChain(8453, 'Base');
  const c = onChain(10, 'Optimism');
  assert.deepEqual([...historyPlan([a, b, c], ['ETH', 'USDC'])], [[8453, ['ETH', 'USDC']]]);
  assert.deepEqual([...historyPlan([b, c], ['ETH', 'BTC'])], [[8453, ['ETH']]], 'a key no chain has a feed for is not planned');
  const h = mergeHistories([{ dates: ['2024-01-01', '2024-01-02'], assets: ['ETH'], prices: [[1], [2]] },
    { dates: ['2024-01-02', '2024-01-03'], assets: ['BTC'], prices: [[5], [null]] }]);
  assert.deepEqual(h, { dates: ['2024-01-01', '2024-01-02', '2024-01-03'], assets: ['ETH', 'BTC'], prices: [[1, null], [2, 5], [null, null]] });
  assert.throws(() => mergeHistories([{ dates: [], assets: ['ETH'], prices: [] }, { dates: [], assets: ['ETH'], prices: [] }]), /ETH/);
});

test('parseWatchSettings: RPC URLs by chain id; the one-URL form of earlier versions; junk is ignored', () => {
  assert.deepEqual(parseWatchSettings(JSON.stringify({ address: '0xabc', rpcs: { 1: 'https://a', 8453: 'https://b', x: 'https://c', 10: 7 }, watching: true })),
    { address: '0xabc', rpcs: { 1: 'https://a', 8453: 'https://b' }, watching: true });
  assert.deepEqual(parseWatchSettings(JSON.stringify({ address: '0xabc', rpcUrl: 'https://old' })), { address: '0xabc', rpcs: {}, watching: true, legacyRpcUrl: 'https://old' });
  assert.deepEqual(parseWatchSettings('{not json'), { address: '', rpcs: {}, watching: false });
  assert.deepEqual(parseWatchSettings(null), { address: '', rpcs: {}, watching: false });
});

test('portfolio files round-trip; a bad file names the field', () => {
  const p = { ...portfolio(), title: 'Test', simulated: false };
  const back = parsePortfolioFile(portfolioFile(p), 'x.json');
  assert.deepEqual(back.lines.map((l) => [l.label, l.valueUsd]), p.lines.map((l) => [l.label, l.valueUsd]));
  assert.deepEqual(back.history, p.history);
  const doc = JSON.parse(portfolioFile(p));
  doc.holdings[2].priceUsd = -1;
  assert.throws(() => parsePortfolioFile(JSON.stringify(doc)), (e) => e instanceof FileError && e.field === 'holdings[2].priceUsd');
  doc.holdings[2].priceUsd = 1;
  doc.history.prices[1] = [1];
  assert.throws(() => parsePortfolioFile(JSON.stringify(doc)), (e) => e.field === 'history.prices[1]');
  assert.throws(() => parsePortfolioFile('{"format":"other"}'), (e) => e.field === 'format');
  assert.throws(() => parsePortfolioFile('not json', 'a.json'), (e) => e.field === 'a.json');
  // DeFi lines keep their position and liquidation threshold; the analyze request rides along.
  const defiP = { ...portfolio(), title: 'DeFi', defi: { request: { positions: [{ type: 'spot', asset: 'ETH', amount: 1 }], prices: { ETH: 3000 } } } };
  defiP.lines[3] = { ...defiP.lines[3], position: 'debt' };
  defiP.lines.push({ ...line('WETH', 'Ethereum', 'Aave v3', 1, 3000, 'ETH'), label: 'WETH · Aave v3', position: 'supply', liquidationThreshold: 0.825 });
  const again = parsePortfolioFile(portfolioFile(defiP), 'd.json');
  assert.deepEqual(again.lines.map((l) => [l.position, l.liquidationThreshold]), [[undefined, undefined], [undefined, undefined], [undefined, undefined], ['debt', undefined], ['supply', 0.825]]);
  assert.deepEqual(again.defi, defiP.defi);
  const d2 = JSON.parse(portfolioFile(defiP));
  d2.holdings[4].liquidationThreshold = 1.5;
  assert.throws(() => parsePortfolioFile(JSON.stringify(d2)), (e) => e.field === 'holdings[4].liquidationThreshold');
  d2.holdings[4].liquidationThreshold = 0.8;
  d2.holdings[4].position = 'stake';
  assert.throws(() => parsePortfolioFile(JSON.stringify(d2)), (e) => e.field === 'holdings[4].position');
});

test('results CSV: one row per holding, formula-looking text neutralised', () => {
  const p = portfolio();
  p.lines[0] = { ...p.lines[0], label: '=HYPERLINK("x")' };
  const csv = resultsCsv({ portfolio: p, currentWeights: currentWeights(p.lines), trades: [],
    analysis: { optimize: { weights: [0.25, 0.25, 0.5, 0], riskContributionShares: [0.3, 0.3, 0.4, 0] }, current: { riskContributionShares: [0.4, 0.2, 0.2, 0.2] } } });
  const rows = csv.trim().split('\r\n');
  assert.equal(rows.length, 5);
  assert.match(rows[1], /^"'=HYPERLINK\(""x""\)"/);
});

test('no page code inserts markup: no innerHTML, outerHTML, insertAdjacentHTML or document.write in web/', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const dir = new URL('../../web/', import.meta.url).pathname;
  const files = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (/\.(m?js)$/.test(e.name)) files.push(p); } };
  walk(dir);
  assert.ok(files.length >= 10);
  const code = (f) => fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '');   // comments may say the words
  const offenders = files.filter((f) => /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser)\b/.test(code(f)));
  assert.deepEqual(offenders, []);
});

test('constraints.defi from the lines: collateral at its liquidation threshold, debt borrowed, the shock on non-stablecoins; rows map to their inputs', async () => {
  const { defiLimits, healthFactorAfterShock, hasLeverage } = await import('../../web/portfolio.js');
  const p = portfolio();
  assert.equal(hasLeverage(p.lines), false, 'a debt line alone (no collateral line) offers no DeFi limits');
  p.lines.push({ ...line('WETH', 'Ethereum', 'Aave v3', 2, 3000, 'ETH'), label: 'WETH · Aave v3', position: 'supply', liquidationThreshold: 0.825 });
  p.lines[3].position = 'debt';
  const settings = { ...DEFAULT_SETTINGS, windowDays: 2 };
  const built = buildRequest(p, settings);
  assert.deepEqual(built.request.constraints.defi, {
    assets: {
      'ETH · Ethereum': { underlying: 'ETH', protocols: ['wallet'], chain: 'Ethereum' }, 'ETH · Base': { underlying: 'ETH', protocols: ['wallet'], chain: 'Base' },
      USDC: { underlying: 'USDC', protocols: ['wallet'], chain: 'Base' }, 'USDC debt': { underlying: 'USDC', protocols: ['Aave v3'], chain: 'Ethereum', borrowed: true },
      'WETH · Aave v3': { underlying: 'ETH', protocols: ['Aave v3'], chain: 'Ethereum', liquidationThreshold: 0.825 } },
    healthFactorFloor: { min: 1.5, shock: { ETH: -0.3 } }, maxLeverage: 2 });
  assert.deepEqual(built.linearFields, ['hf-floor', 'max-leverage']);
  assert.equal(fieldFor('constraints.linear[0].min', built.groupFields, built.linearFields), 'hf-floor');
  assert.equal(fieldFor('constraints.linear[1].max', built.groupFields, built.linearFields), 'max-leverage');
  assert.equal(fieldFor('constraints.defi.healthFactorFloor.shock.ETH'), 'defi-shock');
  assert.equal(fieldFor('constraints.defi.maxLeverage'), 'max-leverage');
  // Blank fields: no limit.
  assert.equal(defiLimits(p.lines, { ...settings, healthFactorFloor: null, maxLeverage: null }), null);
  // The health factor the floor holds: LT (1 + s) w over collateral / (1 + s) (-w) over debt.
  const w = p.lines.map((l) => (l.position === 'debt' ? -0.1 : l.position === 'supply' ? 0.4 : 0.35));
  assert.ok(Math.abs(healthFactorAfterShock(p.lines, w, { ETH: -0.3 }) - (0.825 * 0.7 * 0.4) / 0.1) < 1e-12);
});

test('options files: a CSV of positions becomes a book request; bad cells name their row and column; engine fields map back', async () => {
  const { parseOptionsFile, fileField, OptionsFileError } = await import('../../web/options-file.js');
  const csv = 'label,underlying,spot,instrument,kind,model,strike,expiryYears,vol,quantity\n' +
    '"<img src=x onerror=alert(1)>",BTC,60000,option,call,black-scholes,65000,0.25,0.6,2\n' +
    'hedge,BTC,60000,perp,,,,,,-0.5\n' +
    'eth put,ETH,3000,option,put,black-scholes,2800,0.1,0.7,-10\n';
  const parsed = parseOptionsFile(csv, 'book.csv');
  assert.deepEqual(parsed.request.underlyings, [{ name: 'BTC', spot: 60000 }, { name: 'ETH', spot: 3000 }]);
  assert.deepEqual(parsed.request.positions[0], { underlying: 'BTC', instrument: 'option', kind: 'call', model: 'black-scholes', strike: 65000, expiryYears: 0.25, vol: 0.6, quantity: 2 });
  assert.deepEqual(parsed.request.positions[1], { underlying: 'BTC', instrument: 'perp', quantity: -0.5 });
  assert.equal(parsed.labels[0], '<img src=x onerror=alert(1)>');
  assert.equal(fileField(parsed, 'positions[2].strike'), 'row 4, strike');
  assert.equal(fileField(parsed, 'underlyings[1].spot'), 'row 4, spot');
  const bad = (text, field) => assert.throws(() => parseOptionsFile(text, 'x.csv'), (e) => e instanceof OptionsFileError && e.field === field, field);
  bad(csv.replace('65000', '65k'), 'row 2, strike');
  bad(csv.replace('eth put,ETH,3000', 'eth put,BTC,3000'), 'row 4, spot');
  // Coin-margined perps with funding: settlement is text, the rate a number.
  const coin = parseOptionsFile('underlying,spot,instrument,quantity,settlement,fundingRatePerYear\nBTC,60000,perp,-20000,inverse,0.1095\n', 'c.csv');
  assert.deepEqual(coin.request.positions[0], { underlying: 'BTC', instrument: 'perp', quantity: -20000, settlement: 'inverse', fundingRatePerYear: 0.1095 });
  bad('underlying,spot,instrument,quantity,fundingRatePerYear\nBTC,60000,perp,1,10%\n', 'row 2, fundingRatePerYear');
  bad('underlying,spot,instrument\nBTC,1,spot\n', 'header');
  bad('underlying,spot,instrument,quantity,colour\n', 'header, column 5');
  // JSON is the book request itself; its scenarios are kept apart for the grid.
  const json = parseOptionsFile(JSON.stringify({ underlyings: [{ name: 'BTC', spot: 1 }], positions: [], scenarios: { spotShocks: [0.1] } }), 'b.json');
  assert.deepEqual(json.scenarios, { spotShocks: [0.1] });
  assert.equal(json.format, 'json');
  assert.equal(fileField(json, 'positions[0].strike'), 'positions[0].strike');
  assert.throws(() => parseOptionsFile('{"underlyings": []}', 'b.json'), (e) => e.field === 'positions');
  assert.throws(() => parseOptionsFile('{nope', 'b.json'), (e) => e.field === 'b.json');
});

// Reference: Aave liquidates each account on its own, so the floor must hold per account. The
// engine solves with the page's rows; the health factor after the shock is recomputed here by
// hand from the weights for each account. The pooled row (the engine's one healthFactorFloor
// over every line) is solved too, as the negative control: it lets chain B borrow against
// chain A's collateral, leaving B's account below the floor.
test('health-factor floor with Aave accounts on two chains: one row per account, each holds', async () => {
  const { defiLimits, healthFactorAfterShock, shockOf } = await import('../../web/portfolio.js');
  const { init } = await import('ballast');
  const b = await init();
  const aave = (label, chain, underlying, position, valueUsd, liquidationThreshold) =>
    ({ label, symbol: label, chain, protocol: 'Aave v3', underlying, position, valueUsd, amount: valueUsd, priceUsd: 1, ...(liquidationThreshold ? { liquidationThreshold } : {}) });
  const lines = [
    aave('WETH · A', 'A', 'ETH', 'supply', 8000, 0.83), aave('USDC debt · A', 'A', 'USDC', 'debt', -3000),
    aave('WETH · B', 'B', 'ETH', 'supply', 500, 0.83), aave('USDC debt · B', 'B', 'USDC', 'debt', -500),
    { label: 'BTC', symbol: 'BTC', chain: 'A', protocol: 'wallet', underlying: 'BTC', amount: 1, priceUsd: 4000, valueUsd: 4000 },
  ];
  const settings = { ...DEFAULT_SETTINGS, caps: {}, healthFactorFloor: 3, defiShock: -0.3, maxLeverage: null };
  const limits = defiLimits(lines, settings);
  assert.equal(limits.linear.length, 2, 'one row per borrowing account');
  assert.equal(limits.constraint.healthFactorFloor, undefined, 'no pooled row beside them');
  assert.deepEqual(limits.linear[1], { name: 'health-factor floor on B', min: 0,
    coefficients: { 'WETH · B': 0.83 * 0.7, 'USDC debt · B': 3 } });
  assert.deepEqual(limits.fields, ['hf-floor', 'hf-floor']);

  // ETH and BTC earn more than the debt costs, so leverage is wanted; B's collateral is capped small.
  const vol = [0.8, 0.01, 0.8, 0.01, 0.7];
  const corr = (i, j) => (i === j ? 1 : (vol[i] > 0.5 && vol[j] > 0.5 ? (i === 0 && j === 2) || (i === 2 && j === 0) ? 0.99 : 0.7 : 0));
  const covariance = vol.map((vi, i) => vol.map((vj, j) => vi * vj * corr(i, j)));
  const request = (constraints) => ({ assets: lines.map((l) => l.label), covariance, expectedReturns: [0.4, 0.05, 0.4, 0.05, 0.35],
    objective: { type: 'max-utility', riskAversion: 0.3 },
    constraints: { bounds: [[0, 3], [-2, 0], [0, 0.05], [-2, 0], [0, 3]], ...constraints } });
  const shock = shockOf(lines, -0.3);
  const accountHf = (w, chain) => {
    const idx = lines.map((l, i) => (l.chain === chain && l.protocol === 'Aave v3' ? i : -1)).filter((i) => i >= 0);
    const coll = idx.filter((i) => lines[i].liquidationThreshold).reduce((t, i) => t + lines[i].liquidationThreshold * 0.7 * w[i], 0);
    const debt = idx.filter((i) => lines[i].position === 'debt').reduce((t, i) => t - w[i], 0);
    return debt > 1e-12 ? coll / debt : Infinity;
  };
  const perAccount = b.optimize(request({ linear: limits.linear }));
  assert.equal(perAccount.status, 'solved');
  for (const chain of ['A', 'B']) assert.ok(accountHf(perAccount.weights, chain) >= 3 - 1e-9, `account ${chain}: ${accountHf(perAccount.weights, chain)}`);
  assert.ok(Math.abs(healthFactorAfterShock(lines, perAccount.weights, shock) - Math.min(accountHf(perAccount.weights, 'A'), accountHf(perAccount.weights, 'B'))) < 1e-12);
  const pooled = b.optimize(request({ defi: { assets: Object.fromEntries(lines.map((l) => [l.label, { underlying: l.underlying,
    ...(l.position === 'debt' ? { borrowed: true } : {}), ...(l.liquidationThreshold ? { liquidationThreshold: l.liquidationThreshold } : {}) }])),
    healthFactorFloor: { min: 3, shock } } }));
  assert.equal(pooled.status, 'solved');
  assert.ok(accountHf(pooled.weights, 'B') < 3 - 1e-3, `the pooled row leaves B at ${accountHf(pooled.weights, 'B')}`);
});

test('combineChains: the chains\' DeFi requests become one, each position on its chain', () => {
  const withAave = (chainId, name, eth) => {
    const cfg = { ...config, chainId, name };
    return { chainId, chain: name, ok: true, config: cfg, portfolio: chainPortfolio({ source: 'watch', account: '0xabc', config: cfg,
      balances: { native: { symbol: 'ETH', amount: eth, feed: 'ETH' }, failures: [], tokens: [] },
      prices: { ok: true, prices: [{ asset: 'ETH', price: 3000 + chainId }, { asset: 'USDC', price: 1 }], failures: [] },
      aave: { market: '0xpool', supplies: [{ asset: 'WETH', token: config.tokens[0].address, amount: 1, ltv: 0.8, liquidationThreshold: 0.83, liquidationBonus: 0.05, usageAsCollateral: true }],
        borrows: [{ asset: 'USDC', token: config.tokens[1].address, amount: 500 }], failures: [] } }) };
  };
  const p = combineChains({ source: 'watch', reads: [withAave(1, 'Ethereum', 2), withAave(8453, 'Base', 1)] });
  const types = p.defi.request.positions.map((x) => `${x.type}@${x.chain}`);
  assert.deepEqual(types, ['spot@ethereum', 'aave-v3@ethereum', 'spot@base', 'aave-v3@base']);
  assert.equal(p.defi.request.prices.ETH, 3001, 'one price per underlying: the first chain\'s');
  assert.equal(new Set(p.defi.request.positions.map((x) => x.id)).size, 4);
  // A chain with spot alone is in it too (the panel's totals are the portfolio's); none with DeFi: no request.
  const spotToo = combineChains({ source: 'watch', reads: [withAave(1, 'Ethereum', 2), onChain(10, 'Optimism', { eth: 3 })] });
  assert.deepEqual(spotToo.defi.request.positions.map((x) => `${x.type}@${x.chain}`), ['spot@ethereum', 'aave-v3@ethereum', 'spot@optimism']);
  assert.equal(combineChains({ source: 'watch', reads: [onChain(10, 'Optimism', { eth: 3 })] }).defi, null);
  // A chain whose prices failed their checks: no analysis, and the panel says which chain.
  const refused = combineChains({ source: 'watch', reads: [withAave(1, 'Ethereum', 2), onChain(10, 'Optimism', { pricesOk: false })] });
  assert.equal(refused.defi.request, null);
  assert.match(refused.defi.reason, /^Optimism: a price feed failed/);
});
