// expectedReturns as {"$blob": k}: the numbers the JS package sends out of band. Reference: the
// same request with the numbers written as JSON text; the two envelopes must be identical (but for the wall time info.solveMs),
// and a non-finite or misplaced blob gets the same errors as text does.
#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

#include "ballast/api/dispatch.hpp"
#include "ballast/api/json_io.hpp"

using namespace ballast;
using namespace ballast::api;

namespace {

const std::vector<double> kCovariance = {0.04, 0.006, 0.002, 0.006, 0.09, 0.01, 0.002, 0.01, 0.0625};

std::string request(const std::string& expected_returns) {
  return R"({"assets":["a","b","c"],"covariance":{"rows":3,"cols":3,"data":{"$blob":0}},"expectedReturns":)" +
         expected_returns + R"(,"objective":{"type":"max-sharpe"},"constraints":{"bounds":[0,1]}})";
}

}  // namespace

TEST_CASE("expectedReturns as a blob give the same result as JSON numbers", "[api][blob]") {
  const std::vector<double> mu = {0.1, 0.25, 0.125};
  const std::vector<Blob> blobs = {{kCovariance.data(), kCovariance.size()}, {mu.data(), mu.size()}};
  for (const char* method : {"optimize", "frontier", "estimate"}) {
    const std::string text = dispatch(method, request("[0.1,0.25,0.125]"), blobs);
    const std::string blob = dispatch(method, request(R"({"$blob":1})"), blobs);
    INFO(method << ": " << text);
    Json a = Json::parse(text), b = Json::parse(blob);
    CHECK(a["ok"] == true);
    // Wall times differ from call to call; everything else must be identical.
    for (Json* j : {&a, &b})
      if ((*j)["result"].contains("info")) (*j)["result"]["info"].erase("solveMs");
    CHECK(a == b);
  }
}

TEST_CASE("a blob of expectedReturns is checked like JSON numbers", "[api][blob]") {
  std::vector<double> mu = {0.1, std::numeric_limits<double>::quiet_NaN(), 0.125};
  std::vector<Blob> blobs = {{kCovariance.data(), kCovariance.size()}, {mu.data(), mu.size()}};
  Json out = Json::parse(dispatch("optimize", request(R"({"$blob":1})"), blobs));
  REQUIRE(out["ok"] == false);
  CHECK(out["error"]["code"] == "non-finite");
  CHECK(out["error"]["field"] == "expectedReturns[1]");

  mu[1] = std::numeric_limits<double>::infinity();
  out = Json::parse(dispatch("optimize", request(R"({"$blob":1})"), blobs));
  CHECK(out["error"]["code"] == "non-finite");
  CHECK(out["error"]["field"] == "expectedReturns[1]");

  // A blob of the wrong length: the same size error as a JSON array of two numbers.
  mu = {0.1, 0.2};
  blobs[1] = {mu.data(), mu.size()};
  out = Json::parse(dispatch("optimize", request(R"({"$blob":1})"), blobs));
  const Json text = Json::parse(dispatch("optimize", request("[0.1,0.2]"), blobs));
  CHECK(out["error"]["code"] == "invalid-shape");
  CHECK(out["error"] == text["error"]);

  // No such blob, or other keys beside $blob: not a vector, refused as JSON would be.
  for (const char* bad : {R"({"$blob":2})", R"({"$blob":1,"x":0})", R"({"$blob":-1})"}) {
    out = Json::parse(dispatch("optimize", request(bad), blobs));
    INFO(bad << ": " << out.dump());
    CHECK(out["ok"] == false);
    CHECK(out["error"]["code"] == "invalid-type");
    CHECK(out["error"]["field"] == "expectedReturns");
  }
}
