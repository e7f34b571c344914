// Tokens and their prices. A token either is an underlying (ETH, BTC, and stablecoins such as
// USDC, which keep their own price and depeg risk: they are not cash) or tracks one through an
// exchange rate (wstETH -> ETH at the stETH-per-wstETH rate). Every position prices its tokens
// through quote(), so wrapped and staked forms are counted in units of what they track.
#pragma once

#include <map>
#include <string>

#include "ballast/core/result.hpp"

namespace ballast::defi {

struct TokenInfo {
  std::string underlying;      // empty = the token is its own underlying
  double exchange_rate = 1.0;  // underlying units per token
  std::string issuer;          // protocol behind the token (look-through): "lido", "circle"
  bool stablecoin = false;     // kept out of leverage; still its own underlying
};

// What the positions are priced against.
struct Market {
  std::map<std::string, double> prices;  // USD per unit of each underlying
  std::map<std::string, TokenInfo> tokens;
  std::map<std::string, double> vols;    // annual vol per underlying (options without their own)
  std::map<std::string, double> shock;   // relative moves per underlying, applied when `shocked`
  bool shocked = false;
};

struct TokenQuote {
  std::string underlying;
  double exchange_rate = 1.0;
  double underlying_price_usd = 0.0;  // after the shock when the market is shocked
  double move = 0.0;                  // the shock applied to the underlying (0 unshocked)
  std::string issuer;
  bool stablecoin = false;
  double price_usd() const { return exchange_rate * underlying_price_usd; }
};

// Errors: unknown-value at `field` when the token's underlying has no price.
Result<TokenQuote> quote(const Market& market, const std::string& symbol, const std::string& field);

// A copy of `market` with its shock applied.
Market shocked(const Market& market);

// Spot holding: amount (signed; negative = owed) of one token.
struct SpotPosition {
  std::string asset;
  double amount = 0.0;
};

}  // namespace ballast::defi
