// Holdings across chains, on two real local chains (tests/chain/fixture.mjs started twice, with
// chain ids 31337 and 31338): watch-only reads both in parallel and combines them, and the
// totals equal the sum of each chain read on its own; a wallet session reads its own chain
// through the wallet and the other through the RPC URL the user saved; one chain's RPC down
// leaves the other's holdings, marked incomplete, with a retry of that chain that then works;
// an RPC that answers too slowly is reported as such, what was on screen stays, and a retry
// works once the delay is gone. The page's CSP names exactly the chosen origins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChainFixture } from '../chain/fixture.mjs';
import { startRpcProxy } from './support/rpc-proxy.mjs';
import { ensureBuilt, serveApp, launch, guardedContext, watchErrors, waitReady, settleAfter, screenshot, injectWallet, injectNetworks, shots, historyCsv } from './support/page.mjs';
import { httpProvider, getChainConfig, readBalances, readPrices } from '../../web/chain/index.mjs';
import { chainPortfolio } from '../../web/chain-portfolio.js';

let fa;
let fb;
let app;
let chrome;
let proxyA;
let proxyB;
const blockedAll = [];

before(async () => {
  ensureBuilt();
  [fa, fb, app, chrome] = await Promise.all([startChainFixture({ chainId: 31337, name: 'Local A' }), startChainFixture({ chainId: 31338, name: 'Local B' }), serveApp(), launch()]);
  // The second chain holds 0.75 ETH instead of 1.5, so that the chains' totals differ.
  await fb.provider.request({ method: 'hardhat_setBalance', params: [fb.user, '0x' + (75n * 10n ** 16n).toString(16)] });
  [proxyA, proxyB] = await Promise.all([startRpcProxy(fa.rpcUrl), startRpcProxy(fb.rpcUrl)]);
});

after(async () => {
  const remotes = chrome ? await chrome.close() : [];
  await Promise.all([app?.close(), fa?.stop(), fb?.stop(), proxyA?.close(), proxyB?.close()]);
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), [], 'a TCP connection left the loopback');
  assert.deepEqual(blockedAll, []);
});

// ETH, WETH and WBTC on each chain: feeds with a month of daily rounds, so the page optimizes with no file.
const slim = (fx) => JSON.parse(JSON.stringify({ ...fx.config, tokens: fx.config.tokens.filter((t) => ['WETH', 'WBTC'].includes(t.symbol)),
  feeds: { ETH: fx.config.feeds.ETH, BTC: fx.config.feeds.BTC }, aave: undefined, uniswap: undefined }));
const origin = (url) => new URL(url).origin;
const usd = (x) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 }).format(x);

// One chain read on its own, in Node, through the same readers: the net value of its holdings.
async function readAlone(fx) {
  const config = getChainConfig(fx.chainId, slim(fx));
  const provider = httpProvider(fx.rpcUrl);
  const [balances, prices] = await Promise.all([readBalances({ provider, account: fx.user, chainId: fx.chainId, config }), readPrices({ provider, chainId: fx.chainId, config })]);
  return chainPortfolio({ source: 'watch', account: fx.user, config, balances, prices }).lines.reduce((t, l) => t + l.valueUsd, 0);
}

async function open({ wallet = false, walletRpc = fa.rpcUrl, timeoutMs = null, networks = null } = {}) {
  const guard = await guardedContext(chrome.browser, { viewport: { width: 1280, height: 1000 } });
  await injectNetworks(guard.context, networks ?? { 31337: slim(fa), 31338: slim(fb) });
  if (timeoutMs) await guard.context.addInitScript((t) => { window.BALLAST_RPC_TIMEOUT_MS = t; }, timeoutMs);
  const w = wallet ? await injectWallet(guard.context, { rpcUrl: walletRpc, account: fa.user }) : null;
  // Counts the analyses the page asks its engine worker for.
  await guard.context.addInitScript(() => {
    window.__analyses = 0;
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, transfer) {
      if (message?.type === 'analyze') window.__analyses++;
      return post.call(this, message, transfer);
    };
  });
  const page = await guard.context.newPage();
  const errors = watchErrors(page);
  await page.goto(app.url);
  await waitReady(page);
  return { ...guard, page, wallet: w, errors };
}

