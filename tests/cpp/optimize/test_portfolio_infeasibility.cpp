// Infeasible portfolios come back as Status::infeasible naming the constraints at fault
// (never numerical_error, never an Error).
#include <catch2/catch.hpp>

#include <random>

#include "ballast/optimize/allocation.hpp"
#include "ballast/optimize/frontier.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::optimize;

namespace {

bool names(const Allocation& a, const std::string& field) {
  for (const ConstraintRef& r : a.infeasible)
    if (r.field == field) return true;
  return false;
}

Allocation solve(const PortfolioConstraints& c, ObjectiveSettings o = {}, Index n = 5) {
  std::mt19937_64 rng(1);
  const Matrix S = test::random_covariance(rng, n);
  Vector mu = Vector::LinSpaced(n, 0.02, 0.10);
  auto r = optimize_portfolio(mu, S, c, o);
  REQUIRE(r.ok());
  return r.value;
}

}  // namespace

TEST_CASE("bounds that cannot reach the budget are infeasible: budget and bounds named", "[optimize][infeasible]") {
  // Reference: sum of upper bounds 0.5 < budget 1 (and sum of lower bounds 1.5 > 1).
  PortfolioConstraints c;
  c.lower = Vector::Zero(5);
  c.upper = Vector::Constant(5, 0.1);
  const Allocation a = solve(c);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "constraints.budget"));
  CHECK(names(a, "constraints.bounds"));
  c.lower = Vector::Constant(5, 0.3);
  c.upper = Vector::Ones(5);
  const Allocation b = solve(c);
  CHECK(b.status == Status::infeasible);
  CHECK(names(b, "constraints.budget"));
}

TEST_CASE("a group cap that conflicts with its members' bounds is named", "[optimize][infeasible]") {
  // Reference: group max 0.2 below its members' lower bounds 0.15 + 0.15.
  PortfolioConstraints c;
  c.lower = Vector::Zero(5);
  c.lower(0) = c.lower(1) = 0.15;
  c.upper = Vector::Ones(5);
  c.groups.push_back(Group{"majors", {0, 1}, -infinity, 0.2});
  const Allocation a = solve(c);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "constraints.groups[0].max"));
  CHECK(names(a, "constraints.bounds"));
}

TEST_CASE("a group minimum above what another group allows is found by phase 1", "[optimize][infeasible]") {
  // Reference: groups {0,1} >= 0.7 and {0,1,2} <= 0.6 contradict each other; no quick check
  // covers two groups, so the solver's Farkas certificate must name both.
  PortfolioConstraints c;
  c.groups.push_back(Group{"a", {0, 1}, 0.7, infinity});
  c.groups.push_back(Group{"b", {0, 1, 2}, -infinity, 0.6});
  const Allocation a = solve(c);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "constraints.groups[0].min"));
  CHECK(names(a, "constraints.groups[1].max"));
  CHECK_FALSE(a.message.empty());
}

TEST_CASE("a group minimum that the budget cannot fund is named with the budget", "[optimize][infeasible]") {
  // Reference: group min 0.8 while the other assets must hold at least 0.3.
  PortfolioConstraints c;
  c.lower = Vector::Zero(5);
  c.lower(3) = c.lower(4) = 0.15;
  c.upper = Vector::Ones(5);
  c.groups.push_back(Group{"core", {0, 1, 2}, 0.8, infinity});
  const Allocation a = solve(c);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "constraints.groups[0].min"));
  CHECK(names(a, "constraints.budget"));
}

TEST_CASE("a gross leverage cap below what the bounds force is named", "[optimize][infeasible]") {
  // Reference: every |w_i| >= 0.3 by the bounds, so sum |w| >= 1.5 > cap 1.2.
  PortfolioConstraints c;
  c.lower = Vector::Constant(5, -1.0);
  c.upper = Vector::Constant(5, 1.0);
  c.lower(0) = c.lower(1) = c.lower(2) = 0.3;
  c.upper(3) = c.upper(4) = -0.3;
  c.gross_leverage = 1.2;
  const Allocation a = solve(c);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "constraints.grossLeverage"));
}

TEST_CASE("a target return above the best attainable is infeasible naming objective.targetReturn", "[optimize][infeasible]") {
  // Reference: the highest return under long-only bounds is max(mu) = 0.10.
  ObjectiveSettings o;
  o.type = Objective::target_return;
  o.target_return = 0.15;
  const Allocation a = solve(PortfolioConstraints{}, o);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "objective.targetReturn"));
  CHECK(a.message.find("0.1") != std::string::npos);  // says what is attainable
}

TEST_CASE("a target volatility below the minimum is infeasible naming objective.targetVolatility", "[optimize][infeasible]") {
  // Reference: the min-variance portfolio's volatility is the floor.
  const Allocation mv = solve(PortfolioConstraints{});
  ObjectiveSettings o;
  o.type = Objective::target_volatility;
  o.target_volatility = 0.5 * mv.volatility;
  const Allocation a = solve(PortfolioConstraints{}, o);
  CHECK(a.status == Status::infeasible);
  CHECK(names(a, "objective.targetVolatility"));
}

TEST_CASE("infeasible constraints with every objective are infeasible, never numerical errors", "[optimize][infeasible]") {
  // Reference: the same two contradictory groups under each objective and the frontier.
  PortfolioConstraints c;
  c.groups.push_back(Group{"a", {0, 1}, 0.7, infinity});
  c.groups.push_back(Group{"b", {0, 1, 2}, -infinity, 0.6});
  for (Objective type : {Objective::min_variance, Objective::max_sharpe, Objective::max_utility,
                         Objective::target_return, Objective::target_volatility}) {
    ObjectiveSettings o;
    o.type = type;
    o.target_return = 0.05;
    o.target_volatility = 0.3;
    const Allocation a = solve(c, o);
    INFO(to_string(type));
    CHECK(a.status == Status::infeasible);
    CHECK(names(a, "constraints.groups[0].min"));
  }
  std::mt19937_64 rng(1);
  auto f = efficient_frontier(Vector::LinSpaced(5, 0.02, 0.1), test::random_covariance(rng, 5), c, 5);
  REQUIRE(f.ok());
  CHECK(f.value.status == Status::infeasible);
  CHECK_FALSE(f.value.infeasible.empty());
}
