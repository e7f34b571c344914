#include "ballast/derivatives/hedge.hpp"

#include <algorithm>
#include <cmath>

#include "ballast/core/types.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/optimize/qp_solver.hpp"

namespace ballast::derivatives {

namespace {

constexpr double kRankTolerance = 1e-10;  // singular values below this x the largest are zero

double greek_of(const BookGreeks& g, HedgeGreek k) {
  switch (k) {
    case HedgeGreek::delta: return g.delta_usd;
    case HedgeGreek::gamma: return g.gamma_usd_per_pct;
    case HedgeGreek::vega: return g.vega_usd_per_vol_point;
  }
  return 0.0;
}

Error validate_request(const Book& book, const std::vector<HedgeInstrument>& instruments, const HedgeSettings& s) {
  if (auto e = validate_book(book); !e.ok()) return e;
  if (instruments.empty()) return make_error(Status::invalid_shape, "instruments", "give at least one hedge instrument");
  for (std::size_t j = 0; j < instruments.size(); ++j) {
    const std::string at = indexed("instruments", static_cast<Index>(j));
    Position unit = instruments[j].position;
    unit.quantity = 1.0;
    if (auto e = validate_position(book, unit, at); !e.ok()) return e;
    const double c = instruments[j].cost_per_unit, cap = instruments[j].max_quantity;
    if (!std::isfinite(c) || c < 0.0)
      return make_error(std::isfinite(c) ? Status::invalid_value : Status::non_finite, at + ".costPerUnit",
                        "must be a finite number >= 0 (USD per unit)");
    if (std::isnan(cap) || !(cap > 0.0))
      return make_error(std::isnan(cap) ? Status::non_finite : Status::invalid_value, at + ".maxQuantity",
                        "must be > 0 (omit it for no limit)");
  }
  if (s.neutralize.empty()) return make_error(Status::invalid_shape, "neutralize", "name at least one Greek");
  for (std::size_t i = 0; i < s.neutralize.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (s.neutralize[i] == s.neutralize[j])
        return make_error(Status::invalid_value, indexed("neutralize", static_cast<Index>(i)), "listed twice");
  if (!std::isfinite(s.regularization) || !(s.regularization > 0.0))
    return make_error(Status::invalid_value, "regularization", "must be a finite number > 0 (keeps the QP strictly convex)");
  return Error::none();
}

// Row space of M: U_r' (first r left singular vectors) with r the numerical rank.
Matrix row_basis(const Matrix& M) {
  if (M.rows() == 0) return Matrix(0, 0);
  Eigen::JacobiSVD<Matrix> svd(M, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const Vector& sv = svd.singularValues();
  Index r = 0;
  while (r < sv.size() && sv[r] > kRankTolerance * std::max(sv[0], 1e-300)) ++r;
  return svd.matrixU().leftCols(r).transpose();
}

// The targets each row can be held at, in priority order (see hedge.hpp): t where the row can
// still move once the earlier rows are held, else the value the earlier rows force.
Vector reachable_targets(const Matrix& A, const Vector& t) {
  const Index rows = A.rows(), n = A.cols();
  Vector held(rows);
  for (Index i = 0; i < rows; ++i) {
    if (i == 0) {
      held[0] = A.row(0).norm() > 0.0 ? t[0] : 0.0;
      continue;
    }
    const Matrix H = A.topRows(i);
    Eigen::JacobiSVD<Matrix> svd(H, Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Vector& sv = svd.singularValues();
    Index r = 0;
    while (r < sv.size() && sv[r] > kRankTolerance * std::max(sv[0], 1e-300)) ++r;
    const Matrix V = svd.matrixV();
    const Matrix null_space = V.rightCols(n - r);
    const double movable = null_space.cols() ? (A.row(i) * null_space).norm() : 0.0;
    if (movable > 1e-9 * std::max(A.row(i).norm(), 1e-300)) {
      held[i] = t[i];
    } else {
      // x0 = minimum-norm solution of H x = held[0..i).
      Vector x0 = Vector::Zero(n);
      const Vector c = svd.matrixU().leftCols(r).transpose() * held.head(i);
      for (Index k = 0; k < r; ++k) x0 += V.col(k) * (c[k] / sv[k]);
      held[i] = A.row(i).dot(x0);
    }
  }
  return held;
}

}  // namespace

std::string_view to_string(HedgeGreek g) {
  switch (g) {
    case HedgeGreek::delta: return "delta";
    case HedgeGreek::gamma: return "gamma";
    case HedgeGreek::vega: return "vega";
  }
  return "delta";
}

Result<HedgeResult> hedge_book(const Book& book, const std::vector<HedgeInstrument>& instruments,
                               const HedgeSettings& settings) {
  if (auto e = validate_request(book, instruments, settings); !e.ok()) return Result<HedgeResult>::failure(e);
  Result<BookReport> report = book_report(book);
  const Index n = static_cast<Index>(instruments.size());
  const Index n_u = static_cast<Index>(book.underlyings.size());
  const Index rows = static_cast<Index>(settings.neutralize.size()) * n_u;

  // A(r, j): instrument j's per-unit Greek on row r; t = -book.
  Matrix A = Matrix::Zero(rows, n);
  Vector book_figure(rows);
  HedgeResult out;
  for (std::size_t g = 0; g < settings.neutralize.size(); ++g)
    for (Index u = 0; u < n_u; ++u) {
      const Index r = static_cast<Index>(g) * n_u + u;
      HedgeRow row;
      row.greek = settings.neutralize[g];
      row.underlying = static_cast<int>(u);
      row.book = greek_of(report.value.underlyings[u], row.greek);
      book_figure[r] = row.book;
      out.rows.push_back(row);
      for (Index j = 0; j < n; ++j) {
        Position unit = instruments[j].position;
        if (unit.underlying != u) continue;
        unit.quantity = 1.0;
        A(r, j) = greek_of(position_greeks(book, unit), row.greek);
      }
    }

  // Scale rows and columns to unit norm, so rank decisions see shapes, not units.
  Vector col_scale(n), row_scale(rows);
  for (Index j = 0; j < n; ++j) col_scale[j] = A.col(j).norm() > 0 ? 1.0 / A.col(j).norm() : 1.0;
  const Matrix Ac = A * col_scale.asDiagonal();
  for (Index r = 0; r < rows; ++r) {
    const double norm = Ac.row(r).norm();
    row_scale[r] = norm > 0 ? 1.0 / norm : 1.0 / std::max(std::fabs(book_figure[r]), 1.0);
  }
  const Matrix As = row_scale.asDiagonal() * Ac;
  const Vector ts = -(row_scale.asDiagonal() * book_figure);
  const Vector held = reachable_targets(As, ts);
  const Matrix basis = row_basis(As);

  // QP on z = (x+, x-) >= 0.
  const double lambda = settings.regularization;
  Vector cost(n), cap(n);
  for (Index j = 0; j < n; ++j) cost[j] = instruments[j].cost_per_unit, cap[j] = instruments[j].max_quantity;
  optimize::QpProblem qp;
  qp.P = lambda * Matrix::Identity(2 * n, 2 * n);
  qp.q.resize(2 * n);
  qp.q << cost, cost;
  // held is in the scaled variables y = x / col_scale: As y = (D_r A) x, so rotate D_r A.
  const Matrix B = basis.rows() ? Matrix(basis * (row_scale.asDiagonal() * A)) : Matrix(0, n);
  qp.A_eq.resize(B.rows(), 2 * n);
  qp.A_eq << B, -B;
  qp.b_eq = basis.rows() ? Vector(basis * held) : Vector(0);
  qp.lb = Vector::Zero(2 * n);
  qp.ub.resize(2 * n);
  qp.ub << cap, cap;
  Result<optimize::QpResult> solved = optimize::solve_qp(qp);
  if (!solved.ok()) return Result<HedgeResult>::failure(solved.error);
  const optimize::QpResult* used = &solved.value;

  Vector x = Vector::Zero(n);
  Result<optimize::QpResult> fallback;
  if (used->status == Status::infeasible) {
    // The closest hedge within the caps: least squares on the scaled Greeks.
    const Matrix M = row_scale.asDiagonal() * A;
    optimize::QpProblem ls;
    ls.P = M.transpose() * M + lambda * Matrix::Identity(n, n);
    ls.q = -(M.transpose() * ts);
    ls.lb = -cap;
    ls.ub = cap;
    fallback = optimize::solve_qp(ls);
    if (!fallback.ok()) return Result<HedgeResult>::failure(fallback.error);
    out.fallback = "closest-within-limits";
    x = fallback.value.solution.x;
    out.iterations = fallback.value.info.iterations;
    out.primal_residual = fallback.value.info.primal_residual;
    out.dual_residual = fallback.value.info.dual_residual;
  } else if (used->solution.x.size() == 2 * n) {
    x = used->solution.x.head(n) - used->solution.x.tail(n);
    out.iterations = used->info.iterations;
    out.primal_residual = used->info.primal_residual;
    out.dual_residual = used->info.dual_residual;
  }
  out.status = used->status;
  out.message = used->message;
  out.quantities.assign(x.data(), x.data() + n);
  out.cost = cost.dot(x.cwiseAbs());

  const Vector added = A * x;
  out.all_neutralized = true;
  for (Index r = 0; r < rows; ++r) {
    HedgeRow& row = out.rows[r];
    row.hedge = added[r];
    row.residual = row.book + row.hedge;
    double scale = std::fabs(row.book);
    for (Index j = 0; j < n; ++j) scale = std::max(scale, std::fabs(A(r, j) * x[j]));
    row.neutralized = std::fabs(row.residual) <= 1e-8 * scale || (scale == 0.0 && row.residual == 0.0);
    out.all_neutralized = out.all_neutralized && row.neutralized;
  }
  if (out.status == Status::solved || out.status == Status::solved_inaccurate) {
    // Greeks left over, split by why: no instrument touches them at all, or the instruments
    // that do are needed for the Greeks before them.
    std::string untouched, crowded;
    for (Index r = 0; r < rows; ++r) {
      const HedgeRow& row = out.rows[r];
      if (row.neutralized) continue;
      std::string& list = A.row(r).norm() == 0.0 ? untouched : crowded;
      list += (list.empty() ? "" : ", ") + std::string(to_string(row.greek)) + " on " +
              book.underlyings[row.underlying].name;
    }
    if (untouched.empty() && crowded.empty()) {
      out.message = "every requested Greek is neutralized";
    } else {
      out.message = "";
      if (!crowded.empty())
        out.message = "the instruments cannot also neutralize " + crowded +
                      " once the Greeks before it are held; left at the closest value";
      if (!untouched.empty())
        out.message += (out.message.empty() ? "" : "; ") + std::string("no hedge instrument moves ") + untouched;
    }
  } else if (out.status == Status::infeasible) {
    out.message = "the size limits (maxQuantity) rule out the exact hedge; returned the closest hedge within them";
  }
  return Result<HedgeResult>::success(std::move(out));
}

}  // namespace ballast::derivatives