async function watch(page, address, rpcs) {
  await page.fill('#watch-address', address);
  for (const [id, url] of Object.entries(rpcs)) await page.fill(`#watch-rpc-${id}`, url);
  await Promise.all([page.waitForEvent('load'), page.click('#watch-submit')]);
  await page.waitForFunction(() => /Watched address/.test(document.querySelector('#holdings-title').textContent));
  return waitReady(page);
}

const holdingRows = (page) => page.$$eval('#holdings-rows tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
const policies = (page) => page.$$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.map((x) => x.content));
const chainSteps = (page, chainId) => page.textContent(`#chain-steps li[data-chain="${chainId}"]`);

test('watch-only on two chains: read in parallel, combined, each line on its chain, totals = the sum of the chains read alone', async () => {
  const { context, page, blocked, seen, errors } = await open();
  try {
    const status = await watch(page, fa.user, { 31337: fa.rpcUrl, 31338: fb.rpcUrl });
    assert.equal(status.state, 'ready', status.text);
    assert.deepEqual((await policies(page))[1], `connect-src 'self' ${origin(fa.rpcUrl)} ${origin(fb.rpcUrl)}`, 'exactly the two chosen origins');
    assert.match(await page.textContent('#holdings-title'), /Watched address on Local A, Local B/);

    const rows = await holdingRows(page);
    assert.deepEqual(rows.map((r) => [r[0], r[1]]).sort(), [['ETH · Local A', 'Local A'], ['ETH · Local B', 'Local B'], ['WBTC · Local A', 'Local A'],
      ['WBTC · Local B', 'Local B'], ['WETH · Local A', 'Local A'], ['WETH · Local B', 'Local B']]);
    assert.equal(rows.find((r) => r[0] === 'ETH · Local A')[3], '1.5');
    assert.equal(rows.find((r) => r[0] === 'ETH · Local B')[3], '0.75');

    const [a, b] = await Promise.all([readAlone(fa), readAlone(fb)]);
    assert.ok(a > b && b > 0);
    assert.equal(await page.textContent('#holdings-summary'),
      `6 holdings for ${fa.user}, net value ${usd(a + b)} (Local A ${usd(a)}, Local B ${usd(b)}).`);

    // A step report per chain, and one price-history series per feed key (ETH and BTC), not per chain.
    for (const id of [31337, 31338]) {
      const text = await chainSteps(page, id);
      assert.match(text, new RegExp(`Network: Local ${id === 31337 ? 'A' : 'B'} \\(${id}\\), through ${origin(id === 31337 ? fa.rpcUrl : fb.rpcUrl)}`));
      assert.match(text, /Balances: native and 2 tokens at block \d+/);
      assert.match(text, /Prices: 2 feeds passed/);
    }
    assert.match(await page.textContent('#chain-steps'), /Price history: \d+ days from the feeds' past rounds \(days with a price: ETH \d+, BTC \d+\)/);
    assert.equal(await page.locator('#heatmap-chart rect').count(), 36, 'six lines optimized together');
    assert.equal(await page.isVisible('#holdings-incomplete'), false);
    const others = seen.filter((u) => !u.startsWith(app.url) && !u.startsWith(origin(fa.rpcUrl)) && !u.startsWith(origin(fb.rpcUrl)) && !/^(blob|data):/.test(u));
    assert.deepEqual(others, [], 'no request but the page and the two chosen RPCs');
    assert.ok(seen.some((u) => u.startsWith(origin(fa.rpcUrl))) && seen.some((u) => u.startsWith(origin(fb.rpcUrl))));
    assert.deepEqual(errors, []);
    await screenshot(page, 'web-multichain');

    // One chain fewer: the policy is rebuilt without its origin (exactly the chosen ones, not a superset).
    await page.fill('#watch-rpc-31338', '');
    const fewer = await watch(page, fa.user, {});
    assert.equal(fewer.state, 'ready', fewer.text);
    assert.equal((await policies(page))[1], `connect-src 'self' ${origin(fa.rpcUrl)}`);
    assert.deepEqual([...new Set((await holdingRows(page)).map((r) => r[1]))], ['Local A']);
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('wallet + a saved RPC for the other chain: that RPC down leaves the wallet chain marked incomplete; retrying that chain then works', async () => {
  const { context, page, blocked, seen, wallet, errors } = await open({ wallet: true });
  try {
    proxyB.mode = 'down';
    await page.fill('#watch-rpc-31338', proxyB.url);
    await Promise.all([page.waitForEvent('load'), page.click('#watch-save')]);
    await waitReady(page);
    assert.equal((await policies(page))[1], `connect-src 'self' ${origin(proxyB.url)}`);
    assert.equal(await page.inputValue('#watch-rpc-31338'), proxyB.url, 'the saved URL is back in its field');
    assert.match(await page.textContent('#holdings-title'), /Simulated demo/, 'saving RPC URLs alone does not start watching');

    await page.getByRole('button', { name: 'Connect E2E Wallet' }).click();
    await page.waitForFunction(() => /^Wallet on/.test(document.querySelector('#holdings-title').textContent));
    const status = await waitReady(page);
    assert.equal(status.state, 'blocked', status.text);
    assert.equal(await page.textContent('#wallet-chain'), 'Local A (31337) via the wallet, Local B (31338)');
    assert.match(await page.textContent('#holdings-incomplete'), /^Incomplete portfolio: Local B \(31338\) could not be read \(The RPC endpoint could not be reached/);
    assert.match(await chainSteps(page, 31338), new RegExp(`Network: Local B \\(31338\\), through ${origin(proxyB.url)}: The RPC endpoint could not be reached`));
    assert.match(await chainSteps(page, 31337), /Network: Local A \(31337\), through the wallet.*Balances: native and 2 tokens/);
    const rows = await holdingRows(page);
    assert.deepEqual([...new Set(rows.map((r) => r[1]))], ['Local A'], 'the other chain\'s holdings stay on screen');
    assert.equal(rows.length, 3);
    assert.equal(await page.isDisabled('#optimize'), true, 'no optimization on a portfolio that is not whole');
    assert.equal(await page.isVisible('#results'), false);
    assert.equal(await page.textContent('#chain-retry'), 'Retry Local B');
    await screenshot(page, 'web-multichain-one-failed');

    proxyB.mode = 'pass';
    const walletCallsBefore = wallet.calls.length;
    await page.click('#chain-retry');
    await page.waitForFunction(() => [...document.querySelectorAll('#holdings-rows tr')].some((tr) => tr.cells[1].textContent === 'Local B'));
    const done = await waitReady(page);
    assert.equal(done.state, 'ready', done.text);
    assert.equal(await page.isVisible('#holdings-incomplete'), false);
    assert.equal((await holdingRows(page)).length, 6);
    const [a, b] = await Promise.all([readAlone(fa), readAlone(fb)]);
    assert.match(await page.textContent('#holdings-summary'), new RegExp(`net value ${usd(a + b).replace(/[$.]/g, '\\$&')} \\(Local A`));
    // The retry read only the failed chain (through its RPC); the wallet was not asked to read again
    // except for the history of its chain's feeds.
    assert.ok(proxyB.requests > 0);
    assert.ok(wallet.calls.slice(walletCallsBefore).every((m) => m !== 'eth_getBalance'), 'the wallet chain\'s balances were not re-read');
    assert.deepEqual(wallet.signingCalls(), []);
    const others = seen.filter((u) => !u.startsWith(app.url) && !u.startsWith(origin(proxyB.url)) && !/^(blob|data):/.test(u));
    assert.deepEqual(others, [], 'the page itself contacted only the saved RPC (the wallet chain goes through the wallet)');
    assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION|Failed to load resource/.test(e)), []);
    await screenshot(page, 'web-multichain-retried');
  } finally {
    proxyB.mode = 'pass';
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('a slow RPC: the page says it did not answer in time, keeps what it had, and a retry works once the delay is gone', async () => {
  const { context, page, blocked } = await open({ timeoutMs: 1500 });
  try {
    const first = await watch(page, fa.user, { 31337: proxyA.url });
    assert.equal(first.state, 'ready', first.text);
    const before = await holdingRows(page);
    assert.equal(before.length, 3);

    proxyA.mode = 'slow';
    proxyA.delayMs = 4000;
    const t0 = Date.now();
    await page.click('#chain-refresh');
    const slow = await waitReady(page);
    assert.ok(Date.now() - t0 < 4000, 'the deadline fired before the slow answer came');
    assert.equal(slow.state, 'error', slow.text);
    assert.match(slow.text, /did not answer in time/);
    assert.match(await chainSteps(page, 31337), /Network: Local A \(31337\), through http:\/\/127\.0\.0\.1:\d+: The RPC endpoint did not answer in time \(The RPC did not answer \w+ within 1500 ms\.\)/);
    assert.deepEqual(await holdingRows(page), before, 'what was loaded stays');
    assert.match(await page.textContent('#holdings-stale'), /the latest read failed/);
    assert.equal(await page.isVisible('#results'), true, 'the analysis of the holdings on screen stays too');
    assert.equal(await page.isVisible('#chain-retry'), true);
    await screenshot(page, 'web-rpc-slow');

    proxyA.mode = 'pass';
    await page.click('#chain-retry');
    const again = await waitReady(page);
    assert.equal(again.state, 'ready', again.text);
    assert.equal(await page.isVisible('#holdings-stale'), false);
    assert.deepEqual((await holdingRows(page)).map((r) => r[0]), before.map((r) => r[0]));
  } finally {
    proxyA.mode = 'pass';
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('a CSV imported while a chain read is in flight: that read takes it, and the page analyzes once', async () => {
  // The wallet's RPC goes through the proxy, slowed so that the feed-history read takes a while.
  const { context, page, blocked, wallet } = await open({ wallet: true, walletRpc: proxyA.url });
  try {
    proxyA.mode = 'slow';
    proxyA.delayMs = 250;
    await page.getByRole('button', { name: 'Connect E2E Wallet' }).click();
    await page.waitForFunction(() => /Price history: reading past rounds/.test(document.querySelector('#chain-steps').textContent), null, { timeout: 30_000 });
    const before = await page.evaluate(() => window.__analyses);
    await page.setInputFiles('#import-history', { name: 'prices.csv', mimeType: 'text/csv', buffer: historyCsv(['ETH', 'BTC']) });
    // The import landed while the read was still going (the case under test), and the page said so.
    await page.waitForFunction(() => /^Price history from prices\.csv will be used for the holdings being read/.test(document.querySelector('#status').textContent));
    await page.waitForFunction(() => /^Wallet on/.test(document.querySelector('#holdings-title').textContent), null, { timeout: 30_000 });
    const done = await waitReady(page);
    assert.equal(done.state, 'ready', done.text);
    // The demo that was about to be replaced is not analyzed on the way (before: two analyses) ...
    assert.equal(await page.evaluate(() => window.__analyses) - before, 1, 'one analysis after the import');
    // ... and the CSV wins over the feeds' rounds, as it does when imported before the read (before: ignored).
    assert.match(await page.textContent('#chain-steps'), /Price history: from prices\.csv \(90 days\)/);
    assert.match(await page.textContent('#solve-note'), /89 daily returns/);
    assert.deepEqual(wallet.signingCalls(), []);
  } finally {
    proxyA.mode = 'pass';
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('a watch-only session saved by an earlier version (one RPC URL, no chain id) resumes, and is kept by chain from then on', async () => {
  const guard = await guardedContext(chrome.browser, { viewport: { width: 1280, height: 900 } });
  try {
    await injectNetworks(guard.context, { 31337: slim(fa), 31338: slim(fb) });
    const page = await guard.context.newPage();
    await page.goto(app.url);
    await waitReady(page);
    // Written the way the one-URL version wrote it, then a reload (csp.js reads it first).
    await page.evaluate(([address, rpcUrl]) => localStorage.setItem('ballast.watch', JSON.stringify({ address, rpcUrl })), [fa.user, fb.rpcUrl]);
    await page.reload();
    await page.waitForFunction(() => /Watched address/.test(document.querySelector('#holdings-title').textContent));
    assert.equal((await waitReady(page)).state, 'ready');
    assert.equal((await policies(page))[1], `connect-src 'self' ${origin(fb.rpcUrl)}`);
    assert.match(await page.textContent('#holdings-title'), /Watched address on Local B$/, 'the node said which chain it is');
    assert.equal(await page.inputValue('#watch-rpc-31338'), fb.rpcUrl);
    assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('ballast.watch'))), { address: fa.user, rpcs: { 31338: fb.rpcUrl }, watching: true });
    assert.deepEqual(guard.blocked, []);
  } finally {
    blockedAll.push(...guard.blocked);
    await guard.context.close();
  }
});

// Reference: each chain's Pool.getUserAccountData, read in Node. The user's Aave account on
// chain B borrows half its remaining borrowing power more than on A, so the two accounts' health factors differ; the
// DeFi panel lists both, its lowest health factor is B's, and the optimization holds the floor
// per account (the page's per-account rows, web/portfolio.js), so it reports the lowest account.
// Runs last: it changes chain B.
test('Aave accounts on two chains: the DeFi panel shows both with Aave\'s own health factors; the floor is held per account', async () => {
  const defiConfig = (fx) => JSON.parse(JSON.stringify({ ...fx.config, tokens: fx.config.tokens.filter((t) => ['WETH', 'WBTC', 'USDC'].includes(t.symbol)),
    feeds: { ETH: fx.config.feeds.ETH, BTC: fx.config.feeds.BTC, USDC: fx.config.feeds.USDC } }));
  const usdc = fb.config.tokens.find((t) => t.symbol === 'USDC').address;
  // Half of what B may still borrow (base currency: USD with 8 decimals; USDC at $1, 6 decimals).
  const more = (await fb.aaveAccountData())[2] / 200n;
  await fb.send(fb.aave.pool, fb.abis.aavePool, 'borrow', [usdc, more, 2n, 0, fb.user], { from: fb.user });
  const healthFactor = async (fx) => Number((await fx.aaveAccountData())[5]) / 1e18;
  const [hfA, hfB] = await Promise.all([healthFactor(fa), healthFactor(fb)]);
  assert.ok(hfB < hfA, `B borrows more: ${hfA} vs ${hfB}`);

  const { context, page, blocked, errors } = await open({ networks: { 31337: defiConfig(fa), 31338: defiConfig(fb) } });
  try {
    // The fixture's USDC feed holds two rounds: the page says so, and a CSV of daily prices lets it optimize.
    const status = await watch(page, fa.user, { 31337: fa.rpcUrl, 31338: fb.rpcUrl });
    assert.match(status.text, /not enough price history/);
    const done = await settleAfter(page, () => page.setInputFiles('#import-history', { name: 'prices.csv', mimeType: 'text/csv', buffer: historyCsv(['ETH', 'BTC', 'USDC']) }));
    assert.equal(done.state, 'ready', done.text);
    await page.waitForFunction(() => document.querySelectorAll('#defi-positions tr[data-id*="aave-v3"]').length === 2);
    const accounts = await page.$$eval('#defi-positions tr[data-id*="aave-v3"]', (trs) => trs.map((tr) => ({ id: tr.dataset.id, hf: Number(tr.cells[6].dataset.value) })));
    const onA = accounts.find((a) => a.id.startsWith('local:'));
    const onB = accounts.find((a) => a.id.startsWith('chain-31338:'));
    assert.ok(onA && onB, JSON.stringify(accounts));
    assert.ok(Math.abs(onA.hf / hfA - 1) < 1e-9, `A: page ${onA.hf}, Aave ${hfA}`);
    assert.ok(Math.abs(onB.hf / hfB - 1) < 1e-9, `B: page ${onB.hf}, Aave ${hfB}`);
    assert.ok(Math.abs(Number(await page.getAttribute('#defi-health', 'data-value')) / hfB - 1) < 1e-9, 'the lowest is B\'s');
    // Both Uniswap v3 positions too, each on its chain.
    assert.equal(await page.locator('#defi-positions tr[data-id*="uniswap-v3"]').count(), 2);

    // The optimization ran with the default floor (1.5 after -30%), one row per account.
    await page.waitForSelector('#defi-binding:not([hidden])');
    const binding = await page.textContent('#defi-binding');
    assert.match(binding, /Proposed health factor after the shock \(lowest account\): /, binding);
    const proposed = await page.getAttribute('#defi-binding', 'data-health-factor');
    assert.ok(proposed === 'none' || Number(proposed) >= 1.5 - 1e-9, `proposed ${proposed}`);
    assert.deepEqual(errors, []);
    await page.locator('#defi').screenshot({ path: `${shots}/web-defi-two-chains.png` });
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});
