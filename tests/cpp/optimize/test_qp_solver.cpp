// The dense active-set QP solver on its own: KKT residuals on random problems, closed forms,
// degenerate problems, warm starts and infeasibility certificates.
#include <catch2/catch.hpp>

#include <random>

#include "ballast/optimize/qp_solver.hpp"
#include "kkt_check.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::optimize;

namespace {

// A random QP with a known feasible point x0: bounds and rows are placed around x0, some sides
// infinite, so the problem is feasible by construction.
QpProblem random_qp(std::mt19937_64& rng, Index n, Index rank, Index m_eq, Index m_in) {
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  QpProblem qp;
  if (rank >= n) {
    qp.P = test::random_covariance(rng, n);
  } else {
    Matrix B(n, rank);
    for (Index i = 0; i < n; ++i)
      for (Index j = 0; j < rank; ++j) B(i, j) = normal(rng) / std::sqrt(double(n));
    qp.P = B * B.transpose();
  }
  qp.q.resize(n);
  for (Index i = 0; i < n; ++i) qp.q(i) = 0.3 * normal(rng);
  Vector x0(n);
  for (Index i = 0; i < n; ++i) x0(i) = normal(rng) * 0.3;
  qp.lb.resize(n);
  qp.ub.resize(n);
  for (Index i = 0; i < n; ++i) {
    const double u = unit(rng);
    qp.lb(i) = u < 0.1 ? -infinity : x0(i) - 0.5 * unit(rng);
    qp.ub(i) = u > 0.9 && rank >= n ? infinity : x0(i) + 0.5 * unit(rng);  // keep singular P bounded
    if (u > 0.45 && u < 0.5) qp.lb(i) = qp.ub(i) = x0(i);  // a few fixed variables
  }
  qp.A_eq.resize(m_eq, n);
  for (Index i = 0; i < m_eq; ++i)
    for (Index j = 0; j < n; ++j) qp.A_eq(i, j) = i == 0 ? 1.0 : normal(rng);
  qp.b_eq = qp.A_eq * x0;
  qp.A_ineq.resize(m_in, n);
  for (Index i = 0; i < m_in; ++i)
    for (Index j = 0; j < n; ++j) qp.A_ineq(i, j) = unit(rng) < 0.5 ? normal(rng) : 0.0;
  const Vector ax = qp.A_ineq * x0;
  qp.l_ineq.resize(m_in);
  qp.u_ineq.resize(m_in);
  for (Index i = 0; i < m_in; ++i) {
    const double u = unit(rng);
    qp.l_ineq(i) = u < 0.3 ? -infinity : ax(i) - 0.2 * unit(rng);
    qp.u_ineq(i) = u > 0.7 ? infinity : ax(i) + 0.2 * unit(rng);
  }
  return qp;
}

QpProblem long_only_min_variance(const Matrix& covariance) {
  const Index n = covariance.rows();
  QpProblem qp;
  qp.P = covariance;
  qp.q = Vector::Zero(n);
  qp.A_eq = Matrix::Ones(1, n);
  qp.b_eq = Vector::Ones(1);
  qp.lb = Vector::Zero(n);
  qp.ub = Vector::Ones(n);
  return qp;
}

}  // namespace

TEST_CASE("KKT residuals <= 1e-9 on random strictly convex QPs", "[optimize][qp_solver]") {
  // Reference: the KKT conditions, measured in the test from x and the multipliers alone.
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<int> size(2, 40), rows(0, 4);
  for (int trial = 0; trial < 200; ++trial) {
    const Index n = size(rng);
    QpProblem qp = random_qp(rng, n, n, 1 + rows(rng) % 2, rows(rng));
    auto r = solve_qp(qp);
    REQUIRE(r.ok());
    INFO("trial " << trial << " n " << n << " " << r.value.message);
    REQUIRE(r.value.status == Status::solved);
    const test::Kkt k = test::kkt_residuals(qp, r.value.solution);
    CHECK(k.worst() <= 1e-9);
  }
}

TEST_CASE("KKT residuals <= 1e-9 on random QPs with singular P and on LPs", "[optimize][qp_solver]") {
  // Reference: KKT conditions measured in the test. Singular P (rank < n) and P = 0 exercise
  // the proximal loop; all bounds are finite so the problems are bounded.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> size(2, 30), rows(0, 3);
  for (int trial = 0; trial < 150; ++trial) {
    const Index n = size(rng);
    const Index rank = trial % 3 == 0 ? 0 : std::max<Index>(1, n / 3);
    QpProblem qp = random_qp(rng, n, rank, 1, rows(rng));
    for (Index i = 0; i < n; ++i)  // bounded feasible set
      if (std::isinf(qp.lb(i))) qp.lb(i) = -2.0;
    if (rank == 0) qp.P.setZero();
    auto r = solve_qp(qp);
    REQUIRE(r.ok());
    INFO("trial " << trial << " n " << n << " rank " << rank << " " << r.value.message);
    REQUIRE(r.value.status == Status::solved);
    CHECK(test::kkt_residuals(qp, r.value.solution).worst() <= 1e-9);
  }
}

