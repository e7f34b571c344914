import { getAddress } from 'viem';
import { ChainError } from './errors.mjs';

// Any case is accepted (all-lower, all-upper and mixed): a mixed-case address is not
// required to carry a valid EIP-55 checksum, since users paste from many tools.
export function checkAddress(value, field = 'address') {
  const s = typeof value === 'string' ? value.trim() : '';
  if (!/^0x[0-9a-fA-F]{40}$/.test(s))
    throw new ChainError('invalid-address', 'An address is 0x followed by 40 hex digits.', { field });
  return getAddress(s.toLowerCase());
}

export function checkRpcUrl(value, field = 'rpcUrl') {
  const s = typeof value === 'string' ? value.trim() : '';
  let url;
  try { url = new URL(s); } catch { throw new ChainError('invalid-rpc-url', 'The RPC URL is not a valid URL.', { field }); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ChainError('invalid-rpc-url', 'The RPC URL must start with http:// or https://.', { field });
  if (url.username || url.password)
    throw new ChainError('invalid-rpc-url', 'Put no user name or password in the RPC URL.', { field });
  return url.href;
}

export function checkChainId(value, field = 'chainId') {
  const n = typeof value === 'string' ? Number(value) : value;
  if (!Number.isSafeInteger(n) || n <= 0) throw new ChainError('unsupported-chain', 'A chain id is a positive integer.', { field });
  return n;
}

// eth_chainId's answer, refused when it is not a positive integer quantity.
export function parseChainId(value, source) {
  let n = NaN;
  try { if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) n = Number(BigInt(value)); } catch {}
  if (!Number.isSafeInteger(n) || n <= 0) throw new ChainError('rpc-error', `eth_chainId returned ${JSON.stringify(value)?.slice(0, 40)}, not a chain id.`, { source });
  return n;
}
