// A book of positions on one or more underlyings (options under the three models, dated
// futures, perps and spot) valued in USD and in coin, with its Greeks per underlying.
//
// Risk factor: each underlying's spot S. Every forward on that underlying moves in proportion
// to it (dF/dS = F/S: a relative spot move x moves every forward by the same x, holding the
// basis), which is how a venue's index moves its futures and how Deribit sums deltas across
// expiries. So, per unit (quantity 1):
//   spot      value S                          delta 1
//   perp      value S - entry (mark = spot)    delta 1        theta -S f / 365 (funding f per year)
//   future    value F - entry (linear, USD)    delta F/S      (variation margin, undiscounted)
//   inverse future or perp (coin-margined, as on Deribit; quantity in USD of face value, mark
//             M = F, or S for a perp): coin P&L q (1/entry - 1/M), USD value that times S.
//             With M/S held, V = q S / entry - q S0 / M0, linear in S: delta q / entry (=
//             q / M + coin P&L), gamma 0; net transaction delta q / M (Deribit's futures delta:
//             the coin P&L sits in the coin balance). Perp theta -q f / 365 (funding in coin on
//             q / S coins, at the spot).
//   option    black-scholes: on S              delta, gamma as the model gives them
//             black-76:      on F, USD         delta_F F/S, gamma_F (F/S)^2
//             inverse:       price P in coin on F; USD value P S (the coins at the index),
//                            so dV/dS = delta (= P + F dP/dF, the engine's inverse delta)
//                            and d2V/dS2 = gamma F/S
// The USD value of an inverse option is its coin premium times the spot (what the coins are
// worth now); its coin value is the premium itself. Deribit's own USD marks multiply by the
// forward instead (P F, the Black-76 value): the two differ by F/S.
//
// Figures per underlying (all signed sums over its positions, quantity applied):
//   value_usd, value_coin = value_usd / S
//   delta_coin   dV/dS: the position's exposure in coins of the underlying
//   delta_usd    delta_coin S: the USD P&L of a +100% move to first order (1% move: / 100)
//   net_transaction_delta_coin  delta_coin - sum of inverse options' q P: the coin exposure
//                once premiums paid in coin leave the coin balance (Deribit's "DeltaTotal"
//                convention); use delta_coin when your coin balance is itself a spot position
//   gamma_coin   d(delta_coin)/dS: coins per USD of spot (the unit Deribit shows)
//   gamma_usd_per_pct  gamma_coin S^2 / 100: the change of delta_usd for a 1% spot move
//   vega_usd_per_vol_point   dV/dvol for a parallel +0.01 on every option's vol; _coin = / S
//   theta_usd_per_day   -dV/dt per calendar day, each option's own theta (black-76 and inverse
//                hold the forward, black-scholes the spot); perps: the funding paid (received
//                when negative) per day; futures and spot: 0; _coin = / S
// Coin figures are USD figures divided by the spot S (delta_coin = delta_usd / S too), so
// they are the same exposures counted in coins.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/derivatives/option.hpp"

namespace ballast::derivatives {

enum class InstrumentType { option, future, perp, spot };
// How a future or perp is margined: linear (USD-margined, quantity in coins) or inverse
// (coin-margined, quantity in USD of face value: Deribit's BTC-PERPETUAL, BTC-27DEC24).
enum class Settlement { linear, inverse };

struct Underlying {
  std::string name;
  double spot = 0.0;  // USD per coin, > 0
};

struct Position {
  InstrumentType type = InstrumentType::spot;
  int underlying = 0;  // index into Book::underlyings
  // option: the option; for black_scholes its spot is the underlying's spot (set by the reader).
  OptionSpec option;
  double forward = 0.0;       // future: the futures price now (USD)
  double expiry_years = 0.0;  // future: years to expiry (informational; value holds F)
  double entry_price = std::numeric_limits<double>::quiet_NaN();  // future/perp: NaN = today's price
  Settlement settlement = Settlement::linear;                     // future/perp
  // perp: the funding rate as a fraction of notional per year (an 8-hourly rate r is r * 1095);
  // positive: longs pay shorts.
  double funding_rate_per_year = 0.0;
  double quantity = 0.0;  // signed: options in options, inverse futures/perps in USD face, others in coins
};

struct Book {
  std::vector<Underlying> underlyings;
  std::vector<Position> positions;
};

// Sensitivities of one position or one underlying's sum, in the units of the header.
struct BookGreeks {
  double value_usd = 0.0, value_coin = 0.0;
  double delta_coin = 0.0, delta_usd = 0.0, net_transaction_delta_coin = 0.0;
  double gamma_coin = 0.0, gamma_usd_per_pct = 0.0;
  double vega_usd_per_vol_point = 0.0, vega_coin_per_vol_point = 0.0;
  double theta_usd_per_day = 0.0, theta_coin_per_day = 0.0;
};

struct BookReport {
  std::vector<BookGreeks> positions;    // per position (quantity applied)
  std::vector<BookGreeks> underlyings;  // per underlying, in Book::underlyings order
  double value_usd = 0.0, vega_usd_per_vol_point = 0.0, theta_usd_per_day = 0.0;  // all underlyings
};

// Errors name "underlyings[i].name|spot", "positions[i].underlying|quantity|forward|...".
Error validate_book(const Book& book);
// One position against the book's underlyings; errors name "<field>.<member>".
Error validate_position(const Book& book, const Position& p, const std::string& field);
// Greeks of one position at the book's current state (quantity applied).
BookGreeks position_greeks(const Book& book, const Position& p);
Result<BookReport> book_report(const Book& book);

// A revaluation state: every spot and forward times (1 + spot_shock); each option's vol
// replaced by `vol_of(vol)`; option expiries shortened by horizon_years (floored at 0); perps
// pay their funding over horizon_years at the shifted spot.
struct MarketShift {
  double spot_shock = 0.0;
  double vol_shift = 0.0;
  bool vol_relative = false;  // vol (1 + vol_shift) instead of vol + vol_shift
  double horizon_years = 0.0;
};
// USD value of one position after the shift (full revaluation). `floored` counts vols the
// shift would have made negative (they are priced at 0).
double position_value_usd(const Book& book, const Position& p, const MarketShift& shift, int* floored = nullptr);

}  // namespace ballast::derivatives
