// DeFi limits as linear rows over portfolio weights, for the optimizer (which never includes
// defi: the api layer copies these rows into optimize::LinearConstraint).
//
// Weights are fractions of equity per optimizer asset; a borrowed asset has a weight <= 0
// (its debt). With LT_i the liquidation threshold of collateral asset i and s_u a price
// shock per underlying, the health factor after the shock is at least h when
//   sum_i LT_i (1 + s_i) w_i >= h * sum_j (1 + s_j) (-w_j)
//   <=>  sum_i LT_i (1 + s_i) w_i + h * sum_j (1 + s_j) w_j >= 0,
// which is linear in w. Protocol and chain caps sum the (non-borrowed) weights whose
// look-through lists name the protocol or chain (stETH supplied on Aave: ["aave-v3", "lido"]);
// the leverage cap sums every non-borrowed weight (assets / equity).
#pragma once

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"

namespace ballast::defi {

struct AssetProfile {
  std::vector<std::string> protocols;          // look-through, e.g. {"aave-v3", "lido"}
  std::string chain;                           // "" = none
  std::optional<double> liquidation_threshold;  // set = collateral in the health-factor floor
  bool borrowed = false;                       // a debt: weight <= 0
  std::string underlying;                      // for the shock; default the asset's own name
};

struct HealthFactorFloor {
  double min_health_factor = 1.0;
  std::map<std::string, double> shock;  // relative move per underlying
};

struct ExposureLimits {
  std::map<std::string, double> protocol_caps, chain_caps;  // max weight (fraction of equity)
  std::optional<HealthFactorFloor> health_factor_floor;
  std::optional<double> max_leverage;
};

struct ConstraintRow {
  std::string name;
  std::vector<double> coefficients;  // one per asset
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
};

// Errors name fields under `field` ("constraints.defi.protocolCaps.aave-v3").
Result<std::vector<ConstraintRow>> exposure_rows(const std::vector<std::string>& assets,
                                                 const std::vector<AssetProfile>& profiles,
                                                 const ExposureLimits& limits, const std::string& field);

}  // namespace ballast::defi
