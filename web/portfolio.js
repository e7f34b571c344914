// The page's model of a portfolio, and the pure functions that turn it into an engine request
// and an engine result into trades. No DOM here (tests/web/portfolio.test.mjs runs it in Node).
//
// A portfolio is a list of holding LINES: one per (asset, chain, protocol) the user holds or may
// hold, each priced by an UNDERLYING price series ("ETH" prices both native ETH and WETH, on
// every chain). The engine optimizes over lines, so per-chain and per-protocol caps are plain
// group constraints, and a debt (an Aave borrow) is a line with a negative value.
//
// Portfolio = {
//   source: 'demo' | 'wallet' | 'watch' | 'file', simulated: boolean, title: string,
//   lines: [Line], history: { dates: string[], assets: string[] (underlyings), prices: (number|null)[][] },
//   periodsPerYear, excluded: [{ label, reason }], // holdings shown but not optimized, with why
// }
// Line = { label (unique; the engine's asset name), symbol, underlying, chain, protocol, category?,
//          amount (signed: debts < 0), priceUsd, valueUsd }

/** The form's input id for a cap key ('chain:Base' -> 'cap-chain-Base'). */
export const capInputId = (key) => `cap-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** Group kinds the form offers caps for, in display order. */
export const CAP_KINDS = [
  { kind: 'chain', title: 'Per-chain caps', of: (line) => line.chain },
  { kind: 'protocol', title: 'Per-protocol caps', of: (line) => line.protocol },
  { kind: 'category', title: 'Per-category caps', of: (line) => line.category },
];

/** Settings the form starts with (the engine's defaults where it has one). */
export const DEFAULT_SETTINGS = Object.freeze({
  objective: 'max-sharpe',
  riskFreeRate: 0,
  riskAversion: 2,
  targetReturn: 0.2,
  targetVolatility: 0.4,
  covariance: 'ledoit-wolf',
  expectedReturns: 'mean',
  halfLife: 90,
  missing: 'common-window',
  windowDays: 365,
  minWeight: 0,
  maxWeight: 0.35,
  grossLeverage: null,
  points: 30,
  // DeFi limits (constraints.defi), used when the portfolio has an Aave debt: the health factor
  // after every non-stablecoin underlying moves by `defiShock` stays >= `healthFactorFloor`;
  // assets / equity stays <= `maxLeverage`. The same shock revalues the DeFi panel.
  healthFactorFloor: 1.5,
  defiShock: -0.3,
  maxLeverage: 2,
  caps: {},          // { 'chain:Ethereum': 0.6, ... } as fractions; a missing key = no cap
});

export function netValue(lines) {
  return lines.reduce((sum, line) => sum + line.valueUsd, 0);
}

/** Weights of the current holdings in net value (debts negative). */
export function currentWeights(lines) {
  const nav = netValue(lines);
  return lines.map((line) => (nav > 0 ? line.valueUsd / nav : 0));
}

/**
 * When the estimate used far fewer days than the window holds, which holdings are short of
 * prices: null, or { used, days, short: [labels with the fewest prices] }.
 */
export function historyShortfall(request, observations) {
  const days = request.prices.length - 1;
  if (!(observations < 0.5 * days)) return null;
  const counts = request.assets.map((label, j) => ({ label, n: request.prices.filter((row) => row[j] !== null).length }));
  const fewest = Math.min(...counts.map((c) => c.n));
  return { used: observations, days, short: counts.filter((c) => c.n === fewest).map((c) => c.label), fewest };
}

/** The distinct groups present for a cap kind: [{ key: 'chain:Base', name: 'Base', members: [labels] }]. */
export function groupsOf(lines, capKind) {
  const byName = new Map();
  for (const line of lines) {
    const name = capKind.of(line);
    if (!name) continue;
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name).push(line.label);
  }
  return [...byName].map(([name, members]) => ({ key: `${capKind.kind}:${name}`, kind: capKind.kind, name, members }));
}

export function allGroups(lines) {
  return CAP_KINDS.flatMap((k) => groupsOf(lines, k));
}

/**
 * The price matrix of the lines (T x N, oldest first, null = no price that day), over the
 * last `windowDays` days of the history. Lines sharing an underlying share its column.
 */
export function linePrices(portfolio, windowDays) {
  const { history, lines } = portfolio;
  const column = new Map(history.assets.map((asset, j) => [asset, j]));
  const missing = lines.filter((line) => !column.has(line.underlying)).map((line) => line.label);
  if (missing.length) return { error: `no price history for ${missing.join(', ')}` };
  const rows = Math.min(history.prices.length, Math.max(2, Math.floor(windowDays) + 1));
  const from = history.prices.length - rows;
  const prices = [];
  for (let t = from; t < history.prices.length; t++) {
    prices.push(lines.map((line) => history.prices[t][column.get(line.underlying)]));
  }
  // The engine uses the days on which every holding has a price (common window); say which
  // holding is short of history rather than letting a bare "T >= 2" error through.
  const complete = prices.filter((row) => row.every((x) => x !== null)).length;
  if (complete < 3) {
    const counts = lines.map((line, i) => ({ label: line.label, days: prices.filter((row) => row[i] !== null).length }));
    const short = counts.filter((c) => c.days < rows).sort((a, b) => a.days - b.days).slice(0, 3);
    return { error: `not enough price history: only ${complete} day${complete === 1 ? '' : 's'} in the last ${rows} have a price for every holding` +
      (short.length ? ` (${short.map((c) => `${c.label} has ${c.days}`).join(', ')})` : '') + '. Import a CSV of daily prices, or widen the window.' };
  }
  return { prices, dates: history.dates.slice(from) };
}

/**
 * Settings + portfolio -> { request, groupFields, error }.
 * groupFields[k] is the form key ('chain:Base') of request.constraints.groups[k], so an engine
 * error on `constraints.groups[k].max` can be shown next to the right input.
 */
export function buildRequest(portfolio, settings) {
  const { lines } = portfolio;
  if (lines.length < 2) return { error: { field: '', message: 'Optimizing needs at least two priced holdings.' } };
  const nav = netValue(lines);
  if (!(nav > 0)) return { error: { field: '', message: `The net value of the holdings is ${nav.toFixed(2)} USD; it must be positive to compute weights.` } };
  const window = linePrices(portfolio, settings.windowDays);
  if (window.error) return { error: { field: 'prices', message: window.error } };

  const groups = [];
  const groupFields = [];
  // Per-chain and per-protocol caps go to constraints.defi (below): they cap what is held on the
  // chain or at the venue, debts left out. Category caps are group constraints on net weights.
  for (const group of allGroups(lines).filter((g) => !DEFI_CAP_KINDS.has(g.kind))) {
    const cap = settings.caps[group.key];
    if (cap === undefined || cap === null || cap === '') continue;
    groups.push({ name: group.key, assets: group.members, max: cap });
    groupFields.push(group.key);
  }
  // A debt line (an Aave borrow) can be repaid, in part or in full, but never turn into a
  // holding: its weight stays in [min(current, minimum weight), 0]. With debts present the
  // bounds go per line; otherwise one pair for all.
  const weightsNow = currentWeights(lines);
  const hasDebt = lines.some((line) => line.valueUsd < 0);
  const bounds = hasDebt
    ? lines.map((line, i) => (line.valueUsd < 0 ? [Math.min(weightsNow[i], settings.minWeight), 0] : [settings.minWeight, settings.maxWeight]))
    : [settings.minWeight, settings.maxWeight];
  const constraints = { bounds, groups };
  if (settings.grossLeverage !== null && settings.grossLeverage !== undefined && settings.grossLeverage !== '') {
    constraints.grossLeverage = settings.grossLeverage;
  }
  const defi = defiLimits(lines, settings);
  if (defi?.linear.length) constraints.linear = defi.linear;
  if (defi && Object.keys(defi.constraint).some((k) => k !== 'assets')) constraints.defi = defi.constraint;
  const objective = { type: settings.objective, riskFreeRate: settings.riskFreeRate };
  if (settings.objective === 'max-utility') objective.riskAversion = settings.riskAversion;
  if (settings.objective === 'target-return') objective.targetReturn = settings.targetReturn;
  if (settings.objective === 'target-volatility') objective.targetVolatility = settings.targetVolatility;
  const estimator = { covariance: settings.covariance, expectedReturns: settings.expectedReturns, missing: settings.missing };
  if (settings.covariance === 'ewma' || settings.expectedReturns === 'ewma') estimator.halfLife = settings.halfLife;

  const request = {
    assets: lines.map((line) => line.label),
    prices: window.prices,
    periodsPerYear: portfolio.periodsPerYear ?? 365,
    estimator,
    objective,
    constraints,
  };
  return { request, groupFields, linearFields: defi?.fields ?? [], linearNames: defi?.names ?? [], defi: defi ?? null,
    defiShock: hasLeverage(lines) ? shockOf(lines, settings.defiShock) : null,
    points: settings.points, currentWeights: weightsNow, dates: window.dates };
}

// ---- DeFi limits ---------------------------------------------------------------------------

/** Underlyings that are dollar stablecoins: they keep their price under the stated shock. */
export const STABLE_UNDERLYINGS = new Set(['USDC', 'USDT', 'DAI']);
export const isStableLine = (line) => line.stablecoin === true || STABLE_UNDERLYINGS.has(line.underlying);
const isDebtLine = (line) => line.position === 'debt' || line.valueUsd < 0;
const DEFI_CAP_KINDS = new Set(['protocol', 'chain']);

/** Whether the page offers the DeFi limits for these lines (an Aave debt against collateral). */
export function hasLeverage(lines) {
  return lines.some(isDebtLine) && lines.some((l) => l.liquidationThreshold > 0);
}

// std::map orders the engine's caps by their UTF-8 bytes; the rows come out in that order.
const utf8 = new TextEncoder();
function byteOrder(a, b) {
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** The stated shock as the engine takes it: every non-stablecoin underlying of the lines moves by `move`. */
export function shockOf(lines, move) {
  if (move === null || move === undefined || move === 0) return {};
  return Object.fromEntries([...new Set(lines.filter((l) => !isStableLine(l)).map((l) => l.underlying))].map((u) => [u, move]));
}

/**
 * constraints.defi from the lines and settings, or null. Every line gets a profile: its chain,
 * its protocol (the venue: 'Aave v3', 'Uniswap v3 #123', 'wallet'), its underlying; collateral
 * lines (Aave supplies used as collateral) their liquidation threshold, debt lines `borrowed`.
 * The rows are the engine's (src/ballast/defi/constraint_rows.cpp): protocol caps and chain
 * caps on the non-borrowed weights, the health factor after the shock, the leverage cap.
 * `fields[k]` / `names[k]` are the form input and a plain name of row constraints.linear[k] as the
 * engine numbers them: the page's own rows (`linear`: per-account floors) first, then the engine's.
 */
export function defiLimits(lines, settings) {
  const set = (x) => x !== null && x !== undefined && x !== '';
  const caps = (kind) => allGroups(lines).filter((g) => g.kind === kind && set(settings.caps[g.key]) && g.members.some((m) => !isDebtLine(lines.find((l) => l.label === m))))
    .sort((a, b) => byteOrder(a.name, b.name));
  const protocolCaps = caps('protocol');
  const chainCaps = caps('chain');
  const leveraged = hasLeverage(lines);
  const floor = leveraged && set(settings.healthFactorFloor) ? settings.healthFactorFloor : null;
  const leverage = leveraged && set(settings.maxLeverage) ? settings.maxLeverage : null;
  if (!protocolCaps.length && !chainCaps.length && floor === null && leverage === null) return null;
  const assets = {};
  for (const line of lines) {
    const profile = { underlying: line.underlying };
    if (line.protocol) profile.protocols = [line.protocol];
    if (line.chain) profile.chain = line.chain;
    if (isDebtLine(line)) profile.borrowed = true;
    else if (line.liquidationThreshold > 0) profile.liquidationThreshold = line.liquidationThreshold;
    assets[line.label] = profile;
  }
  const constraint = { assets };
  const fields = [];
  const names = [];
  if (protocolCaps.length) constraint.protocolCaps = Object.fromEntries(protocolCaps.map((g) => [g.name, settings.caps[g.key]]));
  if (chainCaps.length) constraint.chainCaps = Object.fromEntries(chainCaps.map((g) => [g.name, settings.caps[g.key]]));
  for (const g of [...protocolCaps, ...chainCaps]) {
    fields.push(capInputId(g.key));
    names.push(`${g.kind} cap on ${g.name}`);
  }
  // Aave liquidates account by account: with borrowing accounts on several chains the floor is
  // one row per account, the engine's row terms restricted to that account's lines, given as
  // constraints.linear (read by the engine before the rows constraints.defi adds).
  const accounts = floor === null ? [] : borrowingAccounts(lines);
  const linear = accounts.length > 1 ? accounts.map((chain) => floorRow(lines, chain, floor, shockOf(lines, settings.defiShock))) : [];
  const linearFields = linear.map(() => 'hf-floor');
  const linearNames = linear.map((row) => row.name);
  if (floor !== null && accounts.length <= 1) {
    constraint.healthFactorFloor = { min: floor, shock: shockOf(lines, settings.defiShock) };
    fields.push('hf-floor');
    names.push('health-factor floor');
  }
  if (leverage !== null) {
    constraint.maxLeverage = leverage;
    fields.push('max-leverage');
    names.push('leverage cap');
  }
  return { constraint, linear, floor, fields: [...linearFields, ...fields], names: [...linearNames, ...names] };
}

/** The chains of the Aave accounts that borrow (one account per chain): '' for lines with no chain. */
function borrowingAccounts(lines) {
  return [...new Set(lines.filter(isDebtLine).map((l) => l.chain ?? ''))];
}

// One account's health-factor terms after the shock, by line index: collateral LT (1 + s) and
// debt (1 + s), so that HF = sum collateral_i w_i / -sum debt_j w_j.
function accountTerms(lines, chain, shock) {
  const collateral = [];
  const debt = [];
  lines.forEach((line, i) => {
    if ((line.chain ?? '') !== chain) return;
    const moved = 1 + (shock[line.underlying] ?? 0);
    if (isDebtLine(line)) debt.push([i, moved]);
    else if (line.liquidationThreshold > 0) collateral.push([i, line.liquidationThreshold * moved]);
  });
  return { collateral, debt };
}

// The floor on one account: sum LT (1 + s) w over its collateral + min sum (1 + s) w over its debt >= 0.
function floorRow(lines, chain, min, shock) {
  const { collateral, debt } = accountTerms(lines, chain, shock);
  const coefficients = {};
  for (const [i, c] of collateral) coefficients[lines[i].label] = c;
  for (const [i, d] of debt) coefficients[lines[i].label] = min * d;
  return { name: `health-factor floor on ${chain || 'the account'}`, coefficients, min: 0 };
}

/**
 * The health factor of the proposed weights after the stated shock (what the floor holds),
 * from the same terms as the engine's row: sum LT (1 + s) w over collateral / sum (1 + s) (-w) over debt.
 */
export function healthFactorAfterShock(lines, weights, shock) {
  // Per account (one per chain), the lowest: each account is liquidated on its own.
  let lowest = null;
  for (const chain of borrowingAccounts(lines)) {
    const { collateral, debt } = accountTerms(lines, chain, shock);
    const assets = collateral.reduce((t, [i, c]) => t + c * weights[i], 0);
    const owed = -debt.reduce((t, [i, d]) => t + d * weights[i], 0);
    if (owed > 1e-12) lowest = Math.min(lowest ?? Infinity, assets / owed);
  }
  return lowest;
}

/**
 * Trades from the current holdings to the target weights, at current prices, largest first.
 * Returns [{ label, symbol, chain, protocol, side: 'buy'|'sell', valueUsd (abs), amount (abs, in tokens) }],
 * leaving out trades below `minUsd`.
 */
export function tradesFor(lines, targetWeights, { minUsd = 1 } = {}) {
  const nav = netValue(lines);
  const trades = [];
  lines.forEach((line, i) => {
    const delta = targetWeights[i] * nav - line.valueUsd;
    if (Math.abs(delta) < minUsd) return;
    const side = delta > 0 ? 'buy' : 'sell';
    const verb = line.valueUsd < 0 ? (delta > 0 ? 'repay' : 'borrow') : side;
    trades.push({ label: line.label, symbol: line.symbol, chain: line.chain, protocol: line.protocol, side, verb,
      valueUsd: Math.abs(delta), amount: line.priceUsd > 0 ? Math.abs(delta) / line.priceUsd : null });
  });
  return trades.sort((a, b) => b.valueUsd - a.valueUsd);
}

/**
 * Unique, readable line labels: the symbol alone when it is unique, else the symbol plus what
 * tells its lines apart: "ETH · Arbitrum" when the chains differ, "WETH · Aave v3" when the
 * protocols do (a wallet holding needs no protocol name).
 */
export function labelLines(lines) {
  const bySymbol = new Map();
  for (const line of lines) bySymbol.set(line.symbol, [...(bySymbol.get(line.symbol) ?? []), line]);
  const used = new Set();
  return lines.map((line) => {
    const same = bySymbol.get(line.symbol);
    const parts = [line.symbol];
    if (same.length > 1) {
      if (new Set(same.map((l) => l.chain)).size > 1 && line.chain) parts.push(line.chain);
      if (new Set(same.map((l) => l.protocol)).size > 1 && line.protocol && line.protocol !== 'wallet') parts.push(line.protocol);
    }
    const label = parts.join(' · ');
    let unique = label;
    for (let k = 2; used.has(unique); k++) unique = `${label} (${k})`;
    used.add(unique);
    return { ...line, label: unique };
  });
}

// ---- the simulated demo ---------------------------------------------------------------------

// Simulated holdings for the demo (USD value at the last simulated price). Round numbers on
// purpose: nobody should mistake them for a real account.
const DEMO_HOLDINGS_USD = { BTC: 42000, ETH: 31000, SOL: 9000, BNB: 3000, ADA: 1500, AVAX: 2500, XRP: 2000, DOGE: 1500,
  LINK: 4000, UNI: 2500, AAVE: 3000, USDT: 6000, USDC: 12000 };

/**
 * The demo portfolio from the worker's demo data: { assets, prices: {rows, cols, data}, categories, note }.
 * Its groups become category caps (DeFi <= 30%, Stablecoins <= 25%), as in the package's demo request.
 */
export function demoPortfolio(demo) {
  const { rows, cols, data } = demo.prices;
  const prices = [];
  for (let t = 0; t < rows; t++) prices.push(Array.from(data.subarray(t * cols, (t + 1) * cols)));
  const last = prices[rows - 1];
  const day0 = Date.UTC(2024, 0, 1);
  const dates = prices.map((_, t) => new Date(day0 + t * 86400e3).toISOString().slice(0, 10));
  const spot = demo.assets.map((symbol, j) => {
    const valueUsd = DEMO_HOLDINGS_USD[symbol] ?? 1000;
    return { label: symbol, symbol, underlying: symbol, chain: '', protocol: '', category: demo.categories[j],
      amount: valueUsd / last[j], priceUsd: last[j], valueUsd };
  });
  const portfolio = {
    source: 'demo', simulated: true, title: 'Simulated demo portfolio', note: demo.note,
    lines: spot, history: { dates, assets: demo.assets.slice(), prices }, periodsPerYear: demo.periodsPerYear, excluded: [],
    defaultCaps: Object.fromEntries(demo.groups.map((g) => [`category:${g.category}`, g.max])),
  };
  if (!demo.defi) return portfolio;
  // The simulated DeFi positions as lines (the LP as its two token amounts, computed by the
  // engine), and the whole demo as one DeFi analysis request.
  const priceOf = Object.fromEntries(demo.assets.map((a, j) => [a, last[j]]));
  const categoryOf = Object.fromEntries(demo.assets.map((a, j) => [a, demo.categories[j]]));
  const { aave, v3, lpAmounts } = demo.defi;
  const defiLine = (symbol, underlying, protocol, amount, extra = {}) => ({ symbol, underlying, chain: '', protocol,
    category: extra.position === 'debt' ? '' : categoryOf[underlying], amount, priceUsd: priceOf[underlying], valueUsd: amount * priceOf[underlying], ...extra });
  const defiLines = [
    ...aave.supplies.map((x) => defiLine(x.asset, DEMO_TOKENS[x.asset]?.underlying ?? x.asset, 'Aave v3', x.amount, { position: 'supply', liquidationThreshold: x.liquidationThreshold })),
    ...aave.borrows.map((x) => defiLine(`${x.asset} debt`, DEMO_TOKENS[x.asset]?.underlying ?? x.asset, 'Aave v3', -x.amount, { position: 'debt' })),
    defiLine(v3.token0, DEMO_TOKENS[v3.token0]?.underlying ?? v3.token0, 'Uniswap v3', lpAmounts[0], { position: 'lp' }),
    defiLine(v3.token1, DEMO_TOKENS[v3.token1]?.underlying ?? v3.token1, 'Uniswap v3', lpAmounts[1], { position: 'lp' }),
  ];
  portfolio.lines = labelLines([...spot, ...defiLines]);
  portfolio.defi = { request: demoAnalyzeRequest(demo.assets, last, spot, demo.defi) };
  return portfolio;
}

// The demo's simulated DeFi positions, on the demo's last prices: an Aave v3 account (WETH
// supplied at Aave v3 Ethereum's WETH parameters, USDC borrowed) and a Uniswap v3 WETH/USDC
// 0.3 % position around the current price. Round USD sizes, so nobody mistakes them for real ones.
const DEMO_TOKENS = { WETH: { underlying: 'ETH' }, USDC: { stablecoin: true }, USDT: { stablecoin: true } };
const DEMO_AAVE_USD = { supplyWeth: 16000, borrowUsdc: 6000 };
const DEMO_LP_USD = 10000;

/** { aave, v3 } analyze positions for the demo, given its assets and last prices. */
export function demoDefiPositions(assets, last) {
  const price = Object.fromEntries(assets.map((a, j) => [a, last[j]]));
  const aave = { type: 'aave-v3', id: 'Aave v3 account (simulated)', chain: 'ethereum',
    supplies: [{ asset: 'WETH', amount: DEMO_AAVE_USD.supplyWeth / price.ETH, ltv: 0.805, liquidationThreshold: 0.83, liquidationBonus: 0.05 }],
    borrows: [{ asset: 'USDC', amount: DEMO_AAVE_USD.borrowUsdc }] };
  // token0 WETH (18 decimals), token1 USDC (6): the pool price in raw units is P_ETH / P_USDC * 1e-12.
  const raw = (price.ETH / price.USDC) * 1e-12;
  const tick = Math.floor(Math.log(raw) / Math.log(1.0001));
  const tickLower = Math.floor((tick - 3000) / 60) * 60;
  const tickUpper = Math.ceil((tick + 3000) / 60) * 60;
  const sq = (t) => 1.0001 ** (t / 2);
  const [sp, sa, sb] = [sq(tick), sq(tickLower), sq(tickUpper)];
  const usdPerLiquidity = ((sb - sp) / (sp * sb)) * 1e-18 * price.ETH + (sp - sa) * 1e-6 * price.USDC;
  const v3 = { type: 'uniswap-v3', id: 'Uniswap v3 WETH/USDC 0.3% (simulated)', chain: 'ethereum', token0: 'WETH', token1: 'USDC',
    decimals0: 18, decimals1: 6, liquidity: String(Math.round(DEMO_LP_USD / usdPerLiquidity)), tickLower, tickUpper, tick };
  return { aave, v3 };
}

/** The demo as one analyze request: its plain holdings (a simulated exchange account) and its DeFi positions. */
export function demoAnalyzeRequest(assets, last, spotLines, { aave, v3 }) {
  const prices = Object.fromEntries(assets.map((a, j) => [a, last[j]]));
  const positions = [
    ...spotLines.map((l) => ({ type: 'spot', id: l.label, chain: 'offchain', asset: l.symbol, amount: l.amount })),
    aave, v3,
  ];
  const tokens = Object.fromEntries(Object.entries(DEMO_TOKENS).filter(([t]) => t === 'WETH' || assets.includes(t)));
  return { positions, prices, tokens };
}
