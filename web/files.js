// Offline in and out: a Ballast portfolio file (holdings + price history) can be imported and
// exported, a price-history CSV imported, and results exported as JSON or CSV. Pure parsing
// and formatting here (tested in Node); the page does the file picking and downloading.
import { parsePriceCsv } from './chain/csv.mjs';
import { labelLines } from './portfolio.js';

export const PORTFOLIO_FORMAT = 'ballast-portfolio';

export class FileError extends Error {
  constructor(message, field) {
    super(field ? `${field}: ${message}` : message);
    this.field = field ?? '';
  }
}

const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

function text(value, field, { optional = false } = {}) {
  if (value === undefined || value === null || value === '') {
    if (optional) return '';
    throw new FileError('is required', field);
  }
  if (typeof value !== 'string') throw new FileError('must be text', field);
  return value.slice(0, 80);
}

function finite(value, field, { positive = false } = {}) {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FileError('must be a finite number', field);
  if (positive && !(value > 0)) throw new FileError('must be above 0', field);
  return value;
}

/** Checks { dates, assets, prices } and returns a clean copy. */
export function checkHistory(h, field = 'history') {
  if (!isObject(h)) throw new FileError('must be an object with dates, assets and prices', field);
  if (!Array.isArray(h.dates) || !Array.isArray(h.assets) || !Array.isArray(h.prices)) throw new FileError('needs dates, assets and prices arrays', field);
  const assets = h.assets.map((a, j) => text(a, `${field}.assets[${j}]`));
  if (new Set(assets).size !== assets.length) throw new FileError('has a repeated asset', `${field}.assets`);
  if (h.prices.length !== h.dates.length) throw new FileError(`has ${h.prices.length} rows for ${h.dates.length} dates`, `${field}.prices`);
  const prices = h.prices.map((row, t) => {
    if (!Array.isArray(row) || row.length !== assets.length) throw new FileError(`must have ${assets.length} entries`, `${field}.prices[${t}]`);
    return row.map((x, j) => (x === null ? null : finite(x, `${field}.prices[${t}][${j}]`, { positive: true })));
  });
  const dates = h.dates.map((d, t) => text(d, `${field}.dates[${t}]`));
  return { dates, assets, prices };
}

/** A portfolio file's text -> Portfolio (web/portfolio.js). Throws FileError naming the field. */
export function parsePortfolioFile(json, name = 'file') {
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    throw new FileError(`is not JSON (${error.message})`, name);
  }
  if (!isObject(doc) || doc.format !== PORTFOLIO_FORMAT) throw new FileError(`must say "format": "${PORTFOLIO_FORMAT}"`, 'format');
  if (doc.version !== 1) throw new FileError('must be 1', 'version');
  if (!Array.isArray(doc.holdings) || doc.holdings.length === 0) throw new FileError('must list at least one holding', 'holdings');
  const lines = doc.holdings.map((h, i) => {
    const f = `holdings[${i}]`;
    if (!isObject(h)) throw new FileError('must be an object', f);
    const symbol = text(h.symbol, `${f}.symbol`);
    const amount = finite(h.amount, `${f}.amount`);
    const priceUsd = finite(h.priceUsd, `${f}.priceUsd`, { positive: true });
    const line = { symbol, underlying: text(h.underlying, `${f}.underlying`, { optional: true }) || symbol,
      chain: text(h.chain, `${f}.chain`, { optional: true }), protocol: text(h.protocol, `${f}.protocol`, { optional: true }),
      category: text(h.category, `${f}.category`, { optional: true }), amount, priceUsd, valueUsd: amount * priceUsd };
    // DeFi lines: what the line is at its venue, and a collateral's liquidation threshold (the
    // health-factor floor needs both).
    if (h.position !== undefined) {
      if (!['supply', 'debt', 'lp'].includes(h.position)) throw new FileError('must be "supply", "debt" or "lp"', `${f}.position`);
      line.position = h.position;
    }
    if (h.liquidationThreshold !== undefined) {
      const lt = finite(h.liquidationThreshold, `${f}.liquidationThreshold`, { positive: true });
      if (lt > 1) throw new FileError('must be a fraction in (0, 1]', `${f}.liquidationThreshold`);
      line.liquidationThreshold = lt;
    }
    return line;
  });
  // The DeFi positions as the engine's analyze request (checked by the engine when the panel runs).
  if (doc.defi !== undefined && !isObject(doc.defi)) throw new FileError('must be an analyze request object', 'defi');
  let history;
  if (doc.historyCsv !== undefined) history = parsePriceCsv(text(doc.historyCsv, 'historyCsv').length ? doc.historyCsv : '');
  else if (doc.history === undefined) history = { dates: [], assets: [], prices: [] };   // add a CSV next
  else history = checkHistory(doc.history);
  return {
    source: 'file', simulated: doc.simulated === true, title: doc.title ? `${text(doc.title, 'title')} (from ${name})` : `Portfolio from ${name}`,
    note: doc.simulated === true ? 'This file says its data are simulated.' : '',
    lines: labelLines(lines), history, periodsPerYear: doc.periodsPerYear === undefined ? 365 : finite(doc.periodsPerYear, 'periodsPerYear', { positive: true }),
    excluded: [], complete: true, pricesOk: true, defaultCaps: readCaps(doc.caps),
    ...(doc.defi ? { defi: { request: doc.defi } } : {}),
  };
}

