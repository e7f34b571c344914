// Ballast's WASM engine through the npm package, columnar fast path, as a user calls it for a
// large book: `b.greeksColumns({ kind, model, underlying, strike, expiryYears, vol, rate })`
// and `b.impliedVolColumns({ kind, model, price, underlying, strike, expiryYears, rate })`,
// typed arrays in (kind a Uint8Array, the rest Float64Arrays), typed arrays out. Greeks returns
// nine columns: price, delta, gamma, vega, theta, rho, vanna, volga, charm.
import ballastAdapters from './ballast-wasm.mjs';

const load = ballastAdapters[0].load;  // one engine instance shared with the portfolio adapters

export default {
  name: 'Ballast WASM (columns)',
  package: 'ballast',
  ballast: 'wasm',
  notes: {
    greeks: 'this package, greeksColumns on typed arrays; 9 output columns (price, delta, gamma, vega, theta, rho, vanna, volga, charm)',
    'implied-vol': 'this package, impliedVolColumns on typed arrays (Jäckel\'s "Let\'s Be Rational"); vol + status columns',
  },
  problems: ['greeks', 'implied-vol'],
  async load() {
    return load();
  },
  greeks(ctx, c) {
    return ctx.b.greeksColumns({
      kind: c.kind, model: 'black-scholes', underlying: c.spot, strike: c.strike,
      expiryYears: c.expiryYears, vol: c.vol, rate: c.rate,
    }).price;
  },
  impliedVol(ctx, c) {
    return ctx.b.impliedVolColumns({
      kind: c.kind, model: 'black-scholes', price: c.price, underlying: c.spot, strike: c.strike,
      expiryYears: c.expiryYears, rate: c.rate,
    }).vol;
  },
};
