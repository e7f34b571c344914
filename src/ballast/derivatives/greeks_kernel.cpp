#include "ballast/derivatives/greeks_kernel.hpp"

#include <cstring>

#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/vector_math.hpp"

namespace ballast::derivatives {

namespace {

using namespace simd;

// Two options' inputs.
struct Lanes {
  f64x2 theta, underlying, strike, expiry_years, vol, rate, dividend_yield;
};

f64x2 load(const Column& c, std::size_t i, bool pair) {
  if (!c.data) return splat(c.value);
  if (!pair) return splat(c.data[i]);
  f64x2 v;
  std::memcpy(&v, c.data + i, sizeof v);
  return v;
}

Lanes load_lanes(const OptionColumns& in, std::size_t i, bool pair) {
  Lanes p;
  const f64x2 kind = load(in.kind, i, pair);
  p.theta = select(kind == splat(0.0), splat(1.0), splat(-1.0));
  p.underlying = load(in.underlying, i, pair);
  p.strike = load(in.strike, i, pair);
  p.expiry_years = load(in.expiry_years, i, pair);
  p.vol = load(in.vol, i, pair);
  p.rate = load(in.rate, i, pair);
  p.dividend_yield = load(in.dividend_yield, i, pair);
  return p;
}

// forward_terms.cpp's discount_for: e^{-y} and e^{-y} - 1.
struct Discount2 {
  f64x2 factor, minus_one;
};
Discount2 discount_for(f64x2 y) {
  const mask2 small = abs(y) <= splat(0.5);
  const f64x2 m1 = expm1_small(-y);
  if (all(small)) return {1.0 + m1, m1};
  const f64x2 e = exp(-y);
  return {select(small, 1.0 + m1, e), select(small, m1, e - 1.0)};
}

// ---- the normalised Black function b(x, s), x <= 0 (normalised_black.cpp) -------------------

constexpr double kSqrtPiOver2 = 1.25331413731550025121;
constexpr double kEta = -10.0;
constexpr double kTau = 0.21132486540518711775;

// h < -10: the asymptotic series, summed term by term until every active lane has converged
// (a lane stops adding at its own last term, exactly as the scalar loop stops).
f64x2 asymptotic_call(f64x2 h, f64x2 t, f64x2 common, mask2 active) {
  const f64x2 r = (h + t) * (h - t), q = h / r, u = t / h;
  f64x2 even = splat(1.0), odd = splat(0.0);
  f64x2 q_power = q, double_factorial = splat(1.0), sum = splat(0.0);
  mask2 done = ~active;
  for (int n = 0, m = 0; n < 40; ++n) {
    for (; m < 2 * n + 1; ++m) {
      const f64x2 next_even = even + u * odd;
      odd += u * even;
      even = next_even;
    }
    if (n > 0) {
      q_power *= q * q;
      double_factorial *= 2.0 * n - 1.0;
    }
    const f64x2 term = (n % 2 == 0 ? 2.0 : -2.0) * double_factorial * q_power * odd;
    const f64x2 next_sum = sum + term;
    sum = select(done, sum, next_sum);
    done |= abs(term) <= 1e-17 * abs(next_sum);
    if (all(done)) break;
  }
  return kInvSqrt2Pi * common * sum;
}

f64x2 small_t_call(f64x2 h, f64x2 t, f64x2 common) {
  const f64x2 a = 1.0 + h * kSqrtPiOver2 * erfcx_nonnegative(-kInvSqrt2 * h);
  const f64x2 w = t * t, h2 = h * h;
  const f64x2 c1 = (-1.0 + a * (3.0 + h2)) * (1.0 / 6.0);
  const f64x2 c2 = (-7.0 + 15.0 * a + h2 * (-1.0 + a * (10.0 + h2))) * (1.0 / 120.0);
  const f64x2 c3 = (-57.0 + 105.0 * a + h2 * (-18.0 + 105.0 * a + h2 * (-1.0 + a * (21.0 + h2)))) * (1.0 / 5040.0);
  const f64x2 c4 = (-561.0 + 945.0 * a +
                    h2 * (-285.0 + 1260.0 * a + h2 * (-33.0 + 378.0 * a + h2 * (-1.0 + a * (36.0 + h2))))) *
                   (1.0 / 362880.0);
  const f64x2 c5 =
      (-6555.0 + 10395.0 * a +
       h2 * (-4680.0 + 17325.0 * a +
             h2 * (-840.0 + 6930.0 * a + h2 * (-52.0 + 990.0 * a + h2 * (-1.0 + a * (55.0 + h2)))))) *
      (1.0 / 39916800.0);
  const f64x2 c6 = (-89055.0 + 135135.0 * a +
                    h2 * (-82845.0 + 270270.0 * a +
                          h2 * (-20370.0 + 135135.0 * a +
                                h2 * (-1926.0 + 25740.0 * a +
                                      h2 * (-75.0 + 2145.0 * a + h2 * (-1.0 + a * (78.0 + h2))))))) *
                   (1.0 / 6227020800.0);
  const f64x2 series = a + w * (c1 + w * (c2 + w * (c3 + w * (c4 + w * (c5 + w * c6)))));
  return kInvSqrt2Pi * common * 2.0 * t * series;
}

f64x2 erfc_form_call(f64x2 x, f64x2 h, f64x2 t, f64x2 common) {
  const f64x2 q1 = -kInvSqrt2 * (h + t), q2 = -kInvSqrt2 * (h - t);  // q1 <= q2
  const mask2 big1 = q1 >= splat(kErfRegion), big2 = q2 >= splat(kErfRegion);
  const f64x2 x1 = any(big1) ? erfcx_cody(q1) : splat(0.0);
  const f64x2 x2 = any(big2) ? erfcx_cody(q2) : splat(0.0);
  f64x2 two_b = common * (x1 - x2);
  if (!all(big1)) {
    const f64x2 first = exp(0.5 * x) * erfc_below_switch(q1);
    const f64x2 second = all(big2) ? common * x2 : select(big2, common * x2, exp(-0.5 * x) * erfc_below_switch(q2));
    two_b = select(big1, two_b, first - second);
  }
  return select(two_b > 0.0, 0.5 * two_b, splat(0.0));
}

// b(x, s) for the lanes in `active`, in Jäckel's three regions.
f64x2 normalised_otm_call(f64x2 x, f64x2 s, f64x2 common, mask2 active) {
  const f64x2 h = x / s, t = 0.5 * s;
  const mask2 asymptotic = (x < s * kEta) & (0.5 * s * s + x < s * (kTau + kEta));
  const mask2 small_t = ~asymptotic & (t < kTau);
  const mask2 erfc_form = ~asymptotic & ~small_t;
  f64x2 b = splat(0.0);
  if (any(active & asymptotic)) b = asymptotic_call(h, t, common, active & asymptotic);
  if (any(active & small_t)) b = select(small_t, small_t_call(h, t, common), b);
  if (any(active & erfc_form)) b = select(erfc_form, erfc_form_call(x, h, t, common), b);
  return b;
}

// ---- black_scholes.cpp's BlackTerms ---------------------------------------------------------

struct Terms {
  f64x2 D, Dq, F, s, sqrt_t, d1, d2, cdf1, cdf2, pdf1, value_usd;
  mask2 fallback;  // lanes greeks_reference recomputes
};

template <PricingModel model>
Terms black_terms(const Lanes& p, bool has_dividend) {
  constexpr bool on_spot = model == PricingModel::black_scholes;
  Terms b;
  const Discount2 rate = discount_for(p.rate * p.expiry_years);
  const Discount2 dividend =
      on_spot && has_dividend ? discount_for(p.dividend_yield * p.expiry_years) : Discount2{splat(1.0), splat(0.0)};
  b.D = rate.factor;
  b.Dq = dividend.factor;
  b.F = on_spot ? p.underlying * b.Dq / b.D : p.underlying;
  b.sqrt_t = sqrt(p.expiry_years);
  b.s = p.vol * b.sqrt_t;
  const f64x2 s = b.s, K = p.strike;
  const f64x2 x = on_spot ? log_ratio(p.underlying, K) + (p.rate - p.dividend_yield) * p.expiry_years
                          : log_ratio(b.F, K);
  const mask2 x_positive = x > 0.0;
  const f64x2 theta_otm = select(x_positive, splat(-1.0), splat(1.0));
  const f64x2 forward_minus_strike =
      on_spot ? (p.underlying - K) + (p.underlying * dividend.minus_one - K * rate.minus_one) : b.D * (b.F - K);
  const f64x2 intrinsic = select(p.theta == theta_otm, splat(0.0), p.theta * forward_minus_strike);
  const mask2 has_time_value = s > 0.0;
  b.fallback = ~has_time_value;

  b.d1 = x / s + 0.5 * s;
  b.d2 = b.d1 - s;
  // One exponential for both densities, at the d nearer 0 (see black_scholes.cpp).
  const f64x2 ratio = b.F / K;
  const f64x2 e_near = exp_minus_half_square(select(x_positive, b.d2, b.d1));
  const f64x2 e1 = select(x_positive, e_near / ratio, e_near);
  const f64x2 e2 = select(x_positive, e_near, e_near * ratio);
  b.pdf1 = kInvSqrt2Pi * e1;
  const f64x2 tail1 = norm_tail_given(b.d1, e1), tail2 = norm_tail_given(b.d2, e2);
  b.cdf1 = select(p.theta * b.d1 < 0.0, tail1, 1.0 - tail1);
  b.cdf2 = select(p.theta * b.d2 < 0.0, tail2, 1.0 - tail2);
  const f64x2 otm1 = select(theta_otm * b.d1 < 0.0, tail1, 1.0 - tail1);
  const f64x2 otm2 = select(theta_otm * b.d2 < 0.0, tail2, 1.0 - tail2);
  const f64x2 a = (on_spot ? p.underlying * b.Dq : b.D * b.F) * otm1;
  const f64x2 c = b.D * K * otm2;
  const f64x2 direct = theta_otm * (a - c);
  f64x2 otm_value = direct;
  const mask2 wing_safe = ~(2.0 * direct >= a + c) & has_time_value;
  if (any(wing_safe)) {
    const f64x2 root = sqrt(ratio);
    const f64x2 common = select(x_positive, e2 / root, e1 * root);
    const f64x2 b_otm = normalised_otm_call(-abs(x), s, common, wing_safe);
    otm_value = select(wing_safe, b.D * K * root * b_otm, direct);
  }
  const f64x2 value = otm_value + intrinsic;
  b.value_usd = select(value > 0.0, value, splat(0.0));
  return b;
}

// density * factor, 0 where the density has underflowed (the factor may be infinite there).
f64x2 with_density(f64x2 density, f64x2 factor) { return select(density == 0.0, splat(0.0), density * factor); }

// The nine reported figures of two options.
struct Figures {
  f64x2 price, delta, gamma, vega, theta, rho, vanna, volga, charm;
};

Figures black76_figures(const Lanes& p, const Terms& b) {
  const f64x2 D = b.D, F = b.F, V = b.value_usd, s = b.s;
  Figures g;
  g.price = V;
  g.delta = p.theta * D * b.cdf1;
  g.rho = -p.expiry_years * V;
  g.gamma = D * b.pdf1 / (F * s);
  g.vega = D * F * b.pdf1 * b.sqrt_t;
  g.vanna = -D * with_density(b.pdf1, b.d2 / p.vol);
  g.volga = with_density(g.vega, b.d1 * b.d2 / p.vol);
  g.theta = p.rate * V - D * F * b.pdf1 * p.vol / (2.0 * b.sqrt_t);
  g.charm = p.rate * g.delta + D * with_density(b.pdf1, b.d2 / (2.0 * p.expiry_years));
  return g;
}

Figures black_scholes_figures(const Lanes& p, const Terms& b) {
  const f64x2 S = p.underlying, K = p.strike, D = b.D, Dq = b.Dq, theta = p.theta, s = b.s;
  const f64x2 r = p.rate, q = p.dividend_yield, carry = r - q, T = p.expiry_years;
  Figures g;
  g.price = b.value_usd;
  g.delta = theta * Dq * b.cdf1;
  g.rho = theta * K * T * D * b.cdf2;
  g.theta = theta * (q * S * Dq * b.cdf1 - r * K * D * b.cdf2);
  g.charm = q * g.delta;
  g.gamma = Dq * b.pdf1 / (S * s);
  g.vega = S * Dq * b.pdf1 * b.sqrt_t;
  g.vanna = -Dq * with_density(b.pdf1, b.d2 / p.vol);
  g.volga = with_density(g.vega, b.d1 * b.d2 / p.vol);
  g.theta -= S * Dq * b.pdf1 * p.vol / (2.0 * b.sqrt_t);
  g.charm -= Dq * with_density(b.pdf1, carry / s - b.d2 / (2.0 * T));
  return g;
}

Figures inverse_figures(const Lanes& p, const Terms& b) {
  Figures g = black76_figures(p, b);
  const f64x2 per_usd = 1.0 / b.F;
  g.price *= per_usd;
  g.vega *= per_usd;
  g.theta *= per_usd;
  g.rho *= per_usd;
  g.volga *= per_usd;
  return g;
}

template <PricingModel model>
Figures figures(const Lanes& p, const Terms& b) {
  if constexpr (model == PricingModel::black_scholes) return black_scholes_figures(p, b);
  if constexpr (model == PricingModel::black76) return black76_figures(p, b);
  if constexpr (model == PricingModel::inverse) return inverse_figures(p, b);
}

void store(const GreeksColumnsOut& out, std::size_t i, int lane, const Figures& g) {
  out.price[i] = g.price[lane];
  out.delta[i] = g.delta[lane];
  out.gamma[i] = g.gamma[lane];
  out.vega[i] = g.vega[lane];
  out.theta[i] = g.theta[lane];
  out.rho[i] = g.rho[lane];
  out.vanna[i] = g.vanna[lane];
  out.volga[i] = g.volga[lane];
  out.charm[i] = g.charm[lane];
}

void store_pair(const GreeksColumnsOut& out, std::size_t i, const Figures& g) {
  std::memcpy(out.price + i, &g.price, sizeof(f64x2));
  std::memcpy(out.delta + i, &g.delta, sizeof(f64x2));
  std::memcpy(out.gamma + i, &g.gamma, sizeof(f64x2));
  std::memcpy(out.vega + i, &g.vega, sizeof(f64x2));
  std::memcpy(out.theta + i, &g.theta, sizeof(f64x2));
  std::memcpy(out.rho + i, &g.rho, sizeof(f64x2));
  std::memcpy(out.vanna + i, &g.vanna, sizeof(f64x2));
  std::memcpy(out.volga + i, &g.volga, sizeof(f64x2));
  std::memcpy(out.charm + i, &g.charm, sizeof(f64x2));
}

void store_reference(const GreeksColumnsOut& out, std::size_t i, PricingModel model, const Lanes& p, int lane) {
  PricingPoint point;
  point.model = model;
  point.theta = p.theta[lane];
  point.underlying = p.underlying[lane];
  point.strike = p.strike[lane];
  point.expiry_years = p.expiry_years[lane];
  point.vol = p.vol[lane];
  point.rate = p.rate[lane];
  point.dividend_yield = p.dividend_yield[lane];
  const OptionGreeks g = greeks_reference(point);
  out.price[i] = g.price;
  out.delta[i] = g.delta;
  out.gamma[i] = g.gamma;
  out.vega[i] = g.vega;
  out.theta[i] = g.theta;
  out.rho[i] = g.rho;
  out.vanna[i] = g.vanna;
  out.volga[i] = g.volga;
  out.charm[i] = g.charm;
}

template <PricingModel model>
void block(const OptionColumns& in, std::size_t count, const GreeksColumnsOut& out) {
  const bool has_dividend = in.dividend_yield.data || in.dividend_yield.value != 0.0;
  for (std::size_t i = 0; i < count; i += 2) {
    const bool pair = i + 1 < count;
    const Lanes p = load_lanes(in, i, pair);
    const Terms b = black_terms<model>(p, has_dividend);
    const Figures g = figures<model>(p, b);
    if (pair && !any(b.fallback)) {
      store_pair(out, i, g);
      continue;
    }
    for (int lane = 0; lane < (pair ? 2 : 1); ++lane) {
      if (b.fallback[lane])
        store_reference(out, i + lane, model, p, lane);
      else
        store(out, i + lane, lane, g);
    }
  }
}

}  // namespace

void greeks_block(const OptionColumns& in, std::size_t count, const GreeksColumnsOut& out) {
  switch (in.model) {
    case PricingModel::black_scholes: block<PricingModel::black_scholes>(in, count, out); break;
    case PricingModel::black76: block<PricingModel::black76>(in, count, out); break;
    case PricingModel::inverse: block<PricingModel::inverse>(in, count, out); break;
  }
}

OptionGreeks greeks_unchecked(const PricingPoint& point) {
  OptionColumns in;
  in.model = point.model;
  in.kind.value = point.theta > 0.0 ? 0.0 : 1.0;
  in.underlying.value = point.underlying;
  in.strike.value = point.strike;
  in.expiry_years.value = point.expiry_years;
  in.vol.value = point.vol;
  in.rate.value = point.rate;
  in.dividend_yield.value = point.dividend_yield;
  OptionGreeks g;
  greeks_block(in, 1, {&g.price, &g.delta, &g.gamma, &g.vega, &g.theta, &g.rho, &g.vanna, &g.volga, &g.charm});
  g.vega_per_vol_point = g.vega / 100.0;
  g.theta_per_day = g.theta / 365.0;
  g.net_transaction_delta = point.model == PricingModel::inverse ? g.delta - g.price : g.delta;
  return g;
}

}  // namespace ballast::derivatives
