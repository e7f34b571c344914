// Strategy builders: named position sets sized from a few inputs, returned with their risks
// (the analyze() of the positions they build) and a summary of the carry.
//
//  - delta-neutral carry: spot (or an LST) long + perp short of the same underlying units,
//    with the perp margin sized so that after an adverse move `shock` the price is still
//    `buffer` (relative) below the short's liquidation price:
//      liq = P (1 + shock)(1 + buffer)  with liq = (P + M/q) / (1 + mmr) (isolated short)
//      =>  M = S k,  k = (1 + mmr)(1 + shock)(1 + buffer) - 1,  S + M = capital.
//  - basis trade: spot long + dated future short; annualized basis (F/S - 1)/T and
//    ln(F/S)/T, and the carry after fees and financing.
//  - delta-hedged LP: an LP position + a perp short of its delta in the hedged underlying.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ballast/defi/exposure.hpp"

namespace ballast::defi {

using Summary = std::vector<std::pair<std::string, double>>;  // camelCase name, value

struct StrategyResult {
  std::vector<Position> positions;
  Analysis analysis;
  Summary summary;
};

struct CarrySpec {
  std::string asset;            // spot token or LST (wstETH)
  std::string perp_asset;       // default: the asset's underlying
  double capital_usd = 0.0;
  double shock = 0.0;           // adverse move the short must survive (0.3 = +30%)
  double buffer = 0.0;          // relative distance still left to liquidation after it
  double maintenance_margin_ratio = 0.0;
  double funding_rate = 0.0;    // per interval; positive = the short receives
  double funding_interval_hours = 1.0;
  double staking_apr = 0.0;     // yield of the long leg (LST), per year
  std::string venue = "perp", chain = "ethereum", spot_chain = "ethereum";
};

struct BasisSpec {
  std::string asset;
  double capital_usd = 0.0;
  double future_price = 0.0;
  double expiry_years = 0.0;
  double initial_margin_ratio = 0.1;  // the future's margin, a fraction of its notional
  double fees_bps = 0.0;              // all trading fees, bps of both legs' notional
  double financing_apr = 0.0;         // cost of the capital, per year
  std::string venue = "future", chain = "offchain";
};

struct HedgedLpSpec {
  Position lp;                  // a uniswap-v2 or uniswap-v3 position
  std::string hedge_asset;      // default: the LP's non-stablecoin underlying with the largest |delta|
  double margin_usd = 0.0;
  double maintenance_margin_ratio = 0.0;
  double funding_rate = 0.0;
  double funding_interval_hours = 1.0;
  std::string venue = "perp", chain = "ethereum";
};

// Errors name the request's fields ("capitalUsd", "lp.tickLower").
Result<StrategyResult> delta_neutral_carry(const CarrySpec& spec, const Market& market);
Result<StrategyResult> basis_trade(const BasisSpec& spec, const Market& market);
Result<StrategyResult> delta_hedged_lp(const HedgedLpSpec& spec, const Market& market);

}  // namespace ballast::defi
