#include "ballast/api/analysis_json.hpp"

#include <cmath>

namespace ballast::api {
namespace {

using namespace ballast::defi;

Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json num(const std::optional<double>& v) { return v ? num(*v) : Json(nullptr); }

Json point_json(const std::optional<LiquidationPoint>& p) {
  if (!p) return nullptr;
  return {{"priceUsd", num(p->price_usd)}, {"move", num(p->move)}};
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

Json details_json(const PositionDetails& d) {
  return std::visit(
      Overloaded{
          [](const SpotDetails& s) -> Json {
            return {{"priceUsd", num(s.price_usd)}, {"underlying", s.underlying}, {"exchangeRate", num(s.exchange_rate)}};
          },
          [](const LpDetails& l) -> Json {
            Json j = {{"amount0", num(l.amount0)},
                      {"amount1", num(l.amount1)},
                      {"poolPrice", num(l.pool_price)},
                      {"marketPrice", num(l.market_price)},
                      {"impermanentLoss", num(l.impermanent_loss)},
                      {"feeIncomePerDayUsd", num(l.fee_income_per_day_usd)},
                      {"breakEvenFeeApr", num(l.break_even_fee_apr)}};
            if (!l.v3) {
              j["share"] = num(l.share);
              return j;
            }
            j["amount0Raw"] = l.amount0_raw;
            j["amount1Raw"] = l.amount1_raw;
            j["sqrtPriceX96"] = l.sqrt_price_x96;
            j["tick"] = l.tick;
            j["inRange"] = l.in_range;
            j["priceLower"] = num(l.price_lower);
            j["priceUpper"] = num(l.price_upper);
            j["token0UsdAtLower"] = num(l.token0_usd_at_lower);
            j["token0UsdAtUpper"] = num(l.token0_usd_at_upper);
            j["token1UsdAtLower"] = num(l.token1_usd_at_lower);
            j["token1UsdAtUpper"] = num(l.token1_usd_at_upper);
            return j;
          },
          [](const LendingDetails& l) -> Json {
            const LendingSummary& s = l.summary;
            Json prices = Json::object();
            for (const auto& [u, p] : s.liquidation_prices) prices[u] = point_json(p);
            return {{"collateralUsd", num(s.collateral_usd)},
                    {"debtUsd", num(s.debt_usd)},
                    {"healthFactor", num(s.health_factor)},
                    {"borrowingPowerLeftUsd", num(s.borrowing_power_left_usd)},
                    {"healthFactorAfterShock", num(l.health_factor_after_shock)},
                    {"closeFactor", num(s.close_factor)},
                    {"liquidationPrices", std::move(prices)}};
          },
          [](const PerpRisk& r) -> Json {
            return {{"markPrice", num(r.mark_price)},
                    {"notionalUsd", num(r.notional_usd)},
                    {"unrealizedPnlUsd", num(r.unrealized_pnl_usd)},
                    {"equityUsd", num(r.equity_usd)},
                    {"effectiveLeverage", num(r.effective_leverage)},
                    {"maintenanceMarginUsd", num(r.maintenance_margin_usd)},
                    {"liquidationPrice", num(r.liquidation_price)},
                    {"fundingPerDayUsd", num(r.funding_per_day_usd)}};
          },
          [](const FutureDetails& f) -> Json {
            return {{"notionalUsd", num(f.notional_usd)},
                    {"unrealizedPnlUsd", num(f.unrealized_pnl_usd)},
                    {"basisToSpot", num(f.basis_to_spot)}};
          },
          [](const OptionDetails& o) -> Json {
            return {{"priceUsd", num(o.price_usd)},
                    {"delta", num(o.delta)},
                    {"gamma", num(o.gamma)},
                    {"vegaPerVolPoint", num(o.vega_per_vol_point)},
                    {"thetaPerDay", num(o.theta_per_day)}};
          },
      },
      d);
}

}  // namespace

Json position_json(const PositionAnalysis& a) {
  Json deltas = Json::object(), gamma = Json::object();
  for (const auto& [u, units] : a.delta_units) {
    auto usd = a.delta_usd.find(u);
    deltas[u] = {{"units", num(units)}, {"usd", usd == a.delta_usd.end() ? Json(nullptr) : num(usd->second)}};
  }
  for (const auto& [u, g] : a.gamma) gamma[u] = num(g);
  Json j = {{"id", a.id},
            {"type", a.type},
            {"protocol", a.protocol},
            {"chain", a.chain},
            {"protocols", a.protocols},
            {"valueUsd", num(a.value_usd)},
            {"grossAssetsUsd", num(a.gross_assets_usd)},
            {"deltas", std::move(deltas)},
            {"gamma", std::move(gamma)},
            {"details", details_json(a.details)}};
  if (a.vega_per_vol_point) j["vegaPerVolPoint"] = num(*a.vega_per_vol_point);
  return j;
}

Json analysis_json(const Analysis& analysis) {
  const PortfolioExposure& p = analysis.portfolio;
  Json positions = Json::array();
  for (const PositionAnalysis& a : analysis.positions) positions.push_back(position_json(a));
  Json exposures = Json::object();
  for (const auto& [u, e] : p.exposures)
    exposures[u] = {{"units", num(e.units)}, {"usd", num(e.usd)}, {"gamma", num(e.gamma)}, {"stablecoin", e.stablecoin}};
  Json lowest = nullptr, nearest = nullptr;
  if (p.lowest_health_factor) lowest = {{"value", num(p.lowest_health_factor->first)}, {"position", p.lowest_health_factor->second}};
  if (p.nearest_liquidation)
    nearest = {{"position", p.nearest_liquidation->position},
               {"underlying", p.nearest_liquidation->point.underlying},
               {"move", num(p.nearest_liquidation->point.move)},
               {"priceUsd", num(p.nearest_liquidation->point.price_usd)}};
  Json portfolio = {{"equityUsd", num(p.equity_usd)},
                    {"exposures", std::move(exposures)},
                    {"grossExposureUsd", num(p.gross_exposure_usd)},
                    {"netExposureUsd", num(p.net_exposure_usd)},
                    {"grossLeverage", num(p.gross_leverage)},
                    {"netLeverage", num(p.net_leverage)},
                    {"protocols", p.protocols},
                    {"chains", p.chains},
                    {"lowestHealthFactor", std::move(lowest)},
                    {"nearestLiquidation", std::move(nearest)},
                    {"equityAfterShockUsd", num(p.equity_after_shock_usd)}};
  return {{"positions", std::move(positions)}, {"portfolio", std::move(portfolio)}};
}

}  // namespace ballast::api
