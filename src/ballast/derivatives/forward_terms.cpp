#include "ballast/derivatives/forward_terms.hpp"

#include <cmath>

#include "ballast/derivatives/vector_math.hpp"

namespace ballast::derivatives {

// vector_math.hpp's, in one lane: the Greeks kernel's discounting, the same bits.
Discount discount_for(double y) {
  if (y == 0.0) return {};  // no dividend, or no rate: exactly 1 and 0, as the lanes give
  const simd::Discounts d = simd::discount_for(simd::splat(y));
  return {d.factor[0], d.minus_one[0]};
}

namespace {

// ln(a/b) for positive a, b: vector_math.hpp's log_ratio, the one the Greeks kernel uses, so
// that every part of the engine forms the same x from the same inputs. Within a factor 2 of
// each other it is log1p((a - b)/b) (a - b is exact, by Sterbenz), keeping a relative error of
// about half an ulp of x; ln(a/b) would carry the rounding of a/b, an absolute ε, which near
// the money at short expiry is many ulps of x and moves a one-day option's price by more than
// its own rounding.
double log_ratio(double a, double b) { return simd::log_ratio(simd::splat(a), simd::splat(b))[0]; }

}  // namespace

double log_moneyness(bool on_spot, double underlying, double strike, double carry_times_t, double forward) {
  return on_spot ? log_ratio(underlying, strike) + carry_times_t : log_ratio(forward, strike);
}

double discounted_forward_minus_strike(bool on_spot, double underlying, double strike, const Discount& rate,
                                       const Discount& dividend, double forward) {
  if (on_spot)
    return (underlying - strike) + (underlying * dividend.minus_one - strike * rate.minus_one);
  return rate.factor * (forward - strike);
}

ForwardTerms forward_terms(const OptionSpec& spec) {
  ForwardTerms f;
  const double T = spec.expiry_years;
  const bool on_spot = spec.model == PricingModel::black_scholes;
  const Discount rate = discount_for(spec.rate * T);
  const Discount dividend = discount_for(on_spot ? spec.dividend_yield * T : 0.0);
  f.discount = rate.factor;
  f.dividend_discount = dividend.factor;
  // F = S e^{(r-q)T}, formed as black_scholes.cpp forms it, so pricing and implied vol agree.
  f.forward = on_spot ? *spec.spot * f.dividend_discount / f.discount : *spec.forward;
  f.spot = on_spot ? *spec.spot : 0.0;
  f.strike = spec.strike;
  f.log_moneyness = log_moneyness(on_spot, on_spot ? *spec.spot : f.forward, f.strike,
                                  (spec.rate - spec.dividend_yield) * T, f.forward);
  f.total_vol = spec.vol * std::sqrt(T);
  f.theta = spec.kind == OptionKind::call ? 1.0 : -1.0;
  f.premium_per_usd = spec.model == PricingModel::inverse ? 1.0 / f.forward : 1.0;
  f.forward_minus_strike = discounted_forward_minus_strike(on_spot, on_spot ? *spec.spot : f.forward, f.strike,
                                                           rate, dividend, f.forward);
  return f;
}

}  // namespace ballast::derivatives
