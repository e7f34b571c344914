// Nearest PSD repair by eigenvalue clipping.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "ballast/estimate/covariance.hpp"
#include "ballast/estimate/nearest_psd.hpp"
#include "checks.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::estimate;
using ballast::test::max_abs_diff;
using ballast::test::min_eigenvalue;
using ballast::test::NA;

namespace {

// An indefinite "correlation" matrix: 0.9, 0.9 and -0.9 cannot hold together.
Matrix indefinite() {
  Matrix a(3, 3);
  a << 1, 0.9, -0.9,  //
      0.9, 1, 0.9,    //
      -0.9, 0.9, 1;
  return a;
}

}  // namespace

// Reference: Higham (1988) characterization, checked through its consequences, using an
// eigen-decomposition of the INPUT computed here: the output is PSD, acts as lambda on every
// eigenvector with lambda > 0 (positive eigenspace unchanged), annihilates every eigenvector
// with lambda < 0, and ||out - in||_F = sqrt(sum of clipped lambda^2).
TEST_CASE("nearest PSD clips negative eigenvalues and keeps the positive eigenspace", "[estimate][nearest_psd]") {
  const Matrix a = indefinite();
  auto psd = nearest_psd(a);
  REQUIRE(psd.ok());
  const PsdRepair& report = psd.value.repair;
  CHECK(report.repaired);
  CHECK(report.eigenvalues_clipped == 1);
  CHECK(report.min_eigenvalue_before == Approx(1 - 1.8).margin(1e-12));  // eigenvalues -0.8, 1.9, 1.9

  const Matrix& out = psd.value.matrix;
  CHECK(out == out.transpose());
  CHECK(min_eigenvalue(out) >= -1e-15);
  Eigen::SelfAdjointEigenSolver<Matrix> eigen(a);
  REQUIRE(eigen.info() == Eigen::Success);
  double clipped_squares = 0;
  for (Index k = 0; k < 3; ++k) {
    const double lambda = eigen.eigenvalues()(k);
    const Vector v = eigen.eigenvectors().col(k);
    if (lambda > 0) {
      CHECK((out * v - lambda * v).norm() < 1e-14);
    } else {
      CHECK((out * v).norm() < 1e-14);
      clipped_squares += lambda * lambda;
    }
  }
  CHECK(report.frobenius_change == Approx(std::sqrt(clipped_squares)).epsilon(1e-12));
  CHECK(report.frobenius_change == Approx((out - a).norm()).epsilon(1e-12));
}

// Reference: optimality in Frobenius norm, probed by random PSD competitors near the answer
// (none may be closer to the input) and by the usual cheap fix, shifting by -lambda_min I.
TEST_CASE("nearest PSD is Frobenius-closer than other PSD candidates", "[estimate][nearest_psd]") {
  const Matrix a = indefinite();
  auto psd = nearest_psd(a);
  REQUIRE(psd.ok());
  const double best = (psd.value.matrix - a).norm();
  const Matrix shifted = a - psd.value.repair.min_eigenvalue_before * Matrix::Identity(3, 3);
  CHECK((shifted - a).norm() > best);

  std::mt19937_64 rng(31);
  std::normal_distribution<double> normal;
  for (int trial = 0; trial < 200; ++trial) {
    Matrix g(3, 3);
    for (Index i = 0; i < 3; ++i)
      for (Index j = 0; j < 3; ++j) g(i, j) = 0.05 * normal(rng);
    const Matrix candidate = psd.value.matrix + g * g.transpose();  // PSD + PSD is PSD
    CHECK((candidate - a).norm() >= best - 1e-12);
  }
}

// Reference: a rank-deficient sample covariance (N > T) is PSD in exact arithmetic; its
// eigenvalues below 0 are rounding noise, which the repair must leave alone.
TEST_CASE("nearest PSD leaves PSD matrices alone, including rank-deficient ones", "[estimate][nearest_psd]") {
  std::mt19937_64 rng(32);
  const Matrix spd = ballast::test::random_covariance(rng, 8);
  auto same = nearest_psd(spd);
  REQUIRE(same.ok());
  CHECK_FALSE(same.value.repair.repaired);
  CHECK(same.value.repair.eigenvalues_clipped == 0);
  CHECK(same.value.repair.frobenius_change == 0);
  CHECK(same.value.matrix == spd);

  auto wide = sample_covariance(ballast::test::random_returns(33, 5, 12), 1);
  REQUIRE(wide.ok());
  auto rank_deficient = nearest_psd(wide.value);
  REQUIRE(rank_deficient.ok());
  CHECK_FALSE(rank_deficient.value.repair.repaired);
  CHECK(std::abs(rank_deficient.value.repair.min_eigenvalue_before) < 1e-15);
}

// Reference: the error contract in nearest_psd.hpp.
TEST_CASE("nearest PSD refuses non-square, asymmetric and non-finite input", "[estimate][nearest_psd][input]") {
  CHECK(nearest_psd(Matrix(2, 3)).error.code == Status::invalid_shape);
  CHECK(nearest_psd(Matrix()).error.code == Status::invalid_shape);
  Matrix a = indefinite();
  a(2, 0) = 0.5;
  auto r = nearest_psd(a, "cov");
  CHECK(r.error.code == Status::invalid_value);
  CHECK(r.error.field == "cov[2][0]");
  a = indefinite();
  a(1, 1) = NA;
  CHECK(nearest_psd(a).error.code == Status::non_finite);
  CHECK(nearest_psd(a).error.field == "covariance[1][1]");
}
