#include "ballast/defi/amm_v2.hpp"

#include <cmath>

#include "ballast/core/format.hpp"

namespace ballast::defi {

Result<V2Holdings> v2_holdings(const V2Position& p, const std::string& field) {
  auto fail = [&](const char* key, const std::string& message) {
    return Result<V2Holdings>::failure(make_error(Status::invalid_value, field + "." + key, message));
  };
  if (!(p.reserve0 > 0) || !std::isfinite(p.reserve0)) return fail("reserve0", "reserves must be positive numbers");
  if (!(p.reserve1 > 0) || !std::isfinite(p.reserve1)) return fail("reserve1", "reserves must be positive numbers");
  if (!(p.lp_supply > 0) || !std::isfinite(p.lp_supply)) return fail("lpSupply", "the LP supply must be positive");
  if (!(p.lp_amount >= 0) || p.lp_amount > p.lp_supply)
    return fail("lpAmount", "lpAmount must lie in [0, lpSupply] (" + format_number(p.lp_supply) + ")");
  V2Holdings h;
  h.share = p.lp_amount / p.lp_supply;
  h.amount0 = h.share * p.reserve0;
  h.amount1 = h.share * p.reserve1;
  h.liquidity = std::sqrt(h.amount0) * std::sqrt(h.amount1);
  h.pool_price = p.reserve1 / p.reserve0;
  return Result<V2Holdings>::success(h);
}

double v2_value(double k, double p0, double p1) { return 2.0 * std::sqrt(k * p0 * p1); }

double v2_impermanent_loss(double r) { return 2.0 * std::sqrt(r) / (1.0 + r) - 1.0; }

}  // namespace ballast::defi
