// Exact unsigned integers of 256 bits (and the 512-bit products FullMath needs), for the
// Uniswap v3 fixed-point arithmetic. Solidity's uint256 wraps silently; here every
// operation that could overflow says so, and decimal strings are the only way in and out
// (JSON numbers cannot carry 160-bit values).
//
// Limbs are 32 bits, little-endian, so the same code runs natively and in WASM with plain
// 64-bit intermediates (no __int128).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ballast::defi {

template <std::size_t Limbs>
struct WideUint {
  std::array<std::uint32_t, Limbs> limb{};  // limb[0] is the least significant

  static WideUint from_u64(std::uint64_t v) {
    WideUint r;
    r.limb[0] = static_cast<std::uint32_t>(v);
    if constexpr (Limbs > 1) r.limb[1] = static_cast<std::uint32_t>(v >> 32);
    return r;
  }
  // 2^bit (bit < 32 * Limbs).
  static WideUint power_of_two(int bit) {
    WideUint r;
    r.limb[static_cast<std::size_t>(bit / 32)] = 1u << (bit % 32);
    return r;
  }
  static WideUint max() {
    WideUint r;
    r.limb.fill(0xffffffffu);
    return r;
  }
  bool is_zero() const {
    for (std::uint32_t w : limb)
      if (w) return false;
    return true;
  }
  bool bit(int i) const { return (limb[static_cast<std::size_t>(i / 32)] >> (i % 32)) & 1u; }
  // Index of the highest set bit, -1 for zero.
  int top_bit() const {
    for (std::size_t k = Limbs; k-- > 0;)
      if (limb[k])
        for (int b = 31; b >= 0; --b)
          if ((limb[k] >> b) & 1u) return static_cast<int>(k) * 32 + b;
    return -1;
  }
};

template <std::size_t L>
int compare(const WideUint<L>& a, const WideUint<L>& b) {
  for (std::size_t k = L; k-- > 0;)
    if (a.limb[k] != b.limb[k]) return a.limb[k] < b.limb[k] ? -1 : 1;
  return 0;
}
template <std::size_t L> bool operator==(const WideUint<L>& a, const WideUint<L>& b) { return compare(a, b) == 0; }
template <std::size_t L> bool operator!=(const WideUint<L>& a, const WideUint<L>& b) { return compare(a, b) != 0; }
template <std::size_t L> bool operator<(const WideUint<L>& a, const WideUint<L>& b) { return compare(a, b) < 0; }
template <std::size_t L> bool operator<=(const WideUint<L>& a, const WideUint<L>& b) { return compare(a, b) <= 0; }
template <std::size_t L> bool operator>(const WideUint<L>& a, const WideUint<L>& b) { return compare(a, b) > 0; }
template <std::size_t L> bool operator>=(const WideUint<L>& a, const WideUint<L>& b) { return compare(a, b) >= 0; }

// a + b; `carry` is set when the sum does not fit.
template <std::size_t L>
WideUint<L> add(const WideUint<L>& a, const WideUint<L>& b, bool& carry) {
  WideUint<L> r;
  std::uint64_t c = 0;
  for (std::size_t k = 0; k < L; ++k) {
    c += std::uint64_t(a.limb[k]) + b.limb[k];
    r.limb[k] = static_cast<std::uint32_t>(c);
    c >>= 32;
  }
  carry = c != 0;
  return r;
}

// a - b for a >= b (the caller checks; Solidity 0.7 would wrap).
template <std::size_t L>
WideUint<L> sub(const WideUint<L>& a, const WideUint<L>& b) {
  WideUint<L> r;
  std::int64_t borrow = 0;
  for (std::size_t k = 0; k < L; ++k) {
    std::int64_t d = std::int64_t(a.limb[k]) - b.limb[k] - borrow;
    borrow = d < 0;
    r.limb[k] = static_cast<std::uint32_t>(d + (borrow << 32));
  }
  return r;
}

// The full product, twice as wide: never overflows.
template <std::size_t L>
WideUint<2 * L> mul_wide(const WideUint<L>& a, const WideUint<L>& b) {
  WideUint<2 * L> r;
  for (std::size_t i = 0; i < L; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < L; ++j) {
      std::uint64_t t = std::uint64_t(a.limb[i]) * b.limb[j] + r.limb[i + j] + carry;
      r.limb[i + j] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    r.limb[i + L] = static_cast<std::uint32_t>(carry);
  }
  return r;
}

template <std::size_t L>
WideUint<L> shift_left(const WideUint<L>& a, int bits) {
  WideUint<L> r;
  const int words = bits / 32, rest = bits % 32;
  for (int k = static_cast<int>(L) - 1; k >= words; --k) {
    std::uint64_t v = std::uint64_t(a.limb[static_cast<std::size_t>(k - words)]) << rest;
    if (rest && k - words - 1 >= 0) v |= a.limb[static_cast<std::size_t>(k - words - 1)] >> (32 - rest);
    r.limb[static_cast<std::size_t>(k)] = static_cast<std::uint32_t>(v);
  }
  return r;
}

template <std::size_t L>
WideUint<L> shift_right(const WideUint<L>& a, int bits) {
  WideUint<L> r;
  const int words = bits / 32, rest = bits % 32;
  for (int k = 0; k + words < static_cast<int>(L); ++k) {
    std::uint64_t v = a.limb[static_cast<std::size_t>(k + words)] >> rest;
    if (rest && k + words + 1 < static_cast<int>(L))
      v |= std::uint64_t(a.limb[static_cast<std::size_t>(k + words + 1)]) << (32 - rest);
    r.limb[static_cast<std::size_t>(k)] = static_cast<std::uint32_t>(v);
  }
  return r;
}

// Zero-extends or truncates to another width.
template <std::size_t To, std::size_t From>
WideUint<To> resize(const WideUint<From>& a) {
  WideUint<To> r;
  for (std::size_t k = 0; k < To && k < From; ++k) r.limb[k] = a.limb[k];
  return r;
}

// True when `a` fits in `bits` bits.
template <std::size_t L>
bool fits_bits(const WideUint<L>& a, int bits) { return a.top_bit() < bits; }

// Quotient and remainder of a / d (d != 0), by shift-and-subtract.
template <std::size_t L>
void divmod(const WideUint<L>& a, const WideUint<L>& d, WideUint<L>& quotient, WideUint<L>& remainder) {
  WideUint<L + 1> r, dd = resize<L + 1>(d);
  quotient = WideUint<L>{};
  for (int i = a.top_bit(); i >= 0; --i) {
    r = shift_left(r, 1);
    r.limb[0] |= a.bit(i) ? 1u : 0u;
    if (r >= dd) {
      r = sub(r, dd);
      quotient.limb[static_cast<std::size_t>(i / 32)] |= 1u << (i % 32);
    }
  }
  remainder = resize<L>(r);
}

using U256 = WideUint<8>;
using U512 = WideUint<16>;

// A non-empty string of decimal digits (no sign, no spaces) that fits in 256 bits.
std::optional<U256> parse_u256(std::string_view digits);
std::string to_decimal(const U256& value);
// Correctly rounded: the nearest double to value * 10^-decimals.
double to_double(const U256& value, int decimals = 0);

// FullMath.mulDiv / mulDivRoundingUp: floor (or ceil) of a*b/d with a 512-bit product;
// nullopt when d is 0 or the result does not fit in 256 bits (where Solidity reverts).
std::optional<U256> mul_div(const U256& a, const U256& b, const U256& d);
std::optional<U256> mul_div_rounding_up(const U256& a, const U256& b, const U256& d);

}  // namespace ballast::defi
