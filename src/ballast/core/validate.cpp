#include "ballast/core/validate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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
  // One pass over the matrix for finiteness, the largest entry and the largest asymmetry (it
  // used to be three: allFinite, max |m|, max |m - m'|). Columns go in blocks of 8 so that the
  // transposed side reads whole cache lines. The element loops below run only on failure, to
  // name the first offending entry.
  const Index n = m.rows();
  constexpr Index kBlock = 8;
  constexpr double kHuge = std::numeric_limits<double>::max();
  bool finite = true;
  double largest = 0, asymmetry = 0;
  for (Index jb = 0; jb < n; jb += kBlock) {
    const Index je = std::min(n, jb + kBlock);
    for (Index i = jb; i < n; ++i) {
      const Index last = std::min(je, i + 1);
      for (Index j = jb; j < last; ++j) {
        const double below = m(i, j), above = m(j, i);
        const double a = std::abs(below), b = std::abs(above);
        finite = finite && a <= kHuge && b <= kHuge;  // false for NaN and infinities
        largest = std::max(largest, std::max(a, b));
        asymmetry = std::max(asymmetry, std::abs(below - above));
      }
    }
  }
  if (!finite) return require_finite(m, field);
  const double tolerance = 1e-10 * std::max(1.0, largest);
  if (asymmetry <= tolerance) return Error::none();
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
