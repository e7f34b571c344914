// Prices and Greeks against textbook values, parity, limits, and the input contract.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/forward_terms.hpp"
#include "ballast/derivatives/normalised_black.hpp"
#include "specs.hpp"

using namespace ballast;
using namespace ballast::derivatives;
using ballast::test::all_models;
using ballast::test::bsm_spec;
using ballast::test::forward_spec;
using ballast::test::spec_for;

namespace {
OptionGreeks greeks_of(const OptionSpec& spec) {
  auto r = option_greeks(spec);
  REQUIRE(r.ok());
  return r.value;
}
}  // namespace

// Reference: Hull, "Options, Futures, and Other Derivatives", 8th ed. (2012), Example 15.6
// (the same example in the BSM chapter of the 9th and 10th eds.): S0 = 42, K = 40, r = 10%,
// σ = 20%, T = 0.5 gives c = 4.76 and p = 0.81 (Hull prints two decimals).
TEST_CASE("Black-Scholes prices match Hull's Example 15.6", "[derivatives][black_scholes][textbook]") {
  CHECK(greeks_of(bsm_spec(OptionKind::call, 42, 40, 0.5, 0.2, 0.1)).price == Approx(4.76).margin(0.005));
  CHECK(greeks_of(bsm_spec(OptionKind::put, 42, 40, 0.5, 0.2, 0.1)).price == Approx(0.81).margin(0.005));
}

// Reference: Hull, 8th ed., Chapter 18 "The Greek Letters" (Chapter 19 in the 9th/10th eds.):
// its running example, a call with S0 = 49, K = 50, r = 5%, σ = 20%, T = 20 weeks = 0.3846,
// worth $2.40 per share, has delta 0.522, gamma 0.066, vega 12.1 (per 1.00 of vol; Hull: a
// 1% rise in vol adds 0.121), theta -4.31 per year (-0.0118 per calendar day) and rho 8.91.
TEST_CASE("Black-Scholes Greeks match Hull's Greek Letters example", "[derivatives][black_scholes][textbook]") {
  const OptionGreeks g = greeks_of(bsm_spec(OptionKind::call, 49, 50, 20.0 / 52.0, 0.2, 0.05));
  CHECK(g.price == Approx(2.40).margin(0.005));
  CHECK(g.delta == Approx(0.522).margin(0.0005));
  CHECK(g.gamma == Approx(0.066).margin(0.0005));
  CHECK(g.vega == Approx(12.1).margin(0.05));
  CHECK(g.vega_per_vol_point == Approx(0.121).margin(0.0005));
  CHECK(g.theta == Approx(-4.31).margin(0.005));
  CHECK(g.theta_per_day == Approx(-0.0118).margin(0.00005));
  CHECK(g.rho == Approx(8.91).margin(0.005));
}

// Reference: Hull, 8th ed., Chapter 18 "Futures Options", Black's model example: a European
// put futures option with F0 = K = 20, r = 9%, σ = 25%, T = 4 months is worth 1.12.
TEST_CASE("Black-76 matches Hull's futures-option example", "[derivatives][black76][textbook]") {
  const OptionGreeks g = greeks_of(forward_spec(PricingModel::black76, OptionKind::put, 20, 20, 4.0 / 12.0, 0.25, 0.09));
  CHECK(g.price == Approx(1.12).margin(0.005));
  // At the money on the forward d1 = σ√T/2, and the put delta is -D·Φ(-d1), written here
  // with std::erfc (Φ(-d1) = erfc(d1/√2)/2).
  const double D = std::exp(-0.09 / 3.0), d1 = 0.5 * 0.25 * std::sqrt(1.0 / 3.0);
  CHECK(g.delta == Approx(-D * 0.5 * std::erfc(d1 / std::sqrt(2.0))).epsilon(1e-14));
}

// Reference: put-call parity C - P = D (F - K) (for inverse, divided by F) on a grid of
// strikes from 1e-3 F to 1e3 F, expiries from a minute to 30 years and vols to 500%.
TEST_CASE("put-call parity holds for every model over a grid", "[derivatives][parity]") {
  for (PricingModel model : all_models)
    for (double moneyness : {1e-3, 0.3, 0.9, 1.0, 1.1, 3.0, 1e3})
      for (double T : {1.0 / 525600.0, 1.0 / 365.0, 0.5, 30.0})
        for (double vol : {0.01, 0.8, 5.0}) {
          const double U = 9348.0, K = U * moneyness, r = 0.03, q = 0.01;
          const OptionGreeks c = greeks_of(spec_for(model, OptionKind::call, U, K, T, vol, r, q));
          const OptionGreeks p = greeks_of(spec_for(model, OptionKind::put, U, K, T, vol, r, q));
          const double F = model == PricingModel::black_scholes ? U * std::exp((r - q) * T) : U;
          const double per_usd = model == PricingModel::inverse ? 1.0 / F : 1.0;
          const double D = std::exp(-r * T);
          INFO("model " << int(model) << " K/U " << moneyness << " T " << T << " vol " << vol);
          const double scale = per_usd * D * (F + K);
          CHECK(std::fabs((c.price - p.price) - per_usd * D * (F - K)) <= 1e-14 * scale);
          // Delta parity: call delta - put delta = ∂(D(F-K))/∂U.
          const double carry_delta = model == PricingModel::black_scholes ? std::exp(-q * T) : D;
          CHECK(std::fabs((c.delta - p.delta) - carry_delta) <= 1e-15);
          CHECK(c.gamma == Approx(p.gamma).epsilon(1e-13).margin(1e-300));
          CHECK(c.vega == Approx(p.vega).epsilon(1e-13).margin(1e-300));
        }
}

