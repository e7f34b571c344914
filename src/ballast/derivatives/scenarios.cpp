#include "ballast/derivatives/scenarios.hpp"

#include <cmath>

#include "ballast/core/validate.hpp"

namespace ballast::derivatives {

namespace {

// Every shock finite and above `floor` (strictly when `strict`).
Error check_shocks(const std::vector<double>& shocks, const std::string& field, double floor, bool strict,
                   const char* why) {
  if (shocks.empty()) return make_error(Status::invalid_shape, field, "needs at least one shock (0 for none)");
  for (std::size_t i = 0; i < shocks.size(); ++i) {
    const std::string at = indexed(field, static_cast<Index>(i));
    if (!std::isfinite(shocks[i])) return make_error(Status::non_finite, at, "not a finite number");
    if (shocks[i] < floor || (strict && shocks[i] == floor))
      return make_error(Status::invalid_value, at, why);
  }
  return Error::none();
}

}  // namespace

Result<ScenarioResult> scenario_pnl(const Book& book, const ScenarioGrid& grid) {
  if (auto e = validate_book(book); !e.ok()) return Result<ScenarioResult>::failure(e);
  if (auto e = check_shocks(grid.spot_shocks, "scenarios.spotShocks", -1.0, true, "a relative spot shock must be > -1");
      !e.ok())
    return Result<ScenarioResult>::failure(e);
  if (auto e = check_shocks(grid.vol_shocks, "scenarios.volShocks", grid.vol_relative ? -1.0 : -INFINITY, false,
                            "a relative vol shock must be >= -1");
      !e.ok())
    return Result<ScenarioResult>::failure(e);
  if (!std::isfinite(grid.horizon_years) || grid.horizon_years < 0.0)
    return Result<ScenarioResult>::failure(
        make_error(Status::invalid_value, "scenarios.horizonYears", "must be a finite number >= 0"));

  const std::size_t n_spot = grid.spot_shocks.size(), n_vol = grid.vol_shocks.size(), n_u = book.underlyings.size();
  std::vector<double> base_usd(n_u, 0.0);
  for (const Position& p : book.positions) base_usd[p.underlying] += position_value_usd(book, p, MarketShift{});

  ScenarioResult r;
  r.pnl_usd.assign(n_spot, std::vector<double>(n_vol, 0.0));
  r.pnl_usd_by_underlying.assign(n_u, r.pnl_usd);
  r.pnl_coin_by_underlying.assign(n_u, r.pnl_usd);
  std::vector<double> value(n_u);
  for (std::size_t i = 0; i < n_spot; ++i)
    for (std::size_t j = 0; j < n_vol; ++j) {
      const MarketShift shift{grid.spot_shocks[i], grid.vol_shocks[j], grid.vol_relative, grid.horizon_years};
      std::fill(value.begin(), value.end(), 0.0);
      for (const Position& p : book.positions) value[p.underlying] += position_value_usd(book, p, shift, &r.vols_floored);
      for (std::size_t u = 0; u < n_u; ++u) {
        const double S0 = book.underlyings[u].spot, S = S0 * (1.0 + grid.spot_shocks[i]);
        r.pnl_usd_by_underlying[u][i][j] = value[u] - base_usd[u];
        r.pnl_coin_by_underlying[u][i][j] = value[u] / S - base_usd[u] / S0;
        r.pnl_usd[i][j] += value[u] - base_usd[u];
      }
    }
  return Result<ScenarioResult>::success(std::move(r));
}

}  // namespace ballast::derivatives
