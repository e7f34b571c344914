// One European option as the engine receives it, and the checks that make it priceable.
#pragma once

#include <optional>
#include <string>

#include "ballast/core/result.hpp"

namespace ballast::derivatives {

enum class OptionKind { call, put };

enum class PricingModel {
  black_scholes,  // Black-Scholes-Merton on spot with a continuous dividend yield (carry) q
  black76,        // Black-76 on a forward; premium in USD (the quote currency)
  inverse,        // coin-settled, as on Deribit: Black-76 USD value / forward, paid in coin
};

// Prices are in USD (the quote currency); rates are continuously compounded per year.
// Defaults describe nothing priceable on purpose: strike and spot/forward must be set.
struct OptionSpec {
  OptionKind kind = OptionKind::call;
  PricingModel model = PricingModel::black_scholes;
  std::optional<double> spot;     // black_scholes only: the underlying's price now
  std::optional<double> forward;  // black76 and inverse only: the forward (Deribit: underlying_price)
  double strike = 0.0;
  double expiry_years = 0.0;      // 0 = expiring now (intrinsic value)
  double vol = 0.0;               // per sqrt(year), 0.8 = 80%; ignored by implied_vol
  double rate = 0.0;              // discount rate r
  double dividend_yield = 0.0;    // black_scholes carry q (F = S e^{(r-q)T}); must be 0 otherwise
  double quantity = 1.0;          // signed (negative = short); pricing is per unit, books scale
};

// Accepted ranges (inclusive). They keep every intermediate and every Greek finite:
// F = S e^{(r-q)T} stays within 1e±190, discount factors above e^{-100}, and the total vol
// s = σ√T is 0 or above 1e-11, so 1/s, 1/σ and 1/T terms cannot overflow.
struct OptionLimits {
  static constexpr double min_price = 1e-100;  // spot, forward, strike
  static constexpr double max_price = 1e100;
  static constexpr double max_expiry_years = 100.0;
  static constexpr double min_positive_expiry_years = 1e-10;  // ~3 ms; 0 itself is allowed
  static constexpr double max_vol = 100.0;                    // 10,000%
  static constexpr double min_positive_vol = 1e-6;            // 0.0001%; 0 itself is allowed
  static constexpr double max_abs_rate = 1.0;  // rate and dividend_yield, 100% a year
};

// Error::none() or the first problem, with field "<field>.<member>", the member named as in
// the public API (camelCase: spot, forward, strike, expiryYears, vol, rate, dividendYield,
// quantity):
//   non_finite     a NaN or infinite number
//   missing_field  spot (black_scholes) or forward (black76, inverse) not given
//   invalid_value  a member out of OptionLimits (expiryYears and vol: 0 or in
//                  [min_positive_*, max_*]); spot given to black76/inverse or forward
//                  to black_scholes (each model takes exactly one underlying price); a
//                  nonzero dividendYield outside black_scholes (the forward already holds
//                  the carry)
// check_vol = false skips vol (implied_vol solves for it).
Error validate_option(const OptionSpec& spec, const std::string& field, bool check_vol = true);

}  // namespace ballast::derivatives
