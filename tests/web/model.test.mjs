// The page's pure model in Node: request building, group caps and their field mapping,
// trades, the chain-read -> portfolio mapping, and the portfolio/results files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, currentWeights, DEFAULT_SETTINGS, labelLines, tradesFor, allGroups } from '../../web/portfolio.js';
import { chainPortfolio } from '../../web/chain-portfolio.js';
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
