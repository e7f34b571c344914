// Uniswap v3 integer math: uint256, TickMath, LiquidityAmounts.
//
// References (independent of the engine's code):
//  - TickMath.sol's own constants MIN_SQRT_RATIO = 4295128739 and
//    MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342 (v3-core);
//  - the definition sqrt(1.0001^tick) * 2^96, evaluated exactly with Python's decimal
//    (100 digits) by tests/fixtures/defi/uniswap_v3_reference.py;
//  - the same script's second implementation of TickMath and LiquidityAmounts in Python's
//    arbitrary-precision integers (// and >>, no limbs), on seeded random positions;
//  - getTickAtSqrtRatio's stated postcondition: the greatest tick whose ratio is <= the input.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "ballast/defi/liquidity_amounts.hpp"
#include "ballast/defi/tick_math.hpp"
#include "ballast/defi/uint256.hpp"

using namespace ballast::defi;

namespace {

U256 u(const char* digits) { return *parse_u256(digits); }
U256 add_one(const U256& v) {
  bool carry = false;
  return add(v, U256::from_u64(1), carry);
}

struct TickCase {
  int tick;
  const char* exact_floor;  // floor(sqrt(1.0001^tick) * 2^96), Python decimal
  const char* tick_math;    // TickMath.getSqrtRatioAtTick, Python integers
};
const TickCase kTicks[] = {
    {-887272, "4295128738", "4295128739"},
    {-500000, "1101692437043807370", "1101692437043807371"},
    {-100000, "533968626430936354154228407", "533968626430936354154228408"},
    {-1, "79224201403219477170569942573", "79224201403219477170569942574"},
    {0, "79228162514264337593543950336", "79228162514264337593543950336"},
    {1, "79232123823359799118286999567", "79232123823359799118286999568"},
    {100, "79625275426524748796330556127", "79625275426524748796330556128"},
    {1024, "83390072131320151908154831281", "83390072131320151908154831282"},
    {50000, "965075977353221155028623082915", "965075977353221155028623082916"},
    {200000, "1744244129640337381386292603617837", "1744244129640337381386292603617838"},
    {887272, "1461446703485210103244672773810124308346321380902", "1461446703485210103287273052203988822378723970342"},
};

struct AmountCase {
  int tick_lower, tick_upper;
  const char* sqrt_price_x96;
  const char* liquidity;
  const char* amount0;
  const char* amount1;
};
const AmountCase kAmounts[] = {
    {-589839, -589686, "10401874002631610", "303271440720208907091593040431699702547", "14837542639264541979572507098180183775916087635115", "0"},
    {-708510, -708366, "32714858146620", "212610819078992338115352794381886187108", "3463674832494917066954927765647921498100164198271509", "39495165279237143395"},
    {499436, 499441, "5379598066869648446880433648603150948586", "112101267891747239720392958531925585819", "400776098250916280225783", "0"},
    {366230, 418039, "52928926740297746516226957295543447130", "124055182062836771820273326639815742927", "81830992512702600485542800054", "71763712921694826957241970824450609728836883660"},
    {267272, 296142, "237941659903536799906376904421876200", "302456522905030426716770136752557151970", "0", "622314774693350763280075805099614420218669265"},
    {2079, 2086, "101100961233211040445154450761", "53064300585784472388857412163572317652", "0", "20609498743684749057505621935634605"},
    {170995, 833953, "452705604666994853016641783578263723177664", "58527880408135852999373569015760688443", "10242938717366237392110785", "334425267799566114547790476844149549589168219553920"},
    {490979, 576494, "54138642923881158300057599647570151639887", "184981796882986927571189193602791954664", "214558469168067593772227950", "117929193960367916989078040361612163313522151865683"},
    {332500, 333051, "1345793233588557178466931345829387170", "211104320283298489601821137416100698004", "47134118619655868725506177229", "84157145231443862263229334527831122423887542"},
    {858728, 858737, "441815303959365261477512865020930857637303059812", "34986283419044984937098004737010719558", "0", "69710087495511964972389812066036307675532393827308023"},
    {-199172, 42022, "92649602223147392779257152", "71916207078238858091849554086432858961", "61489458004688069641169143660340722655113", "80694290916720576828306826008572114"},
    {590663, 715491, "1041222091430467393060903093226957586195801", "165770885135763114096878136271312273735", "12565496279978765876987886", "1069522782252272830800314351926899355986637376685130"},
};

}  // namespace

