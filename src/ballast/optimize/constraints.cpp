#include "ballast/core/format.hpp"
#include "ballast/optimize/constraints.hpp"

#include <cmath>

#include "ballast/core/validate.hpp"

namespace ballast::optimize {
namespace {

const std::string kBounds = "constraints.bounds";
const std::string kBudget = "constraints.budget";
const std::string kLeverage = "constraints.grossLeverage";

std::string group_field(Index g, const char* member) {
  return indexed("constraints.groups", g) + "." + member;
}

Error validate_bounds(const PortfolioConstraints& c, Index n) {
  if (c.lower.size() != 0 && c.lower.size() != n)
    return make_error(Status::invalid_shape, kBounds,
                      "expected " + std::to_string(n) + " lower bounds, got " + std::to_string(c.lower.size()));
  if (c.upper.size() != 0 && c.upper.size() != n)
    return make_error(Status::invalid_shape, kBounds,
                      "expected " + std::to_string(n) + " upper bounds, got " + std::to_string(c.upper.size()));
  const Vector lower = lower_bounds(c, n), upper = upper_bounds(c, n);
  for (Index i = 0; i < n; ++i) {
    const double lo = lower(i), hi = upper(i);
    if (std::isnan(lo) || std::isnan(hi) || lo == infinity || hi == -infinity)
      return make_error(Status::non_finite, indexed(kBounds, i),
                        "bounds must be numbers (-inf allowed below, +inf above)");
    if (lo > hi)
      return make_error(Status::invalid_value, indexed(kBounds, i),
                        "lower bound " + format_number(lo) + " is above upper bound " + format_number(hi));
  }
  return Error::none();
}

Error validate_group(const Group& group, Index g, Index n) {
  const std::string assets = group_field(g, "assets");
  if (group.assets.empty()) return make_error(Status::invalid_value, assets, "a group needs at least one asset");
  std::vector<bool> seen(static_cast<size_t>(n), false);
  for (size_t k = 0; k < group.assets.size(); ++k) {
    const Index a = group.assets[k];
    if (a < 0 || a >= n)
      return make_error(Status::invalid_value, indexed(assets, static_cast<Index>(k)),
                        "asset index " + std::to_string(a) + " is out of range [0, " + std::to_string(n) + ")");
    if (seen[static_cast<size_t>(a)])
      return make_error(Status::invalid_value, indexed(assets, static_cast<Index>(k)),
                        "asset " + std::to_string(a) + " appears twice in the group");
    seen[static_cast<size_t>(a)] = true;
  }
  if (std::isnan(group.min) || group.min == infinity)
    return make_error(Status::non_finite, group_field(g, "min"), "must be a number or -inf");
  if (std::isnan(group.max) || group.max == -infinity)
    return make_error(Status::non_finite, group_field(g, "max"), "must be a number or +inf");
  if (group.min > group.max)
    return make_error(Status::invalid_value, group_field(g, "min"),
                      "group min " + format_number(group.min) + " is above its max " + format_number(group.max));
  return Error::none();
}

std::string linear_field(Index k, const char* member) {
  return indexed("constraints.linear", k) + "." + member;
}

Error validate_linear(const LinearConstraint& row, Index k, Index n) {
  const std::string coefficients = indexed("constraints.linear", k) + ".coefficients";
  if (row.coefficients.size() != n)
    return make_error(Status::invalid_shape, coefficients,
                      "expected " + std::to_string(n) + " coefficients, got " + std::to_string(row.coefficients.size()));
  if (Error e = require_finite(row.coefficients, coefficients); !e.ok()) return e;
  if (std::isnan(row.min) || row.min == infinity)
    return make_error(Status::non_finite, linear_field(k, "min"), "must be a number or -inf");
  if (std::isnan(row.max) || row.max == -infinity)
    return make_error(Status::non_finite, linear_field(k, "max"), "must be a number or +inf");
  if (row.min > row.max)
    return make_error(Status::invalid_value, linear_field(k, "min"),
                      "min " + format_number(row.min) + " is above max " + format_number(row.max));
  return Error::none();
}

double sum_over(const Vector& v, const std::vector<Index>& assets) {
  double s = 0;
  for (Index a : assets) s += v(a);
  return s;
}

ConstraintRef ref(ConstraintKind kind, Index index, std::string field, std::string message) {
  return ConstraintRef{kind, index, std::move(field), std::move(message)};
}

// Smallest |w_i| the bounds allow, summed: the gross exposure no portfolio can avoid.
double forced_gross(const Vector& lo, const Vector& hi) {
  double s = 0;
  for (Index i = 0; i < lo.size(); ++i) s += lo(i) > 0 ? lo(i) : (hi(i) < 0 ? -hi(i) : 0.0);
  return s;
}

void diagnose_group(const Group& group, Index g, const Vector& lo, const Vector& hi, double budget,
                    double total_lo, double total_hi, std::vector<ConstraintRef>& out) {
  const std::string name = group.name.empty() ? "group " + std::to_string(g) : "group '" + group.name + "'";
  const double members_hi = sum_over(hi, group.assets), members_lo = sum_over(lo, group.assets);
  if (group.min > members_hi) {
    out.push_back(ref(ConstraintKind::group_min, g, group_field(g, "min"),
                      name + " min " + format_number(group.min) + " is above the sum of its members' upper bounds " + format_number(members_hi)));
    out.push_back(ref(ConstraintKind::bounds, -1, kBounds, "upper bounds of " + name + "'s members cap it at " + format_number(members_hi)));
  }
  if (group.max < members_lo) {
    out.push_back(ref(ConstraintKind::group_max, g, group_field(g, "max"),
                      name + " max " + format_number(group.max) + " is below the sum of its members' lower bounds " + format_number(members_lo)));
    out.push_back(ref(ConstraintKind::bounds, -1, kBounds, "lower bounds of " + name + "'s members force at least " + format_number(members_lo)));
  }
  // The rest of the portfolio holds between its own bound sums, so the group holds
  // budget - (others) and can reach neither above budget - others_lo nor below budget - others_hi.
  const double most = budget - (total_lo - members_lo), least = budget - (total_hi - members_hi);
  if (group.min > most) {
    out.push_back(ref(ConstraintKind::group_min, g, group_field(g, "min"),
                      name + " min " + format_number(group.min) + " needs more than the budget leaves after the other assets' lower bounds (" + format_number(most) + ")"));
    out.push_back(ref(ConstraintKind::budget, -1, kBudget, "the budget " + format_number(budget) + " cannot fund " + name + "'s minimum"));
  }
  if (group.max < least) {
    out.push_back(ref(ConstraintKind::group_max, g, group_field(g, "max"),
                      name + " max " + format_number(group.max) + " is below what the budget forces once the other assets are at their upper bounds (" + format_number(least) + ")"));
    out.push_back(ref(ConstraintKind::budget, -1, kBudget, "the budget " + format_number(budget) + " cannot be placed outside " + name));
  }
}

}  // namespace

Vector lower_bounds(const PortfolioConstraints& c, Index n) {
  return c.lower.size() == n ? c.lower : Vector::Zero(n);
}

Vector upper_bounds(const PortfolioConstraints& c, Index n) {
  return c.upper.size() == n ? c.upper : Vector::Ones(n);
}

Error validate(const PortfolioConstraints& c, Index n) {
  if (Error e = validate_bounds(c, n); !e.ok()) return e;
  if (!std::isfinite(c.budget)) return make_error(Status::non_finite, kBudget, "budget must be a finite number");
  for (size_t g = 0; g < c.groups.size(); ++g)
    if (Error e = validate_group(c.groups[g], static_cast<Index>(g), n); !e.ok()) return e;
  for (size_t k = 0; k < c.linear.size(); ++k)
    if (Error e = validate_linear(c.linear[k], static_cast<Index>(k), n); !e.ok()) return e;
  if (c.gross_leverage) {
    const double L = *c.gross_leverage;
    if (!std::isfinite(L)) return make_error(Status::non_finite, kLeverage, "gross leverage must be a finite number");
    if (L <= 0) return make_error(Status::invalid_value, kLeverage, "gross leverage must be positive");
    if (L < std::abs(c.budget))
      return make_error(Status::invalid_value, kLeverage,
                        "gross leverage " + format_number(L) + " is below |budget| " + format_number(std::abs(c.budget)) +
                            ": sum |w| can never be smaller than |sum w|");
  }
  return Error::none();
}

std::vector<ConstraintRef> diagnose_infeasibility(const PortfolioConstraints& c, Index n) {
  std::vector<ConstraintRef> out;
  const Vector lo = lower_bounds(c, n), hi = upper_bounds(c, n);
  const double total_lo = lo.sum(), total_hi = hi.sum();
  if (total_lo > c.budget) {
    out.push_back(ref(ConstraintKind::budget, -1, kBudget, "budget " + format_number(c.budget) + " is below the sum of lower bounds " + format_number(total_lo)));
    out.push_back(ref(ConstraintKind::bounds, -1, kBounds, "lower bounds sum to " + format_number(total_lo)));
  }
  if (total_hi < c.budget) {
    out.push_back(ref(ConstraintKind::budget, -1, kBudget, "budget " + format_number(c.budget) + " is above the sum of upper bounds " + format_number(total_hi)));
    out.push_back(ref(ConstraintKind::bounds, -1, kBounds, "upper bounds sum to " + format_number(total_hi)));
  }
  if (!out.empty()) return out;  // the group checks below assume the budget is reachable
  for (size_t g = 0; g < c.groups.size(); ++g)
    diagnose_group(c.groups[g], static_cast<Index>(g), lo, hi, c.budget, total_lo, total_hi, out);
  if (c.gross_leverage && forced_gross(lo, hi) > *c.gross_leverage) {
    out.push_back(ref(ConstraintKind::gross_leverage, -1, kLeverage,
                      "gross leverage cap " + format_number(*c.gross_leverage) + " is below the gross exposure the bounds force, " + format_number(forced_gross(lo, hi))));
    out.push_back(ref(ConstraintKind::bounds, -1, kBounds, "bounds that exclude zero force a gross exposure of " + format_number(forced_gross(lo, hi))));
  }
  return out;
}

std::vector<std::string> binding_constraints(const PortfolioConstraints& c, const Vector& w, double tolerance) {
  const Index n = w.size();
  const Vector lo = lower_bounds(c, n), hi = upper_bounds(c, n);
  std::vector<std::string> out{kBudget};
  auto at = [&](double value, double bound) {
    return std::isfinite(bound) && std::abs(value - bound) <= tolerance * (1 + std::abs(bound));
  };
  // [i][0]: asset i sits at its minimum; [i][1]: at its maximum.
  for (Index i = 0; i < n; ++i) {
    if (at(w(i), lo(i))) out.push_back(indexed(kBounds, i, 0));
    if (at(w(i), hi(i))) out.push_back(indexed(kBounds, i, 1));
  }
  for (size_t g = 0; g < c.groups.size(); ++g) {
    double s = 0;
    for (Index a : c.groups[g].assets) s += w(a);
    if (at(s, c.groups[g].min)) out.push_back(group_field(static_cast<Index>(g), "min"));
    if (at(s, c.groups[g].max)) out.push_back(group_field(static_cast<Index>(g), "max"));
  }
  if (c.gross_leverage && at(w.cwiseAbs().sum(), *c.gross_leverage)) out.push_back(kLeverage);
  for (size_t k = 0; k < c.linear.size(); ++k) {
    const double s = c.linear[k].coefficients.dot(w);
    if (at(s, c.linear[k].min)) out.push_back(linear_field(static_cast<Index>(k), "min"));
    if (at(s, c.linear[k].max)) out.push_back(linear_field(static_cast<Index>(k), "max"));
  }
  return out;
}

}  // namespace ballast::optimize
