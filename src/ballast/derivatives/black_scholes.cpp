#include "ballast/derivatives/black_scholes.hpp"

#include <algorithm>
#include <cmath>

#include "ballast/derivatives/forward_terms.hpp"
#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/normalised_black.hpp"

namespace ballast::derivatives {

namespace {


// Everything the closed-form Greeks need, with the s = 0 limits already taken.
struct BlackTerms {
  double D = 1.0, Dq = 1.0;  // e^{-rT}, e^{-qT} (q = 0 outside black_scholes)
  double F = 0.0, K = 0.0;   // forward, strike
  double total_vol = 0.0;    // s = σ√T
  double theta = 1.0;        // +1 call, -1 put
  double T = 0.0, sigma = 0.0, sqrt_t = 0.0;
  double d1 = 0.0, d2 = 0.0;
  double cdf1 = 0.0;  // Φ(θ d1)
  double cdf2 = 0.0;  // Φ(θ d2)
  double pdf1 = 0.0;  // φ(d1); 0 when s = 0
  double value_usd = 0.0;
};

// Φ(θ d) as s -> 0: a step in θ·ln(F/K), one half exactly at the money (our convention).
double step(double theta_x) { return theta_x > 0.0 ? 1.0 : (theta_x < 0.0 ? 0.0 : 0.5); }

BlackTerms black_terms(const PricingPoint& p) {
  BlackTerms b;
  b.T = p.expiry_years;
  b.sigma = p.vol;
  b.theta = p.theta;
  b.K = p.strike;
  const bool on_spot = p.model == PricingModel::black_scholes;
  const Discount rate = discount_for(p.rate * b.T);
  const Discount dividend = discount_for(on_spot ? p.dividend_yield * b.T : 0.0);
  b.D = rate.factor;
  b.Dq = dividend.factor;
  b.F = on_spot ? p.underlying * b.Dq / b.D : p.underlying;  // F = S e^{(r-q)T}
  b.sqrt_t = std::sqrt(b.T);
  b.total_vol = b.sigma * b.sqrt_t;
  const double x = log_moneyness(on_spot, p.underlying, b.K, (p.rate - p.dividend_yield) * b.T, b.F);
  const double s = b.total_vol;
  // Value = the out-of-the-money option's value + (in the money) the intrinsic value D(F - K),
  // which discounted_forward_minus_strike forms without cancellation (put-call parity).
  const double theta_otm = x > 0.0 ? -1.0 : 1.0;
  const double intrinsic =
      b.theta == theta_otm ? 0.0
                           : b.theta * discounted_forward_minus_strike(on_spot, p.underlying, b.K, rate, dividend, b.F);
  if (!(s > 0.0)) {
    b.cdf1 = b.cdf2 = step(b.theta * x);
    b.value_usd = std::max(0.0, intrinsic);  // the time value vanishes with s
    return b;
  }
  // d1,2 = x/s ± s/2, formed as h ± t are in normalised_black.cpp (h = x/s, t = s/2).
  b.d1 = x / s + 0.5 * s;
  b.d2 = x / s - 0.5 * s;
  // One exponential for both densities: φ(d2) = φ(d1) e^x exactly (d1² - d2² = 2x). It is
  // taken at the d nearer 0, so the other density is the smaller one and only ever
  // underflows where it is negligible.
  const double ratio = b.F / b.K;  // e^x
  double e1, e2;  // exp(-d²/2)
  if (x > 0.0) {
    e2 = exp_minus_half_square(b.d2);
    e1 = e2 / ratio;
  } else {
    e1 = exp_minus_half_square(b.d1);
    e2 = e1 * ratio;
  }
  b.pdf1 = kInvSqrt2Pi * e1;
  // The smaller tails Φ(-|d|), each to a few ulps; Φ(θd) is the tail or its complement.
  const double tail1 = norm_tail_given(b.d1, e1), tail2 = norm_tail_given(b.d2, e2);
  b.cdf1 = b.theta * b.d1 < 0.0 ? tail1 : 1.0 - tail1;
  b.cdf2 = b.theta * b.d2 < 0.0 ? tail2 : 1.0 - tail2;
  // The out-of-the-money value θo(a - c), a = D F Φ(θo d1), c = D K Φ(θo d2), from the same
  // CDFs where it is accurate: each term carries a relative error of a few ulps (u), so the
  // difference is within u·(a + c) + ε|a - c|, at most 3u + ε relative when a - c is at least
  // half of a + c. Elsewhere (far out of the money, or near the money at short expiry, where
  // the two terms nearly cancel) the wing-safe form.
  const double otm1 = theta_otm * b.d1 < 0.0 ? tail1 : 1.0 - tail1;
  const double otm2 = theta_otm * b.d2 < 0.0 ? tail2 : 1.0 - tail2;
  const double a = (on_spot ? p.underlying * b.Dq : b.D * b.F) * otm1;
  const double c = b.D * b.K * otm2;
  const double direct = theta_otm * (a - c);
  double otm_value = direct;
  if (!(2.0 * direct >= a + c)) {
    // D √(FK) b(-|x|, s) (normalised_black.hpp), with √(FK) = K e^{x/2} and its common factor
    // exp(-(h² + t²)/2) = exp(-d1²/2) e^{x/2} = exp(-d2²/2) e^{-x/2} from the larger density.
    const double root = std::sqrt(ratio);  // e^{x/2}
    const double common = x > 0.0 ? e2 / root : e1 * root;
    otm_value = b.D * b.K * root * normalised_otm_call(-std::fabs(x), s, common);
  }
  b.value_usd = std::max(0.0, otm_value + intrinsic);
  return b;
}

// density * factor, where the factor may be huge (it holds d1 or d2) exactly when the
// density has underflowed to 0: 0 * inf would be NaN, the limit is 0.
double with_density(double density, double factor) { return density == 0.0 ? 0.0 : density * factor; }

// Black-76 in USD, Greeks with respect to the forward F.
OptionGreeks black76_greeks(const PricingPoint& p, const BlackTerms& b) {
  const double D = b.D, F = b.F, V = b.value_usd, s = b.total_vol;
  OptionGreeks g;
  g.price = V;
  g.delta = b.theta * D * b.cdf1;
  g.rho = -b.T * V;  // F is held fixed: only the discount factor moves
  if (s > 0.0) {
    g.gamma = D * b.pdf1 / (F * s);
    g.vega = D * F * b.pdf1 * b.sqrt_t;
    g.vanna = -D * with_density(b.pdf1, b.d2 / b.sigma);
    g.volga = with_density(g.vega, b.d1 * b.d2 / b.sigma);
  }
  // -∂V/∂T = rV - D F φ(d1) σ / (2√T); the second term is 0 when s = 0.
  g.theta = p.rate * V - (s > 0.0 ? D * F * b.pdf1 * b.sigma / (2.0 * b.sqrt_t) : 0.0);
  // -∂Δ/∂T = rΔ + D φ(d1) d2 / (2T), using ∂d1/∂T = -d2 / (2T).
  g.charm = p.rate * g.delta + (s > 0.0 ? D * with_density(b.pdf1, b.d2 / (2.0 * b.T)) : 0.0);
  g.net_transaction_delta = g.delta;
  return g;
}

// Black-Scholes-Merton in USD, Greeks with respect to spot S (carry b = r - q).
OptionGreeks black_scholes_greeks(const PricingPoint& p, const BlackTerms& b) {
  const double S = p.underlying, K = b.K, D = b.D, Dq = b.Dq, theta = b.theta, s = b.total_vol;
  const double r = p.rate, q = p.dividend_yield, carry = r - q;
  OptionGreeks g;
  g.price = b.value_usd;
  g.delta = theta * Dq * b.cdf1;
  g.rho = theta * K * b.T * D * b.cdf2;
  g.theta = theta * (q * S * Dq * b.cdf1 - r * K * D * b.cdf2);  // carry part; time value below
  g.charm = q * g.delta;
  if (s > 0.0) {
    g.gamma = Dq * b.pdf1 / (S * s);
    g.vega = S * Dq * b.pdf1 * b.sqrt_t;
    g.vanna = -Dq * with_density(b.pdf1, b.d2 / b.sigma);
    g.volga = with_density(g.vega, b.d1 * b.d2 / b.sigma);
    g.theta -= S * Dq * b.pdf1 * b.sigma / (2.0 * b.sqrt_t);
    // -∂Δ/∂T = qΔ - e^{-qT} φ(d1) ∂d1/∂T, with ∂d1/∂T = (r-q)/(σ√T) - d2/(2T).
    g.charm -= Dq * with_density(b.pdf1, carry / s - b.d2 / (2.0 * b.T));
  }
  g.net_transaction_delta = g.delta;
  return g;
}

// Inverse: premium P = V/F in coin. With F held, ∂P/∂(σ, T, r) = ∂V/∂(σ, T, r) / F; delta,
// gamma, vanna and charm stay the USD-value (Black-76) ones, as Deribit shows them.
OptionGreeks inverse_greeks(const PricingPoint& p, const BlackTerms& b) {
  OptionGreeks g = black76_greeks(p, b);
  const double per_usd = 1.0 / b.F;
  g.price *= per_usd;
  g.vega *= per_usd;
  g.theta *= per_usd;
  g.rho *= per_usd;
  g.volga *= per_usd;
  g.net_transaction_delta = g.delta - g.price;  // = F ∂P/∂F
  return g;
}

PricingPoint point_of(const OptionSpec& spec) {
  PricingPoint p;
  p.model = spec.model;
  p.theta = spec.kind == OptionKind::call ? 1.0 : -1.0;
  p.underlying = spec.model == PricingModel::black_scholes ? *spec.spot : *spec.forward;
  p.strike = spec.strike;
  p.expiry_years = spec.expiry_years;
  p.vol = spec.vol;
  p.rate = spec.rate;
  p.dividend_yield = spec.dividend_yield;
  return p;
}

}  // namespace

OptionGreeks greeks_reference(const PricingPoint& p) {
  const BlackTerms b = black_terms(p);
  OptionGreeks g;
  switch (p.model) {
    case PricingModel::black_scholes: g = black_scholes_greeks(p, b); break;
    case PricingModel::black76: g = black76_greeks(p, b); break;
    case PricingModel::inverse: g = inverse_greeks(p, b); break;
  }
  g.vega_per_vol_point = g.vega / 100.0;
  g.theta_per_day = g.theta / 365.0;
  return g;
}

Result<double> option_price(const OptionSpec& spec, const std::string& field) {
  if (auto e = validate_option(spec, field); !e.ok()) return Result<double>::failure(e);
  return Result<double>::success(greeks_unchecked(point_of(spec)).price);
}

Result<OptionGreeks> option_greeks(const OptionSpec& spec, const std::string& field) {
  if (auto e = validate_option(spec, field); !e.ok()) return Result<OptionGreeks>::failure(e);
  return Result<OptionGreeks>::success(greeks_unchecked(point_of(spec)));
}

}  // namespace ballast::derivatives
