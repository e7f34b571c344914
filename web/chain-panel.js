// The chain side of the page: wallet discovery and connection, watch-only mode, and one
// "load" that reads balances, prices, price history and DeFi positions through web/chain/
// and hands a Portfolio to the page. When a read fails the panel says what failed, keeps the
// portfolio it had, and offers a retry; a portfolio with failed items is marked incomplete.
import { $, el } from './dom.js';
import {
  discoverWallets, connectWallet, watchWallet, watchOnly, checkAddress, checkRpcUrl, getChainConfig,
  readBalances, readPrices, readPriceHistory, dailyCloses, historyMatrix, readAavePositions, readUniswapV3Positions,
  SUPPORTED_CHAIN_IDS, CHAINS,
} from './chain/index.mjs';
import { chainPortfolio, neededFeeds } from './chain-portfolio.js';

const WATCH_KEY = 'ballast.watch';
const DAY = 86400;

// Extra network configs, by chain id, for local devnets (docs/web.md): set on window before
// the page script runs. Bundled mainnet configs are used otherwise.
const extraNetworks = () => globalThis.BALLAST_NETWORKS ?? {};

function chainName(chainId) {
  return extraNetworks()[chainId]?.name ?? CHAINS[chainId]?.name ?? `chain ${chainId}`;
}

const chainLabel = (chainId) => (extraNetworks()[chainId]?.name ?? CHAINS[chainId]?.name ? `${chainName(chainId)} (${chainId})` : `Chain ${chainId}`);

function allowedRpcOrigin() {
  const meta = document.querySelector('meta[data-ballast-rpc-origin]');
  return meta ? meta.getAttribute('data-ballast-rpc-origin') : null;
}

export function cspReady() {
  return allowedRpcOrigin() !== null;
}

/** In words, for the page: what a ChainError means and what to do. */
export function describeChainError(error) {
  const m = error?.message ?? String(error);
  switch (error?.code) {
    case 'rpc-unreachable': return `The RPC endpoint could not be reached (${m})`;
    case 'rpc-timeout': return `The RPC endpoint did not answer in time (${m})`;
    case 'user-rejected': return 'The wallet declined the request. Nothing was read.';
    case 'unsupported-chain': return `This network (${chainName(error.actual)}) is not one Ballast reads. Switch to ${SUPPORTED_CHAIN_IDS.map((id) => CHAINS[id].name).join(', ')}.`;
    case 'wrong-chain': return `The network changed while reading (expected ${chainName(error.expected)}, got ${chainName(error.actual)}). Retry.`;
    case 'multicall-missing': return `This network has no Multicall3 contract, which Ballast needs to read balances (${m})`;
    default: return m;
  }
}

