// Implied vol: round trips to machine precision, iteration counts, and the bound statuses.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <map>

#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/implied_vol.hpp"
#include "ballast/derivatives/normalised_black.hpp"
#include "specs.hpp"

using namespace ballast;
using namespace ballast::derivatives;
using ballast::test::all_models;
using ballast::test::spec_for;

namespace {

// The accuracy criterion: where one rounding of the price moves the vol by at most 1e-14
// (relative_vol_uncertainty <= 1e-14, i.e. vega·σ >= 0.02·price: the vega is not
// negligible), the vol must come back within 1e-12. Elsewhere the price only pins the vol to
// about relative_vol_uncertainty, and we ask for the status and that much accuracy.
constexpr double kDetermined = 1e-14;
constexpr double kAccuracy = 1e-12;

struct RoundTripStats {
  int solved = 0, determined = 0, at_intrinsic = 0, at_maximum = 0;
  double worst_determined = 0.0;
  std::map<int, int> iterations;  // over the determined cases
};

// price: what was inverted; low and high: its no-arbitrage bounds (intrinsic, maximum).
// A price within 1e-12 of a bound may come back as that bound's status: rounding of the
// time value (or of the distance to the maximum) has then left no information on the vol.
void check_round_trip(double vol, const ImpliedVol& iv, double price, double low, double high,
                      RoundTripStats& stats) {
  if (iv.status == ImpliedVolStatus::at_intrinsic) {
    CHECK(price - low <= 1e-12 * price);
    ++stats.at_intrinsic;
    return;
  }
  if (iv.status == ImpliedVolStatus::above_maximum) {
    CHECK(high - price <= 1e-12 * price);
    ++stats.at_maximum;
    return;
  }
  REQUIRE(iv.status == ImpliedVolStatus::ok);
  ++stats.solved;
  const double err = std::fabs(iv.vol - vol) / vol;
  if (iv.relative_vol_uncertainty <= kDetermined) {
    ++stats.determined;
    ++stats.iterations[iv.iterations];
    stats.worst_determined = std::max(stats.worst_determined, err);
    CHECK(err <= kAccuracy);
  } else {
    CHECK(err <= std::max(kAccuracy, 100.0 * iv.relative_vol_uncertainty));
  }
}

}  // namespace

// Reference: the round trip vol -> option_price -> implied_vol through the public API, for
// every model and kind, ln(K/F) from -5 to 5 standard deviations and further (±8, ±15, ±30),
// vols 1%..500%, expiries one minute..ten years.
TEST_CASE("implied vol recovers the vol through every model", "[derivatives][implied_vol]") {
  RoundTripStats stats;
  for (PricingModel model : all_models)
    for (OptionKind kind : {OptionKind::call, OptionKind::put})
      for (double T : {1.0 / 525600.0, 1.0 / 24 / 365, 1.0 / 365.0, 7.0 / 365.0, 0.25, 1.0, 10.0})
        for (double vol : {0.01, 0.05, 0.2, 0.8, 1.5, 3.0, 5.0})
          for (double sd : {-30.0, -15.0, -8.0, -5.0, -3.0, -1.5, -0.5, 0.0, 0.3, 1.0, 2.0, 4.0, 5.0, 8.0, 15.0, 30.0}) {
            const double U = 9348.0, r = 0.02, q = model == PricingModel::black_scholes ? 0.01 : 0.0;
            const double F = model == PricingModel::black_scholes ? U * std::exp((r - q) * T) : U;
            const double K = F * std::exp(sd * vol * std::sqrt(T));
            if (K < OptionLimits::min_price || K > OptionLimits::max_price) continue;  // not accepted
            const OptionSpec spec = spec_for(model, kind, U, K, T, vol, r, q);
            auto price = option_price(spec);
            REQUIRE(price.ok());
            if (!(price.value > 0.0)) continue;  // underflowed: nothing to invert
            auto iv = implied_vol(spec, price.value);
            REQUIRE(iv.ok());
            INFO("model " << int(model) << " kind " << int(kind) << " T " << T << " vol " << vol << " sd " << sd
                          << " price " << price.value << " got " << iv.value.vol << " unc "
                          << iv.value.relative_vol_uncertainty);
            const double D = std::exp(-r * T), per_usd = model == PricingModel::inverse ? 1.0 / F : 1.0;
            const double theta = kind == OptionKind::call ? 1.0 : -1.0;
            const double low = per_usd * D * std::max(theta * (F - K), 0.0);
            const double high = per_usd * D * (kind == OptionKind::call ? F : K);
            check_round_trip(vol, iv.value, price.value, low, high, stats);
          }
  CHECK(stats.determined > 2000);
  CHECK(stats.worst_determined <= kAccuracy);
  CHECK(stats.iterations.rbegin()->first <= 4);
}

