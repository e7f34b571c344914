#include "ballast/defi/exposure.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "ballast/core/validate.hpp"
#include "ballast/derivatives/black_scholes.hpp"

namespace ballast::defi {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

using R = Result<PositionAnalysis>;

Error bad(const std::string& field, const char* key, const std::string& message) {
  return make_error(Status::invalid_value, field + "." + key, message);
}

void add_issuer(PositionAnalysis& a, const TokenQuote& q, double usd) {
  if (q.issuer.empty() || usd <= 0) return;
  a.issuer_usd[q.issuer] += usd;
  if (std::find(a.protocols.begin(), a.protocols.end(), q.issuer) == a.protocols.end()) a.protocols.push_back(q.issuer);
}

// Token-space delta and gamma of a two-token position, mapped onto underlyings.
void add_two_token(PositionAnalysis& a, const TokenQuote& q0, const TokenQuote& q1, const TwoTokenGreeks& g) {
  a.delta_units[q0.underlying] += q0.exchange_rate * g.delta0;
  a.delta_units[q1.underlying] += q1.exchange_rate * g.delta1;
  a.gamma[q0.underlying] += q0.exchange_rate * q0.exchange_rate * g.gamma00;
  a.gamma[q1.underlying] += q1.exchange_rate * q1.exchange_rate * g.gamma11;
  if (q0.underlying == q1.underlying) a.gamma[q0.underlying] += 2.0 * q0.exchange_rate * q1.exchange_rate * g.gamma01;
}

Result<TokenQuote> quote_at(const Market& m, const std::string& symbol, const std::string& field, const char* key) {
  return quote(m, symbol, field + "." + key);
}

// Fills the LP fields shared by v2 and v3 from the liquidity curve.
void describe_lp(PositionAnalysis& a, LpDetails& d, double L, const LiquidityRange& range, double pool_price,
                 const TokenQuote& q0, const TokenQuote& q1, double amount0, double amount1, const LpTerms& terms) {
  const double p0 = q0.price_usd(), p1 = q1.price_usd();
  d.amount0 = amount0;
  d.amount1 = amount1;
  d.pool_price = pool_price;
  d.market_price = p0 / p1;
  a.value_usd = amount0 * p0 + amount1 * p1;
  a.gross_assets_usd = a.value_usd;
  add_two_token(a, q0, q1, curve_greeks(L, range, pool_price, p1));
  add_issuer(a, q0, amount0 * p0);
  add_issuer(a, q1, amount1 * p1);
  d.fee_income_per_day_usd = a.value_usd * terms.fee_apr / 365.0;
  if (terms.break_even_move)
    d.break_even_fee_apr = break_even_fee_apr(L, range, pool_price, p1, *terms.break_even_move, terms.horizon_days);
}

Error check_terms(const LpTerms& t, const std::string& field) {
  if (!(t.fee_apr >= 0) || !std::isfinite(t.fee_apr)) return bad(field, "feeApr", "a non-negative fraction per year");
  if (t.break_even_move && !(*t.break_even_move > -1 && std::isfinite(*t.break_even_move)))
    return bad(field, "breakEvenMove", "a relative move above -1");
  if (!(t.horizon_days > 0) || !std::isfinite(t.horizon_days)) return bad(field, "horizonDays", "a positive number of days");
  return Error::none();
}

// The pool price after the market's shock: arbitrage moves it with the two USD prices.
double shocked_pool_price(double pool_price, const TokenQuote& q0, const TokenQuote& q1) {
  return pool_price * (1.0 + q0.move) / (1.0 + q1.move);
}

R analyze_spot(const SpotPosition& s, const Market& m, const std::string& field, PositionAnalysis a) {
  if (!std::isfinite(s.amount)) return R::failure(bad(field, "amount", "a finite number"));
  auto q = quote_at(m, s.asset, field, "asset");
  if (!q.ok()) return R::failure(q.error);
  a.value_usd = s.amount * q.value.price_usd();
  a.gross_assets_usd = std::max(0.0, a.value_usd);
  a.delta_units[q.value.underlying] += s.amount * q.value.exchange_rate;
  add_issuer(a, q.value, a.value_usd);
  a.details = SpotDetails{q.value.price_usd(), q.value.underlying, q.value.exchange_rate};
  return R::success(std::move(a));
}

R analyze_v2(const V2LpPosition& v, const Market& m, const std::string& field, PositionAnalysis a) {
  auto h = v2_holdings(v.pool, field);
  if (!h.ok()) return R::failure(h.error);
  if (Error e = check_terms(v.terms, field); !e.ok()) return R::failure(e);
  auto q0 = quote_at(m, v.token0, field, "token0");
  if (!q0.ok()) return R::failure(q0.error);
  auto q1 = quote_at(m, v.token1, field, "token1");
  if (!q1.ok()) return R::failure(q1.error);
  LpDetails d;
  d.share = h.value.share;
  const double price = shocked_pool_price(h.value.pool_price, q0.value, q1.value);
  TokenAmounts amounts{h.value.amount0, h.value.amount1};
  if (m.shocked) amounts = curve_amounts(h.value.liquidity, full_range(), price);
  describe_lp(a, d, h.value.liquidity, full_range(), price, q0.value, q1.value, amounts.amount0, amounts.amount1, v.terms);
  if (v.entry_price0_usd && v.entry_price1_usd)
    d.impermanent_loss = impermanent_loss(h.value.liquidity, full_range(), *v.entry_price0_usd / *v.entry_price1_usd,
                                          q0.value.price_usd(), q1.value.price_usd());
  a.details = d;
  return R::success(std::move(a));
}

R analyze_v3(const V3LpPosition& v, const Market& m, const std::string& field, PositionAnalysis a) {
  auto h = v3_holdings(v.position, field);
  if (!h.ok()) return R::failure(h.error);
  if (Error e = check_terms(v.terms, field); !e.ok()) return R::failure(e);
  if (v.entry_price && !(*v.entry_price > 0 && std::isfinite(*v.entry_price)))
    return R::failure(bad(field, "entryPrice", "a positive price, token1 per token0"));
  auto q0 = quote_at(m, v.token0, field, "token0");
  if (!q0.ok()) return R::failure(q0.error);
  auto q1 = quote_at(m, v.token1, field, "token1");
  if (!q1.ok()) return R::failure(q1.error);
  const V3Holdings& x = h.value;
  LpDetails d;
  d.v3 = true;
  d.amount0_raw = to_decimal(x.raw.amount0);
  d.amount1_raw = to_decimal(x.raw.amount1);
  d.sqrt_price_x96 = to_decimal(x.sqrt_price_x96);
  d.tick = x.tick;
  d.in_range = x.in_range;
  d.price_lower = x.price_lower;
  d.price_upper = x.price_upper;
  d.token0_usd_at_lower = x.price_lower * q1.value.price_usd();
  d.token0_usd_at_upper = x.price_upper * q1.value.price_usd();
  d.token1_usd_at_lower = q0.value.price_usd() / x.price_lower;
  d.token1_usd_at_upper = q0.value.price_usd() / x.price_upper;
  const double price = shocked_pool_price(x.pool_price, q0.value, q1.value);
  TokenAmounts amounts{x.amount0, x.amount1};
  if (m.shocked) amounts = curve_amounts(x.liquidity, x.range, price);
  describe_lp(a, d, x.liquidity, x.range, price, q0.value, q1.value, amounts.amount0, amounts.amount1, v.terms);
  if (v.entry_price)
    d.impermanent_loss = impermanent_loss(x.liquidity, x.range, *v.entry_price, q0.value.price_usd(), q1.value.price_usd());
  a.details = d;
  return R::success(std::move(a));
}

R analyze_lending(const LendingPosition& l, const Market& m, const std::string& field, PositionAnalysis a) {
  if (Error e = validate(l.account, field); !e.ok()) return R::failure(e);
  std::vector<TokenQuote> sq, bq;
  for (size_t i = 0; i < l.account.supplies.size(); ++i) {
    auto q = quote(m, l.account.supplies[i].asset, indexed(field + ".supplies", static_cast<Index>(i)) + ".asset");
    if (!q.ok()) return R::failure(q.error);
    sq.push_back(q.value);
  }
  for (size_t j = 0; j < l.account.borrows.size(); ++j) {
    auto q = quote(m, l.account.borrows[j].asset, indexed(field + ".borrows", static_cast<Index>(j)) + ".asset");
    if (!q.ok()) return R::failure(q.error);
    bq.push_back(q.value);
  }
  LendingDetails d;
  d.summary = lending_summary(l.account, sq, bq);
  a.value_usd = d.summary.collateral_usd - d.summary.debt_usd;
  a.gross_assets_usd = d.summary.collateral_usd;
  for (size_t i = 0; i < sq.size(); ++i) {
    a.delta_units[sq[i].underlying] += l.account.supplies[i].amount * sq[i].exchange_rate;
    add_issuer(a, sq[i], l.account.supplies[i].amount * sq[i].price_usd());
  }
  for (size_t j = 0; j < bq.size(); ++j) a.delta_units[bq[j].underlying] -= l.account.borrows[j].amount * bq[j].exchange_rate;
  a.health_factor = d.summary.health_factor;
  for (const auto& [u, point] : d.summary.liquidation_prices)
    if (point) a.liquidations.push_back(*point);
  a.details = d;
  return R::success(std::move(a));
}

R analyze_perp(const PerpPosition& p, const Market& m, const std::string& field, PositionAnalysis a) {
  if (Error e = validate(p, field); !e.ok()) return R::failure(e);
  auto q = quote_at(m, p.asset, field, "asset");
  if (!q.ok()) return R::failure(q.error);
  // The venue's mark moves with the underlying under a shock.
  const double mark = p.mark_price ? *p.mark_price * (1.0 + q.value.move) : q.value.price_usd();
  PerpRisk r = perp_risk(p, mark);
  a.value_usd = r.equity_usd;
  a.gross_assets_usd = std::max(0.0, r.equity_usd);
  a.delta_units[q.value.underlying] += p.size * q.value.exchange_rate;
  if (r.liquidation_price) a.liquidations.push_back({q.value.underlying, *r.liquidation_price, *r.liquidation_price / mark - 1.0});
  a.details = r;
  return R::success(std::move(a));
}

R analyze_future(const FuturePosition& f, const Market& m, const std::string& field, PositionAnalysis a) {
  if (!(f.size != 0) || !std::isfinite(f.size)) return R::failure(bad(field, "size", "a nonzero number"));
  if (!(f.entry_price > 0) || !std::isfinite(f.entry_price)) return R::failure(bad(field, "entryPrice", "a positive price"));
  if (!(f.expiry_years > 0) || !std::isfinite(f.expiry_years)) return R::failure(bad(field, "expiryYears", "a positive number of years"));
  if (f.mark_price && !(*f.mark_price > 0 && std::isfinite(*f.mark_price))) return R::failure(bad(field, "markPrice", "a positive price"));
  auto q = quote_at(m, f.asset, field, "asset");
  if (!q.ok()) return R::failure(q.error);
  const double spot = q.value.price_usd();
  const double mark = f.mark_price ? *f.mark_price * (1.0 + q.value.move) : spot;
  FutureDetails d;
  d.notional_usd = std::abs(f.size) * mark;
  d.unrealized_pnl_usd = f.size * (mark - f.entry_price);
  d.basis_to_spot = mark / spot - 1.0;
  a.value_usd = d.unrealized_pnl_usd;
  a.gross_assets_usd = std::max(0.0, a.value_usd);
  a.delta_units[q.value.underlying] += f.size * q.value.exchange_rate;
  a.details = d;
  return R::success(std::move(a));
}

R analyze_option(const OptionPosition& o, const Market& m, const std::string& field, PositionAnalysis a) {
  auto q = quote_at(m, o.asset, field, "asset");
  if (!q.ok()) return R::failure(q.error);
  derivatives::OptionSpec spec = o.spec;
  const double spot = q.value.price_usd();
  if (spec.model == derivatives::PricingModel::black_scholes) spec.spot = spot;
  else if (spec.model == derivatives::PricingModel::black76)
    spec.forward = spec.forward ? *spec.forward * (1.0 + q.value.move) : spot;
  else
    return R::failure(make_error(Status::unsupported, field + ".model",
                                 "analyze prices linear options ('black-scholes', 'black-76'); inverse options are "
                                 "priced by greeks()"));
  if (o.vol) spec.vol = *o.vol;
  else if (auto v = m.vols.find(q.value.underlying); v != m.vols.end()) spec.vol = v->second;
  else
    return R::failure(make_error(Status::missing_field, field + ".vol",
                                 "give the option a vol, or vols['" + q.value.underlying + "']"));
  auto g = derivatives::option_greeks(spec, field);
  if (!g.ok()) return R::failure(g.error);
  // d/dP_u = rate * d/dS for an option on a token tracking u (S = rate * P_u); black-76 deltas
  // are w.r.t. the forward, which moves one for one with spot here.
  const double n = spec.quantity, r = q.value.exchange_rate;
  a.value_usd = n * g.value.price;
  a.gross_assets_usd = std::max(0.0, a.value_usd);
  a.delta_units[q.value.underlying] += n * g.value.delta * r;
  a.gamma[q.value.underlying] += n * g.value.gamma * r * r;
  a.vega_per_vol_point = n * g.value.vega_per_vol_point;
  a.details = OptionDetails{g.value.price, g.value.delta, g.value.gamma, g.value.vega_per_vol_point, g.value.theta_per_day};
  return R::success(std::move(a));
}

// Cross-margined perps sharing (protocol, account): liquidation prices from the account.
void apply_cross_margin(const std::vector<Position>& positions, std::vector<PositionAnalysis>& out) {
  std::map<std::pair<std::string, std::string>, std::pair<double, double>> accounts;  // value, maintenance
  for (size_t i = 0; i < positions.size(); ++i)
    if (auto p = std::get_if<PerpPosition>(&positions[i].data); p && p->cross) {
      const auto& r = std::get<PerpRisk>(out[i].details);
      auto& acc = accounts[{out[i].protocol, p->account}];
      acc.first += r.equity_usd;
      acc.second += r.maintenance_margin_usd;
    }
  for (size_t i = 0; i < positions.size(); ++i)
    if (auto p = std::get_if<PerpPosition>(&positions[i].data); p && p->cross) {
      auto& r = std::get<PerpRisk>(out[i].details);
      const auto& acc = accounts[{out[i].protocol, p->account}];
      r.liquidation_price = liquidation_price(p->size, r.mark_price, p->maintenance_margin_ratio, acc.first, acc.second);
      out[i].liquidations.clear();
      const std::string u = out[i].delta_units.begin()->first;
      if (r.liquidation_price) out[i].liquidations.push_back({u, *r.liquidation_price, *r.liquidation_price / r.mark_price - 1.0});
    }
}

bool is_stablecoin(const Market& m, const std::string& underlying) {
  auto t = m.tokens.find(underlying);
  return t != m.tokens.end() && t->second.stablecoin;
}

PortfolioExposure aggregate(const std::vector<PositionAnalysis>& positions, const Market& m) {
  PortfolioExposure p;
  for (size_t i = 0; i < positions.size(); ++i) {
    const PositionAnalysis& a = positions[i];
    p.equity_usd += a.value_usd;
    for (const auto& [u, units] : a.delta_units) p.exposures[u].units += units;
    for (const auto& [u, g] : a.gamma) p.exposures[u].gamma += g;
    if (!a.protocol.empty()) p.protocols[a.protocol] += a.gross_assets_usd;
    for (const auto& [issuer, usd] : a.issuer_usd)
      if (issuer != a.protocol) p.protocols[issuer] += usd;
    p.chains[a.chain] += a.gross_assets_usd;
    if (a.health_factor && (!p.lowest_health_factor || *a.health_factor < p.lowest_health_factor->first))
      p.lowest_health_factor = std::pair{*a.health_factor, static_cast<Index>(i)};
    for (const LiquidationPoint& l : a.liquidations)
      if (!p.nearest_liquidation || std::abs(l.move) < std::abs(p.nearest_liquidation->point.move))
        p.nearest_liquidation = NearestLiquidation{static_cast<Index>(i), l};
  }
  for (auto& [u, e] : p.exposures) {
    e.usd = e.units * m.prices.at(u);
    e.stablecoin = is_stablecoin(m, u);
    if (e.stablecoin) continue;
    p.gross_exposure_usd += std::abs(e.usd);
    p.net_exposure_usd += e.usd;
  }
  if (p.equity_usd > 0) {
    p.gross_leverage = p.gross_exposure_usd / p.equity_usd;
    p.net_leverage = p.net_exposure_usd / p.equity_usd;
  }
  return p;
}

}  // namespace

