#include "ballast/api/dispatch.hpp"

#include "ballast/api/json_io.hpp"
#include "ballast/api/request.hpp"
#include "ballast/core/version.hpp"

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

Result<risk::PortfolioReport> report_for(const Vector& weights, const estimate::Moments& m,
                                         const PortfolioRequest& r) {
  return risk::portfolio_report(weights, m.expected_returns, m.covariance, r.objective.risk_free_rate,
                                r.beta_asset);
}

std::string run_estimate(const PortfolioRequest& r, const estimate::Moments& m) {
  return success(estimate_json(r.market.assets, m));
}

std::string run_optimize(const PortfolioRequest& r, const estimate::Moments& m) {
  Result<optimize::Allocation> a = optimize::optimize_portfolio(m.expected_returns, m.covariance, r.constraints, r.objective);
  if (!a.ok()) return failure(a.error);
  const bool has_weights = a.value.weights.size() == m.expected_returns.size();
  if (!has_weights) return success(allocation_json(r.market.assets, a.value, nullptr, r.beta_asset.has_value()));
  Result<risk::PortfolioReport> report = report_for(a.value.weights, m, r);
  if (!report.ok()) return failure(report.error);
  return success(allocation_json(r.market.assets, a.value, &report.value, r.beta_asset.has_value()));
}

std::string run_frontier(const PortfolioRequest& r, const estimate::Moments& m) {
  Result<optimize::Frontier> f = optimize::efficient_frontier(m.expected_returns, m.covariance, r.constraints, r.frontier_points);
  if (!f.ok()) return failure(f.error);
  return success(frontier_json(r.market.assets, f.value));
}

std::string run_report(const PortfolioRequest& r, const estimate::Moments& m) {
  Result<risk::PortfolioReport> report = report_for(r.weights, m, r);
  if (!report.ok()) return failure(report.error);
  return success(to_json(report.value, r.beta_asset.has_value()));
}

}  // namespace

std::string dispatch(std::string_view method, std::string_view request_json, const std::vector<Blob>& blobs) {
  if (method == "version") return success(Json{{"version", version}});
  using Runner = std::string (*)(const PortfolioRequest&, const estimate::Moments&);
  Runner run = method == "estimate"   ? run_estimate
               : method == "optimize" ? run_optimize
               : method == "frontier" ? run_frontier
               : method == "report"   ? run_report
                                      : nullptr;
  if (!run)
    return failure(make_error(Status::unknown_value, "method",
                              "unknown method; expected estimate, optimize, frontier, report or version"));
  Json request = Json::parse(request_json.begin(), request_json.end(), nullptr, /*allow_exceptions=*/false);
  if (request.is_discarded())
    return failure(make_error(Status::invalid_json, "", "the request is not valid JSON"));
  Result<PortfolioRequest> parsed = read_request(method, request, blobs);
  if (!parsed.ok()) return failure(parsed.error);
  Result<estimate::Moments> moments = resolve_moments(parsed.value.market);
  if (!moments.ok()) return failure(moments.error);
  return run(parsed.value, moments.value);
}

}  // namespace ballast::api
