#include "ballast/estimate/covariance.hpp"

#include <algorithm>

#include "ballast/estimate/inputs.hpp"
#include "ballast/estimate/recency_weights.hpp"

namespace ballast::estimate {

namespace {

Error check_inputs(const Matrix& returns, double periods_per_year, const std::string& field) {
  if (Error e = check_returns_panel(returns, field); !e.ok()) return e;
  if (Error e = check_complete_panel(returns, field); !e.ok()) return e;
  return check_periods_per_year(periods_per_year);
}

Matrix centered_columns(const Matrix& returns) {
  return returns.rowwise() - returns.colwise().mean();
}

// scale * A^T A, as a symmetric rank-k update: half the flops of a GEMM and exactly symmetric.
Matrix scaled_gram(const Matrix& a, double scale) {
  Matrix gram = Matrix::Zero(a.cols(), a.cols());
  gram.selfadjointView<Eigen::Lower>().rankUpdate(a.transpose(), scale);
  return gram.selfadjointView<Eigen::Lower>();
}

}  // namespace

Result<Matrix> sample_covariance(const Matrix& returns, double periods_per_year, const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok()) return Result<Matrix>::failure(e);
  const double periods = static_cast<double>(returns.rows());
  return Result<Matrix>::success(scaled_gram(centered_columns(returns), periods_per_year / (periods - 1)));
}

Result<Matrix> ewma_covariance(const Matrix& returns, double half_life_periods, double periods_per_year,
                               const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok()) return Result<Matrix>::failure(e);
  if (Error e = check_half_life(half_life_periods); !e.ok()) return Result<Matrix>::failure(e);
  const Vector weights = recency_weights(returns.rows(), half_life_periods);
  const double weight_sum = weights.sum();  // >= 1: the newest period weighs 1
  const Eigen::RowVectorXd ewma_mean = weights.transpose() * returns / weight_sum;
  // Scaling row t by sqrt(w_t) turns sum_t w_t y_t y_t^T into a plain Gram matrix.
  const Matrix scaled_rows = weights.cwiseSqrt().asDiagonal() * (returns.rowwise() - ewma_mean);
  return Result<Matrix>::success(scaled_gram(scaled_rows, periods_per_year / weight_sum));
}

Result<ShrunkCovariance> ledoit_wolf_covariance(const Matrix& returns, double periods_per_year,
                                                const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok())
    return Result<ShrunkCovariance>::failure(e);
  const Matrix centered = centered_columns(returns);
  const double periods = static_cast<double>(returns.rows());
  const double assets = static_cast<double>(returns.cols());
  const Matrix empirical = scaled_gram(centered, 1.0 / periods);
  const double mu = empirical.trace() / assets;

  double shrinkage = 0;  // one asset: every shrinkage gives the same matrix (scikit-learn returns 0)
  if (returns.cols() > 1) {
    const Matrix off_target = empirical - mu * Matrix::Identity(returns.cols(), returns.cols());
    const double delta = off_target.squaredNorm() / assets;
    const double fourth_moment = centered.rowwise().squaredNorm().squaredNorm() / periods;
    const double beta = std::min((fourth_moment - empirical.squaredNorm()) / (assets * periods), delta);
    // beta >= 0 in exact arithmetic (Jensen); rounding can push it below, so clamp at 0.
    shrinkage = (beta > 0 && delta > 0) ? beta / delta : 0.0;
  }
  ShrunkCovariance out;
  out.shrinkage = shrinkage;
  out.covariance = (1.0 - shrinkage) * empirical;
  out.covariance.diagonal().array() += shrinkage * mu;
  out.covariance *= periods_per_year;
  return Result<ShrunkCovariance>::success(std::move(out));
}

}  // namespace ballast::estimate
