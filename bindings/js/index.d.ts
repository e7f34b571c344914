// Type declarations for the `ballast` package. Hand-written and kept in step with
// docs/api.md (the public contract) and with bindings/js/index.js; tests/js/types.test.mjs
// type-checks tests/js/types/usage.ts against this file.
//
// Conventions: every return and volatility is annualized (using `periodsPerYear`) and written
// as a fraction (0.12 = 12%); weights are fractions of capital; matrices are row-major.

// ---- inputs ----------------------------------------------------------------------------------

/**
 * A matrix, in either of two forms:
 * - nested arrays, one inner array per row (`matrix[row][col]`);
 * - `{ data, rows, cols }` with `data` a row-major `Float64Array` of `rows * cols` numbers,
 *   handed to the engine without a copy in JS (use it for large inputs).
 */
export type Matrix = ReadonlyArray<ReadonlyArray<number>> | MatrixView;

/** A row-major matrix view: element (i, j) is `data[i * cols + j]`. */
export interface MatrixView {
  /** The `rows * cols` numbers, row after row. */
  data: Float64Array;
  /** Number of rows. */
  rows: number;
  /** Number of columns. */
  cols: number;
}

/**
 * A price history, oldest row first, one column per asset (T x N). `null` marks a day with no
 * price for that asset (a token that did not trade yet); how such gaps are treated is
 * `estimator.missing`. Prices must be positive.
 */
export type PriceMatrix = ReadonlyArray<ReadonlyArray<number | null>> | MatrixView;

/** How expected returns and the covariance matrix are estimated from history. */
export interface EstimatorOptions {
  /**
   * Expected returns: `'mean'` (arithmetic mean of period returns) or `'ewma'`
   * (exponentially weighted mean, half-life `halfLife`).
   * @defaultValue `'mean'`
   */
  expectedReturns?: 'mean' | 'ewma';
  /**
   * Covariance: `'sample'` (unbiased sample covariance), `'ewma'` (exponentially weighted,
   * half-life `halfLife`) or `'ledoit-wolf'` (sample covariance shrunk towards a scaled
   * identity with the Ledoit-Wolf optimal intensity).
   * @defaultValue `'sample'`
   */
  covariance?: 'sample' | 'ewma' | 'ledoit-wolf';
  /**
   * Half-life of the EWMA weights, in periods (rows of `prices`/`returns`). Must be > 0.
   * @defaultValue `90`
   */
  halfLife?: number;
  /**
   * Period returns computed from prices: `'simple'` (p1/p0 - 1) or `'log'` (ln(p1/p0)).
   * @defaultValue `'simple'`
   */
  returns?: 'simple' | 'log';
  /**
   * Missing prices (`null`): `'common-window'` uses only the rows where every asset has a
   * price; `'pairwise'` uses, for each pair of assets, the rows where both have one (the
   * result is then repaired to the nearest positive semidefinite matrix if needed).
   * @defaultValue `'common-window'`
   */
  missing?: 'common-window' | 'pairwise';
}

/** What the optimizer maximizes or minimizes. */
export interface Objective {
  /**
   * - `'min-variance'`: the lowest-volatility portfolio;
   * - `'max-sharpe'`: the highest (expectedReturn - riskFreeRate) / volatility;
   * - `'max-utility'`: maximize expectedReturn - riskAversion / 2 * variance;
   * - `'target-return'`: the lowest volatility with expectedReturn >= `targetReturn`;
   * - `'target-volatility'`: the highest expected return with volatility <= `targetVolatility`.
   */
  type: 'min-variance' | 'max-sharpe' | 'max-utility' | 'target-return' | 'target-volatility';
  /**
   * Risk aversion for `'max-utility'` (dimensionless, > 0).
   * @defaultValue `1`
   */
  riskAversion?: number;
  /** Required annualized expected return for `'target-return'` (0.2 = 20% a year). */
  targetReturn?: number;
  /** Annualized volatility cap for `'target-volatility'` (0.5 = 50% a year). */
  targetVolatility?: number;
  /**
   * Annual risk-free rate, used by `'max-sharpe'` and in every reported Sharpe ratio.
   * @defaultValue `0`
   */
  riskFreeRate?: number;
}

/** A group of assets whose total weight is bounded, e.g. all stablecoins. */
export interface GroupConstraint {
  /** A label, used in `binding` and in messages. */
  name: string;
  /** Names of the member assets; each must appear in `assets`. */
  assets: ReadonlyArray<string>;
  /**
   * Lowest total weight of the group (fraction of capital). A group needs `min`, `max` or both.
   * @defaultValue no lower limit
   */
  min?: number;
  /** Highest total weight of the group (fraction of capital). @defaultValue no upper limit */
  max?: number;
}

/**
 * A `[min, max]` weight range (fractions of capital; a negative `min` allows shorts). `null`
 * on either side leaves that side unbounded.
 */
export type Bound = readonly [min: number | null, max: number | null];

