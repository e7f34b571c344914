// Exponential recency weights shared by the EWMA estimators.
#pragma once

#include "ballast/core/types.hpp"

namespace ballast::estimate {

// w_t = 2^(-(T-1-t) / half_life_periods) for t = 0 .. T-1 (oldest first): the newest period
// weighs 1 and a period half_life_periods older weighs 1/2. Equivalently w_t = lambda^(T-1-t)
// with decay lambda = 2^(-1/half_life_periods) (pandas' ewm(halflife=h), adjust=True).
// Not normalized; weights of very old periods may underflow to 0, which is harmless.
// Precondition (checked by callers with check_half_life): half_life_periods > 0 and finite.
Vector recency_weights(Index periods, double half_life_periods);

// Weight sums below this are treated as "no usable weight": the periods involved are so old,
// relative to the half-life, that products of weights and returns would leave the normal
// double range. (Squares of weights are never formed, so 1e-200 is safely inside it.)
inline constexpr double smallest_usable_weight_sum = 1e-200;

}  // namespace ballast::estimate
