// Shared input checks. Each returns Error::none() or an Error naming the offending
// element as "<field>[row][col]" so the caller can hand it straight to the user.
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast {

std::string indexed(const std::string& field, Index i);
std::string indexed(const std::string& field, Index i, Index j);

Error require_finite(const Matrix& m, const std::string& field);
Error require_finite(const Vector& v, const std::string& field);
Error require_shape(const Matrix& m, Index rows, Index cols, const std::string& field);
Error require_size(const Vector& v, Index size, const std::string& field);
// Non-empty, square, finite and symmetric to 1e-10 relative to its largest entry.
Error require_symmetric(const Matrix& m, const std::string& field);
// Symmetric (as above) with a non-negative diagonal.
Error require_covariance(const Matrix& m, const std::string& field);

}  // namespace ballast
