// Raw SVI slices, their fit and their arbitrage checks (smile.hpp, svi.hpp, surface.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/smile.hpp"
#include "ballast/derivatives/surface.hpp"
#include "ballast/derivatives/svi.hpp"
#include "specs.hpp"

using namespace ballast::derivatives;
using ballast::Result;
using ballast::Status;

namespace {

// Undiscounted Black call on F = 1 at log-strike k with total variance w (T = 1).
double call_price(double k, double w) {
  auto spec = ballast::test::forward_spec(PricingModel::black76, OptionKind::call, 1.0, std::exp(k), 1.0,
                                          std::sqrt(w), 0.0);
  return option_price(spec).value;
}

SmileQuotes synthetic_quotes(const SviParams& p, double T, double F, double k_lo, double k_hi, int n) {
  SmileQuotes q;
  q.expiry_years = T;
  q.forward = F;
  for (int i = 0; i < n; ++i) {
    const double k = k_lo + (k_hi - k_lo) * i / (n - 1);
    q.strikes.push_back(F * std::exp(k));
    q.vols.push_back(std::sqrt(svi_total_variance(p, k) / T));
  }
  return q;
}

const SviParams kSmile{0.04, 0.2, -0.4, 0.05, 0.15};
// Axel Vogt's raw SVI slice, quoted in Gatheral & Jacquier (2014), section 5.1, as an example
// that satisfies the usual parameter constraints yet has butterfly arbitrage.
const SviParams kVogt{-0.0410, 0.1331, 0.3060, 0.3586, 0.4153};

}  // namespace

// Reference: central finite differences of w(k) (step 1e-4; error O(h^2) ~ 1e-9 here).
TEST_CASE("SVI first and second derivatives match finite differences", "[derivatives][svi]") {
  const double h = 1e-4;
  for (double k = -1.5; k <= 1.5; k += 0.125) {
    const SviValue v = svi_value(kSmile, k);
    const double up = svi_total_variance(kSmile, k + h), down = svi_total_variance(kSmile, k - h);
    CHECK(v.dw == Approx((up - down) / (2 * h)).margin(1e-8));
    CHECK(v.d2w == Approx((up - 2 * v.w + down) / (h * h)).margin(1e-5));
  }
  CHECK(svi_min_total_variance(kSmile) == Approx(0.04 + 0.2 * 0.15 * std::sqrt(1 - 0.16)));
}

// Reference: Breeden-Litzenberger. The density of K (F = 1, T = 1) is d2C/dK2, and Gatheral-
// Jacquier's eq. (2.2) gives it as g(k) phi(d-) / (K sqrt(w)) with d- = -k/sqrt(w) - sqrt(w)/2.
// d2C/dK2 by central differences of Black prices must match; its sign is the sign of g.
TEST_CASE("Gatheral-Jacquier g(k) is the Breeden-Litzenberger density of call prices", "[derivatives][svi]") {
  for (const SviParams& p : {kSmile, kVogt}) {
    for (double k = -1.0; k <= 1.5; k += 0.05) {
      const double K = std::exp(k), h = 1e-3 * K, w = svi_total_variance(p, k);
      auto price_at = [&](double strike) { return call_price(std::log(strike), svi_total_variance(p, std::log(strike))); };
      const double fd = (price_at(K + h) - 2 * price_at(K) + price_at(K - h)) / (h * h);
      const double dm = -k / std::sqrt(w) - std::sqrt(w) / 2;
      const double closed = butterfly_density(p, k) * std::exp(-dm * dm / 2) / std::sqrt(2 * M_PI) / (K * std::sqrt(w));
      INFO("k = " << k);
      CHECK(closed == Approx(fd).epsilon(1e-4).margin(1e-7));
    }
  }
}

// Reference: Gatheral & Jacquier (2014), section 5.1 / figure 2: Vogt's slice has g(k) < 0 on a
// stretch to the right of the money (they show the negative density around k ~ 0.7-1.0). The
// reported stretch must agree with an independent scan of the Breeden-Litzenberger density.
TEST_CASE("Vogt's SVI slice is reported with its butterfly arbitrage", "[derivatives][svi]") {
  const ButterflyReport r = check_butterfly(kVogt, -1.5, 1.5, 3001);
  REQUIRE_FALSE(r.arbitrage_free);
  REQUIRE(r.violations.size() == 1);
  const ArbitrageInterval& v = r.violations[0];
  CHECK(v.worst < 0.0);
  CHECK(v.from_log_moneyness > 0.3);
  CHECK(v.to_log_moneyness < 1.5);
  CHECK(r.min_density == v.worst);
  CHECK(r.wing_bound_holds);  // the wings are fine: the arbitrage is in the body
  // Every grid point inside the stretch has a negative FD density; points just outside do not.
  auto fd_density = [&](double k) {
    const double K = std::exp(k), h = 1e-3 * K;
    auto c = [&](double s) { return call_price(std::log(s), svi_total_variance(kVogt, std::log(s))); };
    return (c(K + h) - 2 * c(K) + c(K - h)) / (h * h);
  };
  CHECK(fd_density(v.worst_log_moneyness) < 0.0);
  CHECK(fd_density(v.from_log_moneyness - 0.01) > 0.0);
  CHECK(fd_density(v.to_log_moneyness + 0.01) > 0.0);
  // The well-behaved slice is clean.
  CHECK(check_butterfly(kSmile, -1.5, 1.5, 3001).arbitrage_free);
}

