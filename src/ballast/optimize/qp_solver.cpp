#include "ballast/optimize/qp_solver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "ballast/core/validate.hpp"
#include "ballast/optimize/free_set_cholesky.hpp"
#include "ballast/optimize/qp_phase1.hpp"

namespace ballast::optimize {
namespace {

using detail::FreeSetCholesky;
using detail::StackedRows;

// A full step may overshoot a bound by this much (relative) before the bound blocks it; keeps
// round-off from adding degenerate constraints.
constexpr double kCrossTolerance = 1e-13;
// A row whose change along the step is below this fraction of |a_F| |p| is taken as dependent on
// the working set and never blocks (adding it would make the Schur complement singular).
constexpr double kDependentRow = 1e-9;
// A step component below this fraction of |p|_inf is round-off: with P flat along the step (an
// LP, a split long-short pair) the step is long and its zero components come out as noise, and
// letting such a component block would hold a variable the working set needs (rank loss).
constexpr double kNoiseStep = 1e-12;
// Wrong-sign multipliers smaller than this fraction of dual_tolerance are noise, not a reason
// to leave a constraint.
constexpr double kDropFraction = 1e-2;
// A proximal round that moves x less than this (relative) has reached the fixed point.
constexpr double kFixedPointTolerance = 1e-13;
// Proximal rounds moving x this far (relative to the start) along a flat descent direction,
// three in a row, mean the objective is unbounded below.
constexpr double kRunawayMove = 1e2;
// Row residuals of an equality-problem solve above this fraction of primal_tolerance are
// refined away.
constexpr double kRefineThreshold = 1e-3;
// rho >= this * |q|_inf (see solve_qp).
constexpr double kLinearProximalFloor = 1e-4;

enum class InnerOutcome { optimal, iteration_limit, numerical_error, unbounded };

StackedRows stack_rows(const QpProblem& qp) {
  StackedRows rows;
  const Index n = qp.q.size(), m_eq = qp.b_eq.size(), m_in = qp.l_ineq.size();
  rows.m_eq = m_eq;
  rows.A.resize(m_eq + m_in, n);
  rows.lo.resize(m_eq + m_in);
  rows.hi.resize(m_eq + m_in);
  if (m_eq > 0) {
    rows.A.topRows(m_eq) = qp.A_eq;
    rows.lo.head(m_eq) = qp.b_eq;
    rows.hi.head(m_eq) = qp.b_eq;
  }
  if (m_in > 0) {
    rows.A.bottomRows(m_in) = qp.A_ineq;
    rows.lo.tail(m_in) = qp.l_ineq;
    rows.hi.tail(m_in) = qp.u_ineq;
  }
  return rows;
}

bool near(double value, double bound) {
  return std::isfinite(bound) && std::abs(value - bound) <= 1e-12 * (1.0 + std::abs(bound));
}

// The primal active-set method on  1/2 x'Px + q'x + rho/2 |x - center|^2, from a feasible point.
class ActiveSetSolver {
 public:
  ActiveSetSolver(const QpProblem& qp, const StackedRows& rows, const QpSettings& settings, double rho)
      : P_(qp.P), q_(qp.q), rows_(rows), lb_(qp.lb), ub_(qp.ub), settings_(settings), rho_(rho),
        n_(qp.q.size()), m_(rows.count()) {}

  bool start_at_point(const Vector& x, std::vector<BoundState> var_state);
  bool start_at_working_set(const WorkingSet& working_set, const Vector& guess);
  InnerOutcome run(int& budget, int& rounds);
  QpSolution solution();

 private:
  bool held(Index j) const { return var_state_[j] != BoundState::free; }
  bool fixed(Index j) const { return lb_(j) == ub_(j); }
  double row_target(Index i) const {
    return row_state_[i] == BoundState::upper ? rows_.hi(i) : rows_.lo(i);
  }
  double proximal_gradient(Index j) const { return gradient_(j) + rho_ * (x_(j) - center_(j)); }
  void refresh();
  bool begin(const Vector& x);
  bool solve_equality_problem();
  void compute_row_steps();
  struct Blocking;
  Blocking ratio_test() const;
  void take_step(double alpha);
  bool hold(const Blocking& blocking);
  bool release_worst_multiplier(bool& released);
  bool maybe_refactor();
  InnerOutcome minimize_proximal(int& budget);
  void refine_multipliers();

  const Matrix& P_;
  const Vector& q_;
  const StackedRows& rows_;
  const Vector& lb_;
  const Vector& ub_;
  const QpSettings& settings_;
  const double rho_;
  const Index n_, m_;

