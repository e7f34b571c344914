#include "ballast/api/dispatch.hpp"

#include <cmath>
#include <cstdint>

#include "ballast/api/json_io.hpp"
#include "ballast/api/option_request.hpp"
#include "ballast/api/analysis_json.hpp"
#include "ballast/api/position_request.hpp"
#include "ballast/api/strategy_request.hpp"
#include "ballast/api/request.hpp"
#include "ballast/api/risk_book_request.hpp"
#include "ballast/core/version.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/derivatives/columns.hpp"

namespace ballast::api {

namespace {

std::string success(Json result) {
  Json envelope = {{"ok", true}, {"result", std::move(result)}};
  // Never throws: invalid UTF-8 in echoed names is replaced, not an exception.
  return envelope.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string failure(const Error& e) {
  Json envelope = {{"ok", false}, {"error", to_json(e)}};
  return envelope.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The moments' covariance was checked once, by the reader (given moments), or produced by the
// estimators (symmetric and PSD-repaired by construction): the engine need not re-check it.
CheckedCovariance checked(const estimate::Moments& m) { return CheckedCovariance::assume_checked(m.covariance); }

Result<risk::PortfolioReport> report_for(const Vector& weights, const estimate::Moments& m,
                                         const PortfolioRequest& r) {
  return risk::portfolio_report(weights, m.expected_returns, checked(m), r.objective.risk_free_rate,
                                r.beta_asset);
}

std::string run_estimate(const PortfolioRequest& r, const estimate::Moments& m) {
  return success(estimate_json(r.market.assets, m));
}

std::string run_optimize(const PortfolioRequest& r, const estimate::Moments& m) {
  Result<optimize::Allocation> a = optimize::optimize_portfolio(m.expected_returns, checked(m), r.constraints, r.objective);
  if (!a.ok()) return failure(a.error);
  const bool has_weights = a.value.weights.size() == m.expected_returns.size();
  if (!has_weights) return allocation_envelope(r.market.assets, a.value, nullptr, r.beta_asset.has_value());
  Result<risk::PortfolioReport> report = report_for(a.value.weights, m, r);
  if (!report.ok()) return failure(report.error);
  return allocation_envelope(r.market.assets, a.value, &report.value, r.beta_asset.has_value());
}

std::string run_frontier(const PortfolioRequest& r, const estimate::Moments& m) {
  Result<optimize::Frontier> f = optimize::efficient_frontier(m.expected_returns, checked(m), r.constraints, r.frontier_points);
  if (!f.ok()) return failure(f.error);
  return frontier_envelope(r.market.assets, f.value);
}

std::string run_report(const PortfolioRequest& r, const estimate::Moments& m) {
  Result<risk::PortfolioReport> report = report_for(r.weights, m, r);
  if (!report.ok()) return failure(report.error);
  return success(to_json(report.value, r.beta_asset.has_value()));
}

// ---- options: their own request shapes, no market or moments --------------------------------

std::string run_greeks(const Json& request, const std::vector<Blob>&) {
  Result<GreeksRequest> r = read_greeks_request(request);
  if (!r.ok()) return failure(r.error);
  std::vector<derivatives::OptionGreeks> greeks(r.value.options.size());
  for (std::size_t i = 0; i < greeks.size(); ++i) {
    Result<derivatives::OptionGreeks> g =
        derivatives::option_greeks(r.value.options[i], indexed("options", static_cast<Index>(i)));
    if (!g.ok()) return failure(g.error);
    greeks[i] = g.value;
  }
  return success(greeks_json(r.value.options, greeks));
}

std::string run_implied_vol(const Json& request, const std::vector<Blob>&) {
  Result<ImpliedVolRequest> r = read_implied_vol_request(request);
  if (!r.ok()) return failure(r.error);
  Json results = Json::array();
  for (std::size_t i = 0; i < r.value.options.size(); ++i) {
    Result<derivatives::ImpliedVol> iv = derivatives::implied_vol(r.value.options[i], r.value.prices[i],
                                                                  indexed("options", static_cast<Index>(i)));
    if (!iv.ok()) return failure(iv.error);
    results.push_back(to_json(iv.value));
  }
  return success(Json{{"results", std::move(results)}});
}

Json column_json(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(std::isfinite(v) ? Json(v) : Json(nullptr));
  return out;
}

std::string run_greeks_columns(const Json& request, const std::vector<Blob>& blobs) {
  Result<ColumnsRequest> r = read_columns_request(request, blobs, /*implied_vol=*/false);
  if (!r.ok()) return failure(r.error);
  const std::size_t n = r.value.size;
  const char* names[] = {"price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga", "charm"};
  std::vector<std::vector<double>> columns(std::size(names), std::vector<double>(n));
  derivatives::GreeksColumnsOut out{columns[0].data(), columns[1].data(), columns[2].data(),
                                    columns[3].data(), columns[4].data(), columns[5].data(),
                                    columns[6].data(), columns[7].data(), columns[8].data()};
  if (Error e = derivatives::greeks_columns(r.value.columns, n, 0, out); !e.ok()) return failure(e);
  Json result = Json::object();
  for (std::size_t k = 0; k < std::size(names); ++k) result[names[k]] = column_json(columns[k]);
  return success(std::move(result));
}

std::string run_implied_vol_columns(const Json& request, const std::vector<Blob>& blobs) {
  Result<ColumnsRequest> r = read_columns_request(request, blobs, /*implied_vol=*/true);
  if (!r.ok()) return failure(r.error);
  const std::size_t n = r.value.size;
  std::vector<double> vol(n);
  std::vector<std::uint8_t> status(n);
  if (Error e = derivatives::implied_vol_columns(r.value.columns, n, 0, {vol.data(), status.data()}); !e.ok())
    return failure(e);
  return success(Json{{"vol", column_json(vol)}, {"status", status}});
}

// ---- DeFi positions: analyze -------------------------------------------------------------------

std::string run_analyze(const Json& request, const std::vector<Blob>&) {
  Result<AnalyzeRequest> r = read_analyze_request(request);
  if (!r.ok()) return failure(r.error);
  Result<defi::Analysis> a = defi::analyze(r.value.positions, r.value.market);
  if (!a.ok()) return failure(a.error);
  return success(analysis_json(a.value));
}

std::string run_strategy(const Json& request, const std::vector<Blob>&) { return run_strategy_request(request); }

// ---- smiles, surfaces, books and hedges (risk_book_request.hpp) ---------------------------------

using JsonMethod = Result<Json> (*)(const Json&);

JsonMethod risk_book_method(std::string_view method) {
  return method == "smile"     ? smile_method
         : method == "surface" ? surface_method
         : method == "book"    ? book_method
         : method == "hedge"   ? hedge_method
                               : nullptr;
}

}  // namespace

std::string dispatch(std::string_view method, std::string_view request_json, const std::vector<Blob>& blobs) {
  if (method == "version") return success(Json{{"version", version}});
  if (JsonMethod risk_book = risk_book_method(method)) {
    Json request = Json::parse(request_json.begin(), request_json.end(), nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded()) return failure(make_error(Status::invalid_json, "", "the request is not valid JSON"));
    Result<Json> r = risk_book(request);
    return r.ok() ? success(std::move(r.value)) : failure(r.error);
  }
  using OptionRunner = std::string (*)(const Json&, const std::vector<Blob>&);
  OptionRunner option_run = method == "greeks"              ? run_greeks
                            : method == "impliedVol"        ? run_implied_vol
                            : method == "greeksColumns"     ? run_greeks_columns
                            : method == "impliedVolColumns" ? run_implied_vol_columns
                            : method == "analyze"           ? run_analyze
                            : method == "strategy"          ? run_strategy
                                                            : nullptr;
  if (option_run) {
    Json request = Json::parse(request_json.begin(), request_json.end(), nullptr, /*allow_exceptions=*/false);
    if (request.is_discarded()) return failure(make_error(Status::invalid_json, "", "the request is not valid JSON"));
    return option_run(request, blobs);
  }
  using Runner = std::string (*)(const PortfolioRequest&, const estimate::Moments&);
  Runner run = method == "estimate"   ? run_estimate
               : method == "optimize" ? run_optimize
               : method == "frontier" ? run_frontier
               : method == "report"   ? run_report
                                      : nullptr;
  if (!run)
    return failure(make_error(Status::unknown_value, "method",
                              "unknown method; expected estimate, optimize, frontier, report, greeks, impliedVol, "
                              "greeksColumns, impliedVolColumns, analyze, strategy, smile, surface, book, hedge or version"));
  Json request = Json::parse(request_json.begin(), request_json.end(), nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded())
    return failure(make_error(Status::invalid_json, "", "the request is not valid JSON"));
  Result<PortfolioRequest> parsed = read_request(method, request, blobs);
  if (!parsed.ok()) return failure(parsed.error);
  Result<estimate::Moments> moments = resolve_moments(parsed.value.market, /*correlation=*/method == "estimate");
  if (!moments.ok()) return failure(moments.error);
  return run(parsed.value, moments.value);
}

}  // namespace ballast::api
