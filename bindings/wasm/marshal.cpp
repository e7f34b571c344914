#include "marshal.hpp"

#include <cstddef>

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
