// The no-wallet path, as `npm start` serves it: the built app (dist/web) opens on the
// simulated demo portfolio (labelled so), optimizes it in the worker and draws every panel;
// errors land next to the field at fault; files export and import; the page is usable from
// the keyboard and at 390 px; and it requests nothing but its own files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuilt, serveApp, launch, guardedContext, watchErrors, waitReady, screenshot, shots } from './support/page.mjs';

let app;
let chrome;
const blockedAll = [];

before(async () => {
  ensureBuilt();
  app = await serveApp();
  chrome = await launch();
});

after(async () => {
  const remotes = chrome ? await chrome.close() : [];
  await app?.close();
  // Browser level: every TCP connection the whole browser made went to the loopback.
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), []);
  assert.deepEqual(blockedAll, []);
});

async function openDemo(viewport = { width: 1280, height: 900 }) {
  const guard = await guardedContext(chrome.browser, { viewport, acceptDownloads: true });
  // Counts WebAssembly compilations on the page's main thread (workers have their own global).
  await guard.context.addInitScript(() => {
    window.__mainThreadWasm = 0;
    for (const name of ['compile', 'compileStreaming', 'instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) { window.__mainThreadWasm++; return original.apply(this, args); };
    }
  });
  const page = await guard.context.newPage();
  const errors = watchErrors(page);
  await page.goto(app.url);
  const status = await waitReady(page);
  return { ...guard, page, errors, status };
}

const weightsOf = (page, column) => page.$$eval('#weights tr', (trs, c) => trs.map((tr) => parseFloat(tr.cells[c].textContent)), column);

test('opens on the simulated demo, optimizes it in the worker and shows every panel', async () => {
  const { context, page, errors, status, blocked, seen } = await openDemo();
  try {
    assert.equal(status.state, 'ready', status.text);
    assert.match(status.text, /simulated demo/);
    assert.match(await page.textContent('#simulated'), /Simulated data\..*not market data/);
    assert.equal(await page.isVisible('#simulated'), true);
    assert.deepEqual(errors, []);

    // 13 simulated assets, plus the simulated Aave supply and debt and the two sides of the Uniswap v3 position.
    const holdings = await page.$$eval('#holdings-rows tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.equal(holdings.length, 17);
    assert.ok(holdings.includes('BTC') && holdings.includes('USDC'));
    const target = await weightsOf(page, 1);
    const current = await weightsOf(page, 2);
    assert.ok(Math.abs(target.reduce((a, b) => a + b, 0) - 100) < 0.6, `target weights add to ${target}`);
    assert.ok(Math.abs(current.reduce((a, b) => a + b, 0) - 100) < 0.6);
    assert.ok(Math.max(...target) <= 35.05, 'the default 35% cap per holding holds');
    assert.match(await page.textContent('#metrics'), /Expected return .* volatility .* Sharpe/);

    // Frontier: a path through the points, both portfolios marked; heatmap: N x N cells.
    assert.equal(await page.getAttribute('#frontier-chart path.frontier', 'data-points'), '30');
    assert.equal(await page.locator('#frontier-chart .current-dot').count(), 1);
    assert.equal(await page.locator('#frontier-chart .target-dot').count(), 1);
    assert.equal(await page.locator('#heatmap-chart rect').count(), 17 * 17);
    assert.ok(await page.locator('#trades tr').count() >= 1);
    // The category caps of the demo (DeFi <= 30 %, Stablecoins <= 25 %) are in the form and hold.
    assert.equal(await page.inputValue('#cap-category-DeFi'), '30');
    const labels = await page.$$eval('#weights tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    const sum = (names) => names.reduce((s, n) => s + target[labels.indexOf(n)], 0);
    assert.ok(sum(['LINK', 'UNI', 'AAVE']) <= 30.2 && sum(['USDT', 'USDC']) <= 25.2);

    await screenshot(page, 'web-demo-desktop');
    assert.deepEqual(blocked, []);
    assert.ok(seen.every((u) => u.startsWith(app.url) || u.startsWith('blob:') || u.startsWith('data:')), seen.join('\n'));
    // The engine runs in a worker: the page itself never compiled WebAssembly.
    assert.equal(await page.evaluate(() => window.__mainThreadWasm), 0);
    assert.ok(seen.some((u) => /assets\/ballast-[0-9a-f]+\.wasm$/.test(u)), 'the worker streamed the wasm file');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('a 390 px wide phone viewport: no sideways scrolling of the page, charts fit', async () => {
  const { context, page, status, blocked } = await openDemo({ width: 390, height: 844 });
  try {
    assert.equal(status.state, 'ready', status.text);
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    assert.ok(scrollWidth <= clientWidth + 1, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
    const svgWidth = await page.$eval('#frontier-chart svg', (s) => s.getBoundingClientRect().width);
    assert.ok(svgWidth <= 390 && svgWidth > 250, `frontier is ${svgWidth}px wide`);
    await screenshot(page, 'web-demo-mobile');
    // Sections at their real size, to look at (a full page at 390 px is too tall to read).
    for (const id of ['source', 'holdings', 'settings', 'results']) await page.locator(`#${id}`).screenshot({ path: path.join(shots, `web-mobile-${id}.png`) });
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('errors appear in plain words next to the field at fault, and focus moves there', async () => {
  const { context, page, blocked } = await openDemo();
  try {
    // Infeasible: 17 holdings (one a debt) at most 5 % each cannot make 100 %.
    await page.fill('#max-weight', '5');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'error');
    assert.match(await page.textContent('#status'), /No portfolio satisfies these constraints/);
    assert.notEqual(await page.textContent('#max-weight-error'), '');
    assert.equal(await page.getAttribute('#max-weight', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'max-weight');
    await screenshot(page, 'web-error-infeasible');

    // Refused by the engine (tier 1): a minimum above the maximum names the bounds.
    await page.fill('#max-weight', '20');
    await page.fill('#min-weight', '30');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'error' && document.querySelector('#min-weight-error, #max-weight-error').textContent);
    const boundErrors = (await page.textContent('#min-weight-error')) + (await page.textContent('#max-weight-error'));
    assert.match(boundErrors, /weight/i, boundErrors);
    assert.doesNotMatch(boundErrors, /constraints\.bounds/, 'the request path is replaced by the field label');

    // A group cap the engine cannot meet lands next to that cap's input.
    await page.fill('#min-weight', '0');
    await page.fill('#max-weight', '35');
    await page.fill('#cap-category-Majors', '-5');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#cap-category-Majors-error')?.textContent);
    assert.equal(await page.getAttribute('#cap-category-Majors', 'aria-invalid'), 'true');

    // Empty where a number is needed: caught before the engine, next to the field.
    await page.fill('#cap-category-Majors', '');
    await page.fill('#window', '');
    await page.click('#optimize');
    assert.equal(await page.textContent('#window-error'), 'Enter a number.');

    // Fixed, it runs again, with a different objective.
    await page.fill('#window', '365');
    await page.selectOption('#objective', 'min-variance');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'ready');
    assert.equal(await page.textContent('#max-weight-error'), '');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('results export as JSON and CSV; an exported portfolio imports back, offline, with the same result', async () => {
  const { context, page, blocked } = await openDemo();
  try {
    const save = async (button) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      return fs.readFileSync(await download.path(), 'utf8');
    };
    const json = JSON.parse(await save('#export-json'));
    assert.equal(json.format, 'ballast-results');
    assert.equal(json.portfolio.simulated, true);
    assert.equal(json.optimize.weights.length, 17);
    const csv = (await save('#export-csv')).trim().split('\r\n');
    assert.equal(csv.length, 18);
    assert.match(csv[0], /^asset,symbol,chain,protocol,amount,price_usd,value_usd,current_weight,target_weight/);

    const portfolioText = await save('#export-portfolio');
    const before = await weightsOf(page, 1);
    const file = `${fs.mkdtempSync('/tmp/ballast-')}/portfolio.json`;
    fs.writeFileSync(file, portfolioText);
    await page.setInputFiles('#import-portfolio', file);
    await page.waitForFunction(() => /from portfolio\.json/.test(document.querySelector('#holdings-title').textContent) &&
      document.querySelector('#status').dataset.state === 'ready');
    assert.deepEqual(await weightsOf(page, 1), before);
    assert.equal(await page.isVisible('#simulated'), true, 'a re-imported demo is still labelled simulated');
    // Its DeFi lines keep what they are (collateral, debt), and its positions the DeFi panel.
    const saved = JSON.parse(portfolioText);
    assert.deepEqual(saved.holdings.filter((h) => h.position).map((h) => [h.symbol, h.position, h.liquidationThreshold]),
      [['WETH', 'supply', 0.83], ['USDC debt', 'debt', undefined], ['WETH', 'lp', undefined], ['USDC', 'lp', undefined]]);
    assert.equal(saved.defi.positions.length, 15, 'the analyze request of the DeFi panel is saved with it');
    assert.equal(await page.isVisible('#defi-limits'), true);
    assert.equal(await page.isVisible('#defi'), true);

    // A broken file: the error sits next to the file input and names what is wrong.
    fs.writeFileSync(file, JSON.stringify({ format: 'ballast-portfolio', version: 1, holdings: [{ symbol: 'X', amount: 'lots', priceUsd: 1 }] }));
    await page.setInputFiles('#import-portfolio', file);
    await page.waitForFunction(() => document.querySelector('#import-portfolio-error').textContent);
    assert.match(await page.textContent('#import-portfolio-error'), /holdings\[0\]\.amount: must be a finite number/);
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('keyboard and screen reader: labelled controls, live status, skip link first, form reachable by Tab', async () => {
  const { context, page, blocked } = await openDemo();
  try {
    const unlabelled = await page.$$eval('input, select', (nodes) => nodes.filter((n) => !n.labels?.length && !n.getAttribute('aria-label')).map((n) => n.id));
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.getAttribute('#status', 'role'), 'status');
    assert.equal(await page.getAttribute('#status', 'aria-live'), 'polite');
    assert.equal(await page.getAttribute('#frontier-chart svg', 'role'), 'img');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    // Tab on until the Optimize button, then Enter runs it.
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.id === 'optimize');
    }
    assert.ok(reached, 'Optimize is reachable with Tab');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'ready');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

const REAL_CLOSES = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared/data/crypto_daily_close.csv');

test('real daily closes (../shared/data) imported as a CSV: the demo holdings optimize on market history', async (t) => {
  if (!fs.existsSync(REAL_CLOSES)) return t.skip(`SKIPPED: ${REAL_CLOSES} is absent`);
  const { context, page, blocked } = await openDemo();
  try {
    await page.setInputFiles('#import-history', REAL_CLOSES);
    await page.waitForFunction(() => /crypto_daily_close\.csv/.test(document.querySelector('#simulated-note').textContent) &&
      document.querySelector('#status').dataset.state !== 'working');
    const status = await waitReady(page);
    assert.equal(status.state, 'ready', status.text);
    // This export has stablecoin prices on only 42 of the last 366 days: the page says so, by name.
    assert.match(await page.textContent('#history-warning'), /Only 41 of the 365 daily returns .* USDT, USDC, USDC debt, USDC · Uniswap v3 have a price on 42 of 366 days/);
    await page.selectOption('#missing', 'pairwise');
    await page.click('#optimize');
    // The engine refuses Ledoit-Wolf on a pairwise panel, and the page says so at that field.
    await page.waitForFunction(() => document.querySelector('#missing-error').textContent);
    assert.match(await page.textContent('#missing-error'), /Ledoit-Wolf .* common window/);
    await page.selectOption('#covariance', 'sample');
    await page.click('#optimize');
    const pairwise = await waitReady(page);
    assert.equal(pairwise.state, 'ready', pairwise.text);
    const target = await weightsOf(page, 1);
    assert.ok(Math.abs(target.reduce((a, b) => a + b, 0) - 100) < 0.6);
    assert.equal(await page.locator('#heatmap-chart rect').count(), 17 * 17);
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});
