#include "ballast/defi/liquidity_curve.hpp"

#include <algorithm>
#include <cmath>

namespace ballast::defi {
namespace {

bool full_range(const LiquidityRange& r) { return r.sqrt_lower == 0.0 && std::isinf(r.sqrt_upper); }

// 1/sqrt(pb), which is 0 for the full range.
double inverse_sqrt_upper(const LiquidityRange& r) { return std::isinf(r.sqrt_upper) ? 0.0 : 1.0 / r.sqrt_upper; }

}  // namespace

TokenAmounts curve_amounts(double L, const LiquidityRange& r, double price) {
  const double s = std::sqrt(price);
  TokenAmounts out;
  if (!full_range(r) && s <= r.sqrt_lower) {
    out.amount0 = L * (1.0 / r.sqrt_lower - inverse_sqrt_upper(r));
  } else if (full_range(r) || s < r.sqrt_upper) {
    out.amount0 = L * (1.0 / s - inverse_sqrt_upper(r));
    out.amount1 = L * (s - r.sqrt_lower);
  } else {
    out.amount1 = L * (r.sqrt_upper - r.sqrt_lower);
  }
  return out;
}

TwoTokenGreeks curve_greeks(double L, const LiquidityRange& r, double price, double price1_usd) {
  const TokenAmounts a = curve_amounts(L, r, price);
  const double s = std::sqrt(price);
  const bool inside = full_range(r) || (s > r.sqrt_lower && s < r.sqrt_upper);
  const double dx_dp = inside ? -L / (2.0 * price * s) : 0.0;
  TwoTokenGreeks g;
  g.value_usd = a.amount0 * price * price1_usd + a.amount1 * price1_usd;
  g.delta0 = a.amount0;
  g.delta1 = a.amount1;
  g.gamma00 = dx_dp / price1_usd;
  g.gamma01 = -price * dx_dp / price1_usd;
  g.gamma11 = price * price * dx_dp / price1_usd;
  return g;
}

double impermanent_loss(double L, const LiquidityRange& r, double entry_price, double price0_usd, double price1_usd) {
  const TokenAmounts held = curve_amounts(L, r, entry_price);
  const TokenAmounts now = curve_amounts(L, r, price0_usd / price1_usd);
  const double hold = held.amount0 * price0_usd + held.amount1 * price1_usd;
  const double lp = now.amount0 * price0_usd + now.amount1 * price1_usd;
  return lp / hold - 1.0;
}

double break_even_fee_apr(double L, const LiquidityRange& r, double price, double price1_usd, double move,
                          double horizon_days) {
  const TokenAmounts today = curve_amounts(L, r, price);
  const double value_today = today.amount0 * price * price1_usd + today.amount1 * price1_usd;
  const double moved_price = price * (1.0 + move);
  const TokenAmounts after = curve_amounts(L, r, moved_price);
  const double hold = today.amount0 * moved_price * price1_usd + today.amount1 * price1_usd;
  const double lp = after.amount0 * moved_price * price1_usd + after.amount1 * price1_usd;
  if (value_today <= 0) return 0.0;
  return std::max(0.0, hold - lp) / value_today * 365.0 / horizon_days;
}

}  // namespace ballast::defi
