// An Aave v3 style lending account: supplies and borrows per asset, each collateral with its
// LTV, liquidation threshold and bonus, and e-mode categories whose parameters replace the
// asset's own for assets in the account's category.
//
//   health factor  HF = sum_i collateral_i * LT_i / sum_j debt_j       (null with no debt)
//   borrowing power left = sum_i collateral_i * LTV_i - sum_j debt_j   (floored at 0)
// as Aave's GenericLogic.calculateUserAccountData and aave-utilities'
// calculateHealthFactorFromBalances compute them. Liquidation close factor constants from
// aave-v3-origin LiquidationLogic.sol (v3.3).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/defi/spot.hpp"

namespace ballast::defi {

inline constexpr double kDefaultLiquidationCloseFactor = 0.5;  // DEFAULT_LIQUIDATION_CLOSE_FACTOR
inline constexpr double kCloseFactorHfThreshold = 0.95;        // CLOSE_FACTOR_HF_THRESHOLD
inline constexpr double kMinBaseMaxCloseFactorThresholdUsd = 2000.0;  // MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD

struct Supply {
  std::string asset;
  double amount = 0.0;  // token units (the aToken balance)
  double ltv = 0.0, liquidation_threshold = 0.0, liquidation_bonus = 0.0;  // fractions
  bool collateral = true;
  int emode_category = 0;  // 0 = none
};

struct Borrow {
  std::string asset;
  double amount = 0.0;  // token units (the variable debt token balance)
  int emode_category = 0;
};

struct EmodeCategory {
  int category = 0;
  double ltv = 0.0, liquidation_threshold = 0.0, liquidation_bonus = 0.0;
};

struct LendingAccount {
  std::vector<Supply> supplies;
  std::vector<Borrow> borrows;
  std::optional<EmodeCategory> emode;
};

// The price of one underlying, others fixed, at which HF reaches 1, and the move to it.
struct LiquidationPoint {
  std::string underlying;
  double price_usd = 0.0;
  double move = 0.0;  // price_usd / current price - 1
};

struct LendingSummary {
  double collateral_usd = 0.0;           // every supply, collateral or not
  double weighted_collateral_usd = 0.0;  // sum collateral * LT
  double borrow_capacity_usd = 0.0;      // sum collateral * LTV
  double debt_usd = 0.0;
  std::optional<double> health_factor;
  double borrowing_power_left_usd = 0.0;
  double close_factor = 0.0;  // the share of debt a liquidation could repay now (0 if HF >= 1)
  std::map<std::string, std::optional<LiquidationPoint>> liquidation_prices;  // per underlying in the account
};

// Tier-1 checks: amounts > 0, 0 <= ltv <= liquidationThreshold <= 1, bonus in [0, 1), e-mode
// likewise. Fields: `<field>.supplies[i].ltv`, `<field>.emode.liquidationThreshold`, ...
Error validate(const LendingAccount& account, const std::string& field);

// Quotes: one per supply and per borrow, in order (from spot.hpp's quote()).
LendingSummary lending_summary(const LendingAccount& account, const std::vector<TokenQuote>& supply_quotes,
                               const std::vector<TokenQuote>& borrow_quotes);

}  // namespace ballast::defi