const char* type_name(const PositionData& d) {
  static const char* const names[] = {"spot", "uniswap-v2", "uniswap-v3", "aave-v3", "perp", "future", "option"};
  return names[d.index()];
}

const char* default_protocol(const PositionData& d) { return d.index() == 0 ? "" : type_name(d); }

R analyze_position(const Position& position, const Market& market, const std::string& field) {
  PositionAnalysis a;
  a.id = position.id.empty() ? field : position.id;
  a.type = type_name(position.data);
  a.protocol = position.protocol;
  a.chain = position.chain;
  if (!a.protocol.empty()) a.protocols.push_back(a.protocol);
  return std::visit(Overloaded{
                        [&](const SpotPosition& s) { return analyze_spot(s, market, field, a); },
                        [&](const V2LpPosition& v) { return analyze_v2(v, market, field, a); },
                        [&](const V3LpPosition& v) { return analyze_v3(v, market, field, a); },
                        [&](const LendingPosition& l) { return analyze_lending(l, market, field, a); },
                        [&](const PerpPosition& p) { return analyze_perp(p, market, field, a); },
                        [&](const FuturePosition& f) { return analyze_future(f, market, field, a); },
                        [&](const OptionPosition& o) { return analyze_option(o, market, field, a); },
                    },
                    position.data);
}

