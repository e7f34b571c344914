#include "ballast/optimize/frontier.hpp"

#include <chrono>
#include <cmath>

#include "ballast/core/validate.hpp"
#include "ballast/optimize/portfolio_qp.hpp"

namespace ballast::optimize {
namespace {

using detail::PortfolioQp;

bool usable(Status s) { return s == Status::solved || s == Status::solved_inaccurate; }

// How bad a status is, for the frontier's summary status.
int severity(Status s) {
  switch (s) {
    case Status::solved: return 0;
    case Status::solved_inaccurate: return 1;
    case Status::infeasible: return 2;
    case Status::max_iterations: return 3;
    default: return 4;
  }
}

FrontierPoint point_from(const PortfolioQp& problem, const QpResult& qp, const Vector& mu, const Matrix& covariance) {
  FrontierPoint p;
  p.status = qp.status;
  p.weights = problem.weights(qp.solution.x);
  p.expected_return = mu.dot(p.weights);
  p.volatility = std::sqrt(std::max(0.0, p.weights.dot(covariance * p.weights)));
  return p;
}

Error validate_inputs(const Vector& mu, const CheckedCovariance& covariance, const PortfolioConstraints& c,
                      int points, const QpSettings& settings) {
  if (mu.size() == 0) return make_error(Status::invalid_shape, "expectedReturns", "need at least one asset");
  if (Error e = require_finite(mu, "expectedReturns"); !e.ok()) return e;
  if (Error e = require_shape(covariance.matrix(), mu.size(), mu.size(), "covariance"); !e.ok()) return e;
  if (Error e = validate(c, mu.size()); !e.ok()) return e;
  if (points < 2) return make_error(Status::invalid_value, "points", "a frontier needs at least 2 points");
  return validate(settings);
}

Frontier infeasible_frontier(std::vector<ConstraintRef> refs) {
  Frontier f;
  f.status = Status::infeasible;
  f.infeasible = std::move(refs);
  if (!f.infeasible.empty()) f.message = f.infeasible.front().message;
  return f;
}

}  // namespace

Result<Frontier> efficient_frontier(const Vector& mu, const Matrix& covariance,
                                    const PortfolioConstraints& constraints, int points,
                                    const QpSettings& settings) {
  if (mu.size() == 0)  // the first problem found is the one reported, as before
    return Result<Frontier>::failure(make_error(Status::invalid_shape, "expectedReturns", "need at least one asset"));
  if (Error e = require_finite(mu, "expectedReturns"); !e.ok()) return Result<Frontier>::failure(e);
  Result<CheckedCovariance> checked = CheckedCovariance::check(covariance, "covariance");
  if (!checked.ok()) return Result<Frontier>::failure(checked.error);
  return efficient_frontier(mu, checked.value, constraints, points, settings);
}

Result<Frontier> efficient_frontier(const Vector& mu, const CheckedCovariance& checked,
                                    const PortfolioConstraints& constraints, int points,
                                    const QpSettings& settings) {
  if (Error e = validate_inputs(mu, checked, constraints, points, settings); !e.ok())
    return Result<Frontier>::failure(e);
  const Matrix& covariance = checked.matrix();
  const auto start = std::chrono::steady_clock::now();
  const Index n = mu.size();
  auto finish = [&](Frontier f) {
    f.info.solve_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return Result<Frontier>::success(std::move(f));
  };
  if (auto reasons = diagnose_infeasibility(constraints, n); !reasons.empty())
    return finish(infeasible_frontier(std::move(reasons)));

  Frontier frontier;
  PortfolioQp problem(covariance, constraints, n);
  problem.set_objective(1.0, Vector::Zero(n));
  Result<QpResult> bottom = detail::solve_validated_qp(problem.qp, settings);
  if (!bottom.ok()) return Result<Frontier>::failure(bottom.error);
  detail::add_solve(frontier.info, bottom.value.info);
  if (bottom.value.status == Status::infeasible)
    return finish(infeasible_frontier(detail::name_conflicts(
        bottom.value.conflicts, problem.eq_tags, problem.ineq_tags, n, problem.split(),
        lower_bounds(constraints, n), upper_bounds(constraints, n))));
  frontier.points.push_back(point_from(problem, bottom.value, mu, covariance));
  frontier.status = bottom.value.status;
  if (!usable(bottom.value.status)) {
    frontier.message = "minimum-variance end: " + bottom.value.message;
    return finish(std::move(frontier));
  }

  PortfolioQp top(covariance, constraints, n);
  Result<QpResult> lp = detail::solve_max_return(top, mu, settings, frontier.info);
  if (!lp.ok()) return Result<Frontier>::failure(lp.error);
  if (lp.value.unbounded)
    return Result<Frontier>::failure(make_error(Status::invalid_value, "constraints.bounds",
        "expected return is unbounded under these constraints: give the weights finite bounds or a grossLeverage cap"));
  if (!usable(lp.value.status)) {
    frontier.status = lp.value.status;
    frontier.message = "maximum-return end: " + lp.value.message;
    return finish(std::move(frontier));
  }
  const double r_low = frontier.points[0].expected_return;
  const double r_high = std::max(r_low, mu.dot(top.weights(lp.value.solution.x)));

  // Walk up in return; each point starts from the previous point's working set with the
  // return row held at its new target.
  problem.set_return_floor(mu, r_low);
  QpWarmStart warm{bottom.value.solution.x, bottom.value.solution.working_set};
  warm.working_set.rows.push_back(BoundState::lower);
  for (int k = 1; k < points; ++k) {
    const double target = k == points - 1 ? r_high : r_low + (r_high - r_low) * k / (points - 1);
    problem.set_return_floor(mu, target);
    Result<QpResult> qp = detail::solve_validated_qp(problem.qp, settings, warm);
    if (!qp.ok()) return Result<Frontier>::failure(qp.error);
    detail::add_solve(frontier.info, qp.value.info);
    frontier.points.push_back(point_from(problem, qp.value, mu, covariance));
    if (severity(qp.value.status) > severity(frontier.status)) frontier.status = qp.value.status;
    if (usable(qp.value.status)) {
      warm = QpWarmStart{qp.value.solution.x, qp.value.solution.working_set};
      warm.working_set.rows.back() = BoundState::lower;
    }
  }
  frontier.message = frontier.status == Status::solved ? "solved" : "some frontier points did not solve cleanly";
  return finish(std::move(frontier));
}

}  // namespace ballast::optimize
