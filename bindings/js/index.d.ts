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
  /** General linear rows on the weights. @defaultValue `[]` */
  linear?: ReadonlyArray<LinearConstraint>;
  /** DeFi limits: look-through protocol and chain caps, a health-factor floor, leverage. */
  defi?: DefiConstraints;
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
   * `'.max'`; `'constraints.grossLeverage'`; `'constraints.linear[k].min'` or `'.max'`; `'objective.targetReturn'`;
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

/**
 * A dated future. `'linear'` (USD-margined): `quantity` in coins. `'inverse'` (coin-margined, as
 * Deribit's BTC futures): `quantity` in USD of face value, P&L `quantity (1/entry - 1/forward)` coins.
 */
export interface FuturePositionTerms extends PositionBase {
  instrument: 'future';
  /** The futures price now (USD). */
  forward: number;
  expiryYears?: number;
  /** The traded price; P&L reference. @defaultValue the futures price now */
  entryPrice?: number;
  /** @defaultValue 'linear' */
  settlement?: 'linear' | 'inverse';
}

/**
 * A perpetual, marked at the spot. `'linear'`: `quantity` in coins; `'inverse'` (as Deribit's
 * BTC-PERPETUAL): `quantity` in USD of face value. Funding shows in theta and scenario horizons.
 */
