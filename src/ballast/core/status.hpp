// One status vocabulary for the whole engine and its JS wrapper.
//
// Two tiers share the enum (as DESIGN.md asks):
//  - solve outcomes (tier 2) are data: solved ... numerical_error;
//  - invalid calls (tier 1) are errors: invalid_json ... unsupported.
// JS receives the kebab-case string from to_string(); it never keeps a copy of the table.
#pragma once

#include <string_view>

namespace ballast {

enum class Status {
  ok,  // a call that is not a solve (estimate, report) succeeded
  // tier 2: how a solve ended
  solved,
  solved_inaccurate,
  infeasible,
  max_iterations,
  numerical_error,
  // tier 1: why a call was refused
  invalid_json,
  invalid_type,
  invalid_shape,
  invalid_value,
  non_finite,
  missing_field,
  unknown_key,
  unknown_value,
  unsupported,
};

// Stable kebab-case names ("solved-inaccurate", "unknown-key", ...).
std::string_view to_string(Status status);

// True for the tier-1 codes: the call itself was invalid.
bool is_input_error(Status status);

}  // namespace ballast
