// The built-in demo portfolio: SIMULATED prices from a seeded model calibrated to real
// 2020-2024 daily closes (bindings/js/demo-params.json, written by
// scripts/calibrate-demo.mjs; the model is documented in docs/demo-data.md).
// No dependencies; runs unchanged in Node and in browsers.
//
// Model, per simulated day t (periodsPerYear = 365):
//   e_t   = sqrt((nu - 2) / W_t) * L z_t        multivariate Student-t, unit variance:
//           z_t ~ N(0, I) (Box-Muller), W_t ~ chi-square(nu) shared by all assets
//           (the sum of nu squared normals; nu is an integer), L = Cholesky factor of
//           the innovation correlation (see below).
//   random-walk assets:    ln P_{t+1} = ln P_t + drift / 365 + vol / sqrt(365) * e_t
//   mean-reverting assets (stablecoins), x = ln P around the 1.00 peg:
//                          x_{t+1} = phi x_t + s e_t,  s = vol / sqrt(365) * sqrt((1 + phi) / 2)
//           so the stationary variance of the daily return x_{t+1} - x_t is (vol^2 / 365).
//   Innovation correlation: an AR(1) return mixes today's shock with yesterday's level,
//   which dilutes its correlation with other assets' returns by a known factor g_ij
//   (g = 1 between random walks; formula in innovationCorrelation below). Dividing the
//   calibrated return correlation by g makes the simulated RETURNS carry the calibrated
//   correlations.
//   The stablecoins' AR(1) state starts at the peg and runs BURN_IN_DAYS before day 0, so
//   day 0 is already a draw from the stationary distribution.
//
// Randomness: xoshiro128** (Blackman and Vigna), 32-bit integer operations only
// (Math.imul, shifts, xor), seeded by a splitmix-style 32-bit seeder: the integer stream
// is identical in every JavaScript engine. The floating-point path uses + - * /, Math.sqrt, Math.log,
// Math.exp and Math.cos. IEEE 754 makes + - * / and sqrt exact-rounded everywhere, but
// Math.log, Math.exp and Math.cos are NOT required to be bit-identical across engines
// (ECMA-262 leaves their accuracy implementation-defined), so prices from the same seed
// can differ in the last bits between engines. Tests compare with a tolerance, never
// bit for bit.

import params from './demo-params.json' with { type: 'json' };

/** The label shown wherever the demo data appear. */
export const DEMO_NOTE = 'Simulated prices from a seeded model calibrated to 2020-2024 daily closes; not market data.';

const BURN_IN_DAYS = 64;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** The calibrated parameters (the content of demo-params.json); treat as read-only. */
export const demoParams = params;

function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

/**
 * xoshiro128** from a 4-word state (not all zero). Returns a function yielding uint32.
 * Exported for the reference-vector test; not part of the package's documented API.
 * @param {[number, number, number, number]} state
 */