/** Limits on the weights. */
export interface Constraints {
  /**
   * Weight ranges: one `[min, max]` pair for every asset, or one pair per asset in the order
   * of `assets`. `min <= max` is required.
   * @defaultValue `[0, 1]` (long only, no asset above 100%)
   */
  bounds?: Bound | ReadonlyArray<Bound>;
  /**
   * Sum of the weights (1 = fully invested).
   * @defaultValue `1`
   */
  budget?: number;
  /** Group limits, each on the sum of its members' weights. @defaultValue `[]` */
  groups?: ReadonlyArray<GroupConstraint>;
  /**
   * Cap on the sum of absolute weights (e.g. 1.5 for 130/30). @defaultValue no cap
   */
  grossLeverage?: number;
}

/** Keys shared by every request. Unknown keys are rejected with `'unknown-key'`. */
interface RequestBase {
  /** Asset names: required, non-empty, unique. Their order is the column order of every matrix. */
  assets: ReadonlyArray<string>;
  /**
   * Periods per year, used to annualize returns and volatilities (365 for daily crypto
   * prices, 252 for daily equity prices, 52 for weekly).
   * @defaultValue `365`
   */
  periodsPerYear?: number;
  /** How moments are estimated from `prices` or `returns` (ignored with `covariance`). */
  estimator?: EstimatorOptions;
  /** Name of an asset to report each portfolio's beta against (optional). */
  betaTo?: string;
}

/** Price history (T x N, T >= 2). */
interface PricesInput {
  prices: PriceMatrix;
  returns?: never;
  covariance?: never;
  expectedReturns?: never;
}
/** Period returns (T x N, T >= 2), as fractions per period. */
interface ReturnsInput {
  returns: Matrix;
  prices?: never;
  covariance?: never;
  expectedReturns?: never;
}
/** Given moments, used as they are: annualized covariance (N x N) and expected returns (N). */
interface MomentsInput {
  covariance: Matrix;
  /** Annualized expected returns, one per asset. */
  expectedReturns: ReadonlyArray<number> | Float64Array;
  prices?: never;
  returns?: never;
}
/** Exactly one market input: `prices`, `returns`, or `covariance` with `expectedReturns`. */
export type MarketInput = PricesInput | ReturnsInput | MomentsInput;

/**
 * One request shape serves every method, so the same request can be sent to estimate,
 * optimize, frontier and report (`points` and `weights` belong to one method each).
 */
export type PortfolioRequest = RequestBase &
  MarketInput & {
    /**
     * What to optimize (optimize); `riskFreeRate` also sets every reported Sharpe ratio.
     * @defaultValue `{ type: 'min-variance' }`
     */
    objective?: Objective;
    /** Limits on the weights (optimize, frontier). */
    constraints?: Constraints;
  };

/** Request for {@link Ballast.optimize}. */
export type OptimizeRequest = PortfolioRequest;

/** Request for {@link Ballast.frontier}. */
export type FrontierRequest = PortfolioRequest & {
  /**
   * Number of frontier portfolios, from minimum volatility to maximum return (2 to 1000).
   * @defaultValue `20`
   */
  points?: number;
};

/** Request for {@link Ballast.estimate}. */
export type EstimateRequest = PortfolioRequest;

/** Request for {@link Ballast.report}: risk and return of given weights. */
export type ReportRequest = PortfolioRequest & {
  /** Portfolio weights, one per asset in the order of `assets` (fractions of capital). */
  weights: ReadonlyArray<number> | Float64Array;
};

// ---- results ---------------------------------------------------------------------------------

/**
 * How a solve ended. Only `'solved'` and `'solved-inaccurate'` come with weights; none of
 * these is thrown.
 * - `'solved'`: converged to the requested tolerance;
 * - `'solved-inaccurate'`: stopped close to optimal, at a looser tolerance (see `info`);
 * - `'infeasible'`: no weights meet the constraints (see `infeasible`);
 * - `'max-iterations'`: the iteration limit was reached first;
 * - `'numerical-error'`: the problem is too badly conditioned to solve.
 */
export type SolveStatus = 'solved' | 'solved-inaccurate' | 'infeasible' | 'max-iterations' | 'numerical-error';

/** Solver diagnostics, kept apart from the solution. */
export interface SolveInfo {
  /** Iterations the solver took. */
  iterations: number;
  /** Largest constraint violation at the returned weights (absolute, in weight units). */
  primalResidual: number;
  /** Largest optimality (KKT stationarity) violation at the returned weights. */
  dualResidual: number;
  /** Wall-clock solve time in milliseconds. */
  solveMs: number;
}

/** One reason the constraints cannot all hold. */
export interface InfeasibleReason {
  /** Path of the offending constraint in the request, e.g. `'constraints.groups[1].min'`. */
  field: string;
  /** Why, in words. */
  message: string;
}

