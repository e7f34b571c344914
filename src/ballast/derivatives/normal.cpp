#include "ballast/derivatives/normal.hpp"

#include <cmath>
#include <limits>

namespace ballast::derivatives {

namespace {

constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)
constexpr double kSqrtPiOver2 = 1.25331413731550025121;  // sqrt(pi/2)
constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrtPi = 0.56418958354775628695;

// Keep the upper 26 significant bits of a, so that head*head is exact in a double.
double head_bits(double a) {
  constexpr double split = 134217729.0;  // 2^27 + 1 (Veltkamp)
  double c = split * a;
  return c - (c - a);
}

// exp(a*a) for the split argument: exp(h^2) * exp((a-h)(a+h)), both exponents exact or tiny.
double exp_square(double a) {
  double h = head_bits(a);
  return std::exp(h * h) * std::exp((a - h) * (a + h));
}

// erfcx(u) for u > 26 by its asymptotic series 1/(u sqrt pi) * sum (-1)^n (2n-1)!! / (2u^2)^n;
// at u > 26 the ninth term is below 1e-18 of the first.
double erfcx_asymptotic(double u) {
  double w = 1.0 / (2.0 * u * u), term = 1.0, sum = 1.0;
  for (int n = 1; n <= 9; ++n) {
    term *= -(2.0 * n - 1.0) * w;
    sum += term;
  }
  return kInvSqrtPi / u * sum;
}

}  // namespace

double exp_minus_half_square(double a) {
  if (!(std::fabs(a) < 40.0)) return 0.0;  // exp(-800) underflows; also maps NaN to 0 (never reached)
  double h = head_bits(a);
  return std::exp(-0.5 * (h * h)) * std::exp(-0.5 * ((a - h) * (a + h)));
}

double norm_pdf(double z) { return kInvSqrt2Pi * exp_minus_half_square(z); }

double erfcx(double u) {
  if (u < 0.0) return 2.0 * exp_square(u) - erfcx(-u);  // erfc(-u) = 2 - erfc(u)
  if (u < 26.0) return exp_square(u) * std::erfc(u);     // erfc(26) ~ 6e-296, still normal
  return erfcx_asymptotic(u);
}

double norm_cdf(double z) {
  // Lower tail: Phi(z) = phi(z) * sqrt(pi/2) * erfcx(-z/sqrt2). erfc(-z/sqrt2) alone would
  // amplify the rounding of z/sqrt2 by z^2 (1e-13 at z = -20); erfcx is insensitive to it.
  if (z < -1.0) return norm_pdf(z) * kSqrtPiOver2 * erfcx(-z * kInvSqrt2);
  return 0.5 * std::erfc(-z * kInvSqrt2);
}

double inverse_norm_cdf(double p) {
  if (!(p > 0.0)) return -std::numeric_limits<double>::infinity();
  if (!(p < 1.0)) return std::numeric_limits<double>::infinity();
  if (p > 0.5) return -inverse_norm_cdf(1.0 - p);  // keep the accurate lower tail
  // Acklam (2003), lower region and central region, relative error < 1.15e-9.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else {
    double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // One Halley step on Phi(x) - p; relative residual e/p keeps full precision in the tail.
  double pdf = norm_pdf(x);
  if (!(pdf > 0.0)) return x;
  double u = (norm_cdf(x) - p) / pdf;
  return x - u / (1.0 + 0.5 * x * u);
}

}  // namespace ballast::derivatives
