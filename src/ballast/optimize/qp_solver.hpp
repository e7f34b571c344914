// A dense convex QP solver written for portfolio problems.
//
//   minimize    1/2 x'Px + q'x
//   subject to  A_eq x = b_eq
//               l_ineq <= A_ineq x <= u_ineq     (two-sided rows; either side may be infinite)
//               lb <= x <= ub                    (bounds; either side may be infinite)
//
// P must be symmetric positive semidefinite; it may be singular (P = 0 gives an LP).
//
// Method (see qp_solver.cpp for the details):
//  - Phase 1: a bounded-variable simplex on the elastic problem "minimize the total violation of
//    the general rows subject to the bounds". It returns a feasible vertex, or, when the
//    smallest violation is positive, Status::infeasible with the Farkas certificate's support
//    in QpResult::conflicts (which rows and bounds cannot hold together).
//  - Phase 2: a primal active-set method that factors only the free variables' block of P
//    (Cholesky, updated by one row/column per working-set change, O(k^2)) and treats the few
//    active general rows through their Schur complement.
//  - Singular P: each phase-2 subproblem adds a proximal term rho/2 |x - x_c|^2 (rho =
//    max(proximal_weight * max diag P, 1e-4 |q|_inf)), and an outer proximal-point loop moves x_c to the
//    subproblem's solution until x stops moving. The proximal term vanishes at the fixed point,
//    so the answer solves the original problem (this is iterative refinement of the
//    regularization, not a perturbed solution).
//  - A final KKT check on the original data sets solved vs solved_inaccurate.
//
// Multiplier convention (one for all constraint kinds):
//   P x + q = A_eq' y_eq + A_ineq' y_ineq + z
// A positive y_ineq[i] / z[j] means the lower side is active, a negative one the upper side;
// y_eq has no sign restriction.
//
// Nothing here throws. Invalid input returns an Error naming the field ("qp.P", "qp.lb[3]");
// how a solve ended (solved, infeasible, ...) is QpResult::status.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/status.hpp"
#include "ballast/core/types.hpp"

namespace ballast::optimize {

inline constexpr double infinity = std::numeric_limits<double>::infinity();

// The problem data. Empty A_eq / A_ineq mean "no such rows" (their column count may be 0).
struct QpProblem {
  Matrix P;       // n x n, symmetric PSD
  Vector q;       // n
  Matrix A_eq;    // m_eq x n
  Vector b_eq;    // m_eq
  Matrix A_ineq;  // m_ineq x n
  Vector l_ineq;  // m_ineq, -infinity allowed
  Vector u_ineq;  // m_ineq, +infinity allowed
  Vector lb;      // n, -infinity allowed
  Vector ub;      // n, +infinity allowed
};

// Solver settings. Every field has its default beside it.
struct QpSettings {
  /// Cap on simplex (phase 1) plus active-set (phase 2) iterations. Default 10000.
  int max_iterations = 10000;
  /// Largest accepted constraint violation (absolute; portfolio data is O(1)). Default 1e-9.
  double primal_tolerance = 1e-9;
  /// Largest accepted stationarity residual |Px + q - A'y - z|_inf and wrong-sign
  /// multiplier (absolute). Default 1e-9.
  double dual_tolerance = 1e-9;
  /// Proximal weight rho, relative to max(diag P) (or to 1 when P = 0); rho is also kept
  /// >= 1e-4 |q|_inf so steps along flat directions of P stay accurate. Default 1e-8.
  double proximal_weight = 1e-8;
  /// Cap on outer proximal rounds. Default 50.
  int max_proximal_rounds = 50;
  /// Refactor the free-set Cholesky from scratch after this many updates. Default 64.
  int refactor_interval = 64;
};

// Where a variable or an inequality row sits in the working set.
enum class BoundState : std::int8_t {
  free,   // strictly between its bounds (not in the working set)
  lower,  // held at its lower bound
  upper,  // held at its upper bound
};

// A working set: one state per variable and one per inequality row. Equality rows are always
// active and need no state.
struct WorkingSet {
  std::vector<BoundState> bounds;  // n
  std::vector<BoundState> rows;    // m_ineq
};

// Optional warm start. Either part may be empty.
//  - working_set: the solver solves the equality-constrained problem on it first and starts
//    there when that point is feasible (frontier points reuse the previous point's set);
//  - x: used as the starting point when feasible (bounds it sits on are held), else as the
//    phase-1 starting guess.
struct QpWarmStart {
  Vector x;
  WorkingSet working_set;
};

// The primal-dual solution (multiplier signs: see the convention at the top of this file).
struct QpSolution {
  Vector x;
  Vector y_eq;    // m_eq
  Vector y_ineq;  // m_ineq
  Vector z;       // n, bound multipliers
  WorkingSet working_set;  // pass back as QpWarmStart::working_set to warm-start a neighbour
};

// Diagnostics of one solve, kept apart from the solution (OSQP / Clarabel style).
struct QpInfo {
  int iterations = 0;         // phase-1 simplex pivots + phase-2 active-set iterations
  int phase1_iterations = 0;  // simplex pivots alone (0 when the warm start was feasible)
  int proximal_rounds = 0;    // outer proximal-point rounds
  double primal_residual = 0;      // max violation of any constraint
  double dual_residual = 0;        // stationarity: |Px + q - A_eq'y_eq - A_ineq'y_ineq - z|_inf
  double complementarity = 0;      // max |multiplier| x distance to the bound it belongs to
  double dual_sign_violation = 0;  // largest multiplier of the wrong sign (for its side)
  double objective = 0;            // 1/2 x'Px + q'x
  double solve_ms = 0;             // wall time (std::chrono::steady_clock)
};

// A constraint named by an infeasibility certificate.
enum class ConstraintSet : std::int8_t { equality, inequality, bound };
struct QpConflict {
  ConstraintSet set = ConstraintSet::bound;
  Index index = 0;                     // row of A_eq / A_ineq, or variable for a bound
  BoundState side = BoundState::lower; // which side cannot hold (for equalities: lower = "b too
                                       // high to reach", upper = "b too low")
  double weight = 0;                   // |certificate multiplier|: larger = more to blame
};

struct QpResult {
  Status status = Status::numerical_error;  // solved, solved_inaccurate, infeasible,
                                            // max_iterations or numerical_error
  QpSolution solution;
  QpInfo info;
  std::vector<QpConflict> conflicts;  // set when status == infeasible
  bool unbounded = false;  // with numerical_error: the objective decreases without limit
  std::string message;     // one line on how the solve ended
};

// Checks shapes, finiteness (bounds may be infinite), lb <= ub, l_ineq <= u_ineq and the
// settings. Fields are named "qp.P", "qp.lb[3]", "solver.maxIterations", ...
Error validate(const QpProblem& problem);
Error validate(const QpSettings& settings);

// Solves the QP. The Error is only for invalid input; every solve outcome is in the QpResult.
Result<QpResult> solve_qp(const QpProblem& problem, const QpSettings& settings = {},
                          const QpWarmStart& warm_start = {});

namespace detail {
// solve_qp without the input checks, for callers inside optimize/ that build the problem from
// inputs they validated themselves (validate(problem) and validate(settings) would pass). The
// checks are a pass over P each; a 50-point frontier used to repeat them 52 times.
Result<QpResult> solve_validated_qp(const QpProblem& problem, const QpSettings& settings,
                                    const QpWarmStart& warm_start = {});
}  // namespace detail

}  // namespace ballast::optimize
