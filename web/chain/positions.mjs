import { ChainError } from './errors.mjs';

// Maps what the readers return to the DeFi engine's `analyze` request (docs/api.md,
// "DeFi positions"): spot, uniswap-v3 and aave-v3 positions, the USD `prices` of every
// underlying and `tokens` (wrapped/stable tokens -> their underlying). Only keys the
// engine's schema knows are emitted (it rejects unknown keys).
export const CHAIN_NAMES = Object.freeze({ 1: 'ethereum', 42161: 'arbitrum', 10: 'optimism', 8453: 'base', 137: 'polygon', 31337: 'local' });
const STABLE_FEEDS = new Set(['USDC', 'USDT', 'DAI']);

export function toAnalyzeRequest({ config, balances, prices, aave, uniswap, includeZero = false } = {}) {
  if (!config?.chainId) throw new ChainError('unsupported-chain', 'toAnalyzeRequest needs the chain config the reads used.', { field: 'config' });
  if (!prices) throw new ChainError('feed-missing', 'toAnalyzeRequest needs the prices read.', { field: 'prices' });
  if (prices.ok === false) throw new ChainError('prices-failed', 'A price feed failed its checks: the optimization must not run on these prices.', { field: 'prices', failures: prices.failures });
  const chain = CHAIN_NAMES[config.chainId] ?? `chain-${config.chainId}`;
  const feedPrice = Object.fromEntries(prices.prices.map((p) => [p.asset, p.price]));
  const feedOfAddress = Object.fromEntries(config.tokens.map((t) => [t.address.toLowerCase(), t.feed]));
  // Listed tokens go by their list symbol (an on-chain symbol is only a fallback, for tokens the list names none for).
  const listed = Object.fromEntries(config.tokens.filter((t) => t.symbol).map((t) => [t.address.toLowerCase(), t.symbol]));
  const sym = (address, onchain) => listed[address.toLowerCase()] ?? onchain;
  const out = { positions: [], prices: {}, tokens: {} };
  const unpriced = new Set();

  // A held symbol -> the underlying whose feed prices it. Returns false when no feed prices it.
  const price = (symbol, feedKey) => {
    if (!feedKey || !(feedPrice[feedKey] > 0)) { unpriced.add(symbol); return false; }
    out.prices[feedKey] = feedPrice[feedKey];
    if (symbol !== feedKey) out.tokens[symbol] = { underlying: feedKey, ...(STABLE_FEEDS.has(feedKey) ? { stablecoin: true } : {}) };
    else if (STABLE_FEEDS.has(feedKey)) out.tokens[symbol] = { stablecoin: true };
    return true;
  };

  if (balances) {
    const n = balances.native;
    if ((includeZero || n.amount > 0) && price(n.symbol, config.native.feed)) out.positions.push({ type: 'spot', id: `${chain}:${n.symbol}`, chain, asset: n.symbol, amount: n.amount });
    for (const t of balances.tokens) {
      if (!includeZero && !(t.amount > 0)) continue;
      if (price(t.asset, t.feed)) out.positions.push({ type: 'spot', id: `${chain}:${t.asset}:${t.address}`, chain, asset: t.asset, amount: t.amount });
    }
  }
  for (const p of uniswap?.positions ?? []) {
    const [s0, s1] = [sym(p.token0.address, p.token0.symbol), sym(p.token1.address, p.token1.symbol)];
    const ok0 = price(s0, feedOfAddress[p.token0.address.toLowerCase()]);
    const ok1 = price(s1, feedOfAddress[p.token1.address.toLowerCase()]);
    if (!ok0 || !ok1) continue;
    if (p.liquidity !== '0') out.positions.push({ type: 'uniswap-v3', id: `${chain}:uniswap-v3:${p.tokenId}`, chain, token0: s0, token1: s1,
      decimals0: p.token0.decimals, decimals1: p.token1.decimals, liquidity: p.liquidity, tickLower: p.tickLower, tickUpper: p.tickUpper, sqrtPriceX96: p.sqrtPriceX96 });
    // Uncollected fees are claimable tokens, held at the venue: spot positions with its protocol.
    for (const [asset, amount, k] of [[s0, p.fees0, 0], [s1, p.fees1, 1]])
      if (amount > 0) out.positions.push({ type: 'spot', id: `${chain}:uniswap-v3:${p.tokenId}:fees${k}`, protocol: 'uniswap-v3', chain, asset, amount });
  }
  if (aave && (aave.supplies.length || aave.borrows.length)) {
    const allPriced = [...aave.supplies, ...aave.borrows].map((x) => price(sym(x.token, x.asset), feedOfAddress[x.token.toLowerCase()])).every(Boolean);
    if (allPriced) {
      const pos = { type: 'aave-v3', id: `${chain}:aave-v3:${aave.market}`, chain,
        supplies: aave.supplies.map((s) => ({ asset: sym(s.token, s.asset), amount: s.amount, ltv: s.ltv, liquidationThreshold: s.liquidationThreshold,
          liquidationBonus: s.liquidationBonus, collateral: s.usageAsCollateral, ...(s.emodeCategory ? { emodeCategory: s.emodeCategory } : {}) })),
        borrows: aave.borrows.map((b) => ({ asset: sym(b.token, b.asset), amount: b.amount, ...(b.emodeCategory ? { emodeCategory: b.emodeCategory } : {}) })) };
      if (aave.emode) pos.emode = aave.emode;
      out.positions.push(pos);
    }
  }
  return { request: out, unpriced: [...unpriced] };
}
