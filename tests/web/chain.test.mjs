// The page against a real local chain (tests/chain/fixture.mjs: anvil with real ERC-20s,
// Chainlink-style feeds with history, Multicall3, Aave v3 and Uniswap v3): an injected
// EIP-6963 wallet connects, balances, prices and positions appear, the HTML-payload symbol
// renders as text, an optimization runs; the wallet's account and chain are followed; a
// stale feed trips the circuit breaker; watch-only mode rebuilds the CSP for its RPC only;
// failures (rejected connection, RPC down, unsupported chain) are explained, with a retry,
// and what was loaded stays. No signing method is ever called; nothing but RPC leaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startChainFixture, HTML_SYMBOL } from '../chain/fixture.mjs';
import { ensureBuilt, serveApp, launch, guardedContext, watchErrors, waitReady, settleAfter, screenshot, injectWallet, injectNetworks, shots, historyCsv } from './support/page.mjs';

let fx;
let app;
let chrome;
const blockedAll = [];

before(async () => {
  ensureBuilt();
  [fx, app, chrome] = await Promise.all([startChainFixture({ historyDays: 30 }), serveApp(), launch()]);
});

after(async () => {
  const remotes = chrome ? await chrome.close() : [];
  await Promise.all([app?.close(), fx?.stop()]);
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), [], 'a TCP connection left the loopback');
  assert.deepEqual(blockedAll, []);
});

// A plain config object for the page (the fixture's has extra fields the page ignores).
const pageConfig = (c) => JSON.parse(JSON.stringify(c));

async function open({ config = fx.config, wallet = {} } = {}) {
  const guard = await guardedContext(chrome.browser, { viewport: { width: 1280, height: 900 } });
  await injectNetworks(guard.context, { 31337: pageConfig(config) });
  const w = wallet === null ? null : await injectWallet(guard.context, { rpcUrl: fx.rpcUrl, account: fx.user, ...wallet });
  const page = await guard.context.newPage();
  const errors = watchErrors(page);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(app.url);
  await waitReady(page);
  return { ...guard, page, wallet: w, errors, dialogs };
}

async function connect(page) {
  await page.getByRole('button', { name: 'Connect E2E Wallet' }).click();
  await page.waitForFunction(() => !/Simulated demo/.test(document.querySelector('#holdings-title').textContent));
  return waitReady(page);
}

