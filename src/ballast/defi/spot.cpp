#include "ballast/defi/spot.hpp"

namespace ballast::defi {

Result<TokenQuote> quote(const Market& market, const std::string& symbol, const std::string& field) {
  TokenQuote q;
  q.underlying = symbol;
  if (auto t = market.tokens.find(symbol); t != market.tokens.end()) {
    if (!t->second.underlying.empty()) q.underlying = t->second.underlying;
    q.exchange_rate = t->second.exchange_rate;
    q.issuer = t->second.issuer;
    q.stablecoin = t->second.stablecoin;
  }
  auto p = market.prices.find(q.underlying);
  if (p == market.prices.end()) {
    const std::string via = q.underlying == symbol ? "" : " (the underlying of '" + symbol + "')";
    return Result<TokenQuote>::failure(make_error(Status::unknown_value, field,
                                                  "no price for '" + q.underlying + "'" + via + " in prices"));
  }
  q.underlying_price_usd = p->second;
  if (market.shocked)
    if (auto s = market.shock.find(q.underlying); s != market.shock.end()) {
      q.move = s->second;
      q.underlying_price_usd *= 1.0 + s->second;
    }
  return Result<TokenQuote>::success(q);
}

Market shocked(const Market& market) {
  Market m = market;
  m.shocked = true;
  return m;
}

}  // namespace ballast::defi
