// optimize_portfolio: one mean-variance allocation under portfolio constraints.
//
// Inputs are annualized: expected_returns (mu, N) and covariance (Sigma, N x N, symmetric PSD;
// singular is fine, e.g. duplicated assets). The result keeps the solution (status, weights)
// apart from run diagnostics (info), any fallback taken, and the constraint diagnosis.
//
// Status (tier 2, data, never an Error):
//   solved             optimal; KKT residuals within QpSettings tolerances
//   solved_inaccurate  optimal working set found but residuals above tolerance
//   infeasible         no portfolio meets the constraints (or the target); `infeasible` names
//                      the constraints at fault and `message` says why
//   max_iterations     iteration cap hit (QpSettings::max_iterations)
//   numerical_error    a factorization failed
// The Result's Error (tier 1) is only for invalid input: bad shapes, NaN, lower > upper, ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ballast/core/checked_covariance.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/status.hpp"
#include "ballast/core/types.hpp"
#include "ballast/optimize/constraints.hpp"
#include "ballast/optimize/objectives.hpp"
#include "ballast/optimize/qp_solver.hpp"

namespace ballast::optimize {

// A substitution made instead of failing, recorded so the caller can show it.
struct Fallback {
  Objective from = Objective::max_sharpe;
  Objective to = Objective::min_variance;
  std::string reason;
};

// Run diagnostics summed (iterations, time) or taken from the final QP (residuals, objective).
struct SolveInfo {
  int iterations = 0;       // all QP iterations, phase 1 included
  int qp_solves = 0;        // QPs solved (max Sharpe: 2; target volatility: one per root step)
  double primal_residual = 0;
  double dual_residual = 0;  // stationarity of the final QP
  double complementarity = 0;
  double objective = 0;      // the final QP's objective value
  double solve_ms = 0;       // wall time of the whole call (steady_clock)
};

struct Allocation {
  Status status = Status::numerical_error;
  Vector weights;                          // N; meaningful when status is solved(-inaccurate)
  double expected_return = 0;              // mu'w
  double volatility = 0;                   // sqrt(w'Sigma w)
  SolveInfo info;
  std::optional<Fallback> fallback;        // e.g. max_sharpe -> min_variance
  std::vector<ConstraintRef> infeasible;   // when status == infeasible: the conflicting set
  std::vector<std::string> binding;        // field paths of constraints active at the solution
  std::string message;
};

// Optimize one portfolio. See objectives.hpp for what each objective means and the status
// table above for outcomes. Max Sharpe with no portfolio beating the risk-free rate returns
// the minimum-variance portfolio with `fallback` set (it does not fail).
Result<Allocation> optimize_portfolio(const Vector& expected_returns, const Matrix& covariance,
                                      const PortfolioConstraints& constraints,
                                      const ObjectiveSettings& objective,
                                      const QpSettings& settings = {});
// The same with a covariance already checked where it entered (the api layer): skips the
// N x N re-check. Inputs other than the covariance are still validated here.
Result<Allocation> optimize_portfolio(const Vector& expected_returns, const CheckedCovariance& covariance,
                                      const PortfolioConstraints& constraints,
                                      const ObjectiveSettings& objective,
                                      const QpSettings& settings = {});

}  // namespace ballast::optimize
