import { safeText } from './text.mjs';

// One error type for everything the chain side can refuse or fail at. The UI shows
// `message` next to `field` (an input) or `source` (a contract / the RPC URL).
export class ChainError extends Error {
  constructor(code, message, extra = {}) {
    super(message);
    this.name = 'ChainError';
    this.code = code;
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) this[k] = v;
  }
  toJSON() {
    const { name, stack, cause, ...rest } = this;
    return { code: this.code, message: this.message, ...rest };
  }
}

export const isChainError = (e) => e instanceof ChainError;

// A per-item failure inside a result's `failures` array: plain data, never thrown.
export const failure = (code, message, source, extra = {}) => ({ code, message, source, ...extra });

// Maps whatever a provider or viem threw into a ChainError with a specific code.
export function toChainError(e, { source, timeoutMs } = {}) {
  if (e instanceof ChainError) return e;
  const walk = (x) => { const all = []; for (let c = x; c && all.length < 8; c = c.cause) all.push(c); return all; };
  for (const c of walk(e)) {
    if (c instanceof ChainError) return c;
    if (c?.code === 4001) return new ChainError('user-rejected', 'The wallet rejected the request.', { source, rpcCode: 4001 });
    if (c?.name === 'AbortError' || c?.name === 'TimeoutError' || c?.name === 'TimeoutErrorViem')
      return new ChainError('rpc-timeout', `No answer from the RPC within ${timeoutMs ?? '?'} ms.`, { source });
  }
  // Provider and node messages are third-party text too: cleaned like chain strings.
  const msg = safeText(String(e?.shortMessage || e?.message || e), 300) || 'The RPC request failed.';
  return new ChainError('rpc-error', msg, { source, cause: e });
}
