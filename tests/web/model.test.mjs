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

test('buildRequest: one price column per line, caps become groups, and each group maps back to its input', () => {
  const p = portfolio();
  const settings = { ...DEFAULT_SETTINGS, windowDays: 2, caps: { 'chain:Base': 0.5, 'protocol:Aave v3': 0.1 } };
  const { request, groupFields } = buildRequest(p, settings);
  assert.deepEqual(request.assets, p.lines.map((l) => l.label));
  assert.equal(request.prices.length, 3, 'windowDays 2 = the last 3 prices');
  assert.deepEqual(request.prices[0], [3100, 3100, 1.001, 1.001]);
  assert.deepEqual(request.constraints.groups.map((g) => [g.name, g.max, g.assets.length]), [['chain:Base', 0.5, 2], ['protocol:Aave v3', 0.1, 1]]);
  assert.deepEqual(groupFields, ['chain:Base', 'protocol:Aave v3']);
  // The debt line may only shrink towards 0: per-line bounds, [current weight, 0] for it.
  assert.deepEqual(request.constraints.bounds, [[0, 0.35], [0, 0.35], [0, 0.35], [-1000 / 12000, 0]]);
  assert.equal(fieldFor('constraints.groups[1].max', groupFields), 'cap-protocol-Aave-v3');
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
