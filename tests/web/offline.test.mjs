// Offline: after one visit the service worker has the whole app, so a reload with the network
// cut (and the server gone) still opens it and computes the demo. And dist/web opened straight
// from disk (file://, as from a USB stick) runs too: classic script, Blob worker, wasm bytes
// from a classic script (notes, section 5), without --allow-file-access-from-files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ensureBuilt, serveApp, launch, guardedContext, watchErrors, waitReady, screenshot, distWeb } from './support/page.mjs';

let chrome;

before(async () => {
  ensureBuilt();
  chrome = await launch();
});

after(async () => {
  const remotes = chrome ? await chrome.close() : [];
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), []);
});

test('a reload with the network cut works: the service worker serves the app', async () => {
  const app = await serveApp();
  const { context, blocked } = await guardedContext(chrome.browser, { serviceWorkers: 'allow' });
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(app.url);
    assert.equal((await waitReady(page)).state, 'ready');
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
      return reg.active.state;
    });
    await app.close();
    await context.setOffline(true);
    await page.reload();
    const status = await waitReady(page);
    assert.equal(status.state, 'ready', status.text);
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true);
    assert.equal(await page.locator('#heatmap-chart rect').count(), 17 * 17);   // the demo's 17 lines
    assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
    await screenshot(page, 'web-offline-reload');
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});

test('dist/web opened from file:// computes the demo', async () => {
  const { context, blocked } = await guardedContext(chrome.browser);
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`file://${path.join(distWeb, 'index.html')}`);
    const status = await waitReady(page);
    assert.equal(status.state, 'ready', `${status.text} ${errors.join(' | ')}`);
    assert.equal(await page.locator('#frontier-chart path.frontier').count(), 1);
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
  }
});
