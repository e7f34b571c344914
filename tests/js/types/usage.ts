// Compiled by tests/js/types.test.mjs with `tsc --noEmit --strict`: every function and result
// field of the public API used once as a user would, plus misuse that must not type-check.
import { BallastError, init } from 'ballast';
import type {
  AnalyzeResult,
  StrategyResult,
  Ballast,
  Bound,
  Constraints,
  ErrorCode,
  EstimateResult,
  EstimatorOptions,
  FrontierPoint,
  FrontierResult,
  BookRequest,
  BookResult,
  GreeksColumns,
  HedgeRequest,
  HedgeResult,
  SmileRequest,
  SmileResult,
  SurfaceRequest,
  SurfaceResult,
  GreeksColumnsRequest,
  GreekValues,
  GreeksOption,
  GreeksRequest,
  GreeksResult,
  ImpliedVolColumns,
  ImpliedVolOption,
  ImpliedVolResult,
  ImpliedVolResults,
  ImpliedVolStatus,
  OptionGreeks,
  OptionKind,
  PricingModel,
  InitOptions,
  Matrix,
  MatrixView,
  Objective,
  OptimizeRequest,
  OptimizeResult,
  PortfolioReport,
  PriceMatrix,
  PsdRepair,
  ReportResult,
  SolveInfo,
  SolveStatus,
} from 'ballast';

const options: InitOptions = { wasmBinary: new Uint8Array(0), locateFile: (path, prefix) => prefix + path };
void options;
const b: Ballast = await init();
const again: Promise<Ballast> = init({ locateFile: (path) => `https://cdn.example/${path}` });
void again;
const version: string = b.version;
const heap: number = b.heapBytesInUse();

const prices: PriceMatrix = [
  [100, 10, null],
  [101, 10.5, 1],
  [99, 10.2, 1.1],
];
const view: MatrixView = { data: new Float64Array(6), rows: 3, cols: 2 };
const nested: Matrix = [
  [0.01, 0.02],
  [0.03, -0.01],
];
const estimator: EstimatorOptions = {
  expectedReturns: 'ewma',
  covariance: 'ledoit-wolf',
  halfLife: 60,
  returns: 'log',
  missing: 'pairwise',
};
const objective: Objective = {
  type: 'target-volatility',
  riskAversion: 2,
  targetReturn: 0.1,
  targetVolatility: 0.4,
  riskFreeRate: 0.04,
};
const allBounds: Bound = [0, 0.5];
const constraints: Constraints = {
  bounds: [allBounds, [-0.2, null], [null, 1]],
  budget: 1,
  groups: [{ name: 'defi', assets: ['UNI', 'AAVE'], min: 0.05, max: 0.3 }],
  grossLeverage: 1.5,
};
const request: OptimizeRequest = {
  assets: ['BTC', 'UNI', 'AAVE'],
  prices,
  periodsPerYear: 365,
  estimator,
  objective,
  constraints,
  betaTo: 'BTC',
};

const opt: OptimizeResult = b.optimize(request);
const status: SolveStatus = opt.status;
const names: string[] = opt.assets;
const weights: number[] = opt.weights;
const er: number | null = opt.expectedReturn;
const vol: number | null = opt.volatility;
const sharpe: number | null = opt.sharpe;
const rc: number[] = opt.riskContributions;
const rcs: number[] = opt.riskContributionShares;
const dr: number | null = opt.diversificationRatio;
const beta: number | null | undefined = opt.beta;
const binding: string[] = opt.binding;
const why: string | undefined = opt.infeasible?.[0]?.field;
const whyText: string | undefined = opt.infeasible?.[0]?.message;
const fellFrom: Objective['type'] | undefined = opt.fallback?.from;
const fellTo: Objective['type'] | undefined = opt.fallback?.to;
const fellReason: string | undefined = opt.fallback?.reason;
const message: string = opt.message;
const info: SolveInfo = opt.info;
const diagnostics: number[] = [info.iterations, info.primalResidual, info.dualResidual, info.solveMs];

