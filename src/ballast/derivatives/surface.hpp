// A volatility surface: SVI slices (svi.hpp) at increasing expiries, each with its own
// forward; calendar-arbitrage checks between them; implied vol at any (strike, expiry).
//
// Interpolation, in total implied variance at fixed forward log-moneyness k = ln(K / F(T)):
//   between slices i and i+1   w(k, T) = w_i(k) + (T - T_i)/(T_{i+1} - T_i) (w_{i+1}(k) - w_i(k))
//   before the first slice     w(k, T) = w_1(k) T / T_1    (the first slice's vol, held)
//   after the last slice       w(k, T) = w_n(k) T / T_n    (the last slice's vol, held)
// Linear in T at fixed k keeps w non-decreasing in T wherever the slices are calendar-arbitrage
// free (Gatheral & Jacquier 2014, section 3), so interpolation adds no calendar arbitrage.
// Forwards: ln F linear in T between slices (a constant carry rate in between), flat outside;
// a query may give its own forward instead.
//
// Calendar arbitrage: call prices at fixed k must not fall with expiry, i.e. w_i(k) <= w_{i+1}(k)
// for every k. It is checked on a grid spanning every slice's check range (svi.hpp) and each
// stretch where a later slice has less total variance is reported with its largest shortfall.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/derivatives/svi.hpp"

namespace ballast::derivatives {

struct SurfaceSlice {
  double expiry_years = 0.0;
  double forward = 0.0;
  SviParams params;
  double k_min = 0.0, k_max = 0.0;  // the quoted log-moneyness range (for the check grid)
};

struct CalendarViolation {
  int earlier = 0, later = 0;  // slice indices, in expiry order
  ArbitrageInterval where;     // worst = the largest w_earlier - w_later
};

struct CalendarReport {
  bool arbitrage_free = true;
  std::vector<CalendarViolation> violations;
  double grid_from = 0.0, grid_to = 0.0;
  int grid_points = 0;
};

struct SurfacePoint {
  double vol = 0.0;             // per sqrt(year)
  double total_variance = 0.0;  // vol^2 T
  double forward = 0.0;         // the forward used
  double log_moneyness = 0.0;   // ln(K / forward)
};

// Slices must have strictly increasing expiries and valid parameters. Errors name
// "<field>[i].expiryYears" etc.
Error validate_surface(const std::vector<SurfaceSlice>& slices, const std::string& field);

CalendarReport check_calendar(const std::vector<SurfaceSlice>& slices, int points = kDefaultCheckPoints);

// slices: validated, non-empty. strike > 0, expiry_years > 0, forward (if given) > 0; errors name
// "<field>.strike", "<field>.expiryYears", "<field>.forward".
Result<SurfacePoint> surface_vol(const std::vector<SurfaceSlice>& slices, double strike, double expiry_years,
                                 std::optional<double> forward, const std::string& field);

// The forward at T by the rule above.
double surface_forward(const std::vector<SurfaceSlice>& slices, double expiry_years);

}  // namespace ballast::derivatives
