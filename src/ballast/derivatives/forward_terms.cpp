#include "ballast/derivatives/forward_terms.hpp"

#include <cmath>

namespace ballast::derivatives {

ForwardTerms forward_terms(const OptionSpec& spec) {
  ForwardTerms f;
  const double T = spec.expiry_years;
  f.forward = spec.model == PricingModel::black_scholes
                  ? *spec.spot * std::exp((spec.rate - spec.dividend_yield) * T)
                  : *spec.forward;
  f.strike = spec.strike;
  f.discount = std::exp(-spec.rate * T);
  f.log_moneyness = std::log(f.forward / f.strike);
  f.total_vol = spec.vol * std::sqrt(T);
  f.theta = spec.kind == OptionKind::call ? 1.0 : -1.0;
  f.premium_per_usd = spec.model == PricingModel::inverse ? 1.0 / f.forward : 1.0;
  return f;
}

}  // namespace ballast::derivatives
