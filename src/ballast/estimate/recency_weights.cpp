#include "ballast/estimate/recency_weights.hpp"

#include <cmath>

namespace ballast::estimate {

Vector recency_weights(Index periods, double half_life_periods) {
  Vector weights(periods);
  for (Index t = 0; t < periods; ++t)
    weights(t) = std::exp2(-static_cast<double>(periods - 1 - t) / half_life_periods);
  return weights;
}

}  // namespace ballast::estimate