// Reference: the normalised problem on a dense grid, s = σ√T from 1e-6 to 100 and
// x = ln(F/K) from -40 to 40 standard deviations (|x| <= 700, the reachable range), with the
// count of Householder steps where the price determines the vol. Measured (110,000 cases):
// for β > 1e-300 every determined case takes 2 steps (92%) or 3 (8%), worst error 9.4e-15;
// normalised prices within a few decades of DBL_MIN (the starting guess's maps overflow
// there) take up to 8 steps and are still exact.
TEST_CASE("normalised implied vol: dense grid accuracy and iteration counts", "[derivatives][implied_vol]") {
  RoundTripStats normal, tiny;
  for (double theta : {1.0, -1.0})
    for (double s = 1e-6; s < 100.0; s *= 1.09)
      for (double m = -40.0; m <= 40.0; m += 0.29) {
        const double x = m * s;
        if (std::fabs(x) > 700.0) continue;
        const double beta = normalised_black(x, s, theta);
        if (!(beta > 0.0)) continue;
        INFO("theta " << theta << " s " << s << " x " << x << " beta " << beta);
        check_round_trip(s, implied_total_vol(beta, x, theta), beta, normalised_intrinsic(x, theta),
                         std::exp(0.5 * theta * x), beta > 1e-300 ? normal : tiny);
      }
  CHECK(normal.determined > 50000);
  CHECK(normal.worst_determined <= kAccuracy);
  CHECK(tiny.worst_determined <= kAccuracy);
  CHECK(normal.iterations.rbegin()->first <= 3);
  CHECK(normal.iterations[2] >= 0.9 * normal.determined);
  CHECK(tiny.iterations.rbegin()->first <= 10);
}

// Reference: the no-arbitrage bounds D·max(θ(F-K), 0) <= V < D·F (call) or D·K (put).
TEST_CASE("prices outside the no-arbitrage bounds get a status, never a vol", "[derivatives][implied_vol]") {
  for (PricingModel model : all_models) {
    const double F = 100.0, r = 0.05, T = 0.5, D = std::exp(-r * T);
    const double per_usd = model == PricingModel::inverse ? 1.0 / F : 1.0;
    auto status_of = [&](OptionKind kind, double K, double usd) {
      auto iv = implied_vol(spec_for(model, kind, F, K, T, 0.0, r, 0.0), usd * per_usd);
      REQUIRE(iv.ok());
      if (iv.value.status != ImpliedVolStatus::ok && iv.value.status != ImpliedVolStatus::at_intrinsic)
        CHECK(iv.value.vol == 0.0);
      return iv.value.status;
    };
    // BSM is given spot; choose spot so its forward is F as well.
    INFO("model " << int(model));
    if (model == PricingModel::black_scholes) continue;  // covered below with its own forward
    CHECK(status_of(OptionKind::call, 90, D * 10.0 * (1 - 1e-9)) == ImpliedVolStatus::below_intrinsic);
    CHECK(status_of(OptionKind::call, 90, -1.0) == ImpliedVolStatus::below_intrinsic);
    CHECK(status_of(OptionKind::call, 90, D * 10.0) == ImpliedVolStatus::at_intrinsic);
    CHECK(status_of(OptionKind::call, 110, 0.0) == ImpliedVolStatus::at_intrinsic);
    CHECK(status_of(OptionKind::call, 110, D * F) == ImpliedVolStatus::above_maximum);
    CHECK(status_of(OptionKind::put, 110, D * 110.0 * 1.01) == ImpliedVolStatus::above_maximum);
    CHECK(status_of(OptionKind::put, 110, D * 10.0 + 1e-3) == ImpliedVolStatus::ok);
  }
  // Black-Scholes: intrinsic of the forward S e^{(r-q)T}, discounted.
  const double S = 100, K = 90, r = 0.05, q = 0.03, T = 2, F = S * std::exp((r - q) * T), D = std::exp(-r * T);
  auto bsm = ballast::test::bsm_spec(OptionKind::call, S, K, T, 0.0, r, q);
  CHECK(implied_vol(bsm, D * (F - K) * 0.999).value.status == ImpliedVolStatus::below_intrinsic);
  CHECK(implied_vol(bsm, D * (F - K) * 1.001).value.status == ImpliedVolStatus::ok);
  CHECK(implied_vol(bsm, S * std::exp(-q * T)).value.status == ImpliedVolStatus::above_maximum);
  // Expired: only the intrinsic value has a vol (zero).
  bsm.expiry_years = 0.0;
  CHECK(implied_vol(bsm, 10.0).value.status == ImpliedVolStatus::at_intrinsic);
  CHECK(implied_vol(bsm, 10.5).value.status == ImpliedVolStatus::above_maximum);
  CHECK(to_string(ImpliedVolStatus::below_intrinsic) == "below-intrinsic");
}

// Reference: the error contract (tier 1) in implied_vol.hpp.
TEST_CASE("implied vol refuses invalid calls with a field path", "[derivatives][implied_vol][input]") {
  auto spec = ballast::test::bsm_spec(OptionKind::put, 100, 100, 1, 0.0, 0.01);
  auto bad_price = implied_vol(spec, std::numeric_limits<double>::quiet_NaN(), "quotes[2]");
  CHECK(bad_price.error.code == Status::non_finite);
  CHECK(bad_price.error.field == "quotes[2].price");
  spec.vol = std::numeric_limits<double>::quiet_NaN();  // ignored: implied_vol solves for it
  CHECK(implied_vol(spec, 5.0).ok());
  spec.strike = 0.0;
  CHECK(implied_vol(spec, 5.0, "quotes[2]").error.field == "quotes[2].strike");
}
