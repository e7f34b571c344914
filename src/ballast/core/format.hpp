// Numbers in messages. snprintf rather than iostreams: <sstream> drags the locale machinery
// into the WASM module (about 95 KB) for what is a one-line message.
#pragma once

#include <string>

namespace ballast {

// Ten significant digits, shortest form ("0.6", "1.25e-07").
std::string format_number(double value);

}  // namespace ballast
