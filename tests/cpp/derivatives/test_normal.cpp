// The normal distribution far into the tails.
#include <catch2/catch.hpp>

#include <cmath>

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