const fr: FrontierResult = b.frontier({ assets: ['A', 'B'], returns: view, points: 10 });
const point: FrontierPoint | undefined = fr.points[0];
const frontierFields = point && [point.expectedReturn, point.volatility, point.weights.length, point.status];
const frontierNames: string[] = fr.assets;

const est: EstimateResult = b.estimate({
  assets: ['A', 'B'],
  covariance: nested,
  expectedReturns: new Float64Array([0.1, 0.2]),
});
const psd: PsdRepair = est.psdRepair;
const estimateFields = [
  est.assets,
  est.expectedReturns,
  est.covariance[0]?.[1],
  est.correlation[1]?.[0],
  est.volatilities,
  est.observations,
  psd.repaired,
  psd.eigenvaluesClipped,
  psd.minEigenvalueBefore,
  psd.frobeniusChange,
];
const shrinkage: number | null = est.shrinkage;

const rep: ReportResult = b.report({ assets: ['A', 'B'], returns: nested, weights: [0.5, 0.5], betaTo: 'A' });
const asReport: PortfolioReport = rep;
const reportFields: Array<number | number[] | null | undefined> = [
  asReport.expectedReturn,
  asReport.volatility,
  asReport.sharpe,
  asReport.riskContributions,
  asReport.riskContributionShares,
  asReport.diversificationRatio,
  asReport.beta,
];

try {
  b.optimize({ assets: [], prices: [] });
} catch (error) {
  if (error instanceof BallastError) {
    const code: ErrorCode = error.code;
    const field: string = error.field;
    const text: string = error.message;
    const json: { code: ErrorCode; message: string; field: string } = error.toJSON();
    void [code, field, text, json];
  }
}
const made = new BallastError('invalid-value', 'made by hand', 'points');
void made;

void [version, heap, status, names, weights, er, vol, sharpe, rc, rcs, dr, beta, binding, why, whyText];
void [fellFrom, fellTo, fellReason, message, diagnostics, frontierFields, frontierNames, estimateFields];
void [shrinkage, reportFields];

// ---- options ----------------------------------------------------------------------------------

const kindName: OptionKind = 'put';
const modelName: PricingModel = 'inverse';
const onSpot: GreeksOption = { kind: 'call', model: 'black-scholes', spot: 42, strike: 40, expiryYears: 0.5, vol: 0.2, rate: 0.1, dividendYield: 0.01, quantity: 2 };
const onForward: GreeksOption = { kind: kindName, model: modelName, forward: 60000, strike: 55000, expiryYears: 0.1, vol: 0.6, quantity: -1 };
const greeksRequest: GreeksRequest = { options: [onSpot, onForward, { kind: 'call', model: 'black-76', forward: 100, strike: 90, expiryYears: 1, vol: 0.3 }] };
const gr: GreeksResult = b.greeks(greeksRequest);
const first: OptionGreeks | undefined = gr.options[0];
const ntd: number | undefined = first?.netTransactionDelta;
const totals: GreekValues = gr.totals;
const greekFields: number[] = [
  totals.price, totals.delta, totals.gamma, totals.vega, totals.vegaPerVolPoint, totals.theta,
  totals.thetaPerDay, totals.rho, totals.vanna, totals.volga, totals.charm,
];

const quote: ImpliedVolOption = { kind: 'call', model: 'black-76', forward: 100, strike: 90, expiryYears: 1, price: 14, rate: 0.02 };
const oneIv: ImpliedVolResult = b.impliedVol(quote);
const ivVol: number | null = oneIv.vol;
const ivStatus: ImpliedVolStatus = oneIv.status;
const ivIterations: number = oneIv.iterations;
const manyIv: ImpliedVolResults = b.impliedVol({ options: [quote] });
const manyFirst: ImpliedVolResult | undefined = manyIv.results[0];

