// Every Greek against a central finite difference of the quantity it differentiates.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include "ballast/derivatives/black_scholes.hpp"
#include "specs.hpp"

using namespace ballast::derivatives;
using ballast::test::all_models;
using ballast::test::spec_for;

namespace {

// The underlying U the Greeks refer to (spot or forward).
double& underlying(OptionSpec& s) { return s.model == PricingModel::black_scholes ? *s.spot : *s.forward; }

OptionGreeks at(const OptionSpec& s) {
  auto r = option_greeks(s);
  REQUIRE(r.ok());
  return r.value;
}

// USD value per option: price, or price·F for inverse (delta is ∂(USD value)/∂F there).
double usd_value(const OptionSpec& s) {
  const OptionGreeks g = at(s);
  return s.model == PricingModel::inverse ? g.price * *s.forward : g.price;
}

// Central difference (f(v+h) - f(v-h)) / 2h of f along one input. Truncation error is
// f'''h²/6; rounding error is about ε|f|/h. Steps are chosen relative to the scale on which
// the option changes, s = σ√T being the log-move that matters: U·1e-4·min(s, 1) for the
// underlying (minute expiries get tiny steps), σ·1e-4/max(s, 1) and T·1e-4/max(s, 1) (at
// s = 16, d1 ~ 8 and the Greeks curve faster in σ and T), and for r the smaller of
// 1e-4/max(T, 1) (e^{-rT} must not curve) and 1e-4·min(s, 1)/T (the BSM forward must move
// by under 1e-4 of s); a fixed tiny step would drown a minute option's rho in rounding.
struct Difference {
  double value, rounding;  // the difference and a bound on its rounding error
};

Difference central(OptionSpec s, std::function<double&(OptionSpec&)> member, double h,
                   std::function<double(const OptionSpec&)> f) {
  OptionSpec up = s, down = s;
  member(up) += h;
  member(down) -= h;
  const double fu = f(up), fd = f(down);
  return {(fu - fd) / (2.0 * h), 64.0 * 2.2e-16 * std::max(std::fabs(fu), std::fabs(fd)) / h};
}

void check_close(const char* name, double analytic, const Difference& d) {
  INFO(name << ": analytic " << analytic << ", finite difference " << d.value << ", rounding " << d.rounding);
  CHECK(std::fabs(analytic - d.value) <= 2e-6 * std::fabs(analytic) + d.rounding + 1e-300);
}

}  // namespace

// Reference: central finite differences of price, delta and vega (steps above) over a grid
// of models, moneyness ln(K/F) in -2..2 standard deviations, expiries from one minute to ten
// years and vols from 5% to 500%. Tolerance: 2e-6 relative + the difference's own rounding.
TEST_CASE("Greeks match central finite differences over a grid", "[derivatives][greeks][fd]") {
  for (PricingModel model : all_models)
    for (OptionKind kind : {OptionKind::call, OptionKind::put})
      for (double T : {1.0 / 525600.0, 1.0 / 8760.0, 1.0 / 365.0, 0.25, 2.0, 10.0})
        for (double vol : {0.05, 0.8, 3.0, 5.0})
          for (double sd : {-2.0, -0.5, 0.0, 0.7, 2.0}) {
            const double U = 9348.0, s_total = vol * std::sqrt(T);
            const double r = 0.03, q = model == PricingModel::black_scholes ? 0.01 : 0.0;
            const double K = U * std::exp(sd * s_total);
            OptionSpec s = spec_for(model, kind, U, K, T, vol, r, q);
            const OptionGreeks g = at(s);
            INFO("model " << int(model) << " kind " << int(kind) << " T " << T << " vol " << vol << " sd " << sd);
            auto price = [](const OptionSpec& o) { return at(o).price; };
            auto delta = [](const OptionSpec& o) { return at(o).delta; };
            auto vega = [](const OptionSpec& o) { return at(o).vega; };
            auto vol_of = [](OptionSpec& o) -> double& { return o.vol; };
            auto expiry_of = [](OptionSpec& o) -> double& { return o.expiry_years; };
            auto rate_of = [](OptionSpec& o) -> double& { return o.rate; };
            const double hU = U * 1e-4 * std::min(s_total, 1.0), hv = vol * 1e-4 / std::max(s_total, 1.0);
            const double hT = T * 1e-4 / std::max(s_total, 1.0), hr = 1e-4 * std::min(std::min(s_total, 1.0) / T, 1.0 / std::max(T, 1.0));
            check_close("delta", g.delta, central(s, underlying, hU, usd_value));
            check_close("gamma", g.gamma, central(s, underlying, hU, delta));
            check_close("vega", g.vega, central(s, vol_of, hv, price));
            check_close("theta", g.theta, [&] { auto d = central(s, expiry_of, hT, price); d.value = -d.value; return d; }());
            check_close("rho", g.rho, central(s, rate_of, hr, price));
            check_close("vanna", g.vanna, central(s, vol_of, hv, delta));
            check_close("volga", g.volga, central(s, vol_of, hv, vega));
            check_close("charm", g.charm, [&] { auto d = central(s, expiry_of, hT, delta); d.value = -d.value; return d; }());
            if (model == PricingModel::inverse) {
              // Net transaction delta = F ∂(coin price)/∂F.
              auto d = central(s, underlying, hU, price);
              d.value *= U;
              d.rounding *= U;
              check_close("net_transaction_delta", g.net_transaction_delta, d);
            }
            CHECK(g.vega_per_vol_point == g.vega / 100.0);
            CHECK(g.theta_per_day == g.theta / 365.0);
          }
}
