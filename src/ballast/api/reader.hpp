// Non-throwing reading of a JSON request into engine structs.
//
// nlohmann/json throws on a wrong-type get<>(); the WASM build has exceptions off, so every
// access here checks the type first. A Fields object walks one JSON object: each read names
// its key, records the first Error with the full field path ("constraints.groups[1].max"),
// and turns into a no-op once an error is recorded, so request parsing reads as a flat list.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ballast/api/dispatch.hpp"
#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"

namespace ballast::api {

using Json = nlohmann::json;

std::string join_path(const std::string& parent, const std::string& key);

class Fields {
 public:
  // `node` must outlive the Fields. A non-object node records invalid-type at `path`.
  Fields(const Json& node, std::string path, Error& sink);

  // Records unknown-key for the first key not in `allowed`.
  void only(std::initializer_list<const char*> allowed);
  bool has(const char* key) const;
  const Json* get(const char* key) const;  // nullptr when absent
  std::string path(const char* key) const { return join_path(path_, key); }
  bool ok() const { return sink_.ok(); }
  Error& sink() { return sink_; }
  void fail(Status code, const std::string& field, const std::string& message);

  // Each reads an optional key, leaving `out` (the documented default) when it is absent.
  void number(const char* key, double& out);
  void positive(const char* key, double& out);  // finite and > 0
  void integer(const char* key, int& out, int min, int max);
  void text(const char* key, std::string& out);
  // One of `choices`; records unknown-value listing them otherwise.
  void choice(const char* key, std::string& out, std::initializer_list<const char*> choices);
  void required(const char* key);

 private:
  const Json* node_;
  std::string path_;
  Error& sink_;
};

// A number or, when allow_null, JSON null read as `null_value`. Records invalid-type otherwise.
bool read_number(const Json& v, const std::string& path, double& out, Error& sink,
                 bool allow_null = false, double null_value = 0.0);
// A list of names: non-empty strings, unique.
bool read_names(const Json& v, const std::string& path, std::vector<std::string>& out, Error& sink);
// A vector of finite numbers.
bool read_vector(const Json& v, const std::string& path, Vector& out, Error& sink);
// The same, or {"$blob": k} naming blobs[k] (numbers passed out of band, as for matrices); a
// non-finite blob entry is reported as non-finite, naming the element (path[i]).
bool read_vector(const Json& v, const std::string& path, const std::vector<Blob>& blobs, Vector& out,
                 Error& sink);

// A matrix: nested row arrays, {rows, cols, data: [...]}, or {rows, cols, data: {"$blob": k}}.
// With allow_missing, JSON null entries become NaN ("no value that day"); blob NaN is never
// missing: every NaN or infinity that arrives as a number is reported as non-finite.
bool read_matrix(const Json& v, const std::string& path, const std::vector<Blob>& blobs,
                 bool allow_missing, Matrix& out, Error& sink);

}  // namespace ballast::api
