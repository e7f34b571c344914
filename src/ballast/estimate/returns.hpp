// Period returns from a price panel.
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

enum class ReturnKind {
  simple,  // r_t = p_t / p_{t-1} - 1
  log,     // r_t = ln p_t - ln p_{t-1}
};

// prices: T x N, rows are periods oldest first, columns assets. NaN means "no price that
// period" (not yet listed, delisted, or a gap); the api layer maps JSON null to NaN.
// Returns (T-1) x N: row t-1 holds the return from period t-1 to t, and is NaN unless both
// prices exist (gaps are not bridged: a missing price loses the returns on both sides).
//
// Errors:
//   invalid_shape  field            T < 2 or N == 0
//   non_finite     field[t][j]      a +-Inf price, or a simple return that overflows
//   invalid_value  field[t][j]      a price <= 0
//   invalid_value  field            a column with no price, or no two consecutive prices
//                                   (it would yield no return at all)
Result<Matrix> returns_from_prices(const Matrix& prices, ReturnKind kind,
                                   const std::string& field = "prices");

}  // namespace ballast::estimate
