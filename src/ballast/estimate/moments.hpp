// The estimation entry point the api layer calls: returns panel in, annualized expected
// returns and covariance out, with the diagnostics a user needs to trust them.
//
// Pipeline: validate settings -> apply the missing-data policy (history.hpp) -> expected
// returns (expected_returns.hpp) -> covariance (covariance.hpp / pairwise_covariance.hpp)
// -> nearest_psd on the covariance, always, and report it -> volatilities and correlation
// from the final (repaired) covariance.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"
#include "ballast/estimate/covariance.hpp"
#include "ballast/estimate/expected_returns.hpp"
#include "ballast/estimate/history.hpp"
#include "ballast/estimate/nearest_psd.hpp"
#include "ballast/estimate/pairwise_covariance.hpp"

namespace ballast::estimate {

struct EstimatorSettings {
  /// How expected returns are estimated. Default: historical mean.
  ExpectedReturnsMethod expected_returns = ExpectedReturnsMethod::mean;
  /// How the covariance is estimated. Default: unbiased sample covariance.
  CovarianceMethod covariance = CovarianceMethod::sample;
  /// Half-life of the EWMA weights, in periods (rows of the panel); used only by the ewma
  /// methods but always validated. JSON "estimator.halfLife". Default 90.
  double half_life_periods = 90;
  /// Periods per year, to annualize (365 for daily crypto, 252 for daily equities, 52 weekly).
  /// JSON "periodsPerYear". Default 365.
  double periods_per_year = 365;
  /// Ragged histories: common window (default) or pairwise. JSON "estimator.missing".
  MissingPolicy missing = MissingPolicy::common_window;
};

// invalid_value / non_finite on "estimator.halfLife" or "periodsPerYear" (> 0 and finite).
Error validate(const EstimatorSettings& settings);

struct Moments {
  Vector expected_returns;  // annualized (arithmetic: per-period mean * periods_per_year)
  Matrix covariance;        // annualized, PSD (after repair when one was needed)
  Matrix correlation;       // from covariance; see correlation_from_covariance
  Vector volatilities;      // annualized: sqrt of the covariance diagonal
  double shrinkage = std::numeric_limits<double>::quiet_NaN();  // Ledoit-Wolf only, else NaN
  /// Periods behind the estimate: the rows kept by the common window, or under the pairwise
  /// policy the fewest periods behind any estimated covariance entry.
  Index observations = 0;
  /// Pairwise policy only: pairs that share fewer than 2 periods (or whose shared periods
  /// carry no EWMA weight); their covariance is set to 0 before the PSD repair.
  std::vector<AssetPair> unestimated_pairs;
  PsdRepair repair;  // what nearest_psd changed in the covariance
};

// returns: T x N per-period returns, rows oldest first, NaN = missing.
// Errors: validate(settings); those of the chosen estimators (field paths under `field`);
// unsupported ("estimator.missing") for Ledoit-Wolf with the pairwise policy (the shrinkage
// formula needs one complete panel); numerical_error (field) if the covariance overflows.
Result<Moments> estimate_moments(const Matrix& returns, const EstimatorSettings& settings,
                                 const std::string& field = "returns");

// sqrt(max(diag, 0)): a tiny negative variance from rounding reads as 0, never NaN.
Vector volatilities_from_covariance(const Matrix& covariance);

// rho_ij = cov_ij / (sigma_i sigma_j), clamped to [-1, 1] against rounding. An asset with zero
// variance has correlation 0 with every other asset and 1 with itself: never NaN.
Matrix correlation_from_covariance(const Matrix& covariance);

}  // namespace ballast::estimate
