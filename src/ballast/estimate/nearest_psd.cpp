#include "ballast/estimate/nearest_psd.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ballast/core/validate.hpp"

namespace ballast::estimate {
namespace {
// nearest_psd of a matrix already known to be square, finite and symmetric.
Result<PsdMatrix> nearest_psd_of_symmetric(const Matrix& matrix, const std::string& field);
}  // namespace

Result<PsdMatrix> nearest_psd(const Matrix& matrix, const std::string& field) {
  if (Error e = require_symmetric(matrix, field); !e.ok()) return Result<PsdMatrix>::failure(e);
  return nearest_psd_of_symmetric(matrix, field);
}

Result<PsdMatrix> nearest_psd(const CheckedCovariance& checked, const std::string& field) {
  return nearest_psd_of_symmetric(checked.matrix(), field);
}

namespace {

Result<PsdMatrix> nearest_psd_of_symmetric(const Matrix& matrix, const std::string& field) {
  // A Cholesky factorization succeeds only when every eigenvalue is above the rounding noise
  // (it is backward stable), so it certifies "nothing to clip" at a sixth of the cost of the
  // eigenvalues. Eigenvalues are computed only for matrices it cannot certify.
  PsdMatrix out;
  if (Eigen::LLT<Matrix> cholesky(matrix); cholesky.info() == Eigen::Success) {
    out.matrix = matrix;
    out.repair.min_eigenvalue_before = std::numeric_limits<double>::quiet_NaN();  // not computed
    return Result<PsdMatrix>::success(std::move(out));
  }
  // Eigenvalues alone cost about a third of a full decomposition, and most matrices need no
  // repair: compute the eigenvectors only when something must be clipped.
  const Eigen::SelfAdjointEigenSolver<Matrix> spectrum(matrix, Eigen::EigenvaluesOnly);
  if (spectrum.info() != Eigen::Success)
    return Result<PsdMatrix>::failure(
        make_error(Status::numerical_error, field, "eigenvalue computation did not converge"));
  const Vector& eigenvalues = spectrum.eigenvalues();  // ascending
  const double noise = static_cast<double>(matrix.rows()) * std::numeric_limits<double>::epsilon() *
                       eigenvalues.cwiseAbs().maxCoeff();
  out.repair.min_eigenvalue_before = eigenvalues(0);
  out.repair.eigenvalues_clipped = (eigenvalues.array() < -noise).count();
  out.repair.repaired = out.repair.eigenvalues_clipped > 0;
  if (!out.repair.repaired) {
    out.matrix = matrix;
    return Result<PsdMatrix>::success(std::move(out));
  }
  const Eigen::SelfAdjointEigenSolver<Matrix> eigen(matrix);
  if (eigen.info() != Eigen::Success)
    return Result<PsdMatrix>::failure(
        make_error(Status::numerical_error, field, "eigen-decomposition did not converge"));
  const Matrix& vectors = eigen.eigenvectors();
  const Matrix rebuilt = vectors * eigen.eigenvalues().cwiseMax(0.0).asDiagonal() * vectors.transpose();
  out.matrix = 0.5 * (rebuilt + rebuilt.transpose());  // exact symmetry despite rounding
  out.repair.frobenius_change = (out.matrix - matrix).norm();
  return Result<PsdMatrix>::success(std::move(out));
}

}  // namespace
}  // namespace ballast::estimate
