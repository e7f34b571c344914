// npm option packages, called as their READMEs show, one option at a time:
//   - black-scholes + greeks (same author): blackScholes(s, k, t, v, r, 'call'|'put') and
//     getDelta / getGamma / getVega / getTheta / getRho(s, k, t, v, r[, callPut]). Their normal
//     CDF sums 100 terms of a power series, so a million options take tens of seconds: they run
//     on the first SAMPLE_GREEKS options of the book and the time is scaled per option.
//     Their vega and rho are per 1% (divided by 100) and theta per day (divided by 365); only
//     the price is compared.
//   - implied-volatility: getImpliedVolatility(price, s, k, t, r, callPut), a bisection that
//     stops when the price matches "down to the cent" with floor(), which practically never
//     holds, so it runs its 100 steps of black-scholes pricing per option: the first SAMPLE_IV
//     options, scaled per option.
import { createRequire } from 'node:module';
import { packageVersion } from '../problems.mjs';

const require = createRequire(import.meta.url);

export const SAMPLE_GREEKS = 20_000;
export const SAMPLE_IV = 5_000;

const greeksAdapter = {
  name: 'black-scholes + greeks (npm)',
  package: 'black-scholes, greeks',
  note: 'npm black-scholes (price) + greeks (delta, gamma, vega, theta, rho), one call per figure and option',
  npm: true,
  sample: { greeks: SAMPLE_GREEKS },
  problems: ['greeks'],
  async load() {
    const bs = require('black-scholes');
    const greeks = require('greeks');
    return { bs, greeks, version: `${packageVersion('black-scholes')} + ${packageVersion('greeks')}` };
  },
  greeks(ctx, c, n) {
    const { bs, greeks } = ctx;
    const price = new Float64Array(n);
    const delta = new Float64Array(n);
    const gamma = new Float64Array(n);
    const vega = new Float64Array(n);
    const theta = new Float64Array(n);
    const rho = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = c.spot[i];
      const k = c.strike[i];
      const t = c.expiryYears[i];
      const v = c.vol[i];
      const r = c.rate[i];
      const cp = c.kind[i] === 1 ? 'put' : 'call';
      price[i] = bs.blackScholes(s, k, t, v, r, cp);
      delta[i] = greeks.getDelta(s, k, t, v, r, cp);
      gamma[i] = greeks.getGamma(s, k, t, v, r);
      vega[i] = greeks.getVega(s, k, t, v, r);
      theta[i] = greeks.getTheta(s, k, t, v, r, cp);
      rho[i] = greeks.getRho(s, k, t, v, r, cp);
    }
    return price;
  },
  /** Every figure, in Ballast's units (vega and rho per 1.00, theta per year), for the accuracy grid. */
  greeksAll(ctx, c, n) {
    const { bs, greeks } = ctx;
    const out = Object.fromEntries(['price', 'delta', 'gamma', 'vega', 'theta', 'rho'].map((k) => [k, new Float64Array(n)]));
    for (let i = 0; i < n; i++) {
      const s = c.spot[i];
      const k = c.strike[i];
      const t = c.expiryYears[i];
      const v = c.vol[i];
      const r = c.rate[i];
      const cp = c.kind[i] === 1 ? 'put' : 'call';
      out.price[i] = bs.blackScholes(s, k, t, v, r, cp);
      out.delta[i] = greeks.getDelta(s, k, t, v, r, cp);
      out.gamma[i] = greeks.getGamma(s, k, t, v, r);
      out.vega[i] = 100 * greeks.getVega(s, k, t, v, r);  // it divides by 100 (per vol point)
      out.theta[i] = greeks.getTheta(s, k, t, v, r, cp, 1);  // scale 1: per year
      out.rho[i] = greeks.getRho(s, k, t, v, r, cp, 1);  // scale 1: per 1.00 of rate
    }
    return out;
  },
};

const ivAdapter = {
  name: 'implied-volatility (npm)',
  package: 'implied-volatility',
  note: 'npm implied-volatility: bisection on black-scholes prices, default start 0.1',
  npm: true,
  sample: { 'implied-vol': SAMPLE_IV },
  problems: ['implied-vol'],
  async load() {
    const iv = require('implied-volatility');
    return { iv, version: packageVersion('implied-volatility') };
  },
  impliedVol(ctx, c, n) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = ctx.iv.getImpliedVolatility(c.price[i], c.spot[i], c.strike[i], c.expiryYears[i], c.rate[i],
        c.kind[i] === 1 ? 'put' : 'call');
    }
    return out;
  },
};

export default [greeksAdapter, ivAdapter];
