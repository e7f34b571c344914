// Fitting one expiry's smile to market implied vols: raw SVI (svi.hpp) by the quasi-explicit
// method of Zeliade Systems ("Quasi-explicit calibration of Gatheral's SVI model", 2009).
//
// For fixed (m, sigma), with y = (k - m)/sigma, raw SVI is linear in (a, d, c) = (a, rho b sigma,
// b sigma): w = a + d y + c sqrt(y^2 + 1). The inner problem is therefore a weighted linear
// least-squares fit in three unknowns under the linear constraints that keep the slice sane
//   0 <= c <= 4 sigma,  |d| <= c,  |d| <= 4 sigma - c   (so b >= 0, |rho| <= 1 and Lee's wing
//   bound b (1 + |rho|) <= 4 hold),   a + c - |d| >= 0 and a <= max quoted w,
// where a + c - |d| >= 0 is a linear sufficient condition for w >= 0 everywhere (the minimum is
// a + sqrt(c^2 - d^2) >= a + c - |d|). Zeliade's paper uses a >= 0 instead; on the Deribit
// chain that bound binds (the June 2020 slice's best fit has a < 0) and costs accuracy.
// solved exactly as a 3-variable QP with the optimizer's active-set solver. The outer problem,
// two nonlinear parameters (m, ln sigma), is a Nelder-Mead search started from the best points
// of a coarse grid. Every step is deterministic.
//
// Objective: sum_i omega_i (vol_model(k_i) - vol_i)^2 in implied-vol terms, linearised as
// (w_model - w_i)^2 / (4 w_i T) so the inner problem stays linear (exact at a perfect fit).
// omega_i = scheme weight x the quote's own weight (default 1):
//   vega     (default) the quote's Black vega per unit forward, sqrt(T) phi(d1), over the
//            largest: wings, where a vol error costs little premium, count less;
//   uniform  1;
//   spread   1 / (askVol - bidVol)^2: a quote counts by how tightly the market pins it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/status.hpp"
#include "ballast/derivatives/svi.hpp"

namespace ballast::derivatives {

enum class SmileWeighting { vega, uniform, spread };

struct SmileQuotes {
  double expiry_years = 0.0;  // > 0
  double forward = 0.0;       // the expiry's forward (Deribit: underlying_price), > 0
  std::vector<double> strikes;
  std::vector<double> vols;        // implied vols, per sqrt(year) (0.8 = 80%)
  std::vector<double> weights;     // optional, >= 0; empty = all 1
  std::vector<double> bid_vols;    // optional; needed by SmileWeighting::spread
  std::vector<double> ask_vols;    // optional; needed by SmileWeighting::spread
};

struct SmileSettings {
  SmileWeighting weighting = SmileWeighting::vega;  // default vega
  int max_iterations = 2000;                         // Nelder-Mead iterations per start
};

inline constexpr std::size_t kMinSmileQuotes = 5;  // five parameters

struct SmileFit {
  Status status = Status::numerical_error;  // solved, or max_iterations (best point returned)
  SviParams params;
  double expiry_years = 0.0;
  double forward = 0.0;
  std::vector<double> log_moneyness;  // k_i = ln(K_i / F)
  std::vector<double> model_vols;     // fitted vol at each quote
  std::vector<double> residuals;      // model_vols - vols
  double rms_vol_error = 0.0;         // unweighted, over quotes
  double max_abs_vol_error = 0.0;
  double weighted_rms_vol_error = 0.0;  // sqrt(sum omega r^2 / sum omega)
  ButterflyReport butterfly;
  int evaluations = 0;  // inner QPs solved
  int iterations = 0;   // Nelder-Mead iterations, all starts
};

// Errors: expiryYears/forward/strikes[i]/vols[i]/weights[i]/bidVols[i]/askVols[i] named under
// `field`; lengths that differ (invalid_shape); fewer than 5 quotes or 5 distinct strikes with
// positive weight (invalid_shape); spread weighting without bid and ask vols (missing_field).
Error validate_smile_quotes(const SmileQuotes& q, SmileWeighting weighting, const std::string& field);
Result<SmileFit> fit_smile(const SmileQuotes& quotes, const SmileSettings& settings = {},
                           const std::string& field = "smile");

// The fit report of given parameters against quotes (residuals, butterfly); status solved.
SmileFit evaluate_smile(const SviParams& params, const SmileQuotes& quotes, const std::vector<double>& omega);

}  // namespace ballast::derivatives
