#include "ballast/derivatives/black_scholes.hpp"

#include <cmath>

#include "ballast/derivatives/forward_terms.hpp"
#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/normalised_black.hpp"

namespace ballast::derivatives {

namespace {

// Everything the closed-form Greeks need, with the s = 0 limits already taken.
struct BlackTerms {
  ForwardTerms f;
  double T = 0.0, sigma = 0.0, sqrt_t = 0.0;
  double d1 = 0.0, d2 = 0.0;
  double cdf1 = 0.0;  // Φ(θ d1)
  double cdf2 = 0.0;  // Φ(θ d2)
  double pdf1 = 0.0;  // φ(d1); 0 when s = 0
  double value_usd = 0.0;
};

// Φ(θ d) as s -> 0: a step in θ·ln(F/K), one half exactly at the money (our convention).
double step(double theta_x) { return theta_x > 0.0 ? 1.0 : (theta_x < 0.0 ? 0.0 : 0.5); }

BlackTerms black_terms(const OptionSpec& spec) {
  BlackTerms b;
  b.f = forward_terms(spec);
  b.T = spec.expiry_years;
  b.sigma = spec.vol;
  b.sqrt_t = std::sqrt(b.T);
  const ForwardTerms& f = b.f;
  b.value_usd = f.discount * std::sqrt(f.forward) * std::sqrt(f.strike) *
                normalised_black(f.log_moneyness, f.total_vol, f.theta);
  if (f.total_vol > 0.0) {
    b.d1 = f.log_moneyness / f.total_vol + 0.5 * f.total_vol;
    b.d2 = b.d1 - f.total_vol;
    b.cdf1 = norm_cdf(f.theta * b.d1);
    b.cdf2 = norm_cdf(f.theta * b.d2);
    b.pdf1 = norm_pdf(b.d1);
  } else {
    b.cdf1 = b.cdf2 = step(f.theta * f.log_moneyness);
  }
  return b;
}

// density * factor, where the factor may be huge (it holds d1 or d2) exactly when the
// density has underflowed to 0: 0 * inf would be NaN, the limit is 0.
double with_density(double density, double factor) { return density == 0.0 ? 0.0 : density * factor; }

// Black-76 in USD, Greeks with respect to the forward F.
OptionGreeks black76_greeks(const OptionSpec& spec, const BlackTerms& b) {
  const ForwardTerms& f = b.f;
  const double D = f.discount, F = f.forward, V = b.value_usd;
  OptionGreeks g;
  g.price = V;
  g.delta = f.theta * D * b.cdf1;
  g.rho = -b.T * V;  // F is held fixed: only the discount factor moves
  if (f.total_vol > 0.0) {
    g.gamma = D * b.pdf1 / (F * f.total_vol);
    g.vega = D * F * b.pdf1 * b.sqrt_t;
    g.vanna = -D * with_density(b.pdf1, b.d2 / b.sigma);
    g.volga = with_density(g.vega, b.d1 * b.d2 / b.sigma);
  }
  // -∂V/∂T = rV - D F φ(d1) σ / (2√T); the second term is 0 when s = 0.
  g.theta = spec.rate * V - (f.total_vol > 0.0 ? D * F * b.pdf1 * b.sigma / (2.0 * b.sqrt_t) : 0.0);
  // -∂Δ/∂T = rΔ + D φ(d1) d2 / (2T), using ∂d1/∂T = -d2 / (2T).
  g.charm = spec.rate * g.delta + (f.total_vol > 0.0 ? D * with_density(b.pdf1, b.d2 / (2.0 * b.T)) : 0.0);
  g.net_transaction_delta = g.delta;
  return g;
}

// Black-Scholes-Merton in USD, Greeks with respect to spot S (carry b = r - q).
OptionGreeks black_scholes_greeks(const OptionSpec& spec, const BlackTerms& b) {
  const ForwardTerms& f = b.f;
  const double S = *spec.spot, K = f.strike, D = f.discount, theta = f.theta;
  const double r = spec.rate, q = spec.dividend_yield, carry = r - q;
  const double Dq = std::exp(-q * b.T);
  OptionGreeks g;
  g.price = b.value_usd;
  g.delta = theta * Dq * b.cdf1;
  g.rho = theta * K * b.T * D * b.cdf2;
  g.theta = theta * (q * S * Dq * b.cdf1 - r * K * D * b.cdf2);  // carry part; time value below
  g.charm = q * g.delta;
  if (f.total_vol > 0.0) {
    g.gamma = Dq * b.pdf1 / (S * f.total_vol);
    g.vega = S * Dq * b.pdf1 * b.sqrt_t;
    g.vanna = -Dq * with_density(b.pdf1, b.d2 / b.sigma);
    g.volga = with_density(g.vega, b.d1 * b.d2 / b.sigma);
    g.theta -= S * Dq * b.pdf1 * b.sigma / (2.0 * b.sqrt_t);
    // -∂Δ/∂T = qΔ - e^{-qT} φ(d1) ∂d1/∂T, with ∂d1/∂T = (r-q)/(σ√T) - d2/(2T).
    g.charm -= Dq * with_density(b.pdf1, carry / f.total_vol - b.d2 / (2.0 * b.T));
  }
  g.net_transaction_delta = g.delta;
  return g;
}

// Inverse: premium P = V/F in coin. With F held, ∂P/∂(σ, T, r) = ∂V/∂(σ, T, r) / F; delta,
// gamma, vanna and charm stay the USD-value (Black-76) ones, as Deribit shows them.
OptionGreeks inverse_greeks(const OptionSpec& spec, const BlackTerms& b) {
  OptionGreeks g = black76_greeks(spec, b);
  const double per_usd = b.f.premium_per_usd;
  g.price *= per_usd;
  g.vega *= per_usd;
  g.theta *= per_usd;
  g.rho *= per_usd;
  g.volga *= per_usd;
  g.net_transaction_delta = g.delta - g.price;  // = F ∂P/∂F
  return g;
}

}  // namespace

Result<double> option_price(const OptionSpec& spec, const std::string& field) {
  if (auto e = validate_option(spec, field); !e.ok()) return Result<double>::failure(e);
  ForwardTerms f = forward_terms(spec);
  double value_usd = f.discount * std::sqrt(f.forward) * std::sqrt(f.strike) *
                     normalised_black(f.log_moneyness, f.total_vol, f.theta);
  return Result<double>::success(f.premium_per_usd * value_usd);
}

Result<OptionGreeks> option_greeks(const OptionSpec& spec, const std::string& field) {
  if (auto e = validate_option(spec, field); !e.ok()) return Result<OptionGreeks>::failure(e);
  BlackTerms b = black_terms(spec);
  OptionGreeks g;
  switch (spec.model) {
    case PricingModel::black_scholes: g = black_scholes_greeks(spec, b); break;
    case PricingModel::black76: g = black76_greeks(spec, b); break;
    case PricingModel::inverse: g = inverse_greeks(spec, b); break;
  }
  g.vega_per_vol_point = g.vega / 100.0;
  g.theta_per_day = g.theta / 365.0;
  return Result<OptionGreeks>::success(g);
}

}  // namespace ballast::derivatives
