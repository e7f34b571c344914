// The efficient frontier's shape and its warm starts.
#include <catch2/catch.hpp>

#include <random>

#include "ballast/optimize/frontier.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::optimize;

TEST_CASE("frontier: monotone, from min variance to max return, warm = cold", "[optimize][frontier]") {
  // References: the min-variance solve (first point), the best single asset under the bounds
  // (last point's return), and independent cold target-return solves (each point).
  std::mt19937_64 rng(77);
  const Index n = 40;
  const Matrix S = test::random_covariance(rng, n, 0.01, 0.3);
  std::normal_distribution<double> normal(0.08, 0.05);
  Vector mu(n);
  for (Index i = 0; i < n; ++i) mu(i) = normal(rng);
  PortfolioConstraints c;
  c.upper = Vector::Constant(n, 0.3);
  c.groups.push_back(Group{"g", {0, 1, 2, 3, 4}, 0.05, 0.4});
  const int K = 20;
  auto f = efficient_frontier(mu, S, c, K);
  REQUIRE(f.ok());
  REQUIRE(f.value.status == Status::solved);
  const auto& p = f.value.points;
  REQUIRE(p.size() == static_cast<size_t>(K));

  auto mv = optimize_portfolio(mu, S, c, {});
  REQUIRE(mv.ok());
  CHECK((p.front().weights - mv.value.weights).cwiseAbs().maxCoeff() <= 1e-10);

  // Max return under upper 0.3: fill the best assets, respecting the group.
  for (size_t k = 1; k < p.size(); ++k) {
    CHECK(p[k].expected_return > p[k - 1].expected_return);
    CHECK(p[k].volatility >= p[k - 1].volatility - 1e-12);
  }
  for (const FrontierPoint& point : p) {
    ObjectiveSettings o;
    o.type = Objective::target_return;
    o.target_return = point.expected_return;
    auto cold = optimize_portfolio(mu, S, c, o);
    REQUIRE(cold.ok());
    CHECK((cold.value.weights - point.weights).cwiseAbs().maxCoeff() <= 1e-8);
  }
  ObjectiveSettings top;
  top.type = Objective::target_return;
  top.target_return = p.back().expected_return + 1e-6;
  auto beyond = optimize_portfolio(mu, S, c, top);
  REQUIRE(beyond.ok());
  CHECK(beyond.value.status == Status::infeasible);  // the last point is the max return
}

TEST_CASE("frontier with long-short leverage and with equal returns", "[optimize][frontier]") {
  // Reference: leverage and budget definitions; equal returns collapse the frontier to a point.
  std::mt19937_64 rng(5);
  const Index n = 12;
  const Matrix S = test::random_covariance(rng, n);
  Vector mu = Vector::LinSpaced(n, -0.05, 0.2);
  PortfolioConstraints c;
  c.lower = Vector::Constant(n, -0.4);
  c.upper = Vector::Constant(n, 0.6);
  c.gross_leverage = 1.6;
  auto f = efficient_frontier(mu, S, c, 10);
  REQUIRE(f.ok());
  REQUIRE(f.value.status == Status::solved);
  for (const FrontierPoint& p : f.value.points) {
    CHECK(p.weights.sum() == Approx(1.0).margin(1e-10));
    CHECK(p.weights.cwiseAbs().sum() <= 1.6 + 1e-9);
  }
  auto flat = efficient_frontier(Vector::Constant(n, 0.05), S, PortfolioConstraints{}, 4);
  REQUIRE(flat.ok());
  CHECK(flat.value.status == Status::solved);
  CHECK(flat.value.points.back().volatility == Approx(flat.value.points.front().volatility).epsilon(1e-9));
}
