#include "marshal.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "ballast/api/option_request.hpp"
#include "ballast/derivatives/columns.hpp"
#include "ballast/derivatives/implied_vol.hpp"

namespace ballast::wasm {

BlobSet blobs_from_js(const emscripten::val& blobs) {
  BlobSet set;
  if (blobs.isUndefined() || blobs.isNull()) return set;

  const auto count = blobs["length"].as<std::size_t>();
  const emscripten::val float64_array = emscripten::val::global("Float64Array");
  set.storage.reserve(count);
  for (std::size_t k = 0; k < count; ++k) {
    const emscripten::val blob = blobs[k];
    if (blob.instanceof(float64_array)) {
      // One copy: TypedArray.prototype.set from the JS array into a heap view.
      set.storage.push_back(emscripten::convertJSArrayToNumberVector<double>(blob));
    } else {
      set.storage.emplace_back();
    }
  }
  // Views are taken only after storage stops growing, so no pointer is invalidated.
  set.views.reserve(count);
  for (const auto& numbers : set.storage) set.views.push_back({numbers.data(), numbers.size()});
  return set;
}

}  // namespace ballast::wasm

// ---- columnar Greeks and implied vols ----------------------------------------------------------

namespace ballast::wasm {

namespace {

using emscripten::val;

// Options per pass: 16 buffers of 32 KB, so a chunk's inputs and outputs stay in the L2 cache
// between the copy in, the pricing loop and the copy out.
constexpr std::size_t kChunk = 4096;

// One input column as it arrived from JS.
struct InputColumn {
  const char* key;
  derivatives::Column* target;
  bool scalar_ok;   // a number broadcast to every option (rate, dividendYield)
  bool optional;    // absent = 0 for every option
  bool uint8_ok;    // kind may be a Uint8Array
  val array = val::undefined();
  std::vector<double> buffer;
};

val envelope_error(const Error& e) {
  val error = val::object();
  error.set("code", std::string(to_string(e.code)));
  error.set("message", e.message);
  error.set("field", e.field);
  val out = val::object();
  out.set("ok", false);
  out.set("error", error);
  return out;
}

val envelope_result(const val& result) {
  val out = val::object();
  out.set("ok", true);
  out.set("result", result);
  return out;
}

bool is_plain_object(const val& v) {
  return v.typeOf().as<std::string>() == "object" && !v.isNull() &&
         !val::global("Array").call<bool>("isArray", v) && !val::global("ArrayBuffer").call<bool>("isView", v);
}

// Reads the model and every column; on success n is the book size.
Error read_columns(const val& columns, bool implied_vol, derivatives::OptionColumns& c,
                   std::vector<InputColumn>& inputs, std::size_t& n) {
  if (!is_plain_object(columns))
    return make_error(Status::invalid_type, "", "the request must be an object of columns");
  inputs = {
      {"kind", &c.kind, false, false, true, val::undefined(), {}},
      {implied_vol ? "price" : "vol", implied_vol ? &c.price : &c.vol, false, false, false, val::undefined(), {}},
      {"underlying", &c.underlying, false, false, false, val::undefined(), {}},
      {"strike", &c.strike, false, false, false, val::undefined(), {}},
      {"expiryYears", &c.expiry_years, false, false, false, val::undefined(), {}},
      {"rate", &c.rate, true, true, false, val::undefined(), {}},
      {"dividendYield", &c.dividend_yield, true, true, false, val::undefined(), {}},
  };
  const val keys = val::global("Object").call<val>("keys", columns);
  const auto key_count = keys["length"].as<std::size_t>();
  for (std::size_t k = 0; k < key_count; ++k) {
    const std::string key = keys[k].as<std::string>();
    bool known = key == "model";
    for (const InputColumn& in : inputs) known = known || key == in.key;
    if (!known) {
      std::string list = "model";
      for (const InputColumn& in : inputs) list += std::string(", ") + in.key;
      return make_error(Status::unknown_key, key, "unknown key; expected one of: " + list);
    }
  }
  const val model = columns["model"];
  if (model.isUndefined()) return make_error(Status::missing_field, "model", "this field is required");
  if (model.typeOf().as<std::string>() != "string")
    return make_error(Status::invalid_type, "model", "expected a string");
  const std::optional<derivatives::PricingModel> parsed = api::model_from_name(model.as<std::string>());
  if (!parsed)
    return make_error(Status::unknown_value, "model",
                      "'" + model.as<std::string>() + "' is not one of " + api::kModelNames);
  c.model = *parsed;

  const val float64_array = val::global("Float64Array");
  const val uint8_array = val::global("Uint8Array");
  std::vector<derivatives::ColumnLength> lengths;
  for (InputColumn& in : inputs) {
    const val v = columns[in.key];
    if (v.isUndefined()) {
      if (!in.optional) return make_error(Status::missing_field, in.key, "this column is required");
      *in.target = derivatives::Column{nullptr, 0.0};
      continue;
    }
    if (in.scalar_ok && v.typeOf().as<std::string>() == "number") {
      *in.target = derivatives::Column{nullptr, v.as<double>()};
      continue;
    }
    if (!(v.instanceof(float64_array) || (in.uint8_ok && v.instanceof(uint8_array))))
      return make_error(Status::invalid_type, in.key,
                        in.uint8_ok    ? "expected a Uint8Array or a Float64Array (0 call, 1 put)"
                        : in.scalar_ok ? "expected a Float64Array or a number"
                                       : "expected a Float64Array");
    in.array = v;
    lengths.push_back({in.key, v["length"].as<std::size_t>()});
  }
  return derivatives::require_equal_lengths(lengths, n);
}

// Copies elements [start, start + count) of every array column into its chunk buffer.
void load_chunk(std::vector<InputColumn>& inputs, std::size_t start, std::size_t count) {
  for (InputColumn& in : inputs) {
    if (in.array.isUndefined()) continue;
    in.buffer.resize(count);
    val(emscripten::typed_memory_view(count, in.buffer.data()))
        .call<void>("set", in.array.call<val>("subarray", static_cast<double>(start), static_cast<double>(start + count)));
    *in.target = derivatives::Column{in.buffer.data(), 0.0};
  }
}

// Two typed arrays share memory (the same buffer, intersecting byte ranges).
bool overlaps(const val& a, const val& b) {
  if (!a["buffer"].strictlyEquals(b["buffer"])) return false;
  const double a0 = a["byteOffset"].as<double>(), a1 = a0 + a["byteLength"].as<double>();
  const double b0 = b["byteOffset"].as<double>(), b1 = b0 + b["byteLength"].as<double>();
  return a0 < b1 && b0 < a1;
}

// The output arrays: new ones (out undefined), or the caller's, checked: an object holding
// exactly the named arrays, each of the given type and n long, sharing memory with no input
// column and no other output (the chunked copies would otherwise overwrite inputs not yet read).
Error output_arrays(const val& out, const std::vector<std::pair<const char*, const char*>>& names, std::size_t n,
                    const std::vector<InputColumn>& inputs, std::vector<val>& arrays) {
  arrays.clear();
  if (out.isUndefined() || out.isNull()) {
    for (const auto& [name, type] : names) arrays.push_back(val::global(type).new_(static_cast<double>(n)));
    return Error::none();
  }
  if (!is_plain_object(out)) return make_error(Status::invalid_type, "out", "out must be an object of typed arrays");
  const val keys = val::global("Object").call<val>("keys", out);
  const auto key_count = keys["length"].as<std::size_t>();
  for (std::size_t k = 0; k < key_count; ++k) {
    const std::string key = keys[k].as<std::string>();
    bool known = false;
    std::string list;
    for (const auto& [name, type] : names) {
      known = known || key == name;
      list += (list.empty() ? "" : ", ") + std::string(name);
    }
    if (!known) return make_error(Status::unknown_key, "out." + key, "unknown key; expected " + list);
  }
  for (const auto& [name, type] : names) {
    const std::string field = std::string("out.") + name;
    const val a = out[name];
    if (a.isUndefined()) return make_error(Status::missing_field, field, "this output array is required");
    if (!a.instanceof(val::global(type))) return make_error(Status::invalid_type, field, std::string("expected a ") + type);
    const auto length = a["length"].as<std::size_t>();
    if (length != n)
      return make_error(Status::invalid_shape, field,
                        field + " has " + std::to_string(length) + " entries; the book has " + std::to_string(n));
    for (const InputColumn& in : inputs)
      if (!in.array.isUndefined() && overlaps(a, in.array))
        return make_error(Status::invalid_value, field, std::string("shares memory with the input column ") + in.key);
    for (std::size_t k = 0; k < arrays.size(); ++k)
      if (overlaps(a, arrays[k]))
        return make_error(Status::invalid_value, field, std::string("shares memory with out.") + names[k].first);
    arrays.push_back(a);
  }
  return Error::none();
}

template <class T>
void store_chunk(val& out, const std::vector<T>& buffer, std::size_t start, std::size_t count) {
  out.call<void>("set", val(emscripten::typed_memory_view(count, buffer.data())), static_cast<double>(start));
}

}  // namespace

val greeks_columns(const val& columns, const val& out_arrays) {
  derivatives::OptionColumns c;
  std::vector<InputColumn> inputs;
  std::size_t n = 0;
  if (Error e = read_columns(columns, false, c, inputs, n); !e.ok()) return envelope_error(e);
  const char* names[] = {"price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga", "charm"};
  constexpr std::size_t kOutputs = std::size(names);
  std::vector<std::pair<const char*, const char*>> typed_names;
  for (const char* name : names) typed_names.push_back({name, "Float64Array"});
  std::vector<val> outputs;
  if (Error e = output_arrays(out_arrays, typed_names, n, inputs, outputs); !e.ok()) return envelope_error(e);
  std::vector<std::vector<double>> buffers(kOutputs, std::vector<double>(std::min(n, kChunk)));
  const derivatives::GreeksColumnsOut out{buffers[0].data(), buffers[1].data(), buffers[2].data(),
                                          buffers[3].data(), buffers[4].data(), buffers[5].data(),
                                          buffers[6].data(), buffers[7].data(), buffers[8].data()};
  for (std::size_t start = 0; start < n; start += kChunk) {
    const std::size_t count = std::min(kChunk, n - start);
    load_chunk(inputs, start, count);
    if (Error e = derivatives::greeks_columns(c, count, start, out); !e.ok()) return envelope_error(e);
    for (std::size_t k = 0; k < kOutputs; ++k) store_chunk(outputs[k], buffers[k], start, count);
  }
  val result = val::object();
  for (std::size_t k = 0; k < kOutputs; ++k) result.set(names[k], outputs[k]);
  return envelope_result(result);
}

val implied_vol_columns(const val& columns, const val& out_arrays) {
  derivatives::OptionColumns c;
  std::vector<InputColumn> inputs;
  std::size_t n = 0;
  if (Error e = read_columns(columns, true, c, inputs, n); !e.ok()) return envelope_error(e);
  std::vector<val> outputs;
  if (Error e = output_arrays(out_arrays, {{"vol", "Float64Array"}, {"status", "Uint8Array"}}, n, inputs, outputs);
      !e.ok())
    return envelope_error(e);
  val vol = outputs[0];
  val status = outputs[1];
  std::vector<double> vol_buffer(std::min(n, kChunk));
  std::vector<std::uint8_t> status_buffer(std::min(n, kChunk));
  for (std::size_t start = 0; start < n; start += kChunk) {
    const std::size_t count = std::min(kChunk, n - start);
    load_chunk(inputs, start, count);
    if (Error e = derivatives::implied_vol_columns(c, count, start, {vol_buffer.data(), status_buffer.data()}); !e.ok())
      return envelope_error(e);
    store_chunk(vol, vol_buffer, start, count);
    store_chunk(status, status_buffer, start, count);
  }
  val result = val::object();
  result.set("vol", vol);
  result.set("status", status);
  return envelope_result(result);
}

val implied_vol_status_names() {
  using derivatives::ImpliedVolStatus;
  val names = val::array();
  for (ImpliedVolStatus s : {ImpliedVolStatus::ok, ImpliedVolStatus::at_intrinsic, ImpliedVolStatus::below_intrinsic,
                             ImpliedVolStatus::above_maximum})
    names.set(static_cast<unsigned>(s), std::string(derivatives::to_string(s)));
  return names;
}

}  // namespace ballast::wasm
