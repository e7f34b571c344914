#include "ballast/defi/liquidity_amounts.hpp"

#include <utility>

namespace ballast::defi {

std::optional<U256> amount0_for_liquidity(U256 a, U256 b, const U256& liquidity) {
  if (a > b) std::swap(a, b);
  if (a.is_zero()) return std::nullopt;
  if (!fits_bits(liquidity, 128)) return std::nullopt;
  const std::optional<U256> scaled = mul_div(shift_left(liquidity, 96), sub(b, a), b);
  if (!scaled) return std::nullopt;
  U256 q, r;
  divmod(*scaled, a, q, r);
  return q;
}

std::optional<U256> amount1_for_liquidity(U256 a, U256 b, const U256& liquidity) {
  if (a > b) std::swap(a, b);
  if (!fits_bits(liquidity, 128)) return std::nullopt;
  return mul_div(liquidity, sub(b, a), U256::power_of_two(96));
}

std::optional<TokenAmountsRaw> amounts_for_liquidity(const U256& price, U256 a, U256 b, const U256& liquidity) {
  if (a > b) std::swap(a, b);
  TokenAmountsRaw out;
  if (price <= a) {
    auto x = amount0_for_liquidity(a, b, liquidity);
    if (!x) return std::nullopt;
    out.amount0 = *x;
  } else if (price < b) {
    auto x = amount0_for_liquidity(price, b, liquidity);
    auto y = amount1_for_liquidity(a, price, liquidity);
    if (!x || !y) return std::nullopt;
    out.amount0 = *x;
    out.amount1 = *y;
  } else {
    auto y = amount1_for_liquidity(a, b, liquidity);
    if (!y) return std::nullopt;
    out.amount1 = *y;
  }
  return out;
}

}  // namespace ballast::defi
