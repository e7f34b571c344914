// Real data: the 24-asset daily close panel in ../shared/data (provenance in SOURCES.md).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "ballast/estimate/history.hpp"
#include "ballast/estimate/moments.hpp"
#include "ballast/estimate/returns.hpp"
#include "checks.hpp"
#include "support.hpp"

using namespace ballast;
using namespace ballast::estimate;
using ballast::test::max_abs_diff;
using ballast::test::min_eigenvalue;

namespace {

const std::vector<std::string> kCommonWindowAssets = {"BTC", "ETH",  "SOL", "BNB",  "XRP", "ADA",
                                                      "DOGE", "AVAX", "LINK", "MATIC", "UNI", "AAVE",
                                                      "DOT", "LTC",  "USDT", "USDC"};

Index column_of(const ballast::test::PricePanel& panel, const std::string& name) {
  return static_cast<Index>(std::find(panel.assets.begin(), panel.assets.end(), name) - panel.assets.begin());
}

Matrix columns(const ballast::test::PricePanel& panel, const std::vector<std::string>& names) {
  Matrix out(panel.prices.rows(), static_cast<Index>(names.size()));
  for (size_t k = 0; k < names.size(); ++k) out.col(static_cast<Index>(k)) = panel.prices.col(column_of(panel, names[k]));
  return out;
}

}  // namespace

// Reference: SOURCES.md coverage (first/last dates per asset) and the definition of a return.
TEST_CASE("real data: returns of all 24 ragged columns", "[estimate][real_data]") {
  auto panel = ballast::test::load_price_panel();
  BALLAST_SKIP_WITHOUT_DATA(panel);
  REQUIRE(panel->prices.cols() == 24);
  auto r = returns_from_prices(panel->prices, ReturnKind::log);
  REQUIRE(r.ok());
  CHECK(r.value.rows() == panel->prices.rows() - 1);
  // A return exists exactly when both consecutive prices exist.
  Index mismatches = 0;
  for (Index j = 0; j < 24; ++j)
    for (Index t = 1; t < panel->prices.rows(); ++t)
      mismatches += std::isnan(r.value(t - 1, j)) !=
                    (std::isnan(panel->prices(t, j)) || std::isnan(panel->prices(t - 1, j)));
  CHECK(mismatches == 0);
  // POL starts 2024-09-13 and MATIC ends 2024-09-10 (SOURCES.md): ragged start and end.
  const Index pol = column_of(*panel, "POL"), matic = column_of(*panel, "MATIC");
  const auto date_row = [&](const std::string& d) {
    return static_cast<Index>(std::find(panel->dates.begin(), panel->dates.end(), d) - panel->dates.begin());
  };
  CHECK(std::isnan(r.value(date_row("2024-09-13") - 1, pol)));
  CHECK(std::isfinite(r.value(date_row("2024-09-14") - 1, pol)));
  CHECK(std::isfinite(r.value(date_row("2024-09-10") - 1, matic)));
  CHECK(std::isnan(r.value(date_row("2024-09-11") - 1, matic)));
}

