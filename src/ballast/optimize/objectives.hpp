// What a mean-variance optimization aims for. Inputs elsewhere are an expected-return vector
// mu and a covariance matrix Sigma, both already annualized; volatility = sqrt(w'Sigma w).
#pragma once

#include <limits>
#include <string_view>

#include "ballast/core/result.hpp"

namespace ballast::optimize {

enum class Objective {
  min_variance,       // minimize w'Sigma w
  max_sharpe,         // maximize (mu'w - rf * budget) / sqrt(w'Sigma w)
  max_utility,        // maximize mu'w - (risk_aversion / 2) w'Sigma w
  target_return,      // minimize w'Sigma w subject to mu'w >= target_return
  target_volatility,  // maximize mu'w subject to sqrt(w'Sigma w) <= target_volatility
};

struct ObjectiveSettings {
  /// What to optimize. Default min_variance.
  Objective type = Objective::min_variance;
  /// max_utility's risk aversion (> 0). Default 1.
  double risk_aversion = 1.0;
  /// target_return's required annual expected return. Required for that objective (NaN = unset).
  double target_return = std::numeric_limits<double>::quiet_NaN();
  /// target_volatility's annual volatility cap (> 0). Required for that objective (NaN = unset).
  double target_volatility = std::numeric_limits<double>::quiet_NaN();
  /// Annual risk-free rate for max_sharpe. Default 0.
  double risk_free_rate = 0.0;
};

// Stable snake_case names ("min_variance", "max_sharpe", ...).
std::string_view to_string(Objective objective);

// Checks the fields the chosen objective uses ("objective.riskAversion", "objective.targetReturn",
// "objective.targetVolatility", "objective.riskFreeRate").
Error validate(const ObjectiveSettings& objective);

}  // namespace ballast::optimize
