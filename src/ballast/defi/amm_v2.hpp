// Uniswap v2 style constant-product LP: what an LP share holds, and its closed forms.
// The position is the full-range liquidity curve (liquidity_curve.hpp) with L = sqrt(x*y).
#pragma once

#include <cmath>
#include <string>

#include "ballast/core/result.hpp"
#include "ballast/defi/liquidity_curve.hpp"

namespace ballast::defi {

struct V2Position {
  double reserve0 = 0.0, reserve1 = 0.0;  // pool reserves, human units
  double lp_amount = 0.0, lp_supply = 0.0;
};

struct V2Holdings {
  double share = 0.0;  // lp_amount / lp_supply
  double amount0 = 0.0, amount1 = 0.0;
  double liquidity = 0.0;   // sqrt(amount0 * amount1)
  double pool_price = 0.0;  // reserve1 / reserve0, token1 per token0
};

// Errors name `<field>.reserve0`, `.reserve1`, `.lpAmount`, `.lpSupply`.
Result<V2Holdings> v2_holdings(const V2Position& position, const std::string& field);

inline LiquidityRange full_range() { return {0.0, HUGE_VAL}; }

// Closed forms of the arbitraged constant-product pool (independent of the curve code):
// value 2 sqrt(k P0 P1); impermanent loss 2 sqrt(r)/(1+r) - 1 for a price-ratio change r.
double v2_value(double k, double price0_usd, double price1_usd);
double v2_impermanent_loss(double price_ratio_change);

}  // namespace ballast::defi
