#include "ballast/derivatives/black_scholes.hpp"

namespace ballast::derivatives {

namespace {

PricingPoint point_of(const OptionSpec& spec) {
  PricingPoint p;
  p.model = spec.model;
  p.theta = spec.kind == OptionKind::call ? 1.0 : -1.0;
  p.underlying = spec.model == PricingModel::black_scholes ? *spec.spot : *spec.forward;
  p.strike = spec.strike;
  p.expiry_years = spec.expiry_years;
  p.vol = spec.vol;
  p.rate = spec.rate;
  p.dividend_yield = spec.dividend_yield;
  return p;
}

}  // namespace

Result<double> option_price(const OptionSpec& spec, const std::string& field) {
  if (auto e = validate_option(spec, field); !e.ok()) return Result<double>::failure(e);
  return Result<double>::success(greeks_unchecked(point_of(spec)).price);
}

Result<OptionGreeks> option_greeks(const OptionSpec& spec, const std::string& field) {
  if (auto e = validate_option(spec, field); !e.ok()) return Result<OptionGreeks>::failure(e);
  return Result<OptionGreeks>::success(greeks_unchecked(point_of(spec)));
}

}  // namespace ballast::derivatives
