// Option benchmark problems and their reference: identical inputs for every library in one run.
//
// The book: seeded random European options on one underlying, Black-Scholes, no dividend:
//   spot 100; strike U(50, 200); expiry log-uniform from 1 day (1/365) to 3 years; vol U(10%, 200%);
//   rate U(0%, 5%) per option; call or put with probability 1/2.
// Greeks problem: prices and Greeks of the whole book. Implied-vol problem: a second book of
// the same kind whose premiums are the reference price at the option's vol, so the true vol is
// known.
//
// Reference (used by no library): the Black-Scholes price with a normal CDF from W. J. Cody's
// rational Chebyshev approximations of erf/erfc (Math. Comp. 1969; near-minimax, better than
// 18 significant digits in exact arithmetic), evaluated in the scaled form
// Phi(z) = erfcx(-z/sqrt2) exp(-z^2/2) / 2 with exp(-z^2/2) split so that its argument is exact.
// Ballast's engine evaluates Cody's rationals too (in C++, with its own exponentials and
// formulas), and the hand-written JS peer the Hart/West approximation: this reference is
// independent in code, not in approximation, and serves the timed books (informational columns).
// The accuracy target is scored on the grid further down, against mpmath. The price of
// the out-of-the-money side is computed directly and the other side by put-call parity, so no
// in-the-money price loses digits to the cancellation of two large terms (the parity term
// K e^{-rT} - S as (K - S) + K expm1(-rT), which holds no rounding of K e^{-rT}). What remains is
// double-precision rounding: about 1e-14 absolute for prices near 100 (the reference itself is a
// double-precision computation; its floor is bounded in `priceFloor`). Checked once against
// 40-digit mpmath on a grid of z in [-38, 8]: refCdf within 6 ulps wherever Phi(z) is a normal
// double.

import { xoshiro128ss } from '../bindings/js/demo.js';

export const SPOT = 100;
export const BOOK_SPEC = 'spot 100; strike U(50, 200); expiry log-uniform from 1 day (1/365 year) to 3 years; vol U(10%, 200%); rate U(0%, 5%) per option; call or put with probability 1/2; no dividend';

// ---- seeded book ------------------------------------------------------------------------------

function uniformSource(seed) {
  const u32 = xoshiro128ss([seed >>> 0, 0x243f6a88, 0x85a308d3, (seed * 2654435761) >>> 0 | 1]);
  for (let k = 0; k < 16; k++) u32();
  return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6) + 0.5) / 9007199254740992;
}

/** A seeded random book of n options (columns; kind 0 call, 1 put). */
export function optionBook(n, seed) {
  const u = uniformSource(seed);
  const book = {
    n,
    kind: new Uint8Array(n),
    spot: new Float64Array(n).fill(SPOT),
    strike: new Float64Array(n),
    expiryYears: new Float64Array(n),
    vol: new Float64Array(n),
    rate: new Float64Array(n),
  };
  const tMin = 1 / 365;
  const tMax = 3;
  for (let i = 0; i < n; i++) {
    book.kind[i] = u() < 0.5 ? 0 : 1;
    book.strike[i] = 50 + 150 * u();
    book.expiryYears[i] = tMin * Math.exp(Math.log(tMax / tMin) * u());
    book.vol[i] = 0.1 + 1.9 * u();
    book.rate[i] = 0.05 * u();
  }
  return book;
}

// ---- reference normal CDF (Cody) ----------------------------------------------------------------

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8];
const D = [15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766,
  6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
  0.00233520497626869185];
const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_PI = 0.56418958354775628695;
const INV_SQRT_2PI = 0.398942280401432677939946;

/** erf(x) for |x| <= 0.46875. */
function erfSmall(x) {
  const ysq = x * x;
  let num = A[4] * ysq;
  let den = ysq;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * ysq;
    den = (den + B[i]) * ysq;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) = exp(y^2) erfc(y) for y > 0.46875. */
function erfcxLarge(y) {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const ysq = 1 / (y * y);
  let num = P[5] * ysq;
  let den = ysq;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * ysq;
    den = (den + Q[i]) * ysq;
  }
  return (INV_SQRT_PI - (ysq * (num + P[4])) / (den + Q[4])) / y;
}

