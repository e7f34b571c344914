import { hexToString, parseAbi } from 'viem';
import { failure } from './errors.mjs';
import { aggregate, call, decode, openReader } from './rpc.mjs';
import { safeText } from './text.mjs';
import { formatUnitsExact, toNumber } from './units.mjs';
import { checkAddress } from './validate.mjs';

// decimals() is decoded as uint256 so that a value that does not fit uint8 is seen (and
// refused) rather than silently truncated; symbol() falls back to bytes32 (MKR-era tokens).
const erc20 = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function decimals() view returns (uint256)',
  'function symbol() view returns (string)',
  'function name() view returns (string)',
]);
const erc20Bytes32 = parseAbi(['function symbol() view returns (bytes32)', 'function name() view returns (bytes32)']);
export const MAX_DECIMALS = 36;

function decodeText(c, result) {
  const d = decode(c, result);
  if (d.ok) return safeText(d.value);
  if (result?.success && result.returnData?.length === 66) {   // exactly one 32-byte word: bytes32 text
    try { return safeText(hexToString(result.returnData, { size: 32 }).replace(/\0+$/, '')); } catch {}
  }
  return '';
}

export function tokenCalls(token, account) {
  return [call(erc20, token, 'balanceOf', [account]), call(erc20, token, 'decimals'), call(erc20, token, 'symbol'), call(erc20, token, 'name')];
}

// Judges one token's four results. A token is reported only when balance and decimals
// decode and the decimals are sane and agree with the list; otherwise it is a failure.
export function judgeToken(listed, calls, results) {
  const [bal, dec] = [decode(calls[0], results[0]), decode(calls[1], results[1])];
  const symbol = decodeText(calls[2], results[2]) || safeText(listed.symbol ?? '');
  const name = decodeText(calls[3], results[3]);
  const asset = safeText(listed.symbol ?? '') || symbol;
  const fail = (code, message) => ({ failure: failure(code, message, listed.address, { asset, symbol }) });
  if (!bal.ok) return fail(bal.code, `balanceOf: ${bal.message}`);
  if (!dec.ok) return fail(dec.code, `decimals: ${dec.message}`);
  const decimals = dec.value;
  if (decimals > BigInt(MAX_DECIMALS)) return fail('token-bad-data', `decimals() returned ${decimals}, more than ${MAX_DECIMALS}.`);
  if (listed.decimals !== undefined && listed.decimals !== null && Number(decimals) !== listed.decimals)
    return fail('token-bad-data', `decimals() returned ${decimals} but the token list says ${listed.decimals}.`);
  if (!symbol) return fail('token-bad-data', 'symbol() is empty or unreadable and the token list has none.');
  const d = Number(decimals);
  return { token: { asset, symbol, name, address: listed.address, decimals: d, feed: listed.feed ?? null,
    raw: bal.value.toString(), amount: toNumber(bal.value, d), amountExact: formatUnitsExact(bal.value, d) } };
}

export async function readBalances({ provider, account, chainId, config, timeoutMs, tokens } = {}) {
  const who = checkAddress(account, 'account');
  const reader = await openReader({ provider, chainId, config, timeoutMs });
  const list = (tokens ?? reader.config.tokens).map((x) => ({ ...x, address: checkAddress(x.address, 'tokens.address') }));
  const calls = list.flatMap((x) => tokenCalls(x.address, who));
  const [nativeRaw, results] = await Promise.all([
    reader.getBalance(who),
    aggregate(reader, calls),
  ]);
  const out = { chainId: reader.chainId, account: who, blockNumber: reader.blockNumber.toString(), complete: true,
    native: { symbol: reader.config.native.symbol, decimals: reader.config.native.decimals, feed: reader.config.native.feed ?? null,
      raw: nativeRaw.toString(), amount: toNumber(nativeRaw, reader.config.native.decimals), amountExact: formatUnitsExact(nativeRaw, reader.config.native.decimals) },
    tokens: [], failures: [] };
  list.forEach((listed, i) => {
    const j = judgeToken(listed, calls.slice(4 * i, 4 * i + 4), results.slice(4 * i, 4 * i + 4));
    if (j.token) out.tokens.push(j.token); else out.failures.push(j.failure);
  });
  out.complete = out.failures.length === 0;
  return out;
}
