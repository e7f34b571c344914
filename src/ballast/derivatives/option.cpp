#include "ballast/derivatives/option.hpp"

#include <cmath>

#include "ballast/core/format.hpp"

namespace ballast::derivatives {

namespace {

std::string describe(double v) { return format_number(v); }

// "<field>.<member>": built only when an error is reported, so a valid option costs no
// string work (the columnar Greeks check a million options per call).
std::string at(const std::string& field, const char* member) { return field + "." + member; }

// A finite number in [lo, hi], or the Error that says which bound it broke.
Error require_range(double v, double lo, double hi, const std::string& field, const char* member, const char* what) {
  if (!std::isfinite(v))
    return make_error(Status::non_finite, at(field, member), describe(v) + " is not a finite number");
  if (v < lo || v > hi)
    return make_error(Status::invalid_value, at(field, member),
                      describe(v) + " is outside " + what + " [" + describe(lo) + ", " + describe(hi) + "]");
  return Error::none();
}

// 0, or a finite number in [lo, hi]: zero means "expired" / "no vol" and has defined values.
Error require_zero_or_range(double v, double lo, double hi, const std::string& field, const char* member,
                            const char* what) {
  if (v == 0.0) return Error::none();
  return require_range(v, lo, hi, field, member, what);
}

Error require_price(double v, const std::string& field, const char* member) {
  return require_range(v, OptionLimits::min_price, OptionLimits::max_price, field, member,
                       "the accepted price range");
}

// Each model takes exactly one underlying price: the one it prices on.
Error check_underlying(const OptionSpec& spec, const std::string& field) {
  bool on_spot = spec.model == PricingModel::black_scholes;
  const auto& needed = on_spot ? spec.spot : spec.forward;
  const auto& refused = on_spot ? spec.forward : spec.spot;
  const char* needed_name = on_spot ? "spot" : "forward";
  const char* refused_name = on_spot ? "forward" : "spot";
  if (refused)
    return make_error(Status::invalid_value, at(field, refused_name),
                      on_spot ? "black-scholes derives the forward from spot, rate and dividendYield; give spot only"
                              : "black-76 and inverse price on the forward; give forward, not spot");
  if (!needed)
    return make_error(Status::missing_field, at(field, needed_name),
                      std::string(needed_name) + " is required by this model");
  return require_price(*needed, field, needed_name);
}

}  // namespace

Error validate_option(const OptionSpec& spec, const std::string& field, bool check_vol) {
  if (auto e = check_underlying(spec, field); !e.ok()) return e;
  if (auto e = require_price(spec.strike, field, "strike"); !e.ok()) return e;
  if (auto e = require_zero_or_range(spec.expiry_years, OptionLimits::min_positive_expiry_years,
                                     OptionLimits::max_expiry_years, field, "expiryYears",
                                     "0 or the accepted expiry range (years)");
      !e.ok())
    return e;
  if (check_vol) {
    if (auto e = require_zero_or_range(spec.vol, OptionLimits::min_positive_vol, OptionLimits::max_vol, field,
                                       "vol", "0 or the accepted vol range");
        !e.ok())
      return e;
  }
  const double r = OptionLimits::max_abs_rate;
  if (auto e = require_range(spec.rate, -r, r, field, "rate", "the accepted rate range"); !e.ok()) return e;
  if (auto e = require_range(spec.dividend_yield, -r, r, field, "dividendYield", "the accepted yield range"); !e.ok())
    return e;
  if (spec.model != PricingModel::black_scholes && spec.dividend_yield != 0.0)
    return make_error(Status::invalid_value, at(field, "dividendYield"),
                      "only black-scholes takes a dividend yield; the forward already includes the carry");
  if (!std::isfinite(spec.quantity))
    return make_error(Status::non_finite, at(field, "quantity"), describe(spec.quantity) + " is not a finite number");
  return Error::none();
}

}  // namespace ballast::derivatives
