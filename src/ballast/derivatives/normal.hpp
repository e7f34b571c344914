// The standard normal distribution, accurate to a few ulps in relative terms far into both
// tails (|z| up to ~38, where the density underflows), because implied volatility in the
// wings divides tiny prices by tiny vegas and needs every digit of both.
#pragma once

namespace ballast::derivatives {

inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)

// phi(z) = exp(-z^2/2) / sqrt(2 pi). z^2 is formed exactly (hi + lo) so the rounding of the
// square is not amplified by large |z|.
double norm_pdf(double z);

// Phi(z) = P[Z <= z]. Relative accuracy holds in the lower tail (z -> -inf); for the upper
// tail 1 - Phi(z) call norm_cdf(-z), never 1 - norm_cdf(z).
double norm_cdf(double z);

// Phi(z) given e = exp_minus_half_square(z) (the kernel that prices a million options computes
// that exponential once and shares it between the density and the CDF): norm_cdf(z) itself.
// e is ignored for |z| <= 0.66 (the erf region).
double norm_cdf_given(double z, double e);

// Phi(-|a|), the smaller tail, given e = exp_minus_half_square(a); relative accuracy as norm_cdf.
double norm_tail_given(double a, double e);

// Phi^{-1}(p) for p in (0, 1); -inf at p <= 0, +inf at p >= 1. Acklam's rational guess
// (relative error 1.2e-9) polished by one Halley step on norm_cdf.
double inverse_norm_cdf(double p);

// erfcx(u) = exp(u^2) erfc(u), the scaled complementary error function. For u >= 0 it is
// accurate to a few ulps for every u; for u < 0 it overflows to +inf below about -26.6.
double erfcx(double u);

// exp(-a*a/2) = exp(-hi/2)(1 - lo/2) for the exact square a*a = hi + lo: one exp() call, and
// the rounding of a*a is not amplified by large |a|. 0 for |a| >= 38.625 (underflow).
double exp_minus_half_square(double a);

}  // namespace ballast::derivatives