/** A fallback the optimizer took instead of failing, e.g. from max-sharpe to min-variance. */
export interface Fallback {
  /** The objective asked for. */
  from: Objective['type'];
  /** The objective solved instead. */
  to: Objective['type'];
  /** Why (e.g. no asset has an expected return above the risk-free rate). */
  reason: string;
}

/** Risk and return of one portfolio. All figures annualized. */
export interface PortfolioReport {
  /** Annualized expected return (fraction; 0.1 = 10%). */
  expectedReturn: number;
  /** Annualized volatility (standard deviation of returns, fraction). */
  volatility: number;
  /** (expectedReturn - riskFreeRate) / volatility; `null` when volatility is 0. */
  sharpe: number | null;
  /** Each asset's contribution to `volatility` (w_i (Σw)_i / σ); they sum to `volatility`. */
  riskContributions: number[];
  /** `riskContributions` divided by `volatility`; they sum to 1. */
  riskContributionShares: number[];
  /** Σ |w_i| σ_i / σ (weighted average asset volatility over portfolio volatility; >= 1); `null` when volatility is 0. */
  diversificationRatio: number | null;
  /** Beta to the `betaTo` asset, (Σw)_k / Σ_kk; present only when `betaTo` was given, `null` when that asset has zero variance. */
  beta?: number | null;
}

/**
 * Result of {@link Ballast.optimize}. When `status` is `'infeasible'` (or no weights were
 * found), `weights`, `riskContributions` and `riskContributionShares` are empty arrays and
 * the numbers are `null`.
 */
export interface OptimizeResult {
  status: SolveStatus;
  /** Asset names, in the order of `weights`. */
  assets: string[];
  /** Portfolio weights (fractions of capital), one per asset; empty when there is no solution. */
  weights: number[];
  /** Annualized expected return; `null` without a solution. */
  expectedReturn: number | null;
  /** Annualized volatility; `null` without a solution. */
  volatility: number | null;
  /** (expectedReturn - riskFreeRate) / volatility; `null` without a solution or at zero volatility. */
  sharpe: number | null;
  /** Each asset's contribution to `volatility` (they sum to it); empty without a solution. */
  riskContributions: number[];
  /** `riskContributions` / `volatility` (they sum to 1); empty without a solution. */
  riskContributionShares: number[];
  /** Σ w_i σ_i / σ; `null` without a solution. */
  diversificationRatio: number | null;
  /** Beta to the `betaTo` asset; present only when `betaTo` was given (`null` without a solution). */
  beta?: number | null;
  /**
   * Paths of the constraints active at the solution: `'constraints.bounds[i][0]'` (asset i at
   * its minimum) or `'constraints.bounds[i][1]'` (at its maximum), with i the asset index even
   * when one pair was given for all; `'constraints.budget'`; `'constraints.groups[k].min'` or
   * `'.max'`; `'constraints.grossLeverage'`; `'objective.targetReturn'`;
   * `'objective.targetVolatility'`.
   */
  binding: string[];
  /** Why the problem is infeasible; present only when `status` is `'infeasible'`. */
  infeasible?: InfeasibleReason[];
  /** Present only when the optimizer fell back to another objective. */
  fallback?: Fallback;
  /** A one-line account of the outcome. */
  message: string;
  info: SolveInfo;
}

/** One portfolio on the efficient frontier. */
export interface FrontierPoint {
  /** Annualized expected return. */
  expectedReturn: number;
  /** Annualized volatility. */
  volatility: number;
  /** Weights, one per asset in the order of `assets`. */
  weights: number[];
  /** How this point's solve ended. */
  status: SolveStatus;
}

/** Result of {@link Ballast.frontier}: points in order of increasing expected return. */
export interface FrontierResult {
  /** Asset names, in the order of every `weights`. */
  assets: string[];
  points: FrontierPoint[];
}

/** What was done to make the covariance matrix positive semidefinite. */
export interface PsdRepair {
  /** True when the estimate was not PSD and was replaced by the nearest PSD matrix. */
  repaired: boolean;
  /** How many eigenvalues were raised to the floor. */
  eigenvaluesClipped: number;
  /** The smallest eigenvalue before the repair (annualized variance units); `null` when a Cholesky factorization proved the matrix positive definite and no eigenvalues were computed. */
  minEigenvalueBefore: number | null;
  /** Frobenius norm of (repaired - original). */
  frobeniusChange: number;
}

/** Result of {@link Ballast.estimate}. Moments are annualized. */
export interface EstimateResult {
  /** Asset names, in matrix order. */
  assets: string[];
  /** Annualized expected returns (fractions). */
  expectedReturns: number[];
  /** Annualized covariance (N x N nested arrays). */
  covariance: number[][];
  /** Correlation matrix (N x N, unit diagonal). */
  correlation: number[][];
  /** Annualized volatilities (square roots of the covariance diagonal). */
  volatilities: number[];
  /** Ledoit-Wolf shrinkage intensity in [0, 1]; `null` for other covariance methods. */
  shrinkage: number | null;
  /** Number of return periods used (after the missing-price policy; pairwise: the fewest behind any entry). */
  observations: number;
  /**
   * Pairwise policy only: asset pairs whose histories share fewer than 2 periods (for example a
   * token and its renamed successor). Their covariance is set to 0 before the PSD repair.
   */
  unestimatedPairs: [string, string][];
  psdRepair: PsdRepair;
}

