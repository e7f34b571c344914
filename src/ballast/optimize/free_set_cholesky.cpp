#include "ballast/optimize/free_set_cholesky.hpp"

#include <cmath>

namespace ballast::optimize::detail {

// A new pivot below this fraction of its diagonal means the free block is numerically singular
// (the proximal term keeps honest pivots at >= rho, far above this).
constexpr double kMinRelativePivot = 1e-14;

void FreeSetCholesky::reset(Index capacity) {
  if (L_.rows() < capacity) L_.resize(capacity, capacity);
  size_ = 0;
  vars_.clear();
  updates_ = 0;
}

bool FreeSetCholesky::refactor(const Matrix& P, double rho, const std::vector<Index>& vars) {
  const Index k = static_cast<Index>(vars.size());
  Matrix block(k, k);
  for (Index c = 0; c < k; ++c)
    for (Index r = 0; r < k; ++r) block(r, c) = P(vars[r], vars[c]);
  block.diagonal().array() += rho;
  Eigen::LLT<Matrix> llt(block);
  if (llt.info() != Eigen::Success) return false;
  if (L_.rows() < k) L_.resize(k, k);
  L_.topLeftCorner(k, k) = llt.matrixL();
  size_ = k;
  vars_ = vars;
  updates_ = 0;
  return true;
}

bool FreeSetCholesky::append(const Matrix& P, double rho, Index var) {
  const Index k = size_;
  Vector column(k);
  for (Index r = 0; r < k; ++r) column(r) = P(vars_[r], var);
  if (k > 0) L_.topLeftCorner(k, k).triangularView<Eigen::Lower>().solveInPlace(column);
  const double diagonal = P(var, var) + rho;
  const double pivot = diagonal - column.squaredNorm();
  if (!(pivot > kMinRelativePivot * diagonal)) return false;
  L_.row(k).head(k) = column.transpose();
  L_(k, k) = std::sqrt(pivot);
  vars_.push_back(var);
  ++size_;
  ++updates_;
  return true;
}

void FreeSetCholesky::remove(Index position) {
  const Index k = size_;
  const Index tail = k - position - 1;
  Vector below = L_.col(position).segment(position + 1, tail);
  // Close the gap: rows below `position` move up one, columns right of it move left one.
  // Explicit loops: the source and destination blocks overlap.
  for (Index c = 0; c < position; ++c)
    for (Index r = position + 1; r < k; ++r) L_(r - 1, c) = L_(r, c);
  for (Index c = position + 1; c < k; ++c)
    for (Index r = c; r < k; ++r) L_(r - 1, c - 1) = L_(r, c);
  // The trailing block lost the contribution of the removed column: add it back as a rank-one
  // update, L33 L33' + v v'.
  rank_one_update(position, below);
  vars_.erase(vars_.begin() + position);
  --size_;
  ++updates_;
}

void FreeSetCholesky::rank_one_update(Index offset, Vector v) {
  const Index n = v.size();
  for (Index i = 0; i < n; ++i) {
    double& diagonal = L_(offset + i, offset + i);
    const double r = std::hypot(diagonal, v(i));
    const double c = r / diagonal;
    const double s = v(i) / diagonal;
    diagonal = r;
    const Index rest = n - i - 1;
    if (rest == 0) continue;
    auto column = L_.col(offset + i).segment(offset + i + 1, rest);
    auto tail = v.segment(i + 1, rest);
    column = (column + s * tail) / c;
    tail = c * tail - s * column;
  }
}

void FreeSetCholesky::solve_lower(Eigen::Ref<Matrix> b) const {
  if (size_ == 0) return;
  L_.topLeftCorner(size_, size_).triangularView<Eigen::Lower>().solveInPlace(b);
}

void FreeSetCholesky::solve_upper(Eigen::Ref<Vector> b) const {
  if (size_ == 0) return;
  L_.topLeftCorner(size_, size_).triangularView<Eigen::Lower>().transpose().solveInPlace(b);
}

}  // namespace ballast::optimize::detail
