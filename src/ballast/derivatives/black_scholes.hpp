// Prices and Greeks of European options: Black-Scholes-Merton, Black-76 and coin-settled
// inverse options (Deribit).
//
// Conventions (every figure is per ONE option; OptionSpec::quantity is applied by books):
//   T = expiry_years (ACT/365 year fractions are the caller's choice), σ = vol per √year,
//   r = rate, q = dividend_yield, all continuously compounded; D = e^{-rT};
//   θ = +1 call / -1 put; s = σ√T; d1 = ln(F/K)/s + s/2, d2 = d1 - s.
//   The underlying U that delta, gamma, vanna and charm refer to:
//     black_scholes  U = spot S   (F = S e^{(r-q)T} moves with S)
//     black76        U = forward F
//     inverse        U = forward F
//   price               premium: USD for black_scholes and black76; COIN for inverse
//   delta               ∂V/∂U, where V is the USD value (for inverse, V = price · F)
//   gamma               ∂delta/∂U (per USD of U)
//   vega                ∂price/∂σ per 1.00 of vol (premium currency);
//                       vega_per_vol_point = vega / 100 (per 1% of vol)
//   theta               -∂price/∂T per year, calendar time, holding U, σ, r fixed
//                       (premium currency); theta_per_day = theta / 365
//   rho                 ∂price/∂r per 1.00 of rate, holding U (and q) fixed. So black76 and
//                       inverse rho is -T · price (F is held), black_scholes rho is
//                       θ K T D Φ(θ d2)
//   vanna               ∂delta/∂σ;  volga = ∂vega/∂σ;  charm = -∂delta/∂T (per year)
//   net_transaction_delta  delta minus premium paid in the underlying coin:
//                       inverse: delta - price (= F ∂price/∂F), the coin exposure after
//                       paying the premium in coin ("Net Transaction Delta" on Deribit);
//                       black_scholes and black76 pay USD premiums, so it equals delta.
//
// Inverse options (Deribit's BTC/ETH options): the premium in coin is the Black-76 USD value
// on the forward divided by that same forward, P = D·Black76(F, K, σ, T) / F; Deribit's
// mark_price = Black-76(underlying_price, mark_iv) / underlying_price (r = 0). Their USD
// Greeks are Black-76 ones: Deribit shows delta = the Black-76 forward delta ("BS delta",
// = our delta), gamma = our gamma, vega = our vega_per_vol_point · F (USD per 1% vol),
// theta = our theta_per_day · F (USD per day; near expiry Deribit reports max(that,
// -premium in USD), the "lifetime" theta). In general: USD figure = coin figure · F for
// price, vega, theta, rho and volga; delta, gamma, vanna and charm are already the
// USD-value sensitivities (coin exposure per option).
//
// Degenerate cases (s = 0: expired, T = 0, or zero vol): the value is the discounted
// intrinsic value of the forward, D·max(θ(F-K), 0) (inverse: divided by F). Delta is a step
// (for black_scholes times e^{-qT}), taking half the step exactly at the money (F = K) by
// convention; gamma, vega, vanna and volga are 0; theta, rho and charm keep only their
// carry and discounting parts (the time-value parts vanish with s).
//
// Numerics: Greeks are closed forms in Φ(θ d1), Φ(θ d2), φ(d1), from one exponential
// (φ(d2) = φ(d1) e^x) and Cody's rational erf/erfcx (normal.hpp), evaluated so that a
// vanishing density never multiplies an infinite d1 (no NaN for any input validate_option
// accepts). The price is the closed form θ(D F Φ(θd1) - D K Φ(θd2)) from the same CDFs where
// its two terms cannot cancel (the difference is at least half their sum, so it keeps the
// terms' relative accuracy within a factor 3); elsewhere (out of the money, and near the money
// at short expiry) it goes through the normalised Black function (normalised_black.hpp), so
// deep out-of-the-money prices keep their relative accuracy.
#pragma once

#include <string>

#include "ballast/core/result.hpp"
#include "ballast/derivatives/option.hpp"

namespace ballast::derivatives {

struct OptionGreeks {
  double price = 0.0;
  double delta = 0.0;
  double gamma = 0.0;
  double vega = 0.0;                // per 1.00 vol
  double vega_per_vol_point = 0.0;  // per 0.01 vol
  double theta = 0.0;               // per year
  double theta_per_day = 0.0;       // per calendar day, theta / 365
  double rho = 0.0;                 // per 1.00 rate
  double vanna = 0.0;
  double volga = 0.0;
  double charm = 0.0;               // per year
  double net_transaction_delta = 0.0;
};

// One option as the columnar loop holds it: plain numbers, no optional members or strings.
struct PricingPoint {
  PricingModel model = PricingModel::black_scholes;
  double theta = 1.0;       // +1 call, -1 put
  double underlying = 0.0;  // spot (black_scholes) or forward (black76, inverse)
  double strike = 0.0;
  double expiry_years = 0.0;
  double vol = 0.0;
  double rate = 0.0;
  double dividend_yield = 0.0;  // 0 outside black_scholes
};

// option_greeks without the checks, for a point whose OptionSpec validate_option accepts
// (columns.cpp checks a whole book in one pass first). The same numbers as option_greeks and
// the columnar path: all three run the SIMD kernel (greeks_kernel.cpp).
OptionGreeks greeks_unchecked(const PricingPoint& point);

// The premium (USD, or coin for inverse). Errors: those of validate_option(spec, field).
Result<double> option_price(const OptionSpec& spec, const std::string& field = "option");

// Price and every Greek above. Errors: those of validate_option(spec, field).
Result<OptionGreeks> option_greeks(const OptionSpec& spec, const std::string& field = "option");

}  // namespace ballast::derivatives
