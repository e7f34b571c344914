// The engine's thread. The page never touches the WASM: it posts plain requests here and gets
// plain objects and typed arrays back, so a long solve never freezes the UI.
//
// Protocol: the page posts { id, type, payload }; the worker answers with any number of
// { id, progress: { step, done, total } } and then exactly one { id, ok: true, result } or
// { id, ok: false, error: { code, message, field, stage } }.
//
// Built as a classic script (IIFE) and started from a Blob URL (web/engine-client.js), because
// that is the one way a worker starts under both http:// and file:// (notes, section 5).
import { init, BallastError } from '../bindings/js/index.js';
import { demoRequest, demoParams } from '../bindings/js/demo.js';
import { demoDefiPositions } from './portfolio.js';

let engine = null;

const CATEGORY_NAMES = { major: 'Majors', l1: 'Layer 1', payments: 'Payments', meme: 'Meme', defi: 'DeFi', stablecoin: 'Stablecoins' };

const handlers = {
  // { wasmUrl } (http: streamed and compiled while it downloads) or { wasmBytes } (file://).
  async load({ wasmUrl, wasmBytes }) {
    const options = wasmBytes ? { wasmBinary: wasmBytes } : { locateFile: () => wasmUrl };
    engine = await init(options);
    return { version: engine.version };
  },

  // The package's simulated demo data, flattened for transfer.
  demo({ days = 730 } = {}) {
    const demo = demoRequest({ days });
    const rows = demo.prices.length;
    const cols = demo.assets.length;
    const data = new Float64Array(rows * cols);
    demo.prices.forEach((row, t) => data.set(row, t * cols));
    const categoryOf = new Map(demoParams.assets.map((a) => [a.symbol, CATEGORY_NAMES[a.category] ?? a.category]));
    const groups = demo.constraints.groups.map((g) => ({ category: categoryOf.get(g.assets[0]), max: g.max }));
    // The simulated Aave account and Uniswap v3 position; the LP's token amounts are the engine's.
    const last = demo.prices[rows - 1];
    const { aave, v3 } = demoDefiPositions(demo.assets, last);
    const priceOf = (a) => last[demo.assets.indexOf(a)];
    const lp = stage('defi', () => engine.analyze({ positions: [v3], prices: { ETH: priceOf('ETH'), USDC: priceOf('USDC') },
      tokens: { WETH: { underlying: 'ETH' }, USDC: { stablecoin: true } } })).positions[0].details;
    return {
      assets: demo.assets, categories: demo.assets.map((s) => categoryOf.get(s)), prices: { rows, cols, data },
      periodsPerYear: demo.periodsPerYear, note: demo.note, simulated: true, groups,
      defi: { aave, v3, lpAmounts: [lp.amount0, lp.amount1] },
    };
  },

  // One analysis: moments, the optimal portfolio, the frontier, and the current portfolio's risk.
  // payload = { request, points, currentWeights }
  analyze({ request, points, currentWeights }, progress) {
    const total = 4;
    progress('Estimating returns and covariance', 0, total);
    const estimate = stage('estimate', () => engine.estimate(request));
    progress('Optimizing', 1, total);
    const optimize = stage('optimize', () => engine.optimize(request));
    progress('Tracing the efficient frontier', 2, total);
    const frontier = stage('frontier', () => engine.frontier({ ...request, objective: undefined, points }));
    progress('Measuring the current portfolio', 3, total);
    const { objective, ...withoutObjective } = request;
    const current = stage('report', () => engine.report({
      ...withoutObjective, objective: { type: 'min-variance', riskFreeRate: objective?.riskFreeRate ?? 0 },
      constraints: undefined, weights: currentWeights,
    }));
    return { estimate, optimize, frontier, current };
  },

  // The DeFi engine on the portfolio's positions (docs/api.md, "DeFi positions"): value, deltas,
  // look-through per protocol and chain, health factors, liquidation prices, and the equity
  // after `request.shock`. payload = { request }
  defi({ request }, progress) {
    progress('Analyzing DeFi positions', 0, 1);
    return { analysis: stage('defi', () => engine.analyze(request)) };
  },

  // An options book: value and Greeks per underlying (book, with its scenario grid), then the
  // perp delta hedge (hedge, one perp per underlying, delta only).
  // payload = { request: { underlyings, positions }, scenarios }
  options({ request, scenarios }, progress) {
    progress('Valuing the options book', 0, 2);
    const book = stage('book', () => engine.book({ ...request, scenarios }));
    progress('Sizing the perp delta hedge', 1, 2);
    const instruments = request.underlyings.map((u) => ({ instrument: 'perp', underlying: u.name }));
    const hedge = stage('hedge', () => engine.hedge({ underlyings: request.underlyings, positions: request.positions, instruments, neutralize: ['delta'] }));
    return { book, hedge, instruments };
  },
};

// Runs one engine call, tagging a refused request with the stage that refused it.
function stage(name, run) {
  if (!engine) throw Object.assign(new Error('the engine is not loaded yet'), { code: 'not-loaded' });
  try {
    return run();
  } catch (error) {
    error.stage = name;
    throw error;
  }
}

function plainError(error) {
  return {
    code: error?.code ?? (error instanceof BallastError ? 'invalid' : 'internal'),
    message: String(error?.message ?? error),
    field: error?.field ?? null,
    stage: error?.stage ?? null,
  };
}

self.onmessage = async (event) => {
  const { id, type, payload } = event.data ?? {};
  const progress = (step, done, total) => self.postMessage({ id, progress: { step, done, total } });
  try {
    const handler = handlers[type];
    if (!handler) throw Object.assign(new Error(`unknown request type ${type}`), { code: 'unknown-type' });
    const result = await handler(payload ?? {}, progress);
    const transfer = result?.prices?.data instanceof Float64Array ? [result.prices.data.buffer] : [];
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (error) {
    self.postMessage({ id, ok: false, error: plainError(error) });
  }
};
