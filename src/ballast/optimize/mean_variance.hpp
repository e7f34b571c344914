// Internal: one function per mean-variance goal, called by optimize_portfolio after the inputs
// were validated and the quick infeasibility checks passed. Each returns a filled Allocation
// (status, weights, diagnostics) or an Error for a request that has no answer (an unbounded
// expected return).
#pragma once

#include "ballast/optimize/allocation.hpp"

namespace ballast::optimize::detail {

struct MarketModel {
  const Vector& expected_returns;
  const Matrix& covariance;
};

// minimize w'Sigma w.
Result<Allocation> min_variance(const MarketModel& market, const PortfolioConstraints& constraints,
                                const QpSettings& settings);
// maximize mu'w - (risk_aversion/2) w'Sigma w.
Result<Allocation> max_utility(const MarketModel& market, const PortfolioConstraints& constraints,
                               double risk_aversion, const QpSettings& settings);
// minimize w'Sigma w subject to mu'w >= target (infeasible names "objective.targetReturn").
Result<Allocation> target_return(const MarketModel& market, const PortfolioConstraints& constraints,
                                 double target, const QpSettings& settings);
// maximize mu'w subject to sqrt(w'Sigma w) <= target: a safeguarded Newton search along the
// frontier (infeasible names "objective.targetVolatility" below the min-variance volatility).
Result<Allocation> target_volatility(const MarketModel& market, const PortfolioConstraints& constraints,
                                     double target, const QpSettings& settings);
// maximize the Sharpe ratio (max_sharpe.cpp); falls back to min variance when nothing beats rf.
Result<Allocation> max_sharpe(const MarketModel& market, const PortfolioConstraints& constraints,
                              double risk_free_rate, const QpSettings& settings);

}  // namespace ballast::optimize::detail
