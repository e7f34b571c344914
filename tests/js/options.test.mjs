// Option prices, Greeks and implied vols through the package: the object API (greeks,
// impliedVol), the columnar fast path (greeksColumns, impliedVolColumns) and the CLI.
// References: Hull, "Options, Futures, and Other Derivatives" (Example 15.6, 8th ed.:
// S=42, K=40, r=0.1, sigma=0.2, T=0.5 -> call 4.76, put 0.81) recomputed here in plain JS
// with an independent normal CDF; put-call parity; implied vol round trips; the object path
// itself for the columnar path (same engine function, so equal to 1e-15).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { BallastError, init } from 'ballast';

const cli = fileURLToPath(new URL('../../bindings/js/cli.js', import.meta.url));

// Φ(x) = 1/2 + φ(x) Σ x^(2n+1) / (1·3·5···(2n+1)) (Marsaglia 2004): all terms of one sign, so
// no cancellation; accurate to a few ulps for |x| < 6, which is all these tests need.
function normCdf(x) {
  if (x < 0) return 1 - normCdf(-x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 500 && term > 1e-300; n++) {
    term *= (x * x) / (2 * n + 1);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return 0.5 + (sum * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
}
const normPdf = (x) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

function bsmReference({ S, K, r, q = 0, sigma, T }) {
  const s = sigma * Math.sqrt(T);
  const F = S * Math.exp((r - q) * T);
  const d1 = Math.log(F / K) / s + s / 2;
  const d2 = d1 - s;
  const D = Math.exp(-r * T);
  const Dq = Math.exp(-q * T);
  return {
    call: S * Dq * normCdf(d1) - K * D * normCdf(d2),
    put: K * D * normCdf(-d2) - S * Dq * normCdf(-d1),
    callDelta: Dq * normCdf(d1),
    gamma: (Dq * normPdf(d1)) / (S * s),
    vega: S * Dq * normPdf(d1) * Math.sqrt(T),
  };
}

function assertClose(actual, expected, tolerance, what) {
  const scale = Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tolerance * scale, `${what}: ${actual} vs ${expected} (tolerance ${tolerance})`);
}

// Deterministic uniform numbers in [0, 1) (mulberry32).
function uniform(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A random book of n options under one model, as columns.
function randomBook(n, model, seed) {
  const u = uniform(seed);
  const col = (f) => Float64Array.from({ length: n }, f);
  const kind = Uint8Array.from({ length: n }, () => (u() < 0.5 ? 0 : 1));
  const underlying = col(() => 50 + 150 * u());
  const strike = col((_, i) => underlying[i] * Math.exp(0.6 * (u() - 0.5)));
  return {
    kind,
    model,
    underlying,
    strike,
    expiryYears: col(() => 0.01 + 2 * u()),
    vol: col(() => 0.05 + 1.2 * u()),
    rate: col(() => 0.08 * u()),
    dividendYield: model === 'black-scholes' ? col(() => 0.04 * u()) : 0,
  };
}

// The same book as object-API options (one per row).
function asOptions(book, extra = () => ({})) {
  const underlyingKey = book.model === 'black-scholes' ? 'spot' : 'forward';
  const at = (v, i) => (typeof v === 'number' ? v : v[i]);
  return Array.from(book.kind, (k, i) => ({
    kind: k === 0 ? 'call' : 'put',
    model: book.model,
    [underlyingKey]: book.underlying[i],
    strike: book.strike[i],
    expiryYears: book.expiryYears[i],
    rate: at(book.rate, i),
    dividendYield: at(book.dividendYield, i),
    ...extra(i),
  }));
}

const HULL = { kind: 'call', model: 'black-scholes', spot: 42, strike: 40, expiryYears: 0.5, vol: 0.2, rate: 0.1 };
const COLUMN_KEYS = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'vanna', 'volga', 'charm'];

let b;
before(async () => {
  b = await init();
});

describe('greeks', () => {
  test('Hull Example 15.6: call 4.76, put 0.81, exact to 1e-12 against an independent formula', () => {
    const ref = bsmReference({ S: 42, K: 40, r: 0.1, sigma: 0.2, T: 0.5 });
    const { options } = b.greeks({ options: [HULL, { ...HULL, kind: 'put' }] });
    assert.equal(options[0].price.toFixed(2), '4.76');
    assert.equal(options[1].price.toFixed(2), '0.81');
    assertClose(options[0].price, ref.call, 1e-12, 'call');
    assertClose(options[1].price, ref.put, 1e-12, 'put');
    assertClose(options[0].delta, ref.callDelta, 1e-12, 'call delta');
    assertClose(options[0].gamma, ref.gamma, 1e-12, 'gamma');
    assertClose(options[0].vega, ref.vega, 1e-12, 'vega');
    assertClose(options[0].vegaPerVolPoint, ref.vega / 100, 1e-12, 'vega per vol point');
    assertClose(options[0].thetaPerDay, options[0].theta / 365, 1e-15, 'theta per day');
    assert.equal(options[0].netTransactionDelta, undefined, 'netTransactionDelta is for inverse options only');
  });

  test('put-call parity in every model', () => {
    const T = 0.75, r = 0.03, K = 95;
    const cases = [
      [{ model: 'black-scholes', spot: 100, dividendYield: 0.02 }, 100 * Math.exp(-0.02 * T) - K * Math.exp(-r * T)],
      [{ model: 'black-76', forward: 100 }, Math.exp(-r * T) * (100 - K)],
      [{ model: 'inverse', forward: 100 }, (Math.exp(-r * T) * (100 - K)) / 100],
    ];
    for (const [terms, parity] of cases) {
      const option = { strike: K, expiryYears: T, vol: 0.6, rate: r, ...terms };
      const { options } = b.greeks({ options: [{ ...option, kind: 'call' }, { ...option, kind: 'put' }] });
      assertClose(options[0].price - options[1].price, parity, 1e-13, `${terms.model} C - P`);
      // Deltas differ by the delta of the forward position.
      const forwardDelta = terms.model === 'black-scholes' ? Math.exp(-0.02 * T) : Math.exp(-r * T);
      assertClose(options[0].delta - options[1].delta, forwardDelta, 1e-13, `${terms.model} delta C - P`);
    }
  });

  test('totals are quantity-weighted sums; inverse options carry netTransactionDelta', () => {
    const inverse = { kind: 'put', model: 'inverse', forward: 60000, strike: 55000, expiryYears: 0.1, vol: 0.55, quantity: -3 };
    const book = [{ ...HULL, quantity: 2 }, { ...HULL, kind: 'put' }];
    const { options, totals } = b.greeks({ options: book });
    for (const key of Object.keys(totals)) {
      assertClose(totals[key], 2 * options[0][key] + options[1][key], 1e-14, `totals.${key}`);
    }
    const inv = b.greeks({ options: [inverse] }).options[0];
    assertClose(inv.netTransactionDelta, inv.delta - inv.price, 1e-15, 'netTransactionDelta');
    assert.ok(inv.price > 0 && inv.price < 1, 'an inverse premium is in coin');
  });
});

describe('implied vol', () => {
  test('round trip through the object API, one option and several', () => {
    const { kind, model, spot, strike, expiryYears, rate } = HULL;
    const price = b.greeks({ options: [HULL] }).options[0].price;
    const one = b.impliedVol({ kind, model, spot, strike, expiryYears, rate, price });
    assert.equal(one.status, 'ok');
    assertClose(one.vol, 0.2, 1e-13, 'vol');
    assert.ok(Number.isInteger(one.iterations));
    const many = b.impliedVol({ options: [{ kind, model, spot, strike, expiryYears, rate, price }, { kind, model, spot, strike, expiryYears, rate, price: 0.5 }] });
    assert.equal(many.results.length, 2);
    assert.deepEqual(many.results[0], one);
    assert.equal(many.results[1].status, 'below-intrinsic');
    assert.equal(many.results[1].vol, null);
  });

  test('round trip through the columnar API, every model', () => {
    for (const model of ['black-scholes', 'black-76', 'inverse']) {
      const book = randomBook(2000, model, 11);
      const { price } = b.greeksColumns(book);
      const { vol: _vol, ...rest } = book;
      const iv = b.impliedVolColumns({ ...rest, price });
      const { vega } = b.greeksColumns(book);
      const repriced = b.greeksColumns({ ...book, vol: iv.vol.map((v, i) => (iv.status[i] === 0 ? v : book.vol[i])) }).price;
      for (let i = 0; i < price.length; i++) {
        if (iv.status[i] !== 0) continue;
        // The implied vol reproduces the price; where the price pins the vol (vega not tiny
        // against the price: not deep in the money at short expiry), it is the vol priced with.
        assertClose(repriced[i], price[i], 1e-13, `${model} repriced[${i}]`);
        if (vega[i] * book.vol[i] > 1e-4 * price[i]) assertClose(iv.vol[i], book.vol[i], 1e-9, `${model} vol[${i}]`);
      }
      const solved = iv.status.filter((s) => s === 0).length;
      assert.ok(solved > 0.95 * price.length, `${model}: only ${solved} solved`);
      assert.deepEqual(b.impliedVolStatuses, ['ok', 'at-intrinsic', 'below-intrinsic', 'above-maximum']);
    }
  });

  test('columnar statuses and NaN vols match the object API', () => {
    const book = { kind: new Uint8Array([0, 0, 1]), model: 'black-76', underlying: new Float64Array([100, 100, 100]), strike: new Float64Array([90, 90, 110]), expiryYears: new Float64Array([1, 1, 1]), price: new Float64Array([5, 200, 12]) };
    const iv = b.impliedVolColumns(book);
    const objects = b.impliedVol({ options: asOptions({ ...book, rate: 0, dividendYield: 0 }, (i) => ({ price: book.price[i] })) }).results;
    for (let i = 0; i < 3; i++) {
      assert.equal(b.impliedVolStatuses[iv.status[i]], objects[i].status);
      assert.equal(Number.isNaN(iv.vol[i]) ? null : iv.vol[i], objects[i].vol);
    }
    assert.equal(objects[0].status, 'below-intrinsic');
    assert.equal(objects[1].status, 'above-maximum');
  });
});

describe('the columnar path', () => {
  test('equals the object path to 1e-15 on a random book of 10,000 options', () => {
    for (const [model, seed] of [['black-scholes', 1], ['black-76', 2], ['inverse', 3]]) {
      const book = randomBook(10_000, model, seed);
      const columns = b.greeksColumns(book);
      const { options } = b.greeks({ options: asOptions(book, (i) => ({ vol: book.vol[i] })) });
      for (const key of COLUMN_KEYS) {
        assert.ok(columns[key] instanceof Float64Array && columns[key].length === 10_000);
        for (let i = 0; i < options.length; i++) assertClose(columns[key][i], options[i][key], 1e-15, `${model} ${key}[${i}]`);
      }
    }
  });

  test('a book of 1,000,000 options completes and leaves the heap where it was', { timeout: 300_000 }, () => {
    const n = 1_000_000;
    const book = randomBook(n, 'black-scholes', 5);
    b.greeksColumns(randomBook(10, 'black-scholes', 6));  // warm-up
    const before = b.heapBytesInUse();
    const g = b.greeksColumns(book);
    assert.equal(g.price.length, n);
    assert.ok(g.price.every(Number.isFinite));
    const { vol: _vol, ...rest } = book;
    const iv = b.impliedVolColumns({ ...rest, price: g.price });
    assert.equal(iv.vol.length, n);
    // No per-option allocation is kept: the heap is back within a small constant.
    assert.ok(Math.abs(b.heapBytesInUse() - before) < 64 * 1024, `heap moved by ${b.heapBytesInUse() - before} bytes`);
  });
});

describe("the columnar path into the caller's arrays", () => {
  const greeksOut = (n) => Object.fromEntries(COLUMN_KEYS.map((k) => [k, new Float64Array(n).fill(-7)]));

  test('writes the same numbers in place, returns those arrays, and keeps the heap where it was', () => {
    for (const [model, seed] of [['black-scholes', 11], ['black-76', 12], ['inverse', 13]]) {
      const book = randomBook(10_000, model, seed);  // longer than one 4,096-option chunk
      const fresh = b.greeksColumns(book);
      const out = greeksOut(10_000);
      const heap = b.heapBytesInUse();
      const result = b.greeksColumns(book, out);
      assert.equal(b.heapBytesInUse(), heap);
      for (const key of COLUMN_KEYS) {
        assert.equal(result[key], out[key], `${model}: ${key} is the caller's array`);
        assert.deepEqual(out[key], fresh[key], `${model} ${key}`);
      }
      const { vol: _vol, ...rest } = book;
      const ivOut = { vol: new Float64Array(10_000), status: new Uint8Array(10_000).fill(9) };
      const ivFresh = b.impliedVolColumns({ ...rest, price: fresh.price });
      const iv = b.impliedVolColumns({ ...rest, price: fresh.price }, ivOut);
      assert.equal(iv.vol, ivOut.vol);
      assert.equal(iv.status, ivOut.status);
      assert.deepEqual(ivOut.vol, ivFresh.vol);
      assert.deepEqual(ivOut.status, ivFresh.status);
    }
  });

  test('refuses outputs of the wrong shape or type, unknown keys, and memory shared with an input or another output', () => {
    const book = randomBook(8, 'black-scholes', 14);
    const cases = [
      ['not an object', 5, 'invalid-type', 'out'],
      ['a missing array', (() => { const o = greeksOut(8); delete o.charm; return o; })(), 'missing-field', 'out.charm'],
      ['a short array', { ...greeksOut(8), gamma: new Float64Array(7) }, 'invalid-shape', 'out.gamma'],
      ['a Float32Array', { ...greeksOut(8), vega: new Float32Array(8) }, 'invalid-type', 'out.vega'],
      ['an unknown key', { ...greeksOut(8), speed: new Float64Array(8) }, 'unknown-key', 'out.speed'],
      ['an input column as output', { ...greeksOut(8), theta: book.strike }, 'invalid-value', 'out.theta'],
      ['two outputs in one buffer', (() => { const o = greeksOut(8); const buf = new Float64Array(16); o.rho = buf.subarray(0, 8); o.vanna = buf.subarray(4, 12); return o; })(), 'invalid-value', 'out.vanna'],
    ];
    for (const [name, out, code, field] of cases) {
      assert.throws(() => b.greeksColumns(book, out), (error) => {
        assert.ok(error instanceof BallastError, `${name}: ${error}`);
        assert.deepEqual({ code: error.code, field: error.field }, { code, field }, `${name}: ${error.message}`);
        return true;
      });
    }
    const { vol: _vol, ...rest } = book;
    const price = new Float64Array(8).fill(5);
    assert.throws(() => b.impliedVolColumns({ ...rest, price }, { vol: new Float64Array(8), status: new Float64Array(8) }), { code: 'invalid-type', field: 'out.status' });
    assert.throws(() => b.impliedVolColumns({ ...rest, price }, { vol: price, status: new Uint8Array(8) }), { code: 'invalid-value', field: 'out.vol' });
  });

  test('the wings of the accepted domain give finite numbers, never NaN', () => {
    // Every corner: strikes 1e-40..1e40 times the underlying, expiries 1e-10..100 years, vols
    // 1e-6..100, rates +-1, calls and puts, every model.
    const rows = [];
    for (const m of [1e-40, 1e-3, 0.5, 1, 2, 1e3, 1e40])
      for (const T of [0, 1e-10, 1 / 525600, 1, 100])
        for (const vol of [0, 1e-6, 0.3, 5, 100])
          for (const rate of [-1, 0, 1])
            for (const kind of [0, 1]) rows.push({ m, T, vol, rate, kind });
    for (const model of ['black-scholes', 'black-76', 'inverse']) {
      const n = rows.length;
      const book = {
        model,
        kind: Uint8Array.from(rows, (r) => r.kind),
        underlying: new Float64Array(n).fill(100),
        strike: Float64Array.from(rows, (r) => 100 * r.m),
        expiryYears: Float64Array.from(rows, (r) => r.T),
        vol: Float64Array.from(rows, (r) => r.vol),
        rate: Float64Array.from(rows, (r) => r.rate),
      };
      const g = b.greeksColumns(book, greeksOut(n));
      for (const key of COLUMN_KEYS) assert.ok(g[key].every(Number.isFinite), `${model} ${key}: ${g[key].findIndex((v) => !Number.isFinite(v))}`);
      assert.ok(g.price.every((p) => p >= 0), `${model}: a negative price`);
    }
  });
});

describe('bad input', () => {
  const option = { kind: 'call', model: 'black-scholes', spot: 100, strike: 100, expiryYears: 1, vol: 0.5 };
  const book = (changes) => ({ options: [option, option, option, { ...option, ...changes }] });
  // [name, method, request, code, field]
  const objectCases = [
    ['unknown key', 'greeks', book({ volatility: 0.2 }), 'unknown-key', 'options[3].volatility'],
    ['unknown top-level key', 'greeks', { options: [option], book: 1 }, 'unknown-key', 'book'],
    ['unknown model', 'greeks', book({ model: 'heston' }), 'unknown-value', 'options[3].model'],
    ['unknown kind', 'greeks', book({ kind: 'straddle' }), 'unknown-value', 'options[3].kind'],
    ['a spot given to Black-76', 'greeks', book({ model: 'black-76', forward: 100 }), 'invalid-value', 'options[3].spot'],
    ['a forward given to Black-Scholes', 'greeks', book({ forward: 100 }), 'invalid-value', 'options[3].forward'],
    ['no forward for inverse', 'greeks', book({ model: 'inverse', spot: undefined }), 'missing-field', 'options[3].forward'],
    ['negative strike', 'greeks', book({ strike: -1 }), 'invalid-value', 'options[3].strike'],
    ['negative vol', 'greeks', book({ vol: -0.2 }), 'invalid-value', 'options[3].vol'],
    ['negative expiry', 'greeks', book({ expiryYears: -1 }), 'invalid-value', 'options[3].expiryYears'],
    ['a dividend yield on Black-76', 'greeks', book({ model: 'black-76', spot: undefined, forward: 100, dividendYield: 0.01 }), 'invalid-value', 'options[3].dividendYield'],
    ['NaN strike', 'greeks', book({ strike: Number.NaN }), 'non-finite', 'options[3].strike'],
    ['Infinity quantity', 'greeks', book({ quantity: Number.POSITIVE_INFINITY }), 'non-finite', 'options[3].quantity'],
    ['a string vol', 'greeks', book({ vol: '0.2' }), 'invalid-type', 'options[3].vol'],
    ['no vol', 'greeks', book({ vol: undefined }), 'missing-field', 'options[3].vol'],
    ['options not an array', 'greeks', { options: option }, 'invalid-type', 'options'],
    ['vol given to impliedVol', 'impliedVol', { options: [{ ...option, price: 10 }] }, 'unknown-key', 'options[0].vol'],
    ['no price for impliedVol', 'impliedVol', { options: [{ ...option, vol: undefined }] }, 'missing-field', 'options[0].price'],
    ['NaN price for impliedVol', 'impliedVol', { options: [{ ...option, vol: undefined, price: Number.NaN }] }, 'non-finite', 'options[0].price'],
  ];
  for (const [name, method, request, code, field] of objectCases) {
    test(`package: ${name}`, () => {
      assert.throws(() => b[method](request), (error) => {
        assert.ok(error instanceof BallastError, String(error));
        assert.deepEqual({ code: error.code, field: error.field }, { code, field }, error.message);
        return true;
      });
    });
  }

  test('package: the single-option impliedVol names fields from the option', () => {
    const one = { kind: 'put', model: 'black-76', forward: 100, strike: -5, expiryYears: 1, price: 3 };
    assert.throws(() => b.impliedVol(one), { name: 'BallastError', code: 'invalid-value', field: 'strike' });
    assert.throws(() => b.impliedVol({ ...one, strike: 5, price: Number.NaN }), { code: 'non-finite', field: 'price' });
    assert.throws(() => b.impliedVol({ ...one, strike: 5, model: 'sabr' }), { code: 'unknown-value', field: 'model' });
  });

  const columns = () => ({
    kind: new Uint8Array([0, 1, 0, 1]),
    model: 'black-scholes',
    underlying: new Float64Array([100, 100, 100, 100]),
    strike: new Float64Array([90, 100, 110, 120]),
    expiryYears: new Float64Array([1, 1, 1, 1]),
    vol: new Float64Array([0.5, 0.5, 0.5, 0.5]),
  });
  const withAt = (key, i, value) => (c) => ({ ...c, [key]: Float64Array.from(c[key], (x, k) => (k === i ? value : x)) });
  const columnCases = [
    ['a negative strike', withAt('strike', 2, -1), 'invalid-value', 'strike[2]'],
    ['a NaN vol', withAt('vol', 3, Number.NaN), 'non-finite', 'vol[3]'],
    ['a negative vol', withAt('vol', 1, -0.1), 'invalid-value', 'vol[1]'],
    ['a zero underlying', withAt('underlying', 0, 0), 'invalid-value', 'underlying[0]'],
    ['an Infinity expiry', withAt('expiryYears', 1, Number.POSITIVE_INFINITY), 'non-finite', 'expiryYears[1]'],
    ['a kind of 2', (c) => ({ ...c, kind: new Float64Array([0, 1, 2, 0]) }), 'invalid-value', 'kind[2]'],
    ['a rate column with NaN', (c) => ({ ...c, rate: new Float64Array([0, 0, 0, Number.NaN]) }), 'non-finite', 'rate[3]'],
    ['a broadcast rate out of range', (c) => ({ ...c, rate: 5 }), 'invalid-value', 'rate'],
    ['a dividend yield on Black-76', (c) => ({ ...c, model: 'black-76', dividendYield: 0.02 }), 'invalid-value', 'dividendYield'],
    ['a short strike column', (c) => ({ ...c, strike: new Float64Array([90, 100, 110]) }), 'invalid-shape', 'strike'],
    ['a long rate column', (c) => ({ ...c, rate: new Float64Array(5) }), 'invalid-shape', 'rate'],
    ['a plain array', (c) => ({ ...c, vol: [0.5, 0.5, 0.5, 0.5] }), 'invalid-type', 'vol'],
    ['no strike', (c) => ({ ...c, strike: undefined }), 'missing-field', 'strike'],
    ['an unknown model', (c) => ({ ...c, model: 'bachelier' }), 'unknown-value', 'model'],
    ['an unknown key', (c) => ({ ...c, spot: new Float64Array(4) }), 'unknown-key', 'spot'],
  ];
  for (const [name, change, code, field] of columnCases) {
    test(`columns: ${name}`, () => {
      assert.throws(() => b.greeksColumns(change(columns())), (error) => {
        assert.ok(error instanceof BallastError, String(error));
        assert.deepEqual({ code: error.code, field: error.field }, { code, field }, error.message);
        return true;
      });
    });
  }

  test('columns: impliedVolColumns names a bad price and refuses a vol column', () => {
    const { vol, ...c } = columns();
    assert.throws(() => b.impliedVolColumns({ ...c, price: new Float64Array([1, 2, Number.NaN, 4]) }), { code: 'non-finite', field: 'price[2]' });
    assert.throws(() => b.impliedVolColumns({ ...c, price: new Float64Array(4), vol }), { code: 'unknown-key', field: 'vol' });
    assert.throws(() => b.impliedVolColumns({ ...c, price: new Float64Array(3) }), { code: 'invalid-shape', field: 'price' });
  });

  test('the engine still answers after refusals, with an unchanged heap', () => {
    const heap = b.heapBytesInUse();
    for (const [, change] of columnCases) assert.throws(() => b.greeksColumns(change(columns())), BallastError);
    assert.equal(b.heapBytesInUse(), heap);
    assert.equal(b.greeksColumns(columns()).price.length, 4);
  });

  // The CLI: same codes and fields, exit 2 (JSON allows NaN tokens, as Python writes them).
  function runCli(args, input) {
    const run = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.error, undefined, `the CLI did not finish: ${run.error?.message}`);
    return run;
  }
  const toCliJson = (request) =>
    JSON.stringify(request, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `@@${v}@@` : v)).replace(/"@@(NaN|Infinity|-Infinity)@@"/g, '$1');

  test('CLI: greeks and implied-vol print results and exit 0', { timeout: 60_000 }, () => {
    const g = runCli(['greeks', '-'], JSON.stringify({ options: [HULL] }));
    assert.equal(g.status, 0, g.stderr);
    assert.equal(JSON.parse(g.stdout).options[0].price, b.greeks({ options: [HULL] }).options[0].price);
    const { vol, ...quote } = HULL;
    const iv = runCli(['implied-vol', '-'], JSON.stringify({ ...quote, price: 4.76 }));
    assert.equal(iv.status, 0, iv.stderr);
    assert.equal(JSON.parse(iv.stdout).status, 'ok');
  });

  for (const [name, method, request, code, field] of objectCases) {
    test(`CLI: ${name}`, { timeout: 30_000 }, () => {
      const run = runCli([method === 'impliedVol' ? 'implied-vol' : 'greeks', '-'], toCliJson(request));
      assert.equal(run.status, 2, `exit ${run.status}: ${run.stdout}${run.stderr}`);
      const { error } = JSON.parse(run.stdout);
      assert.deepEqual({ code: error.code, field: error.field }, { code, field }, error.message);
    });
  }
});
