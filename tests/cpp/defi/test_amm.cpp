// AMM LP math: constant product (v2) and concentrated liquidity (v3) on the float side.
//
// References: the v2 closed forms V = 2 sqrt(k P0 P1) and IL = 2 sqrt(r)/(1+r) - 1 (derived by
// hand, Pintail 2019); central finite differences of V(P0, P1) = x(P0/P1) P0 + y(P0/P1) P1
// for every delta and gamma; the v3 whitepaper's amounts at the range edges (eq. 6.29-6.30);
// and the real Uniswap v2 reserves in ../shared/data against the same day's Binance closes.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <algorithm>
#include <map>
#include <vector>
#include <string>

#include "ballast/defi/amm_v2.hpp"
#include "ballast/defi/amm_v3.hpp"
#include "ballast/defi/liquidity_curve.hpp"
#include "ballast/defi/tick_math.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::defi;

namespace {

double value_at(double L, const LiquidityRange& r, double p0, double p1) {
  const TokenAmounts a = curve_amounts(L, r, p0 / p1);
  return a.amount0 * p0 + a.amount1 * p1;
}

// Central differences of V in (P0, P1) with relative steps h.
void check_against_finite_differences(double L, const LiquidityRange& r, double p0, double p1) {
  const TwoTokenGreeks g = curve_greeks(L, r, p0 / p1, p1);
  const double h0 = 1e-4 * p0, h1 = 1e-4 * p1;
  auto V = [&](double a, double b) { return value_at(L, r, a, b); };
  const double d0 = (V(p0 + h0, p1) - V(p0 - h0, p1)) / (2 * h0);
  const double d1 = (V(p0, p1 + h1) - V(p0, p1 - h1)) / (2 * h1);
  const double g00 = (V(p0 + h0, p1) - 2 * V(p0, p1) + V(p0 - h0, p1)) / (h0 * h0);
  const double g11 = (V(p0, p1 + h1) - 2 * V(p0, p1) + V(p0, p1 - h1)) / (h1 * h1);
  const double g01 = (V(p0 + h0, p1 + h1) - V(p0 + h0, p1 - h1) - V(p0 - h0, p1 + h1) + V(p0 - h0, p1 - h1)) / (4 * h0 * h1);
  CHECK(g.value_usd == Approx(V(p0, p1)).epsilon(1e-13));
  CHECK(g.delta0 == Approx(d0).epsilon(1e-7));
  CHECK(g.delta1 == Approx(d1).epsilon(1e-7));
  const double scale = std::abs(g.gamma00) + std::abs(g.gamma11) + 1e-300;
  CHECK(g.gamma00 == Approx(g00).margin(1e-4 * scale));
  CHECK(g.gamma11 == Approx(g11).margin(1e-4 * scale));
  CHECK(g.gamma01 == Approx(g01).margin(1e-4 * scale));
}

}  // namespace

TEST_CASE("v2: curve value, Greeks and IL match the constant-product closed forms", "[defi][amm]") {
  const double x = 10.0, y = 20000.0, k = x * y, L = std::sqrt(k);  // 10 ETH + 20,000 USDC at 2000
  for (double p0 : {1500.0, 2000.0, 2600.0}) {
    const double p1 = 1.0002;
    const TwoTokenGreeks g = curve_greeks(L, full_range(), p0 / p1, p1);
    CHECK(g.value_usd == Approx(v2_value(k, p0, p1)).epsilon(1e-14));
    CHECK(g.delta0 == Approx(std::sqrt(k * p1 / p0)).epsilon(1e-14));           // dV/dP0
    CHECK(g.gamma00 == Approx(-0.5 * std::sqrt(k * p1) / std::pow(p0, 1.5)).epsilon(1e-13));
    check_against_finite_differences(L, full_range(), p0, p1);
  }
  for (double r : {0.25, 0.8, 1.0, 1.5, 4.0}) {
    // Entry at 2000, token0 now at 2000 r: IL against holding the deposit.
    CHECK(impermanent_loss(L, full_range(), 2000.0, 2000.0 * r, 1.0) == Approx(v2_impermanent_loss(r)).margin(1e-15));
  }
  CHECK(v2_impermanent_loss(4.0) == Approx(-0.2));  // the textbook 20% at a 4x move
}

