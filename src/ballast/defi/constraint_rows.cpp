#include "ballast/defi/constraint_rows.hpp"

#include <algorithm>
#include <cmath>

#include "ballast/core/format.hpp"

namespace ballast::defi {
namespace {

using R = Result<std::vector<ConstraintRow>>;

bool lists(const std::vector<std::string>& v, const std::string& name) {
  return std::find(v.begin(), v.end(), name) != v.end();
}

}  // namespace

R exposure_rows(const std::vector<std::string>& assets, const std::vector<AssetProfile>& profiles,
                const ExposureLimits& limits, const std::string& field) {
  const size_t n = assets.size();
  std::vector<ConstraintRow> rows;
  auto cap_rows = [&](const std::map<std::string, double>& caps, const char* key, const char* kind, bool by_chain) {
    for (const auto& [name, cap] : caps) {
      if (!(cap >= 0) || !std::isfinite(cap))
        return make_error(Status::invalid_value, field + "." + key + "." + name, "a cap is a weight >= 0");
      ConstraintRow row{std::string(kind) + " " + name, std::vector<double>(n, 0.0), -HUGE_VAL, cap};
      bool any = false;
      for (size_t i = 0; i < n; ++i) {
        const AssetProfile& p = profiles[i];
        const bool member = by_chain ? p.chain == name : lists(p.protocols, name);
        if (member && !p.borrowed) row.coefficients[i] = 1.0, any = true;
      }
      if (!any)
        return make_error(Status::unknown_value, field + "." + key + "." + name,
                          std::string("no asset in constraints.defi.assets is on ") + kind + " '" + name + "'");
      rows.push_back(std::move(row));
    }
    return Error::none();
  };
  if (Error e = cap_rows(limits.protocol_caps, "protocolCaps", "protocol", false); !e.ok()) return R::failure(e);
  if (Error e = cap_rows(limits.chain_caps, "chainCaps", "chain", true); !e.ok()) return R::failure(e);
  if (const auto& floor = limits.health_factor_floor) {
    const double h = floor->min_health_factor;
    if (!(h > 0) || !std::isfinite(h))
      return R::failure(make_error(Status::invalid_value, field + ".healthFactorFloor.min", "a health factor > 0"));
    ConstraintRow row{"health factor >= " + format_number(h) + " after the shock", std::vector<double>(n, 0.0), 0.0, HUGE_VAL};
    bool collateral = false, debt = false;
    for (size_t i = 0; i < n; ++i) {
      const AssetProfile& p = profiles[i];
      const std::string u = p.underlying.empty() ? assets[i] : p.underlying;
      auto s = floor->shock.find(u);
      const double moved = 1.0 + (s == floor->shock.end() ? 0.0 : s->second);
      if (p.borrowed) row.coefficients[i] = h * moved, debt = true;
      else if (p.liquidation_threshold) row.coefficients[i] = *p.liquidation_threshold * moved, collateral = true;
    }
    if (!debt || !collateral)
      return R::failure(make_error(Status::invalid_value, field + ".healthFactorFloor",
                                   "a health-factor floor needs a borrowed asset and a collateral asset "
                                   "(liquidationThreshold) in constraints.defi.assets"));
    rows.push_back(std::move(row));
  }
  if (limits.max_leverage) {
    const double L = *limits.max_leverage;
    if (!(L > 0) || !std::isfinite(L))
      return R::failure(make_error(Status::invalid_value, field + ".maxLeverage", "a leverage > 0"));
    ConstraintRow row{"leverage <= " + format_number(L), std::vector<double>(n, 0.0), -HUGE_VAL, L};
    for (size_t i = 0; i < n; ++i)
      if (!profiles[i].borrowed) row.coefficients[i] = 1.0;
    rows.push_back(std::move(row));
  }
  return R::success(std::move(rows));
}

}  // namespace ballast::defi
