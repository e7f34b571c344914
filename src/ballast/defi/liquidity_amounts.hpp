// Token amounts of a Uniswap v3 position, in the protocol's own integer arithmetic:
// SqrtPriceMath.getAmount0Delta / getAmount1Delta (rounded down, as a burn pays out) and
// LiquidityAmounts.getAmountsForLiquidity (v3-periphery), which chooses between them by where
// the pool price sits relative to the range.
#pragma once

#include <optional>

#include "ballast/defi/uint256.hpp"

namespace ballast::defi {

struct TokenAmountsRaw {
  U256 amount0;  // token0 base units (wei)
  U256 amount1;
};

// floor(floor(L * 2^96 * (sqrtB - sqrtA) / sqrtB) / sqrtA); the two sqrt prices in either order.
// nullopt when a sqrt price is 0 (the contract's require) or the result overflows.
std::optional<U256> amount0_for_liquidity(U256 sqrt_a_x96, U256 sqrt_b_x96, const U256& liquidity);
// floor(L * (sqrtB - sqrtA) / 2^96).
std::optional<U256> amount1_for_liquidity(U256 sqrt_a_x96, U256 sqrt_b_x96, const U256& liquidity);

// Below the range only token0, above it only token1, inside it both.
std::optional<TokenAmountsRaw> amounts_for_liquidity(const U256& sqrt_price_x96, U256 sqrt_a_x96, U256 sqrt_b_x96,
                                                     const U256& liquidity);

}  // namespace ballast::defi
