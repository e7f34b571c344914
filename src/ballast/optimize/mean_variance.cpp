#include "ballast/core/format.hpp"
#include "ballast/optimize/mean_variance.hpp"

#include <cmath>

#include "ballast/optimize/portfolio_qp.hpp"

namespace ballast::optimize::detail {
namespace {

// Root search on the frontier stops when volatility is this close to the target (relative).
constexpr double kVolatilityTolerance = 1e-12;
constexpr int kMaxRootSteps = 100;

// An Allocation from one QP solve over `problem`: weights and diagnosis, or the named conflict.
Allocation from_qp(const PortfolioQp& problem, const QpResult& qp, const MarketModel& market,
                   const PortfolioConstraints& constraints, SolveInfo& info) {
  const Index n = market.expected_returns.size();
  if (qp.status == Status::infeasible) {
    Allocation a = infeasible_allocation(
        name_conflicts(qp.conflicts, problem.eq_tags, problem.ineq_tags, n, problem.split(),
                       lower_bounds(constraints, n), upper_bounds(constraints, n)),
        "");
    a.info = info;
    return a;
  }
  Allocation a;
  a.status = qp.status;
  a.message = qp.message;
  a.info = info;
  describe(a, problem.weights(qp.solution.x), market.expected_returns, market.covariance, constraints);
  return a;
}

Error unbounded_return() {
  return make_error(Status::invalid_value, "constraints.bounds",
                    "expected return is unbounded under these constraints: give the weights finite "
                    "bounds or a grossLeverage cap");
}

// One QP with the current objective of `problem`, counted in `info`.
Result<QpResult> run(const PortfolioQp& problem, const QpSettings& settings, SolveInfo& info,
                     const QpWarmStart& warm = {}) {
  Result<QpResult> r = detail::solve_validated_qp(problem.qp, settings, warm);
  if (r.ok()) add_solve(info, r.value.info);
  return r;
}

}  // namespace

Result<Allocation> min_variance(const MarketModel& market, const PortfolioConstraints& constraints,
                                const QpSettings& settings) {
  const Index n = market.expected_returns.size();
  PortfolioQp problem(market.covariance, constraints, n);
  problem.set_objective(1.0, Vector::Zero(n));
  SolveInfo info;
  Result<QpResult> qp = run(problem, settings, info);
  if (!qp.ok()) return Result<Allocation>::failure(qp.error);
  return Result<Allocation>::success(from_qp(problem, qp.value, market, constraints, info));
}

Result<Allocation> max_utility(const MarketModel& market, const PortfolioConstraints& constraints,
                               double risk_aversion, const QpSettings& settings) {
  const Index n = market.expected_returns.size();
  PortfolioQp problem(market.covariance, constraints, n);
  problem.set_objective(risk_aversion, market.expected_returns);
  SolveInfo info;
  Result<QpResult> qp = run(problem, settings, info);
  if (!qp.ok()) return Result<Allocation>::failure(qp.error);
  if (qp.value.unbounded) return Result<Allocation>::failure(unbounded_return());
  return Result<Allocation>::success(from_qp(problem, qp.value, market, constraints, info));
}

Result<Allocation> target_return(const MarketModel& market, const PortfolioConstraints& constraints,
                                 double target, const QpSettings& settings) {
  const Index n = market.expected_returns.size();
  PortfolioQp problem(market.covariance, constraints, n);
  problem.set_objective(1.0, Vector::Zero(n));
  problem.set_return_floor(market.expected_returns, target);
  SolveInfo info;
  Result<QpResult> qp = run(problem, settings, info);
  if (!qp.ok()) return Result<Allocation>::failure(qp.error);
  Allocation a = from_qp(problem, qp.value, market, constraints, info);
  if (a.status == Status::infeasible) {
    // Say how far the target is out of reach: the best return the constraints allow.
    PortfolioQp best(market.covariance, constraints, n);
    Result<QpResult> lp = solve_max_return(best, market.expected_returns, settings, a.info);
    if (lp.ok() && (lp.value.status == Status::solved || lp.value.status == Status::solved_inaccurate))
      a.message = "no portfolio meeting the constraints reaches the target return " + format_number(target) +
                  "; the highest attainable is " + format_number(market.expected_returns.dot(best.weights(lp.value.solution.x)));
  } else if (a.status == Status::solved || a.status == Status::solved_inaccurate) {
    if (std::abs(a.expected_return - target) <= 1e-9 * (1 + std::abs(target)))
      a.binding.push_back("objective.targetReturn");
  }
  return Result<Allocation>::success(std::move(a));
}

// Along the efficient frontier V(r) = min 1/2 w'Sigma w s.t. mu'w >= r is convex with
// V'(r) = lambda_r (the return row's multiplier), so vol^2 = 2V has slope 2 lambda_r. Newton on
// vol(r)^2 = target^2, kept inside a bracket [r_low, r_high] (bisection when a step leaves it),
// converges in a few steps; within one working set vol^2 is exactly quadratic in r.
Result<Allocation> target_volatility(const MarketModel& market, const PortfolioConstraints& constraints,
                                     double target, const QpSettings& settings) {
  const Index n = market.expected_returns.size();
  const Vector& mu = market.expected_returns;
  SolveInfo info;
  Result<Allocation> bottom = min_variance(market, constraints, settings);
  if (!bottom.ok() || bottom.value.status == Status::infeasible) return bottom;
  info = bottom.value.info;
  const double vol_min = bottom.value.volatility;
  if (target < vol_min * (1 - kVolatilityTolerance)) {
    Allocation a = infeasible_allocation(
        {ConstraintRef{ConstraintKind::target_volatility, -1, "objective.targetVolatility",
                       "target volatility " + format_number(target) + " is below the minimum attainable volatility " + format_number(vol_min)}},
        "");
    a.info = info;
    return Result<Allocation>::success(std::move(a));
  }
  if (target <= vol_min * (1 + kVolatilityTolerance)) {  // the target is the min-variance volatility
    bottom.value.binding.push_back("objective.targetVolatility");
    return bottom;
  }
  PortfolioQp problem(market.covariance, constraints, n);
  Result<QpResult> lp = solve_max_return(problem, mu, settings, info);
  if (!lp.ok()) return Result<Allocation>::failure(lp.error);
  if (lp.value.unbounded) return Result<Allocation>::failure(unbounded_return());
  double r_low = bottom.value.expected_return;
  double r_high = mu.dot(problem.weights(lp.value.solution.x));
  problem.set_objective(1.0, Vector::Zero(n));

  // The least risky portfolio with the highest return: if even it is within the target, the
  // volatility cap does not bind and it is the answer.
  problem.set_return_floor(mu, r_high);
  Result<QpResult> top = run(problem, settings, info);
  if (!top.ok()) return Result<Allocation>::failure(top.error);
  Allocation best = from_qp(problem, top.value, market, constraints, info);
  if (best.status != Status::solved && best.status != Status::solved_inaccurate) return Result<Allocation>::success(std::move(best));
  if (best.volatility <= target * (1 + kVolatilityTolerance)) {
    best.message = "the volatility cap does not bind: the highest-return portfolio has volatility " + format_number(best.volatility);
    return Result<Allocation>::success(std::move(best));
  }
  // Start from the secant of vol^2 between the ends of the bracket.
  const double g_low = vol_min * vol_min - target * target;
  const double g_high = best.volatility * best.volatility - target * target;
  double r = r_low + (r_high - r_low) * (-g_low) / (g_high - g_low);
  QpWarmStart warm{top.value.solution.x, top.value.solution.working_set};
  Allocation current = best;
  for (int step = 0; step < kMaxRootSteps; ++step) {
    problem.set_return_floor(mu, r);
    Result<QpResult> qp = run(problem, settings, info, warm);
    if (!qp.ok()) return Result<Allocation>::failure(qp.error);
    current = from_qp(problem, qp.value, market, constraints, info);
    if (current.status != Status::solved && current.status != Status::solved_inaccurate) break;
    warm = QpWarmStart{qp.value.solution.x, qp.value.solution.working_set};
    const double vol = current.volatility;
    if (std::abs(vol - target) <= kVolatilityTolerance * target) break;
    const double g = vol * vol - target * target;
    (g < 0 ? r_low : r_high) = r;
    const double slope = 2.0 * qp.value.solution.y_ineq(problem.qp.l_ineq.size() - 1);
    double next = slope > 0 ? r - g / slope : 0.5 * (r_low + r_high);
    if (!(next > r_low && next < r_high)) next = 0.5 * (r_low + r_high);
    if (r_high - r_low <= 1e-15 * (1 + std::abs(r))) break;
    r = next;
  }
  if (current.status == Status::solved || current.status == Status::solved_inaccurate)
    current.binding.push_back("objective.targetVolatility");
  current.info = info;
  return Result<Allocation>::success(std::move(current));
}

}  // namespace ballast::optimize::detail