/** Result of {@link Ballast.report}. */
export type ReportResult = PortfolioReport;

// ---- options: prices, Greeks, implied vol ------------------------------------------------------
//
// Conventions (docs/api.md, "Options"): European options; rates, dividend yields and vols are
// annual, continuously compounded fractions (0.05 = 5%, vol 0.8 = 80% per √year); expiryYears
// is a year fraction (ACT/365 is the caller's choice). Every per-option figure is per ONE
// option. Premiums and price-currency Greeks are in USD (the quote currency) for
// 'black-scholes' and 'black-76', and in COIN for 'inverse' (coin-settled, as on Deribit).

/** `'call'` or `'put'`. */
export type OptionKind = 'call' | 'put';

/**
 * - `'black-scholes'`: Black-Scholes-Merton on the spot, with a continuous dividend yield (carry);
 *   takes `spot`, never `forward`. Premium in USD.
 * - `'black-76'`: Black-76 on a forward; takes `forward`, never `spot`. Premium in USD.
 * - `'inverse'`: coin-settled (Deribit BTC/ETH options): the Black-76 USD value divided by the
 *   forward, paid in coin; takes `forward`. Premium, vega, theta, rho and volga in coin.
 */
export type PricingModel = 'black-scholes' | 'black-76' | 'inverse';

/** The model's one underlying price: `spot` for Black-Scholes, `forward` for Black-76 and inverse. */
type Underlying =
  | { model: 'black-scholes'; /** Spot price of the underlying now (USD). */ spot: number; forward?: never }
  | {
      model: 'black-76' | 'inverse';
      /** Forward price for the option's expiry (USD; Deribit's `underlying_price`). */
      forward: number;
      spot?: never;
    };

/** Members shared by {@link GreeksOption} and {@link ImpliedVolOption}. */
interface OptionTerms {
  kind: OptionKind;
  /** Strike (USD), in [1e-100, 1e100]. */
  strike: number;
  /** Time to expiry in years, 0 (expiring now: intrinsic value) or in [1e-10, 100]. */
  expiryYears: number;
  /**
   * Continuously compounded annual discount rate, in [-1, 1].
   * @defaultValue `0`
   */
  rate?: number;
  /**
   * Continuous dividend yield (carry) q, in [-1, 1]; Black-Scholes only (nonzero elsewhere is
   * `invalid-value`: the forward already holds the carry).
   * @defaultValue `0`
   */
  dividendYield?: number;
}

/** One option for {@link Ballast.greeks}. Unknown keys are refused (`unknown-key`). */
export type GreeksOption = OptionTerms &
  Underlying & {
    /** Volatility per √year (0.8 = 80%), 0 or in [1e-6, 100]. */
    vol: number;
    /**
     * Signed number of options (negative = short); used only by `totals`.
     * @defaultValue `1`
     */
    quantity?: number;
  };

/** Request for {@link Ballast.greeks}. */
export interface GreeksRequest {
  options: ReadonlyArray<GreeksOption>;
}

/**
 * Price and Greeks of one option, per ONE option (quantity not applied). "Premium currency" is
 * USD for `'black-scholes'` and `'black-76'`, coin for `'inverse'`. The underlying U is the spot
 * for Black-Scholes and the forward for Black-76 and inverse.
 */
export interface GreekValues {
  /** Premium, in the premium currency. */
  price: number;
  /** ∂V/∂U of the USD value V (inverse: V = price · forward), i.e. units of the underlying (coin exposure). */
  delta: number;
  /** ∂delta/∂U, per USD of U. */
  gamma: number;
  /** ∂price/∂vol per 1.00 of vol (premium currency). */
  vega: number;
  /** vega / 100: per 1 vol point (0.01). */
  vegaPerVolPoint: number;
  /** -∂price/∂expiryYears per year of calendar time, holding U, vol and rate (premium currency). */
  theta: number;
  /** theta / 365: per calendar day. */
  thetaPerDay: number;
  /** ∂price/∂rate per 1.00 of rate, holding U (and the dividend yield) fixed. */
  rho: number;
  /** ∂delta/∂vol, per 1.00 of vol. */
  vanna: number;
  /** ∂vega/∂vol, per 1.00 of vol (premium currency). */
  volga: number;
  /** -∂delta/∂expiryYears, per year. */
  charm: number;
}

/** One option's figures in {@link GreeksResult}. */
export interface OptionGreeks extends GreekValues {
  /**
   * Inverse options only: delta minus the premium paid in coin (= forward · ∂price/∂forward),
   * the coin exposure after paying the premium ("Net Transaction Delta" on Deribit).
   */
  netTransactionDelta?: number;
}

