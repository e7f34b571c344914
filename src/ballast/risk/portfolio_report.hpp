// What a set of weights means, given expected returns and a covariance: return, risk,
// Sharpe ratio, who contributes the risk, how diversified it is, and its beta to one asset.
//
// Units follow the inputs: with annualized expected returns and covariance (as
// estimate_moments gives) every figure is annual. Weights are fractions of capital; they may
// be negative (short) and need not sum to 1.
#pragma once

#include <optional>
#include <string>

#include "ballast/core/checked_covariance.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::risk {

struct PortfolioReport {
  double expected_return = 0;         // E = w . mu
  double volatility = 0;              // sigma_p = sqrt(w' Sigma w)
  double sharpe = 0;                  // (E - risk_free_rate) / sigma_p
  Vector risk_contributions;          // RC_i = w_i (Sigma w)_i / sigma_p; sums to sigma_p
  Vector risk_contribution_shares;    // RC_i / sigma_p; sums to 1 (a short can be negative)
  double diversification_ratio = 0;   // sum_i |w_i| sigma_i / sigma_p  (>= 1)
  std::optional<double> beta;         // (Sigma w)_k / Sigma_kk for the chosen asset k
};

// Zero-volatility portfolio (all cash-like assets, or a perfect hedge): sigma_p is 0 when
// w' Sigma w <= N * machine_epsilon * (sum_i |w_i| sigma_i)^2, i.e. zero up to the rounding
// of the quadratic form (this also absorbs a slightly negative w' Sigma w from an indefinite
// covariance). Then every ratio that divides by sigma_p is undefined and reported as 0:
// sharpe = 0, risk_contributions = 0, risk_contribution_shares = 0, diversification_ratio = 0
// (a value the ratio can never otherwise take, as it is always >= 1). Nothing is NaN.
//
// Diversification ratio: Choueifaty & Coignard (2008), "Toward maximum diversification",
// J. Portfolio Management 35(1); |w_i| makes it meaningful for long-short weights.
// Beta to asset k: Cov(r_p, r_k) / Var(r_k) = (Sigma w)_k / Sigma_kk; nullopt when no asset is
// chosen or Sigma_kk == 0 (undefined).
//
// Errors: invalid_shape when the sizes disagree ("expectedReturns", "covariance");
// non_finite on any input ("weights[i]", "expectedReturns[i]", "covariance[i][j]",
// "riskFreeRate"); invalid_value for an asymmetric covariance or a negative variance
// ("covariance[i][j]") or beta_asset outside [0, N) ("betaAsset").
Result<PortfolioReport> portfolio_report(const Vector& weights, const Vector& expected_returns,
                                         const Matrix& covariance, double risk_free_rate,
                                         std::optional<Index> beta_asset = std::nullopt);

// The same with a covariance already checked where it entered (skips the N x N re-check).
Result<PortfolioReport> portfolio_report(const Vector& weights, const Vector& expected_returns,
                                         const CheckedCovariance& covariance, double risk_free_rate,
                                         std::optional<Index> beta_asset = std::nullopt);

}  // namespace ballast::risk
