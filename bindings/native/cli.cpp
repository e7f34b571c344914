// ballast-native <method> <file.json|->
//
// Reads one JSON request (from a file, or stdin for "-"), runs ballast::api::dispatch and
// prints the envelope it returns on stdout: {"ok":true,"result":...} or
// {"ok":false,"error":{...}}. Exit status: 0 when ok, 2 when the engine refused the
// request, 1 for a usage or I/O problem (message on stderr).
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "ballast/api/dispatch.hpp"

namespace {

constexpr const char* kUsage =
    "usage: ballast-native <optimize|frontier|estimate|report|greeks|impliedVol|greeksColumns|\n"
    "                      impliedVolColumns|analyze|strategy|smile|surface|book|hedge|version> <file.json|->\n";

bool read_all(std::istream& in, std::string& out) {
  std::ostringstream buffer;
  buffer << in.rdbuf();
  out = buffer.str();
  return !in.bad();
}

// The envelope's top-level "ok" is its first or its last member (the engine writes objects
// with sorted or insertion-ordered keys), so no JSON parser is needed here.
bool envelope_ok(std::string_view envelope) {
  constexpr std::string_view first = "{\"ok\":true,";
  constexpr std::string_view last = ",\"ok\":true}";
  while (!envelope.empty() && std::isspace(static_cast<unsigned char>(envelope.back()))) {
    envelope.remove_suffix(1);
  }
  return envelope.substr(0, first.size()) == first ||
         (envelope.size() >= last.size() && envelope.substr(envelope.size() - last.size()) == last);
}

}  // namespace

int main(int argc, char** argv) {
  // "version" needs no request; every other method takes exactly one source.
  const bool bare_version = argc == 2 && std::string_view(argv[1]) == "version";
  if (argc != 3 && !bare_version) {
    std::cerr << kUsage;
    return 1;
  }
  const std::string_view method = argv[1];
  const std::string_view source = bare_version ? "" : argv[2];

  std::string request = "{}";
  if (source == "-") {
    if (!read_all(std::cin, request)) {
      std::cerr << "ballast-native: cannot read stdin\n";
      return 1;
    }
  } else if (!source.empty()) {
    std::ifstream file{std::string(source), std::ios::binary};
    if (!file || !read_all(file, request)) {
      std::cerr << "ballast-native: cannot read " << source << "\n";
      return 1;
    }
  }

  const std::string envelope = ballast::api::dispatch(method, request);
  std::fwrite(envelope.data(), 1, envelope.size(), stdout);
  std::fputc('\n', stdout);
  return envelope_ok(envelope) ? 0 : 2;
}