/** Result of {@link Ballast.greeks}. */
export interface GreeksResult {
  /** Per option, in request order, per ONE option. */
  options: OptionGreeks[];
  /**
   * Quantity-weighted sums of every per-option figure. Meaningful only for options on one
   * underlying and of one premium currency (do not add coin and USD figures).
   */
  totals: GreekValues;
}

/** One option for {@link Ballast.impliedVol}. Unknown keys (also `vol`, `quantity`) are refused. */
export type ImpliedVolOption = OptionTerms &
  Underlying & {
    /** The observed premium, in the premium currency (USD; coin for `'inverse'`). */
    price: number;
  };

/** Request for {@link Ballast.impliedVol} (several options). */
export interface ImpliedVolRequest {
  options: ReadonlyArray<ImpliedVolOption>;
}

/**
 * How the implied-vol search ended (a result, never thrown):
 * - `'ok'`: `vol` reproduces the price;
 * - `'at-intrinsic'`: the price equals the zero-vol value; `vol` is 0;
 * - `'below-intrinsic'`: the price is below the discounted intrinsic value: no vol;
 * - `'above-maximum'`: the price is at or above the infinite-vol value (or above intrinsic
 *   at expiryYears 0): no vol.
 */
export type ImpliedVolStatus = 'ok' | 'at-intrinsic' | 'below-intrinsic' | 'above-maximum';

/** One implied vol. */
export interface ImpliedVolResult {
  /** Vol per √year; `null` unless `status` is `'ok'` or `'at-intrinsic'`. */
  vol: number | null;
  status: ImpliedVolStatus;
  /** Householder steps taken after the starting guess (usually 2). */
  iterations: number;
}

/** Result of {@link Ballast.impliedVol} for `{ options }`: one result per option, in order. */
export interface ImpliedVolResults {
  results: ImpliedVolResult[];
}

/** Members shared by the columnar requests. Every column has one entry per option. */
interface ColumnsBase {
  /** Option kind per option: 0 call, 1 put. */
  kind: Uint8Array | Float64Array;
  /** One model for the whole book. */
  model: PricingModel;
  /** The spot (`'black-scholes'`) or the forward (`'black-76'`, `'inverse'`), USD. */
  underlying: Float64Array;
  /** Strikes (USD). */
  strike: Float64Array;
  /** Times to expiry in years. */
  expiryYears: Float64Array;
  /** Discount rates, or one number for every option. @defaultValue `0` */
  rate?: Float64Array | number;
  /** Dividend yields (Black-Scholes only), or one number for every option. @defaultValue `0` */
  dividendYield?: Float64Array | number;
}

/** Request for {@link Ballast.greeksColumns}. */
export interface GreeksColumnsRequest extends ColumnsBase {
  /** Volatilities per √year. */
  vol: Float64Array;
}

/**
 * Result of {@link Ballast.greeksColumns}: one entry per option, per ONE option, in the units
 * of {@link GreekValues} (vega per 1.00 vol, theta per year; premium currency USD, coin for
 * inverse).
 */
export interface GreeksColumns {
  price: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  /** Per 1.00 of vol (divide by 100 for per vol point). */
  vega: Float64Array;
  /** Per year (divide by 365 for per calendar day). */
  theta: Float64Array;
  rho: Float64Array;
  vanna: Float64Array;
  volga: Float64Array;
  charm: Float64Array;
}

/** Request for {@link Ballast.impliedVolColumns}. */
export interface ImpliedVolColumnsRequest extends ColumnsBase {
  /** Observed premiums, in the premium currency (USD; coin for inverse). */
  price: Float64Array;
}

/** Result of {@link Ballast.impliedVolColumns}. */
export interface ImpliedVolColumns {
  /** Vol per √year; `NaN` where the status has no vol (below-intrinsic, above-maximum). */
  vol: Float64Array;
  /**
   * {@link ImpliedVolStatus} as a code: 0 `'ok'`, 1 `'at-intrinsic'`, 2 `'below-intrinsic'`,
   * 3 `'above-maximum'` (`ballast.impliedVolStatuses[code]` is the name).
   */
  status: Uint8Array;
}

// ---- smiles, surfaces, books, scenarios, hedges --------------------------------------------------
//
// Conventions (docs/api.md, "Smiles, surfaces, books and hedges"): log-moneyness k = ln(K / F)
// against each expiry's own forward; total variance w = vol² · expiryYears; vols per √year.

/** How {@link Ballast.smile} weighs each quote's implied-vol error (times the quote's own weight). */
export type SmileWeighting = 'vega' | 'uniform' | 'spread';

/** Raw SVI parameters: w(k) = a + b (rho (k - m) + sqrt((k - m)² + sigma²)). */
export interface SviParams {
  a: number;
  /** Wing slope, >= 0. */
  b: number;
  /** Skew, in (-1, 1). */
  rho: number;
  /** Shift, in log-moneyness. */
  m: number;
  /** ATM smoothness, > 0. */
  sigma: number;
}

