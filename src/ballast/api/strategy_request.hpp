// `strategy` requests: { name, prices, tokens?, vols?, shock?, ...the strategy's keys }
// read into defi strategy specs, run, and written back as { name, positions, analysis,
// summary } with the positions in the analyze() input schema (so they can be sent back).
#pragma once

#include <string>

#include "ballast/api/reader.hpp"

namespace ballast::api {

// The whole call: a JSON envelope string as dispatch returns it.
std::string run_strategy_request(const Json& request);

}  // namespace ballast::api
