// Complete-panel covariance: sample, EWMA, Ledoit-Wolf.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ballast/estimate/covariance.hpp"
#include "checks.hpp"

using namespace ballast;
using namespace ballast::estimate;
using ballast::test::max_abs_diff;
using ballast::test::NA;
using ballast::test::random_returns;

namespace {

// Independent reference: the textbook double loop, 1/(T-1).
Matrix loop_sample_covariance(const Matrix& x) {
  const Index T = x.rows(), N = x.cols();
  Vector mean = Vector::Zero(N);
  for (Index j = 0; j < N; ++j) {
    for (Index t = 0; t < T; ++t) mean(j) += x(t, j);
    mean(j) /= static_cast<double>(T);
  }
  Matrix s(N, N);
  for (Index i = 0; i < N; ++i)
    for (Index j = 0; j < N; ++j) {
      double acc = 0;
      for (Index t = 0; t < T; ++t) acc += (x(t, i) - mean(i)) * (x(t, j) - mean(j));
      s(i, j) = acc / static_cast<double>(T - 1);
    }
  return s;
}

struct LoopLedoitWolf {
  Matrix covariance;
  double shrinkage;
};

// Independent reference: Ledoit & Wolf (2004), Lemma 3.2-3.4 / sklearn's estimator, written
// in the paper's form with scalar loops (note b-bar^2 sums ||x_t x_t^T - S||_F^2 over t,
// which is not the expanded form the library uses):
//   S = X^T X / T (X centered), m = tr(S)/N, d^2 = ||S - m I||^2/N,
//   b-bar^2 = (1/T^2) sum_t ||x_t x_t^T - S||^2 / N, b^2 = min(b-bar^2, d^2), delta = b^2/d^2.
LoopLedoitWolf loop_ledoit_wolf(const Matrix& raw) {
  const Index T = raw.rows(), N = raw.cols();
  Matrix x = raw;
  for (Index j = 0; j < N; ++j) {
    double mean = 0;
    for (Index t = 0; t < T; ++t) mean += raw(t, j);
    mean /= static_cast<double>(T);
    for (Index t = 0; t < T; ++t) x(t, j) = raw(t, j) - mean;
  }
  Matrix s = Matrix::Zero(N, N);
  for (Index i = 0; i < N; ++i)
    for (Index j = 0; j < N; ++j) {
      for (Index t = 0; t < T; ++t) s(i, j) += x(t, i) * x(t, j);
      s(i, j) /= static_cast<double>(T);
    }
  double m = 0;
  for (Index i = 0; i < N; ++i) m += s(i, i) / static_cast<double>(N);
  double d2 = 0;
  for (Index i = 0; i < N; ++i)
    for (Index j = 0; j < N; ++j) d2 += std::pow(s(i, j) - (i == j ? m : 0.0), 2);
  d2 /= static_cast<double>(N);
  double b2_bar = 0;
  for (Index t = 0; t < T; ++t)
    for (Index i = 0; i < N; ++i)
      for (Index j = 0; j < N; ++j) b2_bar += std::pow(x(t, i) * x(t, j) - s(i, j), 2);
  b2_bar /= static_cast<double>(T) * static_cast<double>(T) * static_cast<double>(N);
  const double shrinkage = std::min(b2_bar, d2) / d2;
  Matrix shrunk = (1 - shrinkage) * s;
  for (Index i = 0; i < N; ++i) shrunk(i, i) += shrinkage * m;
  return {shrunk, shrinkage};
}

Matrix small_fixed_returns() {
  Matrix x(6, 3);
  x << 0.010, -0.020, 0.005,  //
      -0.015, 0.030, 0.000,   //
      0.020, 0.010, -0.010,   //
      0.000, -0.005, 0.015,   //
      0.012, 0.018, -0.004,   //
      -0.008, -0.012, 0.007;
  return x;
}

}  // namespace

// Reference: textbook double loop.
TEST_CASE("sample covariance matches the double loop and annualizes linearly", "[estimate][covariance]") {
  const Matrix x = random_returns(11, 80, 6);
  auto s = sample_covariance(x, 1);
  REQUIRE(s.ok());
  const Matrix reference = loop_sample_covariance(x);
  CHECK(max_abs_diff(s.value, reference) < 1e-18);
  CHECK(s.value == s.value.transpose());  // exactly symmetric
  auto annual = sample_covariance(x, 252);
  CHECK(max_abs_diff(annual.value, 252 * reference) < 1e-15);
}

// Reference: the RiskMetrics recursion R_t = lambda R_{t-1} + (1-lambda) y_t y_t^T from 0,
// lambda = 2^(-1/h), on y_t = x_t - m with m the EWMA mean (itself from the mean recursion).
// The conventions coincide after dividing by 1 - lambda^T (normalizing the weights to sum 1).
TEST_CASE("EWMA covariance matches the direct recursion", "[estimate][covariance]") {
  const Matrix x = random_returns(12, 200, 4);
  const double h = 20;
  const double lambda = std::pow(2.0, -1.0 / h);
  const double normalization = 1 - std::pow(lambda, static_cast<double>(x.rows()));
  Vector m = Vector::Zero(4);
  for (Index t = 0; t < x.rows(); ++t) m = lambda * m + (1 - lambda) * x.row(t).transpose();
  m /= normalization;
  Matrix r = Matrix::Zero(4, 4);
  for (Index t = 0; t < x.rows(); ++t) {
    const Vector y = x.row(t).transpose() - m;
    r = lambda * r + (1 - lambda) * y * y.transpose();
  }
  r /= normalization;

  auto s = ewma_covariance(x, h, 1);
  REQUIRE(s.ok());
  CHECK(max_abs_diff(s.value, r) < 1e-17);
  auto annual = ewma_covariance(x, h, 365);
  CHECK(max_abs_diff(annual.value, 365 * r) < 1e-15);
}

