// Any mix of DeFi positions reduced to one exposure model: per position its value, delta
// per underlying (units and USD), gamma, vega where it applies, protocol and chain; for the
// portfolio the net exposure per underlying, leverage, look-through exposure per protocol and
// per chain, the lowest health factor and the smallest price move to any liquidation.
//
// Token-level Greeks are mapped to underlyings through each token's exchange rate
// (P_token = rate * P_underlying): delta_u = sum rate_t delta_t, gamma_u = sum rate_s rate_t
// gamma_st over tokens s, t tracking u. Results are plain values; risk and optimize read
// them as vectors and never include this header (see constraint_rows.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"
#include "ballast/defi/amm_v2.hpp"
#include "ballast/defi/amm_v3.hpp"
#include "ballast/defi/lending.hpp"
#include "ballast/defi/perp.hpp"
#include "ballast/defi/spot.hpp"
#include "ballast/derivatives/option.hpp"

namespace ballast::defi {

// Options for LP positions shared by v2 and v3.
struct LpTerms {
  double fee_apr = 0.0;                 // fee income per year, fraction of value
  std::optional<double> break_even_move;  // relative move of token0's price
  double horizon_days = 365.0;
};

struct V2LpPosition {
  std::string token0, token1;
  V2Position pool;
  std::optional<double> entry_price0_usd, entry_price1_usd;
  LpTerms terms;
};

struct V3LpPosition {
  std::string token0, token1;
  V3Position position;
  std::optional<double> entry_price;  // token1 per token0 at deposit
  LpTerms terms;
};

struct LendingPosition {
  LendingAccount account;
};

struct FuturePosition {
  std::string asset;
  double size = 0.0;
  double entry_price = 0.0;
  double expiry_years = 0.0;
  std::optional<double> mark_price;
};

struct OptionPosition {
  std::string asset;
  derivatives::OptionSpec spec;  // spot/forward filled from the market when absent
  std::optional<double> vol;     // default: Market::vols[underlying]
};

using PositionData =
    std::variant<SpotPosition, V2LpPosition, V3LpPosition, LendingPosition, PerpPosition, FuturePosition, OptionPosition>;

struct Position {
  std::string id;        // default "positions[i]"
  std::string protocol;  // default by type; "" = a wallet
  std::string chain = "ethereum";
  PositionData data;
};

// The public type names: "spot", "uniswap-v2", "uniswap-v3", "aave-v3", "perp", "future", "option".
const char* type_name(const PositionData& data);
const char* default_protocol(const PositionData& data);

// Per-type results beyond the common ones.
struct SpotDetails {
  double price_usd = 0.0;
  std::string underlying;
  double exchange_rate = 1.0;
};
struct LpDetails {
  double share = 0.0;  // v2 only
  double amount0 = 0.0, amount1 = 0.0;
  double pool_price = 0.0, market_price = 0.0;
  std::optional<double> impermanent_loss;
  double fee_income_per_day_usd = 0.0;
  std::optional<double> break_even_fee_apr;
  // v3 only
  bool v3 = false;
  std::string amount0_raw, amount1_raw, sqrt_price_x96;
  int tick = 0;
  bool in_range = true;
  double price_lower = 0.0, price_upper = 0.0;
  double token0_usd_at_lower = 0.0, token0_usd_at_upper = 0.0;  // token1 price fixed
  double token1_usd_at_lower = 0.0, token1_usd_at_upper = 0.0;  // token0 price fixed
};
struct LendingDetails {
  LendingSummary summary;
  std::optional<double> health_factor_after_shock;
};
struct FutureDetails {
  double notional_usd = 0.0, unrealized_pnl_usd = 0.0, basis_to_spot = 0.0;
};
struct OptionDetails {
  double price_usd = 0.0, delta = 0.0, gamma = 0.0, vega_per_vol_point = 0.0, theta_per_day = 0.0;
};
using PositionDetails = std::variant<SpotDetails, LpDetails, LendingDetails, PerpRisk, FutureDetails, OptionDetails>;

struct PositionAnalysis {
  std::string id, type, protocol, chain;
  std::vector<std::string> protocols;  // look-through: venue first, then token issuers
  double value_usd = 0.0;
  double gross_assets_usd = 0.0;
  std::map<std::string, double> delta_units;  // per underlying
  std::map<std::string, double> delta_usd;    // delta_units * the underlying's price
  std::map<std::string, double> gamma;        // d2V/dP_u^2 per underlying
  std::optional<double> vega_per_vol_point;
  std::map<std::string, double> issuer_usd;   // USD of tokens behind each issuer
  std::vector<LiquidationPoint> liquidations;
  std::optional<double> health_factor;
  PositionDetails details;
};

struct NearestLiquidation {
  Index position = 0;
  LiquidationPoint point;
};

struct PortfolioExposure {
  double equity_usd = 0.0;
  struct Underlying {
    double units = 0.0, usd = 0.0, gamma = 0.0;
    bool stablecoin = false;
  };
  std::map<std::string, Underlying> exposures;
  double gross_exposure_usd = 0.0, net_exposure_usd = 0.0;  // non-stablecoin underlyings
  std::optional<double> gross_leverage, net_leverage;       // null when equity <= 0
  std::map<std::string, double> protocols, chains;
  std::optional<std::pair<double, Index>> lowest_health_factor;
  std::optional<NearestLiquidation> nearest_liquidation;
  std::optional<double> equity_after_shock_usd;  // when the market has a shock
};

struct Analysis {
  std::vector<PositionAnalysis> positions;
  PortfolioExposure portfolio;
};

// Errors name the position's field: "positions[2].tickLower", "positions[0].asset".
Result<Analysis> analyze(const std::vector<Position>& positions, const Market& market);

// One position alone (field: its path in errors).
Result<PositionAnalysis> analyze_position(const Position& position, const Market& market, const std::string& field);

}  // namespace ballast::defi
