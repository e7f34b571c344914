// Ballast's WASM engine through the npm package, columnar fast path, as a user calls it for a
// large book: `b.greeksColumns({ kind, model, underlying, strike, expiryYears, vol, rate })`
// and `b.impliedVolColumns({ kind, model, price, underlying, strike, expiryYears, rate })`,
// typed arrays in (kind a Uint8Array, the rest Float64Arrays), typed arrays out. Greeks returns
// nine columns: price, delta, gamma, vega, theta, rho, vanna, volga, charm. Two rows: new output
// arrays per call, and the caller's arrays kept across calls (the `out` argument).
import ballastAdapters from './ballast-wasm.mjs';

const load = ballastAdapters[0].load;  // one engine instance shared with the portfolio adapters

const greeksRequest = (c) => ({
  kind: c.kind, model: 'black-scholes', underlying: c.spot, strike: c.strike, expiryYears: c.expiryYears, vol: c.vol,
  rate: c.rate,
});
const ivRequest = (c) => ({
  kind: c.kind, model: 'black-scholes', price: c.price, underlying: c.spot, strike: c.strike,
  expiryYears: c.expiryYears, rate: c.rate,
});
const GREEKS = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'vanna', 'volga', 'charm'];

// Output arrays kept by the caller across calls (allocated once per book size, untimed after
// the first call), as `greeksColumns(columns, out)` lets a user keep them.
function callerArrays(ctx, key, n, make) {
  ctx.out ??= {};
  if (ctx.out[key]?.n !== n) ctx.out[key] = { n, arrays: make(n) };
  return ctx.out[key].arrays;
}

const reused = {
  name: "Ballast WASM (columns, caller's arrays)",
  package: 'ballast',
  ballast: 'wasm-reuse',
  notes: {
    greeks: "the same, writing into the caller's nine output arrays (greeksColumns(columns, out)), kept across calls: no allocation per call",
    'implied-vol': "the same, writing into the caller's vol and status arrays (impliedVolColumns(columns, out)), kept across calls",
  },
  problems: ['greeks', 'implied-vol'],
  async load() {
    return load();
  },
  greeks(ctx, c) {
    const out = callerArrays(ctx, 'greeks', c.kind.length, (n) => Object.fromEntries(GREEKS.map((k) => [k, new Float64Array(n)])));
    return ctx.b.greeksColumns(greeksRequest(c), out).price;
  },
  impliedVol(ctx, c) {
    const out = callerArrays(ctx, 'iv', c.kind.length, (n) => ({ vol: new Float64Array(n), status: new Uint8Array(n) }));
    return ctx.b.impliedVolColumns(ivRequest(c), out).vol;
  },
};

const fresh = {
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
    return ctx.b.greeksColumns(greeksRequest(c)).price;
  },
  /** Every figure (the accuracy grid). */
  greeksAll(ctx, c) {
    return ctx.b.greeksColumns(greeksRequest(c));
  },
  impliedVol(ctx, c) {
    return ctx.b.impliedVolColumns(ivRequest(c)).vol;
  },
};

export default [fresh, reused];
