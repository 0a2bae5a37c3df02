// CPU interpolation kernels on contiguous (planes, H, W) data: each output row and column reads a
// fixed set of taps (1 nearest, 2 bilinear, 4 bicubic) computed once per axis.
#pragma once
#include "../resize.h"
#include "capability.h"

namespace rb::cpu {

// x: (planes, H, W) -> y: (planes, OH, OW).
void upsample2d_forward(const ResizeGeom& g, const void* x, void* y);
// dy: (planes, OH, OW) -> dx: (planes, H, W), overwritten.
void upsample2d_backward(const ResizeGeom& g, const void* dy, void* dx);

}  // namespace rb::cpu

namespace rb::cpu {
// x: in_shape -> out: out_shape, both contiguous; out[i] = x[i - left] where that is inside x and
// `value` elsewhere.
void constant_pad_forward(const PadGeom& g, const void* x, Scalar value, void* out);

template <>
const ResizeKernels& kernels<ResizeKernels>();

}  // namespace rb::cpu
