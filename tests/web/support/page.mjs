// Shared by the page tests (tests/web/*.test.mjs): the built app, a loopback server, Debian's
// Chromium with the privacy flags of notes/chain-and-browser-testing.md (sections 4 and 5),
// the page-level request guard, the NetLog check, and an injected EIP-6963 test wallet.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from '../../../scripts/serve.mjs';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const distWeb = path.join(repo, 'dist/web');
export const shots = path.join(repo, 'test-results');

/** Builds dist/web when it is missing or older than its sources (npm test has built it already). */
export function ensureBuilt() {
  const stamp = path.join(distWeb, 'index.html');
  const newest = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = path.join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }, 0);
  const sources = Math.max(newest(path.join(repo, 'web')), newest(path.join(repo, 'bindings/js')), newest(path.join(repo, 'dist/wasm')));
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= sources) return;
  execFileSync(process.execPath, [path.join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.js'],
    { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function serveApp() {
  const server = createServer({ root: distWeb });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return { url, server, close: () => new Promise((ok) => { for (const s of sockets) s.destroy(); server.close(ok); }) };
}

/** Chromium with the notes' flags and a NetLog; close() returns the non-loopback TCP connects. */
export async function launch() {
  const netlog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ballast-netlog-')), 'netlog.json');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1', `--log-net-log=${netlog}`],
  });
  return {
    browser,
    async close() {
      await browser.close();
      return tcpConnects(netlog);
    },
  };
}

/** Every TCP_CONNECT remote address in a NetLog file. */
export function tcpConnects(netlogPath) {
  let text = fs.readFileSync(netlogPath, 'utf8').trim();
  // Chromium may leave the events array unterminated when killed; close it.
  if (!text.endsWith('}')) text = text.replace(/,?\s*$/, ']}');
  const log = JSON.parse(text);
  const names = Object.fromEntries(Object.entries(log.constants.logEventTypes).map(([k, v]) => [v, k]));
  return log.events.filter((e) => names[e.type] === 'TCP_CONNECT' && e.params?.remote_address).map((e) => e.params.remote_address);
}

/**
 * A context whose every request passes a guard: loopback, data:, blob: and file: go through,
 * anything else is aborted and recorded in `blocked`. WebSockets are guarded too.
 */
export async function guardedContext(browser, { guardWebSockets = true, ...options } = {}) {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  const seen = [];
  const blocked = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    seen.push(u.href);
    if (['data:', 'blob:', 'file:'].includes(u.protocol) || u.hostname === '127.0.0.1') return route.continue();
    blocked.push(u.href);
    return route.abort('blockedbyclient');
  });
  // (Chromium 156 + playwright-core 1.65: a WebSocket that the page's CSP refuses crashes the
  // page when routeWebSocket is on, so the CSP test turns this part off; NetLog still watches.)
  if (guardWebSockets) {
    await context.routeWebSocket(/.*/, (ws) => {
      seen.push(ws.url());
      if (new URL(ws.url()).hostname === '127.0.0.1') ws.connectToServer();
      else { blocked.push(ws.url()); ws.close(); }
    });
  }
  return { context, seen, blocked };
}

/** Collects page errors and console errors of a page. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}

// The state and text are read in the same page evaluation that saw the status settle: read
// separately afterwards, a second run the page starts at once (an import re-runs the analysis)
// could show its 'working' state beside the first run's text.
export async function waitReady(page, timeout = 30_000) {
  const settled = await page.waitForFunction(() => {
    const status = document.querySelector('#status');
    const state = status?.dataset.state, text = status?.textContent ?? '';
    const done = ['ready', 'error', 'blocked'].includes(state) && !/^(Loading|Preparing|Computing|Reading|Connecting|Asking)/.test(text);
    return done && { state, text };
  }, null, { timeout });
  return settled.jsonValue();
}

/**
 * Runs `action` and waits for the status it causes to settle. waitReady alone can return the
 * status from before: a file import, for one, changes it only after the file is read.
 */
export async function settleAfter(page, action, timeout = 30_000) {
  await page.evaluate(() => {
    window.__statusChanged = false;
    new MutationObserver(() => { window.__statusChanged = true; })
      .observe(document.querySelector('#status'), { attributes: true, childList: true, characterData: true, subtree: true });
  });
  await action();
  await page.waitForFunction(() => window.__statusChanged, null, { timeout });
  return waitReady(page, timeout);
}

