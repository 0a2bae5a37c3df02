// grid_sample's composite of differentiable ops (composite_grid.cpp): the path of the dtypes and devices the
// fused kernels do not take, and the create_graph backward of the fused path's node.
#pragma once
#include <string>

#include "rosenblatt/tensor.h"

namespace rb {

// input (N, C, [D,] H, W), grid (N, [OD,] OH, OW, dims), already checked by grid_sample.
Tensor grid_sample_graph(const Tensor& input, const Tensor& grid, const std::string& mode,
                         const std::string& padding_mode, bool align_corners);

}  // namespace rb
