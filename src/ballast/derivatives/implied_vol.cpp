#include "ballast/derivatives/implied_vol.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "ballast/derivatives/forward_terms.hpp"
#include "ballast/derivatives/normal.hpp"
#include "ballast/derivatives/normalised_black.hpp"
#include "ballast/derivatives/rational_cubic.hpp"

namespace ballast::derivatives {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTwoPi = 2.0 * kPi;
constexpr double kSqrtThree = 1.73205080756887729353;
constexpr double kTwoPiOverSqrt27 = 1.20919957615614523374;  // 2π/√27
constexpr double kSqrtPiOverTwo = 1.25331413731550025121;
const double kSqrtDblMax = std::sqrt(DBL_MAX);
// Householder steps of order 3 converge with order 4: once a step moves s by less than
// 1e-7 relative, the next would be ~1e-28 and is not taken. (Stopping at DBL_EPSILON
// instead would add a step that only chases rounding noise in b.)
constexpr double kStepTolerance = 1e-7;
// Measured: 2 steps ~90%, 3 ~10% where the price determines the vol; more only where it
// barely does (relative_vol_uncertainty >> 1e-14). The bound only guards the loop.
constexpr int kMaxIterations = 10;

bool below_horizon(double v) { return std::fabs(v) < DBL_MIN; }

double square(double v) { return v * v; }

// Order-3 Householder correction factor for the Newton step (Jäckel eq. (4.7)), given the
// Newton step ν and the scaled second and third derivative ratios.
double householder_factor(double newton, double halley, double hh3) {
  return (1.0 + 0.5 * halley * newton) / (1.0 + newton * (halley + hh3 * newton / 6.0));
}

double otm_call(double x, double s) { return normalised_black(x, s, 1.0); }  // x <= 0

// The low-wing map f(s) = (2π/√27)|x| Φ(-|x|/(√3 s))^3, nearly linear in β for tiny β, with
// df/dβ and d²f/dβ² at s (Jäckel §5, eqs. (5.2)-(5.5)).
struct MapAndDerivatives {
  double f = 0.0, fp = 0.0, fpp = 0.0;
};

MapAndDerivatives lower_map(double x, double s) {
  const double ax = std::fabs(x), z = ax / (kSqrtThree * s), y = z * z, s2 = s * s;
  const double Phi = norm_cdf(-z), phi = norm_pdf(z);
  MapAndDerivatives m;
  m.fpp = kPi / 6.0 * y / (s2 * s) * Phi * (8.0 * kSqrtThree * s * ax + (3.0 * s2 * (s2 - 8.0) - 8.0 * x * x) * Phi / phi) *
          std::exp(2.0 * y + 0.25 * s2);
  if (below_horizon(s)) {
    m.fp = 1.0;
    return m;
  }
  const double Phi2 = Phi * Phi;
  m.fp = kTwoPi * y * Phi2 * std::exp(y + 0.125 * s2);
  m.f = below_horizon(x) ? 0.0 : kTwoPiOverSqrt27 * ax * (Phi2 * Phi);
  return m;
}

double inverse_lower_map(double x, double f) {
  if (below_horizon(f)) return 0.0;
  return std::fabs(x / (kSqrtThree * inverse_norm_cdf(std::cbrt(f / (kTwoPiOverSqrt27 * std::fabs(x))))));
}

// The high-wing map f(s) = Φ(-s/2), nearly linear in β near b_max (Jäckel eqs. (5.6)-(5.8)).
MapAndDerivatives upper_map(double x, double s) {
  MapAndDerivatives m;
  m.f = norm_cdf(-0.5 * s);
  if (below_horizon(x)) {
    m.fp = -0.5;
    return m;
  }
  const double w = square(x / s);
  m.fp = -0.5 * std::exp(0.5 * w);
  m.fpp = kSqrtPiOverTwo * std::exp(w + 0.125 * s * s) * w / s;
  return m;
}

double inverse_upper_map(double f) { return -2.0 * inverse_norm_cdf(f); }

// Where the root is known to lie, and the safeguarded iteration shared by all objectives:
// a step that leaves the bracket, or three reversals of direction, falls back to bisection.
struct Search {
  double x, beta;
  double s = 0.0, left = DBL_MIN, right = DBL_MAX;
  int iterations = 0;

