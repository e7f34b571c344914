#pragma once

namespace ballast {
// Kept equal to package.json "version"; tests/js/version.test.mjs checks it.
inline constexpr const char* version = "0.1.0";
}  // namespace ballast
