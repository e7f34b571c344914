// P&L of a book over a grid of spot and vol shocks, by full revaluation of every position
// (no Greek approximation): spot shocks are relative moves applied to every underlying's spot
// and, in proportion, to every forward (book.hpp); vol shocks are added to every option's vol
// (or scale it, when relative); option expiries may be rolled forward by a horizon, holding
// each option's forward (black-76, inverse) or the spot (black-scholes) as its theta does.
#pragma once

#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/derivatives/book.hpp"

namespace ballast::derivatives {

struct ScenarioGrid {
  std::vector<double> spot_shocks;  // relative, each > -1 (-0.2 = spot down 20%)
  std::vector<double> vol_shocks;   // additive in vol (0.05 = +5 vol points), or relative
  bool vol_relative = false;        // vol (1 + shock) instead of vol + shock; shocks >= -1
  double horizon_years = 0.0;       // >= 0
};

struct ScenarioResult {
  // pnl_usd[i][j]: USD value change at spot_shocks[i], vol_shocks[j], all underlyings.
  std::vector<std::vector<double>> pnl_usd;
  // Per underlying: USD value change, and coin value change (value / shocked spot, minus today's).
  std::vector<std::vector<std::vector<double>>> pnl_usd_by_underlying;
  std::vector<std::vector<std::vector<double>>> pnl_coin_by_underlying;
  int vols_floored = 0;  // (option, scenario) pairs whose shocked vol was below 0 and priced at 0
};

// Errors: those of validate_book; empty or non-finite shocks ("scenarios.spotShocks[i]"), a spot
// shock <= -1, a relative vol shock < -1, a negative horizon.
Result<ScenarioResult> scenario_pnl(const Book& book, const ScenarioGrid& grid);

}  // namespace ballast::derivatives
