// Prices, Greeks and implied vols of a whole book held as columns (one array per option
// member), for volume: no per-option objects, one pass, element by element, results written
// straight into caller-owned output arrays. The native JSON method and the WASM typed-array
// fast path both run these loops, so the two cannot disagree (and both agree with the object
// API, which prices each option with the same option_greeks / implied_vol).
//
// Error fields name the public column and the element: "strike[12]", "expiryYears[0]",
// "underlying[7]" (spot or forward, per the model); a broadcast scalar is named alone ("rate").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/derivatives/black_scholes.hpp"
#include "ballast/derivatives/option.hpp"

namespace ballast::derivatives {

// One input column: `data[i]`, or `value` for every element when data is nullptr.
struct Column {
  const double* data = nullptr;
  double value = 0.0;
  double at(std::size_t i) const { return data ? data[i] : value; }
};

// One model per call. kind holds 0 (call) or 1 (put); underlying is the spot for
// black_scholes and the forward for black76 and inverse. price is read by implied vol only,
// vol by Greeks only.
struct OptionColumns {
  PricingModel model = PricingModel::black_scholes;
  Column kind, underlying, strike, expiry_years, vol, rate, dividend_yield, price;
};

// Per option, in the units of OptionGreeks (vega per 1.00 vol, theta per year, premium
// currency: USD, or coin for inverse). Each points to `count` writable numbers.
struct GreeksColumnsOut {
  double* price = nullptr;
  double* delta = nullptr;
  double* gamma = nullptr;
  double* vega = nullptr;
  double* theta = nullptr;
  double* rho = nullptr;
  double* vanna = nullptr;
  double* volga = nullptr;
  double* charm = nullptr;
};

// Row i of out from one option's figures.
void write_greeks_row(const GreeksColumnsOut& out, std::size_t i, const OptionGreeks& g);

// vol is NaN unless the status is ok or at_intrinsic; status holds the ImpliedVolStatus
// code: 0 ok, 1 at-intrinsic, 2 below-intrinsic, 3 above-maximum.
struct ImpliedVolColumnsOut {
  double* vol = nullptr;
  std::uint8_t* status = nullptr;
};

// A column's public name and length, for the shape check.
struct ColumnLength {
  const char* name;
  std::size_t size;
};

// Every length equals the book size n (the length most columns share); otherwise
// invalid_shape naming the first column that differs.
Error require_equal_lengths(const std::vector<ColumnLength>& columns, std::size_t& n);

// Rows [0, count) of `in`, reported in errors as elements first + i (callers that process a
// long book in chunks pass the chunk's offset). Stops at the first invalid option; outputs
// before it are written, the rest are not.
Error greeks_columns(const OptionColumns& in, std::size_t count, std::size_t first, const GreeksColumnsOut& out);
Error implied_vol_columns(const OptionColumns& in, std::size_t count, std::size_t first,
                          const ImpliedVolColumnsOut& out);

}  // namespace ballast::derivatives
