#include "ballast/risk/portfolio_report.hpp"

#include <cmath>
#include <limits>

#include "ballast/core/validate.hpp"

namespace ballast::risk {

namespace {

// Everything but the covariance's own content (CheckedCovariance::check covers that).
Error check_inputs(const Vector& weights, const Vector& expected_returns, const Matrix& covariance,
                   double risk_free_rate, std::optional<Index> beta_asset) {
  const Index n = weights.size();
  if (n == 0) return make_error(Status::invalid_shape, "weights", "need at least 1 asset, got 0");
  if (Error e = require_finite(weights, "weights"); !e.ok()) return e;
  if (Error e = require_size(expected_returns, n, "expectedReturns"); !e.ok()) return e;
  if (Error e = require_finite(expected_returns, "expectedReturns"); !e.ok()) return e;
  if (Error e = require_shape(covariance, n, n, "covariance"); !e.ok()) return e;
  if (!std::isfinite(risk_free_rate))
    return make_error(Status::non_finite, "riskFreeRate", "the risk-free rate must be a finite number");
  if (beta_asset && (*beta_asset < 0 || *beta_asset >= n))
    return make_error(Status::invalid_value, "betaAsset",
                      "asset index " + std::to_string(*beta_asset) + " is outside [0, " +
                          std::to_string(n) + ")");
  return Error::none();
}

// True when w' Sigma w is indistinguishable from 0 given the rounding of the quadratic form,
// whose error is bounded by about N * eps * sum_ij |w_i||w_j||Sigma_ij| <= N * eps * gross^2.
bool numerically_zero_variance(double variance, double gross_volatility, Index assets) {
  const double rounding = static_cast<double>(assets) * std::numeric_limits<double>::epsilon() *
                          gross_volatility * gross_volatility;
  return variance <= rounding;
}

}  // namespace

Result<PortfolioReport> portfolio_report(const Vector& weights, const Vector& expected_returns,
                                         const Matrix& covariance, double risk_free_rate,
                                         std::optional<Index> beta_asset) {
  // Same order of checks as before: shapes and finiteness of the other inputs first.
  const Index n = weights.size();
  if (n == 0) return Result<PortfolioReport>::failure(make_error(Status::invalid_shape, "weights", "need at least 1 asset, got 0"));
  if (Error e = require_finite(weights, "weights"); !e.ok()) return Result<PortfolioReport>::failure(e);
  if (Error e = require_size(expected_returns, n, "expectedReturns"); !e.ok()) return Result<PortfolioReport>::failure(e);
  if (Error e = require_finite(expected_returns, "expectedReturns"); !e.ok()) return Result<PortfolioReport>::failure(e);
  if (Error e = require_shape(covariance, n, n, "covariance"); !e.ok()) return Result<PortfolioReport>::failure(e);
  Result<CheckedCovariance> checked = CheckedCovariance::check(covariance, "covariance");
  if (!checked.ok()) return Result<PortfolioReport>::failure(checked.error);
  return portfolio_report(weights, expected_returns, checked.value, risk_free_rate, beta_asset);
}

Result<PortfolioReport> portfolio_report(const Vector& weights, const Vector& expected_returns,
                                         const CheckedCovariance& checked, double risk_free_rate,
                                         std::optional<Index> beta_asset) {
  const Matrix& covariance = checked.matrix();
  if (Error e = check_inputs(weights, expected_returns, covariance, risk_free_rate, beta_asset); !e.ok())
    return Result<PortfolioReport>::failure(e);
  const Index n = weights.size();
  const Vector covariance_times_weights = covariance.selfadjointView<Eigen::Lower>() * weights;
  const double variance = weights.dot(covariance_times_weights);
  const double gross_volatility = weights.cwiseAbs().dot(covariance.diagonal().cwiseSqrt());

  PortfolioReport report;
  report.expected_return = weights.dot(expected_returns);
  if (beta_asset && covariance(*beta_asset, *beta_asset) > 0)
    report.beta = covariance_times_weights(*beta_asset) / covariance(*beta_asset, *beta_asset);
  if (numerically_zero_variance(variance, gross_volatility, n)) {
    report.risk_contributions = Vector::Zero(n);
    report.risk_contribution_shares = Vector::Zero(n);
    return Result<PortfolioReport>::success(std::move(report));
  }
  const double volatility = std::sqrt(variance);
  report.volatility = volatility;
  report.sharpe = (report.expected_return - risk_free_rate) / volatility;
  // Euler: sigma is homogeneous of degree 1 in w, so sum_i w_i d(sigma)/d(w_i) = sigma.
  report.risk_contributions = weights.cwiseProduct(covariance_times_weights) / volatility;
  report.risk_contribution_shares = report.risk_contributions / volatility;
  report.diversification_ratio = gross_volatility / volatility;
  return Result<PortfolioReport>::success(std::move(report));
}

}  // namespace ballast::risk
