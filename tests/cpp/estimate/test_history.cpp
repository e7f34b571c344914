// Common-window policy for ragged histories.
#include <catch2/catch.hpp>

#include <limits>

#include "ballast/estimate/history.hpp"
#include "checks.hpp"

using namespace ballast;
using ballast::estimate::restrict_to_common_window;
using ballast::test::NA;

// Reference: the definition, by inspection (rows 2 and 3 are the only complete rows).
TEST_CASE("common window keeps exactly the rows where every asset has a return", "[estimate][history]") {
  Matrix returns(5, 3);
  returns << 0.1, NA, 0.3,  //
      0.2, NA, 0.1,         //
      0.3, 0.5, 0.2,         //
      0.4, 0.6, 0.1,         //
      0.5, 0.7, NA;
  auto w = restrict_to_common_window(returns);
  REQUIRE(w.ok());
  CHECK(w.value.kept_rows == std::vector<Index>{2, 3});
  Matrix expected(2, 3);
  expected << 0.3, 0.5, 0.2, 0.4, 0.6, 0.1;
  CHECK(w.value.returns == expected);
}

// Reference: the error contract in history.hpp.
TEST_CASE("common window refuses histories that do not overlap, naming the columns", "[estimate][history][input]") {
  SECTION("disjoint histories") {
    Matrix returns(4, 3);
    returns << 0.1, 0.1, NA,  //
        0.2, 0.2, NA,         //
        0.1, NA, 0.3,         //
        0.2, NA, 0.4;
    auto w = restrict_to_common_window(returns, "estimate.returns");
    CHECK(w.error.code == Status::invalid_shape);
    CHECK(w.error.field == "estimate.returns");
    CHECK(w.error.message.find("columns 1") != std::string::npos);
    CHECK(w.error.message.find("and 2") != std::string::npos);
  }
  SECTION("overlapping spans but interleaved gaps") {
    Matrix returns(4, 2);
    returns << 0.1, NA,  //
        NA, 0.2,         //
        0.3, 0.1,         //
        NA, 0.4;
    auto w = restrict_to_common_window(returns);
    CHECK(w.error.code == Status::invalid_shape);
    CHECK(w.error.message.find("only 1 rows") != std::string::npos);
  }
  SECTION("an asset with no return") {
    Matrix returns(3, 2);
    returns << 0.1, NA, 0.2, NA, 0.3, NA;
    auto w = restrict_to_common_window(returns);
    CHECK(w.error.code == Status::invalid_shape);
    CHECK(w.error.message.find("column 1 has no return") != std::string::npos);
  }
  SECTION("an infinite return names its element") {
    Matrix returns = Matrix::Constant(3, 2, 0.01);
    returns(2, 1) = -std::numeric_limits<double>::infinity();
    auto w = restrict_to_common_window(returns);
    CHECK(w.error.code == Status::non_finite);
    CHECK(w.error.field == "returns[2][1]");
  }
}
