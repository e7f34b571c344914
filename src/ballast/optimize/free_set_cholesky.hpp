// Internal to the QP solver: the Cholesky factor L L' = P_FF + rho I of the free variables'
// block, kept up to date as variables join or leave the free set. Appending or removing one
// variable costs O(k^2) instead of the O(k^3) of a fresh factorization, which is what makes an
// active-set iteration cheap (a portfolio solve changes the free set one asset at a time).
#pragma once

#include <vector>

#include "ballast/core/types.hpp"

namespace ballast::optimize::detail {

class FreeSetCholesky {
 public:
  // Forget everything; room for up to `capacity` free variables.
  void reset(Index capacity);
  // Factor P_FF + rho I from scratch (Eigen LLT, info() checked). False if not positive definite.
  bool refactor(const Matrix& P, double rho, const std::vector<Index>& vars);
  // Add variable `var` as the last free variable. False (factor unchanged) when the new pivot
  // is not safely positive: the caller then refactors or gives up.
  bool append(const Matrix& P, double rho, Index var);
  // Remove the free variable at `position` (a rank-one update of the trailing block, O(k^2)).
  void remove(Index position);

  // In-place triangular solves with the current k x k factor: b <- L^{-1} b, b <- L^{-T} b.
  void solve_lower(Eigen::Ref<Matrix> b) const;
  void solve_upper(Eigen::Ref<Vector> b) const;

  Index size() const { return size_; }
  const std::vector<Index>& vars() const { return vars_; }
  int updates_since_refactor() const { return updates_; }

 private:
  void rank_one_update(Index offset, Vector v);

  Matrix L_;  // lower triangle of the top-left size_ x size_ block is the factor
  Index size_ = 0;
  std::vector<Index> vars_;  // vars_[i] is the variable of row/column i of L_
  int updates_ = 0;
};

}  // namespace ballast::optimize::detail
