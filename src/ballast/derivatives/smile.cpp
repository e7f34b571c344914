#include "ballast/derivatives/smile.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>

#include "ballast/core/format.hpp"
#include "ballast/core/portable_math.hpp"
#include "ballast/core/validate.hpp"
#include "ballast/derivatives/normal.hpp"
#include "ballast/optimize/qp_solver.hpp"

namespace ballast::derivatives {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Error require_positive_list(const std::vector<double>& v, const std::string& field, double max) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = indexed(field, static_cast<Index>(i));
    if (!std::isfinite(v[i])) return make_error(Status::non_finite, at, format_number(v[i]) + " is not a finite number");
    if (!(v[i] > 0.0) || v[i] > max)
      return make_error(Status::invalid_value, at, format_number(v[i]) + " must be > 0 and <= " + format_number(max));
  }
  return Error::none();
}

Error require_length(const std::vector<double>& v, std::size_t n, const std::string& field) {
  if (v.size() == n) return Error::none();
  return make_error(Status::invalid_shape, field,
                    "has " + std::to_string(v.size()) + " entries but strikes has " + std::to_string(n));
}

// The quotes as the fit sees them: log-moneyness, total variance and IV-space weight.
struct Data {
  std::vector<double> k, w, omega, lambda;  // lambda = omega / (4 w T), normalised
  double w_max = 0.0;
};

std::vector<double> scheme_weights(const SmileQuotes& q, SmileWeighting weighting) {
  const std::size_t n = q.strikes.size();
  std::vector<double> omega(n, 1.0);
  const double T = q.expiry_years;
  for (std::size_t i = 0; i < n; ++i) {
    if (weighting == SmileWeighting::vega) {
      const double s = q.vols[i] * std::sqrt(T);
      // Black vega per unit of total vol, sqrt(T) phi(d1). The fit's path branches on these
      // weights, so they use portable_exp (core/portable_math.hpp): libm's exp may differ by
      // an ulp between the native and WASM builds, which must agree.
      const double k = portable_log(q.strikes[i] / q.forward);
      const double d1 = -k / s + 0.5 * s;
      omega[i] = std::sqrt(T) * kInvSqrt2Pi * portable_exp(-0.5 * d1 * d1);
    } else if (weighting == SmileWeighting::spread) {
      const double spread = q.ask_vols[i] - q.bid_vols[i];
      omega[i] = 1.0 / (spread * spread);
    }
    if (!q.weights.empty()) omega[i] *= q.weights[i];
  }
  const double top = *std::max_element(omega.begin(), omega.end());
  if (top > 0.0)
    for (double& o : omega) o /= top;
  return omega;
}

Data prepare(const SmileQuotes& q, const std::vector<double>& omega) {
  Data d;
  const std::size_t n = q.strikes.size();
  d.k.resize(n);
  d.w.resize(n);
  d.lambda.resize(n);
  d.omega = omega;
  double norm = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    d.k[i] = portable_log(q.strikes[i] / q.forward);
    d.w[i] = q.vols[i] * q.vols[i] * q.expiry_years;
    d.lambda[i] = omega[i] / (4.0 * d.w[i] * q.expiry_years);
    norm += d.lambda[i] * d.w[i] * d.w[i];
    d.w_max = std::max(d.w_max, d.w[i]);
  }
  for (double& l : d.lambda) l /= norm;  // the QP sees O(1) numbers whatever the vol level
  return d;
}

// sum lambda_i (a + d y_i + c sqrt(y_i^2 + 1) - w_i)^2, y_i = (k_i - m)/sigma, in index order.
double sum_squared_residuals(const Data& data, double m, double sigma, double a, double d, double c) {
  double sum = 0.0;
  for (std::size_t i = 0; i < data.k.size(); ++i) {
    const double y = (data.k[i] - m) / sigma;
    const double r = a + d * y + c * std::sqrt(y * y + 1.0) - data.w[i];
    sum += data.lambda[i] * r * r;
  }
  return sum;
}

