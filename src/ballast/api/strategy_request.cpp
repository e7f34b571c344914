#include "ballast/api/strategy_request.hpp"

#include <cmath>

#include "ballast/api/analysis_json.hpp"
#include "ballast/api/json_io.hpp"
#include "ballast/api/position_request.hpp"
#include "ballast/defi/strategies.hpp"

namespace ballast::api {
namespace {

using namespace ballast::defi;

std::string envelope(bool ok, Json body) {
  Json e = ok ? Json{{"ok", true}, {"result", std::move(body)}} : Json{{"ok", false}, {"error", std::move(body)}};
  return e.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json common(const Position& p, const char* type) {
  Json j = {{"type", type}, {"id", p.id}, {"chain", p.chain}};
  if (!p.protocol.empty()) j["protocol"] = p.protocol;
  return j;
}

// Positions a strategy built, in the analyze() input schema; `lp_node` is the request's own LP.
Json position_input_json(const Position& p, const Json* lp_node) {
  if (auto s = std::get_if<SpotPosition>(&p.data)) {
    Json j = common(p, "spot");
    j["asset"] = s->asset;
    j["amount"] = num(s->amount);
    return j;
  }
  if (auto x = std::get_if<PerpPosition>(&p.data)) {
    Json j = common(p, "perp");
    j["asset"] = x->asset;
    j["size"] = num(x->size);
    j["entryPrice"] = num(x->entry_price);
    j["margin"] = num(x->margin);
    j["maintenanceMarginRatio"] = num(x->maintenance_margin_ratio);
    j["fundingRate"] = num(x->funding_rate);
    j["fundingIntervalHours"] = num(x->funding_interval_hours);
    return j;
  }
  if (auto f = std::get_if<FuturePosition>(&p.data)) {
    Json j = common(p, "future");
    j["asset"] = f->asset;
    j["size"] = num(f->size);
    j["entryPrice"] = num(f->entry_price);
    j["expiryYears"] = num(f->expiry_years);
    if (f->mark_price) j["markPrice"] = num(*f->mark_price);
    return j;
  }
  Json j = lp_node ? *lp_node : Json::object();
  j["id"] = p.id;
  return j;
}

void text_default(Fields& f, const char* key, std::string& out) { f.text(key, out); }

void required_number(Fields& f, const char* key, double& out) {
  f.required(key);
  f.number(key, out);
}

}  // namespace

std::string run_strategy_request(const Json& request) {
  Error sink;
  Fields f(request, "", sink);
  f.required("name");
  std::string name;
  f.choice("name", name, {"delta-neutral-carry", "basis-trade", "delta-hedged-lp"});
  if (!f.ok()) return envelope(false, to_json(sink));
  Market market;
  Result<StrategyResult> result;
  const Json* lp_node = nullptr;
  if (name == "delta-neutral-carry") {
    f.only({"name", "prices", "tokens", "vols", "shock", "asset", "perpAsset", "capitalUsd", "priceShock", "buffer",
            "maintenanceMarginRatio", "fundingRate", "fundingIntervalHours", "stakingApr", "venue", "chain", "spotChain"});
    CarrySpec s;
    f.required("asset");
    f.text("asset", s.asset);
    f.text("perpAsset", s.perp_asset);
    required_number(f, "capitalUsd", s.capital_usd);
    required_number(f, "priceShock", s.shock);
    f.number("buffer", s.buffer);
    required_number(f, "maintenanceMarginRatio", s.maintenance_margin_ratio);
    f.number("fundingRate", s.funding_rate);
    f.number("fundingIntervalHours", s.funding_interval_hours);
    f.number("stakingApr", s.staking_apr);
    text_default(f, "venue", s.venue);
    text_default(f, "chain", s.chain);
    text_default(f, "spotChain", s.spot_chain);
    read_market_keys(f, market);
    if (f.ok()) result = delta_neutral_carry(s, market);
  } else if (name == "basis-trade") {
    f.only({"name", "prices", "tokens", "vols", "shock", "asset", "capitalUsd", "futurePrice", "expiryYears",
            "initialMarginRatio", "feesBps", "financingApr", "venue", "chain"});
    BasisSpec s;
    f.required("asset");
    f.text("asset", s.asset);
    required_number(f, "capitalUsd", s.capital_usd);
    required_number(f, "futurePrice", s.future_price);
    required_number(f, "expiryYears", s.expiry_years);
    f.number("initialMarginRatio", s.initial_margin_ratio);
    f.number("feesBps", s.fees_bps);
    f.number("financingApr", s.financing_apr);
    text_default(f, "venue", s.venue);
    text_default(f, "chain", s.chain);
    read_market_keys(f, market);
    if (f.ok()) result = basis_trade(s, market);
  } else {
    f.only({"name", "prices", "tokens", "vols", "shock", "lp", "hedgeAsset", "marginUsd", "maintenanceMarginRatio",
            "fundingRate", "fundingIntervalHours", "venue", "chain"});
    HedgedLpSpec s;
    f.required("lp");
    lp_node = f.get("lp");
    if (lp_node) read_position(*lp_node, "lp", s.lp, sink);
    f.text("hedgeAsset", s.hedge_asset);
    required_number(f, "marginUsd", s.margin_usd);
    required_number(f, "maintenanceMarginRatio", s.maintenance_margin_ratio);
    f.number("fundingRate", s.funding_rate);
    f.number("fundingIntervalHours", s.funding_interval_hours);
    text_default(f, "venue", s.venue);
    text_default(f, "chain", s.chain);
    read_market_keys(f, market);
    if (f.ok()) result = delta_hedged_lp(s, market);
  }
  if (!sink.ok()) return envelope(false, to_json(sink));
  if (!result.ok()) return envelope(false, to_json(result.error));
  Json positions = Json::array();
  for (const Position& p : result.value.positions) positions.push_back(position_input_json(p, lp_node));
  Json summary = Json::object();
  for (const auto& [key, value] : result.value.summary) summary[key] = num(value);
  return envelope(true, {{"name", name},
                         {"positions", std::move(positions)},
                         {"analysis", analysis_json(result.value.analysis)},
                         {"summary", std::move(summary)}});
}

}  // namespace ballast::api
