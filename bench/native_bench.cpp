// ballast-native-bench: times the native engine on the requests bench/run.mjs writes.
//
//   ballast-native-bench <manifest>
//
// Each manifest line: <id> <method> <request.json> <blobs|-> <minReps> <maxReps> <budgetMs> [<out.bin>]
// The request is read once; each blob file holds raw little-endian doubles (the covariance,
// row-major, or the expected returns; or one option column) and `blobs` is a comma-separated list of them, passed as
// blob 0, 1, ... exactly as the WASM wrapper passes Float64Arrays. One untimed warm-up call,
// then at least minReps and at most maxReps timed calls, stopping once budgetMs has been
// spent. Prints one JSON line per case:
//   {"id":..., "method":..., "reps":..., "medianMs":..., "minMs":..., "pageFaultsPerCall":...,
//    "envelope":...}
// pageFaultsPerCall: the minor page faults (getrusage) the timed calls took, per call: one per
// fresh 4 KB page a call first writes, as new output arrays are.
//
// What is timed, per method:
//   estimate | optimize | frontier | report: the whole public entry point, as the WASM side
//     times it: ballast::api::dispatch(method, json, blobs): JSON parse, validation, solve
//     and the result envelope (printed as "envelope").
//   greeksColumns | impliedVolColumns: what the WASM typed-array fast path runs
//     (bindings/wasm/marshal.cpp), minus its JS copies: JSON parse of the small request
//     (columns are {"$blob": k}), api::read_columns_request (validation), new zeroed output
//     arrays (9 columns; vol + status), as the WASM wrapper returns new typed arrays on every
//     call, and derivatives::greeks_columns / implied_vol_columns over the whole book.
//     With the suffix ":reuse" the output arrays are allocated by the warm-up call and reused,
//     as a C++ caller may hold them, so allocation is not timed. After timing, the price
//     (Greeks) or vol (implied vol) column of the last call is written to out.bin as raw
//     doubles for the accuracy check; "envelope" is {"ok":true} or the error.
//   dispatch:greeksColumns | dispatch:impliedVolColumns: dispatch() itself, whose result is
//     JSON text (one number per output element); "envelope" is {"ok":true} or the error.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "ballast/api/dispatch.hpp"
#include "ballast/api/json_io.hpp"
#include "ballast/api/option_request.hpp"
#include "ballast/derivatives/columns.hpp"

namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

