#include "ballast/core/format.hpp"

#include <cstdio>

namespace ballast {

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

}  // namespace ballast
