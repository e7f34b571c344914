// The standard normal distribution, accurate to a few ulps in relative terms far into both
// tails (|z| up to ~38, where the density underflows), because implied volatility in the
// wings divides tiny prices by tiny vegas and needs every digit of both.
#pragma once

namespace ballast::derivatives {

// phi(z) = exp(-z^2/2) / sqrt(2 pi). The square is split so exp() sees an exact argument.
double norm_pdf(double z);

// Phi(z) = P[Z <= z]. Relative accuracy holds in the lower tail (z -> -inf); for the upper
// tail 1 - Phi(z) call norm_cdf(-z), never 1 - norm_cdf(z).
double norm_cdf(double z);

// Phi^{-1}(p) for p in (0, 1); -inf at p <= 0, +inf at p >= 1. Acklam's rational guess
// (relative error 1.2e-9) polished by one Halley step on norm_cdf.
double inverse_norm_cdf(double p);

// erfcx(u) = exp(u^2) erfc(u), the scaled complementary error function. For u >= 0 it is
// accurate to a few ulps for every u; for u < 0 it overflows to +inf below about -26.6.
double erfcx(double u);

// exp(-a*a/2) with a split so that the rounding of a*a is not amplified by large |a|.
double exp_minus_half_square(double a);

}  // namespace ballast::derivatives
