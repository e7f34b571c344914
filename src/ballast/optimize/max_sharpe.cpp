// Max Sharpe by homogenization (Cornuejols & Tutuncu, "Optimization Methods in Finance", 8.2):
// with y = kappa w, kappa >= 0, maximizing (mu'w - rf b)/sqrt(w'Sigma w) over the constraint
// set equals
//   minimize y'Sigma y  s.t.  mu'y - rf b kappa = 1,  every constraint scaled by kappa
// (A w = b -> A y = b kappa;  l <= a'w <= u -> a'y >= l kappa, a'y <= u kappa;
//  lo <= w <= hi -> lo kappa <= y <= hi kappa), then w = y / kappa.
// It needs some feasible w with mu'w > rf b; we first solve the max-return LP, which both
// decides that and gives the homogenized QP a feasible start (y0 = w/e, kappa0 = 1/e).
#include <cmath>

#include "ballast/core/format.hpp"
#include "ballast/optimize/mean_variance.hpp"
#include "ballast/optimize/portfolio_qp.hpp"

namespace ballast::optimize::detail {
namespace {

// Excess returns at or below this (relative to |mu|) count as "nothing beats the risk-free rate".
constexpr double kNoExcessReturn = 1e-9;

// The homogenized problem in variables [x ; kappa], x in the PortfolioQp coordinates.
struct Homogenized {
  QpProblem qp;
  std::vector<RowTag> eq_tags, ineq_tags;
};

// Which user bound a bound of x (at `side`) is, in the split or plain layout.
RowTag bound_tag(Index v, BoundState side, Index n, bool split) {
  const bool negative_half = split && v >= n;
  const bool user_lower = negative_half ? side == BoundState::upper : side == BoundState::lower;
  return RowTag{user_lower ? RowRole::bound_lower : RowRole::bound_upper, v % n};
}

// A cap x_v <= cap * kappa that the other constraints already imply needs no row: any one
// weight is at most the budget minus the others' lower bounds, and at most the leverage cap.
bool cap_is_implied(double cap, Index v, const QpProblem& base, double budget, std::optional<double> leverage) {
  if (leverage && cap >= *leverage) return true;
  const Index n = base.lb.size();
  if (base.A_eq.rows() != 1 || (base.A_eq.row(0).array() != 1.0).any()) return false;  // plain layout only
  double others = 0;
  for (Index j = 0; j < n; ++j)
    if (j != v) others += base.lb(j);
  return std::isfinite(others) && cap >= budget - others;
}

Homogenized homogenize(const PortfolioQp& base, const Vector& mu, double rf, const PortfolioConstraints& c) {
  const QpProblem& b = base.qp;
  const Index vars = b.lb.size(), n = mu.size(), kappa = vars;
  Homogenized h;
  h.qp.P = Matrix::Zero(vars + 1, vars + 1);
  h.qp.P.topLeftCorner(vars, vars) = b.P;
  h.qp.q = Vector::Zero(vars + 1);
  // Equalities: budget (A y - b kappa = 0) and the normalization (mu'y - rf b kappa = 1).
  const Index m_eq = b.A_eq.rows();
  h.qp.A_eq = Matrix::Zero(m_eq + 1, vars + 1);
  h.qp.b_eq = Vector::Zero(m_eq + 1);
  h.qp.A_eq.topLeftCorner(m_eq, vars) = b.A_eq;
  h.qp.A_eq.col(kappa).head(m_eq) = -b.b_eq;
  h.qp.A_eq.row(m_eq).head(n) = mu.transpose();
  if (base.split()) h.qp.A_eq.row(m_eq).segment(n, n) = -mu.transpose();
  h.qp.A_eq(m_eq, kappa) = -rf * c.budget;
  h.qp.b_eq(m_eq) = 1.0;
  h.eq_tags = base.eq_tags;
  h.eq_tags.push_back(RowTag{RowRole::normalization, -1});

  std::vector<Eigen::RowVectorXd> rows;
  std::vector<double> lows, highs;
  auto add_row = [&](const Eigen::RowVectorXd& a, double scale, bool lower_side, RowTag tag) {
    Eigen::RowVectorXd row(vars + 1);
    row.head(vars) = a;
    row(kappa) = -scale;  // a'y - scale * kappa  (>= 0 for a lower side, <= 0 for an upper side)
    rows.push_back(row);
    lows.push_back(lower_side ? 0.0 : -infinity);
    highs.push_back(lower_side ? infinity : 0.0);
    h.ineq_tags.push_back(tag);
  };
  for (Index i = 0; i < b.A_ineq.rows(); ++i) {
    RowTag tag = base.ineq_tags[static_cast<size_t>(i)];
    if (std::isfinite(b.l_ineq(i)))
      add_row(b.A_ineq.row(i), b.l_ineq(i), true, tag.role == RowRole::group ? RowTag{RowRole::group_min, tag.index} : tag);
    if (std::isfinite(b.u_ineq(i)))
      add_row(b.A_ineq.row(i), b.u_ineq(i), false, tag.role == RowRole::group ? RowTag{RowRole::group_max, tag.index} : tag);
  }
  // Bounds: 0 and +-inf scale to themselves and stay simple bounds; any other value becomes a
  // two-entry row (unless implied).
  h.qp.lb = Vector::Zero(vars + 1);
  h.qp.ub = Vector::Constant(vars + 1, infinity);
  for (Index v = 0; v < vars; ++v) {
    const double lo = b.lb(v), hi = b.ub(v);
    h.qp.lb(v) = (lo == 0.0 || lo == -infinity) ? lo : -infinity;
    h.qp.ub(v) = (hi == 0.0 || hi == infinity) ? hi : infinity;
    Eigen::RowVectorXd unit = Eigen::RowVectorXd::Zero(vars);
    unit(v) = 1.0;
    if (!std::isfinite(h.qp.lb(v)) && std::isfinite(lo)) add_row(unit, lo, true, bound_tag(v, BoundState::lower, n, base.split()));
    if (!std::isfinite(h.qp.ub(v)) && std::isfinite(hi) && !cap_is_implied(hi, v, b, c.budget, c.gross_leverage))
      add_row(unit, hi, false, bound_tag(v, BoundState::upper, n, base.split()));
  }
  h.qp.lb(kappa) = 0.0;
  h.qp.A_ineq.resize(static_cast<Index>(rows.size()), vars + 1);
  h.qp.l_ineq.resize(static_cast<Index>(rows.size()));
  h.qp.u_ineq.resize(static_cast<Index>(rows.size()));
  for (size_t r = 0; r < rows.size(); ++r) {
    h.qp.A_ineq.row(static_cast<Index>(r)) = rows[r];
    h.qp.l_ineq(static_cast<Index>(r)) = lows[r];
    h.qp.u_ineq(static_cast<Index>(r)) = highs[r];
  }
  return h;
}

}  // namespace

Result<Allocation> max_sharpe(const MarketModel& market, const PortfolioConstraints& constraints,
                              double rf, const QpSettings& settings) {
  const Vector& mu = market.expected_returns;
  const Index n = mu.size();
  SolveInfo info;
  PortfolioQp base(market.covariance, constraints, n);
  Result<QpResult> lp = solve_max_return(base, mu, settings, info);
  if (!lp.ok()) return Result<Allocation>::failure(lp.error);
  if (lp.value.status == Status::infeasible) {
    Allocation a = infeasible_allocation(
        name_conflicts(lp.value.conflicts, base.eq_tags, base.ineq_tags, n, base.split(),
                       lower_bounds(constraints, n), upper_bounds(constraints, n)), "");
    a.info = info;
    return Result<Allocation>::success(std::move(a));
  }
  // An unbounded return (no caps) still leaves the Sharpe ratio bounded when Sigma is positive
  // definite; the LP's last iterate is then a feasible point with a large excess return, which
  // is all the homogenized problem needs as a start.
  if (!lp.value.unbounded && lp.value.status != Status::solved && lp.value.status != Status::solved_inaccurate) {
    Allocation a;
    a.status = lp.value.status;
    a.message = "max-return step: " + lp.value.message;
    a.info = info;
    return Result<Allocation>::success(std::move(a));
  }
  const Vector x_best = lp.value.solution.x;
  const double excess = mu.dot(base.weights(x_best)) - rf * constraints.budget;
  if (excess <= kNoExcessReturn * std::max(1.0, mu.cwiseAbs().maxCoeff())) {
    Result<Allocation> fallback = min_variance(market, constraints, settings);
    if (!fallback.ok()) return fallback;
    fallback.value.fallback = Fallback{Objective::max_sharpe, Objective::min_variance,
        "no feasible portfolio has an expected return above the risk-free rate " + format_number(rf) +
        " (the best excess return is " + format_number(excess) + "), so the Sharpe ratio cannot be positive; "
        "returned the minimum-variance portfolio"};
    fallback.value.info.iterations += info.iterations;
    fallback.value.info.qp_solves += info.qp_solves;
    return fallback;
  }

  base.set_objective(1.0, Vector::Zero(n));
  const Homogenized h = homogenize(base, mu, rf, constraints);
  QpWarmStart warm;
  warm.x.resize(x_best.size() + 1);
  warm.x << x_best / excess, 1.0 / excess;
  Result<QpResult> qp = solve_validated_qp(h.qp, settings, warm);
  if (!qp.ok()) return Result<Allocation>::failure(qp.error);
  add_solve(info, qp.value.info);
  Allocation a;
  a.info = info;
  a.status = qp.value.status;
  a.message = qp.value.message;
  if (qp.value.status == Status::infeasible) {
    a.infeasible = name_conflicts(qp.value.conflicts, h.eq_tags, h.ineq_tags, n, base.split(),
                                  lower_bounds(constraints, n), upper_bounds(constraints, n));
    return Result<Allocation>::success(std::move(a));
  }
  const Vector& y = qp.value.solution.x;
  const double kappa = y(y.size() - 1);
  if (!(kappa > 0)) {
    a.status = Status::numerical_error;
    a.message = "max Sharpe: the homogenization scale came back as zero";
    return Result<Allocation>::success(std::move(a));
  }
  describe(a, base.weights(y.head(y.size() - 1)) / kappa, mu, market.covariance, constraints);
  return Result<Allocation>::success(std::move(a));
}

}  // namespace ballast::optimize::detail
