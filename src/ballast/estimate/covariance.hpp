// Covariance of asset returns from a complete panel (no NaN), annualized:
// every estimator returns periods_per_year * (per-period covariance).
//
// For ragged panels restrict_to_common_window first (history.hpp), or use the pairwise
// estimators (pairwise_covariance.hpp).
//
// Common errors: check_returns_panel and check_complete_panel on `returns` (field paths
// "<field>[t][j]"), check_periods_per_year ("periodsPerYear").
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

enum class CovarianceMethod { sample, ewma, ledoit_wolf };

// Unbiased sample covariance:
//   S = periods_per_year * (X - 1 m^T)^T (X - 1 m^T) / (T - 1),   m = column means of X.
Result<Matrix> sample_covariance(const Matrix& returns, double periods_per_year,
                                 const std::string& field = "returns");

// Exponentially weighted covariance, centered on the EWMA mean, normalized by sum(w), and
// WITHOUT a small-sample bias correction:
//   w_t = 2^(-(T-1-t)/h)   (recency_weights; h = half_life_periods; newest period weighs 1)
//   m   = sum_t w_t x_t / sum_t w_t
//   S   = periods_per_year * sum_t w_t (x_t - m)(x_t - m)^T / sum_t w_t
// Equivalently, with lambda = 2^(-1/h) and y_t = x_t - m, the RiskMetrics recursion
// R_t = lambda R_{t-1} + (1 - lambda) y_t y_t^T from R_{-1} = 0 gives S = R_{T-1} / (1 - lambda^T)
// (the division is the adjust=True normalization; pandas: df.ewm(halflife=h).cov(bias=True)).
// No correction by sum(w)^2 / (sum(w)^2 - sum(w^2)) is applied: it diverges as h -> 0 and
// the recursion form has none. As h -> infinity, S tends to the 1/T (maximum-likelihood)
// covariance, i.e. (T-1)/T times sample_covariance.
// Errors: the common ones plus check_half_life ("estimator.halfLife").
Result<Matrix> ewma_covariance(const Matrix& returns, double half_life_periods,
                               double periods_per_year, const std::string& field = "returns");

struct ShrunkCovariance {
  Matrix covariance;     // annualized
  double shrinkage = 0;  // in [0, 1]: the weight on the target mu * I
};

// Ledoit-Wolf shrinkage towards a scaled identity, as scikit-learn's
// sklearn.covariance.LedoitWolf(assume_centered=False).fit(X) computes it (checked against
// scikit-learn 1.2.1), then annualized. With X centered by its column means (rows x_t):
//   S     = X^T X / T                              (empirical covariance, 1/T)
//   mu    = trace(S) / N
//   delta = ||S - mu I||_F^2 / N
//   beta  = ( (1/T) sum_t ||x_t||^4 - ||S||_F^2 ) / (N T)
//   shrinkage = min(beta, delta) / delta   (0 when min(beta, delta) <= 0 or N == 1)
//   result = periods_per_year * ((1 - shrinkage) S + shrinkage mu I)
// Reference: O. Ledoit, M. Wolf (2004), "A well-conditioned estimator for large-dimensional
// covariance matrices", J. Multivariate Analysis 88(2). scikit-learn expands delta as
// ||S||_F^2 - 2 mu trace(S) + N mu^2; we form S - mu I directly (same value, no cancellation).
Result<ShrunkCovariance> ledoit_wolf_covariance(const Matrix& returns, double periods_per_year,
                                                const std::string& field = "returns");

}  // namespace ballast::estimate
