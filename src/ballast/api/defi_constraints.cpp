#include "ballast/api/defi_constraints.hpp"

#include "ballast/core/validate.hpp"
#include "ballast/defi/constraint_rows.hpp"

namespace ballast::api {
namespace {

Index asset_index(const std::vector<std::string>& assets, const std::string& name) {
  for (size_t i = 0; i < assets.size(); ++i)
    if (assets[i] == name) return static_cast<Index>(i);
  return -1;
}

// coefficients: one number per asset, or { ASSET: number } (absent assets 0).
void read_coefficients(Fields& f, const std::vector<std::string>& assets, Vector& out) {
  const Index n = static_cast<Index>(assets.size());
  const Json* v = f.get("coefficients");
  if (!v) return;
  const std::string path = f.path("coefficients");
  if (v->is_array()) {
    if (read_vector(*v, path, out, f.sink()) && out.size() != n)
      f.fail(Status::invalid_shape, path, "expected " + std::to_string(n) + " coefficients, one per asset");
    return;
  }
  if (!v->is_object()) {
    f.fail(Status::invalid_type, path, "expected one number per asset, or { asset: number }");
    return;
  }
  out = Vector::Zero(n);
  for (const auto& item : v->items()) {
    const Index i = asset_index(assets, item.key());
    if (i < 0) {
      f.fail(Status::unknown_value, join_path(path, item.key()), "'" + item.key() + "' is not in assets");
      return;
    }
    double c = 0;
    if (!read_number(item.value(), join_path(path, item.key()), c, f.sink())) return;
    out(i) = c;
  }
}

void read_linear(Fields& top, const std::vector<std::string>& assets, optimize::PortfolioConstraints& c) {
  const Json* list = top.get("linear");
  if (!list) return;
  if (!list->is_array()) {
    top.fail(Status::invalid_type, "constraints.linear", "expected an array of rows");
    return;
  }
  for (size_t k = 0; k < list->size() && top.ok(); ++k) {
    Fields f((*list)[k], indexed("constraints.linear", static_cast<Index>(k)), top.sink());
    f.only({"name", "coefficients", "min", "max"});
    f.required("coefficients");
    optimize::LinearConstraint row;
    f.text("name", row.name);
    read_coefficients(f, assets, row.coefficients);
    f.number("min", row.min);
    f.number("max", row.max);
    if (f.ok() && !f.has("min") && !f.has("max")) f.fail(Status::missing_field, f.path("max"), "a row needs a min, a max, or both");
    c.linear.push_back(std::move(row));
  }
}

void read_caps(Fields& f, const char* key, std::map<std::string, double>& out) {
  const Json* v = f.get(key);
  if (!v) return;
  if (!v->is_object()) {
    f.fail(Status::invalid_type, f.path(key), "expected { name: cap }");
    return;
  }
  for (const auto& item : v->items()) {
    double cap = 0;
    if (!read_number(item.value(), join_path(f.path(key), item.key()), cap, f.sink())) return;
    out[item.key()] = cap;
  }
}

void read_profile(const Json& node, const std::string& path, defi::AssetProfile& p, Error& sink) {
  Fields f(node, path, sink);
  f.only({"protocols", "chain", "liquidationThreshold", "borrowed", "underlying"});
  if (const Json* v = f.get("protocols")) read_names(*v, f.path("protocols"), p.protocols, sink);
  f.text("chain", p.chain);
  if (f.has("liquidationThreshold")) {
    double lt = 0;
    f.number("liquidationThreshold", lt);
    if (f.ok() && !(lt >= 0 && lt <= 1)) f.fail(Status::invalid_value, f.path("liquidationThreshold"), "a fraction in [0, 1]");
    p.liquidation_threshold = lt;
  }
  if (const Json* b = f.get("borrowed")) {
    if (!b->is_boolean()) f.fail(Status::invalid_type, f.path("borrowed"), "expected true or false");
    else p.borrowed = b->get<bool>();
  }
  f.text("underlying", p.underlying);
}

void read_defi(Fields& top, const std::vector<std::string>& assets, optimize::PortfolioConstraints& c) {
  const Json* node = top.get("defi");
  if (!node) return;
  const std::string base = "constraints.defi";
  Fields f(*node, base, top.sink());
  f.only({"assets", "protocolCaps", "chainCaps", "healthFactorFloor", "maxLeverage"});
  f.required("assets");
  std::vector<defi::AssetProfile> profiles(assets.size());
  if (const Json* a = f.get("assets")) {
    if (!a->is_object()) {
      f.fail(Status::invalid_type, f.path("assets"), "expected { asset: profile }");
      return;
    }
    for (const auto& item : a->items()) {
      const std::string path = join_path(f.path("assets"), item.key());
      const Index i = asset_index(assets, item.key());
      if (i < 0) {
        f.fail(Status::unknown_value, path, "'" + item.key() + "' is not in assets");
        return;
      }
      read_profile(item.value(), path, profiles[static_cast<size_t>(i)], f.sink());
      if (f.ok() && profiles[static_cast<size_t>(i)].borrowed && c.upper.size() == static_cast<Index>(assets.size()) &&
          c.upper(i) > 0)
        f.fail(Status::invalid_value, path + ".borrowed",
               "a borrowed asset's weight is its debt (<= 0): give it bounds with max <= 0 in constraints.bounds");
    }
  }
  defi::ExposureLimits limits;
  read_caps(f, "protocolCaps", limits.protocol_caps);
  read_caps(f, "chainCaps", limits.chain_caps);
  if (const Json* h = f.get("healthFactorFloor")) {
    Fields g(*h, f.path("healthFactorFloor"), f.sink());
    g.only({"min", "shock"});
    g.required("min");
    defi::HealthFactorFloor floor;
    g.number("min", floor.min_health_factor);
    read_caps(g, "shock", floor.shock);
    for (const auto& [u, s] : floor.shock)
      if (g.ok() && !(s > -1)) g.fail(Status::invalid_value, join_path(g.path("shock"), u), "a relative move above -1");
    limits.health_factor_floor = floor;
  }
  if (f.has("maxLeverage")) {
    double L = 0;
    f.number("maxLeverage", L);
    limits.max_leverage = L;
  }
  if (!f.ok()) return;
  auto rows = defi::exposure_rows(assets, profiles, limits, base);
  if (!rows.ok()) {
    f.fail(rows.error.code, rows.error.field, rows.error.message);
    return;
  }
  for (const defi::ConstraintRow& r : rows.value) {
    optimize::LinearConstraint row;
    row.name = r.name;
    row.coefficients = Eigen::Map<const Vector>(r.coefficients.data(), static_cast<Index>(r.coefficients.size()));
    row.min = r.min;
    row.max = r.max;
    c.linear.push_back(std::move(row));
  }
}

}  // namespace

void read_general_rows(Fields& f, const std::vector<std::string>& assets, optimize::PortfolioConstraints& c) {
  read_linear(f, assets, c);
  if (f.ok()) read_defi(f, assets, c);
}

}  // namespace ballast::api
