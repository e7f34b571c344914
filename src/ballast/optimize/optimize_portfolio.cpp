#include <chrono>

#include "ballast/core/validate.hpp"
#include "ballast/optimize/allocation.hpp"
#include "ballast/optimize/mean_variance.hpp"
#include "ballast/optimize/portfolio_qp.hpp"

namespace ballast::optimize {
namespace {

Error validate_market(const Vector& mu, const CheckedCovariance& covariance) {
  if (mu.size() == 0) return make_error(Status::invalid_shape, "expectedReturns", "need at least one asset");
  if (Error e = require_finite(mu, "expectedReturns"); !e.ok()) return e;
  return require_shape(covariance.matrix(), mu.size(), mu.size(), "covariance");
}

// Infeasibility reasons about constraints.linear rows carry the row's own name.
void name_linear_rows(Allocation& a, const PortfolioConstraints& c) {
  for (ConstraintRef& ref : a.infeasible) {
    const bool linear = ref.kind == ConstraintKind::linear_min || ref.kind == ConstraintKind::linear_max;
    if (!linear || ref.index < 0 || static_cast<size_t>(ref.index) >= c.linear.size()) continue;
    const std::string& name = c.linear[static_cast<size_t>(ref.index)].name;
    if (name.empty()) continue;
    const std::string before = ref.message;
    ref.message = "'" + name + "': " + ref.message;
    if (a.message == before) a.message = ref.message;
  }
}

}  // namespace

Result<Allocation> optimize_portfolio(const Vector& mu, const Matrix& covariance,
                                      const PortfolioConstraints& constraints,
                                      const ObjectiveSettings& objective, const QpSettings& settings) {
  if (mu.size() == 0)  // the first problem found is the one reported, as before
    return Result<Allocation>::failure(make_error(Status::invalid_shape, "expectedReturns", "need at least one asset"));
  if (Error e = require_finite(mu, "expectedReturns"); !e.ok()) return Result<Allocation>::failure(e);
  Result<CheckedCovariance> checked = CheckedCovariance::check(covariance, "covariance");
  if (!checked.ok()) return Result<Allocation>::failure(checked.error);
  return optimize_portfolio(mu, checked.value, constraints, objective, settings);
}

Result<Allocation> optimize_portfolio(const Vector& mu, const CheckedCovariance& checked,
                                      const PortfolioConstraints& constraints,
                                      const ObjectiveSettings& objective, const QpSettings& settings) {
  if (Error e = validate_market(mu, checked); !e.ok()) return Result<Allocation>::failure(e);
  const Matrix& covariance = checked.matrix();
  if (Error e = validate(constraints, mu.size()); !e.ok()) return Result<Allocation>::failure(e);
  if (Error e = validate(objective); !e.ok()) return Result<Allocation>::failure(e);
  if (Error e = validate(settings); !e.ok()) return Result<Allocation>::failure(e);
  if (objective.type == Objective::max_sharpe && !(constraints.budget > 0))
    return Result<Allocation>::failure(make_error(Status::invalid_value, "constraints.budget",
        "max Sharpe needs a positive budget (a zero-budget portfolio's Sharpe ratio does not fix its scale)"));

  const auto start = std::chrono::steady_clock::now();
  Result<Allocation> result;
  std::vector<ConstraintRef> reasons = diagnose_infeasibility(constraints, mu.size());
  const detail::MarketModel market{mu, covariance};
  if (!reasons.empty()) {
    result = Result<Allocation>::success(detail::infeasible_allocation(std::move(reasons), ""));
  } else {
    switch (objective.type) {
      case Objective::min_variance: result = detail::min_variance(market, constraints, settings); break;
      case Objective::max_sharpe: result = detail::max_sharpe(market, constraints, objective.risk_free_rate, settings); break;
      case Objective::max_utility: result = detail::max_utility(market, constraints, objective.risk_aversion, settings); break;
      case Objective::target_return: result = detail::target_return(market, constraints, objective.target_return, settings); break;
      case Objective::target_volatility: result = detail::target_volatility(market, constraints, objective.target_volatility, settings); break;
    }
  }
  if (result.ok()) name_linear_rows(result.value, constraints);
  if (result.ok())
    result.value.info.solve_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ballast::optimize
