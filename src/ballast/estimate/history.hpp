// What to do when assets have ragged histories (listed late, delisted early, gaps).
//
// common_window: keep only the periods where every asset has a return, then estimate as
//   if the panel were complete. Every estimate sees the same periods (the covariance is PSD
//   by construction) but young assets shorten everyone's history.
// pairwise: each mean uses the periods where that asset has a return; each covariance entry
//   the periods where both assets have one (see pairwise_covariance.hpp). Uses all the data
//   but the matrix can be indefinite, so it goes through nearest_psd.
#pragma once

#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::estimate {

enum class MissingPolicy { common_window, pairwise };

struct CommonWindow {
  Matrix returns;                // kept_rows.size() x N, no NaN
  std::vector<Index> kept_rows;  // indices into the input panel, oldest first
};

// returns: T x N, NaN = missing. Keeps the rows where every asset has a return.
// Errors: those of check_returns_panel; invalid_shape (field) when fewer than 2 rows
// remain, with a message naming the asset columns that do not overlap.
Result<CommonWindow> restrict_to_common_window(const Matrix& returns,
                                               const std::string& field = "returns");

}  // namespace ballast::estimate