TEST_CASE("v2: break-even fee APR equals the IL of the move over the horizon", "[defi][amm]") {
  const double L = std::sqrt(10.0 * 20000.0);
  for (double m : {-0.3, 0.1, 0.5}) {
    // Hand derivation: hold/V_now = (2 + m)/2, (hold - lp)/hold = -IL(1 + m).
    const double expected = -v2_impermanent_loss(1 + m) * (2 + m) / 2 * 365.0 / 30.0;
    CHECK(break_even_fee_apr(L, full_range(), 2000.0, 1.0, m, 30.0) == Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("v3: amounts at the range edges and Greeks by finite differences", "[defi][amm]") {
  const double pa = 1500, pb = 2500, L = 1000;
  const LiquidityRange r{std::sqrt(pa), std::sqrt(pb)};
  // Whitepaper 6.29/6.30 at and beyond the edges: all token0 below, all token1 above.
  const TokenAmounts below = curve_amounts(L, r, 1000), at_a = curve_amounts(L, r, pa);
  const TokenAmounts above = curve_amounts(L, r, 3000), at_b = curve_amounts(L, r, pb);
  CHECK(below.amount0 == Approx(L * (1 / std::sqrt(pa) - 1 / std::sqrt(pb))));
  CHECK(below.amount1 == 0);
  CHECK(at_a.amount0 == Approx(below.amount0));
  CHECK(at_a.amount1 == Approx(0).margin(1e-9));
  CHECK(above.amount1 == Approx(L * (std::sqrt(pb) - std::sqrt(pa))));
  CHECK(above.amount0 == 0);
  CHECK(at_b.amount1 == Approx(above.amount1));
  check_against_finite_differences(L, r, 1800.0, 1.0);
  check_against_finite_differences(L, r, 2400.0, 0.999);
  // Out of range: a single token, linear in its price, no gamma.
  const TwoTokenGreeks out = curve_greeks(L, r, 1200.0, 1.0);
  CHECK(out.gamma00 == 0);
  CHECK(out.delta0 == Approx(below.amount0));
  CHECK(out.delta1 == 0);
  // Inside the range IL is larger than v2's for the same move (concentration), and 0 outside
  // it relative to an entry outside it on the same side.
  const double il_v3 = impermanent_loss(L, r, 2000.0, 2400.0, 1.0);
  CHECK(il_v3 < v2_impermanent_loss(1.2));
  CHECK(impermanent_loss(L, r, 1000.0, 1200.0, 1.0) == Approx(0).margin(1e-15));
}

TEST_CASE("v3: a position from ticks and sqrtPriceX96 (USDC/WETH decimals 6/18)", "[defi][amm]") {
  // A USDC/WETH 0.05% pool near 1,900 USDC per ETH: token0 USDC (6), token1 WETH (18);
  // price token1/token0 = 1/1900 WETH per USDC in human units. Reference: the float curve
  // with L / 10^12 (human liquidity) and the range prices 1.0001^tick * 10^(6-18).
  V3Position p;
  p.decimals0 = 6;
  p.decimals1 = 18;
  p.tick_lower = 200000;
  p.tick_upper = 203000;
  p.tick = 201500;
  p.liquidity = *parse_u256("2000000000000000000");  // 2e18
  auto h = v3_holdings(p, "position");
  REQUIRE(h.ok());
  // 1.0001^tick as exp(tick * log1p(1e-4)): pow(1.0001, t) would carry the ~1e-17 rounding
  // of the double 1.0001 times t = 2e5 (~1e-11).
  auto at_tick = [](int t) { return std::exp(t * std::log1p(1e-4)) * 1e-12; };
  CHECK(h.value.price_lower == Approx(at_tick(200000)).epsilon(1e-13));
  CHECK(h.value.price_upper == Approx(at_tick(203000)).epsilon(1e-13));
  CHECK(h.value.pool_price == Approx(at_tick(201500)).epsilon(1e-13));
  CHECK(h.value.in_range);
  const TokenAmounts f = curve_amounts(2e18 / 1e12, h.value.range, h.value.pool_price);
  CHECK(h.value.amount0 == Approx(f.amount0).epsilon(1e-12));
  CHECK(h.value.amount1 == Approx(f.amount1).epsilon(1e-12));
  // Reversed and out-of-bounds ticks, and liquidity above uint128, are refused by field.
  p.tick_lower = 203000;
  p.tick_upper = 200000;
  CHECK(v3_holdings(p, "positions[2]").error.field == "positions[2].tickLower");
  p.tick_lower = -887273;
  CHECK(v3_holdings(p, "positions[2]").error.field == "positions[2].tickLower");
  p.tick_lower = 0;
  p.tick_upper = 10;
  p.liquidity = U256::power_of_two(128);
  CHECK(v3_holdings(p, "positions[2]").error.field == "positions[2].liquidity");
}

TEST_CASE("real data: Uniswap v2 pool prices against the same day's Binance closes", "[defi][amm][real_data]") {
  auto reserves_path = ballast::test::shared_data("uniswap_v2_pool_reserves_2023-04.csv");
  auto panel = ballast::test::load_price_panel();
  BALLAST_SKIP_WITHOUT_DATA(reserves_path && panel);
  std::map<std::string, Index> row_of;
  for (size_t t = 0; t < panel->dates.size(); ++t) row_of[panel->dates[t]] = static_cast<Index>(t);
  std::ifstream in(*reserves_path);
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::vector<double>> eth_by_block;  // block -> pool ETH prices in USD
  int checked = 0;
  double worst = 0;
  while (std::getline(in, line)) {
    const auto c = ballast::test::split_csv_line(line);
    const std::string block = c[0], date = c[2].substr(0, 10), t0 = c[4], t1 = c[5];
    V2Position pool{std::stod(c[8]), std::stod(c[9]), std::stod(c[10]) * 0.01, std::stod(c[10])};  // a 1% share
    auto h = v2_holdings(pool, "pool");
    REQUIRE(h.ok());
    CHECK(h.value.share == Approx(0.01));
    CHECK(h.value.liquidity * h.value.liquidity == Approx(h.value.amount0 * h.value.amount1));
    // The market at the block's time of day: the previous day's close (00:00 UTC) moved
    // linearly to the day's close (23:59:59 UTC). Binance columns 0 = BTC, 1 = ETH.
    const Index today = row_of.at(date);
    const double frac = double(std::stoll(c[1]) % 86400) / 86400.0;
    auto market = [&](Index col) {
      return panel->prices(today - 1, col) * (1 - frac) + panel->prices(today, col) * frac;
    };
    double pool_price = 0, market_price = 0;  // ETH in USD (stable pools) or BTC in ETH (WBTC/WETH)
    if ((t0 == "USDC" || t0 == "DAI") && t1 == "WETH") pool_price = 1 / h.value.pool_price, market_price = market(1);
    else if (t0 == "WETH" && t1 == "USDT") pool_price = h.value.pool_price, market_price = market(1);
    else if (t0 == "WBTC" && t1 == "WETH") pool_price = h.value.pool_price, market_price = market(0) / market(1);
    else continue;
    if (t1 != "WETH" || t0 != "WBTC") eth_by_block[block].push_back(pool_price);
    const double gap = std::abs(pool_price / market_price - 1);
    worst = std::max(worst, gap);
    CHECK(gap < 0.025);
    ++checked;
  }
  CHECK(checked == 40);  // 4 pairs x 10 blocks
  // Arbitrage keeps the three ETH/stablecoin pools within their no-arbitrage band at each
  // block: two swaps at the 0.3% v2 fee (0.6%) plus the stablecoins' own spread (< 0.15%).
  for (const auto& [block, prices] : eth_by_block) {
    REQUIRE(prices.size() == 3);
    const auto [lo, hi] = std::minmax_element(prices.begin(), prices.end());
    CHECK(*hi / *lo - 1 < 0.0075);
  }
  WARN("worst pool-vs-interpolated-close gap: " << worst);
}
