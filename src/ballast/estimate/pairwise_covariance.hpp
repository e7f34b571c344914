// Covariance from a ragged panel (NaN = missing) with the pairwise policy: entry (i, j) uses
// O_ij, the periods where both assets have a return, centered on the two assets' means over
// O_ij (pandas DataFrame.cov() does the same for the sample case). Annualized by
// periods_per_year. The matrix can be indefinite: pass it through nearest_psd.
//
// A pair with fewer than 2 shared periods (e.g. a token delisted before another was listed)
// has no estimate: its entry is set to 0 (uncorrelated) and the pair is listed in
// unestimated_pairs, so the fallback is never silent.
//
// Errors: check_returns_panel on `returns`, check_periods_per_year; invalid_value (field)
// when an asset has fewer than 2 returns.
#pragma once

#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

struct AssetPair {
  Index first = 0;  // first < second, both column indices of the panel
  Index second = 0;
};

struct PairwiseCovariance {
  Matrix covariance;                         // annualized, symmetric, possibly indefinite
  Index min_shared_periods = 0;              // fewest periods behind any estimated entry
  std::vector<AssetPair> unestimated_pairs;  // entries set to 0 for want of data
};

// Entry (i, j) = periods_per_year * sum_{t in O_ij} (x_ti - a_i)(x_tj - a_j) / (|O_ij| - 1),
// a_i, a_j the plain means over O_ij.
Result<PairwiseCovariance> pairwise_sample_covariance(const Matrix& returns, double periods_per_year,
                                                      const std::string& field = "returns");

// Entry (i, j) = periods_per_year * sum_{t in O_ij} w_t (x_ti - a_i)(x_tj - a_j) / sum_{t in O_ij} w_t,
// w_t = 2^(-(T-1-t)/half_life_periods) anchored at the panel's last period, a_i, a_j the
// w-weighted means over O_ij; no bias correction (as ewma_covariance, which this equals on a
// complete panel). A pair whose shared periods are so old that their weights vanish is also
// unestimated; an asset whose own returns are that old is an invalid_value error
// (estimator.halfLife). Also check_half_life.
Result<PairwiseCovariance> pairwise_ewma_covariance(const Matrix& returns, double half_life_periods,
                                                    double periods_per_year,
                                                    const std::string& field = "returns");

}  // namespace ballast::estimate
