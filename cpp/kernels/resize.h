// The resizing family's kernel table: interpolation of (planes, H, W) data (each output row and
// column reads a fixed set of taps) and constant padding of any trailing dims.
#pragma once
#include <optional>

#include "rosenblatt/kinds.h"
#include "rosenblatt/tensor.h"

namespace rb {

struct ResizeGeom {
  int64_t planes, H, W, OH, OW;
  InterpMode mode;
  bool align_corners;
  std::optional<double> scale_h, scale_w;
};

struct ResizeKernels {
  // x: (planes, H, W) -> y: (planes, OH, OW).
  void (*upsample2d_forward)(const Tensor& x, const ResizeGeom& g, Tensor& y);
  // dy: (planes, OH, OW) -> dx: (planes, H, W), overwritten.
  void (*upsample2d_backward)(const Tensor& dy, const ResizeGeom& g, Tensor& dx);
  // x: contiguous, any dtype; out: contiguous, same rank; left[d]: the (possibly negative) padding
  // before dim d, so out[i] = x[i - left] where that is inside x and `value` elsewhere.
  void (*constant_pad_forward)(const Tensor& x, const Shape& left, Scalar value, Tensor& out);
};

}  // namespace rb
