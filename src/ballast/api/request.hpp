// The public request, read from JSON into engine structs (the only place that knows the
// camelCase keys). One shape serves every method, so a user can send the same request to
// estimate, optimize, frontier and report; `points` and `weights` belong to one method each.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ballast/api/reader.hpp"
#include "ballast/estimate/moments.hpp"
#include "ballast/estimate/returns.hpp"
#include "ballast/optimize/constraints.hpp"
#include "ballast/optimize/objectives.hpp"

namespace ballast::api {

using estimate::EstimatorSettings;
using estimate::Moments;
using estimate::ReturnKind;
using optimize::ObjectiveSettings;
using optimize::PortfolioConstraints;

enum class MarketKind { prices, returns, moments };

struct MarketRequest {
  std::vector<std::string> assets;
  MarketKind kind = MarketKind::prices;
  Matrix series;              // prices or returns, T x N (prices may hold NaN = missing)
  Matrix covariance;          // given moments (annualized), used as-is
  Vector expected_returns;    // given moments (annualized)
  double periods_per_year = 365;
  ReturnKind return_kind = ReturnKind::simple;
  EstimatorSettings estimator;
};

struct PortfolioRequest {
  MarketRequest market;
  ObjectiveSettings objective;
  PortfolioConstraints constraints;
  std::optional<Index> beta_asset;  // betaTo
  int frontier_points = 20;         // frontier only
  Vector weights;                   // report only
};

Result<PortfolioRequest> read_request(std::string_view method, const Json& request,
                                      const std::vector<Blob>& blobs);

// Annualized moments for the request: estimated from prices/returns, or the given ones.
// Given moments: `correlation` false leaves Moments::correlation empty (optimize, frontier and
// report never read it; it is an N x N pass). The request must come from read_request, whose
// checks the given covariance relies on.
Result<Moments> resolve_moments(const MarketRequest& market, bool correlation = true);

}  // namespace ballast::api
