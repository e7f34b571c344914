// Uniswap v3 TickMath, bit for bit: sqrt(1.0001^tick) as a Q64.96 number and back.
// Source: Uniswap/v3-core contracts/libraries/TickMath.sol (the same constants).
#pragma once

#include <optional>

#include "ballast/defi/uint256.hpp"

namespace ballast::defi {

inline constexpr int kMinTick = -887272;
inline constexpr int kMaxTick = 887272;

// 4295128739 and 1461446703485210103287273052203988822378723970342 (TickMath.sol).
U256 min_sqrt_ratio();
U256 max_sqrt_ratio();

// getSqrtRatioAtTick; nullopt when |tick| > kMaxTick (the contract reverts with 'T').
std::optional<U256> sqrt_ratio_at_tick(int tick);

// getTickAtSqrtRatio: the greatest tick with sqrt_ratio_at_tick(tick) <= sqrt_price_x96;
// nullopt outside [min_sqrt_ratio, max_sqrt_ratio) (the contract reverts with 'R').
// The contract gets there with a fixed-point log2; this finds the same tick by bisection over
// sqrt_ratio_at_tick, which is exactly the contract's stated postcondition.
std::optional<int> tick_at_sqrt_ratio(const U256& sqrt_price_x96);

}  // namespace ballast::defi
