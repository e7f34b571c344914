#!/usr/bin/env node
// Calibrates the built-in demo model (bindings/js/demo.js) to real daily closes.
//
//   node scripts/calibrate-demo.mjs [path/to/crypto_daily_close.csv]
//
// Reads ../shared/data/crypto_daily_close.csv (relative to the repository root's parent
// by default; see ../shared/data/SOURCES.md for its provenance) and writes
// bindings/js/demo-params.json, plus the generated tables in docs/demo-data.md: per-asset
// drift, volatility, excess kurtosis, a Student-t degrees-of-freedom estimate, a start
// level, the correlation matrix of daily log returns and, for stablecoins, an AR(1)
// mean-reversion coefficient. Parameters only, rounded to 4 significant digits: no price
// series leaves ../shared/data.
//
// Method (docs/demo-data.md has the long form):
//   window   the common window of the chosen assets, starting 7 days after the latest
//            listing (listing days are noisy, SOURCES.md "Caveats") and ending on the last
//            day of 2024, so the label "2020-2024 daily closes" is exact.
//   returns  r_t = ln(P_t / P_{t-1}) on consecutive calendar days (crypto trades daily).
//   drift    mean(r) * 365 (annualized mean log return: the log-price random walk's drift).
//   vol      sample standard deviation of r (n - 1) * sqrt(365).
//   kurtosis population excess kurtosis m4 / m2^2 - 3.
//   nu       method of moments for a Student-t, whose excess kurtosis is 6 / (nu - 4):
//            nu = 4 + 6 / kurtosis, clamped to [4.5, 30] (30 when kurtosis <= 0).
//            The demo draws multivariate-t innovations, which have ONE nu shared by all
//            assets (a shared chi-square scale keeps the correlation matrix exact and
//            makes crashes hit every asset at once, as they do). model.nu is the integer
//            nearest the median nu of the non-stable assets.
//   stable   stablecoins are simulated as an AR(1) (discrete Ornstein-Uhlenbeck process)
//            in log price around the 1.00 peg: x_{t+1} = phi x_t + e_t. phi is the
//            least-squares slope of x_t on x_{t-1} without intercept (the peg is known),
//            clamped to [0, 0.99]. demo.js sizes e_t so the stationary daily return
//            volatility equals the measured vol. The measured drift is recorded but not
//            used: a pegged coin has no drift.
//   start    the last close in the window, 4 significant digits (stablecoins: the peg).
//
// The output is a pure function of the CSV and this script: tests/js/demo.test.mjs re-runs
// calibrate() in memory and compares it with the committed file.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const SCRIPT_VERSION = '1.0.0';

/** The demo universe: symbol -> category (majors, L1s, exchange, meme, DeFi, stablecoins). */
export const DEMO_ASSETS = [
  ['BTC', 'major'], ['ETH', 'major'],
  ['SOL', 'l1'], ['BNB', 'l1'], ['ADA', 'l1'], ['AVAX', 'l1'], ['XRP', 'payments'],
  ['DOGE', 'meme'],
  ['LINK', 'defi'], ['UNI', 'defi'], ['AAVE', 'defi'],
  ['USDT', 'stablecoin'], ['USDC', 'stablecoin'],
];

const PERIODS_PER_YEAR = 365;
const LISTING_TRIM_DAYS = 7;
const WINDOW_END_MAX = '2024-12-31';
const NU_MIN = 4.5;
const NU_MAX = 30;
const PHI_MAX = 0.99;

