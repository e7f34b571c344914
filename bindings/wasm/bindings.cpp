// The embind registration table: free functions and plain values only (no class handles,
// so JS never has to delete() anything). All marshalling lives in marshal.cpp; the JS
// wrapper (bindings/js/index.js) builds requests and turns error envelopes into exceptions.
#include <emscripten/bind.h>
#include <malloc.h>

#include <string>

#include "ballast/api/dispatch.hpp"
#include "ballast/core/version.hpp"
#include "marshal.hpp"

#ifdef BALLAST_WASM_EIGEN_SSE2  // cmake/wasm.cmake: the build asked for Eigen's SSE2 kernels
#include <Eigen/Core>
#ifndef EIGEN_VECTORIZE_SSE2
#error "BALLAST_WASM_EIGEN_SSE2 is on but Eigen's SSE2 path is off (see cmake/wasm.cmake)"
#endif
#endif

namespace {

// method + JSON request + matrices as Float64Array blobs -> JSON envelope.
std::string call(const std::string& method, const std::string& request_json,
                 const emscripten::val& blobs) {
  const ballast::wasm::BlobSet set = ballast::wasm::blobs_from_js(blobs);
  return ballast::api::dispatch(method, request_json, set.views);
}

std::string version() { return ballast::version; }

// Bytes malloc has handed out and not taken back; the JS leak test watches it.
double heap_bytes_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(ballast) {
  emscripten::function("call", &call);
  // Typed-array fast paths for large books (marshal.hpp): no JSON for the data.
  emscripten::function("greeksColumns", &ballast::wasm::greeks_columns);
  emscripten::function("impliedVolColumns", &ballast::wasm::implied_vol_columns);
  emscripten::function("impliedVolStatusNames", &ballast::wasm::implied_vol_status_names);
  emscripten::function("version", &version);
  emscripten::function("heapBytesInUse", &heap_bytes_in_use);
}
