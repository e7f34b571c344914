// Test-side KKT measurement, written independently of the solver's own check: from the
// returned x and multipliers alone, with the convention P x + q = A_eq'y_eq + A_ineq'y_ineq + z
// (positive multiplier = lower side active, negative = upper side).
#pragma once

#include <algorithm>
#include <cmath>

#include "ballast/optimize/qp_solver.hpp"

namespace ballast::test {

struct Kkt {
  double stationarity = 0;
  double primal = 0;
  double dual_sign = 0;        // multiplier on a side whose bound is infinite
  double complementarity = 0;  // |multiplier| * distance to its bound
  double worst() const { return std::max({stationarity, primal, dual_sign, complementarity}); }
};

inline void check_side(Kkt& k, double value, double lo, double hi, double y) {
  k.primal = std::max({k.primal, lo - value, value - hi});
  if (y > 0) {
    if (std::isinf(lo)) k.dual_sign = std::max(k.dual_sign, y);
    else k.complementarity = std::max(k.complementarity, y * std::abs(value - lo));
  } else if (y < 0) {
    if (std::isinf(hi)) k.dual_sign = std::max(k.dual_sign, -y);
    else k.complementarity = std::max(k.complementarity, -y * std::abs(hi - value));
  }
}

inline Kkt kkt_residuals(const optimize::QpProblem& qp, const optimize::QpSolution& s) {
  Kkt k;
  Vector r = qp.P * s.x + qp.q - s.z;
  for (Index i = 0; i < qp.A_eq.rows(); ++i) r -= s.y_eq(i) * qp.A_eq.row(i).transpose();
  for (Index i = 0; i < qp.A_ineq.rows(); ++i) r -= s.y_ineq(i) * qp.A_ineq.row(i).transpose();
  k.stationarity = r.cwiseAbs().maxCoeff();
  for (Index i = 0; i < qp.A_eq.rows(); ++i)
    k.primal = std::max(k.primal, std::abs(qp.A_eq.row(i).dot(s.x) - qp.b_eq(i)));
  for (Index i = 0; i < qp.A_ineq.rows(); ++i)
    check_side(k, qp.A_ineq.row(i).dot(s.x), qp.l_ineq(i), qp.u_ineq(i), s.y_ineq(i));
  for (Index j = 0; j < s.x.size(); ++j) check_side(k, s.x(j), qp.lb(j), qp.ub(j), s.z(j));
  return k;
}

}  // namespace ballast::test
