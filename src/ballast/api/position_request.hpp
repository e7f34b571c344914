// DeFi requests, read from JSON into defi structs (the one place that knows their camelCase
// keys): `analyze` takes { positions, prices, tokens?, vols?, shock? }. Every position and
// every key is checked; errors name the field ("positions[2].tickLower").
#pragma once

#include <vector>

#include "ballast/api/reader.hpp"
#include "ballast/defi/exposure.hpp"

namespace ballast::api {

struct AnalyzeRequest {
  std::vector<defi::Position> positions;
  defi::Market market;
};

Result<AnalyzeRequest> read_analyze_request(const Json& request);

// Pieces the strategy reader shares.
// prices (required), tokens, vols, shock from `f` into `market`.
void read_market_keys(Fields& f, defi::Market& market);
// One position object at `path`.
void read_position(const Json& node, const std::string& path, defi::Position& out, Error& sink);

}  // namespace ballast::api
