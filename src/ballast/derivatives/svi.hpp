// One expiry's smile as a raw SVI slice (Gatheral 2004; Gatheral & Jacquier, "Arbitrage-free
// SVI volatility surfaces", Quantitative Finance 2014), and the no-arbitrage checks on it.
//
//   total implied variance  w(k) = a + b (rho (k - m) + sqrt((k - m)^2 + sigma^2))
//   k = ln(K / F_T), the log-moneyness against the expiry's own forward; vol = sqrt(w / T).
//
// Why raw SVI: five parameters with a direct reading (level a, wing angle b, skew rho, shift m,
// ATM curvature sigma), linear wings as Lee's moment formula requires, and a fit that profiles
// out (a, b rho, b) exactly (smile.hpp). Its known weakness, butterfly arbitrage that the
// parameters do not rule out, is checked on every slice and reported as data.
//
// Butterfly arbitrage: the risk-neutral density of ln(K/F) is non-negative iff (GJ 2014, eq. 2.1)
//   g(k) = (1 - k w'/(2w))^2 - (w'^2 / 4)(1/w + 1/4) + w''/2 >= 0,
// and, for call prices to vanish as K -> inf, Lee's wing bound b (1 + |rho|) <= 4.
#pragma once

#include <string>
#include <vector>

#include "ballast/core/result.hpp"

namespace ballast::derivatives {

struct SviParams {
  double a = 0.0;      // variance level (total variance units)
  double b = 0.0;      // wing slope, >= 0
  double rho = 0.0;    // skew, in (-1, 1)
  double m = 0.0;      // horizontal shift (log-moneyness)
  double sigma = 0.1;  // ATM smoothness, > 0
};

// w, dw/dk and d2w/dk2 at log-moneyness k.
struct SviValue {
  double w = 0.0, dw = 0.0, d2w = 0.0;
};
SviValue svi_value(const SviParams& p, double k);
double svi_total_variance(const SviParams& p, double k);
// The smallest total variance, a + b sigma sqrt(1 - rho^2) (at k = m - rho sigma / sqrt(1-rho^2)).
double svi_min_total_variance(const SviParams& p);

// Gatheral-Jacquier's density function g(k) (above). Needs w(k) > 0.
double butterfly_density(const SviParams& p, double k);

// Parameters a user may give: finite, b >= 0, |rho| < 1, sigma > 0 and w > 0 everywhere
// (a + b sigma sqrt(1 - rho^2) > 0). Fields "<field>.a", ".b", ".rho", ".m", ".sigma".
Error validate_svi(const SviParams& p, const std::string& field);

// A stretch of log-moneyness where a condition fails, and how badly.
struct ArbitrageInterval {
  double from_log_moneyness = 0.0;
  double to_log_moneyness = 0.0;
  double worst = 0.0;                // butterfly: the most negative g; calendar: the largest shortfall
  double worst_log_moneyness = 0.0;  // where `worst` is reached
};

struct ButterflyReport {
  bool arbitrage_free = true;  // g >= 0 on the whole grid and Lee's bound holds
  double min_density = 0.0;    // min g over the grid
  double min_density_log_moneyness = 0.0;
  double wing_slope = 0.0;     // b (1 + |rho|); Lee: <= 4
  bool wing_bound_holds = true;
  std::vector<ArbitrageInterval> violations;  // maximal runs of grid points with g < 0
  double grid_from = 0.0, grid_to = 0.0;      // the checked log-moneyness range
  int grid_points = 0;
};

// g on `points` equally spaced k in [from, to] (points >= 2, from < to).
ButterflyReport check_butterfly(const SviParams& p, double from, double to, int points);

// The k-range both checks use by default: the quoted range, widened to +-max(1, 6 sqrt(w(0)))
// (six ATM standard deviations, and at least strikes from F/e to F e) when that is wider, so
// the wings beyond the quotes are covered.
struct CheckRange {
  double from = 0.0, to = 0.0;
};
CheckRange default_check_range(const SviParams& p, double k_min, double k_max);
inline constexpr int kDefaultCheckPoints = 801;

}  // namespace ballast::derivatives
