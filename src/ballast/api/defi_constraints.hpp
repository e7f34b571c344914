// The optimize request's general rows: constraints.linear (any linear row over the weights)
// and constraints.defi (protocol and chain caps from look-through exposure, a health-factor
// floor after a stated shock, a leverage cap), which defi/constraint_rows turns into rows.
#pragma once

#include <string>
#include <vector>

#include "ballast/api/reader.hpp"
#include "ballast/optimize/constraints.hpp"

namespace ballast::api {

// Reads `linear` and `defi` from the constraints object `f` (bounds already read into c).
void read_general_rows(Fields& f, const std::vector<std::string>& assets, optimize::PortfolioConstraints& c);

}  // namespace ballast::api
