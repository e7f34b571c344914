// The normalised Black function of Jäckel, "Let's Be Rational" (Wilmott 2015, §2):
//
//   b(x, s) = θ [ e^{x/2} Φ(θ(x/s + s/2)) - e^{-x/2} Φ(θ(x/s - s/2)) ],
//   x = ln(F/K), s = σ√T (total vol), θ = +1 call / -1 put,
//
// so that the undiscounted Black price is √(FK)·b. Every model here (Black-Scholes-Merton,
// Black-76, inverse) reduces to it, and implied vol inverts it. The naive formula subtracts
// two nearly equal tiny numbers in the wings and for short expiries; this one does not:
// out-of-the-money values are built from an asymptotic series (h = x/s < -10), a Taylor
// series in t = s/2 (t < 0.21), or erfc / erfcx forms, as in Jäckel's paper, and
// in-the-money values are the intrinsic part plus the out-of-the-money part (put-call
// duality b(x) = intrinsic(x) + b(-x)), a sum of non-negative terms.
#pragma once

namespace ballast::derivatives {

// θ = +1 (call) or -1 (put); any positive value is read as +1, anything else as -1.
// max(θ(e^{x/2} - e^{-x/2}), 0), computed as 2 sinh(|x|/2) to keep small |x| exact.
double normalised_intrinsic(double x, double theta);

// b(x, s) for s >= 0 (s = 0 gives the intrinsic value). Non-negative, never NaN for finite x.
double normalised_black(double x, double s, double theta);

// ∂b/∂s = φ(x/s + s/2) e^{x/2} = exp(-(h^2 + t^2)/2)/√(2π), the same for calls and puts.
// 0 at s = 0 unless x = 0 (then 1/√(2π)).
double normalised_vega(double x, double s);

}  // namespace ballast::derivatives
