// The two series of Jäckel's normalised Black function b(x, s) for an out-of-the-money call
// (x <= 0, h = x/s, t = s/2; normalised_black.hpp), lane-wise: the Greeks kernel
// (greeks_kernel.cpp) runs them on two options at a time, normalised_black.cpp in one lane,
// so prices and implied vols are formed by one implementation. `common` is
// exp(-(h² + t²)/2), which every region multiplies by.
#pragma once

#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/vector_math.hpp"

namespace ballast::derivatives::simd {

constexpr double kSqrtPiOver2 = 1.25331413731550025121;
// Region boundaries from the paper: the asymptotic series is used for h < η, the Taylor
// series for t < τ = 2 ε^{1/16}.
constexpr double kEta = -10.0;
constexpr double kTau = 0.21132486540518711775;

// h < -10 (and h + t < η + τ): Y(z) = Φ(z)/φ(z) = Σ_n (-1)^{n+1} (2n-1)!! z^{-(2n+1)} for both
// z = h ± t. The difference Y(h+t) - Y(h-t) is summed term by term with
//   (h+t)^{-m} - (h-t)^{-m} = -(h/r)^m [(1+u)^m - (1-u)^m],  r = h^2 - t^2, u = t/h,
// whose odd part O_m = ((1+u)^m - (1-u)^m)/2 comes from a recurrence with terms of one sign
// (E_{m+1} = E_m + u O_m, O_{m+1} = O_m + u E_m; u < 0, O < 0 < E), so nothing cancels.
// term_n = 2 (-1)^n (2n-1)!! q^{2n+1} O_{2n+1}: positive for n = 0, then alternating. The
// sum runs until every lane in `active` has converged; a lane stops adding at its own last
// term, so its result does not depend on the other lane.
inline f64v asymptotic_otm_call(f64v h, f64v t, f64v common, maskv active) {
  const f64v r = (h + t) * (h - t), q = h / r, u = t / h;
  f64v even = splat(1.0), odd = splat(0.0);
  f64v q_power = q, double_factorial = splat(1.0), sum = splat(0.0);
  maskv done = ~active;
  for (int n = 0, m = 0; n < 40; ++n) {
    for (; m < 2 * n + 1; ++m) {
      const f64v next_even = even + u * odd;
      odd += u * even;
      even = next_even;
    }
    if (n > 0) {
      q_power *= q * q;
      double_factorial *= 2.0 * n - 1.0;
    }
    const f64v term = (n % 2 == 0 ? 2.0 : -2.0) * double_factorial * q_power * odd;
    const f64v next_sum = sum + term;
    sum = select(done, sum, next_sum);
    done |= abs(term) <= 1e-17 * abs(next_sum);
    if (all(done)) break;
  }
  return kInvSqrt2Pi * common * sum;
}

// t < τ: Taylor series of Y(h+t) - Y(h-t) in t to order t^13 (Jäckel, eq. (6.15)), in
// terms of a = 1 + h Y(h) = Y'(h) > 0. Accurate to double precision for h in [-10, 0].
inline f64v small_t_otm_call(f64v h, f64v t, f64v common) {
  const f64v a = 1.0 + h * kSqrtPiOver2 * erfcx_nonnegative(-kInvSqrt2 * h);
  const f64v w = t * t, h2 = h * h;
  const f64v c1 = (-1.0 + a * (3.0 + h2)) * (1.0 / 6.0);
  const f64v c2 = (-7.0 + 15.0 * a + h2 * (-1.0 + a * (10.0 + h2))) * (1.0 / 120.0);
  const f64v c3 = (-57.0 + 105.0 * a + h2 * (-18.0 + 105.0 * a + h2 * (-1.0 + a * (21.0 + h2)))) * (1.0 / 5040.0);
  const f64v c4 = (-561.0 + 945.0 * a +
                    h2 * (-285.0 + 1260.0 * a + h2 * (-33.0 + 378.0 * a + h2 * (-1.0 + a * (36.0 + h2))))) *
                   (1.0 / 362880.0);
  const f64v c5 =
      (-6555.0 + 10395.0 * a +
       h2 * (-4680.0 + 17325.0 * a +
             h2 * (-840.0 + 6930.0 * a + h2 * (-52.0 + 990.0 * a + h2 * (-1.0 + a * (55.0 + h2)))))) *
      (1.0 / 39916800.0);
  const f64v c6 = (-89055.0 + 135135.0 * a +
                    h2 * (-82845.0 + 270270.0 * a +
                          h2 * (-20370.0 + 135135.0 * a +
                                h2 * (-1926.0 + 25740.0 * a +
                                      h2 * (-75.0 + 2145.0 * a + h2 * (-1.0 + a * (78.0 + h2))))))) *
                   (1.0 / 6227020800.0);
  const f64v series = a + w * (c1 + w * (c2 + w * (c3 + w * (c4 + w * (c5 + w * c6)))));
  return kInvSqrt2Pi * common * 2.0 * t * series;
}

}  // namespace ballast::derivatives::simd
