// The estimation entry point: settings, policies, and the correlation/volatility helpers.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ballast/estimate/moments.hpp"
#include "checks.hpp"

using namespace ballast;
using namespace ballast::estimate;
using ballast::test::max_abs_diff;
using ballast::test::min_eigenvalue;
using ballast::test::NA;
using ballast::test::random_returns;

namespace {

Matrix ragged_returns() {
  Matrix x = random_returns(41, 100, 4);
  x.block(0, 2, 25, 1).setConstant(NA);  // listed late
  x.block(90, 3, 10, 1).setConstant(NA);  // delisted early
  return x;
}

}  // namespace

// Reference: the component estimators (each checked against loops elsewhere) applied by hand
// to the common window rows 25..89.
TEST_CASE("common window moments equal the component estimators on the kept rows", "[estimate][moments]") {
  const Matrix x = ragged_returns();
  const Matrix window = x.middleRows(25, 65);
  EstimatorSettings settings;  // mean, sample, common window, 365 per year
  auto m = estimate_moments(x, settings);
  REQUIRE(m.ok());
  CHECK(m.value.observations == 65);
  CHECK(max_abs_diff(m.value.expected_returns, historical_mean_returns(window, 365).value) < 1e-15);
  CHECK(max_abs_diff(m.value.covariance, sample_covariance(window, 365).value) < 1e-15);
  CHECK(std::isnan(m.value.shrinkage));
  CHECK_FALSE(m.value.repair.repaired);
  CHECK(m.value.unestimated_pairs.empty());
  CHECK(max_abs_diff(m.value.volatilities, m.value.covariance.diagonal().cwiseSqrt()) == 0);
  for (Index i = 0; i < 4; ++i)
    for (Index j = 0; j < 4; ++j)
      CHECK(m.value.correlation(i, j) ==
            Approx(m.value.covariance(i, j) / (m.value.volatilities(i) * m.value.volatilities(j))).epsilon(1e-12));

  settings.expected_returns = ExpectedReturnsMethod::ewma;
  settings.covariance = CovarianceMethod::ledoit_wolf;
  settings.periods_per_year = 52;
  auto lw = estimate_moments(x, settings);
  REQUIRE(lw.ok());
  auto direct = ledoit_wolf_covariance(window, 52).value;
  CHECK(lw.value.shrinkage == direct.shrinkage);
  CHECK(max_abs_diff(lw.value.covariance, direct.covariance) == 0);
  CHECK(max_abs_diff(lw.value.expected_returns, ewma_mean_returns(window, 90, 52).value) == 0);
}

// Reference: pairwise component estimators; PSD of the output via an eigensolver.
TEST_CASE("pairwise moments use every period and come out PSD", "[estimate][moments]") {
  const Matrix x = ragged_returns();
  EstimatorSettings settings;
  settings.missing = MissingPolicy::pairwise;
  settings.covariance = CovarianceMethod::ewma;
  settings.half_life_periods = 30;
  auto m = estimate_moments(x, settings);
  REQUIRE(m.ok());
  CHECK(m.value.observations == 65);  // assets 2 and 3 share rows 25..89
  CHECK(max_abs_diff(m.value.expected_returns, historical_mean_returns(x, 365).value) < 1e-15);
  const Matrix pairwise = pairwise_ewma_covariance(x, 30, 365).value.covariance;
  if (!m.value.repair.repaired) CHECK(m.value.covariance == pairwise);
  CHECK(min_eigenvalue(m.value.covariance) >= -1e-14);

  settings.covariance = CovarianceMethod::ledoit_wolf;
  auto refused = estimate_moments(x, settings);
  CHECK(refused.error.code == Status::unsupported);
  CHECK(refused.error.field == "estimator.missing");
}

// Reference: the settings contract in moments.hpp (public camelCase field names).
TEST_CASE("estimator settings are validated with their public field names", "[estimate][moments][input]") {
  const Matrix x = random_returns(42, 30, 2);
  EstimatorSettings s;
  CHECK(validate(s).ok());
  s.half_life_periods = 0;
  CHECK(estimate_moments(x, s).error.code == Status::invalid_value);
  CHECK(estimate_moments(x, s).error.field == "estimator.halfLife");
  s.half_life_periods = std::numeric_limits<double>::infinity();
  CHECK(estimate_moments(x, s).error.code == Status::non_finite);
  s = EstimatorSettings{};
  s.periods_per_year = -365;
  CHECK(estimate_moments(x, s).error.field == "periodsPerYear");
  s.periods_per_year = std::numeric_limits<double>::quiet_NaN();
  CHECK(estimate_moments(x, s).error.code == Status::non_finite);

  Matrix with_inf = x;
  with_inf(7, 1) = std::numeric_limits<double>::infinity();
  auto r = estimate_moments(with_inf, EstimatorSettings{}, "estimate.returns");
  CHECK(r.error.code == Status::non_finite);
  CHECK(r.error.field == "estimate.returns[7][1]");

  auto overflow = estimate_moments(Matrix::Constant(3, 2, 1e200) + Matrix::Identity(3, 2) * 1e200, EstimatorSettings{});
  CHECK(overflow.error.code == Status::numerical_error);
}

// Reference: the definition in moments.hpp (zero variance -> 0 off-diagonal, 1 diagonal;
// clamped to [-1, 1]; volatilities of a slightly negative variance read 0).
TEST_CASE("correlation and volatilities never produce NaN", "[estimate][moments]") {
  Matrix cov(3, 3);
  cov << 4, 0, 2.0000000001,  //
      0, 0, 0,                //
      2.0000000001, 0, 1;     // rho_02 = 1.00000000005 by rounding of the inputs: clamped
  const Matrix rho = correlation_from_covariance(cov);
  CHECK(rho.allFinite());
  CHECK(rho(1, 1) == 1);
  CHECK(rho(0, 1) == 0);
  CHECK(rho(1, 2) == 0);
  CHECK(rho(0, 2) == 1);
  CHECK(rho(0, 0) == 1);

  Matrix slightly_negative = Matrix::Identity(2, 2);
  slightly_negative(1, 1) = -1e-18;
  const Vector vols = volatilities_from_covariance(slightly_negative);
  CHECK(vols(0) == 1);
  CHECK(vols(1) == 0);
}
