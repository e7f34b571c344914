// What the estimators accept, checked in one place so every entry point refuses the same
// inputs with the same status and field path.
//
// A returns panel is T x N: rows are periods (oldest first), columns are assets. NaN means
// "no return that period" (the asset was not listed yet, or was delisted); +-Inf is never
// allowed. Field names below are the public (camelCase JSON) keys the api layer reads.
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

inline constexpr const char* half_life_field = "estimator.halfLife";
inline constexpr const char* periods_per_year_field = "periodsPerYear";
inline constexpr const char* missing_policy_field = "estimator.missing";

// T >= 2 and N >= 1 (invalid_shape, field); no +-Inf (non_finite, "<field>[t][j]").
Error check_returns_panel(const Matrix& returns, const std::string& field);
// No NaN either (invalid_value, "<field>[t][j]"): for estimators that need every asset in
// every period (apply restrict_to_common_window first, or use the pairwise estimators).
Error check_complete_panel(const Matrix& returns, const std::string& field);
// Every asset has at least `minimum` returns (invalid_value, field; the message names the column).
Error check_returns_per_asset(const Matrix& returns, Index minimum, const std::string& field);
// > 0 and finite (invalid_value / non_finite, half_life_field).
Error check_half_life(double half_life_periods);
// > 0 and finite (invalid_value / non_finite, periods_per_year_field).
Error check_periods_per_year(double periods_per_year);

// 1 where an entry is a number, 0 where it is NaN (missing).
Matrix presence_mask(const Matrix& returns);

}  // namespace ballast::estimate
