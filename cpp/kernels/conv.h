// The convolution family's kernel table (NCHW). Transposed convolution reuses it: its forward is
// conv's dinput and its dinput conv's forward.
#pragma once
#include <cstdint>

namespace rb {

// One 2-D convolution: x (N, C, H, W) * w (OC, C/groups, KH, KW) -> y (N, OC, OH, OW).
// pad_h/pad_w are the top/left padding; OH/OW already account for any extra bottom/right padding.
struct ConvGeom {
  int64_t N, C, H, W, OC, KH, KW, OH, OW;
  int64_t stride_h, stride_w, pad_h, pad_w, dil_h, dil_w, groups;
};

template <class T>
struct ConvKernels {
  // x: (N, C, H, W), w: (OC, C/groups, KH, KW), b: (OC) or null -> y: (N, OC, OH, OW)
  void (*conv2d_forward)(const ConvGeom& g, const T* x, const T* w, const T* b, T* y);
  // The gradients of conv2d_forward, each computed only when its pointer is non-null:
  // dx: (N, C, H, W) = col2im(w^T dy), dw: (OC, C/groups, KH, KW) = sum_n dy_n im2col(x_n)^T, db: (OC).
  // x is needed only for dw; w only for dx.
  void (*conv2d_backward)(const ConvGeom& g, const T* x, const T* w, const T* dy, T* dx, T* dw, T* db);
  // y: (N, C, HW) += b: (C), broadcast over images and positions.
  void (*add_channel_bias)(int64_t N, int64_t C, int64_t HW, const T* b, T* y);
  // dy: (N, C, HW) -> db: (C), the sum over images and positions.
  void (*channel_sum)(int64_t N, int64_t C, int64_t HW, const T* dy, T* db);
};

}  // namespace rb
