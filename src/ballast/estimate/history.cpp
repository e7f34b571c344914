#include "ballast/estimate/history.hpp"

#include <cmath>
#include <string>

#include "ballast/estimate/inputs.hpp"

namespace ballast::estimate {

namespace {

struct Span {
  Index first = -1;  // first row with a return, -1 if none
  Index last = -1;
};

Span present_span(const Eigen::Ref<const Vector>& column) {
  Span span;
  for (Index t = 0; t < column.size(); ++t)
    if (!std::isnan(column(t))) {
      if (span.first < 0) span.first = t;
      span.last = t;
    }
  return span;
}

// Explains why fewer than 2 common rows exist: either two histories do not overlap at all
// (name the latest starter and the earliest ender), or gaps inside them leave too few rows.
std::string explain_short_window(const Matrix& returns, Index rows_kept) {
  Index latest_start_col = 0, earliest_end_col = 0;
  Span latest_start, earliest_end;
  for (Index j = 0; j < returns.cols(); ++j) {
    const Span span = present_span(returns.col(j));
    if (span.first < 0) return "asset column " + std::to_string(j) + " has no return at all";
    if (j == 0 || span.first > latest_start.first) {
      latest_start = span;
      latest_start_col = j;
    }
    if (j == 0 || span.last < earliest_end.last) {
      earliest_end = span;
      earliest_end_col = j;
    }
  }
  if (latest_start.first > earliest_end.last)
    return "asset columns " + std::to_string(earliest_end_col) + " (returns end at row " +
           std::to_string(earliest_end.last) + ") and " + std::to_string(latest_start_col) +
           " (returns start at row " + std::to_string(latest_start.first) + ") do not overlap";
  return "only " + std::to_string(rows_kept) +
         " rows have a return for every asset (gaps inside the histories); at least 2 are needed";
}

}  // namespace

Result<CommonWindow> restrict_to_common_window(const Matrix& returns, const std::string& field) {
  if (Error e = check_returns_panel(returns, field); !e.ok()) return Result<CommonWindow>::failure(e);
  const Eigen::Array<bool, Eigen::Dynamic, 1> row_complete =
      (returns.array() == returns.array()).rowwise().all();  // NaN != NaN
  CommonWindow window;
  for (Index t = 0; t < returns.rows(); ++t)
    if (row_complete(t)) window.kept_rows.push_back(t);
  const Index kept = static_cast<Index>(window.kept_rows.size());
  if (kept < 2)
    return Result<CommonWindow>::failure(
        make_error(Status::invalid_shape, field, explain_short_window(returns, kept)));
  window.returns = returns(window.kept_rows, Eigen::all);
  return Result<CommonWindow>::success(std::move(window));
}

}  // namespace ballast::estimate
