#include "ballast/optimize/qp_phase1.hpp"

#include <cmath>

namespace ballast::optimize::detail {
namespace {

constexpr double kReducedCostTolerance = 1e-11;  // smaller |d_j| counts as optimal
constexpr double kPivotTolerance = 1e-9;         // smaller |pivot| never leaves the basis
constexpr double kHarrisSlack = 1e-12;           // bound relaxation in the ratio test's first pass
constexpr double kCertificateTolerance = 1e-9;   // smaller reduced costs are not blamed
constexpr int kDegeneratePivotsBeforeBland = 20; // then switch to Bland's rule (no cycling)

// Start a nonbasic variable at the finite bound nearest to `hint` (free variables at hint).
double starting_value(double lower, double upper, double hint) {
  const bool has_lower = std::isfinite(lower), has_upper = std::isfinite(upper);
  if (has_lower && has_upper) return std::abs(hint - lower) <= std::abs(upper - hint) ? lower : upper;
  if (has_lower) return lower;
  if (has_upper) return upper;
  return hint;
}

// Columns are laid out [x (n) | r (m) | e+ (m) | e- (m)]; costs are 1 on e+ and e-.
class ElasticSimplex {
 public:
  ElasticSimplex(const StackedRows& rows, const Vector& lb, const Vector& ub, const Vector& guess);
  Phase1Result run(int max_iterations, double tolerance);

 private:
  enum class Kind { x, activity, elastic };
  Kind kind(Index j) const { return j < n_ ? Kind::x : (j < n_ + m_ ? Kind::activity : Kind::elastic); }
  Vector column(Index j) const;
  bool factor_basis();
  void compute_basic_values();
  Index choose_entering(const Vector& reduced, bool bland, int& direction) const;
  void collect_conflicts(const Vector& reduced, Phase1Result& result) const;
  Phase1Result finish(Phase1Outcome outcome, int iterations) const;

