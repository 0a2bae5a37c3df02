// CPU interpolation kernels on contiguous (planes, H, W) data: each output row and column reads a
// fixed set of taps (1 nearest, 2 bilinear, 4 bicubic) computed once per axis.
#pragma once
#include <optional>
#include "../resize.h"
#include "capability.h"

#include "rosenblatt/tensor.h"

namespace rb::cpu {

// x: (planes, H, W) -> y: (planes, OH, OW).
void upsample2d_forward(const Tensor& x, const ResizeGeom& g, Tensor& y);
// dy: (planes, OH, OW) -> dx: (planes, H, W), overwritten.
void upsample2d_backward(const Tensor& dy, const ResizeGeom& g, Tensor& dx);

}  // namespace rb::cpu

namespace rb::cpu {
// x: contiguous, any dtype; out: contiguous, same rank; left[d]: the (possibly negative) padding
// before dim d, so out[i] = x[i - left] where that is inside x and `value` elsewhere.
void constant_pad_forward(const Tensor& x, const Shape& left, Scalar value, Tensor& out);

template <>
const ResizeKernels& kernels<ResizeKernels>();

}  // namespace rb::cpu
