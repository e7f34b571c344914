#include "ballast/derivatives/svi.hpp"

#include <algorithm>
#include <cmath>

#include "ballast/core/format.hpp"

namespace ballast::derivatives {

SviValue svi_value(const SviParams& p, double k) {
  const double x = k - p.m;
  const double root = std::sqrt(x * x + p.sigma * p.sigma);
  SviValue v;
  v.w = p.a + p.b * (p.rho * x + root);
  v.dw = p.b * (p.rho + x / root);
  v.d2w = p.b * p.sigma * p.sigma / (root * root * root);
  return v;
}

double svi_total_variance(const SviParams& p, double k) { return svi_value(p, k).w; }

double svi_min_total_variance(const SviParams& p) {
  return p.a + p.b * p.sigma * std::sqrt(std::max(0.0, 1.0 - p.rho * p.rho));
}

double butterfly_density(const SviParams& p, double k) {
  const SviValue v = svi_value(p, k);
  const double first = 1.0 - k * v.dw / (2.0 * v.w);
  return first * first - 0.25 * v.dw * v.dw * (1.0 / v.w + 0.25) + 0.5 * v.d2w;
}

Error validate_svi(const SviParams& p, const std::string& field) {
  const struct {
    const char* name;
    double value;
  } members[] = {{"a", p.a}, {"b", p.b}, {"rho", p.rho}, {"m", p.m}, {"sigma", p.sigma}};
  for (const auto& member : members)
    if (!std::isfinite(member.value))
      return make_error(Status::non_finite, field + "." + member.name, "not a finite number");
  if (p.b < 0.0) return make_error(Status::invalid_value, field + ".b", "the wing slope b must be >= 0");
  if (!(std::fabs(p.rho) < 1.0)) return make_error(Status::invalid_value, field + ".rho", "rho must be in (-1, 1)");
  if (!(p.sigma > 0.0)) return make_error(Status::invalid_value, field + ".sigma", "sigma must be > 0");
  if (!(svi_min_total_variance(p) > 0.0))
    return make_error(Status::invalid_value, field + ".a",
                      "the total variance a + b sigma sqrt(1 - rho^2) = " + format_number(svi_min_total_variance(p)) +
                          " at its minimum must be > 0");
  return Error::none();
}

ButterflyReport check_butterfly(const SviParams& p, double from, double to, int points) {
  ButterflyReport r;
  r.grid_from = from;
  r.grid_to = to;
  r.grid_points = points;
  r.wing_slope = p.b * (1.0 + std::fabs(p.rho));
  r.wing_bound_holds = r.wing_slope <= 4.0;
  r.min_density = INFINITY;
  ArbitrageInterval run;
  bool in_run = false;
  for (int i = 0; i < points; ++i) {
    const double k = from + (to - from) * i / (points - 1);
    const double g = butterfly_density(p, k);
    if (g < r.min_density) {
      r.min_density = g;
      r.min_density_log_moneyness = k;
    }
    if (g < 0.0) {
      if (!in_run) run = ArbitrageInterval{k, k, g, k};
      in_run = true;
      run.to_log_moneyness = k;
      if (g < run.worst) {
        run.worst = g;
        run.worst_log_moneyness = k;
      }
    } else if (in_run) {
      r.violations.push_back(run);
      in_run = false;
    }
  }
  if (in_run) r.violations.push_back(run);
  r.arbitrage_free = r.violations.empty() && r.wing_bound_holds;
  return r;
}

CheckRange default_check_range(const SviParams& p, double k_min, double k_max) {
  const double reach = std::max(1.0, 6.0 * std::sqrt(std::max(svi_total_variance(p, 0.0), 0.0)));
  return {std::min(k_min, -reach), std::max(k_max, reach)};
}

}  // namespace ballast::derivatives
