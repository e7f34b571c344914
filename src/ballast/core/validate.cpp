#include "ballast/core/validate.hpp"

#include <algorithm>
#include <cmath>

namespace ballast {

std::string indexed(const std::string& field, Index i) {
  return field + "[" + std::to_string(i) + "]";
}

std::string indexed(const std::string& field, Index i, Index j) {
  return indexed(indexed(field, i), j);
}

Error require_finite(const Matrix& m, const std::string& field) {
  if (m.allFinite()) return Error::none();  // vectorized fast path; locate only on failure
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j)
      if (!std::isfinite(m(i, j)))
        return make_error(Status::non_finite, indexed(field, i, j),
                          "value is " + std::to_string(m(i, j)) + "; every entry must be a finite number");
  return Error::none();
}

Error require_finite(const Vector& v, const std::string& field) {
  if (v.allFinite()) return Error::none();
  for (Index i = 0; i < v.size(); ++i)
    if (!std::isfinite(v(i)))
      return make_error(Status::non_finite, indexed(field, i),
                        "value is " + std::to_string(v(i)) + "; every entry must be a finite number");
  return Error::none();
}

Error require_shape(const Matrix& m, Index rows, Index cols, const std::string& field) {
  if (m.rows() == rows && m.cols() == cols) return Error::none();
  return make_error(Status::invalid_shape, field,
                    "expected " + std::to_string(rows) + " x " + std::to_string(cols) + ", got " +
                        std::to_string(m.rows()) + " x " + std::to_string(m.cols()));
}

Error require_size(const Vector& v, Index size, const std::string& field) {
  if (v.size() == size) return Error::none();
  return make_error(Status::invalid_shape, field,
                    "expected " + std::to_string(size) + " entries, got " + std::to_string(v.size()));
}

Error require_symmetric(const Matrix& m, const std::string& field) {
  if (m.rows() != m.cols() || m.rows() == 0)
    return make_error(Status::invalid_shape, field,
                      "expected a non-empty square matrix, got " + std::to_string(m.rows()) + " x " +
                          std::to_string(m.cols()));
  if (Error e = require_finite(m, field); !e.ok()) return e;
  const double tolerance = 1e-10 * std::max(1.0, m.cwiseAbs().maxCoeff());
  // Whole-matrix comparison first (cache-friendly, vectorized); the element loop runs only to
  // name the first offending entry.
  if ((m - m.transpose()).cwiseAbs().maxCoeff() <= tolerance) return Error::none();
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = j + 1; i < m.rows(); ++i)
      if (std::abs(m(i, j) - m(j, i)) > tolerance)
        return make_error(Status::invalid_value, indexed(field, i, j),
                          "matrix must be symmetric: entry differs from its transpose");
  return Error::none();
}

Error require_covariance(const Matrix& m, const std::string& field) {
  if (Error e = require_symmetric(m, field); !e.ok()) return e;
  for (Index i = 0; i < m.rows(); ++i)
    if (m(i, i) < 0)
      return make_error(Status::invalid_value, indexed(field, i, i), "a variance cannot be negative");
  return Error::none();
}

}  // namespace ballast
