#include "ballast/derivatives/columns.hpp"

#include <cmath>
#include <limits>

#include "ballast/core/format.hpp"
#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/implied_vol.hpp"

namespace ballast::derivatives {

namespace {

// The column an OptionSpec member came from: validate_option names members as
// ".<member>" under an empty field; spot and forward both come from `underlying`.
std::string column_field(const OptionColumns& in, const std::string& member_field, std::size_t row) {
  std::string member = member_field.empty() || member_field[0] != '.' ? member_field : member_field.substr(1);
  if (member == "spot" || member == "forward") member = "underlying";
  const Column* column = member == "underlying"      ? &in.underlying
                         : member == "strike"        ? &in.strike
                         : member == "expiryYears"   ? &in.expiry_years
                         : member == "vol"           ? &in.vol
                         : member == "rate"          ? &in.rate
                         : member == "dividendYield" ? &in.dividend_yield
                         : member == "price"         ? &in.price
                                                     : nullptr;
  if (column && !column->data) return member;  // a broadcast scalar
  return member + "[" + std::to_string(row) + "]";
}

Error at_row(const OptionColumns& in, Error e, std::size_t row) {
  e.field = column_field(in, e.field, row);
  return e;
}

// The option in row i, or the Error naming the kind element.
Error spec_at(const OptionColumns& in, std::size_t i, std::size_t row, OptionSpec& spec) {
  const double kind = in.kind.at(i);
  if (!std::isfinite(kind))
    return make_error(Status::non_finite, "kind[" + std::to_string(row) + "]", "kind is not a finite number");
  if (kind != 0.0 && kind != 1.0)
    return make_error(Status::invalid_value, "kind[" + std::to_string(row) + "]",
                      format_number(kind) + " is not 0 (call) or 1 (put)");
  spec.kind = kind == 0.0 ? OptionKind::call : OptionKind::put;
  if (in.model == PricingModel::black_scholes)
    spec.spot = in.underlying.at(i);
  else
    spec.forward = in.underlying.at(i);
  spec.strike = in.strike.at(i);
  spec.expiry_years = in.expiry_years.at(i);
  spec.vol = in.vol.at(i);
  spec.rate = in.rate.at(i);
  spec.dividend_yield = in.dividend_yield.at(i);
  return Error::none();
}

}  // namespace

Error require_equal_lengths(const std::vector<ColumnLength>& columns, std::size_t& n) {
  // The book size is the length most columns share (the first such on a tie), so the one
  // column that is off is the one named.
  n = 0;
  std::size_t best = 0;
  for (const ColumnLength& c : columns) {
    std::size_t count = 0;
    for (const ColumnLength& other : columns) count += other.size == c.size;
    if (count > best) {
      best = count;
      n = c.size;
    }
  }
  for (const ColumnLength& c : columns)
    if (c.size != n)
      return make_error(Status::invalid_shape, c.name,
                        std::string(c.name) + " has " + std::to_string(c.size) + " entries; the other columns have " +
                            std::to_string(n));
  return Error::none();
}

Error greeks_columns(const OptionColumns& in, std::size_t count, std::size_t first, const GreeksColumnsOut& out) {
  const std::string no_field;
  OptionSpec spec;
  spec.model = in.model;
  for (std::size_t i = 0; i < count; ++i) {
    if (Error e = spec_at(in, i, first + i, spec); !e.ok()) return e;
    const Result<OptionGreeks> g = option_greeks(spec, no_field);
    if (!g.ok()) return at_row(in, g.error, first + i);
    out.price[i] = g.value.price;
    out.delta[i] = g.value.delta;
    out.gamma[i] = g.value.gamma;
    out.vega[i] = g.value.vega;
    out.theta[i] = g.value.theta;
    out.rho[i] = g.value.rho;
    out.vanna[i] = g.value.vanna;
    out.volga[i] = g.value.volga;
    out.charm[i] = g.value.charm;
  }
  return Error::none();
}

Error implied_vol_columns(const OptionColumns& in, std::size_t count, std::size_t first,
                          const ImpliedVolColumnsOut& out) {
  const std::string no_field;
  OptionSpec spec;
  spec.model = in.model;
  for (std::size_t i = 0; i < count; ++i) {
    if (Error e = spec_at(in, i, first + i, spec); !e.ok()) return e;
    const Result<ImpliedVol> iv = implied_vol(spec, in.price.at(i), no_field);
    if (!iv.ok()) return at_row(in, iv.error, first + i);
    const bool has_vol = iv.value.status == ImpliedVolStatus::ok || iv.value.status == ImpliedVolStatus::at_intrinsic;
    out.vol[i] = has_vol ? iv.value.vol : std::numeric_limits<double>::quiet_NaN();
    out.status[i] = static_cast<std::uint8_t>(iv.value.status);
  }
  return Error::none();
}

}  // namespace ballast::derivatives
