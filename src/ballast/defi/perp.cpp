#include "ballast/defi/perp.hpp"

#include <cmath>
#include <limits>

namespace ballast::defi {

Error validate(const PerpPosition& p, const std::string& field) {
  auto bad = [&](const char* key, const char* message) {
    return make_error(Status::invalid_value, field + "." + key, message);
  };
  if (!(p.size != 0) || !std::isfinite(p.size)) return bad("size", "size is a nonzero number (negative = short)");
  if (!(p.entry_price > 0) || !std::isfinite(p.entry_price)) return bad("entryPrice", "a positive price");
  if (!(p.margin >= 0) || !std::isfinite(p.margin)) return bad("margin", "margin is a non-negative USD amount");
  if (!(p.maintenance_margin_ratio >= 0 && p.maintenance_margin_ratio < 1))
    return bad("maintenanceMarginRatio", "a fraction in [0, 1), e.g. 0.0125");
  if (!std::isfinite(p.funding_rate) || std::abs(p.funding_rate) >= 1)
    return bad("fundingRate", "a fraction per funding interval, |rate| < 1");
  if (!(p.funding_interval_hours > 0) || !std::isfinite(p.funding_interval_hours))
    return bad("fundingIntervalHours", "a positive number of hours");
  if (p.mark_price && (!(*p.mark_price > 0) || !std::isfinite(*p.mark_price)))
    return bad("markPrice", "a positive price");
  return Error::none();
}

std::optional<double> liquidation_price(double size, double mark, double mmr, double account_value,
                                        double account_maintenance) {
  // account_value + size (p - mark) = (account_maintenance - mmr |size| mark) + mmr |size| p
  const double others_maintenance = account_maintenance - mmr * std::abs(size) * mark;
  const double denominator = size - mmr * std::abs(size);
  if (denominator == 0) return std::nullopt;
  const double p = (others_maintenance - account_value + size * mark) / denominator;
  if (!(p > 0) || !std::isfinite(p)) return std::nullopt;
  return p;
}

PerpRisk perp_risk(const PerpPosition& p, double mark) {
  PerpRisk r;
  r.mark_price = mark;
  r.notional_usd = std::abs(p.size) * mark;
  r.unrealized_pnl_usd = p.size * (mark - p.entry_price);
  r.equity_usd = p.margin + r.unrealized_pnl_usd;
  r.effective_leverage = r.equity_usd > 0 ? r.notional_usd / r.equity_usd : std::numeric_limits<double>::infinity();
  r.maintenance_margin_usd = r.notional_usd * p.maintenance_margin_ratio;
  r.liquidation_price = liquidation_price(p.size, mark, p.maintenance_margin_ratio, r.equity_usd, r.maintenance_margin_usd);
  r.funding_per_day_usd = -p.size * mark * p.funding_rate * (24.0 / p.funding_interval_hours);
  return r;
}

}  // namespace ballast::defi