// Reference: the limits documented in black_scholes.hpp: at T = 0 or σ = 0 the value is the
// discounted intrinsic value of the forward and delta a step, one half at the money.
TEST_CASE("expired and zero-vol options have their documented values", "[derivatives][limits]") {
  const OptionGreeks itm = greeks_of(bsm_spec(OptionKind::call, 110, 100, 0.0, 0.5, 0.05));
  CHECK(itm.price == Approx(10.0).epsilon(1e-15));
  CHECK(itm.delta == 1.0);
  CHECK(itm.gamma == 0.0);
  CHECK(itm.vega == 0.0);
  const OptionGreeks atm = greeks_of(forward_spec(PricingModel::black76, OptionKind::put, 100, 100, 0.0, 0.5, 0.05));
  CHECK(atm.price == 0.0);
  CHECK(atm.delta == -0.5);
  const OptionGreeks atm_call = greeks_of(forward_spec(PricingModel::inverse, OptionKind::call, 100, 100, 0.0, 0.5, 0.0));
  CHECK(atm_call.delta == 0.5);
  CHECK(atm_call.net_transaction_delta == 0.5);
  // Zero vol, one year: D·max(F - K, 0) with F = S e^{(r-q)T}; theta keeps the carry terms.
  const double r = 0.05, q = 0.02, S = 100, K = 90, F = S * std::exp(r - q);
  const OptionGreeks z = greeks_of(bsm_spec(OptionKind::call, S, K, 1.0, 0.0, r, q));
  CHECK(z.price == Approx(std::exp(-r) * (F - K)).epsilon(1e-14));
  CHECK(z.delta == Approx(std::exp(-q)).epsilon(1e-15));
  CHECK(z.theta == Approx(q * S * std::exp(-q) - r * K * std::exp(-r)).epsilon(1e-14));
  CHECK(z.gamma == 0.0);
  CHECK(z.vanna == 0.0);
  CHECK(z.volga == 0.0);
}

// Reference: the no-NaN rule: every Greek finite for every model on the corners of the
// accepted input box (OptionLimits), including the smallest positive vol and expiry.
TEST_CASE("Greeks are finite on the corners of the accepted inputs", "[derivatives][limits]") {
  const double prices[] = {OptionLimits::min_price, 1.0, OptionLimits::max_price};
  const double expiries[] = {0.0, OptionLimits::min_positive_expiry_years, 1.0 / 525600.0, 1.0,
                             OptionLimits::max_expiry_years};
  const double vols[] = {0.0, OptionLimits::min_positive_vol, 0.01, 5.0, OptionLimits::max_vol};
  const double rates[] = {-1.0, 0.0, 1.0};
  int checked = 0;
  for (PricingModel model : all_models)
    for (OptionKind kind : {OptionKind::call, OptionKind::put})
      for (double U : prices)
        for (double K : prices)
          for (double T : expiries)
            for (double vol : vols)
              for (double r : rates) {
                const double q = model == PricingModel::black_scholes ? -r : 0.0;
                auto g = option_greeks(spec_for(model, kind, U, K, T, vol, r, q));
                REQUIRE(g.ok());
                const OptionGreeks& v = g.value;
                const double all[] = {v.price, v.delta, v.gamma, v.vega, v.vega_per_vol_point, v.theta,
                                      v.theta_per_day, v.rho, v.vanna, v.volga, v.charm, v.net_transaction_delta};
                bool finite = true;
                for (double a : all) finite = finite && std::isfinite(a);
                INFO("model " << int(model) << " U " << U << " K " << K << " T " << T << " vol " << vol << " r " << r);
                CHECK(finite);
                CHECK(v.price >= 0.0);
                ++checked;
              }
  CHECK(checked == 3 * 2 * 3 * 3 * 5 * 5 * 3);
}

