#include "ballast/estimate/moments.hpp"

#include <cmath>

#include "ballast/estimate/inputs.hpp"

namespace ballast::estimate {

namespace {

// What the covariance step hands on, whichever estimator ran.
struct CovarianceEstimate {
  Matrix covariance;
  double shrinkage = std::numeric_limits<double>::quiet_NaN();
  Index observations = 0;
  std::vector<AssetPair> unestimated_pairs;
};

Result<Vector> estimate_expected_returns(const Matrix& returns, const EstimatorSettings& s,
                                         const std::string& field) {
  if (s.expected_returns == ExpectedReturnsMethod::ewma)
    return ewma_mean_returns(returns, s.half_life_periods, s.periods_per_year, field);
  return historical_mean_returns(returns, s.periods_per_year, field);
}

template <class T>
Result<CovarianceEstimate> forward_error(const Result<T>& failed) {
  return Result<CovarianceEstimate>::failure(failed.error);
}

Result<CovarianceEstimate> complete_panel_covariance(const Matrix& returns, const EstimatorSettings& s,
                                                     const std::string& field) {
  CovarianceEstimate out;
  out.observations = returns.rows();
  if (s.covariance == CovarianceMethod::ledoit_wolf) {
    auto shrunk = ledoit_wolf_covariance(returns, s.periods_per_year, field);
    if (!shrunk.ok()) return forward_error(shrunk);
    out.covariance = std::move(shrunk.value.covariance);
    out.shrinkage = shrunk.value.shrinkage;
    return Result<CovarianceEstimate>::success(std::move(out));
  }
  auto covariance = s.covariance == CovarianceMethod::ewma
                        ? ewma_covariance(returns, s.half_life_periods, s.periods_per_year, field)
                        : sample_covariance(returns, s.periods_per_year, field);
  if (!covariance.ok()) return forward_error(covariance);
  out.covariance = std::move(covariance.value);
  return Result<CovarianceEstimate>::success(std::move(out));
}

Result<CovarianceEstimate> pairwise_panel_covariance(const Matrix& returns, const EstimatorSettings& s,
                                                     const std::string& field) {
  if (s.covariance == CovarianceMethod::ledoit_wolf)
    return Result<CovarianceEstimate>::failure(make_error(
        Status::unsupported, missing_policy_field,
        "Ledoit-Wolf shrinkage needs one complete panel; use the common window policy"));
  auto pairwise = s.covariance == CovarianceMethod::ewma
                      ? pairwise_ewma_covariance(returns, s.half_life_periods, s.periods_per_year, field)
                      : pairwise_sample_covariance(returns, s.periods_per_year, field);
  if (!pairwise.ok()) return forward_error(pairwise);
  CovarianceEstimate out;
  out.covariance = std::move(pairwise.value.covariance);
  out.observations = pairwise.value.min_shared_periods;
  out.unestimated_pairs = std::move(pairwise.value.unestimated_pairs);
  return Result<CovarianceEstimate>::success(std::move(out));
}

Moments assemble(Vector expected_returns, CovarianceEstimate estimate, PsdMatrix psd) {
  Moments m;
  m.expected_returns = std::move(expected_returns);
  m.covariance = std::move(psd.matrix);
  m.repair = psd.repair;
  m.volatilities = volatilities_from_covariance(m.covariance);
  m.correlation = correlation_from_covariance(m.covariance);
  m.shrinkage = estimate.shrinkage;
  m.observations = estimate.observations;
  m.unestimated_pairs = std::move(estimate.unestimated_pairs);
  return m;
}

}  // namespace

Error validate(const EstimatorSettings& settings) {
  if (Error e = check_half_life(settings.half_life_periods); !e.ok()) return e;
  return check_periods_per_year(settings.periods_per_year);
}

Result<Moments> estimate_moments(const Matrix& returns, const EstimatorSettings& settings,
                                 const std::string& field) {
  if (Error e = validate(settings); !e.ok()) return Result<Moments>::failure(e);
  // Under the common window every estimator sees the same complete panel.
  Matrix panel;
  if (settings.missing == MissingPolicy::common_window) {
    auto window = restrict_to_common_window(returns, field);
    if (!window.ok()) return Result<Moments>::failure(window.error);
    panel = std::move(window.value.returns);
  }
  const Matrix& used = settings.missing == MissingPolicy::common_window ? panel : returns;

  auto expected = estimate_expected_returns(used, settings, field);
  if (!expected.ok()) return Result<Moments>::failure(expected.error);
  auto estimate = settings.missing == MissingPolicy::common_window
                      ? complete_panel_covariance(used, settings, field)
                      : pairwise_panel_covariance(used, settings, field);
  if (!estimate.ok()) return Result<Moments>::failure(estimate.error);
  if (!estimate.value.covariance.allFinite() || !expected.value.allFinite())
    return Result<Moments>::failure(make_error(Status::numerical_error, field,
                                               "estimates overflow a double; are the returns scaled?"));
  auto psd = nearest_psd(estimate.value.covariance, field);
  if (!psd.ok()) return Result<Moments>::failure(psd.error);
  return Result<Moments>::success(
      assemble(std::move(expected.value), std::move(estimate.value), std::move(psd.value)));
}

Vector volatilities_from_covariance(const Matrix& covariance) {
  return covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
}

Matrix correlation_from_covariance(const Matrix& covariance) {
  const Vector vols = volatilities_from_covariance(covariance);
  // 1/sigma, with 0 for a zero-variance asset: its row and column become 0.
  const Vector inverse_vols = (vols.array() > 0).select(vols.cwiseInverse(), 0.0);
  Matrix correlation = inverse_vols.asDiagonal() * covariance * inverse_vols.asDiagonal();
  correlation = correlation.cwiseMax(-1.0).cwiseMin(1.0);
  correlation.diagonal().setOnes();
  return correlation;
}

}  // namespace ballast::estimate