// Reference: the generating parameters. Quotes computed from a known SVI slice must be fitted
// back to those parameters (the objective is 0 there) under every weighting.
TEST_CASE("A synthetic SVI smile is recovered exactly", "[derivatives][smile]") {
  const SmileQuotes q = synthetic_quotes(kSmile, 0.5, 100.0, -0.6, 0.5, 15);
  for (SmileWeighting weighting : {SmileWeighting::vega, SmileWeighting::uniform}) {
    SmileSettings settings;
    settings.weighting = weighting;
    Result<SmileFit> fit = fit_smile(q, settings);
    REQUIRE(fit.ok());
    CHECK(fit.value.status == Status::solved);
    CHECK(fit.value.max_abs_vol_error < 1e-9);
    CHECK(fit.value.params.a == Approx(kSmile.a).margin(1e-7));
    CHECK(fit.value.params.b == Approx(kSmile.b).margin(1e-7));
    CHECK(fit.value.params.rho == Approx(kSmile.rho).margin(1e-7));
    CHECK(fit.value.params.m == Approx(kSmile.m).margin(1e-7));
    CHECK(fit.value.params.sigma == Approx(kSmile.sigma).margin(1e-7));
    CHECK(fit.value.butterfly.arbitrage_free);
  }
}

// Reference: the spread weighting must equal uniform weighting with weights 1/spread^2 given
// explicitly (two routes to the same objective), and a zero weight must remove a quote.
TEST_CASE("Smile weights: spread equals explicit inverse-square weights; zero weight drops a quote",
          "[derivatives][smile]") {
  SmileQuotes q = synthetic_quotes(kSmile, 0.25, 50.0, -0.5, 0.5, 11);
  for (std::size_t i = 0; i < q.vols.size(); ++i) q.vols[i] += 0.004 * std::sin(3.0 * i);  // noise
  SmileQuotes spread = q, explicit_weights = q;
  for (std::size_t i = 0; i < q.vols.size(); ++i) {
    const double half = 0.005 + 0.002 * i;
    spread.bid_vols.push_back(q.vols[i] - half);
    spread.ask_vols.push_back(q.vols[i] + half);
    explicit_weights.weights.push_back(1.0 / (4 * half * half));
  }
  SmileSettings by_spread, uniform;
  by_spread.weighting = SmileWeighting::spread;
  uniform.weighting = SmileWeighting::uniform;
  auto a = fit_smile(spread, by_spread), b = fit_smile(explicit_weights, uniform);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a.value.params.a == Approx(b.value.params.a).epsilon(1e-6));
  CHECK(a.value.params.rho == Approx(b.value.params.rho).epsilon(1e-6));
  CHECK(a.value.weighted_rms_vol_error == Approx(b.value.weighted_rms_vol_error).epsilon(1e-6));

  SmileQuotes outlier = synthetic_quotes(kSmile, 0.25, 50.0, -0.5, 0.5, 11);
  outlier.vols[4] += 0.2;
  outlier.weights.assign(11, 1.0);
  outlier.weights[4] = 0.0;
  auto c = fit_smile(outlier, uniform);
  REQUIRE(c.ok());
  CHECK(std::fabs(c.value.residuals[3]) < 1e-9);
  CHECK(c.value.residuals[4] == Approx(-0.2).margin(1e-8));  // the dropped quote is still reported
}