  Vector x_, center_;
  Vector gradient_;  // P x + q (without the proximal term)
  Vector activity_;  // A x for every stacked row
  std::vector<BoundState> var_state_, row_state_;
  std::vector<Index> active_rows_;
  FreeSetCholesky factor_;  // of P_FF + rho I; factor_.vars() is the free set F
  Vector step_;             // p on F, in factor order
  Vector lambda_;           // multipliers of active_rows_
  Vector row_step_;         // A_F p_F for every row
  Vector row_scale_;        // |A(i, F)|_inf for every row
  Index last_added_row_ = -1;         // the row the last iteration added, if any
  std::vector<Index> dependent_rows_; // rows found dependent on the current working set
};

struct ActiveSetSolver::Blocking {
  enum class Kind { none, variable, row } kind = Kind::none;
  Index index = -1;     // variable or row
  Index position = -1;  // the variable's position in F
  BoundState side = BoundState::lower;
  double step = 1.0;
  double pivot = 0.0;
};

void ActiveSetSolver::refresh() {
  gradient_.noalias() = P_ * x_;
  gradient_ += q_;
  activity_.noalias() = rows_.A * x_;
}

bool ActiveSetSolver::begin(const Vector& x) {
  last_added_row_ = -1;
  dependent_rows_.clear();
  x_ = x;
  center_ = x;
  std::vector<Index> free_vars;
  for (Index j = 0; j < n_; ++j) {
    if (fixed(j)) var_state_[j] = BoundState::lower;
    if (var_state_[j] == BoundState::lower) x_(j) = lb_(j);
    else if (var_state_[j] == BoundState::upper) x_(j) = ub_(j);
    else free_vars.push_back(j);
  }
  factor_.reset(n_);
  if (!factor_.refactor(P_, rho_, free_vars)) return false;
  refresh();
  return true;
}

// Rows start outside the working set: the ratio test adds each one the first time the step
// would leave it (a zero-length step at a tight row), which also keeps them independent.
bool ActiveSetSolver::start_at_point(const Vector& x, std::vector<BoundState> var_state) {
  var_state_ = std::move(var_state);
  row_state_.assign(m_, BoundState::free);
  active_rows_.clear();
  return begin(x);
}

// Warm start from a guessed working set. Two ways in:
//  - homotopy: the guess (typically the previous solution) already satisfies every constraint
//    outside the working set, and only rows inside it (a moved return target) are off. Phase 2
//    can start right there: its equality-problem step carries the residual of the active rows,
//    and the ratio test walks toward the new targets, adding constraints it meets on the way.
//  - crash: the equality-problem solution on the working set is itself feasible.
bool ActiveSetSolver::start_at_working_set(const WorkingSet& working_set, const Vector& guess) {
  if (static_cast<Index>(working_set.bounds.size()) != n_ ||
      static_cast<Index>(working_set.rows.size()) != m_ - rows_.m_eq)
    return false;
  const bool has_guess = guess.size() == n_ && guess.allFinite();
  Vector x = has_guess ? guess : Vector::Zero(n_);
  var_state_.assign(n_, BoundState::free);
  for (Index j = 0; j < n_; ++j) {
    x(j) = std::clamp(x(j), lb_(j), ub_(j));
    const BoundState s = working_set.bounds[j];
    if ((s == BoundState::lower && std::isfinite(lb_(j))) || (s == BoundState::upper && std::isfinite(ub_(j))))
      var_state_[j] = s;
  }
  row_state_.assign(m_, BoundState::free);
  active_rows_.clear();
  for (Index i = 0; i < m_; ++i) {
    BoundState s = rows_.is_equality(i) ? BoundState::lower : working_set.rows[i - rows_.m_eq];
    if ((s == BoundState::lower && !std::isfinite(rows_.lo(i))) || (s == BoundState::upper && !std::isfinite(rows_.hi(i))))
      s = BoundState::free;
    row_state_[i] = s;
    if (s != BoundState::free) active_rows_.push_back(i);
  }
  if (!begin(x)) return false;
  auto outside_rows_hold = [&](const Vector& row_change) {
    for (Index i = 0; i < m_; ++i) {
      if (row_state_[i] != BoundState::free) continue;
      const double value = activity_(i) + row_change(i);
      if (value < rows_.lo(i) - 1e-12 * (1 + std::abs(rows_.lo(i))) ||
          value > rows_.hi(i) + 1e-12 * (1 + std::abs(rows_.hi(i))))
        return false;
    }
    return true;
  };
  if (has_guess && outside_rows_hold(Vector::Zero(m_))) return true;  // homotopy start
  if (!solve_equality_problem()) return false;
  compute_row_steps();
  const auto& free_vars = factor_.vars();
  for (size_t pos = 0; pos < free_vars.size(); ++pos) {
    const Index j = free_vars[pos];
    const double value = x_(j) + step_(static_cast<Index>(pos));
    if (value < lb_(j) - kCrossTolerance * (1 + std::abs(lb_(j))) ||
        value > ub_(j) + kCrossTolerance * (1 + std::abs(ub_(j))))
      return false;
  }
  if (!outside_rows_hold(row_step_)) return false;
  take_step(1.0);
  return true;
}

// The step p on F and the multipliers of the active rows, from the KKT system
//   [H_FF  C_F'] [ p     ]   [ -g_F            ]
//   [C_F   0   ] [-lambda] = [ target - C x    ]
// by the range-space method: with H_FF = L L', Y = L^{-1} C_F' and w = L^{-1} g_F,
//   (Y'Y) lambda = (target - C x) + Y'w   and   p = L^{-T} (Y lambda - w).
bool ActiveSetSolver::solve_equality_problem() {
  const auto& free_vars = factor_.vars();
  const Index k = factor_.size(), active = static_cast<Index>(active_rows_.size());
  Vector w(k);
  for (Index i = 0; i < k; ++i) w(i) = proximal_gradient(free_vars[i]);
  factor_.solve_lower(w);
  if (active == 0) {
    lambda_.resize(0);
    step_ = -w;
    factor_.solve_upper(step_);
    return step_.allFinite();
  }
  if (k < active) return false;  // more active rows than free variables: dependent rows
  Matrix Y(k, active);
  for (Index r = 0; r < active; ++r)
    for (Index i = 0; i < k; ++i) Y(i, r) = rows_.A(active_rows_[r], free_vars[i]);
  factor_.solve_lower(Y);
  Matrix schur(active, active);
  schur.noalias() = Y.transpose() * Y;
  Vector rhs(active);
  for (Index r = 0; r < active; ++r)
    rhs(r) = row_target(active_rows_[r]) - activity_(active_rows_[r]);
  rhs.noalias() += Y.transpose() * w;
  Eigen::LLT<Matrix> schur_factor(schur);
  if (schur_factor.info() != Eigen::Success) return false;
  lambda_ = schur_factor.solve(rhs);
  if (k == active) {
    // A vertex: C_F is square, so p is fixed by the rows alone (C_F p = target - C x). The
    // gradient terms cancel exactly in theory but not in floating point; leave them out.
    Vector residual(active);
    for (Index r = 0; r < active; ++r)
      residual(r) = row_target(active_rows_[r]) - activity_(active_rows_[r]);
    step_.noalias() = Y * schur_factor.solve(residual);
  } else {
    step_.noalias() = Y * lambda_;
    step_ -= w;
  }
  factor_.solve_upper(step_);
  // Iterative refinement of the row equations. A variable with almost no curvature (a flat
  // direction of P, only rho on the diagonal) makes Y'Y ill-conditioned and C p drift from
  // its target; the correction dp = H^-1 C' d with (Y'Y) d = residual fixes the rows and
  // leaves stationarity intact (lambda absorbs d).
  for (int pass = 0; pass < 2; ++pass) {
    Vector residual(active);
    for (Index r = 0; r < active; ++r) {
      double cp = 0;
      for (Index i = 0; i < k; ++i) cp += rows_.A(active_rows_[r], free_vars[i]) * step_(i);
      residual(r) = row_target(active_rows_[r]) - activity_(active_rows_[r]) - cp;
    }
    if (residual.lpNorm<Eigen::Infinity>() <= kRefineThreshold * settings_.primal_tolerance) break;
    const Vector d = schur_factor.solve(residual);
    lambda_ += d;
    Vector correction = Y * d;
    factor_.solve_upper(correction);
    step_ += correction;
  }
  return step_.allFinite() && lambda_.allFinite();
}

void ActiveSetSolver::compute_row_steps() {
  row_step_.setZero(m_);
  row_scale_.setZero(m_);
  const auto& free_vars = factor_.vars();
  for (size_t pos = 0; pos < free_vars.size(); ++pos) {
    const auto column = rows_.A.col(free_vars[pos]);
    row_step_ += step_(static_cast<Index>(pos)) * column;
    row_scale_ = row_scale_.cwiseMax(column.cwiseAbs());
  }
}

// The longest step in [0, 1] along p that keeps every bound and row; ties go to the larger
// pivot (better conditioned working set).
ActiveSetSolver::Blocking ActiveSetSolver::ratio_test() const {
  Blocking best;
  const double step_norm = step_.size() ? step_.lpNorm<Eigen::Infinity>() : 0.0;
  auto consider = [&](Blocking candidate) {
    candidate.step = std::max(0.0, candidate.step);
    if (candidate.step < best.step - 1e-15 ||
        (candidate.step <= best.step + 1e-15 && candidate.pivot > best.pivot))
      best = candidate;
  };
  const auto& free_vars = factor_.vars();
  // At a vertex (as many free variables as active rows) a round-off-sized step only corrects
  // row residuals; holding a variable there would leave more rows than free variables, so a
  // bound it touches is clamped in take_step instead. (A real step at a vertex, a warm start
  // whose targets moved, blocks as usual; if that makes the rows dependent, solve_qp restarts
  // cold.)
  const bool at_vertex = factor_.size() <= static_cast<Index>(active_rows_.size()) &&
                         step_norm <= kRefineThreshold * settings_.primal_tolerance;
  for (size_t pos = 0; pos < free_vars.size() && !at_vertex; ++pos) {
    const Index j = free_vars[pos];
    const double p = step_(static_cast<Index>(pos)), target = x_(j) + p;
    if (std::abs(p) <= kNoiseStep * step_norm) continue;  // round-off, not a move (see take_step)
    Blocking b;
    b.kind = Blocking::Kind::variable;
    b.index = j;
    b.position = static_cast<Index>(pos);
    b.pivot = std::abs(p) / std::max(step_norm, 1e-300);
    if (p < 0 && target < lb_(j) - kCrossTolerance * (1 + std::abs(lb_(j)))) {
      b.side = BoundState::lower;
      b.step = (lb_(j) - x_(j)) / p;
    } else if (p > 0 && target > ub_(j) + kCrossTolerance * (1 + std::abs(ub_(j)))) {
      b.side = BoundState::upper;
      b.step = (ub_(j) - x_(j)) / p;
    } else {
      continue;
    }
    consider(b);
  }
  for (Index i = 0; i < m_; ++i) {
    if (row_state_[i] != BoundState::free) continue;
    if (std::find(dependent_rows_.begin(), dependent_rows_.end(), i) != dependent_rows_.end()) continue;
    const double ap = row_step_(i), target = activity_(i) + ap;
    if (std::abs(ap) <= kDependentRow * row_scale_(i) * step_norm) continue;
    Blocking b;
    b.kind = Blocking::Kind::row;
    b.index = i;
    b.pivot = std::abs(ap) / (row_scale_(i) * step_norm);
    if (ap < 0 && target < rows_.lo(i) - kCrossTolerance * (1 + std::abs(rows_.lo(i)))) {
      b.side = BoundState::lower;
      b.step = (rows_.lo(i) - activity_(i)) / ap;
    } else if (ap > 0 && target > rows_.hi(i) + kCrossTolerance * (1 + std::abs(rows_.hi(i)))) {
      b.side = BoundState::upper;
      b.step = (rows_.hi(i) - activity_(i)) / ap;
    } else {
      continue;
    }
    consider(b);
  }
  return best;
}

void ActiveSetSolver::take_step(double alpha) {
  const auto& free_vars = factor_.vars();
  for (size_t pos = 0; pos < free_vars.size(); ++pos) {
    const double dx = alpha * step_(static_cast<Index>(pos));
    if (dx == 0.0) continue;
    const Index j = free_vars[pos];
    // A component the ratio test dismissed as round-off may poke a hair past its bound.
    const double moved = std::clamp(x_(j) + dx, lb_(j), ub_(j)) - x_(j);
    x_(j) += moved;
    gradient_ += moved * P_.col(j);
  }
  activity_ += alpha * row_step_;
}

bool ActiveSetSolver::maybe_refactor() {
  if (factor_.updates_since_refactor() < settings_.refactor_interval) return true;
  const std::vector<Index> free_vars = factor_.vars();
  return factor_.refactor(P_, rho_, free_vars);
}

// Add the blocking constraint to the working set.
bool ActiveSetSolver::hold(const Blocking& blocking) {
  if (blocking.kind == Blocking::Kind::row) {
    row_state_[blocking.index] = blocking.side;
    active_rows_.push_back(blocking.index);
    last_added_row_ = blocking.index;
    return true;
  }
  last_added_row_ = -1;
  dependent_rows_.clear();  // a new free set: earlier dependencies may no longer hold
  const Index j = blocking.index;
  x_(j) = blocking.side == BoundState::lower ? lb_(j) : ub_(j);  // exactly on the bound
  var_state_[j] = blocking.side;
  factor_.remove(blocking.position);
  return maybe_refactor();
}

// At the minimizer on the working set: release the constraint whose multiplier has the most
// wrong sign, if any is wrong by more than noise. released=false means optimal.
bool ActiveSetSolver::release_worst_multiplier(bool& released) {
  released = false;
  Vector pushed = Vector::Zero(n_);  // A_W' lambda
  for (size_t r = 0; r < active_rows_.size(); ++r)
    pushed += lambda_(static_cast<Index>(r)) * rows_.A.row(active_rows_[r]).transpose();
  double worst = kDropFraction * settings_.dual_tolerance;
  Index worst_var = -1, worst_row = -1;
  for (Index j = 0; j < n_; ++j) {
    if (!held(j) || fixed(j)) continue;
    const double z = proximal_gradient(j) - pushed(j);
    const double wrong = var_state_[j] == BoundState::lower ? -z : z;
    if (wrong > worst) worst = wrong, worst_var = j, worst_row = -1;
  }
  for (size_t r = 0; r < active_rows_.size(); ++r) {
    const Index i = active_rows_[r];
    if (rows_.is_equality(i)) continue;
    const double y = lambda_(static_cast<Index>(r));
    const double wrong = row_state_[i] == BoundState::lower ? -y : y;
    if (wrong > worst) worst = wrong, worst_row = static_cast<Index>(r), worst_var = -1;
  }
  last_added_row_ = -1;
  if (worst_var >= 0 || worst_row >= 0) dependent_rows_.clear();
  if (worst_var >= 0) {
    released = true;
    var_state_[worst_var] = BoundState::free;
    if (factor_.append(P_, rho_, worst_var)) return maybe_refactor();
    std::vector<Index> free_vars = factor_.vars();
    free_vars.push_back(worst_var);
    return factor_.refactor(P_, rho_, free_vars);
  }
  if (worst_row >= 0) {
    released = true;
    row_state_[active_rows_[worst_row]] = BoundState::free;
    active_rows_.erase(active_rows_.begin() + worst_row);
  }
  return true;
}

InnerOutcome ActiveSetSolver::minimize_proximal(int& budget) {
  for (;;) {
    if (budget <= 0) return InnerOutcome::iteration_limit;
    --budget;
    if (!solve_equality_problem()) {
      // A row that the ratio test took as independent may be dependent to working precision
      // (huge steps along flat directions blur |a'p|). Take it back out and go on without it;
      // it stays satisfied because the rows it depends on are held.
      if (last_added_row_ < 0) return InnerOutcome::numerical_error;
      row_state_[active_rows_.back()] = BoundState::free;
      dependent_rows_.push_back(active_rows_.back());
      active_rows_.pop_back();
      last_added_row_ = -1;
      if (!solve_equality_problem()) return InnerOutcome::numerical_error;
    }
    compute_row_steps();
    const Blocking blocking = ratio_test();
    take_step(blocking.step);
    if (blocking.kind != Blocking::Kind::none) {
      if (!hold(blocking)) return InnerOutcome::numerical_error;
      continue;
    }
    bool released = false;
    if (!release_worst_multiplier(released)) return InnerOutcome::numerical_error;
    if (!released) return InnerOutcome::optimal;
  }
}

// Outer proximal-point loop: each round minimizes f(x) + rho/2 |x - x_k|^2 from x_k; the fixed
// point is a minimizer of f itself.
InnerOutcome ActiveSetSolver::run(int& budget, int& rounds) {
  int runaway_rounds = 0;
  double previous_size = 0;
  const double start_scale = 1.0 + x_.lpNorm<Eigen::Infinity>();
  const double curvature_scale = 1.0 + P_.diagonal().cwiseAbs().maxCoeff();
  for (rounds = 0; rounds < settings_.max_proximal_rounds;) {
    center_ = x_;
    refresh();  // exact gradient and row activities each round: no drift from updates
    const InnerOutcome outcome = minimize_proximal(budget);
    ++rounds;
    if (outcome != InnerOutcome::optimal) return outcome;
    const Vector move = x_ - center_;
    const double size = move.lpNorm<Eigen::Infinity>();
    if (size <= kFixedPointTolerance * (1.0 + center_.lpNorm<Eigen::Infinity>())) break;
    // Unbounded below: round after round x runs the same long way along a direction where P
    // is flat and the objective descends (a bounded problem stops moving after a round or two).
    const bool flat = (P_ * move).lpNorm<Eigen::Infinity>() <= 1e-9 * curvature_scale * size;
    const bool runaway = size > kRunawayMove * start_scale && size >= 0.5 * previous_size && flat &&
                         q_.dot(move) < 0;
    runaway_rounds = runaway ? runaway_rounds + 1 : 0;
    previous_size = size;
    if (runaway_rounds >= 3) return InnerOutcome::unbounded;
  }
  // Final multipliers without the proximal term (center = x), on the final working set.
  center_ = x_;
  refresh();
  if (!solve_equality_problem()) return InnerOutcome::numerical_error;
  refine_multipliers();
  return InnerOutcome::optimal;
}

// At the solution g_F = C_F' lambda holds exactly, so lambda is also the least-squares solution
// of that system. Solving it directly (QR of C_F', well conditioned when the rows are) avoids
// the H^-1 weighting of the range-space solve, which is ill conditioned when a free variable has
// (almost) no curvature, e.g. max Sharpe's scale variable.
void ActiveSetSolver::refine_multipliers() {
  const auto& free_vars = factor_.vars();
  const Index k = factor_.size(), active = static_cast<Index>(active_rows_.size());
  if (active == 0 || k < active) return;
  Matrix Ct(k, active);
  Vector g(k);
  for (Index i = 0; i < k; ++i) {
    g(i) = gradient_(free_vars[i]);
    for (Index r = 0; r < active; ++r) Ct(i, r) = rows_.A(active_rows_[r], free_vars[i]);
  }
  Eigen::ColPivHouseholderQR<Matrix> qr(Ct);
  if (qr.info() != Eigen::Success || qr.rank() < active) return;
  const Vector lambda = qr.solve(g);
  if (!lambda.allFinite()) return;
  // Keep it only if it fits stationarity better than the range-space multipliers.
  if ((Ct * lambda - g).lpNorm<Eigen::Infinity>() <= (Ct * lambda_ - g).lpNorm<Eigen::Infinity>()) lambda_ = lambda;
}

QpSolution ActiveSetSolver::solution() {
  QpSolution s;
  s.x = x_;
  s.y_eq = Vector::Zero(rows_.m_eq);
  s.y_ineq = Vector::Zero(m_ - rows_.m_eq);
  s.z = Vector::Zero(n_);
  Vector pushed = Vector::Zero(n_);
  for (size_t r = 0; r < active_rows_.size(); ++r) {
    const Index i = active_rows_[r];
    const double y = lambda_.size() == static_cast<Index>(active_rows_.size()) ? lambda_(static_cast<Index>(r)) : 0.0;
    if (rows_.is_equality(i)) s.y_eq(i) = y;
    else s.y_ineq(i - rows_.m_eq) = y;
    pushed += y * rows_.A.row(i).transpose();
  }
  for (Index j = 0; j < n_; ++j)
    if (held(j)) s.z(j) = gradient_(j) - pushed(j);
  s.working_set.bounds = var_state_;
  s.working_set.rows.assign(row_state_.begin() + rows_.m_eq, row_state_.end());
  return s;
}

// ---- KKT measurement on the original data ------------------------------------------------

struct SideCheck {
  double complementarity = 0, sign = 0, violation = 0;
  // One constraint lo <= value <= hi with multiplier y (positive = lower side).
  void add(double value, double lo, double hi, double y) {
    violation = std::max({violation, lo - value, value - hi});
    if (y > 0) {
      if (std::isfinite(lo)) complementarity = std::max(complementarity, y * std::abs(value - lo));
      else sign = std::max(sign, y);
    } else if (y < 0) {
      if (std::isfinite(hi)) complementarity = std::max(complementarity, -y * std::abs(hi - value));
      else sign = std::max(sign, -y);
    }
  }
};

void measure_kkt(const QpProblem& qp, const QpSolution& s, QpInfo& info) {
  const Vector Px = qp.P * s.x;
  info.objective = 0.5 * s.x.dot(Px) + qp.q.dot(s.x);
  Vector residual = Px + qp.q - s.z;
  if (qp.b_eq.size()) residual.noalias() -= qp.A_eq.transpose() * s.y_eq;
  if (qp.l_ineq.size()) residual.noalias() -= qp.A_ineq.transpose() * s.y_ineq;
  info.dual_residual = residual.size() ? residual.lpNorm<Eigen::Infinity>() : 0.0;
  SideCheck check;
  if (qp.b_eq.size()) {
    const Vector r = qp.A_eq * s.x - qp.b_eq;
    check.violation = r.lpNorm<Eigen::Infinity>();
  }
  if (qp.l_ineq.size()) {
    const Vector ax = qp.A_ineq * s.x;
    for (Index i = 0; i < ax.size(); ++i) check.add(ax(i), qp.l_ineq(i), qp.u_ineq(i), s.y_ineq(i));
  }
  for (Index j = 0; j < s.x.size(); ++j) check.add(s.x(j), qp.lb(j), qp.ub(j), s.z(j));
  info.primal_residual = check.violation;
  info.complementarity = check.complementarity;
  info.dual_sign_violation = check.sign;
}

bool point_is_feasible(const QpProblem& qp, const StackedRows& rows, const Vector& x, double tolerance) {
  if (x.size() != qp.q.size() || !x.allFinite()) return false;
  for (Index j = 0; j < x.size(); ++j)
    if (x(j) < qp.lb(j) - tolerance || x(j) > qp.ub(j) + tolerance) return false;
  const Vector ax = rows.A * x;
  for (Index i = 0; i < ax.size(); ++i)
    if (ax(i) < rows.lo(i) - tolerance || ax(i) > rows.hi(i) + tolerance) return false;
  return true;
}

std::vector<BoundState> states_at(const QpProblem& qp, const Vector& x) {
  std::vector<BoundState> states(x.size(), BoundState::free);
  for (Index j = 0; j < x.size(); ++j) {
    if (near(x(j), qp.lb(j))) states[j] = BoundState::lower;
    else if (near(x(j), qp.ub(j))) states[j] = BoundState::upper;
  }
  return states;
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Error require_ordered(const Vector& lo, const Vector& hi, const std::string& field) {
  for (Index i = 0; i < lo.size(); ++i) {
    if (std::isnan(lo(i)) || std::isnan(hi(i)) || lo(i) == infinity || hi(i) == -infinity)
      return make_error(Status::non_finite, indexed(field, i), "bounds must be numbers; only -inf below and +inf above are allowed");
    if (lo(i) > hi(i))
      return make_error(Status::invalid_value, indexed(field, i), "lower bound is above upper bound");
  }
  return Error::none();
}

}  // namespace

Error validate(const QpProblem& qp) {
  const Index n = qp.q.size();
  if (n == 0) return make_error(Status::invalid_shape, "qp.q", "the problem needs at least one variable");
  if (Error e = require_finite(qp.q, "qp.q"); !e.ok()) return e;
  if (Error e = require_shape(qp.P, n, n, "qp.P"); !e.ok()) return e;
  if (Error e = require_covariance(qp.P, "qp.P"); !e.ok()) return e;  // symmetric, finite, diag >= 0
  if (Error e = require_size(qp.lb, n, "qp.lb"); !e.ok()) return e;
  if (Error e = require_size(qp.ub, n, "qp.ub"); !e.ok()) return e;
  if (Error e = require_ordered(qp.lb, qp.ub, "qp.lb"); !e.ok()) return e;
  const Index m_eq = qp.b_eq.size(), m_in = qp.l_ineq.size();
  if (m_eq > 0 || qp.A_eq.size() > 0) {
    if (Error e = require_shape(qp.A_eq, m_eq, n, "qp.A_eq"); !e.ok()) return e;
    if (Error e = require_finite(qp.A_eq, "qp.A_eq"); !e.ok()) return e;
    if (Error e = require_finite(qp.b_eq, "qp.b_eq"); !e.ok()) return e;
  }
  if (m_in > 0 || qp.A_ineq.size() > 0 || qp.u_ineq.size() > 0) {
    if (Error e = require_shape(qp.A_ineq, m_in, n, "qp.A_ineq"); !e.ok()) return e;
    if (Error e = require_finite(qp.A_ineq, "qp.A_ineq"); !e.ok()) return e;
    if (Error e = require_size(qp.u_ineq, m_in, "qp.u_ineq"); !e.ok()) return e;
    if (Error e = require_ordered(qp.l_ineq, qp.u_ineq, "qp.l_ineq"); !e.ok()) return e;
  }
  return Error::none();
}

Error validate(const QpSettings& s) {
  if (s.max_iterations < 1) return make_error(Status::invalid_value, "solver.maxIterations", "must be at least 1");
  if (!(s.primal_tolerance > 0) || !std::isfinite(s.primal_tolerance))
    return make_error(Status::invalid_value, "solver.primalTolerance", "must be a positive number");
  if (!(s.dual_tolerance > 0) || !std::isfinite(s.dual_tolerance))
    return make_error(Status::invalid_value, "solver.dualTolerance", "must be a positive number");
  if (!(s.proximal_weight > 0) || !(s.proximal_weight <= 1e-2))
    return make_error(Status::invalid_value, "solver.proximalWeight", "must be in (0, 1e-2]");
  if (s.max_proximal_rounds < 1) return make_error(Status::invalid_value, "solver.maxProximalRounds", "must be at least 1");
  if (s.refactor_interval < 1) return make_error(Status::invalid_value, "solver.refactorInterval", "must be at least 1");
  return Error::none();
}

Result<QpResult> solve_qp(const QpProblem& qp, const QpSettings& settings, const QpWarmStart& warm) {
  if (Error e = validate(qp); !e.ok()) return Result<QpResult>::failure(e);
  if (Error e = validate(settings); !e.ok()) return Result<QpResult>::failure(e);
  return detail::solve_validated_qp(qp, settings, warm);
}

Result<QpResult> detail::solve_validated_qp(const QpProblem& qp, const QpSettings& settings,
                                            const QpWarmStart& warm) {
  const auto start = std::chrono::steady_clock::now();
  const StackedRows rows = stack_rows(qp);
  const double p_scale = qp.P.diagonal().maxCoeff();
  // Along directions where P is flat the step is about |q| / rho and carries a rounding error
  // of about eps |q| / rho, so rho also gets a floor proportional to |q|: 1e-4 |q| keeps that
  // error near 1e-12 while an LP still reaches its vertex in one or two rounds.
  const double q_scale = qp.q.size() ? qp.q.lpNorm<Eigen::Infinity>() : 0.0;
  const double rho = std::max({settings.proximal_weight * (p_scale > 0 ? p_scale : 1.0),
                               kLinearProximalFloor * q_scale, 1e-300});
  const double start_tolerance = 1e-2 * settings.primal_tolerance;

  QpResult result;
  ActiveSetSolver solver(qp, rows, settings, rho);
  int budget = settings.max_iterations;
  bool started = !warm.working_set.bounds.empty() && solver.start_at_working_set(warm.working_set, warm.x);
  if (!started && point_is_feasible(qp, rows, warm.x, start_tolerance))
    started = solver.start_at_point(warm.x, states_at(qp, warm.x));
  const bool warm_started = started;
  if (!started) {
    const auto phase1 = detail::find_feasible_point(rows, qp.lb, qp.ub, warm.x, budget, start_tolerance);
    result.info.phase1_iterations = phase1.iterations;
    budget -= phase1.iterations;
    result.solution.x = phase1.x;
    if (phase1.outcome != detail::Phase1Outcome::feasible) {
      result.info.iterations = phase1.iterations;
      result.info.solve_ms = elapsed_ms(start);
      if (phase1.outcome == detail::Phase1Outcome::infeasible) {
        result.status = Status::infeasible;
        result.conflicts = phase1.conflicts;
        result.message = "no point satisfies all constraints; smallest total violation " +
                         std::to_string(phase1.violation);
      } else {
        result.status = phase1.outcome == detail::Phase1Outcome::iteration_limit ? Status::max_iterations
                                                                                  : Status::numerical_error;
        result.message = "phase 1 (finding a feasible point) did not finish";
      }
      return Result<QpResult>::success(std::move(result));
    }
    started = solver.start_at_point(phase1.x, phase1.var_state);
  }
  InnerOutcome outcome = InnerOutcome::numerical_error;
  if (started) outcome = solver.run(budget, result.info.proximal_rounds);
  if (outcome == InnerOutcome::numerical_error && warm_started) {
    // The guessed working set led somewhere singular; a cold start does not depend on it.
    QpSettings cold = settings;
    cold.max_iterations = std::max(1, budget);
    Result<QpResult> retry = solve_validated_qp(qp, cold);
    if (retry.ok()) retry.value.info.iterations += settings.max_iterations - budget;
    if (retry.ok()) retry.value.info.solve_ms = elapsed_ms(start);
    return retry;
  }
  result.solution = solver.solution();
  result.info.iterations = settings.max_iterations - budget;
  measure_kkt(qp, result.solution, result.info);
  const bool accurate = result.info.primal_residual <= settings.primal_tolerance &&
                        result.info.dual_residual <= settings.dual_tolerance &&
                        result.info.complementarity <= settings.dual_tolerance &&
                        result.info.dual_sign_violation <= settings.dual_tolerance;
  switch (outcome) {
    case InnerOutcome::optimal:
      result.status = accurate ? Status::solved : Status::solved_inaccurate;
      result.message = accurate ? "solved" : "solved; KKT residuals above tolerance";
      break;
    case InnerOutcome::iteration_limit:
      result.status = Status::max_iterations;
      result.message = "iteration limit reached";
      break;
    case InnerOutcome::unbounded:
      result.status = Status::numerical_error;
      result.unbounded = true;
      result.message = "the objective is unbounded below on the feasible set";
      break;
    case InnerOutcome::numerical_error:
      result.status = Status::numerical_error;
      result.message = "a factorization failed (the working set became numerically singular)";
      break;
  }
  result.info.solve_ms = elapsed_ms(start);
  return Result<QpResult>::success(std::move(result));
}

}  // namespace ballast::optimize