TEST_CASE("long-short split formulation (singular P) meets KKT <= 1e-9", "[optimize][qp_solver]") {
  // Reference: KKT conditions. w = w+ - w-, P = [S -S; -S S], sum(w+ + w-) <= L.
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 60; ++trial) {
    const Index n = 3 + trial % 25;
    const Matrix S = test::random_covariance(rng, n);
    QpProblem qp;
    qp.P.resize(2 * n, 2 * n);
    qp.P << S, -S, -S, S;
    std::normal_distribution<double> normal;
    Vector mu(n);
    for (Index i = 0; i < n; ++i) mu(i) = 0.1 * normal(rng);
    qp.q.resize(2 * n);
    qp.q << -mu, mu;
    qp.A_eq.resize(1, 2 * n);
    qp.A_eq << Eigen::RowVectorXd::Ones(n), -Eigen::RowVectorXd::Ones(n);
    qp.b_eq = Vector::Ones(1);
    qp.A_ineq = Matrix::Ones(1, 2 * n);
    qp.l_ineq = Vector::Constant(1, -infinity);
    qp.u_ineq = Vector::Constant(1, 1.3 + 0.1 * (trial % 5));
    qp.lb = Vector::Zero(2 * n);
    qp.ub = Vector::Constant(2 * n, 0.6);
    auto r = solve_qp(qp);
    REQUIRE(r.ok());
    REQUIRE(r.value.status == Status::solved);
    CHECK(test::kkt_residuals(qp, r.value.solution).worst() <= 1e-9);
  }
}

TEST_CASE("unconstrained-bounds minimum variance equals S^-1 1 / (1'S^-1 1)", "[optimize][qp_solver]") {
  // Reference: the closed form of the equality-constrained minimum-variance portfolio.
  std::mt19937_64 rng(5);
  for (Index n : {Index(20), Index(200)}) {
    const Matrix S = test::random_covariance(rng, n);
    QpProblem qp = long_only_min_variance(S);
    qp.lb = Vector::Constant(n, -infinity);
    qp.ub = Vector::Constant(n, infinity);
    auto r = solve_qp(qp);
    REQUIRE(r.ok());
    REQUIRE(r.value.status == Status::solved);
    Eigen::LLT<Matrix> llt(S);
    REQUIRE(llt.info() == Eigen::Success);
    const Vector s1 = llt.solve(Vector::Ones(n));
    const Vector expected = s1 / s1.sum();
    CHECK((r.value.solution.x - expected).cwiseAbs().maxCoeff() <= 1e-10);
  }
}

TEST_CASE("duplicate assets (singular covariance) still solve", "[optimize][qp_solver]") {
  // Reference: KKT conditions, and the closed-form variance of the de-duplicated problem.
  std::mt19937_64 rng(11);
  const Index n = 8;
  const Matrix S0 = test::random_covariance(rng, n);
  Matrix S(n + 2, n + 2);  // assets 8 and 9 copy assets 0 and 1
  std::vector<Index> map{0, 1, 2, 3, 4, 5, 6, 7, 0, 1};
  for (Index i = 0; i < n + 2; ++i)
    for (Index j = 0; j < n + 2; ++j) S(i, j) = S0(map[i], map[j]);
  QpProblem qp = long_only_min_variance(S);
  auto r = solve_qp(qp);
  REQUIRE(r.ok());
  REQUIRE(r.value.status == Status::solved);
  CHECK(test::kkt_residuals(qp, r.value.solution).worst() <= 1e-9);
  auto reference = solve_qp(long_only_min_variance(S0));
  REQUIRE(reference.ok());
  CHECK(r.value.info.objective == Approx(reference.value.info.objective).epsilon(1e-10));
}

TEST_CASE("an LP (P = 0) picks the best vertex", "[optimize][qp_solver]") {
  // Reference: max mu'w over the simplex is the single best asset.
  const Index n = 6;
  Vector mu(n);
  mu << 0.05, 0.12, 0.07, 0.11, 0.02, 0.09;
  QpProblem qp = long_only_min_variance(Matrix::Zero(n, n));
  qp.q = -mu;
  auto r = solve_qp(qp);
  REQUIRE(r.ok());
  REQUIRE(r.value.status == Status::solved);
  Vector expected = Vector::Zero(n);
  expected(1) = 1.0;
  CHECK((r.value.solution.x - expected).cwiseAbs().maxCoeff() <= 1e-12);
  CHECK(test::kkt_residuals(qp, r.value.solution).worst() <= 1e-9);
}

