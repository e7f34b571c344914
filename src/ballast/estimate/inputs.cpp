#include "ballast/estimate/inputs.hpp"

#include <cmath>

#include "ballast/core/validate.hpp"

namespace ballast::estimate {

Error check_returns_panel(const Matrix& returns, const std::string& field) {
  if (returns.rows() < 2)
    return make_error(Status::invalid_shape, field,
                      "need at least 2 periods of returns, got " + std::to_string(returns.rows()));
  if (returns.cols() < 1) return make_error(Status::invalid_shape, field, "need at least 1 asset, got 0");
  for (Index j = 0; j < returns.cols(); ++j)
    for (Index t = 0; t < returns.rows(); ++t)
      if (std::isinf(returns(t, j)))
        return make_error(Status::non_finite, indexed(field, t, j),
                          "a return must be a finite number (NaN marks a missing one)");
  return Error::none();
}

Error check_complete_panel(const Matrix& returns, const std::string& field) {
  for (Index j = 0; j < returns.cols(); ++j)
    for (Index t = 0; t < returns.rows(); ++t)
      if (std::isnan(returns(t, j)))
        return make_error(Status::invalid_value, indexed(field, t, j),
                          "this estimator needs every asset in every period; restrict to the "
                          "common window or use the pairwise policy");
  return Error::none();
}

Error check_returns_per_asset(const Matrix& returns, Index minimum, const std::string& field) {
  for (Index j = 0; j < returns.cols(); ++j) {
    const Index count = (returns.col(j).array() == returns.col(j).array()).count();  // NaN != NaN
    if (count < minimum)
      return make_error(Status::invalid_value, field,
                        "asset column " + std::to_string(j) + " has " + std::to_string(count) +
                            " returns; at least " + std::to_string(minimum) + " are needed");
  }
  return Error::none();
}

static Error check_positive_finite(double value, const char* field, const char* what) {
  if (!std::isfinite(value))
    return make_error(Status::non_finite, field, std::string(what) + " must be a finite number");
  if (!(value > 0))
    return make_error(Status::invalid_value, field,
                      std::string(what) + " must be positive, got " + std::to_string(value));
  return Error::none();
}

Error check_half_life(double half_life_periods) {
  return check_positive_finite(half_life_periods, half_life_field, "half-life (periods)");
}

Error check_periods_per_year(double periods_per_year) {
  return check_positive_finite(periods_per_year, periods_per_year_field, "periods per year");
}

Matrix presence_mask(const Matrix& returns) {
  return (returns.array() == returns.array()).cast<double>().matrix();
}

}  // namespace ballast::estimate
