// A small streaming JSON writer for the hot results (optimize, frontier). Building an
// nlohmann tree for a 500-asset allocation costs one heap node per number and name, then a
// second pass to print it; on the WASM side that fixed cost was larger than the solve at
// N = 20. This writes the same text straight into one string:
//  - numbers through nlohmann's own shortest round-trip formatter (Grisu2,
//    nlohmann::detail::to_chars), so every number is byte-identical to what dump() printed,
//    and non-finite numbers as null, as dump() does;
//  - strings raw when they are printable ASCII with nothing to escape, else through
//    nlohmann's serializer (escapes, invalid UTF-8 replaced, as dispatch's dump() did).
// Callers write object keys in sorted order (std::map order, which nlohmann's objects use),
// so the output is byte-identical to the tree version; tests/cpp/api checks that.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ballast/core/types.hpp"

namespace ballast::api {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);  // name must need no escaping (our own keys)
  JsonWriter& number(double value);        // null when not finite
  JsonWriter& integer(long long value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  JsonWriter& string(std::string_view text);
  JsonWriter& numbers(const Vector& values);  // an array of numbers
  JsonWriter& strings(const std::vector<std::string>& values);
  // Text already written as JSON (one complete value).
  JsonWriter& raw(std::string_view json);

  std::string take() { return std::move(out_); }
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

 private:
  void separate();  // a comma before every element but the first of its container

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace ballast::api
