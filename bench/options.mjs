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
// Ballast's engine uses the C library's erfc (fdlibm lineage) instead, and the hand-written JS
// peer the Hart/West approximation, so the reference shares no CDF code with either. The price of
// the out-of-the-money side is computed directly and the other side by put-call parity, so no
// in-the-money price loses digits to the cancellation of two large terms. What remains is
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
  if (lnFK < 0) {
    // call out of the money
    const a = S * refCdf(d1);
    const b = K * df * refCdf(d2);
    call = a - b;
    putPrice = call + (K * df - S);
    terms = a + b + Math.abs(K * df - S);
  } else {
    const a = K * df * refCdf(-d2);
    const b = S * refCdf(-d1);
    putPrice = a - b;
    call = putPrice + (S - K * df);
    terms = a + b + Math.abs(S - K * df);
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