export interface PerpPositionTerms extends PositionBase {
  instrument: 'perp';
  /** @defaultValue the spot */
  entryPrice?: number;
  /** @defaultValue 'linear' */
  settlement?: 'linear' | 'inverse';
  /**
   * Funding as a fraction of notional per year (an 8-hourly rate times 1095); positive: longs
   * pay. Within +-1000. @defaultValue 0
   */
  fundingRatePerYear?: number;
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

// ---- DeFi positions: analyze and strategy ----------------------------------------------------
// The schema is docs/api.md, "DeFi positions". Amounts are token units (human units, not wei)
// unless a key says Raw; fractions are fractions (0.825 = 82.5%); USD values use `prices`.

/** How a token is priced: a token that tracks an underlying, a stablecoin, an issuer. */
export interface TokenInfo {
  /** The asset whose price drives this token (`wstETH` -> `'ETH'`). @defaultValue the symbol itself */
  underlying?: string;
  /** Underlying units per token (stETH per wstETH). @defaultValue `1` */
  exchangeRate?: number;
  /** Issuer counted in look-through exposure (`'lido'`, `'circle'`). @defaultValue none */
  protocol?: string;
  /** A dollar stablecoin: its own price and delta (depeg risk), left out of leverage. @defaultValue `false` */
  stablecoin?: boolean;
}

/** Keys every position takes. */
export interface PositionBase {
  /** A label echoed in results. @defaultValue `'positions[i]'` */
  id?: string;
  /** The venue holding it. @defaultValue by type (`'uniswap-v3'`, `'aave-v3'`, ...; none for spot) */
  protocol?: string;
  /** The chain. @defaultValue `'ethereum'` */
  chain?: string;
}

/** A token balance (negative = owed). */
export interface SpotPosition extends PositionBase {
  type: 'spot';
  asset: string;
  amount: number;
}

/** Options shared by LP positions. */
export interface LpTerms {
  /** Expected fee income per year, fraction of value. @defaultValue `0` */
  feeApr?: number;
  /** A relative move of token0's price (token1's fixed) for `breakEvenFeeApr`. */
  breakEvenMove?: number;
  /** Horizon of `breakEvenFeeApr`, days. @defaultValue `365` */
  horizonDays?: number;
}

/** A Uniswap v2 style constant-product LP share. */
export interface UniswapV2Position extends PositionBase, LpTerms {
  type: 'uniswap-v2';
  token0: string;
  token1: string;
  /** Pool reserves, human units. */
  reserve0: number;
  reserve1: number;
  /** LP tokens held, in [0, lpSupply]. */
  lpAmount: number;
  lpSupply: number;
  /** USD prices at deposit, both or neither (enables `impermanentLoss`). */
  entryPrice0?: number;
  entryPrice1?: number;
}

/** A Uniswap v3 concentrated-liquidity position, with exactly one of `sqrtPriceX96` and `tick`. */
export type UniswapV3Position = PositionBase &
  LpTerms & {
    type: 'uniswap-v3';
    token0: string;
    token1: string;
    decimals0: number;
    decimals1: number;
    /** uint128 liquidity as a decimal string (or an integer number up to 2^53). */
    liquidity: string | number;
    /** In [-887272, 887272], tickLower < tickUpper. */
    tickLower: number;
    tickUpper: number;
    /** Token1 per token0 (human units) at deposit; enables `impermanentLoss`. */
    entryPrice?: number;
  } & ({ sqrtPriceX96: string; tick?: never } | { tick: number; sqrtPriceX96?: never });

/** A supplied asset of an Aave account. */
export interface LendingSupply {
  asset: string;
  /** Token units (the aToken balance), > 0. */
  amount: number;
  /** Fraction in [0, liquidationThreshold] (Aave's 8000 bps = 0.8). */
  ltv: number;
  /** Fraction in [0, 1] (8250 bps = 0.825). */
  liquidationThreshold: number;
  /** The bonus fraction (Aave's 10500 = 0.05). */
  liquidationBonus: number;
  /** Counts toward the health factor. @defaultValue `true` */
  collateral?: boolean;
  /** The asset's e-mode category (0 = none). @defaultValue `0` */
  emodeCategory?: number;
}

/** A borrowed asset of an Aave account. */
export interface LendingBorrow {
  asset: string;
  /** Token units (the debt token balance), > 0. */
  amount: number;
  emodeCategory?: number;
}

/** One Aave v3 account on one market. */
export interface AaveV3Position extends PositionBase {
  type: 'aave-v3';
  supplies?: LendingSupply[];
  borrows?: LendingBorrow[];
  /** The account's e-mode category: its assets use these parameters. */
  emode?: { category: number; ltv: number; liquidationThreshold: number; liquidationBonus: number };
}

/** A linear (USD-margined) perpetual. */
export interface PerpPosition extends PositionBase {
  type: 'perp';
  asset: string;
  /** Signed, underlying units; negative = short. */
  size: number;
  entryPrice: number;
  /** USD collateral (isolated) or its share of the cross account. */
  margin: number;
  /** E.g. `0.0125`. */
  maintenanceMarginRatio: number;
  /** Per funding interval; positive = longs pay shorts. @defaultValue `0` */
  fundingRate?: number;
  /** @defaultValue `1` (hourly, as Hyperliquid and dYdX) */
  fundingIntervalHours?: number;
  /** @defaultValue `prices[asset]` */
  markPrice?: number;
  /** @defaultValue `'isolated'` */
  marginMode?: 'isolated' | 'cross';
  /** Cross positions with the same protocol and account share margin. @defaultValue `'default'` */
  account?: string;
}

/** A dated linear future. */
export interface FuturePosition extends PositionBase {
  type: 'future';
  asset: string;
  size: number;
  entryPrice: number;
  expiryYears: number;
  /** @defaultValue `prices[asset]` */
  markPrice?: number;
}

/** A European option on a position's underlying, priced by the Greeks engine. */
export interface OptionPositionInput extends PositionBase {
  type: 'option';
  asset: string;
  kind: 'call' | 'put';
  /** @defaultValue `'black-scholes'` */
  model?: 'black-scholes' | 'black-76';
  strike: number;
  expiryYears: number;
  /** Signed number of options. */
  quantity: number;
  /** @defaultValue `vols[asset]` */
  vol?: number;
  rate?: number;
  dividendYield?: number;
  /** black-76 only. @defaultValue the spot */
  forward?: number;
}

export type Position =
  | SpotPosition
  | UniswapV2Position
  | UniswapV3Position
  | AaveV3Position
  | PerpPosition
  | FuturePosition
  | OptionPositionInput;

/** The market positions are priced against. */
export interface MarketInputs {
  /** USD price of every underlying used. */
  prices: Record<string, number>;
  tokens?: Record<string, TokenInfo>;
  /** Annual vol per underlying, for options without their own. */
  vols?: Record<string, number>;
  /** Relative moves per underlying (`-0.3` = -30%) for the `...AfterShock` results. */
  shock?: Record<string, number>;
}

/** Request for {@link Ballast.analyze}. */
export interface AnalyzeRequest extends MarketInputs {
  positions: Position[];
}

/** Price of one underlying (others fixed) at which something is liquidated. */
export interface LiquidationPoint {
  priceUsd: number;
  /** priceUsd / current price - 1. */
  move: number;
}

/** Per-position results; `details` depends on `type` (docs/api.md). */
export interface PositionAnalysis {
  id: string;
  type: Position['type'];
  protocol: string;
  chain: string;
  /** Look-through: the venue, then token issuers. */
  protocols: string[];
  valueUsd: number;
  grossAssetsUsd: number;
  /** dV/dP per underlying: units, and units times the price. */
  deltas: Record<string, { units: number; usd: number }>;
  /** d2V/dP2 per underlying, USD per USD^2. */
  gamma: Record<string, number>;
  /** Options only: USD per 0.01 vol. */
  vegaPerVolPoint?: number;
  details: Record<string, unknown>;
}

/** Portfolio-level exposure. */
export interface PortfolioExposure {
  equityUsd: number;
  exposures: Record<string, { units: number; usd: number; gamma: number; stablecoin: boolean }>;
  /** Over non-stablecoin underlyings. */
  grossExposureUsd: number;
  netExposureUsd: number;
  /** Divided by equity; `null` when equity <= 0. */
  grossLeverage: number | null;
  netLeverage: number | null;
  /** Look-through USD exposure per protocol and per chain. */
  protocols: Record<string, number>;
  chains: Record<string, number>;
  lowestHealthFactor: { value: number; position: number } | null;
  nearestLiquidation: { position: number; underlying: string; move: number; priceUsd: number } | null;
  /** With a `shock`: the equity after it; otherwise `null`. */
  equityAfterShockUsd: number | null;
}

/** Result of {@link Ballast.analyze}. */
export interface AnalyzeResult {
  positions: PositionAnalysis[];
  portfolio: PortfolioExposure;
}

/** Spot (or LST) long + perp short, margin sized to survive `priceShock` with `buffer` left. */
export interface DeltaNeutralCarryRequest extends MarketInputs {
  name: 'delta-neutral-carry';
  asset: string;
  /** @defaultValue the asset's underlying */
  perpAsset?: string;
  capitalUsd: number;
  /** Adverse move the short must survive (0.3 = +30%). */
  priceShock: number;
  /** Relative distance to liquidation still left after it. @defaultValue `0` */
  buffer?: number;
  maintenanceMarginRatio: number;
  fundingRate?: number;
  fundingIntervalHours?: number;
  /** Yield of the long leg, per year. @defaultValue `0` */
  stakingApr?: number;
  venue?: string;
  chain?: string;
  spotChain?: string;
}

/** Spot long + dated future short. */
export interface BasisTradeRequest extends MarketInputs {
  name: 'basis-trade';
  asset: string;
  capitalUsd: number;
  futurePrice: number;
  expiryYears: number;
  /** @defaultValue `0.1` */
  initialMarginRatio?: number;
  /** All trading fees, bps of both legs' notional. @defaultValue `0` */
  feesBps?: number;
  /** Cost of the capital per year. @defaultValue `0` */
  financingApr?: number;
  venue?: string;
  chain?: string;
}

/** An LP position + a perp short of its delta. */
export interface DeltaHedgedLpRequest extends MarketInputs {
  name: 'delta-hedged-lp';
  lp: UniswapV2Position | UniswapV3Position;
  /** @defaultValue the LP's non-stablecoin underlying with the largest USD delta */
  hedgeAsset?: string;
  marginUsd: number;
  maintenanceMarginRatio: number;
  fundingRate?: number;
  fundingIntervalHours?: number;
  venue?: string;
  chain?: string;
}

export type StrategyRequest = DeltaNeutralCarryRequest | BasisTradeRequest | DeltaHedgedLpRequest;

/** Result of {@link Ballast.strategy}. */
export interface StrategyResult {
  name: StrategyRequest['name'];
  /** The positions built, in the analyze() input schema. */
  positions: Position[];
  analysis: AnalyzeResult;
  /** Sizing and carry figures (camelCase names with units, e.g. `carryPerDayUsd`). */
  summary: Record<string, number | null>;
}

/** A general linear row `min <= sum_i coefficients_i w_i <= max` on the weights. */
export interface LinearConstraint {
  /** Shown in infeasibility reasons. */
  name?: string;
  /** One number per asset, or `{ asset: number }` (absent assets 0). */
  coefficients: ReadonlyArray<number> | Record<string, number>;
  min?: number;
  max?: number;
}

/** DeFi limits, turned into linear rows (a borrowed asset's weight is its debt, <= 0). */
export interface DefiConstraints {
  assets: Record<
    string,
    { protocols?: string[]; chain?: string; liquidationThreshold?: number; borrowed?: boolean; underlying?: string }
  >;
  /** Max weight per protocol (look-through). */
  protocolCaps?: Record<string, number>;
  chainCaps?: Record<string, number>;
  /** Health factor after the shock >= min. */
  healthFactorFloor?: { min: number; shock?: Record<string, number> };
  /** Sum of non-borrowed weights (assets / equity). */
  maxLeverage?: number;
}


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
   *
   * `out`: the caller's nine output arrays, each a `Float64Array` as long as the book, sharing
   * memory with no input column and no other output; they are written in place and returned,
   * so a call allocates no new arrays (reuse them across calls). Refusals name `'out.<key>'`.
   * If the call is refused for an invalid option, rows before it may have been written.
   */
  greeksColumns(columns: GreeksColumnsRequest, out?: GreeksColumns): GreeksColumns;
  /**
   * Implied vols of a large book held as columns; `vol` is `NaN` where there is none. `out`:
   * the caller's `{ vol: Float64Array, status: Uint8Array }`, as for {@link greeksColumns}.
   */
  impliedVolColumns(columns: ImpliedVolColumnsRequest, out?: ImpliedVolColumns): ImpliedVolColumns;
  /** The {@link ImpliedVolStatus} name of each {@link ImpliedVolColumns.status} code, by code. */
  readonly impliedVolStatuses: readonly ImpliedVolStatus[];
  /** Any mix of DeFi positions reduced to one exposure model (docs/api.md, "DeFi positions"). */
  analyze(request: AnalyzeRequest): AnalyzeResult;
  /** A named strategy's positions, sized, with their risks and carry. */
  strategy(request: StrategyRequest): StrategyResult;
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
