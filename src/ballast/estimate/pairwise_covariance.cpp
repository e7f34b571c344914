#include "ballast/estimate/pairwise_covariance.hpp"

#include <algorithm>
#include <limits>

#include "ballast/estimate/inputs.hpp"
#include "ballast/estimate/recency_weights.hpp"

namespace ballast::estimate {

namespace {

enum class Normalization { unbiased_count, weight_sum };

Error check_inputs(const Matrix& returns, double periods_per_year, const std::string& field) {
  if (Error e = check_returns_panel(returns, field); !e.ok()) return e;
  if (Error e = check_periods_per_year(periods_per_year); !e.ok()) return e;
  return check_returns_per_asset(returns, 2, field);
}

// A^T diag(w) A via sqrt(w)-scaled rows: exactly symmetric (see covariance.cpp).
Matrix weighted_gram(const Matrix& a, const Vector& weights) {
  const Matrix scaled = weights.cwiseSqrt().asDiagonal() * a;
  Matrix gram = Matrix::Zero(a.cols(), a.cols());
  gram.selfadjointView<Eigen::Lower>().rankUpdate(scaled.transpose());
  return gram.selfadjointView<Eigen::Lower>();
}

// Each column minus its mean over its own periods, missing entries set to 0. Covariance is
// shift invariant, so this changes nothing but the rounding: sums of products of small,
// centered numbers cancel far less than sums of raw returns.
Matrix centered_and_filled(const Matrix& returns, const Matrix& mask) {
  const Matrix filled = returns.array().isNaN().select(0.0, returns);
  const Eigen::RowVectorXd own_means =
      filled.colwise().sum().cwiseQuotient(mask.colwise().sum());
  return ((filled.rowwise() - own_means).array() * mask.array()).matrix();
}

// With W_ij = sum_{O_ij} w, P_ij = sum_{O_ij} w x_i and Q_ij = sum_{O_ij} w x_i x_j,
// sum_{O_ij} w (x_i - a_i)(x_j - a_j) = Q_ij - P_ij P_ji / W_ij   (a_i = P_ij / W_ij).
Result<PairwiseCovariance> masked_covariance(const Matrix& returns, const Vector& weights,
                                               Normalization normalization, double periods_per_year) {
  const Index n = returns.cols();
  const Matrix mask = presence_mask(returns);
  const Matrix centered = centered_and_filled(returns, mask);
  const Matrix shared_periods = weighted_gram(mask, Vector::Ones(returns.rows()));
  const Matrix weight_sums = normalization == Normalization::unbiased_count
                                 ? shared_periods
                                 : weighted_gram(mask, weights);
  const Matrix sums = centered.transpose() * (weights.asDiagonal() * mask);  // P
  const Matrix cross_sums = weighted_gram(centered, weights);                // Q

  for (Index j = 0; j < n; ++j)
    if (!(weight_sums(j, j) >= smallest_usable_weight_sum))
      return Result<PairwiseCovariance>::failure(make_error(
          Status::invalid_value, half_life_field,
          "asset column " + std::to_string(j) +
              " has returns only so long ago that their weights vanish at this half-life"));

  PairwiseCovariance out;
  out.covariance = Matrix::Zero(n, n);
  out.min_shared_periods = std::numeric_limits<Index>::max();
  for (Index j = 0; j < n; ++j)
    for (Index i = j; i < n; ++i) {
      const double w = weight_sums(i, j);
      if (shared_periods(i, j) < 2 || !(w >= smallest_usable_weight_sum)) {
        out.unestimated_pairs.push_back(AssetPair{j, i});
        continue;
      }
      const double denominator = normalization == Normalization::unbiased_count ? w - 1 : w;
      const double c = periods_per_year * (cross_sums(i, j) - sums(i, j) * sums(j, i) / w) / denominator;
      out.covariance(i, j) = c;
      out.covariance(j, i) = c;
      out.min_shared_periods = std::min(out.min_shared_periods, static_cast<Index>(shared_periods(i, j)));
    }
  return Result<PairwiseCovariance>::success(std::move(out));
}

}  // namespace

Result<PairwiseCovariance> pairwise_sample_covariance(const Matrix& returns, double periods_per_year,
                                                      const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok())
    return Result<PairwiseCovariance>::failure(e);
  return masked_covariance(returns, Vector::Ones(returns.rows()), Normalization::unbiased_count,
                             periods_per_year);
}

Result<PairwiseCovariance> pairwise_ewma_covariance(const Matrix& returns, double half_life_periods,
                                                    double periods_per_year, const std::string& field) {
  if (Error e = check_inputs(returns, periods_per_year, field); !e.ok())
    return Result<PairwiseCovariance>::failure(e);
  if (Error e = check_half_life(half_life_periods); !e.ok()) return Result<PairwiseCovariance>::failure(e);
  return masked_covariance(returns, recency_weights(returns.rows(), half_life_periods),
                             Normalization::weight_sum, periods_per_year);
}

}  // namespace ballast::estimate
