// Small helpers shared by the estimate tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "ballast/core/types.hpp"

namespace ballast::test {

// "Not available": how the engine marks a missing price or return.
inline constexpr double NA = std::numeric_limits<double>::quiet_NaN();

// Largest elementwise difference; NaN in the same place on both sides counts as equal,
// NaN on one side only as infinitely different.
inline double max_abs_diff(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (Index i = 0; i < a.rows(); ++i)
    for (Index j = 0; j < a.cols(); ++j) {
      if (std::isnan(a(i, j)) && std::isnan(b(i, j))) continue;
      const double d = std::abs(a(i, j) - b(i, j));
      if (std::isnan(d)) return std::numeric_limits<double>::infinity();
      worst = std::max(worst, d);
    }
  return worst;
}

inline double min_eigenvalue(const Matrix& symmetric) {
  Eigen::SelfAdjointEigenSolver<Matrix> eigen(symmetric, Eigen::EigenvaluesOnly);
  return eigen.info() == Eigen::Success ? eigen.eigenvalues()(0) : std::numeric_limits<double>::quiet_NaN();
}

// A seeded T x N panel of returns around `mean` with a common factor, so assets correlate.
Matrix random_returns(std::uint64_t seed, Index periods, Index assets, double mean = 0.001);

}  // namespace ballast::test
