// Pairwise covariance for ragged panels.
#include <catch2/catch.hpp>

#include <cmath>

#include "ballast/estimate/covariance.hpp"
#include "ballast/estimate/pairwise_covariance.hpp"
#include "checks.hpp"

using namespace ballast;
using namespace ballast::estimate;
using ballast::test::max_abs_diff;
using ballast::test::NA;
using ballast::test::random_returns;

namespace {

// Independent reference: for each pair, gather the shared periods and apply the textbook
// (weighted) covariance with the pair's own means. half_life <= 0 means the unbiased sample
// covariance; otherwise w_t = 0.5^((T-1-t)/h) normalized over the shared periods.
Matrix loop_pairwise(const Matrix& x, double half_life) {
  const Index T = x.rows(), N = x.cols();
  Matrix out = Matrix::Zero(N, N);
  for (Index i = 0; i < N; ++i)
    for (Index j = 0; j < N; ++j) {
      double w_sum = 0, mi = 0, mj = 0, n = 0;
      for (Index t = 0; t < T; ++t) {
        if (std::isnan(x(t, i)) || std::isnan(x(t, j))) continue;
        const double w = half_life > 0 ? std::pow(0.5, static_cast<double>(T - 1 - t) / half_life) : 1.0;
        w_sum += w;
        mi += w * x(t, i);
        mj += w * x(t, j);
        n += 1;
      }
      if (n < 2) continue;
      mi /= w_sum;
      mj /= w_sum;
      double acc = 0;
      for (Index t = 0; t < T; ++t) {
        if (std::isnan(x(t, i)) || std::isnan(x(t, j))) continue;
        const double w = half_life > 0 ? std::pow(0.5, static_cast<double>(T - 1 - t) / half_life) : 1.0;
        acc += w * (x(t, i) - mi) * (x(t, j) - mj);
      }
      out(i, j) = half_life > 0 ? acc / w_sum : acc / (n - 1);
    }
  return out;
}

Matrix ragged_returns() {
  Matrix x = random_returns(21, 90, 4);
  x.block(0, 1, 30, 1).setConstant(NA);   // listed late
  x.block(70, 2, 20, 1).setConstant(NA);  // delisted early
  x(40, 3) = NA;                          // a one-day gap
  x(41, 0) = NA;
  return x;
}

}  // namespace

// Reference: per-pair loop (loop_pairwise) for both sample and EWMA weighting.
TEST_CASE("pairwise covariance matches a per-pair loop on ragged data", "[estimate][pairwise]") {
  const Matrix x = ragged_returns();
  auto sample = pairwise_sample_covariance(x, 1);
  REQUIRE(sample.ok());
  CHECK(max_abs_diff(sample.value.covariance, loop_pairwise(x, 0)) < 1e-17);
  CHECK(sample.value.unestimated_pairs.empty());
  CHECK(sample.value.min_shared_periods == 40);  // assets 1 and 2 share only rows 30..69
  auto ewma = pairwise_ewma_covariance(x, 25, 12);
  REQUIRE(ewma.ok());
  CHECK(max_abs_diff(ewma.value.covariance, 12 * loop_pairwise(x, 25)) < 1e-16);
}

// Reference: the complete-panel estimators (themselves checked against loops and recursions).
TEST_CASE("on a complete panel pairwise equals the complete-panel estimators", "[estimate][pairwise]") {
  const Matrix x = random_returns(22, 70, 5);
  CHECK(max_abs_diff(pairwise_sample_covariance(x, 365).value.covariance, sample_covariance(x, 365).value) < 1e-15);
  CHECK(max_abs_diff(pairwise_ewma_covariance(x, 9, 365).value.covariance, ewma_covariance(x, 9, 365).value) <
        1e-15);
  CHECK(pairwise_sample_covariance(x, 1).value.min_shared_periods == 70);
}

// Reference: the fallback contract in pairwise_covariance.hpp (0 and listed, never silent).
TEST_CASE("pairs that never overlap are set to 0 and listed", "[estimate][pairwise]") {
  Matrix x = random_returns(23, 20, 3);
  x.block(0, 0, 10, 1).setConstant(NA);   // asset 0 starts at row 10
  x.block(10, 2, 10, 1).setConstant(NA);  // asset 2 ends at row 9
  auto c = pairwise_sample_covariance(x, 1);
  REQUIRE(c.ok());
  REQUIRE(c.value.unestimated_pairs.size() == 1);
  CHECK(c.value.unestimated_pairs[0].first == 0);
  CHECK(c.value.unestimated_pairs[0].second == 2);
  CHECK(c.value.covariance(0, 2) == 0);
  CHECK(c.value.covariance(2, 0) == 0);
  CHECK(c.value.min_shared_periods == 10);
}

// Reference: the error contract in pairwise_covariance.hpp.
TEST_CASE("pairwise estimators refuse assets with fewer than 2 returns", "[estimate][pairwise][input]") {
  Matrix x = random_returns(24, 10, 2);
  x.col(1).setConstant(NA);
  x(4, 1) = 0.01;
  auto c = pairwise_sample_covariance(x, 1);
  CHECK(c.error.code == Status::invalid_value);
  CHECK(c.error.field == "returns");
  CHECK(pairwise_ewma_covariance(random_returns(24, 10, 2), 0, 1).error.field == "estimator.halfLife");
}