// min |X t - rhs| for an n x 3 X by Householder reflections (X and rhs are overwritten).
// False when X is rank-deficient to working precision.
bool householder_least_squares(std::vector<std::array<double, 3>>& X, std::vector<double>& rhs,
                               std::array<double, 3>& t) {
  const std::size_t n = X.size();
  double scale = 0.0;
  for (const auto& row : X)
    for (double v : row) scale = std::max(scale, std::fabs(v));
  for (std::size_t j = 0; j < 3; ++j) {
    double norm = 0.0;
    for (std::size_t i = j; i < n; ++i) norm += X[i][j] * X[i][j];
    norm = std::sqrt(norm);
    if (!(norm > 1e-13 * scale * std::sqrt(static_cast<double>(n)))) return false;
    const double alpha = X[j][j] > 0.0 ? -norm : norm;
    // v = x - alpha e_j, stored in column j (rows j..n-1); H = I - 2 v v' / v'v.
    X[j][j] -= alpha;
    double vv = 0.0;
    for (std::size_t i = j; i < n; ++i) vv += X[i][j] * X[i][j];
    for (std::size_t col = j + 1; col < 3; ++col) {
      double dot = 0.0;
      for (std::size_t i = j; i < n; ++i) dot += X[i][j] * X[i][col];
      const double f = 2.0 * dot / vv;
      for (std::size_t i = j; i < n; ++i) X[i][col] -= f * X[i][j];
    }
    double dot = 0.0;
    for (std::size_t i = j; i < n; ++i) dot += X[i][j] * rhs[i];
    const double f = 2.0 * dot / vv;
    for (std::size_t i = j; i < n; ++i) rhs[i] -= f * X[i][j];
    X[j][j] = alpha;  // R's diagonal; R's upper part is already in place above it
  }
  for (int j = 2; j >= 0; --j) {
    double v = rhs[j];
    for (int col = j + 1; col < 3; ++col) v -= X[j][col] * t[col];
    t[j] = v / X[j][j];
  }
  return true;
}

// The profiled inner problem at (m, sigma): best (a, d, c) and its objective.
struct Inner {
  double objective = kInf;
  double a = 0, d = 0, c = 0;
};

Inner solve_inner(const Data& data, double m, double sigma) {
  Eigen::Matrix3d XtX = Eigen::Matrix3d::Zero();
  Eigen::Vector3d Xtw = Eigen::Vector3d::Zero();
  for (std::size_t i = 0; i < data.k.size(); ++i) {
    const double y = (data.k[i] - m) / sigma;
    const Eigen::Vector3d x(1.0, y, std::sqrt(y * y + 1.0));
    XtX += data.lambda[i] * x * x.transpose();
    Xtw += data.lambda[i] * data.w[i] * x;
  }
  Inner out;
  // Most (m, sigma) near the optimum leave every constraint slack: then the unconstrained
  // least-squares solution (Householder QR on sqrt(Λ) X, accurate to rounding) is the answer.
  // Plain scalar loops, not Eigen: the Nelder-Mead path depends on every comparison of these
  // objectives, and Eigen's vectorised reductions round differently in the native and WASM
  // builds, which must agree.
  const std::size_t n = data.k.size();
  std::vector<std::array<double, 3>> X(n);
  std::vector<double> rhs(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double y = (data.k[i] - m) / sigma, root = std::sqrt(data.lambda[i]);
    X[i] = {root, root * y, root * std::sqrt(y * y + 1.0)};
    rhs[i] = root * data.w[i];
  }
  const double w_floor = 1e-9 * data.w_max;  // keeps the smallest variance strictly positive
  std::array<double, 3> t{};
  if (householder_least_squares(X, rhs, t)) {
    const double a = t[0], d = t[1], c = t[2];
    if (a <= data.w_max && c >= 0.0 && c <= 4.0 * sigma && c - d >= 0.0 && c + d >= 0.0 && c + d <= 4.0 * sigma &&
        c - d <= 4.0 * sigma && a + c - d >= w_floor && a + c + d >= w_floor) {
      out.a = a, out.d = d, out.c = c;
      out.objective = sum_squared_residuals(data, m, sigma, a, d, c);
      return out;
    }
  }
  optimize::QpProblem qp;
  qp.P = 2.0 * XtX;
  qp.q = -2.0 * Xtw;
  // Rows on (a, d, c): 0 <= c -+ d <= 4 sigma (|rho| <= 1 and Lee's bound), a + c -+ d >= 0 (w >= 0).
  qp.A_ineq.resize(4, 3);
  qp.A_ineq << 0, -1, 1, 0, 1, 1, 1, -1, 1, 1, 1, 1;
  qp.l_ineq = Eigen::Vector4d(0.0, 0.0, w_floor, w_floor);
  qp.u_ineq = Eigen::Vector4d(4.0 * sigma, 4.0 * sigma, kInf, kInf);
  qp.lb = Eigen::Vector3d(-kInf, -kInf, 0.0);
  qp.ub = Eigen::Vector3d(data.w_max, kInf, 4.0 * sigma);
  Result<optimize::QpResult> r = optimize::solve_qp(qp);
  if (!r.ok() || (r.value.status != Status::solved && r.value.status != Status::solved_inaccurate)) return out;
  const Vector& x = r.value.solution.x;
  out.a = x[0];
  out.d = x[1];
  out.c = x[2];
  out.objective = sum_squared_residuals(data, m, sigma, x[0], x[1], x[2]);
  return out;
}

