// Aave-style lending account. References: health factor, borrowing power and liquidation
// prices worked by hand from the Aave v2 Ethereum launch parameters in ../shared/data
// (WETH 80/82.5/105, USDC 80/85/105, WBTC 70/75/110), and the v3.3 close factor constants.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>

#include "ballast/defi/lending.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::defi;

namespace {

struct Params {
  double ltv, lt, bonus;
};

std::map<std::string, Params> aave_v2_params() {
  std::map<std::string, Params> out;
  auto path = ballast::test::shared_data("aave_v2_ethereum_genesis_reserve_params.csv");
  if (!path) return out;
  std::ifstream in(*path);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    auto c = ballast::test::split_csv_line(line);
    const double bonus_bps = std::stod(c[4]);
    out[c[0]] = {std::stod(c[2]) / 1e4, std::stod(c[3]) / 1e4, bonus_bps > 0 ? bonus_bps / 1e4 - 1 : 0};
  }
  return out;
}

TokenQuote usd(const char* underlying, double price) {
  TokenQuote q;
  q.underlying = underlying;
  q.underlying_price_usd = price;
  return q;
}

Supply supply(const char* asset, double amount, const Params& p) { return {asset, amount, p.ltv, p.lt, p.bonus, true, 0}; }

}  // namespace

TEST_CASE("real data: health factor worked by hand with Aave v2 launch parameters", "[defi][lending][real_data]") {
  auto params = aave_v2_params();
  BALLAST_SKIP_WITHOUT_DATA(!params.empty());
  REQUIRE(params["WETH"].lt == 0.825);
  REQUIRE(params["USDC"].ltv == 0.8);
  // 10 WETH at 2,000 and 5,000 USDC at 1 supplied; 10,000 DAI borrowed.
  LendingAccount a;
  a.supplies = {supply("WETH", 10, params["WETH"]), supply("USDC", 5000, params["USDC"])};
  a.borrows = {{"DAI", 10000, 0}};
  REQUIRE(validate(a, "positions[0]").ok());
  const LendingSummary s = lending_summary(a, {usd("ETH", 2000), usd("USDC", 1)}, {usd("DAI", 1)});
  // Hand: (20,000 * 0.825 + 5,000 * 0.85) / 10,000 = 20,750 / 10,000.
  CHECK(*s.health_factor == Approx(2.075).epsilon(1e-15));
  // Hand: 20,000 * 0.80 + 5,000 * 0.80 - 10,000 = 10,000.
  CHECK(s.borrowing_power_left_usd == Approx(10000).epsilon(1e-15));
  // Hand: ETH price with USDC fixed at HF = 1: (10,000 - 4,250) / (10 * 0.825) = 696.9697.
  REQUIRE(s.liquidation_prices.at("ETH"));
  CHECK(s.liquidation_prices.at("ETH")->price_usd == Approx(5750.0 / 8.25).epsilon(1e-15));
  CHECK(s.liquidation_prices.at("ETH")->move == Approx(5750.0 / 8.25 / 2000 - 1).epsilon(1e-14));
  // DAI (debt) rising: (20,750) / 10,000 = 2.075 x its price.
  CHECK(s.liquidation_prices.at("DAI")->price_usd == Approx(2.075).epsilon(1e-15));
  // USDC alone cannot liquidate it: even at 0, ETH covers 16,500 > 10,000.
  CHECK_FALSE(s.liquidation_prices.at("USDC"));
  CHECK(s.close_factor == 0);
  // A 50% ETH drop: (10,000 * 0.825 + 4,250) / 10,000 = 1.25.
  const LendingSummary shocked = lending_summary(a, {usd("ETH", 1000), usd("USDC", 1)}, {usd("DAI", 1)});
  CHECK(*shocked.health_factor == Approx(1.25).epsilon(1e-15));
}

TEST_CASE("real data: WBTC collateral, close factors at 0.95 and the $2,000 floor", "[defi][lending][real_data]") {
  auto params = aave_v2_params();
  BALLAST_SKIP_WITHOUT_DATA(!params.empty());
  REQUIRE(params["WBTC"].bonus == Approx(0.10));
  LendingAccount a;
  a.supplies = {supply("WBTC", 1, params["WBTC"])};
  a.borrows = {{"USDC", 20000, 0}};
  // Hand: HF = 1 at 20,000 / 0.75 = 26,666.67.
  auto at = [&](double btc) { return lending_summary(a, {usd("BTC", btc)}, {usd("USDC", 1)}); };
  CHECK(at(30000).liquidation_prices.at("BTC")->price_usd == Approx(20000 / 0.75).epsilon(1e-15));
  CHECK(*at(26000).health_factor == Approx(0.975));
  CHECK(at(26000).close_factor == kDefaultLiquidationCloseFactor);  // 0.95 < HF < 1: 50%
  CHECK(at(25000).close_factor == 1.0);                             // HF 0.9375 <= 0.95: 100%
  a.borrows = {{"USDC", 1500, 0}};                                   // debt below $2,000
  CHECK(at(1900).close_factor == 1.0);
  // No debt: no health factor, no liquidation price.
  a.borrows.clear();
  CHECK_FALSE(at(30000).health_factor);
  CHECK_FALSE(at(30000).liquidation_prices.at("BTC"));
}

TEST_CASE("e-mode: assets in the account's category use its parameters", "[defi][lending]") {
  // ETH-correlated e-mode as on Aave v3 Ethereum: LTV 93%, LT 95%, bonus 1% (hand example).
  LendingAccount a;
  a.supplies = {{"wstETH", 10, 0.785, 0.81, 0.06, true, 1}};
  a.borrows = {{"WETH", 10, 1}};
  a.emode = EmodeCategory{1, 0.93, 0.95, 0.01};
  TokenQuote wst = usd("ETH", 2000);
  wst.exchange_rate = 1.2;
  const LendingSummary s = lending_summary(a, {wst}, {usd("ETH", 2000)});
  // Hand: 10 * 1.2 * 2000 * 0.95 / (10 * 2000) = 1.14.
  CHECK(*s.health_factor == Approx(1.14).epsilon(1e-15));
  // ETH on both sides: a_u = 11.4, b_u = 10 units; HF = 11.4/10 at any ETH price.
  CHECK_FALSE(s.liquidation_prices.at("ETH"));
  a.emode.reset();
  CHECK(*lending_summary(a, {wst}, {usd("ETH", 2000)}).health_factor == Approx(12 * 0.81 / 10).epsilon(1e-15));
}

TEST_CASE("lending: bad parameters are refused by field", "[defi][lending]") {
  LendingAccount a;
  a.supplies = {{"WETH", 1, 0.9, 0.8, 0.05, true, 0}};
  CHECK(validate(a, "positions[1]").field == "positions[1].supplies[0].ltv");
  a.supplies[0] = {"WETH", -1, 0.8, 0.825, 0.05, true, 0};
  CHECK(validate(a, "positions[1]").field == "positions[1].supplies[0].amount");
  a.supplies[0] = {"WETH", 1, 0.8, 8250, 0.05, true, 0};
  CHECK(validate(a, "positions[1]").field == "positions[1].supplies[0].liquidationThreshold");
}
