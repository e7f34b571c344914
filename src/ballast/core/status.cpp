#include "ballast/core/status.hpp"

namespace ballast {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::ok: return "ok";
    case Status::solved: return "solved";
    case Status::solved_inaccurate: return "solved-inaccurate";
    case Status::infeasible: return "infeasible";
    case Status::max_iterations: return "max-iterations";
    case Status::numerical_error: return "numerical-error";
    case Status::invalid_json: return "invalid-json";
    case Status::invalid_type: return "invalid-type";
    case Status::invalid_shape: return "invalid-shape";
    case Status::invalid_value: return "invalid-value";
    case Status::non_finite: return "non-finite";
    case Status::missing_field: return "missing-field";
    case Status::unknown_key: return "unknown-key";
    case Status::unknown_value: return "unknown-value";
    case Status::unsupported: return "unsupported";
  }
  return "unknown-status";
}

bool is_input_error(Status status) {
  return status >= Status::invalid_json;
}

}  // namespace ballast