SviParams to_params(const Inner& in, double m, double sigma) {
  SviParams p;
  p.a = in.a;
  p.b = in.c / sigma;
  p.rho = in.c > 0.0 ? std::clamp(in.d / in.c, -1.0, 1.0) : 0.0;
  p.m = m;
  p.sigma = sigma;
  return p;
}

// The outer search space: m within a span of the quotes, sigma in [1e-4, 10] (log scale).
struct Outer {
  const Data* data;
  double m_lo, m_hi;
  int evaluations = 0;
  double operator()(const std::array<double, 2>& v) {
    const double sigma = portable_exp(v[1]);
    if (v[0] < m_lo || v[0] > m_hi || sigma < 1e-4 || sigma > 10.0) return kInf;
    ++evaluations;
    return solve_inner(*data, v[0], sigma).objective;
  }
};

struct Simplex {
  std::array<std::array<double, 2>, 3> x;
  std::array<double, 3> f;
  int iterations = 0;
  bool converged = false;
};

// Nelder-Mead (standard coefficients 1, 2, 1/2, 1/2) until the simplex is below 1e-11 across
// or its values agree to 1e-15 relative.
Simplex nelder_mead(Outer& objective, std::array<double, 2> start, std::array<double, 2> step, int max_iterations) {
  Simplex s;
  s.x = {start, start, start};
  s.x[1][0] += step[0];
  s.x[2][1] += step[1];
  for (int i = 0; i < 3; ++i) s.f[i] = objective(s.x[i]);
  auto point = [](const std::array<double, 2>& c, const std::array<double, 2>& w, double t) {
    return std::array<double, 2>{c[0] + t * (w[0] - c[0]), c[1] + t * (w[1] - c[1])};
  };
  for (; s.iterations < max_iterations; ++s.iterations) {
    std::array<int, 3> order = {0, 1, 2};
    std::sort(order.begin(), order.end(), [&](int i, int j) { return s.f[i] < s.f[j]; });
    auto xs = s.x;
    auto fs = s.f;
    for (int i = 0; i < 3; ++i) {
      s.x[i] = xs[order[i]];
      s.f[i] = fs[order[i]];
    }
    double diameter = 0.0;
    for (int i = 1; i < 3; ++i)
      diameter = std::max({diameter, std::fabs(s.x[i][0] - s.x[0][0]), std::fabs(s.x[i][1] - s.x[0][1])});
    if (diameter < 1e-11 || (std::isfinite(s.f[2]) && s.f[2] - s.f[0] <= 1e-15 * s.f[0])) {
      s.converged = true;
      break;
    }
    const std::array<double, 2> centroid = {(s.x[0][0] + s.x[1][0]) / 2, (s.x[0][1] + s.x[1][1]) / 2};
    const auto reflected = point(centroid, s.x[2], -1.0);
    const double fr = objective(reflected);
    if (fr < s.f[0]) {
      const auto expanded = point(centroid, s.x[2], -2.0);
      const double fe = objective(expanded);
      if (fe < fr) {
        s.x[2] = expanded, s.f[2] = fe;
      } else {
        s.x[2] = reflected, s.f[2] = fr;
      }
    } else if (fr < s.f[1]) {
      s.x[2] = reflected, s.f[2] = fr;
    } else {
      const bool outside = fr < s.f[2];
      const auto contracted = point(centroid, outside ? reflected : s.x[2], 0.5);
      const double fc = objective(contracted);
      if (fc < (outside ? fr : s.f[2])) {
        s.x[2] = contracted, s.f[2] = fc;
      } else {
        for (int i = 1; i < 3; ++i) {
          s.x[i] = point(s.x[0], s.x[i], 0.5);
          s.f[i] = objective(s.x[i]);
        }
      }
    }
  }
  return s;
}

}  // namespace

