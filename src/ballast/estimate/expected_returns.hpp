// Expected returns per asset, annualized arithmetically.
//
// Both estimators accept NaN as "no return that period": each asset's estimate then uses
// the periods where it has a return (A_j below). On a complete panel A_j is every period.
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

enum class ExpectedReturnsMethod { mean, ewma };

// Historical mean:  mu_j = periods_per_year * (1/|A_j|) * sum_{t in A_j} r_tj
// returns: T x N per-period returns (NaN = missing). Annualized result, length N.
// Errors: check_returns_panel, check_periods_per_year; invalid_value (field) when an asset
// has no return at all.
Result<Vector> historical_mean_returns(const Matrix& returns, double periods_per_year,
                                       const std::string& field = "returns");

// Exponentially weighted mean:
//   mu_j = periods_per_year * sum_{t in A_j} w_t r_tj / sum_{t in A_j} w_t,
//   w_t  = 2^(-(T-1-t) / half_life_periods)   (recency_weights; newest period weighs 1)
// The weights are anchored at the panel's last period for every asset, then normalized over
// the asset's own periods, so a delisted asset is weighted by how recent its returns were.
// Errors: as historical_mean_returns, plus check_half_life, and invalid_value
// (estimator.halfLife) when an asset's returns are so old that their weights underflow.
Result<Vector> ewma_mean_returns(const Matrix& returns, double half_life_periods,
                                 double periods_per_year, const std::string& field = "returns");

}  // namespace ballast::estimate
