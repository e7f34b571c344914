// The chain side of the page: wallet discovery and connection, watch-only mode, and one
// "load" that reads balances, prices, price history and DeFi positions on every chain of the
// session, in parallel, through web/chain/, and hands one combined Portfolio to the page.
// A wallet session reads its own chain through the wallet and the other chains through the
// RPC URLs the user added; watch-only reads each chain through its RPC URL. When a chain fails
// the panel says which, keeps the others, marks the portfolio incomplete and offers a retry of
// the failed chains only; when every chain fails it keeps the portfolio it had.
import { $, el } from './dom.js';
import {
  discoverWallets, connectWallet, watchWallet, watchOnly, checkAddress, checkRpcUrl, getChainConfig,
  readBalances, readPrices, readPriceHistory, dailyCloses, historyMatrix, readAavePositions, readUniswapV3Positions,
  httpProvider, SUPPORTED_CHAIN_IDS, CHAINS, DEFAULT_TIMEOUT_MS,
} from './chain/index.mjs';
import { chainPortfolio, combineChains, historyPlan, mergeHistories, neededFeeds, parseWatchSettings } from './chain-portfolio.js';

const WATCH_KEY = 'ballast.watch';
const DAY = 86400;

// Extra network configs, by chain id, for local devnets (docs/web.md): set on window before
// the page script runs. Bundled mainnet configs are used otherwise.
const extraNetworks = () => globalThis.BALLAST_NETWORKS ?? {};

function chainName(chainId) {
  return extraNetworks()[chainId]?.name ?? CHAINS[chainId]?.name ?? `chain ${chainId}`;
}

const chainLabel = (chainId) => (extraNetworks()[chainId]?.name ?? CHAINS[chainId]?.name ? `${chainName(chainId)} (${chainId})` : `Chain ${chainId}`);

