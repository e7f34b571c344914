// Smiles, surfaces, books (with scenario grids) and hedges through the package and the CLI.
// References: a synthetic SVI smile (the generating parameters), the real Deribit chain of
// 2020-05-14 (its mark IVs; skipped, saying so, when ../shared/data is absent), finite
// differences of the package's own full-revaluation scenario grid for the book Greeks, and the
// book's Greeks recomputed after adding the hedge.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, test } from 'node:test';
import { BallastError, init } from 'ballast';

const cli = fileURLToPath(new URL('../../bindings/js/cli.js', import.meta.url));
const chainPath = fileURLToPath(new URL('../../../shared/data/deribit_btc_option_chain_2020-05-14.csv', import.meta.url));

const SVI = { a: 0.04, b: 0.2, rho: -0.4, m: 0.05, sigma: 0.15 };
const sviW = (p, k) => p.a + p.b * (p.rho * (k - p.m) + Math.sqrt((k - p.m) ** 2 + p.sigma ** 2));

function syntheticSmile(T = 0.5, F = 100) {
  const strikes = [];
  const vols = [];
  for (let i = 0; i < 15; i++) {
    const k = -0.6 + (1.1 * i) / 14;
    strikes.push(F * Math.exp(k));
    vols.push(Math.sqrt(sviW(SVI, k) / T));
  }
  return { expiryYears: T, forward: F, strikes, vols };
}

const BOOK = {
  underlyings: [{ name: 'BTC', spot: 9348 }, { name: 'ETH', spot: 200 }],
  positions: [
    { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'inverse', forward: 9400, strike: 10000, expiryYears: 0.12, vol: 0.75, quantity: -20 },
    { instrument: 'option', underlying: 'BTC', kind: 'put', model: 'inverse', forward: 9550, strike: 8000, expiryYears: 0.37, vol: 0.85, quantity: 12 },
    { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'black-76', forward: 9450, strike: 9000, expiryYears: 0.2, vol: 0.7, rate: 0.01, quantity: 2 },
    { instrument: 'option', underlying: 'BTC', kind: 'put', model: 'black-scholes', strike: 9500, expiryYears: 0.5, vol: 0.8, rate: 0.02, quantity: -1.5 },
    { instrument: 'future', underlying: 'BTC', forward: 9500, expiryYears: 0.25, quantity: -1 },
    { instrument: 'perp', underlying: 'BTC', quantity: 0.5, entryPrice: 9300 },
    { instrument: 'spot', underlying: 'BTC', quantity: 2 },
    { instrument: 'option', underlying: 'ETH', kind: 'call', model: 'black-76', forward: 202, strike: 220, expiryYears: 0.3, vol: 0.9, quantity: 40 },
  ],
};

const HEDGE_INSTRUMENTS = [
  { instrument: 'perp', underlying: 'BTC', costPerUnit: 0.5 },
  { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'inverse', forward: 9400, strike: 9500, expiryYears: 0.12, vol: 0.74, costPerUnit: 15 },
  { instrument: 'option', underlying: 'BTC', kind: 'put', model: 'inverse', forward: 9550, strike: 9000, expiryYears: 0.62, vol: 0.8, costPerUnit: 15 },
  { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'inverse', forward: 9550, strike: 11000, expiryYears: 0.62, vol: 0.85, costPerUnit: 15 },
];

let b;
before(async () => {
  b = await init();
});

