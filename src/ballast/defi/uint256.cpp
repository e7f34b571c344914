#include "ballast/defi/uint256.hpp"

#include <cstdlib>

namespace ballast::defi {

std::optional<U256> parse_u256(std::string_view digits) {
  if (digits.empty() || digits.size() > 78) return std::nullopt;  // 2^256 has 78 digits
  WideUint<9> value;  // one spare limb catches the overflow
  const WideUint<9> ten = WideUint<9>::from_u64(10);
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    WideUint<18> wide = mul_wide(value, ten);
    value = resize<9>(wide);
    bool carry = false;
    value = add(value, WideUint<9>::from_u64(static_cast<std::uint64_t>(c - '0')), carry);
    if (value.limb[8] != 0) return std::nullopt;
  }
  return resize<8>(value);
}

std::string to_decimal(const U256& value) {
  if (value.is_zero()) return "0";
  std::string out;
  U256 v = value;
  while (!v.is_zero()) {
    // Divide by 10^9 limb by limb (a 32-bit divisor needs no long division).
    std::uint64_t rest = 0;
    for (std::size_t k = 8; k-- > 0;) {
      std::uint64_t cur = (rest << 32) | v.limb[k];
      v.limb[k] = static_cast<std::uint32_t>(cur / 1000000000u);
      rest = cur % 1000000000u;
    }
    std::string chunk = std::to_string(rest);
    if (!v.is_zero()) chunk.insert(0, 9 - chunk.size(), '0');
    out.insert(0, chunk);
  }
  return out;
}

double to_double(const U256& value, int decimals) {
  // strtod rounds correctly; going through the exact decimal string keeps it exact.
  const std::string text = to_decimal(value) + "e-" + std::to_string(decimals);
  return std::strtod(text.c_str(), nullptr);
}

std::optional<U256> mul_div(const U256& a, const U256& b, const U256& d) {
  if (d.is_zero()) return std::nullopt;
  U512 q, r;
  divmod(mul_wide(a, b), resize<16>(d), q, r);
  if (!fits_bits(q, 256)) return std::nullopt;
  return resize<8>(q);
}

std::optional<U256> mul_div_rounding_up(const U256& a, const U256& b, const U256& d) {
  if (d.is_zero()) return std::nullopt;
  U512 q, r;
  divmod(mul_wide(a, b), resize<16>(d), q, r);
  if (!r.is_zero()) {
    bool carry = false;
    q = add(q, U512::from_u64(1), carry);
  }
  if (!fits_bits(q, 256)) return std::nullopt;
  return resize<8>(q);
}

}  // namespace ballast::defi
