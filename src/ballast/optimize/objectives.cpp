#include "ballast/optimize/objectives.hpp"

#include <cmath>

namespace ballast::optimize {

std::string_view to_string(Objective objective) {
  switch (objective) {
    case Objective::min_variance: return "min_variance";
    case Objective::max_sharpe: return "max_sharpe";
    case Objective::max_utility: return "max_utility";
    case Objective::target_return: return "target_return";
    case Objective::target_volatility: return "target_volatility";
  }
  return "unknown";
}

Error validate(const ObjectiveSettings& o) {
  switch (o.type) {
    case Objective::min_variance:
      return Error::none();
    case Objective::max_sharpe:
      if (!std::isfinite(o.risk_free_rate))
        return make_error(Status::non_finite, "objective.riskFreeRate", "risk-free rate must be a finite number");
      return Error::none();
    case Objective::max_utility:
      if (!std::isfinite(o.risk_aversion))
        return make_error(Status::non_finite, "objective.riskAversion", "risk aversion must be a finite number");
      if (o.risk_aversion <= 0)
        return make_error(Status::invalid_value, "objective.riskAversion", "risk aversion must be positive");
      return Error::none();
    case Objective::target_return:
      if (std::isnan(o.target_return))
        return make_error(Status::missing_field, "objective.targetReturn", "the target_return objective needs a target return");
      if (!std::isfinite(o.target_return))
        return make_error(Status::non_finite, "objective.targetReturn", "target return must be a finite number");
      return Error::none();
    case Objective::target_volatility:
      if (std::isnan(o.target_volatility))
        return make_error(Status::missing_field, "objective.targetVolatility", "the target_volatility objective needs a target volatility");
      if (!std::isfinite(o.target_volatility))
        return make_error(Status::non_finite, "objective.targetVolatility", "target volatility must be a finite number");
      if (o.target_volatility <= 0)
        return make_error(Status::invalid_value, "objective.targetVolatility", "target volatility must be positive");
      return Error::none();
  }
  return make_error(Status::unknown_value, "objective.type", "unknown objective");
}

}  // namespace ballast::optimize
