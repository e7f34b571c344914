// The built-in demo data set (bindings/js/demo.js, docs/demo-data.md).
// References: the calibrated parameters in bindings/js/demo-params.json, re-derived here
// from ../shared/data when it is present; asymptotic standard errors for every
// statistical check (tolerances follow from the sample size, none is hand-picked);
// published xoshiro128** output for the PRNG.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { demoRequest, demoParams, xoshiro128ss, DEMO_NOTE } from '../../bindings/js/demo.js';
import { calibrate, replaceParamsBlock } from '../../scripts/calibrate-demo.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sharedCsv = resolve(repoRoot, '..', 'shared', 'data', 'crypto_daily_close.csv');

// Family-wise z for the ~90 vol and correlation checks: two-sided p = 6.3e-5 each, so a
// correct model fails somewhere with probability below 1% for a random seed.
const Z = 4;
// Long run for the statistical checks: the sampling error shrinks as 1/sqrt(LONG_DAYS).
const LONG_DAYS = 20000;

function logReturns(prices, i) {
  const r = new Array(prices.length - 1);
  for (let t = 1; t < prices.length; t++) r[t - 1] = Math.log(prices[t][i] / prices[t - 1][i]);
  return r;
}

function moments(r) {
  const n = r.length;
  let m = 0;
  for (const x of r) m += x;
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (const x of r) {
    const d = x - m;
    m2 += d * d;
    m4 += d * d * d * d;
  }
  return { mean: m, sd: Math.sqrt(m2 / (n - 1)), kurtosisExcess: (m4 / n) / ((m2 / n) ** 2) - 3 };
}

