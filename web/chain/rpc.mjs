import { createPublicClient, custom, decodeFunctionResult, encodeFunctionData, parseAbi } from 'viem';
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

// A reader: a viem client over the (guarded) provider, the chain's config, and a block
// number that every read of one call pins, so a result is one consistent snapshot.
export async function openReader({ provider, chainId, config, timeoutMs = DEFAULT_TIMEOUT_MS, source = 'rpc' } = {}) {
  const id = checkChainId(chainId);
  const cfg = getChainConfig(id, config);
  const p = readOnly(provider);
  const client = createPublicClient({ transport: custom(p, { retryCount: 0 }), batch: false, cacheTime: 0 });
  const run = async (what, fn) => {
    try { return await deadline(fn(), timeoutMs, what, source); }
    catch (e) { throw toChainError(e, { source, timeoutMs }); }
  };
  const actual = parseChainId(await run('eth_chainId', () => p.request({ method: 'eth_chainId' })), source);
  if (actual !== id)
    throw new ChainError('wrong-chain', `The RPC is on chain ${actual}, not chain ${id} (${cfg.name}).`, { expected: id, actual, source });
  const blockNumber = await run('eth_blockNumber', () => client.getBlockNumber({ cacheTime: 0 }));
  const reader = { client, config: cfg, chainId: id, blockNumber, timeoutMs, run, source };
  return reader;
}

// One eth_call to Multicall3.aggregate3 with allowFailure on every call. Returns raw
// { success, returnData } per call; decoding (and judging garbage) is the caller's job.
export async function aggregate(reader, calls) {
  if (calls.length === 0) return [];
  const data = encodeFunctionData({ abi: multicall3Abi, functionName: 'aggregate3',
    args: [calls.map((c) => ({ target: c.target, allowFailure: true, callData: c.data }))] });
  const out = await reader.run('Multicall3.aggregate3', async () => {
    const res = await reader.client.call({ to: reader.config.multicall3, data, blockNumber: reader.blockNumber });
    if (!res.data || res.data === '0x') {
      const code = await reader.client.getCode({ address: reader.config.multicall3, blockNumber: reader.blockNumber });
      if (!code || code === '0x') throw new ChainError('multicall-missing', `No Multicall3 contract at ${reader.config.multicall3} on chain ${reader.chainId}.`, { source: reader.config.multicall3 });
      throw new ChainError('rpc-error', 'Multicall3 returned no data.', { source: reader.config.multicall3 });
    }
    return decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data: res.data });
  });
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
