#include "ballast/estimate/returns.hpp"

#include <cmath>

#include "ballast/core/validate.hpp"

namespace ballast::estimate {

static Error check_prices(const Matrix& prices, const std::string& field) {
  if (prices.rows() < 2)
    return make_error(Status::invalid_shape, field,
                      "need at least 2 periods of prices, got " + std::to_string(prices.rows()));
  if (prices.cols() < 1) return make_error(Status::invalid_shape, field, "need at least 1 asset, got 0");
  for (Index t = 0; t < prices.rows(); ++t)
    for (Index j = 0; j < prices.cols(); ++j) {
      const double p = prices(t, j);
      if (std::isnan(p)) continue;  // no price that period: allowed
      if (std::isinf(p))
        return make_error(Status::non_finite, indexed(field, t, j), "a price must be a finite number");
      if (p <= 0)
        return make_error(Status::invalid_value, indexed(field, t, j),
                          "a price must be positive, got " + std::to_string(p));
    }
  return Error::none();
}

// Every column must yield at least one return, or no estimator can use it.
static Error check_every_column_has_a_return(const Matrix& prices, const Matrix& returns,
                                             const std::string& field) {
  for (Index j = 0; j < returns.cols(); ++j) {
    if (!returns.col(j).array().isNaN().all()) continue;
    const bool has_price = !prices.col(j).array().isNaN().all();
    return make_error(Status::invalid_value, field,
                      "asset column " + std::to_string(j) +
                          (has_price ? " has no two consecutive prices, so no return"
                                     : " has no price at all"));
  }
  return Error::none();
}

static Error check_returns_finite(const Matrix& returns, const std::string& field) {
  for (Index t = 0; t < returns.rows(); ++t)
    for (Index j = 0; j < returns.cols(); ++j)
      if (std::isinf(returns(t, j)))
        return make_error(Status::non_finite, indexed(field, t + 1, j),
                          "the return into this price overflows a double");
  return Error::none();
}

Result<Matrix> returns_from_prices(const Matrix& prices, ReturnKind kind, const std::string& field) {
  if (Error e = check_prices(prices, field); !e.ok()) return Result<Matrix>::failure(e);
  const Index periods = prices.rows() - 1;
  Matrix returns;
  // NaN propagates through both formulas, so a missing price gives a missing return.
  if (kind == ReturnKind::simple) {
    returns = (prices.bottomRows(periods).array() / prices.topRows(periods).array() - 1.0).matrix();
  } else {
    const Eigen::ArrayXXd log_prices = prices.array().log();
    returns = (log_prices.bottomRows(periods) - log_prices.topRows(periods)).matrix();
  }
  if (Error e = check_returns_finite(returns, field); !e.ok()) return Result<Matrix>::failure(e);
  if (Error e = check_every_column_has_a_return(prices, returns, field); !e.ok())
    return Result<Matrix>::failure(e);
  return Result<Matrix>::success(std::move(returns));
}

}  // namespace ballast::estimate