/** Rounds to `digits` significant digits and returns a plain number (-0 becomes 0). */
export function sig(x, digits = 4) {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round non-finite value ${x}`);
  const r = Number(x.toPrecision(digits));
  return r === 0 ? 0 : r;
}

function parseCsv(text) {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((line) => line.split(','));
  return { header, rows };
}

function mean(xs) {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Computes the demo parameters from the CSV text of crypto_daily_close.csv.
 * @param {string} csvText
 * @param {{ source?: string }} [options] source: the file name recorded in the output
 * @returns {object} the content of bindings/js/demo-params.json
 */
export function calibrate(csvText, { source = '../shared/data/crypto_daily_close.csv' } = {}) {
  const { header, rows } = parseCsv(csvText);
  const cols = DEMO_ASSETS.map(([symbol]) => {
    const c = header.indexOf(symbol);
    if (c < 0) throw new Error(`column ${symbol} not found in the CSV header`);
    return c;
  });

  // Common window: first day on which every asset has a value, plus the listing trim.
  const complete = rows.filter((r) => cols.every((c) => r[c] !== undefined && r[c] !== ''));
  if (complete.length === 0) throw new Error('the chosen assets have no common day');
  const firstCommon = complete[0][0];
  const startIndex = rows.findIndex((r) => r[0] === firstCommon) + LISTING_TRIM_DAYS;
  const window = rows.slice(startIndex).filter((r) => r[0] <= WINDOW_END_MAX);
  for (let t = 0; t < window.length; t++) {
    const r = window[t];
    if (!cols.every((c) => r[c] !== '' && Number(r[c]) > 0)) {
      throw new Error(`gap in the common window on ${r[0]}`);
    }
    if (t > 0) {
      const gapDays = (Date.parse(r[0]) - Date.parse(window[t - 1][0])) / 86400000;
      if (gapDays !== 1) throw new Error(`calendar gap before ${r[0]}`);
    }
  }

  const prices = cols.map((c) => window.map((r) => Number(r[c])));
  const returns = prices.map((p) => {
    const r = new Array(p.length - 1);
    for (let t = 1; t < p.length; t++) r[t - 1] = Math.log(p[t] / p[t - 1]);
    return r;
  });
  const n = returns[0].length;

  const assets = DEMO_ASSETS.map(([symbol, category], i) => {
    const r = returns[i];
    const m = mean(r);
    let m2 = 0;
    let m4 = 0;
    for (const x of r) {
      const d = x - m;
      m2 += d * d;
      m4 += d * d * d * d;
    }
    const variance = m2 / (n - 1);
    const kurtosisExcess = (m4 / n) / ((m2 / n) ** 2) - 3;
    const nu = kurtosisExcess > 0 ? Math.min(NU_MAX, Math.max(NU_MIN, 4 + 6 / kurtosisExcess)) : NU_MAX;
    const asset = {
      symbol,
      category,
      process: category === 'stablecoin' ? 'mean-reverting' : 'random-walk',
      drift: sig(m * PERIODS_PER_YEAR),
      vol: sig(Math.sqrt(variance * PERIODS_PER_YEAR)),
      kurtosisExcess: sig(kurtosisExcess),
      nu: sig(nu),
    };
    if (category === 'stablecoin') {
      // AR(1) of the log price around ln(1) = 0, least squares without intercept.
      const x = prices[i].map(Math.log);
      let sxy = 0;
      let sxx = 0;
      for (let t = 1; t < x.length; t++) {
        sxy += x[t] * x[t - 1];
        sxx += x[t - 1] * x[t - 1];
      }
      const phi = Math.min(PHI_MAX, Math.max(0, sxy / sxx));
      asset.phi = sig(phi);
      asset.halfLifeDays = phi > 0 ? sig(Math.log(0.5) / Math.log(phi)) : 0;
      asset.startPrice = 1;
    } else {
      asset.startPrice = sig(prices[i][prices[i].length - 1]);
    }
    return asset;
  });

  // Pearson correlation of the daily log returns.
  const centered = returns.map((r) => {
    const m = mean(r);
    return r.map((x) => x - m);
  });
  const norms = centered.map((c) => Math.sqrt(c.reduce((s, x) => s + x * x, 0)));
  const correlation = centered.map((ci, i) => centered.map((cj, j) => {
    if (i === j) return 1;
    let s = 0;
    for (let t = 0; t < n; t++) s += ci[t] * cj[t];
    return sig(s / (norms[i] * norms[j]));
  }));

  const riskyNu = assets.filter((a) => a.process === 'random-walk').map((a) => a.nu);
  return {
    description: 'Parameters of the simulated demo portfolio (bindings/js/demo.js). Calibrated to daily closes; contains no price series.',
    notes: [
      'drift: annualized mean daily log return (x365); vol: annualized standard deviation of daily log returns (x sqrt 365).',
      'nu: Student-t degrees of freedom from excess kurtosis, nu = 4 + 6/kurtosisExcess clamped to [4.5, 30]. The model uses one shared nu (model.nu), the integer nearest the median of the random-walk assets.',
      'Stablecoins (process "mean-reverting"): AR(1) in log price around the 1.00 peg, x[t+1] = phi*x[t] + e[t]; e is scaled so the stationary daily return vol equals vol. Their drift is measured but unused.',
      'In-sample drift from a bull-and-bust cycle is not a forecast; the demo only needs plausible numbers.',
      'Regenerate with: node scripts/calibrate-demo.mjs (docs/demo-data.md).',
    ],
    script: { path: 'scripts/calibrate-demo.mjs', version: SCRIPT_VERSION },
    source: {
      file: source,
      provenance: '../shared/data/SOURCES.md (Binance spot closes in USDT; USDT and USDC in USD from Yahoo Finance)',
    },
    window: {
      start: window[0][0],
      end: window[window.length - 1][0],
      days: window.length,
      returns: n,
      rule: `common window of all assets, first ${LISTING_TRIM_DAYS} days after the latest listing dropped, ending no later than ${WINDOW_END_MAX}`,
    },
    periodsPerYear: PERIODS_PER_YEAR,
    model: {
      innovations: 'multivariate Student-t (shared chi-square scale), unit variance',
      nu: Math.round(median(riskyNu)),
    },
    assets,
    correlation,
  };
}

const DOC_BEGIN = '<!-- demo-params:begin (written by scripts/calibrate-demo.mjs; do not edit) -->';
const DOC_END = '<!-- demo-params:end -->';

/** The parameter tables of docs/demo-data.md, as markdown generated from the parameters. */
export function paramsMarkdown(params) {
  const w = params.window;
  const lines = [
    DOC_BEGIN,
    `Calibration window: ${w.start} .. ${w.end} (${w.days} daily closes, ${w.returns} log returns); script version ${params.script.version}; model nu = ${params.model.nu}.`,
    '',
    '| asset | category | process | drift (ann.) | vol (ann.) | excess kurtosis | nu (marginal) | phi (AR(1)) | half-life (days) | start price |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...params.assets.map((a) => `| ${a.symbol} | ${a.category} | ${a.process} | ${a.drift} | ${a.vol} | ${a.kurtosisExcess} | ${a.nu} | ${a.phi ?? ''} | ${a.halfLifeDays ?? ''} | ${a.startPrice} |`),
    '',
    'Correlation of daily log returns:',
    '',
    `| | ${params.assets.map((a) => a.symbol).join(' | ')} |`,
    `|---|${params.assets.map(() => '---:').join('|')}|`,
    ...params.correlation.map((row, i) => `| ${params.assets[i].symbol} | ${row.map((v) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2))).join(' | ')} |`),
    DOC_END,
  ];
  return lines.join('\n');
}

/** Replaces the generated block of a markdown document; throws when the markers are missing. */
export function replaceParamsBlock(doc, params) {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin < 0 || end < begin) throw new Error('docs/demo-data.md: generated-block markers not found');
  return doc.slice(0, begin) + paramsMarkdown(params) + doc.slice(end + DOC_END.length);
}

function main() {
  const here = dirname(fileURLToPath(import.meta.url));
  const repoRoot = resolve(here, '..');
  const csvPath = resolve(process.argv[2] ?? resolve(repoRoot, '..', 'shared', 'data', 'crypto_daily_close.csv'));
  const outPath = resolve(repoRoot, 'bindings', 'js', 'demo-params.json');
  const params = calibrate(readFileSync(csvPath, 'utf8'));
  writeFileSync(outPath, `${JSON.stringify(params, null, 2)}\n`);
  const docPath = resolve(repoRoot, 'docs', 'demo-data.md');
  writeFileSync(docPath, replaceParamsBlock(readFileSync(docPath, 'utf8'), params));
  const w = params.window;
  console.log(`wrote ${outPath}: ${params.assets.length} assets, ${w.start} .. ${w.end} (${w.returns} daily returns), model nu ${params.model.nu}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
