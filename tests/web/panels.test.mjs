// The DeFi and Greeks panels in the built page (dist/web, Debian's Chromium): the simulated
// demo shows both, labelled simulated, with the numbers the npm package computes in Node for
// the same positions and book; the health-factor floor set high binds (the optimizer's own
// binding list) and the proposed health factor after the shock sits on it; an options CSV
// whose name is an HTML payload renders as text; bad options files get an error next to the
// file input naming the field; the panels fit a 390 px phone.
//
// The reference is recomputed in Node from the package's own demo data. The simulated prices
// come from Math.exp/log/cos, which ECMA-262 does not require to be bit-identical across
// JavaScript engines (bindings/js/demo.js), so Node's and Chromium's demo prices may differ in
// the last bits: figures are compared to a relative 1e-9, far below anything the page rounds to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { init } from '../../bindings/js/index.js';
import { demoRequest } from '../../bindings/js/demo.js';
import { demoAnalyzeRequest, demoDefiPositions, demoPortfolio } from '../../web/portfolio.js';
import { analyzeShock, isVenuePosition } from '../../web/defi-panel.js';
import { demoOptionsBook } from '../../web/options-file.js';
import { ensureBuilt, serveApp, launch, guardedContext, watchErrors, waitReady, screenshot, shots } from './support/page.mjs';

let app;
let chrome;
let b;
const blockedAll = [];

before(async () => {
  ensureBuilt();
  [app, chrome, b] = await Promise.all([serveApp(), launch(), init()]);
});

after(async () => {
  const remotes = chrome ? await chrome.close() : [];
  await app?.close();
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), []);
  assert.deepEqual(blockedAll, []);
});

const close = (actual, expected, what) => {
  const ok = Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(ok, `${what}: page ${actual}, package ${expected}`);
};

// The demo as the worker builds it (web/worker.js, handler `demo`), here through the package in Node.
function nodeDemo() {
  const d = demoRequest({ days: 730 });
  const last = d.prices.at(-1);
  const { aave, v3 } = demoDefiPositions(d.assets, last);
  const at = (a) => last[d.assets.indexOf(a)];
  const lp = b.analyze({ positions: [v3], prices: { ETH: at('ETH'), USDC: at('USDC') }, tokens: { WETH: { underlying: 'ETH' }, USDC: { stablecoin: true } } }).positions[0].details;
  const rows = d.prices.length, cols = d.assets.length;
  const data = new Float64Array(rows * cols);
  d.prices.forEach((row, t) => data.set(row, t * cols));
  const portfolio = demoPortfolio({ assets: d.assets, categories: d.assets.map(() => ''), prices: { rows, cols, data }, periodsPerYear: 365,
    note: d.note, groups: [], defi: { aave, v3, lpAmounts: [lp.amount0, lp.amount1] } });
  return { portfolio, spots: { BTC: at('BTC'), ETH: at('ETH') } };
}

async function openDemo(viewport = { width: 1280, height: 900 }) {
  const guard = await guardedContext(chrome.browser, { viewport });
  const page = await guard.context.newPage();
  const errors = watchErrors(page);
  await page.goto(app.url);
  const status = await waitReady(page);
  await page.waitForSelector('#defi-positions tr');
  await page.waitForSelector('#greeks-rows tr');
  return { ...guard, page, errors, status };
}

const dataValue = (page, selector) => page.$eval(selector, (n) => Number(n.getAttribute('data-value')));

