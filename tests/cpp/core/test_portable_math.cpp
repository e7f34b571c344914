// portable_exp / portable_log: fdlibm's algorithms, the same bits in the native and WASM builds.
// Reference: the platform's libm (glibc here), which is accurate to < 1 ulp; two functions
// each within 1 ulp of the true value can differ from each other by at most 1 ulp, so a
// larger gap would mean a transcription error in a constant or a step. Special values are
// those IEEE 754 and C99 Annex F define.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include "ballast/core/portable_math.hpp"

using namespace ballast;

namespace {

std::int64_t ulps_apart(double a, double b) {
  if (a == b) return 0;
  std::int64_t x, y;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return x > y ? x - y : y - x;
}

}  // namespace

TEST_CASE("portable_exp is within 1 ulp of libm over its whole range") {
  std::mt19937_64 rng(20261201);
  std::uniform_real_distribution<double> wide(-745.0, 709.7), near_zero(-1.0, 1.0);
  std::int64_t worst = 0;
  for (int i = 0; i < 400000; ++i) {
    const double x = i % 2 ? wide(rng) : near_zero(rng);
    worst = std::max(worst, ulps_apart(portable_exp(x), std::exp(x)));
  }
  CHECK(worst <= 1);
  CHECK(portable_exp(0.0) == 1.0);
  CHECK(portable_exp(1e-300) == 1.0);
  CHECK(portable_exp(-std::numeric_limits<double>::infinity()) == 0.0);
  CHECK(std::isinf(portable_exp(std::numeric_limits<double>::infinity())));
  CHECK(std::isinf(portable_exp(710.0)));
  CHECK(portable_exp(-746.0) == 0.0);
  CHECK(std::isnan(portable_exp(std::numeric_limits<double>::quiet_NaN())));
  CHECK(ulps_apart(portable_exp(-740.0), std::exp(-740.0)) <= 1);  // subnormal result
}

TEST_CASE("portable_log is within 1 ulp of libm, subnormals and values near 1 included") {
  std::mt19937_64 rng(20261202);
  std::uniform_real_distribution<double> exponent(-740.0, 709.0), near_one(-1e-3, 1e-3);
  std::int64_t worst = 0;
  for (int i = 0; i < 400000; ++i) {
    const double x = i % 2 ? std::exp(exponent(rng)) : 1.0 + near_one(rng);
    worst = std::max(worst, ulps_apart(portable_log(x), std::log(x)));
  }
  CHECK(worst <= 1);
  CHECK(portable_log(1.0) == 0.0);
  CHECK(ulps_apart(portable_log(4.9406564584124654e-324), std::log(4.9406564584124654e-324)) <= 1);
  CHECK(portable_log(0.0) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(portable_log(-1.0)));
  CHECK(std::isinf(portable_log(std::numeric_limits<double>::infinity())));
  CHECK(std::isnan(portable_log(std::numeric_limits<double>::quiet_NaN())));
}