/** exp(-z^2/2) with z split at 1/16 so that the large part of the square is exact. */
function expHalfSquare(z) {
  const zr = Math.trunc(z * 16) / 16;
  return Math.exp(-0.5 * zr * zr) * Math.exp(-0.5 * (z - zr) * (z + zr));
}

/** Standard normal density. */
export function refPdf(z) {
  return INV_SQRT_2PI * expHalfSquare(z);
}

/** Standard normal CDF, relative accuracy in the lower tail. */
export function refCdf(z) {
  const x = z * SQRT_HALF;
  if (Math.abs(x) <= 0.46875) return 0.5 + 0.5 * erfSmall(x);
  if (z > 0) return 1 - refCdf(-z);
  if (z < -40) return 0;
  return 0.5 * erfcxLarge(-x) * expHalfSquare(z);
}

/**
 * Reference Black-Scholes (no dividend) for one option: price, vega and the size of the terms
 * the price was computed from (for the floor estimates).
 */
export function refBlackScholes(put, S, K, T, v, r) {
  const df = Math.exp(-r * T);
  const s = v * Math.sqrt(T);
  const lnFK = Math.log(S / K) + r * T;
  const d1 = lnFK / s + 0.5 * s;
  const d2 = d1 - s;
  let call;
  let putPrice;
  let terms;
  // K df - S by parity, as (K - S) + K (df - 1): K - S is exact within a factor 2 (Sterbenz)
  // and expm1 keeps df - 1 to its own precision, so the in-the-money side carries no rounding
  // of K df (about eps K, many times the premium's own rounding near expiry).
  const kdfMinusS = (K - S) + K * Math.expm1(-r * T);
  const parityTerms = Math.abs(K - S) + Math.abs(K * Math.expm1(-r * T));
  if (lnFK < 0) {
    // call out of the money
    const a = S * refCdf(d1);
    const b = K * df * refCdf(d2);
    call = a - b;
    putPrice = call + kdfMinusS;
    terms = a + b + parityTerms;
  } else {
    const a = K * df * refCdf(-d2);
    const b = S * refCdf(-d1);
    putPrice = a - b;
    call = putPrice - kdfMinusS;
    terms = a + b + parityTerms;
  }
  return { price: put ? putPrice : call, vega: S * refPdf(d1) * Math.sqrt(T), terms };
}

// ---- problems -------------------------------------------------------------------------------

const EPS = 2 ** -52;
/** Keep an implied vol in the accuracy check only when its price pins it to this (relative). */
export const IV_CONDITION_LIMIT = 1e-12;

/**
 * The two option problems. Greeks: `n` options and the reference price of each. Implied vol:
 * `nIv` options, their premiums (reference prices) and true vols, and the options whose vol is
 * well defined by a double-precision premium: where rounding the price (and the reference's
 * own rounding, a few ulps of its terms) moves the vol by at most IV_CONDITION_LIMIT,
 * i.e. eps * terms / (vega * vol) <= IV_CONDITION_LIMIT. Elsewhere vega is negligible
 * against the premium's last digit (deep in or out of the money, short expiry) and any vol
 * in a wide interval reproduces the premium; those options are timed but not scored.
 */
