// Every supported model, rewritten as Black on a forward:
//
//   value_usd = discount · √(F K) · b(x, s, θ),  x = ln(F/K), s = σ√T  (normalised_black.hpp)
//   premium   = premium_per_usd · value_usd      (1 for USD-settled, 1/F for inverse)
//
//   black_scholes  F = S e^{(r-q)T}, discount e^{-rT}
//   black76        F as given,       discount e^{-rT}
//   inverse        F as given,       discount e^{-rT}, premium in coin = value_usd / F
//
// Implied vol goes through this mapping; black_scholes.cpp forms F, D and e^{-qT} with the
// same expressions, so pricing and implied vol agree.
#pragma once

#include "ballast/derivatives/option.hpp"

namespace ballast::derivatives {

struct ForwardTerms {
  double forward = 0.0;
  double strike = 0.0;
  double discount = 1.0;         // e^{-rT}
  double dividend_discount = 1.0;  // e^{-qT} (black_scholes; 1 otherwise)
  double spot = 0.0;             // S (black_scholes; 0 otherwise)
  double log_moneyness = 0.0;    // x = ln(F/K)
  double total_vol = 0.0;        // s = σ√T
  double theta = 1.0;            // +1 call, -1 put
  double premium_per_usd = 1.0;  // 1, or 1/F for inverse
  double forward_minus_strike = 0.0;  // D F - D K in USD (discounted_forward_minus_strike)
};

// spec must have passed validate_option (check_vol as the caller needs).
ForwardTerms forward_terms(const OptionSpec& spec);

// e^{-y} and e^{-y} - 1 (y = rT or qT), the second to its own relative precision (expm1), so
// that D·K - K = K (e^{-rT} - 1) keeps its digits near expiry. factor is 1 + minus_one where
// |y| <= 1/2, e^{-y} beyond; the Greeks kernel's own (vector_math.hpp), so both discount alike.
struct Discount {
  double factor = 1.0, minus_one = 0.0;
};
Discount discount_for(double y);

// The log-moneyness x = ln(F/K). black_scholes: ln(S/K) + (r - q)T, which holds no rounding of
// F (for S = K it is exactly (r - q)T), otherwise ln(F/K); each ln(a/b) as log1p((a - b)/b)
// when a and b are within a factor 2, so x keeps its relative precision near the money.
double log_moneyness(bool on_spot, double underlying, double strike, double carry_times_t, double forward);

// D F - D K in USD, the signed intrinsic value of the forward (call: itself; put: its
// negative), without the cancellation of D F against D K: black_scholes (S - K) + S (e^{-qT}
// - 1) - K (e^{-rT} - 1), the others D (F - K). S - K and F - K are exact when the two are
// within a factor 2 (Sterbenz), so the error is a few ulps of |F - K| + K rT + S qT, where
// D F - D K formed directly would carry ε·max(F, K).
double discounted_forward_minus_strike(bool on_spot, double underlying, double strike, const Discount& rate,
                                       const Discount& dividend, double forward);

}  // namespace ballast::derivatives
