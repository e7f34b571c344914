#include "ballast/estimate/expected_returns.hpp"

#include "ballast/estimate/inputs.hpp"
#include "ballast/estimate/recency_weights.hpp"

namespace ballast::estimate {

namespace {

Error check_inputs(const Matrix& returns, double periods_per_year, const std::string& field) {
  if (Error e = check_returns_panel(returns, field); !e.ok()) return e;
  if (Error e = check_periods_per_year(periods_per_year); !e.ok()) return e;
  return check_returns_per_asset(returns, 1, field);
}

// sum_{t in A_j} w_t r_tj / sum_{t in A_j} w_t for every column j, as two matrix-vector products.
struct WeightedMean {
  Vector mean;
  Vector weight_sums;
};

WeightedMean weighted_column_means(const Matrix& returns, const Vector& weights) {
  WeightedMean out;
  if (!returns.hasNaN()) {  // complete panel: no mask needed
    out.weight_sums = Vector::Constant(returns.cols(), weights.sum());
    out.mean = returns.transpose() * weights / weights.sum();
    return out;
  }
  const Matrix mask = presence_mask(returns);
  const Matrix filled = returns.array().isNaN().select(0.0, returns);
  out.weight_sums = mask.transpose() * weights;
  out.mean = (filled.transpose() * weights).cwiseQuotient(out.weight_sums);
  return out;
}

}  // namespace

Result<Vector> historical_mean_returns(const Matrix& returns, double periods_per_year,
                                       const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok()) return Result<Vector>::failure(e);
  const Vector equal_weights = Vector::Ones(returns.rows());
  return Result<Vector>::success(periods_per_year * weighted_column_means(returns, equal_weights).mean);
}

Result<Vector> ewma_mean_returns(const Matrix& returns, double half_life_periods,
                                 double periods_per_year, const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok()) return Result<Vector>::failure(e);
  if (Error e = check_half_life(half_life_periods); !e.ok()) return Result<Vector>::failure(e);
  const WeightedMean wm = weighted_column_means(returns, recency_weights(returns.rows(), half_life_periods));
  for (Index j = 0; j < returns.cols(); ++j)
    if (!(wm.weight_sums(j) >= smallest_usable_weight_sum))
      return Result<Vector>::failure(make_error(
          Status::invalid_value, half_life_field,
          "asset column " + std::to_string(j) +
              " has returns only so long ago that their weights vanish at this half-life"));
  return Result<Vector>::success(periods_per_year * wm.mean);
}

}  // namespace ballast::estimate
