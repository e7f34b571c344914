#include "checks.hpp"

#include <random>

namespace ballast::test {

Matrix random_returns(std::uint64_t seed, Index periods, Index assets, double mean) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Matrix returns(periods, assets);
  for (Index t = 0; t < periods; ++t) {
    const double factor = normal(rng);
    for (Index j = 0; j < assets; ++j)
      returns(t, j) = mean + 0.02 * (0.6 * factor + normal(rng)) * (1.0 + 0.3 * static_cast<double>(j));
  }
  return returns;
}

}  // namespace ballast::test
