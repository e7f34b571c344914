// require_covariance / CheckedCovariance: the one check a covariance gets where it enters.
// Reference: the definitions in validate.hpp (finite; symmetric to 1e-10 relative to the
// largest entry; non-negative diagonal), checked entry by entry on small matrices where the
// answer is known by construction, on both triangles (the check reads them in one pass).
#include <catch2/catch.hpp>

#include <limits>

#include "ballast/core/checked_covariance.hpp"
#include "ballast/core/validate.hpp"

using namespace ballast;

namespace {

Matrix spd(Index n) {
  Matrix b(n, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) b(i, j) = std::cos(0.7 * i - 1.3 * j) + (i == j ? 1.5 : 0.0);
  Matrix s = b * b.transpose();
  return 0.5 * (s + s.transpose());
}

}  // namespace

TEST_CASE("a valid covariance passes, as a view of the same matrix", "[core][checked_covariance]") {
  for (Index n : {1, 7, 8, 9, 33}) {  // sizes around the 8-column blocks of the one-pass check
    const Matrix s = spd(n);
    auto checked = CheckedCovariance::check(s, "covariance");
    REQUIRE(checked.ok());
    CHECK(&checked.value.matrix() == &s);
    CHECK(checked.value.size() == n);
  }
}

TEST_CASE("non-finite entries are found in either triangle and named", "[core][checked_covariance]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (Index n : {3, 9, 20}) {
    for (auto [i, j] : {std::pair<Index, Index>{0, n - 1}, {n - 1, 0}, {n / 2, n / 2}, {1, n - 2}}) {
      for (double bad : {nan, inf, -inf}) {
        Matrix s = spd(n);
        s(i, j) = bad;  // only one triangle is touched
        auto checked = CheckedCovariance::check(s, "covariance");
        REQUIRE_FALSE(checked.ok());
        CHECK(checked.error.code == Status::non_finite);
        CHECK(checked.error.field == indexed("covariance", i, j));
      }
    }
  }
}

TEST_CASE("asymmetry above 1e-10 of the largest entry is refused, below it accepted", "[core][checked_covariance]") {
  const Index n = 12;
  Matrix s = spd(n);
  const double largest = s.cwiseAbs().maxCoeff();
  Matrix small = s;
  small(10, 3) += 0.5e-10 * largest;
  CHECK(CheckedCovariance::check(small, "covariance").ok());
  Matrix big = s;
  big(3, 10) += 2e-10 * largest;
  auto checked = CheckedCovariance::check(big, "covariance");
  REQUIRE_FALSE(checked.ok());
  CHECK(checked.error.code == Status::invalid_value);
  CHECK(checked.error.field == "covariance[10][3]");  // named by its lower-triangle position
}

TEST_CASE("a negative variance and a non-square matrix are refused", "[core][checked_covariance]") {
  Matrix s = spd(5);
  s(2, 2) = -1e-3;
  auto negative = CheckedCovariance::check(s, "cov");
  REQUIRE_FALSE(negative.ok());
  CHECK(negative.error.field == "cov[2][2]");
  CHECK(CheckedCovariance::check(Matrix(2, 3), "cov").error.code == Status::invalid_shape);
  CHECK(CheckedCovariance::check(Matrix(), "cov").error.code == Status::invalid_shape);
}
