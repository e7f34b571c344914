// Option requests, read from JSON into derivatives structs (the one place that knows their
// camelCase keys): `greeks` and `impliedVol` take { options: [...] }; `greeksColumns` and
// `impliedVolColumns` take one array (or {"$blob": k}) per option member.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "ballast/api/reader.hpp"
#include "ballast/derivatives/columns.hpp"
#include "ballast/derivatives/option.hpp"

namespace ballast::api {

// 'black-scholes' | 'black-76' | 'inverse' (the public model names).
std::optional<derivatives::PricingModel> model_from_name(std::string_view name);
inline constexpr const char* kModelNames = "'black-scholes', 'black-76', 'inverse'";

struct GreeksRequest {
  std::vector<derivatives::OptionSpec> options;  // each passed validate_option
};

struct ImpliedVolRequest {
  std::vector<derivatives::OptionSpec> options;  // each passed validate_option (vol unchecked)
  std::vector<double> prices;                    // per option, in the premium currency
};

// Columns of one book; data pointers refer to `storage` (JSON arrays) or to the blobs.
struct ColumnsRequest {
  derivatives::OptionColumns columns;
  std::size_t size = 0;
  std::array<std::vector<double>, 8> storage;
};

Result<GreeksRequest> read_greeks_request(const Json& request);
Result<ImpliedVolRequest> read_implied_vol_request(const Json& request);
// implied_vol: the impliedVolColumns keys (price, no vol) instead of the greeksColumns ones.
Result<ColumnsRequest> read_columns_request(const Json& request, const std::vector<Blob>& blobs, bool implied_vol);

}  // namespace ballast::api