TEST_CASE("uint256: decimal round trip, overflow and FullMath.mulDiv", "[defi][uint256]") {
  const std::string max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  CHECK(to_decimal(u(max.c_str())) == max);
  CHECK(to_decimal(U256::max()) == max);
  CHECK_FALSE(parse_u256("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
  CHECK_FALSE(parse_u256(""));
  CHECK_FALSE(parse_u256("12a"));
  CHECK_FALSE(parse_u256("-1"));
  CHECK(to_decimal(u("0")) == "0");
  CHECK(to_decimal(u("1000000000000000000")) == "1000000000000000000");
  // mulDiv with a 512-bit intermediate: (2^256-1)*(2^256-1)/(2^256-1) = 2^256-1.
  CHECK(*mul_div(U256::max(), U256::max(), U256::max()) == U256::max());
  // Result above 2^256 or d = 0: Solidity reverts, here nullopt.
  CHECK_FALSE(mul_div(U256::max(), U256::from_u64(2), U256::from_u64(1)));
  CHECK_FALSE(mul_div(U256::from_u64(1), U256::from_u64(1), U256{}));
  // floor vs ceil on 7*5/3 = 11.67.
  CHECK(*mul_div(U256::from_u64(7), U256::from_u64(5), U256::from_u64(3)) == U256::from_u64(11));
  CHECK(*mul_div_rounding_up(U256::from_u64(7), U256::from_u64(5), U256::from_u64(3)) == U256::from_u64(12));
  // Correctly rounded conversion: 1e18 wei = 1 ether exactly; 2^256-1 -> 1.157920892373162e77.
  CHECK(to_double(u("1000000000000000000"), 18) == 1.0);
  CHECK(to_double(U256::max()) == 115792089237316195423570985008687907853269984665640564039457584007913129639935.0);
}

TEST_CASE("TickMath: MIN_SQRT_RATIO and MAX_SQRT_RATIO are the ratios at MIN_TICK and MAX_TICK", "[defi][tick_math]") {
  CHECK(to_decimal(*sqrt_ratio_at_tick(kMinTick)) == "4295128739");
  CHECK(to_decimal(*sqrt_ratio_at_tick(kMaxTick)) == "1461446703485210103287273052203988822378723970342");
  CHECK(*sqrt_ratio_at_tick(kMinTick) == min_sqrt_ratio());
  CHECK(*sqrt_ratio_at_tick(kMaxTick) == max_sqrt_ratio());
  CHECK(to_decimal(*sqrt_ratio_at_tick(0)) == "79228162514264337593543950336");  // 2^96
  CHECK_FALSE(sqrt_ratio_at_tick(kMaxTick + 1));
  CHECK_FALSE(sqrt_ratio_at_tick(kMinTick - 1));
  CHECK(*tick_at_sqrt_ratio(min_sqrt_ratio()) == kMinTick);
  CHECK(*tick_at_sqrt_ratio(sub(max_sqrt_ratio(), U256::from_u64(1))) == kMaxTick - 1);
  CHECK_FALSE(tick_at_sqrt_ratio(max_sqrt_ratio()));  // the upper end is excluded
  CHECK_FALSE(tick_at_sqrt_ratio(sub(min_sqrt_ratio(), U256::from_u64(1))));
}

TEST_CASE("TickMath: exact against a second implementation, and within 1 unit + 3e-20 of sqrt(1.0001^tick)*2^96", "[defi][tick_math]") {
  for (const TickCase& c : kTicks) {
    INFO("tick " << c.tick);
    const U256 ours = *sqrt_ratio_at_tick(c.tick);
    CHECK(to_decimal(ours) == c.tick_math);
    const U256 exact = u(c.exact_floor);
    // TickMath rounds up to the next unit, and its Q128.128 factors are good to ~3e-20.
    CHECK(ours >= exact);
    CHECK(to_double(sub(ours, exact)) <= 1.0 + 3e-20 * to_double(exact));
  }
}

TEST_CASE("TickMath: getTickAtSqrtRatio is the greatest tick with ratio <= input", "[defi][tick_math]") {
  for (int t : {kMinTick, -500001, -1000, -1, 0, 1, 7, 1000, 499999, kMaxTick - 1}) {
    INFO("tick " << t);
    const U256 r = *sqrt_ratio_at_tick(t), next = *sqrt_ratio_at_tick(t + 1);
    CHECK(*tick_at_sqrt_ratio(r) == t);
    CHECK(*tick_at_sqrt_ratio(sub(next, U256::from_u64(1))) == t);
    if (t > kMinTick) CHECK(*tick_at_sqrt_ratio(sub(r, U256::from_u64(1))) == t - 1);
  }
}

TEST_CASE("LiquidityAmounts: exact to the last unit against Python integers", "[defi][tick_math]") {
  for (const AmountCase& c : kAmounts) {
    INFO("range [" << c.tick_lower << ", " << c.tick_upper << "] at " << c.sqrt_price_x96);
    auto amounts = amounts_for_liquidity(u(c.sqrt_price_x96), *sqrt_ratio_at_tick(c.tick_lower),
                                         *sqrt_ratio_at_tick(c.tick_upper), u(c.liquidity));
    REQUIRE(amounts);
    CHECK(to_decimal(amounts->amount0) == c.amount0);
    CHECK(to_decimal(amounts->amount1) == c.amount1);
  }
}

TEST_CASE("LiquidityAmounts: whitepaper formulas at the range edges", "[defi][tick_math]") {
  // Whitepaper eq. 6.29-6.30: below the range x = L(1/sqrt(pa) - 1/sqrt(pb)), y = 0; above it
  // x = 0, y = L(sqrt(pb) - sqrt(pa)); at p = pa the in-range formulas give the same amounts.
  const U256 L = u("1000000000000000000000");  // 1e21
  const int lo = -600, hi = 900;
  const U256 sa = *sqrt_ratio_at_tick(lo), sb = *sqrt_ratio_at_tick(hi);
  const double pa = std::pow(1.0001, lo), pb = std::pow(1.0001, hi), l = 1e21;
  auto at_lower = *amounts_for_liquidity(sa, sa, sb, L);
  auto at_upper = *amounts_for_liquidity(sb, sa, sb, L);
  CHECK(at_lower.amount1.is_zero());
  CHECK(at_upper.amount0.is_zero());
  CHECK(to_double(at_lower.amount0) == Approx(l * (1 / std::sqrt(pa) - 1 / std::sqrt(pb))).epsilon(1e-12));
  CHECK(to_double(at_upper.amount1) == Approx(l * (std::sqrt(pb) - std::sqrt(pa))).epsilon(1e-12));
  // One unit inside the lower edge: token1 appears, token0 barely changes.
  auto inside = *amounts_for_liquidity(add_one(sa), sa, sb, L);
  CHECK(inside.amount0 <= at_lower.amount0);
  CHECK(to_double(inside.amount1) < 1e-6 * l);
}