export function optionProblems({ n = 1_000_000, nIv = 100_000, seed = 20240601 } = {}) {
  const book = optionBook(n, seed);
  const refPrice = new Float64Array(n);
  let priceFloor = 0;
  for (let i = 0; i < n; i++) {
    const r = refBlackScholes(book.kind[i] === 1, book.spot[i], book.strike[i], book.expiryYears[i], book.vol[i], book.rate[i]);
    refPrice[i] = r.price;
    priceFloor = Math.max(priceFloor, 4 * EPS * r.terms);
  }
  const ivBook = optionBook(nIv, seed + 1);
  const price = new Float64Array(nIv);
  const condition = new Float64Array(nIv);
  const scored = new Uint8Array(nIv);
  let scoredCount = 0;
  let ivFloor = 0;
  for (let i = 0; i < nIv; i++) {
    const v = ivBook.vol[i];
    const r = refBlackScholes(ivBook.kind[i] === 1, ivBook.spot[i], ivBook.strike[i], ivBook.expiryYears[i], v, ivBook.rate[i]);
    price[i] = r.price;
    condition[i] = (EPS * r.terms) / (r.vega * v);
    if (r.price > 0 && condition[i] <= IV_CONDITION_LIMIT) {
      scored[i] = 1;
      scoredCount++;
      ivFloor = Math.max(ivFloor, condition[i]);
    }
  }
  const { vol: trueVol, ...ivColumns } = ivBook;
  return [
    { id: 'greeks', kind: 'greeks', n, book, refPrice, priceFloor },
    { id: 'implied-vol', kind: 'implied-vol', n: nIv, book: { ...ivColumns, price }, trueVol, condition, scored, scoredCount, ivFloor },
  ];
}

// ---- accuracy -------------------------------------------------------------------------------

/** max |price - ref| over the first `count` options; NaN/missing counts as Infinity. */
export function maxPriceError(p, prices, count) {
  let m = 0;
  for (let i = 0; i < count; i++) {
    const e = Math.abs(prices[i] - p.refPrice[i]);
    m = Number.isNaN(e) ? Infinity : Math.max(m, e);
  }
  return m;
}

/**
 * Over the scored options among the first `count`: max |vol - true| / true, how many had no
 * vol, and the largest error in units of that option's conditioning eps * terms / (vega * vol)
 * (about what one rounding of its premium does to the vol: near 1 is as good as double allows).
 */
export function ivError(p, vols, count) {
  let m = 0;
  let missing = 0;
  let scored = 0;
  let overCondition = 0;
  for (let i = 0; i < count; i++) {
    if (!p.scored[i]) continue;
    scored++;
    const v = vols[i];
    if (!Number.isFinite(v)) {
      missing++;
      continue;
    }
    const e = Math.abs(v - p.trueVol[i]) / p.trueVol[i];
    m = Math.max(m, e);
    overCondition = Math.max(overCondition, e / p.condition[i]);
  }
  return { error: missing ? Infinity : m, finiteError: m, missing, scored, overCondition };
}

// ---- accuracy grid: every Greek, relative error, the whole reachable domain ---------------------
//
// The timed book above prices options near the money of a spot of 100, where every library is
// at double rounding in absolute terms. A user who hedges wings, short expiries or high vols
// needs relative accuracy there too (issue 3: "accurate everywhere a user can reach"), so the
// accuracy of the Greeks is measured separately, on a fixed grid that spans that domain:
//   spot 100, rate 3%, no dividend; expiry 1 minute, 1 hour, 1 day, 1 week, 30 days, 3 months,
//   1, 3 and 10 years; vol 1%, 5%, 20%, 50%, 100%, 200%, 500%; strike K = F e^{z s} for the
//   standardized log-moneyness z = ln(K/F) / (vol sqrt(T)) in GRID_Z (so every expiry and vol
//   gets strikes from 12 standard deviations in the money to 12 out, instead of fixed strikes
//   that are absurd for some of them); calls and puts: 9 x 7 x 17 x 2 = 2,142 options.
// Reference: bench/options_reference.py, the closed forms in mpmath at 40 digits from the exact
// double inputs. Error of a figure: |value - reference| / scale, where scale is |reference| for
// the figures whose sign is fixed (price, delta, gamma, vega, rho) and, for those that cross
// zero (theta, vanna, volga, charm), the sum of the magnitudes of their closed form's terms in
// h = ln(F/K)/(vol sqrt(T)) and t = vol sqrt(T)/2 (theta: decay + carry; vanna phi(d1)(|h| + t)/vol;
// volga vega (h^2 + t^2)/vol; charm phi(d1)(r/s + (|h| + t)/(2T))).
// Scored: options whose scale is at least 1e-300 (a double holds it to full relative precision);
// the rest underflow for everyone and are counted, not scored. Reported over the whole grid and
// over the quoted range |z| <= 3 (where exchange quotes live), the maximum over the options.
// Implied vol on the same grid: the premium is the reference price rounded to double, the true
// vol is the grid's; scored where the premium pins the vol (eps * price / (vega * vol) <= 1e-12).