/** One expiry's quotes for {@link Ballast.smile} (and a fitted slice of {@link SurfaceRequest}). */
export interface SmileRequest {
  /** Years to expiry, in (0, 100]. */
  expiryYears: number;
  /** The expiry's forward (USD; Deribit's `underlying_price`), > 0. */
  forward: number;
  /** Strikes (USD), > 0; at least 5 distinct with positive weight. */
  strikes: ReadonlyArray<number>;
  /** Implied vols per √year (0.8 = 80%; Deribit quotes percent: divide by 100), one per strike. */
  vols: ReadonlyArray<number>;
  /** Per-quote weights, >= 0, multiplying the scheme's. @defaultValue all 1 */
  weights?: ReadonlyArray<number>;
  /** Bid implied vols (needed by `'spread'`). */
  bidVols?: ReadonlyArray<number>;
  /** Ask implied vols, above the bids (needed by `'spread'`). */
  askVols?: ReadonlyArray<number>;
  /** @defaultValue `'vega'` */
  weighting?: SmileWeighting;
  /** Nelder-Mead iterations per start. @defaultValue `2000` */
  maxIterations?: number;
}

/** A stretch of log-moneyness where the density g(k) is negative (butterfly arbitrage). */
export interface ButterflyViolation {
  fromLogMoneyness: number;
  toLogMoneyness: number;
  /** The most negative g(k) in the stretch. */
  worstDensity: number;
  worstLogMoneyness: number;
}

/** The check grid used by an arbitrage report. */
export interface ArbitrageGrid {
  fromLogMoneyness: number;
  toLogMoneyness: number;
  points: number;
}

/** Gatheral-Jacquier's butterfly check of one slice. */
export interface ButterflyReport {
  /** No negative g(k) on the grid and Lee's wing bound holds. */
  arbitrageFree: boolean;
  /** min g(k) over the grid. */
  minDensity: number | null;
  minDensityLogMoneyness: number;
  /** b (1 + |rho|); Lee's bound: <= 4. */
  wingSlope: number;
  wingBoundHolds: boolean;
  violations: ButterflyViolation[];
  grid: ArbitrageGrid;
}

/** Result of {@link Ballast.smile}, and each slice of {@link SurfaceResult}. */
export interface SmileResult {
  /** `'solved'`, `'max-iterations'` (best point returned), or `'given'` (SVI given, not fitted). */
  status: 'solved' | 'max-iterations' | 'given';
  expiryYears: number;
  forward: number;
  svi: SviParams;
  fit: {
    /** RMS of model vol - quoted vol over the quotes. */
    rmsVolError: number;
    maxAbsVolError: number;
    /** sqrt(Σ ω r² / Σ ω) with the fit's weights ω. */
    weightedRmsVolError: number;
    /** ln(K / forward) per quote. */
    logMoneyness: Array<number | null>;
    modelVols: Array<number | null>;
    /** model vol - quoted vol, per quote. */
    residuals: Array<number | null>;
  };
  butterfly: ButterflyReport;
  info: { evaluations: number; iterations: number };
}

/** A slice given by its SVI parameters (not fitted); strikes and vols, if given, are reported against. */
export interface SviSlice {
  expiryYears: number;
  forward: number;
  svi: SviParams;
  strikes?: ReadonlyArray<number>;
  vols?: ReadonlyArray<number>;
}

/** An implied-vol query on a surface. */
export interface SurfaceQuery {
  strike: number;
  /** > 0. */
  expiryYears: number;
  /** Override the surface's interpolated forward. */
  forward?: number;
}

/** Request for {@link Ballast.surface}: slices in strictly increasing expiry. */
export interface SurfaceRequest {
  slices: ReadonlyArray<SmileRequest | SviSlice>;
  /** Default weighting of fitted slices. @defaultValue `'vega'` */
  weighting?: SmileWeighting;
  queries?: ReadonlyArray<SurfaceQuery>;
}

/** A stretch where a later slice has less total variance than an earlier one. */
export interface CalendarViolation {
  earlierExpiryYears: number;
  laterExpiryYears: number;
  fromLogMoneyness: number;
  toLogMoneyness: number;
  /** The largest w_earlier - w_later in the stretch. */
  worstShortfall: number;
  worstLogMoneyness: number;
}

/** Result of {@link Ballast.surface}. */
export interface SurfaceResult {
  slices: SmileResult[];
  calendar: { arbitrageFree: boolean; violations: CalendarViolation[]; grid: ArbitrageGrid };
  /** One answer per query, when queries were given. */
  queries?: Array<{ vol: number; totalVariance: number; forward: number; logMoneyness: number }>;
}

/** An underlying of a book: its name and spot (USD per coin). */
export interface BookUnderlying {
  name: string;
  spot: number;
}

interface PositionBase {
  /** The underlying's name; may be left out when the book has one underlying. */
  underlying?: string;
}