function correlation(a, b) {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let t = 0; t < a.length; t++) {
    sab += (a[t] - ma) * (b[t] - mb);
    saa += (a[t] - ma) ** 2;
    sbb += (b[t] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const phiOf = (a) => (a.process === 'mean-reverting' ? a.phi : 1);
// Sum over lags k >= 1 of rho_i(k) rho_j(k) for the returns of two AR(1) levels: an AR(1)
// return has autocorrelation rho(k) = -(1 - phi)/2 * phi^(k-1); a random walk has none.
function lagProductSum(phiI, phiJ) {
  if (phiI === 1 || phiJ === 1) return 0;
  return ((1 - phiI) * (1 - phiJ)) / 4 / (1 - phiI * phiJ);
}

test('demoRequest is deterministic for a seed and changes with it', () => {
  assert.deepEqual(demoRequest(), demoRequest());
  assert.deepEqual(demoRequest(), demoRequest({ days: 730, seed: 20240101 }));
  assert.deepEqual(demoRequest({ seed: 7, days: 50 }), demoRequest({ seed: 7, days: 50 }));
  assert.notDeepEqual(demoRequest({ seed: 7, days: 50 }).prices, demoRequest({ seed: 8, days: 50 }).prices);
  // A shorter run is a prefix of a longer one with the same seed.
  assert.deepEqual(demoRequest({ seed: 7, days: 50 }).prices, demoRequest({ seed: 7, days: 100 }).prices.slice(0, 51));
});

test('demoRequest matches recorded values within a tolerance (Math.log/exp/cos may differ across engines in the last bits)', () => {
  // Last row of the default request, recorded with Node 20 / V8. Change deliberately when
  // the model or its parameters change (and say why in the commit).
  const lastRow = [
    329415.63855262287, 9010.871497895107, 2932.377384422248, 2179.2626522119235,
    2.0583352687669874, 67.89846429926817, 10.707248283702588, 1.424552719233131,
    67.76541698635262, 95.8858847405514, 2999.9508609164094, 1.0002739703452812,
    0.9994253917980483,
  ];
  const got = demoRequest().prices.at(-1);
  assert.equal(got.length, lastRow.length);
  got.forEach((p, i) => assert.ok(Math.abs(p / lastRow[i] - 1) < 1e-9, `${i}: ${p} vs ${lastRow[i]}`));
});

test('xoshiro128** reproduces the reference implementation', () => {
  // State and outputs from the test data of edorfaus/xoshiro-6502 (test-rom/testdata.asm),
  // generated with Blackman and Vigna's C reference code.
  const next = xoshiro128ss([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
  assert.deepEqual([next(), next(), next(), next()], [0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
});

test('the demo request has the documented shape and label', () => {
  const d = demoRequest({ days: 30 });
  const n = demoParams.assets.length;
  assert.deepEqual(d.assets, demoParams.assets.map((a) => a.symbol));
  assert.equal(d.prices.length, 31);
  for (const row of d.prices) {
    assert.equal(row.length, n);
    for (const p of row) assert.ok(Number.isFinite(p) && p > 0);
  }
  assert.deepEqual(d.prices[0].slice(0, 2), [demoParams.assets[0].startPrice, demoParams.assets[1].startPrice]);
  assert.equal(d.periodsPerYear, 365);
  assert.equal(d.simulated, true);
  assert.equal(d.note, DEMO_NOTE);
  assert.match(d.note, /^Simulated .* not market data\.$/);
  assert.equal(d.objective.type, 'max-sharpe');
  assert.deepEqual(d.constraints.bounds, [0, 0.35]);
  const names = d.constraints.groups.map((g) => g.name);
  assert.deepEqual(names, ['DeFi', 'Stablecoins']);
  for (const g of d.constraints.groups) {
    assert.ok(g.assets.length >= 2 && g.assets.every((a) => d.assets.includes(a)));
    assert.ok(g.max > 0 && g.max < 1);
  }
  // The long-only bounds and caps leave a feasible fully invested portfolio.
  assert.ok(0.35 * n >= 1);
});

test('every price is finite and positive, default and long runs', () => {
  for (const d of [demoRequest(), demoRequest({ days: LONG_DAYS, seed: 99 })]) {
    for (const row of d.prices) for (const p of row) assert.ok(Number.isFinite(p) && p > 0, String(p));
  }
});

test('invalid arguments are rejected', () => {
  assert.throws(() => demoRequest({ days: 1 }), RangeError);
  assert.throws(() => demoRequest({ days: 10.5 }), RangeError);
  assert.throws(() => demoRequest({ seed: -1 }), RangeError);
  assert.throws(() => demoRequest({ seed: 2 ** 53 }), RangeError);
});

test('simulated vols and correlations agree with demo-params.json within sampling error', () => {
  const d = demoRequest({ days: LONG_DAYS });
  const a = demoParams.assets;
  const nu = demoParams.model.nu;
  // Student-t(nu) innovations: excess kurtosis 6/(nu - 4); elliptical kurtosis parameter
  // kappa = 2/(nu - 4). Stablecoin returns have a lower kurtosis than their innovations,
  // so using the innovation value for them is conservative.
  const kurt = 6 / (nu - 4);
  const kappa = 2 / (nu - 4);
  const returns = a.map((_, i) => logReturns(d.prices, i));
  const n = returns[0].length;
  const ppy = demoParams.periodsPerYear;

  a.forEach((asset, i) => {
    const sd = moments(returns[i]).sd * Math.sqrt(ppy);
    // Var(s^2)/sigma^4 = (2 * bartlett + excess kurtosis) / n; delta method: se(s)/sigma = half its root.
    const bartlett = 1 + 2 * lagProductSum(phiOf(asset), phiOf(asset));
    const seRel = 0.5 * Math.sqrt((2 * bartlett + kurt) / n);
    const err = Math.abs(sd / asset.vol - 1);
    assert.ok(err < Z * seRel, `${asset.symbol} vol ${sd} vs ${asset.vol}: rel err ${err} >= ${Z} x ${seRel}`);
  });

  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const rho = demoParams.correlation[i][j];
      const r = correlation(returns[i], returns[j]);
      // Elliptical asymptotics (Muirhead): Var(r) = (1 + kappa)(1 - rho^2)^2 / n, times
      // Bartlett's factor for serially correlated pairs (1 for any pair with a random walk).
      const bartlett = 1 + 2 * lagProductSum(phiOf(a[i]), phiOf(a[j]));
      const se = (1 - rho * rho) * Math.sqrt(((1 + kappa) * bartlett) / n);
      assert.ok(Math.abs(r - rho) < Z * se, `${a[i].symbol}/${a[j].symbol}: ${r} vs ${rho} (tol ${Z * se})`);
    }
  }
});

test('random-walk assets have fat tails', () => {
  const d = demoRequest({ days: LONG_DAYS });
  const n = LONG_DAYS;
  // Under a normal model the sample excess kurtosis has standard error sqrt(24/n).
  const seNormal = Math.sqrt(24 / n);
  demoParams.assets.forEach((asset, i) => {
    if (asset.process !== 'random-walk') return;
    const k = moments(logReturns(d.prices, i)).kurtosisExcess;
    assert.ok(k > 10 * seNormal && k > 1, `${asset.symbol}: excess kurtosis ${k}`);
  });
});

test('stablecoins stay within 3% of the 1.00 peg', () => {
  const stable = demoParams.assets.map((a, i) => [a, i]).filter(([a]) => a.process === 'mean-reverting');
  assert.equal(stable.length, 2);
  for (const d of [demoRequest(), demoRequest({ days: LONG_DAYS, seed: 5 })]) {
    for (const [a, i] of stable) {
      for (const row of d.prices) assert.ok(Math.abs(row[i] - 1) < 0.03, `${a.symbol} at ${row[i]}`);
    }
  }
});

test('demo-params.json holds parameters only, rounded to 4 significant digits', () => {
  const n = demoParams.assets.length;
  const walk = (v) => {
    if (Array.isArray(v)) {
      assert.ok(v.length <= n, `an array of ${v.length} values looks like a series`);
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(walk);
    } else if (typeof v === 'number' && !Number.isInteger(v)) {
      assert.equal(v, Number(v.toPrecision(4)));
    }
  };
  walk(demoParams);
  assert.equal(demoParams.correlation.length, n);
  demoParams.correlation.forEach((row, i) => row.forEach((v, j) => assert.equal(v, demoParams.correlation[j][i])));
});

test('demo-params.json is re-derivable from ../shared/data', (t) => {
  if (!existsSync(sharedCsv)) {
    t.skip('skipped: ../shared/data is absent, so the calibration cannot be re-run');
    return;
  }
  const committed = JSON.parse(readFileSync(resolve(repoRoot, 'bindings', 'js', 'demo-params.json'), 'utf8'));
  assert.deepEqual(calibrate(readFileSync(sharedCsv, 'utf8')), committed);
});

test('the parameter tables in docs/demo-data.md match demo-params.json', () => {
  const doc = readFileSync(resolve(repoRoot, 'docs', 'demo-data.md'), 'utf8');
  assert.equal(doc, replaceParamsBlock(doc, demoParams), 'run node scripts/calibrate-demo.mjs to regenerate');
});
