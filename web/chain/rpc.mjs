import { decodeFunctionResult, encodeFunctionData, parseAbi } from 'viem';
import { getChainConfig } from './chains.mjs';
import { ChainError, toChainError } from './errors.mjs';
import { readOnly } from './guard.mjs';
import { DEFAULT_TIMEOUT_MS } from './http-provider.mjs';
import { checkChainId, parseChainId } from './validate.mjs';

const multicall3Abi = parseAbi([
  'struct Call3 { address target; bool allowFailure; bytes callData; }',
  'struct Result { bool success; bytes returnData; }',
  'function aggregate3(Call3[] calls) payable returns (Result[] returnData)',
]);

// Rejects with rpc-timeout when `promise` takes longer than timeoutMs: a wallet provider
// has no deadline of its own, and a read must never hang the page.
export function deadline(promise, timeoutMs, what, source) {
  let timer;
  const late = new Promise((_, no) => { timer = setTimeout(() => no(new ChainError('rpc-timeout', `No answer to ${what} within ${timeoutMs} ms.`, { source })), timeoutMs); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// A JSON-RPC quantity ("0x1a") as a BigInt; anything else is the node's fault.
function quantity(value, method, source) {
  if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) return BigInt(value);
  throw new ChainError('rpc-error', `${method} returned ${JSON.stringify(value)?.slice(0, 40)}, not a quantity.`, { source });
}
const hexData = (value, method, source) => {
  if (typeof value === 'string' && /^0x([0-9a-f]{2})*$/i.test(value)) return value;
  throw new ChainError('rpc-error', `${method} returned data that is not hex.`, { source });
};

// A reader: the (guarded) provider, the chain's config, and a block number that every read
// of one call pins, so a result is one consistent snapshot. Plain JSON-RPC (eth_chainId,
// eth_blockNumber, eth_getBalance, eth_call, eth_getCode) rather than a viem public client:
// these are all the readers need, and dropping the client took the minified, gzipped bundle of
// web/chain from 112 KB to 32 KB (esbuild, measured).
export async function openReader({ provider, chainId, config, timeoutMs = DEFAULT_TIMEOUT_MS, source = 'rpc' } = {}) {
  const id = checkChainId(chainId);
  const cfg = getChainConfig(id, config);
  const p = readOnly(provider);
  const run = async (what, fn) => {
    try { return await deadline(fn(), timeoutMs, what, source); }
    catch (e) { throw toChainError(e, { source, timeoutMs }); }
  };
  const request = (method, params = []) => run(method, () => p.request({ method, params }));
  const actual = parseChainId(await request('eth_chainId'), source);
  if (actual !== id)
    throw new ChainError('wrong-chain', `The RPC is on chain ${actual}, not chain ${id} (${cfg.name}).`, { expected: id, actual, source });
  const blockNumber = quantity(await request('eth_blockNumber'), 'eth_blockNumber', source);
  const block = '0x' + blockNumber.toString(16);
  return {
    config: cfg, chainId: id, blockNumber, timeoutMs, run, request, source,
    getBalance: async (address) => quantity(await request('eth_getBalance', [address, block]), 'eth_getBalance', source),
    ethCall: async (to, data) => hexData(await request('eth_call', [{ to, data }, block]), 'eth_call', source),
    getCode: async (address) => hexData(await request('eth_getCode', [address, block]), 'eth_getCode', source),
  };
}

const MAX_RECHECKS = 32;
// A node error that is about executing the batch (out of gas, a revert of the whole call),
// rather than the node being unreachable, slow or rate-limiting us.
const isExecutionFailure = (e) => e?.code === 'rpc-error' && e.rpcCode !== undefined && /gas|revert|execution/i.test(e.message);

// Multicall3.aggregate3 with allowFailure on every call. Returns raw { success, returnData }
// per call; decoding (and judging garbage) is the caller's job. Multicall3 forwards all its
// gas to each call, so one contract that burns everything it gets (a griefing token) could
// starve the calls after it, or sink the whole eth_call: a batch that fails as a whole is
// split in halves until the culprit is alone, and every call that failed inside a batch is
// tried again on its own before it is reported as failed.
export async function aggregate(reader, calls) {
  if (calls.length === 0) return [];
  let out;
  try { out = await aggregateOnce(reader, calls); }
  catch (e) {
    if (!isExecutionFailure(e)) throw e;
    if (calls.length === 1) return [{ success: false, returnData: '0x' }];
    const mid = calls.length >> 1;
    return [...await aggregate(reader, calls.slice(0, mid)), ...await aggregate(reader, calls.slice(mid))];
  }
  const failed = calls.length > 1 ? out.map((r, i) => (r.success ? -1 : i)).filter((i) => i >= 0) : [];
  if (failed.length > 0 && failed.length <= MAX_RECHECKS) {
    const again = await Promise.all(failed.map((i) => aggregate(reader, [calls[i]])));
    out = [...out];
    failed.forEach((i, k) => { out[i] = again[k][0]; });
  }
  return out;
}

async function aggregateOnce(reader, calls) {
  const data = encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3',
    args: [calls.map((c) => ({ target: c.target, allowFailure: true, callData: c.data }))] });
  const ret = await reader.ethCall(reader.config.multicall3, data);
  if (ret === '0x') {
    const code = await reader.getCode(reader.config.multicall3);
    if (code === '0x') throw new ChainError('multicall-missing', `No Multicall3 contract at ${reader.config.multicall3} on chain ${reader.chainId}.`, { source: reader.config.multicall3 });
    throw new ChainError('rpc-error', 'Multicall3 returned no data.', { source: reader.config.multicall3 });
  }
  let out;
  try { out = decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: ret }); }
  catch { throw new ChainError('rpc-error', 'The Multicall3 answer does not decode.', { source: reader.config.multicall3 }); }
  if (out.length !== calls.length) throw new ChainError('rpc-error', `Multicall3 answered ${out.length} results for ${calls.length} calls.`, { source: reader.config.multicall3 });
  return out;
}

// Builds a call and a tolerant decoder: returns { ok: true, value } or { ok: false, code, message }.
export const call = (abi, target, functionName, args = []) => ({ target, abi, functionName, args, data: encodeFunctionData({ abi, functionName, args }) });

export function decode(c, result, failCode = 'token') {
  if (!result?.success) return { ok: false, code: `${failCode}-reverted`, message: `${c.functionName}() reverted.` };
  if (!result.returnData || result.returnData === '0x') return { ok: false, code: `${failCode}-bad-data`, message: `${c.functionName}() returned nothing (no contract there?).` };
  try { return { ok: true, value: decodeFunctionResult({ abi: c.abi, functionName: c.functionName, data: result.returnData }) }; }
  catch { return { ok: false, code: `${failCode}-bad-data`, message: `${c.functionName}() returned data that does not decode.` }; }
}
