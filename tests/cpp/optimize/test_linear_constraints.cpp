// constraints.linear: general rows min <= a'w <= max. References: the closed-form minimum
// variance on the line a'w = b (Lagrange: w = S^-1 [1 a] (M^-1 [1; b]) with M = [1 a]' S^-1
// [1 a]), feasibility of every row at the solution across objectives (max Sharpe goes
// through the homogenized problem), and infeasibility reasons that name the row.
#include <catch2/catch.hpp>

#include <cmath>

#include "ballast/optimize/allocation.hpp"

using namespace ballast;
using namespace ballast::optimize;

namespace {

Matrix covariance3() {
  Matrix S(3, 3);
  S << 0.04, 0.006, 0.01, 0.006, 0.09, 0.012, 0.01, 0.012, 0.16;
  return S;
}

}  // namespace

TEST_CASE("linear rows: min variance on a binding row matches the Lagrange closed form", "[optimize][linear]") {
  const Matrix S = covariance3();
  const Vector mu = Vector::Constant(3, 0.1);
  PortfolioConstraints c;
  c.lower = Vector::Constant(3, -10);
  c.upper = Vector::Constant(3, 10);
  LinearConstraint row;
  row.name = "tilt";
  row.coefficients = Vector(3);
  row.coefficients << 1, -1, 2;  // the unconstrained optimum has a'w ~ 0.93; require 1.5
  row.min = 1.5;
  c.linear = {row};
  ObjectiveSettings o;
  auto a = optimize_portfolio(mu, S, c, o);
  REQUIRE(a.ok());
  REQUIRE(a.value.status == Status::solved);
  Matrix A(3, 2);
  A.col(0).setOnes();
  A.col(1) = row.coefficients;
  const Matrix SiA = S.ldlt().solve(A);
  const Vector w = SiA * (A.transpose() * SiA).ldlt().solve(Vector((Vector(2) << 1, 1.5).finished()));
  CHECK((a.value.weights - w).cwiseAbs().maxCoeff() < 1e-10);
  CHECK(std::find(a.value.binding.begin(), a.value.binding.end(), "constraints.linear[0].min") != a.value.binding.end());
}

TEST_CASE("linear rows hold at the solution of every objective", "[optimize][linear]") {
  const Matrix S = covariance3();
  Vector mu(3);
  mu << 0.08, 0.12, 0.2;
  PortfolioConstraints c;
  LinearConstraint row;
  row.coefficients = Vector(3);
  row.coefficients << 0.3, 0.5, 1.0;
  row.max = 0.4;
  c.linear = {row};
  for (Objective type : {Objective::min_variance, Objective::max_sharpe, Objective::max_utility, Objective::target_return}) {
    ObjectiveSettings o;
    o.type = type;
    o.target_return = 0.09;  // reachable: the row caps the return near 0.10
    auto a = optimize_portfolio(mu, S, c, o);
    REQUIRE(a.ok());
    INFO("objective " << static_cast<int>(type));
    REQUIRE(a.value.status == Status::solved);
    CHECK(row.coefficients.dot(a.value.weights) <= 0.4 + 1e-9);
    CHECK(std::abs(a.value.weights.sum() - 1) < 1e-9);
  }
}

TEST_CASE("linear rows: infeasible rows are named, bad rows refused by field", "[optimize][linear]") {
  const Matrix S = covariance3();
  const Vector mu = Vector::Constant(3, 0.1);
  PortfolioConstraints c;
  LinearConstraint row;
  row.name = "needs 150% in asset 0";
  row.coefficients = Vector::Unit(3, 0);
  row.min = 1.5;
  c.linear = {row};
  auto a = optimize_portfolio(mu, S, c, ObjectiveSettings{});
  REQUIRE(a.ok());
  CHECK(a.value.status == Status::infeasible);
  bool named = false;
  for (const ConstraintRef& r : a.value.infeasible)
    named = named || (r.field == "constraints.linear[0].min" && r.message.find("needs 150%") != std::string::npos);
  CHECK(named);
  c.linear[0].coefficients = Vector::Ones(2);
  CHECK(optimize_portfolio(mu, S, c, ObjectiveSettings{}).error.field == "constraints.linear[0].coefficients");
  c.linear[0].coefficients = Vector::Ones(3);
  c.linear[0].max = 1.0;
  CHECK(optimize_portfolio(mu, S, c, ObjectiveSettings{}).error.field == "constraints.linear[0].min");
}