TEST_CASE("warm start from a working set or a point gives the cold-start answer", "[optimize][qp_solver]") {
  // Reference: the cold-start solution of the same problem.
  std::mt19937_64 rng(3);
  const Matrix S = test::random_covariance(rng, 30);
  QpProblem qp = long_only_min_variance(S);
  auto cold = solve_qp(qp);
  REQUIRE(cold.ok());
  QpWarmStart by_set;
  by_set.working_set = cold.value.solution.working_set;
  auto warm = solve_qp(qp, {}, by_set);
  REQUIRE(warm.ok());
  CHECK(warm.value.status == Status::solved);
  CHECK(warm.value.info.phase1_iterations == 0);
  CHECK((warm.value.solution.x - cold.value.solution.x).cwiseAbs().maxCoeff() <= 1e-12);
  QpWarmStart by_point;
  by_point.x = Vector::Constant(30, 1.0 / 30);
  auto from_point = solve_qp(qp, {}, by_point);
  REQUIRE(from_point.ok());
  CHECK(from_point.value.info.phase1_iterations == 0);
  CHECK((from_point.value.solution.x - cold.value.solution.x).cwiseAbs().maxCoeff() <= 1e-10);
}

TEST_CASE("infeasible QPs return the conflicting constraints", "[optimize][qp_solver]") {
  // Reference: hand-built contradictions; the certificate must name exactly them.
  const Index n = 4;
  QpProblem qp = long_only_min_variance(Matrix::Identity(n, n));
  qp.ub = Vector::Constant(n, 0.2);  // sum w <= 0.8 < 1
  auto r = solve_qp(qp);
  REQUIRE(r.ok());
  REQUIRE(r.value.status == Status::infeasible);
  bool budget = false;
  int uppers = 0;
  for (const QpConflict& c : r.value.conflicts) {
    if (c.set == ConstraintSet::equality && c.index == 0 && c.side == BoundState::lower) budget = true;
    if (c.set == ConstraintSet::bound && c.side == BoundState::upper) ++uppers;
  }
  CHECK(budget);
  CHECK(uppers == n);

  // A row that contradicts the budget: w0 + w1 >= 0.7 and w2 + w3 >= 0.5 with sum w = 1.
  QpProblem rows = long_only_min_variance(Matrix::Identity(n, n));
  rows.A_ineq.resize(2, n);
  rows.A_ineq << 1, 1, 0, 0, 0, 0, 1, 1;
  rows.l_ineq = Vector::Constant(2, 0.0);
  rows.l_ineq << 0.7, 0.5;
  rows.u_ineq = Vector::Constant(2, infinity);
  auto s = solve_qp(rows);
  REQUIRE(s.ok());
  REQUIRE(s.value.status == Status::infeasible);
  int named_rows = 0;
  for (const QpConflict& c : s.value.conflicts)
    if (c.set == ConstraintSet::inequality && c.side == BoundState::lower) ++named_rows;
  CHECK(named_rows == 2);
}

TEST_CASE("N = 500 long-only minimum variance finishes", "[optimize][qp_solver]") {
  // Reference: KKT conditions (no timing assertion; see the bench for speed).
  std::mt19937_64 rng(500);
  const Matrix S = test::random_covariance(rng, 500);
  QpProblem qp = long_only_min_variance(S);
  auto r = solve_qp(qp);
  REQUIRE(r.ok());
  CHECK(r.value.status == Status::solved);
  CHECK(test::kkt_residuals(qp, r.value.solution).worst() <= 1e-9);
}

TEST_CASE("invalid QP input is an Error naming the field", "[optimize][qp_solver]") {
  // Reference: the input contract in qp_solver.hpp.
  QpProblem qp = long_only_min_variance(Matrix::Identity(3, 3));
  qp.lb(1) = 2.0;
  auto r = solve_qp(qp);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error.code == Status::invalid_value);
  CHECK(r.error.field == "qp.lb[1]");
  QpProblem shape = long_only_min_variance(Matrix::Identity(3, 3));
  shape.P = Matrix::Identity(3, 2);
  auto s = solve_qp(shape);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error.field == "qp.P");
  QpSettings settings;
  settings.max_iterations = 0;
  auto t = solve_qp(long_only_min_variance(Matrix::Identity(3, 3)), settings);
  REQUIRE_FALSE(t.ok());
  CHECK(t.error.field == "solver.maxIterations");
}
