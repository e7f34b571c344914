// Hedges for a book (book.hpp): the sizes of chosen hedge instruments that neutralise the
// book's delta, gamma and vega per underlying at least cost.
//
//   minimise   sum_j cost_j |x_j| + (regularization / 2) sum_j x_j^2
//   subject to book_g(u) + sum_j x_j greek_g(j, u) = 0   for each requested Greek g, underlying u
//              |x_j| <= max_quantity_j
// Greeks in USD units so they are comparable: delta_usd, gamma_usd_per_pct,
// vega_usd_per_vol_point (book.hpp). The cost is linear (half-spread plus fees per unit, USD)
// and the L2 term makes the QP strictly convex, so the hedge is unique; with zero costs it is
// the minimum-norm hedge. |x| is split as x = x+ - x-, x+- >= 0, and the QP goes to the
// optimizer's active-set solver (optimize/qp_solver.hpp).
//
// When the instruments cannot neutralise everything requested, the Greeks are taken in the
// order given (by default delta, then gamma, then vega; within a Greek, underlyings in book
// order): each is held at zero when the instruments can still move it once the earlier ones are
// held, and otherwise stays at the value the earlier ones force, which is then the closest
// (least-squares) value reachable. Such a Greek is reported as not neutralised, with its
// residual; it is a result, not an error. Size limits that make the exact hedge impossible give
// status infeasible and fall back to the sizes within the limits that come closest (least
// squares on the Greeks, each scaled by its row norm).
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "ballast/core/result.hpp"
#include "ballast/core/status.hpp"
#include "ballast/derivatives/book.hpp"

namespace ballast::derivatives {

enum class HedgeGreek { delta, gamma, vega };

struct HedgeInstrument {
  Position position;                     // quantity is ignored (the solve sets it)
  double cost_per_unit = 0.0;            // USD per unit traded, >= 0
  double max_quantity = std::numeric_limits<double>::infinity();  // |size| cap, > 0
};

struct HedgeSettings {
  std::vector<HedgeGreek> neutralize = {HedgeGreek::delta, HedgeGreek::gamma, HedgeGreek::vega};
  double regularization = 1e-6;  // USD per unit^2, > 0
};

struct HedgeRow {
  HedgeGreek greek = HedgeGreek::delta;
  int underlying = 0;
  double book = 0.0;      // the book's figure before the hedge (USD units)
  double hedge = 0.0;     // what the hedge adds
  double residual = 0.0;  // book + hedge
  bool neutralized = false;
};

struct HedgeResult {
  Status status = Status::numerical_error;  // solved, solved_inaccurate, infeasible (size caps;
                                            // fallback sizes returned), numerical_error
  std::vector<double> quantities;           // per instrument
  std::vector<HedgeRow> rows;
  double cost = 0.0;  // sum cost |x|
  bool all_neutralized = false;
  std::string fallback;  // "" or "closest-within-limits"
  std::string message;
  int iterations = 0;
  double primal_residual = 0.0, dual_residual = 0.0;
};

std::string_view to_string(HedgeGreek g);

// Errors: those of validate_book; instruments named "instruments[j]..." (underlying, option,
// costPerUnit, maxQuantity); no instruments; empty or repeated `neutralize`; regularization <= 0.
Result<HedgeResult> hedge_book(const Book& book, const std::vector<HedgeInstrument>& instruments,
                               const HedgeSettings& settings = {});

}  // namespace ballast::derivatives
