#include "ballast/derivatives/greeks_kernel.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/normalised_black_series.hpp"
#include "ballast/derivatives/vector_math.hpp"

namespace ballast::derivatives {

namespace {

using namespace simd;

// kLanes options' inputs.
struct Lanes {
  f64v theta, underlying, strike, expiry_years, vol, rate, dividend_yield;
};

// ---- the normalised Black function b(x, s), x <= 0 (normalised_black.cpp) -------------------
//
// Its two series are normalised_black_series.hpp's, shared with normalised_black.cpp.

// Elsewhere: 2b = e^{x/2} erfc(q1) - e^{-x/2} erfc(q2), q1,2 = -(h ± t)/√2, each erfc switched
// to exp(-(h²+t²)/2) erfcx once its argument is large (normalised_black.cpp's erfc_form_call).
// h ± t are ±d of the option (black_terms forms d1 = x/s + s/2 and d2 = x/s - s/2 as h ± t
// are formed), so |q| is the u its normal tail was formed from and every erf and erfcx here is
// one the tails already hold: `first` is the tail of q1, `second` of q2.
f64v erfc_of(const Tail& tail, f64v q) {
  // q >= 0: 1 - erf(u); q in [-0.47, 0): 1 + erf(u) (erf is odd); beyond: 2 - e^{-u²} erfcx(u).
  f64v result = select(q >= 0.0, 1.0 - tail.erf_u, 1.0 + tail.erf_u);
  const maskv far_negative = ~tail.small & (q < 0.0);
  if (any(far_negative)) result = select(far_negative, 2.0 - exp_minus_square(tail.u) * tail.erfcx_u, result);
  return result;
}

// erfcx(|q|) for |q| >= 0.46875: the tail's, except at exactly 0.46875, which Cody's erf
// region holds (the tail then kept erf(u)).
f64v erfcx_of(const Tail& tail) {
  if (!any(tail.small)) return tail.erfcx_u;
  return select(tail.small, exp_square(tail.u) * (1.0 - tail.erf_u), tail.erfcx_u);
}

f64v erfc_form_call(f64v x, f64v common, const Tail& first, const Tail& second, f64v q1, f64v q2) {
  const maskv big1 = q1 >= splat(kErfRegion), big2 = q2 >= splat(kErfRegion);  // q1 <= q2
  const f64v x1 = any(big1) ? erfcx_of(first) : splat(0.0);
  const f64v x2 = any(big2) ? erfcx_of(second) : splat(0.0);
  f64v two_b = common * (x1 - x2);
  if (!all(big1)) {
    const f64v erfc_first = exp(0.5 * x) * erfc_of(first, q1);
    const f64v erfc_second = all(big2) ? common * x2 : select(big2, common * x2, exp(-0.5 * x) * erfc_of(second, q2));
    two_b = select(big1, two_b, erfc_first - erfc_second);
  }
  return select(two_b > 0.0, 0.5 * two_b, splat(0.0));
}

// Lane-wise m ? a : b of two tails.
Tail pick(maskv m, const Tail& a, const Tail& b) {
  return {select(m, a.value, b.value), select(m, a.u, b.u), select(m, a.erf_u, b.erf_u),
          select(m, a.erfcx_u, b.erfcx_u), (maskv)select(m, (f64v)a.small, (f64v)b.small)};
}

// b(x, s) for the lanes in `active`, in Jäckel's three regions; x <= 0 and h = x/s as the
// caller formed them from the option's x', d1 and d2 (x = -|x'|). tail1 and tail2 are the
// option's normal tails at d1 and d2: h + t is d1 where x' <= 0 and -d2 where x' > 0
// (`swapped`), h - t the other.
inline __attribute__((always_inline)) f64v normalised_otm_call(f64v x, f64v h, f64v s, f64v common,
                                                              const Tail& tail1, const Tail& tail2,
                                                              maskv swapped, maskv active) {
  const f64v t = 0.5 * s;
  const maskv asymptotic = (x < s * kEta) & (0.5 * s * s + x < s * (kTau + kEta));
  const maskv small_t = ~asymptotic & (t < kTau);
  const maskv erfc_form = ~asymptotic & ~small_t;
  f64v b = splat(0.0);
  if (any(active & asymptotic)) b = asymptotic_otm_call(h, t, common, active & asymptotic);
  if (any(active & small_t)) b = select(small_t, small_t_otm_call(h, t, common), b);
  if (any(active & erfc_form)) {
    const f64v q1 = -kInvSqrt2 * (h + t), q2 = -kInvSqrt2 * (h - t);
    const bool any_swapped = any(swapped);
    const Tail first = any_swapped ? pick(swapped, tail2, tail1) : tail1;
    const Tail second = any_swapped ? pick(swapped, tail1, tail2) : tail2;
    b = select(erfc_form, erfc_form_call(x, common, first, second, q1, q2), b);
  }
  return b;
}

// ---- the terms every figure is formed from --------------------------------------------------

struct Terms {
  f64v D, Dq, F, s, sqrt_t, d1, d2, cdf1, cdf2, pdf1, value_usd;
  maskv has_time_value;  // s > 0; elsewhere (expired, or zero vol) the s -> 0 limits
};

template <PricingModel model>
Terms black_terms(const Lanes& p, bool has_dividend) {
  constexpr bool on_spot = model == PricingModel::black_scholes;
  Terms b;
  const Discounts rate = discount_for(p.rate * p.expiry_years);
  const Discounts dividend =
      on_spot && has_dividend ? discount_for(p.dividend_yield * p.expiry_years) : Discounts{splat(1.0), splat(0.0)};
  b.D = rate.factor;
  b.Dq = dividend.factor;
  b.F = on_spot ? p.underlying * b.Dq / b.D : p.underlying;
  b.sqrt_t = sqrt(p.expiry_years);
  b.s = p.vol * b.sqrt_t;
  const f64v s = b.s, K = p.strike;
  const f64v x = on_spot ? log_ratio(p.underlying, K) + (p.rate - p.dividend_yield) * p.expiry_years
                          : log_ratio(b.F, K);
  const maskv x_positive = x > 0.0;
  const f64v theta_otm = select(x_positive, splat(-1.0), splat(1.0));
  const f64v forward_minus_strike =
      on_spot ? (p.underlying - K) + (p.underlying * dividend.minus_one - K * rate.minus_one) : b.D * (b.F - K);
  const f64v intrinsic = select(p.theta == theta_otm, splat(0.0), p.theta * forward_minus_strike);
  const maskv has_time_value = s > 0.0;
  b.has_time_value = has_time_value;

  // d1,2 = x/s ± s/2, formed as h ± t are in the wing-safe form (h = x/s, t = s/2).
  const f64v x_over_s = x / s;
  b.d1 = x_over_s + 0.5 * s;
  b.d2 = x_over_s - 0.5 * s;
  // One exponential for both densities: φ(d2) = φ(d1) e^x exactly (d1² - d2² = 2x). It is
  // taken at the d nearer 0, so the other density is the smaller one and only ever underflows
  // where it is negligible.
  const f64v ratio = b.F / K;
  const f64v e_near = exp_minus_half_square(select(x_positive, b.d2, b.d1));
  const f64v e1 = select(x_positive, e_near / ratio, e_near);
  const f64v e2 = select(x_positive, e_near, e_near * ratio);
  b.pdf1 = kInvSqrt2Pi * e1;
  const Tail parts1 = norm_tail_parts(b.d1, e1), parts2 = norm_tail_parts(b.d2, e2);
  const f64v tail1 = parts1.value, tail2 = parts2.value;
  b.cdf1 = select(p.theta * b.d1 < 0.0, tail1, 1.0 - tail1);
  b.cdf2 = select(p.theta * b.d2 < 0.0, tail2, 1.0 - tail2);
  if (!all(has_time_value)) {
    // s = 0: Φ(θd) is a step in θx, one half exactly at the money (our convention); the
    // density and the time value vanish.
    const f64v theta_x = p.theta * x;
    const f64v step = select(theta_x > 0.0, splat(1.0), select(theta_x < 0.0, splat(0.0), splat(0.5)));
    b.cdf1 = select(has_time_value, b.cdf1, step);
    b.cdf2 = select(has_time_value, b.cdf2, step);
    b.pdf1 = select(has_time_value, b.pdf1, splat(0.0));
  }
  // The out-of-the-money value θo(a - c), a = D F Φ(θo d1), c = D K Φ(θo d2), from the same
  // CDFs where it is accurate: each term carries a relative error of a few ulps (u), so the
  // difference is within u·(a + c) + ε|a - c|, at most 3u + ε relative when a - c is at least
  // half of a + c. Elsewhere (far out of the money, or near the money at short expiry, where the
  // two terms nearly cancel) the wing-safe D √(FK) b(-|x|, s), √(FK) = K e^{x/2}, with b's common
  // factor exp(-(h² + t²)/2) = exp(-d1²/2) e^{x/2} = exp(-d2²/2) e^{-x/2} from the larger density.
  const f64v otm1 = select(theta_otm * b.d1 < 0.0, tail1, 1.0 - tail1);
  const f64v otm2 = select(theta_otm * b.d2 < 0.0, tail2, 1.0 - tail2);
  const f64v a = (on_spot ? p.underlying * b.Dq : b.D * b.F) * otm1;
  const f64v c = b.D * K * otm2;
  const f64v direct = theta_otm * (a - c);
  f64v otm_value = direct;
  const maskv wing_safe = ~(2.0 * direct >= a + c) & has_time_value;
  if (any(wing_safe)) {
    const f64v root = sqrt(ratio);  // e^{x/2}
    const f64v common = select(x_positive, e2 / root, e1 * root);
    // The out-of-the-money call at -|x|, h = -|x/s|.
    const f64v b_otm = normalised_otm_call(-abs(x), -abs(x_over_s), s, common, parts1, parts2, x_positive, wing_safe);
    otm_value = select(wing_safe, b.D * K * root * b_otm, direct);
  }
  const f64v value = select(has_time_value, otm_value + intrinsic, intrinsic);
  b.value_usd = select(value > 0.0, value, splat(0.0));
  return b;
}

// density * factor, 0 where the density has underflowed or s = 0 (the factor may be infinite
// or NaN there).
f64v with_density(f64v density, f64v factor) { return select(density == 0.0, splat(0.0), density * factor); }

// A term of the time value, 0 where s = 0 (its factors hold 1/s or 1/T there).
f64v time_value_term(const Terms& b, f64v term) { return select(b.has_time_value, term, splat(0.0)); }

// The nine reported figures of kLanes options.
struct Figures {
  f64v price, delta, gamma, vega, theta, rho, vanna, volga, charm;
};

// Reciprocals shared by several Greeks (each use then rounds once more than a division would).
struct Reciprocals {
  f64v vol, half_expiry;  // 1/σ, 1/(2T)
};
Reciprocals reciprocals(const Lanes& p) { return {1.0 / p.vol, 0.5 / p.expiry_years}; }

Figures black76_figures(const Lanes& p, const Terms& b) {
  const f64v D = b.D, F = b.F, V = b.value_usd, s = b.s;
  const Reciprocals inv = reciprocals(p);
  Figures g;
  g.price = V;
  g.delta = p.theta * D * b.cdf1;
  g.rho = -p.expiry_years * V;
  g.gamma = time_value_term(b, D * b.pdf1 / (F * s));
  g.vega = D * F * b.pdf1 * b.sqrt_t;
  g.vanna = time_value_term(b, -D * with_density(b.pdf1, b.d2 * inv.vol));
  g.volga = with_density(g.vega, b.d1 * b.d2 * inv.vol);
  g.theta = p.rate * V - time_value_term(b, D * F * b.pdf1 * (s * inv.half_expiry));  // σ/(2√T) = s/(2T)
  g.charm = p.rate * g.delta + D * with_density(b.pdf1, b.d2 * inv.half_expiry);
  return g;
}

Figures black_scholes_figures(const Lanes& p, const Terms& b) {
  const f64v S = p.underlying, K = p.strike, D = b.D, Dq = b.Dq, theta = p.theta, s = b.s;
  const f64v r = p.rate, q = p.dividend_yield, carry = r - q, T = p.expiry_years;
  const Reciprocals inv = reciprocals(p);
  Figures g;
  g.price = b.value_usd;
  g.delta = theta * Dq * b.cdf1;
  g.rho = theta * K * T * D * b.cdf2;
  g.theta = theta * (q * S * Dq * b.cdf1 - r * K * D * b.cdf2);
  g.charm = q * g.delta;
  g.gamma = time_value_term(b, Dq * b.pdf1 / (S * s));
  g.vega = S * Dq * b.pdf1 * b.sqrt_t;
  g.vanna = time_value_term(b, -Dq * with_density(b.pdf1, b.d2 * inv.vol));
  g.volga = with_density(g.vega, b.d1 * b.d2 * inv.vol);
  g.theta -= time_value_term(b, S * Dq * b.pdf1 * (s * inv.half_expiry));
  g.charm -= Dq * with_density(b.pdf1, carry / s - b.d2 * inv.half_expiry);
  return g;
}

Figures inverse_figures(const Lanes& p, const Terms& b) {
  Figures g = black76_figures(p, b);
  const f64v per_usd = 1.0 / b.F;
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

// ---- lanes grouped by branch ------------------------------------------------------------------
//
// Options whose lanes take different branches (the normal tails' three rational regions, the
// wing-safe value's three regions) make a vector evaluate every branch either lane needs. In a
// random book that is most pairs, so each block of options is first ordered by the branches it
// will take, estimated from a cheap log-moneyness (the estimate only orders the lanes: every
// lane is then priced exactly, whichever lane it shares a vector with).

constexpr std::size_t kBlock = 256;
constexpr int kBranchKeys = 27;

// The ordering pass reads a block's rows in order, two at a time: rows first + i, first + i + 1
// of a column, contiguous (rows at or past the block's last row m - 1 read row m - 1 again).
f64v load(const Column& c, std::size_t first, std::size_t i, std::size_t m) {
  if (!c.data) return splat(c.value);
  f64v v;
  if (i + kLanes <= m) {
    std::memcpy(&v, c.data + first + i, sizeof v);
    return v;
  }
  for (int l = 0; l < kLanes; ++l) v[l] = c.data[first + std::min(i + l, m - 1)];
  return v;
}

// The pricing pass reads them in branch order: rows first + order[0 .. kLanes) of a column.
f64v gather(const Column& c, std::size_t first, const std::uint16_t* order) {
  if (!c.data) return splat(c.value);
  const double* column = c.data + first;
  // Built in registers: lane-by-lane stores would go through memory and stall the load after.
  if constexpr (kLanes == 2) return f64v{column[order[0]], column[order[1]]};
  f64v v;
  for (int l = 0; l < kLanes; ++l) v[l] = column[order[l]];
  return v;
}

// kLanes options' inputs, each column read by `read`; kind as theta (+1 call, -1 put).
template <class Read>
Lanes read_lanes(const OptionColumns& in, Read read) {
  Lanes p;
  p.theta = select(read(in.kind) == splat(0.0), splat(1.0), splat(-1.0));
  p.underlying = read(in.underlying);
  p.strike = read(in.strike);
  p.expiry_years = read(in.expiry_years);
  p.vol = read(in.vol);
  p.rate = read(in.rate);
  p.dividend_yield = read(in.dividend_yield);
  return p;
}

// ln w to about 1e-2 for positive normal w: the exponent plus ln(1 + f) to third order.
f64v rough_log(f64v w) {
  constexpr double ln2 = 0.69314718055994530942;
  const Split sp = split_exponent(w);
  const f64v f = sp.m - 1.0;
  return sp.k * ln2 + f * (1.0 + f * (-0.5 + f * (1.0 / 3.0)));
}

// 0, 1, 2: the Cody region of Φ(-|d|) (erf, erfcx to 4, erfcx beyond), from d s (s > 0).
f64v tail_region(f64v d_times_s, f64v s) {
  const f64v u_over = abs(d_times_s) * kInvSqrt2;  // u s
  return select(u_over > kErfRegion * s, splat(1.0), splat(0.0)) + select(u_over > 4.0 * s, splat(1.0), splat(0.0));
}

// d1,2 s = x ± s²/2 decide the tails' regions, so the key needs no division by s.
template <PricingModel model>
f64v branch_key(const Lanes& p) {
  constexpr bool on_spot = model == PricingModel::black_scholes;
  const f64v x = rough_log(p.underlying / p.strike) +
                 (on_spot ? (p.rate - p.dividend_yield) * p.expiry_years : splat(0.0));
  const f64v s = p.vol * sqrt(p.expiry_years);
  const f64v half_s2 = 0.5 * s * s;
  const f64v xo = -abs(x);
  const maskv asymptotic = (xo < s * kEta) & (half_s2 + xo < s * (kTau + kEta));
  const f64v region = select(asymptotic, splat(2.0), select(0.5 * s < splat(kTau), splat(1.0), splat(0.0)));
  return region * 9.0 + tail_region(x + half_s2, s) * 3.0 + tail_region(x - half_s2, s);
}

// Rows first .. first + m - 1, in an order that groups equal branch keys.
template <PricingModel model>
void order_by_branch(const OptionColumns& in, std::size_t first, std::size_t m, std::uint16_t* order) {
  std::uint8_t key[kBlock];
  for (std::size_t i = 0; i < m; i += kLanes) {
    const Lanes p = read_lanes(in, [&](const Column& c) { return load(c, first, i, m); });
    const f64v k = branch_key<model>(p);  // built from selects of constants: 0 .. 26, never NaN
    for (std::size_t l = 0; l < kLanes && i + l < m; ++l) key[i + l] = static_cast<std::uint8_t>(k[l]);
  }
  std::size_t start[kBranchKeys + 1] = {};
  for (std::size_t i = 0; i < m; ++i) ++start[key[i] + 1];
  for (int k = 0; k < kBranchKeys; ++k) start[k + 1] += start[k];
  for (std::size_t i = 0; i < m; ++i) order[start[key[i]]++] = static_cast<std::uint16_t>(i);
}

template <PricingModel model>
void block(const OptionColumns& in, std::size_t count, const GreeksColumnsOut& out) {
  const bool has_dividend = in.dividend_yield.data || in.dividend_yield.value != 0.0;
  std::uint16_t order[kBlock + kLanes];
  for (std::size_t first = 0; first < count; first += kBlock) {
    const std::size_t m = std::min(kBlock, count - first);
    order_by_branch<model>(in, first, m, order);
    for (std::size_t l = m; l < m + kLanes; ++l) order[l] = order[m - 1];  // pad the last vector
    for (std::size_t j = 0; j < m; j += kLanes) {
      const std::uint16_t* lanes = order + j;
      const Lanes p = read_lanes(in, [&](const Column& c) { return gather(c, first, lanes); });
      const Terms b = black_terms<model>(p, has_dividend);
      const Figures g = figures<model>(p, b);
      for (std::size_t lane = 0; lane < kLanes && j + lane < m; ++lane)
        store(out, first + lanes[lane], static_cast<int>(lane), g);
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