const n = 4;
const columnsRequest: GreeksColumnsRequest = {
  kind: new Uint8Array(n),
  model: 'black-scholes',
  underlying: new Float64Array(n).fill(100),
  strike: new Float64Array(n).fill(95),
  expiryYears: new Float64Array(n).fill(0.5),
  vol: new Float64Array(n).fill(0.4),
  rate: 0.03,
  dividendYield: new Float64Array(n),
};
const gc: GreeksColumns = b.greeksColumns(columnsRequest);
const columnsOut: Float64Array[] = [gc.price, gc.delta, gc.gamma, gc.vega, gc.theta, gc.rho, gc.vanna, gc.volga, gc.charm];
const { vol: _unused, ...quotes } = columnsRequest;
const ivc: ImpliedVolColumns = b.impliedVolColumns({ ...quotes, kind: new Float64Array(n), price: gc.price });
const ivcVol: Float64Array = ivc.vol;
const ivcStatus: Uint8Array = ivc.status;
const statusName: ImpliedVolStatus | undefined = b.impliedVolStatuses[ivcStatus[0] ?? 0];
void [ntd, greekFields, ivVol, ivStatus, ivIterations, manyFirst, columnsOut, ivcVol, statusName];

// @ts-expect-error Black-Scholes takes a spot, not a forward
b.greeks({ options: [{ kind: 'call', model: 'black-scholes', forward: 100, strike: 90, expiryYears: 1, vol: 0.3 }] });
// @ts-expect-error Black-76 takes a forward, not a spot
b.greeks({ options: [{ kind: 'call', model: 'black-76', spot: 100, strike: 90, expiryYears: 1, vol: 0.3 }] });
// @ts-expect-error unknown model
b.greeks({ options: [{ kind: 'call', model: 'heston', spot: 100, strike: 90, expiryYears: 1, vol: 0.3 }] });
// @ts-expect-error greeks needs a vol
b.greeks({ options: [{ kind: 'call', model: 'black-scholes', spot: 100, strike: 90, expiryYears: 1 }] });
// @ts-expect-error implied vol needs a price
b.impliedVol({ kind: 'call', model: 'black-76', forward: 100, strike: 90, expiryYears: 1 });
// @ts-expect-error a single implied vol may be null
const ivNotNull: number = oneIv.vol;
// @ts-expect-error columns are typed arrays, not plain arrays
b.greeksColumns({ ...columnsRequest, strike: [95, 95, 95, 95] });
// @ts-expect-error one model per columnar call, by name
b.greeksColumns({ ...columnsRequest, model: 0 });
void ivNotNull;

// ---- DeFi positions ---------------------------------------------------------------------------
const analysis: AnalyzeResult = b.analyze({
  prices: { ETH: 2000, USDC: 1 },
  tokens: { wstETH: { underlying: 'ETH', exchangeRate: 1.2, protocol: 'lido' }, USDC: { stablecoin: true } },
  shock: { ETH: -0.3 },
  positions: [
    { type: 'spot', asset: 'wstETH', amount: 1 },
    { type: 'uniswap-v3', token0: 'USDC', token1: 'ETH', decimals0: 6, decimals1: 18, liquidity: '1000', tickLower: -10, tickUpper: 10, tick: 0 },
    { type: 'aave-v3', supplies: [{ asset: 'wstETH', amount: 1, ltv: 0.7, liquidationThreshold: 0.8, liquidationBonus: 0.05 }], borrows: [{ asset: 'USDC', amount: 100 }] },
    { type: 'perp', asset: 'ETH', size: -1, entryPrice: 2000, margin: 500, maintenanceMarginRatio: 0.0125, marginMode: 'cross' },
  ],
});
const ethUnits: number = analysis.portfolio.exposures.ETH.units;
const lowest: number | undefined = analysis.portfolio.lowestHealthFactor?.value;
const carry: StrategyResult = b.strategy({ name: 'delta-neutral-carry', prices: { ETH: 2000 }, asset: 'ETH', capitalUsd: 1, priceShock: 0.3, maintenanceMarginRatio: 0.01 });
const carryApr: number | null = carry.summary.carryApr;
b.optimize({ assets: ['A', 'B'], prices, constraints: { linear: [{ name: 'row', coefficients: { A: 1 }, max: 0.5 }],
  defi: { assets: { A: { protocols: ['lido'] } }, protocolCaps: { lido: 0.4 } } } });