Error validate_smile_quotes(const SmileQuotes& q, SmileWeighting weighting, const std::string& field) {
  const std::string f = field.empty() ? "" : field + ".";
  if (!std::isfinite(q.expiry_years))
    return make_error(Status::non_finite, f + "expiryYears", "not a finite number");
  if (!(q.expiry_years > 0.0) || q.expiry_years > 100.0)
    return make_error(Status::invalid_value, f + "expiryYears", "a smile needs an expiry in (0, 100] years");
  if (!std::isfinite(q.forward)) return make_error(Status::non_finite, f + "forward", "not a finite number");
  if (!(q.forward > 0.0)) return make_error(Status::invalid_value, f + "forward", "must be > 0");
  const std::size_t n = q.strikes.size();
  if (n == 0) return make_error(Status::invalid_shape, f + "strikes", "a smile needs quotes; strikes is empty");
  if (auto e = require_length(q.vols, n, f + "vols"); !e.ok()) return e;
  if (auto e = require_positive_list(q.strikes, f + "strikes", 1e100); !e.ok()) return e;
  if (auto e = require_positive_list(q.vols, f + "vols", 100.0); !e.ok()) return e;
  if (!q.weights.empty()) {
    if (auto e = require_length(q.weights, n, f + "weights"); !e.ok()) return e;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string at = indexed(f + "weights", static_cast<Index>(i));
      if (!std::isfinite(q.weights[i])) return make_error(Status::non_finite, at, "not a finite number");
      if (q.weights[i] < 0.0) return make_error(Status::invalid_value, at, "weights must be >= 0");
    }
  }
  const bool has_bid = !q.bid_vols.empty(), has_ask = !q.ask_vols.empty();
  if (weighting == SmileWeighting::spread && !has_bid)
    return make_error(Status::missing_field, f + "bidVols", "spread weighting needs bidVols and askVols");
  if (weighting == SmileWeighting::spread && !has_ask)
    return make_error(Status::missing_field, f + "askVols", "spread weighting needs bidVols and askVols");
  if (has_bid || has_ask) {
    if (auto e = require_length(q.bid_vols, n, f + "bidVols"); !e.ok()) return e;
    if (auto e = require_length(q.ask_vols, n, f + "askVols"); !e.ok()) return e;
    for (std::size_t i = 0; i < n; ++i) {
      const std::string bid = indexed(f + "bidVols", static_cast<Index>(i));
      const std::string ask = indexed(f + "askVols", static_cast<Index>(i));
      if (!std::isfinite(q.bid_vols[i])) return make_error(Status::non_finite, bid, "not a finite number");
      if (!std::isfinite(q.ask_vols[i])) return make_error(Status::non_finite, ask, "not a finite number");
      if (q.bid_vols[i] < 0.0) return make_error(Status::invalid_value, bid, "must be >= 0");
      if (!(q.ask_vols[i] > q.bid_vols[i]))
        return make_error(Status::invalid_value, ask, "the ask vol must be above the bid vol");
    }
  }
  std::set<double> distinct;
  for (std::size_t i = 0; i < n; ++i)
    if (q.weights.empty() || q.weights[i] > 0.0) distinct.insert(q.strikes[i]);
  if (distinct.size() < kMinSmileQuotes)
    return make_error(Status::invalid_shape, f + "strikes",
                      "an SVI smile has five parameters: it needs at least 5 distinct strikes with positive weight, got " +
                          std::to_string(distinct.size()));
  return Error::none();
}

