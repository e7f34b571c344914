#include "ballast/optimize/portfolio_qp.hpp"

#include <cmath>

#include "ballast/core/validate.hpp"

namespace ballast::optimize::detail {
namespace {

bool any_short_allowed(const Vector& lower) { return (lower.array() < 0).any(); }

std::string join_assets(const std::vector<Index>& assets) {
  std::string s;
  const size_t shown = std::min<size_t>(assets.size(), 10);
  for (size_t k = 0; k < shown; ++k) s += (k ? ", " : "") + std::to_string(assets[k]);
  if (assets.size() > shown) s += ", ... (" + std::to_string(assets.size()) + " assets)";
  return s;
}

ConstraintRef row_ref(const RowTag& tag, BoundState side) {
  const std::string group = indexed("constraints.groups", tag.index);
  switch (tag.role) {
    case RowRole::budget:
      return {ConstraintKind::budget, -1, "constraints.budget", "the budget cannot be met together with the other named constraints"};
    case RowRole::group:
    case RowRole::group_min:
    case RowRole::group_max: {
      const bool min = tag.role == RowRole::group_min || (tag.role == RowRole::group && side == BoundState::lower);
      return {min ? ConstraintKind::group_min : ConstraintKind::group_max, tag.index, group + (min ? ".min" : ".max"),
              std::string("the group ") + (min ? "minimum" : "maximum") + " conflicts with the other named constraints"};
    }
    case RowRole::gross_leverage:
      return {ConstraintKind::gross_leverage, -1, "constraints.grossLeverage", "the gross leverage cap is too tight for the other named constraints"};
    case RowRole::linear: {
      // Two-sided rows report their side; max Sharpe's one-sided copies keep the tag.
      const bool min = side == BoundState::lower;
      const std::string field = indexed("constraints.linear", tag.index) + (min ? ".min" : ".max");
      return {min ? ConstraintKind::linear_min : ConstraintKind::linear_max, tag.index, field,
              std::string("the linear constraint's ") + (min ? "minimum" : "maximum") + " conflicts with the other named constraints"};
    }
    case RowRole::target_return:
      return {ConstraintKind::target_return, -1, "objective.targetReturn", "no portfolio meeting the constraints reaches the target return"};
    case RowRole::bound_lower:
    case RowRole::bound_upper:
    case RowRole::normalization:
      break;
  }
  return {ConstraintKind::bounds, tag.index, indexed("constraints.bounds", tag.index), "this bound conflicts with the other named constraints"};
}

}  // namespace

PortfolioQp::PortfolioQp(const Matrix& covariance, const PortfolioConstraints& c, Index n)
    : covariance_(covariance), n_(n) {
  const Vector lo = lower_bounds(c, n), hi = upper_bounds(c, n);
  split_ = c.gross_leverage.has_value() && any_short_allowed(lo);
  const Index vars = split_ ? 2 * n : n;
  // Rows act on w; with split variables the w- half enters with the opposite sign.
  auto on_weights = [&](const Eigen::RowVectorXd& row) {
    Eigen::RowVectorXd lifted(vars);
    lifted.head(n) = row;
    if (split_) lifted.tail(n) = -row;
    return lifted;
  };
  qp.A_eq = on_weights(Eigen::RowVectorXd::Ones(n));
  qp.b_eq = Vector::Constant(1, c.budget);
  eq_tags = {RowTag{RowRole::budget, -1}};

  const Index groups = static_cast<Index>(c.groups.size()), linear = static_cast<Index>(c.linear.size());
  const Index m_in = groups + linear + (c.gross_leverage ? 1 : 0);
  qp.A_ineq = Matrix::Zero(m_in, vars);
  qp.l_ineq.resize(m_in);
  qp.u_ineq.resize(m_in);
  for (size_t g = 0; g < c.groups.size(); ++g) {
    Eigen::RowVectorXd members = Eigen::RowVectorXd::Zero(n);
    for (Index a : c.groups[g].assets) members(a) = 1.0;
    qp.A_ineq.row(static_cast<Index>(g)) = on_weights(members);
    qp.l_ineq(static_cast<Index>(g)) = c.groups[g].min;
    qp.u_ineq(static_cast<Index>(g)) = c.groups[g].max;
    ineq_tags.push_back(RowTag{RowRole::group, static_cast<Index>(g)});
  }
  for (Index k = 0; k < linear; ++k) {  // general rows (constraints.linear), after the groups
    const LinearConstraint& row = c.linear[static_cast<size_t>(k)];
    qp.A_ineq.row(groups + k) = on_weights(row.coefficients.transpose());
    qp.l_ineq(groups + k) = row.min;
    qp.u_ineq(groups + k) = row.max;
    ineq_tags.push_back(RowTag{RowRole::linear, k});
  }
  if (c.gross_leverage) {
    const Index row = m_in - 1;
    qp.A_ineq.row(row).setOnes();  // sum(w+ + w-) without a split is sum w (all w >= 0)
    qp.l_ineq(row) = -infinity;
    qp.u_ineq(row) = *c.gross_leverage;
    ineq_tags.push_back(RowTag{RowRole::gross_leverage, -1});
  }
  if (split_) {
    qp.lb.resize(vars);
    qp.ub.resize(vars);
    qp.lb.head(n) = lo.cwiseMax(0.0);
    qp.ub.head(n) = hi.cwiseMax(0.0);
    qp.lb.tail(n) = (-hi).cwiseMax(0.0);
    qp.ub.tail(n) = (-lo).cwiseMax(0.0);
  } else {
    qp.lb = lo;
    qp.ub = hi;
  }
}

void PortfolioQp::set_objective(double risk_scale, const Vector& reward) {
  if (!split_) {
    qp.P = risk_scale * covariance_;
    qp.q = -reward;
    return;
  }
  const Index n = n_;
  qp.P.resize(2 * n, 2 * n);
  qp.P.topLeftCorner(n, n) = risk_scale * covariance_;
  qp.P.bottomRightCorner(n, n) = qp.P.topLeftCorner(n, n);
  qp.P.topRightCorner(n, n) = -qp.P.topLeftCorner(n, n);
  qp.P.bottomLeftCorner(n, n) = qp.P.topRightCorner(n, n);
  qp.q.resize(2 * n);
  qp.q.head(n) = -reward;
  qp.q.tail(n) = reward;
}

void PortfolioQp::set_return_floor(const Vector& mu, double target) {
  if (return_row_ < 0) {
    return_row_ = qp.A_ineq.rows();
    const Index vars = qp.lb.size();
    qp.A_ineq.conservativeResize(return_row_ + 1, vars);
    qp.A_ineq.row(return_row_).head(n_) = mu.transpose();
    if (split_) qp.A_ineq.row(return_row_).tail(n_) = -mu.transpose();
    qp.l_ineq.conservativeResize(return_row_ + 1);
    qp.u_ineq.conservativeResize(return_row_ + 1);
    qp.u_ineq(return_row_) = infinity;
    ineq_tags.push_back(RowTag{RowRole::target_return, -1});
  }
  qp.l_ineq(return_row_) = target;
}

Vector PortfolioQp::weights(const Vector& x) const {
  return split_ ? Vector(x.head(n_) - x.tail(n_)) : x;
}

Vector PortfolioQp::lift(const Vector& w) const {
  if (!split_) return w;
  Vector x(2 * n_);
  x.head(n_) = w.cwiseMax(0.0);
  x.tail(n_) = (-w).cwiseMax(0.0);
  return x;
}

std::vector<ConstraintRef> name_conflicts(const std::vector<QpConflict>& conflicts,
                                          const std::vector<RowTag>& eq_tags,
                                          const std::vector<RowTag>& ineq_tags, Index n, bool split,
                                          const Vector& lower, const Vector& upper) {
  std::vector<ConstraintRef> refs;
  std::vector<Index> low_assets, high_assets;
  for (const QpConflict& c : conflicts) {
    if (c.set == ConstraintSet::equality) {
      refs.push_back(row_ref(eq_tags[static_cast<size_t>(c.index)], c.side));
      continue;
    }
    if (c.set == ConstraintSet::inequality) {
      const RowTag& tag = ineq_tags[static_cast<size_t>(c.index)];
      if (tag.role == RowRole::bound_lower) low_assets.push_back(tag.index);
      else if (tag.role == RowRole::bound_upper) high_assets.push_back(tag.index);
      else if (tag.role != RowRole::normalization) refs.push_back(row_ref(tag, c.side));
      continue;
    }
    // A bound: on w directly, or on w+ (index < n) / w- (index >= n). The upper bound of w- is
    // the asset's lower bound and vice versa; w+ >= 0 and w- >= 0 are structural, not the user's.
    if (c.index >= (split ? 2 * n : n)) continue;  // an auxiliary variable (max Sharpe's kappa)
    const Index asset = c.index % n;
    const bool negative_half = c.index >= n;
    const bool user_lower = negative_half ? c.side == BoundState::upper : c.side == BoundState::lower;
    const bool structural = split && c.side == BoundState::lower &&
                            (negative_half ? upper(asset) >= 0 : lower(asset) <= 0);
    if (structural) continue;
    (user_lower ? low_assets : high_assets).push_back(asset);
  }
  if (!low_assets.empty() || !high_assets.empty()) {
    ConstraintRef bounds{ConstraintKind::bounds, -1, "constraints.bounds", ""};
    if (low_assets.size() + high_assets.size() == 1) {
      bounds.index = low_assets.empty() ? high_assets[0] : low_assets[0];
      bounds.field = indexed("constraints.bounds", bounds.index);
    }
    if (!low_assets.empty()) bounds.message = "lower bounds of assets " + join_assets(low_assets);
    if (!high_assets.empty())
      bounds.message += (bounds.message.empty() ? "" : "; ") + std::string("upper bounds of assets ") + join_assets(high_assets);
    bounds.message += " conflict with the other named constraints";
    refs.push_back(bounds);
  }
  return refs;
}

void add_solve(SolveInfo& info, const QpInfo& q) {
  info.iterations += q.iterations;
  info.qp_solves += 1;
  info.primal_residual = q.primal_residual;
  info.dual_residual = q.dual_residual;
  info.complementarity = q.complementarity;
  info.objective = q.objective;
}

Allocation infeasible_allocation(std::vector<ConstraintRef> refs, const std::string& message) {
  Allocation a;
  a.status = Status::infeasible;
  a.infeasible = std::move(refs);
  a.message = message;
  if (a.message.empty() && !a.infeasible.empty()) a.message = a.infeasible.front().message;
  return a;
}

void describe(Allocation& a, const Vector& w, const Vector& mu, const Matrix& covariance,
              const PortfolioConstraints& constraints) {
  a.weights = w;
  a.expected_return = mu.dot(w);
  a.volatility = std::sqrt(std::max(0.0, w.dot(covariance * w)));
  a.binding = binding_constraints(constraints, w);
}

Result<QpResult> solve_max_return(PortfolioQp& problem, const Vector& mu, const QpSettings& settings,
                                  SolveInfo& info) {
  problem.set_objective(0.0, mu);
  Result<QpResult> result = detail::solve_validated_qp(problem.qp, settings);
  if (result.ok()) add_solve(info, result.value.info);
  return result;
}

}  // namespace ballast::optimize::detail
