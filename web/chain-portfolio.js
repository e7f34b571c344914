// Chain reads -> a Portfolio (web/portfolio.js). Pure: no DOM, no network (tested in Node).
//
// Every line is priced by the Chainlink feed its token maps to in the chain config
// (token.feed -> config.feeds[key]); the feed key ('ETH', 'BTC', ...) is the line's
// underlying, so WETH and native ETH share one price series. A holding with no feed, or whose
// feed failed its checks, is listed in `excluded` with the reason, never silently dropped.
import { labelLines } from './portfolio.js';
import { toAnalyzeRequest } from './chain/positions.mjs';

const lower = (a) => String(a ?? '').toLowerCase();

function feedOfAddress(config, address) {
  const token = config.tokens.find((t) => lower(t.address) === lower(address));
  return token?.feed ?? null;
}

/**
 * chainPortfolio({ source, config, balances, prices, aave, uniswap, history }) -> Portfolio
 *   balances: readBalances() result; prices: readPrices() result; aave/uniswap: reader results or null;
 *   history: { dates, assets, prices } keyed by feed key (historyMatrix), or null.
 * Returns a portfolio whose `complete` is false when any token or position read failed, and
 * whose `pricesOk` is false when any feed failed a check (the page must then not optimize).
 */
export function chainPortfolio({ source, account, config, balances, prices, aave = null, uniswap = null, history = null }) {
  const chain = config.name;
  const priceOf = new Map(prices.prices.map((p) => [p.asset, p.price]));
  const failedFeeds = new Map(prices.failures.map((f) => [f.asset, f]));
  const raw = [];
  const excluded = [];

  const add = (line) => {
    if (!line.underlying) return excluded.push({ label: line.symbol, chain, reason: 'no price feed for this token' });
    if (failedFeeds.has(line.underlying)) return excluded.push({ label: line.symbol, chain, reason: `its price feed failed: ${failedFeeds.get(line.underlying).message}` });
    const priceUsd = priceOf.get(line.underlying);
    if (!(priceUsd > 0)) return excluded.push({ label: line.symbol, chain, reason: 'no price from its feed' });
    raw.push({ ...line, chain, priceUsd, valueUsd: line.amount * priceUsd });
  };

  if (balances.native.amount > 0) {
    add({ symbol: balances.native.symbol, underlying: balances.native.feed ?? config.native.feed, protocol: 'wallet', amount: balances.native.amount });
  }
  for (const token of balances.tokens) {
    if (!(token.amount > 0)) continue;
    add({ symbol: token.symbol, underlying: token.feed ?? feedOfAddress(config, token.address), protocol: 'wallet', amount: token.amount, address: token.address });
  }
  for (const s of aave?.supplies ?? []) {
    // A supply used as collateral counts in the health factor at its liquidation threshold
    // (the e-mode category's when the account and the reserve share one).
    const emode = aave.emode && s.emodeCategory === aave.emode.category ? aave.emode : null;
    const liquidationThreshold = s.usageAsCollateral ? (emode ?? s).liquidationThreshold : undefined;
    add({ symbol: s.asset, underlying: feedOfAddress(config, s.token), protocol: 'Aave v3', amount: s.amount, address: s.token, position: 'supply',
      ...(liquidationThreshold > 0 ? { liquidationThreshold } : {}) });
  }
  for (const b of aave?.borrows ?? []) {
    add({ symbol: b.asset, underlying: feedOfAddress(config, b.token), protocol: 'Aave v3', amount: -b.amount, address: b.token, position: 'debt' });
  }
  for (const p of uniswap?.positions ?? []) {
    const name = `Uniswap v3 #${p.tokenId}`;
    if (p.amount0 > 0) add({ symbol: p.token0.symbol, underlying: feedOfAddress(config, p.token0.address), protocol: name, amount: p.amount0, address: p.token0.address, position: 'lp' });
    if (p.amount1 > 0) add({ symbol: p.token1.symbol, underlying: feedOfAddress(config, p.token1.address), protocol: name, amount: p.amount1, address: p.token1.address, position: 'lp' });
  }

  // Debt lines read "USDC debt" so that the label says what the negative value is.
  const lines = labelLines(raw.map((l) => (l.position === 'debt' ? { ...l, symbol: `${l.symbol} debt` } : l)));
  const failures = [
    ...balances.failures.map((f) => ({ ...f, what: 'token' })),
    ...(aave?.failures ?? []).map((f) => ({ ...f, what: 'Aave v3' })),
    ...(uniswap?.failures ?? []).map((f) => ({ ...f, what: 'Uniswap v3' })),
  ];
  return {
    source, simulated: false, account, chainId: config.chainId,
    title: `${source === 'watch' ? 'Watched address' : 'Wallet'} on ${chain}`,
    lines, excluded, failures, complete: failures.length === 0,
    pricesOk: prices.ok, priceFailures: prices.failures,
    history: history ?? { dates: [], assets: [], prices: [] }, periodsPerYear: 365,
    positions: { aave, uniswap },
    defi: defiRequest({ config, balances, prices, aave, uniswap }),
  };
}

// The DeFi engine's view of the same reads (web/chain/positions.mjs), for the DeFi panel: only
// when there is a DeFi position and every price passed its checks (else the panel says why not).
function defiRequest({ config, balances, prices, aave, uniswap }) {
  const any = (aave?.supplies?.length || aave?.borrows?.length) || uniswap?.positions?.length;
  if (!any) return null;
  if (prices.ok === false) return { request: null, reason: 'a price feed failed its safety check' };
  try {
    const { request, unpriced } = toAnalyzeRequest({ config, balances, prices, aave, uniswap });
    return { request, unpriced };
  } catch (error) {
    return { request: null, reason: error.message };
  }
}

/** The feed keys a portfolio's lines need history for. */
export function neededFeeds(portfolio) {
  return [...new Set(portfolio.lines.map((l) => l.underlying))];
}
