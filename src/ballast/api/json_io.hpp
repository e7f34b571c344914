// Results to JSON: the one place engine structs get their public camelCase names.
#pragma once

#include <string>
#include <vector>

#include "ballast/api/reader.hpp"
#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/implied_vol.hpp"
#include "ballast/estimate/moments.hpp"
#include "ballast/optimize/frontier.hpp"
#include "ballast/optimize/allocation.hpp"
#include "ballast/risk/portfolio_report.hpp"

namespace ballast::api {

Json to_json(const Vector& v);
Json to_json(const Matrix& m);  // nested rows
Json to_json(const Error& e);
Json to_json(const risk::PortfolioReport& r, bool beta_requested);

Json estimate_json(const std::vector<std::string>& assets, const estimate::Moments& m);
// The allocation plus its report (absent when there are no weights, e.g. infeasible).
Json allocation_json(const std::vector<std::string>& assets, const optimize::Allocation& a,
                     const risk::PortfolioReport* report, bool beta_requested);
Json frontier_json(const std::vector<std::string>& assets, const optimize::Frontier& f);

// The success envelopes {"ok":true,"result":...} of optimize and frontier, written straight to
// text by JsonWriter: byte-identical to dumping {"ok":true,"result":allocation_json(...)}
// (and frontier_json), without building the tree (the hot path's fixed cost).
std::string allocation_envelope(const std::vector<std::string>& assets, const optimize::Allocation& a,
                                const risk::PortfolioReport* report, bool beta_requested);
std::string frontier_envelope(const std::vector<std::string>& assets, const optimize::Frontier& f);

// { options: [per-unit Greeks; netTransactionDelta for inverse options only],
//   totals: quantity-weighted sums of every Greek but netTransactionDelta }.
Json greeks_json(const std::vector<derivatives::OptionSpec>& options,
                 const std::vector<derivatives::OptionGreeks>& greeks);
// { vol (null unless ok or at-intrinsic), status, iterations }.
Json to_json(const derivatives::ImpliedVol& iv);

}  // namespace ballast::api
