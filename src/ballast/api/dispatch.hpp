// The engine's one entry point: a method name and a JSON request in, a JSON envelope out.
//
// Envelope: {"ok":true,"result":{...}} or {"ok":false,"error":{"code","message","field"}}.
// Large matrices may arrive out of band as blobs: a matrix value in the request written as
// {"rows": r, "cols": c, "data": {"$blob": k}} reads its r*c row-major numbers from blobs[k]
// (the WASM wrapper sends Float64Array data this way, so big inputs skip JSON entirely).
// The engine keeps no state between calls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ballast::api {

struct Blob {
  const double* data = nullptr;
  std::size_t size = 0;
};

// method: "optimize" | "frontier" | "estimate" | "report" | "greeks" | "impliedVol" |
//         "greeksColumns" | "impliedVolColumns" | "analyze" | "strategy" | "smile" | "surface" |
//         "book" | "hedge" | "version"
// The column methods also read a column written as {"$blob": k} from blobs[k].
std::string dispatch(std::string_view method, std::string_view request_json,
                     const std::vector<Blob>& blobs = {});

}  // namespace ballast::api