export async function screenshot(page, name) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

const SIGNING = /^(eth_send|eth_sign|personal_sign|wallet_send|eth_signTypedData)/;

/**
 * Injects an EIP-1193 provider announced over EIP-6963 (and as window.ethereum) whose RPC is
 * forwarded by Node to `rpcUrl`. Records every method the page calls; signing methods are
 * refused with 4200. `wallet.emit(event, value)` fires accountsChanged / chainChanged.
 * behaviour: { reject: true } makes eth_requestAccounts fail with 4001.
 */
export async function injectWallet(context, { rpcUrl, account, name = 'E2E Wallet', reject = false, chainIdOverride = null }) {
  const calls = [];
  await context.exposeBinding('__e2eWalletRpc', async (_source, method, params) => {
    calls.push(method);
    if (SIGNING.test(method)) return { error: { code: 4200, message: 'read-only test wallet' } };
    if (method === 'eth_chainId' && wallet.chainIdOverride) return { result: wallet.chainIdOverride };
    const response = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: calls.length, method, params }) });
    const j = await response.json();
    return j.error ? { error: j.error } : { result: j.result };
  });
  await context.addInitScript(({ account, name, reject }) => {
    let connected = false;
    let current = account;
    const listeners = {};
    const provider = {
      async request({ method, params = [] }) {
        if (method === 'eth_requestAccounts') {
          await window.__e2eWalletRpc('eth_requestAccounts', []);
          if (reject) throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
          connected = true;
          return [current];
        }
        if (method === 'eth_accounts') return connected ? [current] : [];
        const r = await window.__e2eWalletRpc(method, params);
        if (r.error) throw Object.assign(new Error(r.error.message), { code: r.error.code, data: r.error.data });
        return r.result;
      },
      on(event, fn) { (listeners[event] ??= []).push(fn); return provider; },
      removeListener(event, fn) { listeners[event] = (listeners[event] || []).filter((f) => f !== fn); return provider; },
    };
    window.__e2eEmit = (event, value) => {
      if (event === 'accountsChanged') current = value[0] ?? current;
      for (const fn of listeners[event] ?? []) fn(value);
    };
    Object.defineProperty(window, 'ethereum', { value: provider, configurable: true });
    const detail = Object.freeze({ provider, info: Object.freeze({ uuid: '350670db-19fa-4704-a166-e52e178b59d2', name, rdns: 'test.e2e.wallet',
      icon: 'data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="9" fill="%232f5fa7"/></svg>' }) });
    const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
    window.addEventListener('eip6963:requestProvider', announce);
    announce();
  }, { account, name, reject });
  const wallet = {
    calls, chainIdOverride,
    signingCalls: () => calls.filter((m) => SIGNING.test(m)),
    emit: (page, event, value) => page.evaluate(([e, v]) => window.__e2eEmit(e, v), [event, value]),
  };
  return wallet;
}

/** Makes a devnet chain config visible to the page (window.BALLAST_NETWORKS, docs/web.md). */
export async function injectNetworks(context, configs) {
  await context.addInitScript((c) => { window.BALLAST_NETWORKS = c; }, configs);
}

// Daily closes for a CSV price-history import: 90 days ending today, on smooth paths near the
// fixture's prices, one column per asset (ETH, BTC, USDC, DAI) in the order given.
const DAILY_PATHS = {
  ETH: (k) => (3000 * (1 + 0.03 * Math.sin(k / 3))).toFixed(2),
  BTC: (k) => (60000 * (1 + 0.02 * Math.cos(k / 4))).toFixed(2),
  USDC: (k) => (1 + 0.0008 * Math.sin(k)).toFixed(5),
  DAI: (k) => (1 + 0.0006 * Math.cos(k * 1.3)).toFixed(5),
};
export function historyCsv(assets) {
  const rows = [['date', ...assets].join(',')];
  const today = Math.floor(Date.now() / 86400e3);
  for (let i = 89; i >= 0; i--) {
    const k = 90 - i;
    rows.push([new Date((today - i) * 86400e3).toISOString().slice(0, 10), ...assets.map((a) => DAILY_PATHS[a](k))].join(','));
  }
  return Buffer.from(rows.join('\n') + '\n');
}
