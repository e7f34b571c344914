// Portfolio report: return, volatility, Sharpe, risk contributions, diversification, beta.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "ballast/risk/portfolio_report.hpp"
#include "support.hpp"

using namespace ballast;
using ballast::risk::portfolio_report;
using ballast::risk::PortfolioReport;

namespace {

Vector random_vector(std::mt19937_64& rng, Index n, double scale) {
  std::normal_distribution<double> normal;
  Vector v(n);
  for (Index i = 0; i < n; ++i) v(i) = scale * normal(rng);
  return v;
}

double portfolio_volatility(const Vector& w, const Matrix& cov) { return std::sqrt(w.dot(cov * w)); }

}  // namespace

// Reference: hand arithmetic. w = (0.6, 0.4), mu = (0.10, 0.05), Sigma = [[0.04, 0.006],
// [0.006, 0.01]]: E = 0.08; w'Sigma w = 0.6^2*0.04 + 2*0.6*0.4*0.006 + 0.4^2*0.01 = 0.01888;
// Sharpe = (0.08 - 0.02) / sqrt(0.01888); beta to asset 0 = (0.6*0.04 + 0.4*0.006)/0.04 = 0.66.
TEST_CASE("two-asset report matches hand arithmetic", "[risk][portfolio_report]") {
  Vector w(2), mu(2);
  w << 0.6, 0.4;
  mu << 0.10, 0.05;
  Matrix cov(2, 2);
  cov << 0.04, 0.006, 0.006, 0.01;
  auto r = portfolio_report(w, mu, cov, 0.02, Index{0});
  REQUIRE(r.ok());
  const double sigma = std::sqrt(0.01888);
  CHECK(r.value.expected_return == Approx(0.08).epsilon(1e-14));
  CHECK(r.value.volatility == Approx(sigma).epsilon(1e-14));
  CHECK(r.value.sharpe == Approx(0.06 / sigma).epsilon(1e-14));
  REQUIRE(r.value.beta.has_value());
  CHECK(*r.value.beta == Approx(0.66).epsilon(1e-14));
  CHECK(r.value.diversification_ratio == Approx((0.6 * 0.2 + 0.4 * 0.1) / sigma).epsilon(1e-14));
}

// Reference: Euler's theorem (sigma is 1-homogeneous), so sum RC_i = sigma and sum shares = 1,
// on random long-short portfolios; and the definition RC_i = w_i d(sigma)/d(w_i) by central
// finite differences of sqrt(w' Sigma w) computed here.
TEST_CASE("risk contributions sum to volatility and equal w_i dsigma/dw_i", "[risk][portfolio_report]") {
  std::mt19937_64 rng(51);
  for (int trial = 0; trial < 10; ++trial) {
    const Index n = 3 + trial;
    const Matrix cov = ballast::test::random_covariance(rng, n, 0.01, 0.2);
    const Vector w = random_vector(rng, n, 0.5);  // long-short
    auto r = portfolio_report(w, Vector::Zero(n), cov, 0.0);
    REQUIRE(r.ok());
    const PortfolioReport& p = r.value;
    CHECK(p.risk_contributions.sum() == Approx(p.volatility).epsilon(1e-12));
    CHECK(p.risk_contribution_shares.sum() == Approx(1.0).epsilon(1e-12));
    CHECK(p.volatility == Approx(portfolio_volatility(w, cov)).epsilon(1e-13));
    CHECK_FALSE(p.beta.has_value());
    CHECK(p.diversification_ratio >= 1.0);

    const double h = 1e-6;
    for (Index i = 0; i < n; ++i) {
      Vector up = w, down = w;
      up(i) += h;
      down(i) -= h;
      const double derivative = (portfolio_volatility(up, cov) - portfolio_volatility(down, cov)) / (2 * h);
      CHECK(p.risk_contributions(i) == Approx(w(i) * derivative).margin(1e-8));
    }
  }
}

// Reference: closed form. Identity covariance, w = 1/N: RC_i = (1/N)(1/N)/(1/sqrt(N)), shares
// 1/N, sigma = 1/sqrt(N), diversification ratio = (sum 1/N) / (1/sqrt(N)) = sqrt(N).
TEST_CASE("equal weights on an identity covariance give equal shares", "[risk][portfolio_report]") {
  const Index n = 5;
  const Vector w = Vector::Constant(n, 1.0 / n);
  auto r = portfolio_report(w, Vector::Zero(n), Matrix::Identity(n, n), 0.0);
  REQUIRE(r.ok());
  for (Index i = 0; i < n; ++i) CHECK(r.value.risk_contribution_shares(i) == Approx(0.2).epsilon(1e-14));
  CHECK(r.value.volatility == Approx(1 / std::sqrt(5.0)).epsilon(1e-14));
  CHECK(r.value.diversification_ratio == Approx(std::sqrt(5.0)).epsilon(1e-14));
}

