// Smiles, surfaces, books, scenarios and hedges through the API: JSON requests read into
// derivatives structs, run, and written back with their public camelCase names (docs/api.md,
// "Smiles, surfaces, books and hedges"). Each method returns the result object or the first
// input Error; dispatch.cpp wraps it in the envelope.
#pragma once

#include "ballast/api/reader.hpp"

namespace ballast::api {

Result<Json> smile_method(const Json& request);    // "smile"
Result<Json> surface_method(const Json& request);  // "surface"
Result<Json> book_method(const Json& request);     // "book" (with optional scenarios)
Result<Json> hedge_method(const Json& request);    // "hedge"

}  // namespace ballast::api
