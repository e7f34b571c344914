// Portfolio constraints: per-asset bounds, a budget, asset groups and a gross-leverage cap,
// with their input checks and quick infeasibility diagnoses.
//
// Field paths in errors and diagnoses use the public camelCase JSON names:
// "constraints.bounds[3]", "constraints.budget", "constraints.groups[1].min",
// "constraints.grossLeverage".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/types.hpp"
#include "ballast/optimize/qp_solver.hpp"

namespace ballast::optimize {

// A set of assets whose total weight must lie in [min, max].
struct Group {
  std::string name;
  std::vector<Index> assets;  // indices into the asset list, each at most once
  double min = -infinity;
  double max = infinity;
};

// A general linear row min <= sum_i coefficients_i w_i <= max, named for reports. Other areas
// (defi exposure caps, health-factor floors) express their limits as such rows, so the
// optimizer needs no knowledge of where they come from.
struct LinearConstraint {
  std::string name;
  Vector coefficients;  // one per asset
  double min = -infinity;
  double max = infinity;
};

struct PortfolioConstraints {
  /// Per-asset lower and upper weight bounds (infinite allowed). An empty lower means 0 for
  /// every asset and an empty upper means 1 (long-only, no leverage).
  Vector lower;
  Vector upper;
  /// Sum of weights. Default 1 (fully invested).
  double budget = 1.0;
  std::vector<Group> groups;
  /// Cap on sum |w_i|. Unset = no cap. Shorting is allowed exactly as far as the bounds allow.
  std::optional<double> gross_leverage;
  /// General linear rows ("constraints.linear[k]"). Default none.
  std::vector<LinearConstraint> linear;
};

// Which constraint a diagnosis is about.
enum class ConstraintKind {
  budget,
  bounds,
  group_min,
  group_max,
  gross_leverage,
  target_return,      // objective.targetReturn
  target_volatility,  // objective.targetVolatility
  linear_min,         // constraints.linear[k].min
  linear_max,         // constraints.linear[k].max
};

// A named constraint: kind, index (asset or group; -1 when it names a whole set), the JSON
// field path, and one line saying what is wrong with it.
struct ConstraintRef {
  ConstraintKind kind = ConstraintKind::budget;
  Index index = -1;
  std::string field;
  std::string message;
};

// Tier-1 checks for `assets` assets: shapes, finiteness, lower <= upper, group indices in range
// and unique, group min <= max, gross leverage positive and at least |budget|.
Error validate(const PortfolioConstraints& constraints, Index assets);

// The bounds actually in force (the long-only default filled in).
Vector lower_bounds(const PortfolioConstraints& constraints, Index assets);
Vector upper_bounds(const PortfolioConstraints& constraints, Index assets);

// Cheap, exact infeasibility reasons found before any solve: lower bounds summing above the
// budget, upper bounds below it, a group that its members' bounds cannot satisfy, a group
// that the budget and the other assets' bounds cannot satisfy, a leverage cap below the gross
// exposure the bounds force. Empty when none of these applies (the problem may still be
// infeasible; the solver's phase 1 then names the conflict).
std::vector<ConstraintRef> diagnose_infeasibility(const PortfolioConstraints& constraints, Index assets);

// Field paths of the constraints that hold with equality at `weights` (within `tolerance`).
std::vector<std::string> binding_constraints(const PortfolioConstraints& constraints,
                                             const Vector& weights, double tolerance = 1e-9);

}  // namespace ballast::optimize