std::vector<std::string> split(const std::string& list, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(list);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

// Output arrays of a columnar case: new per call, or (reuse) sized by the warm-up call and
// reused by the timed calls.
struct ColumnsOutput {
  std::vector<std::vector<double>> columns;  // Greeks: price ... charm; implied vol: vol
  std::vector<std::uint8_t> status;
};

// One columnar call (see the header). Returns the envelope ({"ok":true} or the error).
std::string run_columns(const std::string& method, const std::string& request,
                        const std::vector<ballast::api::Blob>& blobs, bool reuse, ColumnsOutput& o) {
  using ballast::api::Json;
  namespace d = ballast::derivatives;
  const bool implied_vol = method == "impliedVolColumns";
  if (!reuse) o = ColumnsOutput{};
  const Json json = Json::parse(request.begin(), request.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return "{\"ok\":false,\"error\":{\"code\":\"invalid-json\"}}";
  const auto r = ballast::api::read_columns_request(json, blobs, implied_vol);
  auto fail = [](const ballast::Error& e) { return Json{{"ok", false}, {"error", ballast::api::to_json(e)}}.dump(); };
  if (!r.ok()) return fail(r.error);
  const std::size_t n = r.value.size;
  const std::size_t count = implied_vol ? 1 : 9;
  if (o.columns.size() != count || o.columns[0].size() != n) {
    o.columns.assign(count, {});
    for (auto& c : o.columns) c.resize(n);
    o.status.resize(implied_vol ? n : 0);
  }
  auto& c = o.columns;
  if (implied_vol) {
    if (ballast::Error e = d::implied_vol_columns(r.value.columns, n, 0, {c[0].data(), o.status.data()}); !e.ok())
      return fail(e);
  } else {
    const d::GreeksColumnsOut out{c[0].data(), c[1].data(), c[2].data(), c[3].data(), c[4].data(),
                                  c[5].data(), c[6].data(), c[7].data(), c[8].data()};
    if (ballast::Error e = d::greeks_columns(r.value.columns, n, 0, out); !e.ok()) return fail(e);
  }
  return "{\"ok\":true}";
}

// Minor page faults of the process so far (one per fresh page first touched).
long minor_page_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ballast-native-bench <manifest>\n";
    return 2;
  }
  std::ifstream manifest(argv[1]);
  if (!manifest) {
    std::cerr << "cannot read manifest " << argv[1] << "\n";
    return 2;
  }
  using Clock = std::chrono::steady_clock;
  std::string line;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string id, method, json_path, blob_paths, out_path;
    int min_reps = 0, max_reps = 0;
    double budget_ms = 0;
    if (!(fields >> id >> method >> json_path >> blob_paths >> min_reps >> max_reps >> budget_ms)) {
      std::cerr << "bad manifest line: " << line << "\n";
      return 2;
    }
    fields >> out_path;  // optional
    std::string request, blob_bytes;
    if (!read_file(json_path, request)) {
      std::cerr << "cannot read " << json_path << "\n";
      return 2;
    }
    std::vector<std::vector<double>> blob_data;
    for (const std::string& blob_path : split(blob_paths == "-" ? "" : blob_paths, ',')) {
      if (!read_file(blob_path, blob_bytes) || blob_bytes.size() % sizeof(double) != 0) {
        std::cerr << "cannot read blob " << blob_path << "\n";
        return 2;
      }
      blob_data.emplace_back(blob_bytes.size() / sizeof(double));
      std::copy(blob_bytes.begin(), blob_bytes.end(), reinterpret_cast<char*>(blob_data.back().data()));
    }
    std::vector<ballast::api::Blob> blobs;
    for (const std::vector<double>& b : blob_data) blobs.push_back({b.data(), b.size()});

    const std::string manifest_method = method;  // printed as given
    const bool reuse = method.size() > 6 && method.compare(method.size() - 6, 6, ":reuse") == 0;
    if (reuse) method.resize(method.size() - 6);
    const bool columns = method == "greeksColumns" || method == "impliedVolColumns";
    const bool quiet_dispatch = method.rfind("dispatch:", 0) == 0;  // huge JSON result: not printed
    const std::string dispatch_method = quiet_dispatch ? method.substr(9) : method;
    ColumnsOutput outputs;
    auto call = [&] {
      return columns ? run_columns(method, request, blobs, reuse, outputs)
                     : ballast::api::dispatch(dispatch_method, request, blobs);
    };
    std::string envelope = call();  // warm-up
    std::vector<double> times;
    double spent = 0;
    const long faults_before = minor_page_faults();
    while (static_cast<int>(times.size()) < max_reps &&
           (static_cast<int>(times.size()) < min_reps || spent < budget_ms)) {
      const auto t0 = Clock::now();
      envelope = call();
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      times.push_back(ms);
      spent += ms;
    }
    const double faults_per_call = double(minor_page_faults() - faults_before) / double(times.size());
    if (quiet_dispatch && envelope.rfind("{\"ok\":true", 0) == 0) envelope = "{\"ok\":true}";
    if (columns && !out_path.empty() && envelope == "{\"ok\":true}") {
      std::ofstream out(out_path, std::ios::binary);
      const std::vector<double>& first = outputs.columns[0];
      out.write(reinterpret_cast<const char*>(first.data()), static_cast<std::streamsize>(first.size() * sizeof(double)));
      if (!out) {
        std::cerr << "cannot write " << out_path << "\n";
        return 2;
      }
    }
    std::cout << "{\"id\":\"" << id << "\",\"method\":\"" << manifest_method << "\",\"reps\":" << times.size();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", median(times));
    std::cout << ",\"medianMs\":" << buf;
    std::snprintf(buf, sizeof buf, "%.6f", *std::min_element(times.begin(), times.end()));
    std::cout << ",\"minMs\":" << buf;
    std::snprintf(buf, sizeof buf, "%.1f", faults_per_call);
    std::cout << ",\"pageFaultsPerCall\":" << buf << ",\"envelope\":" << envelope << "}\n" << std::flush;
  }
  return 0;
}
