#include "ballast/api/request.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ballast/api/defi_constraints.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/estimate/returns.hpp"

namespace ballast::api {

namespace {

using estimate::CovarianceMethod;
using estimate::ExpectedReturnsMethod;
using estimate::MissingPolicy;
using optimize::Group;
using optimize::Objective;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::optional<Index> find_asset(const std::vector<std::string>& assets, const std::string& name) {
  for (size_t i = 0; i < assets.size(); ++i)
    if (assets[i] == name) return static_cast<Index>(i);
  return std::nullopt;
}

void read_estimator(Fields& top, MarketRequest& m) {
  const Json* node = top.get("estimator");
  if (!node) return;
  Fields f(*node, "estimator", top.sink());
  f.only({"expectedReturns", "covariance", "halfLife", "returns", "missing"});
  std::string mean = "mean", cov = "sample", kind = "simple", missing = "common-window";
  f.choice("expectedReturns", mean, {"mean", "ewma"});
  f.choice("covariance", cov, {"sample", "ewma", "ledoit-wolf"});
  f.choice("returns", kind, {"simple", "log"});
  f.choice("missing", missing, {"common-window", "pairwise"});
  f.positive("halfLife", m.estimator.half_life_periods);
  m.estimator.expected_returns = mean == "ewma" ? ExpectedReturnsMethod::ewma : ExpectedReturnsMethod::mean;
  m.estimator.covariance = cov == "ewma"          ? CovarianceMethod::ewma
                           : cov == "ledoit-wolf" ? CovarianceMethod::ledoit_wolf
                                                  : CovarianceMethod::sample;
  m.estimator.missing = missing == "pairwise" ? MissingPolicy::pairwise : MissingPolicy::common_window;
  m.return_kind = kind == "log" ? ReturnKind::log : ReturnKind::simple;
}

// Records `e` unless an earlier error is already recorded: the first error found is reported.
void keep_first(Fields& f, const Error& e) {
  if (!e.ok()) f.fail(e.code, e.field, e.message);
}

// prices or returns: T x N with one column per asset; null = no value that period.
void read_series(Fields& f, const char* key, MarketKind kind, const std::vector<Blob>& blobs, MarketRequest& m) {
  const Json* v = f.get(key);
  if (!v) return;
  m.kind = kind;
  const Index n = static_cast<Index>(m.assets.size());
  if (read_matrix(*v, key, blobs, /*allow_missing=*/true, m.series, f.sink()) && m.series.cols() != n)
    f.fail(Status::invalid_shape, key,
           std::string(key) + " have " + std::to_string(m.series.cols()) + " columns; assets names " +
               std::to_string(n));
}

// Exactly one market input, with its shape checked against the asset list.
void read_market(Fields& f, const std::vector<Blob>& blobs, MarketRequest& m) {
  const Index n = static_cast<Index>(m.assets.size());
  const int given = int(f.has("prices")) + int(f.has("returns")) + int(f.has("covariance"));
  if (given != 1) {
    f.fail(given == 0 ? Status::missing_field : Status::invalid_value, given == 0 ? "prices" : "",
           "give exactly one market input: prices, returns, or covariance with expectedReturns");
    return;
  }
  Error& sink = f.sink();
  if (f.has("prices")) read_series(f, "prices", MarketKind::prices, blobs, m);
  if (f.has("returns")) read_series(f, "returns", MarketKind::returns, blobs, m);
  if (const Json* v = f.get("covariance")) {
    m.kind = MarketKind::moments;
    f.required("expectedReturns");
    if (!read_matrix(*v, "covariance", blobs, false, m.covariance, sink)) return;
    keep_first(f, require_shape(m.covariance, n, n, "covariance"));
    keep_first(f, require_covariance(m.covariance, "covariance"));
  }
  if (const Json* v = f.get("expectedReturns")) {
    if (m.kind != MarketKind::moments) {
      f.fail(Status::invalid_value, "expectedReturns",
             "expectedReturns go with covariance; with prices or returns they are estimated");
      return;
    }
    if (read_vector(*v, "expectedReturns", blobs, m.expected_returns, sink))
      keep_first(f, require_size(m.expected_returns, n, "expectedReturns"));
  }
}

void read_objective(Fields& top, ObjectiveSettings& o) {
  const Json* node = top.get("objective");
  if (!node) return;
  Fields f(*node, "objective", top.sink());
  f.only({"type", "riskAversion", "targetReturn", "targetVolatility", "riskFreeRate"});
  std::string type = "min-variance";
  f.choice("type", type, {"min-variance", "max-sharpe", "max-utility", "target-return", "target-volatility"});
  o.type = type == "max-sharpe"          ? Objective::max_sharpe
           : type == "max-utility"       ? Objective::max_utility
           : type == "target-return"     ? Objective::target_return
           : type == "target-volatility" ? Objective::target_volatility
                                         : Objective::min_variance;
  f.positive("riskAversion", o.risk_aversion);
  f.number("riskFreeRate", o.risk_free_rate);
  if (o.type == Objective::target_return) f.required("targetReturn");
  if (o.type == Objective::target_volatility) f.required("targetVolatility");
  f.number("targetReturn", o.target_return);
  f.positive("targetVolatility", o.target_volatility);
}

// A [min, max] pair; null on either side means unbounded on that side.
bool read_bound_pair(const Json& v, const std::string& path, double& lo, double& hi, Error& sink) {
  if (!v.is_array() || v.size() != 2) {
    if (sink.ok()) sink = make_error(Status::invalid_shape, path, "a bound is a [min, max] pair");
    return false;
  }
  return read_number(v[0], indexed(path, 0), lo, sink, true, -kInf) &&
         read_number(v[1], indexed(path, 1), hi, sink, true, kInf);
}

void read_bounds(const Json& v, Index n, PortfolioConstraints& c, Error& sink) {
  const std::string path = "constraints.bounds";
  c.lower = Vector::Zero(n);
  c.upper = Vector::Ones(n);
  if (!v.is_array()) {
    sink = make_error(Status::invalid_type, path, "expected [min, max] or one [min, max] per asset");
    return;
  }
  const bool one_pair = v.size() == 2 && !v[0].is_array();
  if (one_pair) {
    double lo = 0, hi = 1;
    if (!read_bound_pair(v, path, lo, hi, sink)) return;
    c.lower.setConstant(lo);
    c.upper.setConstant(hi);
    return;
  }
  if (static_cast<Index>(v.size()) != n) {
    sink = make_error(Status::invalid_shape, path,
                      "expected one [min, max] for all assets or one per asset (" + std::to_string(n) + ")");
    return;
  }
  for (Index i = 0; i < n; ++i)
    if (!read_bound_pair(v[static_cast<size_t>(i)], indexed(path, i), c.lower(i), c.upper(i), sink)) return;
}

void read_group(const Json& v, const std::string& path, const std::vector<std::string>& assets,
                Group& g, Error& sink) {
  Fields f(v, path, sink);
  f.only({"name", "assets", "min", "max"});
  f.required("assets");
  f.text("name", g.name);
  g.min = -kInf;
  g.max = kInf;
  f.number("min", g.min);
  f.number("max", g.max);
  if (!f.has("min") && !f.has("max"))
    f.fail(Status::missing_field, f.path("max"), "a group needs a min, a max, or both");
  const Json* members = f.get("assets");
  if (!members) return;
  std::vector<std::string> names;
  if (!read_names(*members, f.path("assets"), names, sink)) return;
  for (size_t k = 0; k < names.size(); ++k) {
    auto index = find_asset(assets, names[k]);
    if (!index) {
      f.fail(Status::unknown_value, indexed(f.path("assets"), static_cast<Index>(k)),
             "'" + names[k] + "' is not in assets");
      return;
    }
    g.assets.push_back(*index);
  }
}

void read_constraints(Fields& top, const std::vector<std::string>& assets, PortfolioConstraints& c) {
  const Index n = static_cast<Index>(assets.size());
  c.lower = Vector::Zero(n);
  c.upper = Vector::Ones(n);
  const Json* node = top.get("constraints");
  if (!node) return;
  Fields f(*node, "constraints", top.sink());
  f.only({"bounds", "budget", "groups", "grossLeverage", "linear", "defi"});
  if (const Json* b = f.get("bounds")) read_bounds(*b, n, c, f.sink());
  f.number("budget", c.budget);
  if (const Json* g = f.get("groups")) {
    if (!g->is_array()) {
      f.fail(Status::invalid_type, "constraints.groups", "expected an array of groups");
      return;
    }
    c.groups.resize(g->size());
    for (size_t k = 0; k < g->size() && f.ok(); ++k)
      read_group((*g)[k], indexed("constraints.groups", static_cast<Index>(k)), assets, c.groups[k], f.sink());
  }
  if (f.has("grossLeverage")) {
    double leverage = 0;
    f.positive("grossLeverage", leverage);
    c.gross_leverage = leverage;
  }
  if (f.ok()) read_general_rows(f, assets, c);  // constraints.linear and constraints.defi
}

void read_method_extras(std::string_view method, Fields& f, PortfolioRequest& r) {
  if (method == "frontier") f.integer("points", r.frontier_points, 2, 1000);
  if (method == "report") {
    f.required("weights");
    if (const Json* w = f.get("weights"))
      if (read_vector(*w, "weights", r.weights, f.sink()))
        keep_first(f, require_size(r.weights, static_cast<Index>(r.market.assets.size()), "weights"));
  }
  if (const Json* b = f.get("betaTo")) {
    if (!b->is_string()) {
      f.fail(Status::invalid_type, "betaTo", "expected an asset name");
      return;
    }
    r.beta_asset = find_asset(r.market.assets, b->get<std::string>());
    if (!r.beta_asset) f.fail(Status::unknown_value, "betaTo", "'" + b->get<std::string>() + "' is not in assets");
  }
}

// Given moments are used as they are, except that an indefinite covariance cannot define a
// convex problem: reject one that is clearly indefinite, and clip rounding-level negative
// eigenvalues (reported in psdRepair) so the solver's factorizations stay valid.
Result<Moments> moments_from_given(const Vector& expected_returns, const Matrix& covariance, bool correlation) {
  // read_market ran require_covariance on it already (validated once, at the boundary).
  Result<estimate::PsdMatrix> psd = estimate::nearest_psd(CheckedCovariance::assume_checked(covariance), "covariance");
  if (!psd.ok()) return Result<Moments>::failure(psd.error);
  const double scale = std::max(1e-300, covariance.diagonal().cwiseAbs().maxCoeff());
  if (psd.value.repair.min_eigenvalue_before < -1e-10 * scale)  // false for NaN: positive definite
    return Result<Moments>::failure(make_error(
        Status::invalid_value, "covariance",
        "covariance is not positive semidefinite (smallest eigenvalue " +
            std::to_string(psd.value.repair.min_eigenvalue_before) +
            "); estimate it from prices or returns, or repair it first"));
  Moments m;
  m.expected_returns = expected_returns;
  m.covariance = std::move(psd.value.matrix);
  if (correlation) m.correlation = estimate::correlation_from_covariance(m.covariance);
  m.volatilities = estimate::volatilities_from_covariance(m.covariance);
  m.repair = psd.value.repair;
  return Result<Moments>::success(std::move(m));
}

}  // namespace

Result<PortfolioRequest> read_request(std::string_view method, const Json& request,
                                      const std::vector<Blob>& blobs) {
  Error sink;
  PortfolioRequest r;
  Fields f(request, "", sink);
  if (method == "frontier")
    f.only({"assets", "prices", "returns", "covariance", "expectedReturns", "periodsPerYear", "estimator",
            "objective", "constraints", "betaTo", "points"});
  else if (method == "report")
    f.only({"assets", "prices", "returns", "covariance", "expectedReturns", "periodsPerYear", "estimator",
            "objective", "constraints", "betaTo", "weights"});
  else
    f.only({"assets", "prices", "returns", "covariance", "expectedReturns", "periodsPerYear", "estimator",
            "objective", "constraints", "betaTo"});
  f.required("assets");
  if (const Json* a = f.get("assets")) read_names(*a, "assets", r.market.assets, sink);
  f.positive("periodsPerYear", r.market.periods_per_year);
  r.market.estimator.periods_per_year = r.market.periods_per_year;
  read_estimator(f, r.market);
  if (f.ok()) read_market(f, blobs, r.market);
  read_objective(f, r.objective);
  if (f.ok()) read_constraints(f, r.market.assets, r.constraints);
  if (f.ok()) read_method_extras(method, f, r);
  if (!sink.ok()) return Result<PortfolioRequest>::failure(sink);
  return Result<PortfolioRequest>::success(std::move(r));
}

Result<Moments> resolve_moments(const MarketRequest& m, bool correlation) {
  if (m.kind == MarketKind::moments) return moments_from_given(m.expected_returns, m.covariance, correlation);
  if (m.kind == MarketKind::returns) return estimate::estimate_moments(m.series, m.estimator, "returns");
  Result<Matrix> returns = estimate::returns_from_prices(m.series, m.return_kind, "prices");
  if (!returns.ok()) return Result<Moments>::failure(returns.error);
  return estimate::estimate_moments(returns.value, m.estimator, "prices");
}

}  // namespace ballast::api