export const GRID_Z = [-12, -8, -5, -3, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3, 5, 8, 12];
export const GRID_EXPIRIES = [['1 minute', 1 / 525600], ['1 hour', 1 / 8760], ['1 day', 1 / 365], ['1 week', 7 / 365],
  ['30 days', 30 / 365], ['3 months', 0.25], ['1 year', 1], ['3 years', 3], ['10 years', 10]];
export const GRID_VOLS = [0.01, 0.05, 0.2, 0.5, 1, 2, 5];
export const GRID_RATE = 0.03;
export const GRID_SPEC = `spot 100, rate ${GRID_RATE * 100}%, no dividend; expiry ${GRID_EXPIRIES.map((e) => e[0]).join(', ')}; vol ${GRID_VOLS.map((v) => `${v * 100}%`).join(', ')}; strike K = F exp(z vol sqrt(T)) for z = ln(K/F)/(vol sqrt(T)) in {${GRID_Z.join(', ')}}; calls and puts`;
export const GREEK_NAMES = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'vanna', 'volga', 'charm'];
const QUOTED_Z = 3;

/** The accuracy grid as option columns (the same layout as optionBook), plus each option's z. */
export function accuracyGrid() {
  const rows = [];
  for (const [, T] of GRID_EXPIRIES) {
    for (const vol of GRID_VOLS) {
      for (const z of GRID_Z) {
        for (const kind of [0, 1]) {
          const F = SPOT * Math.exp(GRID_RATE * T);
          rows.push({ kind, T, vol, z, K: F * Math.exp(z * vol * Math.sqrt(T)) });
        }
      }
    }
  }
  const n = rows.length;
  const grid = {
    n,
    kind: Uint8Array.from(rows, (r) => r.kind),
    spot: new Float64Array(n).fill(SPOT),
    strike: Float64Array.from(rows, (r) => r.K),
    expiryYears: Float64Array.from(rows, (r) => r.T),
    vol: Float64Array.from(rows, (r) => r.vol),
    rate: new Float64Array(n).fill(GRID_RATE),
    z: Float64Array.from(rows, (r) => r.z),
  };
  return grid;
}

