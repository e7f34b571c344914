// The Greeks kernel: price and Greeks of options two at a time in SIMD lanes
// (vector_math.hpp), the formulas of black_scholes.cpp transcribed lane-wise. Every price and
// Greek the engine reports comes from here: the columnar path runs whole blocks, the object
// path (greeks_unchecked) one option in both lanes, so the two agree exactly.
//
// Every lane stays in the vector code: each of Jäckel's three regions of the wing-safe value,
// and zero total vol (expired, or zero vol), where it takes the s -> 0 limits.
#pragma once

#include <cstddef>

#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/columns.hpp"

namespace ballast::derivatives {

// Rows [0, count) of `in`, each one validate_option accepts, into out[0, count).
void greeks_block(const OptionColumns& in, std::size_t count, const GreeksColumnsOut& out);

}  // namespace ballast::derivatives
