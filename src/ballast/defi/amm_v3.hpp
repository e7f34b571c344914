// Uniswap v3 concentrated-liquidity position: exact token amounts from the protocol's own
// integer math (tick_math, liquidity_amounts), then the float curve for value and Greeks.
#pragma once

#include <optional>
#include <string>

#include "ballast/core/result.hpp"
#include "ballast/defi/liquidity_amounts.hpp"
#include "ballast/defi/liquidity_curve.hpp"
#include "ballast/defi/uint256.hpp"

namespace ballast::defi {

struct V3Position {
  U256 liquidity;                    // uint128, as positions(tokenId) returns it
  int tick_lower = 0, tick_upper = 0;
  std::optional<U256> sqrt_price_x96;  // slot0.sqrtPriceX96; or
  std::optional<int> tick;             // the current tick (price = getSqrtRatioAtTick(tick))
  int decimals0 = 18, decimals1 = 18;
};

struct V3Holdings {
  TokenAmountsRaw raw;              // exact, base units
  double amount0 = 0.0, amount1 = 0.0;  // human units, correctly rounded from raw
  U256 sqrt_price_x96;
  int tick = 0;                     // the pool tick: getTickAtSqrtRatio(sqrtPriceX96)
  bool in_range = false;            // tickLower <= tick < tickUpper (the liquidity is active)
  double pool_price = 0.0;          // token1 per token0, human units
  double price_lower = 0.0, price_upper = 0.0;  // at tickLower / tickUpper, human units
  double liquidity = 0.0;           // human units: L / 10^((d0 + d1) / 2)
  LiquidityRange range;             // sqrt of the human range prices
};

// Errors name `<field>.liquidity` (above uint128), `.tickLower`, `.tickUpper` (outside
// [MIN_TICK, MAX_TICK], or lower >= upper), `.sqrtPriceX96` (outside [MIN_SQRT_RATIO,
// MAX_SQRT_RATIO)), `.tick`, `.decimals0`, `.decimals1`.
Result<V3Holdings> v3_holdings(const V3Position& position, const std::string& field);

}  // namespace ballast::defi
