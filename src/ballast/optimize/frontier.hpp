// The efficient frontier: K portfolios from minimum variance to maximum expected return,
// evenly spaced in expected return. Each point is a minimum-variance solve with a return
// target, warm-started from the previous point's working set.
#pragma once

#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/status.hpp"
#include "ballast/core/types.hpp"
#include "ballast/optimize/allocation.hpp"

namespace ballast::optimize {

struct FrontierPoint {
  Vector weights;
  double expected_return = 0;  // mu'w
  double volatility = 0;       // sqrt(w'Sigma w)
  Status status = Status::numerical_error;
};

struct Frontier {
  Status status = Status::numerical_error;  // infeasible: no portfolio meets the constraints;
                                            // otherwise the worst status among the points
  std::vector<FrontierPoint> points;        // first = min variance, last = max return
  SolveInfo info;
  std::vector<ConstraintRef> infeasible;    // when status == infeasible
  std::string message;
};

// `points` >= 2 (Error on "points" otherwise). The max-return end is an LP over the same
// constraints; among max-return portfolios the least risky one is returned.
Result<Frontier> efficient_frontier(const Vector& expected_returns, const Matrix& covariance,
                                    const PortfolioConstraints& constraints, int points,
                                    const QpSettings& settings = {});
// The same with a covariance already checked where it entered (skips the N x N re-check).
Result<Frontier> efficient_frontier(const Vector& expected_returns, const CheckedCovariance& covariance,
                                    const PortfolioConstraints& constraints, int points,
                                    const QpSettings& settings = {});

}  // namespace ballast::optimize
