#include "ballast/derivatives/normalised_black.hpp"

#include <cmath>

#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/normalised_black_series.hpp"

namespace ballast::derivatives {

namespace {

using simd::kEta;
using simd::kTau;
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kErfcxSwitch = 0.46875;  // Cody's erfc is switched to erfcx above it

// The two series, in one lane of the code the Greeks kernel runs (normalised_black_series.hpp).
double asymptotic_call(double h, double t, double common) {
  const simd::f64v one = simd::splat(1.0);
  return simd::asymptotic_otm_call(simd::splat(h), simd::splat(t), simd::splat(common), one == one)[0];
}

double small_t_call(double h, double t, double common) {
  return simd::small_t_otm_call(simd::splat(h), simd::splat(t), simd::splat(common))[0];
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

// b(x, s) of an out-of-the-money (or at-the-money) call, x <= 0, s > 0.
double otm_call(double x, double s) {
  const double h = x / s, t = 0.5 * s;
  const double common = std::exp(-0.5 * (h * h + t * t));  // every region multiplies by it
  // h < η and h + t < η + τ, written without dividing by s.
  if (x < s * kEta && 0.5 * s * s + x < s * (kTau + kEta)) return asymptotic_call(h, t, common);
  if (t < kTau) return small_t_call(h, t, common);
  return erfc_form_call(x, h, t, common);
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
