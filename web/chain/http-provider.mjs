import { ChainError } from './errors.mjs';
import { readOnly } from './guard.mjs';
import { safeText } from './text.mjs';
import { checkAddress, checkRpcUrl, parseChainId } from './validate.mjs';

export const DEFAULT_TIMEOUT_MS = 10_000;

// EIP-1193 over HTTP JSON-RPC to exactly one URL. Every request has its own AbortController
// deadline, so a node that accepts the connection and never answers cannot hang the page.
export function httpProvider(rpcUrl, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
  const url = checkRpcUrl(rpcUrl);
  let id = 0;
  async function request({ method, params = [] } = {}) {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), timeoutMs);
    let res, text;
    try {
      res = await fetch(url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, signal: ctl.signal,
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
        credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store',
      });
      text = await res.text();
    } catch (e) {
      if (ctl.signal.aborted) throw new ChainError('rpc-timeout', `The RPC did not answer ${method} within ${timeoutMs} ms.`, { source: url, method });
      throw new ChainError('rpc-unreachable', `Cannot reach the RPC (${safeText(String(e?.cause?.code || e?.message || 'network error'), 80)}).`, { source: url, method });
    } finally { clearTimeout(timer); }
    let body;
    try { body = JSON.parse(text); } catch {
      throw new ChainError('rpc-error', `The RPC answered HTTP ${res.status} with a body that is not JSON.`, { source: url, method, httpStatus: res.status });
    }
    if (body?.error) {
      const err = new ChainError('rpc-error', `RPC error on ${method}: ${safeText(String(body.error.message ?? ''), 200)}`, { source: url, method, rpcCode: body.error.code });
      err.data = body.error.data;               // revert data, so viem can decode reverts
      throw err;
    }
    if (!res.ok || !body || !('result' in body))
      throw new ChainError('rpc-error', `The RPC answered HTTP ${res.status} without a result.`, { source: url, method, httpStatus: res.status });
    return body.result;
  }
  return readOnly({ request, on() {}, removeListener() {} });
}

export async function watchOnly({ address, rpcUrl, timeoutMs } = {}) {
  const account = checkAddress(address, 'address');
  const provider = httpProvider(rpcUrl, { timeoutMs });
  const chainId = parseChainId(await provider.request({ method: 'eth_chainId' }), checkRpcUrl(rpcUrl));
  return { account, chainId, provider };
}
