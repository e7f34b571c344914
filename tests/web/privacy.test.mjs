// Privacy, proven twice: the page-level guard (every request and WebSocket the page or its
// workers make) and the browser-level NetLog (every TCP connection Chromium opened). A
// negative-control page first proves the guard sees fetch, <img>, sendBeacon, a worker's
// fetch and a WebSocket: a guard that sees nothing would pass everything.
// Also: the page's Content-Security-Policy itself refuses what the guard would block.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ensureBuilt, serveApp, launch, guardedContext, waitReady, distWeb } from './support/page.mjs';

let app;
let chrome;
const CONTROL = 'privacy-control.html';

before(async () => {
  ensureBuilt();
  // The control page goes next to the app only for this test, and is removed after.
  fs.writeFileSync(path.join(distWeb, CONTROL), `<!doctype html><title>control</title><script>
    fetch('https://tracker.example.com/f').catch(() => {});
    const img = new Image(); img.src = 'https://pixel.example.com/i.gif';
    navigator.sendBeacon('https://beacon.example.com/b', 'x');
    new Worker(URL.createObjectURL(new Blob(["fetch('https://worker.example.com/w').catch(() => {})"])));
    try { new WebSocket('wss://socket.example.com/s'); } catch {}
  </script>`);
  app = await serveApp();
  chrome = await launch();
});

after(async () => {
  fs.rmSync(path.join(distWeb, CONTROL), { force: true });
  const remotes = chrome ? await chrome.close() : [];
  await app?.close();
  assert.deepEqual(remotes.filter((a) => !a.startsWith('127.0.0.1:')), [], 'a TCP connection left the loopback');
});

test('negative control: the guard sees and blocks fetch, img, beacon, worker fetch and WebSocket', async () => {
  const { context, blocked } = await guardedContext(chrome.browser);
  try {
    const page = await context.newPage();
    await page.goto(app.url + CONTROL);
    const want = ['tracker.example.com', 'pixel.example.com', 'beacon.example.com', 'worker.example.com', 'socket.example.com'];
    for (let i = 0; i < 100 && !want.every((h) => blocked.some((u) => u.includes(h))); i++) await page.waitForTimeout(50);
    for (const host of want) assert.ok(blocked.some((u) => u.includes(host)), `the guard missed ${host}: ${blocked.join(', ')}`);
  } finally {
    await context.close();
  }
});

// A page whose CSP violations ("<directive> <blocked URI>") are collected in `violations`.
async function pageRecordingViolations(context) {
  const page = await context.newPage();
  const violations = [];
  await page.exposeFunction('__violation', (d) => violations.push(d));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => window.__violation(`${e.effectiveDirective} ${e.blockedURI}`)));
  return { page, violations };
}

test('the app under its CSP: scripts, images, fetches and sockets to elsewhere are refused by the page itself', async () => {
  const { context, blocked } = await guardedContext(chrome.browser, { guardWebSockets: false });
  try {
    const { page, violations } = await pageRecordingViolations(context);
    await page.goto(app.url);
    assert.equal((await waitReady(page)).state, 'ready');
    const policies = await page.$$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.map((x) => x.content));
    assert.equal(policies.length, 2);
    assert.match(policies[0], /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal(policies[1], "connect-src 'self'", 'no RPC chosen: the page may connect only to itself');
    await page.evaluate(async () => {
      const tries = [
        () => fetch('https://api.example.com/price'),
        () => new Promise((ok) => { const s = document.createElement('script'); s.src = 'https://cdn.example.com/x.js'; s.onerror = ok; document.head.append(s); }),
        () => new Promise((ok) => { const i = new Image(); i.onerror = ok; i.src = 'https://img.example.com/p.gif'; }),
        () => new Promise((ok) => { try { const w = new WebSocket('wss://ws.example.com/'); w.onerror = ok; } catch { ok(); } }),
        () => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.append(s); },
      ];
      for (const t of tries) { try { await t(); } catch { /* refused */ } }
    });
    await page.waitForTimeout(200);
    assert.equal(await page.evaluate(() => window.__inline), undefined, 'inline script must not run');
    assert.ok(violations.some((v) => v.startsWith('connect-src wss://ws.example.com')), 'the WebSocket was refused by connect-src');
    for (const directive of ['connect-src', 'script-src', 'img-src']) {
      assert.ok(violations.some((v) => v.startsWith(directive)), `no ${directive} violation: ${violations.join('; ')}`);
    }
    assert.deepEqual(blocked, [], 'the CSP refused them before any request was made');
  } finally {
    await context.close();
  }
});

// A loopback server that answers any request (CORS open, as RPC nodes are) and counts them.
async function countingServer() {
  const server = http.createServer((req, res) => {
    server.hits++;
    res.writeHead(200, { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'content-type': 'application/json' });
    res.end('{"jsonrpc":"2.0","id":1,"result":"0x1"}');
  });
  server.hits = 0;
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

test('RPC URLs saved for two chains: the policy names exactly those two origins; a third is refused; junk adds nothing', async () => {
  const [one, two, third] = await Promise.all([countingServer(), countingServer(), countingServer()]);
  const { context, blocked } = await guardedContext(chrome.browser, { guardWebSockets: false });
  try {
    await context.addInitScript((saved) => { localStorage.setItem('ballast.watch', JSON.stringify(saved)); }, {
      address: '', watching: false,
      rpcs: { 42161: `${two.origin}/arb`, 1: `${one.origin}/eth`, 10: `${one.origin}/other-path-same-origin`, 8453: 'javascript:alert(1)',
        137: `http://user:pw@${third.origin.slice(7)}/`, abc: `${third.origin}/`, 56: `${third.origin.replace(/:\d+$/, ':1; script-src *')}/` },
    });
    const { page, violations } = await pageRecordingViolations(context);
    await page.goto(app.url);
    assert.equal((await waitReady(page)).state, 'ready');
    const policies = await page.$$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.map((x) => x.content));
    assert.equal(policies[1], `connect-src 'self' ${one.origin} ${two.origin}`, 'by chain id, each origin once, nothing else');
    assert.equal(await page.inputValue('#watch-rpc-1'), `${one.origin}/eth`, 'the saved URLs are in their chains\' fields');
    assert.equal(await page.inputValue('#watch-rpc-42161'), `${two.origin}/arb`);
    const reached = await page.evaluate(async (urls) => Promise.all(urls.map((u) => fetch(u, { method: 'POST', body: '{}' }).then(() => true, () => false))),
      [`${one.origin}/eth`, `${two.origin}/arb`, `${third.origin}/`]);
    assert.deepEqual(reached, [true, true, false]);
    assert.ok(violations.some((v) => v.startsWith(`connect-src ${third.origin}`)), violations.join('; '));
    assert.equal(third.server.hits, 0, 'the third origin never saw a request');
    assert.ok(one.server.hits > 0 && two.server.hits > 0);
    assert.deepEqual(blocked, []);
  } finally {
    await context.close();
    await Promise.all([one.close(), two.close(), third.close()]);
  }
});