/** mpmath values and scales for the grid (bench/options_reference.py), or { unavailable }. */
export function gridReference(grid, spawnSync, scriptPath) {
  const request = JSON.stringify({
    put: Array.from(grid.kind), S: Array.from(grid.spot), K: Array.from(grid.strike), T: Array.from(grid.expiryYears),
    vol: Array.from(grid.vol), r: Array.from(grid.rate),
  });
  const r = spawnSync('python3', [scriptPath], { input: request, maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    const why = (r.stderr?.toString() ?? '').includes('mpmath') ? 'python3-mpmath is not installed (apt-get install python3-mpmath)' : `bench/options_reference.py failed: ${(r.stderr ?? r.error ?? '').toString().split('\n').filter(Boolean).pop()}`;
    return { unavailable: why };
  }
  const out = JSON.parse(r.stdout.toString());
  const values = {};
  const scales = {};
  for (const k of GREEK_NAMES) {
    values[k] = Float64Array.from(out.values[k]);
    scales[k] = Float64Array.from(out.scales[k]);
  }
  return { version: out.mpmath, digits: out.digits, values, scales };
}

/**
 * Max error of each figure a library returned, over the scored grid options, on the whole grid
 * and on the quoted range: { [name]: { full, quoted, scored, underflow, worst: { z, T, vol, kind } } }.
 * A missing or non-finite value counts as an infinite error.
 */
export function gridGreekErrors(grid, ref, values) {
  const result = {};
  for (const k of GREEK_NAMES) {
    if (!values[k]) continue;
    let full = 0;
    let quoted = 0;
    let scored = 0;
    let underflow = 0;
    let worst = null;
    for (let i = 0; i < grid.n; i++) {
      const scale = ref.scales[k][i];
      if (!(scale >= 1e-300)) {
        underflow++;
        continue;
      }
      scored++;
      const v = values[k][i];
      const e = Number.isFinite(v) ? Math.abs(v - ref.values[k][i]) / scale : Infinity;
      if (e > full || worst === null) {
        if (e > full) full = e;
        worst = { z: grid.z[i], T: grid.expiryYears[i], vol: grid.vol[i], kind: grid.kind[i] ? 'put' : 'call', value: v, ref: ref.values[k][i] };
      }
      if (Math.abs(grid.z[i]) <= QUOTED_Z) quoted = Math.max(quoted, e);
    }
    result[k] = { full, quoted, scored, underflow, worst };
  }
  return result;
}

/** The implied-vol problem on the grid: premiums are the reference prices rounded to double. */
export function gridImpliedVolProblem(grid, ref) {
  const EPS_ = 2 ** -52;
  const price = Float64Array.from(ref.values.price);
  const scored = new Uint8Array(grid.n);
  const condition = new Float64Array(grid.n);
  let scoredCount = 0;
  for (let i = 0; i < grid.n; i++) {
    condition[i] = (EPS_ * price[i]) / (ref.values.vega[i] * grid.vol[i]);
    if (price[i] >= 1e-300 && condition[i] <= IV_CONDITION_LIMIT) {
      scored[i] = 1;
      scoredCount++;
    }
  }
  const { vol: trueVol, z, ...columns } = grid;
  return { n: grid.n, book: { ...columns, price }, trueVol, condition, scored, scoredCount, z };
}

/** Max relative vol error over the scored grid options (whole grid and |z| <= 3), and misses. */
export function gridImpliedVolErrors(p, vols) {
  let full = 0;
  let quoted = 0;
  let missing = 0;
  let overCondition = 0;
  for (let i = 0; i < p.n; i++) {
    if (!p.scored[i]) continue;
    const v = vols[i];
    const e = Number.isFinite(v) ? Math.abs(v - p.trueVol[i]) / p.trueVol[i] : Infinity;
    if (!Number.isFinite(v)) missing++;
    full = Math.max(full, e);
    if (Math.abs(p.z[i]) <= QUOTED_Z) quoted = Math.max(quoted, e);
    // Against the premium's rounding, or the vol's own (eps) where the premium pins it finer.
    if (Number.isFinite(e)) overCondition = Math.max(overCondition, e / Math.max(p.condition[i], 2 ** -52));
  }
  return { full, quoted, missing, scored: p.scoredCount, overCondition };
}

const fmtE = (e) => (e == null ? '–' : Number.isFinite(e) ? (e === 0 ? '0' : e.toExponential(1)) : '∞ (missing or non-finite values)');
const fmtRatio = (x) => (x == null ? '–' : !Number.isFinite(x) ? '∞' : x >= 100 ? `${x.toExponential(1)}x` : `${x.toFixed(2)}x`);

/**
 * Scores every adapter that can price the grid (`greeksAll`) or invert it (`impliedVol`):
 * { spec, reference, greeks: [{ name, version, ballast, npm, handWritten, errors }], iv: [...] },
 * or { unavailable } when python3-mpmath is missing.
 */
export async function runAccuracyGrid(entries) {
  const { spawnSync } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const grid = accuracyGrid();
  const t0 = performance.now();
  const ref = gridReference(grid, spawnSync, fileURLToPath(new URL('./options_reference.py', import.meta.url)));
  if (ref.unavailable) {
    console.log(`[bench] accuracy grid: ${ref.unavailable}; skipped`);
    return { unavailable: ref.unavailable };
  }
  console.log(`[bench] accuracy grid: ${grid.n} options, mpmath ${ref.version} reference in ${(performance.now() - t0).toFixed(0)} ms`);
  const out = { spec: GRID_SPEC, n: grid.n, reference: { version: ref.version, digits: ref.digits }, greeks: [], iv: [] };
  const ivProblem = gridImpliedVolProblem(grid, ref);
  out.ivScored = ivProblem.scoredCount;
  out.underflow = gridGreekErrors(grid, ref, { price: ref.values.price }).price.underflow;
  for (const { adapter, ctx, version } of entries) {
    if (!ctx || adapter.external) continue;
    const row = { name: adapter.name, version, ballast: adapter.ballast, npm: adapter.npm, handWritten: adapter.handWritten };
    if (adapter.greeksAll) {
      try {
        out.greeks.push({ ...row, errors: gridGreekErrors(grid, ref, adapter.greeksAll(ctx, grid, grid.n)) });
      } catch (error) {
        out.greeks.push({ ...row, failed: error.message });
      }
    }
    const ivOk = adapter.impliedVol && (!adapter.problems || adapter.problems.includes('implied-vol'));
    if (ivOk && adapter.ballast !== 'wasm-reuse' && adapter.handWritten !== 'reuse') {
      try {
        out.iv.push({ ...row, errors: gridImpliedVolErrors(ivProblem, adapter.impliedVol(ctx, ivProblem.book, ivProblem.n)) });
      } catch (error) {
        out.iv.push({ ...row, failed: error.message });
      }
    }
  }
  for (const r of out.greeks) {
    const e = r.errors;
    if (e) console.log(`[bench] grid ${r.name.padEnd(32)} ${GREEK_NAMES.filter((k) => e[k]).map((k) => `${k} ${fmtE(e[k].full)}`).join(', ')}`);
  }
  for (const r of out.iv) if (r.errors) console.log(`[bench] grid IV ${r.name.padEnd(29)} ${fmtE(r.errors.full)} (${r.errors.missing} no vol of ${r.errors.scored})`);
  return out;
}

/** The issue's error target, on the grid: the npm packages' max errors over Ballast's, figure by figure. */
export function gridTargets(g, kind, errorRatio) {
  const title = kind === 'greeks' ? 'Prices + Greeks' : 'Implied vol';
  const target = `${title}: Ballast's errors >= ${errorRatio}x smaller than the npm packages' (relative, every figure, over the accuracy grid against mpmath)`;
  if (g.unavailable) return [{ target, measured: `not measured: ${g.unavailable}`, ok: null }];
  const rows = kind === 'greeks' ? g.greeks : g.iv;
  const ours = rows.find((r) => r.ballast === 'wasm' && r.errors);
  const peers = rows.filter((r) => r.npm && r.errors);
  if (!ours || !peers.length) return [{ target, measured: 'not measured', ok: null }];
  const parts = [];
  let ok = true;
  for (const peer of peers) {
    if (kind === 'greeks') {
      const common = GREEK_NAMES.filter((k) => peer.errors[k] && ours.errors[k]);
      const ratios = common.map((k) => ({ k, full: peer.errors[k].full / ours.errors[k].full, quoted: peer.errors[k].quoted / ours.errors[k].quoted }));
      const worst = ratios.reduce((a, b) => (b.full < a.full ? b : a));
      const worstQuoted = ratios.reduce((a, b) => (b.quoted < a.quoted ? b : a));
      ok = ok && worst.full >= errorRatio;
      parts.push(`${peer.name}: smallest ratio over ${common.join(', ')} ${fmtRatio(worst.full)} (${worst.k}: ${fmtE(peer.errors[worst.k].full)} vs Ballast ${fmtE(ours.errors[worst.k].full)}); on the quoted range |z| <= 3 alone ${fmtRatio(worstQuoted.quoted)} (${worstQuoted.k}: ${fmtE(peer.errors[worstQuoted.k].quoted)} vs ${fmtE(ours.errors[worstQuoted.k].quoted)})`);
    } else {
      const full = peer.errors.full / ours.errors.full;
      const quoted = peer.errors.quoted / ours.errors.quoted;
      ok = ok && full >= errorRatio;
      parts.push(`${peer.name}: ${fmtRatio(full)} (${fmtE(peer.errors.full)} vs Ballast ${fmtE(ours.errors.full)}, ${peer.errors.missing} of ${peer.errors.scored} scored options with no vol); on |z| <= 3 alone ${fmtRatio(quoted)} (${fmtE(peer.errors.quoted)} vs ${fmtE(ours.errors.quoted)})`);
    }
  }
  return [{ target, measured: parts.join('; '), ok }];
}

/** The accuracy section of docs/performance.md. */
export function gridSection(L, g) {
  L('## Options: accuracy of every figure over the reachable domain');
  L();
  if (g.unavailable) {
    L(`Not measured in this run: ${g.unavailable}.`);
    L();
    return;
  }
  L(`Grid (\`bench/options.mjs\`, \`accuracyGrid\`): ${g.spec}: ${g.n.toLocaleString('en-US')} Black-Scholes options, the same for every library. Reference: \`bench/options_reference.py\`, the closed forms evaluated in mpmath ${g.reference.version} at ${g.reference.digits} significant digits from the exact double inputs (no library's code or rounding). Error of a figure: |value - reference| / scale, with scale = |reference| for price, delta, gamma, vega and rho (sign-definite: this is the relative error) and, for theta, vanna, volga and charm, which cross zero, the sum of the magnitudes of their closed form's terms in h = ln(F/K)/(vol sqrt(T)) and t = vol sqrt(T)/2 (theta: time decay + rate carry; vanna: phi(d1)(abs(h) + t)/vol; volga: vega (h^2 + t^2)/vol; charm: phi(d1)(r/s + (abs(h) + t)/(2T))). Scored: every option whose scale is at least 1e-300; ${g.underflow} of the prices underflow below that for everyone and are not scored. Each cell is the maximum over the scored options: a missing or non-finite value counts as an infinite error. "Whole grid" is every option; "|z| <= 3" only strikes within 3 standard deviations of the forward, where exchange quotes live.`);
  L();
  for (const [title, key] of [['Whole grid', 'full'], ['Quoted range |z| <= 3', 'quoted']]) {
    L(`${title}: max error per figure.`);
    L();
    L(`| library | version | ${GREEK_NAMES.join(' | ')} |`);
    L(`|---|---|${GREEK_NAMES.map(() => '---:').join('|')}|`);
    for (const r of g.greeks) {
      if (r.ballast === 'wasm-reuse' || r.handWritten === 'reuse') continue;  // the same numbers as their siblings
      const cells = GREEK_NAMES.map((k) => (r.failed ? 'failed' : r.errors[k] ? fmtE(r.errors[k][key]) : 'not computed'));
      L(`| ${r.name} | ${r.version} | ${cells.join(' | ')} |`);
    }
    L();
  }
  const ours = g.greeks.find((r) => r.ballast === 'wasm' && r.errors);
  if (ours) {
    L(`Where Ballast's largest errors are (whole grid): ${GREEK_NAMES.filter((k) => ours.errors[k]?.worst).map((k) => { const w = ours.errors[k].worst; return `${k} ${fmtE(ours.errors[k].full)} (${w.kind}, z ${w.z}, T ${w.T.toPrecision(3)} y, vol ${w.vol})`; }).join('; ')}.`);
    L();
  }
  L(`Implied vol on the grid: each option's premium is the reference price rounded to double, inverted by each library; the true vol is the grid's. Scored: the ${g.ivScored.toLocaleString('en-US')} of ${g.n.toLocaleString('en-US')} options whose premium pins the vol (eps * price / (vega * vol) <= ${IV_CONDITION_LIMIT}, price >= 1e-300); \`premium rounding\` is the largest ratio of the error to that quantity, or to the vol's own rounding eps = 2^-52 where the premium pins the vol more finely than a double holds it.`);
  L();
  L('| library | version | max abs(vol - true) / true, whole grid | same, abs(z) <= 3 | max error / premium rounding | no vol (scored) |');
  L('|---|---|---:|---:|---:|---:|');
  for (const r of g.iv) {
    const e = r.errors;
    L(`| ${r.name} | ${r.version} | ${r.failed ? 'failed' : fmtE(e.full)} | ${r.failed ? '' : fmtE(e.quoted)} | ${r.failed ? '' : e.overCondition.toExponential(1)} | ${r.failed ? '' : `${e.missing} of ${e.scored}`} |`);
  }
  L();
}