test('the demo shows the DeFi panel, labelled simulated, with the package\'s analyze() figures', async () => {
  const { context, page, errors, status, blocked } = await openDemo();
  try {
    assert.equal(status.state, 'ready', status.text);
    assert.equal(await page.isVisible('#defi'), true);
    assert.equal(await page.isVisible('#defi-simulated'), true);
    const { portfolio } = nodeDemo();
    const request = { ...portfolio.defi.request, shock: analyzeShock(portfolio.defi.request, -0.3) };
    const ref = b.analyze(request);
    const pf = ref.portfolio;
    close(await dataValue(page, '#defi-equity'), pf.equityUsd, 'equity');
    close(await dataValue(page, '#defi-gross-leverage'), pf.grossLeverage, 'gross leverage');
    close(await dataValue(page, '#defi-health'), pf.lowestHealthFactor.value, 'lowest health factor');
    close(await dataValue(page, '#defi-nearest'), pf.nearestLiquidation.move, 'nearest liquidation move');
    close(await dataValue(page, '#defi-after-shock'), pf.equityAfterShockUsd, 'equity after the shock');
    assert.ok(pf.equityAfterShockUsd < pf.equityUsd, 'a 30 % drop costs equity');

    // Per position: value, and the Aave account's health factor before and after the shock.
    const rows = await page.$$eval('#defi-positions tr', (trs) => trs.map((tr) => ({ id: tr.dataset.id, value: Number(tr.cells[4].dataset.value),
      hf: tr.cells[6].dataset.value, after: tr.cells[7].dataset.value, risk: tr.cells[8].textContent })));
    // The table lists the positions held at a venue; the 13 plain holdings count in the totals.
    const venue = ref.positions.filter(isVenuePosition);
    assert.deepEqual(rows.map((r) => r.id), ['Aave v3 account (simulated)', 'Uniswap v3 WETH/USDC 0.3% (simulated)']);
    assert.deepEqual(rows.map((r) => r.id), venue.map((p) => p.id));
    venue.forEach((p, i) => close(rows[i].value, p.valueUsd, `value of ${p.id}`));
    assert.match(await page.textContent('#defi-plain'), /Plus 13 plain holdings/);
    assert.match(await page.textContent('#defi-health'), /^\d\.\d{3} \(Aave v3 account \(simulated\)\)$/);
    const aave = ref.positions.find((p) => p.type === 'aave-v3');
    const aaveRow = rows.find((r) => r.id === aave.id);
    close(Number(aaveRow.hf), aave.details.healthFactor, 'Aave health factor');
    close(Number(aaveRow.after), aave.details.healthFactorAfterShock, 'Aave health factor after the shock');
    assert.match(aaveRow.risk, /liquidated if ETH at \$[\d,.]+ \(-\d+\.\d%\)/);
    assert.match(rows.find((r) => /Uniswap/.test(r.id)).risk, /^in range: WETH from \$[\d,.]+ to \$[\d,.]+$/);

    // Exposure per underlying, per protocol and per chain (look-through).
    const exposures = await page.$$eval('#defi-exposures tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.underlying, Number(tr.cells[2].dataset.value)])));
    assert.deepEqual(Object.keys(exposures).sort(), Object.keys(pf.exposures).sort());
    for (const [u, x] of Object.entries(pf.exposures)) close(exposures[u], x.usd, `${u} exposure`);
    const protocols = Object.fromEntries((await page.$$eval('#defi-protocols tr', (trs) => trs.map((tr) => [tr.dataset.name, Number(tr.cells[1].dataset.value)]))));
    assert.deepEqual(Object.keys(protocols).sort(), Object.keys(pf.protocols).sort());
    for (const [name, usd] of Object.entries(pf.protocols)) close(protocols[name], usd, `protocol ${name}`);
    const chains = Object.fromEntries((await page.$$eval('#defi-chains tr', (trs) => trs.map((tr) => [tr.dataset.name, Number(tr.cells[1].dataset.value)]))));
    for (const [name, usd] of Object.entries(pf.chains)) close(chains[name], usd, `chain ${name}`);

    // The DeFi lines are in the holdings (the LP as its two token amounts, the debt negative).
    const labels = await page.$$eval('#holdings-rows tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    for (const l of ['WETH · Aave v3', 'USDC debt', 'WETH · Uniswap v3', 'USDC · Uniswap v3']) assert.ok(labels.includes(l), `${l} in ${labels}`);
    assert.equal(await page.isVisible('#defi-limits'), true, 'the DeFi limits are offered for a portfolio with an Aave debt');
    assert.deepEqual(errors, []);
    await page.locator('#defi').screenshot({ path: path.join(shots, 'web-defi-desktop.png') });
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('the demo shows the Greeks panel: book() Greeks per underlying, the scenario grid, the perp delta hedge', async () => {
  const { context, page, errors, blocked } = await openDemo();
  try {
    assert.equal(await page.isVisible('#greeks-simulated'), true, 'the demo book is labelled simulated');
    const { spots } = nodeDemo();
    const demo = demoOptionsBook(spots);
    const ref = b.book({ ...demo.request, scenarios: demo.scenarios });
    const rows = await page.$$eval('#greeks-rows tr', (trs) => trs.map((tr) => ({ name: tr.dataset.underlying, v: [...tr.cells].slice(1).map((c) => Number(c.dataset.value)) })));
    assert.deepEqual(rows.map((r) => r.name), ['BTC', 'ETH']);
    const keys = ['spot', 'valueUsd', 'deltaCoin', 'deltaUsd', 'gammaCoin', 'gammaUsdPerPct', 'vegaCoinPerVolPoint', 'vegaUsdPerVolPoint', 'thetaCoinPerDay', 'thetaUsdPerDay'];
    ref.underlyings.forEach((u, i) => keys.forEach((k, j) => close(rows[i].v[j], u[k], `${u.name} ${k}`)));

    // The grid: one header cell per vol shift (plus the row header), one row header per spot move.
    const s = ref.scenarios;
    assert.equal(await page.locator('#scenario-head th[scope="col"]').count(), s.volShocks.length + 1);
    assert.equal(await page.locator('#scenario-rows th[scope="row"]').count(), s.spotShocks.length);
    assert.match(await page.textContent('#scenario-note'), /spot move \(rows\) by additive vol shift \(columns\)/);
    assert.equal(await page.textContent('#scenario-table caption'), 'P&L (USD) by spot move and vol shift');
    const grid = await page.$$eval('#scenario-rows tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((c) => Number(c.dataset.value))));
    s.pnlUsd.forEach((row, i) => row.forEach((pnl, j) => close(grid[i][j], pnl, `P&L at spot ${s.spotShocks[i]}, vol ${s.volShocks[j]}`)));
    assert.equal(grid[s.spotShocks.indexOf(0)][s.volShocks.indexOf(0)], 0, 'no move, no P&L');

    // The hedge: the perp that makes each underlying delta-neutral, -deltaCoin (docs/api.md).
    const hedge = b.hedge({ ...demo.request, instruments: [{ instrument: 'perp', underlying: 'BTC' }, { instrument: 'perp', underlying: 'ETH' }], neutralize: ['delta'] });
    const hedgeRows = await page.$$eval('#hedge-rows tr', (trs) => trs.map((tr) => [tr.dataset.underlying, tr.cells[1].textContent, Number(tr.cells[2].dataset.value), Number(tr.cells[4].dataset.value)]));
    hedgeRows.forEach(([u, side, q], i) => {
      close(q, hedge.quantities[i], `${u} perp`);
      close(q, ref.underlyings[i].deltaNeutralPerpQuantity, `${u} perp = -deltaCoin`);
      assert.equal(side, q > 0 ? 'buy' : 'sell');
    });
    assert.ok(hedgeRows.every(([, , , residual]) => Math.abs(residual) < 1e-6), 'the hedge leaves no delta');
    assert.deepEqual(errors, []);
    await page.locator('#greeks').screenshot({ path: path.join(shots, 'web-greeks-desktop.png') });
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('the health-factor floor binds: without it the proposal keeps the debt on no collateral; set high, the engine binds the row and the debt is cut to meet it', async () => {
  const { context, page, blocked } = await openDemo();
  const settle = (floorText) => page.waitForFunction((f) => document.querySelector('#status').dataset.state === 'ready' &&
    document.querySelector('#defi-binding').textContent.includes(f), floorText);
  const read = () => page.evaluate(() => {
    const n = document.querySelector('#defi-binding');
    const debt = [...document.querySelectorAll('#weights tr')].find((tr) => tr.cells[0].textContent === 'USDC debt');
    return { text: n.textContent, bound: n.dataset.binding, hf: n.dataset.healthFactor, debtTarget: parseFloat(debt.cells[1].textContent) };
  });
  try {
    // Max utility at a low risk aversion wants the borrowed dollars, but not ETH: with no floor it
    // keeps the Aave debt and moves the WETH collateral out (a health factor of 0: liquidated).
    await page.selectOption('#objective', 'max-utility');
    await page.fill('#risk-aversion', '0.1');
    await page.fill('#hf-floor', '');
    await page.click('#optimize');
    await settle('(no floor set)');
    const free = await read();
    assert.ok(free.debtTarget < -1, `the debt is kept: ${free.debtTarget}%`);
    assert.ok(Number(free.hf) < 6, `health factor after the shock with no floor: ${free.hf}`);
    assert.doesNotMatch(free.bound, /health-factor floor/);

    // A floor of 6 after the 30 % drop: the engine reports the row at its bound, and the proposal
    // meets it (here by repaying, as holding enough ETH collateral costs more utility).
    await page.fill('#hf-floor', '6');
    await page.click('#optimize');
    await settle('(floor 6)');
    const floored = await read();
    assert.match(floored.bound, /health-factor floor/, floored.text);
    assert.ok(floored.hf === 'none' || Number(floored.hf) >= 6 - 1e-9, floored.text);
    assert.ok(floored.debtTarget > free.debtTarget, `the floor cut the debt: ${free.debtTarget}% -> ${floored.debtTarget}%`);
    await page.locator('#results').screenshot({ path: path.join(shots, 'web-hf-floor-binding.png') });

    // The same request through the package in Node: the engine binds the same row.
    const { portfolio } = nodeDemo();
    const { buildRequest, DEFAULT_SETTINGS } = await import('../../web/portfolio.js');
    const built = buildRequest(portfolio, { ...DEFAULT_SETTINGS, objective: 'max-utility', riskAversion: 0.1, healthFactorFloor: 6 });
    const r = b.optimize(built.request);
    assert.ok(r.binding.includes('constraints.linear[0].min'), r.binding.join(' '));
    assert.equal(built.linearNames[0], 'health-factor floor');

    // A floor the engine refuses (not > 0) is shown at that field, in plain words.
    await page.fill('#hf-floor', '-1');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#hf-floor-error').textContent);
    assert.equal(await page.getAttribute('#hf-floor', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#hf-floor-error'), /health factor > 0/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'hf-floor');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('per-protocol caps on DeFi lines are engine rows on what the venue holds: a refused cap and a held one, at their inputs', async () => {
  const { context, page, blocked } = await openDemo();
  try {
    assert.equal(await page.locator('#cap-protocol-Aave-v3').count(), 1);
    await page.fill('#cap-protocol-Aave-v3', '-5');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#cap-protocol-Aave-v3-error').textContent);
    assert.equal(await page.getAttribute('#cap-protocol-Aave-v3', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('#cap-protocol-Aave-v3-error'), 'Protocol cap for Aave v3: A cap is a weight >= 0');
    await page.fill('#cap-protocol-Aave-v3', '');
    // Unconstrained, max Sharpe puts about 2.6 % in the pool's USDC side; a 1 % cap binds.
    await page.fill('#cap-protocol-Uniswap-v3', '1');
    await page.click('#optimize');
    await page.waitForFunction(() => document.querySelector('#status').dataset.state === 'ready' &&
      /protocol cap on Uniswap v3/.test(document.querySelector('#defi-binding').dataset.binding), null, { timeout: 15_000 });
    const w = await page.$$eval('#weights tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.cells[0].textContent, parseFloat(tr.cells[1].textContent)])));
    assert.ok(w['WETH · Uniswap v3'] + w['USDC · Uniswap v3'] <= 1.1, JSON.stringify(w));
    assert.equal(await page.textContent('#cap-protocol-Uniswap-v3-error'), '');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

const HTML_NAME = '<img src=x onerror=alert(1)>';

test('options files: a CSV renders its HTML-payload name as text; bad files get a plain error naming the field', async () => {
  const { context, page, blocked } = await openDemo();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-options-'));
  const put = (name, text) => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };
  try {
    const csv = 'label,underlying,spot,instrument,kind,model,strike,expiryYears,vol,quantity\n' +
      `"${HTML_NAME}",BTC,60000,option,call,black-scholes,65000,0.25,0.6,2\n` +
      'BTC perp,BTC,60000,perp,,,,,,-0.5\n';
    await page.setInputFiles('#import-options', put('book.csv', csv));
    await page.waitForFunction(() => /from book\.csv/.test(document.querySelector('#greeks-summary').textContent));
    assert.equal(await page.isVisible('#greeks-simulated'), false, 'an imported book is not labelled simulated');
    const names = await page.$$eval('#greeks-positions tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
    assert.deepEqual(names, [HTML_NAME, 'BTC perp']);
    assert.equal(await page.locator('#greeks img, [onerror]').count(), 0);
    const ref = b.book({ underlyings: [{ name: 'BTC', spot: 60000 }], positions: [
      { underlying: 'BTC', instrument: 'option', kind: 'call', model: 'black-scholes', strike: 65000, expiryYears: 0.25, vol: 0.6, quantity: 2 },
      { underlying: 'BTC', instrument: 'perp', quantity: -0.5 }] });
    assert.equal(await dataValue(page, '#greeks-rows tr td:nth-of-type(3)'), ref.underlyings[0].deltaCoin, 'same request, same engine: the same delta');

    // A cell that is not a number: the row and column, next to the file input.
    await page.setInputFiles('#import-options', put('typo.csv', csv.replace('65000', '65k')));
    await page.waitForFunction(() => document.querySelector('#import-options-error').textContent);
    assert.match(await page.textContent('#import-options-error'), /^typo\.csv: row 2, strike: "65k" is not a number/);
    assert.equal(await page.getAttribute('#import-options', 'aria-invalid'), 'true');
    // A value the engine refuses in a CSV: its row and column.
    await page.setInputFiles('#import-options', put('neg.csv', csv.replace(',0.6,', ',-0.6,')));
    await page.waitForFunction(() => /neg\.csv/.test(document.querySelector('#import-options-error').textContent));
    assert.match(await page.textContent('#import-options-error'), /^neg\.csv: row 2, vol: /);
    // A JSON book: the engine's field path.
    const json = { underlyings: [{ name: 'BTC', spot: 60000 }], positions: [{ instrument: 'perp', quantity: 1 }, { instrument: 'option', kind: 'call', model: 'black-scholes', strike: -5, expiryYears: 1, vol: 0.5, quantity: 1 }] };
    await page.setInputFiles('#import-options', put('book.json', JSON.stringify(json)));
    await page.waitForFunction(() => /book\.json/.test(document.querySelector('#import-options-error').textContent));
    assert.match(await page.textContent('#import-options-error'), /^book\.json: positions\[1\]\.strike: /);
    // The panel keeps the last good book on screen.
    assert.deepEqual(await page.$$eval('#greeks-positions tr', (trs) => trs.map((tr) => tr.cells[0].textContent)), [HTML_NAME, 'BTC perp']);
    // Fixed, it loads, and the error goes.
    json.positions[1].strike = 65000;
    await page.setInputFiles('#import-options', put('book.json', JSON.stringify(json)));
    await page.waitForFunction(() => /from book\.json/.test(document.querySelector('#greeks-summary').textContent));
    assert.equal(await page.textContent('#import-options-error'), '');
    assert.deepEqual(dialogs, []);
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});

test('a 390 px phone: the DeFi and Greeks panels scroll inside their tables, not the page', async () => {
  const { context, page, blocked } = await openDemo({ width: 390, height: 844 });
  try {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    assert.ok(scrollWidth <= clientWidth + 1, `page is ${scrollWidth}px wide in a ${clientWidth}px viewport`);
    await page.locator('#defi').screenshot({ path: path.join(shots, 'web-mobile-defi.png') });
    await page.locator('#greeks').screenshot({ path: path.join(shots, 'web-mobile-greeks.png') });
    await screenshot(page, 'web-panels-mobile');
  } finally {
    blockedAll.push(...blocked);
    await context.close();
  }
});
