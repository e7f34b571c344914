#include "ballast/derivatives/columns.hpp"

#include <cmath>
#include <limits>

#include "ballast/core/format.hpp"
#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/greeks_kernel.hpp"
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

void write_greeks_row(const GreeksColumnsOut& out, std::size_t i, const OptionGreeks& g) {
  out.price[i] = g.price;
  out.delta[i] = g.delta;
  out.gamma[i] = g.gamma;
  out.vega[i] = g.vega;
  out.theta[i] = g.theta;
  out.rho[i] = g.rho;
  out.vanna[i] = g.vanna;
  out.volga[i] = g.volga;
  out.charm[i] = g.charm;
}

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

namespace {

// One pass over a column: every element within [lo, hi] (or exactly 0 when zero_ok). Written
// without branches so the compiler vectorizes it; NaN fails every comparison. The messages
// come from validate_option, which runs only when this says something is wrong.
bool column_within(const Column& c, std::size_t count, double lo, double hi, bool zero_ok) {
  if (!c.data) return (c.value >= lo && c.value <= hi) || (zero_ok && c.value == 0.0);
  bool ok = true;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = c.data[i];
    ok &= ((v >= lo) & (v <= hi)) | (zero_ok & (v == 0.0));
  }
  return ok;
}

bool kinds_valid(const Column& c, std::size_t count) {
  if (!c.data) return c.value == 0.0 || c.value == 1.0;
  bool ok = true;
  for (std::size_t i = 0; i < count; ++i) ok &= (c.data[i] == 0.0) | (c.data[i] == 1.0);
  return ok;
}

// True when every row passes validate_option (with check_vol as given): the fast paths then
// skip the per-row checks. The bounds are OptionLimits, as validate_option applies them.
bool book_valid(const OptionColumns& in, std::size_t count, bool check_vol) {
  using L = OptionLimits;
  bool ok = kinds_valid(in.kind, count);
  ok = ok && column_within(in.underlying, count, L::min_price, L::max_price, false);
  ok = ok && column_within(in.strike, count, L::min_price, L::max_price, false);
  ok = ok && column_within(in.expiry_years, count, L::min_positive_expiry_years, L::max_expiry_years, true);
  ok = ok && (!check_vol || column_within(in.vol, count, L::min_positive_vol, L::max_vol, true));
  ok = ok && column_within(in.rate, count, -L::max_abs_rate, L::max_abs_rate, false);
  if (in.model == PricingModel::black_scholes)
    ok = ok && column_within(in.dividend_yield, count, -L::max_abs_rate, L::max_abs_rate, false);
  else
    ok = ok && column_within(in.dividend_yield, count, 0.0, 0.0, true);
  return ok;
}

}  // namespace

Error greeks_columns(const OptionColumns& in, std::size_t count, std::size_t first, const GreeksColumnsOut& out) {
  if (!book_valid(in, count, true)) {
    // Some row is invalid: the per-row path finds the first one and names it, writing the
    // rows before it (the same numbers: option_greeks runs greeks_unchecked).
    const std::string no_field;
    OptionSpec spec;
    spec.model = in.model;
    for (std::size_t i = 0; i < count; ++i) {
      if (Error e = spec_at(in, i, first + i, spec); !e.ok()) return e;
      const Result<OptionGreeks> g = option_greeks(spec, no_field);
      if (!g.ok()) return at_row(in, g.error, first + i);
      write_greeks_row(out, i, g.value);
    }
    return Error::none();
  }
  greeks_block(in, count, out);
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