/** An option in a book or a hedge. Black-Scholes options price on the underlying's spot (no `spot` key). */
export type OptionPositionTerms = PositionBase &
  OptionTerms & {
    instrument: 'option';
    /** Volatility per √year. */
    vol: number;
  } & (
    | { model: 'black-scholes'; forward?: never; spot?: never }
    | { model: 'black-76' | 'inverse'; /** The option's forward (USD). */ forward: number; spot?: never }
  );

/** A dated linear (USD-margined) future. */
export interface FuturePositionTerms extends PositionBase {
  instrument: 'future';
  /** The futures price now (USD). */
  forward: number;
  expiryYears?: number;
  /** The traded price; P&L reference. @defaultValue the futures price now */
  entryPrice?: number;
}

/** A linear perpetual, marked at the spot (funding not modelled). */
export interface PerpPositionTerms extends PositionBase {
  instrument: 'perp';
  /** @defaultValue the spot */
  entryPrice?: number;
}

/** Coins held. */
export interface SpotPositionTerms extends PositionBase {
  instrument: 'spot';
}

type InstrumentTerms = OptionPositionTerms | FuturePositionTerms | PerpPositionTerms | SpotPositionTerms;

/** A position: signed quantity (options in options, others in coins). */
export type BookPosition = InstrumentTerms & { quantity: number };

/** A scenario grid for {@link Ballast.book}. */
export interface ScenarioGridRequest {
  /** Relative spot moves, each > -1 (every forward moves in proportion). @defaultValue `[0]` */
  spotShocks?: ReadonlyArray<number>;
  /** Vol shocks: added to every option's vol, or relative (vol · (1 + shock)). @defaultValue `[0]` */
  volShocks?: ReadonlyArray<number>;
  /** @defaultValue `'additive'` */
  volShockMode?: 'additive' | 'relative';
  /** Years to roll option expiries forward. @defaultValue `0` */
  horizonYears?: number;
}

/** Request for {@link Ballast.book}. */
export interface BookRequest {
  underlyings: ReadonlyArray<BookUnderlying>;
  positions: ReadonlyArray<BookPosition>;
  scenarios?: ScenarioGridRequest;
}

/** Figures of a position or an underlying (units in docs/api.md; coin = USD / spot). */
export interface BookGreeks {
  valueUsd: number;
  valueCoin: number;
  /** dV/dS, coins. */
  deltaCoin: number;
  /** deltaCoin · spot. */
  deltaUsd: number;
  /** deltaCoin minus the coin premiums of inverse options (Deribit's convention). */
  netTransactionDeltaCoin: number;
  /** d(deltaCoin)/dS: coins per USD. */
  gammaCoin: number;
  /** gammaCoin · spot² / 100: change of deltaUsd for a 1% spot move. */
  gammaUsdPerPct: number;
  vegaUsdPerVolPoint: number;
  vegaCoinPerVolPoint: number;
  thetaUsdPerDay: number;
  thetaCoinPerDay: number;
}

/** Result of {@link Ballast.book}. */
export interface BookResult {
  underlyings: Array<BookGreeks & { name: string; spot: number; /** -deltaCoin. */ deltaNeutralPerpQuantity: number }>;
  positions: BookGreeks[];
  totals: { valueUsd: number; vegaUsdPerVolPoint: number; thetaUsdPerDay: number };
  scenarios?: {
    spotShocks: number[];
    volShocks: number[];
    volShockMode: 'additive' | 'relative';
    horizonYears: number;
    /** pnlUsd[i][j]: USD P&L at spotShocks[i], volShocks[j], all underlyings. */
    pnlUsd: number[][];
    byUnderlying: Array<{ name: string; pnlUsd: number[][]; pnlCoin: number[][] }>;
    /** (option, scenario) pairs whose shocked vol went below 0 (priced at 0). */
    volsFloored: number;
  };
}

/** A Greek a hedge can neutralize. */
export type HedgeGreek = 'delta' | 'gamma' | 'vega';

/** A hedge instrument: an instrument without quantity, plus its cost and size cap. */
export type HedgeInstrument = InstrumentTerms & {
  /** USD per unit traded (half-spread plus fees), >= 0. @defaultValue `0` */
  costPerUnit?: number;
  /** Cap on |size|, > 0. @defaultValue no cap */
  maxQuantity?: number;
};

/** Request for {@link Ballast.hedge}. */
export interface HedgeRequest {
  underlyings: ReadonlyArray<BookUnderlying>;
  positions: ReadonlyArray<BookPosition>;
  instruments: ReadonlyArray<HedgeInstrument>;
  /** In priority order. @defaultValue `['delta', 'gamma', 'vega']` */
  neutralize?: ReadonlyArray<HedgeGreek>;
  /** L2 weight (USD per unit²), > 0. @defaultValue `1e-6` */
  regularization?: number;
}