export function xoshiro128ss(state) {
  let [s0, s1, s2, s3] = state.map((v) => v >>> 0);
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero');
  return function next() {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
}

// A splitmix-style seeder expanding one seed into a state: a Weyl sequence with the
// golden-ratio increment, each value passed through MurmurHash3's fmix32 finalizer.
function splitmix32(seed) {
  let a = seed | 0;
  return function next() {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function makeRandom(seed) {
  // Seeds up to 2^53 use both 32-bit halves.
  const lo = seed % 4294967296;
  const hi = Math.floor(seed / 4294967296);
  const mix = splitmix32(lo ^ Math.imul(hi, 0x27d4eb2d));
  const u32 = xoshiro128ss([mix(), mix(), mix(), mix() | 1]);
  // Uniform on (0, 1) with 53 random bits; never 0, so its log is finite.
  const uniform = () => ((u32() >>> 5) * TWO_POW_26 + (u32() >>> 6) + 0.5) / TWO_POW_53;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

// Return-correlation dilution between two assets with AR(1) coefficients phi_i, phi_j
// (phi = 1 for a random walk). For returns r = x_{t+1} - x_t of x_{t+1} = phi x_t + s e_t,
// with innovation correlation c: corr(r_i, r_j) = c * g_ij, where
// g_ij = [1 + (1 - phi_i)(1 - phi_j) / (1 - phi_i phi_j)] * sqrt((1 + phi_i)(1 + phi_j)) / 2.
// Two random walks: g = 1. A random walk and an AR(1): g = sqrt((1 + phi) / 2).
export function returnCorrelationFactor(phiI, phiJ) {
  if (phiI === 1 && phiJ === 1) return 1;
  return (1 + ((1 - phiI) * (1 - phiJ)) / (1 - phiI * phiJ)) * Math.sqrt((1 + phiI) * (1 + phiJ)) / 2;
}

function phiOf(asset) {
  return asset.process === 'mean-reverting' ? asset.phi : 1;
}

function innovationCorrelation() {
  const a = params.assets;
  return params.correlation.map((row, i) => row.map((rho, j) => (
    i === j ? 1 : rho / returnCorrelationFactor(phiOf(a[i]), phiOf(a[j])))));
}

// Lower Cholesky factor; null when the matrix is not positive definite.
function cholesky(m) {
  const n = m.length;
  const l = m.map(() => new Array(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = m[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > 0)) return null;
    l[j][j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / l[j][j];
    }
  }
  return l;
}

let cachedFactor = null;
function innovationFactor() {
  if (cachedFactor) return cachedFactor;
  const c = innovationCorrelation();
  // The calibrated matrix is positive definite; the loop only guards edited parameters by
  // shrinking toward the identity until the factorization succeeds.
  for (let shrink = 0; shrink < 1; shrink += 0.01) {
    const l = cholesky(c.map((row, i) => row.map((v, j) => (i === j ? 1 : v * (1 - shrink)))));
    if (l) {
      cachedFactor = l;
      return l;
    }
  }
  throw new Error('demo-params.json: the correlation matrix is not positive definite');
}

function groupOf(category) {
  return params.assets.filter((a) => a.category === category).map((a) => a.symbol);
}

/**
 * A complete demo request: simulated daily prices for the calibrated universe plus demo
 * objective and constraints. Deterministic for a given seed.
 * @param {{ days?: number, seed?: number }} [options]
 *   days: number of daily returns (prices has days + 1 rows), an integer >= 2.
 *   seed: a non-negative integer below 2^53.
 */
export function demoRequest({ days = 730, seed = 20240101 } = {}) {
  if (!Number.isInteger(days) || days < 2) throw new RangeError(`days must be an integer >= 2, got ${days}`);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);

  const assets = params.assets;
  const n = assets.length;
  const nu = params.model.nu;
  const ppy = params.periodsPerYear;
  const tScale = Math.sqrt(nu - 2);
  const l = innovationFactor();
  const { normal } = makeRandom(seed);

  const reverting = assets.map((a) => a.process === 'mean-reverting');
  const step = assets.map((a) => a.vol / Math.sqrt(ppy) * (a.process === 'mean-reverting' ? Math.sqrt((1 + a.phi) / 2) : 1));
  const driftPerDay = assets.map((a) => (a.process === 'mean-reverting' ? 0 : a.drift / ppy));
  const phi = assets.map(phiOf);

  const z = new Array(n);
  const e = new Array(n);
  // Random walks: log of P_t / startPrice; stablecoins: log P_t (the peg is 1).
  const logLevel = new Array(n).fill(0);
  const base = assets.map((a) => (a.process === 'mean-reverting' ? 1 : a.startPrice));
  const prices = [];

  for (let t = -BURN_IN_DAYS; t <= days; t++) {
    if (t >= 0) prices.push(logLevel.map((x, i) => base[i] * Math.exp(x)));
    if (t === days) break;
    for (let i = 0; i < n; i++) z[i] = normal();
    let w = 0;
    for (let k = 0; k < nu; k++) {
      const g = normal();
      w += g * g;
    }
    const scale = tScale / Math.sqrt(w);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k <= i; k++) s += l[i][k] * z[k];
      e[i] = s * scale;
    }
    for (let i = 0; i < n; i++) {
      if (reverting[i]) logLevel[i] = phi[i] * logLevel[i] + step[i] * e[i];
      else if (t >= 0) logLevel[i] += driftPerDay[i] + step[i] * e[i];
      // random walks hold their start level during the burn-in
    }
  }

  const defi = groupOf('defi');
  const stablecoins = groupOf('stablecoin');
  return {
    assets: assets.map((a) => a.symbol),
    prices,
    periodsPerYear: ppy,
    simulated: true,
    note: DEMO_NOTE,
    objective: { type: 'max-sharpe', riskFreeRate: 0 },
    constraints: {
      bounds: [0, 0.35],
      groups: [
        { name: 'DeFi', assets: defi, max: 0.3 },
        { name: 'Stablecoins', assets: stablecoins, max: 0.25 },
      ],
    },
  };
}
