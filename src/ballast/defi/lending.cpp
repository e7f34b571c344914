#include "ballast/defi/lending.hpp"

#include <algorithm>
#include <cmath>

#include "ballast/core/validate.hpp"

namespace ballast::defi {
namespace {

struct RiskParameters {
  double ltv, liquidation_threshold;
};

// Aave v3: an asset in the account's e-mode category uses the category's parameters.
RiskParameters parameters(const Supply& s, const std::optional<EmodeCategory>& emode) {
  if (emode && s.emode_category != 0 && s.emode_category == emode->category)
    return {emode->ltv, emode->liquidation_threshold};
  return {s.ltv, s.liquidation_threshold};
}

Error check_parameters(double ltv, double lt, double bonus, const std::string& field) {
  auto bad = [&](const char* key, const char* message) {
    return make_error(Status::invalid_value, field + "." + key, message);
  };
  if (!(lt >= 0 && lt <= 1)) return bad("liquidationThreshold", "a fraction in [0, 1] (Aave's 8250 bps is 0.825)");
  if (!(ltv >= 0 && ltv <= lt)) return bad("ltv", "a fraction in [0, liquidationThreshold]");
  if (!(bonus >= 0 && bonus < 1)) return bad("liquidationBonus", "the bonus fraction in [0, 1) (Aave's 10500 is 0.05)");
  return Error::none();
}

}  // namespace

Error validate(const LendingAccount& a, const std::string& field) {
  for (size_t i = 0; i < a.supplies.size(); ++i) {
    const std::string f = indexed(field + ".supplies", static_cast<Index>(i));
    const Supply& s = a.supplies[i];
    if (!(s.amount > 0) || !std::isfinite(s.amount))
      return make_error(Status::invalid_value, f + ".amount", "a supplied amount must be a positive number");
    if (Error e = check_parameters(s.ltv, s.liquidation_threshold, s.liquidation_bonus, f); !e.ok()) return e;
  }
  for (size_t j = 0; j < a.borrows.size(); ++j) {
    const Borrow& b = a.borrows[j];
    if (!(b.amount > 0) || !std::isfinite(b.amount))
      return make_error(Status::invalid_value, indexed(field + ".borrows", static_cast<Index>(j)) + ".amount",
                        "a borrowed amount must be a positive number");
  }
  if (a.emode) {
    if (a.emode->category <= 0)
      return make_error(Status::invalid_value, field + ".emode.category", "e-mode categories are positive integers");
    if (Error e = check_parameters(a.emode->ltv, a.emode->liquidation_threshold, a.emode->liquidation_bonus,
                                   field + ".emode");
        !e.ok())
      return e;
  }
  return Error::none();
}

LendingSummary lending_summary(const LendingAccount& a, const std::vector<TokenQuote>& sq,
                               const std::vector<TokenQuote>& bq) {
  LendingSummary s;
  // Per underlying u: weighted collateral units a_u (sum LT * amount * rate) and debt units b_u.
  std::map<std::string, double> weighted_units, debt_units, price_of;
  for (size_t i = 0; i < a.supplies.size(); ++i) {
    const Supply& x = a.supplies[i];
    const double usd = x.amount * sq[i].price_usd();
    s.collateral_usd += usd;
    price_of[sq[i].underlying] = sq[i].underlying_price_usd;
    if (!x.collateral) continue;
    const RiskParameters r = parameters(x, a.emode);
    s.weighted_collateral_usd += usd * r.liquidation_threshold;
    s.borrow_capacity_usd += usd * r.ltv;
    weighted_units[sq[i].underlying] += x.amount * sq[i].exchange_rate * r.liquidation_threshold;
  }
  for (size_t j = 0; j < a.borrows.size(); ++j) {
    s.debt_usd += a.borrows[j].amount * bq[j].price_usd();
    price_of[bq[j].underlying] = bq[j].underlying_price_usd;
    debt_units[bq[j].underlying] += a.borrows[j].amount * bq[j].exchange_rate;
  }
  s.borrowing_power_left_usd = std::max(0.0, s.borrow_capacity_usd - s.debt_usd);
  if (s.debt_usd > 0) {
    const double hf = s.weighted_collateral_usd / s.debt_usd;
    s.health_factor = hf;
    if (hf < 1.0) {
      const bool small = s.collateral_usd < kMinBaseMaxCloseFactorThresholdUsd ||
                         s.debt_usd < kMinBaseMaxCloseFactorThresholdUsd;
      s.close_factor = (hf <= kCloseFactorHfThreshold || small) ? 1.0 : kDefaultLiquidationCloseFactor;
    }
  }
  // HF(p) = (C_rest + a p) / (D_rest + b p) = 1  =>  p = (D_rest - C_rest) / (a - b).
  for (const auto& [u, price] : price_of) {
    const double au = weighted_units[u], bu = debt_units[u];
    const double c_rest = s.weighted_collateral_usd - au * price, d_rest = s.debt_usd - bu * price;
    std::optional<LiquidationPoint> point;
    if (s.debt_usd > 0 && au != bu) {
      const double p = (d_rest - c_rest) / (au - bu);
      if (p > 0 && std::isfinite(p)) point = LiquidationPoint{u, p, p / price - 1.0};
    }
    s.liquidation_prices[u] = point;
  }
  return s;
}

}  // namespace ballast::defi
