#include "ballast/defi/strategies.hpp"

#include <cmath>

namespace ballast::defi {
namespace {

using R = Result<StrategyResult>;

R fail(const char* field, const std::string& message) {
  return R::failure(make_error(Status::invalid_value, field, message));
}

bool finite_at_least(double v, double lo) { return std::isfinite(v) && v >= lo; }

// Builds the result: the positions analyzed together.
R finish(std::vector<Position> positions, const Market& market, Summary summary) {
  auto a = analyze(positions, market);
  if (!a.ok()) return R::failure(a.error);
  return R::success(StrategyResult{std::move(positions), std::move(a.value), std::move(summary)});
}

Position make(PositionData data, std::string id, std::string protocol, std::string chain) {
  Position p;
  p.data = std::move(data);
  p.id = std::move(id);
  p.protocol = std::move(protocol);
  p.chain = std::move(chain);
  return p;
}

}  // namespace

R delta_neutral_carry(const CarrySpec& s, const Market& market) {
  if (!(s.capital_usd > 0) || !std::isfinite(s.capital_usd)) return fail("capitalUsd", "a positive USD amount");
  if (!finite_at_least(s.shock, 0)) return fail("shock", "an adverse move >= 0 (0.3 = the price rises 30%)");
  if (!finite_at_least(s.buffer, 0)) return fail("buffer", "a relative distance >= 0");
  if (!(s.maintenance_margin_ratio >= 0 && s.maintenance_margin_ratio < 1))
    return fail("maintenanceMarginRatio", "a fraction in [0, 1)");
  if (!std::isfinite(s.staking_apr)) return fail("stakingApr", "a finite fraction per year");
  auto q = quote(market, s.asset, "asset");
  if (!q.ok()) return R::failure(q.error);
  const std::string perp_asset = s.perp_asset.empty() ? q.value.underlying : s.perp_asset;
  auto qp = quote(market, perp_asset, "perpAsset");
  if (!qp.ok()) return R::failure(qp.error);
  if (qp.value.underlying != q.value.underlying)
    return fail("perpAsset", "the perp must track the same underlying as the asset ('" + q.value.underlying + "')");
  const double k = (1 + s.maintenance_margin_ratio) * (1 + s.shock) * (1 + s.buffer) - 1;
  const double spot_usd = s.capital_usd / (1 + k), margin = s.capital_usd - spot_usd;
  const double amount = spot_usd / q.value.price_usd();
  const double hedge_units = amount * q.value.exchange_rate / qp.value.exchange_rate;
  const double mark = qp.value.price_usd();
  PerpPosition perp;
  perp.asset = perp_asset;
  perp.size = -hedge_units;
  perp.entry_price = mark;
  perp.margin = margin;
  perp.maintenance_margin_ratio = s.maintenance_margin_ratio;
  perp.funding_rate = s.funding_rate;
  perp.funding_interval_hours = s.funding_interval_hours;
  if (Error e = validate(perp, "perp"); !e.ok()) return R::failure(e);
  const PerpRisk risk = perp_risk(perp, mark);
  const double staking_per_day = spot_usd * s.staking_apr / 365.0;
  const double carry_per_day = staking_per_day + risk.funding_per_day_usd;
  Summary summary = {{"spotUsd", spot_usd},
                     {"spotAmount", amount},
                     {"perpSize", perp.size},
                     {"perpMarginUsd", margin},
                     {"liquidationPrice", risk.liquidation_price.value_or(NAN)},
                     {"liquidationMove", risk.liquidation_price ? *risk.liquidation_price / mark - 1 : NAN},
                     {"stakingPerDayUsd", staking_per_day},
                     {"fundingPerDayUsd", risk.funding_per_day_usd},
                     {"carryPerDayUsd", carry_per_day},
                     {"carryApr", carry_per_day * 365.0 / s.capital_usd}};
  return finish({make(SpotPosition{s.asset, amount}, "carry spot", "", s.spot_chain),
                 make(perp, "carry perp short", s.venue, s.chain)},
                market, std::move(summary));
}

R basis_trade(const BasisSpec& s, const Market& market) {
  if (!(s.capital_usd > 0) || !std::isfinite(s.capital_usd)) return fail("capitalUsd", "a positive USD amount");
  if (!(s.future_price > 0) || !std::isfinite(s.future_price)) return fail("futurePrice", "a positive price");
  if (!(s.expiry_years > 0) || !std::isfinite(s.expiry_years)) return fail("expiryYears", "a positive number of years");
  if (!(s.initial_margin_ratio > 0 && s.initial_margin_ratio <= 1)) return fail("initialMarginRatio", "a fraction in (0, 1]");
  if (!finite_at_least(s.fees_bps, 0)) return fail("feesBps", "basis points >= 0");
  if (!std::isfinite(s.financing_apr)) return fail("financingApr", "a finite fraction per year");
  auto q = quote(market, s.asset, "asset");
  if (!q.ok()) return R::failure(q.error);
  const double spot = q.value.price_usd(), F = s.future_price, T = s.expiry_years;
  // Capital buys q spot and posts the future's margin: q S + q F imr = capital.
  const double amount = s.capital_usd / (spot + F * s.initial_margin_ratio);
  const double fees = s.fees_bps / 1e4 * amount * (spot + F);
  const double financing = s.capital_usd * s.financing_apr * T;
  const double gross = amount * (F - spot), net = gross - fees - financing;
  FuturePosition fut{s.asset, -amount, F, T, F};
  Summary summary = {{"spotAmount", amount},
                     {"futureSize", -amount},
                     {"futureMarginUsd", amount * F * s.initial_margin_ratio},
                     {"basis", F / spot - 1},
                     {"annualizedBasis", (F / spot - 1) / T},
                     {"annualizedBasisLog", std::log(F / spot) / T},
                     {"grossCarryUsd", gross},
                     {"feesUsd", fees},
                     {"financingUsd", financing},
                     {"netCarryUsd", net},
                     {"netCarryApr", net / s.capital_usd / T}};
  return finish({make(SpotPosition{s.asset, amount}, "basis spot", "", "ethereum"),
                 make(fut, "basis future short", s.venue, s.chain)},
                market, std::move(summary));
}

R delta_hedged_lp(const HedgedLpSpec& s, const Market& market) {
  const bool is_lp = std::holds_alternative<V2LpPosition>(s.lp.data) || std::holds_alternative<V3LpPosition>(s.lp.data);
  if (!is_lp) return fail("lp.type", "the position to hedge is a 'uniswap-v2' or 'uniswap-v3' position");
  auto lp = analyze_position(s.lp, market, "lp");
  if (!lp.ok()) return R::failure(lp.error);
  std::string u = s.hedge_asset;
  if (u.empty()) {
    double largest = -1;
    for (const auto& [name, units] : lp.value.delta_units) {
      auto t = market.tokens.find(name);
      const bool stable = t != market.tokens.end() && t->second.stablecoin;
      const double usd = std::abs(units) * market.prices.at(name);
      if (!stable && usd > largest) largest = usd, u = name;
    }
    if (u.empty()) return fail("hedgeAsset", "the LP holds only stablecoins; name the asset to hedge");
  }
  auto d = lp.value.delta_units.find(u);
  if (d == lp.value.delta_units.end())
    return R::failure(make_error(Status::unknown_value, "hedgeAsset", "the LP has no exposure to '" + u + "'"));
  auto qp = quote(market, u, "hedgeAsset");
  if (!qp.ok()) return R::failure(qp.error);
  PerpPosition perp;
  perp.asset = u;
  perp.size = -d->second / qp.value.exchange_rate;
  perp.entry_price = qp.value.price_usd();
  perp.margin = s.margin_usd;
  perp.maintenance_margin_ratio = s.maintenance_margin_ratio;
  perp.funding_rate = s.funding_rate;
  perp.funding_interval_hours = s.funding_interval_hours;
  if (Error e = validate(perp, "perp"); !e.ok()) return R::failure(e);
  const PerpRisk risk = perp_risk(perp, perp.entry_price);
  const auto& details = std::get<LpDetails>(lp.value.details);
  const double gamma = lp.value.gamma.count(u) ? lp.value.gamma.at(u) : 0.0;
  const double price = market.prices.at(u);
  Summary summary = {{"lpValueUsd", lp.value.value_usd},
                     {"lpDeltaUnits", d->second},
                     {"hedgeSize", perp.size},
                     {"hedgeMarginUsd", s.margin_usd},
                     {"liquidationPrice", risk.liquidation_price.value_or(NAN)},
                     {"gamma", gamma},
                     {"gammaPnlPerOnePercentMoveUsd", 0.5 * gamma * price * price * 1e-4},
                     {"feeIncomePerDayUsd", details.fee_income_per_day_usd},
                     {"fundingPerDayUsd", risk.funding_per_day_usd},
                     {"carryPerDayUsd", details.fee_income_per_day_usd + risk.funding_per_day_usd}};
  Position lp_position = s.lp;
  if (lp_position.id.empty()) lp_position.id = "hedged LP";
  return finish({lp_position, make(perp, "LP delta hedge", s.venue, s.chain)}, market, std::move(summary));
}

}  // namespace ballast::defi
