#include "ballast/api/position_request.hpp"

#include <cmath>
#include <limits>

#include "ballast/api/option_request.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/defi/tick_math.hpp"

namespace ballast::api {
namespace {

using namespace ballast::defi;

void read_bool(Fields& f, const char* key, bool& out) {
  if (const Json* v = f.get(key)) {
    if (!v->is_boolean()) f.fail(Status::invalid_type, f.path(key), "expected true or false");
    else out = v->get<bool>();
  }
}

void read_optional(Fields& f, const char* key, std::optional<double>& out) {
  if (!f.has(key)) return;
  double v = 0;
  f.number(key, v);
  out = v;
}

void required_text(Fields& f, const char* key, std::string& out) {
  f.required(key);
  f.text(key, out);
  if (f.ok() && out.empty()) f.fail(Status::invalid_value, f.path(key), "must not be empty");
}

void required_number(Fields& f, const char* key, double& out) {
  f.required(key);
  f.number(key, out);
}

// { SYMBOL: number } with each value checked by `good`.
template <class Good>
void read_number_map(Fields& top, const char* key, std::map<std::string, double>& out, Good good, const char* what) {
  const Json* node = top.get(key);
  if (!node) return;
  if (!node->is_object()) {
    top.fail(Status::invalid_type, key, std::string("expected an object of ") + what + " by symbol");
    return;
  }
  for (const auto& item : node->items()) {
    double v = 0;
    const std::string path = join_path(key, item.key());
    if (!read_number(item.value(), path, v, top.sink())) return;
    if (!good(v)) {
      top.fail(Status::invalid_value, path, std::string("expected ") + what);
      return;
    }
    out[item.key()] = v;
  }
}

void read_tokens(Fields& top, Market& m) {
  const Json* node = top.get("tokens");
  if (!node) return;
  if (!node->is_object()) {
    top.fail(Status::invalid_type, "tokens", "expected an object of token descriptions by symbol");
    return;
  }
  for (const auto& item : node->items()) {
    Fields f(item.value(), join_path("tokens", item.key()), top.sink());
    f.only({"underlying", "exchangeRate", "protocol", "stablecoin"});
    TokenInfo t;
    f.text("underlying", t.underlying);
    f.positive("exchangeRate", t.exchange_rate);
    f.text("protocol", t.issuer);
    read_bool(f, "stablecoin", t.stablecoin);
    if (t.underlying == item.key()) t.underlying.clear();
    if (!f.ok()) return;
    m.tokens[item.key()] = t;
  }
}

void read_terms(Fields& f, LpTerms& t) {
  f.number("feeApr", t.fee_apr);
  read_optional(f, "breakEvenMove", t.break_even_move);
  f.positive("horizonDays", t.horizon_days);
}

void read_v2(Fields& f, V2LpPosition& v) {
  required_text(f, "token0", v.token0);
  required_text(f, "token1", v.token1);
  required_number(f, "reserve0", v.pool.reserve0);
  required_number(f, "reserve1", v.pool.reserve1);
  required_number(f, "lpAmount", v.pool.lp_amount);
  required_number(f, "lpSupply", v.pool.lp_supply);
  read_optional(f, "entryPrice0", v.entry_price0_usd);
  read_optional(f, "entryPrice1", v.entry_price1_usd);
  if (f.ok() && v.entry_price0_usd.has_value() != v.entry_price1_usd.has_value())
    f.fail(Status::missing_field, f.path(v.entry_price0_usd ? "entryPrice1" : "entryPrice0"),
           "give entryPrice0 and entryPrice1 together");
  for (auto [key, value] : {std::pair{"entryPrice0", v.entry_price0_usd}, std::pair{"entryPrice1", v.entry_price1_usd}})
    if (f.ok() && value && !(*value > 0)) f.fail(Status::invalid_value, f.path(key), "must be greater than 0");
  read_terms(f, v.terms);
}

// A uint as a decimal string, or as a JSON integer (exact up to 2^53).
void read_uint(Fields& f, const char* key, U256& out) {
  const Json* v = f.get(key);
  if (!v) return;
  if (v->is_number_unsigned()) {
    out = U256::from_u64(v->get<std::uint64_t>());
    return;
  }
  if (v->is_string()) {
    if (auto parsed = parse_u256(v->get<std::string>())) {
      out = *parsed;
      return;
    }
    f.fail(Status::invalid_value, f.path(key), "expected a non-negative integer written in decimal digits");
    return;
  }
  if (v->is_number_integer() && v->get<std::int64_t>() < 0) {
    f.fail(Status::invalid_value, f.path(key), "must not be negative");
    return;
  }
  f.fail(Status::invalid_type, f.path(key), "expected a decimal string (or an integer number up to 2^53)");
}

void read_v3(Fields& f, V3LpPosition& v) {
  required_text(f, "token0", v.token0);
  required_text(f, "token1", v.token1);
  f.required("decimals0");
  f.required("decimals1");
  f.integer("decimals0", v.position.decimals0, 0, 38);
  f.integer("decimals1", v.position.decimals1, 0, 38);
  f.required("liquidity");
  read_uint(f, "liquidity", v.position.liquidity);
  f.required("tickLower");
  f.required("tickUpper");
  f.integer("tickLower", v.position.tick_lower, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  f.integer("tickUpper", v.position.tick_upper, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (f.ok() && f.has("sqrtPriceX96") == f.has("tick"))
    f.fail(f.has("tick") ? Status::invalid_value : Status::missing_field, f.path("sqrtPriceX96"),
           "give exactly one of sqrtPriceX96 and tick");
  if (f.has("sqrtPriceX96")) {
    U256 s;
    read_uint(f, "sqrtPriceX96", s);
    v.position.sqrt_price_x96 = s;
  }
  if (f.has("tick")) {
    int t = 0;
    f.integer("tick", t, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
    v.position.tick = t;
  }
  read_optional(f, "entryPrice", v.entry_price);
  read_terms(f, v.terms);
}

void read_supply(const Json& node, const std::string& path, Supply& s, Error& sink) {
  Fields f(node, path, sink);
  f.only({"asset", "amount", "ltv", "liquidationThreshold", "liquidationBonus", "collateral", "emodeCategory"});
  required_text(f, "asset", s.asset);
  required_number(f, "amount", s.amount);
  required_number(f, "ltv", s.ltv);
  required_number(f, "liquidationThreshold", s.liquidation_threshold);
  required_number(f, "liquidationBonus", s.liquidation_bonus);
  read_bool(f, "collateral", s.collateral);
  f.integer("emodeCategory", s.emode_category, 0, 255);
}

void read_borrow(const Json& node, const std::string& path, Borrow& b, Error& sink) {
  Fields f(node, path, sink);
  f.only({"asset", "amount", "emodeCategory"});
  required_text(f, "asset", b.asset);
  required_number(f, "amount", b.amount);
  f.integer("emodeCategory", b.emode_category, 0, 255);
}

template <class T, class Reader>
void read_list(Fields& f, const char* key, std::vector<T>& out, Reader reader) {
  const Json* list = f.get(key);
  if (!list) return;
  if (!list->is_array()) {
    f.fail(Status::invalid_type, f.path(key), "expected an array");
    return;
  }
  out.resize(list->size());
  for (size_t i = 0; i < list->size() && f.ok(); ++i)
    reader((*list)[i], indexed(f.path(key), static_cast<Index>(i)), out[i], f.sink());
}

void read_lending(Fields& f, LendingPosition& l) {
  read_list(f, "supplies", l.account.supplies, read_supply);
  read_list(f, "borrows", l.account.borrows, read_borrow);
  if (const Json* e = f.get("emode")) {
    Fields g(*e, f.path("emode"), f.sink());
    g.only({"category", "ltv", "liquidationThreshold", "liquidationBonus"});
    EmodeCategory c;
    g.required("category");
    g.integer("category", c.category, 1, 255);
    required_number(g, "ltv", c.ltv);
    required_number(g, "liquidationThreshold", c.liquidation_threshold);
    required_number(g, "liquidationBonus", c.liquidation_bonus);
    l.account.emode = c;
  }
  if (f.ok() && l.account.supplies.empty() && l.account.borrows.empty())
    f.fail(Status::missing_field, f.path("supplies"), "an aave-v3 position needs supplies, borrows or both");
}

void read_perp(Fields& f, PerpPosition& p) {
  required_text(f, "asset", p.asset);
  required_number(f, "size", p.size);
  required_number(f, "entryPrice", p.entry_price);
  required_number(f, "margin", p.margin);
  required_number(f, "maintenanceMarginRatio", p.maintenance_margin_ratio);
  f.number("fundingRate", p.funding_rate);
  f.number("fundingIntervalHours", p.funding_interval_hours);
  read_optional(f, "markPrice", p.mark_price);
  std::string mode = "isolated";
  f.choice("marginMode", mode, {"isolated", "cross"});
  p.cross = mode == "cross";
  f.text("account", p.account);
}

void read_future(Fields& f, FuturePosition& x) {
  required_text(f, "asset", x.asset);
  required_number(f, "size", x.size);
  required_number(f, "entryPrice", x.entry_price);
  required_number(f, "expiryYears", x.expiry_years);
  read_optional(f, "markPrice", x.mark_price);
}

void read_option_position(Fields& f, OptionPosition& o) {
  required_text(f, "asset", o.asset);
  f.required("kind");
  std::string kind = "call";
  f.choice("kind", kind, {"call", "put"});
  o.spec.kind = kind == "put" ? derivatives::OptionKind::put : derivatives::OptionKind::call;
  std::string model = "black-scholes";
  f.choice("model", model, {"black-scholes", "black-76"});
  o.spec.model = *model_from_name(model);
  required_number(f, "strike", o.spec.strike);
  required_number(f, "expiryYears", o.spec.expiry_years);
  required_number(f, "quantity", o.spec.quantity);
  read_optional(f, "vol", o.vol);
  f.number("rate", o.spec.rate);
  f.number("dividendYield", o.spec.dividend_yield);
  if (f.has("forward")) {
    if (model != "black-76") f.fail(Status::invalid_value, f.path("forward"), "forward goes with model 'black-76'");
    double fwd = 0;
    f.positive("forward", fwd);
    o.spec.forward = fwd;
  }
}

}  // namespace

void read_position(const Json& node, const std::string& path, Position& out, Error& sink) {
  Fields f(node, path, sink);
  if (!f.ok()) return;
  f.required("type");
  std::string type;
  f.choice("type", type, {"spot", "uniswap-v2", "uniswap-v3", "aave-v3", "perp", "future", "option"});
  if (!f.ok()) return;
  // Every type takes these three besides its own keys.
  if (type == "spot") {
    f.only({"type", "id", "protocol", "chain", "asset", "amount"});
    SpotPosition s;
    required_text(f, "asset", s.asset);
    required_number(f, "amount", s.amount);
    out.data = s;
  } else if (type == "uniswap-v2") {
    f.only({"type", "id", "protocol", "chain", "token0", "token1", "reserve0", "reserve1", "lpAmount", "lpSupply",
            "feeApr", "entryPrice0", "entryPrice1", "breakEvenMove", "horizonDays"});
    V2LpPosition v;
    read_v2(f, v);
    out.data = v;
  } else if (type == "uniswap-v3") {
    f.only({"type", "id", "protocol", "chain", "token0", "token1", "decimals0", "decimals1", "liquidity", "tickLower",
            "tickUpper", "sqrtPriceX96", "tick", "feeApr", "entryPrice", "breakEvenMove", "horizonDays"});
    V3LpPosition v;
    read_v3(f, v);
    out.data = v;
  } else if (type == "aave-v3") {
    f.only({"type", "id", "protocol", "chain", "supplies", "borrows", "emode"});
    LendingPosition l;
    read_lending(f, l);
    out.data = l;
  } else if (type == "perp") {
    f.only({"type", "id", "protocol", "chain", "asset", "size", "entryPrice", "margin", "maintenanceMarginRatio",
            "fundingRate", "fundingIntervalHours", "markPrice", "marginMode", "account"});
    PerpPosition p;
    read_perp(f, p);
    out.data = p;
  } else if (type == "future") {
    f.only({"type", "id", "protocol", "chain", "asset", "size", "entryPrice", "expiryYears", "markPrice"});
    FuturePosition x;
    read_future(f, x);
    out.data = x;
  } else {
    f.only({"type", "id", "protocol", "chain", "asset", "kind", "model", "strike", "expiryYears", "quantity", "vol",
            "rate", "dividendYield", "forward"});
    OptionPosition o;
    read_option_position(f, o);
    out.data = o;
  }
  out.protocol = default_protocol(out.data);
  f.text("id", out.id);
  f.text("protocol", out.protocol);
  f.text("chain", out.chain);
}

void read_market_keys(Fields& f, Market& m) {
  f.required("prices");
  read_number_map(f, "prices", m.prices, [](double v) { return v > 0; }, "prices > 0 in USD");
  read_tokens(f, m);
  read_number_map(f, "vols", m.vols, [](double v) { return v >= 0; }, "annual vols >= 0");
  read_number_map(f, "shock", m.shock, [](double v) { return v > -1; }, "relative moves above -1");
  if (!f.ok()) return;
  for (const auto& [symbol, info] : m.tokens)
    if (!info.underlying.empty() && m.prices.count(symbol))
      f.fail(Status::invalid_value, join_path("prices", symbol),
             "'" + symbol + "' is priced through its underlying '" + info.underlying +
                 "' (exchangeRate x its price); drop its own price");
}

Result<AnalyzeRequest> read_analyze_request(const Json& request) {
  Error sink;
  AnalyzeRequest r;
  Fields f(request, "", sink);
  f.only({"positions", "prices", "tokens", "vols", "shock"});
  f.required("positions");
  read_market_keys(f, r.market);
  if (const Json* list = f.get("positions")) {
    if (!list->is_array() || list->empty()) {
      f.fail(list->is_array() ? Status::invalid_value : Status::invalid_type, "positions",
             "expected a non-empty array of positions");
    } else {
      r.positions.resize(list->size());
      for (size_t i = 0; i < list->size() && sink.ok(); ++i)
        read_position((*list)[i], indexed("positions", static_cast<Index>(i)), r.positions[i], sink);
    }
  }
  if (!sink.ok()) return Result<AnalyzeRequest>::failure(sink);
  return Result<AnalyzeRequest>::success(std::move(r));
}

}  // namespace ballast::api