const holdingRows = (page) => page.$$eval('#holdings-rows tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));

test('EIP-6963 wallet: balances, prices and positions appear; the HTML symbol is text; incomplete is flagged; it optimizes; changes are followed', async () => {
  const { context, page, wallet, errors, dialogs, blocked, seen } = await open();
  try {
    assert.equal(await page.getByRole('button', { name: 'Connect E2E Wallet' }).count(), 1, 'the announced wallet is listed');
    await connect(page);
    assert.equal(await page.textContent('#wallet-account'), fx.user);
    assert.match(await page.textContent('#wallet-chain'), /Local test chain \(31337\)/);

    const rows = await holdingRows(page);
    const row = (label) => rows.find((r) => r[0] === label);
    assert.ok(row('ETH'), JSON.stringify(rows));
    assert.equal(row('ETH')[3], '1.5');
    assert.equal(row('WBTC')[3], fx.tokens.WBTC.balance);
    assert.equal(row('USDC')[3], '2,234.5');
    // Prices from the feeds: ETH at the ETH/USD feed's latest answer.
    assert.equal(row('ETH')[4], new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(fx.feeds.ETH.latest));
    // The HTML-payload symbol is a row whose text is the payload; no element was created from it.
    assert.ok(row(HTML_SYMBOL), 'the HTML-symbol token is listed by its literal symbol');
    assert.equal(await page.locator('#holdings img, #results img').count(), 0);
    assert.equal(await page.locator('[onerror]').count(), 0);
    assert.deepEqual(dialogs, []);
    // DeFi positions: Aave v3 supply and borrow with a health factor, the Uniswap v3 LP position.
    const positions = await page.textContent('#positions-list');
    assert.match(positions, /Aave v3: supplied 10 WETH; borrowed 1,000 USDC \(variable\); health factor \d+\.\d\d/);
    assert.match(positions, new RegExp(`Uniswap v3 position #${fx.uniswap.tokenId}, .*in range`));
    assert.ok(row('USDC debt') && row('USDC debt')[5].startsWith('-'), 'the Aave debt is a negative line');
    assert.equal(row('WETH · Aave v3')[3], '10');
    assert.ok(row(`WETH · Uniswap v3 #${fx.uniswap.tokenId}`) && row(`USDC · Uniswap v3 #${fx.uniswap.tokenId}`), 'the LP position is two lines');
    // BRKN reverts and JUNK returns garbage: the portfolio says it is incomplete and will not optimize yet.
    assert.equal(await page.isVisible('#holdings-incomplete'), true);
    assert.match(await page.textContent('#holdings-incomplete'), /Incomplete portfolio: 2 items could not be read/);
    assert.equal(await page.isDisabled('#optimize'), true);
    assert.equal(await page.isVisible('#chain-accept'), true);
    assert.equal(await page.getAttribute('#status', 'data-state'), 'blocked');
    await screenshot(page, 'web-wallet-incomplete');

    // Continue without them: the feeds' 30 days do not cover the stablecoins (their feeds hold two
    // rounds), which the page says in words; a CSV of daily prices then lets it optimize.
    await page.click('#chain-accept');
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'error');
    assert.match(await page.textContent('#form-error'), /not enough price history/);
    // (settleAfter: a plain waitReady could return the 'error' from before the file was read.)
    const done = await settleAfter(page, () => page.setInputFiles('#import-history', { name: 'prices.csv', mimeType: 'text/csv', buffer: historyCsv(['ETH', 'BTC', 'USDC', 'DAI']) }));
    assert.equal(done.state, 'ready', done.text);
    assert.equal(await page.locator('#frontier-chart path.frontier').count(), 1);
    const labels = await page.$$eval('#weights tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.ok(labels.includes(HTML_SYMBOL));
    assert.equal(await page.locator('[onerror]').count(), 0);
    // The Aave debt may be repaid but never becomes a holding: its target lies in [current, 0].
    const [debtTarget, debtNow] = await page.$$eval('#weights tr', (trs) => trs.filter((tr) => tr.cells[0].textContent === 'USDC debt')
      .map((tr) => [parseFloat(tr.cells[1].textContent), parseFloat(tr.cells[2].textContent)])[0]);
    assert.ok(debtTarget <= 0 && debtTarget >= debtNow - 0.05, `debt weight ${debtNow}% -> ${debtTarget}%`);
    await screenshot(page, 'web-wallet-optimized');

    // The wallet switches account: the page follows and reads the new one.
    await wallet.emit(page, 'accountsChanged', [fx.deployer]);
    await page.waitForFunction((a) => document.querySelector('#wallet-account').textContent === a, fx.deployer);
    await waitReady(page);
    // ... and switches to a chain Ballast does not read: it says so, keeps what it had, offers a retry.
    const before = await holdingRows(page);
    wallet.chainIdOverride = '0x5';
    await wallet.emit(page, 'chainChanged', '0x5');
    await page.waitForFunction(() => /not one Ballast reads/.test(document.querySelector('#chain-steps').textContent));
    assert.equal(await page.isVisible('#chain-retry'), true);
    assert.deepEqual(await holdingRows(page), before, 'the holdings loaded before stay on screen');
    assert.match(await page.textContent('#holdings-stale'), /These holdings were read at .* from Local test chain; the latest read failed/);
    await screenshot(page, 'web-wrong-chain');
    wallet.chainIdOverride = null;
    await wallet.emit(page, 'chainChanged', '0x7a69');
    await page.waitForFunction(() => /Network: Local test chain/.test(document.querySelector('#chain-steps').textContent));

    assert.deepEqual(wallet.signingCalls(), [], 'the page never asked the wallet to sign or send');
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
    assert.ok(seen.every((u) => u.startsWith(app.url) || /^(blob|data):/.test(u)), 'wallet mode: the page itself made no RPC request');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('price history from the feeds\' past rounds: a wallet of ETH and BTC optimizes with no file', async () => {
  const config = { ...fx.config, tokens: fx.config.tokens.filter((t) => ['WETH', 'WBTC'].includes(t.symbol)),
    feeds: { ETH: fx.config.feeds.ETH, BTC: fx.config.feeds.BTC }, aave: undefined, uniswap: undefined };
  const { context, page, blocked, wallet } = await open({ config });
  try {
    const status = await connect(page);
    assert.equal(status.state, 'ready', status.text);
    assert.match(await page.textContent('#chain-steps'), /Price history: \d+ days from the feeds' past rounds/);
    assert.equal(await page.locator('#frontier-chart path.frontier').count(), 1);
    assert.equal(await page.locator('#heatmap-chart rect').count(), 9);
    assert.match(await page.textContent('#solve-note'), /(2[6-9]|30) daily returns/, 'a month of daily rounds, day 7 missing');
    assert.deepEqual(wallet.signingCalls(), []);
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('a stale feed trips the circuit breaker: the optimization stops, with the reason on screen', async () => {
  const { context, page, blocked } = await open({ config: fx.staleConfig });
  try {
    const status = await connect(page);
    assert.equal(status.state, 'blocked', status.text);
    assert.equal(await page.isVisible('#breaker'), true);
    const text = await page.textContent('#breaker');
    assert.match(text, /Optimization stopped/);
    assert.match(text, /STALE .*The price is 3\.0 days old; this feed updates at least every 60 min/);
    assert.equal(await page.isDisabled('#optimize'), true);
    assert.equal(await page.isVisible('#results'), false, 'no result is shown for a portfolio with a bad price');
    await screenshot(page, 'web-circuit-breaker');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('watch-only: an address and an RPC URL; the page may then connect to that origin and no other', async () => {
  const { context, page, blocked, seen } = await open({ wallet: null });
  try {
    assert.match(await page.textContent('#wallets'), /No browser wallet found/);
    await page.fill('#watch-address', '0x1234');
    await page.fill('#watch-rpc-31337', fx.rpcUrl);
    await page.click('#watch-submit');
    assert.match(await page.textContent('#watch-address-error'), /address/i);
    assert.equal(await page.getAttribute('#watch-address', 'aria-invalid'), 'true');

    await page.fill('#watch-address', fx.user.toLowerCase());
    await Promise.all([page.waitForEvent('load'), page.click('#watch-submit')]);
    await page.waitForFunction(() => /Watched address/.test(document.querySelector('#holdings-title').textContent));
    const policies = await page.$$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.map((x) => x.content));
    assert.equal(policies[1], `connect-src 'self' ${new URL(fx.rpcUrl).origin}`);
    assert.match(await page.textContent('#wallet-chain'), /watch-only/);
    const rows = await holdingRows(page);
    assert.ok(rows.some((r) => r[0] === 'ETH' && r[3] === '1.5'));
    // Every request the page made went to its own files or to the chosen RPC URL.
    const rpc = seen.filter((u) => u.startsWith(new URL(fx.rpcUrl).origin));
    assert.ok(rpc.length > 0);
    assert.deepEqual(seen.filter((u) => !u.startsWith(app.url) && !u.startsWith(new URL(fx.rpcUrl).origin) && !/^(blob|data):/.test(u)), []);
    // Another origin stays refused by the policy, even from page script.
    const refused = await page.evaluate(() => fetch('http://127.0.0.1:9/').then(() => false, () => true));
    assert.equal(refused, true);
    await screenshot(page, 'web-watch-only');
    // A wallet that injects itself late (after the page's discovery) is listed when it announces.
    await page.evaluate(() => {
      const detail = { info: { uuid: '7e57a7e0-0000-4000-8000-000000000001', name: 'Late Wallet', icon: '', rdns: 'test.late' },
        provider: { request: async () => [], on() {}, removeListener() {} } };
      const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
      window.addEventListener('eip6963:requestProvider', announce);
      announce();
    });
    await page.getByRole('button', { name: 'Connect Late Wallet' }).waitFor({ timeout: 5000 });
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('failures are explained and recoverable: RPC down, rejected connection', async () => {
  // A port with nothing listening.
  const deadPort = await new Promise((ok) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); }); });
  const { context, page, blocked } = await open({ wallet: { reject: true } });
  try {
    await page.getByRole('button', { name: 'Connect E2E Wallet' }).click();
    await page.waitForFunction(() => document.querySelector('#wallet-error')?.textContent);
    assert.match(await page.textContent('#wallet-error'), /declined/);
    assert.match(await page.textContent('#holdings-title'), /Simulated demo/, 'the demo stays');

    await page.fill('#watch-address', fx.user);
    await page.fill('#watch-rpc-31337', `http://127.0.0.1:${deadPort}/`);
    await Promise.all([page.waitForEvent('load'), page.click('#watch-submit')]);
    await page.waitForFunction(() => document.querySelector('#watch-rpc-31337-error').textContent);
    assert.match(await page.textContent('#watch-rpc-31337-error'), /could not be reached|did not answer|RPC/);
    assert.equal(await page.isVisible('#chain-retry'), true);
    assert.match(await page.textContent('#holdings-title'), /Simulated demo/);
    assert.equal(await page.isVisible('#simulated'), true, 'and it is still labelled simulated, not shown as the watched account');
    await screenshot(page, 'web-rpc-down');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('DeFi panel on the chain: the Aave health factor equals Pool.getUserAccountData; the LP position is listed; nothing is inserted as markup', async () => {
  const { context, page, wallet, errors, dialogs, blocked } = await open();
  try {
    await connect(page);
    await page.waitForSelector('#defi-positions tr');
    // Aave's own figure, read in Node straight from the Pool (WAD, 18 decimals).
    const [, , , , , hfWad] = await fx.aaveAccountData();
    const aaveHf = Number(hfWad) / 1e18;
    const row = await page.$$eval('#defi-positions tr', (trs) => trs.filter((tr) => /aave-v3/.test(tr.dataset.id))
      .map((tr) => ({ hf: Number(tr.cells[6].dataset.value), text: tr.cells[6].textContent, risk: tr.cells[8].textContent }))[0]);
    // Feed prices (the engine) against Aave's oracle on the same feeds, floating point against WAD math.
    assert.ok(Math.abs(row.hf / aaveHf - 1) < 1e-9, `page ${row.hf}, getUserAccountData ${aaveHf}`);
    assert.equal(row.text, aaveHf.toFixed(3));
    assert.match(row.risk, /liquidated if ETH at \$[\d,.]+ \(-\d+\.\d%\)/);
    assert.ok(Math.abs(Number(await page.getAttribute('#defi-health', 'data-value')) / aaveHf - 1) < 1e-9, 'the lowest health factor is the Aave account\'s');
    const ids = await page.$$eval('#defi-positions tr', (trs) => trs.map((tr) => tr.dataset.id));
    assert.ok(ids.includes(`local:uniswap-v3:${fx.uniswap.tokenId}`), ids.join(', '));
    const names = await page.$$eval('#defi-positions tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.ok(names.some((n) => new RegExp(`^Uniswap v3 #${fx.uniswap.tokenId} (WETH/USDC|USDC/WETH) on local$`).test(n)), names.join(', '));
    assert.ok(names.some((n) => /^Aave v3 account on local \(market 0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}\)$/.test(n)), names.join(', '));
    // The wallet's plain tokens (the HTML-symbol one among them) count in the totals, not in the table.
    assert.ok(!ids.some((id) => id.includes(HTML_SYMBOL)));
    assert.match(await page.textContent('#defi-plain'), /^Plus 6 plain holdings/);
    assert.equal(await page.locator('#defi img, [onerror]').count(), 0);
    // The account read has failed items (a reverting and a garbage token): the panel says it is not whole.
    assert.match(await page.textContent('#defi-note'), /could not be read: this analysis leaves them out/);
    assert.deepEqual(wallet.signingCalls(), []);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
    await page.locator('#defi').screenshot({ path: `${shots}/web-defi-chain.png` });
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});
