// The float-side math of an AMM liquidity position, shared by constant product (Uniswap v2:
// the full range) and concentrated liquidity (Uniswap v3: a range [pa, pb]).
//
// Prices p are token1 per token0 in human units; L is the position's liquidity in human
// units (sqrt(token0 * token1)). From the v3 whitepaper (eq. 6.29, 6.30):
//   p <= pa:      x = L (1/sqrt(pa) - 1/sqrt(pb)),  y = 0
//   pa < p < pb:  x = L (1/sqrt(p)  - 1/sqrt(pb)),  y = L (sqrt(p) - sqrt(pa))
//   p >= pb:      x = 0,                            y = L (sqrt(pb) - sqrt(pa))
// with pa = 0, pb = inf for v2 (x = L/sqrt(p), y = L sqrt(p), x*y = L^2 = k).
//
// Greeks are taken with respect to the USD prices P0, P1 of the two tokens, the pool being
// arbitraged to p = P0/P1: V = x(p) P0 + y(p) P1. Because dy/dp = -p dx/dp along the curve,
//   dV/dP0 = x,  dV/dP1 = y,
//   d2V/dP0^2 = x'(p)/P1,  d2V/dP0dP1 = -p x'(p)/P1,  d2V/dP1^2 = p^2 x'(p)/P1,
// with x'(p) = -L / (2 p^{3/2}) inside the range and 0 outside it.
#pragma once

namespace ballast::defi {

struct LiquidityRange {
  double sqrt_lower = 0.0;  // sqrt(pa); 0 for the full range
  double sqrt_upper = 0.0;  // sqrt(pb); +inf for the full range
};

struct TokenAmounts {
  double amount0 = 0.0;
  double amount1 = 0.0;
};

// Value, first and second derivatives of a two-token position w.r.t. the USD prices P0, P1.
struct TwoTokenGreeks {
  double value_usd = 0.0;
  double delta0 = 0.0, delta1 = 0.0;                   // token units
  double gamma00 = 0.0, gamma01 = 0.0, gamma11 = 0.0;  // USD per USD^2
};

TokenAmounts curve_amounts(double liquidity, const LiquidityRange& range, double price);
// Greeks at pool price `price`, with token1 worth price1_usd (token0 then worth price*price1_usd).
TwoTokenGreeks curve_greeks(double liquidity, const LiquidityRange& range, double price, double price1_usd);

// LP value / value of holding the tokens deposited at entry_price, minus 1, both at the
// current USD prices (<= 0; fees not included).
double impermanent_loss(double liquidity, const LiquidityRange& range, double entry_price, double price0_usd,
                        double price1_usd);

// The fee APR, on today's value, that makes the LP earn back what it loses against holding
// today's tokens when token0's USD price moves by `move` (0.2 = +20%, token1's price fixed)
// within `horizon_days`. 0 when the move costs nothing (e.g. outside the range).
double break_even_fee_apr(double liquidity, const LiquidityRange& range, double price, double price1_usd,
                          double move, double horizon_days);

}  // namespace ballast::defi
