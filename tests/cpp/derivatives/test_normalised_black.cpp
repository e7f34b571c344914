// The cancellation-free normalised Black function b(x, s) in each of its regions.
#include <catch2/catch.hpp>

#include <cmath>

#include "ballast/derivatives/normalised_black.hpp"

using namespace ballast::derivatives;

// Reference: mpmath 1.3.0 at 50 digits of θ[e^{x/2}Φ(θ(x/s+s/2)) - e^{-x/2}Φ(θ(x/s-s/2))].
// Points cover the asymptotic region (h = x/s < -10), the small-t Taylor region (s < 0.42),
// the erfc / erfcx region, at the money, huge total vol, and in the money (calls and puts).
TEST_CASE("normalised_black matches 50-digit values in every region", "[derivatives][black]") {
  struct Row {
    double x, s, theta, value;
  };
  const Row table[] = {
      {-0.5, 1.0, 1, 0.1856830129966638584},           {-0.02, 0.001, 1, 1.3700123243196603975e-93},
      {-0.3, 0.05, 1, 7.8155210377325136356e-12},      {-15, 0.9, 1, 5.5524043107514036014e-64},
      {-40, 1.5, 1, 2.4300758816365920788e-158},       {-3, 0.2, 1, 4.8280586557814653325e-53},
      {-1e-10, 1e-08, 1, 3.9396222734922846815e-9},    {0, 0.0001, 1, 0.000039894228023520674695},
      {0, 3, 1, 0.86638559746228386799},               {-2, 4, 1, 0.32642282488655725838},
      {-0.1, 30, 1, 0.95122942450071400645},           {2.5, 0.3, 1, 3.2038381606016512772},
      {0.05, 0.02, -1, 0.000040081076137054845201},    {-1.2, 0.35, -1, 1.27333393007771227},
      {8, 0.4, -1, 5.3720657487896776995e-91},         {-12, 1.1, 1, 4.45784493041427488e-29},
      {-7, 0.3, 1, 1.2889107506368562176e-122},
  };
  for (const auto& r : table) {
    INFO("x = " << r.x << ", s = " << r.s << ", theta = " << r.theta);
    const double got = normalised_black(r.x, r.s, r.theta);
    // The function's own condition numbers in x and in s are both ~h² (h = x/s): one ulp on
    // either input moves it by h²·ε. Allow that for both, plus a few ulps.
    const double h = r.x / r.s;
    CHECK(std::fabs(got - r.value) <= (8.0 + 2.0 * h * h) * 2.2e-16 * r.value);
  }
}

// Reference: the limits s -> 0 (intrinsic) and s -> inf (e^{θx/2}), and put-call parity
// b_call - b_put = e^{x/2} - e^{-x/2}.
TEST_CASE("normalised_black has the right limits and parity", "[derivatives][black]") {
  CHECK(normalised_black(0.7, 0.0, 1) == normalised_intrinsic(0.7, 1));
  CHECK(normalised_black(-0.7, 0.0, 1) == 0.0);
  CHECK(normalised_black(0.0, 0.0, -1) == 0.0);
  CHECK(normalised_black(-0.02, 0.001, -1) == Approx(2.0 * std::sinh(0.01)).epsilon(1e-15));
  CHECK(normalised_black(-0.3, 200.0, 1) == Approx(std::exp(-0.15)).epsilon(1e-15));
  for (double x : {-3.0, -0.4, -1e-6, 0.0, 2e-5, 0.9, 6.0})
    for (double s : {1e-4, 0.05, 0.3, 1.0, 4.0}) {
      INFO("x = " << x << ", s = " << s);
      const double parity = normalised_black(x, s, 1) - normalised_black(x, s, -1);
      CHECK(std::fabs(parity - 2.0 * std::sinh(0.5 * x)) <= 4e-16 * std::exp(0.5 * std::fabs(x)));
    }
}

// Reference: monotonicity in s (vega > 0) across the region boundaries, where a
// mismatched branch would show as a step backwards.
TEST_CASE("normalised_black increases with total vol across region boundaries", "[derivatives][black]") {
  for (double x : {-60.0, -12.0, -3.0, -0.5, -1e-3}) {
    double previous = 0.0;
    for (double s = 1e-3; s < 50.0; s *= 1.01) {
      const double b = normalised_black(x, s, 1);
      INFO("x = " << x << ", s = " << s);
      CHECK(b >= previous * (1.0 - 1e-14));
      CHECK(std::isfinite(b));
      previous = b;
    }
  }
}
