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
using ballast::test::bsm_spec;
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

// Regression: in the money about a day from expiry, the premium is mostly intrinsic value. The
// vol used to come back up to 20 times less accurate than rounding the premium explains,
// because the intrinsic value was taken from the rounded ln(F/K) (an error of ε·K, against a
// premium rounded to ε·premium). Reference: mpmath 1.3.0 at 50 digits, the Black-Scholes
// premium (rounded to double) and vega of S = 100, r = 5%, for the listed strike, expiry and
// vol. The vol that reproduces the rounded premium exactly is within 0.5·ε·premium/vega of
// the listed vol, so the vol must come back within 2 such roundings (relative: 2ε·price /
// (vega·σ)), and within 1e-15 where that is smaller (the vol's own last bits).
TEST_CASE("implied vol in the money near expiry is as accurate as the premium's rounding allows",
          "[derivatives][implied_vol][regression]") {
  const double table[][6] = {  // put?, strike, expiryYears, vol, premium, vega
      {0, 90, 0.0027397260273972603, 0.3, 10.012327922727696, 3.1291128309504843e-10},
      {0, 90, 0.0027397260273972603, 0.8, 10.019821624374428, 0.08287722324332038},
      {0, 90, 0.0013698630136986301, 0.3, 10.006164172457437, 3.7064050186293074e-20},
      {0, 90, 0.0013698630136986301, 0.8, 10.006292990573106, 0.0024730687427750395},
      {0, 90, 0.010958904109589041, 0.3, 10.049588905225852, 0.013435679346259345},
      {0, 90, 0.010958904109589041, 0.8, 10.438763521694021, 1.7788697076372226},
      {0, 95, 0.0027397260273972603, 0.3, 5.013226718357309, 0.009532151736883649},
      {0, 95, 0.0027397260273972603, 0.8, 5.229000204656323, 0.9570394554079799},
      {0, 95, 0.0013698630136986301, 0.3, 5.006507029524957, 3.248678402975254e-05},
      {0, 95, 0.0013698630136986301, 0.8, 5.054982217758412, 0.31963216862726085},
      {0, 95, 0.010958904109589041, 0.3, 5.115080506684011, 1.0418165740934437},
      {0, 95, 0.010958904109589041, 0.8, 6.385788535600263, 3.3569823562499423},
      {0, 98, 0.0027397260273972603, 0.3, 2.0849006068500673, 0.8933152654900286},
      {0, 98, 0.0027397260273972603, 0.8, 2.851592071167368, 1.8366144722496605},
      {0, 98, 0.0013698630136986301, 0.3, 2.021417755187401, 0.2761097423198602},
      {0, 98, 0.0013698630136986301, 0.8, 2.436490453750683, 1.156167307496669},
      {0, 98, 0.010958904109589041, 0.3, 2.5280236350798337, 3.3222642289189634},
      {0, 98, 0.010958904109589041, 0.8, 4.43351928793136, 4.004752538502269},
      {0, 99.5, 0.0027397260273972603, 0.3, 0.9149469181409114, 1.9736912275285818},
      {0, 99.5, 0.0027397260273972603, 0.8, 1.9355110738659977, 2.0666467434950597},
      {0, 99.5, 0.0013698630136986301, 0.3, 0.7407184318281693, 1.326377468762001},
      {0, 99.5, 0.0013698630136986301, 0.8, 1.4489161162318043, 1.4511198505008522},
      {0, 99.5, 0.010958904109589041, 0.3, 1.5461536213875204, 4.099448293018649},
      {0, 99.5, 0.010958904109589041, 0.8, 3.615405893326843, 4.151912257463442},
      {1, 101, 0.0027397260273972603, 0.3, 1.241692917054813, 1.7261272506109588},
      {1, 101, 0.0027397260273972603, 0.8, 2.217604834097412, 2.0411419479021515},
      {1, 101, 0.0013698630136986301, 0.3, 1.1072212892549003, 0.9986079580833238},
      {1, 101, 0.0013698630136986301, 0.8, 1.749101442368742, 1.403331835011571},
      {1, 101, 0.010958904109589041, 0.3, 1.7870884635918467, 4.01160620566393},
      {1, 101, 0.010958904109589041, 0.8, 3.8493064379953625, 4.165983314841586},
      {1, 105, 0.0027397260273972603, 0.3, 4.986049909373229, 0.017607358827757682},
      {1, 105, 0.0027397260273972603, 0.8, 5.2457130176659525, 1.0891395526538374},
      {1, 105, 0.0013698630136986301, 0.3, 4.992809824242827, 9.973160371522337e-05},
      {1, 105, 0.0013698630136986301, 0.8, 5.056095950157192, 0.39068726217982025},
      {1, 105, 0.010958904109589041, 0.3, 5.029265517532546, 1.3147022923384593},
      {1, 105, 0.010958904109589041, 0.8, 6.4460616185364055, 3.6210450975042208},
      {1, 110, 0.0027397260273972603, 0.3, 9.98493253906574, 2.309512855406385e-08},
      {1, 110, 0.0027397260273972603, 0.8, 10.002334536641925, 0.16541846155464326},
      {1, 110, 0.0013698630136986301, 0.3, 9.992466011440909, 1.6336512306825006e-16},
      {1, 110, 0.0013698630136986301, 0.8, 9.993006774156918, 0.008773039086045254},
      {1, 110, 0.010958904109589041, 0.3, 9.940925714342828, 0.04616132963116766},
      {1, 110, 0.010958904109589041, 0.8, 10.505363116045256, 2.3065831095058567},
  };
  int scored = 0;
  for (const auto& row : table) {
    OptionSpec spec = bsm_spec(row[0] == 1.0 ? OptionKind::put : OptionKind::call, 100.0, row[1], row[2], 0.0, 0.05);
    const double vol = row[3], price = row[4], vega = row[5];
    const double rounding = std::numeric_limits<double>::epsilon() * price / (vega * vol);
    if (!(rounding <= 1e-12)) continue;  // the premium barely pins the vol there
    ++scored;
    const auto iv = implied_vol(spec, price);
    REQUIRE(iv.ok());
    REQUIRE(iv.value.status == ImpliedVolStatus::ok);
    INFO("put " << row[0] << " K " << row[1] << " T " << row[2] << " vol " << vol << ": error "
                << std::fabs(iv.value.vol - vol) / vol << ", premium rounding " << rounding);
    CHECK(std::fabs(iv.value.vol - vol) / vol <= std::max(2.0 * rounding, 1e-15));
  }
  CHECK(scored >= 30);
}
