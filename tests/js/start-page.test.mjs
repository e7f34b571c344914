// The page `npm start` serves: it loads the package in Chromium, optimizes the simulated
// demo portfolio, labels it as simulated, and requests nothing but its own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../../scripts/serve.mjs';
import { launchChromium } from '../support/browser.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('npm start page shows an optimization of the simulated demo portfolio', async () => {
  const server = createServer();
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/web/`);
    await page.waitForSelector('#status[data-state]', { timeout: 20_000 });
    assert.equal(await page.getAttribute('#status', 'data-state'), 'ready', await page.textContent('#status'));
    assert.deepEqual(errors, []);
    assert.match(await page.textContent('.simulated'), /Simulated/);
    const rows = await page.$$eval('#weights tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.ok(rows.length >= 5, `expected the demo assets, got ${rows.length} rows`);
    const total = rows.reduce((s, r) => s + parseFloat(r[1]), 0);
    assert.ok(Math.abs(total - 100) < 0.5, `weights add to ${total}%`);
    assert.match(await page.textContent('#metrics'), /Expected return .* volatility .* Sharpe/);
    for (const url of requests) assert.ok(url.startsWith(origin), `request left the page's origin: ${url}`);
    const shots = path.join(repo, 'test-results');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'start-page.png'), fullPage: true });
  } finally {
    await browser.close();
    server.close();
  }
});
