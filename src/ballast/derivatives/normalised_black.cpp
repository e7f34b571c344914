#include "ballast/derivatives/normalised_black.hpp"

#include <cmath>

#include "ballast/derivatives/normal.hpp"

namespace ballast::derivatives {

namespace {

constexpr double kSqrtPiOver2 = 1.25331413731550025121;
constexpr double kInvSqrt2 = 0.70710678118654752440;
// Region boundaries from the paper: the asymptotic series is used for h < η, the Taylor
// series for t < τ = 2 ε^{1/16}; Cody's erfc is switched to erfcx above 0.46875.
constexpr double kEta = -10.0;
constexpr double kTau = 0.21132486540518711775;
constexpr double kErfcxSwitch = 0.46875;

// h < -10 (and h + t < η + τ): Y(z) = Φ(z)/φ(z) = Σ_n (-1)^{n+1} (2n-1)!! z^{-(2n+1)} for both
// z = h ± t. The difference Y(h+t) - Y(h-t) is summed term by term with
//   (h+t)^{-m} - (h-t)^{-m} = -(h/r)^m [(1+u)^m - (1-u)^m],  r = h^2 - t^2, u = t/h,
// whose odd part O_m = ((1+u)^m - (1-u)^m)/2 comes from a recurrence with terms of one sign
// (E_{m+1} = E_m + u O_m, O_{m+1} = O_m + u E_m; u < 0, O < 0 < E), so nothing cancels.
double asymptotic_call(double h, double t, double common) {
  double r = (h + t) * (h - t), q = h / r, u = t / h;
  double even = 1.0, odd = 0.0;  // E_m, O_m, starting at m = 0
  double q_power = q;             // q^{2n+1}
  double double_factorial = 1.0;  // (2n-1)!!
  double sum = 0.0;
  for (int n = 0, m = 0; n < 40; ++n) {
    for (; m < 2 * n + 1; ++m) {
      double next_even = even + u * odd;
      odd += u * even;
      even = next_even;
    }
    if (n > 0) {
      q_power *= q * q;
      double_factorial *= 2.0 * n - 1.0;
    }
    // term_n = 2 (-1)^n (2n-1)!! q^{2n+1} O_{2n+1}: positive for n = 0, then alternating.
    double term = (n % 2 == 0 ? 2.0 : -2.0) * double_factorial * q_power * odd;
    sum += term;
    if (std::fabs(term) <= 1e-17 * std::fabs(sum)) break;
  }
  return kInvSqrt2Pi * common * sum;
}

// t < τ: Taylor series of Y(h+t) - Y(h-t) in t to order t^13 (Jäckel, eq. (6.15)), in
// terms of a = 1 + h Y(h) = Y'(h) > 0. Accurate to double precision for h in [-10, 0].
double small_t_call(double h, double t, double common) {
  double a = 1.0 + h * kSqrtPiOver2 * erfcx(-kInvSqrt2 * h);
  double w = t * t, h2 = h * h;
  double c1 = (-1.0 + a * (3.0 + h2)) / 6.0;
  double c2 = (-7.0 + 15.0 * a + h2 * (-1.0 + a * (10.0 + h2))) / 120.0;
  double c3 = (-57.0 + 105.0 * a + h2 * (-18.0 + 105.0 * a + h2 * (-1.0 + a * (21.0 + h2)))) / 5040.0;
  double c4 = (-561.0 + 945.0 * a +
               h2 * (-285.0 + 1260.0 * a + h2 * (-33.0 + 378.0 * a + h2 * (-1.0 + a * (36.0 + h2))))) /
              362880.0;
  double c5 = (-6555.0 + 10395.0 * a +
               h2 * (-4680.0 + 17325.0 * a +
                     h2 * (-840.0 + 6930.0 * a + h2 * (-52.0 + 990.0 * a + h2 * (-1.0 + a * (55.0 + h2)))))) /
              39916800.0;
  double c6 = (-89055.0 + 135135.0 * a +
               h2 * (-82845.0 + 270270.0 * a +
                     h2 * (-20370.0 + 135135.0 * a +
                           h2 * (-1926.0 + 25740.0 * a +
                                 h2 * (-75.0 + 2145.0 * a + h2 * (-1.0 + a * (78.0 + h2))))))) /
              6227020800.0;
  double series = a + w * (c1 + w * (c2 + w * (c3 + w * (c4 + w * (c5 + w * c6)))));
  return kInvSqrt2Pi * common * 2.0 * t * series;
}

// Elsewhere: 2b = e^{x/2} erfc(q1) - e^{-x/2} erfc(q2), q1,2 = -(h ± t)/√2, switching each
// erfc to exp(-(h²+t²)/2)·erfcx once its argument is large (Jäckel's "optimal use of Cody").
double erfc_form_call(double x, double h, double t, double common) {
  double q1 = -kInvSqrt2 * (h + t), q2 = -kInvSqrt2 * (h - t);  // q1 <= q2
  double first = q1 < kErfcxSwitch ? std::exp(0.5 * x) * std::erfc(q1) : common * erfcx(q1);
  double second = q2 < kErfcxSwitch ? std::exp(-0.5 * x) * std::erfc(q2) : common * erfcx(q2);
  double two_b = (q1 >= kErfcxSwitch) ? common * (erfcx(q1) - erfcx(q2)) : first - second;
  return two_b > 0.0 ? 0.5 * two_b : 0.0;
}

}  // namespace

double normalised_otm_call(double x, double s, double common) {
  double h = x / s, t = 0.5 * s;
  // h < η and h + t < η + τ, written without dividing by s.
  if (x < s * kEta && 0.5 * s * s + x < s * (kTau + kEta)) return asymptotic_call(h, t, common);
  if (t < kTau) return small_t_call(h, t, common);
  return erfc_form_call(x, h, t, common);
}

namespace {

// Out-of-the-money or at-the-money call, x <= 0, s > 0.
double otm_call(double x, double s) {
  double h = x / s, t = 0.5 * s;
  return normalised_otm_call(x, s, std::exp(-0.5 * (h * h + t * t)));
}

}  // namespace

double normalised_intrinsic(double x, double theta) {
  double signed_x = theta > 0.0 ? x : -x;
  return signed_x > 0.0 ? 2.0 * std::sinh(0.5 * signed_x) : 0.0;
}

double normalised_black(double x, double s, double theta) {
  double call_x = theta > 0.0 ? x : -x;  // b_put(x) = b_call(-x): reciprocal-strike symmetry
  double otm_x = -std::fabs(call_x);
  double intrinsic = normalised_intrinsic(call_x, 1.0);
  if (!(s > 0.0)) return intrinsic;
  return intrinsic + otm_call(otm_x, s);
}

double normalised_vega(double x, double s) {
  if (!(s > 0.0)) return x == 0.0 ? kInvSqrt2Pi : 0.0;
  double h = x / s, t = 0.5 * s;
  return kInvSqrt2Pi * std::exp(-0.5 * (h * h + t * t));
}

}  // namespace ballast::derivatives
