// The resizing family's kernel table: interpolation of (planes, H, W) data (each output row and
// column reads a fixed set of taps) and constant padding of any trailing dims.
#pragma once
#include <cstdint>
#include <optional>

#include "rosenblatt/dtype.h"
#include "rosenblatt/kinds.h"
#include "rosenblatt/scalar.h"

namespace rb {

// planes = N * C planes of (H, W) resized to (OH, OW); dtype is the data's: floating, or uint8 for the bilinear,
// bicubic and lanczos forward (PyTorch's fixed-point image path, antialiased or not). antialias: PIL's filters over
// a support widened by the downscale (bilinear, bicubic, lanczos; lanczos is antialiased only).
struct ResizeGeom {
  int64_t planes, H, W, OH, OW;
  InterpMode mode;
  bool align_corners;
  std::optional<double> scale_h, scale_w;
  DType dtype = DType::Float32;
  bool antialias = false;
};

// A constant pad of an nd-dim input: the caller's shapes, read during the call, not copied (the op
// has them at hand, so a pad allocates nothing for its geometry). dtype is the data's, any.
struct PadGeom {
  int64_t nd = 0;
  const int64_t* in_shape = nullptr;   // (nd)
  const int64_t* out_shape = nullptr;  // (nd)
  const int64_t* left = nullptr;       // (nd): the (possibly negative) padding before each dim
  DType dtype = DType::Float32;
};

struct ResizeKernels {
  // x: (planes, H, W) -> y: (planes, OH, OW).
  void (*upsample2d_forward)(const ResizeGeom& g, const void* x, void* y);
  // dy: (planes, OH, OW) -> dx: (planes, H, W), overwritten.
  void (*upsample2d_backward)(const ResizeGeom& g, const void* dy, void* dx);
  // x: in_shape -> out: out_shape, both contiguous; out[i] = x[i - left] where that is inside x and
  // `value` elsewhere.
  void (*constant_pad_forward)(const PadGeom& g, const void* x, Scalar value, void* out);
};

}  // namespace rb
