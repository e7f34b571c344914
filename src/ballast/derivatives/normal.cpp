#include "ballast/derivatives/normal.hpp"

#include <cmath>
#include <limits>

#include "ballast/derivatives/vector_math.hpp"

namespace ballast::derivatives {

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrtPi = 0.56418958354775628695;
// |u| <= 0.46875 is Cody's erf region; beyond it his erfcx rationals take over.
constexpr double kErfRegion = 0.46875;

// Keep the upper 26 significant bits of a, so that head*head is exact in a double.
double head_bits(double a) {
  constexpr double split = 134217729.0;  // 2^27 + 1 (Veltkamp)
  double c = split * a;
  return c - (c - a);
}

// a*a = hi + lo exactly (Dekker's product; no FMA, the build keeps -ffp-contract=off).
struct Square {
  double hi, lo;
};
Square exact_square(double a) {
  const double hi = a * a, h = head_bits(a), t = a - h;
  return {hi, ((h * h - hi) + 2.0 * h * t) + t * t};
}

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969), as in his CALERF: erf on |u| <= 0.46875, erfcx = exp(u^2) erfc(u) on (0.46875, 4]
// and on (4, inf). Near-minimax, better than 1e-18 relative in exact arithmetic; in doubles
// the tests measure the whole normal CDF within a few ulps (test_normal.cpp). One
// implementation, vector_math.hpp's, which the Greeks kernel runs in SIMD lanes: here in one
// lane (the same operations, so the same bits).
double erf_small(double u) { return simd::erf_small(simd::splat(u))[0]; }

double erfcx_cody(double u) { return simd::erfcx_cody(simd::splat(u))[0]; }  // u > 0.46875

// exp(a*a) for the exact square: exp(hi) * exp(lo), exp(lo) = 1 + lo to double precision.
double exp_square(double a) {
  const Square sq = exact_square(a);
  return std::exp(sq.hi) * (1.0 + sq.lo);
}

}  // namespace

double exp_minus_half_square(double a) {
  if (!(std::fabs(a) < 38.625)) return 0.0;  // exp(-746) underflows; also maps NaN to 0 (never reached)
  const Square sq = exact_square(a);
  return std::exp(-0.5 * sq.hi) * (1.0 - 0.5 * sq.lo);
}

double norm_pdf(double z) { return kInvSqrt2Pi * exp_minus_half_square(z); }

double erfcx(double u) {
  if (u < 0.0) return 2.0 * exp_square(u) - erfcx(-u);  // erfc(-u) = 2 - erfc(u)
  if (u <= kErfRegion) return exp_square(u) * (1.0 - erf_small(u));
  return erfcx_cody(u);
}

double norm_tail_given(double a, double e) {
  // Phi(-|a|) = erfc(|a|/sqrt2)/2. Beyond the erf region: exp(-a^2/2) erfcx(|a|/sqrt2)/2.
  // erfc(|a|/sqrt2) alone would amplify the rounding of a/sqrt2 by a^2 (1e-13 at a = 20);
  // erfcx is insensitive to it, and e carries the exact square of a.
  const double u = std::fabs(a) * kInvSqrt2;
  if (u <= kErfRegion) return 0.5 - 0.5 * erf_small(u);
  return 0.5 * e * erfcx_cody(u);
}

double norm_cdf_given(double z, double e) {
  const double tail = norm_tail_given(z, e);
  return z < 0.0 ? tail : 1.0 - tail;
}

double norm_cdf(double z) {
  if (std::fabs(z) * kInvSqrt2 <= kErfRegion) return norm_cdf_given(z, 0.0);  // e is not used there
  return norm_cdf_given(z, exp_minus_half_square(z));
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