export function createChainPanel({ onPortfolio, onStatus, onReadFailed, windowDays, importedHistory }) {
  let session = null;        // { kind: 'wallet' | 'watch', provider, account, chainId, name }
  let unwatch = null;
  let generation = 0;
  let wallets = [];

  // ---- steps report --------------------------------------------------------------------
  const steps = new Map();
  function step(key, state, text) {
    steps.set(key, { state, text });
    $('chain-report').hidden = false;
    $('chain-steps').replaceChildren(...[...steps.values()].map((s) => el('li', { 'data-state': s.state }, s.text)));
  }

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
      setSession({ kind: 'wallet', provider: wallet.provider, account, chainId, name: wallet.name });
      unwatch = watchWallet(wallet.provider, {
        onAccounts: (accounts) => {
          if (!session || session.kind !== 'wallet') return;
          if (!accounts.length) return disconnect('The wallet disconnected.');
          session.account = accounts[0];
          showSession();
          load();
        },
        onChain: (id) => {
          if (!session || session.kind !== 'wallet') return;
          session.chainId = id;
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
    steps.clear();
    showSession();
  }

  function showSession() {
    const info = $('wallet-info');
    info.hidden = !session;
    if (!session) return;
    $('wallet-account').textContent = session.account;
    $('wallet-chain').textContent = `${chainLabel(session.chainId)}${session.kind === 'watch' ? ', watch-only' : ''}`;
  }

  function disconnect(reason) {
    setSession(null);
    generation++;
    $('chain-report').hidden = true;
    onPortfolio(null, reason ?? 'Disconnected.');
  }

  // ---- watch-only ------------------------------------------------------------------------
  function fieldError(id, message) {
    $(`${id}-error`).textContent = message;
    const input = $(id);
    if (message) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  }

  async function watch(addressText, rpcText) {
    fieldError('watch-address', '');
    fieldError('watch-rpc', '');
    let address;
    let rpcUrl;
    try { address = checkAddress(addressText.trim(), 'address'); } catch (error) { fieldError('watch-address', error.message); }
    try { rpcUrl = checkRpcUrl(rpcText.trim(), 'rpcUrl'); } catch (error) { fieldError('watch-rpc', error.message); }
    if (!address || !rpcUrl) {
      $(address ? 'watch-rpc' : 'watch-address').focus();
      return null;
    }
    const origin = new URL(rpcUrl).origin;
    // The page's connect-src allows only the saved RPC origin: a new origin needs a reload,
    // which rebuilds the policy (web/public/csp.js) and resumes watching.
    localStorage.setItem(WATCH_KEY, JSON.stringify({ address, rpcUrl }));
    if (origin !== location.origin && allowedRpcOrigin() !== origin) {
      onStatus('working', `Reloading so the page may connect to ${origin} (and nowhere else)…`);
      location.reload();
      return null;
    }
    return startWatching(address, rpcUrl);
  }

  async function startWatching(address, rpcUrl) {
    onStatus('working', `Connecting to ${new URL(rpcUrl).origin}…`);
    setSession(null);
    try {
      const w = await watchOnly({ address, rpcUrl });
      setSession({ kind: 'watch', provider: w.provider, account: w.account, chainId: w.chainId, rpcUrl });
      const portfolio = await load();
      return { portfolio, error: portfolio ? null : 'Watch-only: reading the chain failed.' };
    } catch (error) {
      fieldError('watch-rpc', describeChainError(error));
      step('network', 'failed', `Network: ${describeChainError(error)}`);
      $('chain-retry').hidden = false;
      retryAction = () => startWatching(address, rpcUrl);
      onStatus('error', `Watch-only failed: ${describeChainError(error)}`);
      return { portfolio: null, error: `Watch-only failed: ${describeChainError(error)}` };
    }
  }

  function forget() {
    localStorage.removeItem(WATCH_KEY);
    $('watch-address').value = '';
    $('watch-rpc').value = '';
    if (session?.kind === 'watch') disconnect('Stopped watching; the saved address and RPC URL were removed from this browser.');
  }

  /** On load: resume the saved watch-only session when the page's policy allows its RPC. */
  function resume() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(WATCH_KEY) ?? 'null'); } catch { saved = null; }
    if (!saved?.address || !saved?.rpcUrl) return null;
    $('watch-address').value = saved.address;
    $('watch-rpc').value = saved.rpcUrl;
    let origin = '';
    try { origin = new URL(saved.rpcUrl).origin; } catch { return null; }
    if (origin !== location.origin && allowedRpcOrigin() !== origin) return null;
    return startWatching(saved.address, saved.rpcUrl);
  }

  // ---- reading ---------------------------------------------------------------------------
  let retryAction = null;

  async function load() {
    if (!session) return null;
    const mine = ++generation;
    const current = () => mine === generation;
    const { provider, account, chainId } = session;
    steps.clear();
    $('chain-retry').hidden = true;
    $('chain-accept').hidden = true;
    retryAction = load;
    const fatal = (key, what, error) => {
      if (!current()) return null;
      step(key, 'failed', `${what}: ${describeChainError(error)}`);
      $('chain-retry').hidden = false;
      onStatus('error', `${what} failed: ${describeChainError(error)} Nothing new is shown; what was loaded before stays.`);
      onReadFailed?.(`${what}: ${describeChainError(error)}`);
      return null;
    };

    onStatus('working', `Reading ${chainName(chainId)}…`);
    let config;
    try {
      config = getChainConfig(chainId, extraNetworks()[chainId]);
      step('network', 'ok', `Network: ${config.name} (${chainId})`);
    } catch (error) {
      return fatal('network', 'Network', error);
    }

    step('balances', 'running', 'Balances: reading…');
    step('prices', 'running', 'Prices: reading Chainlink feeds…');
    const [balances, prices] = await Promise.allSettled([
      readBalances({ provider, account, chainId, config }),
      readPrices({ provider, chainId, config }),
    ]);
    if (!current()) return null;
    if (balances.status === 'rejected') {
      steps.delete('prices');
      return fatal('balances', 'Balances', balances.reason);
    }
    if (prices.status === 'rejected') return fatal('prices', 'Prices', prices.reason);
    const b = balances.value;
    const p = prices.value;
    step('balances', b.complete ? 'ok' : 'partial', b.complete
      ? `Balances: native and ${b.tokens.length} tokens at block ${b.blockNumber}`
      : `Balances: ${b.tokens.length} tokens read, ${b.failures.length} failed (${b.failures.map((f) => f.message.replace(/\.$/, '')).join('; ')})`);
    step('prices', p.ok ? 'ok' : 'failed', p.ok
      ? `Prices: ${p.prices.length} feeds passed the staleness and deviation checks`
      : `Prices: ${p.failures.length} feed${p.failures.length === 1 ? '' : 's'} failed a safety check`);

    let aave = null;
    let uniswap = null;
    const positionFailures = [];
    const optional = [];
    if (config.aave) {
      step('aave', 'running', 'Aave v3: reading…');
      optional.push(readAavePositions({ provider, chainId, account, config }).then((r) => {
        aave = r;
        step('aave', r.complete ? 'ok' : 'partial', `Aave v3: ${r.supplies.length} supplied, ${r.borrows.length} borrowed` +
          (r.accountData?.healthFactor ? `, health factor ${r.accountData.healthFactor.toFixed(2)}` : '') + (r.complete ? '' : ` (${r.failures.length} item${r.failures.length === 1 ? '' : 's'} failed)`));
      }, (error) => {
        positionFailures.push({ what: 'Aave v3', code: error.code, message: describeChainError(error), source: error.source });
        step('aave', 'failed', `Aave v3: ${describeChainError(error)}`);
      }));
    }
    if (config.uniswap) {
      step('uniswap', 'running', 'Uniswap v3: reading…');
      optional.push(readUniswapV3Positions({ provider, chainId, account, config }).then((r) => {
        uniswap = r;
        step('uniswap', r.complete ? 'ok' : 'partial', `Uniswap v3: ${r.positions.length} position${r.positions.length === 1 ? '' : 's'}` + (r.complete ? '' : ` (${r.failures.length} failed)`));
      }, (error) => {
        positionFailures.push({ what: 'Uniswap v3', code: error.code, message: describeChainError(error), source: error.source });
        step('uniswap', 'failed', `Uniswap v3: ${describeChainError(error)}`);
      }));
    }
    await Promise.all(optional);
    if (!current()) return null;

    const portfolio = chainPortfolio({ source: session.kind, account, config, balances: b, prices: p, aave, uniswap });
    portfolio.failures.push(...positionFailures);
    portfolio.complete = portfolio.failures.length === 0;

    // Price history: an imported CSV wins; otherwise the feeds' past rounds.
    const csv = importedHistory();
    if (csv) {
      portfolio.history = csv.history;
      step('history', 'ok', `Price history: from ${csv.name} (${csv.history.dates.length} days)`);
    } else if (p.ok) {
      step('history', 'running', 'Price history: reading past rounds…');
      try {
        portfolio.history = await feedHistory({ provider, chainId, config, feeds: neededFeeds(portfolio), days: windowDays() });
        const h = portfolio.history;
        const covered = h.assets.map((a, j) => `${a} ${h.prices.filter((row) => row[j] !== null).length}`).join(', ');
        step('history', 'ok', `Price history: ${h.dates.length} days from the feeds' past rounds (days with a price: ${covered})`);
      } catch (error) {
        if (!current()) return null;
        portfolio.historyError = describeChainError(error);
        step('history', 'failed', `Price history: ${describeChainError(error)}. Import a CSV to optimize.`);
        $('chain-retry').hidden = false;
      }
    }
    if (!current()) return null;
    if (!portfolio.complete) {
      $('chain-retry').hidden = false;
      $('chain-accept').hidden = false;
    }
    onPortfolio(portfolio);
    return portfolio;
  }

  async function feedHistory({ provider, chainId, config, feeds, days }) {
    const toSec = Math.floor(Date.now() / 1000);
    const fromSec = toSec - days * DAY;
    const byAsset = {};
    for (const key of feeds) {
      const feed = config.feeds[key];
      const h = await readPriceHistory({ provider, chainId, config, feed: feed.address, fromSec, toSec });
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

  $('watch-form').addEventListener('submit', (event) => {
    event.preventDefault();
    watch($('watch-address').value, $('watch-rpc').value);
  });
  $('watch-forget').addEventListener('click', forget);
  $('wallet-disconnect').addEventListener('click', () => disconnect());
  $('chain-retry').addEventListener('click', () => retryAction?.());

  return { discover, resume, load, connect, get session() { return session; }, get wallets() { return wallets; } };
}
