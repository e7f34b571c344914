// Tier 1: invalid calls are Errors with the right status and field path.
#include <catch2/catch.hpp>

#include <limits>

#include "ballast/optimize/allocation.hpp"
#include "ballast/optimize/frontier.hpp"

using namespace ballast;
using namespace ballast::optimize;

namespace {

const Vector mu3 = (Vector(3) << 0.05, 0.07, 0.1).finished();
const Matrix S3 = Matrix::Identity(3, 3) * 0.04;

Error error_of(const Vector& mu, const Matrix& S, const PortfolioConstraints& c, ObjectiveSettings o = {}) {
  auto r = optimize_portfolio(mu, S, c, o);
  REQUIRE_FALSE(r.ok());
  return r.error;
}

}  // namespace

TEST_CASE("bad constraints name their field", "[optimize][input_contract]") {
  // Reference: the field paths documented in constraints.hpp.
  PortfolioConstraints c;
  c.lower = Vector::Zero(3);
  c.upper = Vector::Ones(3);
  c.lower(2) = 0.5;
  c.upper(2) = 0.4;
  Error e = error_of(mu3, S3, c);
  CHECK(e.code == Status::invalid_value);
  CHECK(e.field == "constraints.bounds[2]");

  PortfolioConstraints g;
  g.groups.push_back(Group{"x", {0}, 0.0, 1.0});
  g.groups.push_back(Group{"y", {1, 2}, 0.6, 0.3});
  e = error_of(mu3, S3, g);
  CHECK(e.code == Status::invalid_value);
  CHECK(e.field == "constraints.groups[1].min");

  PortfolioConstraints r;
  r.groups.push_back(Group{"x", {0, 7}, 0.0, 1.0});
  CHECK(error_of(mu3, S3, r).field == "constraints.groups[0].assets[1]");

  PortfolioConstraints l;
  l.gross_leverage = 0.5;
  CHECK(error_of(mu3, S3, l).field == "constraints.grossLeverage");
  l.gross_leverage = -1.0;
  CHECK(error_of(mu3, S3, l).field == "constraints.grossLeverage");

  PortfolioConstraints b;
  b.budget = std::numeric_limits<double>::quiet_NaN();
  e = error_of(mu3, S3, b);
  CHECK(e.code == Status::non_finite);
  CHECK(e.field == "constraints.budget");
}

TEST_CASE("bad market data names its field", "[optimize][input_contract]") {
  // Reference: the field paths of the request ("expectedReturns", "covariance").
  Error e = error_of(mu3, Matrix::Identity(3, 2), PortfolioConstraints{});
  CHECK(e.code == Status::invalid_shape);
  CHECK(e.field == "covariance");
  Vector bad = mu3;
  bad(1) = std::numeric_limits<double>::quiet_NaN();
  e = error_of(bad, S3, PortfolioConstraints{});
  CHECK(e.code == Status::non_finite);
  CHECK(e.field == "expectedReturns[1]");
  e = error_of(mu3, Matrix::Identity(4, 4), PortfolioConstraints{});
  CHECK(e.code == Status::invalid_shape);
}

TEST_CASE("bad objective settings and frontier sizes name their field", "[optimize][input_contract]") {
  // Reference: objectives.hpp and frontier.hpp.
  ObjectiveSettings o;
  o.type = Objective::target_return;  // target not given
  CHECK(error_of(mu3, S3, PortfolioConstraints{}, o).field == "objective.targetReturn");
  o.type = Objective::max_utility;
  o.risk_aversion = 0.0;
  CHECK(error_of(mu3, S3, PortfolioConstraints{}, o).field == "objective.riskAversion");
  o.type = Objective::target_volatility;
  o.target_volatility = -0.1;
  CHECK(error_of(mu3, S3, PortfolioConstraints{}, o).field == "objective.targetVolatility");
  auto f = efficient_frontier(mu3, S3, PortfolioConstraints{}, 1);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error.code == Status::invalid_value);
  CHECK(f.error.field == "points");
}

TEST_CASE("an unbounded expected return is refused, not a hang", "[optimize][input_contract]") {
  // Reference: with no bounds and no leverage cap, mu'w has no maximum when returns differ.
  PortfolioConstraints c;
  c.lower = Vector::Constant(3, -infinity);
  c.upper = Vector::Constant(3, infinity);
  auto f = efficient_frontier(mu3, S3, c, 3);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error.field == "constraints.bounds");
}
