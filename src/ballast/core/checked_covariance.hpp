// A covariance matrix that has passed require_covariance (square, non-empty, finite,
// symmetric to 1e-10 relative, non-negative diagonal), checked once where it entered.
//
// Why a type: every public engine function validates its input, and one optimize call used
// to check the same N x N matrix five times (api reader, nearest_psd, optimize_portfolio, the
// QP solver, the portfolio report), each a pass over N^2 entries (about 0.3 ms at N = 500).
// Functions that take a CheckedCovariance skip the re-check; only check() makes one, so a
// matrix cannot skip validation by accident (assume_checked is the api layer's, see below).
//
// It refers to the matrix, it does not copy it: the matrix must outlive it and stay unchanged.
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast {

class CheckedCovariance {
 public:
  CheckedCovariance() = default;  // empty; for Result<> only
  // require_covariance(matrix, field), then a view of the matrix.
  static Result<CheckedCovariance> check(const Matrix& matrix, const std::string& field);
  // For the api layer only: a matrix its reader already ran require_covariance on, or one the
  // engine itself produced (estimated moments, a nearest-PSD repair), which satisfy it by
  // construction. Anything else goes through check().
  static CheckedCovariance assume_checked(const Matrix& matrix) { return CheckedCovariance(matrix); }

  const Matrix& matrix() const { return *matrix_; }
  Index size() const { return matrix_ ? matrix_->rows() : 0; }

 private:
  explicit CheckedCovariance(const Matrix& matrix) : matrix_(&matrix) {}
  const Matrix* matrix_ = nullptr;
};

}  // namespace ballast
