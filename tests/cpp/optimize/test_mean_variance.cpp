// optimize_portfolio's objectives against closed forms and optimality properties.
#include <catch2/catch.hpp>

#include <random>

#include "ballast/optimize/allocation.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::optimize;

namespace {

PortfolioConstraints unbounded(Index n) {
  PortfolioConstraints c;
  c.lower = Vector::Constant(n, -infinity);
  c.upper = Vector::Constant(n, infinity);
  return c;
}

Vector random_returns(std::mt19937_64& rng, Index n, double mean = 0.08) {
  std::normal_distribution<double> normal(mean, 0.05);
  Vector mu(n);
  for (Index i = 0; i < n; ++i) mu(i) = normal(rng);
  return mu;
}

Allocation solve(const Vector& mu, const Matrix& S, const PortfolioConstraints& c, ObjectiveSettings o) {
  auto r = optimize_portfolio(mu, S, c, o);
  REQUIRE(r.ok());
  return r.value;
}

double sharpe(const Vector& w, const Vector& mu, const Matrix& S, double rf) {
  return (mu.dot(w) - rf * w.sum()) / std::sqrt(w.dot(S * w));
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("two-asset minimum variance matches the closed form", "[optimize][mean_variance]") {
  // Reference: w1 = (s2^2 - s12) / (s1^2 + s2^2 - 2 s12) for an unconstrained two-asset portfolio.
  const double s1 = 0.3, s2 = 0.2, rho = 0.4, s12 = rho * s1 * s2;
  Matrix S(2, 2);
  S << s1 * s1, s12, s12, s2 * s2;
  const Allocation a = solve(Vector::Constant(2, 0.1), S, unbounded(2), {});
  REQUIRE(a.status == Status::solved);
  const double w1 = (s2 * s2 - s12) / (s1 * s1 + s2 * s2 - 2 * s12);
  CHECK(a.weights(0) == Approx(w1).margin(1e-12));
  CHECK(a.weights(1) == Approx(1 - w1).margin(1e-12));
}

TEST_CASE("unconstrained minimum variance equals S^-1 1 / 1'S^-1 1 (N = 20, 200)", "[optimize][mean_variance]") {
  // Reference: closed form of the budget-only minimum-variance portfolio.
  std::mt19937_64 rng(42);
  for (Index n : {Index(20), Index(200)}) {
    const Matrix S = test::random_covariance(rng, n);
    const Allocation a = solve(random_returns(rng, n), S, unbounded(n), {});
    REQUIRE(a.status == Status::solved);
    Eigen::LLT<Matrix> llt(S);
    REQUIRE(llt.info() == Eigen::Success);
    const Vector s1 = llt.solve(Vector::Ones(n));
    CHECK((a.weights - s1 / s1.sum()).cwiseAbs().maxCoeff() <= 1e-10);
  }
}

TEST_CASE("unconstrained max Sharpe equals S^-1 (mu - rf) normalized", "[optimize][max_sharpe]") {
  // Reference: the tangency portfolio's closed form (budget 1, no bounds).
  std::mt19937_64 rng(8);
  const Index n = 15;
  const Matrix S = test::random_covariance(rng, n, 0.01, 0.2);
  const Vector mu = random_returns(rng, n, 0.12);
  const double rf = 0.02;
  ObjectiveSettings o;
  o.type = Objective::max_sharpe;
  o.risk_free_rate = rf;
  const Allocation a = solve(mu, S, unbounded(n), o);
  REQUIRE(a.status == Status::solved);
  Eigen::LLT<Matrix> llt(S);
  REQUIRE(llt.info() == Eigen::Success);
  const Vector t = llt.solve((mu.array() - rf).matrix());
  REQUIRE(t.sum() > 0);  // the normalized tangency portfolio is a long budget
  CHECK((a.weights - t / t.sum()).cwiseAbs().maxCoeff() <= 1e-8);
}

TEST_CASE("constrained max Sharpe is a tangency point: no feasible perturbation improves it", "[optimize][max_sharpe]") {
  // Reference: optimality by perturbation. Moving weight between two assets keeps the budget;
  // every small feasible move must not raise the Sharpe ratio.
  std::mt19937_64 rng(21);
  const Index n = 12;
  const Matrix S = test::random_covariance(rng, n, 0.01, 0.2);
  const Vector mu = random_returns(rng, n, 0.1);
  PortfolioConstraints c;
  c.upper = Vector::Constant(n, 0.25);
  c.groups.push_back(Group{"first", {0, 1, 2, 3}, 0.1, 0.5});
  ObjectiveSettings o;
  o.type = Objective::max_sharpe;
  o.risk_free_rate = 0.01;
  const Allocation a = solve(mu, S, c, o);
  REQUIRE(a.status == Status::solved);
  const Vector& w = a.weights;
  CHECK(w.sum() == Approx(1.0).margin(1e-12));
  CHECK(w.minCoeff() >= -1e-12);
  CHECK(w.maxCoeff() <= 0.25 + 1e-12);
  const double best = sharpe(w, mu, S, 0.01);
  const double h = 1e-4;
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) {
      if (i == j) continue;
      Vector v = w;
      v(i) += h;
      v(j) -= h;
      const double g = v(0) + v(1) + v(2) + v(3);
      if (v.minCoeff() < 0 || v.maxCoeff() > 0.25 || g < 0.1 || g > 0.5) continue;
      CHECK(sharpe(v, mu, S, 0.01) <= best + 1e-12);
    }
}

TEST_CASE("max Sharpe with every return below the risk-free rate falls back to min variance", "[optimize][max_sharpe]") {
  // Reference: the min-variance solve of the same problem; the fallback must be recorded.
  std::mt19937_64 rng(4);
  const Index n = 6;
  const Matrix S = test::random_covariance(rng, n);
  Vector mu(n);
  mu << -0.2, -0.1, 0.01, 0.02, -0.05, 0.0;
  ObjectiveSettings o;
  o.type = Objective::max_sharpe;
  o.risk_free_rate = 0.05;
  const Allocation a = solve(mu, S, PortfolioConstraints{}, o);
  REQUIRE(a.status == Status::solved);
  REQUIRE(a.fallback.has_value());
  CHECK(a.fallback->from == Objective::max_sharpe);
  CHECK(a.fallback->to == Objective::min_variance);
  CHECK_FALSE(a.fallback->reason.empty());
  const Allocation mv = solve(mu, S, PortfolioConstraints{}, {});
  CHECK((a.weights - mv.weights).cwiseAbs().maxCoeff() <= 1e-12);
}

TEST_CASE("max utility matches S^-1 (mu - nu 1) / gamma when unconstrained", "[optimize][mean_variance]") {
  // Reference: closed form w = S^-1 (mu - nu 1)/gamma with nu chosen so that 1'w = 1.
  std::mt19937_64 rng(17);
  const Index n = 25;
  const Matrix S = test::random_covariance(rng, n);
  const Vector mu = random_returns(rng, n);
  ObjectiveSettings o;
  o.type = Objective::max_utility;
  o.risk_aversion = 3.0;
  const Allocation a = solve(mu, S, unbounded(n), o);
  REQUIRE(a.status == Status::solved);
  Eigen::LLT<Matrix> llt(S);
  REQUIRE(llt.info() == Eigen::Success);
  const Vector s_mu = llt.solve(mu), s_one = llt.solve(Vector::Ones(n));
  const double nu = (s_mu.sum() - o.risk_aversion) / s_one.sum();
  const Vector expected = (s_mu - nu * s_one) / o.risk_aversion;
  CHECK((a.weights - expected).cwiseAbs().maxCoeff() <= 1e-9);
}

TEST_CASE("target return hits the target and target volatility hits its volatility", "[optimize][mean_variance]") {
  // Reference: the targets themselves (return to 1e-10, volatility to 1e-9 relative), and the
  // min-variance / max-return ends for the expected ordering.
  std::mt19937_64 rng(9);
  const Index n = 30;
  const Matrix S = test::random_covariance(rng, n, 0.01, 0.3);
  const Vector mu = random_returns(rng, n);
  PortfolioConstraints c;
  c.upper = Vector::Constant(n, 0.2);
  const Allocation mv = solve(mu, S, c, {});
  REQUIRE(mv.status == Status::solved);

  ObjectiveSettings tr;
  tr.type = Objective::target_return;
  tr.target_return = mv.expected_return + 0.02;
  const Allocation at = solve(mu, S, c, tr);
  REQUIRE(at.status == Status::solved);
  CHECK(at.expected_return == Approx(tr.target_return).margin(1e-10));
  CHECK(contains(at.binding, "objective.targetReturn"));
  CHECK(at.volatility >= mv.volatility);

  ObjectiveSettings tv;
  tv.type = Objective::target_volatility;
  tv.target_volatility = mv.volatility * 1.3;
  const Allocation av = solve(mu, S, c, tv);
  REQUIRE(av.status == Status::solved);
  CHECK(std::abs(av.volatility - tv.target_volatility) <= 1e-9 * tv.target_volatility);
  CHECK(av.expected_return > mv.expected_return);
  // It is the best return at that risk: the target-return solve at its return is no less risky.
  ObjectiveSettings back;
  back.type = Objective::target_return;
  back.target_return = av.expected_return;
  const Allocation check = solve(mu, S, c, back);
  CHECK(check.volatility == Approx(av.volatility).epsilon(1e-8));
}

TEST_CASE("long-short with a gross leverage cap respects bounds, budget and leverage", "[optimize][mean_variance]") {
  // Reference: the constraint definitions; and a loose cap must give the uncapped answer.
  std::mt19937_64 rng(31);
  const Index n = 20;
  const Matrix S = test::random_covariance(rng, n);
  const Vector mu = random_returns(rng, n);
  PortfolioConstraints c;
  c.lower = Vector::Constant(n, -0.5);
  c.upper = Vector::Constant(n, 0.5);
  c.gross_leverage = 1.5;
  ObjectiveSettings o;
  o.type = Objective::max_utility;
  o.risk_aversion = 2.0;
  const Allocation a = solve(mu, S, c, o);
  REQUIRE(a.status == Status::solved);
  CHECK(a.weights.sum() == Approx(1.0).margin(1e-10));
  CHECK(a.weights.cwiseAbs().sum() <= 1.5 + 1e-10);
  CHECK(a.weights.minCoeff() >= -0.5 - 1e-12);
  c.gross_leverage = 100.0;
  const Allocation loose = solve(mu, S, c, o);
  PortfolioConstraints no_cap = c;
  no_cap.gross_leverage.reset();
  const Allocation free = solve(mu, S, no_cap, o);
  CHECK((loose.weights - free.weights).cwiseAbs().maxCoeff() <= 1e-9);
}

TEST_CASE("degenerate inputs still solve: duplicated assets and equal returns", "[optimize][mean_variance]") {
  // Reference: a duplicated asset cannot lower the minimum variance of the original universe.
  std::mt19937_64 rng(12);
  const Index n = 5;
  const Matrix S0 = test::random_covariance(rng, n);
  Matrix S(n + 1, n + 1);
  for (Index i = 0; i <= n; ++i)
    for (Index j = 0; j <= n; ++j) S(i, j) = S0(i % n, j % n);  // asset 5 duplicates asset 0
  const Allocation dup = solve(Vector::Constant(n + 1, 0.05), S, PortfolioConstraints{}, {});
  const Allocation base = solve(Vector::Constant(n, 0.05), S0, PortfolioConstraints{}, {});
  REQUIRE(dup.status == Status::solved);
  CHECK(dup.volatility == Approx(base.volatility).epsilon(1e-9));
  ObjectiveSettings o;
  o.type = Objective::max_sharpe;
  const Allocation sh = solve(Vector::Constant(n + 1, 0.05), S, PortfolioConstraints{}, o);
  CHECK(sh.status == Status::solved);  // equal returns: Sharpe is max where variance is min
  CHECK(sh.volatility == Approx(base.volatility).epsilon(1e-8));
}
