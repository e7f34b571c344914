// ballast-native-bench: times the native engine on the requests bench/run.mjs writes.
//
//   ballast-native-bench <manifest>
//
// Each manifest line: <id> <method> <request.json> <blob.bin|-> <minReps> <maxReps> <budgetMs>
// The request is read once; the blob file holds raw little-endian doubles (the covariance,
// row-major) and is passed to dispatch() as blob 0, exactly as the WASM wrapper passes a
// Float64Array. The timed call is the whole public entry point, as the WASM side times it:
// ballast::api::dispatch(method, json, blobs): JSON parse, validation, solve and the
// result envelope. One untimed warm-up call, then at least minReps and at most maxReps
// timed calls, stopping once budgetMs has been spent. Prints one JSON line per case:
//   {"id":..., "method":..., "reps":..., "medianMs":..., "minMs":..., "envelope":<dispatch output>}
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "ballast/api/dispatch.hpp"

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
    std::string id, method, json_path, blob_path;
    int min_reps = 0, max_reps = 0;
    double budget_ms = 0;
    if (!(fields >> id >> method >> json_path >> blob_path >> min_reps >> max_reps >> budget_ms)) {
      std::cerr << "bad manifest line: " << line << "\n";
      return 2;
    }
    std::string request, blob_bytes;
    if (!read_file(json_path, request)) {
      std::cerr << "cannot read " << json_path << "\n";
      return 2;
    }
    std::vector<double> blob;
    if (blob_path != "-") {
      if (!read_file(blob_path, blob_bytes) || blob_bytes.size() % sizeof(double) != 0) {
        std::cerr << "cannot read blob " << blob_path << "\n";
        return 2;
      }
      blob.resize(blob_bytes.size() / sizeof(double));
      std::copy(blob_bytes.begin(), blob_bytes.end(), reinterpret_cast<char*>(blob.data()));
    }
    std::vector<ballast::api::Blob> blobs;
    if (!blob.empty()) blobs.push_back({blob.data(), blob.size()});

    std::string envelope = ballast::api::dispatch(method, request, blobs);  // warm-up
    std::vector<double> times;
    double spent = 0;
    while (static_cast<int>(times.size()) < max_reps &&
           (static_cast<int>(times.size()) < min_reps || spent < budget_ms)) {
      const auto t0 = Clock::now();
      envelope = ballast::api::dispatch(method, request, blobs);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      times.push_back(ms);
      spent += ms;
    }
    std::cout << "{\"id\":\"" << id << "\",\"method\":\"" << method << "\",\"reps\":" << times.size();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", median(times));
    std::cout << ",\"medianMs\":" << buf;
    std::snprintf(buf, sizeof buf, "%.6f", *std::min_element(times.begin(), times.end()));
    std::cout << ",\"minMs\":" << buf << ",\"envelope\":" << envelope << "}\n" << std::flush;
  }
  return 0;
}
