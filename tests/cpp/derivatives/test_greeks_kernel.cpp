// The SIMD Greeks kernel: its own exp, expm1 and log against long double, and lane
// independence (an option priced in a pair with any other equals the option priced alone).
// Its prices and Greeks are checked against independent references by the other derivatives
// tests, which all run through it (option_greeks is the kernel in one lane).
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/columns.hpp"
#include "ballast/derivatives/greeks_kernel.hpp"
#include "ballast/derivatives/vector_math.hpp"

using namespace ballast::derivatives;

namespace {

// |got - want| in ulps of want (want from long double, rounded once).
double ulps(double got, long double want) {
  const double w = static_cast<double>(want);
  const double ulp = std::nextafter(std::fabs(w), INFINITY) - std::fabs(w);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / ulp);
}

}  // namespace

TEST_CASE("the kernel's exp, expm1 and log are within an ulp", "[derivatives][kernel]") {
  std::mt19937_64 rng(11);
  double worst_exp = 0.0, worst_expm1 = 0.0, worst_log = 0.0, worst_log_near = 0.0;
  std::uniform_real_distribution<double> exp_arg(-745.0, 700.0), small(-0.5, 0.5), ratio(-460.0, 460.0),
      near(std::log(0.5), std::log(2.0));
  for (int i = 0; i < 200000; ++i) {
    const double x = exp_arg(rng);
    const double e = simd::exp(simd::splat(x))[0];
    if (std::exp(x) > 2.3e-308) worst_exp = std::max(worst_exp, ulps(e, std::exp(static_cast<long double>(x))));
    const double z = small(rng);
    worst_expm1 = std::max(worst_expm1, ulps(simd::expm1_small(simd::splat(z))[0], std::expm1(static_cast<long double>(z))));
    // ln(a/b), as forward_terms.cpp defines it: within a factor 2, log1p of the rounded
    // z = (a - b)/b (a - b is exact); farther, ln of the rounded a/b. Both in long double.
    for (double lr : {ratio(rng), near(rng)}) {
      const double a = 100.0 * std::exp(0.5 * lr), b = 100.0 / std::exp(0.5 * lr);
      const bool within_2 = a <= 2.0 * b && b <= 2.0 * a;
      const long double want = within_2 ? std::log1p(static_cast<long double>((a - b) / b))
                                        : std::log(static_cast<long double>(a / b));
      const double error = ulps(simd::log_ratio(simd::splat(a), simd::splat(b))[0], want);
      double& worst = within_2 ? worst_log_near : worst_log;
      worst = std::max(worst, error);
    }
  }
  INFO("worst ulps: exp " << worst_exp << ", expm1 " << worst_expm1 << ", log " << worst_log << ", log near 1 "
                          << worst_log_near);
  // The bounds vector_math.hpp states.
  CHECK(worst_exp < 1.0);
  CHECK(worst_expm1 < 1.25);
  CHECK(worst_log < 0.55);
  CHECK(worst_log_near < 0.7);
  // Exact values and the underflow end.
  CHECK(simd::exp(simd::splat(0.0))[0] == 1.0);
  CHECK(simd::exp(simd::splat(-746.0))[0] == 0.0);
  CHECK(simd::exp(simd::splat(-744.0))[0] > 0.0);
  CHECK(simd::log_ratio(simd::splat(7.0), simd::splat(7.0))[0] == 0.0);
}

TEST_CASE("an option priced in a pair equals the option priced alone", "[derivatives][kernel]") {
  // Lanes that take different branches (call/put, in/out of the money, each region of the
  // normalised Black function, zero vol, expired) side by side.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (PricingModel model : {PricingModel::black_scholes, PricingModel::black76, PricingModel::inverse}) {
    const std::size_t n = 4001;
    std::vector<double> kind(n), underlying(n), strike(n), expiry(n), vol(n), rate(n), dividend(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      kind[i] = u(rng) < 0.5 ? 0.0 : 1.0;
      underlying[i] = 100.0;
      strike[i] = 100.0 * std::exp(6.0 * (u(rng) - 0.5));
      expiry[i] = i % 97 == 0 ? 0.0 : std::exp(std::log(1e-6) * u(rng)) * 5.0;
      vol[i] = i % 89 == 0 ? 0.0 : 0.01 + 3.0 * u(rng);
      rate[i] = 0.2 * (u(rng) - 0.3);
      if (model == PricingModel::black_scholes) dividend[i] = 0.1 * (u(rng) - 0.5);
    }
    OptionColumns in;
    in.model = model;
    in.kind.data = kind.data();
    in.underlying.data = underlying.data();
    in.strike.data = strike.data();
    in.expiry_years.data = expiry.data();
    in.vol.data = vol.data();
    in.rate.data = rate.data();
    in.dividend_yield.data = dividend.data();
    std::vector<std::vector<double>> o(9, std::vector<double>(n));
    greeks_block(in, n, {o[0].data(), o[1].data(), o[2].data(), o[3].data(), o[4].data(), o[5].data(), o[6].data(),
                         o[7].data(), o[8].data()});
    for (std::size_t i = 0; i < n; ++i) {
      PricingPoint p;
      p.model = model;
      p.theta = kind[i] == 0.0 ? 1.0 : -1.0;
      p.underlying = underlying[i];
      p.strike = strike[i];
      p.expiry_years = expiry[i];
      p.vol = vol[i];
      p.rate = rate[i];
      p.dividend_yield = dividend[i];
      const OptionGreeks g = greeks_unchecked(p);
      const double alone[] = {g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.vanna, g.volga, g.charm};
      for (int k = 0; k < 9; ++k) {
        INFO("model " << static_cast<int>(model) << " option " << i << " figure " << k);
        REQUIRE(o[k][i] == alone[k]);
      }
    }
  }
}
