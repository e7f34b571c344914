// Helpers shared by the Catch2 tests: real data from ../shared/data, seeded random problems.
#pragma once

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ballast/core/types.hpp"

namespace ballast::test {

// Path to a file in ../shared/data, or nullopt when the folder is absent (a user's clone).
// Tests call WARN + return through skip_without_data() so a skip is visible in the output.
std::optional<std::string> shared_data(const std::string& file);

// Cells of one CSV line (no quoting in ../shared/data); a trailing comma is an empty last cell.
std::vector<std::string> split_csv_line(const std::string& line);

// A CSV file with a header row: cells by row, and each header name's column index.
struct CsvTable {
  std::map<std::string, std::size_t> column;
  std::vector<std::vector<std::string>> rows;
  const std::string& cell(std::size_t row, const std::string& name) const { return rows[row][column.at(name)]; }
};
CsvTable read_csv_table(const std::string& path);

// The daily close panel: dates, asset names and prices (NaN where the source is blank).
struct PricePanel {
  std::vector<std::string> dates;
  std::vector<std::string> assets;
  Matrix prices;  // T x N, NaN = no value that day
};
std::optional<PricePanel> load_price_panel();
// Columns `names`, rows where all of them are present.
Matrix common_window(const PricePanel& panel, const std::vector<std::string>& names);

// A random symmetric positive definite N x N matrix with eigenvalues in [lo, hi].
Matrix random_covariance(std::mt19937_64& rng, Index n, double lo = 0.01, double hi = 1.0);

}  // namespace ballast::test

#define BALLAST_SKIP_WITHOUT_DATA(opt)                                                  \
  do {                                                                                  \
    if (!(opt)) {                                                                       \
      WARN("SKIPPED: ../shared/data is absent; this real-data test did not run");       \
      return;                                                                           \
    }                                                                                   \
  } while (0)
