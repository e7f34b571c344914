#include "ballast/api/option_request.hpp"

#include <string>
#include <type_traits>

#include "ballast/core/validate.hpp"

namespace ballast::api {

namespace {

using derivatives::Column;
using derivatives::OptionKind;
using derivatives::OptionSpec;
using derivatives::PricingModel;

void read_model(Fields& f, PricingModel& model) {
  f.required("model");
  std::string name = "black-scholes";
  f.choice("model", name, {"black-scholes", "black-76", "inverse"});
  model = *model_from_name(name);
}

// One element of `options`; `price` is read only for implied vol (where vol and quantity are
// not request keys).
void read_option(const Json& node, const std::string& path, bool implied_vol, OptionSpec& spec, double& price,
                 Error& sink) {
  Fields f(node, path, sink);
  if (implied_vol)
    f.only({"kind", "model", "price", "spot", "forward", "strike", "expiryYears", "rate", "dividendYield"});
  else
    f.only({"kind", "model", "spot", "forward", "strike", "expiryYears", "vol", "rate", "dividendYield", "quantity"});
  f.required("kind");
  std::string kind = "call";
  f.choice("kind", kind, {"call", "put"});
  spec.kind = kind == "put" ? OptionKind::put : OptionKind::call;
  read_model(f, spec.model);
  // spot/forward: validate_option says which one the model needs, and refuses the other.
  for (const char* key : {"spot", "forward"}) {
    if (!f.has(key)) continue;
    double value = 0;
    f.number(key, value);
    (std::string(key) == "spot" ? spec.spot : spec.forward) = value;
  }
  f.required("strike");
  f.number("strike", spec.strike);
  f.required("expiryYears");
  f.number("expiryYears", spec.expiry_years);
  if (implied_vol) {
    f.required("price");
    f.number("price", price);
  } else {
    f.required("vol");
    f.number("vol", spec.vol);
    f.number("quantity", spec.quantity);
  }
  f.number("rate", spec.rate);
  f.number("dividendYield", spec.dividend_yield);
  if (f.ok())
    if (Error e = derivatives::validate_option(spec, path, /*check_vol=*/!implied_vol); !e.ok()) sink = e;
}

template <class Request>
Result<Request> read_options(const Json& request, bool implied_vol) {
  Error sink;
  Request r;
  Fields f(request, "", sink);
  f.only({"options"});
  f.required("options");
  if (const Json* list = f.get("options")) {
    if (!list->is_array()) {
      f.fail(Status::invalid_type, "options", "expected an array of options");
    } else {
      r.options.resize(list->size());
      std::vector<double> prices(implied_vol ? list->size() : 0);
      for (std::size_t i = 0; i < list->size() && sink.ok(); ++i) {
        double unused = 0;
        read_option((*list)[i], indexed("options", static_cast<Index>(i)), implied_vol, r.options[i],
                    implied_vol ? prices[i] : unused, sink);
      }
      if constexpr (std::is_same_v<Request, ImpliedVolRequest>) r.prices = std::move(prices);
    }
  }
  if (!sink.ok()) return Result<Request>::failure(sink);
  return Result<Request>::success(std::move(r));
}

// One column: an array of numbers, {"$blob": k}, or (scalar_ok) one number for every option.
// Absent: missing-field unless `fallback` gives a default scalar.
bool read_column(Fields& f, const char* key, const std::vector<Blob>& blobs, bool scalar_ok,
                 std::optional<double> fallback, std::vector<double>& storage, Column& out, std::size_t& size,
                 bool& broadcast) {
  broadcast = false;
  const Json* v = f.get(key);
  if (!v) {
    if (!fallback) {
      f.required(key);
      return false;
    }
    out = Column{nullptr, *fallback};
    broadcast = true;
    return f.ok();
  }
  const std::string path = f.path(key);
  if (scalar_ok && v->is_number()) {
    double value = 0;
    if (!read_number(*v, path, value, f.sink())) return false;
    out = Column{nullptr, value};
    broadcast = true;
    return true;
  }
  if (v->is_object() && v->size() == 1 && v->contains("$blob")) {
    const Json& k = (*v)["$blob"];
    if (!k.is_number_unsigned() || k.get<std::size_t>() >= blobs.size()) {
      f.fail(Status::invalid_value, path, "{\"$blob\": k} must name one of the blobs sent with the request");
      return false;
    }
    const Blob& blob = blobs[k.get<std::size_t>()];
    out = Column{blob.data, 0.0};
    size = blob.size;
    return true;
  }
  if (!v->is_array()) {
    f.fail(Status::invalid_type, path,
           scalar_ok ? "expected a number or an array of numbers" : "expected an array of numbers");
    return false;
  }
  storage.resize(v->size());
  for (std::size_t i = 0; i < v->size(); ++i)
    if (!read_number((*v)[i], indexed(path, static_cast<Index>(i)), storage[i], f.sink())) return false;
  out = Column{storage.data(), 0.0};
  size = storage.size();
  return true;
}

}  // namespace

std::optional<PricingModel> model_from_name(std::string_view name) {
  if (name == "black-scholes") return PricingModel::black_scholes;
  if (name == "black-76") return PricingModel::black76;
  if (name == "inverse") return PricingModel::inverse;
  return std::nullopt;
}

Result<GreeksRequest> read_greeks_request(const Json& request) { return read_options<GreeksRequest>(request, false); }

Result<ImpliedVolRequest> read_implied_vol_request(const Json& request) {
  return read_options<ImpliedVolRequest>(request, true);
}

Result<ColumnsRequest> read_columns_request(const Json& request, const std::vector<Blob>& blobs, bool implied_vol) {
  Error sink;
  ColumnsRequest r;
  Fields f(request, "", sink);
  if (implied_vol)
    f.only({"kind", "model", "price", "underlying", "strike", "expiryYears", "rate", "dividendYield"});
  else
    f.only({"kind", "model", "underlying", "strike", "expiryYears", "vol", "rate", "dividendYield"});
  read_model(f, r.columns.model);
  derivatives::OptionColumns& c = r.columns;
  struct Spec {
    const char* key;
    Column* column;
    bool scalar_ok;
    std::optional<double> fallback;
  };
  const Spec specs[] = {
      {"kind", &c.kind, false, std::nullopt},
      {implied_vol ? "price" : "vol", implied_vol ? &c.price : &c.vol, false, std::nullopt},
      {"underlying", &c.underlying, false, std::nullopt},
      {"strike", &c.strike, false, std::nullopt},
      {"expiryYears", &c.expiry_years, false, std::nullopt},
      {"rate", &c.rate, true, 0.0},
      {"dividendYield", &c.dividend_yield, true, 0.0},
  };
  std::vector<derivatives::ColumnLength> lengths;
  for (std::size_t k = 0; k < std::size(specs) && f.ok(); ++k) {
    std::size_t size = 0;
    bool broadcast = false;
    if (read_column(f, specs[k].key, blobs, specs[k].scalar_ok, specs[k].fallback, r.storage[k], *specs[k].column,
                    size, broadcast) &&
        !broadcast)
      lengths.push_back({specs[k].key, size});
  }
  if (f.ok())
    if (Error e = derivatives::require_equal_lengths(lengths, r.size); !e.ok()) sink = e;
  if (!sink.ok()) return Result<ColumnsRequest>::failure(sink);
  return Result<ColumnsRequest>::success(std::move(r));
}

}  // namespace ballast::api
