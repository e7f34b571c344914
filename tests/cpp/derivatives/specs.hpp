// Shorthands that build OptionSpecs for the derivatives tests.
#pragma once

#include "ballast/derivatives/option.hpp"

namespace ballast::test {

using derivatives::OptionKind;
using derivatives::OptionSpec;
using derivatives::PricingModel;

inline OptionSpec bsm_spec(OptionKind kind, double spot, double strike, double expiry_years, double vol, double rate,
                           double dividend_yield = 0.0) {
  OptionSpec s;
  s.kind = kind;
  s.model = PricingModel::black_scholes;
  s.spot = spot;
  s.strike = strike;
  s.expiry_years = expiry_years;
  s.vol = vol;
  s.rate = rate;
  s.dividend_yield = dividend_yield;
  return s;
}

inline OptionSpec forward_spec(PricingModel model, OptionKind kind, double forward, double strike,
                               double expiry_years, double vol, double rate) {
  OptionSpec s;
  s.kind = kind;
  s.model = model;
  s.forward = forward;
  s.strike = strike;
  s.expiry_years = expiry_years;
  s.vol = vol;
  s.rate = rate;
  return s;
}

// The same option under the given model: spot for black_scholes (with carry q), forward otherwise.
inline OptionSpec spec_for(PricingModel model, OptionKind kind, double underlying, double strike,
                           double expiry_years, double vol, double rate, double dividend_yield) {
  return model == PricingModel::black_scholes
             ? bsm_spec(kind, underlying, strike, expiry_years, vol, rate, dividend_yield)
             : forward_spec(model, kind, underlying, strike, expiry_years, vol, rate);
}

inline constexpr PricingModel all_models[] = {PricingModel::black_scholes, PricingModel::black76,
                                              PricingModel::inverse};

}  // namespace ballast::test
