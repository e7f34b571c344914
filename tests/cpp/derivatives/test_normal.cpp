// The normal distribution far into the tails.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ballast/derivatives/normal.hpp"

using namespace ballast::derivatives;

namespace {
double rel_err(double got, double want) { return std::fabs(got - want) / std::fabs(want); }
}  // namespace

// Reference: mpmath 1.3.0 ncdf at 50 significant digits (printed to 20).
TEST_CASE("norm_cdf keeps relative accuracy deep in the lower tail", "[derivatives][normal]") {
  const double table[][2] = {
      {-37.5, 4.6053530095819548438e-308}, {-30, 4.9067139271481870595e-198}, {-20, 2.7536241186062336951e-89},
      {-12, 1.7764821120776789977e-33},    {-8, 6.2209605742717841235e-16},   {-3, 1.3498980316300945267e-3},
      {-1, 1.5865525393145705141e-1},      {-0.25, 4.0129367431707627576e-1}, {0, 0.5},
      {0.5, 6.9146246127401310364e-1},     {2, 9.772498680518207928e-1},      {6, 9.9999999901341235496e-1},
  };
  for (const auto& row : table) {
    INFO("z = " << row[0]);
    CHECK(rel_err(norm_cdf(row[0]), row[1]) < 1e-15);
  }
  // The upper tail through the complement: 1 - Phi(z) = Phi(-z), exact to the last digits.
  CHECK(rel_err(norm_cdf(-20.0), 2.7536241186062336951e-89) < 1e-15);
  CHECK(norm_cdf(-45.0) == 0.0);
  CHECK(norm_cdf(45.0) == 1.0);
}

// Reference: mpmath erfc(u)·exp(u²) at 50 digits.
TEST_CASE("erfcx matches the scaled complementary error function", "[derivatives][normal]") {
  const double table[][2] = {{0.1, 0.89645697996912663741},   {0.5, 0.61569034419292587487},
                             {2, 0.25539567631050574387},     {10, 0.056140992743822585858},
                             {25, 0.022549572432641358944},   {30, 0.018795888861416751497},
                             {100, 0.0056416137829894329036}, {1e4, 0.000056418958072680841152}};
  for (const auto& row : table) {
    INFO("u = " << row[0]);
    CHECK(rel_err(erfcx(row[0]), row[1]) < 4e-16 * 4);
  }
}

// Reference: the definition, Phi(Phi^{-1}(p)) = p, and symmetry Phi^{-1}(1-p) = -Phi^{-1}(p).
TEST_CASE("inverse_norm_cdf inverts norm_cdf to machine precision", "[derivatives][normal]") {
  for (double z = -37.0; z <= 8.0; z += 0.37) {
    const double p = norm_cdf(z);
    INFO("z = " << z);
    // Above the median p itself holds only absolute precision: compare there in p.
    if (z < 0) CHECK(std::fabs(inverse_norm_cdf(p) - z) < 4e-15 * std::max(1.0, std::fabs(z)));
    else CHECK(std::fabs(norm_cdf(inverse_norm_cdf(p)) - p) < 4e-16);
  }
  CHECK(std::isinf(inverse_norm_cdf(0.0)));
  CHECK(std::isinf(inverse_norm_cdf(1.0)));
  CHECK(inverse_norm_cdf(0.5) == 0.0);
}

// Reference: the C library's erfcl/expl in long double (x86: a 64-bit significand, so the
// reference is good to about 2^-64 relative, 1/2000 of a double ulp), on a dense grid of z
// over every z where Φ(z) is a normal double. The bounds are what this implementation
// (Cody's rationals, one exp() of the exact square) measured, rounded up: 7.1 ulps for Φ, at
// z = -4.17, where Cody's degree-8 rational loses ~6 ulps to double rounding (evaluated in
// long double it is within 0.3 ulps), and 3.5 ulps for φ. (The previous implementation, glibc
// erfc times exp() of split squares, three exp() calls in the tail, measured 6.2 ulps for Φ
// on this grid: 5-6 ulps over z < -2 where this one is 4-5 beyond z < -7.)
TEST_CASE("norm_cdf, norm_pdf are within a few ulps of a long-double reference everywhere", "[derivatives][normal]") {
  if (std::numeric_limits<long double>::digits < 64) {
    WARN("SKIPPED: long double has no more precision than double on this platform");
    return;
  }
  auto ulps = [](double got, long double want) {
    const double w = static_cast<double>(want);
    const double ulp = std::nextafter(w, std::numeric_limits<double>::infinity()) - w;
    return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / ulp);
  };
  const long double inv_sqrt2 = 0.707106781186547524400844362104849039L;
  const long double inv_sqrt2pi = 0.398942280401432677939946059934381868L;
  double worst_cdf = 0.0, worst_cdf_z = 0.0, worst_pdf = 0.0, worst_pdf_z = 0.0;
  for (int i = 0; i <= 460000; ++i) {
    const double z = -37.5 + 1e-4 * i + 1e-9 * (i % 7);  // not only round multiples of 1e-4
    const long double zl = z;
    const long double cdf = z < 0 ? 0.5L * std::erfc(-zl * inv_sqrt2) : 1.0L - 0.5L * std::erfc(zl * inv_sqrt2);
    const long double pdf = inv_sqrt2pi * std::exp(-0.5L * zl * zl);
    const double c = ulps(norm_cdf(z), cdf), p = ulps(norm_pdf(z), pdf);
    if (c > worst_cdf) worst_cdf = c, worst_cdf_z = z;
    if (p > worst_pdf) worst_pdf = p, worst_pdf_z = z;
    // The kernel's form, from a shared exponential, is the same function.
    REQUIRE(norm_cdf_given(z, exp_minus_half_square(z)) == norm_cdf(z));
  }
  INFO("worst norm_cdf: " << worst_cdf << " ulps at z = " << worst_cdf_z);
  INFO("worst norm_pdf: " << worst_pdf << " ulps at z = " << worst_pdf_z);
  CHECK(worst_cdf <= 8.0);
  CHECK(worst_pdf <= 4.0);
}
