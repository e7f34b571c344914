// Delbourgo-Gregory rational cubic interpolation (IMA J. Numer. Anal. 5, 1985), the shape-
// preserving interpolant "Let's Be Rational" (Jäckel 2015, §4) fits through the normalised
// Black function to get an implied-vol starting point accurate to a few digits.
#pragma once

namespace ballast::derivatives {

// Interpolates between (x_l, y_l) and (x_r, y_r) with end slopes d_l, d_r; the control
// parameter r = 3 gives the cubic Hermite, r -> inf the straight line.
double rational_cubic_interpolation(double x, double x_l, double x_r, double y_l, double y_r, double d_l,
                                    double d_r, double r);

// The r that matches a given second derivative at the left (or right) end, raised if needed
// so that the interpolant stays monotone and convex (or concave) like the data.
double convex_rational_cubic_control_parameter_left(double x_l, double x_r, double y_l, double y_r, double d_l,
                                                    double d_r, double second_derivative_l,
                                                    bool prefer_shape_preservation_over_smoothness);
double convex_rational_cubic_control_parameter_right(double x_l, double x_r, double y_l, double y_r, double d_l,
                                                     double d_r, double second_derivative_r,
                                                     bool prefer_shape_preservation_over_smoothness);

}  // namespace ballast::derivatives
