#include "ballast/derivatives/surface.hpp"

#include <algorithm>
#include <cmath>

#include "ballast/core/format.hpp"
#include "ballast/core/validate.hpp"

namespace ballast::derivatives {

namespace {

// Index of the last slice with expiry <= T, or -1 before the first.
int slice_before(const std::vector<SurfaceSlice>& slices, double T) {
  int i = -1;
  while (i + 1 < static_cast<int>(slices.size()) && slices[i + 1].expiry_years <= T) ++i;
  return i;
}

double total_variance_at(const std::vector<SurfaceSlice>& slices, double k, double T) {
  const int n = static_cast<int>(slices.size());
  const int i = slice_before(slices, T);
  if (i < 0) return svi_total_variance(slices[0].params, k) * T / slices[0].expiry_years;
  if (i == n - 1) return svi_total_variance(slices[i].params, k) * T / slices[i].expiry_years;
  const SurfaceSlice &lo = slices[i], &hi = slices[i + 1];
  const double t = (T - lo.expiry_years) / (hi.expiry_years - lo.expiry_years);
  const double w_lo = svi_total_variance(lo.params, k), w_hi = svi_total_variance(hi.params, k);
  return w_lo + t * (w_hi - w_lo);
}

}  // namespace

Error validate_surface(const std::vector<SurfaceSlice>& slices, const std::string& field) {
  if (slices.empty()) return make_error(Status::invalid_shape, field, "a surface needs at least one slice");
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const std::string at = indexed(field, static_cast<Index>(i));
    const SurfaceSlice& s = slices[i];
    if (!std::isfinite(s.expiry_years) || !(s.expiry_years > 0.0))
      return make_error(std::isfinite(s.expiry_years) ? Status::invalid_value : Status::non_finite,
                        at + ".expiryYears", "must be a finite number > 0");
    if (!std::isfinite(s.forward) || !(s.forward > 0.0))
      return make_error(std::isfinite(s.forward) ? Status::invalid_value : Status::non_finite, at + ".forward",
                        "must be a finite number > 0");
    if (i > 0 && !(s.expiry_years > slices[i - 1].expiry_years))
      return make_error(Status::invalid_value, at + ".expiryYears",
                        "slices must have strictly increasing expiries (" + format_number(s.expiry_years) +
                            " follows " + format_number(slices[i - 1].expiry_years) + ")");
    if (auto e = validate_svi(s.params, at + ".svi"); !e.ok()) return e;
  }
  return Error::none();
}

CalendarReport check_calendar(const std::vector<SurfaceSlice>& slices, int points) {
  CalendarReport r;
  double from = 0.0, to = 0.0;
  for (const SurfaceSlice& s : slices) {
    const CheckRange range = default_check_range(s.params, s.k_min, s.k_max);
    from = std::min(from, range.from);
    to = std::max(to, range.to);
  }
  r.grid_from = from;
  r.grid_to = to;
  r.grid_points = points;
  for (std::size_t i = 0; i + 1 < slices.size(); ++i) {
    ArbitrageInterval run;
    bool in_run = false;
    for (int j = 0; j < points; ++j) {
      const double k = from + (to - from) * j / (points - 1);
      const double shortfall = svi_total_variance(slices[i].params, k) - svi_total_variance(slices[i + 1].params, k);
      if (shortfall > 0.0) {
        if (!in_run) run = ArbitrageInterval{k, k, shortfall, k};
        in_run = true;
        run.to_log_moneyness = k;
        if (shortfall > run.worst) run.worst = shortfall, run.worst_log_moneyness = k;
      } else if (in_run) {
        r.violations.push_back({static_cast<int>(i), static_cast<int>(i + 1), run});
        in_run = false;
      }
    }
    if (in_run) r.violations.push_back({static_cast<int>(i), static_cast<int>(i + 1), run});
  }
  r.arbitrage_free = r.violations.empty();
  return r;
}

double surface_forward(const std::vector<SurfaceSlice>& slices, double T) {
  const int n = static_cast<int>(slices.size());
  const int i = slice_before(slices, T);
  if (i < 0) return slices[0].forward;
  if (i == n - 1) return slices[i].forward;
  const SurfaceSlice &lo = slices[i], &hi = slices[i + 1];
  const double t = (T - lo.expiry_years) / (hi.expiry_years - lo.expiry_years);
  return std::exp(std::log(lo.forward) + t * (std::log(hi.forward) - std::log(lo.forward)));
}

Result<SurfacePoint> surface_vol(const std::vector<SurfaceSlice>& slices, double strike, double expiry_years,
                                 std::optional<double> forward, const std::string& field) {
  const std::string f = field.empty() ? "" : field + ".";
  auto positive = [&](double v, const char* name) -> Error {
    if (!std::isfinite(v)) return make_error(Status::non_finite, f + name, "not a finite number");
    if (!(v > 0.0) || v > 1e100) return make_error(Status::invalid_value, f + name, "must be > 0 (and <= 1e100)");
    return Error::none();
  };
  if (auto e = positive(strike, "strike"); !e.ok()) return Result<SurfacePoint>::failure(e);
  if (auto e = positive(expiry_years, "expiryYears"); !e.ok()) return Result<SurfacePoint>::failure(e);
  if (forward)
    if (auto e = positive(*forward, "forward"); !e.ok()) return Result<SurfacePoint>::failure(e);
  SurfacePoint p;
  p.forward = forward ? *forward : surface_forward(slices, expiry_years);
  p.log_moneyness = std::log(strike / p.forward);
  p.total_variance = total_variance_at(slices, p.log_moneyness, expiry_years);
  p.vol = std::sqrt(std::max(p.total_variance, 0.0) / expiry_years);
  return Result<SurfacePoint>::success(p);
}

}  // namespace ballast::derivatives