Result<Analysis> analyze(const std::vector<Position>& positions, const Market& market) {
  Analysis out;
  for (size_t i = 0; i < positions.size(); ++i) {
    auto a = analyze_position(positions[i], market, indexed("positions", static_cast<Index>(i)));
    if (!a.ok()) return Result<Analysis>::failure(a.error);
    out.positions.push_back(std::move(a.value));
  }
  apply_cross_margin(positions, out.positions);
  for (PositionAnalysis& a : out.positions)
    for (const auto& [u, units] : a.delta_units) a.delta_usd[u] = units * market.prices.at(u);
  out.portfolio = aggregate(out.positions, market);
  if (!market.shock.empty()) {
    const Market moved = shocked(market);
    double equity = 0;
    for (size_t i = 0; i < positions.size(); ++i) {
      auto a = analyze_position(positions[i], moved, indexed("positions", static_cast<Index>(i)));
      if (!a.ok()) return Result<Analysis>::failure(a.error);
      equity += a.value.value_usd;
      if (auto* d = std::get_if<LendingDetails>(&out.positions[i].details)) d->health_factor_after_shock = a.value.health_factor;
    }
    out.portfolio.equity_after_shock_usd = equity;
  }
  return Result<Analysis>::success(std::move(out));
}

}  // namespace ballast::defi
