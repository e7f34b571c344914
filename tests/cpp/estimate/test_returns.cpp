// Returns from prices: values, ragged histories, and every refused input.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "ballast/estimate/returns.hpp"
#include "checks.hpp"

using namespace ballast;
using ballast::estimate::ReturnKind;
using ballast::estimate::returns_from_prices;
using ballast::test::max_abs_diff;
using ballast::test::NA;

// Reference: hand arithmetic (110/100 - 1 = 0.1, 99/110 - 1 = -0.1, 9/10 - 1 = -0.1, 9.9/9 - 1 = 0.1).
TEST_CASE("simple returns match hand arithmetic", "[estimate][returns]") {
  Matrix prices(3, 2);
  prices << 100, 10, 110, 9, 99, 9.9;
  auto r = returns_from_prices(prices, ReturnKind::simple);
  REQUIRE(r.ok());
  Matrix expected(2, 2);
  expected << 0.1, -0.1, -0.1, 0.1;
  CHECK(max_abs_diff(r.value, expected) < 1e-15);
}

// Reference: ln(p_t / p_{t-1}) written out with std::log.
TEST_CASE("log returns match ln of price ratios", "[estimate][returns]") {
  Matrix prices(3, 2);
  prices << 100, 10, 110, 9, 99, 9.9;
  auto r = returns_from_prices(prices, ReturnKind::log);
  REQUIRE(r.ok());
  Matrix expected(2, 2);
  expected << std::log(1.1), std::log(0.9), std::log(0.9), std::log(1.1);
  CHECK(max_abs_diff(r.value, expected) < 1e-15);
}

// Reference: the definition (a return exists only when both consecutive prices exist).
TEST_CASE("ragged histories give NaN returns exactly where a price is missing", "[estimate][returns]") {
  Matrix prices(5, 3);
  prices << 1, NA, 10,   //
      2, NA, 20,         // column 1 lists late
      4, 5, 40,           //
      8, 10, NA,         // column 2 has a gap
      16, 20, 80;
  auto r = returns_from_prices(prices, ReturnKind::simple);
  REQUIRE(r.ok());
  Matrix expected(4, 3);
  expected << 1, NA, 1,  //
      1, NA, 1,          //
      1, 1, NA,          //
      1, 1, NA;
  CHECK(max_abs_diff(r.value, expected) == 0);
}

// Reference: the error contract in returns.hpp (status and field path per bad input).
TEST_CASE("bad prices are refused with a status and the element path", "[estimate][returns][input]") {
  Matrix good(3, 2);
  good << 100, 10, 110, 9, 99, 9.9;

  SECTION("fewer than 2 periods") {
    auto r = returns_from_prices(good.topRows(1), ReturnKind::simple);
    CHECK(r.error.code == Status::invalid_shape);
    CHECK(r.error.field == "prices");
  }
  SECTION("no assets") {
    auto r = returns_from_prices(Matrix(3, 0), ReturnKind::simple);
    CHECK(r.error.code == Status::invalid_shape);
    CHECK(r.error.field == "prices");
  }
  SECTION("empty") {
    auto r = returns_from_prices(Matrix(), ReturnKind::log);
    CHECK(r.error.code == Status::invalid_shape);
  }
  SECTION("zero price") {
    Matrix p = good;
    p(1, 0) = 0;
    auto r = returns_from_prices(p, ReturnKind::simple);
    CHECK(r.error.code == Status::invalid_value);
    CHECK(r.error.field == "prices[1][0]");
  }
  SECTION("negative price, with a caller-chosen field name") {
    Matrix p = good;
    p(2, 1) = -3;
    auto r = returns_from_prices(p, ReturnKind::log, "request.prices");
    CHECK(r.error.code == Status::invalid_value);
    CHECK(r.error.field == "request.prices[2][1]");
  }
  SECTION("infinite prices") {
    Matrix p = good;
    p(2, 1) = std::numeric_limits<double>::infinity();
    auto r = returns_from_prices(p, ReturnKind::simple);
    CHECK(r.error.code == Status::non_finite);
    CHECK(r.error.field == "prices[2][1]");
    p(2, 1) = 1;
    p(0, 0) = -std::numeric_limits<double>::infinity();
    r = returns_from_prices(p, ReturnKind::simple);
    CHECK(r.error.code == Status::non_finite);
    CHECK(r.error.field == "prices[0][0]");
  }
  SECTION("a column with no price at all") {
    Matrix p = good;
    p.col(1).setConstant(NA);
    auto r = returns_from_prices(p, ReturnKind::simple);
    CHECK(r.error.code == Status::invalid_value);
    CHECK(r.error.field == "prices");
    CHECK(r.error.message.find("column 1") != std::string::npos);
  }
  SECTION("a column with prices but no two consecutive ones") {
    Matrix p = good;
    p(1, 1) = NA;
    auto r = returns_from_prices(p, ReturnKind::log);
    CHECK(r.error.code == Status::invalid_value);
    CHECK(r.error.message.find("consecutive") != std::string::npos);
  }
  SECTION("a simple return that overflows a double") {
    Matrix p = good;
    p(0, 0) = 1e-300;
    p(1, 0) = 1e300;
    auto r = returns_from_prices(p, ReturnKind::simple);
    CHECK(r.error.code == Status::non_finite);
    CHECK(r.error.field == "prices[1][0]");
    // The same prices are fine as log returns: ln differences do not overflow.
    CHECK(returns_from_prices(p, ReturnKind::log).ok());
  }
}
