#include "ballast/defi/amm_v3.hpp"

#include <cmath>

#include "ballast/defi/tick_math.hpp"

namespace ballast::defi {
namespace {

constexpr double kQ96 = 79228162514264337593543950336.0;  // 2^96, exact in a double

Error field_error(const std::string& field, const char* key, const std::string& message) {
  return make_error(Status::invalid_value, field + "." + key, message);
}

Error check_tick(int tick, const std::string& field, const char* key) {
  if (tick < kMinTick || tick > kMaxTick)
    return field_error(field, key, "ticks lie in [-887272, 887272] (TickMath MIN_TICK, MAX_TICK)");
  return Error::none();
}

}  // namespace

Result<V3Holdings> v3_holdings(const V3Position& p, const std::string& field) {
  using R = Result<V3Holdings>;
  for (auto [d, key] : {std::pair{p.decimals0, "decimals0"}, std::pair{p.decimals1, "decimals1"}})
    if (d < 0 || d > 38) return R::failure(field_error(field, key, "token decimals lie in [0, 38]"));
  if (!fits_bits(p.liquidity, 128)) return R::failure(field_error(field, "liquidity", "liquidity is a uint128"));
  if (Error e = check_tick(p.tick_lower, field, "tickLower"); !e.ok()) return R::failure(e);
  if (Error e = check_tick(p.tick_upper, field, "tickUpper"); !e.ok()) return R::failure(e);
  if (p.tick_lower >= p.tick_upper)
    return R::failure(field_error(field, "tickLower", "tickLower must be below tickUpper (the range is reversed or empty)"));
  V3Holdings h;
  if (p.sqrt_price_x96) {
    if (!tick_at_sqrt_ratio(*p.sqrt_price_x96))
      return R::failure(field_error(field, "sqrtPriceX96",
                                    "sqrtPriceX96 lies in [4295128739, 1461446703485210103287273052203988822378723970342)"));
    h.sqrt_price_x96 = *p.sqrt_price_x96;
    h.tick = *tick_at_sqrt_ratio(h.sqrt_price_x96);
  } else if (p.tick) {
    if (Error e = check_tick(*p.tick, field, "tick"); !e.ok()) return R::failure(e);
    h.tick = *p.tick;
    h.sqrt_price_x96 = *sqrt_ratio_at_tick(h.tick);
  } else {
    return R::failure(make_error(Status::missing_field, field + ".sqrtPriceX96", "give sqrtPriceX96 or tick"));
  }
  const U256 sqrt_a = *sqrt_ratio_at_tick(p.tick_lower), sqrt_b = *sqrt_ratio_at_tick(p.tick_upper);
  std::optional<TokenAmountsRaw> raw = amounts_for_liquidity(h.sqrt_price_x96, sqrt_a, sqrt_b, p.liquidity);
  if (!raw) return R::failure(field_error(field, "liquidity", "the token amounts overflow 256 bits"));
  h.raw = *raw;
  h.amount0 = to_double(h.raw.amount0, p.decimals0);
  h.amount1 = to_double(h.raw.amount1, p.decimals1);
  h.in_range = p.tick_lower <= h.tick && h.tick < p.tick_upper;
  // Human sqrt prices: sqrt(p_raw) * 10^((d0 - d1)/2), since p_human = p_raw * 10^(d0 - d1).
  const double decimal_shift = std::pow(10.0, 0.5 * (p.decimals0 - p.decimals1));
  auto human_sqrt = [&](const U256& s) { return to_double(s) / kQ96 * decimal_shift; };
  const double s = human_sqrt(h.sqrt_price_x96);
  h.pool_price = s * s;
  h.range = {human_sqrt(sqrt_a), human_sqrt(sqrt_b)};
  h.price_lower = h.range.sqrt_lower * h.range.sqrt_lower;
  h.price_upper = h.range.sqrt_upper * h.range.sqrt_upper;
  h.liquidity = to_double(p.liquidity) / std::pow(10.0, 0.5 * (p.decimals0 + p.decimals1));
  return R::success(h);
}

}  // namespace ballast::defi