/** Result of {@link Ballast.hedge}. */
export interface HedgeResult {
  /** `'infeasible'`: size caps rule out the hedge; `quantities` is then the closest within them. */
  status: 'solved' | 'solved-inaccurate' | 'infeasible' | 'max-iterations' | 'numerical-error';
  /** Per instrument, signed. */
  quantities: Array<number | null>;
  allNeutralized: boolean;
  /** Per requested Greek and underlying, in USD units (deltaUsd, gammaUsdPerPct, vegaUsdPerVolPoint). */
  greeks: Array<{ greek: HedgeGreek; underlying: string; book: number; hedge: number; residual: number; neutralized: boolean }>;
  /** Σ costPerUnit · |quantity|. */
  costUsd: number;
  fallback: 'closest-within-limits' | null;
  message: string;
  info: { iterations: number; primalResidual: number; dualResidual: number };
}

// ---- errors ----------------------------------------------------------------------------------

/** Why a call was refused (the engine's vocabulary; JS adds none of its own). */
export type ErrorCode =
  | 'invalid-json'
  | 'invalid-type'
  | 'invalid-shape'
  | 'invalid-value'
  | 'non-finite'
  | 'missing-field'
  | 'unknown-key'
  | 'unknown-value'
  | 'unsupported';

/**
 * Thrown when a call is invalid (wrong shape, NaN, unknown key, min above max, ...). Solve
 * outcomes such as `'infeasible'` are results, never errors.
 */
export declare class BallastError extends Error {
  constructor(code: ErrorCode, message: string, field?: string);
  readonly name: 'BallastError';
  /** What was wrong. */
  readonly code: ErrorCode;
  /** Path of the offending value in the request, e.g. `'prices[3][1]'`; `''` for the whole request. */
  readonly field: string;
  toJSON(): { code: ErrorCode; message: string; field: string };
}

// ---- the engine ------------------------------------------------------------------------------

/** A loaded engine. Every method is synchronous, stateless and throws only {@link BallastError}. */
export interface Ballast {
  /** The engine's version, equal to the package version (e.g. `'0.1.0'`). */
  readonly version: string;
  /** Optimal weights for an objective under constraints. Solve outcomes are in `status`. */
  optimize(request: OptimizeRequest): OptimizeResult;
  /** The efficient frontier: minimum volatility for a sweep of target returns. */
  frontier(request: FrontierRequest): FrontierResult;
  /** Expected returns, covariance and correlation from history. */
  estimate(request: EstimateRequest): EstimateResult;
  /** Risk and return of given weights. */
  report(request: ReportRequest): ReportResult;
  /**
   * Price and Greeks of each option (per ONE option) and their quantity-weighted totals.
   * Units: see {@link GreekValues}.
   */
  greeks(request: GreeksRequest): GreeksResult;
  /** Implied vols of several options. A search that finds no vol is a status, not an error. */
  impliedVol(request: ImpliedVolRequest): ImpliedVolResults;
  /** Implied vol of one option; error fields are named from the option (`'strike'`). */
  impliedVol(option: ImpliedVolOption): ImpliedVolResult;
  /**
   * Greeks of a large book held as columns (typed arrays), one model per call: no per-option
   * objects, no JSON. Errors name the column and the element (`'strike[12]'`); columns of
   * different lengths are `'invalid-shape'` naming the odd column.
   */
  greeksColumns(columns: GreeksColumnsRequest): GreeksColumns;
  /** Implied vols of a large book held as columns; `vol` is `NaN` where there is none. */
  impliedVolColumns(columns: ImpliedVolColumnsRequest): ImpliedVolColumns;
  /** The {@link ImpliedVolStatus} name of each {@link ImpliedVolColumns.status} code, by code. */
  readonly impliedVolStatuses: readonly ImpliedVolStatus[];
  /** Fit one expiry's smile (raw SVI) to implied vols, with its butterfly-arbitrage check. */
  smile(request: SmileRequest): SmileResult;
  /** Fit or take SVI slices, check calendar arbitrage, and answer implied-vol queries. */
  surface(request: SurfaceRequest): SurfaceResult;
  /** Value and Greeks of a book per underlying (coin and USD), and optionally a scenario P&L grid. */
  book(request: BookRequest): BookResult;
  /** Sizes of hedge instruments that neutralize the book's Greeks at least cost (a QP). */
  hedge(request: HedgeRequest): HedgeResult;
  /** Diagnostics: bytes currently allocated in the WASM heap. */
  heapBytesInUse(): number;
}

/** Options for {@link init}; by default the package finds `ballast.wasm` itself. */
export interface InitOptions {
  /** The bytes of `ballast.wasm`, when the caller has them already (no fetch, no file read). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Maps the file name the loader asks for (`'ballast.wasm'`) to the URL to fetch it from;
   * for hosting the .wasm somewhere else (a CDN).
   */
  locateFile?: (path: string, prefix: string) => string;
}

/**
 * Load the engine (in Node from disk, in browsers with `fetch`). Idempotent: every call
 * returns the same promise, and options after the first call are ignored. A failed load is
 * forgotten, so `init()` may be retried.
 */
export declare function init(options?: InitOptions): Promise<Ballast>;