  template <class Step>
  void run(Step step) {
    double ds = -DBL_MAX, ds_previous = 0.0;
    int reversals = 0;
    for (; iterations < kMaxIterations && std::fabs(ds) > kStepTolerance * s; ++iterations) {
      if (ds * ds_previous < 0.0) ++reversals;
      if (iterations > 0 && (reversals == 3 || !(s > left && s < right))) {
        s = 0.5 * (left + right);
        if (right - left <= DBL_EPSILON * s) break;
        reversals = 0;
        ds = 0.0;
      }
      ds_previous = ds;
      const double b = otm_call(x, s), bp = normalised_vega(x, s);
      if (b > beta && s < right) right = s;
      else if (b < beta && s > left) left = s;
      ds = std::max(-0.5 * s, step(b, bp));
      s += ds;
    }
  }
};

// Householder on ln(1/b(s)) = ln(1/β), linear-ish in the low wing (Jäckel eq. (4.13)).
void solve_low_wing(Search& search) {
  const double x = search.x, beta = search.beta;
  search.run([&](double b, double bp) {
    const double s = search.s;
    if (!(b > 0.0) || !(bp > 0.0)) return 0.5 * (search.left + search.right) - s;
    const double ln_b = std::log(b), ln_beta = std::log(beta), bpob = bp / b, h = x / s;
    const double b_halley = h * h / s - s / 4.0;
    const double newton = (ln_beta - ln_b) * ln_b / ln_beta / bpob;
    const double halley = b_halley - bpob * (1.0 + 2.0 / ln_b);
    const double b_hh3 = b_halley * b_halley - 3.0 * square(h / s) - 0.25;
    const double hh3 = b_hh3 + 2.0 * square(bpob) * (1.0 + 3.0 / ln_b * (1.0 + 1.0 / ln_b)) -
                       3.0 * b_halley * bpob * (1.0 + 2.0 / ln_b);
    return newton * householder_factor(newton, halley, hh3);
  });
}

// Householder on ln((b_max - β)/(b_max - b(s))) = 0 in the high wing (Jäckel eq. (4.15)).
void solve_high_wing(Search& search, double b_max) {
  const double x = search.x, beta = search.beta;
  search.run([&](double b, double bp) {
    const double s = search.s;
    if (b >= b_max || bp <= DBL_MIN) return 0.5 * (search.left + search.right) - s;
    const double b_max_minus_b = b_max - b;
    const double g = std::log((b_max - beta) / b_max_minus_b), gp = bp / b_max_minus_b;
    const double b_halley = square(x / s) / s - s / 4.0;
    const double b_hh3 = b_halley * b_halley - 3.0 * square(x / (s * s)) - 0.25;
    const double newton = -g / gp;
    const double halley = b_halley + gp;
    const double hh3 = b_hh3 + gp * (2.0 * gp + 3.0 * b_halley);
    return newton * householder_factor(newton, halley, hh3);
  });
}

// Householder on b(s) - β in the middle, where b is close to linear in s.
void solve_middle(Search& search) {
  const double x = search.x, beta = search.beta;
  search.run([&](double b, double bp) {
    const double s = search.s;
    if (!(bp > 0.0)) return 0.5 * (search.left + search.right) - s;
    const double newton = (beta - b) / bp;
    const double halley = square(x / s) / s - s / 4.0;
    const double hh3 = halley * halley - 3.0 * square(x / (s * s)) - 0.25;
    return newton * householder_factor(newton, halley, hh3);
  });
}

// Out-of-the-money call, x <= 0, 0 < beta < b_max = e^{x/2}: the four regions of §5.
double solve_otm(double beta, double x, int& iterations) {
  const double b_max = std::exp(0.5 * x);
  Search search{x, beta};
  const double s_c = std::sqrt(std::fabs(2.0 * x));  // the inflexion point of b(s)
  const double b_c = otm_call(x, s_c), v_c = normalised_vega(x, s_c);
  if (beta < b_c) {
    const double s_l = s_c - b_c / v_c, b_l = otm_call(x, s_l);
    if (beta < b_l) {  // lowest region: interpolate f_lower between 0 and b_l
      const MapAndDerivatives m = lower_map(x, s_l);
      const double r = convex_rational_cubic_control_parameter_right(0.0, b_l, 0.0, m.f, 1.0, m.fp, m.fpp, true);
      double f = rational_cubic_interpolation(beta, 0.0, b_l, 0.0, m.f, 1.0, m.fp, r);
      if (!(f > 0.0)) {  // the interpolant undershot: fall back to the quadratic
        const double t = beta / b_l;
        f = (m.f * t + b_l * (1.0 - t)) * t;
      }
      search.s = inverse_lower_map(x, f);
      search.right = s_l;
      solve_low_wing(search);
    } else {  // lower middle: interpolate s(β) between s_l and s_c
      const double v_l = normalised_vega(x, s_l);
      const double r = convex_rational_cubic_control_parameter_right(b_l, b_c, s_l, s_c, 1.0 / v_l, 1.0 / v_c, 0.0, false);
      search.s = rational_cubic_interpolation(beta, b_l, b_c, s_l, s_c, 1.0 / v_l, 1.0 / v_c, r);
      search.left = s_l;
      search.right = s_c;
      solve_middle(search);
    }
  } else {
    const double s_h = v_c > DBL_MIN ? s_c + (b_max - b_c) / v_c : s_c;
    const double b_h = otm_call(x, s_h);
    if (beta <= b_h) {  // upper middle
      const double v_h = normalised_vega(x, s_h);
      const double r = convex_rational_cubic_control_parameter_left(b_c, b_h, s_c, s_h, 1.0 / v_c, 1.0 / v_h, 0.0, false);
      search.s = rational_cubic_interpolation(beta, b_c, b_h, s_c, s_h, 1.0 / v_c, 1.0 / v_h, r);
      search.left = s_c;
      search.right = s_h;
      solve_middle(search);
    } else {  // highest region: interpolate f_upper between b_h and b_max
      const MapAndDerivatives m = upper_map(x, s_h);
      double f = 0.0;
      if (m.fpp > -kSqrtDblMax && m.fpp < kSqrtDblMax) {
        const double r = convex_rational_cubic_control_parameter_left(b_h, b_max, m.f, 0.0, m.fp, -0.5, m.fpp, true);
        f = rational_cubic_interpolation(beta, b_h, b_max, m.f, 0.0, m.fp, -0.5, r);
      }
      if (!(f > 0.0)) {
        const double h = b_max - b_h, t = (beta - b_h) / h;
        f = (m.f * (1.0 - t) + 0.5 * h * t) * (1.0 - t);
      }
      search.s = inverse_upper_map(f);
      search.left = s_h;
      // Above half of b_max the log objective is the better one; below it b itself is.
      if (beta > 0.5 * b_max) solve_high_wing(search, b_max);
      else solve_middle(search);
    }
  }
  iterations = search.iterations;
  return search.s;
}

// The relative precision of a price: ε, or coarser for subnormal prices (spacing 2^-1074).
double relative_precision(double price) { return std::max(DBL_EPSILON, DBL_TRUE_MIN / std::fabs(price)); }

// precision·β / (b'(s)·s): the relative change of s that one rounding of the price makes.
double relative_uncertainty(double beta, double x, double s, double precision) {
  const double sensitivity = normalised_vega(x, s) * s;
  const double u = precision * beta / sensitivity;
  return (u >= 0.0 && u < 1.0) ? u : 1.0;  // also maps 0/0 and x/0 to "undetermined"
}

// β = intrinsic + time_value (normalised), precision: the relative precision of the price β
// came from. The caller forms time_value as accurately as it can: in the money, the time
// value is a small difference of large numbers, and its error becomes the vol's.
ImpliedVol solve_time_value(double time_value, double intrinsic, double beta, double x, double precision) {
  ImpliedVol out;
  // In the money, solve for the time value alone, as the out-of-the-money option with the
  // same time value (put-call duality); a price within 4 ulps of intrinsic counts as equal.
  if (time_value <= 4.0 * DBL_EPSILON * intrinsic) {
    out.status = time_value >= -4.0 * DBL_EPSILON * intrinsic ? ImpliedVolStatus::at_intrinsic
                                                              : ImpliedVolStatus::below_intrinsic;
    out.relative_vol_uncertainty = out.status == ImpliedVolStatus::at_intrinsic ? 1.0 : 0.0;
    return out;
  }
  const double otm_x = -std::fabs(x);
  if (time_value >= std::exp(0.5 * otm_x)) {
    out.status = ImpliedVolStatus::above_maximum;
    return out;
  }
  out.vol = solve_otm(time_value, otm_x, out.iterations);
  out.relative_vol_uncertainty = relative_uncertainty(beta, x, out.vol, precision);
  return out;
}

ImpliedVol solve(double beta, double x, double theta, double precision) {
  const double intrinsic = normalised_intrinsic(x, theta);
  return solve_time_value(beta - intrinsic, intrinsic, beta, x, precision);
}

// The intrinsic value of the forward in the premium currency, max(θ D (F - K), 0) (inverse:
// divided by F), from forward_minus_strike, which holds no rounding of ln(F/K) or of D·K. The
// normalised intrinsic value 2 sinh(x/2) of the rounded x would carry an error of about
// ε·max(F, K) against a premium rounded to ε·premium: in the money near expiry, where the
// premium is mostly intrinsic value, that cost the vol up to 20 times its premium rounding.
double intrinsic_premium(const ForwardTerms& f) {
  const double signed_value = f.theta * f.forward_minus_strike;
  return signed_value > 0.0 ? f.premium_per_usd * signed_value : 0.0;
}

}  // namespace