void [ethUnits, lowest, carryApr];
// @ts-expect-error a v3 position takes sqrtPriceX96 or tick, not both
b.analyze({ prices: {}, positions: [{ type: 'uniswap-v3', token0: 'A', token1: 'B', decimals0: 1, decimals1: 1, liquidity: '1', tickLower: 0, tickUpper: 1, tick: 0, sqrtPriceX96: '1' }] });
// @ts-expect-error unknown position type
b.analyze({ prices: {}, positions: [{ type: 'vault', asset: 'ETH' }] });
// @ts-expect-error strategies are named
b.strategy({ name: 'moon', prices: {} });
// ---- smiles, surfaces, books, hedges ---------------------------------------------------------

const smileRequest: SmileRequest = {
  expiryYears: 0.12,
  forward: 9400,
  strikes: [7000, 8000, 9000, 10000, 11000, 12000],
  vols: [1.0, 0.88, 0.8, 0.78, 0.8, 0.86],
  weighting: 'spread',
  bidVols: [0.95, 0.85, 0.78, 0.76, 0.77, 0.8],
  askVols: [1.05, 0.91, 0.82, 0.8, 0.83, 0.92],
};
const smile: SmileResult = b.smile(smileRequest);
const sviB: number = smile.svi.b;
const bf: boolean = smile.butterfly.arbitrageFree;
const firstViolation: number | undefined = smile.butterfly.violations[0]?.worstDensity;
const rms: number = smile.fit.rmsVolError;
const surfaceRequest: SurfaceRequest = {
  slices: [smileRequest, { expiryYears: 0.5, forward: 9500, svi: { a: 0.2, b: 0.3, rho: -0.2, m: 0, sigma: 0.2 } }],
  queries: [{ strike: 9000, expiryYears: 0.3 }],
};
const surface: SurfaceResult = b.surface(surfaceRequest);
const calendarOk: boolean = surface.calendar.arbitrageFree;
const shortfall: number | undefined = surface.calendar.violations[0]?.worstShortfall;
const queried: number | undefined = surface.queries?.[0]?.vol;
const bookRequest: BookRequest = {
  underlyings: [{ name: 'BTC', spot: 9348 }],
  positions: [
    { instrument: 'option', underlying: 'BTC', kind: 'call', model: 'inverse', forward: 9400, strike: 10000, expiryYears: 0.12, vol: 0.75, quantity: -5 },
    { instrument: 'option', kind: 'put', model: 'black-scholes', strike: 9000, expiryYears: 0.5, vol: 0.8, rate: 0.01, quantity: 2 },
    { instrument: 'future', forward: 9500, expiryYears: 0.25, quantity: -1 },
    { instrument: 'perp', quantity: 0.5, entryPrice: 9300 },
    { instrument: 'perp', settlement: 'inverse', quantity: -20000, fundingRatePerYear: 0.1095 },
    { instrument: 'future', settlement: 'inverse', forward: 9600, entryPrice: 9200, quantity: 50000 },
    { instrument: 'spot', quantity: 2 },
  ],
  scenarios: { spotShocks: [-0.2, 0, 0.2], volShocks: [-0.1, 0, 0.1], volShockMode: 'additive', horizonYears: 1 / 365 },
};
const book: BookResult = b.book(bookRequest);
const btcDelta: number | undefined = book.underlyings[0]?.deltaCoin;
const perpSize: number | undefined = book.underlyings[0]?.deltaNeutralPerpQuantity;
const pnl: number | undefined = book.scenarios?.pnlUsd[0]?.[0];
const hedgeRequest: HedgeRequest = {
  underlyings: bookRequest.underlyings,
  positions: bookRequest.positions,
  instruments: [
    { instrument: 'perp', costPerUnit: 0.5 },
    { instrument: 'option', kind: 'call', model: 'inverse', forward: 9400, strike: 9500, expiryYears: 0.12, vol: 0.74, costPerUnit: 12, maxQuantity: 100 },
  ],
  neutralize: ['delta', 'gamma'],
  regularization: 1e-6,
};
const hedge: HedgeResult = b.hedge(hedgeRequest);
const hedgeStatus: 'solved' | 'solved-inaccurate' | 'infeasible' | 'max-iterations' | 'numerical-error' = hedge.status;
const sizes: Array<number | null> = hedge.quantities;
const leftOver: boolean | undefined = hedge.greeks[0]?.neutralized;
void [sviB, bf, firstViolation, rms, calendarOk, shortfall, queried, btcDelta, perpSize, pnl, hedgeStatus, sizes, leftOver];

