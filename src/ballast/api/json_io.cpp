#include "ballast/api/json_io.hpp"

#include <cmath>

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
