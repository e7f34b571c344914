import { ChainError, toChainError } from './errors.mjs';
import { readOnly } from './guard.mjs';
import { safeText } from './text.mjs';
import { checkAddress } from './validate.mjs';

const DEFAULT_WAIT_MS = 200;
const DEFAULT_CONNECT_TIMEOUT_MS = 120_000;   // a human is reading a wallet popup

// Only data:image/ icons are kept: an https icon would be a request to a third party.
const safeIcon = (icon) => (typeof icon === 'string' && /^data:image\/(svg\+xml|png|jpeg|webp|gif)[;,]/i.test(icon) && icon.length < 200_000 ? icon : '');

function walletFromAnnouncement(detail) {
  const info = detail?.info ?? {};
  if (!detail?.provider || typeof detail.provider.request !== 'function') return null;
  const id = safeText(String(info.uuid ?? ''), 64);
  if (!id) return null;
  return { id, name: safeText(String(info.name ?? ''), 64) || 'Unnamed wallet', icon: safeIcon(info.icon),
    rdns: safeText(String(info.rdns ?? ''), 100), source: 'eip6963', provider: readOnly(detail.provider) };
}

// EIP-6963: listen first, then ask; wallets answer (often synchronously) with
// eip6963:announceProvider. Falls back to the legacy injected window.ethereum.
export async function discoverWallets({ target = globalThis.window, waitMs = DEFAULT_WAIT_MS } = {}) {
  if (!target?.addEventListener) return [];
  const found = new Map();
  const onAnnounce = (event) => {
    const w = walletFromAnnouncement(event?.detail);
    if (w && !found.has(w.id)) found.set(w.id, w);
  };
  target.addEventListener('eip6963:announceProvider', onAnnounce);
  try {
    target.dispatchEvent(new Event('eip6963:requestProvider'));
    await new Promise((r) => setTimeout(r, waitMs));
  } finally {
    target.removeEventListener('eip6963:announceProvider', onAnnounce);
  }
  const wallets = [...found.values()];
  if (wallets.length === 0 && target.ethereum && typeof target.ethereum.request === 'function') {
    wallets.push({ id: 'window.ethereum', name: 'Browser wallet', icon: '', rdns: '', source: 'window.ethereum', provider: readOnly(target.ethereum) });
  }
  return wallets;
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  const t = new Promise((_, no) => { timer = setTimeout(() => no(new ChainError('rpc-timeout', `The wallet did not answer ${what} within ${timeoutMs} ms.`, { method: what })), timeoutMs); });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

const parseChainId = (hex) => {
  try { const n = Number(BigInt(hex)); if (Number.isSafeInteger(n) && n > 0) return n; } catch {}
  throw new ChainError('wallet-error', 'The wallet returned an invalid chain id.', { source: 'wallet' });
};

function parseAccounts(list) {
  if (!Array.isArray(list)) throw new ChainError('wallet-error', 'The wallet returned no account list.', { source: 'wallet' });
  try { return list.map((a) => checkAddress(a, 'account')); }
  catch { throw new ChainError('wallet-error', 'The wallet returned an account that is not an address.', { source: 'wallet' }); }
}

function walletError(e, timeoutMs) {
  if (e?.code === -32002) return new ChainError('wallet-pending', 'A connection request is already open in the wallet: answer it there.', { source: 'wallet', rpcCode: -32002 });
  if (e?.code === 4100) return new ChainError('wallet-error', 'The wallet has not authorized this page.', { source: 'wallet', rpcCode: 4100 });
  if (e?.code === 4900 || e?.code === 4901) return new ChainError('wallet-error', 'The wallet is disconnected from the chain.', { source: 'wallet', rpcCode: e.code });
  const c = toChainError(e, { source: 'wallet', timeoutMs });
  if (c.code === 'rpc-error') return new ChainError('wallet-error', `The wallet refused: ${c.message}`, { source: 'wallet', rpcCode: e?.code });
  return c;
}

export async function connectWallet(provider, { timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS } = {}) {
  const p = readOnly(provider);
  try {
    const accounts = parseAccounts(await withTimeout(p.request({ method: 'eth_requestAccounts' }), timeoutMs, 'eth_requestAccounts'));
    if (accounts.length === 0) throw new ChainError('user-rejected', 'The wallet shared no account.', { source: 'wallet' });
    const chainId = parseChainId(await withTimeout(p.request({ method: 'eth_chainId' }), timeoutMs, 'eth_chainId'));
    return { account: accounts[0], chainId };
  } catch (e) { throw walletError(e, timeoutMs); }
}

export async function getWalletState(provider, { timeoutMs = 10_000 } = {}) {
  const p = readOnly(provider);
  try {
    const accounts = parseAccounts(await withTimeout(p.request({ method: 'eth_accounts' }), timeoutMs, 'eth_accounts'));
    const chainId = parseChainId(await withTimeout(p.request({ method: 'eth_chainId' }), timeoutMs, 'eth_chainId'));
    return { account: accounts[0] ?? null, chainId };
  } catch (e) { throw walletError(e, timeoutMs); }
}

export function watchWallet(provider, { onAccounts, onChain } = {}) {
  const accountsHandler = (list) => {
    let accounts = [];
    try { accounts = parseAccounts(list); } catch {}
    onAccounts?.(accounts);
  };
  const chainHandler = (hex) => { try { onChain?.(parseChainId(hex)); } catch {} };
  provider.on?.('accountsChanged', accountsHandler);
  provider.on?.('chainChanged', chainHandler);
  return () => {
    provider.removeListener?.('accountsChanged', accountsHandler);
    provider.removeListener?.('chainChanged', chainHandler);
  };
}