TEST_CASE("Smile input errors name the field", "[derivatives][smile][errors]") {
  SmileQuotes q = synthetic_quotes(kSmile, 0.5, 100.0, -0.6, 0.5, 7);
  auto error_of = [](SmileQuotes bad, SmileWeighting w = SmileWeighting::vega) {
    SmileSettings s;
    s.weighting = w;
    return fit_smile(bad, s).error;
  };
  SmileQuotes bad = q;
  bad.strikes[2] = -5;
  CHECK(error_of(bad).field == "smile.strikes[2]");
  CHECK(error_of(bad).code == Status::invalid_value);
  bad = q;
  bad.vols[3] = NAN;
  CHECK(error_of(bad).field == "smile.vols[3]");
  CHECK(error_of(bad).code == Status::non_finite);
  bad = q;
  bad.vols[1] = -0.2;
  CHECK(error_of(bad).field == "smile.vols[1]");
  bad = q;
  bad.vols.pop_back();
  CHECK(error_of(bad).field == "smile.vols");
  CHECK(error_of(bad).code == Status::invalid_shape);
  bad = q;
  bad.strikes.clear();
  bad.vols.clear();
  CHECK(error_of(bad).field == "smile.strikes");
  CHECK(error_of(bad).code == Status::invalid_shape);
  bad = q;
  bad.strikes.resize(4);
  bad.vols.resize(4);
  CHECK(error_of(bad).code == Status::invalid_shape);  // fewer than five quotes
  bad = q;
  bad.expiry_years = 0;
  CHECK(error_of(bad).field == "smile.expiryYears");
  bad = q;
  bad.forward = NAN;
  CHECK(error_of(bad).field == "smile.forward");
  CHECK(error_of(q, SmileWeighting::spread).field == "smile.bidVols");
  CHECK(error_of(q, SmileWeighting::spread).code == Status::missing_field);
  CHECK(validate_svi({0.01, -0.1, 0.0, 0.0, 0.1}, "svi").field == "svi.b");
  CHECK(validate_svi({0.01, 0.1, 1.0, 0.0, 0.1}, "svi").field == "svi.rho");
  CHECK(validate_svi({-0.5, 0.1, 0.0, 0.0, 0.1}, "svi").field == "svi.a");
}

// References: interpolation is linear in total variance at fixed k (checked against the
// formula at the midpoint), exact at the slices, and ln F is linear in T.
TEST_CASE("Surface interpolation in total variance and log-forward", "[derivatives][surface]") {
  const SviParams early{0.01, 0.1, -0.3, 0.0, 0.2}, late{0.03, 0.12, -0.35, 0.02, 0.25};
  std::vector<SurfaceSlice> slices = {{0.1, 100.0, early, -0.5, 0.5}, {0.5, 104.0, late, -0.8, 0.8}};
  REQUIRE(validate_surface(slices, "slices").ok());
  auto at = [&](double K, double T) { return surface_vol(slices, K, T, std::nullopt, "q").value; };
  const SurfacePoint p1 = at(110.0, 0.1);
  CHECK(p1.vol == Approx(std::sqrt(svi_total_variance(early, std::log(1.1)) / 0.1)).epsilon(1e-15));
  const SurfacePoint mid = at(95.0, 0.3);
  const double F = std::exp(0.5 * (std::log(100.0) + std::log(104.0)));
  CHECK(mid.forward == Approx(F).epsilon(1e-15));
  const double k = std::log(95.0 / F);
  CHECK(mid.total_variance == Approx(0.5 * (svi_total_variance(early, k) + svi_total_variance(late, k))).epsilon(1e-14));
  CHECK(at(95.0, 0.05).total_variance == Approx(svi_total_variance(early, std::log(0.95)) * 0.5).epsilon(1e-14));
  CHECK(at(95.0, 1.0).vol == Approx(std::sqrt(svi_total_variance(late, std::log(95.0 / 104.0)) / 0.5)).epsilon(1e-14));
  CHECK(surface_vol(slices, -1.0, 0.2, std::nullopt, "q").error.field == "q.strike");
  CHECK(surface_vol(slices, 90.0, 0.0, std::nullopt, "q").error.field == "q.expiryYears");
  CHECK(surface_vol(slices, 90.0, 0.2, NAN, "q").error.field == "q.forward");
  std::vector<SurfaceSlice> unordered = {slices[1], slices[0]};
  CHECK(validate_surface(unordered, "slices").field == "slices[1].expiryYears");
  CHECK(validate_surface({}, "slices").code == Status::invalid_shape);

  // Calendar: this pair is clean (late has more variance everywhere on the grid)...
  CHECK(check_calendar(slices).arbitrage_free);
  // ...and a later slice with less variance in the right wing is reported, with the shortfall
  // equal to the direct difference at the reported point.
  std::vector<SurfaceSlice> crossed = {{0.1, 100.0, {0.01, 0.3, 0.5, 0.0, 0.1}, -0.5, 0.5},
                                       {0.5, 100.0, {0.03, 0.1, -0.5, 0.0, 0.1}, -0.5, 0.5}};
  const CalendarReport r = check_calendar(crossed);
  REQUIRE_FALSE(r.arbitrage_free);
  REQUIRE(r.violations.size() == 1);
  const auto& v = r.violations[0].where;
  CHECK(v.from_log_moneyness > 0.0);
  CHECK(v.worst == Approx(svi_total_variance(crossed[0].params, v.worst_log_moneyness) -
                          svi_total_variance(crossed[1].params, v.worst_log_moneyness)));
}
