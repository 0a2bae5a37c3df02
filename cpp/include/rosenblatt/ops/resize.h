// Resizing and padding of spatial dims: interpolation (nearest, nearest-exact, bilinear, bicubic, lanczos)
// of (N, C, H, W) tensors with PyTorch's source-index rules, and constant padding of any trailing dims.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "rosenblatt/kinds.h"
#include "rosenblatt/tensor.h"

namespace rb {

// x: (N, C, H, W). scale_h/scale_w: the user's scale factors when the output size came from them
// (PyTorch then maps indices with 1/scale instead of in/out); align_corners only for the linear modes.
// antialias (bilinear, bicubic, lanczos; lanczos needs it): PIL's filters over a support widened by the downscale,
// for float32, float64 and uint8 as PyTorch's.
Tensor upsample2d(const Tensor& x, InterpMode mode, int64_t out_h, int64_t out_w, bool align_corners,
                  std::optional<double> scale_h, std::optional<double> scale_w, bool antialias = false);

// pad: (left, right) pairs starting from the last dim; negative values crop.
Tensor constant_pad_nd(const Tensor& x, const std::vector<int64_t>& pad, double value);

}  // namespace rb
