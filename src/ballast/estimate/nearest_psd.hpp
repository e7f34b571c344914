// Repair of an indefinite covariance: the nearest positive-semidefinite matrix in Frobenius
// norm, found by clipping negative eigenvalues to 0 (Higham 1988, "Computing a nearest
// symmetric positive semidefinite matrix", Linear Algebra Appl. 103: for a symmetric A =
// V diag(lambda) V^T the Frobenius-nearest PSD matrix is V diag(max(lambda, 0)) V^T).
#pragma once

#include <string>

#include "ballast/core/checked_covariance.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

struct PsdRepair {
  bool repaired = false;             // true when some eigenvalue was clipped
  Index eigenvalues_clipped = 0;     // how many
  // Smallest eigenvalue of the input, computed only when a Cholesky factorization could not
  // certify the matrix positive definite; NaN (not computed) when it could.
  double min_eigenvalue_before = 0;
  double frobenius_change = 0;       // ||output - input||_F (0 when not repaired)
};

struct PsdMatrix {
  Matrix matrix;  // PSD; the input itself when nothing was clipped
  PsdRepair repair;
};

// matrix: N x N symmetric (to 1e-10 relative; only the lower triangle is read).
// An eigenvalue counts as negative when below -N * machine_epsilon * max|lambda|: smaller ones
// are rounding noise of a PSD matrix (e.g. a rank-deficient sample covariance) and are left
// alone, so a matrix that is PSD up to rounding comes back unchanged with repaired = false.
// Errors: invalid_shape (field) not square or empty; non_finite / invalid_value
// ("<field>[i][j]") non-finite or asymmetric entry; numerical_error (field) when the
// eigensolver fails.
Result<PsdMatrix> nearest_psd(const Matrix& matrix, const std::string& field = "covariance");
// The same for a covariance already checked where it entered (skips the symmetry re-check).
Result<PsdMatrix> nearest_psd(const CheckedCovariance& covariance, const std::string& field = "covariance");

}  // namespace ballast::estimate
