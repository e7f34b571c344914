#include "ballast/api/risk_book_request.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "ballast/api/option_request.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/derivatives/book.hpp"
#include "ballast/derivatives/hedge.hpp"
#include "ballast/derivatives/scenarios.hpp"
#include "ballast/derivatives/smile.hpp"
#include "ballast/derivatives/surface.hpp"

namespace ballast::api {

namespace d = ballast::derivatives;

namespace {

Json finite_or_null(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

Json list_json(const std::vector<double>& v) {
  Json out = Json::array();
  for (double x : v) out.push_back(finite_or_null(x));
  return out;
}

// An optional array of numbers under `key`.
void numbers(Fields& f, const char* key, std::vector<double>& out) {
  const Json* v = f.get(key);
  if (!v) return;
  if (!v->is_array()) {
    f.fail(Status::invalid_type, f.path(key), "expected an array of numbers");
    return;
  }
  out.resize(v->size());
  for (std::size_t i = 0; i < v->size() && f.ok(); ++i)
    read_number((*v)[i], indexed(f.path(key), static_cast<Index>(i)), out[i], f.sink());
}

// ---- smiles ------------------------------------------------------------------------------------

d::SmileWeighting read_weighting(Fields& f) {
  std::string name = "vega";
  f.choice("weighting", name, {"vega", "uniform", "spread"});
  return name == "uniform" ? d::SmileWeighting::uniform
         : name == "spread" ? d::SmileWeighting::spread
                            : d::SmileWeighting::vega;
}

void read_quotes(Fields& f, d::SmileQuotes& q) {
  f.required("expiryYears");
  f.number("expiryYears", q.expiry_years);
  f.required("forward");
  f.number("forward", q.forward);
  f.required("strikes");
  numbers(f, "strikes", q.strikes);
  f.required("vols");
  numbers(f, "vols", q.vols);
  numbers(f, "weights", q.weights);
  numbers(f, "bidVols", q.bid_vols);
  numbers(f, "askVols", q.ask_vols);
}

void read_svi(const Json& node, const std::string& path, d::SviParams& p, Error& sink) {
  Fields f(node, path, sink);
  f.only({"a", "b", "rho", "m", "sigma"});
  for (const char* key : {"a", "b", "rho", "m", "sigma"}) f.required(key);
  f.number("a", p.a);
  f.number("b", p.b);
  f.number("rho", p.rho);
  f.number("m", p.m);
  f.number("sigma", p.sigma);
  if (f.ok())
    if (Error e = d::validate_svi(p, path); !e.ok()) sink = e;
}

Json svi_json(const d::SviParams& p) {
  return {{"a", p.a}, {"b", p.b}, {"rho", p.rho}, {"m", p.m}, {"sigma", p.sigma}};
}

Json interval_json(const d::ArbitrageInterval& v, const char* worst_key) {
  return {{"fromLogMoneyness", v.from_log_moneyness},
          {"toLogMoneyness", v.to_log_moneyness},
          {worst_key, v.worst},
          {"worstLogMoneyness", v.worst_log_moneyness}};
}

Json butterfly_json(const d::ButterflyReport& b) {
  Json violations = Json::array();
  for (const auto& v : b.violations) violations.push_back(interval_json(v, "worstDensity"));
  return {{"arbitrageFree", b.arbitrage_free},
          {"minDensity", finite_or_null(b.min_density)},
          {"minDensityLogMoneyness", b.min_density_log_moneyness},
          {"wingSlope", b.wing_slope},
          {"wingBoundHolds", b.wing_bound_holds},
          {"violations", std::move(violations)},
          {"grid", {{"fromLogMoneyness", b.grid_from}, {"toLogMoneyness", b.grid_to}, {"points", b.grid_points}}}};
}

Json smile_json(const d::SmileFit& fit, bool given) {
  return {{"status", given ? std::string("given") : std::string(to_string(fit.status))},
          {"expiryYears", fit.expiry_years},
          {"forward", fit.forward},
          {"svi", svi_json(fit.params)},
          {"fit",
           {{"rmsVolError", fit.rms_vol_error},
            {"maxAbsVolError", fit.max_abs_vol_error},
            {"weightedRmsVolError", fit.weighted_rms_vol_error},
            {"logMoneyness", list_json(fit.log_moneyness)},
            {"modelVols", list_json(fit.model_vols)},
            {"residuals", list_json(fit.residuals)}}},
          {"butterfly", butterfly_json(fit.butterfly)},
          {"info", {{"evaluations", fit.evaluations}, {"iterations", fit.iterations}}}};
}

// One slice: quotes to fit, or given SVI parameters (then strikes/vols are optional and only
// reported against).
Result<d::SmileFit> read_and_fit_slice(const Json& node, const std::string& path, d::SmileWeighting inherited,
                                       bool allow_svi, bool& given) {
  Error sink;
  Fields f(node, path, sink);
  if (allow_svi)
    f.only({"expiryYears", "forward", "strikes", "vols", "weights", "bidVols", "askVols", "weighting",
            "maxIterations", "svi"});
  else
    f.only({"expiryYears", "forward", "strikes", "vols", "weights", "bidVols", "askVols", "weighting",
            "maxIterations"});
  d::SmileQuotes q;
  d::SmileSettings settings;
  settings.weighting = inherited;
  if (f.has("weighting")) settings.weighting = read_weighting(f);
  f.integer("maxIterations", settings.max_iterations, 1, 1000000);
  given = f.has("svi");
  if (given) {
    f.required("expiryYears");
    f.number("expiryYears", q.expiry_years);
    f.required("forward");
    f.number("forward", q.forward);
    numbers(f, "strikes", q.strikes);
    numbers(f, "vols", q.vols);
    d::SviParams p;
    if (f.ok()) read_svi(*f.get("svi"), f.path("svi"), p, sink);
    if (!sink.ok()) return Result<d::SmileFit>::failure(sink);
    if (!std::isfinite(q.expiry_years) || !(q.expiry_years > 0.0))
      return Result<d::SmileFit>::failure(
          make_error(Status::invalid_value, f.path("expiryYears"), "must be a finite number > 0"));
    if (!std::isfinite(q.forward) || !(q.forward > 0.0))
      return Result<d::SmileFit>::failure(make_error(Status::invalid_value, f.path("forward"), "must be a finite number > 0"));
    if (q.vols.size() != q.strikes.size())
      return Result<d::SmileFit>::failure(
          make_error(Status::invalid_shape, f.path("vols"), "must have one vol per strike"));
    for (std::size_t i = 0; i < q.strikes.size(); ++i)
      if (!(q.strikes[i] > 0.0) || !(q.vols[i] > 0.0))
        return Result<d::SmileFit>::failure(make_error(Status::invalid_value,
                                                       indexed(f.path(q.strikes[i] > 0.0 ? "vols" : "strikes"),
                                                               static_cast<Index>(i)),
                                                       "must be > 0"));
    return Result<d::SmileFit>::success(d::evaluate_smile(p, q, {}));
  }
  read_quotes(f, q);
  if (!sink.ok()) return Result<d::SmileFit>::failure(sink);
  return d::fit_smile(q, settings, path);
}

d::SurfaceSlice to_slice(const d::SmileFit& fit) {
  d::SurfaceSlice s;
  s.expiry_years = fit.expiry_years;
  s.forward = fit.forward;
  s.params = fit.params;
  if (!fit.log_moneyness.empty()) {
    s.k_min = *std::min_element(fit.log_moneyness.begin(), fit.log_moneyness.end());
    s.k_max = *std::max_element(fit.log_moneyness.begin(), fit.log_moneyness.end());
  }
  return s;
}

// ---- books -------------------------------------------------------------------------------------

struct BookRequest {
  d::Book book;
  std::optional<d::ScenarioGrid> scenarios;
  std::vector<d::HedgeInstrument> instruments;
  d::HedgeSettings hedge;
};

void read_underlyings(Fields& f, d::Book& book) {
  f.required("underlyings");
  const Json* list = f.get("underlyings");
  if (!list) return;
  if (!list->is_array()) return f.fail(Status::invalid_type, "underlyings", "expected an array of { name, spot }");
  for (std::size_t i = 0; i < list->size() && f.ok(); ++i) {
    Fields u((*list)[i], indexed("underlyings", static_cast<Index>(i)), f.sink());
    u.only({"name", "spot"});
    u.required("name");
    u.required("spot");
    d::Underlying item;
    u.text("name", item.name);
    u.number("spot", item.spot);
    book.underlyings.push_back(item);
  }
}

void read_settlement(Fields& f, d::Position& p) {
  std::string settlement = "linear";
  f.choice("settlement", settlement, {"linear", "inverse"});
  p.settlement = settlement == "inverse" ? d::Settlement::inverse : d::Settlement::linear;
}

// A position or a hedge instrument (hedge = true: no quantity; costPerUnit and maxQuantity).
void read_position(const Json& node, const std::string& path, const d::Book& book, bool hedge, d::Position& p,
                   d::HedgeInstrument* instrument, Error& sink) {
  Fields f(node, path, sink);
  f.required("instrument");
  std::string type = "spot";
  f.choice("instrument", type, {"option", "future", "perp", "spot"});
  if (!f.ok()) return;
  std::vector<const char*> keys = {"instrument", "underlying"};
  if (hedge) {
    keys.push_back("costPerUnit");
    keys.push_back("maxQuantity");
  } else {
    keys.push_back("quantity");
  }
  if (type == "option")
    for (const char* k : {"kind", "model", "spot", "forward", "strike", "expiryYears", "vol", "rate", "dividendYield"})
      keys.push_back(k);
  if (type == "future")
    for (const char* k : {"forward", "expiryYears", "entryPrice", "settlement"}) keys.push_back(k);
  if (type == "perp")
    for (const char* k : {"entryPrice", "settlement", "fundingRatePerYear"}) keys.push_back(k);
  // Fields::only takes an initializer list: check by hand against `keys`.
  for (const auto& item : node.items()) {
    bool known = false;
    for (const char* k : keys) known = known || item.key() == k;
    if (!known) {
      std::string list;
      for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
      return f.fail(Status::unknown_key, f.path(item.key().c_str()),
                    "unknown key for a" + std::string(type == "option" ? "n " : " ") + type + "; expected one of: " + list);
    }
  }
  p.type = type == "option" ? d::InstrumentType::option
           : type == "future" ? d::InstrumentType::future
           : type == "perp"   ? d::InstrumentType::perp
                              : d::InstrumentType::spot;
  std::string name;
  if (f.has("underlying")) {
    f.text("underlying", name);
  } else if (book.underlyings.size() == 1) {
    name = book.underlyings[0].name;
  } else {
    f.required("underlying");
  }
  if (!f.ok()) return;
  p.underlying = -1;
  for (std::size_t u = 0; u < book.underlyings.size(); ++u)
    if (book.underlyings[u].name == name) p.underlying = static_cast<int>(u);
  if (p.underlying < 0) return f.fail(Status::unknown_value, f.path("underlying"), "'" + name + "' is not in underlyings");
  if (!hedge) {
    f.required("quantity");
    f.number("quantity", p.quantity);
  } else {
    p.quantity = 1.0;
    f.number("costPerUnit", instrument->cost_per_unit);
    f.positive("maxQuantity", instrument->max_quantity);
  }
  if (p.type == d::InstrumentType::option) {
    d::OptionSpec& o = p.option;
    f.required("kind");
    std::string kind = "call";
    f.choice("kind", kind, {"call", "put"});
    o.kind = kind == "put" ? d::OptionKind::put : d::OptionKind::call;
    f.required("model");
    std::string model = "black-scholes";
    f.choice("model", model, {"black-scholes", "black-76", "inverse"});
    if (!f.ok()) return;
    o.model = *model_from_name(model);
    if (f.has("spot")) {
      if (o.model == d::PricingModel::black_scholes)
        return f.fail(Status::invalid_value, f.path("spot"),
                      "a black-scholes option in a book is priced on its underlying's spot (underlyings[].spot); "
                      "do not give spot here");
      double s = 0;
      f.number("spot", s);
      o.spot = s;  // validate_option refuses it for black-76 and inverse, naming spot
    }
    if (o.model == d::PricingModel::black_scholes) o.spot = book.underlyings[p.underlying].spot;
    if (f.has("forward")) {
      double fw = 0;
      f.number("forward", fw);
      o.forward = fw;
    }
    f.required("strike");
    f.number("strike", o.strike);
    f.required("expiryYears");
    f.number("expiryYears", o.expiry_years);
    f.required("vol");
    f.number("vol", o.vol);
    f.number("rate", o.rate);
    f.number("dividendYield", o.dividend_yield);
    o.quantity = p.quantity;
  } else if (p.type == d::InstrumentType::future) {
    f.required("forward");
    f.number("forward", p.forward);
    f.number("expiryYears", p.expiry_years);
    f.number("entryPrice", p.entry_price);
    read_settlement(f, p);
  } else if (p.type == d::InstrumentType::perp) {
    f.number("entryPrice", p.entry_price);
    read_settlement(f, p);
    f.number("fundingRatePerYear", p.funding_rate_per_year);
  }
  if (f.ok())
    if (Error e = d::validate_position(book, p, path); !e.ok()) sink = e;
}

void read_positions(Fields& f, BookRequest& r) {
  f.required("positions");
  const Json* list = f.get("positions");
  if (!list) return;
  if (!list->is_array()) return f.fail(Status::invalid_type, "positions", "expected an array of positions");
  r.book.positions.resize(list->size());
  for (std::size_t i = 0; i < list->size() && f.ok(); ++i)
    read_position((*list)[i], indexed("positions", static_cast<Index>(i)), r.book, false, r.book.positions[i], nullptr,
                  f.sink());
}

void read_scenarios(Fields& f, BookRequest& r) {
  const Json* node = f.get("scenarios");
  if (!node) return;
  Fields s(*node, "scenarios", f.sink());
  s.only({"spotShocks", "volShocks", "volShockMode", "horizonYears"});
  d::ScenarioGrid grid;
  grid.spot_shocks = {0.0};
  grid.vol_shocks = {0.0};
  if (s.has("spotShocks")) numbers(s, "spotShocks", grid.spot_shocks);
  if (s.has("volShocks")) numbers(s, "volShocks", grid.vol_shocks);
  std::string mode = "additive";
  s.choice("volShockMode", mode, {"additive", "relative"});
  grid.vol_relative = mode == "relative";
  s.number("horizonYears", grid.horizon_years);
  r.scenarios = grid;
}

Result<BookRequest> read_book_request(const Json& request, bool hedge) {
  Error sink;
  BookRequest r;
  Fields f(request, "", sink);
  if (hedge)
    f.only({"underlyings", "positions", "instruments", "neutralize", "regularization"});
  else
    f.only({"underlyings", "positions", "scenarios"});
  read_underlyings(f, r.book);
  if (f.ok())
    if (Error e = d::validate_book(d::Book{r.book.underlyings, {}}); !e.ok()) sink = e;
  read_positions(f, r);
  if (!hedge) {
    read_scenarios(f, r);
  } else {
    f.required("instruments");
    if (const Json* list = f.get("instruments")) {
      if (!list->is_array()) {
        f.fail(Status::invalid_type, "instruments", "expected an array of hedge instruments");
      } else {
        r.instruments.resize(list->size());
        for (std::size_t j = 0; j < list->size() && f.ok(); ++j)
          read_position((*list)[j], indexed("instruments", static_cast<Index>(j)), r.book, true,
                        r.instruments[j].position, &r.instruments[j], f.sink());
      }
    }
    if (const Json* list = f.get("neutralize")) {
      if (!list->is_array()) {
        f.fail(Status::invalid_type, "neutralize", "expected an array of 'delta', 'gamma', 'vega'");
      } else {
        r.hedge.neutralize.clear();
        for (std::size_t i = 0; i < list->size() && f.ok(); ++i) {
          const Json& g = (*list)[i];
          const std::string at = indexed("neutralize", static_cast<Index>(i));
          const std::string name = g.is_string() ? g.get<std::string>() : "";
          if (name == "delta") r.hedge.neutralize.push_back(d::HedgeGreek::delta);
          else if (name == "gamma") r.hedge.neutralize.push_back(d::HedgeGreek::gamma);
          else if (name == "vega") r.hedge.neutralize.push_back(d::HedgeGreek::vega);
          else f.fail(g.is_string() ? Status::unknown_value : Status::invalid_type, at,
                      "expected one of 'delta', 'gamma', 'vega'");
        }
      }
    }
    f.number("regularization", r.hedge.regularization);
  }
  if (!sink.ok()) return Result<BookRequest>::failure(sink);
  return Result<BookRequest>::success(std::move(r));
}

Json greeks_json(const d::BookGreeks& g) {
  return {{"valueUsd", g.value_usd},
          {"valueCoin", g.value_coin},
          {"deltaCoin", g.delta_coin},
          {"deltaUsd", g.delta_usd},
          {"netTransactionDeltaCoin", g.net_transaction_delta_coin},
          {"gammaCoin", g.gamma_coin},
          {"gammaUsdPerPct", g.gamma_usd_per_pct},
          {"vegaUsdPerVolPoint", g.vega_usd_per_vol_point},
          {"vegaCoinPerVolPoint", g.vega_coin_per_vol_point},
          {"thetaUsdPerDay", g.theta_usd_per_day},
          {"thetaCoinPerDay", g.theta_coin_per_day}};
}

Json grid_json(const std::vector<std::vector<double>>& m) {
  Json out = Json::array();
  for (const auto& row : m) out.push_back(list_json(row));
  return out;
}

}  // namespace

Result<Json> smile_method(const Json& request) {
  bool given = false;
  Result<d::SmileFit> fit = read_and_fit_slice(request, "", d::SmileWeighting::vega, false, given);
  if (!fit.ok()) return Result<Json>::failure(fit.error);
  return Result<Json>::success(smile_json(fit.value, false));
}

Result<Json> surface_method(const Json& request) {
  Error sink;
  Fields f(request, "", sink);
  f.only({"slices", "weighting", "queries"});
  const d::SmileWeighting weighting = read_weighting(f);
  f.required("slices");
  std::vector<d::SurfaceSlice> slices;
  Json slice_results = Json::array();
  if (const Json* list = f.get("slices")) {
    if (!list->is_array()) f.fail(Status::invalid_type, "slices", "expected an array of slices");
    else if (list->empty()) f.fail(Status::invalid_shape, "slices", "a surface needs at least one slice");
    for (std::size_t i = 0; f.ok() && i < list->size(); ++i) {
      bool given = false;
      const std::string path = indexed("slices", static_cast<Index>(i));
      Result<d::SmileFit> fit = read_and_fit_slice((*list)[i], path, weighting, true, given);
      if (!fit.ok()) return Result<Json>::failure(fit.error);
      slices.push_back(to_slice(fit.value));
      slice_results.push_back(smile_json(fit.value, given));
    }
  }
  if (!sink.ok()) return Result<Json>::failure(sink);
  if (Error e = d::validate_surface(slices, "slices"); !e.ok()) return Result<Json>::failure(e);
  const d::CalendarReport calendar = d::check_calendar(slices);
  Json violations = Json::array();
  for (const auto& v : calendar.violations) {
    Json item = interval_json(v.where, "worstShortfall");
    item["earlierExpiryYears"] = slices[v.earlier].expiry_years;
    item["laterExpiryYears"] = slices[v.later].expiry_years;
    violations.push_back(std::move(item));
  }
  Json result = {{"slices", std::move(slice_results)},
                 {"calendar",
                  {{"arbitrageFree", calendar.arbitrage_free},
                   {"violations", std::move(violations)},
                   {"grid",
                    {{"fromLogMoneyness", calendar.grid_from},
                     {"toLogMoneyness", calendar.grid_to},
                     {"points", calendar.grid_points}}}}}};
  if (const Json* list = f.get("queries")) {
    if (!list->is_array())
      return Result<Json>::failure(make_error(Status::invalid_type, "queries", "expected an array of { strike, expiryYears }"));
    Json answers = Json::array();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string path = indexed("queries", static_cast<Index>(i));
      Fields q((*list)[i], path, sink);
      q.only({"strike", "expiryYears", "forward"});
      q.required("strike");
      q.required("expiryYears");
      double strike = 0, T = 0, fw = 0;
      q.number("strike", strike);
      q.number("expiryYears", T);
      q.number("forward", fw);
      if (!sink.ok()) return Result<Json>::failure(sink);
      Result<d::SurfacePoint> p =
          d::surface_vol(slices, strike, T, q.has("forward") ? std::optional<double>(fw) : std::nullopt, path);
      if (!p.ok()) return Result<Json>::failure(p.error);
      answers.push_back({{"vol", p.value.vol},
                         {"totalVariance", p.value.total_variance},
                         {"forward", p.value.forward},
                         {"logMoneyness", p.value.log_moneyness}});
    }
    result["queries"] = std::move(answers);
  }
  return Result<Json>::success(std::move(result));
}

Result<Json> book_method(const Json& request) {
  Result<BookRequest> r = read_book_request(request, false);
  if (!r.ok()) return Result<Json>::failure(r.error);
  const d::Book& book = r.value.book;
  Result<d::BookReport> report = d::book_report(book);
  if (!report.ok()) return Result<Json>::failure(report.error);
  Json underlyings = Json::array(), positions = Json::array();
  for (std::size_t u = 0; u < book.underlyings.size(); ++u) {
    Json item = greeks_json(report.value.underlyings[u]);
    item["name"] = book.underlyings[u].name;
    item["spot"] = book.underlyings[u].spot;
    item["deltaNeutralPerpQuantity"] = -report.value.underlyings[u].delta_coin;
    underlyings.push_back(std::move(item));
  }
  for (const auto& g : report.value.positions) positions.push_back(greeks_json(g));
  Json result = {{"underlyings", std::move(underlyings)},
                 {"positions", std::move(positions)},
                 {"totals",
                  {{"valueUsd", report.value.value_usd},
                   {"vegaUsdPerVolPoint", report.value.vega_usd_per_vol_point},
                   {"thetaUsdPerDay", report.value.theta_usd_per_day}}}};
  if (r.value.scenarios) {
    const d::ScenarioGrid& grid = *r.value.scenarios;
    Result<d::ScenarioResult> s = d::scenario_pnl(book, grid);
    if (!s.ok()) return Result<Json>::failure(s.error);
    Json by = Json::array();
    for (std::size_t u = 0; u < book.underlyings.size(); ++u)
      by.push_back({{"name", book.underlyings[u].name},
                    {"pnlUsd", grid_json(s.value.pnl_usd_by_underlying[u])},
                    {"pnlCoin", grid_json(s.value.pnl_coin_by_underlying[u])}});
    result["scenarios"] = {{"spotShocks", list_json(grid.spot_shocks)},
                           {"volShocks", list_json(grid.vol_shocks)},
                           {"volShockMode", grid.vol_relative ? "relative" : "additive"},
                           {"horizonYears", grid.horizon_years},
                           {"pnlUsd", grid_json(s.value.pnl_usd)},
                           {"byUnderlying", std::move(by)},
                           {"volsFloored", s.value.vols_floored}};
  }
  return Result<Json>::success(std::move(result));
}

Result<Json> hedge_method(const Json& request) {
  Result<BookRequest> r = read_book_request(request, true);
  if (!r.ok()) return Result<Json>::failure(r.error);
  Result<d::HedgeResult> h = d::hedge_book(r.value.book, r.value.instruments, r.value.hedge);
  if (!h.ok()) return Result<Json>::failure(h.error);
  Json rows = Json::array();
  for (const auto& row : h.value.rows)
    rows.push_back({{"greek", std::string(d::to_string(row.greek))},
                    {"underlying", r.value.book.underlyings[row.underlying].name},
                    {"book", row.book},
                    {"hedge", row.hedge},
                    {"residual", row.residual},
                    {"neutralized", row.neutralized}});
  return Result<Json>::success(Json{{"status", std::string(to_string(h.value.status))},
                                    {"quantities", list_json(h.value.quantities)},
                                    {"allNeutralized", h.value.all_neutralized},
                                    {"greeks", std::move(rows)},
                                    {"costUsd", h.value.cost},
                                    {"fallback", h.value.fallback.empty() ? Json(nullptr) : Json(h.value.fallback)},
                                    {"message", h.value.message},
                                    {"info",
                                     {{"iterations", h.value.iterations},
                                      {"primalResidual", h.value.primal_residual},
                                      {"dualResidual", h.value.dual_residual}}}});
}

}  // namespace ballast::api
