#include "support.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace ballast::test {

std::optional<std::string> shared_data(const std::string& file) {
  std::string path = std::string(BALLAST_DATA_DIR) + "/" + file;
  if (!std::ifstream(path).good()) return std::nullopt;
  return path;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

CsvTable read_csv_table(const std::string& path) {
  CsvTable table;
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return table;
  const std::vector<std::string> header = split_csv_line(line);
  for (std::size_t i = 0; i < header.size(); ++i) table.column[header[i]] = i;
  while (std::getline(in, line)) table.rows.push_back(split_csv_line(line));
  return table;
}

std::optional<PricePanel> load_price_panel() {
  auto path = shared_data("crypto_daily_close.csv");
  if (!path) return std::nullopt;
  std::ifstream in(*path);
  std::string line;
  std::getline(in, line);
  PricePanel panel;
  auto header = split_csv_line(line);
  panel.assets.assign(header.begin() + 1, header.end());
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto cells = split_csv_line(line);
    panel.dates.push_back(cells[0]);
    std::vector<double> row(panel.assets.size(), std::numeric_limits<double>::quiet_NaN());
    for (size_t j = 1; j < cells.size() && j - 1 < row.size(); ++j)
      if (!cells[j].empty()) row[j - 1] = std::stod(cells[j]);
    rows.push_back(std::move(row));
  }
  panel.prices.resize(rows.size(), panel.assets.size());
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < rows[i].size(); ++j) panel.prices(i, j) = rows[i][j];
  return panel;
}

Matrix common_window(const PricePanel& panel, const std::vector<std::string>& names) {
  std::vector<Index> cols;
  for (const auto& name : names)
    for (size_t j = 0; j < panel.assets.size(); ++j)
      if (panel.assets[j] == name) cols.push_back(static_cast<Index>(j));
  std::vector<Index> rows;
  for (Index i = 0; i < panel.prices.rows(); ++i) {
    bool all = true;
    for (Index c : cols) all = all && std::isfinite(panel.prices(i, c));
    if (all) rows.push_back(i);
  }
  Matrix out(rows.size(), cols.size());
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t j = 0; j < cols.size(); ++j) out(i, j) = panel.prices(rows[i], cols[j]);
  return out;
}

Matrix random_covariance(std::mt19937_64& rng, Index n, double lo, double hi) {
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(lo, hi);
  Matrix a(n, n);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < n; ++j) a(i, j) = normal(rng);
  Eigen::HouseholderQR<Matrix> qr(a);
  Matrix q = qr.householderQ();
  Vector d(n);
  for (Index i = 0; i < n; ++i) d(i) = uniform(rng);
  Matrix c = q * d.asDiagonal() * q.transpose();
  return 0.5 * (c + c.transpose());
}

}  // namespace ballast::test
