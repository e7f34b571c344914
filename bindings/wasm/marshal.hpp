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

namespace ballast::wasm {

// The columnar fast paths: `columns` is the JS object of index.d.ts (GreeksColumnsRequest /
// ImpliedVolColumnsRequest: typed-array columns, rate and dividendYield also as numbers).
// Returns {ok: true, result: {price, delta, ...: Float64Array}} (implied vol: {vol:
// Float64Array, status: Uint8Array}) or {ok: false, error: {code, message, field}}.
//
// The book is processed in chunks: each chunk's inputs are copied from the JS arrays into a
// small reused heap buffer, priced by derivatives::greeks_columns / implied_vol_columns (the
// loops the native build runs), and its results are copied straight into the output typed
// arrays, which live in JS. So the WASM heap holds a few chunk buffers, never a whole column,
// whatever the size of the book.

//
// `out` is undefined (new output arrays) or the caller's output arrays, written in place and
// returned as the result: {price, ..., charm} nine Float64Arrays (implied vol: {vol:
// Float64Array, status: Uint8Array}), each as long as the book, sharing memory with no input
// and no other output. Then a call allocates nothing in JS: a million-option call reuses the
// caller's 72 MB instead of allocating it again. A refused out is an error naming "out.<key>".
emscripten::val greeks_columns(const emscripten::val& columns, const emscripten::val& out);
emscripten::val implied_vol_columns(const emscripten::val& columns, const emscripten::val& out);
// ["ok", "at-intrinsic", ...]: the name of each implied_vol_columns status code, by code.
emscripten::val implied_vol_status_names();

}  // namespace ballast::wasm
