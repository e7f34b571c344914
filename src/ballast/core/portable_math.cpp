#include "ballast/core/portable_math.hpp"

#include <cstdint>
#include <cstring>
#include <limits>

namespace ballast {

namespace {

std::uint64_t bits_of(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

double from_bits(std::uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

std::int32_t high_word(double x) { return static_cast<std::int32_t>(bits_of(x) >> 32); }
std::uint32_t low_word(double x) { return static_cast<std::uint32_t>(bits_of(x)); }

double with_high_word(double x, std::int32_t hi) {
  return from_bits((static_cast<std::uint64_t>(static_cast<std::uint32_t>(hi)) << 32) | low_word(x));
}

constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000
constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76

}  // namespace

double portable_exp(double x) {
  constexpr double kOverflow = 7.09782712893383973096e+02;
  constexpr double kUnderflow = -7.45133219101941108420e+02;
  constexpr double kInvLn2 = 1.44269504088896338700e+00;
  constexpr double kTwoM1000 = 9.33263618503218878990e-302;  // 2^-1000
  constexpr double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
                   P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
                   P5 = 4.13813679705723846039e-08;
  const std::int32_t hx_signed = high_word(x);
  const bool negative = hx_signed < 0;
  const std::uint32_t hx = static_cast<std::uint32_t>(hx_signed) & 0x7fffffffu;

  if (hx >= 0x40862E42u) {  // |x| >= 709.78..., or NaN / Inf
    if (hx >= 0x7ff00000u) {
      if (((hx & 0xfffffu) | low_word(x)) != 0) return x + x;  // NaN
      return negative ? 0.0 : x;                              // exp(+-inf) = inf, 0
    }
    if (x > kOverflow) return std::numeric_limits<double>::infinity();
    if (x < kUnderflow) return 0.0;
  }
  double hi = 0.0, lo = 0.0;
  int k = 0;
  if (hx > 0x3fd62e42u) {  // |x| > 0.5 ln2: reduce x = k ln2 + r, |r| <= 0.5 ln2
    if (hx < 0x3FF0A2B2u) {  // |x| < 1.5 ln2
      hi = negative ? x + kLn2Hi : x - kLn2Hi;
      lo = negative ? -kLn2Lo : kLn2Lo;
      k = negative ? -1 : 1;
    } else {
      k = static_cast<int>(kInvLn2 * x + (negative ? -0.5 : 0.5));
      const double t = k;
      hi = x - t * kLn2Hi;
      lo = t * kLn2Lo;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000u) {  // |x| < 2^-28
    return 1.0 + x;
  }
  const double t = x * x;
  const double c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const double y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  // Scale by 2^k through the exponent field (k * 2^20 is k << 20 without shifting a
  // negative value, which C++17 leaves undefined).
  constexpr std::int32_t kExponentUnit = 0x100000;
  if (k >= -1021) return with_high_word(y, high_word(y) + k * kExponentUnit);
  return with_high_word(y, high_word(y) + (k + 1000) * kExponentUnit) * kTwoM1000;
}

double portable_log(double x) {
  constexpr double kTwo54 = 1.80143985094819840000e+16;
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                   Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                   Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  std::int32_t hx = high_word(x);
  const std::uint32_t lx = low_word(x);
  int k = 0;
  if (hx < 0x00100000) {  // x < 2^-1022
    if (((hx & 0x7fffffff) | static_cast<std::int32_t>(lx)) == 0) return -std::numeric_limits<double>::infinity();
    if (hx < 0) return std::numeric_limits<double>::quiet_NaN();
    k -= 54;  // subnormal: scale up
    x *= kTwo54;
    hx = high_word(x);
  }
  if (hx >= 0x7ff00000) return x + x;  // inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const std::int32_t i = (hx + 0x95f64) & 0x100000;
  x = with_high_word(x, hx | (i ^ 0x3ff00000));  // normalize x or x/2 into [sqrt2/2, sqrt2)
  k += (i >> 20);
  const double f = x - 1.0;
  const double dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {  // -2^-20 <= f < 2^-20
    if (f == 0.0) return k == 0 ? 0.0 : dk * kLn2Hi + dk * kLn2Lo;
    const double R = f * f * (0.5 - 0.33333333333333333 * f);
    return k == 0 ? f - R : dk * kLn2Hi - ((R - dk * kLn2Lo) - f);
  }
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double w = z * z;
  const std::int32_t i_lo = hx - 0x6147a, j = 0x6b851 - hx;
  const double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  const double R = t2 + t1;
  if ((i_lo | j) > 0) {
    const double hfsq = 0.5 * f * f;
    return k == 0 ? f - (hfsq - s * (hfsq + R)) : dk * kLn2Hi - ((hfsq - (s * (hfsq + R) + dk * kLn2Lo)) - f);
  }
  return k == 0 ? f - s * (f - R) : dk * kLn2Hi - ((s * (f - R) - dk * kLn2Lo) - f);
}

}  // namespace ballast
