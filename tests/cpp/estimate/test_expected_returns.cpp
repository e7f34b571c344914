// Expected returns: historical mean and EWMA mean, complete and ragged.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ballast/estimate/expected_returns.hpp"
#include "checks.hpp"

using namespace ballast;
using namespace ballast::estimate;
using ballast::test::max_abs_diff;
using ballast::test::NA;
using ballast::test::random_returns;

namespace {

// Independent reference: scalar loops over the definition, skipping NaN.
Vector loop_weighted_mean(const Matrix& x, double half_life /* <= 0: equal weights */) {
  const Index T = x.rows();
  Vector out(x.cols());
  for (Index j = 0; j < x.cols(); ++j) {
    double weighted = 0, total = 0;
    for (Index t = 0; t < T; ++t) {
      if (std::isnan(x(t, j))) continue;
      const double w = half_life > 0 ? std::pow(0.5, static_cast<double>(T - 1 - t) / half_life) : 1.0;
      weighted += w * x(t, j);
      total += w;
    }
    out(j) = weighted / total;
  }
  return out;
}

}  // namespace

// Reference: scalar loop of sum/count; periods_per_year scales linearly.
TEST_CASE("historical mean is the per-period mean times periods per year", "[estimate][expected_returns]") {
  const Matrix x = random_returns(1, 40, 4);
  auto per_period = historical_mean_returns(x, 1);
  auto daily = historical_mean_returns(x, 365);
  REQUIRE(per_period.ok());
  REQUIRE(daily.ok());
  CHECK(max_abs_diff(per_period.value, loop_weighted_mean(x, 0)) < 1e-16);
  CHECK(max_abs_diff(daily.value, 365 * loop_weighted_mean(x, 0)) < 1e-14);
}

// Reference: scalar loop over each asset's own periods.
TEST_CASE("historical mean of a ragged panel uses each asset's own periods", "[estimate][expected_returns]") {
  Matrix x(4, 2);
  x << 0.01, NA, 0.03, NA, -0.02, 0.05, 0.04, 0.01;
  auto mu = historical_mean_returns(x, 1);
  REQUIRE(mu.ok());
  CHECK(mu.value(0) == Approx(0.015).margin(1e-17));
  CHECK(mu.value(1) == Approx(0.03).margin(1e-17));
}

// Reference: loop with w_t = 0.5^((T-1-t)/h), normalized; and, independently, the recursion
// m_t = lambda m_{t-1} + (1 - lambda) x_t from m_{-1} = 0 divided by (1 - lambda^T).
TEST_CASE("EWMA mean matches the weighted loop and the EWMA recursion", "[estimate][expected_returns]") {
  const Matrix x = random_returns(2, 120, 3);
  const double h = 15;
  auto mu = ewma_mean_returns(x, h, 1);
  REQUIRE(mu.ok());
  CHECK(max_abs_diff(mu.value, loop_weighted_mean(x, h)) < 1e-15);

  const double lambda = std::pow(0.5, 1.0 / h);
  Vector m = Vector::Zero(3);
  for (Index t = 0; t < x.rows(); ++t) m = lambda * m + (1 - lambda) * x.row(t).transpose();
  m /= 1 - std::pow(lambda, static_cast<double>(x.rows()));
  CHECK(max_abs_diff(mu.value, m) < 1e-15);
}

// Reference: weighted loop skipping NaN; a very long half-life tends to the plain mean.
TEST_CASE("EWMA mean on ragged data and in the long half-life limit", "[estimate][expected_returns]") {
  Matrix x = random_returns(3, 60, 3);
  x.block(0, 1, 20, 1).setConstant(NA);   // listed late
  x.block(45, 2, 15, 1).setConstant(NA);  // delisted early
  auto mu = ewma_mean_returns(x, 10, 52);
  REQUIRE(mu.ok());
  CHECK(max_abs_diff(mu.value, 52 * loop_weighted_mean(x, 10)) < 1e-14);

  auto flat = ewma_mean_returns(x, 1e12, 1);
  auto mean = historical_mean_returns(x, 1);
  CHECK(max_abs_diff(flat.value, mean.value) < 1e-13);
}

// Reference: the error contract in expected_returns.hpp and inputs.hpp.
TEST_CASE("expected returns refuse bad settings and empty assets", "[estimate][expected_returns][input]") {
  const Matrix x = random_returns(4, 10, 2);
  for (double bad : {0.0, -5.0}) {
    auto r = ewma_mean_returns(x, bad, 365);
    CHECK(r.error.code == Status::invalid_value);
    CHECK(r.error.field == "estimator.halfLife");
  }
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    CHECK(ewma_mean_returns(x, bad, 365).error.code == Status::non_finite);
    CHECK(historical_mean_returns(x, bad).error.field == "periodsPerYear");
  }
  CHECK(historical_mean_returns(x, 0).error.code == Status::invalid_value);

  Matrix empty_column = x;
  empty_column.col(1).setConstant(NA);
  auto r = historical_mean_returns(empty_column, 365);
  CHECK(r.error.code == Status::invalid_value);
  CHECK(r.error.field == "returns");

  // An asset whose only returns lie ~1000 half-lives before the end has no usable weight.
  Matrix stale = random_returns(5, 1200, 2);
  stale.bottomRows(1100).col(1).setConstant(NA);
  auto s = ewma_mean_returns(stale, 1.0, 365);
  CHECK(s.error.code == Status::invalid_value);
  CHECK(s.error.field == "estimator.halfLife");
}
