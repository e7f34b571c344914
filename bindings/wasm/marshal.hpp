// Typed arrays -> engine inputs: the only data conversion the WASM binding does.
//
// Matrices cross from JS as Float64Array blobs, row-major (docs/api.md). Each blob is
// copied once, straight from the JS typed array into the WASM heap; the engine then reads
// it through a non-owning ballast::api::Blob view.
#pragma once

#include <emscripten/val.h>

#include <vector>

#include "ballast/api/dispatch.hpp"

namespace ballast::wasm {

// Owns the copied numbers; `views` point into `storage` and live as long as the BlobSet.
struct BlobSet {
  std::vector<std::vector<double>> storage;
  std::vector<api::Blob> views;
};

// `blobs` is a JS array of Float64Array (undefined or null means none). Anything that is
// not a Float64Array becomes an empty blob, which the engine reports as a shape mismatch.
BlobSet blobs_from_js(const emscripten::val& blobs);

}  // namespace ballast::wasm
