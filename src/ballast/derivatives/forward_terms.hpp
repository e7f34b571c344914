// Every supported model, rewritten as Black on a forward:
//
//   value_usd = discount · √(F K) · b(x, s, θ),  x = ln(F/K), s = σ√T  (normalised_black.hpp)
//   premium   = premium_per_usd · value_usd      (1 for USD-settled, 1/F for inverse)
//
//   black_scholes  F = S e^{(r-q)T}, discount e^{-rT}
//   black76        F as given,       discount e^{-rT}
//   inverse        F as given,       discount e^{-rT}, premium in coin = value_usd / F
//
// Pricing and implied vol both go through this one mapping, so they cannot disagree.
#pragma once

#include "ballast/derivatives/option.hpp"

namespace ballast::derivatives {

struct ForwardTerms {
  double forward = 0.0;
  double strike = 0.0;
  double discount = 1.0;         // e^{-rT}
  double log_moneyness = 0.0;    // x = ln(F/K)
  double total_vol = 0.0;        // s = σ√T
  double theta = 1.0;            // +1 call, -1 put
  double premium_per_usd = 1.0;  // 1, or 1/F for inverse
};

// spec must have passed validate_option (check_vol as the caller needs).
ForwardTerms forward_terms(const OptionSpec& spec);

}  // namespace ballast::derivatives