function assertRefused(fn, code, field) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof BallastError, `expected a BallastError, got ${error}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.field, field, error.message);
    return true;
  });
}

describe('smile and surface', () => {
  test('a synthetic SVI smile is recovered exactly', () => {
    const fit = b.smile(syntheticSmile());
    assert.equal(fit.status, 'solved');
    for (const key of Object.keys(SVI)) assert.ok(Math.abs(fit.svi[key] - SVI[key]) < 1e-7, `${key}: ${fit.svi[key]}`);
    assert.ok(fit.fit.maxAbsVolError < 1e-9);
    assert.equal(fit.butterfly.arbitrageFree, true);
  });

  test("Vogt's slice (given) is reported with butterfly arbitrage; queries interpolate in total variance", () => {
    const vogt = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
    const s = b.surface({
      slices: [
        { expiryYears: 0.5, forward: 100, svi: SVI },
        { expiryYears: 1, forward: 102, svi: vogt },
      ],
      queries: [{ strike: 95, expiryYears: 0.75 }, { strike: 95, expiryYears: 0.5 }],
    });
    assert.equal(s.slices[1].status, 'given');
    assert.equal(s.slices[1].butterfly.arbitrageFree, false);
    assert.ok(s.slices[1].butterfly.violations.length >= 1);
    assert.ok(s.slices[1].butterfly.violations[0].worstDensity < 0);
    const F = Math.exp((Math.log(100) + Math.log(102)) / 2);
    const k = Math.log(95 / F);
    const w = 0.5 * (sviW(SVI, k) + sviW(vogt, k));
    assert.ok(Math.abs(s.queries[0].totalVariance - w) < 1e-14);
    assert.ok(Math.abs(s.queries[0].forward - F) < 1e-11);
    assert.ok(Math.abs(s.queries[1].vol - Math.sqrt(sviW(SVI, Math.log(0.95)) / 0.5)) < 1e-14);
    assert.equal(typeof s.calendar.arbitrageFree, 'boolean');
  });

  test('the real Deribit chain: every expiry fits, queries reproduce the slices', { skip: !existsSync(chainPath) && 'SKIPPED: ../shared/data is absent' }, () => {
    const lines = readFileSync(chainPath, 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const col = (name) => header.indexOf(name);
    const rows = lines.slice(1).map((l) => l.split(','));
    const byExpiry = new Map();
    for (const r of rows) {
      const e = byExpiry.get(r[col('expiry_utc')]) ?? { days: [], forwards: [], rows: [] };
      e.days.push(Number(r[col('days_to_expiry')]));
      e.forwards.push(Number(r[col('underlying_price')]));
      e.rows.push(r);
      byExpiry.set(r[col('expiry_utc')], e);
    }
    const median = (v) => {
      const s = [...v].sort((x, y) => x - y);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const slices = [];
    for (const e of byExpiry.values()) {
      const F = median(e.forwards);
      const quotes = e.rows.filter((r) => (r[col('option_type')] === 'call') === (Number(r[col('strike')]) >= F));
      slices.push({
        expiryYears: median(e.days) / 365,
        forward: F,
        strikes: quotes.map((r) => Number(r[col('strike')])),
        vols: quotes.map((r) => Number(r[col('mark_iv')]) / 100),
      });
    }
    assert.equal(slices.length, 7);
    const queries = slices.flatMap((s) => s.strikes.map((strike) => ({ strike, expiryYears: s.expiryYears, forward: s.forward })));
    const surface = b.surface({ slices, queries });
    let q = 0;
    surface.slices.forEach((slice, i) => {
      assert.equal(slice.status, 'solved');
      if (slice.expiryYears > 7 / 365) assert.ok(slice.fit.rmsVolError < 0.01, `expiry ${i}: rms ${slice.fit.rmsVolError}`);
      for (const vol of slice.fit.modelVols) {
        assert.ok(Math.abs(surface.queries[q].vol - vol) <= 1e-14 * vol, `query ${q}`);
        q += 1;
      }
    });
  });

  test('bad input names the field', () => {
    const good = syntheticSmile();
    assertRefused(() => b.smile({ ...good, strikes: good.strikes.map((k, i) => (i === 2 ? -k : k)) }), 'invalid-value', 'strikes[2]');
    assertRefused(() => b.smile({ ...good, vols: good.vols.map((v, i) => (i === 1 ? Number.NaN : v)) }), 'non-finite', 'vols[1]');
    assertRefused(() => b.smile({ ...good, vols: good.vols.slice(1) }), 'invalid-shape', 'vols');
    assertRefused(() => b.smile({ ...good, strikes: [], vols: [] }), 'invalid-shape', 'strikes');
    assertRefused(() => b.smile({ ...good, weighting: 'spread' }), 'missing-field', 'bidVols');
    assertRefused(() => b.smile({ ...good, weighting: 'price' }), 'unknown-value', 'weighting');
    assertRefused(() => b.smile({ ...good, tenor: 1 }), 'unknown-key', 'tenor');
    assertRefused(
      () => b.surface({ slices: [{ expiryYears: 1, forward: 100, svi: SVI }, { expiryYears: 0.5, forward: 100, svi: SVI }] }),
      'invalid-value',
      'slices[1].expiryYears',
    );
    assertRefused(() => b.surface({ slices: [{ expiryYears: 1, forward: 100, svi: { ...SVI, rho: 1.5 } }] }), 'invalid-value', 'slices[0].svi.rho');
    assertRefused(() => b.surface({ slices: [] }), 'invalid-shape', 'slices');
  });
});

describe('book, scenarios and hedge', () => {
  test('book Greeks equal finite differences of the full-revaluation scenario grid', () => {
    const h = 1e-4;
    const r = b.book({ ...BOOK, scenarios: { spotShocks: [-h, 0, h], volShocks: [-h, 0, h] } });
    for (const [u, underlying] of r.underlyings.entries()) {
      const pnl = r.scenarios.byUnderlying[u].pnlUsd;
      assert.equal(pnl[1][1], 0);
      const delta = (pnl[2][1] - pnl[0][1]) / (2 * h) / underlying.spot;
      const gamma = (pnl[2][1] + pnl[0][1]) / (h * underlying.spot) ** 2;
      const vega = (pnl[1][2] - pnl[1][0]) / (2 * h) / 100;
      assert.ok(Math.abs(delta - underlying.deltaCoin) <= 1e-6 * Math.abs(underlying.deltaCoin), `${underlying.name} delta`);
      assert.ok(Math.abs(gamma - underlying.gammaCoin) <= 1e-3 * Math.abs(underlying.gammaCoin), `${underlying.name} gamma`);
      assert.ok(Math.abs(vega - underlying.vegaUsdPerVolPoint) <= 1e-6 * Math.abs(underlying.vegaUsdPerVolPoint), `${underlying.name} vega`);
      assert.equal(underlying.deltaNeutralPerpQuantity, -underlying.deltaCoin);
      assert.ok(Math.abs(underlying.deltaUsd - underlying.deltaCoin * underlying.spot) <= 1e-9 * Math.abs(underlying.deltaUsd));
    }
    const sumUsd = r.scenarios.byUnderlying.reduce((s, u) => s + u.pnlUsd[2][2], 0);
    assert.ok(Math.abs(r.scenarios.pnlUsd[2][2] - sumUsd) < 1e-9);
  });

  test('hedge: delta, gamma and vega neutral at least cost; too few instruments name the Greek left over', () => {
    const r = b.hedge({ ...BOOK, instruments: HEDGE_INSTRUMENTS });
    assert.equal(r.status, 'solved');
    // Every instrument is on BTC: BTC is neutralized, ETH cannot be and keeps the book's figures.
    assert.equal(r.allNeutralized, false);
    for (const row of r.greeks) {
      assert.equal(row.neutralized, row.underlying === 'BTC', `${row.greek} on ${row.underlying}`);
      if (row.underlying === 'ETH') assert.equal(row.residual, row.book);
    }
    assert.match(r.message, /no hedge instrument moves delta on ETH, gamma on ETH, vega on ETH/);
    const hedged = b.book({
      ...BOOK,
      positions: [
        ...BOOK.positions,
        ...HEDGE_INSTRUMENTS.map(({ costPerUnit, ...ins }, j) => ({ ...ins, quantity: r.quantities[j] })),
      ],
    }).underlyings[0];
    const before = b.book(BOOK).underlyings[0];
    for (const key of ['deltaUsd', 'gammaUsdPerPct', 'vegaUsdPerVolPoint']) {
      assert.ok(Math.abs(hedged[key]) <= 1e-7 * Math.abs(before[key]) + 1e-6, `${key}: ${hedged[key]}`);
    }
    const few = b.hedge({ ...BOOK, instruments: HEDGE_INSTRUMENTS.slice(0, 2) });
    assert.equal(few.status, 'solved');
    assert.equal(few.allNeutralized, false);
    const vega = few.greeks.find((g) => g.greek === 'vega' && g.underlying === 'BTC');
    assert.equal(vega.neutralized, false);
    assert.match(few.message, /vega on BTC/);
    const perp = b.hedge({ ...BOOK, instruments: [HEDGE_INSTRUMENTS[0]], neutralize: ['delta'] });
    assert.ok(Math.abs(perp.quantities[0] - before.deltaNeutralPerpQuantity) <= 1e-9 * Math.abs(perp.quantities[0]));
    const capped = b.hedge({ ...BOOK, instruments: HEDGE_INSTRUMENTS.map((ins) => ({ ...ins, maxQuantity: 0.01 })) });
    assert.equal(capped.status, 'infeasible');
    assert.equal(capped.fallback, 'closest-within-limits');
    assert.ok(capped.quantities.every((x) => Math.abs(x) <= 0.01 + 1e-12));
  });

  // Reference: Deribit's inverse futures P&L, size_usd (1/entry - 1/mark) coins, worked by hand
  // (10,000 USD bought at 8,000, marked at 9,000: 5/36 BTC); funding a day q S f / 365.
  test('inverse futures and perps, and funding, through the package', () => {
    const f = 0.0001 * 1095;  // 0.01% every 8 hours
    const r = b.book({
      underlyings: [{ name: 'BTC', spot: 8900 }],
      positions: [
        { instrument: 'future', settlement: 'inverse', forward: 9000, entryPrice: 8000, quantity: 10000 },
        { instrument: 'perp', settlement: 'inverse', quantity: -20000, fundingRatePerYear: f },
        { instrument: 'perp', quantity: 1.5, fundingRatePerYear: f },
      ],
      scenarios: { horizonYears: 7 / 365 },
    });
    const [future, coinPerp, perp] = r.positions;
    assert.ok(Math.abs(future.valueCoin - 5 / 36) <= 1e-15);
    assert.ok(Math.abs(future.deltaCoin - 10000 / 8000) <= 1e-15);
    assert.ok(Math.abs(future.netTransactionDeltaCoin - 10000 / 9000) <= 1e-14);
    assert.equal(future.gammaCoin, 0);
    assert.ok(Math.abs(coinPerp.deltaCoin + 20000 / 8900) <= 1e-15);
    assert.ok(Math.abs(coinPerp.thetaUsdPerDay - 20000 * f / 365) <= 1e-12);  // the short receives
    assert.ok(Math.abs(perp.thetaUsdPerDay + 1.5 * 8900 * f / 365) <= 1e-12);
    const weekOfFunding = 7 * (coinPerp.thetaUsdPerDay + perp.thetaUsdPerDay);
    assert.ok(Math.abs(r.scenarios.pnlUsd[0][0] - weekOfFunding) <= 1e-12);
    const one = (p) => ({ underlyings: [{ name: 'BTC', spot: 8900 }], positions: [p] });
    assertRefused(() => b.book(one({ instrument: 'future', forward: 9000, quantity: 1, fundingRatePerYear: 0.1 })), 'unknown-key', 'positions[0].fundingRatePerYear');
    assertRefused(() => b.book(one({ instrument: 'perp', quantity: 1, settlement: 'quanto' })), 'unknown-value', 'positions[0].settlement');
    assertRefused(() => b.book(one({ instrument: 'perp', quantity: 1, fundingRatePerYear: 1095 })), 'invalid-value', 'positions[0].fundingRatePerYear');
    assertRefused(() => b.book(one({ instrument: 'spot', quantity: 1, settlement: 'inverse' })), 'unknown-key', 'positions[0].settlement');
  });

  test('bad input names the field', () => {
    const withPosition = (p) => ({ underlyings: BOOK.underlyings, positions: [p] });
    const option = BOOK.positions[0];
    assertRefused(() => b.book(withPosition({ ...option, instrument: 'swap' })), 'unknown-value', 'positions[0].instrument');
    assertRefused(() => b.book(withPosition({ ...option, model: 'heston' })), 'unknown-value', 'positions[0].model');
    assertRefused(() => b.book(withPosition({ ...option, kind: 'straddle' })), 'unknown-value', 'positions[0].kind');
    assertRefused(() => b.book(withPosition({ ...option, model: 'black-76', spot: 9348 })), 'invalid-value', 'positions[0].spot');
    assertRefused(() => b.book(withPosition({ ...option, strike: -1 })), 'invalid-value', 'positions[0].strike');
    assertRefused(() => b.book(withPosition({ ...option, vol: -0.2 })), 'invalid-value', 'positions[0].vol');
    assertRefused(() => b.book(withPosition({ ...option, vol: Number.NaN })), 'non-finite', 'positions[0].vol');
    assertRefused(() => b.book(withPosition({ ...option, underlying: 'SOL' })), 'unknown-value', 'positions[0].underlying');
    assertRefused(() => b.book(withPosition({ instrument: 'perp', quantity: 1 })), 'missing-field', 'positions[0].underlying');
    assertRefused(() => b.book({ ...BOOK, scenarios: { spotShocks: [-1] } }), 'invalid-value', 'scenarios.spotShocks[0]');
    assertRefused(() => b.book({ ...BOOK, underlyings: [{ name: 'BTC', spot: -1 }, BOOK.underlyings[1]] }), 'invalid-value', 'underlyings[0].spot');
    assertRefused(() => b.hedge({ ...BOOK, instruments: [] }), 'invalid-shape', 'instruments');
    assertRefused(() => b.hedge({ ...BOOK, instruments: [{ ...HEDGE_INSTRUMENTS[0], quantity: 1 }] }), 'unknown-key', 'instruments[0].quantity');
    assertRefused(() => b.hedge({ ...BOOK, instruments: HEDGE_INSTRUMENTS, neutralize: ['rho'] }), 'unknown-value', 'neutralize[0]');
    // A bad call leaves the engine usable.
    assert.equal(b.book(BOOK).underlyings.length, 2);
  });
});

describe('CLI', () => {
  test('smile, surface, book and hedge subcommands; a refused request exits 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-surface-'));
    try {
      const requests = {
        smile: syntheticSmile(),
        surface: { slices: [syntheticSmile(0.25), syntheticSmile(0.5)] },
        book: BOOK,
        hedge: { ...BOOK, instruments: HEDGE_INSTRUMENTS },
      };
      for (const [method, request] of Object.entries(requests)) {
        const file = join(dir, `${method}.json`);
        writeFileSync(file, JSON.stringify(request));
        const run = spawnSync(process.execPath, [cli, method, file], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(run.status, 0, run.stderr);
        // Through JSON text, as the CLI prints it (-0 becomes 0).
        const expected = JSON.parse(JSON.stringify(b[method](request)));
        assert.deepEqual(JSON.parse(run.stdout), expected);
      }
      const bad = spawnSync(process.execPath, [cli, 'smile', '-'], { input: JSON.stringify({ ...syntheticSmile(), vols: [] }), encoding: 'utf8', timeout: 60_000 });
      assert.equal(bad.status, 2);
      assert.equal(JSON.parse(bad.stdout).error.field, 'vols');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