// Per-request deadline for chain reads (web/chain/http-provider.mjs, rpc.mjs); a devnet or a
// test may set window.BALLAST_RPC_TIMEOUT_MS (docs/web.md).
const rpcTimeoutMs = () => (Number(globalThis.BALLAST_RPC_TIMEOUT_MS) > 0 ? Number(globalThis.BALLAST_RPC_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS);

// The chains the form offers: the five bundled ones, then any devnet in BALLAST_NETWORKS.
const formChains = () => [...new Set([...SUPPORTED_CHAIN_IDS, ...Object.keys(extraNetworks()).map(Number).filter((n) => Number.isSafeInteger(n) && n > 0)])];

// The RPC origins the page's second CSP allows (web/public/csp.js), or null when it did not run.
function allowedRpcOrigins() {
  const meta = document.querySelector('meta[data-ballast-rpc-origins]');
  return meta ? meta.getAttribute('data-ballast-rpc-origins').split(' ').filter(Boolean) : null;
}
const originAllowed = (origin) => origin === location.origin || (allowedRpcOrigins() ?? []).includes(origin);
const originOf = (url) => { try { return new URL(url).origin; } catch { return ''; } };

export function cspReady() {
  return allowedRpcOrigins() !== null;
}

/** In words, for the page: what a ChainError means and what to do. */
export function describeChainError(error) {
  const m = error?.message ?? String(error);
  switch (error?.code) {
    case 'rpc-unreachable': return `The RPC endpoint could not be reached (${m})`;
    case 'rpc-timeout': return `The RPC endpoint did not answer in time (${m})`;
    case 'user-rejected': return 'The wallet declined the request. Nothing was read.';
    case 'unsupported-chain': return `This network (${chainName(error.actual)}) is not one Ballast reads. Switch to ${SUPPORTED_CHAIN_IDS.map((id) => CHAINS[id].name).join(', ')}.`;
    case 'wrong-chain': return error.via === 'rpc'
      ? `This RPC URL serves ${chainLabel(error.actual)}, not ${chainLabel(error.expected)}. Check the URL in its field.`
      : `The network changed while reading (expected ${chainName(error.expected)}, got ${chainName(error.actual)}). Retry.`;
    case 'multicall-missing': return `This network has no Multicall3 contract, which Ballast needs to read balances (${m})`;
    default: return m;
  }
}

export function createChainPanel({ onPortfolio, onStatus, onReadFailed, windowDays, importedHistory }) {
  let session = null;        // { kind: 'wallet' | 'watch', provider (the wallet's), account, chainId (the wallet's), name, rpcs }
  let unwatch = null;
  let generation = 0;
  let wallets = [];
  let reads = new Map();     // chainId -> the last read of that chain in this session (a retry re-reads only the failed ones)
  let retryAction = null;

  // ---- steps report: a group per chain, then the steps that span chains -------------------
  const steps = new Map();   // chainId | 'all' -> Map(key -> { state, text })
  function step(chainId, key, state, text) {
    if (!steps.has(chainId)) steps.set(chainId, new Map());
    steps.get(chainId).set(key, { state, text });
    renderSteps();
  }
  function renderSteps() {
    $('chain-report').hidden = false;
    const item = (s) => el('li', { 'data-state': s.state }, s.text);
    $('chain-steps').replaceChildren(...[...steps.entries()].flatMap(([chainId, group]) => (chainId === 'all'
      ? [...group.values()].map(item)
      : [el('li', { 'data-chain': String(chainId) }, el('strong', {}, chainLabel(chainId)), el('ul', { class: 'chain-steps' }, [...group.values()].map(item)))])));
  }

  // ---- the RPC URL fields (watch-only, and the extra chains of a wallet session) ----------
  const rpcField = (chainId) => `watch-rpc-${chainId}`;
  function buildRpcFields() {
    $('watch-rpc-fields').replaceChildren(...formChains().map((chainId) => el('div', { class: 'field' },
      el('label', { for: rpcField(chainId) }, `${chainLabel(chainId)} RPC URL`),
      el('input', { id: rpcField(chainId), name: `rpc-${chainId}`, type: 'url', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://…',
        'data-chain': String(chainId), 'aria-describedby': `${rpcField(chainId)}-error` }),
      el('p', { class: 'error', id: `${rpcField(chainId)}-error`, 'aria-live': 'polite' }))));
  }
  const savedSettings = () => parseWatchSettings(localStorage.getItem(WATCH_KEY));
  function fillForm(saved) {
    $('watch-address').value = saved.address ?? '';
    for (const chainId of formChains()) $(rpcField(chainId)).value = saved.rpcs[chainId] ?? '';
  }
  /** The saved RPC URLs of the chains the form offers that the page's policy allows (a new origin needs a reload first). */
  const usableRpcs = (rpcs) => Object.fromEntries(Object.entries(rpcs)
    .filter(([id, url]) => formChains().includes(Number(id)) && originAllowed(originOf(url))));

  // ---- wallets ---------------------------------------------------------------------------
  let discovering = false;
  async function discover() {
    discovering = true;
    try {
      wallets = await discoverWallets({ waitMs: 150 });
    } finally {
      discovering = false;
    }
    const list = $('wallets');
    if (!wallets.length) {
      list.replaceChildren(el('li', { class: 'hint' }, 'No browser wallet found. Watch an address, import a file, or explore the simulated demo.'));
      return wallets;
    }
    list.replaceChildren(...wallets.map((w) => {
      const button = el('button', { type: 'button', 'data-wallet': w.id },
        w.icon ? el('img', { src: w.icon, alt: '' }) : null, `Connect ${w.name}`);
      button.addEventListener('click', () => connect(w));
      return el('li', {}, button);
    }));
    list.append(el('li', { class: 'error', id: 'wallet-error', 'aria-live': 'polite' }));
    return wallets;
  }

  async function connect(wallet) {
    $('wallet-error').textContent = '';
    onStatus('working', `Asking ${wallet.name} for an account…`);
    try {
      const { account, chainId } = await connectWallet(wallet.provider);
      setSession({ kind: 'wallet', provider: wallet.provider, account, chainId, name: wallet.name, rpcs: usableRpcs(savedSettings().rpcs) });
      unwatch = watchWallet(wallet.provider, {
        onAccounts: (accounts) => {
          if (!session || session.kind !== 'wallet') return;
          if (!accounts.length) return disconnect('The wallet disconnected.');
          session.account = accounts[0];
          reads = new Map();
          showSession();
          load();
        },
        onChain: (id) => {
          if (!session || session.kind !== 'wallet') return;
          session.chainId = id;
          reads = new Map();
          showSession();
          load();
        },
      });
      return load();
    } catch (error) {
      $('wallet-error').textContent = `${wallet.name}: ${describeChainError(error)}`;
      onStatus('error', `Could not connect ${wallet.name}: ${describeChainError(error)}`);
      return null;
    }
  }

  function setSession(next) {
    unwatch?.();
    unwatch = null;
    session = next;
    reads = new Map();
    steps.clear();
    showSession();
  }

  function showSession() {
    const info = $('wallet-info');
    info.hidden = !session;
    $('chain-refresh').hidden = !session;
    if (!session) return;
    $('wallet-account').textContent = session.account;
    $('wallet-chain').textContent = targets(session).map((t) => `${chainLabel(t.chainId)}${t.via === 'wallet' ? ' via the wallet' : ''}`).join(', ') +
      (session.kind === 'watch' ? ', watch-only' : '');
  }

  function disconnect(reason) {
    setSession(null);
    generation++;
    $('chain-report').hidden = true;
    onPortfolio(null, reason ?? 'Disconnected.');
  }

  /** What the session reads: the wallet's own chain through the wallet, every other chain through its RPC URL. */
  function targets(s) {
    const list = [];
    if (s.kind === 'wallet') list.push({ chainId: s.chainId, via: 'wallet', provider: s.provider });
    for (const [id, url] of Object.entries(s.rpcs ?? {})) {
      const chainId = Number(id);
      if (s.kind === 'wallet' && chainId === s.chainId) continue;   // the wallet's own chain goes through the wallet
      list.push({ chainId, via: 'rpc', rpcUrl: url });
    }
    return list;
  }

  // ---- watch-only ------------------------------------------------------------------------
  function fieldError(id, message) {
    $(`${id}-error`).textContent = message;
    const input = document.getElementById(id);
    if (!input) return;
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }

  /** Reads the form: { address, rpcs } or null (the errors are shown at their fields). */
  function readForm({ needAddress }) {
    fieldError('watch-address', '');
    $('watch-rpcs-error').textContent = '';
    let address = '';
    let ok = true;
    let firstBad = null;
    const text = $('watch-address').value.trim();
    if (needAddress || text) {
      try { address = checkAddress(text, 'address'); } catch (error) { fieldError('watch-address', error.message); ok = false; firstBad = 'watch-address'; }
    }
    const rpcs = {};
    for (const chainId of formChains()) {
      const id = rpcField(chainId);
      fieldError(id, '');
      const value = $(id).value.trim();
      if (!value) continue;
      try { rpcs[chainId] = checkRpcUrl(value, `rpcs.${chainId}`); } catch (error) { fieldError(id, error.message); ok = false; firstBad ??= id; }
    }
    if (ok && needAddress && !Object.keys(rpcs).length) {
      $('watch-rpcs-error').textContent = 'Enter an RPC URL for at least one chain.';
      ok = false;
      firstBad = rpcField(formChains()[0]);
    }
    if (!ok) { $(firstBad).focus(); return null; }
    return { address, rpcs };
  }

  // The page's connect-src allows exactly the saved RPC origins: another set of origins (one
  // more, or one fewer) needs a reload, which rebuilds the policy (web/public/csp.js); the saved
  // session then resumes.
  function saveAndMaybeReload(settings) {
    if (settings) localStorage.setItem(WATCH_KEY, JSON.stringify(settings)); else localStorage.removeItem(WATCH_KEY);
    const wanted = [...new Set(Object.values(settings?.rpcs ?? {}).map(originOf))].filter((o) => o && o !== location.origin);
    const pinned = allowedRpcOrigins() ?? [];
    if (wanted.length === pinned.length && wanted.every((o) => pinned.includes(o))) return false;
    onStatus('working', wanted.length ? `Reloading so the page may connect to ${wanted.join(', ')} (and nowhere else)…`
      : 'Reloading so the page may connect nowhere but itself…');
    location.reload();
    return true;
  }

  async function watch() {
    const form = readForm({ needAddress: true });
    if (!form) return null;
    if (saveAndMaybeReload({ address: form.address, rpcs: form.rpcs, watching: true })) return null;
    return startWatching(form.address, form.rpcs);
  }

  /** "Save RPC URLs only": for a wallet session's other chains (and a later watch). */
  function saveRpcs() {
    const form = readForm({ needAddress: false });
    if (!form) return;
    const saved = savedSettings();
    if (saveAndMaybeReload({ address: form.address || saved.address, rpcs: form.rpcs, watching: session?.kind === 'watch' })) return;
    if (session?.kind === 'wallet') {
      session.rpcs = usableRpcs(form.rpcs);
      reads = new Map();
      showSession();
      load();
    } else {
      onStatus('ready', `Saved ${Object.keys(form.rpcs).length} RPC URL${Object.keys(form.rpcs).length === 1 ? '' : 's'}.`);
    }
  }

  async function startWatching(address, rpcs) {
    setSession({ kind: 'watch', account: checkAddress(address, 'address'), rpcs });
    const portfolio = await load();
    return { portfolio, error: portfolio ? null : 'Watch-only: reading the chain failed.' };
  }

  function forget() {
    fillForm({ address: '', rpcs: {} });
    if (saveAndMaybeReload(null)) return;
    if (session?.kind === 'watch') disconnect('Stopped watching; the saved address and RPC URLs were removed from this browser.');
    else if (session?.kind === 'wallet') { session.rpcs = {}; reads = new Map(); showSession(); load(); }
  }

  /** On load: resume the saved watch-only session when the page's policy allows its RPCs. */
  async function resume() {
    const saved = savedSettings();
    if (saved.legacyRpcUrl && !Object.keys(saved.rpcs).length && originAllowed(originOf(saved.legacyRpcUrl))) {
      // The one-URL form of earlier versions: ask the node which chain it is, and keep it by chain.
      try {
        const w = await watchOnly({ address: saved.address, rpcUrl: saved.legacyRpcUrl, timeoutMs: rpcTimeoutMs() });
        saved.rpcs[w.chainId] = saved.legacyRpcUrl;
        localStorage.setItem(WATCH_KEY, JSON.stringify({ address: saved.address, rpcs: saved.rpcs, watching: true }));
      } catch { /* left in the form's hands */ }
    }
    fillForm(saved);
    const rpcs = usableRpcs(saved.rpcs);
    if (!saved.address || !saved.watching || !Object.keys(rpcs).length) return null;
    try { checkAddress(saved.address, 'address'); } catch { return null; }
    return startWatching(saved.address, rpcs);
  }

  // ---- reading ---------------------------------------------------------------------------
  /** Reads every chain of the session (or only `only`, keeping the other reads), then combines. */
  let reading = 0;           // chain reads in flight (an imported CSV waits for them: web/main.js importHistory)
  let idle = [];
  async function load(options) {
    reading++;
    try { return await loadChains(options); } finally {
      if (--reading === 0) { idle.forEach((resolve) => resolve()); idle = []; }
    }
  }
  /** Resolves when no chain read is in flight. */
  const settled = () => (reading === 0 ? Promise.resolve() : new Promise((resolve) => idle.push(resolve)));

  async function loadChains({ only = null } = {}) {
    if (!session) return null;
    const mine = ++generation;
    const current = () => mine === generation && session !== null;
    const all = targets(session);
    const todo = only ? all.filter((t) => only.includes(t.chainId)) : all;
    if (!only) reads = new Map();
    for (const t of todo) steps.delete(t.chainId);
    steps.delete('all');
    for (const key of steps.keys()) if (!all.some((t) => t.chainId === key)) steps.delete(key);
    $('chain-retry').hidden = true;
    $('chain-accept').hidden = true;
    retryAction = null;
    if (!all.length) {
      step('all', 'network', 'failed', 'No chain to read: add an RPC URL for at least one chain.');
      onStatus('error', 'No chain to read: add an RPC URL for at least one chain.');
      return null;
    }

    onStatus('working', `Reading ${todo.map((t) => chainName(t.chainId)).join(', ')}…`);
    const fresh = await Promise.all(todo.map((t) => readChain(t, current)));
    if (!current()) return null;
    fresh.forEach((r) => reads.set(r.chainId, r));
    const ordered = all.map((t) => reads.get(t.chainId)).filter(Boolean);
    const failed = ordered.filter((r) => !r.ok);
    for (const r of failed) if (r.via === 'rpc' && session.kind === 'watch') fieldError(rpcField(r.chainId), r.message);
    for (const r of ordered.filter((x) => x.ok && x.via === 'rpc')) fieldError(rpcField(r.chainId), '');

    if (failed.length) {
      const names = failed.map((r) => chainName(r.chainId)).join(', ');
      retryAction = () => load({ only: failed.map((r) => r.chainId) });
      $('chain-retry').textContent = `Retry ${names}`;
      $('chain-retry').hidden = false;
    }
    if (failed.length === ordered.length) {
      // Nothing read: what was loaded before stays on screen (and says it may be out of date).
      const what = failed.length === 1 ? failed[0].message : failed.map((r) => `${chainName(r.chainId)}: ${r.message}`).join('; ');
      onStatus('error', `${failed.length === 1 ? failed[0].what : 'Every chain'} failed: ${what} Nothing new is shown; what was loaded before stays.`);
      onReadFailed?.(what);
      return null;
    }

    const portfolio = combineChains({ source: session.kind, account: session.account,
      reads: ordered.map((r) => (r.ok ? { chainId: r.chainId, chain: r.config.name, ok: true, portfolio: r.portfolio, raw: r.raw } : { chainId: r.chainId, chain: chainLabel(r.chainId), ok: false, message: r.message })) });
    await attachHistory(portfolio, ordered.filter((r) => r.ok), current);
    if (!current()) return null;
    if (!portfolio.complete) {
      $('chain-retry').hidden = false;
      retryAction ??= () => load();
      $('chain-accept').hidden = false;
    }
    if (portfolio.historyError) $('chain-retry').hidden = false;
    retryAction ??= () => load();
    onPortfolio(portfolio);
    return portfolio;
  }

  /** One chain: network, balances and prices, then Aave and Uniswap. Never throws. */
  async function readChain(target, current) {
    const { chainId, via } = target;
    const { account } = session;
    const timeoutMs = rpcTimeoutMs();
    const provider = via === 'wallet' ? target.provider : httpProvider(target.rpcUrl, { timeoutMs });
    const fail = (key, what, error, label = what) => {
      if (error?.code === 'wrong-chain' && via === 'rpc') error.via = 'rpc';
      const message = describeChainError(error);
      if (current()) step(chainId, key, 'failed', `${label}: ${message}`);
      return { chainId, via, ok: false, what: `${what} on ${chainName(chainId)}`, message };
    };
    let config;
    try {
      config = getChainConfig(chainId, extraNetworks()[chainId]);
      step(chainId, 'network', 'running', `Network: ${config.name} (${chainId})${via === 'wallet' ? ', through the wallet' : `, through ${originOf(target.rpcUrl)}`}…`);
    } catch (error) {
      return fail('network', 'Network', error);
    }
    step(chainId, 'balances', 'running', 'Balances: reading…');
    step(chainId, 'prices', 'running', 'Prices: reading Chainlink feeds…');
    const [balances, prices] = await Promise.allSettled([
      readBalances({ provider, account, chainId, config, timeoutMs }),
      readPrices({ provider, chainId, config, timeoutMs }),
    ]);
    if (!current()) return { chainId, via, ok: false, message: 'superseded' };
    const network = `Network: ${config.name} (${chainId})${via === 'wallet' ? ', through the wallet' : `, through ${originOf(target.rpcUrl)}`}`;
    // Not reached, too slow, or another chain behind the URL: a failure of the network, not of a read.
    const notReached = [balances, prices].find((r) => r.status === 'rejected' && ['rpc-unreachable', 'rpc-timeout', 'wrong-chain'].includes(r.reason?.code));
    if (notReached) {
      steps.get(chainId)?.delete('balances');
      steps.get(chainId)?.delete('prices');
      return fail('network', 'Network', notReached.reason, network);
    }
    step(chainId, 'network', 'ok', network);
    if (balances.status === 'rejected') {
      steps.get(chainId)?.delete('prices');
      return fail('balances', 'Balances', balances.reason);
    }
    if (prices.status === 'rejected') return fail('prices', 'Prices', prices.reason);
    const b = balances.value;
    const p = prices.value;
    step(chainId, 'balances', b.complete ? 'ok' : 'partial', b.complete
      ? `Balances: native and ${b.tokens.length} tokens at block ${b.blockNumber}`
      : `Balances: ${b.tokens.length} tokens read, ${b.failures.length} failed (${b.failures.map((f) => f.message.replace(/\.$/, '')).join('; ')})`);
    step(chainId, 'prices', p.ok ? 'ok' : 'failed', p.ok
      ? `Prices: ${p.prices.length} feeds passed the staleness and deviation checks`
      : `Prices: ${p.failures.length} feed${p.failures.length === 1 ? '' : 's'} failed a safety check`);

    let aave = null;
    let uniswap = null;
    const positionFailures = [];
    const optional = [];
    if (config.aave) {
      step(chainId, 'aave', 'running', 'Aave v3: reading…');
      optional.push(readAavePositions({ provider, chainId, account, config, timeoutMs }).then((r) => {
        aave = r;
        step(chainId, 'aave', r.complete ? 'ok' : 'partial', `Aave v3: ${r.supplies.length} supplied, ${r.borrows.length} borrowed` +
          (r.accountData?.healthFactor ? `, health factor ${r.accountData.healthFactor.toFixed(2)}` : '') + (r.complete ? '' : ` (${r.failures.length} item${r.failures.length === 1 ? '' : 's'} failed)`));
      }, (error) => {
        positionFailures.push({ what: 'Aave v3', code: error.code, message: describeChainError(error), source: error.source });
        step(chainId, 'aave', 'failed', `Aave v3: ${describeChainError(error)}`);
      }));
    }
    if (config.uniswap) {
      step(chainId, 'uniswap', 'running', 'Uniswap v3: reading…');
      optional.push(readUniswapV3Positions({ provider, chainId, account, config, timeoutMs }).then((r) => {
        uniswap = r;
        step(chainId, 'uniswap', r.complete ? 'ok' : 'partial', `Uniswap v3: ${r.positions.length} position${r.positions.length === 1 ? '' : 's'}` + (r.complete ? '' : ` (${r.failures.length} failed)`));
      }, (error) => {
        positionFailures.push({ what: 'Uniswap v3', code: error.code, message: describeChainError(error), source: error.source });
        step(chainId, 'uniswap', 'failed', `Uniswap v3: ${describeChainError(error)}`);
      }));
    }
    await Promise.all(optional);
    const portfolio = chainPortfolio({ source: session?.kind, account, config, balances: b, prices: p, aave, uniswap });
    portfolio.failures.push(...positionFailures);
    portfolio.complete = portfolio.failures.length === 0;
    return { chainId, via, ok: true, config, portfolio, provider, timeoutMs, raw: { config, balances: b, prices: p } };
  }

  /** Price history: an imported CSV wins; otherwise each feed key's past rounds, read once, from one chain. */
  async function attachHistory(portfolio, good, current) {
    const csv = importedHistory();
    if (csv) {
      portfolio.history = csv.history;
      step('all', 'history', 'ok', `Price history: from ${csv.name} (${csv.history.dates.length} days)`);
      return;
    }
    if (!portfolio.pricesOk) return;
    const plan = historyPlan(good.map((r) => ({ ...r, portfolio: r.portfolio })), neededFeeds(portfolio));
    step('all', 'history', 'running', 'Price history: reading past rounds…');
    try {
      const days = windowDays();
      const parts = await Promise.all([...plan.entries()].map(([chainId, feeds]) => {
        const r = good.find((x) => x.chainId === chainId);
        return feedHistory({ provider: r.provider, chainId, config: r.config, feeds, days, timeoutMs: r.timeoutMs });
      }));
      if (!current()) return;
      // A CSV imported while the rounds were being read wins, as it would have before.
      const late = importedHistory();
      if (late) {
        portfolio.history = late.history;
        step('all', 'history', 'ok', `Price history: from ${late.name} (${late.history.dates.length} days)`);
        return;
      }
      portfolio.history = mergeHistories(parts);
      const h = portfolio.history;
      const covered = h.assets.map((a, j) => `${a} ${h.prices.filter((row) => row[j] !== null).length}`).join(', ');
      step('all', 'history', 'ok', `Price history: ${h.dates.length} days from the feeds' past rounds (days with a price: ${covered})`);
    } catch (error) {
      if (!current()) return;
      portfolio.historyError = describeChainError(error);
      step('all', 'history', 'failed', `Price history: ${describeChainError(error)}. Import a CSV to optimize.`);
    }
  }

  async function feedHistory({ provider, chainId, config, feeds, days, timeoutMs }) {
    const toSec = Math.floor(Date.now() / 1000);
    const fromSec = toSec - days * DAY;
    const byAsset = {};
    for (const key of feeds) {
      const feed = config.feeds[key];
      const h = await readPriceHistory({ provider, chainId, config, feed: feed.address, fromSec, toSec, timeoutMs });
      byAsset[key] = dailyCloses(h.points, { fromSec, toSec });
    }
    // Days without a round stay null (missing), never filled in; the engine's common-window
    // policy uses the days on which every holding has a price.
    return historyMatrix(byAsset);
  }

  // ---- wiring ----------------------------------------------------------------------------
  // A wallet that announces itself later (extensions can be slow to inject) is listed then.
  let rediscover = null;
  window.addEventListener('eip6963:announceProvider', (event) => {
    const uuid = event?.detail?.info?.uuid;
    if (discovering || !uuid || wallets.some((w) => w.id === uuid) || rediscover) return;
    rediscover = setTimeout(() => { rediscover = null; discover(); }, 50);
  });

  buildRpcFields();
  fillForm(savedSettings());
  $('watch-form').addEventListener('submit', (event) => {
    event.preventDefault();
    watch();
  });
  $('watch-save').addEventListener('click', saveRpcs);
  $('watch-forget').addEventListener('click', forget);
  $('wallet-disconnect').addEventListener('click', () => disconnect());
  $('chain-retry').addEventListener('click', () => retryAction?.());
  $('chain-refresh').addEventListener('click', () => { reads = new Map(); load(); });

  return { discover, resume, load, connect, get session() { return session; }, get wallets() { return wallets; }, get reading() { return reading > 0; }, settled };
}