// Reference: definitions. One asset (alone, or all weight on one of several): DR = 1, its
// share is 1, and the beta of an asset's portfolio to itself is 1.
TEST_CASE("single asset: diversification ratio 1 and beta to itself 1", "[risk][portfolio_report]") {
  std::mt19937_64 rng(52);
  const Matrix cov = ballast::test::random_covariance(rng, 4, 0.01, 0.3);
  Vector w = Vector::Zero(4);
  w(2) = 1.5;  // leverage does not matter
  auto r = portfolio_report(w, Vector::Zero(4), cov, 0.0, Index{2});
  REQUIRE(r.ok());
  CHECK(r.value.diversification_ratio == Approx(1.0).epsilon(1e-14));
  CHECK(r.value.risk_contribution_shares(2) == Approx(1.0).epsilon(1e-14));
  REQUIRE(r.value.beta.has_value());
  CHECK(*r.value.beta == Approx(1.5).epsilon(1e-14));  // beta scales with exposure: 1 per unit

  Vector one(1);
  one << 1.0;
  Matrix var(1, 1);
  var << 0.09;
  auto alone = portfolio_report(one, Vector::Constant(1, 0.1), var, 0.01, Index{0});
  REQUIRE(alone.ok());
  CHECK(alone.value.diversification_ratio == Approx(1.0).epsilon(1e-15));
  CHECK(*alone.value.beta == Approx(1.0).epsilon(1e-15));
  CHECK(alone.value.sharpe == Approx(0.09 / 0.3).epsilon(1e-14));
}

// Reference: the zero-volatility convention in portfolio_report.hpp (ratios reported as 0).
TEST_CASE("zero-volatility portfolios give no NaN", "[risk][portfolio_report]") {
  SECTION("cash-like assets") {
    auto r = portfolio_report(Vector::Constant(2, 0.5), Vector::Constant(2, 0.03), Matrix::Zero(2, 2), 0.01,
                              Index{1});
    REQUIRE(r.ok());
    CHECK(r.value.volatility == 0);
    CHECK(r.value.sharpe == 0);
    CHECK(r.value.diversification_ratio == 0);
    CHECK(r.value.risk_contributions == Vector::Zero(2));
    CHECK(r.value.risk_contribution_shares == Vector::Zero(2));
    CHECK_FALSE(r.value.beta.has_value());  // zero-variance reference asset
    CHECK(r.value.expected_return == Approx(0.03));
  }
  SECTION("a perfect hedge") {
    Matrix cov(2, 2);
    cov << 0.04, 0.04, 0.04, 0.04;
    Vector w(2);
    w << 1.0, -1.0;
    auto r = portfolio_report(w, Vector::Zero(2), cov, 0.0, Index{0});
    REQUIRE(r.ok());
    CHECK(r.value.volatility == 0);
    CHECK(r.value.diversification_ratio == 0);
    CHECK(r.value.risk_contributions.allFinite());
    REQUIRE(r.value.beta.has_value());
    CHECK(*r.value.beta == 0);
  }
}

// Reference: the error contract in portfolio_report.hpp.
TEST_CASE("portfolio report refuses inconsistent input", "[risk][portfolio_report][input]") {
  const Vector w = Vector::Constant(2, 0.5);
  const Vector mu = Vector::Constant(2, 0.1);
  const Matrix cov = Matrix::Identity(2, 2);
  CHECK(portfolio_report(Vector(), Vector(), Matrix(), 0).error.code == Status::invalid_shape);
  CHECK(portfolio_report(w, Vector::Zero(3), cov, 0).error.field == "expectedReturns");
  CHECK(portfolio_report(w, mu, Matrix::Identity(3, 3), 0).error.field == "covariance");
  Vector bad_w = w;
  bad_w(1) = std::numeric_limits<double>::quiet_NaN();
  CHECK(portfolio_report(bad_w, mu, cov, 0).error.code == Status::non_finite);
  CHECK(portfolio_report(bad_w, mu, cov, 0).error.field == "weights[1]");
  Matrix asym = cov;
  asym(0, 1) = 0.3;
  CHECK(portfolio_report(w, mu, asym, 0).error.code == Status::invalid_value);
  Matrix negative = cov;
  negative(1, 1) = -1;
  CHECK(portfolio_report(w, mu, negative, 0).error.field == "covariance[1][1]");
  CHECK(portfolio_report(w, mu, cov, std::numeric_limits<double>::infinity()).error.field == "riskFreeRate");
  CHECK(portfolio_report(w, mu, cov, 0, Index{2}).error.field == "betaAsset");
  CHECK(portfolio_report(w, mu, cov, 0, Index{-1}).error.code == Status::invalid_value);
}
