// The same requests through the npm package (WASM, matrices as Float64Array blobs) and through
// the native build (ballast-native, matrices as JSON): every number must agree to 1e-12,
// absolute below 1 and relative above. Both builds use -ffp-contract=off for this.
// The native binary is build/native/bindings/native/ballast-native (npm run build), or
// $BALLAST_NATIVE.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { init } from 'ballast';
import { assertClose, nativeCli, runNative } from '../support/native.mjs';

// ---- deterministic market data ---------------------------------------------------------------

function random(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;  // mulberry32
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

// Daily prices of n assets driven by one market factor, oldest row first.
function priceHistory({ assets, days, seed }) {
  const normal = random(seed);
  const n = assets.length;
  const drift = assets.map((_, i) => (0.0002 + 0.0004 * i) * (i % 3 === 2 ? -0.5 : 1));
  const beta = assets.map((_, i) => 0.4 + 0.25 * i);
  const idio = assets.map((_, i) => 0.01 + 0.004 * ((i * 7) % 5));
  const rows = [assets.map((_, i) => 10 * (i + 1))];
  for (let t = 1; t < days; t++) {
    const market = 0.02 * normal();
    const last = rows[t - 1];
    rows.push(last.map((p, i) => p * Math.exp(drift[i] + beta[i] * market + idio[i] * normal())));
  }
  return rows;
}

const ASSETS = ['BTC', 'ETH', 'SOL', 'LINK', 'UNI', 'USDC'];
const prices = priceHistory({ assets: ASSETS, days: 500, seed: 7 });
const base = { assets: ASSETS, prices, periodsPerYear: 365 };

// Prices with late listings (null before a token traded) for the missing-data estimators.
const ragged = prices.map((row, t) => row.map((p, i) => (i === 2 && t < 120) || (i === 4 && t < 45) ? null : p));

function asView(rows) {
  const data = new Float64Array(rows.length * rows[0].length);
  rows.forEach((row, i) => data.set(row, i * row.length));
  return { data, rows: rows.length, cols: rows[0].length };
}

function dailyReturns(rows) {
  return rows.slice(1).map((row, t) => row.map((p, i) => p / rows[t][i] - 1));
}

// ---- comparison ------------------------------------------------------------------------------



// ---- cases -----------------------------------------------------------------------------------

let ballast;
let meanReturns;

before(async () => {
  assert.ok(existsSync(nativeCli), `no native CLI at ${nativeCli}: run npm run build (or set BALLAST_NATIVE)`);
  ballast = await init();
  meanReturns = ballast.estimate(base).expectedReturns;
});

const cases = [
  ['optimize', 'min variance', () => ({ ...base, objective: { type: 'min-variance' } })],
  ['optimize', 'max sharpe with a risk-free rate', () => ({ ...base, objective: { type: 'max-sharpe', riskFreeRate: 0.03 } })],
  ['optimize', 'max utility', () => ({ ...base, objective: { type: 'max-utility', riskAversion: 3 } })],
  [
    'optimize',
    'target return',
    () => ({
      ...base,
      objective: { type: 'target-return', targetReturn: (Math.min(...meanReturns) + 3 * Math.max(...meanReturns)) / 4 },
    }),
  ],
  ['optimize', 'target volatility', () => ({ ...base, objective: { type: 'target-volatility', targetVolatility: 0.3 } })],
  [
    'optimize',
    'long-short with gross leverage',
    () => ({
      ...base,
      objective: { type: 'max-sharpe' },
      constraints: { bounds: [-0.3, 0.8], budget: 1, grossLeverage: 1.6 },
    }),
  ],
  [
    'optimize',
    'groups, per-asset bounds and beta',
    () => ({
      ...base,
      betaTo: 'BTC',
      objective: { type: 'max-sharpe' },
      constraints: {
        bounds: [[0, 0.4], [0, 0.4], [0.05, 0.3], [0, 0.2], [0, 0.2], [0, 1]],
        groups: [
          { name: 'defi', assets: ['LINK', 'UNI'], min: 0.1, max: 0.25 },
          { name: 'majors', assets: ['BTC', 'ETH'], max: 0.6 },
        ],
      },
    }),
  ],
  ['optimize', 'infeasible constraints', () => ({ ...base, constraints: { bounds: [0, 0.1] } })],
  ['optimize', 'returns as a Float64Array view', () => ({ assets: ASSETS, returns: asView(dailyReturns(prices)) })],
  [
    'optimize',
    'given moments',
    () => {
      const est = ballast.estimate(base);
      return { assets: ASSETS, covariance: est.covariance, expectedReturns: est.expectedReturns, objective: { type: 'max-sharpe' } };
    },
  ],
  ['frontier', 'long only, 8 points', () => ({ ...base, points: 8 })],
  ['frontier', 'with groups', () => ({ ...base, points: 5, constraints: { groups: [{ name: 'g', assets: ['SOL', 'UNI'], max: 0.3 }] } })],
  ['estimate', 'sample covariance', () => ({ ...base, estimator: { covariance: 'sample' } })],
  ['estimate', 'EWMA covariance and mean', () => ({ ...base, estimator: { covariance: 'ewma', expectedReturns: 'ewma', halfLife: 30 } })],
  ['estimate', 'Ledoit-Wolf covariance, log returns', () => ({ ...base, estimator: { covariance: 'ledoit-wolf', returns: 'log' } })],
  ['estimate', 'ragged prices, common window', () => ({ ...base, prices: ragged })],
  ['estimate', 'ragged prices, pairwise', () => ({ ...base, prices: ragged, estimator: { missing: 'pairwise' } })],
  ['estimate', 'prices as a Float64Array view', () => ({ ...base, prices: asView(prices) })],
  ['report', 'given weights', () => ({ ...base, betaTo: 'ETH', weights: [0.3, 0.2, 0.1, 0.1, 0.1, 0.2] })],
  ['greeks', 'a mixed book in all three models', () => ({ options: optionBook() })],
  [
    'impliedVol',
    'prices of the same book, with no-vol statuses among them',
    () => {
      const book = optionBook();
      const { options } = ballast.greeks({ options: book });
      return {
        options: book
          .map(({ vol, quantity, ...o }, i) => ({ ...o, price: i % 7 === 3 ? options[i].price * 1e-3 : options[i].price }))
          .filter((_, i) => pinsTheVol(options[i].price, options[i].vega, book[i].vol)),
      };
    },
  ],
  ...surfaceBookCases(),
];

// Smiles, surfaces, books with scenario grids, and hedges (the fit, the QPs and the grid).
function surfaceBookCases() {
  const smile = (T, F, skew) => {
    const strikes = [];
    const vols = [];
    for (let i = 0; i < 13; i++) {
      const k = -0.7 + (1.3 * i) / 12;
      strikes.push(F * Math.exp(k));
      vols.push(0.8 + skew * k + 0.6 * k * k + 0.01 * Math.sin(7 * i));  // not an SVI shape: a real fit
    }
    return { expiryYears: T, forward: F, strikes, vols };
  };
  const book = {
    underlyings: [{ name: 'BTC', spot: 9348 }, { name: 'ETH', spot: 200 }],
    positions: [
      { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'inverse', forward: 9400, strike: 10000, expiryYears: 0.12, vol: 0.75, quantity: -20 },
      { instrument: 'option', underlying: 'BTC', kind: 'put', model: 'black-scholes', strike: 9500, expiryYears: 0.5, vol: 0.8, rate: 0.02, quantity: 3 },
      { instrument: 'option', underlying: 'ETH', kind: 'put', model: 'black-76', forward: 203, strike: 180, expiryYears: 0.3, vol: 0.9, quantity: 40 },
      { instrument: 'future', underlying: 'BTC', forward: 9500, expiryYears: 0.25, quantity: -1 },
      { instrument: 'perp', underlying: 'ETH', quantity: 5 },
    ],
  };
  const instruments = [
    { instrument: 'perp', underlying: 'BTC', costPerUnit: 0.5 },
    { instrument: 'perp', underlying: 'ETH', costPerUnit: 0.05 },
    { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'inverse', forward: 9400, strike: 9500, expiryYears: 0.12, vol: 0.74, costPerUnit: 15 },
    { instrument: 'option', underlying: 'BTC', kind: 'put', model: 'inverse', forward: 9550, strike: 9000, expiryYears: 0.62, vol: 0.8, costPerUnit: 15 },
    { instrument: 'option', underlying: 'ETH', kind: 'call', model: 'black-76', forward: 203, strike: 210, expiryYears: 0.3, vol: 0.85, costPerUnit: 1 },
  ];
  return [
    ['smile', 'a noisy skewed smile, vega weights', () => smile(0.25, 9400, -0.3)],
    ['surface', 'three fitted slices with queries', () => ({
      slices: [smile(0.05, 9380, -0.2), smile(0.25, 9400, -0.3), smile(0.6, 9500, -0.25)],
      weighting: 'uniform',
      queries: [{ strike: 9000, expiryYears: 0.1 }, { strike: 12000, expiryYears: 0.4 }, { strike: 7000, expiryYears: 1 }],
    })],
    ['book', 'two underlyings with a scenario grid and a horizon', () => ({
      ...book,
      scenarios: { spotShocks: [-0.3, -0.1, 0, 0.1, 0.3], volShocks: [-0.2, 0, 0.2], volShockMode: 'relative', horizonYears: 7 / 365 },
    })],
    ['hedge', 'delta-gamma-vega on two underlyings', () => ({ ...book, instruments })],
    ['hedge', 'too few instruments, and size caps', () => ({ ...book, instruments: instruments.slice(0, 3).map((i) => ({ ...i, maxQuantity: 2 })) })],
  ];
}

// Deep in the money near expiry the price is nearly all intrinsic value and pins the vol only
// loosely: one ulp of difference between the builds' exp/log moves the implied vol by
// ε·price / (vega·vol), up to 1e-11 here. Implied vols are compared where that is below 1e-13.
const pinsTheVol = (price, vega, vol) => vega * vol > 1e-3 * price;

// Options of every model and kind, from deep out of the money to deep in it.
function optionBook() {
  const normal = random(3);
  return Array.from({ length: 60 }, (_, i) => {
    const model = ['black-scholes', 'black-76', 'inverse'][i % 3];
    const underlying = 100 * Math.exp(0.1 * normal());
    return {
      kind: i % 2 === 0 ? 'call' : 'put',
      model,
      [model === 'black-scholes' ? 'spot' : 'forward']: underlying,
      strike: underlying * Math.exp(0.4 * normal()),
      expiryYears: 0.02 + 0.3 * Math.abs(normal()),
      vol: 0.1 + 0.3 * Math.abs(normal()),
      rate: 0.02 * Math.abs(normal()),
      dividendYield: model === 'black-scholes' ? 0.01 : 0,
      quantity: Math.round(10 * normal()),
    };
  });
}

// The same book as columns, for one model.
function optionColumns(model) {
  const book = optionBook().map((o) => ({ ...o, model, spot: undefined, forward: undefined, underlying: o.spot ?? o.forward, dividendYield: model === 'black-scholes' ? 0.01 : 0 }));
  const column = (key) => Float64Array.from(book, (o) => o[key]);
  return {
    kind: Uint8Array.from(book, (o) => (o.kind === 'call' ? 0 : 1)),
    model,
    underlying: column('underlying'),
    strike: column('strike'),
    expiryYears: column('expiryYears'),
    vol: column('vol'),
    rate: column('rate'),
    dividendYield: model === 'black-scholes' ? 0.01 : 0,
  };
}

// Columns as the native CLI reads them: typed arrays as JSON arrays.
const columnsJson = (columns) => JSON.stringify(columns, (key, value) => (ArrayBuffer.isView(value) ? Array.from(value) : value));

function runNativeText(method, text) {
  const run = spawnSync(nativeCli, [method, '-'], { input: text, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.error, undefined, `ballast-native did not run: ${run.error?.message}`);
  const envelope = JSON.parse(run.stdout);
  assert.equal(envelope.ok, true, `native refused the request: ${run.stdout.slice(0, 500)}`);
  return envelope.result;
}

describe('WASM and native builds agree to 1e-12', () => {
  for (const [method, name, makeRequest] of cases) {
    test(`${method}: ${name}`, { timeout: 60_000 }, () => {
      const request = makeRequest();
      const wasm = ballast[method](request);
      const native = runNative(method, request);
      assertClose(wasm, native);
    });
  }

  for (const model of ['black-scholes', 'black-76', 'inverse']) {
    test(`greeksColumns and impliedVolColumns: ${model}`, { timeout: 60_000 }, () => {
      const columns = optionColumns(model);
      const wasm = ballast.greeksColumns(columns);
      const native = runNativeText('greeksColumns', columnsJson(columns));
      assertClose(Object.fromEntries(Object.entries(wasm).map(([k, v]) => [k, Array.from(v)])), native);

      const { vol, ...quotes } = columns;
      const keep = Array.from(wasm.price, (p, i) => pinsTheVol(p, wasm.vega[i], vol[i]));
      const subset = (v) => (ArrayBuffer.isView(v) ? v.filter((_, i) => keep[i]) : v);
      const prices = Object.fromEntries(Object.entries(quotes).map(([k, v]) => [k, subset(v)]));
      prices.price = subset(wasm.price.map((p, i) => (i % 7 === 3 ? p * 1e-3 : p)));
      assert.ok(prices.price.length >= 45, `only ${prices.price.length} of 60 options pin their vol`);
      const wasmIv = ballast.impliedVolColumns(prices);
      assert.ok(wasmIv.status.some((code) => code !== 0), 'the book has no-vol statuses too');
      const nativeIv = runNativeText('impliedVolColumns', columnsJson(prices));
      assertClose({ vol: Array.from(wasmIv.vol, (v) => (Number.isNaN(v) ? null : v)), status: Array.from(wasmIv.status) }, nativeIv);
    });
  }

  // The Greeks kernel does its own exp, expm1 and log in SIMD lanes (vector_math.hpp) and calls
  // no libm function, so the two builds compute the same bits, not just numbers within 1e-12:
  // expired and zero-vol options included.
  for (const model of ['black-scholes', 'black-76', 'inverse']) {
    test(`greeksColumns: the same bits natively and in WASM on 3,000 random options (${model})`, { timeout: 60_000 }, () => {
      const uniform = (() => {
        const normal = random(model.length * 7919);
        return () => 0.5 * (1 + Math.tanh(normal()));
      })();
      const n = 3000;
      const columns = {
        model,
        kind: Uint8Array.from({ length: n }, () => (uniform() < 0.5 ? 0 : 1)),
        underlying: new Float64Array(n).fill(100),
        strike: Float64Array.from({ length: n }, () => 100 * Math.exp(8 * (uniform() - 0.5))),
        expiryYears: Float64Array.from({ length: n }, (_, i) => (i % 37 === 0 ? 0 : 1e-5 * Math.exp(Math.log(1e6) * uniform()))),
        vol: Float64Array.from({ length: n }, (_, i) => (i % 41 === 0 ? 0 : 0.01 + 4 * uniform())),
        rate: Float64Array.from({ length: n }, () => 0.2 * (uniform() - 0.4)),
        dividendYield: model === 'black-scholes' ? Float64Array.from({ length: n }, () => 0.1 * (uniform() - 0.5)) : 0,
      };
      const wasm = ballast.greeksColumns(columns);
      const native = runNativeText('greeksColumns', columnsJson(columns));
      for (const [key, values] of Object.entries(wasm)) {
        let differ = 0;
        for (let i = 0; i < n; i++) differ += Object.is(values[i], native[key][i]) ? 0 : 1;
        assert.equal(differ, 0, `${key}: ${differ} of ${n} options differ`);
      }
    });
  }

  test('the version matches', () => {
    const run = spawnSync(nativeCli, ['version'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(JSON.parse(run.stdout).result.version, ballast.version);
  });
});
