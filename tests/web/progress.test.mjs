// Progress and Cancel on a long analysis: a 700-holding portfolio file (a treasury-sized import,
// 400 days of prices) takes seconds in the worker, long enough for the progress bar. Cancel
// terminates the worker: the status says Cancelled, no result of the cancelled run appears
// (not even late), and the next optimization runs in a fresh worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuilt, serveApp, launch, guardedContext, watchErrors, waitReady, shots } from './support/page.mjs';

let app;
let chrome;

before(async () => {
  ensureBuilt();
  app = await serveApp();
  chrome = await launch();
});

after(async () => {
  const remotes = chrome ? await chrome.close() : [];
  await app?.close();
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), []);
});

// n holdings of equal value, with deterministic random-walk prices (a Lehmer generator).
function bigPortfolio(n, days) {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const assets = Array.from({ length: n }, (_, j) => `T${String(j).padStart(3, '0')}`);
  const dates = [];
  const prices = [];
  let p = assets.map(() => 100);
  for (let t = 0; t < days; t++) {
    dates.push(new Date(Date.UTC(2024, 0, 1) + t * 864e5).toISOString().slice(0, 10));
    p = p.map((x) => x * Math.exp(0.03 * (rnd() - 0.5) + 0.0003));
    prices.push(p.map((x) => Number(x.toFixed(6))));
  }
  return Buffer.from(JSON.stringify({ format: 'ballast-portfolio', version: 1, title: 'Treasury',
    holdings: assets.map((symbol, j) => ({ symbol, amount: 1000 / p[j], priceUsd: p[j] })), history: { dates, assets, prices } }));
}

test('a long analysis shows labelled progress; Cancel stops it, shows no stale result, and the next optimization works', async () => {
  const { context, blocked } = await guardedContext(chrome.browser, { viewport: { width: 1280, height: 900 } });
  try {
    // Counts the engine workers the page starts and the analyses it asks them for.
    await context.addInitScript(() => {
      window.__workers = 0;
      window.__analyses = 0;
      const Original = window.Worker;
      window.Worker = function (...args) { window.__workers++; return new Original(...args); };
      window.Worker.prototype = Original.prototype;
      const post = Original.prototype.postMessage;
      Original.prototype.postMessage = function (message, transfer) {
        if (message?.type === 'analyze') window.__analyses++;
        return post.call(this, message, transfer);
      };
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(app.url);
    assert.equal((await waitReady(page)).state, 'ready');
    assert.equal(await page.isVisible('#results'), true, 'the demo result is on screen before the import');
    assert.equal(await page.evaluate(() => window.__workers), 1);

    await page.setInputFiles('#import-portfolio', { name: 'treasury.json', mimeType: 'application/json', buffer: bigPortfolio(700, 400) });
    await page.waitForSelector('#progress-box', { state: 'visible', timeout: 20_000 });
    const label = await page.textContent('#progress-label');
    assert.match(label, /^(Estimating returns and covariance|Optimizing|Tracing the efficient frontier|Measuring the current portfolio)$/);
    assert.equal(await page.getAttribute('#progress', 'max'), '4');
    assert.equal(await page.getAttribute('#progress', 'aria-labelledby'), 'progress-label', 'the bar is named by its label');
    assert.equal(await page.getAttribute('#status', 'data-state'), 'working');
    assert.equal(await page.isVisible('#results'), false, 'the demo result is not shown for the treasury');
    // (The viewport only: a full-page capture of 700 rows takes long enough for the run to end.)
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'web-progress.png') });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => /^Cancelled/.test(document.querySelector('#status').textContent));
    assert.equal(await page.isVisible('#progress-box'), false);
    assert.equal(await page.isVisible('#results'), false);
    // The cancelled run would have finished within a few seconds: nothing of it shows up late.
    await page.waitForTimeout(4000);
    assert.match(await page.textContent('#status'), /^Cancelled/);
    assert.equal(await page.isVisible('#results'), false, 'no stale result');
    assert.equal(await page.evaluate(() => window.__workers), 2, 'the worker was replaced');

    // The next optimization runs in the new worker.
    await page.click('#use-demo');
    const next = await waitReady(page);
    assert.equal(next.state, 'ready', next.text);
    const holdings = await page.locator('#holdings-rows tr').count();
    assert.match(next.text, new RegExp(`^Done: simulated demo, ${holdings} holdings`));
    assert.equal(await page.isVisible('#results'), true);
    await page.click('#optimize');
    assert.equal((await waitReady(page)).state, 'ready');
    assert.equal(await page.evaluate(() => window.__analyses), 4, 'demo, treasury (cancelled), demo, optimize');
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});

// The same 300-holding import run to the end: the heatmap of 90,000 pairs is drawn on a canvas
// (an SVG of that many cells takes seconds to lay out on the main thread), and the correlation
// table is built only when opened.
test('a 300-holding result draws its heatmap on a canvas and builds the correlation table on demand', async () => {
  const { context, blocked } = await guardedContext(chrome.browser, { viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(app.url);
    assert.equal((await waitReady(page)).state, 'ready');
    assert.equal(await page.locator('#heatmap-chart svg rect').count(), (await page.locator('#holdings-rows tr').count()) ** 2, 'the demo: SVG cells');
    await page.setInputFiles('#import-portfolio', { name: 'treasury.json', mimeType: 'application/json', buffer: bigPortfolio(300, 400) });
    await page.waitForFunction(() => /^Done: 300 holdings/.test(document.querySelector('#status').textContent), null, { timeout: 120_000 });
    assert.equal(await page.locator('#heatmap-chart svg').count(), 0);
    assert.equal(await page.getAttribute('#heatmap-chart canvas', 'data-assets'), '300');
    assert.equal(await page.locator('#heatmap-chart td').count(), 0, 'no table until it is opened');
    await page.click('#heatmap-chart summary');
    await page.waitForFunction(() => document.querySelectorAll('#heatmap-chart td').length === 300 * 300, null, { timeout: 60_000 });
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});