// Reference: SOURCES.md (1,427 common days, 2020-10-15 .. 2024-09-10); the test-support
// common_window on prices as an independent path; scikit-learn 1.2.1
// LedoitWolf().fit(R).shrinkage_ = 0.01631949441647435 on these log returns (python3, numpy
// 1.24.2, R = np.diff(np.log(prices of the 1,427 common days), axis=0)); plausibility ranges.
TEST_CASE("real data: common window of 16 assets", "[estimate][real_data]") {
  auto panel = ballast::test::load_price_panel();
  BALLAST_SKIP_WITHOUT_DATA(panel);
  auto all_returns = returns_from_prices(columns(*panel, kCommonWindowAssets), ReturnKind::log);
  REQUIRE(all_returns.ok());

  auto window = restrict_to_common_window(all_returns.value);
  REQUIRE(window.ok());
  CHECK(window.value.returns.rows() == 1426);
  CHECK(panel->dates[static_cast<size_t>(window.value.kept_rows.front())] == "2020-10-15");  // first return into 10-16
  CHECK(panel->dates[static_cast<size_t>(window.value.kept_rows.back() + 1)] == "2024-09-10");

  const Matrix common_prices = ballast::test::common_window(*panel, kCommonWindowAssets);
  REQUIRE(common_prices.rows() == 1427);
  auto direct = returns_from_prices(common_prices, ReturnKind::log);
  REQUIRE(direct.ok());
  CHECK(max_abs_diff(direct.value, window.value.returns) == 0);

  EstimatorSettings settings;
  settings.covariance = CovarianceMethod::ledoit_wolf;
  auto m = estimate_moments(all_returns.value, settings);
  REQUIRE(m.ok());
  CHECK(m.value.observations == 1426);
  CHECK(m.value.shrinkage > 0);
  CHECK(m.value.shrinkage < 1);
  CHECK(m.value.shrinkage == Approx(0.01631949441647435).epsilon(1e-9));
  CHECK_FALSE(m.value.repair.repaired);
  CHECK(min_eigenvalue(m.value.covariance) > 0);
  CHECK(m.value.correlation.cwiseAbs().maxCoeff() <= 1.0);
  // Shrinking towards mu * I adds shrinkage * mu (mu = average variance) to every variance:
  // stablecoins' volatility rises from ~0.012 to ~0.13. Known property of this target.
  CHECK(m.value.volatilities(14) > 0.1);

  settings.covariance = CovarianceMethod::sample;
  auto sample = estimate_moments(all_returns.value, settings);
  REQUIRE(sample.ok());
  CHECK(sample.value.observations == 1426);
  CHECK(std::isnan(sample.value.shrinkage));
  CHECK_FALSE(sample.value.repair.repaired);
  CHECK(min_eigenvalue(sample.value.covariance) > 0);
  const Vector& vol = sample.value.volatilities;
  CHECK(vol(0) > 0.4);  // BTC
  CHECK(vol(0) < 0.9);
  CHECK(vol(14) < 0.1);  // USDT
  CHECK(vol(15) < 0.1);  // USDC
  CHECK((vol.array() > 0).all());
  // Cross-check of the annualized BTC volatility, python3 + numpy 1.24.2:
  // np.sqrt(365 * np.cov(R.T)[0, 0]) = 0.633 (3 decimals) on the same R.
  CHECK(vol(0) == Approx(0.633).margin(0.0005));
  const Matrix& rho = sample.value.correlation;
  CHECK(rho.cwiseAbs().maxCoeff() <= 1.0);
  CHECK(rho.diagonal() == Vector::Ones(16));
  CHECK(rho(0, 1) > 0.5);  // BTC and ETH move together
}

// Reference: SOURCES.md (MATIC ends before POL starts; XMR is delisted before POL lists, so
// both pairs never overlap) and an eigensolver for PSD. Pairwise covariance over ragged
// histories is indefinite here (numpy: smallest eigenvalue about -0.37 annualized).
TEST_CASE("real data: pairwise policy over all 24 assets is repaired to PSD", "[estimate][real_data]") {
  auto panel = ballast::test::load_price_panel();
  BALLAST_SKIP_WITHOUT_DATA(panel);
  auto returns = returns_from_prices(panel->prices, ReturnKind::log);
  REQUIRE(returns.ok());
  EstimatorSettings settings;
  settings.missing = MissingPolicy::pairwise;
  auto m = estimate_moments(returns.value, settings);
  REQUIRE(m.ok());
  const PsdRepair& repair = m.value.repair;
  CHECK(repair.repaired);
  CHECK(repair.eigenvalues_clipped >= 1);
  CHECK(repair.min_eigenvalue_before < 0);
  CHECK(repair.frobenius_change > 0);
  CHECK(min_eigenvalue(m.value.covariance) >= -1e-12);
  CHECK(m.value.correlation.allFinite());
  CHECK(m.value.correlation.cwiseAbs().maxCoeff() <= 1.0);

  const Index matic = column_of(*panel, "MATIC"), pol = column_of(*panel, "POL"), xmr = column_of(*panel, "XMR");
  REQUIRE(m.value.unestimated_pairs.size() == 2);
  const auto listed = [&](Index a, Index b) {
    for (const AssetPair& p : m.value.unestimated_pairs)
      if (p.first == std::min(a, b) && p.second == std::max(a, b)) return true;
    return false;
  };
  CHECK(listed(matic, pol));
  CHECK(listed(xmr, pol));
  CHECK(m.value.observations >= 2);

  settings.covariance = CovarianceMethod::ewma;  // the same through the EWMA path
  auto ewma = estimate_moments(returns.value, settings);
  REQUIRE(ewma.ok());
  CHECK(min_eigenvalue(ewma.value.covariance) >= -1e-12);
}
