// The exposure model and strategy builders. References: hand-worked look-through (stETH on
// Aave counts toward Lido and Aave), delta sums, the carry sizing formula solved by hand, and
// the liquidation price the sized perp lands on (Hyperliquid's formula, see test_perp.cpp).
#include <catch2/catch.hpp>

#include <cmath>

#include "ballast/defi/constraint_rows.hpp"
#include "ballast/defi/exposure.hpp"
#include "ballast/defi/strategies.hpp"

using namespace ballast;
using namespace ballast::defi;

namespace {

Market market() {
  Market m;
  m.prices = {{"ETH", 2000.0}, {"USDC", 0.9995}, {"BTC", 60000.0}};
  m.tokens["wstETH"] = TokenInfo{"ETH", 1.2, "lido", false};
  m.tokens["USDC"] = TokenInfo{"", 1.0, "circle", true};
  return m;
}

Position position(PositionData data, const char* protocol = nullptr) {
  Position p;
  p.data = std::move(data);
  p.protocol = protocol ? protocol : default_protocol(p.data);
  return p;
}

}  // namespace

TEST_CASE("exposure: look-through by protocol and chain, deltas in underlying units", "[defi][exposure]") {
  LendingPosition aave;
  aave.account.supplies = {{"wstETH", 10, 0.785, 0.81, 0.06, true, 0}};
  aave.account.borrows = {{"USDC", 10000, 0}};
  std::vector<Position> book = {position(SpotPosition{"wstETH", 5}), position(aave)};
  auto a = analyze(book, market());
  REQUIRE(a.ok());
  const auto& p = a.value.portfolio;
  // Hand: 5 wstETH = 6 ETH = 12,000 USD at Lido; 10 wstETH = 24,000 USD at Aave and at Lido.
  CHECK(p.protocols.at("lido") == Approx(12000 + 24000));
  CHECK(p.protocols.at("aave-v3") == Approx(24000));
  CHECK(p.chains.at("ethereum") == Approx(36000));
  CHECK(a.value.positions[1].protocols == std::vector<std::string>{"aave-v3", "lido"});
  // Deltas: ETH 6 + 12 units; USDC -10,000 (a stablecoin, its own underlying, not cash).
  CHECK(p.exposures.at("ETH").units == Approx(18));
  CHECK(p.exposures.at("USDC").units == Approx(-10000));
  CHECK(p.exposures.at("USDC").stablecoin);
  // Equity 12,000 + 24,000 - 9,995; leverage counts ETH only: 36,000 / 26,005.
  CHECK(p.equity_usd == Approx(36000 - 9995));
  CHECK(*p.gross_leverage == Approx(36000 / 26005.0));
  // HF by hand: 24,000 * 0.81 / 9,995; ETH liquidates at 9,995 / (12 * 0.81).
  CHECK(p.lowest_health_factor->first == Approx(24000 * 0.81 / 9995));
  REQUIRE(p.nearest_liquidation);
  CHECK(p.nearest_liquidation->point.underlying == "ETH");
  CHECK(p.nearest_liquidation->point.price_usd == Approx(9995 / (12 * 0.81)));
}

TEST_CASE("exposure: a shock revalues every position and the health factor", "[defi][exposure]") {
  LendingPosition aave;
  aave.account.supplies = {{"wstETH", 10, 0.785, 0.81, 0.06, true, 0}};
  aave.account.borrows = {{"USDC", 10000, 0}};
  Market m = market();
  m.shock = {{"ETH", -0.4}};
  auto a = analyze({position(aave)}, m);
  REQUIRE(a.ok());
  const auto& d = std::get<LendingDetails>(a.value.positions[0].details);
  CHECK(*d.health_factor_after_shock == Approx(24000 * 0.6 * 0.81 / 9995));
  CHECK(*a.value.portfolio.equity_after_shock_usd == Approx(24000 * 0.6 - 9995));
}

TEST_CASE("exposure: errors name the position field", "[defi][exposure]") {
  std::vector<Position> book = {position(SpotPosition{"ETH", 1}), position(SpotPosition{"DOGE", 1})};
  auto a = analyze(book, market());
  CHECK(a.error.code == Status::unknown_value);
  CHECK(a.error.field == "positions[1].asset");
  V3LpPosition v3{"USDC", "ETH", {}, std::nullopt, {}};
  v3.position.tick_lower = 10;
  v3.position.tick_upper = -10;
  v3.position.tick = 0;
  auto b = analyze({position(v3)}, market());
  CHECK(b.error.field == "positions[0].tickLower");
}

