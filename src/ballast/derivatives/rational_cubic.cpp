#include "ballast/derivatives/rational_cubic.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace ballast::derivatives {

namespace {

// Beyond this r the interpolant is the straight line to double precision.
const double kMaxControl = 2.0 / (DBL_EPSILON * DBL_EPSILON);
// Below -1 the denominator 1 + (r-3) t (1-t) can vanish; stay a hair above it.
const double kMinControl = -(1.0 - std::sqrt(DBL_EPSILON));

bool is_zero(double v) { return std::fabs(v) < DBL_MIN; }

// The smallest r keeping the interpolant monotone (when the data are) and convex or concave
// (when the data are), eqs. (3.8) and (3.18) of Delbourgo and Gregory.
double minimum_control(double d_l, double d_r, double slope, bool prefer_shape) {
  const bool monotonic = d_l * slope >= 0.0 && d_r * slope >= 0.0;
  const bool convex = d_l <= slope && slope <= d_r;
  const bool concave = d_l >= slope && slope >= d_r;
  if (!monotonic && !convex && !concave) return kMinControl;
  double r1 = -DBL_MAX, r2 = -DBL_MAX;
  if (monotonic) {
    if (!is_zero(slope)) r1 = (d_r + d_l) / slope;
    else if (prefer_shape) r1 = kMaxControl;
  }
  if (convex || concave) {
    const double s_minus_l = slope - d_l, r_minus_s = d_r - slope;
    if (!is_zero(s_minus_l) && !is_zero(r_minus_s))
      r2 = std::max(std::fabs((d_r - d_l) / r_minus_s), std::fabs((d_r - d_l) / s_minus_l));
    else if (prefer_shape) r2 = kMaxControl;
  } else if (monotonic && prefer_shape) {
    r2 = kMaxControl;
  }
  return std::max(kMinControl, std::max(r1, r2));
}

double control_from_ratio(double numerator, double denominator) {
  if (is_zero(numerator)) return 0.0;
  if (is_zero(denominator)) return numerator > 0.0 ? kMaxControl : kMinControl;
  return numerator / denominator;
}

}  // namespace

double rational_cubic_interpolation(double x, double x_l, double x_r, double y_l, double y_r, double d_l,
                                    double d_r, double r) {
  const double h = x_r - x_l;
  if (std::fabs(h) <= 0.0) return 0.5 * (y_l + y_r);
  const double t = (x - x_l) / h;
  if (!(r < kMaxControl)) return y_r * t + y_l * (1.0 - t);
  const double omt = 1.0 - t, t2 = t * t, omt2 = omt * omt;
  return (y_r * t2 * t + (r * y_r - h * d_r) * t2 * omt + (r * y_l + h * d_l) * t * omt2 + y_l * omt2 * omt) /
         (1.0 + (r - 3.0) * t * omt);
}

double convex_rational_cubic_control_parameter_left(double x_l, double x_r, double y_l, double y_r, double d_l,
                                                    double d_r, double second_derivative_l, bool prefer_shape) {
  const double h = x_r - x_l;
  const double r = control_from_ratio(0.5 * h * second_derivative_l + (d_r - d_l), (y_r - y_l) / h - d_l);
  return std::max(r, minimum_control(d_l, d_r, (y_r - y_l) / h, prefer_shape));
}

double convex_rational_cubic_control_parameter_right(double x_l, double x_r, double y_l, double y_r, double d_l,
                                                     double d_r, double second_derivative_r, bool prefer_shape) {
  const double h = x_r - x_l;
  const double r = control_from_ratio(0.5 * h * second_derivative_r + (d_r - d_l), d_r - (y_r - y_l) / h);
  return std::max(r, minimum_control(d_l, d_r, (y_r - y_l) / h, prefer_shape));
}

}  // namespace ballast::derivatives
