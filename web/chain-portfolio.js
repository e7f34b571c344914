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
  const analyzed = analyzeRequestOf({ config, balances, prices, aave, uniswap });
  return {
    source, simulated: false, account, chainId: config.chainId,
    title: `${source === 'watch' ? 'Watched address' : 'Wallet'} on ${chain}`,
    lines, excluded, failures, complete: failures.length === 0,
    pricesOk: prices.ok, priceFailures: prices.failures,
    history: history ?? { dates: [], assets: [], prices: [] }, periodsPerYear: 365,
    positions: { aave, uniswap },
    // The DeFi panel's request: only when the chain holds a DeFi position. `analyzeRequest` is
    // the same view of every chain, so that combineChains can add chains with spot alone.
    defi: hasDefiPositions(aave, uniswap) ? analyzed : null,
    analyzeRequest: analyzed,
  };
}

const hasDefiPositions = (aave, uniswap) => Boolean(aave?.supplies?.length || aave?.borrows?.length || uniswap?.positions?.length);

// The DeFi engine's view of the same reads (web/chain/positions.mjs), when every price passed
// its checks (else the panel says why not).
function analyzeRequestOf({ config, balances, prices, aave, uniswap }) {
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

// ---- several chains -> one portfolio -------------------------------------------------------

/**
 * combineChains({ source, account, reads }) -> Portfolio
 *   reads: one entry per chain the session covers, in display order:
 *     { chainId, chain, ok: true, portfolio, raw? }   a chainPortfolio() of that chain's reads
 *                                                (raw: { config, balances, prices }, passed on), or
 *     { chainId, chain, ok: false, message }    that chain's read failed as a whole.
 * Lines keep their chain (labels name it when two chains hold the same symbol); a line's
 * underlying is its feed key, so ETH on two chains is one price series. A failed chain is a
 * failure of the combined portfolio: it is incomplete, never shown as whole.
 */
export function combineChains({ source, account, reads }) {
  const good = reads.filter((r) => r.ok);
  const failed = reads.filter((r) => !r.ok);
  const lines = labelLines(good.flatMap((r) => r.portfolio.lines.map(({ label, ...line }) => line)));
  const failures = [
    ...failed.map((r) => ({ what: 'chain', asset: r.chain, chainId: r.chainId, message: r.message })),
    ...good.flatMap((r) => r.portfolio.failures.map((f) => ({ ...f, chain: r.chain }))),
  ];
  const names = reads.map((r) => r.chain);
  const single = reads.length === 1 && good.length === 1 ? good[0].portfolio : null;
  return {
    source, simulated: false, account, chainId: single?.chainId ?? null, chainIds: reads.map((r) => r.chainId),
    title: `${source === 'watch' ? 'Watched address' : 'Wallet'} on ${names.join(', ')}`,
    lines, excluded: good.flatMap((r) => r.portfolio.excluded), failures, complete: failures.length === 0,
    failedChains: failed.map((r) => r.chainId),
    pricesOk: good.every((r) => r.portfolio.pricesOk),
    priceFailures: good.flatMap((r) => r.portfolio.priceFailures.map((f) => ({ ...f, chain: r.chain }))),
    history: { dates: [], assets: [], prices: [] }, periodsPerYear: 365,
    // One chain's readers as before; every chain's in positionsByChain, with the reads that
    // web/chain/positions.mjs toAnalyzeRequest takes (config, balances, prices) when given.
    positions: good.find((r) => r.portfolio.positions.aave || r.portfolio.positions.uniswap)?.portfolio.positions ?? { aave: null, uniswap: null },
    positionsByChain: good.map((r) => ({ chainId: r.chainId, chain: r.chain, ...r.portfolio.positions, ...(r.raw ?? {}) })),
    defi: combineDefi(good),
  };
}

// The chains' analyze requests as one (the DeFi panel's), when any chain holds a DeFi position;
// chains with spot alone are in it too, so its totals are the portfolio's. Positions side by side (their ids
// and `chain` name the chain); one USD price per underlying, the first chain's (in `reads`
// order, as historyPlan picks history), so every chain's positions are valued alike.
function combineDefi(reads) {
  if (!reads.some((r) => r.portfolio.defi)) return null;
  const parts = reads.map((r) => ({ chain: r.chain, ...(r.portfolio.analyzeRequest ?? r.portfolio.defi) }));
  const refused = parts.find((p) => !p.request);
  if (refused) return { request: null, reason: `${refused.chain}: ${refused.reason}` };
  const request = { positions: [], prices: {}, tokens: {} };
  for (const { request: r } of parts) {
    request.positions.push(...r.positions);
    for (const [key, price] of Object.entries(r.prices)) request.prices[key] ??= price;
    for (const [symbol, token] of Object.entries(r.tokens)) request.tokens[symbol] ??= token;
  }
  return { request, unpriced: [...new Set(parts.flatMap((p) => p.unpriced ?? []))] };
}

/**
 * Which chain reads the history of which feed key: each key once, from the first chain (in
 * `reads` order) that read that feed and whose prices passed. -> Map(chainId -> [keys]).
 */
export function historyPlan(reads, keys) {
  const plan = new Map();
  for (const key of keys) {
    const from = reads.find((r) => r.ok && r.portfolio.pricesOk && r.config?.feeds?.[key]);
    if (!from) continue;
    plan.set(from.chainId, [...(plan.get(from.chainId) ?? []), key]);
  }
  return plan;
}

/**
 * Merges { dates, assets, prices } matrices with distinct assets into one on the union of their
 * dates (sorted); a day one part lacks stays null (missing), never filled in.
 */
export function mergeHistories(parts) {
  const dates = [...new Set(parts.flatMap((p) => p.dates))].sort();
  const assets = parts.flatMap((p) => p.assets);
  if (new Set(assets).size !== assets.length) throw new Error(`mergeHistories: an asset appears twice (${assets.join(', ')})`);
  const row = new Map(dates.map((d) => [d, new Array(assets.length).fill(null)]));
  let offset = 0;
  for (const p of parts) {
    p.dates.forEach((d, t) => p.assets.forEach((_, j) => { row.get(d)[offset + j] = p.prices[t][j] ?? null; }));
    offset += p.assets.length;
  }
  return { dates, assets, prices: dates.map((d) => row.get(d)) };
}

/**
 * The watch-only / extra-RPC settings kept in localStorage ('ballast.watch'), normalized:
 * { address, rpcs: { [chainId]: url }, watching } (watching: resume watch-only on load; false
 * when only RPC URLs were saved, for a wallet's other chains). The one-URL form of earlier
 * versions ({ address, rpcUrl }) comes back as { address, rpcs: {}, watching: true, legacyRpcUrl }.
 */
export function parseWatchSettings(text) {
  let saved = null;
  try { saved = JSON.parse(text ?? 'null'); } catch { saved = null; }
  if (!saved || typeof saved !== 'object') return { address: '', rpcs: {}, watching: false };
  const rpcs = {};
  for (const [id, url] of Object.entries(saved.rpcs ?? {})) if (/^[1-9]\d*$/.test(id) && typeof url === 'string' && url) rpcs[id] = url;
  const out = { address: typeof saved.address === 'string' ? saved.address : '', rpcs, watching: saved.watching === true };
  if (typeof saved.rpcUrl === 'string' && saved.rpcUrl) Object.assign(out, { legacyRpcUrl: saved.rpcUrl, watching: true });
  return out;
}