std::string_view to_string(ImpliedVolStatus status) {
  switch (status) {
    case ImpliedVolStatus::ok: return "ok";
    case ImpliedVolStatus::at_intrinsic: return "at-intrinsic";
    case ImpliedVolStatus::below_intrinsic: return "below-intrinsic";
    case ImpliedVolStatus::above_maximum: return "above-maximum";
  }
  return "unknown";
}

ImpliedVol implied_total_vol(double beta, double x, double theta) {
  return solve(beta, x, theta, relative_precision(beta));
}

Result<ImpliedVol> implied_vol(const OptionSpec& spec, double price, const std::string& field) {
  if (auto e = validate_option(spec, field, false); !e.ok()) return Result<ImpliedVol>::failure(e);
  if (!std::isfinite(price))
    return Result<ImpliedVol>::failure(make_error(Status::non_finite, field + ".price", "price is not a finite number"));
  OptionSpec unit_vol = spec;
  unit_vol.vol = 0.0;
  const ForwardTerms f = forward_terms(unit_vol);
  const double normaliser = f.premium_per_usd * f.discount * std::sqrt(f.forward) * std::sqrt(f.strike);
  const double intrinsic = intrinsic_premium(f);
  ImpliedVol out = solve_time_value((price - intrinsic) / normaliser, intrinsic / normaliser, price / normaliser,
                                    f.log_moneyness, relative_precision(price));
  if (spec.expiry_years == 0.0) {  // only the intrinsic value is attainable
    if (out.status == ImpliedVolStatus::ok) out = ImpliedVol{0.0, ImpliedVolStatus::above_maximum, 0, 0.0};
    return Result<ImpliedVol>::success(out);
  }
  out.vol /= std::sqrt(spec.expiry_years);
  return Result<ImpliedVol>::success(out);
}

}  // namespace ballast::derivatives