// Reference: the limit stated in covariance.hpp: equal weights, no bias correction =>
// (T-1)/T times the sample covariance (the double loop).
TEST_CASE("EWMA covariance with a very long half-life is the 1/T covariance", "[estimate][covariance]") {
  const Matrix x = random_returns(13, 50, 3);
  // h = 1e15: the oldest weight is 2^(-49e-15), 1 to within 4e-14 relative.
  auto s = ewma_covariance(x, 1e15, 1);
  REQUIRE(s.ok());
  const Matrix limit = loop_sample_covariance(x) * 49.0 / 50.0;
  CHECK(max_abs_diff(s.value, limit) < 1e-12 * limit.cwiseAbs().maxCoeff());
}

// Reference: scikit-learn 1.2.1, `LedoitWolf().fit(X)` on this X (shrinkage_, covariance_),
// printed with repr() by python3 (Debian python3-sklearn 1.2.1, numpy 1.24.2).
TEST_CASE("Ledoit-Wolf matches hard-coded scikit-learn values", "[estimate][covariance][ledoit_wolf]") {
  auto lw = ledoit_wolf_covariance(small_fixed_returns(), 1);
  REQUIRE(lw.ok());
  CHECK(lw.value.shrinkage == Approx(0.6562655033147224).epsilon(1e-12));
  Matrix sklearn(3, 3);
  sklearn << 0.0001622677578811286, -1.1715617428689881e-05, -1.690982760082296e-05,  //
      -1.1715617428689881e-05, 0.00021650142291369462, -2.7298247945089128e-05,       //
      -1.690982760082296e-05, -2.7298247945089128e-05, 0.00013442526364962113;
  CHECK(max_abs_diff(lw.value.covariance, sklearn) < 1e-16);

  // More assets than periods: Y is 3 x 5; same scikit-learn run.
  Matrix y(3, 5);
  y << 0.01, 0.02, -0.01, 0.03, 0.00,  //
      0.02, -0.01, 0.00, 0.01, 0.02,   //
      -0.01, 0.00, 0.02, -0.02, 0.01;
  auto wide = ledoit_wolf_covariance(y, 1);
  REQUIRE(wide.ok());
  CHECK(wide.value.shrinkage == Approx(0.38753353454057676).epsilon(1e-12));
  CHECK(wide.value.covariance(0, 0) == Approx(0.00016933452567255387).epsilon(1e-12));
  CHECK(wide.value.covariance(0, 1) == Approx(-1.3610365899098296e-05).epsilon(1e-12));
  CHECK(wide.value.covariance(3, 4) == Approx(-4.083109769729487e-05).epsilon(1e-12));
}

// Reference: the paper's formula written with loops (loop_ledoit_wolf above).
TEST_CASE("Ledoit-Wolf matches the paper's formula in loop form", "[estimate][covariance][ledoit_wolf]") {
  for (auto shape : {std::pair<Index, Index>{60, 5}, {12, 10}, {500, 3}}) {
    const Matrix x = random_returns(14 + static_cast<std::uint64_t>(shape.first), shape.first, shape.second);
    auto lw = ledoit_wolf_covariance(x, 365);
    REQUIRE(lw.ok());
    const LoopLedoitWolf reference = loop_ledoit_wolf(x);
    INFO("T = " << shape.first << ", N = " << shape.second);
    CHECK(lw.value.shrinkage == Approx(reference.shrinkage).epsilon(1e-10));
    CHECK(lw.value.shrinkage > 0);
    CHECK(lw.value.shrinkage <= 1);
    CHECK(max_abs_diff(lw.value.covariance, 365 * reference.covariance) < 1e-14);
  }
}

// Reference: scikit-learn's documented special case (one feature => shrinkage 0, 1/T variance).
TEST_CASE("Ledoit-Wolf with one asset is the 1/T variance and no shrinkage", "[estimate][covariance][ledoit_wolf]") {
  Matrix x(4, 1);
  x << 1, 2, 3, 6;  // mean 3, squared deviations 4 + 1 + 0 + 9 = 14
  auto lw = ledoit_wolf_covariance(x, 1);
  REQUIRE(lw.ok());
  CHECK(lw.value.shrinkage == 0);
  CHECK(lw.value.covariance(0, 0) == Approx(14.0 / 4.0));
}

// Reference: the error contract in covariance.hpp.
TEST_CASE("complete-panel estimators refuse missing and bad input", "[estimate][covariance][input]") {
  Matrix x = small_fixed_returns();
  x(3, 2) = NA;
  CHECK(sample_covariance(x, 1).error.code == Status::invalid_value);
  CHECK(sample_covariance(x, 1).error.field == "returns[3][2]");
  CHECK(ewma_covariance(x, 10, 1, "r").error.field == "r[3][2]");
  CHECK(ledoit_wolf_covariance(x, 1).error.field == "returns[3][2]");

  x(3, 2) = std::numeric_limits<double>::infinity();
  CHECK(sample_covariance(x, 1).error.code == Status::non_finite);
  CHECK(sample_covariance(small_fixed_returns().topRows(1), 1).error.code == Status::invalid_shape);
  CHECK(ledoit_wolf_covariance(Matrix(5, 0), 1).error.code == Status::invalid_shape);
  CHECK(ewma_covariance(small_fixed_returns(), -1, 1).error.field == "estimator.halfLife");
  CHECK(ledoit_wolf_covariance(small_fixed_returns(), 0).error.field == "periodsPerYear");
}
