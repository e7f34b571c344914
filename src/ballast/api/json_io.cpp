#include "ballast/api/json_io.hpp"

#include <cmath>

#include "ballast/api/json_writer.hpp"

namespace ballast::api {

namespace {

// NaN has no JSON spelling; say "not defined here" with null rather than a made-up number.
Json number_or_null(double x) {
  return std::isfinite(x) ? Json(x) : Json(nullptr);
}

Json info_json(const optimize::SolveInfo& info) {
  return {{"iterations", info.iterations},
          {"primalResidual", number_or_null(info.primal_residual)},
          {"dualResidual", number_or_null(info.dual_residual)},
          {"solveMs", info.solve_ms}};
}

// Pairs of assets whose histories never overlap (pairwise policy): named, not indexed.
Json pairs_json(const std::vector<std::string>& assets, const std::vector<estimate::AssetPair>& pairs) {
  Json out = Json::array();
  for (const auto& p : pairs)
    out.push_back({assets[static_cast<size_t>(p.first)], assets[static_cast<size_t>(p.second)]});
  return out;
}

}  // namespace

Json to_json(const Vector& v) {
  Json out = Json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(number_or_null(v(i)));
  return out;
}

Json to_json(const Matrix& m) {
  Json out = Json::array();
  for (Index i = 0; i < m.rows(); ++i) out.push_back(to_json(Vector(m.row(i).transpose())));
  return out;
}

Json to_json(const Error& e) {
  return {{"code", std::string(to_string(e.code))}, {"message", e.message}, {"field", e.field}};
}

Json to_json(const risk::PortfolioReport& r, bool beta_requested) {
  // At zero volatility a Sharpe ratio and a diversification ratio have no value: say null
  // rather than print the engine's 0 placeholder as if it were measured.
  const bool riskless = !(r.volatility > 0);
  Json out = {{"expectedReturn", r.expected_return},
          {"volatility", r.volatility},
          {"sharpe", riskless ? Json(nullptr) : number_or_null(r.sharpe)},
          {"riskContributions", to_json(r.risk_contributions)},
          {"riskContributionShares", to_json(r.risk_contribution_shares)},
          {"diversificationRatio", riskless ? Json(nullptr) : number_or_null(r.diversification_ratio)}};
  // Present only when betaTo was given; null when that asset has no variance to divide by.
  if (beta_requested) out["beta"] = r.beta ? number_or_null(*r.beta) : Json(nullptr);
  return out;
}

Json estimate_json(const std::vector<std::string>& assets, const estimate::Moments& m) {
  return {{"assets", assets},
          {"expectedReturns", to_json(m.expected_returns)},
          {"covariance", to_json(m.covariance)},
          {"correlation", to_json(m.correlation)},
          {"volatilities", to_json(m.volatilities)},
          {"shrinkage", number_or_null(m.shrinkage)},
          {"observations", m.observations},
          {"unestimatedPairs", pairs_json(assets, m.unestimated_pairs)},
          {"psdRepair",
           {{"repaired", m.repair.repaired},
            {"eigenvaluesClipped", m.repair.eigenvalues_clipped},
            {"minEigenvalueBefore", number_or_null(m.repair.min_eigenvalue_before)},
            {"frobeniusChange", m.repair.frobenius_change}}}};
}

Json allocation_json(const std::vector<std::string>& assets, const optimize::Allocation& a,
                     const risk::PortfolioReport* report, bool beta_requested) {
  Json out = {{"status", std::string(to_string(a.status))}, {"assets", assets}};
  if (report) {
    out["weights"] = to_json(a.weights);
    const Json report_json = to_json(*report, beta_requested);  // named: items() must not outlive a temporary
    for (const auto& [key, value] : report_json.items()) out[key] = value;
  } else {
    out["weights"] = Json::array();
    for (const char* key : {"expectedReturn", "volatility", "sharpe", "diversificationRatio"}) out[key] = nullptr;
    if (beta_requested) out["beta"] = nullptr;
    out["riskContributions"] = Json::array();
    out["riskContributionShares"] = Json::array();
  }
  out["binding"] = a.binding;
  Json conflicts = Json::array();
  for (const auto& c : a.infeasible) conflicts.push_back({{"field", c.field}, {"message", c.message}});
  if (!conflicts.empty()) out["infeasible"] = conflicts;
  if (a.fallback)
    out["fallback"] = {{"from", std::string(optimize::to_string(a.fallback->from))},
                       {"to", std::string(optimize::to_string(a.fallback->to))},
                       {"reason", a.fallback->reason}};
  out["message"] = a.message;
  out["info"] = info_json(a.info);
  return out;
}

Json frontier_json(const std::vector<std::string>& assets, const optimize::Frontier& f) {
  Json points = Json::array();
  for (const auto& p : f.points)
    points.push_back({{"expectedReturn", number_or_null(p.expected_return)},
                      {"volatility", number_or_null(p.volatility)},
                      {"weights", to_json(p.weights)},
                      {"status", std::string(to_string(p.status))}});
  return {{"assets", assets}, {"points", points}};
}

// ---- streamed envelopes (keys in std::map order, as nlohmann objects print them) ----------

namespace {

void write_info(JsonWriter& w, const optimize::SolveInfo& info) {
  w.begin_object();
  w.key("dualResidual").number(info.dual_residual);
  w.key("iterations").integer(info.iterations);
  w.key("primalResidual").number(info.primal_residual);
  w.key("solveMs").number(info.solve_ms);
  w.end_object();
}

}  // namespace

std::string allocation_envelope(const std::vector<std::string>& assets, const optimize::Allocation& a,
                                const risk::PortfolioReport* report, bool beta_requested) {
  const bool riskless = report && !(report->volatility > 0);
  JsonWriter w;
  w.reserve(64 + assets.size() * (assets.empty() ? 0 : assets[0].size() + 80));
  w.begin_object().key("ok").boolean(true).key("result").begin_object();
  w.key("assets").strings(assets);
  if (beta_requested) {
    w.key("beta");
    if (report && report->beta) w.number(*report->beta);
    else w.null();
  }
  w.key("binding").strings(a.binding);
  w.key("diversificationRatio");
  if (report && !riskless) w.number(report->diversification_ratio);
  else w.null();
  w.key("expectedReturn");
  if (report) w.number(report->expected_return);
  else w.null();
  if (a.fallback) {
    w.key("fallback").begin_object();
    w.key("from").string(optimize::to_string(a.fallback->from));
    w.key("reason").string(a.fallback->reason);
    w.key("to").string(optimize::to_string(a.fallback->to));
    w.end_object();
  }
  if (!a.infeasible.empty()) {
    w.key("infeasible").begin_array();
    for (const auto& c : a.infeasible)
      w.begin_object().key("field").string(c.field).key("message").string(c.message).end_object();
    w.end_array();
  }
  w.key("info");
  write_info(w, a.info);
  w.key("message").string(a.message);
  if (report) {
    w.key("riskContributionShares").numbers(report->risk_contribution_shares);
    w.key("riskContributions").numbers(report->risk_contributions);
  } else {
    w.key("riskContributionShares").begin_array().end_array();
    w.key("riskContributions").begin_array().end_array();
  }
  w.key("sharpe");
  if (report && !riskless) w.number(report->sharpe);
  else w.null();
  w.key("status").string(to_string(a.status));
  w.key("volatility");
  if (report) w.number(report->volatility);
  else w.null();
  w.key("weights");
  if (report) w.numbers(a.weights);
  else w.begin_array().end_array();
  w.end_object().end_object();
  return w.take();
}

std::string frontier_envelope(const std::vector<std::string>& assets, const optimize::Frontier& f) {
  JsonWriter w;
  w.begin_object().key("ok").boolean(true).key("result").begin_object();
  w.key("assets").strings(assets);
  w.key("points").begin_array();
  for (const auto& p : f.points) {
    w.begin_object();
    w.key("expectedReturn").number(p.expected_return);
    w.key("status").string(to_string(p.status));
    w.key("volatility").number(p.volatility);
    w.key("weights").numbers(p.weights);
    w.end_object();
  }
  w.end_array();
  w.end_object().end_object();
  return w.take();
}

namespace {

// Every Greek that adds across options on one underlying, in the order results list them.
Json greek_fields(const derivatives::OptionGreeks& g) {
  return {{"price", g.price},       {"delta", g.delta},
          {"gamma", g.gamma},       {"vega", g.vega},
          {"vegaPerVolPoint", g.vega_per_vol_point},
          {"theta", g.theta},       {"thetaPerDay", g.theta_per_day},
          {"rho", g.rho},           {"vanna", g.vanna},
          {"volga", g.volga},       {"charm", g.charm}};
}

}  // namespace

Json greeks_json(const std::vector<derivatives::OptionSpec>& options,
                 const std::vector<derivatives::OptionGreeks>& greeks) {
  Json list = Json::array();
  derivatives::OptionGreeks t;
  for (std::size_t i = 0; i < greeks.size(); ++i) {
    const derivatives::OptionGreeks& g = greeks[i];
    Json item = greek_fields(g);
    if (options[i].model == derivatives::PricingModel::inverse) item["netTransactionDelta"] = g.net_transaction_delta;
    list.push_back(std::move(item));
    const double q = options[i].quantity;
    t.price += q * g.price;
    t.delta += q * g.delta;
    t.gamma += q * g.gamma;
    t.vega += q * g.vega;
    t.vega_per_vol_point += q * g.vega_per_vol_point;
    t.theta += q * g.theta;
    t.theta_per_day += q * g.theta_per_day;
    t.rho += q * g.rho;
    t.vanna += q * g.vanna;
    t.volga += q * g.volga;
    t.charm += q * g.charm;
  }
  return {{"options", std::move(list)}, {"totals", greek_fields(t)}};
}

Json to_json(const derivatives::ImpliedVol& iv) {
  using derivatives::ImpliedVolStatus;
  const bool has_vol = iv.status == ImpliedVolStatus::ok || iv.status == ImpliedVolStatus::at_intrinsic;
  return {{"vol", has_vol ? number_or_null(iv.vol) : Json(nullptr)},
          {"status", std::string(derivatives::to_string(iv.status))},
          {"iterations", iv.iterations}};
}

}  // namespace ballast::api
