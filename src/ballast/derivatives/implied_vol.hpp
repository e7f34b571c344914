// Implied volatility to machine precision, after Jäckel, "Let's Be Rational" (Wilmott 2015):
// every model is reduced to the normalised Black price β = price / (premium_per_usd · D · √(FK))
// (forward_terms.hpp); β is made out-of-the-money by removing the intrinsic value (in
// implied_vol, in the premium currency, price - D(F - K) with D(F - K) formed without
// cancellation, so a premium that is mostly intrinsic value keeps its time value's digits); a
// rational-cubic starting guess is taken in one of four regions of β; then order-3
// Householder steps run on an objective that is nearly linear there (ln β in the low wing,
// ln(b_max - β) in the high wing, β itself in between). Two steps usually reach the last bit.
#pragma once

#include <string>
#include <string_view>

#include "ballast/core/result.hpp"
#include "ballast/derivatives/option.hpp"

namespace ballast::derivatives {

// How the search ended. The vol is meaningful only for ok and at_intrinsic.
enum class ImpliedVolStatus {
  ok,               // vol reproduces the price
  at_intrinsic,     // price equals the zero-vol value (to 4 ulps): vol = 0; any vol small
                    // enough that the time value rounds away would fit as well
  below_intrinsic,  // price below the discounted intrinsic value of the forward: no vol; vol = 0
  above_maximum,    // price at or above the infinite-vol value (call D·F, put D·K; inverse /F),
                    // or above intrinsic when expiry_years = 0: no vol; vol = 0
};

// Stable kebab-case names: "ok", "at-intrinsic", "below-intrinsic", "above-maximum".
std::string_view to_string(ImpliedVolStatus status);

struct ImpliedVol {
  double vol = 0.0;  // per sqrt(year)
  ImpliedVolStatus status = ImpliedVolStatus::ok;
  int iterations = 0;  // Householder steps taken after the starting guess
  // How precisely the price pins the vol: the relative vol change that one rounding of the
  // price (relative DBL_EPSILON) causes, ε·price / (vega·vol). Capped at 1 (vol undetermined).
  // Deep in the money, the time value is a few ulps of the price and this gets large.
  double relative_vol_uncertainty = 0.0;
};

// The vol that reproduces `price` (in the premium currency: USD, or coin for inverse) for
// `spec`, whose vol member is ignored.
// Errors (tier 1): those of validate_option(spec, field, false); non_finite `field.price`.
Result<ImpliedVol> implied_vol(const OptionSpec& spec, double price, const std::string& field = "option");

// The normalised problem: the total vol s = σ√T with normalised_black(x, s, theta) = beta
// (x = ln(F/K), theta = +1 call / -1 put). `vol` in the result holds s.
ImpliedVol implied_total_vol(double beta, double x, double theta);

}  // namespace ballast::derivatives
