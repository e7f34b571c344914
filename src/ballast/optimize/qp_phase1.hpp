// Internal to the QP solver: phase 1, finding a feasible vertex or proving there is none.
//
// The general rows (equalities first, then the two-sided inequalities) are written in the
// bounded-variable standard form  a_i'x - r_i + e+_i - e-_i = 0  with the row activity r_i in
// [lo_i, hi_i], the bounds lb <= x <= ub, and elastic variables e+, e- >= 0. A primal simplex
// minimizes sum(e+ + e-), the total violation. The basis is only m x m (m = number of general
// rows: budget, groups, leverage, a return target), so it is refactored at every pivot.
//
// At an optimum with positive violation the simplex duals y are a Farkas certificate: the rows
// with y_i != 0 and the bounds with a nonzero reduced cost cannot hold together. Those are
// returned as conflicts, with the side that is at fault.
#pragma once

#include <vector>

#include "ballast/optimize/qp_solver.hpp"

namespace ballast::optimize::detail {

// All general rows stacked: rows [0, m_eq) are equalities (lo == hi), the rest inequalities.
struct StackedRows {
  Matrix A;
  Vector lo, hi;
  Index m_eq = 0;
  Index count() const { return A.rows(); }
  bool is_equality(Index i) const { return i < m_eq; }
};

enum class Phase1Outcome { feasible, infeasible, iteration_limit, numerical_error };

struct Phase1Result {
  Phase1Outcome outcome = Phase1Outcome::numerical_error;
  Vector x;                           // the vertex found (the last iterate otherwise)
  std::vector<BoundState> var_state;  // nonbasic variables at a bound; basic ones are free
  std::vector<QpConflict> conflicts;  // when infeasible
  double violation = 0;               // sum of the elastic variables at the end
  int iterations = 0;
};

// `guess` (may be empty) picks which bound each variable starts at: the one nearest to it.
Phase1Result find_feasible_point(const StackedRows& rows, const Vector& lb, const Vector& ub,
                                 const Vector& guess, int max_iterations, double tolerance);

}  // namespace ballast::optimize::detail