// "caps": { "chain:Base": 0.5, ... }: the group caps saved with the portfolio, as fractions.
function readCaps(caps) {
  if (caps === undefined) return {};
  if (!isObject(caps)) throw new FileError('must be an object of group caps', 'caps');
  return Object.fromEntries(Object.entries(caps).map(([k, v]) => [text(k, 'caps'), finite(v, `caps.${k}`)]));
}

/** Portfolio -> a portfolio file (JSON text) that parsePortfolioFile reads back. */
export function portfolioFile(portfolio, caps = portfolio.defaultCaps ?? {}) {
  return JSON.stringify({
    format: PORTFOLIO_FORMAT, version: 1, title: portfolio.title, simulated: portfolio.simulated === true,
    exportedAt: new Date().toISOString(), periodsPerYear: portfolio.periodsPerYear ?? 365,
    holdings: portfolio.lines.map(({ symbol, underlying, chain, protocol, category, amount, priceUsd, position, liquidationThreshold }) =>
      ({ symbol, underlying, chain, protocol, category, amount, priceUsd, position, liquidationThreshold })),
    caps, history: portfolio.history, defi: portfolio.defi?.request ?? undefined,
  }, null, 1);
}

/** The results of one analysis as JSON text. */
export function resultsJson({ portfolio, request, analysis, trades, engineVersion }) {
  return JSON.stringify({
    format: 'ballast-results', version: 1, exportedAt: new Date().toISOString(), engineVersion,
    portfolio: { title: portfolio.title, simulated: portfolio.simulated === true, source: portfolio.source },
    holdings: portfolio.lines.map(({ label, symbol, chain, protocol, amount, priceUsd, valueUsd }) => ({ label, symbol, chain, protocol, amount, priceUsd, valueUsd })),
    request: { ...request, prices: `${request.prices.length} rows omitted` },
    optimize: analysis.optimize, current: analysis.current, frontier: analysis.frontier,
    estimate: { expectedReturns: analysis.estimate.expectedReturns, volatilities: analysis.estimate.volatilities,
      correlation: analysis.estimate.correlation, shrinkage: analysis.estimate.shrinkage, observations: analysis.estimate.observations },
    trades,
  }, null, 1);
}

// RFC 4180 field; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
function csvField(value) {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per holding: current and target weights, risk shares and the trade. */
export function resultsCsv({ portfolio, analysis, currentWeights, trades }) {
  const header = ['asset', 'symbol', 'chain', 'protocol', 'amount', 'price_usd', 'value_usd', 'current_weight', 'target_weight',
    'current_risk_share', 'target_risk_share', 'trade', 'trade_amount', 'trade_value_usd'];
  const byLabel = new Map(trades.map((t) => [t.label, t]));
  const rows = portfolio.lines.map((line, i) => {
    const t = byLabel.get(line.label);
    return [line.label, line.symbol, line.chain, line.protocol, line.amount, line.priceUsd, line.valueUsd, currentWeights[i],
      analysis.optimize.weights[i], analysis.current.riskContributionShares?.[i], analysis.optimize.riskContributionShares[i],
      t?.verb ?? '', t?.amount ?? '', t?.valueUsd ?? ''];
  });
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
