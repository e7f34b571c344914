// Hand-written JavaScript: the floor a user could write in an afternoon, without a package.
//   - Greeks: the textbook Black-Scholes closed form (no dividend) for price, delta, gamma,
//     vega, theta and rho, one loop over the columns, results in Float64Arrays. The normal CDF
//     is Hart's double-precision rational approximation as published by West (2005, "Better
//     approximations to cumulative normal functions", Wilmott), the usual good choice.
//   - Implied vol: Newton's method on the price from the Manaster-Koehler starting vol
//     sqrt(2 |ln(F/K)| / T), halving the vol when a step would make it negative, returning the
//     vol after the first step below 1e-10 of the vol (convergence is quadratic, so that vol is
//     good to rounding), NaN when vega vanishes or after 100 steps.
// Units as Ballast's (vega per 1.00 of vol, theta per year, rho per 1.00 of rate).

const INV_SQRT_2PI = 0.3989422804014327;

function normCdf(x) {
  const ax = Math.abs(x);
  let c;
  if (ax > 37) {
    c = 0;
  } else {
    const e = Math.exp(-0.5 * ax * ax);
    if (ax < 7.07106781186547) {
      let n = 3.52624965998911e-2 * ax + 0.700383064443688;
      n = n * ax + 6.37396220353165;
      n = n * ax + 33.912866078383;
      n = n * ax + 112.079291497871;
      n = n * ax + 221.213596169931;
      n = n * ax + 220.206867912376;
      let d = 8.83883476483184e-2 * ax + 1.75566716318264;
      d = d * ax + 16.064177579207;
      d = d * ax + 86.7807322029461;
      d = d * ax + 296.564248779674;
      d = d * ax + 637.333633378831;
      d = d * ax + 793.826512519948;
      d = d * ax + 440.413735824752;
      c = (e * n) / d;
    } else {
      let b = ax + 0.65;
      b = ax + 4 / b;
      b = ax + 3 / b;
      b = ax + 2 / b;
      b = ax + 1 / b;
      c = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - c : c;
}

const normPdf = (x) => INV_SQRT_2PI * Math.exp(-0.5 * x * x);

/**
 * Price, delta, gamma, vega, theta, rho of every option in the columns, into `out` (six
 * Float64Arrays of n) when given, else new arrays.
 */
export function greeksColumns(c, n = c.kind.length, out = null) {
  const price = out ? out.price : new Float64Array(n);
  const delta = out ? out.delta : new Float64Array(n);
  const gamma = out ? out.gamma : new Float64Array(n);
  const vega = out ? out.vega : new Float64Array(n);
  const theta = out ? out.theta : new Float64Array(n);
  const rho = out ? out.rho : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const S = c.spot[i];
    const K = c.strike[i];
    const T = c.expiryYears[i];
    const v = c.vol[i];
    const r = c.rate[i];
    const sqrtT = Math.sqrt(T);
    const vt = v * sqrtT;
    const d1 = (Math.log(S / K) + (r + 0.5 * v * v) * T) / vt;
    const d2 = d1 - vt;
    const df = Math.exp(-r * T);
    const pdf = normPdf(d1);
    gamma[i] = pdf / (S * vt);
    vega[i] = S * pdf * sqrtT;
    if (c.kind[i] === 0) {
      const n1 = normCdf(d1);
      const n2 = normCdf(d2);
      price[i] = S * n1 - K * df * n2;
      delta[i] = n1;
      theta[i] = (-S * pdf * v) / (2 * sqrtT) - r * K * df * n2;
      rho[i] = K * T * df * n2;
    } else {
      const n1 = normCdf(-d1);
      const n2 = normCdf(-d2);
      price[i] = K * df * n2 - S * n1;
      delta[i] = -n1;
      theta[i] = (-S * pdf * v) / (2 * sqrtT) + r * K * df * n2;
      rho[i] = -K * T * df * n2;
    }
  }
  return { price, delta, gamma, vega, theta, rho };
}

function priceAndVega(put, S, K, T, v, r) {
  const sqrtT = Math.sqrt(T);
  const vt = v * sqrtT;
  const d1 = (Math.log(S / K) + (r + 0.5 * v * v) * T) / vt;
  const d2 = d1 - vt;
  const df = Math.exp(-r * T);
  const price = put ? K * df * normCdf(-d2) - S * normCdf(-d1) : S * normCdf(d1) - K * df * normCdf(d2);
  return [price, S * normPdf(d1) * sqrtT];
}

/** Implied vol of every option in the columns (NaN where Newton fails). */
export function impliedVolColumns(c, n = c.kind.length) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const S = c.spot[i];
    const K = c.strike[i];
    const T = c.expiryYears[i];
    const r = c.rate[i];
    const target = c.price[i];
    const put = c.kind[i] === 1;
    let v = Math.sqrt((2 * Math.abs(Math.log(S / K) + r * T)) / T);
    if (!(v > 0.01)) v = 0.5;
    let result = NaN;
    for (let k = 0; k < 100; k++) {
      const [p, vega] = priceAndVega(put, S, K, T, v, r);
      if (!(vega > 0)) break;
      let next = v - (p - target) / vega;
      if (next <= 0) next = v / 2;
      if (Math.abs(next - v) <= 1e-10 * next) {
        result = next;
        break;
      }
      v = next;
    }
    out[i] = result;
  }
  return out;
}

const fresh = {
  name: 'hand-written JS',
  package: '(none: bench/peers/options-handwritten.mjs)',
  notes: {
    greeks: 'bench/peers/options-handwritten.mjs: closed form with the Hart/West normal CDF; 6 output columns (price, delta, gamma, vega, theta, rho)',
    'implied-vol': 'bench/peers/options-handwritten.mjs: Newton from the Manaster-Koehler start, closed-form price and vega with the Hart/West normal CDF',
  },
  handWritten: true,
  async load() {
    return { version: '–' };
  },
  greeks(ctx, book, n) {
    return greeksColumns(book, n).price;
  },
  greeksAll(ctx, book, n) {
    return greeksColumns(book, n);
  },
  impliedVol(ctx, book, n) {
    return impliedVolColumns(book, n);
  },
};

// The same loop writing into arrays the caller keeps across calls, the like-for-like peer of
// Ballast's `out` argument.
const reused = {
  ...fresh,
  name: "hand-written JS (caller's arrays)",
  handWritten: 'reuse',
  notes: { greeks: "the same closed form, writing into six output arrays kept across calls (no allocation per call)" },
  problems: ['greeks'],
  greeks(ctx, book, n) {
    ctx.out ??= {};
    if (ctx.out.n !== n) {
      ctx.out = { n, arrays: Object.fromEntries(['price', 'delta', 'gamma', 'vega', 'theta', 'rho'].map((k) => [k, new Float64Array(n)])) };
    }
    return greeksColumns(book, n, ctx.out.arrays).price;
  },
};

export default [fresh, reused];
