#include "ballast/defi/tick_math.hpp"

#include <cstdlib>
#include <string_view>

namespace ballast::defi {
namespace {

U256 from_hex(std::string_view hex) {
  U256 r;
  for (char c : hex) {
    const std::uint32_t digit = c <= '9' ? std::uint32_t(c - '0') : std::uint32_t(c - 'a' + 10);
    r = shift_left(r, 4);
    r.limb[0] |= digit;
  }
  return r;
}

// The factors sqrt(1.0001^-(2^k)) in Q128.128 for k = 1..19, as in TickMath.sol.
const char* const kFactors[] = {
    "fff97272373d413259a46990580e213a", "fff2e50f5f656932ef12357cf3c7fdcc", "ffe5caca7e10e4e61c3624eaa0941cd0",
    "ffcb9843d60f6159c9db58835c926644", "ff973b41fa98c081472e6896dfb254c0", "ff2ea16466c96a3843ec78b326b52861",
    "fe5dee046a99a2a811c461f1969c3053", "fcbe86c7900a88aedcffc83b479aa3a4", "f987a7253ac413176f2b074cf7815e54",
    "f3392b0822b70005940c7a398e4b70f3", "e7159475a2c29b7443b29c7fa6e889d9", "d097f3bdfd2022b8845ad8f792aa5825",
    "a9f746462d870fdf8a65dc1f90e061e5", "70d869a156d2a1b890bb3df62baf32f7", "31be135f97d08fd981231505542fcfa6",
    "9aa508b5b7a84e1c677de54f3e99bc9",  "5d6af8dedb81196699c329225ee604",   "2216e584f5fa1ea926041bedfe98",
    "48a170391f7dc42444e8fa2",
};

}  // namespace

U256 min_sqrt_ratio() { return U256::from_u64(4295128739ull); }
U256 max_sqrt_ratio() { return *parse_u256("1461446703485210103287273052203988822378723970342"); }

std::optional<U256> sqrt_ratio_at_tick(int tick) {
  const unsigned abs_tick = static_cast<unsigned>(tick < 0 ? -static_cast<long>(tick) : tick);
  if (abs_tick > static_cast<unsigned>(kMaxTick)) return std::nullopt;
  U256 ratio = (abs_tick & 1u) ? from_hex("fffcb933bd6fad37aa2d162d1a594001") : U256::power_of_two(128);
  for (int k = 1; k < 20; ++k)
    if (abs_tick & (1u << k)) ratio = resize<8>(shift_right(mul_wide(ratio, from_hex(kFactors[k - 1])), 128));
  if (tick > 0) {
    U256 q, r;
    divmod(U256::max(), ratio, q, r);
    ratio = q;
  }
  // Q128.128 -> Q128.96, rounding up so that tick_at_sqrt_ratio of the result is `tick`.
  const bool has_fraction = (ratio.limb[0] != 0);
  U256 out = shift_right(ratio, 32);
  if (has_fraction) {
    bool carry = false;
    out = add(out, U256::from_u64(1), carry);
  }
  return out;
}

std::optional<int> tick_at_sqrt_ratio(const U256& sqrt_price_x96) {
  if (sqrt_price_x96 < min_sqrt_ratio() || sqrt_price_x96 >= max_sqrt_ratio()) return std::nullopt;
  // Invariant: ratio(lo) <= s < ratio(hi). ratio() increases strictly with the tick.
  int lo = kMinTick, hi = kMaxTick;
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    if (*sqrt_ratio_at_tick(mid) <= sqrt_price_x96) lo = mid;
    else hi = mid;
  }
  return lo;
}

}  // namespace ballast::defi