// @ts-expect-error black-scholes options in a book take their spot from the underlying
b.book({ underlyings: [{ name: 'BTC', spot: 1 }], positions: [{ instrument: 'option', kind: 'call', model: 'black-scholes', spot: 1, strike: 1, expiryYears: 1, vol: 0.5, quantity: 1 }] });
// @ts-expect-error only perps pay funding
b.book({ underlyings: [{ name: 'BTC', spot: 1 }], positions: [{ instrument: 'future', forward: 1, quantity: 1, fundingRatePerYear: 0.1 }] });
// @ts-expect-error unknown instrument
b.book({ underlyings: [{ name: 'BTC', spot: 1 }], positions: [{ instrument: 'swap', quantity: 1 }] });
// @ts-expect-error hedge instruments have no quantity
b.hedge({ ...hedgeRequest, instruments: [{ instrument: 'perp', quantity: 1 }] });
// @ts-expect-error unknown Greek
b.hedge({ ...hedgeRequest, neutralize: ['rho'] });
// @ts-expect-error a smile needs vols
b.smile({ expiryYears: 1, forward: 1, strikes: [1, 2, 3, 4, 5] });

// ---- misuse that must not compile ----------------------------------------------------------

// @ts-expect-error assets are required
b.optimize({ prices });
// @ts-expect-error a market input is required
b.optimize({ assets: ['A'] });
// @ts-expect-error only one market input
b.optimize({ assets: ['A'], prices, returns: nested });
// @ts-expect-error covariance needs expectedReturns
b.estimate({ assets: ['A'], covariance: nested });
// @ts-expect-error expectedReturns go only with covariance
b.estimate({ assets: ['A'], prices, expectedReturns: [0.1] });
// @ts-expect-error unknown objective type
b.optimize({ assets: ['A'], prices, objective: { type: 'max-return' } });
// @ts-expect-error unknown covariance method
b.estimate({ assets: ['A'], prices, estimator: { covariance: 'shrunk' } });
// @ts-expect-error a MatrixView needs a Float64Array
b.estimate({ assets: ['A'], returns: { data: [1, 2], rows: 2, cols: 1 } });
// @ts-expect-error report needs weights
b.report({ assets: ['A'], prices });
// @ts-expect-error a bound is a pair
b.optimize({ assets: ['A'], prices, constraints: { bounds: [0, 1, 2] } });
// @ts-expect-error weights may be missing (infeasible): the result is number | null
const notNull: number = opt.expectedReturn;
// @ts-expect-error codes come from the engine's vocabulary
const badCode: ErrorCode = 'bad-input';
// @ts-expect-error version is a property, not a function
b.version();
void [notNull, badCode];
