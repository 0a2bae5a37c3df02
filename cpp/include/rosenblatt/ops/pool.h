// Pooling over the last two (three) dims of (N, C, [D,] H, W) or unbatched inputs: max, average,
// adaptive max/average and max-unpooling, with PyTorch's output-size rules and index layout.
#pragma once
#include <optional>
#include <utility>
#include <vector>

#include "rosenblatt/tensor.h"

namespace rb {

// kernel/stride/padding/dilation: one value (both dims) or two (H, W); stride empty = kernel.
// Returns (output, indices); indices are int64 flat positions h * W + w in each input plane.
std::pair<Tensor, Tensor> max_pool2d_with_indices(const Tensor& x, const std::vector<int64_t>& kernel,
                                                  const std::vector<int64_t>& stride,
                                                  const std::vector<int64_t>& padding,
                                                  const std::vector<int64_t>& dilation, bool ceil_mode);
Tensor max_pool2d(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                  const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation, bool ceil_mode);
Tensor avg_pool2d(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                  const std::vector<int64_t>& padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override);
// output_size: (OH, OW) or one value for both (None entries are resolved by the Python layer).
Tensor adaptive_avg_pool2d(const Tensor& x, const std::vector<int64_t>& output_size);
std::pair<Tensor, Tensor> adaptive_max_pool2d(const Tensor& x, const std::vector<int64_t>& output_size);
// Scatters x to the positions indices name in planes of size output_size (OH, OW); the rest is 0.
Tensor max_unpool2d(const Tensor& x, const Tensor& indices, const std::vector<int64_t>& output_size);

// 1-D pooling over the last dim of (N, C, L) or (C, L): the 2-D ops on a (.., 1, L) view, with the
// 1-D ops' own checks and messages. Indices are positions in L.
std::pair<Tensor, Tensor> max_pool1d_with_indices(const Tensor& x, const std::vector<int64_t>& kernel,
                                                  const std::vector<int64_t>& stride,
                                                  const std::vector<int64_t>& padding,
                                                  const std::vector<int64_t>& dilation, bool ceil_mode);
Tensor max_pool1d(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                  const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation, bool ceil_mode);
Tensor avg_pool1d(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                  const std::vector<int64_t>& padding, bool ceil_mode, bool count_include_pad);
Tensor adaptive_avg_pool1d(const Tensor& x, const std::vector<int64_t>& output_size);
std::pair<Tensor, Tensor> adaptive_max_pool1d(const Tensor& x, const std::vector<int64_t>& output_size);

// 3-D pooling over the last three dims of (N, C, D, H, W) or (C, D, H, W): the 2-D ops' rules per
// dim, with the 3-D ops' own checks and messages. Arguments take one value or three (D, H, W);
// indices are flat positions (d * H + h) * W + w in each input volume.
std::pair<Tensor, Tensor> max_pool3d_with_indices(const Tensor& x, const std::vector<int64_t>& kernel,
                                                  const std::vector<int64_t>& stride,
                                                  const std::vector<int64_t>& padding,
                                                  const std::vector<int64_t>& dilation, bool ceil_mode);
Tensor max_pool3d(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                  const std::vector<int64_t>& padding, const std::vector<int64_t>& dilation, bool ceil_mode);
Tensor avg_pool3d(const Tensor& x, const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                  const std::vector<int64_t>& padding, bool ceil_mode, bool count_include_pad,
                  std::optional<int64_t> divisor_override);
Tensor adaptive_avg_pool3d(const Tensor& x, const std::vector<int64_t>& output_size);
std::pair<Tensor, Tensor> adaptive_max_pool3d(const Tensor& x, const std::vector<int64_t>& output_size);
Tensor max_unpool3d(const Tensor& x, const Tensor& indices, const std::vector<int64_t>& output_size);

}  // namespace rb