  const StackedRows& rows_;
  Index n_, m_;
  Vector value_, lower_, upper_;
  std::vector<Index> basis_;     // basis_[i]: the variable basic in row position i
  std::vector<Index> position_;  // position_[j]: its row position, or -1 when nonbasic
  Matrix basis_inverse_;
};

ElasticSimplex::ElasticSimplex(const StackedRows& rows, const Vector& lb, const Vector& ub,
                               const Vector& guess)
    : rows_(rows), n_(lb.size()), m_(rows.count()) {
  const Index total = n_ + 3 * m_;
  value_ = Vector::Zero(total);
  lower_ = Vector::Zero(total);
  upper_ = Vector::Constant(total, 0.0);  // elastic variables not in the basis stay fixed at 0
  position_.assign(total, -1);
  basis_.assign(m_, -1);
  for (Index j = 0; j < n_; ++j) {
    lower_(j) = lb(j);
    upper_(j) = ub(j);
    value_(j) = starting_value(lb(j), ub(j), guess.size() == n_ ? guess(j) : 0.0);
  }
  const Vector activity = rows.A * value_.head(n_);
  for (Index i = 0; i < m_; ++i) {
    const Index r = n_ + i;
    lower_(r) = rows.lo(i);
    upper_(r) = rows.hi(i);
    const double a = activity(i);
    Index basic = r;  // a satisfied row keeps its activity basic and needs no elastic variable
    if (a < rows.lo(i) || a > rows.hi(i)) {
      value_(r) = a < rows.lo(i) ? rows.lo(i) : rows.hi(i);
      // a - r + e+ - e- = 0: a below lo needs e+ = r - a, above hi needs e- = a - r.
      basic = a < rows.lo(i) ? n_ + m_ + i : n_ + 2 * m_ + i;
      upper_(basic) = infinity;
    }
    basis_[i] = basic;
    position_[basic] = i;
  }
}

Vector ElasticSimplex::column(Index j) const {
  if (kind(j) == Kind::x) return rows_.A.col(j);
  Vector e = Vector::Zero(m_);
  if (kind(j) == Kind::activity) e(j - n_) = -1.0;
  else if (j < n_ + 2 * m_) e(j - n_ - m_) = 1.0;
  else e(j - n_ - 2 * m_) = -1.0;
  return e;
}

bool ElasticSimplex::factor_basis() {
  if (m_ == 0) {
    basis_inverse_.resize(0, 0);
    return true;
  }
  Matrix B(m_, m_);
  for (Index i = 0; i < m_; ++i) B.col(i) = column(basis_[i]);
  // FullPivLU has no info(); isInvertible() is its rank-revealing check.
  Eigen::FullPivLU<Matrix> lu(B);
  if (!lu.isInvertible()) return false;
  basis_inverse_ = lu.inverse();
  return basis_inverse_.allFinite();
}

// B x_B = -(sum over nonbasic columns of column_j * value_j).
void ElasticSimplex::compute_basic_values() {
  Vector nonbasic_x = value_.head(n_);
  for (Index i = 0; i < m_; ++i)
    if (kind(basis_[i]) == Kind::x) nonbasic_x(basis_[i]) = 0.0;
  Vector rhs = rows_.A * nonbasic_x;
  for (Index i = 0; i < m_; ++i)
    if (position_[n_ + i] < 0) rhs(i) -= value_(n_ + i);
  const Vector basic = -(basis_inverse_ * rhs);
  for (Index i = 0; i < m_; ++i) value_(basis_[i]) = basic(i);
}

// Dantzig's rule (largest |d_j|), or Bland's (first eligible) while pivots are degenerate.
Index ElasticSimplex::choose_entering(const Vector& reduced, bool bland, int& direction) const {
  Index best = -1;
  double best_score = 0;
  for (Index j = 0; j < n_ + m_; ++j) {
    if (position_[j] >= 0 || !(upper_(j) > lower_(j))) continue;
    const double d = reduced(j);
    int dir = 0;
    if (d < -kReducedCostTolerance && value_(j) < upper_(j)) dir = 1;
    if (d > kReducedCostTolerance && value_(j) > lower_(j)) dir = -1;
    if (dir == 0) continue;
    if (bland) {
      direction = dir;
      return j;
    }
    if (std::abs(d) > best_score) {
      best_score = std::abs(d);
      best = j;
      direction = dir;
    }
  }
  return best;
}

Phase1Result ElasticSimplex::run(int max_iterations, double tolerance) {
  int degenerate_streak = 0;
  for (int iteration = 0;; ++iteration) {
    if (!factor_basis()) return finish(Phase1Outcome::numerical_error, iteration);
    compute_basic_values();
    Vector cost_basic(m_);
    double violation = 0;
    for (Index i = 0; i < m_; ++i) {
      const bool elastic = kind(basis_[i]) == Kind::elastic;
      cost_basic(i) = elastic ? 1.0 : 0.0;
      if (elastic) violation += value_(basis_[i]);
    }
    if (violation <= tolerance) return finish(Phase1Outcome::feasible, iteration);
    if (iteration >= max_iterations) return finish(Phase1Outcome::iteration_limit, iteration);

    const Vector y = basis_inverse_.transpose() * cost_basic;
    Vector reduced(n_ + m_);
    reduced.head(n_) = -(rows_.A.transpose() * y);
    reduced.tail(m_) = y;  // activity columns are -e_i
    int direction = 0;
    const Index entering =
        choose_entering(reduced, degenerate_streak > kDegeneratePivotsBeforeBland, direction);
    if (entering < 0) {
      Phase1Result result = finish(Phase1Outcome::infeasible, iteration);
      collect_conflicts(reduced, result);
      return result;
    }

    // Basic values move by delta per unit step of the entering variable.
    const Vector delta = -direction * (basis_inverse_ * column(entering));
    // Harris ratio test: the tightest step with bounds relaxed a hair, then the largest pivot
    // among the rows that block within it (keeps the basis well conditioned).
    auto limit = [&](Index i, double slack) {
      const Index b = basis_[i];
      if (delta(i) < -kPivotTolerance) return (value_(b) - lower_(b) + slack) / -delta(i);
      if (delta(i) > kPivotTolerance) return (upper_(b) - value_(b) + slack) / delta(i);
      return infinity;
    };
    double relaxed = infinity;
    for (Index i = 0; i < m_; ++i) relaxed = std::min(relaxed, limit(i, kHarrisSlack));
    Index leaving = -1;
    for (Index i = 0; i < m_; ++i)
      if (limit(i, 0.0) <= relaxed && (leaving < 0 || std::abs(delta(i)) > std::abs(delta(leaving))))
        leaving = i;
    const double flip = upper_(entering) - lower_(entering);
    const double step = leaving < 0 ? infinity : std::max(0.0, limit(leaving, 0.0));
    if (!std::isfinite(std::min(step, flip))) return finish(Phase1Outcome::numerical_error, iteration);
    degenerate_streak = std::min(step, flip) <= 1e-12 ? degenerate_streak + 1 : 0;

    if (flip <= step) {  // the entering variable reaches its other bound first: no basis change
      value_(entering) = direction > 0 ? upper_(entering) : lower_(entering);
      continue;
    }
    value_(entering) += direction * step;
    const Index out = basis_[leaving];
    value_(out) = delta(leaving) < 0 ? lower_(out) : upper_(out);
    if (kind(out) == Kind::elastic) upper_(out) = 0.0, value_(out) = 0.0;  // never re-enters
    position_[out] = -1;
    basis_[leaving] = entering;
    position_[entering] = leaving;
  }
}

// The Farkas certificate's support: variables (x and row activities) held at a bound with a
// nonzero reduced cost. The side is the bound they are held at.
void ElasticSimplex::collect_conflicts(const Vector& reduced, Phase1Result& result) const {
  for (Index j = 0; j < n_ + m_; ++j) {
    const double d = reduced(j);
    if (position_[j] >= 0 || std::abs(d) <= kCertificateTolerance) continue;
    QpConflict conflict;
    conflict.weight = std::abs(d);
    const bool fixed = lower_(j) == upper_(j);
    const bool at_lower = fixed ? d > 0 : value_(j) == lower_(j);
    conflict.side = at_lower ? BoundState::lower : BoundState::upper;
    if (kind(j) == Kind::x) {
      conflict.set = ConstraintSet::bound;
      conflict.index = j;
    } else {
      const Index row = j - n_;
      conflict.set = rows_.is_equality(row) ? ConstraintSet::equality : ConstraintSet::inequality;
      conflict.index = rows_.is_equality(row) ? row : row - rows_.m_eq;
    }
    result.conflicts.push_back(conflict);
  }
}

Phase1Result ElasticSimplex::finish(Phase1Outcome outcome, int iterations) const {
  Phase1Result result;
  result.outcome = outcome;
  result.iterations = iterations;
  result.x = value_.head(n_);
  result.var_state.assign(n_, BoundState::free);
  for (Index j = 0; j < n_; ++j) {
    if (position_[j] >= 0) continue;
    if (value_(j) == lower_(j)) result.var_state[j] = BoundState::lower;
    else if (value_(j) == upper_(j)) result.var_state[j] = BoundState::upper;
  }
  for (Index i = 0; i < m_; ++i)
    if (kind(basis_[i]) == Kind::elastic) result.violation += value_(basis_[i]);
  return result;
}

}  // namespace

Phase1Result find_feasible_point(const StackedRows& rows, const Vector& lb, const Vector& ub,
                                 const Vector& guess, int max_iterations, double tolerance) {
  ElasticSimplex simplex(rows, lb, ub, guess);
  if (rows.count() == 0) return simplex.run(0, infinity);  // bounds alone are always feasible
  return simplex.run(max_iterations, tolerance);
}

}  // namespace ballast::optimize::detail