// Reference: the error contract in option.hpp (status and field path per bad member).
TEST_CASE("invalid options are refused with a status and a field path", "[derivatives][input]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto refused = [](OptionSpec s, Status code, const std::string& field) {
    auto r = option_greeks(s, "options[3]");
    INFO(r.error.message);
    CHECK(r.error.code == code);
    CHECK(r.error.field == field);
  };
  const OptionSpec good = bsm_spec(OptionKind::call, 100, 100, 1, 0.2, 0.01);
  REQUIRE(option_greeks(good, "options[3]").ok());
  OptionSpec s = good;
  s.strike = -5;
  refused(s, Status::invalid_value, "options[3].strike");
  s = good;
  s.vol = nan;
  refused(s, Status::non_finite, "options[3].vol");
  s = good;
  s.vol = -0.1;
  refused(s, Status::invalid_value, "options[3].vol");
  s = good;
  s.vol = 1e-9;  // positive but below min_positive_vol
  refused(s, Status::invalid_value, "options[3].vol");
  s = good;
  s.expiry_years = -1;
  refused(s, Status::invalid_value, "options[3].expiryYears");
  s = good;
  s.spot.reset();
  refused(s, Status::missing_field, "options[3].spot");
  s = good;
  s.forward = 100;
  refused(s, Status::invalid_value, "options[3].forward");
  s = good;
  s.rate = std::numeric_limits<double>::infinity();
  refused(s, Status::non_finite, "options[3].rate");
  s = good;
  s.quantity = nan;
  refused(s, Status::non_finite, "options[3].quantity");
  OptionSpec f = forward_spec(PricingModel::black76, OptionKind::put, 100, 100, 1, 0.2, 0.01);
  REQUIRE(option_greeks(f).ok());
  f.spot = 100;
  refused(f, Status::invalid_value, "options[3].spot");
  f = forward_spec(PricingModel::inverse, OptionKind::put, 100, 100, 1, 0.2, 0.01);
  f.forward.reset();
  refused(f, Status::missing_field, "options[3].forward");
  f = forward_spec(PricingModel::black76, OptionKind::put, 100, 100, 1, 0.2, 0.01);
  f.dividend_yield = 0.02;
  refused(f, Status::invalid_value, "options[3].dividendYield");
  CHECK(option_price(good).ok());
  CHECK(option_price(s, "x").error.field == "x.quantity");
}

// Reference: the wing-safe normalised Black value D √(FK) b(x, s) (normalised_black.hpp,
// itself tested against mpmath in the wings). The price takes the closed form
// θ(D F Φ(θd1) - D K Φ(θd2)) only where its terms cannot cancel; this checks that choice on a
// dense grid through the wings (|x| up to 40 s and 40), short expiries (s down to 1e-6) and
// huge total vols (s up to 30; vol 3%, 80% or 500%, T = (s/vol)²), calls and puts, every model: wherever the closed form is
// taken, it agrees with the wing-safe value to 0.0 ulps (where it is not, the two
// are the same number).
TEST_CASE("the closed-form price is used only where it keeps relative accuracy", "[derivatives][black_scholes][wings]") {
  double worst = 0.0;
  std::string where;
  int compared = 0;
  for (PricingModel model : all_models) {
    for (double s : {1e-6, 1e-4, 0.003, 0.02, 0.1, 0.3, 0.7, 1.0, 2.0, 5.0, 12.0, 30.0}) {
      for (int k = -400; k <= 400; ++k) {
        const double x = std::max(-40.0, std::min(40.0, 0.1 * k * s + 0.001 * k));  // ln(F/K)
        for (OptionKind kind : {OptionKind::call, OptionKind::put}) {
          const double vol = s < 0.01 ? 0.03 : s < 5.0 ? 0.8 : 5.0, T = (s / vol) * (s / vol), F = 100.0, r = 0.03;
          OptionSpec spec = spec_for(model, kind, F, F / std::exp(x), T, vol, r, 0.0);
          const auto g = option_greeks(spec);
          INFO("s " << s << " x " << x << " T " << T << " vol " << vol << ": " << g.error.field << " " << g.error.message);
          REQUIRE(g.ok());
          // The same D, F, K, x and s the engine forms, into the wing-safe formula.
          const double S = model == PricingModel::black_scholes ? *spec.spot : 0.0;
          const double D = discount_for(r * T).factor;
          const double fwd = model == PricingModel::black_scholes ? S / D : *spec.forward;
          const double K = spec.strike;
          const double theta = kind == OptionKind::call ? 1.0 : -1.0;
          const double lm = log_moneyness(model == PricingModel::black_scholes, S, K, r * T, fwd);
          double want = D * std::sqrt(fwd) * std::sqrt(K) * normalised_black(lm, vol * std::sqrt(T), theta);
          if (model == PricingModel::inverse) want /= fwd;
          if (!(want > 1e-300) || theta * lm > 0.0) continue;  // in the money: parity, tested above
          ++compared;
          const double ulp = std::nextafter(want, 2.0 * want) - want;
          // normalised_black is tested to (8 + 2h²) ulps (h = x/s); the closed form, used only
          // where a - c >= (a + c)/2, to 3u + 1 ulps with u = 8, the CDF's bound (test_normal).
          const double h = lm / (vol * std::sqrt(T));
          const double e = std::fabs(g.value.price - want) / ulp / (33.0 + 2.0 * h * h);
          if (e > worst) { worst = e; where = "s " + std::to_string(s) + " x " + std::to_string(x) + " kind " + std::to_string(int(kind)) + " model " + std::to_string(int(model)); }
        }
      }
    }
  }
  INFO("worst: " << worst << " of the bound over " << compared << " prices at " << where);
  CHECK(compared > 20000);
  CHECK(worst <= 1.0);
}
