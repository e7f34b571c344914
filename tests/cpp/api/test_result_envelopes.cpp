// The streamed result envelopes (json_writer) against the nlohmann trees they replace on the
// hot path. Reference: nlohmann's own dump() of allocation_json / frontier_json, which is what
// dispatch() returned before; the two must be byte-identical, so every number a user reads
// is unchanged.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "ballast/api/dispatch.hpp"
#include "ballast/api/json_io.hpp"
#include "ballast/optimize/allocation.hpp"
#include "ballast/optimize/frontier.hpp"
#include "ballast/risk/portfolio_report.hpp"

using namespace ballast;
using namespace ballast::api;

namespace {

std::string tree_envelope(Json result) {
  Json envelope = {{"ok", true}, {"result", std::move(result)}};
  return envelope.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Matrix covariance(Index n) {
  Matrix b(n, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) b(i, j) = std::sin(1.0 + 3.0 * i + 7.0 * j) + (i == j ? 2.0 : 0.0);
  return 0.01 * b * b.transpose() / static_cast<double>(n);
}

Vector returns(Index n) {
  Vector mu(n);
  for (Index i = 0; i < n; ++i) mu(i) = 0.02 + 0.01 * std::cos(2.0 * i);
  return mu;
}

}  // namespace

TEST_CASE("allocation envelope is byte-identical to the nlohmann tree", "[api][envelope]") {
  const Index n = 12;
  const Matrix S = covariance(n);
  const Vector mu = returns(n);
  // Names that need escaping or are not ASCII go through nlohmann's string serializer.
  std::vector<std::string> assets;
  for (Index i = 0; i < n; ++i) assets.push_back("A" + std::to_string(i));
  assets[3] = "quote\"back\\slash";
  assets[4] = "\xc3\xa9th\xe2\x82\xac";   // UTF-8
  assets[5] = "bad\xff utf8\n";           // invalid UTF-8 and a control character
  for (auto type : {optimize::Objective::min_variance, optimize::Objective::max_sharpe,
                    optimize::Objective::max_utility}) {
    optimize::ObjectiveSettings o;
    o.type = type;
    o.risk_free_rate = type == optimize::Objective::max_sharpe ? 1.0 : 0.0;  // forces the fallback
    optimize::PortfolioConstraints c;
    c.groups.push_back(optimize::Group{"g", {0, 1, 2}, 0.1, 0.3});
    auto a = optimize::optimize_portfolio(mu, S, c, o);
    REQUIRE(a.ok());
    auto report = risk::portfolio_report(a.value.weights, mu, S, 0.01, Index{2});
    REQUIRE(report.ok());
    for (bool beta : {false, true}) {
      CHECK(allocation_envelope(assets, a.value, &report.value, beta) ==
            tree_envelope(allocation_json(assets, a.value, &report.value, beta)));
      CHECK(allocation_envelope(assets, a.value, nullptr, beta) ==
            tree_envelope(allocation_json(assets, a.value, nullptr, beta)));
    }
  }
  // Infeasible: named conflicts, no weights.
  optimize::PortfolioConstraints tight;
  tight.upper = Vector::Constant(n, 0.05);
  auto infeasible = optimize::optimize_portfolio(mu, S, tight, {});
  REQUIRE(infeasible.ok());
  REQUIRE(infeasible.value.status == Status::infeasible);
  CHECK(allocation_envelope(assets, infeasible.value, nullptr, false) ==
        tree_envelope(allocation_json(assets, infeasible.value, nullptr, false)));
  // A riskless report (zero covariance): sharpe and diversification ratio print null.
  const Matrix zero = Matrix::Zero(n, n);
  auto flat = risk::portfolio_report(Vector::Constant(n, 1.0 / n), mu, zero, 0.0, std::nullopt);
  REQUIRE(flat.ok());
  CHECK(allocation_envelope(assets, infeasible.value, &flat.value, true) ==
        tree_envelope(allocation_json(assets, infeasible.value, &flat.value, true)));
}

TEST_CASE("frontier envelope is byte-identical to the nlohmann tree", "[api][envelope]") {
  const Index n = 15;
  const Matrix S = covariance(n);
  const Vector mu = returns(n);
  std::vector<std::string> assets;
  for (Index i = 0; i < n; ++i) assets.push_back("asset-" + std::to_string(i));
  auto f = optimize::efficient_frontier(mu, S, {}, 9);
  REQUIRE(f.ok());
  REQUIRE(f.value.points.size() == 9);
  CHECK(frontier_envelope(assets, f.value) == tree_envelope(frontier_json(assets, f.value)));
}

TEST_CASE("an indefinite given covariance is refused by optimize and frontier", "[api][psd]") {
  // Reference: eigenvalues of [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]] are 1.9, 1.9 and
  // -0.8 (no three assets can have those correlations), so no convex problem exists.
  const std::string request =
      R"({"assets":["a","b","c"],"covariance":[[1,0.9,0.9],[0.9,1,-0.9],[0.9,-0.9,1]],)"
      R"("expectedReturns":[0.1,0.2,0.3]})";
  for (const char* method : {"optimize", "frontier"}) {
    const Json out = Json::parse(dispatch(method, request, {}));
    INFO(method << ": " << out.dump());
    REQUIRE(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-value");
    CHECK(out["error"]["field"] == "covariance");
    CHECK(out["error"]["message"].get<std::string>().find("not positive semidefinite") != std::string::npos);
  }
}
