// DeFi results to JSON: the public camelCase names of defi::Analysis (docs/api.md, "DeFi
// positions"). Non-finite numbers (an infinite leverage at zero equity) are written as null.
#pragma once

#include "ballast/api/reader.hpp"
#include "ballast/defi/exposure.hpp"

namespace ballast::api {

Json analysis_json(const defi::Analysis& analysis);
Json position_json(const defi::PositionAnalysis& position);

}  // namespace ballast::api
