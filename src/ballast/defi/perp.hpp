// Perpetual futures (linear, USD-margined): P&L, leverage, liquidation price, funding carry.
//
// Liquidation follows Hyperliquid's published rule (docs "Trading > Liquidations"): a position
// is liquidated when account value falls to the maintenance margin |size| * mark * mmr, and
//   liq_price = price - side * margin_available / position_size / (1 - l * side)
// with l = the maintenance margin ratio, side = +1 long / -1 short, and margin_available =
// account value - maintenance margin (isolated: the position's own margin plus its P&L;
// cross: the whole account). Solving account value + size * (p - mark) = maintenance margin
// for p gives the same price, in the closed form used here (perp.cpp).
#pragma once

#include <optional>
#include <string>

#include "ballast/core/result.hpp"

namespace ballast::defi {

struct PerpPosition {
  std::string asset;
  double size = 0.0;          // signed, underlying units; negative = short
  double entry_price = 0.0;   // USD
  double margin = 0.0;        // USD collateral (isolated) or its share of the account (cross)
  double maintenance_margin_ratio = 0.0;
  double funding_rate = 0.0;  // per interval; positive = longs pay shorts
  double funding_interval_hours = 1.0;
  std::optional<double> mark_price;  // default: the market price of `asset`
  bool cross = false;
  std::string account = "default";
};

struct PerpRisk {
  double mark_price = 0.0;
  double notional_usd = 0.0;        // |size| * mark
  double unrealized_pnl_usd = 0.0;  // size * (mark - entry)
  double equity_usd = 0.0;          // margin + unrealized P&L
  double effective_leverage = 0.0;  // notional / equity (inf when equity <= 0)
  double maintenance_margin_usd = 0.0;
  std::optional<double> liquidation_price;
  double funding_per_day_usd = 0.0;  // received (negative = paid)
};

// Tier-1 checks; fields `<field>.size`, `.entryPrice`, `.margin`, `.maintenanceMarginRatio`,
// `.fundingRate`, `.fundingIntervalHours`, `.markPrice`.
Error validate(const PerpPosition& p, const std::string& field);

// Everything at `mark`; the liquidation price as if isolated.
PerpRisk perp_risk(const PerpPosition& p, double mark);

// The mark price at which an account with value `account_value_usd` and maintenance
// requirement `account_maintenance_usd` (both including this position, at `mark`) is
// liquidated when only this position's price moves. nullopt when no positive price does it.
std::optional<double> liquidation_price(double size, double mark, double maintenance_margin_ratio,
                                        double account_value_usd, double account_maintenance_usd);

}  // namespace ballast::defi