SmileFit evaluate_smile(const SviParams& params, const SmileQuotes& q, const std::vector<double>& omega) {
  SmileFit fit;
  fit.status = Status::solved;
  fit.params = params;
  fit.expiry_years = q.expiry_years;
  fit.forward = q.forward;
  const std::size_t n = q.strikes.size();
  double sum_sq = 0, sum_wsq = 0, sum_w = 0, k_min = kInf, k_max = -kInf;
  for (std::size_t i = 0; i < n; ++i) {
    const double k = portable_log(q.strikes[i] / q.forward);
    const double vol = std::sqrt(std::max(svi_total_variance(params, k), 0.0) / q.expiry_years);
    const double r = vol - q.vols[i];
    fit.log_moneyness.push_back(k);
    fit.model_vols.push_back(vol);
    fit.residuals.push_back(r);
    sum_sq += r * r;
    const double o = omega.empty() ? 1.0 : omega[i];
    sum_wsq += o * r * r;
    sum_w += o;
    fit.max_abs_vol_error = std::max(fit.max_abs_vol_error, std::fabs(r));
    k_min = std::min(k_min, k);
    k_max = std::max(k_max, k);
  }
  fit.rms_vol_error = n ? std::sqrt(sum_sq / n) : 0.0;
  fit.weighted_rms_vol_error = sum_w > 0 ? std::sqrt(sum_wsq / sum_w) : 0.0;
  const CheckRange range = default_check_range(params, n ? k_min : 0.0, n ? k_max : 0.0);
  fit.butterfly = check_butterfly(params, range.from, range.to, kDefaultCheckPoints);
  return fit;
}

Result<SmileFit> fit_smile(const SmileQuotes& q, const SmileSettings& settings, const std::string& field) {
  if (auto e = validate_smile_quotes(q, settings.weighting, field); !e.ok()) return Result<SmileFit>::failure(e);
  if (settings.max_iterations < 1)
    return Result<SmileFit>::failure(make_error(Status::invalid_value, "settings.maxIterations", "must be >= 1"));
  const std::vector<double> omega = scheme_weights(q, settings.weighting);
  const Data data = prepare(q, omega);
  const auto [k_lo_it, k_hi_it] = std::minmax_element(data.k.begin(), data.k.end());
  const double k_lo = *k_lo_it, k_hi = *k_hi_it, span = std::max(k_hi - k_lo, 0.1);
  Outer objective{&data, k_lo - span, k_hi + span};

  // Coarse grid: 9 shifts across the quotes x 7 curvatures from 0.01 to 1.
  struct Start {
    double f;
    std::array<double, 2> x;
  };
  std::vector<Start> starts;
  for (int i = 0; i < 9; ++i)
    for (int j = 0; j < 7; ++j) {
      const std::array<double, 2> x = {k_lo + (k_hi - k_lo) * i / 8.0, portable_log(0.01) + portable_log(100.0) * j / 6.0};
      starts.push_back({objective(x), x});
    }
  std::sort(starts.begin(), starts.end(), [](const Start& a, const Start& b) { return a.f < b.f; });

  Simplex best;
  best.x = {starts[0].x, starts[0].x, starts[0].x};
  best.f = {kInf, kInf, kInf};
  bool converged = false;
  int iterations = 0;
  for (int s = 0; s < 3 && s < static_cast<int>(starts.size()); ++s) {
    Simplex run = nelder_mead(objective, starts[s].x, {0.1 * span, 0.3}, settings.max_iterations);
    iterations += run.iterations;
    if (run.f[0] < best.f[0] || !std::isfinite(best.f[0])) {
      best = run;
      converged = run.converged;
    }
  }
  if (!std::isfinite(best.f[0]))
    return Result<SmileFit>::failure(make_error(Status::numerical_error, field, "no SVI parameters fit these quotes"));
  const double m = best.x[0][0], sigma = portable_exp(best.x[0][1]);
  const Inner inner = solve_inner(data, m, sigma);
  SmileFit fit = evaluate_smile(to_params(inner, m, sigma), q, omega);
  fit.status = converged ? Status::solved : Status::max_iterations;
  fit.evaluations = objective.evaluations + 1;
  fit.iterations = iterations;
  return Result<SmileFit>::success(std::move(fit));
}

}  // namespace ballast::derivatives
