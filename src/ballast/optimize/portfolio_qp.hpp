// Internal: the portfolio constraint set written as a QpProblem, and the way back (weights from
// the QP's x, constraint names from the QP's infeasibility certificate).
//
// Formulation. Without a gross-leverage cap (or when no asset may be short) the variables are
// the weights w. With a cap and shorting allowed, w = w+ - w- with
//   w+ in [max(lo,0), max(hi,0)],  w- in [max(-hi,0), max(-lo,0)],  sum(w+ + w-) <= L.
// Every feasible w maps to w+ = max(w,0), w- = max(-w,0), and every feasible (w+, w-) gives a
// w inside the bounds with sum|w| <= sum(w+ + w-) <= L, so the two problems have the same
// feasible weights. It keeps the cap as one dense row and all bounds as simple bounds, which is
// what the active-set solver is fast at (the alternative t_i >= |w_i| adds 2N general rows).
// P becomes [S -S; -S S] (singular), which the solver's proximal loop handles.
#pragma once

#include <string>
#include <vector>

#include "ballast/optimize/allocation.hpp"
#include "ballast/optimize/qp_solver.hpp"

namespace ballast::optimize::detail {

// What a QP row or bound stands for in the user's terms.
enum class RowRole { budget, group, group_min, group_max, gross_leverage, target_return, bound_lower, bound_upper, normalization, linear };
struct RowTag {
  RowRole role = RowRole::budget;
  Index index = -1;  // group or asset
};

class PortfolioQp {
 public:
  PortfolioQp(const Matrix& covariance, const PortfolioConstraints& constraints, Index assets);

  // 1/2 x'(risk_scale * Sigma)x - reward'w, lifted to the split variables when needed.
  void set_objective(double risk_scale, const Vector& reward);
  // Appends the row mu'w >= target (once; later calls move the target).
  void set_return_floor(const Vector& expected_returns, double target);

  Vector weights(const Vector& x) const;
  Vector lift(const Vector& weights) const;
  bool split() const { return split_; }

  QpProblem qp;
  std::vector<RowTag> eq_tags, ineq_tags;

 private:
  const Matrix& covariance_;
  Index n_;
  bool split_;
  Index return_row_ = -1;
};

// Names the constraints in a QP infeasibility certificate. Bounds are gathered into one
// reference ("constraints.bounds", or "constraints.bounds[i]" when a single asset is to blame);
// with split variables (w+, w-) the structural bounds w+ >= 0, w- >= 0 are not reported.
std::vector<ConstraintRef> name_conflicts(const std::vector<QpConflict>& conflicts,
                                          const std::vector<RowTag>& eq_tags,
                                          const std::vector<RowTag>& ineq_tags, Index assets, bool split,
                                          const Vector& lower, const Vector& upper);

// Running totals over the QPs of one call.
void add_solve(SolveInfo& info, const QpInfo& qp_info);

// The usual allocation shell: status, message and the QP's conflicts named.
Allocation infeasible_allocation(std::vector<ConstraintRef> refs, const std::string& message);

// Fills weights, expected return, volatility and the binding list for a solved QP.
void describe(Allocation& allocation, const Vector& weights, const Vector& expected_returns,
              const Matrix& covariance, const PortfolioConstraints& constraints);

// Max over the constraint set of mu'w (an LP), as a QP result in PortfolioQp coordinates.
Result<QpResult> solve_max_return(PortfolioQp& problem, const Vector& expected_returns,
                                  const QpSettings& settings, SolveInfo& info);

}  // namespace ballast::optimize::detail
