#include "ballast/core/checked_covariance.hpp"

#include "ballast/core/validate.hpp"

namespace ballast {

Result<CheckedCovariance> CheckedCovariance::check(const Matrix& matrix, const std::string& field) {
  if (Error e = require_covariance(matrix, field); !e.ok()) return Result<CheckedCovariance>::failure(e);
  return Result<CheckedCovariance>::success(CheckedCovariance(matrix));
}

}  // namespace ballast
