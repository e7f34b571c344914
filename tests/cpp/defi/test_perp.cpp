// Perpetuals. Reference: Hyperliquid's published liquidation price (docs, Trading >
// Liquidations, https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations):
//   liq_price = price - side * margin_available / position_size / (1 - l * side),
//   l = 1 / maintenance leverage, margin_available = margin (+ P&L) - maintenance margin,
// evaluated literally below and by hand; the engine solves the maintenance equation instead.
#include <catch2/catch.hpp>

#include <cmath>

#include "ballast/defi/perp.hpp"

using namespace ballast::defi;

namespace {

double hyperliquid_liq_price(double price, double side, double margin_available, double size, double l) {
  return price - side * margin_available / size / (1 - l * side);
}

}  // namespace

TEST_CASE("perp: isolated liquidation prices by Hyperliquid's formula and by hand", "[defi][perp]") {
  // ETH at 40x max leverage: maintenance 1.25% (half the 2.5% initial margin).
  PerpPosition p;
  p.asset = "ETH";
  p.size = 10;
  p.entry_price = 3000;
  p.margin = 3000;
  p.maintenance_margin_ratio = 0.0125;
  const PerpRisk r = perp_risk(p, 3000);
  // By hand: margin available 3000 - 0.0125 * 30,000 = 2,625; 3000 - 262.5 / 0.9875 = 2734.1772.
  CHECK(*r.liquidation_price == Approx(2700.0 / 0.9875).epsilon(1e-15));
  CHECK(*r.liquidation_price == Approx(hyperliquid_liq_price(3000, 1, 2625, 10, 0.0125)).epsilon(1e-15));
  CHECK(r.effective_leverage == Approx(10));
  // At a lower mark the P&L is in the account value; the price does not move.
  const PerpRisk lower = perp_risk(p, 2900);
  CHECK(lower.unrealized_pnl_usd == -1000);
  CHECK(*lower.liquidation_price == Approx(hyperliquid_liq_price(2900, 1, 2000 - 362.5, 10, 0.0125)).epsilon(1e-14));
  CHECK(*lower.liquidation_price == Approx(*r.liquidation_price).epsilon(1e-14));
  // Short: 3000 + 262.5 / 1.0125 = 3259.2593.
  p.size = -10;
  const PerpRisk s = perp_risk(p, 3000);
  CHECK(*s.liquidation_price == Approx(3300.0 / 1.0125).epsilon(1e-15));
  CHECK(*s.liquidation_price == Approx(hyperliquid_liq_price(3000, -1, 2625, 10, 0.0125)).epsilon(1e-15));
  // A fully collateralized short (margin = 99 x notional) still has a liquidation price; a
  // 1x long with no maintenance has none above 0.
  p.size = 1;
  p.margin = 3000;
  p.maintenance_margin_ratio = 0;
  CHECK_FALSE(perp_risk(p, 3000).liquidation_price);
}

TEST_CASE("perp: funding carry per day and cross-margin liquidation", "[defi][perp]") {
  PerpPosition p;
  p.size = 10;
  p.entry_price = 3000;
  p.margin = 3000;
  p.maintenance_margin_ratio = 0.0125;
  p.funding_rate = 0.0001;  // per hour (Hyperliquid pays hourly)
  // Hand: a long pays 0.01% of 30,000 an hour = 3 USD, 72 USD a day.
  CHECK(perp_risk(p, 3000).funding_per_day_usd == Approx(-72));
  p.funding_interval_hours = 8;  // the same rate every 8 hours: 9 USD a day
  CHECK(perp_risk(p, 3000).funding_per_day_usd == Approx(-9));
  // Cross: account value 10,000 (this 3,000 + 7,000 elsewhere), other maintenance 500.
  // Hand: 10,000 + 10 (p - 3000) = 500 + 0.0125 * 10 p  =>  p = 20,500 / 9.875 = 2075.95.
  const double mm = 500 + 0.0125 * 10 * 3000;
  CHECK(*liquidation_price(10, 3000, 0.0125, 10000, mm) == Approx(20500 / 9.875).epsilon(1e-15));
  CHECK(*liquidation_price(10, 3000, 0.0125, 10000, mm) ==
        Approx(hyperliquid_liq_price(3000, 1, 10000 - mm, 10, 0.0125)).epsilon(1e-15));
}

TEST_CASE("perp: bad inputs are refused by field", "[defi][perp]") {
  PerpPosition p;
  p.size = 0;
  p.entry_price = 3000;
  p.maintenance_margin_ratio = 0.01;
  CHECK(validate(p, "positions[3]").field == "positions[3].size");
  p.size = 1;
  p.maintenance_margin_ratio = 1.0;
  CHECK(validate(p, "positions[3]").field == "positions[3].maintenanceMarginRatio");
  p.maintenance_margin_ratio = 0.01;
  p.margin = -5;
  CHECK(validate(p, "positions[3]").field == "positions[3].margin");
}
