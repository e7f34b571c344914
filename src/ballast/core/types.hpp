// Eigen aliases shared by every area. Matrices are column-major inside the engine;
// data crossing the API is row-major (rows are time or assets) and is mapped, not copied
// twice, by api/ and bindings/.
#pragma once

#include <Eigen/Dense>

namespace ballast {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;
using RowMajorMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Index = Eigen::Index;

}  // namespace ballast