TEST_CASE("strategy: delta-neutral carry sized to the shock and buffer", "[defi][strategy]") {
  CarrySpec s;
  s.asset = "wstETH";
  s.capital_usd = 100000;
  s.shock = 0.5;
  s.buffer = 0.1;
  s.maintenance_margin_ratio = 0.0125;
  s.funding_rate = 0.0000125;  // per hour, received by the short
  s.staking_apr = 0.03;
  auto r = delta_neutral_carry(s, market());
  REQUIRE(r.ok());
  // Hand: k = 1.0125 * 1.5 * 1.1 - 1 = 0.670625; spot = 100,000 / 1.670625 = 59,857.81.
  const double k = 1.0125 * 1.5 * 1.1 - 1, spot = 100000 / (1 + k);
  const auto& perp = std::get<PerpPosition>(r.value.positions[1].data);
  CHECK(std::get<SpotPosition>(r.value.positions[0].data).amount == Approx(spot / 2400));
  CHECK(perp.size == Approx(-spot / 2000));
  CHECK(perp.margin == Approx(100000 - spot));
  // The short's liquidation price is P (1 + shock)(1 + buffer) = 3,300.
  const auto& risk = std::get<PerpRisk>(r.value.analysis.positions[1].details);
  CHECK(*risk.liquidation_price == Approx(3300).epsilon(1e-12));
  // Delta neutral: wstETH long and ETH short cancel in ETH units.
  CHECK(r.value.analysis.portfolio.exposures.at("ETH").units == Approx(0).margin(1e-9));
}

TEST_CASE("strategy: basis trade annualizes the basis and nets fees", "[defi][strategy]") {
  BasisSpec s;
  s.asset = "BTC";
  s.capital_usd = 61000 + 6300;  // buys 1 BTC and posts 10% of F = 63,000
  s.future_price = 63000;
  s.expiry_years = 0.25;
  s.fees_bps = 10;
  auto r = basis_trade(s, market());
  REQUIRE(r.ok());
  auto get = [&](const char* key) -> double {
    for (const auto& [k, v] : r.value.summary)
      if (k == key) return v;
    return NAN;
  };
  CHECK(get("spotAmount") == Approx((61000 + 6300) / (60000 + 6300.0)));
  CHECK(get("annualizedBasis") == Approx(0.05 / 0.25));
  CHECK(get("annualizedBasisLog") == Approx(std::log(1.05) / 0.25));
  const double q = get("spotAmount");
  CHECK(get("netCarryUsd") == Approx(q * 3000 - 0.001 * q * 123000));
  CHECK(r.value.analysis.portfolio.exposures.at("BTC").units == Approx(0).margin(1e-12));
}

TEST_CASE("strategy: delta-hedged LP is flat in its volatile token", "[defi][strategy]") {
  V2LpPosition v2;
  v2.token0 = "ETH";
  v2.token1 = "USDC";
  v2.pool = {1000, 2000000, 10, 100};  // 10% of a 1,000 ETH / 2,000,000 USDC pool
  HedgedLpSpec s;
  s.lp = position(v2);
  s.margin_usd = 20000;
  s.maintenance_margin_ratio = 0.01;
  auto r = delta_hedged_lp(s, market());
  REQUIRE(r.ok());
  CHECK(std::get<PerpPosition>(r.value.positions[1].data).size == Approx(-100));
  CHECK(r.value.analysis.portfolio.exposures.at("ETH").units == Approx(0).margin(1e-9));
  CHECK(r.value.analysis.portfolio.exposures.at("ETH").gamma < 0);  // the LP's short gamma stays
}

TEST_CASE("constraint rows: health-factor floor after a shock is linear in the weights", "[defi][exposure]") {
  // Assets: wstETH collateral (LT 0.81), USDC debt (weight <= 0), BTC on another chain.
  std::vector<std::string> assets = {"wstETH-aave", "USDC-debt", "BTC"};
  std::vector<AssetProfile> profiles(3);
  profiles[0] = {{"aave-v3", "lido"}, "ethereum", 0.81, false, "ETH"};
  profiles[1] = {{"aave-v3"}, "ethereum", std::nullopt, true, "USDC"};
  profiles[2] = {{}, "bitcoin", std::nullopt, false, ""};
  ExposureLimits limits;
  limits.protocol_caps = {{"lido", 0.5}};
  limits.health_factor_floor = HealthFactorFloor{1.5, {{"ETH", -0.3}}};
  limits.max_leverage = 2.0;
  auto rows = exposure_rows(assets, profiles, limits, "constraints.defi");
  REQUIRE(rows.ok());
  REQUIRE(rows.value.size() == 3);
  CHECK(rows.value[0].coefficients == std::vector<double>{1, 0, 0});
  // Hand: 0.81 * 0.7 w0 + 1.5 * 1 * w1 >= 0.
  CHECK(rows.value[1].coefficients[0] == Approx(0.81 * 0.7));
  CHECK(rows.value[1].coefficients[1] == Approx(1.5));
  CHECK(rows.value[1].min == 0);
  // At w = (1, -0.3, 0.3): HF after shock = 0.81 * 0.7 / 0.3 = 1.89 >= 1.5, row value 0.117 >= 0.
  const double row = 0.81 * 0.7 * 1 + 1.5 * -0.3;
  CHECK(row == Approx(0.117));
  CHECK(rows.value[2].coefficients == std::vector<double>{1, 0, 1});
  limits.protocol_caps = {{"compound", 0.5}};
  CHECK(exposure_rows(assets, profiles, limits, "constraints.defi").error.field == "constraints.defi.protocolCaps.compound");
}
