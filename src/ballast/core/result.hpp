// Error and Result: how every engine function reports an invalid call without throwing.
// (Debian's Emscripten builds without exceptions; a stray throw aborts the module.)
#pragma once

#include <string>
#include <utility>

#include "ballast/core/status.hpp"

namespace ballast {

// A refused call: what was wrong (code), in words (message), and where (field, a path
// into the request such as "constraints.groups[1].max"; empty when it is the whole call).
struct Error {
  Status code = Status::ok;
  std::string message;
  std::string field;

  bool ok() const { return code == Status::ok; }
  static Error none() { return {}; }
};

inline Error make_error(Status code, std::string field, std::string message) {
  return Error{code, std::move(message), std::move(field)};
}

// A value or the Error that prevented it. T must be default-constructible.
template <class T>
struct Result {
  T value{};
  Error error;

  bool ok() const { return error.ok(); }
  static Result success(T v) { return Result{std::move(v), Error::none()}; }
  static Result failure(Error e) { return Result{T{}, std::move(e)}; }
};

}  // namespace ballast
