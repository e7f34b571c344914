#include "ballast/derivatives/book.hpp"

#include <cmath>

#include "ballast/core/format.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/derivatives/black_scholes.hpp"

namespace ballast::derivatives {

namespace {

std::string position_field(std::size_t i) { return indexed("positions", static_cast<Index>(i)); }

Error finite_positive(double v, const std::string& field) {
  if (!std::isfinite(v)) return make_error(Status::non_finite, field, format_number(v) + " is not a finite number");
  if (!(v >= OptionLimits::min_price) || v > OptionLimits::max_price)
    return make_error(Status::invalid_value, field, format_number(v) + " must be a price in [1e-100, 1e100]");
  return Error::none();
}

double entry_or(double entry, double now) { return std::isnan(entry) ? now : entry; }

// 1,000 (100,000% a year) is far beyond any venue's funding cap (Hyperliquid: 4% an hour, 350
// a year); larger is a unit mistake, e.g. a percentage given where a fraction belongs.
constexpr double kMaxFundingRatePerYear = 1000.0;

Error validate_funding(const Position& p, const std::string& at) {
  const std::string field = at + ".fundingRatePerYear";
  const double f = p.funding_rate_per_year;
  if (!std::isfinite(f)) return make_error(Status::non_finite, field, format_number(f) + " is not a finite number");
  if (p.type != InstrumentType::perp && f != 0.0) return make_error(Status::invalid_value, field, "only perps pay funding");
  if (std::fabs(f) > kMaxFundingRatePerYear)
    return make_error(Status::invalid_value, field,
                      format_number(f) + " is beyond +-" + format_number(kMaxFundingRatePerYear) +
                          " a year; give the rate as a fraction per year (8-hourly rate x 1095)");
  return Error::none();
}

// A future or perp marked at M (now M0, entry E, quantity q) when the spot is S: linear q (M - E)
// in USD; inverse q (1/E - 1/M) in coin, worth S times that in USD.
double futures_value_usd(const Position& p, double M, double M0, double S) {
  const double E = entry_or(p.entry_price, M0);
  return p.settlement == Settlement::inverse ? p.quantity * (1.0 / E - 1.0 / M) * S : p.quantity * (M - E);
}

// Funding a perp pays over `years` at spot S: linear on q S of notional, inverse on q (USD face).
double funding_paid_usd(const Position& p, double S, double years) {
  const double notional = p.settlement == Settlement::inverse ? p.quantity : p.quantity * S;
  return notional * p.funding_rate_per_year * years;
}

// The option after a market shift; vol floored at 0 (counted) and tiny expiries rounded to 0.
OptionSpec shifted_option(const OptionSpec& o, double spot_factor, const MarketShift& s, int* floored) {
  OptionSpec x = o;
  if (x.spot) *x.spot *= spot_factor;
  if (x.forward) *x.forward *= spot_factor;
  double vol = s.vol_relative ? o.vol * (1.0 + s.vol_shift) : o.vol + s.vol_shift;
  if (vol < OptionLimits::min_positive_vol) {
    if (vol < 0.0 && floored) ++*floored;
    vol = 0.0;
  }
  x.vol = std::min(vol, OptionLimits::max_vol);
  double T = o.expiry_years - s.horizon_years;
  x.expiry_years = T < OptionLimits::min_positive_expiry_years ? 0.0 : T;
  return x;
}

}  // namespace

Error validate_book(const Book& book) {
  if (book.underlyings.empty())
    return make_error(Status::invalid_shape, "underlyings", "a book needs at least one underlying with its spot");
  for (std::size_t i = 0; i < book.underlyings.size(); ++i) {
    const std::string at = indexed("underlyings", static_cast<Index>(i));
    if (book.underlyings[i].name.empty()) return make_error(Status::invalid_value, at + ".name", "must not be empty");
    for (std::size_t j = 0; j < i; ++j)
      if (book.underlyings[j].name == book.underlyings[i].name)
        return make_error(Status::invalid_value, at + ".name", "'" + book.underlyings[i].name + "' is listed twice");
    if (auto e = finite_positive(book.underlyings[i].spot, at + ".spot"); !e.ok()) return e;
  }
  for (std::size_t i = 0; i < book.positions.size(); ++i)
    if (auto e = validate_position(book, book.positions[i], position_field(i)); !e.ok()) return e;
  return Error::none();
}

Error validate_position(const Book& book, const Position& p, const std::string& at) {
  if (p.underlying < 0 || p.underlying >= static_cast<int>(book.underlyings.size()))
    return make_error(Status::unknown_value, at + ".underlying", "not one of the book's underlyings");
  if (!std::isfinite(p.quantity)) return make_error(Status::non_finite, at + ".quantity", "not a finite number");
  switch (p.type) {
    case InstrumentType::option:
      if (auto e = validate_option(p.option, at); !e.ok()) return e;
      break;
    case InstrumentType::future:
      if (auto e = finite_positive(p.forward, at + ".forward"); !e.ok()) return e;
      if (!std::isfinite(p.expiry_years) || p.expiry_years < 0.0)
        return make_error(Status::invalid_value, at + ".expiryYears", "must be a finite number >= 0");
      [[fallthrough]];
    case InstrumentType::perp:
      if (!std::isnan(p.entry_price))
        if (auto e = finite_positive(p.entry_price, at + ".entryPrice"); !e.ok()) return e;
      break;
    case InstrumentType::spot: break;
  }
  return validate_funding(p, at);
}

double position_value_usd(const Book& book, const Position& p, const MarketShift& s, int* floored) {
  const double S0 = book.underlyings[p.underlying].spot;
  const double factor = 1.0 + s.spot_shock;
  const double S = S0 * factor;
  switch (p.type) {
    case InstrumentType::spot: return p.quantity * S;
    case InstrumentType::perp: return futures_value_usd(p, S, S0, S) - funding_paid_usd(p, S, s.horizon_years);
    case InstrumentType::future: return futures_value_usd(p, p.forward * factor, p.forward, S);
    case InstrumentType::option: {
      const OptionSpec o = shifted_option(p.option, factor, s, floored);
      const double price = option_price(o).value;  // validated by validate_book
      return p.quantity * (o.model == PricingModel::inverse ? price * S : price);
    }
  }
  return 0.0;
}

// The figures each unit system derives from the other (coin = USD / spot). Applied to a
// position, and again to an underlying's sums, so every total meets the identity exactly
// instead of carrying the rounding of a sum of per-position conversions.
static void convert_units(BookGreeks& g, double S) {
  g.value_coin = g.value_usd / S;
  g.delta_usd = g.delta_coin * S;
  g.gamma_usd_per_pct = g.gamma_coin * S * S / 100.0;
  g.vega_coin_per_vol_point = g.vega_usd_per_vol_point / S;
  g.theta_coin_per_day = g.theta_usd_per_day / S;
}

BookGreeks position_greeks(const Book& book, const Position& p) {
  const double S = book.underlyings[p.underlying].spot, q = p.quantity;
  BookGreeks g;
  g.value_usd = position_value_usd(book, p, MarketShift{});
  switch (p.type) {
    case InstrumentType::spot: g.delta_coin = q; break;
    case InstrumentType::perp:
    case InstrumentType::future: {
      const double M = p.type == InstrumentType::perp ? S : p.forward;  // the mark now
      if (p.settlement == Settlement::inverse) {
        g.delta_coin = q / entry_or(p.entry_price, M);
        g.net_transaction_delta_coin = -g.value_usd / S;  // the coin P&L, counted in the coin balance
      } else {
        g.delta_coin = q * M / S;
      }
      if (p.type == InstrumentType::perp) g.theta_usd_per_day = -funding_paid_usd(p, S, 1.0) / 365.0;
      break;
    }
    case InstrumentType::option: {
      const OptionGreeks o = option_greeks(p.option).value;
      const double per_usd = p.option.model == PricingModel::inverse ? S : 1.0;  // coin premium -> USD
      double c = 1.0;                                                           // dF/dS
      if (p.option.model != PricingModel::black_scholes) c = *p.option.forward / S;
      switch (p.option.model) {
        case PricingModel::black_scholes: g.delta_coin = q * o.delta, g.gamma_coin = q * o.gamma; break;
        case PricingModel::black76: g.delta_coin = q * o.delta * c, g.gamma_coin = q * o.gamma * c * c; break;
        case PricingModel::inverse: g.delta_coin = q * o.delta, g.gamma_coin = q * o.gamma * c; break;
      }
      g.vega_usd_per_vol_point = q * o.vega_per_vol_point * per_usd;
      g.theta_usd_per_day = q * o.theta_per_day * per_usd;
      if (p.option.model == PricingModel::inverse) g.net_transaction_delta_coin = -q * o.price;
      break;
    }
  }
  g.net_transaction_delta_coin += g.delta_coin;
  convert_units(g, S);
  return g;
}

Result<BookReport> book_report(const Book& book) {
  if (auto e = validate_book(book); !e.ok()) return Result<BookReport>::failure(e);
  BookReport r;
  r.underlyings.resize(book.underlyings.size());
  for (const Position& p : book.positions) {
    const BookGreeks g = position_greeks(book, p);
    r.positions.push_back(g);
    BookGreeks& u = r.underlyings[p.underlying];
    u.value_usd += g.value_usd;
    u.delta_coin += g.delta_coin;
    u.net_transaction_delta_coin += g.net_transaction_delta_coin;
    u.gamma_coin += g.gamma_coin;
    u.vega_usd_per_vol_point += g.vega_usd_per_vol_point;
    u.theta_usd_per_day += g.theta_usd_per_day;
    r.value_usd += g.value_usd;
    r.vega_usd_per_vol_point += g.vega_usd_per_vol_point;
    r.theta_usd_per_day += g.theta_usd_per_day;
  }
  for (std::size_t i = 0; i < r.underlyings.size(); ++i) convert_units(r.underlyings[i], book.underlyings[i].spot);
  return Result<BookReport>::success(std::move(r));
}

}  // namespace ballast::derivatives
